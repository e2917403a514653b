//! Scoring citations against gold judgements of which articles report a sentence.
//!
//! The gold (`annotations/citations/README.md` in the repository) gives, for sentences of dev
//! clusters, every other article of the cluster that reports the sentence's main claim
//! (`full`) or only part of it (`partial`). A system cites a set of articles for each
//! sentence. Over all sentences (micro-averaged):
//! - **precision** = cited articles the gold marks `full` / cited articles;
//! - **lenient precision** counts `partial` as right too;
//! - **recall** = cited `full` articles / gold `full` articles.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::jsonl::{JsonlError, read_jsonl};

/// How much of a sentence an article reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// The main claim, with numbers, actor and polarity agreeing.
    Full,
    /// Some of it, or the claim with another number, actor or polarity.
    Partial,
}

/// One article's support of a gold sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// How much it reports.
    pub label: Label,
    /// Code-point offsets of the evidence in the article's text.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
}

/// A judged sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldSentence {
    /// Its number in the cluster.
    pub k: usize,
    /// The document it comes from.
    pub doc: String,
    /// Code-point offsets in the document's text.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// The other articles that report it (every article not listed does not).
    #[serde(default)]
    pub support: BTreeMap<String, Evidence>,
}

/// One cluster's judged sentences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CitationGold {
    /// The data file of the cluster, relative to the data folder.
    pub dataset: String,
    /// The cluster id.
    pub cluster: String,
    /// Its judged sentences.
    pub sentences: Vec<GoldSentence>,
}

impl GoldSentence {
    /// The articles that report the sentence's main claim.
    pub fn full(&self) -> impl Iterator<Item = &str> {
        self.support
            .iter()
            .filter(|(_, e)| e.label == Label::Full)
            .map(|(d, _)| d.as_str())
    }

    /// The sentence's text in its document's `text`.
    pub fn text<'a>(&self, doc_text: &'a str) -> &'a str {
        let at = |cp: usize| {
            doc_text
                .char_indices()
                .nth(cp)
                .map_or(doc_text.len(), |(b, _)| b)
        };
        let (s, e) = (at(self.start), at(self.end));
        doc_text.get(s..e).unwrap_or("")
    }
}

/// Which of some sentences (index, text) is the gold sentence `want`: the one most like it
/// by shared words (Dice), if it holds at least half of them.
pub fn best_matching<'a>(
    sentences: impl IntoIterator<Item = (usize, &'a str)>,
    want: &str,
) -> Option<usize> {
    let words = |t: &str| -> Vec<String> {
        t.split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    };
    let want = words(want);
    // Dice over words, so that a longer sentence holding the gold one does not win.
    sentences
        .into_iter()
        .filter_map(|(i, text)| {
            let have = words(text);
            let shared = have.iter().filter(|w| want.contains(w)).count();
            (shared * 2 >= want.len().max(1))
                .then(|| ((2000 * shared) / (have.len() + want.len()).max(1), i))
        })
        .max_by_key(|&(dice, i)| (dice, std::cmp::Reverse(i)))
        .map(|(_, i)| i)
}

/// Counts of citations against the gold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CitationCounts {
    /// Sentences scored.
    pub sentences: usize,
    /// Articles cited (the sentence's own article left out).
    pub cited: usize,
    /// Cited articles the gold marks `full`.
    pub full: usize,
    /// Cited articles the gold marks `partial`.
    pub partial: usize,
    /// Articles the gold marks `full`.
    pub gold_full: usize,
}

impl CitationCounts {
    /// Cited `full` / cited (1 when nothing is cited).
    pub fn precision(&self) -> f64 {
        ratio(self.full, self.cited)
    }

    /// Cited `full` or `partial` / cited.
    pub fn lenient_precision(&self) -> f64 {
        ratio(self.full + self.partial, self.cited)
    }

    /// Cited `full` / gold `full` (1 when the gold has none).
    pub fn recall(&self) -> f64 {
        ratio(self.full, self.gold_full)
    }

    /// Adds another count.
    pub fn add(&mut self, o: &CitationCounts) {
        self.sentences += o.sentences;
        self.cited += o.cited;
        self.full += o.full;
        self.partial += o.partial;
        self.gold_full += o.gold_full;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Scores the articles cited for one gold sentence (its own article is ignored).
pub fn score(gold: &GoldSentence, cited: &[String]) -> CitationCounts {
    let mut c = CitationCounts {
        sentences: 1,
        gold_full: gold.full().count(),
        ..CitationCounts::default()
    };
    let mut seen: Vec<&str> = Vec::new();
    for a in cited {
        if *a == gold.doc || seen.contains(&a.as_str()) {
            continue;
        }
        seen.push(a);
        c.cited += 1;
        match gold.support.get(a).map(|e| e.label) {
            Some(Label::Full) => c.full += 1,
            Some(Label::Partial) => c.partial += 1,
            None => {}
        }
    }
    c
}

/// Why the gold could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CitationGoldError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not a cluster of judged sentences.
    #[error("{path}:{line}: {source}")]
    Json {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// The cause.
        source: serde_json::Error,
    },
}

impl From<JsonlError> for CitationGoldError {
    fn from(e: JsonlError) -> Self {
        match e {
            JsonlError::Io { path, source } => CitationGoldError::Io {
                path: path.display().to_string(),
                source,
            },
            JsonlError::Json { path, line, source } => CitationGoldError::Json {
                path: path.display().to_string(),
                line,
                source,
            },
        }
    }
}

/// Reads a gold file (one cluster per line).
pub fn read_gold(path: &Path) -> Result<Vec<CitationGold>, CitationGoldError> {
    Ok(read_jsonl(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold() -> GoldSentence {
        let mut support = BTreeMap::new();
        support.insert(
            "b".to_string(),
            Evidence {
                label: Label::Full,
                start: 0,
                end: 5,
            },
        );
        support.insert(
            "c".to_string(),
            Evidence {
                label: Label::Partial,
                start: 0,
                end: 5,
            },
        );
        support.insert(
            "d".to_string(),
            Evidence {
                label: Label::Full,
                start: 0,
                end: 5,
            },
        );
        GoldSentence {
            k: 1,
            doc: "a".into(),
            start: 0,
            end: 10,
            support,
        }
    }

    #[test]
    fn a_partial_citation_is_wrong_but_lenient_precision_counts_it() {
        let c = score(&gold(), &["a".into(), "b".into(), "c".into(), "e".into()]);
        assert_eq!((c.cited, c.full, c.partial, c.gold_full), (3, 1, 1, 2));
        assert!((c.precision() - 1.0 / 3.0).abs() < 1e-9);
        assert!((c.lenient_precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.recall() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn the_sentence_text_is_cut_by_code_points() {
        let g = GoldSentence {
            k: 1,
            doc: "a".into(),
            start: 2,
            end: 5,
            support: BTreeMap::new(),
        };
        assert_eq!(g.text("é été fin"), "été");
    }
}
