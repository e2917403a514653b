//! `storyline eval citations`: the articles Storyline cites for a sentence, against gold
//! judgements of which articles report it (`annotations/citations/`).
//!
//! For each judged cluster, every article of the cluster is read from the dev data and
//! analyzed as one event; each gold sentence is found among the event's sentences (the one of
//! its article sharing the most words with it), and the articles Storyline would cite for it
//! in a brief are scored with `storyline_eval::citations`.

use std::collections::HashMap;
use std::io::{BufReader, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;
use storyline::align::claim::ClaimAligner;
use storyline::ingest::{Limits, read_clusters_jsonl};
use storyline::{Aligner, Corpus};
use storyline_eval::citations::{CitationCounts, GoldSentence, best_matching, read_gold, score};

use crate::eval_args::{Format, Gold, GoldArgs};

/// The gold of `eval citations`.
pub struct CitationsGold;

impl Gold for CitationsGold {
    const ANNOTATIONS: &'static str = "annotations/citations/annotations.jsonl";
    const ANNOTATIONS_HELP: &'static str =
        "The gold judgements (format: annotations/citations/README.md)";
    const DATA_HELP: &'static str =
        "The dev data folder the gold's `dataset` paths are relative to";
}

#[derive(Args)]
pub struct CitationsEvalArgs {
    #[command(flatten)]
    gold: GoldArgs<CitationsGold>,
    /// Print every sentence with its citations and the gold's verdict on each.
    #[arg(long)]
    explain: bool,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Serialize)]
struct ClusterResult {
    cluster: String,
    counts: CitationCounts,
    precision: f64,
    lenient_precision: f64,
    recall: f64,
}

/// The corpus sentence of `doc` that is the gold sentence `text`.
fn find_sentence(corpus: &Corpus, doc: usize, text: &str) -> Option<usize> {
    best_matching(
        corpus.docs[doc]
            .sentences
            .clone()
            .map(|s| (s, corpus.sentences[s].text.as_str())),
        text,
    )
}

pub fn run(a: CitationsEvalArgs) -> Result<ExitCode> {
    let gold = read_gold(&a.gold.annotations)?;
    let mut by_dataset: HashMap<String, Vec<storyline::ingest::Cluster>> = HashMap::new();
    let mut total = CitationCounts::default();
    let mut results = Vec::new();
    let mut out = std::io::stdout().lock();
    for g in gold.iter().filter(|g| a.gold.wants(&g.cluster)) {
        if !by_dataset.contains_key(&g.dataset) {
            let path = a.gold.data.join(&g.dataset);
            let file = std::fs::File::open(&path)
                .with_context(|| format!("{}: the dev data is needed", path.display()))?;
            let read = read_clusters_jsonl(
                BufReader::new(file),
                &path.display().to_string(),
                &Limits::default(),
            );
            by_dataset.insert(g.dataset.clone(), read.items);
        }
        let Some(cluster) = by_dataset[&g.dataset].iter().find(|c| c.id == g.cluster) else {
            bail!("{}: cluster {} not found", g.dataset, g.cluster);
        };
        let corpus = Corpus::build(&cluster.articles);
        let aligner = Aligner::new(&corpus);
        // The quotes and speakers the brief's citations use (see `summarize::citations_with`).
        let statements = storyline::compare::quotes::statements(&corpus);
        let mut counts = CitationCounts::default();
        for gs in &g.sentences {
            let c = score_sentence(
                &corpus,
                &aligner,
                &statements,
                cluster,
                gs,
                a.explain,
                &mut out,
            )?;
            counts.add(&c);
        }
        total.add(&counts);
        results.push(ClusterResult {
            cluster: g.cluster.clone(),
            counts,
            precision: counts.precision(),
            lenient_precision: counts.lenient_precision(),
            recall: counts.recall(),
        });
    }
    match a.format {
        Format::Json => {
            let all = serde_json::json!({
                "all": {
                    "counts": total,
                    "precision": total.precision(),
                    "lenient_precision": total.lenient_precision(),
                    "recall": total.recall(),
                },
                "clusters": results,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&all)?)?;
        }
        Format::Text => {
            writeln!(
                out,
                "{} clusters, {} sentences: citations against the gold (annotations/citations)",
                results.len(),
                total.sentences
            )?;
            writeln!(
                out,
                "{:<12} {:>9} {:>9} {:>9}   cited full/partial/none  gold full",
                "cluster", "precision", "lenient", "recall"
            )?;
            let line = |name: &str, c: &CitationCounts| {
                format!(
                    "{:<12} {:>9.3} {:>9.3} {:>9.3}   {:>5} {:>4}/{:>3}/{:>3}  {:>9}",
                    name,
                    c.precision(),
                    c.lenient_precision(),
                    c.recall(),
                    c.cited,
                    c.full,
                    c.partial,
                    c.cited - c.full - c.partial,
                    c.gold_full
                )
            };
            writeln!(out, "{}", line("all", &total))?;
            for r in &results {
                writeln!(out, "{}", line(&r.cluster, &r.counts))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn score_sentence(
    corpus: &Corpus,
    aligner: &Aligner<'_>,
    statements: &[storyline::compare::Statement],
    cluster: &storyline::ingest::Cluster,
    gs: &GoldSentence,
    explain: bool,
    out: &mut impl Write,
) -> Result<CitationCounts> {
    let Some(d) = corpus.docs.iter().position(|d| d.id == gs.doc) else {
        bail!("{}: document {} not in the cluster", gs.k, gs.doc);
    };
    let raw = cluster
        .articles
        .iter()
        .find(|x| x.id == gs.doc)
        .map_or("", |x| x.text.as_str());
    let text = gs.text(raw);
    let claims = ClaimAligner::new(aligner);
    let found = find_sentence(corpus, d, text);
    let cited: Vec<String> = match found {
        Some(s) => storyline::summarize::citations_with(&claims, s, statements)
            .0
            .into_iter()
            .map(|c| c.article)
            .collect(),
        None => Vec::new(),
    };
    let c = score(gs, &cited);
    if explain {
        writeln!(out, "S{} [{}] {}", gs.k, gs.doc, text.trim())?;
        for a in cited.iter().filter(|a| **a != gs.doc) {
            let verdict = gs.support.get(a).map_or("no", |e| match e.label {
                storyline_eval::citations::Label::Full => "full",
                storyline_eval::citations::Label::Partial => "PARTIAL",
            });
            writeln!(out, "    cites {a}: {verdict}")?;
        }
        for missed in gs.full().filter(|m| !cited.iter().any(|c| c == m)) {
            writeln!(out, "    misses {missed}")?;
            // Its passage nearest to citing, and the tests that passage fails.
            let rule = storyline::align::claim::CitationRule::default();
            let nearest = found.and_then(|s| {
                claims
                    .passages(s)
                    .into_iter()
                    .filter(|m| corpus.docs[m.doc].id == *missed)
                    .min_by(|a, b| {
                        (rule.fails(&a.features).len(), -a.features.soft_claim)
                            .partial_cmp(&(rule.fails(&b.features).len(), -b.features.soft_claim))
                            .unwrap_or(std::cmp::Ordering::Equal)
                    })
            });
            if let (Some(m), Some(s)) = (nearest, found) {
                let f = &m.features;
                let passage: Vec<&str> = (m.sentence..m.sentence + m.span)
                    .map(|k| corpus.sentences[k].text.as_str())
                    .collect();
                writeln!(
                    out,
                    "      fails {} (soft_claim {:.2}, coverage {:.2}, focus {:.2}, names {:.2}, missing_key {:.2}): {}",
                    rule.fails(f).join(", "),
                    f.soft_claim,
                    f.coverage,
                    f.focus,
                    f.names,
                    f.missing_key,
                    passage.join(" ")
                )?;
                let missing: Vec<String> = claims
                    .missing_words(s, m.sentence, m.span)
                    .into_iter()
                    .map(|(w, share)| format!("{w} {share:.2}"))
                    .collect();
                if !missing.is_empty() {
                    writeln!(out, "      lacks {}", missing.join(", "))?;
                }
            }
        }
    }
    Ok(c)
}
