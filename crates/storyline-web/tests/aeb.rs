//! Extraction quality on the Scrapinghub Article Extraction Benchmark, scored like its
//! `evaluate.py` (token 4-shingle precision and recall averaged over pages). Skips when the
//! shared data is absent. The full comparison with other extractors, and speed, is
//! `storyline bench extract`.

use std::collections::HashMap;
use std::io::Read;
use std::io::Write as _;
use std::path::Path;

use storyline_web::lang::LangFilter;
use storyline_web::source::{Document, Payload};
use storyline_web::{IngestOptions, Origin, process_document};

fn tokens(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

fn shingles(s: &str) -> HashMap<Vec<&str>, usize> {
    let t = tokens(s);
    let mut out = HashMap::new();
    if t.is_empty() {
        return out;
    }
    for i in 0..t.len().saturating_sub(3).max(1) {
        *out.entry(t[i..(i + 4).min(t.len())].to_vec()).or_insert(0) += 1;
    }
    out
}

/// (tp, fp, fn), normalized to sum 1 as evaluate.py does.
fn match_counts(gold: &str, pred: &str) -> (f64, f64, f64) {
    let (g, p) = (shingles(gold), shingles(pred));
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for k in g.keys().chain(p.keys().filter(|k| !g.contains_key(*k))) {
        let (gc, pc) = (
            *g.get(k).unwrap_or(&0) as f64,
            *p.get(k).unwrap_or(&0) as f64,
        );
        tp += gc.min(pc);
        fp += (pc - gc).max(0.0);
        fn_ += (gc - pc).max(0.0);
    }
    let s = tp + fp + fn_;
    if s > 0.0 {
        (tp / s, fp / s, fn_ / s)
    } else {
        (0.0, 0.0, 0.0)
    }
}

#[test]
fn f1_on_the_article_extraction_benchmark_is_at_least_0_95() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/extraction/scrapinghub_aeb");
    let Ok(gt) = std::fs::read_to_string(dir.join("ground-truth.json")) else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: {} not found (shared dev data absent)",
            dir.display()
        );
        return;
    };
    let gt: serde_json::Value = serde_json::from_str(&gt).unwrap();
    let opts = IngestOptions {
        langs: LangFilter::Any,
        min_words: 0,
        ..IngestOptions::default()
    };
    let (mut precisions, mut recalls) = (Vec::new(), Vec::new());
    for (key, v) in gt.as_object().unwrap() {
        let mut bytes = Vec::new();
        flate2::read::MultiGzDecoder::new(
            std::fs::File::open(dir.join("html").join(format!("{key}.html.gz"))).unwrap(),
        )
        .read_to_end(&mut bytes)
        .unwrap();
        let doc = Document {
            origin: Origin::file(key.clone()),
            payload: Payload::Page {
                bytes,
                charset: None,
            },
            url: v["url"].as_str().map(str::to_string),
            record_id: None,
        };
        let pred = process_document(doc, &opts)
            .map(|a| a.article.text)
            .unwrap_or_default();
        let (tp, fp, fn_) = match_counts(v["articleBody"].as_str().unwrap_or(""), &pred);
        if tp + fp > 0.0 {
            precisions.push(if fp == 0.0 && fn_ == 0.0 {
                1.0
            } else {
                tp / (tp + fp)
            });
        }
        if tp + fn_ > 0.0 {
            recalls.push(if fp == 0.0 && fn_ == 0.0 {
                1.0
            } else {
                tp / (tp + fn_)
            });
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (p, r) = (mean(&precisions), mean(&recalls));
    let f1 = 2.0 * p * r / (p + r);
    eprintln!("AEB: F1 {f1:.3} precision {p:.3} recall {r:.3}");
    assert!(f1 >= 0.95, "F1 {f1:.3} below 0.95");
}
