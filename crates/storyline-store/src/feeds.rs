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

/// What is known of an entry: nothing (`None`, never taken), or the version it was taken
/// at (`Some(None)` for an entry taken before versions were kept).
pub fn entry_version(
    conn: &Connection,
    source: &str,
    entry: &str,
) -> Result<Option<Option<String>>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT version FROM feed_entries WHERE source = ?1 AND entry = ?2")?;
    Ok(stmt
        .query_row(params![source, entry], |r| r.get(0))
        .optional()?)
}

/// An entry taken from a source, as recorded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TakenEntry {
    /// The entry's key (its id, else its link).
    pub entry: String,
    /// Its link.
    pub url: Option<String>,
    /// The article stored for it, if one was.
    pub article_id: Option<String>,
    /// Its version when taken (see `storyline_feed::Entry::version`).
    pub version: Option<String>,
}

/// Records entries as taken (a rewritten entry's row gets its new version; an article id
/// once recorded is kept). They count as listed by their source now.
pub fn mark_entries(
    conn: &mut Connection,
    source: &str,
    entries: &[TakenEntry],
    now: i64,
) -> Result<(), StoreError> {
    let tx = crate::db::write_transaction(conn)?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO feed_entries (source, entry, url, article_id, seen_at, version, listed_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5) \
             ON CONFLICT (source, entry) DO UPDATE SET version = excluded.version, \
             listed_at = excluded.listed_at, url = COALESCE(excluded.url, url), \
             article_id = COALESCE(article_id, excluded.article_id)",
        )?;
        for e in entries {
            stmt.execute(params![
                source,
                e.entry,
                e.url,
                e.article_id,
                now,
                e.version
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Records that a source's latest read still lists these entries (those recorded; others
/// are left alone).
pub fn mark_listed(
    conn: &mut Connection,
    source: &str,
    entries: &[String],
    now: i64,
) -> Result<(), StoreError> {
    let tx = crate::db::write_transaction(conn)?;
    {
        let mut stmt = tx.prepare_cached(
            "UPDATE feed_entries SET listed_at = ?3 WHERE source = ?1 AND entry = ?2",
        )?;
        for e in entries {
            stmt.execute(params![source, e, now])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// A source answered "not modified": what its last read listed is listed still.
pub fn relist(conn: &Connection, source: &str, now: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE feed_entries SET listed_at = ?2 WHERE source = ?1 AND listed_at = \
         (SELECT MAX(listed_at) FROM feed_entries WHERE source = ?1)",
        params![source, now],
    )?;
    Ok(())
}

/// Forgets the entries no source has listed since `before` (Unix seconds), so that the
/// state of sources stays bounded over weeks. An entry its feed still lists is never
/// forgotten (it would be taken again); one that is gone from its feed is not coming
/// back. Returns how many were forgotten.
pub fn prune_entries(conn: &Connection, before: i64) -> Result<usize, StoreError> {
    Ok(conn.execute("DELETE FROM feed_entries WHERE listed_at < ?1", [before])?)
}

/// Entries recorded for a source.
pub fn entry_count(conn: &Connection, source: &str) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM feed_entries WHERE source = ?1",
        [source],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(name: &str) -> (Connection, std::path::PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("storyline-feeds-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let conn = crate::db::open(&dir.join("s.db")).unwrap();
        (conn, dir)
    }

    fn taken(key: &str, version: &str) -> TakenEntry {
        TakenEntry {
            entry: key.into(),
            url: Some(format!("https://x.example/{key}")),
            article_id: Some(format!("https://x.example/{key}")),
            version: Some(version.into()),
        }
    }

    #[test]
    fn entries_gone_from_their_feed_are_forgotten_and_listed_ones_kept() {
        let (mut conn, dir) = store("prune");
        let day = 86_400;
        mark_entries(&mut conn, "f", &[taken("a", "1"), taken("b", "1")], 0).unwrap();
        // Forty days on, the feed still lists "a"; "b" left it on day 0.
        mark_listed(&mut conn, "f", &["a".to_string()], 40 * day).unwrap();
        assert_eq!(prune_entries(&conn, 40 * day - 30 * day).unwrap(), 1);
        assert_eq!(
            entry_version(&conn, "f", "a").unwrap(),
            Some(Some("1".into()))
        );
        assert_eq!(entry_version(&conn, "f", "b").unwrap(), None);
        // A feed that answers 304 for weeks keeps what it last listed.
        relist(&conn, "f", 80 * day).unwrap();
        assert_eq!(prune_entries(&conn, 80 * day - 30 * day).unwrap(), 0);
        assert!(entry_seen(&conn, "f", "a").unwrap());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn a_rewritten_entry_gets_its_new_version_and_keeps_its_article() {
        let (mut conn, dir) = store("version");
        mark_entries(&mut conn, "f", &[taken("a", "1")], 10).unwrap();
        let mut again = taken("a", "2");
        again.article_id = None;
        mark_entries(&mut conn, "f", &[again], 20).unwrap();
        assert_eq!(
            entry_version(&conn, "f", "a").unwrap(),
            Some(Some("2".into()))
        );
        let article: Option<String> = conn
            .query_row(
                "SELECT article_id FROM feed_entries WHERE entry = 'a'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(article.as_deref(), Some("https://x.example/a"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
