//! Times ROUGE-1.5.5 scoring on the DUC 2006 NIST peers (35 systems x 50 topics, 4 references).
//!
//! `cargo run --release -p storyline-eval --example rouge_speed [-- --no-w]`
//! Reads `../shared/data/duc2006` beside the workspace.

use std::path::PathBuf;
use std::time::Instant;

use serde::Deserialize;
use storyline_eval::rouge::{Rouge, RougeConfig};

#[derive(Deserialize)]
struct Topic {
    id: String,
    summaries: Vec<String>,
}

#[derive(Deserialize)]
struct Peers {
    id: String,
    outputs: std::collections::HashMap<String, String>,
}

fn lines(t: &str) -> Vec<&str> {
    t.split('\n').filter(|s| !s.trim().is_empty()).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/duc2006");
    let read = |f: &str| std::fs::read_to_string(dir.join(f));
    let topics: Vec<Topic> = read("test.jsonl")?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let peers: Vec<Peers> = read("nist_peers.jsonl")?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let no_w = std::env::args().any(|a| a == "--no-w");
    let mut cfg = RougeConfig::duc2006();
    if no_w {
        cfg.wlcs_weight = None;
    }
    let rouge = Rouge::new(cfg)?;
    let systems: Vec<String> = (1..=35).map(|i| i.to_string()).collect();

    let (mut t_analyze, mut t_refs, mut t_score) = (0.0, 0.0, 0.0);
    let mut n = 0usize;
    for round in 0..3 {
        for topic in &topics {
            let Some(p) = peers.iter().find(|p| p.id == topic.id) else {
                continue;
            };
            let t0 = Instant::now();
            let models: Vec<_> = topic
                .summaries
                .iter()
                .map(|s| rouge.analyze(&lines(s)))
                .collect();
            let analyzed: Vec<_> = systems
                .iter()
                .filter_map(|s| p.outputs.get(s))
                .map(|t| rouge.analyze(&lines(t)))
                .collect();
            let t1 = Instant::now();
            let refs = rouge.references(&models);
            let t2 = Instant::now();
            for peer in &analyzed {
                std::hint::black_box(rouge.score(peer, &refs));
            }
            let t3 = Instant::now();
            if round > 0 {
                t_analyze += (t1 - t0).as_secs_f64();
                t_refs += (t2 - t1).as_secs_f64();
                t_score += (t3 - t2).as_secs_f64();
                n += analyzed.len();
            }
        }
    }
    let us = |t: f64| 1e6 * t / n as f64;
    println!(
        "{n} peer x topic scorings ({}): analyze {:.1} us/peer (incl. models), references {:.1} us, score {:.1} us/peer (jackknife, 4 refs)",
        if no_w {
            "no ROUGE-W"
        } else {
            "with ROUGE-W-1.2"
        },
        us(t_analyze),
        us(t_refs),
        us(t_score)
    );
    Ok(())
}
