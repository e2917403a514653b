//! `storyline watch`: follow feeds, news sitemaps and lists of them; store, cluster and
//! summarize what they publish. `storyline sources`: how each source is doing.
//!
//! ```text
//! sources file ──► feed_sources (the store) ──due──► fetch (polite) ──► parse ──► new entries
//!   (OPML, feeds.txt)                                                                 │
//!        events ◄── refresh ◄── ingest (as POST /api/articles) ◄── article ◄── fetch page,
//!                                                                          extract (else the
//!                                                                          entry's content)
//! ```
//!
//! Every source is handled alone: whatever one does (malformed XML, HTML instead of a feed, a
//! dead host, 429s, a redirect loop, a huge body), it is recorded against that source and
//! retried later, with a delay that doubles with its failures. An entry is recorded as seen
//! only after its article is stored, and an entry whose article is already stored is not
//! fetched again: a restart, even after a kill -9, resumes where the store is.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use clap::Args;
use storyline::Article;
use storyline_feed::fetch::{FetchError, FetchOptions, Fetched, Fetcher, Validators};
use storyline_feed::{Entry, Parsed};
use storyline_store::feeds::{self, FeedSource};
use storyline_store::{Coalescer, Engine, EngineOptions, IngestCounts, db};
use storyline_web::html::{ExtractOptions, extract};
use storyline_web::lang::LangFilter;

use crate::serve_cmd::{HttpArgs, StoreArgs};
use crate::window::parse_duration;

#[derive(Args)]
#[command(after_help = "Examples:\n  storyline watch sources.opml --serve\n  \
storyline watch feeds.txt --interval 10m --db news.db\n  storyline sources --db news.db\n\n\
SOURCES is an OPML file (every outline with an xmlUrl), or a text file with one feed, sitemap \
or sitemap index URL per line (# comments). It is read again at every round, so sources can be \
added while watching. State (validators, next fetch, failures, entries seen) is kept in the \
store: a restart fetches again nothing that is stored.")]
pub struct WatchArgs {
    /// An OPML file or a list of feed / sitemap URLs (one per line, # comments).
    #[arg(value_name = "SOURCES")]
    sources: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
    /// Time between two fetches of one source (e.g. 10m, 1h; plain: seconds).
    #[arg(long, default_value = "10m", value_parser = parse_duration)]
    interval: Duration,
    /// One round over the sources that are due, then stop.
    #[arg(long)]
    once: bool,
    /// Serve the store on HTTP meanwhile (the web page and the API; see `serve --help`).
    #[arg(long)]
    serve: bool,
    #[command(flatten)]
    http: HttpArgs,
    /// Languages to keep: `any`, or codes such as `en` or `en,de`.
    #[arg(long, default_value = "en")]
    lang: String,
    /// Sent as User-Agent; its first word is the name robots.txt rules are matched against.
    /// Give a contact URL.
    #[arg(long, value_name = "TEXT")]
    user_agent: Option<String>,
    /// Least time between two requests to one host (robots.txt's Crawl-delay may lengthen it).
    #[arg(long, default_value = "1", value_parser = parse_duration, value_name = "TIME")]
    host_delay: Duration,
    /// Give up on a request after this long.
    #[arg(long, default_value = "30", value_parser = parse_duration, value_name = "TIME")]
    timeout: Duration,
    /// Refuse responses over this many bytes.
    #[arg(long, default_value_t = 8 << 20, value_name = "BYTES")]
    max_body_bytes: u64,
    /// Redirects followed per request.
    #[arg(long, default_value_t = 5, value_name = "N")]
    max_redirects: u32,
    /// Do not fetch the entries' pages: store each entry's own title and content.
    #[arg(long)]
    no_pages: bool,
    /// New entries taken per source and round (the rest wait for the next round).
    #[arg(long, default_value_t = 200, value_name = "N")]
    max_new: usize,
    /// Sites fetched at once (each by its own fetcher: one connection per host still).
    #[arg(long, default_value_t = 4, value_name = "N")]
    fetch_workers: usize,
    /// Forget an entry once no feed has listed it for this long (the state of sources stays
    /// bounded; an entry a feed still lists is never forgotten).
    #[arg(long, default_value = "30d", value_parser = parse_duration, value_name = "TIME")]
    forget_after: Duration,
    /// Ignore robots.txt (only for your own sites and tests).
    #[arg(long, hide = true)]
    ignore_robots: bool,
    /// Summary length in words.
    #[arg(long, default_value_t = 100)]
    words: usize,
    /// Longest time an event's summary may lag behind its articles (its member list never
    /// does): an event of 8 articles or more is summarized again once it has grown by
    /// `--summary-growth` (1: doubled), or after this long. 0: every changed event at every
    /// round.
    #[arg(long, default_value = "10m", value_parser = parse_duration, value_name = "TIME")]
    summary_delay: Duration,
    /// Growth (a fraction of the articles summarized) after which a big event is summarized
    /// again before `--summary-delay`.
    #[arg(long, default_value_t = storyline_store::engine::DEFAULT_GROWTH, value_name = "FRACTION")]
    summary_growth: f64,
}

#[derive(Args)]
pub struct SourcesArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// One JSON object per source instead of the table.
    #[arg(long)]
    json: bool,
}

/// Where articles go: the store directly, or the served store (as POST /api/articles).
pub(crate) enum Sink {
    /// The store, and which events wait for their summary.
    Engine(Box<Engine>, Coalescer),
    Served(std::sync::Arc<storyline_server::AppState>),
}

impl Sink {
    pub(crate) fn ingest(&mut self, articles: &[Article]) -> Result<IngestCounts> {
        Ok(match self {
            Sink::Engine(e, _) => e.ingest(articles)?.1,
            Sink::Served(s) => s.ingest(articles)?.1,
        })
    }

    /// Replaces a stored article's title and text (its entry was rewritten).
    pub(crate) fn revise(&mut self, article: &Article) -> Result<bool> {
        Ok(match self {
            Sink::Engine(e, _) => e.revise(article)?,
            Sink::Served(s) => s.revise(article)?,
        })
    }

    /// Summarizes and compares the events that changed, the big ones coalesced (see
    /// [`Coalescer`]; the server's refresher does it on its own): (events summarized, events
    /// whose member list alone was updated).
    pub(crate) fn refresh(&mut self) -> Result<(usize, usize)> {
        match self {
            Sink::Engine(e, c) => Ok(e.refresh_coalesced(c)?),
            Sink::Served(_) => Ok((0, 0)),
        }
    }

    /// Summarizes every event that changed (the end of a run).
    pub(crate) fn flush(&mut self) -> Result<usize> {
        match self {
            Sink::Engine(e, c) => Ok(e.flush(c)?),
            Sink::Served(_) => Ok(0),
        }
    }
}

/// What one round did.
#[derive(Debug, Default)]
pub(crate) struct Round {
    pub(crate) polled: usize,
    pub(crate) failed: usize,
    pub(crate) entries: usize,
    pub(crate) stored: usize,
    /// Stored articles read again because their entry was rewritten.
    pub(crate) revised: usize,
    /// Entries forgotten (gone from their feeds for longer than `--forget-after`).
    pub(crate) forgotten: usize,
    /// When each stored article (by id) was stored, if asked for ([`Watch::timed`]).
    pub(crate) stored_at: Vec<(String, std::time::Instant)>,
}

/// The settings of a watch, parsed once.
pub(crate) struct Watch {
    pub(crate) sources: PathBuf,
    pub(crate) interval: Duration,
    pub(crate) langs: LangFilter,
    pub(crate) pages: bool,
    pub(crate) max_new: usize,
    pub(crate) quiet: bool,
    /// Record when each article is stored (`storyline bench watch`).
    pub(crate) timed: bool,
    /// Entries no feed has listed for this long are forgotten.
    pub(crate) forget_after: Duration,
    /// The store (each fetch worker opens its own connection to it).
    pub(crate) db: PathBuf,
    /// Sites fetched at once.
    pub(crate) fetch_workers: usize,
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    now()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

pub fn run(args: WatchArgs, quiet: bool) -> Result<ExitCode> {
    let langs = LangFilter::parse(&args.lang).map_err(|e| anyhow::anyhow!("--lang: {e}"))?;
    if !args.sources.is_file() {
        bail!("{}: no such file", args.sources.display());
    }
    let watch = Watch {
        sources: args.sources.clone(),
        interval: args.interval.max(Duration::from_secs(1)),
        langs,
        pages: !args.no_pages,
        max_new: args.max_new.max(1),
        quiet,
        timed: false,
        forget_after: args.forget_after,
        db: args.store.db.clone(),
        fetch_workers: args.fetch_workers.clamp(1, 64),
    };
    let fetch = FetchOptions {
        user_agent: args
            .user_agent
            .clone()
            .unwrap_or_else(|| FetchOptions::default().user_agent),
        timeout: args.timeout,
        connect_timeout: args.timeout.min(Duration::from_secs(10)),
        max_body_bytes: args.max_body_bytes,
        max_redirects: args.max_redirects,
        host_delay: args.host_delay,
        robots: !args.ignore_robots,
        ..FetchOptions::default()
    };
    let mut fetchers: Vec<Fetcher> = (0..watch.fetch_workers)
        .map(|_| Fetcher::new(fetch.clone()))
        .collect();
    let opts = EngineOptions {
        summary_words: args.words,
        ..EngineOptions::default()
    };
    let db_path = args.store.db.clone();
    let engine = Engine::open(&db_path, opts.clone(), |_| {})
        .with_context(|| format!("{}: cannot open the store", db_path.display()))?;
    let mut state = db::open(&db_path)
        .with_context(|| format!("{}: cannot open the store", db_path.display()))?;
    if args.serve {
        let http = args.http.clone();
        let (app, server) = crate::serve_cmd::serve_in_background(engine, opts, &http)?;
        let mut sink = Sink::Served(app);
        let out = watch_loop(&watch, &mut fetchers, &mut state, &mut sink, args.once);
        if args.once {
            // Keep serving what was stored until Ctrl-C.
            server
                .join()
                .map_err(|_| anyhow::anyhow!("the server failed"))??;
        }
        out?;
    } else {
        let mut coalescer = Coalescer::new(args.summary_delay);
        coalescer.grow = args.summary_growth;
        let mut sink = Sink::Engine(Box::new(engine), coalescer);
        watch_loop(&watch, &mut fetchers, &mut state, &mut sink, args.once)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn watch_loop(
    watch: &Watch,
    fetchers: &mut [Fetcher],
    state: &mut db::Connection,
    sink: &mut Sink,
    once: bool,
) -> Result<()> {
    loop {
        let round = round(watch, fetchers, state, sink)?;
        let refreshed = if once {
            sink.flush()?
        } else {
            sink.refresh()?.0
        };
        if !watch.quiet && (round.polled > 0 || once) {
            eprintln!(
                "watch: {} source(s) fetched ({} failed), {} new or rewritten entries, {} articles stored, {} revised, {} events summarized",
                round.polled, round.failed, round.entries, round.stored, round.revised, refreshed
            );
            if round.forgotten > 0 {
                eprintln!(
                    "watch: {} entries forgotten (not listed for {})",
                    round.forgotten,
                    crate::window::format_span(watch.forget_after)
                );
            }
        }
        if once {
            return Ok(());
        }
        // Sleep until the next source is due (at most a minute, so that edits to the sources
        // file are picked up).
        let next = feeds::sources(state)?
            .iter()
            .map(|s| s.next_fetch)
            .min()
            .unwrap_or(now() + 60);
        let wait = (next - now()).clamp(1, 60) as u64;
        std::thread::sleep(Duration::from_secs(wait));
    }
}

/// Reads the sources file: its URLs.
fn source_list(path: &Path) -> Result<Vec<String>> {
    let mut bytes = Vec::new();
    use std::io::Read;
    std::fs::File::open(path)
        .and_then(|f| f.take(16 << 20).read_to_end(&mut bytes))
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let parsed = storyline_feed::parse(&bytes, None, &storyline_feed::Limits::default())
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    if parsed.links.is_empty() {
        bail!(
            "{}: a {} with no source URL in it (expected OPML or one URL per line)",
            path.display(),
            parsed.kind.name()
        );
    }
    Ok(parsed.links)
}

/// One round: every due source, each on its own. Sources are shared among the fetchers by
/// site ([`site_slot`]): each fetcher takes its sources one after another on a thread of its
/// own, so several sites are fetched at once while each host still sees one connection.
pub(crate) fn round(
    watch: &Watch,
    fetchers: &mut [Fetcher],
    state: &mut db::Connection,
    sink: &mut Sink,
) -> Result<Round> {
    let t = now();
    for url in source_list(&watch.sources)? {
        feeds::add_source(state, &url, t)?;
    }
    let mut out = Round {
        forgotten: feeds::prune_entries(
            state,
            t.saturating_sub(i64::try_from(watch.forget_after.as_secs()).unwrap_or(i64::MAX)),
        )?,
        ..Round::default()
    };
    let workers = fetchers.len();
    if workers == 0 {
        bail!("no fetcher");
    }
    let mut parts: Vec<Vec<FeedSource>> = vec![Vec::new(); workers];
    for source in feeds::sources(state)? {
        if source.next_fetch <= now() {
            parts[site_slot(&source.url, workers)].push(source);
        }
    }
    let busy = parts.iter().filter(|p| !p.is_empty()).count();
    let sink = Mutex::new(sink);
    if busy <= 1 {
        // One site (or none): on this thread and this connection.
        for (fetcher, part) in fetchers.iter_mut().zip(parts) {
            poll_all(watch, fetcher, state, &sink, part, &mut out)?;
        }
        return Ok(out);
    }
    let done: Vec<Result<Round>> = std::thread::scope(|scope| {
        let sink = &sink;
        let handles: Vec<_> = fetchers
            .iter_mut()
            .zip(parts)
            .filter(|(_, part)| !part.is_empty())
            .map(|(fetcher, part)| {
                scope.spawn(move || -> Result<Round> {
                    // Each worker writes the state of its sources on its own connection
                    // (SQLite serializes the writes; the engine is behind the mutex).
                    let mut conn = db::open(&watch.db).with_context(|| {
                        format!("{}: cannot open the store", watch.db.display())
                    })?;
                    let mut r = Round::default();
                    poll_all(watch, fetcher, &mut conn, sink, part, &mut r)?;
                    Ok(r)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(anyhow::anyhow!("a fetch worker failed")))
            })
            .collect()
    });
    for r in done {
        let r = r?;
        out.polled += r.polled;
        out.failed += r.failed;
        out.entries += r.entries;
        out.stored += r.stored;
        out.revised += r.revised;
        out.stored_at.extend(r.stored_at);
    }
    Ok(out)
}

/// Polls sources one after another with one fetcher.
fn poll_all(
    watch: &Watch,
    fetcher: &mut Fetcher,
    state: &mut db::Connection,
    sink: &SharedSink<'_>,
    sources: Vec<FeedSource>,
    out: &mut Round,
) -> Result<()> {
    for source in sources {
        out.polled += 1;
        let s = poll(watch, fetcher, state, sink, source, out)?;
        if s.last_status.as_deref() == Some("error") {
            out.failed += 1;
            if !watch.quiet {
                tracing::warn!("{}: {}", s.url, s.last_error.as_deref().unwrap_or("failed"));
            }
        }
    }
    Ok(())
}

/// The sink as the fetch workers share it.
type SharedSink<'a> = Mutex<&'a mut Sink>;

fn lock<'a, 'b>(sink: &'b SharedSink<'a>) -> std::sync::MutexGuard<'b, &'a mut Sink> {
    sink.lock().unwrap_or_else(|e| e.into_inner())
}

/// Which fetcher takes a source: by its site (the host's last two labels, three under a
/// two-letter country domain with a short second level such as `co.uk`), so that a feed
/// host and the article host of one outlet (`feeds.bbci.co.uk`, `www.bbc.co.uk` are not
/// matched, but `feeds.example.com` and `www.example.com` are) go to the same fetcher and
/// one host is never fetched by two at once in the usual case.
pub(crate) fn site_slot(url: &str, workers: usize) -> usize {
    let host = storyline_web::html::meta::host_of(url).unwrap_or_default();
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    let keep = if n >= 3 && labels[n - 1].len() == 2 && labels[n - 2].len() <= 3 {
        3
    } else {
        2
    };
    let site = labels[n.saturating_sub(keep)..].join(".");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in site.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % workers.max(1) as u64) as usize
}

/// Fetches one source and takes its new entries; records how it went. Only a failure of the
/// store itself is an error.
fn poll(
    watch: &Watch,
    fetcher: &mut Fetcher,
    state: &mut db::Connection,
    sink: &SharedSink<'_>,
    mut source: FeedSource,
    round: &mut Round,
) -> Result<FeedSource> {
    let validators = Validators {
        etag: source.etag.clone(),
        last_modified: source.last_modified.clone(),
    };
    let interval = watch.interval.as_secs() as i64;
    source.last_fetch = Some(now());
    source.new_articles = 0;
    let failed = |source: &mut FeedSource, why: String, rest: Option<Duration>| {
        source.failures += 1;
        source.last_status = Some("error".into());
        source.last_error = Some(why);
        // The delay doubles with failures in a row, up to a day.
        let backoff = interval
            .saturating_mul(1 << source.failures.clamp(0, 10))
            .min(86_400);
        let rest = rest.map_or(0, |d| d.as_secs() as i64);
        source.next_fetch = now() + backoff.max(rest);
    };
    match fetcher.get(&source.url, &validators) {
        Ok(Fetched::NotModified) => {
            feeds::relist(state, &source.url, now())?;
            source.last_status = Some("not modified".into());
            source.failures = 0;
            source.last_error = None;
            source.next_fetch = now() + interval;
        }
        Ok(Fetched::Body {
            bytes,
            url,
            validators,
            ..
        }) => match storyline_feed::parse(&bytes, Some(&url), &storyline_feed::Limits::default()) {
            Ok(parsed) => {
                source.kind = Some(parsed.kind.name().to_string());
                if parsed.outlet.is_some() {
                    source.outlet = parsed.outlet.clone();
                }
                source.etag = validators.etag;
                source.last_modified = validators.last_modified;
                for link in &parsed.links {
                    feeds::add_source(state, link, now())?;
                }
                let stored =
                    take_entries(watch, fetcher, state, sink, &source.url, &parsed, round)?;
                source.new_articles = stored as i64;
                source.total_articles += stored as i64;
                source.last_status = Some("ok".into());
                source.failures = 0;
                source.last_error = None;
                source.next_fetch = now() + interval;
            }
            Err(e) => failed(&mut source, e.to_string(), None),
        },
        Err(e) => {
            let rest = match &e {
                FetchError::Throttled { retry_after, .. } => Some(*retry_after),
                FetchError::Resting(rest) => Some(*rest),
                _ => None,
            };
            failed(&mut source, e.to_string(), rest);
        }
    }
    feeds::save_source(state, &source)?;
    Ok(source)
}

/// Takes a source's new entries: fetches each page, extracts it (else keeps the entry's own
/// content), stores the article, then records the entry as seen, one entry at a time: a kill
/// loses at most the page being fetched. Returns the articles stored.
fn take_entries(
    watch: &Watch,
    fetcher: &mut Fetcher,
    state: &mut db::Connection,
    sink: &SharedSink<'_>,
    source: &str,
    parsed: &Parsed,
    round: &mut Round,
) -> Result<usize> {
    let mut taken = 0;
    let mut stored = 0;
    let mut listed = Vec::with_capacity(parsed.entries.len());
    for entry in &parsed.entries {
        let key = entry_key(entry);
        if key.is_empty() {
            continue;
        }
        listed.push(key.clone());
        let version = entry.version();
        let known = feeds::entry_version(state, source, &key)?;
        match &known {
            // Unchanged since it was taken: nothing to fetch.
            Some(Some(v)) if *v == version => continue,
            // Taken before versions were kept: this one becomes its version.
            Some(None) => {
                let taken_entry = feeds::TakenEntry {
                    entry: key,
                    url: entry.url.clone(),
                    article_id: None,
                    version: Some(version),
                };
                feeds::mark_entries(state, source, &[taken_entry], now())?;
                continue;
            }
            _ => {}
        }
        if taken >= watch.max_new {
            continue;
        }
        taken += 1;
        round.entries += 1;
        let id = entry.url.clone().unwrap_or_else(|| key.clone());
        let rewritten = known.is_some();
        let article_id = if rewritten {
            // A rewritten entry: read again (its page too), and its stored article revised.
            let article = article_for(watch, fetcher, entry, parsed.outlet.as_deref());
            match article {
                Some(a) if db::article(state, &a.id)?.is_some() => {
                    if lock(sink).revise(&a)? {
                        round.revised += 1;
                    }
                    Some(a.id)
                }
                Some(a) => {
                    stored += store(watch, sink, &a, round)?;
                    Some(a.id)
                }
                None => None,
            }
        } else if db::article(state, &id)?.is_some() {
            // Stored already (by another source, or a run killed between storing and
            // recording): not fetched again.
            Some(id)
        } else {
            let article = article_for(watch, fetcher, entry, parsed.outlet.as_deref());
            match article {
                Some(a) => {
                    stored += store(watch, sink, &a, round)?;
                    Some(a.id)
                }
                None => None,
            }
        };
        let taken_entry = feeds::TakenEntry {
            entry: key,
            url: entry.url.clone(),
            article_id,
            version: Some(version),
        };
        feeds::mark_entries(state, source, &[taken_entry], now())?;
    }
    feeds::mark_listed(state, source, &listed, now())?;
    round.stored += stored;
    Ok(stored)
}

/// Stores one article; 1 if it was new.
fn store(watch: &Watch, sink: &SharedSink<'_>, a: &Article, round: &mut Round) -> Result<usize> {
    let n = lock(sink).ingest(std::slice::from_ref(a))?.stored;
    if watch.timed && n > 0 {
        round
            .stored_at
            .push((a.id.clone(), std::time::Instant::now()));
    }
    Ok(n)
}

/// The key an entry is remembered by: its id, else its link.
fn entry_key(entry: &Entry) -> String {
    if entry.id.is_empty() {
        entry.url.clone().unwrap_or_default()
    } else {
        entry.id.clone()
    }
}

/// The article of an entry: its page extracted when it can be had, else the entry's own
/// content; `None` when the language filter leaves it out.
fn article_for(
    watch: &Watch,
    fetcher: &mut Fetcher,
    entry: &Entry,
    outlet: Option<&str>,
) -> Option<Article> {
    let mut entry = entry.clone();
    let mut page_outlet = None;
    if watch.pages
        && let Some(url) = entry.url.clone()
    {
        match fetcher.get(&url, &Validators::default()) {
            Ok(Fetched::Body {
                bytes,
                url: final_url,
                content_type,
                ..
            }) => {
                let charset = content_type
                    .as_deref()
                    .and_then(storyline_web::charset::charset_param);
                let html = storyline_web::charset::decode(&bytes, charset, Some(&final_url)).text;
                match extract(&html, Some(&final_url), &ExtractOptions::default()) {
                    Ok(page) => {
                        let words = |t: &str| t.split_whitespace().count();
                        if words(&page.text) > words(&entry.text) {
                            entry.text = page.text;
                        }
                        if entry.title.trim().is_empty() {
                            entry.title = page.title;
                        }
                        entry.date = entry.date.or(page.meta.published);
                        entry.lang = entry.lang.or(page.meta.lang);
                        page_outlet = page.meta.site_name;
                    }
                    Err(e) => tracing::debug!("{url}: page not extracted: {e}"),
                }
            }
            Ok(Fetched::NotModified) => {}
            Err(e) => tracing::debug!("{url}: page not fetched ({e}); the entry's content is kept"),
        }
    }
    let outlet = outlet.map(str::to_string).or(page_outlet);
    match storyline_feed::entry_article(
        &entry,
        outlet.as_deref(),
        &storyline_feed::EntryFilter {
            langs: &watch.langs,
            min_words: 0,
            keep_empty: false,
        },
    ) {
        Ok((article, _)) => Some(article),
        Err(why) => {
            tracing::debug!("{}: left out: {why}", entry_key(&entry));
            None
        }
    }
}

pub fn run_sources(args: SourcesArgs) -> Result<ExitCode> {
    if !args.store.db.exists() {
        bail!(
            "{}: no such store (storyline watch --db {} creates it)",
            args.store.db.display(),
            args.store.db.display()
        );
    }
    let conn = db::open(&args.store.db)
        .with_context(|| format!("{}: cannot open the store", args.store.db.display()))?;
    let sources = feeds::sources(&conn)?;
    let t = now();
    let mut out = String::new();
    if args.json {
        for s in &sources {
            let v = serde_json::json!({
                "url": s.url, "kind": s.kind, "outlet": s.outlet, "last_fetch": s.last_fetch,
                "status": s.last_status, "error": s.last_error, "failures": s.failures,
                "new_articles": s.new_articles, "total_articles": s.total_articles,
                "next_fetch": s.next_fetch, "entries_seen": feeds::entry_count(&conn, &s.url)?,
            });
            out.push_str(&format!("{v}\n"));
        }
    } else {
        if sources.is_empty() {
            out.push_str("no sources yet: `storyline watch SOURCES --db ...` adds them\n");
        }
        for s in &sources {
            let ago = s.last_fetch.map_or_else(
                || "never fetched".to_string(),
                |f| format!("fetched {} ago", span(t - f)),
            );
            let next = if s.next_fetch <= t {
                "due now".to_string()
            } else {
                format!("next in {}", span(s.next_fetch - t))
            };
            out.push_str(&format!(
                "{}\n  {} ({}); {}; {}; new articles {}, in all {}; failures in a row {}\n",
                s.url,
                s.outlet.as_deref().unwrap_or("outlet not known yet"),
                s.kind.as_deref().unwrap_or("kind not known yet"),
                ago,
                s.last_status.as_deref().unwrap_or("-"),
                s.new_articles,
                s.total_articles,
                s.failures,
            ));
            if let Some(e) = &s.last_error {
                out.push_str(&format!("  error: {e}\n"));
            }
            out.push_str(&format!("  {next}\n"));
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// `90s`, `12m`, `3h`, `2d`.
fn span(secs: i64) -> String {
    let s = secs.max(0);
    match s {
        0..120 => format!("{s}s"),
        120..7200 => format!("{}m", s / 60),
        7200..172_800 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}
