//! `storyline cluster`: group an article stream into events as it arrives.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use rustc_hash::FxHashMap;
use serde::Serialize;
use storyline::cluster::ClusterOptions;
use storyline::ingest::{Limits, Severity, open_lines};
use storyline::report::{SentenceLine, SummaryReport};
use storyline::stream::{StreamItem, StreamOptions, cluster_stream};
use storyline::{Article, Corpus, SummaryOptions, summarize};

use crate::window::parse_window;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One JSON line per article ({"id","event","storyline","duplicate_of"?}), or per event
    /// with --summarize.
    Jsonl,
    /// Events as Markdown (with --summarize).
    Markdown,
    /// Events as plain text (with --summarize).
    Text,
}

#[derive(Args)]
pub struct ClusterArgs {
    /// JSONL articles ({"id","title","text","date"?,"source"?,"url"?}, extra fields ignored),
    /// in date order when dated; `-` reads stdin.
    #[arg(value_name = "INPUT")]
    input: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Jsonl)]
    format: Format,
    /// Write events with their cited summaries (as they leave the window, then the rest at
    /// the end) instead of one line per article.
    #[arg(long)]
    summarize: bool,
    /// Add each event's source comparison (with --summarize).
    #[arg(long)]
    compare: bool,
    /// Summary budget in words (with --summarize).
    #[arg(long, short = 'w', default_value_t = 100)]
    words: usize,
    /// Only summarize events with at least this many articles (with --summarize).
    #[arg(long, default_value_t = 2)]
    min_articles: usize,
    /// The longest quiet gap an event may bridge (article time): e.g. 3d, 36h, 90m. An
    /// article, copies included, never joins an event whose last article is older than
    /// this: it starts a new event (and a copy of such an event's article is not reported
    /// as a copy). The window also bounds memory: an event quiet for longer leaves the
    /// active set.
    ///
    /// Without --window: events quiet for 3 days leave the active set for the archive
    /// (see --archive), where a close follow-up days or weeks later can still reopen them,
    /// and an exact or near copy joins the event of the article it copies however old it
    /// is (among the last 100,000 articles).
    #[arg(long, value_parser = parse_window, verbatim_doc_comment)]
    window: Option<i64>,
    /// Events kept in the archive after they leave the window, so that follow-ups can reopen
    /// them (the longest-quiet are forgotten first); 0 keeps none.
    #[arg(long, default_value_t = ClusterOptions::default().archive_capacity)]
    archive: usize,
    /// Worker threads for parsing and featurizing (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Exit with status 3 if any record was rejected.
    #[arg(long)]
    strict: bool,
    /// Show a progress bar even when stderr is not a terminal.
    #[arg(long)]
    progress: bool,
    /// Clusterer parameter NAME=VALUE (for experiments; repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE", hide = true)]
    params: Vec<String>,
    #[command(flatten)]
    scale: crate::scale_cmd::ScaleArgs,
}

/// The line written per event with --summarize --format jsonl.
#[derive(Serialize)]
struct EventLine<'a> {
    event: &'a str,
    title: String,
    articles: Vec<&'a str>,
    outlets: usize,
    summary: String,
    sentences: Vec<SentenceLine>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comparison: Option<storyline::compare::SourceComparison>,
}

/// Articles kept per active event for its summary.
const KEEP_PER_EVENT: usize = 200;

pub fn run(args: ClusterArgs) -> Result<ExitCode> {
    let mut opts = ClusterOptions {
        window_secs: args.window.unwrap_or(ClusterOptions::default().window_secs),
        max_quiet_secs: args.window,
        archive_capacity: args.archive,
        ..ClusterOptions::default()
    };
    for p in &args.params {
        let (k, v) = p
            .split_once('=')
            .with_context(|| format!("--param {p}: expected NAME=VALUE"))?;
        opts.set(k, v).map_err(anyhow::Error::msg)?;
    }
    if args.compare && !args.summarize {
        bail!("--compare adds to each event's summary: it needs --summarize");
    }
    if !args.summarize && args.format != Format::Jsonl {
        bail!(
            "--format {:?} needs --summarize (without it the output is one JSON line per article)",
            args.format
        );
    }
    if args.scale.requested() {
        return crate::scale_cmd::run(&args.input, opts, &args.scale, args.strict, args.summarize);
    }
    args.scale.check_unused()?;
    let name = args.input.display().to_string();
    if name != "-" && !args.input.exists() {
        bail!("{name}: no such file");
    }
    let input = open_lines(&args.input).with_context(|| format!("{name}: cannot open"))?;
    let stream_opts = StreamOptions {
        threads: args
            .threads
            .unwrap_or_else(|| StreamOptions::default().threads),
        limits: Limits::default(),
        file: name.clone(),
        ..StreamOptions::default()
    };
    let summary_opts = SummaryOptions {
        words: args.words,
        ..SummaryOptions::default()
    };
    let progress = (args.progress || io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} articles, {per_sec}, {elapsed} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    });
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut write_error: Option<io::Error> = None;
    let mut kept: FxHashMap<String, Vec<Article>> = FxHashMap::default();
    let started = Instant::now();
    let emit = |out: &mut BufWriter<io::StdoutLock<'_>>,
                event: &str,
                articles: Vec<Article>|
     -> io::Result<()> {
        if articles.len() < args.min_articles {
            return Ok(());
        }
        let corpus = Corpus::build(&articles);
        let summary = summarize(&corpus, &summary_opts);
        let mut report = SummaryReport::new(Some(event.to_string()), &corpus, &summary);
        if args.compare {
            report.comparison = Some(storyline::compare::compare(
                &corpus,
                &storyline::compare::CompareOptions::default(),
            ));
        }
        match args.format {
            Format::Jsonl => {
                let line = EventLine {
                    event,
                    title: report.title.clone(),
                    articles: articles.iter().map(|a| a.id.as_str()).collect(),
                    outlets: report.outlets,
                    summary: summary.text(),
                    sentences: storyline::report::SummaryLine::new(event, &summary).sentences,
                    comparison: report.comparison.clone(),
                };
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string(&line).map_err(io::Error::other)?
                )
            }
            Format::Markdown => writeln!(out, "{}", report.to_markdown()),
            Format::Text => writeln!(out, "== event {event}\n{}", report.to_text()),
        }
    };
    let (totals, clusterer) = cluster_stream(input, &opts, &stream_opts, |item| {
        if write_error.is_some() {
            return;
        }
        let result = match item {
            StreamItem::Issue(issue) => {
                match issue.severity {
                    Severity::Rejected => tracing::warn!("{issue}"),
                    Severity::Warning => tracing::info!("{issue}"),
                }
                Ok(())
            }
            StreamItem::Assigned(a, article) => {
                if let Some(bar) = &progress {
                    bar.inc(1);
                }
                if args.summarize {
                    let list = kept.entry(a.event.clone()).or_default();
                    if list.len() < KEEP_PER_EVENT {
                        list.push(article);
                    }
                    Ok(())
                } else {
                    serde_json::to_string(&a)
                        .map_err(io::Error::other)
                        .and_then(|l| writeln!(out, "{l}"))
                }
            }
            StreamItem::Retired(events) => {
                let mut r = Ok(());
                if args.summarize {
                    for e in events {
                        if let Some(articles) = kept.remove(&e) {
                            r = r.and(emit(&mut out, &e, articles));
                        }
                    }
                }
                r
            }
        };
        if let Err(e) = result {
            write_error = Some(e);
        }
    });
    if let Some(e) = write_error {
        return Err(e).context("writing output");
    }
    if args.summarize {
        for e in clusterer.active_events() {
            if let Some(articles) = kept.remove(&e) {
                emit(&mut out, &e, articles).context("writing output")?;
            }
        }
    }
    out.flush().context("writing output")?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let secs = started.elapsed().as_secs_f64();
    let stats = clusterer.stats();
    eprintln!(
        "clustered {} articles into {} events ({} exact and {} near duplicates); {} records rejected, {} warnings; {:.2} s, {:.0} articles/s",
        totals.assigned,
        stats.events_created,
        totals.exact_duplicates,
        totals.near_duplicates,
        totals.rejected,
        totals.warnings,
        secs,
        totals.assigned as f64 / secs.max(1e-9)
    );
    if args.strict && totals.rejected > 0 {
        return Ok(ExitCode::from(crate::EXIT_REJECTED));
    }
    Ok(ExitCode::SUCCESS)
}
