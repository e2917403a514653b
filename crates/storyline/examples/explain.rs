//! Lists every sentence of each cluster of a cluster JSONL with what the summarizer thinks
//! of it: for diagnosing the summarizer on dev data.
//! usage: cargo run --release -p storyline --example explain -- CLUSTERS.jsonl [ID ...]
use std::io::BufReader;

use storyline::Corpus;
use storyline::ingest::{Limits, read_clusters_jsonl};
use storyline::summarize::{SummaryOptions, needs_previous, summarize, unreadable};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = std::fs::File::open(&args[0]).expect("open");
    let got = read_clusters_jsonl(BufReader::new(file), &args[0], &Limits::default());
    let opt = SummaryOptions {
        words: 250,
        ..Default::default()
    };
    for c in got
        .items
        .iter()
        .filter(|c| args.len() < 2 || args[1..].contains(&c.id))
    {
        let corpus = Corpus::build(&c.articles);
        let summary = summarize(&corpus, &opt);
        let chosen: Vec<usize> = summary
            .sentences
            .iter()
            .map(|s| s.sentence_index())
            .collect();
        println!("== {} ({} words chosen)", c.id, summary.words());
        for (i, s) in corpus.sentences.iter().enumerate() {
            let mark = if chosen.contains(&i) { "*" } else { " " };
            let why = unreadable(s, &opt)
                .map(|u| format!("{u:?}"))
                .unwrap_or_default();
            let lean = if needs_previous(s) { "lean" } else { "" };
            println!(
                "{mark} d{} p{} w{} {why} {lean} | {}",
                s.doc, s.position, s.words, s.text
            );
        }
        for d in &corpus.docs {
            for r in &d.clean.removed {
                println!("  removed d? {:?}: {}", r.reason, r.text);
            }
        }
    }
}
