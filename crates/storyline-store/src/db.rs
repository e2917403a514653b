//! The SQLite database: schema, migrations, and the queries the engine and the server need.
//!
//! One file, WAL mode (readers never wait for the writer), `synchronous=NORMAL` (a power cut
//! may lose the last transactions, never consistency), foreign keys on. The schema version is
//! SQLite's `user_version`; [`MIGRATIONS`] lists every step from an empty file, each applied
//! in its own transaction. Every write the engine makes is one transaction, so a killed run
//! leaves the store as of its last commit.

use std::path::Path;

use rusqlite::{OptionalExtension, Transaction, params};

/// The connection type (rusqlite's), so that users of the store need not name rusqlite.
pub use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use storyline::Article;
use storyline::date::Timestamp;

use crate::StoreError;

/// Schema steps, in order; step `k` brings `user_version` from `k` to `k + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: articles, events, full-text indexes.
    r#"
    CREATE TABLE articles (
        seq          INTEGER PRIMARY KEY,          -- ingest order
        id           TEXT NOT NULL UNIQUE,
        title        TEXT NOT NULL,
        text         TEXT NOT NULL,
        source       TEXT,
        url          TEXT,
        date         TEXT,                         -- as parsed (Timestamp), for reading back
        date_unix    INTEGER,                      -- for sorting and ranges
        event_id     TEXT NOT NULL,
        duplicate_of TEXT,
        ingested_at  INTEGER NOT NULL
    );
    CREATE INDEX articles_event ON articles(event_id, seq);
    CREATE TABLE events (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        first_date  INTEGER,
        last_date   INTEGER,
        sort_key    INTEGER NOT NULL,              -- last date, else ingest order: newest first
        last_seq    INTEGER NOT NULL,
        articles    INTEGER NOT NULL,
        outlets     INTEGER NOT NULL,
        lead        TEXT NOT NULL DEFAULT '',      -- the summary's first sentence
        dirty       INTEGER NOT NULL DEFAULT 1,    -- summary and comparison to recompute
        report      TEXT                           -- the event's JSON document
    );
    CREATE INDEX events_recent ON events(sort_key DESC, id DESC);
    CREATE INDEX events_dirty ON events(dirty) WHERE dirty = 1;
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='seq', tokenize='porter unicode61'
    );
    CREATE VIRTUAL TABLE events_fts USING fts5(
        event_id UNINDEXED, title, body, tokenize='porter unicode61'
    );
    "#,
    // 2: input files that scaled-out runs (`storyline run --hosts`) completed: a re-run starts
    // after the leading inputs found here.
    r#"
    CREATE TABLE completed_inputs (
        name         TEXT PRIMARY KEY,
        size         INTEGER NOT NULL,
        completed_at INTEGER NOT NULL
    );
    "#,
    // 3: the event search index keyed by the event's rowid. Replacing an event's entry by
    // its `event_id` (an unindexed column) scanned the whole index, once per refreshed
    // event: refreshes slowed down as the store grew.
    r#"
    CREATE VIRTUAL TABLE events_fts_by_rowid USING fts5(
        event_id UNINDEXED, title, body, tokenize='porter unicode61'
    );
    INSERT INTO events_fts_by_rowid (rowid, event_id, title, body)
        SELECT e.rowid, f.event_id, f.title, f.body FROM events_fts f JOIN events e ON e.id = f.event_id;
    DROP TABLE events_fts;
    ALTER TABLE events_fts_by_rowid RENAME TO events_fts;
    "#,
    // Live sources (`storyline watch`): each feed, sitemap or list followed, with its HTTP
    // validators, when to fetch it next and how it went; and every entry seen, so that a
    // restart fetches again nothing that is stored (see `feeds`).
    r#"
    CREATE TABLE feed_sources (
        url            TEXT PRIMARY KEY,
        kind           TEXT,
        outlet         TEXT,
        etag           TEXT,
        last_modified  TEXT,
        last_fetch     INTEGER,
        last_status    TEXT,
        last_error     TEXT,
        next_fetch     INTEGER NOT NULL DEFAULT 0,
        failures       INTEGER NOT NULL DEFAULT 0,
        new_articles   INTEGER NOT NULL DEFAULT 0,
        total_articles INTEGER NOT NULL DEFAULT 0,
        added_at       INTEGER NOT NULL
    );
    CREATE TABLE feed_entries (
        source     TEXT NOT NULL,
        entry      TEXT NOT NULL,
        url        TEXT,
        article_id TEXT,
        seen_at    INTEGER NOT NULL,
        PRIMARY KEY (source, entry)
    );
    "#,
];

/// Opens (creating if needed) the database and brings its schema up to date.
pub fn open(path: &Path) -> Result<Connection, StoreError> {
    let mut conn = Connection::open(path).map_err(|e| StoreError::open(path, e))?;
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

/// Opens a connection for reading only (the server's readers).
pub fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::open(path, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version as usize != MIGRATIONS.len() {
        return Err(StoreError::Schema {
            found: version,
            expected: MIGRATIONS.len() as i64,
        });
    }
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version as usize > MIGRATIONS.len() {
        return Err(StoreError::Schema {
            found: version,
            expected: MIGRATIONS.len() as i64,
        });
    }
    for (k, step) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (k + 1) as i64)?;
        tx.commit()?;
        tracing::info!("store schema migrated to version {}", k + 1);
    }
    Ok(())
}

/// Begins a write transaction, taking the write lock at once (`BEGIN IMMEDIATE`), waiting for
/// it up to the busy timeout. A deferred transaction that reads before it writes cannot wait:
/// if another connection (the server's refresher) committed in between, SQLite answers
/// "database is locked" at once (seen under `storyline bench api`).
pub fn write_transaction(conn: &mut Connection) -> Result<Transaction<'_>, StoreError> {
    Ok(conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
}

/// A stored article with where it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredArticle {
    /// The article.
    #[serde(flatten)]
    pub article: Article,
    /// Its outlet (source, else the URL's host, else its id).
    pub outlet: String,
    /// The event it belongs to.
    pub event: String,
    /// The earlier article it copies, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Ingest order.
    pub seq: i64,
}

fn article_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredArticle> {
    let date: Option<String> = r.get("date")?;
    let article = Article {
        id: r.get("id")?,
        title: r.get("title")?,
        text: r.get("text")?,
        source: r.get("source")?,
        url: r.get("url")?,
        date: date.as_deref().and_then(Timestamp::parse),
    };
    Ok(StoredArticle {
        outlet: article.outlet().to_string(),
        article,
        event: r.get("event_id")?,
        duplicate_of: r.get("duplicate_of")?,
        seq: r.get("seq")?,
    })
}

const ARTICLE_COLUMNS: &str = "seq, id, title, text, source, url, date, event_id, duplicate_of";

/// Every stored article in ingest order, in pages (for rebuilding the clusterer).
pub fn articles_in_order(
    conn: &Connection,
    after_seq: i64,
    limit: usize,
) -> Result<Vec<StoredArticle>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![after_seq, limit as i64], article_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One article by id.
pub fn article(conn: &Connection, id: &str) -> Result<Option<StoredArticle>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?1"
    ))?;
    Ok(stmt.query_row([id], article_from_row).optional()?)
}

/// The articles of an event, in ingest order.
pub fn event_articles(conn: &Connection, event: &str) -> Result<Vec<StoredArticle>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ARTICLE_COLUMNS} FROM articles WHERE event_id = ?1 ORDER BY seq"
    ))?;
    let rows = stmt.query_map([event], article_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Counts of the store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Articles stored.
    pub articles: i64,
    /// Events.
    pub events: i64,
    /// Events whose summary and comparison are out of date.
    pub dirty: i64,
}

/// Counts of articles and events.
pub fn counts(conn: &Connection) -> Result<Counts, StoreError> {
    Ok(Counts {
        articles: conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?,
        events: conn.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))?,
        dirty: conn.query_row("SELECT COUNT(*) FROM events WHERE dirty = 1", [], |r| {
            r.get(0)
        })?,
    })
}

/// The highest ingest number so far (0 when empty).
pub fn last_seq(conn: &Connection) -> Result<i64, StoreError> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
            r.get(0)
        })?,
    )
}

/// An article to insert with its assignment.
pub struct NewArticle<'a> {
    /// The article.
    pub article: &'a Article,
    /// Its event.
    pub event: &'a str,
    /// The earlier article it copies.
    pub duplicate_of: Option<&'a str>,
}

/// Inserts articles (already assigned) and updates their events, in the caller's transaction.
/// Events are created as needed and marked dirty. Returns the ingest numbers given.
/// Records that the input file `name` of `size` bytes was read to the end (in the
/// transaction that stores its last articles).
pub fn mark_input_completed(
    tx: &Transaction<'_>,
    name: &str,
    size: u64,
    now: i64,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO completed_inputs (name, size, completed_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(name) DO UPDATE SET size = excluded.size, completed_at = excluded.completed_at",
        params![name, size as i64, now],
    )?;
    Ok(())
}

/// Input files recorded as completed: (name, size).
pub fn completed_inputs(conn: &Connection) -> Result<Vec<(String, u64)>, StoreError> {
    let mut st =
        conn.prepare("SELECT name, size FROM completed_inputs ORDER BY completed_at, name")?;
    let rows = st.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Stores a batch of assigned articles (see [`insert_articles_with`]).
pub fn insert_articles(
    tx: &Transaction<'_>,
    batch: &[NewArticle<'_>],
    now: i64,
) -> Result<Vec<i64>, StoreError> {
    insert_articles_with(tx, batch, now, &mut EventOutlets::default())
}

/// The outlets of recently written events, so that adding articles to an event does not
/// read its earlier articles again. An outlet is what the events' `outlets` column counts:
/// the source trimmed of spaces, else the article id (SQL: `COALESCE(NULLIF(TRIM(source),
/// ''), id)`). Bounded: cleared past a number of entries, and filled again from the store
/// as events are written.
#[derive(Debug, Default)]
pub struct EventOutlets {
    by_event: rustc_hash::FxHashMap<String, rustc_hash::FxHashSet<String>>,
    entries: usize,
}

impl EventOutlets {
    /// Outlets kept before the cache starts over.
    const CAPACITY: usize = 1 << 20;

    /// The key the `outlets` column counts for an article (as its SQL expression does:
    /// `TRIM` removes spaces only).
    fn key(a: &Article) -> &str {
        match a.source.as_deref().map(|s| s.trim_matches(' ')) {
            Some(s) if !s.is_empty() => s,
            _ => &a.id,
        }
    }

    /// The outlets of `event` as stored, read from the store unless known.
    fn of(
        &mut self,
        tx: &Transaction<'_>,
        event: &str,
    ) -> Result<&mut rustc_hash::FxHashSet<String>, StoreError> {
        if !self.by_event.contains_key(event) {
            if self.entries > Self::CAPACITY {
                self.by_event.clear();
                self.entries = 0;
            }
            let mut st = tx.prepare_cached(
                "SELECT DISTINCT COALESCE(NULLIF(TRIM(source), ''), id) FROM articles WHERE event_id = ?1",
            )?;
            let keys = st
                .query_map([event], |r| r.get::<_, String>(0))?
                .collect::<Result<rustc_hash::FxHashSet<String>, _>>()?;
            self.entries += keys.len() + 1;
            self.by_event.insert(event.to_string(), keys);
        }
        Ok(self.by_event.entry(event.to_string()).or_default())
    }
}

/// What a batch adds to one event.
struct EventGrowth<'a> {
    event: &'a str,
    /// The title of its first article in the batch (the event's title if it is new).
    title: &'a str,
    first_date: Option<i64>,
    last_date: Option<i64>,
    last_seq: i64,
    articles: i64,
}

/// Stores a batch of assigned articles, in the caller's transaction: each article, its
/// search entry, and its event's row (created as needed, marked dirty). Returns the ingest
/// numbers given.
///
/// An event's row is kept as the aggregate of its articles (first and last date, sort key,
/// last ingest number, articles, distinct outlets), updated from the batch and the row
/// alone: `outlets` remembers which outlets each event has, so no event's earlier articles
/// are read again (a store-wide check, [`check`], compares counts with the articles).
pub fn insert_articles_with(
    tx: &Transaction<'_>,
    batch: &[NewArticle<'_>],
    now: i64,
    outlets: &mut EventOutlets,
) -> Result<Vec<i64>, StoreError> {
    let mut seqs = Vec::with_capacity(batch.len());
    let mut growth: Vec<EventGrowth<'_>> = Vec::new();
    let mut slot: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    {
        let mut ins = tx.prepare_cached(
            "INSERT INTO articles (id, title, text, source, url, date, date_unix, event_id, duplicate_of, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut fts =
            tx.prepare_cached("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)")?;
        for n in batch {
            let a = n.article;
            let date = a.date.map(|d| d.unix_seconds());
            ins.execute(params![
                a.id,
                a.title,
                a.text,
                a.source,
                a.url,
                a.date.map(|d| d.to_string()),
                date,
                n.event,
                n.duplicate_of,
                now
            ])?;
            let seq = tx.last_insert_rowid();
            fts.execute(params![seq, a.title, a.text])?;
            seqs.push(seq);
            let k = *slot.entry(n.event).or_insert_with(|| {
                growth.push(EventGrowth {
                    event: n.event,
                    title: &a.title,
                    first_date: None,
                    last_date: None,
                    last_seq: seq,
                    articles: 0,
                });
                growth.len() - 1
            });
            let g = &mut growth[k];
            g.first_date = min_some(g.first_date, date);
            g.last_date = max_some(g.last_date, date);
            g.last_seq = g.last_seq.max(seq);
            g.articles += 1;
        }
    }
    let mut row =
        tx.prepare_cached("SELECT first_date, last_date, articles FROM events WHERE id = ?1")?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO events (id, title, first_date, last_date, sort_key, last_seq, articles, outlets, dirty)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE events SET first_date = ?2, last_date = ?3, sort_key = ?4, last_seq = ?5,
                articles = ?6, outlets = ?7, dirty = 1 WHERE id = ?1",
    )?;
    // The batch's outlets, by event.
    let mut keys: Vec<Vec<&str>> = vec![Vec::new(); growth.len()];
    for n in batch {
        keys[slot[n.event]].push(EventOutlets::key(n.article));
    }
    for (g, keys) in growth.iter().zip(keys) {
        let stored: Option<(Option<i64>, Option<i64>, i64)> = row
            .query_row([g.event], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let known = outlets.of(tx, g.event)?;
        let before = known.len();
        for k in keys {
            if !known.contains(k) {
                known.insert(k.to_string());
            }
        }
        let known = known.len();
        outlets.entries += known - before;
        let known = known as i64;
        match stored {
            None => {
                let sort_key = g.last_date.unwrap_or(g.last_seq);
                insert.execute(params![
                    g.event,
                    g.title,
                    g.first_date,
                    g.last_date,
                    sort_key,
                    g.last_seq,
                    g.articles,
                    known
                ])?;
            }
            Some((first, last, articles)) => {
                let (first, last) = (min_some(first, g.first_date), max_some(last, g.last_date));
                update.execute(params![
                    g.event,
                    first,
                    last,
                    last.unwrap_or(g.last_seq),
                    g.last_seq,
                    articles + g.articles,
                    known
                ])?;
            }
        }
    }
    Ok(seqs)
}

/// The smaller of two optional values (`None` is no value, as SQL's `MIN` skips NULLs).
fn min_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// The larger of two optional values (`None` is no value).
fn max_some(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// Which of these ids are already stored.
pub fn stored_ids(conn: &Connection, ids: &[&str]) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?;
    let mut out = Vec::new();
    for id in ids {
        if stmt.exists([id])? {
            out.push((*id).to_string());
        }
    }
    Ok(out)
}

/// Events whose summary and comparison are out of date.
pub fn dirty_events(conn: &Connection, limit: usize) -> Result<Vec<String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM events WHERE dirty = 1 ORDER BY last_seq LIMIT ?1")?;
    let rows = stmt.query_map([limit as i64], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An event's recomputed presentation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Refreshed {
    /// Event id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// The summary's first sentence.
    pub lead: String,
    /// Text indexed for search (title, summary, member headlines).
    pub search_text: String,
    /// The event's JSON document.
    pub report: String,
    /// The event's article count when the presentation was computed: if more arrived since,
    /// the event stays dirty.
    pub articles: i64,
    /// Distinct outlets (by source, else the URL's host).
    pub outlets: i64,
}

/// Stores recomputed events, in the caller's transaction.
pub fn store_refreshed(tx: &Transaction<'_>, events: &[Refreshed]) -> Result<(), StoreError> {
    // The update returns the event's rowid, which is its search entry's (schema step 3): the
    // entry is replaced by key, not by a scan.
    let mut upd = tx.prepare_cached("UPDATE events SET title = ?2, lead = ?3, report = ?4, outlets = ?6, dirty = (articles != ?5) WHERE id = ?1 RETURNING rowid")?;
    let mut del = tx.prepare_cached("DELETE FROM events_fts WHERE rowid = ?1")?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO events_fts (rowid, event_id, title, body) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for e in events {
        let row: Option<i64> = upd
            .query_row(
                params![e.id, e.title, e.lead, e.report, e.articles, e.outlets],
                |r| r.get(0),
            )
            .optional()?;
        let Some(row) = row else {
            continue;
        };
        del.execute([row])?;
        ins.execute(params![row, e.id, e.title, e.search_text])?;
    }
    Ok(())
}

/// A line of the event list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
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
    /// Articles.
    pub articles: i64,
    /// Distinct outlets.
    pub outlets: i64,
    /// The summary's first sentence (empty until summarized).
    pub lead: String,
    /// Summary and comparison are being recomputed.
    pub updating: bool,
    #[serde(skip)]
    pub(crate) sort_key: i64,
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// Full-text query (FTS5 syntax is escaped: words are matched as words).
    pub q: Option<String>,
    /// Only events with articles on or after this time (Unix seconds).
    pub from: Option<i64>,
    /// Only events with articles on or before this time.
    pub to: Option<i64>,
    /// At most this many.
    pub limit: usize,
    /// Continue after this position (from a previous page).
    pub after: Option<(i64, String)>,
}

/// Words of a user's query as an FTS5 expression: each word quoted, all required.
pub fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\""))
        .collect();
    (!words.is_empty()).then(|| words.join(" AND "))
}

/// Events, newest first, with keyset pagination.
pub fn list_events(conn: &Connection, query: &EventQuery) -> Result<Vec<EventRow>, StoreError> {
    let mut sql = String::from(
        "SELECT e.id, e.title, e.first_date, e.last_date, e.articles, e.outlets, e.lead, e.dirty, e.sort_key FROM events e WHERE 1 = 1",
    );
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(q) = query.q.as_deref().and_then(fts_query) {
        sql.push_str(" AND e.id IN (SELECT event_id FROM events_fts WHERE events_fts MATCH ?)");
        args.push(q.into());
    }
    if let Some(from) = query.from {
        sql.push_str(" AND COALESCE(e.last_date, e.first_date) >= ?");
        args.push(from.into());
    }
    if let Some(to) = query.to {
        sql.push_str(" AND COALESCE(e.first_date, e.last_date) <= ?");
        args.push(to.into());
    }
    if let Some((key, id)) = &query.after {
        sql.push_str(" AND (e.sort_key < ? OR (e.sort_key = ? AND e.id < ?))");
        args.push((*key).into());
        args.push((*key).into());
        args.push(id.clone().into());
    }
    sql.push_str(" ORDER BY e.sort_key DESC, e.id DESC LIMIT ?");
    args.push((query.limit as i64).into());
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), event_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An event's stored JSON document and whether it is being recomputed.
pub fn event_report(
    conn: &Connection,
    id: &str,
) -> Result<Option<(Option<String>, bool)>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT report, dirty FROM events WHERE id = ?1")?;
    Ok(stmt
        .query_row([id], |r| {
            Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)? == 1))
        })
        .optional()?)
}

const EVENT_COLUMNS: &str =
    "id, title, first_date, last_date, articles, outlets, lead, dirty, sort_key";

fn event_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        id: r.get(0)?,
        title: r.get(1)?,
        first_date: r.get(2)?,
        last_date: r.get(3)?,
        articles: r.get(4)?,
        outlets: r.get(5)?,
        lead: r.get(6)?,
        updating: r.get::<_, i64>(7)? == 1,
        sort_key: r.get(8)?,
    })
}

/// An event's list row.
pub fn event_row(conn: &Connection, id: &str) -> Result<Option<EventRow>, StoreError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"))?;
    Ok(stmt.query_row([id], event_from_row).optional()?)
}

impl EventRow {
    /// The position to continue a listing after this row.
    pub fn cursor(&self) -> String {
        format!("{}:{}", self.sort_key, self.id)
    }
}

/// Reads a cursor made by [`EventRow::cursor`].
pub fn parse_cursor(s: &str) -> Option<(i64, String)> {
    let (key, id) = s.split_once(':')?;
    Some((key.parse().ok()?, id.to_string()))
}

/// Every stored row that `storyline run` produces, as text, in a fixed order: the articles
/// (ingest time left out), the events with their documents, and the event search entries.
/// Two stores with equal contents hold the same articles, events and documents (for tests
/// and checks that compare runs).
pub fn contents(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut all = Vec::new();
    for sql in [
        "SELECT quote(seq), quote(id), quote(title), quote(text), quote(source), quote(url), \
         quote(date), quote(date_unix), quote(event_id), quote(duplicate_of) FROM articles ORDER BY seq",
        "SELECT quote(id), quote(title), quote(first_date), quote(last_date), quote(sort_key), \
         quote(last_seq), quote(articles), quote(outlets), quote(lead), quote(dirty), quote(report) \
         FROM events ORDER BY id",
        "SELECT quote(e.id), quote(f.title), quote(f.body) FROM events_fts f \
         JOIN events e ON e.rowid = f.rowid ORDER BY e.id",
    ] {
        let mut st = conn.prepare(sql)?;
        let n = st.column_count();
        let rows = st.query_map([], |r| {
            (0..n)
                .map(|k| r.get::<_, String>(k))
                .collect::<Result<Vec<_>, _>>()
                .map(|v| v.join(" | "))
        })?;
        for row in rows {
            all.push(row?);
        }
    }
    Ok(all)
}

/// What [`check`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Check {
    /// `PRAGMA integrity_check` answered `ok`.
    pub integrity: bool,
    /// Articles whose event is missing.
    pub orphan_articles: i64,
    /// Events whose stored article count differs from their articles.
    pub miscounted_events: i64,
    /// Events without articles.
    pub empty_events: i64,
    /// Article ids stored more than once (the schema forbids it; checked anyway).
    pub duplicate_ids: i64,
    /// Rows in the article search index that differ from the articles.
    pub fts_mismatch: i64,
}

impl Check {
    /// Nothing is wrong.
    pub fn is_consistent(&self) -> bool {
        *self
            == Check {
                integrity: true,
                ..Check::default()
            }
    }
}

/// Checks the store's consistency: SQLite's own integrity check, and the invariants between
/// articles, events and the search index.
pub fn check(conn: &Connection) -> Result<Check, StoreError> {
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    let one = |sql: &str| -> Result<i64, StoreError> { Ok(conn.query_row(sql, [], |r| r.get(0))?) };
    Ok(Check {
        integrity: integrity == "ok",
        orphan_articles: one(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = a.event_id)",
        )?,
        miscounted_events: one(
            "SELECT COUNT(*) FROM events e WHERE e.articles != (SELECT COUNT(*) FROM articles a WHERE a.event_id = e.id)",
        )?,
        empty_events: one(
            "SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.event_id = e.id)",
        )?,
        duplicate_ids: one(
            "SELECT COUNT(*) FROM (SELECT id FROM articles GROUP BY id HAVING COUNT(*) > 1)",
        )?,
        fts_mismatch: one(
            "SELECT (SELECT COUNT(*) FROM articles) - (SELECT COUNT(*) FROM articles_fts_docsize)",
        )?
        .abs(),
    })
}
