//! Lists every sentence of each cluster of a cluster JSONL with what the summarizer thinks
//! of it (readable? standalone, or repaired as shown, or why not): for diagnosing the
//! summarizer on dev data. A folder of `.txt` articles works too.
//! usage: cargo run --release -p storyline --example explain -- CLUSTERS.jsonl|FOLDER [ID ...]
use std::io::BufReader;

use storyline::Corpus;
use storyline::ingest::{Limits, read_clusters_jsonl};
use storyline::summarize::context::{People, read};
use storyline::summarize::{SummaryOptions, needs_previous, summarize, unreadable};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let got = if std::path::Path::new(&args[0]).is_dir() {
        let docs =
            storyline::ingest::read_txt_dir(std::path::Path::new(&args[0]), &Limits::default());
        storyline::ingest::Ingested {
            items: vec![storyline::ingest::Cluster {
                id: args[0].clone(),
                articles: docs.items,
                references: Vec::new(),
            }],
            issues: docs.issues,
        }
    } else {
        let file = std::fs::File::open(&args[0]).expect("open");
        read_clusters_jsonl(BufReader::new(file), &args[0], &Limits::default())
    };
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
        let people = People::new(&corpus);
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
            let reading = match read(&corpus, &people, i) {
                Ok(r) if r.text == s.text && r.needs.is_empty() => String::new(),
                Ok(r) => format!(" => {:?} needs {:?}", r.text, r.needs),
                Err(d) => format!(" !! {d:?}"),
            };
            println!(
                "{mark} d{} p{} w{} {why} {lean} | {}{reading}",
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
