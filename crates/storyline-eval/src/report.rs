//! Scoring a system's summaries (JSONL) against gold clusters (JSONL).
//!
//! * Gold: one cluster per line, `{"id": ..., "summaries": [str, ...], ...}`. Lines without
//!   summaries (missing, `null`, or only blank strings) are skipped; blank summaries are dropped.
//! * System: one summary per line, `{"id": ..., "summary": str, "sentences": [...]?}` where
//!   `sentences` holds strings or objects with a `"text"` field. Without `sentences`, the
//!   summary is split by [`reference_sentences`].
//!
//! Sentences become ROUGE units as the project's `score.py` writes them into SEE files
//! ([`see_units`]), so the numbers here are those of `score.py` running ROUGE-1.5.5
//! (models = all references of the cluster; a gold cluster without system summary is scored
//! as an empty summary and listed in `missing`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::jsonl::{JsonlError, parse_jsonl};
use crate::rouge::{
    Bootstrap, ByMetric, ConfigError, PrfInterval, Rouge, RougeConfig, RougeScores, average,
    bootstrap,
};
use crate::rouge_score::{RougeScore, RougeScoreScores};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
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
        /// The file (or the name given to [`parse_gold`] / [`parse_system`]).
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The ROUGE configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

/// One gold cluster: its id and its non-blank reference summaries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoldTopic {
    /// Cluster id.
    pub id: String,
    /// Reference summaries (raw text).
    pub summaries: Vec<String>,
}

/// One system summary, as sentences.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SystemSummary {
    /// Cluster id.
    pub id: String,
    /// Sentences in order.
    pub sentences: Vec<String>,
}

/// Splits a summary text into sentences: lines first, then Storyline's sentence segmenter
/// (as `score.py` splits on newlines, then with NLTK Punkt).
///
/// The single place where unsegmented text (reference summaries, and system summaries that
/// come without `sentences`) is cut into sentences, i.e. into ROUGE-L units. ROUGE-N and
/// ROUGE-SU do not depend on it.
pub fn reference_sentences(text: &str) -> Vec<String> {
    storyline_text::sentence_strs(text)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// Python's `str.isspace` (what `str.split()` splits on): Unicode White_Space plus the
/// ASCII information separators U+001C..U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The ROUGE units `score.py` writes for these sentences: `<` replaced by a space (ROUGE's
/// SEE reader would stop the unit there), whitespace runs collapsed to one space and trimmed
/// (`" ".join(s.split())`), empty sentences dropped.
pub fn see_units<S: AsRef<str>>(sentences: &[S]) -> Vec<String> {
    sentences
        .iter()
        .filter_map(|s| {
            let unit = s
                .as_ref()
                .replace('<', " ")
                .split(is_python_space)
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (!unit.is_empty()).then_some(unit)
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Text(String),
    Int(i64),
    UInt(u64),
}

impl Id {
    fn into_string(self) -> String {
        match self {
            Id::Text(s) => s,
            Id::Int(i) => i.to_string(),
            Id::UInt(u) => u.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct GoldLine {
    id: Id,
    #[serde(default)]
    summaries: Option<Vec<Option<String>>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum SentenceItem {
    Text(String),
    Object { text: String },
}

#[derive(Deserialize)]
struct SystemLine {
    id: Id,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    sentences: Option<Vec<SentenceItem>>,
}

impl From<JsonlError> for ReportError {
    fn from(e: JsonlError) -> Self {
        match e {
            JsonlError::Io { path, source } => ReportError::Io { path, source },
            JsonlError::Json { path, line, source } => ReportError::Parse {
                path,
                line,
                message: source.to_string(),
            },
        }
    }
}

fn read(path: &Path) -> Result<String, ReportError> {
    std::fs::read_to_string(path).map_err(|source| ReportError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Parses gold cluster JSONL text (`path` only names it in errors).
pub fn parse_gold(text: &str, path: &Path) -> Result<Vec<GoldTopic>, ReportError> {
    Ok(parse_jsonl::<GoldLine>(text, path)?
        .into_iter()
        .filter_map(|g| {
            let summaries: Vec<String> = g
                .summaries?
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect();
            (!summaries.is_empty()).then(|| GoldTopic {
                id: g.id.into_string(),
                summaries,
            })
        })
        .collect())
}

/// Parses system JSONL text (`path` only names it in errors).
pub fn parse_system(text: &str, path: &Path) -> Result<Vec<SystemSummary>, ReportError> {
    Ok(parse_jsonl::<SystemLine>(text, path)?
        .into_iter()
        .map(|s| SystemSummary {
            id: s.id.into_string(),
            sentences: match s.sentences {
                Some(items) => items
                    .into_iter()
                    .map(|item| match item {
                        SentenceItem::Text(t) | SentenceItem::Object { text: t } => t,
                    })
                    .collect(),
                None => reference_sentences(s.summary.as_deref().unwrap_or("")),
            },
        })
        .collect())
}

/// Reads a gold cluster JSONL file.
pub fn read_gold(path: &Path) -> Result<Vec<GoldTopic>, ReportError> {
    parse_gold(&read(path)?, path)
}

/// Reads a system JSONL file.
pub fn read_system(path: &Path) -> Result<Vec<SystemSummary>, ReportError> {
    parse_system(&read(path)?, path)
}

/// Options of the `rouge-score` (Google) flavour in a report.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RougeScoreOptions {
    /// `use_stemmer` (what Multi-News papers use).
    pub stem: bool,
}

/// What a report computes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// ROUGE-1.5.5 configuration.
    pub rouge: RougeConfig,
    /// Also compute `rouge-score`'s rouge1/2/L/Lsum.
    pub rouge_score: Option<RougeScoreOptions>,
    /// Bootstrap intervals of the ROUGE-1.5.5 averages.
    pub bootstrap: Option<Bootstrap>,
}

impl Default for ReportOptions {
    /// ROUGE-1.5.5 defaults ([`RougeConfig::default`]) with stemming, 1000-sample bootstrap,
    /// and stemmed `rouge-score`.
    fn default() -> Self {
        ReportOptions {
            rouge: RougeConfig {
                stem: true,
                ..RougeConfig::default()
            },
            rouge_score: Some(RougeScoreOptions { stem: true }),
            bootstrap: Some(Bootstrap::default()),
        }
    }
}

/// Scores of one cluster.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TopicReport {
    /// Cluster id.
    pub id: String,
    /// ROUGE-1.5.5 scores.
    pub rouge: RougeScores,
    /// `rouge-score` scores, when requested.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rouge_score: Option<RougeScoreScores>,
}

/// Per-cluster and average scores of one system.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RougeReport {
    /// The equivalent ROUGE-1.5.5 command-line options.
    pub rouge155_options: String,
    /// The options used.
    pub options: ReportOptions,
    /// Number of gold clusters scored.
    pub topics: usize,
    /// Gold clusters the system has no summary for (scored as empty summaries).
    pub missing: Vec<String>,
    /// System ids that are not gold clusters (ignored).
    pub unknown: Vec<String>,
    /// Mean ROUGE-1.5.5 scores over clusters.
    pub average: RougeScores,
    /// Bootstrap estimates of the means, when requested.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub bootstrap: Option<ByMetric<PrfInterval>>,
    /// Mean `rouge-score` scores over clusters, when requested.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rouge_score_average: Option<RougeScoreScores>,
    /// Scores per cluster, in gold order.
    pub per_topic: Vec<TopicReport>,
}

/// Scores `system` against `gold`, references split by [`reference_sentences`].
pub fn evaluate(
    gold: &[GoldTopic],
    system: &[SystemSummary],
    options: &ReportOptions,
) -> Result<RougeReport, ConfigError> {
    evaluate_with_splitter(gold, system, options, reference_sentences)
}

/// As [`evaluate`], with references cut into sentences (ROUGE-L units) by `split`: for
/// comparisons with a scorer that segmented them its own way.
pub fn evaluate_with_splitter(
    gold: &[GoldTopic],
    system: &[SystemSummary],
    options: &ReportOptions,
    split: fn(&str) -> Vec<String>,
) -> Result<RougeReport, ConfigError> {
    let rouge = Rouge::new(options.rouge)?;
    let google = options.rouge_score.map(|o| RougeScore::new(o.stem));
    // Later lines win, as in score.py's dict.
    let by_id: HashMap<&str, &SystemSummary> = system.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut missing = Vec::new();
    let mut per_topic = Vec::with_capacity(gold.len());
    for topic in gold {
        let references: Vec<Vec<String>> = topic
            .summaries
            .iter()
            .map(|s| see_units(&split(s)))
            .collect();
        let models: Vec<_> = references.iter().map(|r| rouge.analyze(r)).collect();
        let peer_units = match by_id.get(topic.id.as_str()) {
            Some(s) => see_units(&s.sentences),
            None => {
                missing.push(topic.id.clone());
                Vec::new()
            }
        };
        let scores = rouge.score(&rouge.analyze(&peer_units), &rouge.references(&models));
        let rouge_score = google.as_ref().map(|g| {
            let refs: Vec<String> = references.iter().map(|r| r.join("\n")).collect();
            // As rouge.py --truncate-words N: the system summary is cut, references are not.
            let peer = match options.rouge.limit {
                Some(crate::rouge::Limit::Words(n)) if n > 0 => truncate_words(&peer_units, n),
                _ => peer_units.clone(),
            };
            g.score(&peer.join("\n"), &refs)
        });
        per_topic.push(TopicReport {
            id: topic.id.clone(),
            rouge: scores,
            rouge_score,
        });
    }
    let gold_ids: std::collections::HashSet<&str> = gold.iter().map(|g| g.id.as_str()).collect();
    let mut seen = std::collections::HashSet::new();
    let unknown: Vec<String> = system
        .iter()
        .filter(|s| !gold_ids.contains(s.id.as_str()) && seen.insert(s.id.as_str()))
        .map(|s| s.id.clone())
        .collect();
    let all: Vec<RougeScores> = per_topic.iter().map(|t| t.rouge.clone()).collect();
    let rouge_score_average = google.map(|_| {
        let scores: Vec<RougeScoreScores> =
            per_topic.iter().filter_map(|t| t.rouge_score).collect();
        RougeScoreScores::mean(&scores)
    });
    Ok(RougeReport {
        rouge155_options: options.rouge.rouge155_options(),
        options: *options,
        topics: gold.len(),
        missing,
        unknown,
        average: average(&all),
        bootstrap: options.bootstrap.map(|b| bootstrap(&all, &b)),
        rouge_score_average,
        per_topic,
    })
}

/// The first `n` whitespace-separated words of a list of sentences, sentence boundaries kept.
fn truncate_words(sentences: &[String], n: usize) -> Vec<String> {
    let mut left = n;
    let mut out = Vec::new();
    for s in sentences {
        if left == 0 {
            break;
        }
        let words: Vec<&str> = s.split_whitespace().collect();
        let take = words.len().min(left);
        out.push(words[..take].join(" "));
        left -= take;
    }
    out
}

/// Reads both files and scores them ([`read_gold`], [`read_system`], [`evaluate`]).
pub fn evaluate_files(
    gold: &Path,
    system: &Path,
    options: &ReportOptions,
) -> Result<RougeReport, ReportError> {
    let gold = read_gold(gold)?;
    let system = read_system(system)?;
    Ok(evaluate(&gold, &system, options)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_lines_without_summaries_are_skipped() {
        let text = r#"{"id":"a","summaries":["One.\nTwo."]}

{"id":"b"}
{"id":"c","summaries":[]}
{"id":"d","summaries":["  ", null]}
{"id":7,"summaries":["x", ""]}"#;
        let gold = parse_gold(text, Path::new("gold.jsonl")).expect("valid");
        let ids: Vec<&str> = gold.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["a", "7"]);
        assert_eq!(gold[1].summaries, ["x"]);
    }

    #[test]
    fn malformed_line_is_reported_with_its_number() {
        let text = "{\"id\":\"a\",\"summaries\":[\"x\"]}\n{\"id\": \"b\", \"summaries\": [\n";
        match parse_gold(text, Path::new("gold.jsonl")) {
            Err(ReportError::Parse { line, path, .. }) => {
                assert_eq!(line, 2);
                assert_eq!(path, Path::new("gold.jsonl"));
            }
            other => panic!("expected a parse error, got {other:?}"),
        }
        let err = parse_system("{\"summary\":\"no id\"}", Path::new("sys.jsonl")).unwrap_err();
        assert!(err.to_string().starts_with("sys.jsonl:1: "), "{err}");
    }

    #[test]
    fn system_sentences_may_be_strings_objects_or_a_split_summary() {
        let text = r#"{"id":"a","summary":"ignored","sentences":["One.","Two."]}
{"id":"b","sentences":[{"text":"One.","score":0.5},{"text":"Two."}]}
{"id":"c","summary":"One.\nTwo."}
{"id":"d"}"#;
        let sys = parse_system(text, Path::new("sys.jsonl")).expect("valid");
        for s in &sys[..3] {
            assert_eq!(s.sentences, ["One.", "Two."], "{}", s.id);
        }
        assert!(sys[3].sentences.is_empty());
    }

    #[test]
    fn see_units_normalise_like_score_py() {
        let units = see_units(&["  a <b>\tc\u{a0}d ", "", " \n ", "x\u{1f}y"]);
        assert_eq!(units, ["a b> c d", "x y"]);
    }

    #[test]
    fn missing_and_unknown_topics_are_listed() {
        let gold = vec![
            GoldTopic {
                id: "t1".into(),
                summaries: vec!["The cat sat on the mat.".into()],
            },
            GoldTopic {
                id: "t2".into(),
                summaries: vec!["Dogs bark.".into()],
            },
        ];
        let system = vec![
            SystemSummary {
                id: "t1".into(),
                sentences: vec!["The cat sat.".into()],
            },
            SystemSummary {
                id: "zz".into(),
                sentences: vec!["Nothing.".into()],
            },
        ];
        let report = evaluate(&gold, &system, &ReportOptions::default()).expect("valid");
        assert_eq!(report.topics, 2);
        assert_eq!(report.missing, ["t2"]);
        assert_eq!(report.unknown, ["zz"]);
        let r1 = report.per_topic[0]
            .rouge
            .get(crate::rouge::Metric::N(1))
            .unwrap_or_default();
        assert_eq!((r1.recall, r1.precision), (0.5, 1.0));
        let json = serde_json::to_string(&report).expect("serializable");
        assert!(json.contains("\"ROUGE-SU4\""), "{json}");
        let back: RougeReport = serde_json::from_str(&json).expect("round trip");
        assert_eq!(back, report);
    }
}
