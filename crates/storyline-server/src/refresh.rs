//! The background refresher: recomputes the summaries and comparisons of events that
//! changed, on its own connection, so ingest never waits for them.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use storyline_store::{EngineOptions, StoreError, db, engine};

#[derive(Default)]
struct State {
    /// Work was asked for (or may be waiting).
    pending: bool,
    /// A refresh is running.
    busy: bool,
    stop: bool,
}

struct Shared {
    state: Mutex<State>,
    moved: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A thread that keeps dirty events up to date.
pub struct Refresher {
    shared: Arc<Shared>,
    handle: Mutex<Option<JoinHandle<()>>>,
}

/// How often the refresher looks for work nobody told it about (another process ingesting
/// into the same store).
const POLL: Duration = Duration::from_secs(5);

/// Events recomputed per round.
const ROUND: usize = 64;

impl Refresher {
    /// Starts refreshing the store at `path`; it begins with whatever is dirty already.
    pub fn start(path: &Path, opts: EngineOptions) -> Result<Refresher, StoreError> {
        let mut conn = db::open(path)?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                pending: true,
                ..State::default()
            }),
            moved: Condvar::new(),
        });
        let worker = Arc::clone(&shared);
        let handle = std::thread::Builder::new()
            .name("refresh".into())
            .spawn(move || {
                loop {
                    {
                        let mut s = worker.lock();
                        while !s.pending && !s.stop {
                            let (guard, timeout) = worker
                                .moved
                                .wait_timeout(s, POLL)
                                .unwrap_or_else(|e| e.into_inner());
                            s = guard;
                            if timeout.timed_out() {
                                s.pending = true;
                            }
                        }
                        if s.stop {
                            return;
                        }
                        s.pending = false;
                        s.busy = true;
                    }
                    let started = Instant::now();
                    let mut done = 0;
                    // Small rounds, so that stopping never waits for a long backlog.
                    while !worker.lock().stop {
                        match engine::refresh(&mut conn, &opts, ROUND, |_, _| {}) {
                            Ok(0) => break,
                            Ok(n) => done += n,
                            Err(e) => {
                                tracing::error!("recomputing events failed: {e}");
                                std::thread::sleep(Duration::from_secs(1));
                                break;
                            }
                        }
                    }
                    if done > 0 {
                        tracing::info!(
                            "recomputed {done} events in {:.2} s",
                            started.elapsed().as_secs_f64()
                        );
                    }
                    worker.lock().busy = false;
                    worker.moved.notify_all();
                }
            })
            .map_err(|e| StoreError::Io(e.to_string()))?;
        Ok(Refresher {
            shared,
            handle: Mutex::new(Some(handle)),
        })
    }

    /// Tells the refresher that events changed.
    pub fn notify(&self) {
        self.shared.lock().pending = true;
        self.shared.moved.notify_all();
    }

    /// Asks for a refresh and waits until it has run (at most `timeout`). `false` on timeout.
    pub fn settle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut s = self.shared.lock();
        s.pending = true;
        self.shared.moved.notify_all();
        while s.pending || s.busy {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            s = self
                .shared
                .moved
                .wait_timeout(s, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }

    /// Stops the thread after its current batch.
    pub fn stop(&self) {
        self.shared.lock().stop = true;
        self.shared.moved.notify_all();
        if let Some(h) = self.handle.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = h.join();
        }
    }
}

impl Drop for Refresher {
    fn drop(&mut self) {
        self.stop();
    }
}
