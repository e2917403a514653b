//! The state of live sources (`storyline watch`): what each source is, its HTTP validators,
//! when to fetch it next, how its last fetch went, and every entry already taken.
//!
//! An entry is recorded only after its article is stored (or judged unusable), in the
//! watcher's same process: a restart or a kill -9 fetches again only what was never
//! acknowledged here.

use rusqlite::{OptionalExtension, params};

use crate::StoreError;
use crate::db::Connection;

/// One followed source, as stored.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FeedSource {
    /// Its address.
    pub url: String,
    /// What it served last: "feed", "sitemap", ...
    pub kind: Option<String>,
    /// The outlet it names.
    pub outlet: Option<String>,
    /// HTTP `ETag` of the last response.
    pub etag: Option<String>,
    /// HTTP `Last-Modified` of the last response.
    pub last_modified: Option<String>,
    /// Unix seconds of the last fetch.
    pub last_fetch: Option<i64>,
    /// How the last fetch went ("ok", "not modified", "error").
    pub last_status: Option<String>,
    /// The last error, kept until a fetch succeeds.
    pub last_error: Option<String>,
    /// Unix seconds before which it is not fetched again.
    pub next_fetch: i64,
    /// Failures in a row.
    pub failures: i64,
    /// Articles its last fetch stored.
    pub new_articles: i64,
    /// Articles it stored in all.
    pub total_articles: i64,
}

/// Adds a source (due at once) unless it is known.
pub fn add_source(conn: &Connection, url: &str, now: i64) -> Result<bool, StoreError> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO feed_sources (url, next_fetch, added_at) VALUES (?1, 0, ?2)",
        params![url, now],
    )?;
    Ok(n > 0)
}

const COLUMNS: &str = "url, kind, outlet, etag, last_modified, last_fetch, last_status, \
    last_error, next_fetch, failures, new_articles, total_articles";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FeedSource> {
    Ok(FeedSource {
        url: r.get(0)?,
        kind: r.get(1)?,
        outlet: r.get(2)?,
        etag: r.get(3)?,
        last_modified: r.get(4)?,
        last_fetch: r.get(5)?,
        last_status: r.get(6)?,
        last_error: r.get(7)?,
        next_fetch: r.get(8)?,
        failures: r.get(9)?,
        new_articles: r.get(10)?,
        total_articles: r.get(11)?,
    })
}

/// Every source, in the order they were added.
pub fn sources(conn: &Connection) -> Result<Vec<FeedSource>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM feed_sources ORDER BY added_at, url"
    ))?;
    let rows = stmt.query_map([], row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One source.
pub fn source(conn: &Connection, url: &str) -> Result<Option<FeedSource>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM feed_sources WHERE url = ?1"),
            [url],
            row,
        )
        .optional()?)
}

/// Stores a source's state after a fetch (every field but the url and `added_at`).
pub fn save_source(conn: &Connection, s: &FeedSource) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE feed_sources SET kind = ?2, outlet = ?3, etag = ?4, last_modified = ?5, \
         last_fetch = ?6, last_status = ?7, last_error = ?8, next_fetch = ?9, failures = ?10, \
         new_articles = ?11, total_articles = ?12 WHERE url = ?1",
        params![
            s.url,
            s.kind,
            s.outlet,
            s.etag,
            s.last_modified,
            s.last_fetch,
            s.last_status,
            s.last_error,
            s.next_fetch,
            s.failures,
            s.new_articles,
            s.total_articles
        ],
    )?;
    Ok(())
}

/// Was this entry of this source taken already?
pub fn entry_seen(conn: &Connection, source: &str, entry: &str) -> Result<bool, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT 1 FROM feed_entries WHERE source = ?1 AND entry = ?2")?;
    Ok(stmt.exists(params![source, entry])?)
}

/// Records entries as taken: `(entry, url, article id if one was stored)`.
pub fn mark_entries(
    conn: &mut Connection,
    source: &str,
    entries: &[(String, Option<String>, Option<String>)],
    now: i64,
) -> Result<(), StoreError> {
    let tx = crate::db::write_transaction(conn)?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT OR IGNORE INTO feed_entries (source, entry, url, article_id, seen_at) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (entry, url, article) in entries {
            stmt.execute(params![source, entry, url, article, now])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Entries recorded for a source.
pub fn entry_count(conn: &Connection, source: &str) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM feed_entries WHERE source = ?1",
        [source],
        |r| r.get(0),
    )?)
}
