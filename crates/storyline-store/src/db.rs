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
    // 4: storylines (events linked into developing stories, `cluster/storyline.rs`): each
    // event's storyline, and a row per storyline kept as the aggregate of its events; and the
    // clusterer's checkpoint, so that opening the store need not replay every article.
    // Events stored before this step have no storyline (NULL) until an article joins them.
    r#"
    ALTER TABLE events ADD COLUMN storyline TEXT;
    CREATE INDEX events_storyline ON events(storyline, articles DESC, id);
    CREATE TABLE storylines (
        id          TEXT PRIMARY KEY,              -- the id of its first event
        head_event  TEXT NOT NULL,                 -- its largest event: its title and lead
        first_date  INTEGER,
        last_date   INTEGER,
        sort_key    INTEGER NOT NULL,              -- last date, else last ingest number
        last_seq    INTEGER NOT NULL,
        events      INTEGER NOT NULL,
        articles    INTEGER NOT NULL
    );
    CREATE INDEX storylines_recent ON storylines(sort_key DESC, id DESC);
    CREATE TABLE clusterer_checkpoint (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        format      INTEGER NOT NULL,              -- the snapshot's format version
        options     TEXT NOT NULL,                 -- the clustering settings it was made with
        last_seq    INTEGER NOT NULL,              -- the last article it has assigned
        articles    INTEGER NOT NULL,              -- articles it has assigned
        state       BLOB NOT NULL,                 -- the serialized clusterer
        written_at  INTEGER NOT NULL
    );
    "#,
    // 5: live sources (`storyline watch`): each feed, sitemap or list followed, with its HTTP
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
    // 6: an entry's version (its updated date and a hash of its content: a rewritten entry
    // is read again) and when its feed last listed it (entries long gone are pruned).
    r#"
    ALTER TABLE feed_entries ADD COLUMN version TEXT;
    ALTER TABLE feed_entries ADD COLUMN listed_at INTEGER;
    UPDATE feed_entries SET listed_at = seen_at;
    CREATE INDEX feed_entries_listed ON feed_entries(listed_at);
    "#,
    // 7: the checkpoint's state as the last column. SQLite writes a zeroblob that ends its
    // record straight to the pages; one followed by another column is built in memory, twice
    // (the zeroes, then the record): a 54 MB checkpoint (70,000 articles watched) cost 110 MB
    // of RSS each time it was saved.
    r#"
    CREATE TABLE clusterer_checkpoint_7 (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        format      INTEGER NOT NULL,              -- the snapshot's format version
        options     TEXT NOT NULL,                 -- the clustering settings it was made with
        last_seq    INTEGER NOT NULL,              -- the last article it has assigned
        articles    INTEGER NOT NULL,              -- articles it has assigned
        written_at  INTEGER NOT NULL,
        state       BLOB NOT NULL                  -- the serialized clusterer (last: see above)
    );
    INSERT INTO clusterer_checkpoint_7 (id, format, options, last_seq, articles, written_at, state)
        SELECT id, format, options, last_seq, articles, written_at, state FROM clusterer_checkpoint;
    DROP TABLE clusterer_checkpoint;
    ALTER TABLE clusterer_checkpoint_7 RENAME TO clusterer_checkpoint;
    "#,
    // 8: events are found by their articles' index (`articles_fts`): the event index held
    // their summaries (sentences of those articles) and headlines again, and rebuilding it
    // was a tenth of the refresh's CPU, on the one writer thread.
    r#"
    DROP TABLE events_fts;
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
    let version = |c: &Connection| -> Result<i64, StoreError> {
        Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    };
    let mut conn = reader(path)?;
    if (version(&conn)? as usize) < MIGRATIONS.len() {
        // A store of an older Storyline: brought up to date once (as `run` and `serve` would),
        // then read.
        drop(conn);
        drop(open(path)?);
        conn = reader(path)?;
    }
    let version = version(&conn)?;
    if version as usize != MIGRATIONS.len() {
        return Err(StoreError::Schema {
            found: version,
            expected: MIGRATIONS.len() as i64,
        });
    }
    Ok(conn)
}

fn reader(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::open(path, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
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
    let current = |c: &Connection| -> Result<usize, StoreError> {
        let version: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version as usize > MIGRATIONS.len() {
            return Err(StoreError::Schema {
                found: version,
                expected: MIGRATIONS.len() as i64,
            });
        }
        Ok(version as usize)
    };
    if current(conn)? == MIGRATIONS.len() {
        return Ok(());
    }
    // Each step in a write transaction that reads the version again: two processes opening
    // an older store at once (a `run` and a reader) take turns, and each step runs once.
    loop {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version = current(&tx)?;
        let Some(step) = MIGRATIONS.get(version) else {
            return Ok(());
        };
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (version + 1) as i64)?;
        tx.commit()?;
        tracing::info!("store schema migrated to version {}", version + 1);
    }
}

/// Begins a write transaction, taking the write lock at once (`BEGIN IMMEDIATE`), waiting for
/// it up to the busy timeout. A deferred transaction that reads before it writes cannot wait:
/// if another connection (the server's refresher) committed in between, SQLite answers
/// "database is locked" at once (seen under `storyline bench api`).
pub fn write_transaction(conn: &mut Connection) -> Result<Transaction<'_>, StoreError> {
    Ok(conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
}

/// Replaces a stored article's title and text (its feed entry was rewritten), in the
/// caller's transaction: its search entry follows, and its event is marked dirty so that
/// its summary and comparison are recomputed. The article keeps its event, date and outlet
/// (the event's aggregates do not move). Returns false when no article has that id.
pub fn revise_article(
    tx: &Transaction<'_>,
    id: &str,
    title: &str,
    text: &str,
) -> Result<bool, StoreError> {
    let old: Option<(i64, String, String, String)> = tx
        .query_row(
            "SELECT seq, title, text, event_id FROM articles WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((seq, old_title, old_text, event)) = old else {
        return Ok(false);
    };
    // An external-content index forgets a row by being told its old values.
    tx.execute(
        "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?1, ?2, ?3)",
        params![seq, old_title, old_text],
    )?;
    tx.execute(
        "UPDATE articles SET title = ?2, text = ?3 WHERE seq = ?1",
        params![seq, title, text],
    )?;
    tx.execute(
        "INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
        params![seq, title, text],
    )?;
    tx.execute("UPDATE events SET dirty = 1 WHERE id = ?1", [event])?;
    Ok(true)
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
    /// Its event's storyline as assigned (after `folded`).
    pub storyline: Option<&'a str>,
    /// Storylines folded into others while it was assigned: (folded, into), in order.
    pub folded: &'a [(String, String)],
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
    let mut new_events: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
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
                new_events.insert(g.event);
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
    link_storylines(tx, batch, &seqs, &new_events)?;
    Ok(seqs)
}

/// Records the storylines of articles stored before storylines were kept (schema 3), as a
/// replay of the whole store assigns them again (`batch[k]`: a stored article with its
/// stored event, and the storyline and folds of its replayed assignment; `seqs[k]` its
/// ingest number), in the caller's transaction. Every storyline touched is counted from its
/// events.
pub fn backfill_storylines(
    tx: &Transaction<'_>,
    batch: &[NewArticle<'_>],
    seqs: &[i64],
) -> Result<(), StoreError> {
    link_storylines(tx, batch, seqs, &rustc_hash::FxHashSet::default())
}

/// No event has a storyline yet, and there are events: a store written before storylines
/// were kept, whose storylines a full replay can record.
pub fn storylines_missing(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM events) AND NOT EXISTS (SELECT 1 FROM events WHERE storyline IS NOT NULL)",
        [],
        |r| r.get(0),
    )?)
}

/// A storyline's row while a batch changes it.
#[derive(Debug, Clone)]
struct LineRow {
    head_event: String,
    first_date: Option<i64>,
    last_date: Option<i64>,
    last_seq: i64,
    events: i64,
    articles: i64,
}

/// The storylines a batch changes, read from the store once and written back at the end.
struct LineLedger<'t, 'c> {
    tx: &'t Transaction<'c>,
    /// `None`: not in the store (or folded away in this batch).
    lines: rustc_hash::FxHashMap<String, Option<LineRow>>,
    /// Storylines an event left or joined with earlier articles: counted again from their
    /// events at the end.
    recount: rustc_hash::FxHashSet<String>,
}

impl LineLedger<'_, '_> {
    fn get(&mut self, id: &str) -> Result<&mut Option<LineRow>, StoreError> {
        if !self.lines.contains_key(id) {
            let mut st = self.tx.prepare_cached(
                "SELECT head_event, first_date, last_date, last_seq, events, articles FROM storylines WHERE id = ?1",
            )?;
            let row = st
                .query_row([id], |r| {
                    Ok(LineRow {
                        head_event: r.get(0)?,
                        first_date: r.get(1)?,
                        last_date: r.get(2)?,
                        last_seq: r.get(3)?,
                        events: r.get(4)?,
                        articles: r.get(5)?,
                    })
                })
                .optional()?;
            self.lines.insert(id.to_string(), row);
        }
        Ok(self.lines.entry(id.to_string()).or_default())
    }

    /// Folds storyline `from` into `to`: its events and counts go to `to`.
    fn fold(&mut self, from: &str, to: &str) -> Result<(), StoreError> {
        if from == to {
            return Ok(());
        }
        self.tx
            .prepare_cached("UPDATE events SET storyline = ?2 WHERE storyline = ?1")?
            .execute([from, to])?;
        let gone = self.get(from)?.take();
        if self.recount.remove(from) {
            self.recount.insert(to.to_string());
        }
        let into = self.get(to)?;
        match (gone, into.as_mut()) {
            (Some(g), Some(t)) => {
                t.first_date = min_some(t.first_date, g.first_date);
                t.last_date = max_some(t.last_date, g.last_date);
                t.last_seq = t.last_seq.max(g.last_seq);
                t.events += g.events;
                t.articles += g.articles;
            }
            (Some(g), None) => *into = Some(g),
            (None, _) => {}
        }
        Ok(())
    }

    /// Writes every changed storyline: its counts, its head event (its largest), its sort key.
    fn write(self) -> Result<(), StoreError> {
        let tx = self.tx;
        let mut head = tx.prepare_cached(
            "SELECT id FROM events WHERE storyline = ?1 ORDER BY articles DESC, id LIMIT 1",
        )?;
        let mut count = tx.prepare_cached(
            "SELECT COUNT(*), COALESCE(SUM(articles), 0), MIN(first_date), MAX(last_date), COALESCE(MAX(last_seq), 0)
             FROM events WHERE storyline = ?1",
        )?;
        let mut upsert = tx.prepare_cached(
            "INSERT INTO storylines (id, head_event, first_date, last_date, sort_key, last_seq, events, articles)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(id) DO UPDATE SET head_event = excluded.head_event, first_date = excluded.first_date,
                 last_date = excluded.last_date, sort_key = excluded.sort_key, last_seq = excluded.last_seq,
                 events = excluded.events, articles = excluded.articles",
        )?;
        let mut delete = tx.prepare_cached("DELETE FROM storylines WHERE id = ?1")?;
        for (id, row) in self.lines {
            let row = if self.recount.contains(&id) {
                let (events, articles, first_date, last_date, last_seq): (
                    i64,
                    i64,
                    Option<i64>,
                    Option<i64>,
                    i64,
                ) = count.query_row([&id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?;
                (events > 0).then(|| LineRow {
                    head_event: String::new(),
                    first_date,
                    last_date,
                    last_seq,
                    events,
                    articles,
                })
            } else {
                row
            };
            let Some(mut row) = row else {
                delete.execute([&id])?;
                continue;
            };
            if let Some(h) = head.query_row([&id], |r| r.get(0)).optional()? {
                row.head_event = h;
            }
            upsert.execute(params![
                id,
                row.head_event,
                row.first_date,
                row.last_date,
                row.last_date.unwrap_or(row.last_seq),
                row.last_seq,
                row.events,
                row.articles
            ])?;
        }
        Ok(())
    }
}

/// Records the storylines of a stored batch (`seqs[k]` is `batch[k]`'s ingest number; events
/// first stored by this batch in `new_events`): in article order, the storyline folds made
/// while it was assigned, then its event's storyline. A storyline's row is the aggregate of
/// its events (events, articles, first and last date, last ingest number), updated from the
/// batch; one that an event left (a storyline the clusterer forgot and started again) is
/// counted again from its events.
fn link_storylines(
    tx: &Transaction<'_>,
    batch: &[NewArticle<'_>],
    seqs: &[i64],
    new_events: &rustc_hash::FxHashSet<&str>,
) -> Result<(), StoreError> {
    let mut ledger = LineLedger {
        tx,
        lines: rustc_hash::FxHashMap::default(),
        recount: rustc_hash::FxHashSet::default(),
    };
    let mut event_line: rustc_hash::FxHashMap<&str, Option<String>> =
        rustc_hash::FxHashMap::default();
    let mut stored_line = tx.prepare_cached("SELECT storyline FROM events WHERE id = ?1")?;
    let mut set_line = tx.prepare_cached("UPDATE events SET storyline = ?2 WHERE id = ?1")?;
    for (n, &seq) in batch.iter().zip(seqs) {
        for (from, to) in n.folded {
            ledger.fold(from, to)?;
            for line in event_line.values_mut() {
                if line.as_deref() == Some(from.as_str()) {
                    *line = Some(to.clone());
                }
            }
        }
        let Some(s) = n.storyline else { continue };
        if !event_line.contains_key(n.event) {
            let stored: Option<String> = stored_line
                .query_row([n.event], |r| r.get(0))
                .optional()?
                .flatten();
            event_line.insert(n.event, stored);
        }
        let line = event_line.entry(n.event).or_default();
        if line.as_deref() != Some(s) {
            let old = line.take();
            set_line.execute([n.event, s])?;
            *line = Some(s.to_string());
            if let Some(old) = old {
                // It moves with the articles it has (some perhaps counted in this batch).
                ledger.recount.insert(old.clone());
                ledger.get(&old)?;
                ledger.recount.insert(s.to_string());
            } else if new_events.contains(n.event) {
                let row = ledger.get(s)?.get_or_insert_with(|| LineRow {
                    head_event: n.event.to_string(),
                    first_date: None,
                    last_date: None,
                    last_seq: seq,
                    events: 0,
                    articles: 0,
                });
                row.events += 1;
            } else {
                // Its earlier articles come with it.
                ledger.recount.insert(s.to_string());
            }
        }
        let date = n.article.date.map(|d| d.unix_seconds());
        let row = ledger.get(s)?.get_or_insert_with(|| LineRow {
            head_event: n.event.to_string(),
            first_date: None,
            last_date: None,
            last_seq: seq,
            events: 0,
            articles: 0,
        });
        row.articles += 1;
        row.first_date = min_some(row.first_date, date);
        row.last_date = max_some(row.last_date, date);
        row.last_seq = row.last_seq.max(seq);
    }
    ledger.write()
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

/// Is an article with this id stored?
pub fn is_stored(conn: &Connection, id: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?
        .exists([id])?)
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

/// Events whose summary and comparison are out of date: the `limit` that changed first,
/// largest first. Summarizing costs more than linearly in an event's articles, and the
/// largest events are often the ones that changed last; taken last, one of them would keep
/// one worker busy while the others wait (largest first, the small ones fill in around it).
pub fn dirty_events(conn: &Connection, limit: usize) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM (SELECT id, articles, last_seq FROM events WHERE dirty = 1 \
         ORDER BY last_seq LIMIT ?1) ORDER BY articles DESC, last_seq",
    )?;
    let rows = stmt.query_map([limit as i64], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A dirty event's size: (id, articles now, articles its stored document lists; `None` until
/// it has one), oldest change first.
pub fn dirty_event_sizes(conn: &Connection) -> Result<Vec<(String, i64, Option<i64>)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, articles, json_extract(report, '$.articles') FROM events WHERE dirty = 1 ORDER BY last_seq",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces an event's stored document and leaves it dirty (its member list was brought up
/// to date, its summary was not), in the caller's transaction.
pub fn store_listed(tx: &Transaction<'_>, id: &str, report: &str) -> Result<(), StoreError> {
    tx.prepare_cached("UPDATE events SET report = ?2 WHERE id = ?1")?
        .execute(params![id, report])?;
    Ok(())
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
    // (Events are searched through their articles' index: nothing to index here.)
    let mut upd = tx.prepare_cached("UPDATE events SET title = ?2, lead = ?3, report = ?4, outlets = ?6, dirty = (articles != ?5) WHERE id = ?1")?;
    for e in events {
        upd.execute(params![
            e.id, e.title, e.lead, e.report, e.articles, e.outlets
        ])?;
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
    /// The storyline it belongs to (absent for events stored before storylines were kept).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub storyline: Option<String>,
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

/// The ids of the events with an article that matches the full-text query bound to `?`
/// (every word in one article's headline or text).
const EVENTS_MATCHING: &str = "SELECT a.event_id FROM articles a WHERE a.seq IN \
     (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)";

/// Events, newest first, with keyset pagination.
pub fn list_events(conn: &Connection, query: &EventQuery) -> Result<Vec<EventRow>, StoreError> {
    let mut sql = String::from(
        "SELECT e.id, e.title, e.first_date, e.last_date, e.articles, e.outlets, e.lead, e.dirty, e.sort_key, e.storyline FROM events e WHERE 1 = 1",
    );
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(q) = query.q.as_deref().and_then(fts_query) {
        sql.push_str(&format!(" AND e.id IN ({EVENTS_MATCHING})"));
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
    "id, title, first_date, last_date, articles, outlets, lead, dirty, sort_key, storyline";

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
        storyline: r.get(9)?,
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

/// The clusterer's saved state (schema step 4): the snapshot and what it matches.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    /// Format version of `state` (the engine's `CHECKPOINT_FORMAT` when written).
    pub format: i64,
    /// The clustering settings it was made with, as the engine writes them.
    pub options: String,
    /// The ingest number of the last article it has assigned.
    pub last_seq: i64,
    /// Articles it has assigned.
    pub articles: i64,
    /// The serialized clusterer.
    pub state: Vec<u8>,
}

/// The stored checkpoint without its state (`state` is empty; read it with
/// [`read_checkpoint_state`]), if any.
pub fn checkpoint(conn: &Connection) -> Result<Option<Checkpoint>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT format, options, last_seq, articles FROM clusterer_checkpoint WHERE id = 1",
            [],
            |r| {
                Ok(Checkpoint {
                    format: r.get(0)?,
                    options: r.get(1)?,
                    last_seq: r.get(2)?,
                    articles: r.get(3)?,
                    state: Vec::new(),
                })
            },
        )
        .optional()?)
}

/// Reads the stored checkpoint's state with `read`, straight from the file (incremental
/// blob I/O: the snapshot, tens of MB, is not copied into memory first).
pub fn read_checkpoint_state<T>(
    conn: &Connection,
    read: impl FnOnce(&mut dyn std::io::Read) -> T,
) -> Result<T, StoreError> {
    let mut blob = conn.blob_open("main", "clusterer_checkpoint", "state", 1, true)?;
    Ok(read(&mut blob))
}

/// Replaces the checkpoint, in the caller's transaction (the one that stores the batch it
/// matches, so that the two never disagree).
pub fn save_checkpoint(tx: &Transaction<'_>, c: &Checkpoint, now: i64) -> Result<(), StoreError> {
    save_checkpoint_with(tx, c, c.state.len() as u64, now, |w| {
        w.write_all(&c.state).map_err(|e| e.to_string())
    })
}

/// Replaces the checkpoint with `c`'s header and a state of `size` bytes that `write`
/// writes straight into the file (`c.state` is not read), in the caller's transaction.
pub fn save_checkpoint_with(
    tx: &Transaction<'_>,
    c: &Checkpoint,
    size: u64,
    now: i64,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<(), String>,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT OR REPLACE INTO clusterer_checkpoint (id, format, options, last_seq, articles, state, written_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            c.format,
            c.options,
            c.last_seq,
            c.articles,
            rusqlite::blob::ZeroBlob(size),
            now
        ],
    )?;
    let mut blob = tx.blob_open("main", "clusterer_checkpoint", "state", 1, false)?;
    write(&mut blob).map_err(|e| StoreError::Io(format!("writing the clusterer checkpoint: {e}")))
}

/// Every stored article id (to skip articles sent again).
pub fn article_ids(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut st = conn.prepare("SELECT id FROM articles")?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A line of the storyline list: a developing story and its events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StorylineRow {
    /// Storyline id (the id of its first event).
    pub id: String,
    /// The headline of its largest event.
    pub title: String,
    /// The lead of its largest event (empty until summarized).
    pub lead: String,
    /// Its largest event.
    pub head_event: String,
    /// Earliest article date (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_date: Option<i64>,
    /// Latest article date (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_date: Option<i64>,
    /// Events.
    pub events: i64,
    /// Articles.
    pub articles: i64,
    #[serde(skip)]
    pub(crate) sort_key: i64,
}

impl StorylineRow {
    /// The position to continue a listing after this row.
    pub fn cursor(&self) -> String {
        format!("{}:{}", self.sort_key, self.id)
    }
}

/// Which storylines to list.
#[derive(Debug, Clone, Default)]
pub struct StorylineQuery {
    /// Words that one of its events must match (as in [`EventQuery::q`]).
    pub q: Option<String>,
    /// At most this many.
    pub limit: usize,
    /// Continue after this position (from [`StorylineRow::cursor`]).
    pub after: Option<(i64, String)>,
}

const STORYLINE_SELECT: &str = "SELECT s.id, COALESCE(h.title, ''), COALESCE(h.lead, ''), s.head_event, s.first_date, s.last_date, s.events, s.articles, s.sort_key
     FROM storylines s LEFT JOIN events h ON h.id = s.head_event";

fn storyline_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StorylineRow> {
    Ok(StorylineRow {
        id: r.get(0)?,
        title: r.get(1)?,
        lead: r.get(2)?,
        head_event: r.get(3)?,
        first_date: r.get(4)?,
        last_date: r.get(5)?,
        events: r.get(6)?,
        articles: r.get(7)?,
        sort_key: r.get(8)?,
    })
}

/// Storylines, newest activity first (last article date, else last ingest), with keyset
/// pagination.
pub fn list_storylines(
    conn: &Connection,
    query: &StorylineQuery,
) -> Result<Vec<StorylineRow>, StoreError> {
    let mut sql = format!("{STORYLINE_SELECT} WHERE 1 = 1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(q) = query.q.as_deref().and_then(fts_query) {
        sql.push_str(&format!(
            " AND s.id IN (SELECT e.storyline FROM events e WHERE e.id IN ({EVENTS_MATCHING}))"
        ));
        args.push(q.into());
    }
    if let Some((key, id)) = &query.after {
        sql.push_str(" AND (s.sort_key < ? OR (s.sort_key = ? AND s.id < ?))");
        args.push((*key).into());
        args.push((*key).into());
        args.push(id.clone().into());
    }
    sql.push_str(" ORDER BY s.sort_key DESC, s.id DESC LIMIT ?");
    args.push((query.limit.min(i64::MAX as usize) as i64).into());
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), storyline_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One storyline's list row.
pub fn storyline_row(conn: &Connection, id: &str) -> Result<Option<StorylineRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("{STORYLINE_SELECT} WHERE s.id = ?1"))?;
    Ok(stmt.query_row([id], storyline_from_row).optional()?)
}

/// The events of a storyline in time order (first article date; undated ones by ingest
/// order, after the dated).
pub fn storyline_events(conn: &Connection, id: &str) -> Result<Vec<EventRow>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM events WHERE storyline = ?1
         ORDER BY first_date IS NULL, first_date, last_seq, id"
    ))?;
    let rows = stmt.query_map([id], event_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An event's place in its storyline: the events before and after it in time order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StorylinePlace {
    /// The storyline.
    pub storyline: Option<StorylineRow>,
    /// The event before it.
    pub previous: Option<EventRow>,
    /// The event after it.
    pub next: Option<EventRow>,
    /// Its position (1-based) among the storyline's events.
    pub position: usize,
}

/// Where event `id` stands in its storyline (`None` if there is no such event).
pub fn storyline_place(conn: &Connection, id: &str) -> Result<Option<StorylinePlace>, StoreError> {
    let Some(row) = event_row(conn, id)? else {
        return Ok(None);
    };
    let Some(line) = row.storyline.as_deref() else {
        return Ok(Some(StorylinePlace::default()));
    };
    let mut events = storyline_events(conn, line)?;
    let Some(k) = events.iter().position(|e| e.id == id) else {
        return Ok(Some(StorylinePlace::default()));
    };
    let next = (k + 1 < events.len()).then(|| events.swap_remove(k + 1));
    let previous = (k > 0).then(|| events.swap_remove(k - 1));
    Ok(Some(StorylinePlace {
        storyline: storyline_row(conn, line)?,
        previous,
        next,
        position: k + 1,
    }))
}

/// Every stored row that `storyline run` produces, as text, in a fixed order: the articles
/// (ingest time left out), the events with their documents, and the storylines.
/// Two stores with equal contents hold the same articles, events and documents (for tests
/// and checks that compare runs).
pub fn contents(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut all = Vec::new();
    for sql in [
        "SELECT quote(seq), quote(id), quote(title), quote(text), quote(source), quote(url), \
         quote(date), quote(date_unix), quote(event_id), quote(duplicate_of) FROM articles ORDER BY seq",
        "SELECT quote(id), quote(title), quote(first_date), quote(last_date), quote(sort_key), \
         quote(last_seq), quote(articles), quote(outlets), quote(lead), quote(dirty), quote(report), \
         quote(storyline) FROM events ORDER BY id",
        "SELECT quote(id), quote(head_event), quote(first_date), quote(last_date), quote(sort_key), \
         quote(last_seq), quote(events), quote(articles) FROM storylines ORDER BY id",
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
    /// Storylines whose stored counts or dates differ from their events', or that have no
    /// events, and events whose storyline has no row.
    pub miscounted_storylines: i64,
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
        miscounted_storylines: one(
            "SELECT (SELECT COUNT(*) FROM storylines s WHERE s.events != (SELECT COUNT(*) FROM events e WHERE e.storyline = s.id)
                 OR s.articles != (SELECT COALESCE(SUM(articles), 0) FROM events e WHERE e.storyline = s.id)
                 OR s.last_seq != (SELECT MAX(last_seq) FROM events e WHERE e.storyline = s.id)
                 OR s.first_date IS NOT (SELECT MIN(first_date) FROM events e WHERE e.storyline = s.id)
                 OR s.last_date IS NOT (SELECT MAX(last_date) FROM events e WHERE e.storyline = s.id))
             + (SELECT COUNT(*) FROM events e WHERE e.storyline IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM storylines s WHERE s.id = e.storyline))",
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, day: i64) -> Article {
        Article {
            id: id.into(),
            title: format!("headline {id}"),
            text: "text".into(),
            source: Some(format!("outlet {id}")),
            url: None,
            date: Timestamp::from_unix_number(1_700_000_000 + day * 86_400),
        }
    }

    /// One article of a test batch: (article, event, storyline, folds made while it was
    /// assigned).
    type Row<'a> = (&'a Article, &'a str, &'a str, Vec<(String, String)>);

    /// Stores one batch.
    fn store(conn: &mut Connection, batch: &[Row<'_>]) {
        let rows: Vec<NewArticle<'_>> = batch
            .iter()
            .map(|(a, e, s, f)| NewArticle {
                article: a,
                event: e,
                duplicate_of: None,
                storyline: Some(s),
                folded: f,
            })
            .collect();
        let tx = conn.transaction().unwrap();
        insert_articles(&tx, &rows, 0).unwrap();
        tx.commit().unwrap();
    }

    fn lines(conn: &Connection) -> Vec<(String, String, i64, i64)> {
        list_storylines(
            conn,
            &StorylineQuery {
                limit: 100,
                ..StorylineQuery::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.head_event, s.events, s.articles))
        .collect()
    }

    fn memory() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn
    }

    #[test]
    fn storylines_count_their_events_and_articles_newest_first() {
        let mut conn = memory();
        let (a, b, c, d) = (
            article("a", 0),
            article("b", 1),
            article("c", 5),
            article("d", 2),
        );
        store(
            &mut conn,
            &[
                (&a, "a", "a", vec![]),
                (&b, "a", "a", vec![]),
                (&c, "c", "a", vec![]),
            ],
        );
        store(&mut conn, &[(&d, "d", "d", vec![])]);
        assert_eq!(
            lines(&conn),
            [
                ("a".into(), "a".into(), 2, 3),
                ("d".into(), "d".into(), 1, 1)
            ]
        );
        let events: Vec<String> = storyline_events(&conn, "a")
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(events, ["a", "c"], "in time order");
        let place = storyline_place(&conn, "c").unwrap().unwrap();
        assert_eq!(place.previous.map(|e| e.id).as_deref(), Some("a"));
        assert!(place.next.is_none());
        assert_eq!(place.position, 2);
        assert!(check(&conn).unwrap().is_consistent());
    }

    #[test]
    fn a_fold_moves_the_events_of_earlier_batches_and_their_counts() {
        let mut conn = memory();
        let (a, b, c) = (article("a", 0), article("b", 1), article("c", 2));
        store(&mut conn, &[(&a, "a", "a", vec![]), (&b, "b", "b", vec![])]);
        // While c was assigned, storyline b was folded into a; c joins event b.
        store(&mut conn, &[(&c, "b", "a", vec![("b".into(), "a".into())])]);
        assert_eq!(lines(&conn), [("a".into(), "b".into(), 2, 3)]);
        assert_eq!(
            event_row(&conn, "b").unwrap().unwrap().storyline.as_deref(),
            Some("a")
        );
        assert!(check(&conn).unwrap().is_consistent());
    }

    #[test]
    fn an_event_that_starts_a_storyline_again_leaves_the_old_one_counted_right() {
        let mut conn = memory();
        let (a, b, c) = (article("a", 0), article("b", 1), article("c", 9));
        store(&mut conn, &[(&a, "a", "a", vec![]), (&b, "b", "a", vec![])]);
        // The clusterer forgot storyline a; event b's next article starts storyline b.
        store(&mut conn, &[(&c, "b", "b", vec![])]);
        assert_eq!(
            lines(&conn),
            [
                ("b".into(), "b".into(), 1, 2),
                ("a".into(), "a".into(), 1, 1)
            ]
        );
        assert!(check(&conn).unwrap().is_consistent());
    }

    #[test]
    fn a_new_event_that_changes_storyline_within_its_batch_takes_its_articles_along() {
        let mut conn = memory();
        let (a, b) = (article("a", 0), article("b", 1));
        store(&mut conn, &[(&a, "a", "a", vec![]), (&b, "a", "z", vec![])]);
        assert_eq!(lines(&conn), [("z".into(), "a".into(), 1, 2)]);
        assert!(check(&conn).unwrap().is_consistent());
    }

    #[test]
    fn the_consistency_check_sees_a_miscounted_storyline() {
        let mut conn = memory();
        let a = article("a", 0);
        store(&mut conn, &[(&a, "a", "a", vec![])]);
        conn.execute("UPDATE storylines SET articles = 7", [])
            .unwrap();
        assert_eq!(check(&conn).unwrap().miscounted_storylines, 1);
    }
}
