//! Reads one text per line on stdin (`\t`, `\n`, `\\` escaped), prints the static-embedding
//! token ids (`unk` for `[UNK]`): for comparing the tokenizer with Python's `tokenizers`.
use std::io::{BufRead, Write};

fn main() {
    let table = storyline_text::StaticEmbeddings::minilm();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let text = unescape(&line);
        let ids: Vec<String> = table
            .tokens(&text)
            .into_iter()
            .map(|t| t.map_or("unk".to_string(), |id| id.to_string()))
            .collect();
        writeln!(out, "{}", ids.join(" ")).expect("stdout");
    }
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(e @ ('t' | 'n' | '\\'))) => {
                chars.next();
                out.push(match e {
                    't' => '\t',
                    'n' => '\n',
                    _ => '\\',
                });
            }
            _ => out.push(c),
        }
    }
    out
}
