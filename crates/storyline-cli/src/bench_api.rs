//! `storyline bench api`: the HTTP API under load, and ingest through it across a kill -9.
//!
//! - Store: the articles of `clustering/mn_val_stream.jsonl` are stored round after round
//!   until there are at least `--events` events; every event is then summarized and
//!   compared. Each round has its own ids (suffixed), synthetic dates 60 days after the
//!   previous round's, and, from the second round on, its content words marked with the
//!   round (`economist` -> `economistqb`): the same texts again would reopen the first
//!   round's archived events instead of starting new ones.
//! - Load: `storyline serve` (a child process, the binary a user runs) on that store, and
//!   `wrk` with a Lua script requesting `GET /api/events/{id}` for random stored ids. The bar:
//!   5,000 requests/s with p99 under 20 ms on 2 cores. wrk runs on the same cores as the
//!   server, so the server gets what wrk leaves of them.
//! - Ingest: `--ingest` articles (the dev articles again, unique ids) POSTed as JSONL batches
//!   to a `storyline serve` child on a fresh store; the server is killed (SIGKILL) while a
//!   batch is in flight once `--kill-at` of them are acknowledged, started again on the same
//!   store, and the client resends from the first unacknowledged batch. Then the store is
//!   counted: every article once, every acknowledged article present, consistent.
//! - Reads during ingest: while the ingest runs, another client reads (`GET /api/events`
//!   and `GET /api/events/{id}` of an event it listed, one every `--read-every-ms`, each on a
//!   new connection as `curl` would); then, once the server has summarized everything, the same
//!   reads alone. p50/p99 of both. The reads stay under the server's default per-client rate.
//!
//! The POSTs carry the server's write token (from `STORYLINE_WRITE_TOKEN` or the token file
//! the server made beside the store). The load test turns the per-client limits off: wrk is one
//! client asking for thousands of requests a second.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io::BufReader;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;
use storyline::ingest::{Limits, read_articles_jsonl};
use storyline::{Article, Timestamp};
use storyline_server::client::{self, ServeProcess};
use storyline_store::{Engine, EngineOptions, db};

#[derive(Args)]
pub struct ApiBenchArgs {
    /// The shared dev data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Where the stores and results are written.
    #[arg(long, default_value = "bench-out")]
    out: PathBuf,
    /// The store of the load test (reused when it already has `--events` events).
    #[arg(long)]
    db: Option<PathBuf>,
    /// Events in the store of the load test, at least.
    #[arg(long, default_value_t = 10_000)]
    events: usize,
    /// wrk: open connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// wrk: threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// wrk: seconds of load (after a 3 s warm-up).
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Articles ingested through the API (0 skips the ingest run).
    #[arg(long, default_value_t = 100_000)]
    ingest: usize,
    /// Articles per POST.
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// Share of the articles acknowledged before the server is killed.
    #[arg(long, default_value_t = 0.4)]
    kill_at: f64,
    /// Skip the load test.
    #[arg(long)]
    no_load: bool,
    /// Reads during (and after) the ingest: one every this many milliseconds (0: none).
    #[arg(long, default_value_t = 25)]
    read_every_ms: u64,
}

/// Synthetic dates start here (2023-11-14) and move 60 days per round.
const BASE_DATE: i64 = 1_700_000_000;
const ROUND_SECS: i64 = 60 * 86_400;

#[derive(Serialize, Default)]
struct Results {
    store_articles: i64,
    store_events: i64,
    /// Seconds to store the articles and to summarize the events (absent when reused).
    store_build_s: Option<f64>,
    store_refresh_s: Option<f64>,
    load: Option<LoadResult>,
    ingest: Option<IngestResult>,
}

#[derive(Serialize, Clone)]
struct LoadResult {
    requests_per_s: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    requests: u64,
    errors: String,
    server_cores: f64,
}

#[derive(Serialize, Clone, Default)]
struct IngestResult {
    sent: usize,
    acknowledged_before_kill: usize,
    stored_answers: usize,
    already_stored_answers: usize,
    stored_articles: i64,
    distinct_ids: i64,
    missing: usize,
    unexpected: usize,
    acknowledged_missing: usize,
    consistent_after_kill: bool,
    consistent_at_end: bool,
    seconds: f64,
    articles_per_s: f64,
    restart_s: f64,
    reads_during_ingest: Option<ReadStats>,
    reads_alone: Option<ReadStats>,
}

/// Latencies of a reading client.
#[derive(Serialize, Clone, Default)]
struct ReadStats {
    /// Answered 200.
    reads: usize,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    /// Answered 429 (over the per-client rate).
    limited: usize,
    /// Other statuses, and no answer (the server was down between the kill and the restart).
    failed: usize,
}

impl ReadStats {
    fn of(mut ms: Vec<f64>, limited: usize, failed: usize) -> ReadStats {
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| {
            ms.get(((ms.len() as f64 * q).ceil() as usize).saturating_sub(1))
                .copied()
                .unwrap_or(f64::NAN)
        };
        ReadStats {
            reads: ms.len(),
            p50_ms: at(0.50),
            p99_ms: at(0.99),
            max_ms: ms.last().copied().unwrap_or(f64::NAN),
            limited,
            failed,
        }
    }

    fn line(&self) -> String {
        format!(
            "{} reads, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {} answered 429, {} failed",
            self.reads, self.p50_ms, self.p99_ms, self.max_ms, self.limited, self.failed
        )
    }
}

/// A client reading from the server at `addr` (which moves when the server restarts) every
/// `every`, until `stop`, or until it has `count` answers.
struct Reader {
    addr: Arc<Mutex<SocketAddr>>,
    stop: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<ReadStats>,
}

impl Reader {
    fn start(addr: SocketAddr, every: Duration, count: Option<usize>) -> Reader {
        let addr = Arc::new(Mutex::new(addr));
        let stop = Arc::new(AtomicBool::new(false));
        let (a, s) = (Arc::clone(&addr), Arc::clone(&stop));
        let handle = std::thread::spawn(move || {
            let (mut ms, mut limited, mut failed) = (Vec::new(), 0, 0);
            let mut ids: Vec<String> = Vec::new();
            let mut k = 0usize;
            while !s.load(Ordering::Relaxed) && count.is_none_or(|c| ms.len() < c && k < 2 * c) {
                let next = Instant::now() + every;
                let path = if k % 2 == 0 || ids.is_empty() {
                    "/api/events?limit=20".to_string()
                } else {
                    format!("/api/events/{}", ids[(k / 2) % ids.len()])
                };
                k += 1;
                let to = *a.lock().unwrap_or_else(|e| e.into_inner());
                let t = Instant::now();
                match client::request(to, "GET", &path, None, b"", Duration::from_secs(10)) {
                    Ok(r) if r.status == 200 => {
                        ms.push(t.elapsed().as_secs_f64() * 1e3);
                        if path.contains('?')
                            && let Ok(v) = serde_json::from_slice::<serde_json::Value>(&r.body)
                        {
                            let listed: Vec<String> = v["events"]
                                .as_array()
                                .map(Vec::as_slice)
                                .unwrap_or(&[])
                                .iter()
                                .filter_map(|e| e["id"].as_str().map(str::to_string))
                                .collect();
                            if !listed.is_empty() {
                                ids = listed;
                            }
                        }
                    }
                    Ok(r) if r.status == 429 => limited += 1,
                    _ => failed += 1,
                }
                std::thread::sleep(next.saturating_duration_since(Instant::now()));
            }
            ReadStats::of(ms, limited, failed)
        });
        Reader { addr, stop, handle }
    }

    fn move_to(&self, addr: SocketAddr) {
        *self.addr.lock().unwrap_or_else(|e| e.into_inner()) = addr;
    }

    /// Waits for the reader to have its `count` answers.
    fn finish_when_done(self) -> ReadStats {
        self.handle.join().unwrap_or_default()
    }

    fn finish(self) -> ReadStats {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.join().unwrap_or_default()
    }
}

pub fn run(a: ApiBenchArgs) -> Result<ExitCode> {
    let stream = a.data.join("clustering/mn_val_stream.jsonl");
    if !stream.exists() {
        println!(
            "{}: not found; the API benchmark needs the dev data (pass --data), skipped",
            stream.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    let file = fs::File::open(&stream).with_context(|| format!("opening {}", stream.display()))?;
    let mut articles = read_articles_jsonl(
        BufReader::new(file),
        &stream.display().to_string(),
        &Limits::default(),
    )
    .items;
    let mut ids = HashSet::new();
    articles.retain(|x| ids.insert(x.id.clone()));
    if articles.is_empty() {
        bail!("{}: no articles", stream.display());
    }
    let exe = std::env::current_exe().context("finding the storyline binary")?;
    let mut results = Results::default();

    if !a.no_load {
        let db =
            a.db.clone()
                .unwrap_or_else(|| a.out.join("bench-api-load.db"));
        build_store(&db, &articles, a.events, &mut results)?;
        results.load = load_test(&a, &exe, &db)?;
    }
    if a.ingest > 0 {
        results.ingest = Some(ingest_test(&a, &exe, &articles)?);
    }
    let json = a.out.join("bench-api.json");
    fs::write(&json, serde_json::to_string_pretty(&results)?)
        .with_context(|| format!("writing {}", json.display()))?;
    println!("results: {}", json.display());
    Ok(ExitCode::SUCCESS)
}

/// The `k`-th article of round `round`: its own id, a date in the round's stretch of time.
fn in_round(a: &Article, round: usize, k: usize, tag: &str) -> Article {
    let mut copy = a.clone();
    copy.id = format!("{}~{tag}{round}", a.id);
    copy.date = Timestamp::from_unix_number(BASE_DATE + round as i64 * ROUND_SECS + k as i64);
    copy
}

/// The article with its content words marked by the round (none in round 0), so that each
/// round is a new set of stories to the clusterer while the texts keep their shape.
fn marked(a: &Article, round: usize) -> Article {
    if round == 0 {
        return a.clone();
    }
    let mark = format!("q{}", (b'a' + (round % 26) as u8) as char).repeat(1 + round / 26);
    let mark_words = |text: &str| {
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            out.push_str(word);
            if word.chars().count() > 2
                && !storyline_text::stopwords::is_stopword(&word.to_lowercase())
            {
                out.push_str(&mark);
            }
            word.clear();
        };
        for c in text.chars() {
            if c.is_alphabetic() {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        out
    };
    Article {
        title: mark_words(&a.title),
        text: mark_words(&a.text),
        ..a.clone()
    }
}

fn remove_store(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
}

/// Stores rounds of the articles until there are `min_events` events, then summarizes every
/// event. A store that already has them is reused.
fn build_store(
    path: &Path,
    articles: &[Article],
    min_events: usize,
    results: &mut Results,
) -> Result<()> {
    if path.exists() {
        let conn = db::open_reader(path)
            .with_context(|| format!("{}: not a store to reuse", path.display()))?;
        let c = db::counts(&conn)?;
        if c.events as usize >= min_events && c.dirty == 0 {
            println!(
                "== store: reusing {} ({} articles, {} events)",
                path.display(),
                c.articles,
                c.events
            );
            (results.store_articles, results.store_events) = (c.articles, c.events);
            return Ok(());
        }
        drop(conn);
        remove_store(path);
    }
    println!(
        "== store: {} articles per round (ids suffixed, dates 60 days apart per round) until >= {min_events} events",
        articles.len()
    );
    let started = Instant::now();
    let mut engine = Engine::open(path, EngineOptions::default(), |_| {})
        .with_context(|| format!("{}: cannot create the store", path.display()))?;
    let mut round = 0;
    while (engine.counts()?.events as usize) < min_events {
        if round == 26 {
            bail!("26 rounds did not make {min_events} events");
        }
        let t = Instant::now();
        for (n, chunk) in articles.chunks(1000).enumerate() {
            let batch: Vec<Article> = chunk
                .iter()
                .enumerate()
                .map(|(k, x)| in_round(&marked(x, round), round, n * 1000 + k, "r"))
                .collect();
            engine.ingest(&batch).context("storing articles")?;
        }
        let c = engine.counts()?;
        println!(
            "round {round}: {} articles, {} events in the store ({:.1} s)",
            c.articles,
            c.events,
            t.elapsed().as_secs_f64()
        );
        round += 1;
    }
    let stored = started.elapsed().as_secs_f64();
    let t = Instant::now();
    let refreshed = engine.refresh(usize::MAX, |_, _| {})?;
    let refresh = t.elapsed().as_secs_f64();
    let c = engine.counts()?;
    println!(
        "store built: {} articles, {} events; ingest {stored:.1} s ({:.0} articles/s), {refreshed} events summarized and compared in {refresh:.1} s ({:.0} events/s); {}",
        c.articles,
        c.events,
        c.articles as f64 / stored.max(1e-9),
        refreshed as f64 / refresh.max(1e-9),
        path.display()
    );
    (results.store_articles, results.store_events) = (c.articles, c.events);
    (results.store_build_s, results.store_refresh_s) = (Some(stored), Some(refresh));
    Ok(())
}

/// CPU seconds a process has used (user + system), from /proc.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// The wrk script: `GET /api/events/{id}` over random stored ids, seeded per thread.
fn lua_script(ids: &[String]) -> String {
    let mut s = String::from("local ids = {\n");
    for id in ids {
        let _ = writeln!(s, "  \"{id}\",");
    }
    s.push_str(
        r#"}
local n = #ids
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  math.randomseed(seed * 7919 + os.time())
end
function request()
  return wrk.format("GET", "/api/events/" .. ids[math.random(n)])
end
"#,
    );
    s
}

fn run_wrk(a: &ApiBenchArgs, addr: SocketAddr, script: &Path, seconds: u64) -> Result<String> {
    let out = Command::new("wrk")
        .arg(format!("-t{}", a.threads))
        .arg(format!("-c{}", a.connections))
        .arg(format!("-d{seconds}s"))
        .args(["--latency", "--timeout", "5s", "-s"])
        .arg(script)
        .arg(format!("http://{addr}"))
        .output()
        .context("running wrk")?;
    // wrk reports a script it cannot read on stderr and goes on requesting `/`.
    if !out.status.success() || !out.stderr.is_empty() {
        bail!("wrk failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A wrk duration (`812.00us`, `1.23ms`, `2.01s`, `1.00m`) in milliseconds.
fn wrk_ms(s: &str) -> Option<f64> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (num, unit) = s.split_at(split);
    let v: f64 = num.parse().ok()?;
    Some(match unit {
        "us" => v / 1e3,
        "ms" => v,
        "s" => v * 1e3,
        "m" => v * 60e3,
        "h" => v * 3600e3,
        _ => return None,
    })
}

/// Requests/s, p50/p90/p99 (ms), requests, and the error lines of wrk's report.
fn parse_wrk(report: &str) -> Option<(f64, f64, f64, f64, u64, String)> {
    let mut rps = None;
    let (mut p50, mut p90, mut p99) = (None, None, None);
    let mut requests = 0;
    let mut errors = Vec::new();
    for line in report.lines() {
        let t = line.trim();
        if let Some(v) = t.strip_prefix("Requests/sec:") {
            rps = v.trim().parse().ok();
        } else if let Some(v) = t.strip_prefix("50%") {
            p50 = wrk_ms(v);
        } else if let Some(v) = t.strip_prefix("90%") {
            p90 = wrk_ms(v);
        } else if let Some(v) = t.strip_prefix("99%") {
            p99 = wrk_ms(v);
        } else if t.contains("requests in") {
            requests = t.split_whitespace().next()?.parse().ok()?;
        } else if t.starts_with("Socket errors") || t.starts_with("Non-2xx") {
            errors.push(t.to_string());
        }
    }
    Some((rps?, p50?, p90?, p99?, requests, errors.join("; ")))
}

fn load_test(a: &ApiBenchArgs, exe: &Path, db_path: &Path) -> Result<Option<LoadResult>> {
    if Command::new("wrk").arg("--version").output().is_err() {
        println!("== load: wrk is not installed (apt-get install wrk); load test skipped");
        return Ok(None);
    }
    let conn = db::open_reader(db_path)?;
    let mut stmt = conn.prepare("SELECT id FROM events")?;
    let ids: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    drop(stmt);
    drop(conn);
    if ids.iter().any(|id| {
        !id.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
    }) {
        bail!("event ids are not URL-safe; the wrk script would need escaping");
    }
    let script = a.out.join("bench-api-load.lua");
    fs::write(&script, lua_script(&ids))?;
    let script = script.canonicalize()?;
    // wrk is one client at thousands of requests a second: the per-client limits are off.
    let server = ServeProcess::start_with(
        exe,
        db_path,
        &["--rate-limit", "0", "--client-connections", "0"],
        Duration::from_secs(600),
    )?;
    println!(
        "== load: GET /api/events/{{id}} over {} random event ids; `storyline serve --rate-limit 0 --client-connections 0` (pid {}) started in {:.1} s; wrk -t{} -c{} -d{}s --latency (after a 3 s warm-up); wrk and the server share this machine's {} cores",
        ids.len(),
        server.id(),
        server.startup.as_secs_f64(),
        a.threads,
        a.connections,
        a.seconds,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let probe = client::request(
        server.addr,
        "GET",
        &format!("/api/events/{}", ids[0]),
        None,
        b"",
        Duration::from_secs(10),
    )?;
    if probe.status != 200 {
        bail!("GET /api/events/{}: status {}", ids[0], probe.status);
    }
    run_wrk(a, server.addr, &script, 3)?;
    let cpu_before = cpu_seconds(server.id());
    let t = Instant::now();
    let report = run_wrk(a, server.addr, &script, a.seconds)?;
    let wall = t.elapsed().as_secs_f64();
    let server_cores = match (cpu_before, cpu_seconds(server.id())) {
        (Some(b), Some(e)) => (e - b) / wall,
        _ => f64::NAN,
    };
    server.kill()?;
    print!("{report}");
    let Some((rps, p50, p90, p99, requests, errors)) = parse_wrk(&report) else {
        bail!("could not read wrk's report");
    };
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    println!(
        "requests/s {rps:.0} (bar >= 5000: {}); latency p50 {p50:.2} ms, p90 {p90:.2} ms, p99 {p99:.2} ms (bar p99 < 20 ms: {}); {requests} requests{}",
        verdict(rps >= 5000.0),
        verdict(p99 < 20.0),
        if errors.is_empty() {
            ", no errors".to_string()
        } else {
            format!("; {errors}")
        }
    );
    println!("the server used {server_cores:.2} cores on average during the run (wrk the rest)\n");
    Ok(Some(LoadResult {
        requests_per_s: rps,
        p50_ms: p50,
        p90_ms: p90,
        p99_ms: p99,
        requests,
        errors,
        server_cores,
    }))
}

/// One POST's answer: ids stored and ids already stored.
fn post_batch(addr: SocketAddr, token: &str, body: &[u8]) -> Result<(Vec<String>, Vec<String>)> {
    let r = client::request_with(
        addr,
        "POST",
        "/api/articles?lang=any",
        &[
            ("Content-Type", "application/x-ndjson"),
            ("Authorization", &format!("Bearer {token}")),
        ],
        body,
        Duration::from_secs(120),
    )?;
    if r.status != 200 {
        bail!("POST /api/articles: status {}: {}", r.status, r.text());
    }
    let v: serde_json::Value = serde_json::from_slice(&r.body).context("reading the answer")?;
    let (mut stored, mut already) = (Vec::new(), Vec::new());
    for o in v["results"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let id = o["id"].as_str().unwrap_or_default().to_string();
        match o["status"].as_str() {
            Some("stored") => stored.push(id),
            _ => already.push(id),
        }
    }
    Ok((stored, already))
}

fn checked(path: &Path) -> Result<bool> {
    let conn = db::open(path)?;
    let c = db::check(&conn)?;
    if !c.is_consistent() {
        println!("store check: {c:?}");
    }
    Ok(c.is_consistent())
}

fn ingest_test(a: &ApiBenchArgs, exe: &Path, articles: &[Article]) -> Result<IngestResult> {
    let db_path = a.out.join("bench-api-ingest.db");
    remove_store(&db_path);
    let _ = fs::remove_file(storyline_server::auth::token_path(&db_path));
    let rounds = a.ingest.div_ceil(articles.len());
    let all: Vec<Article> = (0..rounds)
        .flat_map(|r| {
            articles
                .iter()
                .enumerate()
                .map(move |(k, x)| in_round(&marked(x, r), r, k, "i"))
        })
        .take(a.ingest)
        .collect();
    let batches: Vec<(Vec<String>, Vec<u8>)> = all
        .chunks(a.batch.max(1))
        .map(|chunk| {
            let mut body = String::new();
            for x in chunk {
                body.push_str(&serde_json::to_string(x).unwrap_or_default());
                body.push('\n');
            }
            (
                chunk.iter().map(|x| x.id.clone()).collect(),
                body.into_bytes(),
            )
        })
        .collect();
    let kill_after = (a.ingest as f64 * a.kill_at) as usize;
    println!(
        "== ingest: {} articles in {} POSTs of {} (JSONL) to a `storyline serve` child on a fresh store; kill -9 once {kill_after} are acknowledged, restart, resend from the first unacknowledged batch",
        all.len(),
        batches.len(),
        a.batch
    );
    let mut r = IngestResult {
        sent: all.len(),
        ..IngestResult::default()
    };
    let mut server = Some(ServeProcess::start(exe, &db_path, Duration::from_secs(60))?);
    let mut addr = server.as_ref().map(|s| s.addr).context("no server")?;
    let token = server
        .as_ref()
        .and_then(|s| s.token.clone())
        .context("the server's write token")?;
    let every = Duration::from_millis(a.read_every_ms);
    let reader = (a.read_every_ms > 0).then(|| Reader::start(addr, every, None));
    let mut acked: Vec<String> = Vec::with_capacity(all.len());
    let mut killer: Option<std::thread::JoinHandle<()>> = None;
    let mut batch_secs = 0.5;
    let mut downtime = Duration::ZERO;
    let started = Instant::now();
    let mut b = 0;
    while b < batches.len() {
        if killer.is_none() && r.acknowledged_before_kill == 0 && acked.len() >= kill_after {
            // Kill while this batch is in flight: half a typical batch time after sending it.
            let victim = server.take().context("no server")?;
            let delay = Duration::from_secs_f64(batch_secs / 2.0);
            r.acknowledged_before_kill = acked.len();
            killer = Some(std::thread::spawn(move || {
                std::thread::sleep(delay);
                let _ = victim.kill();
            }));
        }
        let t = Instant::now();
        match post_batch(addr, &token, &batches[b].1) {
            Ok((stored, already)) => {
                batch_secs = 0.8 * batch_secs + 0.2 * t.elapsed().as_secs_f64();
                r.stored_answers += stored.len();
                r.already_stored_answers += already.len();
                acked.extend(batches[b].0.iter().cloned());
                b += 1;
            }
            Err(e) => {
                let Some(k) = killer.take() else {
                    return Err(e.context(format!("batch {b}")));
                };
                let down = Instant::now();
                let _ = k.join();
                println!(
                    "killed the server (kill -9) {:.2} s into batch {b} ({} articles acknowledged); the POST failed: {e:#}",
                    t.elapsed().as_secs_f64(),
                    r.acknowledged_before_kill
                );
                r.consistent_after_kill = checked(&db_path)?;
                let restarted = ServeProcess::start(exe, &db_path, Duration::from_secs(300))?;
                r.restart_s = restarted.startup.as_secs_f64();
                let c = db::counts(&db::open_reader(&db_path)?)?;
                println!(
                    "store after the kill: {} articles, consistent: {}; restarted in {:.2} s (replaying the stored articles); resending from batch {b}",
                    c.articles, r.consistent_after_kill, r.restart_s
                );
                addr = restarted.addr;
                if let Some(rd) = &reader {
                    rd.move_to(addr);
                }
                server = Some(restarted);
                downtime += down.elapsed();
            }
        }
    }
    if let Some(k) = killer.take() {
        // The kill came after the last answer.
        let _ = k.join();
        server = Some(ServeProcess::start(
            exe,
            &db_path,
            Duration::from_secs(300),
        )?);
    }
    r.seconds = started.elapsed().as_secs_f64();
    r.articles_per_s = all.len() as f64 / (r.seconds - downtime.as_secs_f64()).max(1e-9);
    if let Some(rd) = reader {
        let during = rd.finish();
        println!("reads during the ingest: {}", during.line());
        let s = server.as_ref().context("no server")?;
        // The same reads alone: once the server has summarized what the ingest changed.
        let t = Instant::now();
        let settled = loop {
            let r = client::request(
                s.addr,
                "GET",
                "/api/status",
                None,
                b"",
                Duration::from_secs(10),
            )?;
            let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
            if v["updating"].as_i64() == Some(0) {
                break true;
            }
            if t.elapsed() > Duration::from_secs(300) {
                break false;
            }
            std::thread::sleep(Duration::from_millis(500));
        };
        let n = during.reads.clamp(200, 2000);
        let alone = Reader::start(s.addr, every, Some(n)).finish_when_done();
        println!(
            "reads alone ({}): {}",
            if settled {
                format!(
                    "after {:.0} s of summarizing, nothing left to do",
                    t.elapsed().as_secs_f64()
                )
            } else {
                "the server was still summarizing after 5 min".to_string()
            },
            alone.line()
        );
        (r.reads_during_ingest, r.reads_alone) = (Some(during), Some(alone));
    }
    if let Some(s) = server.take() {
        s.kill()?;
    }

    let conn = db::open(&db_path)?;
    (r.stored_articles, r.distinct_ids) = conn.query_row(
        "SELECT COUNT(*), COUNT(DISTINCT id) FROM articles",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let mut stmt = conn.prepare("SELECT id FROM articles")?;
    let stored: HashSet<String> = stmt
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    drop(stmt);
    let sent: HashSet<&str> = all.iter().map(|x| x.id.as_str()).collect();
    r.missing = sent.iter().filter(|id| !stored.contains(**id)).count();
    r.unexpected = stored
        .iter()
        .filter(|id| !sent.contains(id.as_str()))
        .count();
    r.acknowledged_missing = acked.iter().filter(|id| !stored.contains(*id)).count();
    let c = db::check(&conn)?;
    r.consistent_at_end = c.is_consistent();
    let ok = r.stored_articles as usize == all.len()
        && r.distinct_ids == r.stored_articles
        && r.missing == 0
        && r.unexpected == 0
        && r.acknowledged_missing == 0
        && r.consistent_at_end;
    println!(
        "sent {} distinct articles; answers: {} stored, {} already stored (stored by the killed server after its last answer, or resent); store: {} articles, {} distinct ids, {} missing, {} not sent, {} acknowledged but missing; check: {c:?}",
        r.sent,
        r.stored_answers,
        r.already_stored_answers,
        r.stored_articles,
        r.distinct_ids,
        r.missing,
        r.unexpected,
        r.acknowledged_missing
    );
    println!(
        "bar (nothing lost or duplicated, consistent after kill -9 and restart): {}; {:.1} s in all, {:.0} articles/s (restart time left out), restart {:.2} s\n",
        if ok && r.consistent_after_kill {
            "met"
        } else {
            "MISSED"
        },
        r.seconds,
        r.articles_per_s,
        r.restart_s
    );
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_reports_are_read() {
        let report = "Running 20s test @ http://127.0.0.1:1\n  2 threads and 64 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     5.10ms    2.00ms  40.00ms   90.00%\n  Latency Distribution\n     50%  812.00us\n     75%    1.20ms\n     90%    3.50ms\n     99%    1.02s\n  123456 requests in 20.00s, 1.00GB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:   6172.80\nTransfer/sec:     51.20MB\n";
        let (rps, p50, p90, p99, n, errors) = parse_wrk(report).unwrap();
        assert_eq!((rps, n), (6172.80, 123456));
        assert!((p50 - 0.812).abs() < 1e-9 && p90 == 3.5 && p99 == 1020.0);
        assert_eq!(errors, "Non-2xx or 3xx responses: 3");
    }
}
