//! Scoring a clustering of an article stream against gold story labels.
//!
//! - Pairwise precision, recall and F1 over article pairs, as Miranda et al. (2018) compute
//!   them: TP = pairs in the same story and the same predicted event, FP = same event but
//!   different stories, FN = same story but different events; each score is 0 when its
//!   denominator is 0 (so "every article alone" scores 0).
//! - BCubed precision, recall and F1 (Bagga & Baldwin 1998; Amigó et al. 2009), averaged
//!   over articles.
//! - The adjusted Rand index (Hubert & Arabie 1985).
//!
//! Gold: `{"id", "story", "noise"?}` per line (the article stream itself). Prediction:
//! `{"id", "event", "storyline"}` (Storyline's output, scored at the [`Level`] asked for) or
//! `{"id", "cluster"}` (the peers'). Gold articles
//! missing from the prediction count as singletons; with `ignore_noise`, articles marked
//! `noise` are removed from both sides. Same definitions as `../shared/tools/clustering/
//! eval_clusters.py`, which the tests check on small cases.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why the files could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum ClusterEvalError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not what the format expects.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Scores of a clustering.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ClusterScores {
    /// Articles scored.
    pub articles: usize,
    /// Gold stories among them.
    pub gold_stories: usize,
    /// Predicted events among them.
    pub predicted_events: usize,
    /// Pairwise precision.
    pub pair_p: f64,
    /// Pairwise recall.
    pub pair_r: f64,
    /// Pairwise F1.
    pub pair_f1: f64,
    /// BCubed precision.
    pub b3_p: f64,
    /// BCubed recall.
    pub b3_r: f64,
    /// BCubed F1.
    pub b3_f1: f64,
    /// Adjusted Rand index.
    pub ari: f64,
    /// Gold articles without a prediction (scored as singletons).
    pub missing: usize,
}

fn comb2(n: u64) -> f64 {
    (n as f64) * (n.saturating_sub(1) as f64) / 2.0
}

/// Scores two labelings of the same articles (same order).
pub fn score_labels<G: Eq + std::hash::Hash, P: Eq + std::hash::Hash>(
    gold: &[G],
    pred: &[P],
) -> ClusterScores {
    assert_eq!(gold.len(), pred.len(), "labelings of different lengths");
    let n = gold.len();
    let mut cells: HashMap<(&G, &P), u64> = HashMap::new();
    let mut gsize: HashMap<&G, u64> = HashMap::new();
    let mut psize: HashMap<&P, u64> = HashMap::new();
    for (g, p) in gold.iter().zip(pred) {
        *cells.entry((g, p)).or_insert(0) += 1;
        *gsize.entry(g).or_insert(0) += 1;
        *psize.entry(p).or_insert(0) += 1;
    }
    let tp: f64 = cells.values().map(|&c| comb2(c)).sum();
    let tp_fp: f64 = psize.values().map(|&c| comb2(c)).sum();
    let tp_fn: f64 = gsize.values().map(|&c| comb2(c)).sum();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let f1 = |p: f64, r: f64| {
        if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        }
    };
    let pair_p = ratio(tp, tp_fp);
    let pair_r = ratio(tp, tp_fn);
    let nf = n as f64;
    let b3_p = ratio(
        cells
            .iter()
            .map(|((_, p), &c)| (c * c) as f64 / psize[p] as f64)
            .sum(),
        nf,
    );
    let b3_r = ratio(
        cells
            .iter()
            .map(|((g, _), &c)| (c * c) as f64 / gsize[g] as f64)
            .sum(),
        nf,
    );
    let total = comb2(n as u64);
    let expected = ratio(tp_fp * tp_fn, total);
    let max = (tp_fp + tp_fn) / 2.0;
    let ari = if (max - expected).abs() < f64::EPSILON {
        if tp == max { 1.0 } else { 0.0 }
    } else {
        (tp - expected) / (max - expected)
    };
    ClusterScores {
        articles: n,
        gold_stories: gsize.len(),
        predicted_events: psize.len(),
        pair_p,
        pair_r,
        pair_f1: f1(pair_p, pair_r),
        b3_p,
        b3_r,
        b3_f1: f1(b3_p, b3_r),
        ari,
        missing: 0,
    }
}

/// A gold article: id, story, noise flag, and its line in the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldArticle {
    /// 0-based line of the article in the gold stream.
    pub line: usize,
    /// Article id.
    pub id: String,
    /// Gold story label.
    pub story: String,
    /// Its label is not meaningful (boilerplate pages, articles in several topics).
    pub noise: bool,
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn read_lines(path: &Path) -> Result<Vec<(usize, Value)>, ClusterEvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| ClusterEvalError::Io {
        path: path.into(),
        source,
    })?;
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| ClusterEvalError::Parse {
            path: path.into(),
            line: k + 1,
            message: e.to_string(),
        })?;
        out.push((k + 1, v));
    }
    Ok(out)
}

/// Reads a gold stream (`{"id","story","noise"?}` per line; other fields ignored).
pub fn read_gold(path: &Path) -> Result<Vec<GoldArticle>, ClusterEvalError> {
    let mut out = Vec::new();
    for (line, v) in read_lines(path)? {
        let parse = |m: &str| ClusterEvalError::Parse {
            path: path.into(),
            line,
            message: m.into(),
        };
        let id = v
            .get("id")
            .and_then(scalar)
            .ok_or_else(|| parse("missing \"id\""))?;
        let story = v
            .get("story")
            .and_then(scalar)
            .ok_or_else(|| parse("missing \"story\""))?;
        let noise = v.get("noise").and_then(Value::as_bool).unwrap_or(false);
        out.push(GoldArticle {
            line: line - 1,
            id,
            story,
            noise,
        });
    }
    Ok(out)
}

/// Which grouping of Storyline's output is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Events (one development: hours to days).
    #[default]
    Event,
    /// Storylines (the developing story events belong to: weeks to months).
    Storyline,
}

impl Level {
    /// The field of a prediction line that holds this level's label.
    pub fn field(self) -> &'static str {
        match self {
            Level::Event => "event",
            Level::Storyline => "storyline",
        }
    }
}

/// Reads predictions: `{"id","event","storyline"?}` (the label of `level`) or
/// `{"id","cluster"}` per line.
pub fn read_predictions(
    path: &Path,
    level: Level,
) -> Result<HashMap<String, String>, ClusterEvalError> {
    let mut out = HashMap::new();
    for (line, v) in read_lines(path)? {
        let parse = |m: &str| ClusterEvalError::Parse {
            path: path.into(),
            line,
            message: m.into(),
        };
        let id = v
            .get("id")
            .and_then(scalar)
            .ok_or_else(|| parse("missing \"id\""))?;
        let field = level.field();
        let label = v
            .get(field)
            .or_else(|| v.get("cluster"))
            .and_then(scalar)
            .ok_or_else(|| parse(&format!("missing \"{field}\" (or \"cluster\")")))?;
        out.insert(id, label);
    }
    Ok(out)
}

/// Scores predictions against gold; articles without a prediction are singletons.
pub fn score(
    gold: &[GoldArticle],
    pred: &HashMap<String, String>,
    ignore_noise: bool,
) -> ClusterScores {
    let mut g = Vec::with_capacity(gold.len());
    let mut p = Vec::with_capacity(gold.len());
    let mut missing = 0;
    for a in gold.iter().filter(|a| !(ignore_noise && a.noise)) {
        g.push(a.story.as_str());
        match pred.get(&a.id) {
            Some(label) => p.push(format!("e:{label}")),
            None => {
                missing += 1;
                p.push(format!("missing:{}", a.id));
            }
        }
    }
    let mut s = score_labels(&g, &p);
    s.missing = missing;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cases checked against ../shared/tools/clustering/eval_clusters.py.
    #[test]
    fn matches_the_reference_scorer_on_small_cases() {
        let gold = ["a", "a", "a", "b", "b", "c"];
        let pred = [1, 1, 2, 2, 2, 3];
        let s = score_labels(&gold, &pred);
        assert!((s.pair_p - 0.5).abs() < 1e-12);
        assert!((s.pair_r - 0.5).abs() < 1e-12);
        assert!((s.b3_p - 0.7777777777777778).abs() < 1e-12, "{}", s.b3_p);
        assert!((s.b3_r - 0.7777777777777777).abs() < 1e-12, "{}", s.b3_r);
        assert!((s.ari - 0.3181818181818182).abs() < 1e-12, "{}", s.ari);
        let singletons = score_labels(&gold, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(
            (singletons.pair_p, singletons.pair_r, singletons.pair_f1),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(singletons.b3_p, 1.0);
        let perfect = score_labels(&gold, &gold);
        assert_eq!(
            (perfect.pair_f1, perfect.b3_f1, perfect.ari),
            (1.0, 1.0, 1.0)
        );
    }

    #[test]
    fn noise_is_removed_from_both_sides_and_missing_articles_are_singletons() {
        let gold = vec![
            GoldArticle {
                line: 0,
                id: "1".into(),
                story: "s".into(),
                noise: false,
            },
            GoldArticle {
                line: 1,
                id: "2".into(),
                story: "s".into(),
                noise: false,
            },
            GoldArticle {
                line: 2,
                id: "3".into(),
                story: "n".into(),
                noise: true,
            },
            GoldArticle {
                line: 3,
                id: "4".into(),
                story: "s".into(),
                noise: false,
            },
        ];
        let pred: HashMap<String, String> = [("1", "e"), ("2", "e"), ("3", "e")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        let s = score(&gold, &pred, true);
        assert_eq!((s.articles, s.missing), (3, 1));
        assert!((s.pair_p - 1.0).abs() < 1e-12 && (s.pair_r - 1.0 / 3.0).abs() < 1e-12);
    }
}
