//! `storyline run ... --workers N` / `--hosts FILE --process P`: the whole pipeline on
//! timely dataflow (see `storyline-dataflow`).
//!
//! Every worker of every process reads a chunk of the inputs (a byte range of a JSONL file
//! or of a `.warc.gz`, or a whole file or folder of another kind), parses or extracts the
//! articles, leaves out those not in the language asked for, and featurizes them. The
//! articles, with their features, travel to worker 0 of process 0, which takes the chunks in
//! input order: it numbers lines and WARC records as a single reader would, gives web
//! articles unique ids (the same [`IdSettler`] as the single-process pipeline), and stores
//! them through the same [`Engine`], whose clusterer assigns them in that order. So the store
//! ends up with the same articles in the same events as `storyline run` in one process. The
//! store records each input file as completed in the transaction of its last articles; a
//! re-run starts after the leading inputs found there. Then the events that changed are
//! summarized and compared on every worker of every process ([`refresh`]): process 0 hands
//! them out in batches with their articles and stores what comes back.

use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use indicatif::ProgressBar;
use serde::{Deserialize, Serialize};
use storyline::Article;
use storyline::cluster::{ArticleFeatures, ClusterOptions, Featurizer};
use storyline::ingest::{self, BoundedLines, Issue, Limits, Line, LineOutcome, Problem};
use storyline_dataflow::input::{Chunk, InputFile, read_chunk};
use storyline_dataflow::{ChunkWork, Coordinator, InOrder, Report, ScatterShape, Shape};
use storyline_store::db::{EventRow, Refreshed, StoredArticle};
use storyline_store::engine::{load_events, present_guarded, save_presented};
use storyline_store::{Engine, EngineOptions, IngestCounts};
use storyline_web::lang::LangFilter;
use storyline_web::pipeline::{IdSettler, Processed, process_guarded};
use storyline_web::source::{self, Item};
use storyline_web::{IngestOptions, Origin, Reason, Reject, Tally, WebArticle};

use crate::input::{self, Kind};
use crate::net::{NetArgs, guarded, stop_on_worker_panic};
use crate::progress::{show_progress, spinner};
use crate::store::open_engine;

/// What a scaled-out run needs to know, the same in every process.
pub struct Settings {
    /// Inputs with how each is read; web inputs after the others, as the single-process
    /// run reads them.
    pub inputs: Vec<(PathBuf, Kind)>,
    /// Leave out articles clearly not in English.
    pub english_only: bool,
    /// Clustering settings (the engine's).
    pub cluster: ClusterOptions,
    /// Articles stored per transaction.
    pub batch: usize,
}

/// One record's outcome, as it travels to process 0 (articles as JSON lines: the
/// exchange's binary encoding cannot skip absent fields the way `Article` is written).
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Piece {
    /// A problem with a record; line numbers count from the chunk's first line. With
    /// `context_line`, the issue names `file:line` in its file field.
    Issue {
        issue: Issue,
        context_line: Option<usize>,
    },
    /// An article of a JSONL or text input.
    Article {
        json: String,
        features: ArticleFeatures,
    },
    /// A web page: an article or why not, with the ids it may fall back to.
    Page {
        article: Option<(String, Option<String>, ArticleFeatures)>,
        reject: Option<Reason>,
        origin: WireOrigin,
        alt_ids: Vec<String>,
    },
}

/// [`Origin`] with every field always written.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct WireOrigin {
    file: String,
    record: Option<u64>,
    offset: Option<u64>,
    url: Option<String>,
}

impl From<Origin> for WireOrigin {
    fn from(o: Origin) -> Self {
        WireOrigin {
            file: o.file,
            record: o.record,
            offset: o.offset,
            url: o.url,
        }
    }
}

/// What a chunk became.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct ChunkOut {
    /// Lines read (JSONL), to number the next chunk's.
    lines: usize,
    /// WARC records and decompressed bytes read, to number the next chunk's.
    records: u64,
    bytes: u64,
    pieces: Vec<Piece>,
}

/// Read, parse or extract, filter, featurize.
struct PipelineWork {
    config: Arc<WorkConfig>,
}

/// What the work needs to know.
#[derive(Debug)]
struct WorkConfig {
    kinds: Vec<Kind>,
    limits: Limits,
    english_only: bool,
    web: IngestOptions,
    cluster: ClusterOptions,
}

/// A worker's helper thread, which does the work with the stack the single-process pipeline
/// gives its extractors (deeply nested markup recurses in the parser and the scorer; timely's
/// worker threads have the default stack).
struct Helper {
    jobs: mpsc::Sender<(InputFile, Chunk)>,
    done: mpsc::Receiver<ChunkOut>,
}

impl ChunkWork for PipelineWork {
    type Output = ChunkOut;
    type State = Option<Helper>;

    fn state(&self) -> Option<Helper> {
        let config = Arc::clone(&self.config);
        let (jobs, job_rx) = mpsc::channel::<(InputFile, Chunk)>();
        let (done_tx, done) = mpsc::channel();
        std::thread::Builder::new()
            .name("storyline-extract".into())
            .stack_size(64 << 20)
            .spawn(move || {
                let mut f = Featurizer::new(&config.cluster);
                for (file, chunk) in job_rx {
                    if done_tx.send(config.process(&mut f, &file, &chunk)).is_err() {
                        return;
                    }
                }
            })
            .ok()?;
        Some(Helper { jobs, done })
    }

    fn process(
        &self,
        helper: &mut Option<Helper>,
        file: &InputFile,
        chunk: &Chunk,
    ) -> (ChunkOut, u64) {
        let out = helper
            .as_ref()
            .and_then(|h| {
                h.jobs.send((file.clone(), *chunk)).ok()?;
                h.done.recv().ok()
            })
            .unwrap_or_else(|| {
                // The helper could not start, or failed (a bug, never input).
                *helper = None;
                ChunkOut {
                    pieces: vec![Piece::Page {
                        article: None,
                        reject: Some(Reason::Panicked),
                        origin: Origin::file(file.name.clone()).into(),
                        alt_ids: Vec::new(),
                    }],
                    ..ChunkOut::default()
                }
            });
        let articles = out
            .pieces
            .iter()
            .filter(|p| {
                matches!(
                    p,
                    Piece::Article { .. }
                        | Piece::Page {
                            article: Some(_),
                            ..
                        }
                )
            })
            .count();
        (out, articles as u64)
    }
}

impl WorkConfig {
    fn process(&self, f: &mut Featurizer, file: &InputFile, chunk: &Chunk) -> ChunkOut {
        let mut out = ChunkOut::default();
        match self.kinds[chunk.file] {
            Kind::Jsonl => self.jsonl(f, file, chunk, &mut out),
            Kind::Txt => self.txt(f, file, &mut out),
            Kind::Web => self.web(f, file, chunk, &mut out),
        }
        out
    }

    fn jsonl(&self, f: &mut Featurizer, file: &InputFile, chunk: &Chunk, out: &mut ChunkOut) {
        let name = &file.name;
        let lines = if file.splittable {
            read_chunk(file, chunk, self.limits.max_line_bytes)
        } else {
            // Compressed: read whole, as the single-process reader does.
            let mut lines = Vec::new();
            let read = ingest::open_lines(&file.path).and_then(|r| {
                let mut reader = BoundedLines::new(r, self.limits.max_line_bytes);
                while let Some(line) = reader.next_line()? {
                    lines.push(line);
                }
                Ok(())
            });
            if let Err(e) = read {
                lines.push(Line::Bad(lines.len() + 1, Problem::Io(e.to_string())));
            }
            lines
        };
        out.lines = lines.len();
        for line in lines {
            match line {
                Line::Bad(no, problem) => out.pieces.push(Piece::Issue {
                    issue: ingest::bad_line(name, no, problem),
                    context_line: None,
                }),
                Line::Text(no, text) => {
                    match ingest::parse_article_line(name, no, &text, &self.limits) {
                        LineOutcome::Blank => {}
                        LineOutcome::Rejected(issue) => out.pieces.push(Piece::Issue {
                            issue,
                            context_line: None,
                        }),
                        LineOutcome::Article(a, issues) => {
                            out.pieces
                                .extend(issues.into_iter().map(|issue| Piece::Issue {
                                    issue,
                                    context_line: None,
                                }));
                            self.article(f, a, &format!("{name}:{no}"), Some(no), out);
                        }
                    }
                }
            }
        }
    }

    fn txt(&self, f: &mut Featurizer, file: &InputFile, out: &mut ChunkOut) {
        let got = if file.path.is_dir() {
            ingest::read_txt_dir(&file.path, &self.limits)
        } else {
            let mut got = ingest::Ingested::default();
            match ingest::read_txt_article(&file.path, &self.limits) {
                Ok((a, issues)) => {
                    got.items.push(a);
                    got.issues = issues;
                }
                Err(issue) => got.issues.push(issue),
            }
            got
        };
        out.pieces
            .extend(got.issues.into_iter().map(|issue| Piece::Issue {
                issue,
                context_line: None,
            }));
        for a in got.items {
            self.article(f, a, &file.name, None, out);
        }
    }

    /// An article of a JSONL or text input: kept (featurized) unless not in English.
    fn article(
        &self,
        f: &mut Featurizer,
        a: Article,
        context: &str,
        line: Option<usize>,
        out: &mut ChunkOut,
    ) {
        let mut one = vec![a];
        if self.english_only {
            let mut issues = Vec::new();
            input::keep_english(&mut one, &mut issues, context);
            out.pieces
                .extend(issues.into_iter().map(|issue| Piece::Issue {
                    issue,
                    context_line: line,
                }));
        }
        if let Some(a) = one.pop() {
            out.pieces.push(Piece::Article {
                json: serde_json::to_string(&a).unwrap_or_default(),
                features: f.features(&a),
            });
        }
    }

    fn web(&self, f: &mut Featurizer, file: &InputFile, chunk: &Chunk, out: &mut ChunkOut) {
        let source = self.web.source();
        let mut emit = |item: Item| {
            let processed = match item {
                Item::Doc(doc) => process_guarded(doc, &self.web),
                Item::Reject(r) => Processed {
                    result: Err(r),
                    alt_ids: Vec::new(),
                },
            };
            out.pieces.push(match processed.result {
                Ok(w) => Piece::Page {
                    article: Some((
                        serde_json::to_string(&w.article).unwrap_or_default(),
                        w.lang,
                        f.features(&w.article),
                    )),
                    reject: None,
                    origin: w.origin.into(),
                    alt_ids: processed.alt_ids,
                },
                Err(r) => Piece::Page {
                    article: None,
                    reject: Some(r.reason),
                    origin: r.origin.into(),
                    alt_ids: Vec::new(),
                },
            });
            true
        };
        if file.splittable {
            match source::read_warc_gz_range(
                &file.path,
                &file.name,
                chunk.start,
                chunk.end,
                &source,
                &mut emit,
            ) {
                Ok(end) => {
                    out.records = end.records;
                    out.bytes = end.bytes;
                }
                Err(e) => {
                    emit(Item::Reject(Reject::new(
                        Origin::file(file.name.clone()),
                        Reason::Io(e.to_string()),
                    )));
                }
            }
        } else {
            source::read_paths(
                std::slice::from_ref(&file.path),
                &source,
                &Arc::new(source::Progress::default()),
                &mut emit,
            );
        }
    }
}

/// Process 0's worker 0: numbers, settles ids, stores in order.
struct StoreConsumer {
    /// Opened (and replayed) when the first chunk arrives, so that a large store does not
    /// keep the other processes waiting to connect.
    engine: Option<Engine>,
    db: PathBuf,
    opts: EngineOptions,
    featurizer: Featurizer,
    pending: Vec<Article>,
    features: Vec<ArticleFeatures>,
    batch: usize,
    counts: IngestCounts,
    rejected: usize,
    ids: IdSettler,
    tally: Tally,
    /// Lines, records and decompressed bytes of the current file's earlier chunks.
    line_offset: usize,
    record_offset: u64,
    byte_offset: u64,
    bar: ProgressBar,
    started: Instant,
}

fn store_error(e: impl std::fmt::Display) -> storyline_dataflow::Error {
    storyline_dataflow::Error::Consumer(format!("storing articles: {e}"))
}

impl InOrder<ChunkOut> for StoreConsumer {
    fn chunk(
        &mut self,
        chunk: &Chunk,
        file: &InputFile,
        out: ChunkOut,
    ) -> Result<(), storyline_dataflow::Error> {
        if chunk.first_of_file {
            self.line_offset = 0;
            self.record_offset = 0;
            self.byte_offset = 0;
        }
        for piece in out.pieces {
            match piece {
                Piece::Issue {
                    mut issue,
                    context_line,
                } => {
                    if let Some(n) = issue.record.line.as_mut() {
                        *n += self.line_offset;
                    }
                    if let Some(n) = context_line {
                        issue.record.file = format!("{}:{}", file.name, n + self.line_offset);
                    }
                    self.bar
                        .suspend(|| self.rejected += input::report(std::slice::from_ref(&issue)));
                }
                Piece::Article { json, features } => {
                    let article: Article = serde_json::from_str(&json).map_err(store_error)?;
                    self.push(article, features)?;
                }
                Piece::Page {
                    article,
                    reject,
                    origin,
                    alt_ids,
                } => self.page(article, reject, origin, alt_ids)?,
            }
        }
        self.line_offset += out.lines;
        self.record_offset += out.records;
        self.byte_offset += out.bytes;
        if chunk.last_of_file {
            self.flush(Some((&file.name, file.size)))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), storyline_dataflow::Error> {
        self.flush(None)
    }
}

impl StoreConsumer {
    fn page(
        &mut self,
        article: Option<(String, Option<String>, ArticleFeatures)>,
        reject: Option<Reason>,
        origin: WireOrigin,
        alt_ids: Vec<String>,
    ) -> Result<(), storyline_dataflow::Error> {
        // Number the record as a reader of the whole file would have.
        let local = origin.record;
        let origin = Origin {
            record: origin.record.map(|n| n + self.record_offset),
            offset: origin.offset.map(|o| o + self.byte_offset),
            file: origin.file,
            url: origin.url,
        };
        // Ids made of the record number (pages without an address or record id).
        let renumber = |id: String| match (local, origin.record) {
            (Some(l), Some(g)) if l != g && id == format!("{}#{l}", origin.file) => {
                format!("{}#{g}", origin.file)
            }
            _ => id,
        };
        let (result, features) = match (article, reject) {
            (Some((json, lang, features)), _) => {
                let mut article: Article = serde_json::from_str(&json).map_err(store_error)?;
                article.id = renumber(article.id);
                let w = WebArticle {
                    article,
                    lang,
                    origin: origin.clone(),
                };
                (Ok(w), Some(features))
            }
            (None, reason) => (
                Err(Reject::new(
                    origin.clone(),
                    reason.unwrap_or(Reason::NoArticle),
                )),
                None,
            ),
        };
        let processed = Processed {
            result,
            alt_ids: alt_ids.into_iter().map(renumber).collect(),
        };
        let settled = self.ids.settle(processed);
        self.tally.add(&settled);
        match (settled, features) {
            (Ok(w), Some(mut features)) => {
                if features.id != w.article.id {
                    // It took another id: features hash short texts by id.
                    features = self.featurizer.features(&w.article);
                }
                self.push(w.article, features)
            }
            (Err(reject), _) => {
                if reject.reason.is_document() {
                    self.rejected += 1;
                    self.bar.suspend(|| tracing::warn!("{reject}"));
                }
                Ok(())
            }
            (Ok(_), None) => Ok(()),
        }
    }

    /// The engine, opened on first use.
    fn engine(&mut self) -> Result<&mut Engine, storyline_dataflow::Error> {
        if self.engine.is_none() {
            let bar = self.bar.clone();
            bar.set_message("reading the store");
            let engine =
                open_engine(&self.db, &self.opts, &ProgressBar::hidden()).map_err(store_error)?;
            bar.set_message("");
            self.engine = Some(engine);
        }
        self.engine
            .as_mut()
            .ok_or_else(|| store_error("the store is not open"))
    }

    fn push(
        &mut self,
        article: Article,
        features: ArticleFeatures,
    ) -> Result<(), storyline_dataflow::Error> {
        self.pending.push(article);
        self.features.push(features);
        if self.pending.len() >= self.batch {
            self.flush(None)?;
        }
        Ok(())
    }

    fn flush(&mut self, completed: Option<(&str, u64)>) -> Result<(), storyline_dataflow::Error> {
        if self.pending.is_empty() && completed.is_none() {
            return Ok(());
        }
        let features = std::mem::take(&mut self.features);
        let pending = std::mem::take(&mut self.pending);
        let (_, c) = self
            .engine()?
            .ingest_featurized(&pending, features, completed)
            .map_err(store_error)?;
        self.counts += c;
        show_progress(&self.bar, &self.counts, self.started);
        Ok(())
    }
}

/// The run's inputs and the work on them.
fn plan(settings: &Settings) -> Result<(Vec<InputFile>, PipelineWork)> {
    let mut files = Vec::new();
    let mut kinds = Vec::new();
    for (path, kind) in &settings.inputs {
        if path.as_os_str() == "-" {
            bail!("--workers/--hosts read files (split by byte range), not stdin");
        }
        let mut f = InputFile::open(path.clone())
            .with_context(|| format!("{}: cannot open", path.display()))?;
        let name = f.name.to_ascii_lowercase();
        f.splittable = match kind {
            Kind::Jsonl => path.is_file() && !name.ends_with(".gz"),
            Kind::Txt => false,
            Kind::Web => source::splittable(path),
        };
        files.push(f);
        kinds.push(*kind);
    }
    let work = PipelineWork {
        config: Arc::new(WorkConfig {
            kinds,
            limits: Limits::default(),
            english_only: settings.english_only,
            web: IngestOptions {
                threads: 1,
                langs: if settings.english_only {
                    LangFilter::english()
                } else {
                    LangFilter::Any
                },
                ..IngestOptions::default()
            },
            cluster: settings.cluster.clone(),
        }),
    };
    Ok((files, work))
}

fn shape(files: Vec<InputFile>, work: &PipelineWork, net: &NetArgs) -> Result<Shape> {
    let settings_key = storyline_dataflow::stable_hash(&format!("run|{:?}", work.config));
    Ok(Shape {
        inputs: files,
        chunk_bytes: net.chunk_bytes.max(1),
        workers: net.workers.unwrap_or(1).max(1),
        network: net.network()?,
        settings_key,
        throttle: net.throttle_ms.map(Duration::from_millis),
        // Storing costs a tenth of extracting: process 0 takes its turns too.
        heavy_consumer: false,
        stall_timeout: net.stall_timeout(),
    })
}

/// Process 0: runs the dataflow and stores what it yields into the store at `db`. Returns
/// the engine, the counts, the records rejected, and the store's counts before the run.
pub fn ingest(
    db: &Path,
    opts: &EngineOptions,
    settings: &Settings,
    net: &NetArgs,
    show: bool,
) -> Result<(Engine, IngestCounts, usize, storyline_store::db::Counts)> {
    let (files, work) = plan(settings)?;
    // What the store holds, and the leading inputs it has completed: the run starts after
    // them. (Replaying the store into the clusterer waits for the first chunk.)
    let (before, completed) = {
        let conn = storyline_store::db::open(db)
            .with_context(|| format!("{}: cannot open the store", db.display()))?;
        (
            storyline_store::db::counts(&conn)?,
            storyline_store::db::completed_inputs(&conn)?,
        )
    };
    let start_file = files
        .iter()
        .take_while(|f| completed.iter().any(|(n, s)| *n == f.name && *s == f.size))
        .count();
    if start_file > 0 {
        eprintln!(
            "{}: the first {start_file} of {} inputs were completed by an earlier run; starting after them",
            db.display(),
            files.len()
        );
    }
    let bar = spinner(show, "articles");
    let consumer = StoreConsumer {
        featurizer: Featurizer::new(&settings.cluster),
        engine: None,
        db: db.to_path_buf(),
        opts: opts.clone(),
        pending: Vec::new(),
        features: Vec::new(),
        batch: settings.batch,
        counts: IngestCounts::default(),
        rejected: 0,
        ids: IdSettler::default(),
        tally: Tally::default(),
        line_offset: 0,
        record_offset: 0,
        byte_offset: 0,
        bar,
        started: Instant::now(),
    };
    let shape = shape(files, &work, net)?;
    stop_on_worker_panic(0);
    let result = storyline_dataflow::run_chunks(shape, start_file, work, Some(consumer));
    // Summarizing guards against its own panics: the default hook again.
    let _ = std::panic::take_hook();
    let (report, consumer) = result?;
    net.write_report(&report)?;
    let mut consumer = consumer.context("process 0 ended without its store")?;
    let tally = consumer.tally.clone();
    if tally != Tally::default() {
        consumer
            .bar
            .suspend(|| tracing::info!("web pages: {tally}"));
    }
    consumer.bar.finish_and_clear();
    print_report(&report);
    consumer.engine()?;
    let engine = consumer.engine.take().context("the store is not open")?;
    Ok((engine, consumer.counts, consumer.rejected, before))
}

/// Any process but 0: read, extract, featurize, send; then summarize and compare events.
pub fn help(settings: &Settings, net: &NetArgs, opts: &EngineOptions) -> Result<()> {
    let (files, work) = plan(settings)?;
    let shape = shape(files, &work, net)?;
    let process = shape.network.as_ref().map_or(0, |n| n.process);
    stop_on_worker_panic(process);
    let (report, _) = storyline_dataflow::run_chunks::<_, StoreConsumer>(shape, 0, work, None)?;
    net.write_report(&report)?;
    print_report(&report);
    let summarized = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = Arc::clone(&summarized);
    let opts = opts.clone();
    storyline_dataflow::scatter::<EventJob, Option<Refreshed>, _, RefreshCoordinator>(
        refresh_shape(&opts, net)?,
        move |job| {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            present_job(job, &opts)
        },
        None,
    )?;
    let _ = std::panic::take_hook();
    eprintln!(
        "process {process}: summarized and compared {} events",
        summarized.load(std::sync::atomic::Ordering::Relaxed)
    );
    Ok(())
}

/// An event to summarize and compare: its row and articles, as JSON.
type EventJob = String;

/// Summarizes and compares one event (`None`: a job that cannot be read, a bug).
fn present_job(job: EventJob, opts: &EngineOptions) -> Option<Refreshed> {
    match serde_json::from_str::<(EventRow, Vec<StoredArticle>)>(&job) {
        Ok((row, members)) => Some(guarded(|| present_guarded(&row, &members, opts))),
        Err(e) => {
            tracing::error!("an event to summarize could not be read: {e}");
            None
        }
    }
}

fn refresh_shape(opts: &EngineOptions, net: &NetArgs) -> Result<ScatterShape> {
    Ok(ScatterShape {
        workers: net.workers.unwrap_or(1).max(1),
        network: net.network()?,
        key: storyline_dataflow::stable_hash(&format!(
            "refresh|{:?}|{}|{:?}",
            opts.cluster, opts.summary_words, opts.compare
        )),
        stall_timeout: net.stall_timeout(),
    })
}

/// Process 0's side of summarizing: hands out the dirty events in batches, stores the
/// results.
struct RefreshCoordinator {
    engine: Engine,
    ids: std::vec::IntoIter<String>,
    batch: usize,
    done: usize,
    bar: ProgressBar,
}

fn refresh_error(e: impl std::fmt::Display) -> storyline_dataflow::Error {
    storyline_dataflow::Error::Consumer(format!("summarizing events: {e}"))
}

impl Coordinator<EventJob, Option<Refreshed>> for RefreshCoordinator {
    fn next_batch(&mut self) -> Result<Option<Vec<EventJob>>, storyline_dataflow::Error> {
        let ids: Vec<String> = self.ids.by_ref().take(self.batch).collect();
        if ids.is_empty() {
            return Ok(None);
        }
        let events = load_events(self.engine.connection(), &ids).map_err(refresh_error)?;
        events
            .iter()
            .map(|e| serde_json::to_string(e).map_err(refresh_error))
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    fn done(&mut self, results: Vec<Option<Refreshed>>) -> Result<(), storyline_dataflow::Error> {
        let results: Vec<Refreshed> = results.into_iter().flatten().collect();
        save_presented(self.engine.connection_mut(), &results).map_err(refresh_error)?;
        self.done += results.len();
        self.bar.set_position(self.done as u64);
        Ok(())
    }
}

/// Process 0: summarizes and compares the dirty events on every worker of every process.
/// Returns the engine and how many events were summarized.
pub fn refresh(
    engine: Engine,
    opts: &EngineOptions,
    net: &NetArgs,
    bar: ProgressBar,
) -> Result<(Engine, usize)> {
    let ids = storyline_store::db::dirty_events(engine.connection(), i64::MAX as usize)?;
    let workers = net.workers.unwrap_or(1).max(1);
    let coordinator = RefreshCoordinator {
        engine,
        ids: ids.into_iter(),
        batch: (workers * 16).clamp(16, 256),
        done: 0,
        bar,
    };
    stop_on_worker_panic(0);
    let opts_here = opts.clone();
    let result = storyline_dataflow::scatter(
        refresh_shape(opts, net)?,
        move |job| present_job(job, &opts_here),
        Some(coordinator),
    );
    let _ = std::panic::take_hook();
    let c = result?.context("process 0 ended without its store")?;
    Ok((c.engine, c.done))
}

fn print_report(r: &Report) {
    let shape = format!("{} process(es) x {} worker(s)", r.processes, r.workers);
    if r.process == 0 {
        tracing::info!(
            "dataflow: {} chunks ({} here), {} articles in {:.2} s; {shape}; {:.0} exchanged bytes/article",
            r.chunks,
            r.chunks_here,
            r.exchanged_articles,
            r.secs,
            r.exchanged_bytes as f64 / r.exchanged_articles.max(1) as f64
        );
    } else {
        eprintln!(
            "process {}: read and featurized {} articles in {} of {} chunks ({shape}); {:.2} s",
            r.process, r.articles_here, r.chunks_here, r.chunks, r.secs
        );
    }
}
