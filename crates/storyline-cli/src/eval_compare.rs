//! `storyline eval compare`: the source comparison against hand annotations.
//!
//! For each annotated cluster, the cluster's documents are read from the dev data, the
//! comparison runs on the annotated documents, and what it finds is mapped back to
//! character offsets of each document's raw text (the cleaned paragraphs are found in the
//! raw text with whitespace normalized the way cleaning normalizes it), then scored with
//! `storyline_eval::compare`. Every quote's day is also checked against its own article
//! (its date, or a time the article gives): one dated elsewhere makes the run fail.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use storyline::Corpus;
use storyline::compare::{When, figures, name_speakers_as_listed, name_variants, quotes, timeline};
use storyline::ingest::{Limits, read_clusters_jsonl};
use storyline_eval::compare::{
    ClusterAnnotation, CompareScores, Counts, FigureSpan, NameGroup, QuantityLabel, QuoteSpan,
    read_annotations, score,
};

use crate::eval_args::{Format, Gold, GoldArgs};

/// The gold of `eval compare`.
pub struct CompareGold;

impl Gold for CompareGold {
    const ANNOTATIONS: &'static str = "annotations/compare/annotations.jsonl";
    const ANNOTATIONS_HELP: &'static str =
        "The gold annotations (format: annotations/compare/README.md)";
    const DATA_HELP: &'static str =
        "The dev data folder the annotations' `dataset` paths are relative to";
}

#[derive(Args)]
pub struct CompareEvalArgs {
    #[command(flatten)]
    gold: GoldArgs<CompareGold>,
    /// Also write the predictions, in the annotation format, to this file.
    #[arg(long, value_name = "FILE")]
    predictions: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// A document's raw text with whitespace collapsed as cleaning collapses it, and for each
/// byte of the collapsed text the code-point offset in the raw text.
struct Located {
    norm: String,
    raw_char: Vec<usize>,
    /// Code points in the raw text.
    raw_len: usize,
}

impl Located {
    fn new(raw: &str) -> Self {
        let mut norm = String::with_capacity(raw.len());
        let mut raw_char = Vec::with_capacity(raw.len());
        let mut pending = false;
        let mut n = 0;
        for (ci, c) in raw.chars().enumerate() {
            n = ci + 1;
            if c.is_whitespace() {
                pending = true;
                continue;
            }
            if c.is_control()
                || matches!(
                    c,
                    '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
                )
            {
                continue;
            }
            if pending && !norm.is_empty() {
                norm.push(' ');
                raw_char.push(ci.saturating_sub(1));
            }
            pending = false;
            for _ in 0..c.len_utf8() {
                raw_char.push(ci);
            }
            norm.push(c);
        }
        Located {
            norm,
            raw_char,
            raw_len: n,
        }
    }

    /// Byte offset of `para` in the collapsed text, searching from `from` first.
    fn find(&self, para: &str, from: usize) -> Option<usize> {
        let from = from.min(self.norm.len());
        if !self.norm.is_char_boundary(from) {
            return self.norm.find(para);
        }
        self.norm[from..]
            .find(para)
            .map(|k| k + from)
            .or_else(|| self.norm.find(para))
    }

    /// Raw code-point range of a byte range of the collapsed text.
    fn raw_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.raw_char.get(start).copied().unwrap_or(self.raw_len);
        let e = if end == 0 {
            s
        } else {
            self.raw_char.get(end - 1).map_or(self.raw_len, |c| c + 1)
        };
        (s, e.max(s))
    }
}

/// Where each cleaned paragraph of each document sits in its raw text.
struct DocMap {
    located: Located,
    /// Collapsed-text byte offset of each paragraph (`None`: not found).
    paragraphs: Vec<Option<usize>>,
}

fn doc_maps(corpus: &Corpus, raw: &HashMap<String, String>) -> Vec<DocMap> {
    corpus
        .docs
        .iter()
        .map(|d| {
            let located = Located::new(raw.get(&d.id).map_or("", String::as_str));
            let mut cursor = 0;
            let paragraphs = d
                .clean
                .paragraphs
                .iter()
                .map(|p| {
                    let at = located.find(p, cursor);
                    if let Some(a) = at {
                        cursor = a + p.len();
                    }
                    at
                })
                .collect();
            DocMap {
                located,
                paragraphs,
            }
        })
        .collect()
}

/// Runs the comparison on a cluster's annotated documents and expresses it as annotations.
fn predict(
    gold: &ClusterAnnotation,
    articles: &[storyline::Article],
    raw: &HashMap<String, String>,
    days: &mut QuoteDays,
) -> (ClusterAnnotation, usize) {
    let corpus = Corpus::build(articles);
    let maps = doc_maps(&corpus, raw);
    let mut unlocated = 0;
    let mut locate = |doc: usize,
                      paragraph: usize,
                      range: std::ops::Range<usize>|
     -> Option<(String, usize, usize)> {
        let m = &maps[doc];
        match m.paragraphs.get(paragraph).copied().flatten() {
            Some(base) => {
                let (s, e) = m.located.raw_range(base + range.start, base + range.end);
                Some((corpus.docs[doc].id.clone(), s, e))
            }
            None => {
                unlocated += 1;
                None
            }
        }
    };
    let mut out = ClusterAnnotation {
        dataset: gold.dataset.clone(),
        cluster: gold.cluster.clone(),
        docs_annotated: gold.docs_annotated.clone(),
        ..Default::default()
    };
    // The speakers as the comparison shows them: named as its names' list names them.
    let names = name_variants(&corpus);
    let mut statements = quotes::statements(&corpus);
    name_speakers_as_listed(&mut statements, &names);
    for (k, st) in statements.into_iter().enumerate() {
        for o in &st.occurrences {
            let (d, p) = o.location();
            days.check(o.when.as_ref(), &corpus, d);
            if let Some((doc, start, end)) = locate(d, p, o.span.clone()) {
                out.quotes.push(QuoteSpan {
                    doc,
                    start,
                    end,
                    speaker: st.speaker.clone().unwrap_or_default(),
                    statement: format!("s{k}"),
                });
            }
        }
    }
    for (k, q) in figures::group_all(figures::figures(&corpus))
        .into_iter()
        .enumerate()
    {
        let id = format!("q{k}");
        for f in &q.figures {
            let s = &corpus.sentences[f.sentence];
            let range = s.span.start + f.span.start..s.span.start + f.span.end;
            if let Some((doc, start, end)) = locate(s.doc, s.paragraph, range) {
                out.figures.push(FigureSpan {
                    doc,
                    start,
                    end,
                    quantity: id.clone(),
                });
            }
        }
        out.quantities.push(QuantityLabel {
            id,
            what: q.what.clone(),
            conflict: q.agreement == figures::Agreement::Conflict,
            agreement: serde_json::to_value(q.agreement)
                .ok()
                .and_then(|v| v.as_str().map(String::from)),
        });
    }
    for n in names {
        out.names.push(NameGroup {
            canonical: n.canonical.clone(),
            variants: n.variants.iter().map(|v| v.spelling.clone()).collect(),
        });
    }
    (out, unlocated)
}

/// The days quotes are said to be said on, checked against their own article: a quote's
/// day must be its article's date or one a time in that article gives (resolved against the
/// article's date), and never after the article.
#[derive(Debug, Default, serde::Serialize)]
struct QuoteDays {
    /// Quotes given a day (or week, or month).
    dated: usize,
    /// Of those, in an article with a date.
    checked: usize,
    /// Dated after their article.
    after_article: usize,
    /// Dated to a day neither their article's date nor any time their article mentions.
    not_from_article: usize,
}

impl QuoteDays {
    fn check(&mut self, when: Option<&When>, corpus: &Corpus, d: usize) {
        let Some(day) = when.and_then(When::start) else {
            return;
        };
        self.dated += 1;
        let Some(article) = corpus.docs[d].date.map(|t| t.date()) else {
            self.not_from_article += 1;
            return;
        };
        self.checked += 1;
        self.after_article += usize::from(day > article);
        let mentioned = || {
            corpus.doc_sentences(d).iter().any(|s| {
                timeline::expressions(&s.text)
                    .iter()
                    .any(|e| timeline::resolve(e, "", Some(article)).start() == Some(day))
            })
        };
        self.not_from_article += usize::from(day != article && !mentioned());
    }
}

/// A cluster's parsed articles and each document's raw text by id.
type LoadedCluster = (Vec<storyline::Article>, HashMap<String, String>);

/// The raw texts and parsed articles of the wanted clusters of one data file.
fn load_clusters(path: &Path, wanted: &[&str]) -> Result<HashMap<String, LoadedCluster>> {
    let file = std::fs::File::open(path).with_context(|| {
        format!(
            "{}: cannot open (is the dev data at --data?)",
            path.display()
        )
    })?;
    let mut lines = Vec::new();
    let mut raws = HashMap::new();
    for line in BufReader::new(file).lines() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        // Cheap filter before parsing: the id must appear on the line.
        if !wanted.iter().any(|w| line.contains(&format!("\"{w}\""))) {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("{}: bad JSON", path.display()))?;
        let Some(id) = v
            .get("id")
            .and_then(|x| x.as_str())
            .filter(|id| wanted.contains(id))
        else {
            continue;
        };
        let mut texts = HashMap::new();
        for d in v
            .get("docs")
            .and_then(|x| x.as_array())
            .into_iter()
            .flatten()
        {
            if let (Some(i), Some(t)) = (
                d.get("id").and_then(|x| x.as_str()),
                d.get("text").and_then(|x| x.as_str()),
            ) {
                texts.insert(i.to_string(), t.to_string());
            }
        }
        raws.insert(id.to_string(), texts);
        lines.push(line);
    }
    let got = read_clusters_jsonl(
        std::io::Cursor::new(lines.join("\n")),
        &path.display().to_string(),
        &Limits::default(),
    );
    Ok(got
        .items
        .into_iter()
        .filter_map(|c| raws.remove(&c.id).map(|r| (c.id.clone(), (c.articles, r))))
        .collect())
}

fn row(name: &str, c: &Counts) -> String {
    format!(
        "{name:<28} {:>6.3} {:>6.3} {:>6.3}   {:>4}/{:<4} {:>4}/{:<4}\n",
        c.precision(),
        c.recall(),
        c.f1(),
        c.right,
        c.predicted,
        c.found,
        c.gold
    )
}

fn table(s: &CompareScores) -> String {
    let mut t = format!(
        "{:<28} {:>6} {:>6} {:>6}   {:>9} {:>9}\n",
        "", "P", "R", "F1", "right/pred", "found/gold"
    );
    t += &row("quotes (span overlap >= 50%)", &s.quotes);
    t += &row("speakers of matched quotes", &s.speakers);
    t += &row("same statement (cross-doc)", &s.statements);
    t += &row("figures (span overlap)", &s.figures);
    t += &row("same quantity (cross-doc)", &s.quantities);
    t += &row("conflicts", &s.conflicts);
    if s.agreements.gold > 0 {
        t += &row("agreement verdicts", &s.agreements);
    }
    t += &row("name variant pairs", &s.names);
    t
}

pub fn run(a: CompareEvalArgs) -> Result<ExitCode> {
    let gold = read_annotations(&a.gold.annotations)?;
    let gold: Vec<ClusterAnnotation> = gold
        .into_iter()
        .filter(|g| a.gold.wants(&g.cluster))
        .collect();
    if gold.is_empty() {
        bail!("no annotated cluster to score");
    }
    if !a.gold.data.exists() {
        eprintln!(
            "{}: the dev data is not here; pass --data DIR",
            a.gold.data.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    // Each data file read once.
    let mut by_file: HashMap<&str, Vec<&str>> = HashMap::new();
    for g in &gold {
        by_file
            .entry(g.dataset.as_str())
            .or_default()
            .push(g.cluster.as_str());
    }
    let mut clusters = HashMap::new();
    for (file, ids) in &by_file {
        clusters.extend(load_clusters(&a.gold.data.join(file), ids)?);
    }
    let mut total = CompareScores::default();
    let mut per_cluster = Vec::new();
    let mut predictions = Vec::new();
    let mut elapsed = 0.0;
    let mut unlocated = 0;
    let mut days = QuoteDays::default();
    for g in &gold {
        let Some((articles, raw)) = clusters.get(&g.cluster) else {
            bail!("cluster {} not found in {}", g.cluster, g.dataset)
        };
        let annotated: Vec<storyline::Article> = if g.docs_annotated.is_empty() {
            articles.clone()
        } else {
            g.docs_annotated
                .iter()
                .filter_map(|id| articles.iter().find(|x| &x.id == id).cloned())
                .collect()
        };
        let started = Instant::now();
        let (pred, lost) = predict(g, &annotated, raw, &mut days);
        elapsed += started.elapsed().as_secs_f64();
        unlocated += lost;
        let s = score(g, &pred);
        total.add(&s);
        per_cluster.push((g.cluster.clone(), s));
        predictions.push(pred);
    }
    if let Some(p) = &a.predictions {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("{}: cannot create", p.display()))?,
        );
        for pred in &predictions {
            writeln!(f, "{}", serde_json::to_string(pred)?)?;
        }
        f.flush()?;
    }
    let mut out = std::io::stdout().lock();
    match a.format {
        Format::Json => {
            let per: serde_json::Map<String, serde_json::Value> = per_cluster
                .iter()
                .map(|(id, s)| (id.clone(), serde_json::to_value(s).unwrap_or_default()))
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(
                    &serde_json::json!({"total": total, "quote_days": days, "clusters": per})
                )?
            )?;
        }
        Format::Text => {
            writeln!(
                out,
                "{} annotated clusters ({} documents); comparison took {:.1} ms in all",
                gold.len(),
                gold.iter().map(|g| g.docs_annotated.len()).sum::<usize>(),
                elapsed * 1e3
            )?;
            write!(out, "{}", table(&total))?;
            writeln!(
                out,
                "quote days: {} quotes dated ({} in dated articles): {} after their article's date, {} on a day their article does not give",
                days.dated, days.checked, days.after_article, days.not_from_article
            )?;
            if unlocated > 0 {
                writeln!(
                    out,
                    "({unlocated} predictions could not be placed in the raw text and were left out)"
                )?;
            }
            for (id, s) in &per_cluster {
                writeln!(out, "\n{id}")?;
                write!(out, "{}", table(s))?;
            }
        }
    }
    // A quote dated to a day its article does not give is a wrong line, whatever the scores.
    if days.after_article + days.not_from_article > 0 {
        eprintln!(
            "error: {} quotes dated after their article, {} to a day their article does not give",
            days.after_article, days.not_from_article
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
