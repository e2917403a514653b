//! The committed fuzz corpus (`fuzz/corpus/{html,warc}`) replayed through the same entry
//! points the libFuzzer targets call, with a time bound per input: a slow or crashing input
//! found by fuzzing fails `cargo test` once it is added to the corpus. Each input is also
//! tried cut short and with bytes flipped (a cheap mutation pass that needs no nightly).

use std::path::Path;
use std::time::{Duration, Instant};

/// Per input, unoptimised build on a shared machine; libFuzzer runs use `-timeout=2`.
const PER_INPUT: Duration = Duration::from_secs(10);

fn variants(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut flipped = bytes.to_vec();
    for (i, b) in flipped.iter_mut().enumerate() {
        if i % 7 == 3 {
            *b ^= 0x20;
        }
    }
    vec![
        bytes.to_vec(),
        bytes[..bytes.len() / 3].to_vec(),
        bytes[..bytes.len() * 2 / 3].to_vec(),
        flipped,
    ]
}

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        for (k, input) in variants(&bytes).iter().enumerate() {
            let start = Instant::now();
            run(input);
            let took = start.elapsed();
            assert!(
                took < PER_INPUT,
                "{} (variant {k}) took {took:?}",
                f.display()
            );
        }
    }
}

#[test]
fn html_corpus_replays_within_its_time_bound() {
    replay("html", storyline_web::fuzz::html);
}

#[test]
fn warc_corpus_replays_within_its_time_bound() {
    replay("warc", storyline_web::fuzz::warc);
}
