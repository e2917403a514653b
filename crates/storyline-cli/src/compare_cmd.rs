//! `storyline compare`.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use serde::Serialize;
use storyline::compare::{CompareOptions, SourceComparison, compare_reading};
use storyline::ingest::Limits;
use storyline::report::event_title;
use storyline::{Aligner, Article, Corpus, SummaryOptions, summarize_reading};

use crate::input::{self, Input};
use crate::summarize_cmd::Lang;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable report.
    Markdown,
    /// One JSON document (for one event) or one per line (for clusters).
    Json,
}

#[derive(Args)]
#[command(after_long_help = crate::input::inputs_help!())]
pub struct CompareArgs {
    /// The articles of one event: a folder of .txt articles (first line = headline, after an
    /// optional front matter block: see Inputs below), a JSONL
    /// of articles ({"id","title","text","source"?,"date"?}); or a JSONL of clusters
    /// ({"id","docs":[...]}), compared one by one; `-` reads JSONL from stdin.
    #[arg(value_name = "INPUT")]
    input: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Languages to keep.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    lang: Lang,
    /// Shared facts to list.
    #[arg(long, default_value_t = CompareOptions::default().shared_facts)]
    shared_facts: usize,
    /// Facts only one outlet reports, to list per outlet.
    #[arg(long, default_value_t = CompareOptions::default().unique_per_outlet)]
    unique_facts: usize,
    /// Timeline entries to list.
    #[arg(long, default_value_t = CompareOptions::default().timeline)]
    timeline: usize,
    /// Exit with status 3 if any input record was rejected.
    #[arg(long)]
    strict: bool,
}

/// One event's comparison in JSON.
#[derive(Serialize)]
struct Report<'a> {
    id: &'a str,
    title: String,
    #[serde(flatten)]
    comparison: &'a SourceComparison,
}

fn compare_event(articles: &[Article], options: &CompareOptions) -> (String, SourceComparison) {
    let corpus = Corpus::build(articles);
    let aligner = Aligner::new(&corpus);
    let (summary, readings) = summarize_reading(&corpus, &aligner, &SummaryOptions::default());
    let title = event_title(&corpus, &summary);
    (title, compare_reading(&corpus, &aligner, options, readings))
}

pub fn run(args: CompareArgs) -> Result<ExitCode> {
    let options = CompareOptions {
        shared_facts: args.shared_facts,
        unique_per_outlet: args.unique_facts,
        timeline: args.timeline,
        ..CompareOptions::default()
    };
    let limits = Limits::default();
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut rejected = 0;
    let name = args.input.display().to_string();
    let write = |out: &mut BufWriter<io::StdoutLock<'_>>,
                 id: &str,
                 title: String,
                 c: &SourceComparison|
     -> Result<()> {
        match args.format {
            Format::Markdown => writeln!(out, "{}", c.to_markdown(&title))?,
            Format::Json => writeln!(
                out,
                "{}",
                serde_json::to_string(&Report {
                    id,
                    title,
                    comparison: c
                })?
            )?,
        }
        Ok(())
    };
    match input::load(&args.input, false, &limits)? {
        Input::Articles(mut got) => {
            if args.lang == Lang::En {
                input::keep_english(&mut got.items, &mut got.issues, &name);
            }
            rejected += input::report(&got.issues);
            if got.items.is_empty() {
                return Err(input::nothing_to_read(&name, rejected));
            }
            let started = Instant::now();
            let (title, c) = compare_event(&got.items, &options);
            tracing::info!(
                "compared {} articles in {:.1} ms",
                got.items.len(),
                started.elapsed().as_secs_f64() * 1e3
            );
            let id = args
                .input
                .file_stem()
                .map_or_else(|| "-".to_string(), |s| s.to_string_lossy().into_owned());
            write(&mut out, &id, title, &c)?;
        }
        Input::Clusters(got) => {
            rejected += input::report(&got.issues);
            if got.items.iter().all(|c| c.articles.is_empty()) {
                return Err(input::nothing_to_read(&name, rejected));
            }
            for cluster in &got.items {
                let (articles, lost) =
                    input::cluster_articles(cluster, &name, args.lang == Lang::En);
                rejected += lost;
                let (title, c) = compare_event(&articles, &options);
                write(&mut out, &cluster.id, title, &c)?;
            }
        }
    }
    out.flush().context("writing output")?;
    if args.strict && rejected > 0 {
        eprintln!("{rejected} input record(s) rejected (--strict)");
        return Ok(ExitCode::from(crate::EXIT_REJECTED));
    }
    Ok(ExitCode::SUCCESS)
}
