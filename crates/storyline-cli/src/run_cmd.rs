//! `storyline run`: ingest articles into the store (cluster, summarize, compare), then
//! optionally serve it.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, sync_channel};

use storyline::Article;
use storyline::cluster::{ArticleFeatures, Featurizer};
use storyline::ingest::{self, BoundedLines, Issue, Limits, Line, LineOutcome};
use storyline_store::{Engine, EngineOptions, IngestCounts};
use storyline_web::lang::LangFilter;
use storyline_web::{IngestOptions, articles_from_paths};

use crate::input::{self, Kind};
use crate::net::NetArgs;
use crate::progress::{cpu_secs, show_progress, spinner};
use crate::run_scale;
use crate::serve_cmd::{self, HttpArgs, StoreArgs};
use crate::store::open_engine;

/// What `run --help` says after the options.
macro_rules! run_help {
    () => {
        "Examples:\n  storyline run samples/articles.jsonl samples/harbor-strike\n  \
storyline run CC-NEWS-*.warc.gz --db news.db\n  cat more.jsonl | storyline run - --serve\n  \
storyline run CC-NEWS-*.warc.gz --hosts hosts.txt --process 0   # and --process 1.. elsewhere\n\n\
Re-running adds only articles whose id is not stored yet; the events they join are summarized \
and compared again. A killed run leaves the store as of its last batch; the next run continues \
(with --workers/--hosts, after the last input file it completed).\n\n\
With --workers or --hosts, reading, extraction, language id and featurizing run on every \
worker of every process (timely dataflow); process 0 stores the articles in input order into \
its store, with the same events as a run in one process; then the events are summarized and \
compared on every worker of every process. Every process is started with the same inputs, \
options and hostfile."
    };
}

#[derive(Args)]
#[command(
    after_help = run_help!(),
    after_long_help = concat!(
        run_help!(),
        "\n\n",
        crate::input::inputs_help!(),
        "\n  HTML pages and WARC archives give their outlet, date and address in their markup."
    )
)]
pub struct RunArgs {
    /// Articles: JSONL files, folders of .txt articles (first line = headline, after an
    /// optional front matter block: see Inputs in --help), HTML pages or folders of them,
    /// WARC / WARC.gz archives, or `-` for JSONL on stdin.
    #[arg(required = true, value_name = "ARTICLES")]
    inputs: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArgs,
    /// Articles stored per transaction.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    batch: u32,
    /// Summary length in words.
    #[arg(long, default_value_t = 100)]
    words: usize,
    /// Languages to keep: `en` (articles clearly in another language are left out and
    /// reported) or `any`.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Exit with status 3 if any input record was rejected.
    #[arg(long)]
    strict: bool,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Serve the store on HTTP when done (the web page and the API).
    #[arg(long)]
    serve: bool,
    #[command(flatten)]
    http: HttpArgs,
    #[command(flatten)]
    net: NetArgs,
}

pub fn run(args: RunArgs, quiet: bool) -> Result<ExitCode> {
    let english_only = match args.lang.to_ascii_lowercase().as_str() {
        "en" | "eng" | "english" => true,
        "any" => false,
        other => bail!("--lang: {other:?} is not supported here; use `en` or `any`"),
    };
    let mut kinds: Vec<(PathBuf, Kind)> = Vec::new();
    for p in &args.inputs {
        kinds.extend(input::expand(p)?);
    }
    let show = !quiet && std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut opts = EngineOptions {
        summary_words: args.words,
        ..EngineOptions::default()
    };
    if let Some(t) = args.threads {
        opts.threads = t.max(1);
    }
    let scaled = args.net.requested().then(|| {
        // Web inputs come last, as `read_here` takes them.
        let mut inputs = kinds.clone();
        inputs.sort_by_key(|(_, k)| *k == Kind::Web);
        run_scale::Settings {
            inputs,
            english_only,
            cluster: opts.cluster.clone(),
            batch: args.batch as usize,
        }
    });
    if let Some(settings) = &scaled
        && args.net.process.unwrap_or(0) != 0
    {
        run_scale::help(settings, &args.net, &opts)?;
        return Ok(ExitCode::SUCCESS);
    }
    let db = args.store.db.clone();
    let (mut engine, counts, rejected, before, times) = match &scaled {
        Some(settings) => {
            let (engine, counts, rejected, before) =
                run_scale::ingest(&db, &opts, settings, &args.net, show)?;
            let ingest = started.elapsed();
            let refreshing = Instant::now();
            // Spread over the workers of every process.
            let bar = refresh_bar(show, engine.counts()?.dirty as u64);
            let (engine, refreshed) = run_scale::refresh(engine, &opts, &args.net, bar.clone())?;
            bar.finish_and_clear();
            let times = RunTimes {
                ingest,
                index: engine.write_time(),
                refresh: refreshing.elapsed(),
                refreshed,
                ..RunTimes::default()
            };
            (engine, counts, rejected, before, times)
        }
        None => {
            let reading = Reading {
                batch: args.batch as usize,
                english_only,
                threads: args.threads,
            };
            let r = run_here(&db, &kinds, &opts, &reading, show)?;
            (r.engine, r.counts, r.rejected, r.before, r.times)
        }
    };
    let read = counts.stored + counts.already_stored + counts.duplicates;
    if read == 0 {
        let names: Vec<String> = args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        return Err(input::nothing_to_read(&names.join(", "), rejected));
    }
    // The next opening of the store loads the clusterer from here instead of replaying.
    engine
        .checkpoint()
        .with_context(|| format!("{}: saving the clusterer checkpoint", db.display()))?;
    let ingest_secs = times.ingest.as_secs_f64();
    let refreshed = times.refreshed;
    let after = engine.counts()?;
    let secs = started.elapsed().as_secs_f64();
    if !quiet {
        eprintln!(
            "{}: {} new articles ({} already stored, {} rejected, {} copies) in {:.1} s; {} new events, {} events summarized; store now {} articles, {} events; {:.1} s in all",
            db.display(),
            counts.stored,
            counts.already_stored,
            rejected,
            counts.duplicates,
            ingest_secs,
            after.events - before.events,
            refreshed,
            after.articles,
            after.events,
            secs
        );
    }
    if args.serve {
        serve_cmd::serve(engine, opts, &args.http)?;
    }
    if args.strict && rejected > 0 {
        eprintln!("{rejected} record(s) rejected (--strict)");
        return Ok(ExitCode::from(crate::EXIT_REJECTED));
    }
    Ok(ExitCode::SUCCESS)
}

/// How a run in this process reads its inputs.
pub(crate) struct Reading {
    /// Articles stored per transaction.
    pub batch: usize,
    /// Articles clearly not in English are left out.
    pub english_only: bool,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
}

/// Where the time of a run went.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RunTimes {
    /// Reading, cleaning, language, featurizing, assigning and storing the articles (wall).
    pub ingest: Duration,
    /// Of which: writing them to the store (inserts, search index, events).
    pub index: Duration,
    /// Summarizing and comparing the events that changed (wall).
    pub refresh: Duration,
    /// CPU seconds of the ingest and of the refresh (all threads).
    pub ingest_cpu: f64,
    pub refresh_cpu: f64,
    /// Events summarized.
    pub refreshed: usize,
}

/// What a run in this process did.
pub(crate) struct LocalRun {
    pub engine: Engine,
    pub counts: IngestCounts,
    pub rejected: usize,
    /// The store's counts before the run.
    pub before: storyline_store::Counts,
    pub times: RunTimes,
}

/// The progress bar of the refresh (hidden unless `show` and there is work).
fn refresh_bar(show: bool, dirty: u64) -> ProgressBar {
    if !(show && dirty > 0) {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new(dirty).with_style(
        ProgressStyle::with_template(
            "summarizing and comparing events {bar:30} {pos}/{len} {elapsed} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    b.enable_steady_tick(Duration::from_millis(150));
    b
}

/// `storyline run` in this process: opens the store, ingests the inputs, summarizes and
/// compares the events that changed.
pub(crate) fn run_here(
    db: &Path,
    kinds: &[(PathBuf, Kind)],
    opts: &EngineOptions,
    reading: &Reading,
    show: bool,
) -> Result<LocalRun> {
    let started = Instant::now();
    let cpu = cpu_secs();
    let engine = open_engine(db, opts, &spinner(show, "reading the store"))?;
    let before = engine.counts()?;
    let bar = spinner(show, "articles");
    let (mut engine, counts, rejected) = read_here(engine, kinds, reading, &bar)?;
    bar.finish_and_clear();
    let ingest = started.elapsed();
    let refreshing = Instant::now();
    let refresh_cpu = cpu_secs();
    let bar = refresh_bar(show, engine.counts()?.dirty as u64);
    let refreshed = engine
        .refresh(usize::MAX, |done, _| bar.set_position(done as u64))
        .context("summarizing events")?;
    bar.finish_and_clear();
    let times = RunTimes {
        ingest,
        index: engine.write_time(),
        refresh: refreshing.elapsed(),
        ingest_cpu: refresh_cpu - cpu,
        refresh_cpu: cpu_secs() - refresh_cpu,
        refreshed,
    };
    Ok(LocalRun {
        engine,
        counts,
        rejected,
        before,
        times,
    })
}

/// Articles or lines per unit of work of the prepare stage.
const UNIT: usize = 256;

/// A unit of work for the prepare stage, numbered in input order.
enum Work {
    /// JSONL lines of a file.
    Lines { file: Arc<str>, lines: Vec<Line> },
    /// Articles read already (`.txt` files, web pages) with where each came from, after the
    /// issues met reading them.
    Articles {
        items: Vec<(Article, String)>,
        issues: Vec<Issue>,
        check_language: bool,
    },
}

/// A unit prepared: its issues in input order, the articles kept and their features.
#[derive(Default)]
struct Prepared {
    issues: Vec<Issue>,
    articles: Vec<Article>,
    features: Vec<ArticleFeatures>,
}

/// Parses, checks the language of and featurizes one unit (the data-parallel stage).
fn prepare(work: Work, english_only: bool, limits: &Limits, f: &mut Featurizer) -> Prepared {
    let mut out = Prepared::default();
    let mut keep = |a: Article, context: &dyn Fn() -> String, check: bool, out: &mut Prepared| {
        if check && let Some(d) = input::not_english_language(&a) {
            out.issues.push(input::not_english(&a, &d, &context()));
            return;
        }
        out.features.push(f.features(&a));
        out.articles.push(a);
    };
    match work {
        Work::Lines { file, lines } => {
            for line in lines {
                match line {
                    Line::Bad(no, problem) => out.issues.push(ingest::bad_line(&file, no, problem)),
                    Line::Text(no, text) => {
                        match ingest::parse_article_line(&file, no, &text, limits) {
                            LineOutcome::Blank => {}
                            LineOutcome::Rejected(issue) => out.issues.push(issue),
                            LineOutcome::Article(a, issues) => {
                                out.issues.extend(issues);
                                keep(a, &|| format!("{file}:{no}"), english_only, &mut out);
                            }
                        }
                    }
                }
            }
        }
        Work::Articles {
            items,
            issues,
            check_language,
        } => {
            out.issues = issues;
            for (a, context) in items {
                keep(
                    a,
                    &|| context.clone(),
                    english_only && check_language,
                    &mut out,
                );
            }
        }
    }
    out
}

/// Reads the inputs in order and cuts them into numbered units of work (the reading
/// stage). Returns the web documents rejected. Stops quietly when the workers are gone.
fn read_inputs(
    kinds: &[(PathBuf, Kind)],
    reading: &Reading,
    limits: &Limits,
    units: SyncSender<(u64, Work)>,
    bar: &ProgressBar,
) -> Result<usize> {
    let mut seq = 0u64;
    let mut send = |work: Work| -> bool {
        let ok = units.send((seq, work)).is_ok();
        seq += 1;
        ok
    };
    let mut web: Vec<PathBuf> = Vec::new();
    for (path, k) in kinds {
        match k {
            Kind::Jsonl => {
                let name = path.display().to_string();
                let file: Arc<str> = Arc::from(name.as_str());
                let reader =
                    ingest::open_lines(path).with_context(|| format!("{name}: cannot open"))?;
                let mut lines = BoundedLines::new(reader, limits.max_line_bytes);
                let mut unit = Vec::with_capacity(UNIT);
                while let Some(line) = lines
                    .next_line()
                    .with_context(|| format!("{name}: cannot read"))?
                {
                    unit.push(line);
                    if unit.len() == UNIT {
                        let lines = std::mem::replace(&mut unit, Vec::with_capacity(UNIT));
                        if !send(Work::Lines {
                            file: Arc::clone(&file),
                            lines,
                        }) {
                            return Ok(0);
                        }
                    }
                }
                if !unit.is_empty() && !send(Work::Lines { file, lines: unit }) {
                    return Ok(0);
                }
            }
            Kind::Txt => {
                let name = path.display().to_string();
                let got = if path.is_dir() {
                    ingest::read_txt_dir(path, limits)
                } else {
                    let mut got = ingest::Ingested::default();
                    match ingest::read_txt_article(path, limits) {
                        Ok((a, issues)) => {
                            got.items.push(a);
                            got.issues = issues;
                        }
                        Err(issue) => got.issues.push(issue),
                    }
                    got
                };
                let mut issues = got.issues;
                let mut items = got.items.into_iter().peekable();
                while issues.len() + items.len() > 0 || items.peek().is_some() {
                    let chunk: Vec<(Article, String)> = items
                        .by_ref()
                        .take(UNIT)
                        .map(|a| (a, name.clone()))
                        .collect();
                    let work = Work::Articles {
                        items: chunk,
                        issues: std::mem::take(&mut issues),
                        check_language: true,
                    };
                    if !send(work) {
                        return Ok(0);
                    }
                    if items.peek().is_none() {
                        break;
                    }
                }
            }
            Kind::Web => web.push(path.clone()),
        }
    }
    let mut rejected = 0;
    if !web.is_empty() {
        let langs = if reading.english_only {
            LangFilter::english()
        } else {
            LangFilter::Any
        };
        let wopts = IngestOptions {
            threads: reading.threads.unwrap_or(0),
            langs,
            ..IngestOptions::default()
        };
        let mut pages = articles_from_paths(&web, &wopts)?;
        let mut unit = Vec::with_capacity(UNIT);
        for outcome in pages.by_ref() {
            match outcome {
                // Already filtered by language during extraction.
                Ok(w) => unit.push((w.article, "web".to_string())),
                Err(reject) => {
                    if reject.reason.is_document() {
                        rejected += 1;
                        bar.suspend(|| tracing::warn!("{reject}"));
                    }
                }
            }
            if unit.len() == UNIT {
                let items = std::mem::replace(&mut unit, Vec::with_capacity(UNIT));
                let work = Work::Articles {
                    items,
                    issues: Vec::new(),
                    check_language: false,
                };
                if !send(work) {
                    return Ok(rejected);
                }
            }
        }
        if !unit.is_empty() {
            send(Work::Articles {
                items: unit,
                issues: Vec::new(),
                check_language: false,
            });
        }
        let tally = pages.tally().clone();
        bar.suspend(|| tracing::info!("web pages: {tally}"));
    }
    Ok(rejected)
}

/// Reads the inputs in this process and stores their articles, as a pipeline:
///
/// ```text
/// reader thread ──units──► workers: parse, clean,   ──► this thread: units back in input
/// (inputs in order)        language, featurize          order, assign (one clusterer) ──►
///                                                        writer thread: one transaction
///                                                        per --batch articles
/// ```
///
/// Returns the engine, the counts and the records rejected.
fn read_here(
    mut engine: Engine,
    kinds: &[(PathBuf, Kind)],
    reading: &Reading,
    bar: &ProgressBar,
) -> Result<(Engine, IngestCounts, usize)> {
    let limits = Limits::default();
    let threads = reading
        .threads
        .filter(|&t| t > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let cluster = engine.options().cluster.clone();
    let started = Instant::now();
    let (rejected, counts) = engine.ingest_stream(reading.batch, |stream| -> Result<usize> {
        std::thread::scope(|s| {
            let (unit_tx, unit_rx) = sync_channel::<(u64, Work)>(threads * 2);
            let (done_tx, done_rx) = sync_channel::<(u64, Prepared)>(threads * 2);
            // The workers alone hold the units' receiver: when they stop, the reader's sends fail.
            storyline::stream::spawn_workers(
                s,
                threads,
                unit_rx,
                &done_tx,
                || Featurizer::new(&cluster),
                |featurizer, (seq, work): (u64, Work)| {
                    (
                        seq,
                        prepare(work, reading.english_only, &limits, featurizer),
                    )
                },
            );
            drop(done_tx);
            let reader = s.spawn(|| read_inputs(kinds, reading, &limits, unit_tx, bar));
            let mut rejected = 0;
            let mut reporter = input::Reporter::default();
            let mut waiting: BTreeMap<u64, Prepared> = BTreeMap::new();
            let mut next = 0u64;
            for (seq, prepared) in done_rx.iter() {
                waiting.insert(seq, prepared);
                while let Some(p) = waiting.remove(&next) {
                    next += 1;
                    if !p.issues.is_empty() {
                        bar.suspend(|| rejected += reporter.report(&p.issues));
                    }
                    let counts = stream
                        .take(p.articles, p.features)
                        .context("storing articles")?;
                    show_progress(bar, &counts, started);
                }
            }
            bar.suspend(|| reporter.finish());
            let web_rejected = reader
                .join()
                .map_err(|_| anyhow::anyhow!("the input reader panicked"))??;
            Ok(rejected + web_rejected)
        })
    })?;
    Ok((engine, counts, rejected))
}
