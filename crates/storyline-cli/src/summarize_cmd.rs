//! `storyline summarize`.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use storyline::compare::{CompareOptions, compare};
use storyline::ingest::Limits;
use storyline::report::{SummaryLine, SummaryReport};
use storyline::{Corpus, SummaryOptions, summarize};

use crate::input::{self, Input};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Headline, cited sentences, numbered sources.
    Text,
    /// The same as Markdown.
    Markdown,
    /// One JSON document with citations in full.
    Json,
    /// One line per cluster: {"id","summary","sentences":[{"text","citations","support"}]}.
    Jsonl,
}

/// Which articles to keep by language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// English only: articles clearly in another language are reported and left out.
    En,
    /// Keep every article.
    Any,
}

#[derive(Args)]
#[command(after_long_help = crate::input::inputs_help!())]
pub struct SummarizeArgs {
    /// A folder of .txt articles (first line = headline, after an optional front matter
    /// block: see Inputs below), a .txt file, a JSONL of articles
    /// ({"id","title","text","source"?,"url"?,"date"?}) or of clusters ({"id","docs":[...]});
    /// `-` reads JSONL from stdin.
    #[arg(value_name = "INPUT", required_unless_present = "clusters")]
    input: Option<PathBuf>,
    /// Benchmark mode: a JSONL of clusters, one summary per cluster.
    #[arg(long, value_name = "FILE", conflicts_with = "input")]
    clusters: Option<PathBuf>,
    /// Word budget: whole sentences only, never more than this many words.
    #[arg(long, short = 'w', default_value_t = 100)]
    words: usize,
    /// Output format (default: text for one event, jsonl for clusters).
    #[arg(long, short = 'f', value_enum)]
    format: Option<Format>,
    /// Languages to keep.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// Add the source comparison (quotes, figures, names, facts, timeline) to each event
    /// (Markdown and JSON output).
    #[arg(long)]
    compare: bool,
    /// Exit with status 3 if any input record was rejected.
    #[arg(long)]
    strict: bool,
    /// Tuning parameter NAME=VALUE of the summarizer (for experiments; repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE", hide = true)]
    params: Vec<String>,
    /// Article text beyond this many bytes is cut (with a warning).
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    max_text_bytes: usize,
}

pub fn run(args: SummarizeArgs) -> Result<ExitCode> {
    let limits = Limits {
        max_text_bytes: args.max_text_bytes,
        ..Limits::default()
    };
    let mut opts = SummaryOptions {
        words: args.words,
        ..SummaryOptions::default()
    };
    for p in &args.params {
        let (k, v) = p
            .split_once('=')
            .with_context(|| format!("--param {p}: expected NAME=VALUE"))?;
        opts.set(k, v).map_err(anyhow::Error::msg)?;
    }
    let (path, force) = match (&args.clusters, &args.input) {
        (Some(c), _) => (c.clone(), true),
        (None, Some(i)) => (i.clone(), false),
        (None, None) => unreachable!("clap requires one"),
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut rejected = 0;
    match input::load(&path, force, &limits)? {
        Input::Articles(mut got) => {
            if args.lang == Lang::En {
                input::keep_english(&mut got.items, &mut got.issues, &path.display().to_string());
            }
            rejected += input::report(&got.issues);
            if got.items.is_empty() {
                return Err(input::nothing_to_read(
                    &path.display().to_string(),
                    rejected,
                ));
            }
            let started = Instant::now();
            let corpus = Corpus::build(&got.items);
            let summary = summarize(&corpus, &opts);
            tracing::info!(
                "summarized {} articles in {:.1} ms",
                got.items.len(),
                started.elapsed().as_secs_f64() * 1e3
            );
            let id = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            let mut report = SummaryReport::new(id.clone(), &corpus, &summary);
            if args.compare {
                report.comparison = Some(compare(&corpus, &CompareOptions::default()));
            }
            match args.format.unwrap_or(Format::Text) {
                Format::Text => write!(out, "{}", report.to_text())?,
                Format::Markdown => write!(out, "{}", report.to_markdown())?,
                Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?,
                Format::Jsonl => {
                    let line = SummaryLine::new(id.as_deref().unwrap_or("-"), &summary);
                    writeln!(out, "{}", serde_json::to_string(&line)?)?
                }
            }
        }
        Input::Clusters(got) => {
            rejected += input::report(&got.issues);
            if got.items.iter().all(|c| c.articles.is_empty()) {
                return Err(input::nothing_to_read(
                    &path.display().to_string(),
                    rejected,
                ));
            }
            let format = args.format.unwrap_or(Format::Jsonl);
            let started = Instant::now();
            for cluster in &got.items {
                let (articles, lost) = input::cluster_articles(
                    cluster,
                    &path.display().to_string(),
                    args.lang == Lang::En,
                );
                rejected += lost;
                let corpus = Corpus::build(&articles);
                let summary = summarize(&corpus, &opts);
                let report = || {
                    let mut r = SummaryReport::new(Some(cluster.id.clone()), &corpus, &summary);
                    if args.compare {
                        r.comparison = Some(compare(&corpus, &CompareOptions::default()));
                    }
                    r
                };
                match format {
                    Format::Jsonl => writeln!(
                        out,
                        "{}",
                        serde_json::to_string(&SummaryLine::new(&cluster.id, &summary))?
                    )?,
                    Format::Json => writeln!(out, "{}", serde_json::to_string(&report())?)?,
                    Format::Text => writeln!(out, "== {}\n{}", cluster.id, report().to_text())?,
                    Format::Markdown => writeln!(out, "{}", report().to_markdown())?,
                }
            }
            tracing::info!(
                "summarized {} clusters in {:.2} s",
                got.items.len(),
                started.elapsed().as_secs_f64()
            );
        }
    }
    out.flush().context("writing output")?;
    if args.strict && rejected > 0 {
        eprintln!("{rejected} input record(s) rejected (--strict)");
        return Ok(ExitCode::from(crate::EXIT_REJECTED));
    }
    Ok(ExitCode::SUCCESS)
}
