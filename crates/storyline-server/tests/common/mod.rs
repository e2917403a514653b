//! A store served through the router, for the tests that need one (`api.rs`, `security.rs`).

use std::path::Path;
use std::sync::Arc;

use storyline_server::{AppState, ServerOptions};
use storyline_store::{Engine, EngineOptions};

/// A served store in a scratch folder (kept as long as the fixture).
pub struct Fixture {
    pub state: Arc<AppState>,
    _dir: tempfile::TempDir,
}

/// A store holding `articles`, ingested on `threads` threads, served with `opts`.
pub fn served(opts: ServerOptions, threads: usize, articles: &[storyline::Article]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let eopts = EngineOptions {
        threads,
        ..EngineOptions::default()
    };
    let mut engine = Engine::open(&dir.path().join("s.db"), eopts.clone(), |_| {}).unwrap();
    if !articles.is_empty() {
        engine.ingest(articles).unwrap();
    }
    let state = AppState::new(engine, eopts, opts).unwrap();
    Fixture { state, _dir: dir }
}

/// The articles of a JSONL file (every line must read).
#[allow(dead_code)]
pub fn articles(path: &Path) -> Vec<storyline::Article> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(
            |l| match storyline::ingest::parse_article_line("s", 1, l, &Default::default()) {
                storyline::ingest::LineOutcome::Article(a, _) => a,
                other => panic!("sample line unreadable: {other:?}"),
            },
        )
        .collect()
}
