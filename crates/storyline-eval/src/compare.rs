//! Scoring a source comparison against hand annotations.
//!
//! Gold and prediction share one format (`annotations/compare/README.md` in the repository):
//! one JSON object per cluster with its quotes (character spans, speaker, statement id),
//! figures (character spans, quantity id), quantities (with a conflict flag) and name
//! variant groups. Offsets are Unicode code points into each document's raw `text`.
//!
//! What is measured, per cluster and over all clusters (micro-averaged):
//! - **Quotes**: a predicted quote matches a gold quote of the same document when the spans
//!   overlap by at least half of the shorter one (one-to-one, largest overlap first);
//!   precision and recall of detection.
//! - **Speakers** over matched quotes: a speaker is right when it names the gold person
//!   (same last word, case and accents ignored; a gold speaker of several people accepts any
//!   of them). Precision = right / quotes the system attributed (a speaker given where the
//!   gold has none is wrong); recall = right / matched quotes whose gold has a speaker.
//! - **Statements**: pairwise precision and recall, over pairs of matched quotes in
//!   different documents, of "these report the same utterance".
//! - **Figures**: detection by span overlap (any overlap, one-to-one); **quantity grouping**
//!   as pairwise precision and recall over matched figures in different documents;
//!   **conflicts**: a predicted conflict is right when most of its matched figures belong to
//!   one gold quantity marked as a conflict; recall over gold conflicts.
//! - **Agreement verdicts** (where the gold gives one: `"agreement"` on a quantity with
//!   figures in two documents or more): the gold quantity is judged when the predicted
//!   quantity holding most of its matched figures holds them in two documents or more; the
//!   verdict is right when it is the gold one (consistent, updated or conflict). Precision
//!   = right / judged; recall = right / gold quantities with a verdict.
//! - **Name variants**: precision and recall over pairs of spellings (lowercased) put in one
//!   group.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::jsonl::{JsonlError, read_jsonl};

/// One cluster's annotations (gold or predicted).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterAnnotation {
    /// The data file the cluster comes from, relative to the data folder.
    #[serde(default)]
    pub dataset: String,
    /// The cluster id.
    pub cluster: String,
    /// The documents annotated (others are ignored on both sides).
    #[serde(default)]
    pub docs_annotated: Vec<String>,
    /// Direct quotes.
    #[serde(default)]
    pub quotes: Vec<QuoteSpan>,
    /// Numbers.
    #[serde(default)]
    pub figures: Vec<FigureSpan>,
    /// Quantities the figures belong to.
    #[serde(default)]
    pub quantities: Vec<QuantityLabel>,
    /// Name variant groups.
    #[serde(default)]
    pub names: Vec<NameGroup>,
}

/// A quote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteSpan {
    /// Document id.
    pub doc: String,
    /// First code point of the quoted words.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Canonical speaker, `""` when unknown.
    #[serde(default)]
    pub speaker: String,
    /// Statement id: equal ids report the same utterance.
    pub statement: String,
}

/// A figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureSpan {
    /// Document id.
    pub doc: String,
    /// First code point.
    pub start: usize,
    /// One past the last.
    pub end: usize,
    /// Quantity id.
    pub quantity: String,
}

/// A quantity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantityLabel {
    /// Its id.
    pub id: String,
    /// What it counts, in words.
    #[serde(default)]
    pub what: String,
    /// Two of its figures cannot both be true.
    pub conflict: bool,
    /// How its figures relate: `consistent`, `updated` (the count changed over time) or
    /// `conflict`; optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<String>,
}

/// Spellings of one name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameGroup {
    /// The canonical spelling.
    pub canonical: String,
    /// Every spelling.
    pub variants: Vec<String>,
}

/// Counts behind a precision/recall pair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Predicted items that are right.
    pub right: usize,
    /// Predicted items.
    pub predicted: usize,
    /// Gold items found.
    pub found: usize,
    /// Gold items.
    pub gold: usize,
}

impl Counts {
    /// Precision (1 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            1.0
        } else {
            self.right as f64 / self.predicted as f64
        }
    }
    /// Recall (1 when there is nothing to find).
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            1.0
        } else {
            self.found as f64 / self.gold as f64
        }
    }
    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    fn add(&mut self, o: &Counts) {
        self.right += o.right;
        self.predicted += o.predicted;
        self.found += o.found;
        self.gold += o.gold;
    }
}

/// Scores of one cluster or of all.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CompareScores {
    /// Quote detection.
    pub quotes: Counts,
    /// Speakers of matched quotes.
    pub speakers: Counts,
    /// Same-statement pairs across documents.
    pub statements: Counts,
    /// Figure detection.
    pub figures: Counts,
    /// Same-quantity pairs across documents.
    pub quantities: Counts,
    /// Conflicts.
    pub conflicts: Counts,
    /// Agreement verdicts of quantities (where the gold gives them).
    pub agreements: Counts,
    /// Pairs of spellings of one name.
    pub names: Counts,
}

impl CompareScores {
    /// Adds another cluster's counts.
    pub fn add(&mut self, o: &CompareScores) {
        self.quotes.add(&o.quotes);
        self.speakers.add(&o.speakers);
        self.statements.add(&o.statements);
        self.figures.add(&o.figures);
        self.quantities.add(&o.quantities);
        self.conflicts.add(&o.conflicts);
        self.agreements.add(&o.agreements);
        self.names.add(&o.names);
    }
}

/// Why annotations could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AnnotationError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is not an annotation.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl From<JsonlError> for AnnotationError {
    fn from(e: JsonlError) -> Self {
        match e {
            JsonlError::Io { path, source } => AnnotationError::Io {
                path: path.display().to_string(),
                source,
            },
            JsonlError::Json { path, line, source } => AnnotationError::Parse {
                path: path.display().to_string(),
                line,
                message: source.to_string(),
            },
        }
    }
}

/// Reads an annotations JSONL file.
pub fn read_annotations(path: &Path) -> Result<Vec<ClusterAnnotation>, AnnotationError> {
    Ok(read_jsonl(path)?)
}

fn overlap(a: (usize, usize), b: (usize, usize)) -> usize {
    a.1.min(b.1).saturating_sub(a.0.max(b.0))
}

/// One-to-one matching of spans in the same document, largest overlap first. `min_share`
/// is the overlap needed, as a share of the shorter span. Returns gold index per prediction.
fn match_spans(
    gold: &[(&str, usize, usize)],
    pred: &[(&str, usize, usize)],
    min_share: f64,
) -> Vec<Option<usize>> {
    let mut cands: Vec<(usize, usize, usize)> = Vec::new();
    for (pi, p) in pred.iter().enumerate() {
        for (gi, g) in gold.iter().enumerate() {
            if p.0 != g.0 {
                continue;
            }
            let o = overlap((p.1, p.2), (g.1, g.2));
            let shorter = (p.2 - p.1).min(g.2 - g.1).max(1);
            if o > 0 && o as f64 >= min_share * shorter as f64 {
                cands.push((o, pi, gi));
            }
        }
    }
    cands.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out = vec![None; pred.len()];
    let mut used = vec![false; gold.len()];
    for (_, pi, gi) in cands {
        if out[pi].is_none() && !used[gi] {
            out[pi] = Some(gi);
            used[gi] = true;
        }
    }
    out
}

/// Lowercase words, accents and punctuation dropped.
fn name_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .flat_map(char::to_lowercase)
                .filter(|c| c.is_ascii_alphanumeric() || !c.is_ascii())
                .collect()
        })
        .collect()
}

/// Does the predicted speaker name the gold one? (Same last word; a gold speaker of several
/// people, "A and B", accepts a last word of any of them.)
fn same_speaker(gold: &str, pred: &str) -> bool {
    let p = name_words(pred);
    let Some(last) = p.last() else { return false };
    let g = name_words(gold);
    if g.is_empty() {
        return false;
    }
    if g.last() == Some(last) || g == p {
        return true;
    }
    gold.split(" and ")
        .any(|part| name_words(part).last() == Some(last))
}

/// Pairwise precision/recall of "same group" over matched items in different documents.
fn pair_counts(docs: &[&str], gold_group: &[&str], pred_group: &[&str]) -> Counts {
    let mut c = Counts::default();
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            if docs[i] == docs[j] {
                continue;
            }
            let g = gold_group[i] == gold_group[j];
            let p = pred_group[i] == pred_group[j];
            c.predicted += usize::from(p);
            c.gold += usize::from(g);
            c.right += usize::from(p && g);
            c.found += usize::from(p && g);
        }
    }
    c
}

/// Matches predicted items to gold ones by span (see [`match_spans`]): the (prediction,
/// gold) index pairs, and the detection counts.
fn matched_pairs<'a, T>(
    gold: &[&'a T],
    pred: &[&'a T],
    span: impl Fn(&'a T) -> (&'a str, usize, usize),
    min_share: f64,
) -> (Vec<(usize, usize)>, Counts) {
    let g: Vec<_> = gold.iter().map(|x| span(x)).collect();
    let p: Vec<_> = pred.iter().map(|x| span(x)).collect();
    let matched: Vec<(usize, usize)> = match_spans(&g, &p, min_share)
        .iter()
        .enumerate()
        .filter_map(|(pi, g)| g.map(|gi| (pi, gi)))
        .collect();
    let counts = Counts {
        right: matched.len(),
        predicted: pred.len(),
        found: matched.len(),
        gold: gold.len(),
    };
    (matched, counts)
}

/// Scores one cluster's prediction against its gold.
pub fn score(gold: &ClusterAnnotation, pred: &ClusterAnnotation) -> CompareScores {
    let in_scope =
        |d: &str| gold.docs_annotated.is_empty() || gold.docs_annotated.iter().any(|x| x == d);
    let mut s = CompareScores::default();

    // Quotes.
    let gq: Vec<&QuoteSpan> = gold.quotes.iter().collect();
    let pq: Vec<&QuoteSpan> = pred.quotes.iter().filter(|q| in_scope(&q.doc)).collect();
    let (matched, counts) = matched_pairs(&gq, &pq, |q| (q.doc.as_str(), q.start, q.end), 0.5);
    s.quotes = counts;
    for &(pi, gi) in &matched {
        let (g, p) = (&gq[gi].speaker, &pq[pi].speaker);
        let right = !g.is_empty() && !p.is_empty() && same_speaker(g, p);
        s.speakers.predicted += usize::from(!p.is_empty());
        s.speakers.gold += usize::from(!g.is_empty());
        s.speakers.right += usize::from(right);
        s.speakers.found += usize::from(right);
    }
    let docs: Vec<&str> = matched.iter().map(|&(_, gi)| gq[gi].doc.as_str()).collect();
    let gs: Vec<&str> = matched
        .iter()
        .map(|&(_, gi)| gq[gi].statement.as_str())
        .collect();
    let ps: Vec<&str> = matched
        .iter()
        .map(|&(pi, _)| pq[pi].statement.as_str())
        .collect();
    s.statements = pair_counts(&docs, &gs, &ps);

    // Figures.
    let gf: Vec<&FigureSpan> = gold.figures.iter().collect();
    let pf: Vec<&FigureSpan> = pred.figures.iter().filter(|f| in_scope(&f.doc)).collect();
    let (matched, counts) = matched_pairs(&gf, &pf, |f| (f.doc.as_str(), f.start, f.end), 0.0);
    s.figures = counts;
    let docs: Vec<&str> = matched.iter().map(|&(_, gi)| gf[gi].doc.as_str()).collect();
    let gg: Vec<&str> = matched
        .iter()
        .map(|&(_, gi)| gf[gi].quantity.as_str())
        .collect();
    let pg: Vec<&str> = matched
        .iter()
        .map(|&(pi, _)| pf[pi].quantity.as_str())
        .collect();
    s.quantities = pair_counts(&docs, &gg, &pg);

    // Conflicts.
    let gold_conflict: HashSet<&str> = gold
        .quantities
        .iter()
        .filter(|q| q.conflict)
        .map(|q| q.id.as_str())
        .collect();
    let mut found: HashSet<&str> = HashSet::new();
    for q in pred.quantities.iter().filter(|q| q.conflict) {
        // The gold quantities of this quantity's matched figures.
        let mut votes: HashMap<&str, usize> = HashMap::new();
        let mut n = 0;
        for &(pi, gi) in &matched {
            if pf[pi].quantity == q.id {
                *votes.entry(gf[gi].quantity.as_str()).or_default() += 1;
                n += 1;
            }
        }
        s.conflicts.predicted += 1;
        if let Some((best, k)) = votes.into_iter().max_by_key(|x| x.1)
            && gold_conflict.contains(best)
            && k * 2 > n
        {
            s.conflicts.right += 1;
            found.insert(best);
        }
    }
    s.conflicts.gold = gold_conflict.len();
    s.conflicts.found = found.len();
    s.agreements = agreement_counts(gold, pred, &gf, &pf, &matched);

    // Names.
    let pairs = |groups: &[NameGroup]| -> HashSet<(String, String)> {
        let mut out = HashSet::new();
        for g in groups {
            let vs: Vec<String> = g.variants.iter().map(|v| v.to_lowercase()).collect();
            for i in 0..vs.len() {
                for j in 0..vs.len() {
                    if vs[i] < vs[j] {
                        out.insert((vs[i].clone(), vs[j].clone()));
                    }
                }
            }
        }
        out
    };
    let (gp, pp) = (pairs(&gold.names), pairs(&pred.names));
    let right = pp.intersection(&gp).count();
    s.names = Counts {
        right,
        predicted: pp.len(),
        found: right,
        gold: gp.len(),
    };
    s
}

/// Agreement verdicts of the gold quantities that carry one (see the module documentation).
fn agreement_counts(
    gold: &ClusterAnnotation,
    pred: &ClusterAnnotation,
    gf: &[&FigureSpan],
    pf: &[&FigureSpan],
    matched: &[(usize, usize)],
) -> Counts {
    let mut c = Counts::default();
    let docs_of = |fs: &mut dyn Iterator<Item = &str>| fs.collect::<HashSet<&str>>().len();
    for q in &gold.quantities {
        let Some(verdict) = q.agreement.as_deref() else {
            continue;
        };
        if docs_of(
            &mut gf
                .iter()
                .filter(|f| f.quantity == q.id)
                .map(|f| f.doc.as_str()),
        ) < 2
        {
            continue;
        }
        c.gold += 1;
        // The predicted quantity holding most of this one's matched figures.
        let mut votes: HashMap<&str, usize> = HashMap::new();
        for &(pi, gi) in matched {
            if gf[gi].quantity == q.id {
                *votes.entry(pf[pi].quantity.as_str()).or_default() += 1;
            }
        }
        let Some(best) = votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|x| x.0)
        else {
            continue;
        };
        let held = docs_of(
            &mut matched
                .iter()
                .filter(|&&(pi, gi)| gf[gi].quantity == q.id && pf[pi].quantity == best)
                .map(|&(_, gi)| gf[gi].doc.as_str()),
        );
        if held < 2 {
            continue;
        }
        c.predicted += 1;
        let said = pred
            .quantities
            .iter()
            .find(|p| p.id == best)
            .and_then(|p| p.agreement.as_deref());
        if said == Some(verdict) {
            c.right += 1;
            c.found += 1;
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(doc: &str, start: usize, end: usize, speaker: &str, statement: &str) -> QuoteSpan {
        QuoteSpan {
            doc: doc.into(),
            start,
            end,
            speaker: speaker.into(),
            statement: statement.into(),
        }
    }

    fn quantity(id: &str, conflict: bool, agreement: Option<&str>) -> QuantityLabel {
        QuantityLabel {
            id: id.into(),
            what: String::new(),
            conflict,
            agreement: agreement.map(Into::into),
        }
    }

    fn f(doc: &str, start: usize, end: usize, quantity: &str) -> FigureSpan {
        FigureSpan {
            doc: doc.into(),
            start,
            end,
            quantity: quantity.into(),
        }
    }

    #[test]
    fn quotes_speakers_and_statements() {
        let gold = ClusterAnnotation {
            cluster: "c".into(),
            quotes: vec![
                q("a", 0, 20, "Dana Whitfield", "s1"),
                q("b", 5, 25, "Dana Whitfield", "s1"),
                q("b", 40, 60, "Maria Petrova", "s2"),
                q("a", 70, 80, "", "s3"),
            ],
            ..Default::default()
        };
        let pred = ClusterAnnotation {
            cluster: "c".into(),
            quotes: vec![
                q("a", 2, 20, "Whitfield", "x"),       // matches s1/a, right speaker
                q("b", 5, 25, "Dana Whitfield", "x"),  // matches s1/b, same statement
                q("b", 40, 50, "Sergey Volkov", "y"),  // matches s2, wrong speaker
                q("a", 70, 80, "Dana Whitfield", "z"), // matches s3: a speaker where gold has none
                q("c", 0, 10, "", "w"),                // no gold
            ],
            ..Default::default()
        };
        let s = score(&gold, &pred);
        assert_eq!(
            (s.quotes.right, s.quotes.predicted, s.quotes.gold),
            (4, 5, 4)
        );
        assert_eq!(
            (s.speakers.right, s.speakers.predicted, s.speakers.gold),
            (2, 4, 3)
        );
        // Cross-document pairs among matched quotes: (a0,b5) same/same, (a0,b40), (b5,a70), (b40,a70) different.
        assert_eq!(
            (
                s.statements.right,
                s.statements.predicted,
                s.statements.gold
            ),
            (1, 1, 1)
        );
    }

    #[test]
    fn figures_quantities_and_conflicts() {
        let gold = ClusterAnnotation {
            cluster: "c".into(),
            figures: vec![
                f("a", 0, 5, "dead"),
                f("b", 0, 5, "dead"),
                f("b", 10, 15, "hurt"),
                f("c", 0, 5, "hurt"),
            ],
            quantities: vec![
                quantity("dead", true, Some("conflict")),
                quantity("hurt", false, Some("consistent")),
            ],
            ..Default::default()
        };
        let pred = ClusterAnnotation {
            cluster: "c".into(),
            figures: vec![
                f("a", 1, 4, "1"),
                f("b", 0, 5, "1"),
                f("b", 10, 15, "2"),
                f("c", 2, 3, "3"),
                f("c", 30, 35, "3"),
            ],
            quantities: vec![
                quantity("1", true, Some("conflict")),
                quantity("2", true, Some("conflict")),
                quantity("3", false, Some("consistent")),
            ],
            ..Default::default()
        };
        let s = score(&gold, &pred);
        assert_eq!(
            (s.figures.right, s.figures.predicted, s.figures.gold),
            (4, 5, 4)
        );
        // Pairs: (a,b) dead/1 both same; (b10,c) hurt same but predicted 2 vs 3.
        assert_eq!(
            (
                s.quantities.right,
                s.quantities.predicted,
                s.quantities.gold
            ),
            (1, 1, 2)
        );
        assert_eq!(
            (
                s.conflicts.right,
                s.conflicts.predicted,
                s.conflicts.found,
                s.conflicts.gold
            ),
            (1, 2, 1, 1)
        );
        // Verdicts: "dead" is held by "1" in two documents and both say conflict; "hurt"
        // is split, so not judged.
        assert_eq!(rpg(&s.agreements), (1, 1, 2));
    }

    /// A cluster of figures and quantities.
    fn figured(figures: Vec<FigureSpan>, quantities: Vec<QuantityLabel>) -> ClusterAnnotation {
        ClusterAnnotation {
            cluster: "c".into(),
            figures,
            quantities,
            ..Default::default()
        }
    }

    /// Right, predicted and gold.
    fn rpg(c: &Counts) -> (usize, usize, usize) {
        (c.right, c.predicted, c.gold)
    }

    #[test]
    fn a_wrong_verdict_counts_against_precision_and_a_missing_one_is_skipped() {
        let gold = figured(
            vec![
                f("a", 0, 5, "toll"),
                f("b", 0, 5, "toll"),
                f("a", 9, 12, "age"),
            ],
            vec![
                quantity("toll", false, Some("updated")),
                quantity("age", false, None),
            ],
        );
        let pred = figured(
            vec![f("a", 0, 5, "q"), f("b", 0, 5, "q")],
            vec![quantity("q", true, Some("conflict"))],
        );
        assert_eq!(rpg(&score(&gold, &pred).agreements), (0, 1, 1));
    }

    #[test]
    fn name_pairs() {
        let g = |vs: &[&str]| NameGroup {
            canonical: vs[0].into(),
            variants: vs.iter().map(|v| v.to_string()).collect(),
        };
        let gold = ClusterAnnotation {
            cluster: "c".into(),
            names: vec![g(&["Beit Shaykhum", "Beit Sheikhum", "Beit Sheikhoum"])],
            ..Default::default()
        };
        let pred = ClusterAnnotation {
            cluster: "c".into(),
            names: vec![
                g(&["Beit Sheikhum", "Beit Sheikhoum"]),
                g(&["Russia", "Russian"]),
            ],
            ..Default::default()
        };
        let s = score(&gold, &pred);
        assert_eq!((s.names.right, s.names.predicted, s.names.gold), (1, 2, 3));
    }
}
