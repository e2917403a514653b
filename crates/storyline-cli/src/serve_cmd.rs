//! `storyline serve`, `storyline events`, `storyline event`: the store over HTTP and in the
//! terminal.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use storyline::Article;
use storyline::compare::CompareOptions;
use storyline_server::auth::{self, TokenSource};
use storyline_server::{Access, AppState, ClientLimits, ServerOptions, Token, Writes};
use storyline_store::{Engine, EngineOptions, EventQuery, db};

/// Where the store is.
#[derive(Args, Clone)]
pub struct StoreArgs {
    /// The store (an SQLite file; created if missing).
    #[arg(long, default_value = "storyline.db")]
    pub db: PathBuf,
}

/// Where to listen, who may write and read, and the per-client limits.
#[derive(Args, Clone)]
pub struct HttpArgs {
    /// Address to listen on (127.0.0.1: this machine only; 0.0.0.0 to open it to the network).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Refuse every write through HTTP (403): a server that only shows the store.
    #[arg(long)]
    pub read_only: bool,
    /// Make reads private too: every page and GET needs this token (as `Authorization: Bearer`,
    /// the `storyline_token` cookie, or `?token=`, which a browser trades for the cookie).
    /// Prefer the environment variable: a command line is visible to other users.
    #[arg(
        long,
        env = "STORYLINE_READ_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub read_token: Option<String>,
    /// Requests per second one client may make on average (0: no limit); beyond it the
    /// answer is 429 with Retry-After.
    #[arg(long, default_value_t = 50.0, value_name = "N")]
    pub rate_limit: f64,
    /// Requests one client may make at once after a pause.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub burst: u32,
    /// Connections one client may hold open (0: no limit); a further one is answered 429 and
    /// closed.
    #[arg(long, default_value_t = 32, value_name = "N")]
    pub client_connections: usize,
    /// Connections open in all (0: no limit); further clients wait to be accepted.
    #[arg(long, default_value_t = 1024, value_name = "N")]
    pub max_connections: usize,
    /// A reverse proxy in front of this server (repeatable): requests from it are counted
    /// against the client named by the last address of X-Forwarded-For, and its own
    /// connections are not capped per client. Without it, every client behind a proxy shares
    /// one rate.
    #[arg(long = "trusted-proxy", value_name = "IP")]
    pub trusted_proxies: Vec<IpAddr>,
    /// Let web pages from ORIGIN (e.g. https://news.example.org) call the API from a browser
    /// (CORS; repeatable; `*`: any origin). None by default.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
}

impl HttpArgs {
    /// The server's options for the store at `db`: the write token from
    /// `STORYLINE_WRITE_TOKEN` or the token file (created on first start), and what it says
    /// about them on stderr.
    fn server_options(&self, db: &Path) -> Result<(ServerOptions, Vec<String>)> {
        let mut notes = Vec::new();
        let writes = if self.read_only {
            notes.push("read-only: every write through HTTP is refused (403)".to_string());
            Writes::Refused
        } else {
            let env = std::env::var("STORYLINE_WRITE_TOKEN")
                .ok()
                .filter(|v| !v.trim().is_empty());
            let (token, source) = auth::load_or_create(db, env.as_deref())
                .context("the write token (STORYLINE_WRITE_TOKEN or the token file)")?;
            notes.push(match source {
                TokenSource::Given => {
                    "writes need the token in STORYLINE_WRITE_TOKEN (Authorization: Bearer)"
                        .to_string()
                }
                TokenSource::File(p) => format!(
                    "writes need the token in {} (Authorization: Bearer)",
                    p.display()
                ),
                TokenSource::Created(p) => format!(
                    "writes need a token: a new one is in {} (mode 0600; Authorization: Bearer)",
                    p.display()
                ),
            });
            Writes::Token(token)
        };
        let read_token = self
            .read_token
            .as_deref()
            .map(Token::new)
            .transpose()
            .context("--read-token / STORYLINE_READ_TOKEN")?;
        notes.push(if read_token.is_some() {
            "reads are private: pages and GETs need the read token".to_string()
        } else {
            "reads are open to anyone who can reach this address (--read-token closes them)"
                .to_string()
        });
        if !(self.rate_limit.is_finite() && self.rate_limit >= 0.0) {
            bail!("--rate-limit: not a rate: {}", self.rate_limit);
        }
        for o in &self.cors_origins {
            let origin_like = o == "*"
                || ((o.starts_with("https://") || o.starts_with("http://"))
                    && !o.ends_with('/')
                    && o.split("://")
                        .nth(1)
                        .is_some_and(|h| !h.is_empty() && !h.contains('/')));
            if !origin_like {
                bail!("--cors-origin {o:?}: not an origin (scheme://host[:port], no path) or *");
            }
        }
        let opts = ServerOptions {
            addr: SocketAddr::new(self.host, self.port),
            access: Access { writes, read_token },
            client_limits: ClientLimits {
                requests_per_s: self.rate_limit,
                burst: self.burst,
                connections_per_client: self.client_connections,
                max_connections: self.max_connections,
                trusted_proxies: self.trusted_proxies.clone(),
                ..ClientLimits::default()
            },
            cors_origins: self.cors_origins.clone(),
            ..ServerOptions::default()
        };
        Ok((opts, notes))
    }
}

#[derive(Args)]
#[command(
    after_help = "The web page is at /, the JSON API under /api (its OpenAPI document at \
/api/openapi.json). Reads are answered at once; writes wait while the store is opened (the \
clusterer is loaded from the store's checkpoint and catches up with later articles). Ctrl-C \
stops the server (and saves the checkpoint).

Writes (POST /api/articles) always need `Authorization: Bearer TOKEN`, also on this machine. \
The token is STORYLINE_WRITE_TOKEN when set; otherwise the first start writes a random one to \
<db>.token beside the store (mode 0600) and later starts reuse it. `storyline run` writes to \
the store directly and needs no token.

To open it to the network, put it behind a TLS reverse proxy (give --trusted-proxy so that \
the limits count real clients); see the README's \"Deploying\"."
)]
pub struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    #[command(flatten)]
    http: HttpArgs,
    /// Summary length in words for events changed through the API.
    #[arg(long, default_value_t = 100)]
    words: usize,
}

/// Serves an open engine until Ctrl-C.
pub fn serve(engine: Engine, opts: EngineOptions, http: &HttpArgs) -> Result<()> {
    let path = engine.path().to_path_buf();
    let counts = engine.counts()?;
    let (server_opts, notes) = http.server_options(&path)?;
    for n in notes {
        eprintln!("{n}");
    }
    let state = AppState::new(engine, opts, server_opts.clone())?;
    serve_state(state, &path, counts, server_opts)
}

/// Serves `state` until Ctrl-C (then saves the clusterer's checkpoint).
fn serve_state(
    state: std::sync::Arc<AppState>,
    path: &Path,
    counts: db::Counts,
    server_opts: storyline_server::ServerOptions,
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the HTTP runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(server_opts.addr)
            .await
            .with_context(|| format!("cannot listen on {} (is another server using the port? try --port)", server_opts.addr))?;
        let addr = listener.local_addr()?;
        let host = if addr.ip().is_unspecified() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
        eprintln!(
            "Storyline is serving {} ({} articles, {} events) at http://{host}:{} (API: /api/events, /api/openapi.json). Ctrl-C stops it.",
            path.display(),
            counts.articles,
            counts.events,
            addr.port()
        );
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("stopping");
        };
        storyline_server::serve(listener, state, shutdown).await.context("serving HTTP")
    })
}

/// Serves an open engine from a thread of its own (for `storyline watch --serve`), until
/// Ctrl-C, which then ends the process (the watcher's state is in the store). Returns the
/// server's state, through which articles are stored as `POST /api/articles` stores them.
pub fn serve_in_background(
    engine: Engine,
    opts: EngineOptions,
    http: &HttpArgs,
) -> Result<(
    std::sync::Arc<AppState>,
    std::thread::JoinHandle<Result<()>>,
)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the HTTP runtime")?;
    let path = engine.path().to_path_buf();
    let (server_opts, notes) = http.server_options(&path)?;
    for n in notes {
        eprintln!("{n}");
    }
    let state = AppState::new(engine, opts, server_opts.clone())?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(server_opts.addr))
        .with_context(|| {
            format!(
                "cannot listen on {} (is another server using the port? try --port)",
                server_opts.addr
            )
        })?;
    let addr = listener.local_addr()?;
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    eprintln!(
        "Storyline is serving {} at http://{host}:{} while it watches. Ctrl-C stops it.",
        path.display(),
        addr.port()
    );
    let served = std::sync::Arc::clone(&state);
    let handle = std::thread::spawn(move || -> Result<()> {
        runtime.block_on(async move {
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
                eprintln!("stopping");
            };
            storyline_server::serve(listener, served, shutdown)
                .await
                .context("serving HTTP")
        })?;
        std::process::exit(0);
    });
    Ok((state, handle))
}

/// `storyline serve`: reads are answered at once; the engine that takes writes is opened
/// beside them (its clusterer loads the store's checkpoint and replays the articles stored
/// after it); a POST waits for it (then 503 `opening` if it is still not ready).
pub fn run_serve(args: ServeArgs, _quiet: bool) -> Result<ExitCode> {
    let opts = EngineOptions {
        summary_words: args.words,
        ..EngineOptions::default()
    };
    let path = args.store.db.clone();
    let counts = {
        let conn = db::open(&path)
            .with_context(|| format!("{}: cannot open the store", path.display()))?;
        db::counts(&conn)?
    };
    let (server_opts, notes) = args.http.server_options(&path)?;
    for n in notes {
        eprintln!("{n}");
    }
    let started = std::time::Instant::now();
    let (open_path, open_opts) = (path.clone(), opts.clone());
    let state = AppState::opening(&path, opts, server_opts.clone(), move || {
        let engine = Engine::open(&open_path, open_opts, |_| {})?;
        let (replayed, moved) = engine.replayed();
        tracing::info!(
            "{}: open for writes in {:.2} s ({replayed} articles replayed after the checkpoint, {moved} would now go elsewhere)",
            open_path.display(),
            started.elapsed().as_secs_f64()
        );
        Ok(engine)
    })
    .with_context(|| format!("{}: cannot open the store", path.display()))?;
    serve_state(state, &path, counts, server_opts)?;
    Ok(ExitCode::SUCCESS)
}

/// Output formats of `events`, `event`, `storylines` and `storyline`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Args)]
pub struct EventsArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Keywords (all must match). `-s`, as `-q` is the global `--quiet`.
    #[arg(short = 's', long, visible_alias = "search")]
    query: Option<String>,
    /// Events with articles on or after this date (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Events with articles on or before this date.
    #[arg(long)]
    to: Option<String>,
    /// At most this many events.
    #[arg(short = 'n', long, default_value_t = 20)]
    limit: usize,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub(crate) fn open_existing(store: &StoreArgs) -> Result<db::Connection> {
    if !store.db.exists() {
        bail!(
            "{}: no store here; create one with `storyline run ARTICLES` (or give --db)",
            store.db.display()
        );
    }
    db::open_reader(&store.db)
        .with_context(|| format!("{}: cannot open the store", store.db.display()))
}

pub(crate) fn day(unix: Option<i64>) -> String {
    unix.and_then(storyline::Timestamp::from_unix_number)
        .map(|t| t.date().to_string())
        .unwrap_or_else(|| "-".into())
}

pub fn run_events(args: EventsArgs) -> Result<ExitCode> {
    let reader = open_existing(&args.store)?;
    let date = |name: &str, v: &Option<String>| -> Result<Option<i64>> {
        v.as_deref()
            .map(|s| {
                storyline::Timestamp::parse(s)
                    .map(|t| t.unix_seconds())
                    .with_context(|| format!("--{name}: not a date: {s:?}"))
            })
            .transpose()
    };
    let query = EventQuery {
        q: args.query.clone(),
        from: date("from", &args.from)?,
        to: date("to", &args.to)?,
        limit: args.limit.max(1),
        after: None,
    };
    let rows = db::list_events(&reader, &query)?;
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?,
        Format::Markdown => {
            for r in &rows {
                writeln!(
                    out,
                    "- **{}** ({}; {} articles, {} outlets) `{}`  \n  {}",
                    r.title,
                    day(r.last_date),
                    r.articles,
                    r.outlets,
                    r.id,
                    r.lead
                )?;
            }
        }
        Format::Text => {
            for r in &rows {
                writeln!(
                    out,
                    "{:<12} {:<10} {:>4} art {:>3} outl  {}",
                    r.id,
                    day(r.last_date),
                    r.articles,
                    r.outlets,
                    r.title
                )?;
            }
        }
    }
    if rows.is_empty() {
        eprintln!(
            "no events{}",
            if args.query.is_some() { " match" } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Args)]
pub struct EventArgs {
    /// The event's id (see `storyline events`).
    id: String,
    #[command(flatten)]
    store: StoreArgs,
    /// Output format: text and markdown show the summary with its sources and the source
    /// comparison; json is the API's document.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Summary length in words (text and markdown).
    #[arg(long, default_value_t = 100)]
    words: usize,
}

pub fn run_event(args: EventArgs) -> Result<ExitCode> {
    let reader = open_existing(&args.store)?;
    let Some(row) = db::event_row(&reader, &args.id)? else {
        bail!(
            "no event {:?} in {} (see `storyline events`)",
            args.id,
            args.store.db.display()
        );
    };
    let mut out = std::io::stdout().lock();
    if args.format == Format::Json {
        match db::event_report(&reader, &args.id)?.and_then(|(r, _)| r) {
            Some(doc) => {
                // The storyline is the row's (folds change it without changing the document).
                match (&row.storyline, doc.trim_start().strip_prefix('{')) {
                    (Some(line), Some(rest)) if rest.trim_start().starts_with('"') => writeln!(
                        out,
                        "{{\"storyline\":{},{rest}",
                        serde_json::to_string(line)?
                    )?,
                    _ => writeln!(out, "{doc}")?,
                }
            }
            None => bail!(
                "event {} is not summarized yet (run `storyline run` or `storyline serve` to finish)",
                row.id
            ),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let articles: Vec<Article> = db::event_articles(&reader, &args.id)?
        .into_iter()
        .map(|m| m.article)
        .collect();
    let report = storyline_store::engine::summarize_event(
        &row.id,
        &articles,
        args.words,
        &CompareOptions::default(),
    );
    match args.format {
        Format::Markdown => write!(out, "{}", report.to_markdown())?,
        _ => write!(out, "{}", report.to_text())?,
    }
    let place = crate::storylines_cmd::place_lines(&reader, &row.id)?;
    if !place.is_empty() {
        writeln!(out)?;
        for l in place {
            writeln!(out, "{l}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
