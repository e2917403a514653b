//! Reads one word per line on stdin, prints `word<TAB>stem`: for comparing with other stemmers.
use std::io::{BufRead, Write};
fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for line in stdin.lock().lines() {
        let w = line.expect("stdin");
        writeln!(out, "{}\t{}", w, storyline_text::stem::porter_stem(&w)).expect("stdout");
    }
}
