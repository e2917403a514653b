//! Storyline's embedded store: articles, events and their presentations in one SQLite file,
//! kept up to date by the [`Engine`] as articles arrive.
//!
//! - [`db`]: the schema (versioned migrations), and the queries the engine, the CLI and the
//!   HTTP server make. Full-text search through FTS5.
//! - [`engine`]: ingest (featurize, assign to events, store in one transaction) and refresh
//!   (summarize and compare the events that changed).
//! - [`feeds`]: the state of live sources (`storyline watch`): validators, next fetch,
//!   failures, entries taken.

pub mod db;
pub mod engine;
pub mod feeds;

use std::path::{Path, PathBuf};

pub use db::{
    Counts, EventQuery, EventRow, StoredArticle, StorylinePlace, StorylineQuery, StorylineRow,
};
pub use engine::{
    Coalescer, Engine, EngineOptions, EventDocument, IngestCounts, Outcome, StreamIngest,
};

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or created.
    #[error("cannot open the store {}: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// A query or a write failed.
    #[error("store error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file was written by a newer Storyline (or is not a Storyline store).
    #[error(
        "the store's schema is version {found}, this Storyline knows version {expected}; use a newer Storyline or another --db"
    )]
    Schema {
        /// Version in the file.
        found: i64,
        /// Version this build writes.
        expected: i64,
    },
    /// A thread could not be started, or another I/O failure outside SQLite.
    #[error("{0}")]
    Io(String),
    /// An earlier write failed after the clusterer had taken the articles: reopen the store.
    #[error("an earlier write to the store failed; reopen it to continue")]
    Broken,
}

impl StoreError {
    pub(crate) fn open(path: &Path, source: rusqlite::Error) -> StoreError {
        StoreError::Open {
            path: path.to_path_buf(),
            source,
        }
    }
}
