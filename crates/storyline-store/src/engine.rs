//! The engine: the store kept up to date as articles arrive.
//!
//! ```text
//! articles ──► featurize (all cores) ──► assign (one thread, in order) ──► one transaction
//!                                                                          (articles, events
//!                                                                           marked dirty)
//! dirty events ──► summarize + compare (all cores) ──► one transaction per batch of events
//! ```
//!
//! The clusterer's state is derived from the stored articles: on opening, they are assigned
//! again in their ingest order. The clusterer is deterministic, so this gives back the same
//! state (and the same events) as when they were first assigned; a mismatch (the clustering
//! settings changed since) is reported, and the store keeps its events. So that opening does
//! not take longer as the store grows, the engine saves a checkpoint of the clusterer (its
//! bounded state, serialized, with the ingest number of the last article it assigned) in the
//! transaction of a batch, every [`CHECKPOINT_ARTICLES`] articles or
//! [`CHECKPOINT_INTERVAL`], and on [`Engine::checkpoint`] (the end of a run, a server that
//! stops); opening loads it and replays only the later articles. A checkpoint of another
//! format, other settings, another build, or that does not decode is ignored with a log line:
//! every article is replayed, as without one. An article whose id
//! is already stored is skipped, so re-running over the same input adds nothing twice.
//!
//! A run killed at any point leaves the store as of its last commit: the articles of the
//! batch being written are read again by the next run (they are not stored yet), and events
//! whose presentation was being recomputed are still marked dirty.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::time::Duration;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::Connection;
use rustc_hash::FxHashSet;
use serde::Serialize;
use storyline::cluster::{ArticleFeatures, Assignment, ClusterOptions, EventClusterer, Featurizer};
use storyline::compare::{CompareOptions, SourceComparison, compare_reading};
use storyline::report::SummaryReport;
use storyline::summarize::SummarySentence;
use storyline::{Aligner, Article, Corpus, SummaryOptions, summarize_reading};

use crate::StoreError;
use crate::db::{self, EventRow, NewArticle, Refreshed, StoredArticle};

/// Format of the clusterer checkpoint: change it when the clusterer's serialized state
/// changes meaning (a checkpoint of another format is ignored).
pub const CHECKPOINT_FORMAT: i64 = 1;
/// Articles assigned after which the engine saves a checkpoint with the next batch.
pub const CHECKPOINT_ARTICLES: usize = 200_000;
/// Time after which the engine saves a checkpoint with the next batch.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_secs(120);

/// What a checkpoint must have been made with to be used: the clustering settings (the join
/// model by whether one was given) and the build.
fn checkpoint_key(opts: &ClusterOptions) -> String {
    let plain = ClusterOptions {
        join_model: None,
        ..opts.clone()
    };
    format!(
        "storyline {}; model {}; {plain:?}",
        env!("CARGO_PKG_VERSION"),
        if opts.join_model.is_some() {
            "given"
        } else {
            "shipped"
        }
    )
}

/// The clusterer of a checkpoint, if it can be used (else why not).
fn load_checkpoint(
    conn: &Connection,
    opts: &ClusterOptions,
) -> Result<Option<(EventClusterer, i64)>, String> {
    let Some(c) = db::checkpoint(conn).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    if c.format != CHECKPOINT_FORMAT {
        return Err(format!(
            "format {}, this build reads {CHECKPOINT_FORMAT}",
            c.format
        ));
    }
    if c.options != checkpoint_key(opts) {
        return Err("made with other clustering settings or another build".into());
    }
    let last = db::last_seq(conn).map_err(|e| e.to_string())?;
    if c.last_seq > last {
        return Err(format!(
            "it covers articles up to {}, the store ends at {last}",
            c.last_seq
        ));
    }
    let clusterer: EventClusterer = db::read_checkpoint_state(conn, |r| {
        bincode::deserialize_from(std::io::BufReader::with_capacity(1 << 20, r))
    })
    .map_err(|e| e.to_string())?
    .map_err(|e| format!("unreadable: {e}"))?;
    if clusterer.stats().articles != c.articles as u64 {
        return Err("its article count does not match its state".into());
    }
    Ok(Some((clusterer.with_options(opts.clone()), c.last_seq)))
}

/// When the next checkpoint is due.
#[derive(Debug)]
struct CheckpointClock {
    articles: usize,
    since: std::time::Instant,
    every: usize,
    interval: Duration,
}

impl CheckpointClock {
    fn new(opts: &EngineOptions) -> Self {
        CheckpointClock {
            articles: 0,
            since: std::time::Instant::now(),
            every: opts.checkpoint_articles.max(1),
            interval: opts.checkpoint_interval,
        }
    }

    /// Counts `n` more articles assigned; true when a checkpoint is due (and restarts).
    fn tick(&mut self, n: usize) -> bool {
        self.articles += n;
        let due = self.articles >= self.every
            || (self.articles > 0 && self.since.elapsed() >= self.interval);
        if due {
            self.restart();
        }
        due
    }

    fn restart(&mut self) {
        self.articles = 0;
        self.since = std::time::Instant::now();
    }
}

/// A snapshot of the clusterer, to be stored with the batch whose last article it has
/// assigned (its ingest number is filled in then).
fn snapshot(clusterer: &EventClusterer) -> Option<db::Checkpoint> {
    match bincode::serialize(clusterer) {
        Ok(state) => Some(db::Checkpoint {
            format: CHECKPOINT_FORMAT,
            options: checkpoint_key(clusterer.options()),
            last_seq: 0,
            articles: clusterer.stats().articles as i64,
            state,
        }),
        Err(e) => {
            tracing::warn!("the clusterer checkpoint could not be made: {e}");
            None
        }
    }
}

/// How the engine works.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Clustering settings (the defaults are the tuned ones).
    pub cluster: ClusterOptions,
    /// Summary budget in words.
    pub summary_words: usize,
    /// Comparison settings.
    pub compare: CompareOptions,
    /// Threads for featurizing and for recomputing events.
    pub threads: usize,
    /// Articles assigned after which a checkpoint of the clusterer is saved with the next
    /// batch ([`CHECKPOINT_ARTICLES`]).
    pub checkpoint_articles: usize,
    /// Time after which a checkpoint is saved with the next batch ([`CHECKPOINT_INTERVAL`]).
    pub checkpoint_interval: Duration,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            cluster: ClusterOptions::default(),
            summary_words: 100,
            compare: CompareOptions::default(),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            checkpoint_articles: CHECKPOINT_ARTICLES,
            checkpoint_interval: CHECKPOINT_INTERVAL,
        }
    }
}

/// What happened to one submitted article.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored, in this event.
    Stored {
        /// Article id.
        id: String,
        /// Event id.
        event: String,
        /// The earlier article it copies, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        duplicate_of: Option<String>,
        /// It started a new event.
        new_event: bool,
    },
    /// Already in the store (nothing changed).
    AlreadyStored {
        /// Article id.
        id: String,
    },
}

/// An event as the API and the web page show it: its summary with citations, its source
/// comparison, its articles.
#[derive(Debug, Clone, Serialize)]
pub struct EventDocument {
    /// Event id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Earliest article date (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_date: Option<i64>,
    /// Latest article date (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_date: Option<i64>,
    /// Number of articles.
    pub articles: usize,
    /// Distinct outlets.
    pub outlets: usize,
    /// Summary length in words.
    pub words: usize,
    /// The summary: sentences with their citations.
    pub summary: Vec<SummarySentence>,
    /// Where the outlets agree and differ (absent until summarized).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<SourceComparison>,
    /// The member articles, in arrival order.
    pub members: Vec<Member>,
}

/// A member article in an event document.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Outlet.
    pub outlet: String,
    /// Publication time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<storyline::Timestamp>,
    /// Address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The earlier article it copies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
}

/// Counts of one call to [`Engine::ingest`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct IngestCounts {
    /// Stored.
    pub stored: usize,
    /// Skipped: already stored.
    pub already_stored: usize,
    /// New events started.
    pub new_events: usize,
    /// Stored as copies of earlier articles.
    pub duplicates: usize,
}

impl std::ops::AddAssign for IngestCounts {
    fn add_assign(&mut self, c: IngestCounts) {
        self.stored += c.stored;
        self.already_stored += c.already_stored;
        self.new_events += c.new_events;
        self.duplicates += c.duplicates;
    }
}

/// The store with its clusterer: ingests articles and keeps events up to date.
pub struct Engine {
    conn: Connection,
    path: PathBuf,
    opts: EngineOptions,
    clusterer: EventClusterer,
    featurizers: Vec<Featurizer>,
    /// A write failed after the clusterer had moved on: the engine must be reopened.
    broken: bool,
    /// Stored articles replayed on opening, and how many would now go elsewhere.
    replayed: (usize, usize),
    /// Time spent writing ingested articles to the store (inserts, search index, events).
    write_time: std::time::Duration,
    /// The outlets of the events written lately (for their `outlets` count).
    outlets: db::EventOutlets,
    /// When the next checkpoint is due.
    clock: CheckpointClock,
    /// The stored checkpoint is of the clusterer as it is (nothing assigned since).
    checkpoint_current: bool,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Featurizes articles on `featurizers.len()` threads, keeping their order.
fn featurize_all(featurizers: &mut [Featurizer], articles: &[&Article]) -> Vec<ArticleFeatures> {
    if articles.len() < 64 || featurizers.len() == 1 {
        let f = &mut featurizers[0];
        return articles.iter().map(|a| f.features(a)).collect();
    }
    let chunk = articles.len().div_ceil(featurizers.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = featurizers
            .iter_mut()
            .zip(articles.chunks(chunk))
            .map(|(f, part)| {
                s.spawn(move || part.iter().map(|a| f.features(a)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

impl Engine {
    /// Opens the store at `path` (creating it), and rebuilds the clusterer from the stored
    /// articles. `progress` is told how many articles were replayed so far.
    pub fn open(
        path: &Path,
        opts: EngineOptions,
        mut progress: impl FnMut(usize),
    ) -> Result<Engine, StoreError> {
        let mut conn = db::open(path)?;
        let mut featurizers: Vec<Featurizer> = (0..opts.threads.max(1))
            .map(|_| Featurizer::new(&opts.cluster))
            .collect();
        let (mut replayed, mut moved) = (0, 0);
        let mut after = 0;
        let mut loaded = false;
        let mut clusterer = match load_checkpoint(&conn, &opts.cluster) {
            Ok(Some((clusterer, last_seq))) => {
                after = last_seq;
                loaded = true;
                clusterer
            }
            Ok(None) => EventClusterer::new(opts.cluster.clone()),
            Err(why) => {
                tracing::warn!(
                    "{}: the clusterer checkpoint is not used ({why}); replaying every stored article",
                    path.display()
                );
                EventClusterer::new(opts.cluster.clone())
            }
        };
        // A store written before storylines were kept gets them from this replay.
        let backfill = !loaded && db::storylines_missing(&conn)?;
        if backfill {
            tracing::info!(
                "{}: recording the storylines of the stored events as they are replayed",
                path.display()
            );
        }
        loop {
            let page = db::articles_in_order(&conn, after, 4096)?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            let refs: Vec<&Article> = page.iter().map(|s| &s.article).collect();
            let mut assigned = Vec::with_capacity(if backfill { page.len() } else { 0 });
            for (f, stored) in featurize_all(&mut featurizers, &refs)
                .into_iter()
                .zip(&page)
            {
                let a = clusterer.assign(f);
                if a.event != stored.event {
                    moved += 1;
                }
                if backfill {
                    assigned.push(a);
                }
            }
            if backfill {
                let rows: Vec<NewArticle<'_>> = page
                    .iter()
                    .zip(&assigned)
                    .map(|(stored, a)| NewArticle {
                        article: &stored.article,
                        event: &stored.event,
                        duplicate_of: None,
                        storyline: Some(&a.storyline),
                        folded: &a.folded,
                    })
                    .collect();
                let seqs: Vec<i64> = page.iter().map(|s| s.seq).collect();
                let tx = db::write_transaction(&mut conn)?;
                db::backfill_storylines(&tx, &rows, &seqs)?;
                tx.commit()?;
            }
            replayed += page.len();
            progress(replayed);
        }
        if moved > 0 {
            tracing::warn!(
                "{moved} of {replayed} stored articles would now join other events (the clustering settings changed since they were stored); the store keeps its events"
            );
        }
        let mut checkpoint_current = loaded && replayed == 0;
        if replayed >= opts.checkpoint_articles.max(1) {
            // The next opening starts from here.
            save_now(&mut conn, &clusterer)?;
            checkpoint_current = true;
        }
        let clock = CheckpointClock::new(&opts);
        Ok(Engine {
            conn,
            path: path.to_path_buf(),
            opts,
            clusterer,
            featurizers,
            broken: false,
            replayed: (replayed, moved),
            write_time: std::time::Duration::ZERO,
            outlets: db::EventOutlets::default(),
            clock,
            checkpoint_current,
        })
    }

    /// Saves the clusterer's checkpoint now (at the end of a run, when a server stops), so
    /// that the next opening replays nothing. Does nothing on a broken engine (its clusterer
    /// is ahead of the store).
    pub fn checkpoint(&mut self) -> Result<(), StoreError> {
        if self.broken || self.checkpoint_current {
            return Ok(());
        }
        save_now(&mut self.conn, &self.clusterer)?;
        self.clock.restart();
        self.checkpoint_current = true;
        Ok(())
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The engine's settings.
    pub fn options(&self) -> &EngineOptions {
        &self.opts
    }

    /// Stored articles replayed on opening, and how many of them would now join another event.
    pub fn replayed(&self) -> (usize, usize) {
        self.replayed
    }

    /// Time spent so far writing ingested articles to the store (the inserts, their search
    /// index and their events), for benchmarks.
    pub fn write_time(&self) -> std::time::Duration {
        self.write_time
    }

    /// Counts of the store.
    pub fn counts(&self) -> Result<db::Counts, StoreError> {
        db::counts(&self.conn)
    }

    /// The connection (for reads in the same process).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Assigns and stores a batch of articles in one transaction. Articles already stored
    /// (or repeated within the batch) are skipped. The events they join are marked dirty.
    pub fn ingest(
        &mut self,
        articles: &[Article],
    ) -> Result<(Vec<Outcome>, IngestCounts), StoreError> {
        if self.broken {
            return Err(StoreError::Broken);
        }
        let fresh = self.fresh(articles.iter())?;
        let features = featurize_all(&mut self.featurizers, &fresh);
        self.assign_and_store(articles, &fresh, features, None)
    }

    /// Replaces a stored article's title and text with `article`'s (a feed entry that was
    /// rewritten), in one transaction; its event is recomputed at the next refresh. The
    /// article keeps its event: a rewrite corrects a story, it does not move it (a replay of
    /// the store may count it as moved if the new text would now join another event).
    /// False when no article has its id.
    pub fn revise(&mut self, article: &Article) -> Result<bool, StoreError> {
        if self.broken {
            return Err(StoreError::Broken);
        }
        let tx = db::write_transaction(&mut self.conn)?;
        let found = db::revise_article(&tx, &article.id, &article.title, &article.text)?;
        tx.commit()?;
        Ok(found)
    }

    /// [`Engine::ingest`] for articles featurized elsewhere (by the workers of a scaled-out
    /// run; `features[k]` are `articles[k]`'s, made with this engine's clustering settings).
    /// With `completed`, the same transaction records that input file as read to the end.
    pub fn ingest_featurized(
        &mut self,
        articles: &[Article],
        features: Vec<ArticleFeatures>,
        completed: Option<(&str, u64)>,
    ) -> Result<(Vec<Outcome>, IngestCounts), StoreError> {
        if self.broken {
            return Err(StoreError::Broken);
        }
        let fresh = self.fresh(articles.iter())?;
        let mut features = features.into_iter();
        let mut by_id: rustc_hash::FxHashMap<&str, ArticleFeatures> =
            rustc_hash::FxHashMap::default();
        for a in articles {
            if let Some(f) = features.next() {
                by_id.entry(a.id.as_str()).or_insert(f);
            }
        }
        let mut fresh_features = Vec::with_capacity(fresh.len());
        for a in &fresh {
            match by_id.remove(a.id.as_str()) {
                Some(f) => fresh_features.push(f),
                None => fresh_features.push(self.featurizers[0].features(a)),
            }
        }
        self.assign_and_store(articles, &fresh, fresh_features, completed)
    }

    /// Input files that scaled-out runs completed: (name, size).
    pub fn completed_inputs(&self) -> Result<Vec<(String, u64)>, StoreError> {
        db::completed_inputs(&self.conn)
    }

    /// The articles not stored yet, first occurrence only. The store is asked (its unique
    /// index on ids), not a set of every id ever stored, which would grow with the store
    /// (about 100 bytes an article: a watch of a million pages would hold 100 MB of ids).
    fn fresh<'a>(
        &self,
        articles: impl Iterator<Item = &'a Article>,
    ) -> Result<Vec<&'a Article>, StoreError> {
        let mut batch_ids: FxHashSet<&str> = FxHashSet::default();
        let mut out = Vec::new();
        for a in articles {
            if batch_ids.insert(a.id.as_str()) && !db::is_stored(&self.conn, &a.id)? {
                out.push(a);
            }
        }
        Ok(out)
    }

    fn assign_and_store(
        &mut self,
        articles: &[Article],
        fresh: &[&Article],
        features: Vec<ArticleFeatures>,
        completed: Option<(&str, u64)>,
    ) -> Result<(Vec<Outcome>, IngestCounts), StoreError> {
        let mut counts = IngestCounts::default();
        let assignments: Vec<Assignment> = features
            .into_iter()
            .map(|f| self.clusterer.assign(f))
            .collect();
        self.checkpoint_current &= assignments.is_empty();
        // Serialized straight into the store in the batch's transaction (no copy in memory:
        // the state is tens of MB on a long watch).
        let checkpoint = self.clock.tick(assignments.len());
        let writing = std::time::Instant::now();
        let result = (|| -> Result<(), StoreError> {
            let tx = db::write_transaction(&mut self.conn)?;
            let rows: Vec<NewArticle<'_>> = fresh
                .iter()
                .zip(&assignments)
                .map(|(a, s)| NewArticle {
                    article: a,
                    event: &s.event,
                    duplicate_of: s.duplicate_of.as_deref(),
                    storyline: Some(&s.storyline),
                    folded: &s.folded,
                })
                .collect();
            let seqs = db::insert_articles_with(&tx, &rows, now(), &mut self.outlets)?;
            if let Some((name, size)) = completed {
                db::mark_input_completed(&tx, name, size, now())?;
            }
            if checkpoint {
                let last_seq = match seqs.last() {
                    Some(&s) => s,
                    None => db::last_seq(&tx)?,
                };
                keep_checkpoint(&tx, write_checkpoint(&tx, &self.clusterer, last_seq))?;
            }
            tx.commit()?;
            Ok(())
        })();
        self.write_time += writing.elapsed();
        if let Err(e) = result {
            // The clusterer has taken these articles; the store has not.
            self.broken = true;
            return Err(e);
        }
        let mut by_id: rustc_hash::FxHashMap<&str, &Assignment> = rustc_hash::FxHashMap::default();
        for (a, s) in fresh.iter().zip(&assignments) {
            by_id.insert(a.id.as_str(), s);
        }
        let mut outcomes = Vec::with_capacity(articles.len());
        let mut reported: FxHashSet<&str> = FxHashSet::default();
        for a in articles {
            match by_id.get(a.id.as_str()) {
                Some(s) if reported.insert(a.id.as_str()) => {
                    counts.stored += 1;
                    counts.new_events += usize::from(s.new_event);
                    counts.duplicates += usize::from(s.duplicate_of.is_some());
                    outcomes.push(Outcome::Stored {
                        id: a.id.clone(),
                        event: s.event.clone(),
                        duplicate_of: s.duplicate_of.clone(),
                        new_event: s.new_event,
                    });
                }
                _ => {
                    counts.already_stored += 1;
                    outcomes.push(Outcome::AlreadyStored { id: a.id.clone() });
                }
            }
        }
        Ok((outcomes, counts))
    }

    /// Ingests a stream of articles featurized elsewhere (in input order, with this engine's
    /// clustering settings): `feed` hands them to the [`StreamIngest`] it is given, which
    /// assigns them on the calling thread while a writer thread stores them, `batch`
    /// articles per transaction, in assignment order. Returns `feed`'s result and the counts.
    ///
    /// The store always holds a prefix of what was assigned: a run killed at any point
    /// loses at most the batches not committed yet, which the next run reads again. A
    /// failed write stops the stream (the next [`StreamIngest::take`] fails) and leaves the
    /// engine broken, as [`Engine::ingest`] does.
    pub fn ingest_stream<T, E: From<StoreError>>(
        &mut self,
        batch: usize,
        feed: impl FnOnce(&mut StreamIngest<'_>) -> Result<T, E>,
    ) -> Result<(T, IngestCounts), E> {
        if self.broken {
            return Err(StoreError::Broken.into());
        }
        let batch = batch.max(1);
        // The ids stored, and then those of this stream (a batch run's input: a set is
        // faster than a query per article on the assigning thread, and is dropped at the end).
        let mut known: FxHashSet<String> = db::article_ids(&self.conn)?.into_iter().collect();
        let known = &mut known;
        let Engine {
            conn,
            clusterer,
            write_time,
            broken,
            outlets,
            clock,
            checkpoint_current,
            ..
        } = self;
        std::thread::scope(|s| {
            // Two batches in flight: the assigner runs ahead of the writer by at most that.
            let (tx, rx) = sync_channel::<(Vec<AssignedArticle>, Option<db::Checkpoint>)>(2);
            let writer = s.spawn(move || -> (Duration, Result<(), StoreError>) {
                let mut busy = Duration::ZERO;
                for (rows, checkpoint) in rx {
                    let started = std::time::Instant::now();
                    let result = store_assigned(conn, &rows, outlets, checkpoint);
                    busy += started.elapsed();
                    if result.is_err() {
                        return (busy, result);
                    }
                }
                (busy, Ok(()))
            });
            let mut stream = StreamIngest {
                clusterer,
                clock,
                known,
                batch,
                pending: Vec::with_capacity(batch),
                tx: Some(tx),
                counts: IngestCounts::default(),
            };
            let fed = feed(&mut stream);
            let flushed = stream.flush();
            let counts = stream.counts;
            *checkpoint_current &= counts.stored == 0;
            drop(stream);
            let (busy, written) = writer.join().unwrap_or_else(|_| {
                (
                    Duration::ZERO,
                    Err(StoreError::Io("the store writer panicked".into())),
                )
            });
            *write_time += busy;
            if written.is_err() || flushed.is_err() {
                // The clusterer has taken articles the store has not.
                *broken = true;
            }
            written?;
            flushed?;
            Ok((fed?, counts))
        })
    }

    /// The connection, to write (for work spread over processes: [`load_events`],
    /// [`present`], [`save_presented`]).
    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Recomputes the summary and comparison of every dirty event (see [`refresh`]).
    pub fn refresh(
        &mut self,
        limit: usize,
        progress: impl FnMut(usize, usize),
    ) -> Result<usize, StoreError> {
        refresh(&mut self.conn, &self.opts, limit, progress)
    }

    /// A coalesced refresh (see [`Coalescer`]): (events summarized, member lists updated).
    pub fn refresh_coalesced(&mut self, c: &mut Coalescer) -> Result<(usize, usize), StoreError> {
        c.refresh(&mut self.conn, &self.opts)
    }

    /// Summarizes every dirty event and forgets what `c` waited for.
    pub fn flush(&mut self, c: &mut Coalescer) -> Result<usize, StoreError> {
        c.flush(&mut self.conn, &self.opts)
    }
}

/// An article assigned to its event, on its way to the store.
struct AssignedArticle {
    article: Article,
    event: String,
    duplicate_of: Option<String>,
    storyline: String,
    folded: Vec<(String, String)>,
}

/// Stores assigned articles in one transaction, with the checkpoint made after the last of
/// them if one is given.
fn store_assigned(
    conn: &mut Connection,
    rows: &[AssignedArticle],
    outlets: &mut db::EventOutlets,
    checkpoint: Option<db::Checkpoint>,
) -> Result<(), StoreError> {
    let tx = db::write_transaction(conn)?;
    let rows: Vec<NewArticle<'_>> = rows
        .iter()
        .map(|r| NewArticle {
            article: &r.article,
            event: &r.event,
            duplicate_of: r.duplicate_of.as_deref(),
            storyline: Some(&r.storyline),
            folded: &r.folded,
        })
        .collect();
    let seqs = db::insert_articles_with(&tx, &rows, now(), outlets)?;
    if let Some(mut c) = checkpoint {
        c.last_seq = match seqs.last() {
            Some(&s) => s,
            None => db::last_seq(&tx)?,
        };
        keep_checkpoint(&tx, db::save_checkpoint(&tx, &c, now()))?;
    }
    tx.commit()?;
    Ok(())
}

/// A checkpoint that could not be written does not fail the batch it goes with: it is logged
/// and removed (the next opening replays every article).
fn keep_checkpoint(
    tx: &rusqlite::Transaction<'_>,
    saved: Result<(), StoreError>,
) -> Result<(), StoreError> {
    if let Err(e) = saved {
        tracing::warn!("the clusterer checkpoint was not saved: {e}");
        tx.execute("DELETE FROM clusterer_checkpoint", [])?;
    }
    Ok(())
}

/// Writes a checkpoint of `clusterer`, which has assigned every article up to `last_seq`,
/// serialized straight into the file, in the caller's transaction.
fn write_checkpoint(
    tx: &rusqlite::Transaction<'_>,
    clusterer: &EventClusterer,
    last_seq: i64,
) -> Result<(), StoreError> {
    let size = bincode::serialized_size(clusterer).map_err(|e| StoreError::Io(e.to_string()))?;
    let header = db::Checkpoint {
        format: CHECKPOINT_FORMAT,
        options: checkpoint_key(clusterer.options()),
        last_seq,
        articles: clusterer.stats().articles as i64,
        state: Vec::new(),
    };
    db::save_checkpoint_with(tx, &header, size, now(), |w| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, w);
        bincode::serialize_into(&mut w, clusterer).map_err(|e| e.to_string())?;
        std::io::Write::flush(&mut w).map_err(|e| e.to_string())
    })
}

/// Saves a checkpoint of `clusterer`, which has assigned every stored article, serialized
/// straight into the file.
fn save_now(conn: &mut Connection, clusterer: &EventClusterer) -> Result<(), StoreError> {
    let size = match bincode::serialized_size(clusterer) {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!("the clusterer checkpoint could not be made: {e}");
            return Ok(());
        }
    };
    let tx = db::write_transaction(conn)?;
    let header = db::Checkpoint {
        format: CHECKPOINT_FORMAT,
        options: checkpoint_key(clusterer.options()),
        last_seq: db::last_seq(&tx)?,
        articles: clusterer.stats().articles as i64,
        state: Vec::new(),
    };
    let saved = db::save_checkpoint_with(&tx, &header, size, now(), |w| {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, w);
        bincode::serialize_into(&mut w, clusterer).map_err(|e| e.to_string())?;
        std::io::Write::flush(&mut w).map_err(|e| e.to_string())
    });
    keep_checkpoint(&tx, saved)?;
    tx.commit()?;
    Ok(())
}

/// The assigning end of [`Engine::ingest_stream`].
pub struct StreamIngest<'e> {
    clusterer: &'e mut EventClusterer,
    clock: &'e mut CheckpointClock,
    known: &'e mut FxHashSet<String>,
    batch: usize,
    pending: Vec<AssignedArticle>,
    tx: Option<SyncSender<(Vec<AssignedArticle>, Option<db::Checkpoint>)>>,
    counts: IngestCounts,
}

impl StreamIngest<'_> {
    /// Assigns the next articles (`features[k]` are `articles[k]`'s) and queues them for the
    /// store; articles already stored, or seen earlier in the stream, are skipped. Returns
    /// the counts so far.
    pub fn take(
        &mut self,
        articles: Vec<Article>,
        features: Vec<ArticleFeatures>,
    ) -> Result<IngestCounts, StoreError> {
        for (article, f) in articles.into_iter().zip(features) {
            if self.known.contains(&article.id) {
                self.counts.already_stored += 1;
                continue;
            }
            self.known.insert(article.id.clone());
            let a = self.clusterer.assign(f);
            self.counts.stored += 1;
            self.counts.new_events += usize::from(a.new_event);
            self.counts.duplicates += usize::from(a.duplicate_of.is_some());
            self.pending.push(AssignedArticle {
                article,
                event: a.event,
                duplicate_of: a.duplicate_of,
                storyline: a.storyline,
                folded: a.folded,
            });
            if self.clock.tick(1) {
                // The batch ends here, so that the checkpoint is stored with its last article.
                let checkpoint = snapshot(self.clusterer);
                self.send(checkpoint)?;
            } else if self.pending.len() >= self.batch {
                self.send(None)?;
            }
        }
        Ok(self.counts)
    }

    /// Counts so far (articles assigned; their store writes may be in flight).
    pub fn counts(&self) -> IngestCounts {
        self.counts
    }

    fn send(&mut self, checkpoint: Option<db::Checkpoint>) -> Result<(), StoreError> {
        let rows = std::mem::replace(&mut self.pending, Vec::with_capacity(self.batch));
        let sent = self
            .tx
            .as_ref()
            .is_some_and(|tx| tx.send((rows, checkpoint)).is_ok());
        if !sent {
            // The writer stopped on an error; `ingest_stream` reports it.
            self.tx = None;
            return Err(StoreError::Io("the store writer stopped".into()));
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        if !self.pending.is_empty() {
            self.send(None)?;
        }
        self.tx = None;
        Ok(())
    }
}

/// Events the refresh's loader reads in one read transaction.
const LOAD_GROUP: usize = 16;

/// Recomputes the summary and comparison of every dirty event (at most `limit`, oldest
/// first; all with `usize::MAX`) on `conn` (the engine's, or a connection of its own: the
/// server refreshes in the background while it ingests). `progress` gets (done, total).
/// Returns how many were recomputed.
///
/// A pipeline, so that every core summarizes and none waits on SQLite:
///
/// ```text
/// loader (a reading connection) ──events, one by one──► opts.threads workers: present
///                                                          │ documents, as they finish
///                                                          ▼
///                                  this thread: one transaction per batch of documents
/// ```
///
/// Workers take the next event as they finish one (events differ a lot in size), so no
/// batch waits for its slowest event. The set of events is fixed when the call starts; an
/// event that grows while it is being recomputed stays dirty (its article count is checked
/// when the result is written) and is recomputed again by the next call. The documents do
/// not depend on the order or the threads that computed them.
pub fn refresh(
    conn: &mut Connection,
    opts: &EngineOptions,
    limit: usize,
    progress: impl FnMut(usize, usize),
) -> Result<usize, StoreError> {
    let ids = db::dirty_events(conn, limit.min(i64::MAX as usize))?;
    refresh_events(conn, opts, ids, progress)
}

/// [`refresh`] of the given events (dirty ones, in the order given).
pub fn refresh_events(
    conn: &mut Connection,
    opts: &EngineOptions,
    ids: Vec<String>,
    mut progress: impl FnMut(usize, usize),
) -> Result<usize, StoreError> {
    let total = ids.len();
    if total == 0 {
        return Ok(0);
    }
    // A file store is read on a connection of its own (WAL: it sees the last commit while
    // this one writes); an in-memory one by this connection, before the workers start.
    let reader = match conn.path().filter(|p| !p.is_empty()) {
        Some(p) => Some(db::open_reader(Path::new(p))?),
        None => None,
    };
    let threads = opts.threads.max(1).min(total);
    // Documents are committed 256 at a time: at 16 or 32 a commit, committing was most of
    // the writer's time (then with an event search index whose every commit wrote a segment
    // that later merges rewrote), and the writer shares the cores with the workers.
    let batch = 256;
    std::thread::scope(|s| -> Result<usize, StoreError> {
        let (job_tx, job_rx) = sync_channel::<(EventRow, Vec<StoredArticle>)>(threads * 2);
        let (done_tx, done_rx) = sync_channel::<Refreshed>(batch);
        // The workers alone hold the jobs' receiver: when they stop, the loader's sends fail
        // and it stops.
        let loader = match reader {
            Some(reader) => s.spawn(move || -> Result<(), StoreError> {
                // A few events per read transaction: one snapshot for their rows and
                // articles instead of one per query, released before they are handed on.
                for group in ids.chunks(LOAD_GROUP) {
                    let events = {
                        let snapshot = reader.unchecked_transaction()?;
                        load_events(&snapshot, group)?
                    };
                    for event in events {
                        if job_tx.send(event).is_err() {
                            return Ok(());
                        }
                    }
                }
                Ok(())
            }),
            None => {
                let events = load_events(conn, &ids)?;
                s.spawn(move || -> Result<(), StoreError> {
                    for event in events {
                        if job_tx.send(event).is_err() {
                            break;
                        }
                    }
                    Ok(())
                })
            }
        };
        storyline::stream::spawn_workers(
            s,
            threads,
            job_rx,
            &done_tx,
            || (),
            |(), (row, members): (EventRow, Vec<StoredArticle>)| {
                present_guarded(&row, &members, opts)
            },
        );
        drop(done_tx);
        let mut done = 0;
        let mut pending: Vec<Refreshed> = Vec::with_capacity(batch);
        let mut stored = Ok(());
        for r in done_rx.iter() {
            pending.push(r);
            if pending.len() >= batch {
                stored = save_presented(conn, &pending);
                if stored.is_err() {
                    break;
                }
                done += pending.len();
                pending.clear();
                progress(done, total);
            }
        }
        if stored.is_ok() && !pending.is_empty() {
            stored = save_presented(conn, &pending);
            done += pending.len();
            progress(done, total);
        }
        // On a failed write the receivers are dropped here: workers and loader stop.
        drop(done_rx);
        stored?;
        loader
            .join()
            .map_err(|_| StoreError::Io("the event loader panicked".into()))??;
        Ok(done)
    })
}

/// Growth of an event (a fraction of the articles its summary covers) that calls for a new
/// summary before [`Coalescer::max_delay`].
pub const DEFAULT_GROWTH: f64 = 1.0;

/// Refreshes coalesced, for a stream of small batches (`storyline watch`: a round every few
/// minutes, each adding a few articles to the same big events). Summarizing an event costs
/// more than linearly in its articles, so recomputing a big event for every article or two
/// it gains is most of the work of a watch. A dirty event is summarized again when it is new
/// or small, when it has grown by [`Coalescer::grow`] since its summary, or when it has waited
/// [`Coalescer::max_delay`]; meanwhile only its document's member list (and counts and dates)
/// is brought up to date, so that a new article is on the event's page at once, under a
/// summary a little older. Once every event is summarized ([`Coalescer::flush`]) the store holds
/// the same documents as with a refresh at every batch.
#[derive(Debug, Clone)]
pub struct Coalescer {
    /// Growth (a fraction of the articles summarized) that calls for a new summary.
    pub grow: f64,
    /// Events with fewer articles than this are always summarized again (they are cheap).
    pub small: i64,
    /// Longest time a summary lags behind its event's member list.
    pub max_delay: Duration,
    /// Events waiting: the articles their summary covers, and since when they wait. Only
    /// dirty events are kept, so this is bounded by the events that changed within
    /// `max_delay`.
    waiting: std::collections::HashMap<String, (i64, std::time::Instant)>,
}

impl Coalescer {
    /// Summarize again at [`DEFAULT_GROWTH`] more articles, events under 8 always, at most
    /// `max_delay` late (zero: every dirty event, every time, as [`refresh`]).
    pub fn new(max_delay: Duration) -> Coalescer {
        Coalescer {
            grow: DEFAULT_GROWTH,
            small: 8,
            max_delay,
            waiting: Default::default(),
        }
    }

    /// Events whose summary waits now.
    pub fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// How long the summary that has waited longest has waited.
    pub fn longest_wait(&self) -> Duration {
        self.waiting
            .values()
            .map(|(_, since)| since.elapsed())
            .max()
            .unwrap_or_default()
    }

    /// Refreshes the dirty events that are due and lists the members of the others; returns
    /// (events summarized, events whose member list alone was updated).
    pub fn refresh(
        &mut self,
        conn: &mut Connection,
        opts: &EngineOptions,
    ) -> Result<(usize, usize), StoreError> {
        let now = std::time::Instant::now();
        let dirty = db::dirty_event_sizes(conn)?;
        let mut due = Vec::new();
        let mut listed = Vec::new();
        let mut still = std::collections::HashMap::with_capacity(self.waiting.len());
        for (id, articles, in_document) in dirty {
            let Some(in_document) = in_document else {
                due.push((articles, id));
                continue;
            };
            let (summarized, since) = self.waiting.get(&id).copied().unwrap_or((in_document, now));
            let grown = articles as f64 >= summarized as f64 * (1.0 + self.grow);
            if articles < self.small || grown || now.duration_since(since) >= self.max_delay {
                due.push((articles, id));
            } else {
                if in_document != articles {
                    listed.push(id.clone());
                }
                still.insert(id, (summarized, since));
            }
        }
        // Events summarized (or no longer dirty) are forgotten.
        self.waiting = still;
        // Largest first, as db::dirty_events orders them (no worker left alone with a big one).
        due.sort_by(|a, b| b.0.cmp(&a.0));
        let due = due.into_iter().map(|(_, id)| id).collect();
        let summarized = refresh_events(conn, opts, due, |_, _| {})?;
        list_members(conn, &listed)?;
        Ok((summarized, listed.len()))
    }

    /// Summarizes every dirty event (the end of a run).
    pub fn flush(
        &mut self,
        conn: &mut Connection,
        opts: &EngineOptions,
    ) -> Result<usize, StoreError> {
        self.waiting.clear();
        refresh(conn, opts, usize::MAX, |_, _| {})
    }
}

/// Brings the member list, counts and dates of these events' stored documents up to date,
/// leaving their summaries (and the events dirty) as they are.
fn list_members(conn: &mut Connection, ids: &[String]) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let tx = db::write_transaction(conn)?;
    for id in ids {
        let (Some(row), Some((Some(report), _))) =
            (db::event_row(&tx, id)?, db::event_report(&tx, id)?)
        else {
            continue;
        };
        let Ok(serde_json::Value::Object(mut doc)) = serde_json::from_str(&report) else {
            continue;
        };
        let members: Vec<Member> = db::event_articles(&tx, id)?
            .iter()
            .map(Member::from)
            .collect();
        doc.insert("articles".into(), members.len().into());
        doc.insert("outlets".into(), row.outlets.into());
        for (key, date) in [("first_date", row.first_date), ("last_date", row.last_date)] {
            match date {
                Some(d) => doc.insert(key.into(), d.into()),
                None => doc.remove(key),
            };
        }
        doc.insert(
            "members".into(),
            serde_json::to_value(&members).map_err(|e| StoreError::Io(e.to_string()))?,
        );
        let text = serde_json::to_string(&doc).map_err(|e| StoreError::Io(e.to_string()))?;
        db::store_listed(&tx, id, &text)?;
    }
    tx.commit()?;
    Ok(())
}

/// The rows and articles of these events (for [`present`]; events no longer there are left
/// out).
pub fn load_events(
    conn: &Connection,
    ids: &[String],
) -> Result<Vec<(EventRow, Vec<StoredArticle>)>, StoreError> {
    let mut members = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = db::event_row(conn, id)? {
            members.push((row, db::event_articles(conn, id)?));
        }
    }
    Ok(members)
}

/// Stores presented events in one transaction (an event that grew since stays dirty).
pub fn save_presented(conn: &mut Connection, refreshed: &[Refreshed]) -> Result<(), StoreError> {
    let tx = db::write_transaction(conn)?;
    db::store_refreshed(&tx, refreshed)?;
    tx.commit()?;
    Ok(())
}

/// [`present`], except that a failure (a bug, never input) is logged and gives the event
/// without a summary, so that it does not stay dirty forever.
pub fn present_guarded(
    row: &EventRow,
    members: &[StoredArticle],
    opts: &EngineOptions,
) -> Refreshed {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| present(row, members, opts)))
        .unwrap_or_else(|_| {
            tracing::error!(
                "event {}: summarizing failed; stored without a summary",
                row.id
            );
            refreshed(row, members, None)
        })
}

/// The cited summary and source comparison of one event's articles: what the store keeps
/// for each event, and what `storyline event` prints.
pub fn summarize_event(
    id: &str,
    articles: &[Article],
    words: usize,
    compare: &CompareOptions,
) -> SummaryReport {
    let corpus = Corpus::build(articles);
    let aligner = Aligner::new(&corpus);
    let (summary, readings) = summarize_reading(
        &corpus,
        &aligner,
        &SummaryOptions {
            words,
            ..SummaryOptions::default()
        },
    );
    let mut report = SummaryReport::new(Some(id.to_string()), &corpus, &summary);
    report.comparison = Some(compare_reading(&corpus, &aligner, compare, readings));
    report
}

impl From<&StoredArticle> for Member {
    fn from(m: &StoredArticle) -> Self {
        Member {
            id: m.article.id.clone(),
            title: m.article.title.clone(),
            outlet: m.outlet.clone(),
            date: m.article.date,
            url: m.article.url.clone(),
            duplicate_of: m.duplicate_of.clone(),
        }
    }
}

/// The document of an event not summarized yet: what is known so far (no summary, no
/// comparison).
pub fn pending_document(row: &EventRow, members: &[StoredArticle]) -> String {
    let doc = EventDocument {
        id: row.id.clone(),
        title: row.title.clone(),
        first_date: row.first_date,
        last_date: row.last_date,
        articles: members.len(),
        outlets: row.outlets as usize,
        words: 0,
        summary: Vec::new(),
        comparison: None,
        members: members.iter().map(Member::from).collect(),
    };
    serde_json::to_string(&doc).unwrap_or_else(|_| "{}".to_string())
}

/// Summarizes and compares one event, as stored.
pub fn present(row: &EventRow, members: &[StoredArticle], opts: &EngineOptions) -> Refreshed {
    let articles: Vec<Article> = members.iter().map(|m| m.article.clone()).collect();
    let report = summarize_event(&row.id, &articles, opts.summary_words, &opts.compare);
    refreshed(row, members, Some(report))
}

fn refreshed(
    row: &EventRow,
    members: &[StoredArticle],
    report: Option<SummaryReport>,
) -> Refreshed {
    let (title, outlets) = match &report {
        Some(r) => (r.title.clone(), r.outlets),
        None => (row.title.clone(), row.outlets as usize),
    };
    let lead = report
        .as_ref()
        .and_then(|r| r.sentences.first())
        .map(|s| s.text.clone())
        .unwrap_or_default();
    // Each member under its headline as the summary cleaned it (a site's slogan in a
    // `.txt` first line is no headline), where there is a summary.
    let mut members: Vec<Member> = members.iter().map(Member::from).collect();
    if let Some(r) = &report {
        let cleaned: rustc_hash::FxHashMap<&str, &str> = r
            .sources
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str()))
            .collect();
        for m in &mut members {
            if let Some(t) = cleaned.get(m.id.as_str()).filter(|t| !t.is_empty()) {
                m.title = (*t).to_string();
            }
        }
    }
    let (words, summary, comparison) = match report {
        Some(r) => (r.words, r.sentences, r.comparison),
        None => (0, Vec::new(), None),
    };
    let doc = EventDocument {
        id: row.id.clone(),
        title: title.clone(),
        first_date: row.first_date,
        last_date: row.last_date,
        articles: members.len(),
        outlets,
        words,
        summary,
        comparison,
        members,
    };
    Refreshed {
        id: row.id.clone(),
        title,
        lead,
        report: serde_json::to_string(&doc).unwrap_or_else(|_| "{}".to_string()),
        articles: doc.members.len() as i64,
        outlets: outlets as i64,
    }
}
