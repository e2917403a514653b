//! Validation against NIST's official DUC 2006 ROUGE-1.5.5 output (`rougejk.m.out`, run as
//! `ROUGE-1.5.5.pl -n 4 -w 1.2 -m -2 4 -u -c 95 -r 1000 -f A -p 0.5 -t 0 -a -d rougejk.in`):
//! every Eval line (peer x topic x left-out model) of every metric, R, P and F.

mod common;

use std::collections::{BTreeMap, HashMap};

use storyline_eval::rouge::{Metric, Rouge, RougeConfig};

/// One `Eval` line: `1 ROUGE-1 Eval D0601.M.250.A-B.1 R:0.26747 P:0.26219 F:0.26480`.
struct EvalLine {
    peer: String,
    metric: Metric,
    /// Topic id as in test.jsonl (`D0601A`).
    topic: String,
    left_out: String,
    official: [f64; 3],
}

fn parse_eval(line: &str) -> Option<EvalLine> {
    let mut parts = line.split_whitespace();
    let peer = parts.next()?.to_owned();
    let metric: Metric = parts.next()?.parse().ok()?;
    if parts.next()? != "Eval" {
        return None;
    }
    // D0601.M.250.A-B.1
    let id = parts.next()?;
    let (eval, _peer) = id.rsplit_once('.')?;
    let (head, left_out) = eval.rsplit_once('-')?;
    let mut h = head.split('.');
    let (number, _m, _len, letter) = (h.next()?, h.next()?, h.next()?, h.next()?);
    let mut official = [0.0; 3];
    for (slot, prefix) in official.iter_mut().zip(["R:", "P:", "F:"]) {
        *slot = parts.next()?.strip_prefix(prefix)?.parse().ok()?;
    }
    Some(EvalLine {
        peer,
        metric,
        topic: format!("{number}{letter}"),
        left_out: left_out.to_owned(),
        official,
    })
}

#[derive(Default)]
struct Agreement {
    exact: usize,
    within_1e4: usize,
    mismatched: usize,
}

#[test]
fn matches_nist_rouge_155_per_eval_on_duc2006() {
    let Some(dir) = common::duc2006_dir("matches_nist_rouge_155_per_eval_on_duc2006") else {
        return;
    };
    let data = common::Duc2006::load(&dir);
    let out = std::fs::read_to_string(dir.join("rougejk.m.out")).expect("rougejk.m.out");
    let evals: Vec<EvalLine> = out.lines().filter_map(parse_eval).collect();
    assert_eq!(evals.len(), 50_400, "Eval lines in rougejk.m.out");

    let rouge = Rouge::new(RougeConfig {
        jackknife: false,
        ..RougeConfig::duc2006()
    })
    .expect("valid config");
    let start = std::time::Instant::now();
    // (topic, peer) -> (annotators, leave-one-out scores)
    let mut cache: HashMap<(String, String), Vec<(String, storyline_eval::rouge::RougeScores)>> =
        HashMap::new();
    let topics: HashMap<&str, &common::Topic> =
        data.topics.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut per_metric: BTreeMap<Metric, Agreement> = BTreeMap::new();
    let mut worst: Vec<(f64, String)> = Vec::new();
    for e in &evals {
        let key = (e.topic.clone(), e.peer.clone());
        let scores = cache.entry(key).or_insert_with(|| {
            let topic = topics[e.topic.as_str()];
            let text = &data.peers[&e.topic].outputs[&e.peer];
            let peer = rouge.analyze(&common::sentences(text));
            let models: Vec<_> = topic
                .summaries
                .iter()
                .map(|s| rouge.analyze(&common::sentences(s)))
                .collect();
            let refs = rouge.references(&models);
            topic
                .summary_annotators
                .iter()
                .cloned()
                .zip(rouge.score_leave_one_out(&peer, &refs))
                .collect()
        });
        let mine = &scores
            .iter()
            .find(|(a, _)| *a == e.left_out)
            .unwrap_or_else(|| panic!("{} has no model {}", e.topic, e.left_out))
            .1;
        let prf = mine.get(e.metric).expect("metric computed");
        let agreement = per_metric.entry(e.metric).or_default();
        for (ours, official) in [prf.recall, prf.precision, prf.f]
            .into_iter()
            .zip(e.official)
        {
            let diff = (ours - official).abs();
            if diff < 5e-7 {
                agreement.exact += 1;
            } else if diff <= 1e-4 + 1e-9 {
                agreement.within_1e4 += 1;
            } else {
                agreement.mismatched += 1;
            }
            if diff >= 5e-7 {
                worst.push((
                    diff,
                    format!(
                        "{} {} {}-{} peer {}: ours {:.5} official {:.5}",
                        e.metric, e.topic, e.topic, e.left_out, e.peer, ours, official
                    ),
                ));
            }
        }
    }
    println!(
        "scored {} (topic, peer) pairs in {:.2?}",
        cache.len(),
        start.elapsed()
    );
    println!(
        "{:<10} {:>7} {:>10} {:>10}",
        "metric", "exact", "<=1e-4", "mismatch"
    );
    let mut total = Agreement::default();
    for (metric, a) in &per_metric {
        let name = if *metric == Metric::W {
            "ROUGE-W-1.2".to_string()
        } else {
            metric.to_string()
        };
        println!(
            "{name:<10} {:>7} {:>10} {:>10}",
            a.exact, a.within_1e4, a.mismatched
        );
        total.exact += a.exact;
        total.within_1e4 += a.within_1e4;
        total.mismatched += a.mismatched;
    }
    println!(
        "{:<10} {:>7} {:>10} {:>10}",
        "all", total.exact, total.within_1e4, total.mismatched
    );
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, w) in worst.iter().take(40) {
        println!("  {w}");
    }
    assert_eq!(
        total.exact + total.within_1e4 + total.mismatched,
        3 * 50_400
    );
    // Every value is reproduced to all 5 printed decimals (see the crate README).
    assert_eq!(total.mismatched, 0, "values off by more than 1e-4");
    assert_eq!(
        total.exact,
        3 * 50_400,
        "values not identical to the official output"
    );
}
