//! Reads one text per line on stdin (`\t`, `\n`, `\\` escaped), prints the static-embedding
//! token ids (`unk` for `[UNK]`): for comparing the tokenizer with Python's `tokenizers`.
use std::io::{BufRead, Write};

fn main() {
    let table = storyline_text::StaticEmbeddings::minilm();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let text = line
            .replace("\\t", "\t")
            .replace("\\n", "\n")
            .replace("\\\\", "\\");
        let ids: Vec<String> = table
            .tokens(&text)
            .into_iter()
            .map(|t| t.map_or("unk".to_string(), |id| id.to_string()))
            .collect();
        writeln!(out, "{}", ids.join(" ")).expect("stdout");
    }
}
