//! Opening the store.

use std::path::Path;

use anyhow::{Context, Result};
use indicatif::ProgressBar;
use storyline_store::{Engine, EngineOptions};

/// Opens the store, replaying its articles into the clusterer (progress on `bar`, which is
/// then cleared).
pub(crate) fn open_engine(db: &Path, opts: &EngineOptions, bar: &ProgressBar) -> Result<Engine> {
    let engine = Engine::open(db, opts.clone(), |n| bar.set_position(n as u64))
        .with_context(|| format!("{}: cannot open the store", db.display()))?;
    bar.finish_and_clear();
    let (replayed, moved) = engine.replayed();
    if replayed > 0 {
        tracing::info!(
            "{}: {replayed} stored articles ({moved} would now go elsewhere)",
            db.display()
        );
    }
    Ok(engine)
}
