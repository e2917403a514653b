//! Times the two halves of stream clustering separately on one thread: featurizing (the
//! parallel part) and assigning (the sequential part). For profiling the assigner alone.
//! usage: cargo run --release -p storyline --example assign_bench -- STREAM.jsonl [repeats]
use std::io::{BufRead, BufReader};
use std::time::Instant;

use storyline::cluster::{ClusterOptions, EventClusterer, Featurizer};
use storyline::ingest::{Limits, LineOutcome, parse_article_line};

fn main() {
    let path = std::env::args().nth(1).expect("STREAM.jsonl");
    let repeats: usize = std::env::args()
        .nth(2)
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let lines: Vec<String> = BufReader::new(std::fs::File::open(&path).expect("open"))
        .lines()
        .map(|l| l.expect("read"))
        .collect();
    let opts = ClusterOptions::default();
    let mut best_feat = f64::MAX;
    let mut best_assign = f64::MAX;
    for _ in 0..repeats {
        let t = Instant::now();
        let mut f = Featurizer::new(&opts);
        let feats: Vec<_> = lines
            .iter()
            .enumerate()
            .filter_map(
                |(i, l)| match parse_article_line(&path, i + 1, l, &Limits::default()) {
                    LineOutcome::Article(a, _) => Some(f.features(&a)),
                    _ => None,
                },
            )
            .collect();
        best_feat = best_feat.min(t.elapsed().as_secs_f64());
        let n = feats.len();
        let t = Instant::now();
        let mut c = EventClusterer::new(opts.clone());
        for x in feats {
            c.assign(x);
        }
        best_assign = best_assign.min(t.elapsed().as_secs_f64());
        eprintln!("{n} articles");
    }
    let n = lines.len() as f64;
    println!(
        "parse+featurize: {:.1} us/article ({:.0}/s per core); assign: {:.1} us/article ({:.0}/s)",
        best_feat / n * 1e6,
        n / best_feat,
        best_assign / n * 1e6,
        n / best_assign
    );
}
