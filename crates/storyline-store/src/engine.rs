//! The engine: the store kept up to date as articles arrive.
//!
//! ```text
//! articles ──► featurize (all cores) ──► assign (one thread, in order) ──► one transaction
//!                                                                          (articles, events
//!                                                                           marked dirty)
//! dirty events ──► summarize + compare (all cores) ──► one transaction per batch of events
//! ```
//!
//! The clusterer's state is not stored: on opening, the stored articles are assigned again
//! in their ingest order. The clusterer is deterministic, so this gives back the same state
//! (and the same events) as when they were first assigned; a mismatch (the clustering
//! settings changed since) is reported, and the store keeps its events. An article whose id
//! is already stored is skipped, so re-running over the same input adds nothing twice.
//!
//! A run killed at any point leaves the store as of its last commit: the articles of the
//! batch being written are read again by the next run (they are not stored yet), and events
//! whose presentation was being recomputed are still marked dirty.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::Connection;
use rustc_hash::FxHashSet;
use serde::Serialize;
use storyline::cluster::{ArticleFeatures, Assignment, ClusterOptions, EventClusterer, Featurizer};
use storyline::compare::{CompareOptions, SourceComparison, compare_with};
use storyline::report::SummaryReport;
use storyline::summarize::SummarySentence;
use storyline::{Aligner, Article, Corpus, SummaryOptions, summarize_with};

use crate::StoreError;
use crate::db::{self, EventRow, NewArticle, Refreshed, StoredArticle};

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
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            cluster: ClusterOptions::default(),
            summary_words: 100,
            compare: CompareOptions::default(),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
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
    known: FxHashSet<String>,
    /// A write failed after the clusterer had moved on: the engine must be reopened.
    broken: bool,
    /// Stored articles replayed on opening, and how many would now go elsewhere.
    replayed: (usize, usize),
    /// Time spent writing ingested articles to the store (inserts, search index, events).
    write_time: std::time::Duration,
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
        let conn = db::open(path)?;
        let mut clusterer = EventClusterer::new(opts.cluster.clone());
        let mut featurizers: Vec<Featurizer> = (0..opts.threads.max(1))
            .map(|_| Featurizer::new(&opts.cluster))
            .collect();
        let mut known = FxHashSet::default();
        let (mut replayed, mut moved) = (0, 0);
        let mut after = 0;
        loop {
            let page = db::articles_in_order(&conn, after, 4096)?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            let refs: Vec<&Article> = page.iter().map(|s| &s.article).collect();
            for (f, stored) in featurize_all(&mut featurizers, &refs)
                .into_iter()
                .zip(&page)
            {
                let a = clusterer.assign(f);
                if a.event != stored.event {
                    moved += 1;
                }
                known.insert(stored.article.id.clone());
            }
            replayed += page.len();
            progress(replayed);
        }
        if moved > 0 {
            tracing::warn!(
                "{moved} of {replayed} stored articles would now join other events (the clustering settings changed since they were stored); the store keeps its events"
            );
        }
        Ok(Engine {
            conn,
            path: path.to_path_buf(),
            opts,
            clusterer,
            featurizers,
            known,
            broken: false,
            replayed: (replayed, moved),
            write_time: std::time::Duration::ZERO,
        })
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
        let fresh = self.fresh(articles.iter());
        let features = featurize_all(&mut self.featurizers, &fresh);
        self.assign_and_store(articles, &fresh, features, None)
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
        let fresh = self.fresh(articles.iter());
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

    /// The articles not stored yet, first occurrence only.
    fn fresh<'a>(&self, articles: impl Iterator<Item = &'a Article>) -> Vec<&'a Article> {
        let mut batch_ids: FxHashSet<&str> = FxHashSet::default();
        articles
            .filter(|a| !self.known.contains(&a.id) && batch_ids.insert(a.id.as_str()))
            .collect()
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
                })
                .collect();
            db::insert_articles(&tx, &rows, now())?;
            if let Some((name, size)) = completed {
                db::mark_input_completed(&tx, name, size, now())?;
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
        for a in fresh {
            self.known.insert(a.id.clone());
        }
        Ok((outcomes, counts))
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
}

/// Recomputes the summary and comparison of every dirty event (at most `limit`; all with
/// `usize::MAX`), a batch of events per transaction, on `conn` (the engine's, or a
/// connection of its own: the server refreshes in the background while it ingests).
/// `progress` gets (done, total). Returns how many were recomputed.
///
/// An event that grows while it is being recomputed stays dirty (its article count is
/// checked when the result is written) and is recomputed again by the next call.
pub fn refresh(
    conn: &mut Connection,
    opts: &EngineOptions,
    limit: usize,
    mut progress: impl FnMut(usize, usize),
) -> Result<usize, StoreError> {
    let total = (db::counts(conn)?.dirty as usize).min(limit);
    let batch = (opts.threads.max(1) * 32).clamp(32, 512);
    let mut done = 0;
    let mut seen: FxHashSet<String> = FxHashSet::default();
    while done < total {
        let ids: Vec<String> = db::dirty_events(conn, batch + seen.len().min(4096))?
            .into_iter()
            .filter(|id| !seen.contains(id))
            .take((total - done).min(batch))
            .collect();
        if ids.is_empty() {
            break;
        }
        let members = load_events(conn, &ids)?;
        save_presented(conn, &present_all(&members, opts))?;
        done += ids.len();
        seen.extend(ids);
        progress(done, total);
    }
    Ok(done)
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

/// Presents events on all threads. An event whose presentation fails (a bug, never input)
/// is logged and stored with an empty summary, so it does not stay dirty forever.
fn present_all(events: &[(EventRow, Vec<StoredArticle>)], opts: &EngineOptions) -> Vec<Refreshed> {
    let threads = opts.threads.max(1).min(events.len().max(1));
    // Threads take the next event as they finish one (events differ a lot in size).
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Refreshed)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((row, arts)) = events.get(k) else {
                            return out;
                        };
                        out.push((k, present_guarded(row, arts, opts)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_unstable_by_key(|(k, _)| *k);
    done.into_iter().map(|(_, r)| r).collect()
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
    let summary = summarize_with(
        &corpus,
        &aligner,
        &SummaryOptions {
            words,
            ..SummaryOptions::default()
        },
    );
    let mut report = SummaryReport::new(Some(id.to_string()), &corpus, &summary);
    report.comparison = Some(compare_with(&corpus, &aligner, compare));
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
    let mut search_text = String::new();
    for s in report.iter().flat_map(|r| &r.sentences) {
        search_text.push_str(&s.text);
        search_text.push(' ');
    }
    for m in members {
        search_text.push('\n');
        search_text.push_str(&m.article.title);
    }
    let (title, outlets) = match &report {
        Some(r) => (r.title.clone(), r.outlets),
        None => (row.title.clone(), row.outlets as usize),
    };
    let lead = report
        .as_ref()
        .and_then(|r| r.sentences.first())
        .map(|s| s.text.clone())
        .unwrap_or_default();
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
        members: members.iter().map(Member::from).collect(),
    };
    Refreshed {
        id: row.id.clone(),
        title,
        lead,
        search_text,
        report: serde_json::to_string(&doc).unwrap_or_else(|_| "{}".to_string()),
        articles: members.len() as i64,
        outlets: outlets as i64,
    }
}
