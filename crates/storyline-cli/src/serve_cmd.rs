//! `storyline serve`, `storyline events`, `storyline event`: the store over HTTP and in the
//! terminal.

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use storyline::Article;
use storyline::compare::CompareOptions;
use storyline_server::{AppState, ServerOptions};
use storyline_store::{Engine, EngineOptions, EventQuery, db};

/// Where the store is.
#[derive(Args, Clone)]
pub struct StoreArgs {
    /// The store (an SQLite file; created if missing).
    #[arg(long, default_value = "storyline.db")]
    pub db: PathBuf,
}

/// Where to listen.
#[derive(Args, Clone)]
pub struct HttpArgs {
    /// Address to listen on (127.0.0.1: this machine only; 0.0.0.0 to open it to the network).
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
}

#[derive(Args)]
#[command(
    after_help = "The web page is at /, the JSON API under /api (its OpenAPI document at \
/api/openapi.json). Ctrl-C stops the server."
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the HTTP runtime")?;
    let path = engine.path().to_path_buf();
    let counts = engine.counts()?;
    let server_opts = ServerOptions {
        addr: SocketAddr::new(http.host, http.port),
        ..ServerOptions::default()
    };
    let state = AppState::new(engine, opts, server_opts.clone())?;
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

pub fn run_serve(args: ServeArgs, quiet: bool) -> Result<ExitCode> {
    let opts = EngineOptions {
        summary_words: args.words,
        ..EngineOptions::default()
    };
    let bar = if !quiet && std::io::stderr().is_terminal() {
        let b = ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} reading the store {pos} {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b.enable_steady_tick(Duration::from_millis(150));
        b
    } else {
        ProgressBar::hidden()
    };
    let engine = Engine::open(&args.store.db, opts.clone(), |n| bar.set_position(n as u64))
        .with_context(|| format!("{}: cannot open the store", args.store.db.display()))?;
    bar.finish_and_clear();
    serve(engine, opts, &args.http)?;
    Ok(ExitCode::SUCCESS)
}

/// Output formats of `events` and `event`.
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

fn open_existing(store: &StoreArgs) -> Result<db::Connection> {
    if !store.db.exists() {
        bail!(
            "{}: no store here; create one with `storyline run ARTICLES` (or give --db)",
            store.db.display()
        );
    }
    db::open_reader(&store.db)
        .with_context(|| format!("{}: cannot open the store", store.db.display()))
}

fn day(unix: Option<i64>) -> String {
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
            Some(doc) => writeln!(out, "{doc}")?,
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
    Ok(ExitCode::SUCCESS)
}
