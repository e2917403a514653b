//! Entry points for fuzzing: each takes arbitrary bytes and runs one reader or stage the way
//! a user's input reaches it. They return nothing; they must never panic, stall or grow
//! without bound. The libFuzzer targets in `fuzz/` are one call each, and
//! `tests/fuzz_corpus.rs` replays the committed corpus (`fuzz/corpus/<target>/`) through
//! them with a time bound per input, so a slow input found by fuzzing fails an ordinary
//! `cargo test` once it is added to the corpus.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::compare::{CompareOptions, compare};
use crate::ingest::{Limits, read_articles_jsonl};
use crate::{Article, Corpus, SummaryOptions, Timestamp, summarize};

/// Inputs are cut to this length (a fuzzer's inputs are small; the readers' own limits are
/// tested elsewhere).
const MAX_INPUT: usize = 1 << 16;

fn cut(data: &[u8]) -> &[u8] {
    &data[..data.len().min(MAX_INPUT)]
}

/// The JSONL article reader on arbitrary bytes, with small limits so that the
/// over-the-limit paths are reached.
pub fn jsonl(data: &[u8]) {
    let limits = Limits {
        max_line_bytes: 4096,
        max_text_bytes: 1024,
        fields: crate::ingest::FieldLimits {
            max_title_bytes: 256,
            max_source_bytes: 64,
            max_url_bytes: 256,
            max_id_bytes: 128,
        },
    };
    let read = read_articles_jsonl(cut(data), "fuzz.jsonl", &limits);
    for issue in &read.issues {
        let _ = issue.to_string();
    }
    // What was read goes on as the rest of the engine takes it.
    let _ = Corpus::build(&read.items);
}

/// Publication-time parsing, one candidate per line (and each line's number as Unix time).
pub fn date(data: &[u8]) {
    let text = String::from_utf8_lossy(cut(data));
    for line in text.lines().take(256) {
        if let Some(t) = Timestamp::parse(line) {
            let _ = (t.unix_seconds(), t.date(), t.to_string());
        }
        if let Ok(n) = line.trim().parse::<i64>() {
            let _ = Timestamp::from_unix_number(n);
        }
    }
}

/// Summarize and compare on arbitrary text: the input is split into up to six articles at
/// ASCII record separators (`0x1E`), each article's first line its headline.
pub fn summarize_compare(data: &[u8]) {
    let text = String::from_utf8_lossy(cut(data));
    let articles: Vec<Article> = text
        .split('\u{1e}')
        .take(6)
        .enumerate()
        .map(|(i, part)| {
            let (title, body) = part.split_once('\n').unwrap_or(("", part));
            Article {
                id: format!("fuzz-{i}"),
                title: title.to_string(),
                text: body.to_string(),
                source: Some(format!("outlet {}", i % 3)),
                url: None,
                date: None,
            }
        })
        .collect();
    let corpus = Corpus::build(&articles);
    let _ = summarize(&corpus, &SummaryOptions::default()).text();
    let _ = compare(&corpus, &CompareOptions::default());
}

/// An input as given, cut to a third and to two thirds, and with every seventh byte's case
/// bit flipped: a cheap mutation pass over a corpus that needs no fuzzer.
pub fn corpus_variants(bytes: &[u8]) -> Vec<Vec<u8>> {
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

/// Replays every file of a corpus folder, and its [`corpus_variants`], through `run`; each
/// must return within `per_input`. Returns how many inputs ran, or what failed.
pub fn replay_corpus(dir: &Path, per_input: Duration, run: fn(&[u8])) -> Result<usize, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("no corpus in {}", dir.display()));
    }
    let mut ran = 0;
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        for (k, input) in corpus_variants(&bytes).iter().enumerate() {
            let start = Instant::now();
            run(input);
            let took = start.elapsed();
            if took >= per_input {
                return Err(format!("{} (variant {k}) took {took:?}", f.display()));
            }
            ran += 1;
        }
    }
    Ok(ran)
}
