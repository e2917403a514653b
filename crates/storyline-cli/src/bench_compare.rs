//! `storyline bench compare`: time of the source comparison per event.
//!
//! Every cluster of DUC 2006 (50 events of 25 articles each) is compared in one thread,
//! from raw articles to the full comparison (cleaning, segmentation, analysis, alignment,
//! quotes, figures, names, facts, timeline, stances); reading the file is not counted. The
//! stages are also timed on their own, so that it is clear where the time goes. Quality is
//! measured separately, on the hand annotations: `storyline eval compare`.

use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use storyline::compare::{CompareOptions, compare_with, figures, name_variants, quotes};
use storyline::ingest::{Limits, read_clusters_jsonl};
use storyline::{Aligner, Corpus};

#[derive(Args)]
pub struct CompareBenchArgs {
    /// A cluster JSONL file (default: DUC 2006, 25 articles per event).
    #[arg(long, default_value = "../shared/data/duc2006/test.jsonl")]
    clusters: PathBuf,
    /// Passes over the file (the best time of each cluster is kept).
    #[arg(long, default_value_t = 3)]
    repeat: usize,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub fn run(a: CompareBenchArgs) -> Result<ExitCode> {
    let file = std::fs::File::open(&a.clusters).with_context(|| {
        format!(
            "{}: cannot open (is the dev data there?)",
            a.clusters.display()
        )
    })?;
    let got = read_clusters_jsonl(
        BufReader::new(file),
        &a.clusters.display().to_string(),
        &Limits::default(),
    );
    let options = CompareOptions::default();
    // Per cluster: total, corpus, alignment+facts+timeline+stances, quotes, figures, names.
    let n = got.items.len();
    let mut best = vec![[f64::INFINITY; 6]; n];
    let mut articles = 0;
    for _ in 0..a.repeat.max(1) {
        articles = 0;
        for (k, c) in got.items.iter().enumerate() {
            articles += c.articles.len();
            let t = Instant::now();
            let corpus = Corpus::build(&c.articles);
            let aligner = Aligner::new(&corpus);
            let comparison = compare_with(&corpus, &aligner, &options);
            let total = ms(t);
            std::hint::black_box(&comparison);
            // The stages on their own.
            let t = Instant::now();
            let corpus = Corpus::build(&c.articles);
            let t_corpus = ms(t);
            let t = Instant::now();
            std::hint::black_box(quotes::statements(&corpus));
            let t_quotes = ms(t);
            let t = Instant::now();
            std::hint::black_box(figures::quantities(figures::figures(&corpus)));
            let t_figures = ms(t);
            let t = Instant::now();
            std::hint::black_box(name_variants(&corpus));
            let t_names = ms(t);
            let rest = (total - t_corpus - t_quotes - t_figures - t_names).max(0.0);
            for (slot, v) in best[k]
                .iter_mut()
                .zip([total, t_corpus, rest, t_quotes, t_figures, t_names])
            {
                *slot = slot.min(v);
            }
        }
    }
    let col = |i: usize| {
        let mut v: Vec<f64> = best.iter().map(|b| b[i]).collect();
        v.sort_by(f64::total_cmp);
        v
    };
    println!(
        "{} events, {} articles ({:.1} per event), one thread, best of {} passes",
        n,
        articles,
        articles as f64 / n.max(1) as f64,
        a.repeat.max(1)
    );
    println!(
        "{:<44} {:>8} {:>8} {:>8}",
        "ms per event", "median", "p90", "max"
    );
    for (i, name) in [
        "whole comparison (from raw articles)",
        "  cleaning, sentences, analysis",
        "  alignment, facts, timeline, stances",
        "  quotes and speakers",
        "  figures",
        "  name variants",
    ]
    .iter()
    .enumerate()
    {
        let v = col(i);
        println!(
            "{:<44} {:>8.2} {:>8.2} {:>8.2}",
            name,
            percentile(&v, 0.5),
            percentile(&v, 0.9),
            v.last().copied().unwrap_or(0.0)
        );
    }
    Ok(ExitCode::SUCCESS)
}
