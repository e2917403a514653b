//! Prints the sentences of stdin, one per line: for eyeballing the segmenter.
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).expect("stdin");
    for r in storyline_text::sentences(&s) {
        println!("{}", &s[r]);
    }
}
