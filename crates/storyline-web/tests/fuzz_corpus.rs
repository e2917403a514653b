//! The committed fuzz corpus (`fuzz/corpus/{html,warc}`) replayed through the same entry
//! points the libFuzzer targets call, with a time bound per input: a slow or crashing input
//! found by fuzzing fails `cargo test` once it is added to the corpus. Each input is also
//! tried cut short and with bytes flipped (a cheap mutation pass that needs no nightly).

use std::path::PathBuf;
use std::time::Duration;

use storyline::fuzz::replay_corpus;

/// Per input, unoptimised build on a shared machine; libFuzzer runs use `-timeout=2`.
const PER_INPUT: Duration = Duration::from_secs(10);

fn corpus(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

fn replay(target: &str, run: fn(&[u8])) {
    if let Err(e) = replay_corpus(&corpus(target), PER_INPUT, run) {
        panic!("{e}");
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
