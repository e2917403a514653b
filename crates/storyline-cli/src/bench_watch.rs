//! `storyline bench watch`: the watch engine end to end against a simulated web.
//!
//! A local HTTP server (loopback, a thread in this process) plays `--feeds` outlets. Time is
//! simulated in rounds: at each round every feed publishes one new article (its page, with
//! generated text about one of a few hundred running stories, dated at the round's simulated
//! time), and each feed lists its latest `--entries` items with an ETag, so an unchanged feed
//! answers 304. Between rounds, the watch engine (`watch_cmd::round`, the code of
//! `storyline watch`) polls every feed, fetches each new entry's page, extracts it, stores
//! it and then refreshes the events that changed, into a new store in a temporary folder.
//!
//! Printed: pages/s (pages stored per wall second, and per CPU second), seconds from an
//! entry's publication to its article being stored and to its event being refreshed (on the
//! page), median and p95, and the resident memory over the run (a row every tenth of it)
//! with its peak. The default run (`--pages 3000`, six rounds) takes under a minute; the memory run
//! of the issue is `--pages 1000000` (hours: a million pages fetched, extracted, clustered
//! and stored).
//!
//! On demand only: it is not part of CI (`tests/bench_watch.rs` runs it with a few pages so
//! that it cannot rot).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use storyline_feed::fetch::{FetchOptions, Fetcher};
use storyline_store::{Coalescer, Engine, EngineOptions, db};
use storyline_web::lang::LangFilter;

use crate::progress::cpu_secs;
use crate::watch_cmd::{Sink, Watch, round};

#[derive(Args)]
pub struct WatchBenchArgs {
    /// Feeds served (one outlet each).
    #[arg(long, default_value_t = 500)]
    feeds: u64,
    /// Items each feed lists (its latest).
    #[arg(long, default_value_t = 50)]
    entries: u64,
    /// Pages published over the run (one per feed and round). `--pages 1000000` is the
    /// memory run over a million pages (hours).
    #[arg(long, default_value_t = 3000)]
    pages: u64,
    /// Simulated time between two rounds (an entry's date moves on by this much).
    #[arg(long, default_value = "10m", value_parser = crate::window::parse_duration)]
    round_time: Duration,
    /// Longest time an event's summary may lag behind its member list (as `watch
    /// --summary-delay`; 0: every changed event summarized at every round).
    #[arg(long, default_value = "10m", value_parser = crate::window::parse_duration)]
    summary_delay: Duration,
    /// Growth (a fraction) after which a waiting event is summarized again (as `watch
    /// --summary-growth`).
    #[arg(long, default_value_t = storyline_store::engine::DEFAULT_GROWTH)]
    summary_growth: f64,
    /// Store only, never summarize (the memory run made cheaper per page: fetch, extract,
    /// cluster and store, without the summaries' CPU and their transient memory).
    #[arg(long)]
    no_summaries: bool,
    /// Where the store is made (a temporary folder under it, removed at the end).
    #[arg(long, default_value_os_t = std::env::temp_dir())]
    scratch: PathBuf,
}

pub fn run(args: WatchBenchArgs) -> Result<ExitCode> {
    if args.feeds == 0 || args.entries == 0 || args.pages == 0 {
        bail!("--feeds, --entries and --pages must be at least 1");
    }
    let dir = args.scratch.join(format!(
        "storyline-bench-watch-{}-{}",
        std::process::id(),
        crate::watch_cmd::unix_now()
    ));
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let out = bench(&args, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    out?;
    Ok(ExitCode::SUCCESS)
}

fn bench(args: &WatchBenchArgs, dir: &std::path::Path) -> Result<()> {
    let web = Arc::new(Web {
        feeds: args.feeds,
        entries: args.entries,
        round_secs: args.round_time.as_secs().max(1),
        published: AtomicU64::new(0),
        requests: Counters::default(),
    });
    let server = Server::start(Arc::clone(&web))?;
    let sources = dir.join("feeds.txt");
    let list: String = (0..args.feeds)
        .map(|f| format!("{}/feed/{f}.xml\n", server.base))
        .collect();
    std::fs::write(&sources, list).with_context(|| format!("{}", sources.display()))?;
    let db_path = dir.join("bench.db");
    let opts = EngineOptions::default();
    let engine = Engine::open(&db_path, opts, |_| {})
        .with_context(|| format!("{}: cannot open the store", db_path.display()))?;
    let mut state = db::open(&db_path)?;
    let mut coalescer = Coalescer::new(args.summary_delay);
    coalescer.grow = args.summary_growth;
    let mut sink = Sink::Engine(Box::new(engine), coalescer);
    let watch = Watch {
        sources,
        // Every source is due at every round: the rounds are the simulated clock.
        interval: Duration::ZERO,
        langs: LangFilter::parse("en").map_err(|e| anyhow::anyhow!("{e}"))?,
        pages: true,
        max_new: usize::MAX,
        quiet: true,
        timed: true,
        forget_after: Duration::from_secs(30 * 86_400),
        db: db_path.clone(),
        // The simulated web is one host: one fetcher, one connection.
        fetch_workers: 1,
    };
    let mut fetchers = vec![Fetcher::new(FetchOptions {
        host_delay: Duration::ZERO,
        ..FetchOptions::default()
    })];

    let rounds = args.pages.div_ceil(args.feeds);
    let mut published_at = Published::default();
    let mut to_store = Latency::default();
    let mut to_page = Latency::default();
    let mut memory: Vec<(u64, u64, f64)> = Vec::new(); // (round, pages stored, RSS MB)
    let (mut stored, mut polled, mut failed) = (0u64, 0u64, 0u64);
    let (mut summarized, mut listed) = (0u64, 0u64);
    // Where the time and the peaks of memory went: (wall s, CPU s, largest rise of the
    // peak RSS in MB) while fetching and storing, and while refreshing.
    let mut phases = [(0.0f64, 0.0f64, 0.0f64); 2];
    let mut longest_wait = Duration::ZERO;
    let started = Instant::now();
    let cpu0 = cpu_secs();
    let every = (rounds / 10).max(1);
    println!(
        "bench watch: {} feeds x {} items, {} pages over {} rounds ({} s simulated each), {}",
        args.feeds,
        args.entries,
        args.pages,
        rounds,
        args.round_time.as_secs(),
        server.base
    );
    for r in 0..rounds {
        let upto = ((r + 1) * args.feeds).min(args.pages);
        let now = Instant::now();
        for k in web.published.load(Ordering::SeqCst)..upto {
            published_at.push(k, now);
        }
        web.published.store(upto, Ordering::SeqCst);
        let (t0, c0, h0) = (Instant::now(), cpu_secs(), rss_mb("VmHWM:"));
        let done = round(&watch, &mut fetchers, &mut state, &mut sink)?;
        let (t1, c1, h1) = (Instant::now(), cpu_secs(), rss_mb("VmHWM:"));
        phases[0].0 += (t1 - t0).as_secs_f64();
        phases[0].1 += c1 - c0;
        phases[0].2 = phases[0].2.max(h1 - h0);
        polled += done.polled as u64;
        failed += done.failed as u64;
        stored += done.stored as u64;
        for (id, at) in &done.stored_at {
            if let Some(t) = page_index(id).and_then(|k| published_at.get(k)) {
                to_store.add(at.duration_since(t));
            }
        }
        if !args.no_summaries {
            let (s, l) = sink.refresh()?;
            summarized += s as u64;
            listed += l as u64;
            if let Sink::Engine(_, c) = &sink {
                longest_wait = longest_wait.max(c.longest_wait());
            }
        }
        let refreshed = Instant::now();
        phases[1].0 += (refreshed - t1).as_secs_f64();
        phases[1].1 += cpu_secs() - c1;
        phases[1].2 = phases[1].2.max(rss_mb("VmHWM:") - h1);
        for (id, _) in &done.stored_at {
            if let Some(t) = page_index(id).and_then(|k| published_at.get(k)) {
                to_page.add(refreshed.duration_since(t));
            }
        }
        published_at.forget_before(upto.saturating_sub(args.feeds * args.entries));
        if r % every == every - 1 || r + 1 == rounds {
            let rss = rss_mb("VmRSS:");
            memory.push((r + 1, stored, rss));
            // A line a tenth of the way, on stderr: the memory run takes hours.
            eprintln!(
                "bench watch: round {}/{rounds}, {stored} pages stored, RSS {rss:.0} MB, {:.0} s",
                r + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    // What still waits is summarized before the clock stops.
    let flushed = if args.no_summaries { 0 } else { sink.flush()? };
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu0;
    server.stop();

    let requests = &web.requests;
    println!(
        "fetched: {} feed requests ({} answered 304), {} pages; {} polls failed",
        requests.feeds.load(Ordering::Relaxed),
        requests.not_modified.load(Ordering::Relaxed),
        requests.pages.load(Ordering::Relaxed),
        failed
    );
    println!(
        "stored: {stored} articles of {} published in {secs:.1} s ({} polls)",
        args.pages, polled
    );
    println!(
        "events: {summarized} summaries during the run, {listed} member lists updated alone, \
         {flushed} summarized at the end; the longest a summary waited: {:.1} s",
        longest_wait.as_secs_f64()
    );
    for (name, (wall, cpu, peak)) in ["fetch, extract, store", "refresh"].iter().zip(phases) {
        println!(
            "time in {name}: {wall:.1} s wall, {cpu:.1} CPU s; largest rise of the peak RSS in one: {peak:.1} MB"
        );
    }
    println!(
        "pages/s: {:.1} (wall), {:.1} per CPU second ({cpu:.1} CPU s)",
        stored as f64 / secs.max(1e-9),
        stored as f64 / cpu.max(1e-9)
    );
    println!(
        "publication -> stored:        median {:.2} s, p95 {:.2} s",
        to_store.quantile(0.5),
        to_store.quantile(0.95)
    );
    println!(
        "publication -> event on page: median {:.2} s, p95 {:.2} s",
        to_page.quantile(0.5),
        to_page.quantile(0.95)
    );
    println!(
        "memory over the run:\n{:>8} {:>12} {:>9}",
        "round", "pages", "RSS MB"
    );
    for (r, n, mb) in &memory {
        println!("{r:>8} {n:>12} {mb:>9.1}");
    }
    println!(
        "peak RSS: {:.1} MB; store: {:.1} MB",
        rss_mb("VmHWM:"),
        dir_mb(dir)
    );
    if stored == 0 {
        bail!("no article was stored: the watch engine or the simulated web is broken");
    }
    Ok(())
}

/// The simulated web: what is published, and what was asked for.
struct Web {
    feeds: u64,
    entries: u64,
    round_secs: u64,
    /// Pages `0..published` are out; page `k` belongs to feed `k % feeds`.
    published: AtomicU64,
    requests: Counters,
}

#[derive(Default)]
struct Counters {
    feeds: AtomicU64,
    not_modified: AtomicU64,
    pages: AtomicU64,
}

/// Simulated publication time of page `k` (seconds from the start of 2031).
fn page_time(web: &Web, k: u64) -> i64 {
    const START: i64 = 1_924_992_000; // 2031-01-01T00:00:00Z
    let round = k / web.feeds;
    let within = (k % web.feeds) * web.round_secs / web.feeds.max(1);
    START + (round * web.round_secs + within) as i64
}

impl Web {
    /// The feed's RSS and its ETag (the newest page it lists), or `None` for no such feed.
    fn feed(&self, f: u64, base: &str) -> Option<(String, String)> {
        if f >= self.feeds {
            return None;
        }
        let published = self.published.load(Ordering::SeqCst);
        // This feed's pages: f, f + feeds, f + 2 feeds, ... below `published`.
        let count = if published > f {
            (published - f - 1) / self.feeds + 1
        } else {
            0
        };
        let mut items = String::new();
        let first = count.saturating_sub(self.entries);
        for j in (first..count).rev() {
            let k = f + j * self.feeds;
            let date = chrono::DateTime::from_timestamp(page_time(self, k), 0)
                .map(|d| d.to_rfc2822())
                .unwrap_or_default();
            items.push_str(&format!(
                "<item><title>{}</title><link>{base}/a/{k}.html</link><guid>{base}/a/{k}.html</guid>\
                 <pubDate>{date}</pubDate><description>{}</description></item>\n",
                story(k).title,
                story(k).lede
            ));
        }
        let rss = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
             <title>Outlet {f}</title><link>{base}/</link><language>en</language>\n{items}</channel></rss>\n"
        );
        Some((rss, format!("\"{f}-{count}\"")))
    }

    /// Page `k`'s HTML, if published.
    fn page(&self, k: u64) -> Option<String> {
        if k >= self.published.load(Ordering::SeqCst) {
            return None;
        }
        let s = story(k);
        let date = chrono::DateTime::from_timestamp(page_time(self, k), 0)
            .map(|d| d.to_rfc3339())
            .unwrap_or_default();
        let paragraphs: String = s
            .paragraphs
            .iter()
            .map(|p| format!("<p>{p}</p>\n"))
            .collect();
        Some(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} | Outlet {f}</title>\
             <meta property=\"article:published_time\" content=\"{date}\">\
             <meta property=\"og:site_name\" content=\"Outlet {f}\"></head><body>\
             <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav>\
             <article><h1>{t}</h1>\n{paragraphs}</article>\
             <footer>Copyright Outlet {f}. All rights reserved.</footer></body></html>",
            t = s.title,
            f = k % self.feeds
        ))
    }
}

/// Generated article text: one of a few hundred running stories, told in a page's own words.
struct Story {
    title: String,
    lede: String,
    paragraphs: Vec<String>,
}

const PLACES: &[&str] = &[
    "Aldren",
    "Brisport",
    "Calloway",
    "Dunmere",
    "Eastwick",
    "Farrow",
    "Glenhaven",
    "Harrowgate",
    "Ironbridge",
    "Juniper Bay",
    "Kestrel Point",
    "Lowmoor",
    "Marlow",
    "Northfield",
    "Oakridge",
    "Pemberton",
    "Queensford",
    "Ravenscar",
    "Stonehill",
    "Thornbury",
];
const SUBJECTS: &[&str] = &[
    "port workers",
    "the city council",
    "flood crews",
    "hospital staff",
    "rail operators",
    "the school board",
    "farmers",
    "fire crews",
    "bus drivers",
    "the harbor authority",
    "teachers",
    "police",
    "the energy regulator",
    "nurses",
    "miners",
];
const ACTIONS: &[&str] = &[
    "end strike after pay deal",
    "approve new budget",
    "battle rising river",
    "warn of winter shortages",
    "suspend services after storm",
    "vote on school closures",
    "protest fuel prices",
    "contain forest fire",
    "agree to wage talks",
    "reopen bridge after repairs",
];
const PEOPLE: &[&str] = &[
    "Maria Okafor",
    "James Lindqvist",
    "Chen Wei",
    "Amira Haddad",
    "Tomas Novak",
    "Grace Mbeki",
    "Lucas Moreau",
    "Priya Raman",
    "Erik Solberg",
    "Hana Sato",
];
const FILLER: &[&str] = &[
    "The decision came after weeks of talks between the two sides.",
    "Officials said the situation would be reviewed again on Monday.",
    "Residents were asked to follow the advice of the local authorities.",
    "The cost of the measures has not yet been made public.",
    "Several groups said they would wait for more details before they react.",
    "A spokesman said that the plan had the support of most members.",
    "Critics argued that the response came too late for many families.",
    "The regional government is expected to publish its own figures this week.",
    "Local businesses said the disruption had already hurt their sales.",
    "Union leaders said they were ready to return to the table if needed.",
];

/// A tiny deterministic generator (xorshift64*), so pages are the same at every request.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let n = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        from[(n % from.len() as u64) as usize]
    }
}

/// The story page `k` tells: stories run for a while (consecutive pages of different feeds
/// tell the same one), so that events gather several articles.
fn story(k: u64) -> Story {
    let id = k / 7;
    let mut s = Rng::new(id + 1);
    let place = s.pick(PLACES);
    let subject = s.pick(SUBJECTS);
    let action = s.pick(ACTIONS);
    let person = s.pick(PEOPLE);
    let mut own = Rng::new(k.wrapping_mul(31).wrapping_add(17));
    let title = format!("{place}: {subject} {action}");
    let lede = format!(
        "In {place}, {subject} {action}, {person} said on {}.",
        own.pick(&["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"])
    );
    let mut paragraphs = vec![lede.clone()];
    for _ in 0..4 {
        let mut p = String::new();
        for _ in 0..3 {
            p.push_str(own.pick(FILLER));
            p.push(' ');
        }
        p.push_str(&format!(
            "{person} said the people of {place} would be kept informed."
        ));
        paragraphs.push(p);
    }
    Story {
        title,
        lede,
        paragraphs,
    }
}

/// Page index of an article id (its URL, `.../a/{k}.html`).
fn page_index(id: &str) -> Option<u64> {
    id.rsplit_once("/a/")?.1.strip_suffix(".html")?.parse().ok()
}

/// Publication instants of the pages still listed by some feed (a sliding window: older
/// pages are forgotten, so memory does not grow with the run).
#[derive(Default)]
struct Published {
    first: u64,
    at: VecDeque<Instant>,
}

impl Published {
    fn push(&mut self, k: u64, t: Instant) {
        if self.at.is_empty() {
            self.first = k;
        }
        self.at.push_back(t);
    }
    fn get(&self, k: u64) -> Option<Instant> {
        let i = usize::try_from(k.checked_sub(self.first)?).ok()?;
        self.at.get(i).copied()
    }
    fn forget_before(&mut self, k: u64) {
        while self.first < k && self.at.pop_front().is_some() {
            self.first += 1;
        }
    }
}

/// Latencies in a fixed histogram (10 ms buckets up to an hour, then one overflow bucket):
/// quantiles without keeping every sample.
struct Latency {
    buckets: Vec<u64>,
    count: u64,
}

impl Default for Latency {
    fn default() -> Self {
        Latency {
            buckets: vec![0; 360_001],
            count: 0,
        }
    }
}

impl Latency {
    const BUCKET_MS: u128 = 10;
    fn add(&mut self, d: Duration) {
        let i = ((d.as_millis() / Self::BUCKET_MS) as usize).min(self.buckets.len() - 1);
        self.buckets[i] += 1;
        self.count += 1;
    }
    /// Seconds (the bucket's upper edge); 0 when empty.
    fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let want = ((self.count as f64) * q).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, n) in self.buckets.iter().enumerate() {
            seen += n;
            if seen >= want {
                return (i as f64 + 1.0) * Self::BUCKET_MS as f64 / 1000.0;
            }
        }
        f64::INFINITY
    }
}

/// A line of /proc/self/status in MB (`VmRSS:` now, `VmHWM:` the peak); 0 elsewhere.
fn rss_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn dir_mb(dir: &std::path::Path) -> f64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum::<u64>()
        })
        .unwrap_or(0) as f64
        / (1 << 20) as f64
}

/// The loopback HTTP/1.1 server: a thread per connection, keep-alive (the fetcher holds one
/// connection to the host), `If-None-Match` answered with 304.
struct Server {
    base: String,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(web: Arc<Web>) -> Result<Server> {
        let listener = TcpListener::bind("127.0.0.1:0").context("binding a loopback port")?;
        let base = format!("http://{}", listener.local_addr()?);
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let b = base.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (web, b) = (Arc::clone(&web), b.clone());
                std::thread::spawn(move || {
                    let _ = serve_connection(stream, &web, &b);
                });
            }
        });
        Ok(Server { base, stop })
    }

    fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop.
        let _ = TcpStream::connect(self.base.trim_start_matches("http://"));
    }
}

fn serve_connection(stream: TcpStream, web: &Web, base: &str) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    // Head and body go out at once: with Nagle's algorithm and delayed ACKs, a small
    // second write waits 40 ms per response.
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if (&mut reader).take(8192).read_line(&mut line)? == 0 {
            return Ok(());
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let mut etag = None;
        loop {
            let mut h = String::new();
            if (&mut reader).take(8192).read_line(&mut h)? == 0 || h.trim().is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':')
                && k.trim().eq_ignore_ascii_case("if-none-match")
            {
                etag = Some(v.trim().to_string());
            }
        }
        let (status, ctype, tag, body) = respond(web, base, &path, etag.as_deref());
        let mut head = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: {ctype}\r\n",
            body.len()
        );
        if let Some(t) = tag {
            head.push_str(&format!("ETag: {t}\r\n"));
        }
        head.push_str("\r\n");
        head.push_str(&body);
        writer.write_all(head.as_bytes())?;
        writer.flush()?;
    }
}

/// Status line, content type, ETag and body for a path.
fn respond(
    web: &Web,
    base: &str,
    path: &str,
    if_none_match: Option<&str>,
) -> (&'static str, &'static str, Option<String>, String) {
    let not_found = ("404 Not Found", "text/plain", None, "not found".to_string());
    if let Some(f) = path
        .strip_prefix("/feed/")
        .and_then(|p| p.strip_suffix(".xml"))
    {
        web.requests.feeds.fetch_add(1, Ordering::Relaxed);
        let Some((rss, tag)) = f.parse().ok().and_then(|f| web.feed(f, base)) else {
            return not_found;
        };
        if if_none_match == Some(tag.as_str()) {
            web.requests.not_modified.fetch_add(1, Ordering::Relaxed);
            return (
                "304 Not Modified",
                "application/rss+xml",
                Some(tag),
                String::new(),
            );
        }
        return ("200 OK", "application/rss+xml", Some(tag), rss);
    }
    if let Some(k) = path
        .strip_prefix("/a/")
        .and_then(|p| p.strip_suffix(".html"))
    {
        web.requests.pages.fetch_add(1, Ordering::Relaxed);
        return match k.parse().ok().and_then(|k| web.page(k)) {
            Some(html) => ("200 OK", "text/html; charset=utf-8", None, html),
            None => not_found,
        };
    }
    not_found
}
