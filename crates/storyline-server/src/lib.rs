//! Storyline's HTTP server: the JSON API and the web pages over one embedded store.
//!
//! ```text
//! GET  /                      event list (search, dates)         ┐
//! GET  /events/{id}           event page                         ├ HTML, server-rendered
//! GET  /articles/{id}         article page                       │
//! GET  /storylines            storylines, newest activity first  │
//! GET  /storylines/{id}       a storyline's events as a timeline ┘
//! GET  /api/events            events, newest first (q, from, to, limit, cursor)
//! GET  /api/events/{id}       summary with citations, comparison, timeline, members,
//!                             the event's storyline
//! GET  /api/storylines        storylines, newest activity first (q, limit, cursor)
//! GET  /api/storylines/{id}   a storyline with its events in time order
//! GET  /api/articles/{id}     one article and its event
//! POST /api/articles          ingest one article or a JSONL batch (bearer write token)
//! GET  /api/status            counts (articles, events, events being recomputed)
//! GET  /api/openapi.json      the OpenAPI document of the above
//! ```
//!
//! Every answer passes, outermost first: [`headers`] (CSP and the other security headers;
//! CORS for `/api`), [`limit`] (the per-client rate; connection caps are in the listener),
//! [`auth`] (writes need the write token, reads the read token when one is set), the timeout
//! and the body limit.
//!
//! [`client`] is the other side (a plain HTTP/1.1 client and a `storyline serve` child
//! process), for the benchmark and the CLI's tests.
//!
//! Reads go to a small pool of read-only SQLite connections (WAL: they never wait for the
//! writer): lookups by id on the request's own thread (cheaper than a thread hand-off),
//! searches and lists on blocking threads. Ingest goes through the one [`Engine`] behind a mutex, on a blocking thread. A
//! background [`Refresher`] with its own connection recomputes the summaries and
//! comparisons of events that changed, so a POST answers as soon as its articles are stored.

mod api;
pub mod auth;
pub mod client;
mod error;
mod headers;
pub mod limit;
mod pages;
mod refresh;
mod view;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use rusqlite::Connection;
use storyline::ingest::Limits;
use storyline_store::{Engine, EngineOptions, StoreError, db};

pub use api::ApiDoc;
pub use auth::{Access, Token, Writes};
pub use error::ApiError;
pub use headers::CSP;
pub use limit::ClientLimits;
pub use refresh::Refresher;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Address to listen on (127.0.0.1 unless asked otherwise).
    pub addr: SocketAddr,
    /// Longest time a request may take before it is answered with 503.
    pub request_timeout: Duration,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// Most articles in one POST.
    pub max_batch: usize,
    /// Limits on each article (its text is cut past `max_text_bytes`, with a warning).
    pub limits: Limits,
    /// Who may write and read. The default refuses writes (no token).
    pub access: Access,
    /// Request rate and connections per client.
    pub client_limits: ClientLimits,
    /// Origins allowed to call the API from a browser (CORS; `*`: any). None by default.
    pub cors_origins: Vec<String>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            request_timeout: Duration::from_secs(30),
            max_body_bytes: 16 << 20,
            max_batch: 10_000,
            limits: Limits {
                max_line_bytes: 16 << 20,
                max_text_bytes: 1 << 20,
                ..Limits::default()
            },
            access: Access::default(),
            client_limits: ClientLimits::default(),
            cors_origins: Vec::new(),
        }
    }
}

/// Read-only connections, reused across requests.
struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    /// Most idle connections kept.
    const KEEP: usize = 16;

    fn with<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match conn {
            Some(c) => c,
            None => db::open_reader(&self.path)?,
        };
        let out = f(&conn);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < Self::KEEP {
            idle.push(conn);
        }
        out
    }
}

/// The engine behind the writes: being opened (its clusterer catching up with the store)
/// while reads are already answered, open, or failed to open.
pub(crate) enum EngineSlot {
    Opening,
    Ready(Box<Engine>),
    Failed(String),
}

/// Why [`AppState::ingest`] stored nothing.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The store is still being opened for writes (its clusterer catching up).
    #[error(
        "the store is still being opened for writes (its clusterer is catching up); reads are served; retry in a few seconds"
    )]
    Opening,
    /// The store could not be opened for writes.
    #[error("the store could not be opened for writes: {0}")]
    Failed(String),
    /// The write failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What the handlers share.
pub struct AppState {
    readers: Readers,
    engine: Mutex<EngineSlot>,
    refresher: Refresher,
    limiter: Option<limit::RateLimiter>,
    opts: ServerOptions,
}

impl AppState {
    /// Serves `engine`'s store, starting a background refresher for it.
    pub fn new(
        engine: Engine,
        engine_opts: EngineOptions,
        opts: ServerOptions,
    ) -> Result<Arc<AppState>, StoreError> {
        let path = engine.path().to_path_buf();
        Self::with_slot(
            &path,
            EngineSlot::Ready(Box::new(engine)),
            engine_opts,
            opts,
        )
    }

    /// Serves the store at `path` at once, reads first: `open` (typically [`Engine::open`],
    /// which replays the articles stored after the clusterer's checkpoint) runs on a thread
    /// of its own; a write waits for it (most of the request timeout), then is answered 503
    /// `opening`. The schema is brought up to date before this returns.
    pub fn opening(
        path: &Path,
        engine_opts: EngineOptions,
        opts: ServerOptions,
        open: impl FnOnce() -> Result<Engine, StoreError> + Send + 'static,
    ) -> Result<Arc<AppState>, StoreError> {
        drop(db::open(path)?);
        let state = Self::with_slot(path, EngineSlot::Opening, engine_opts, opts)?;
        let filling = Arc::clone(&state);
        std::thread::Builder::new()
            .name("storyline-open".into())
            .spawn(move || {
                let slot = match open() {
                    Ok(engine) => EngineSlot::Ready(Box::new(engine)),
                    Err(e) => {
                        tracing::error!("opening the store for writes failed: {e}");
                        EngineSlot::Failed(e.to_string())
                    }
                };
                *filling.engine.lock().unwrap_or_else(|e| e.into_inner()) = slot;
            })
            .map_err(|e| StoreError::Io(format!("cannot start a thread: {e}")))?;
        Ok(state)
    }

    fn with_slot(
        path: &Path,
        slot: EngineSlot,
        engine_opts: EngineOptions,
        opts: ServerOptions,
    ) -> Result<Arc<AppState>, StoreError> {
        let refresher = Refresher::start(path, engine_opts)?;
        let readers = Readers {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        };
        readers.with(|_| Ok(()))?;
        let l = &opts.client_limits;
        let limiter = limit::RateLimiter::new(l.requests_per_s, l.burst, l.max_clients);
        Ok(Arc::new(AppState {
            readers,
            engine: Mutex::new(slot),
            refresher,
            limiter,
            opts,
        }))
    }

    /// The engine is open (writes are taken).
    pub fn writable(&self) -> bool {
        matches!(
            *self.engine.lock().unwrap_or_else(|e| e.into_inner()),
            EngineSlot::Ready(_)
        )
    }

    /// Saves the clusterer's checkpoint (when the server stops), if the engine is open.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        match &mut *self.engine.lock().unwrap_or_else(|e| e.into_inner()) {
            EngineSlot::Ready(engine) => engine.checkpoint(),
            _ => Ok(()),
        }
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.readers.path
    }

    /// Stores articles as `POST /api/articles` does: assigned to events in one transaction
    /// (after a failed write the engine is rebuilt from the store), then the refresher is
    /// told. A write that comes while the store is being opened waits for it, for most of
    /// the request timeout; then it is refused with [`IngestError::Opening`]. Blocking: call
    /// it outside the async runtime's threads (`storyline watch` feeds the served store
    /// this way).
    pub fn ingest(
        &self,
        articles: &[storyline::Article],
    ) -> Result<(Vec<storyline_store::Outcome>, storyline_store::IngestCounts), IngestError> {
        let mut slot = self.ready_engine()?;
        let EngineSlot::Ready(engine) = &mut *slot else {
            return Err(IngestError::Opening);
        };
        let out = engine.ingest(articles);
        if out.is_err() {
            // The clusterer may have moved past what was stored: rebuild it from the store.
            match Engine::open(engine.path(), engine.options().clone(), |_| {}) {
                Ok(fresh) => **engine = fresh,
                Err(e) => tracing::error!("reopening the store failed: {e}"),
            }
        }
        drop(slot);
        self.refresher.notify();
        Ok(out?)
    }

    /// Replaces a stored article's title and text as [`Engine::revise`] does (a feed entry
    /// that was rewritten), then tells the refresher. False when no article has its id.
    pub fn revise(&self, article: &storyline::Article) -> Result<bool, IngestError> {
        let mut slot = self.ready_engine()?;
        let EngineSlot::Ready(engine) = &mut *slot else {
            return Err(IngestError::Opening);
        };
        let out = engine.revise(article)?;
        drop(slot);
        self.refresher.notify();
        Ok(out)
    }

    /// The engine's slot once it is ready, waiting for an opening store for most of the
    /// request timeout.
    fn ready_engine(&self) -> Result<std::sync::MutexGuard<'_, EngineSlot>, IngestError> {
        let deadline = std::time::Instant::now() + self.opts.request_timeout.mul_f32(0.8);
        let mut slot = self.engine.lock().unwrap_or_else(|e| e.into_inner());
        while matches!(*slot, EngineSlot::Opening) && std::time::Instant::now() < deadline {
            drop(slot);
            std::thread::sleep(Duration::from_millis(10));
            slot = self.engine.lock().unwrap_or_else(|e| e.into_inner());
        }
        match &*slot {
            EngineSlot::Ready(_) => Ok(slot),
            EngineSlot::Opening => Err(IngestError::Opening),
            EngineSlot::Failed(why) => Err(IngestError::Failed(why.clone())),
        }
    }

    /// Asks the refresher to recompute what changed, and waits until nothing is left to do
    /// (for tests and for `storyline run --serve`).
    pub fn settle(&self, timeout: Duration) -> bool {
        self.refresher.settle(timeout)
    }
}

/// The routes over `state`.
pub fn router(state: Arc<AppState>) -> Router {
    let timeout = state.opts.request_timeout;
    let body_limit = state.opts.max_body_bytes;
    Router::new()
        .route("/", get(pages::index))
        .route("/events/{id}", get(pages::event))
        .route("/storylines", get(pages::storylines))
        .route("/storylines/{id}", get(pages::storyline))
        .route("/articles/{id}", get(pages::article))
        .merge(api::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(move |req, next| {
            error::with_timeout(timeout, req, next)
        }))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(from_fn_with_state(Arc::clone(&state), auth::authorize))
        .layer(from_fn_with_state(Arc::clone(&state), limit::throttle))
        .layer(from_fn_with_state(Arc::clone(&state), headers::cors))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

/// Serves until `shutdown` completes; then stops the refresher. Connections are capped per
/// client and in all as `state`'s options say.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(Arc::clone(&state));
    let listener = limit::LimitedListener::new(listener, &state.opts.client_limits);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<limit::Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    state.refresher.stop();
    let saving = Arc::clone(&state);
    match tokio::task::spawn_blocking(move || saving.checkpoint()).await {
        Ok(Err(e)) => tracing::warn!("the clusterer checkpoint was not saved: {e}"),
        Err(e) => tracing::warn!("the clusterer checkpoint was not saved: {e}"),
        Ok(Ok(())) => {}
    }
    Ok(())
}
