//! `storyline bench cluster`: clustering quality beside the peers, throughput, and memory on
//! a long generated stream.
//!
//! - Quality: each dev stream of `../shared/data/clustering/` is clustered with the default
//!   settings (one setting for all files), and both levels, events and storylines, are
//!   scored with pairwise and BCubed F1 (noise left out), on the whole file and on its
//!   odd-numbered lines (the articles the shipped join model was not fitted on), next to the
//!   peers' numbers of `../shared/tools/clustering/ANCHORS.md` (and, where ANCHORS.md has
//!   one, the best peer tuned on that very stream: an oracle, not a baseline).
//! - Throughput: `mn_val_stream.jsonl` end to end, from JSONL bytes to assignments, with 1 and
//!   with all worker threads, best of three runs.
//! - Memory: a generated stream (synthetic articles over many days, stories that start, run
//!   for a few days and stop) through the same pipeline, reporting resident memory as it goes:
//!   it must level off once the window and the archive are full.

use std::fs;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;
use storyline::cluster::ClusterOptions;
use storyline::stream::{StreamItem, StreamOptions, cluster_stream};
use storyline_eval::clusters::{Level, read_gold, score};
use storyline_eval::peers::read_tables;

#[derive(Args)]
pub struct ClusterBenchArgs {
    /// The shared dev data folder.
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// The peers' numbers.
    #[arg(long, default_value = "../shared/tools/clustering/ANCHORS.md")]
    anchors: PathBuf,
    /// Where assignments and results are written.
    #[arg(long, default_value = "bench-out")]
    out: PathBuf,
    /// Articles in the generated stream of the memory run (0 skips it).
    #[arg(long, default_value_t = 1_000_000)]
    long: usize,
    /// Skip the quality runs.
    #[arg(long)]
    no_quality: bool,
    /// Clusterer parameter NAME=VALUE (repeatable; for experiments).
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
}

/// One dev stream, the heading of its peers' table in ANCHORS.md, and the columns there that
/// hold pairwise and BCubed F1 (the Multi-News table lists "P / R / F1" in one cell).
const STREAMS: &[(&str, &str, &str, &str)] = &[
    (
        "mn_val_stream",
        "Tuning on Multi-News VAL",
        "val pair P / R / F1",
        "val B3 F1",
    ),
    ("duc_stream", "DUC 2006+2007", "pair F1", "B3 F1"),
    ("googlenews_ts_stream", "GoogleNews-T/S", "pair F1", "B3 F1"),
];

#[derive(Serialize)]
struct QualityRow {
    stream: String,
    level: Level,
    pair_f1: f64,
    b3_f1: f64,
    odd_pair_f1: f64,
    odd_b3_f1: f64,
    events: usize,
    gold_stories: usize,
    best_peer_pair: (String, f64),
    best_peer_b3: (String, f64),
    /// The best peer tuned on this stream itself (pair F1, B3 F1), where ANCHORS.md has it.
    oracle: Option<(f64, f64)>,
}

#[derive(Serialize)]
struct MemoryPoint {
    articles: usize,
    rss_mb: f64,
}

fn rss_mb() -> f64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub fn run(a: ClusterBenchArgs) -> Result<ExitCode> {
    let mut opts = ClusterOptions::default();
    for p in &a.params {
        let (k, v) = p
            .split_once('=')
            .with_context(|| format!("--param {p}: expected NAME=VALUE"))?;
        opts.set(k, v).map_err(anyhow::Error::msg)?;
    }
    fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    let dir = a.data.join("clustering");
    let mut quality = Vec::new();
    if !a.no_quality {
        if !dir.is_dir() {
            bail!("{}: dev streams not found (pass --data)", dir.display());
        }
        let anchors = read_tables(&a.anchors).unwrap_or_default();
        println!(
            "== quality (one setting for every stream; noise left out; odd = lines the join model was not fitted on)"
        );
        println!(
            "{:<22} {:<9} {:>8} {:>8} {:>8} {:>8} {:>7} {:>5}   best peer (pair F1 / B3 F1); oracle",
            "stream", "level", "pair F1", "B3 F1", "odd pair", "odd B3", "groups", "gold"
        );
        for (name, heading, pair_col, b3_col) in STREAMS {
            let path = dir.join(format!("{name}.jsonl"));
            if !path.exists() {
                println!("{name}: not found, skipped");
                continue;
            }
            let out_file = a.out.join(format!("{name}.events.jsonl"));
            let mut lines = String::new();
            let reader = BufReader::new(fs::File::open(&path)?);
            let sopts = StreamOptions {
                file: path.display().to_string(),
                ..StreamOptions::default()
            };
            cluster_stream(reader, &opts, &sopts, |item| {
                if let StreamItem::Assigned(x, _) = item {
                    lines += &serde_json::json!({"id": x.id, "event": x.event, "storyline": x.storyline})
                        .to_string();
                    lines.push('\n');
                }
            });
            fs::write(&out_file, &lines)?;
            let gold = read_gold(&path)?;
            let odd: Vec<_> = gold.iter().filter(|g| g.line % 2 == 1).cloned().collect();
            let table = anchors.iter().find(|t| t.heading.starts_with(heading));
            // The oracle table names the stream in its heading; its F1 columns are the last two.
            let oracle = anchors
                .iter()
                .find(|t| t.heading.starts_with("Oracle") && t.heading.ends_with(name))
                .and_then(|t| {
                    let top = |col: &str| {
                        t.systems()
                            .filter_map(|s| t.last_number(s, col))
                            .reduce(f64::max)
                    };
                    Some((top("pair F1")?, top("B3 F1")?))
                });
            let best = |col: &str| {
                table
                    .and_then(|t| {
                        t.systems()
                            .filter(|s| !s.starts_with("every") && !s.starts_with("all in"))
                            .filter_map(|s| t.last_number(s, col).map(|v| (s.to_string(), v)))
                            .max_by(|x, y| x.1.total_cmp(&y.1))
                    })
                    .unwrap_or_else(|| ("-".into(), 0.0))
            };
            let (bp, bb) = (best(pair_col), best(b3_col));
            for level in [Level::Event, Level::Storyline] {
                let pred = storyline_eval::clusters::read_predictions(&out_file, level)?;
                let all = score(&gold, &pred, true);
                let held = score(&odd, &pred, true);
                let oracle_text =
                    oracle.map_or_else(String::new, |(p, b)| format!("; {p:.3} / {b:.3}"));
                println!(
                    "{:<22} {:<9} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>7} {:>5}   {} {:.3} / {} {:.3}{}",
                    name,
                    level.field(),
                    all.pair_f1,
                    all.b3_f1,
                    held.pair_f1,
                    held.b3_f1,
                    all.predicted_events,
                    all.gold_stories,
                    bp.0,
                    bp.1,
                    bb.0,
                    bb.1,
                    oracle_text
                );
                quality.push(QualityRow {
                    stream: name.to_string(),
                    level,
                    pair_f1: all.pair_f1,
                    b3_f1: all.b3_f1,
                    odd_pair_f1: held.pair_f1,
                    odd_b3_f1: held.b3_f1,
                    events: all.predicted_events,
                    gold_stories: all.gold_stories,
                    best_peer_pair: bp.clone(),
                    best_peer_b3: bb.clone(),
                    oracle,
                });
            }
        }
        println!(
            "(peers from {}; their odd-line scores are not in ANCHORS.md)\n",
            a.anchors.display()
        );
    }

    // Throughput.
    let mut throughput = Vec::new();
    let mn = dir.join("mn_val_stream.jsonl");
    if mn.exists() {
        let bytes = fs::read(&mn)?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!(
            "== throughput: {} end to end (JSONL bytes in memory -> assignments), best of 3",
            mn.display()
        );
        for threads in [1, cores] {
            let mut best = f64::MAX;
            let mut n = 0;
            for _ in 0..3 {
                let started = Instant::now();
                let sopts = StreamOptions {
                    threads,
                    ..StreamOptions::default()
                };
                let mut count = 0usize;
                let mut sink_bytes = 0usize;
                cluster_stream(&bytes[..], &opts, &sopts, |item| {
                    if let StreamItem::Assigned(x, _) = item {
                        count += 1;
                        sink_bytes += serde_json::to_string(&x).map_or(0, |s| s.len());
                    }
                });
                best = best.min(started.elapsed().as_secs_f64());
                n = count;
                std::hint::black_box(sink_bytes);
            }
            println!(
                "{threads} worker thread(s): {n} articles in {best:.3} s = {:.0} articles/s",
                n as f64 / best
            );
            throughput.push((threads, n as f64 / best));
        }
        println!();
    }

    // Memory on a long generated stream.
    let mut memory = Vec::new();
    if a.long > 0 {
        println!(
            "== memory: {} generated articles (one every 2 minutes; 300 new stories a day, each running ~2 days; window {} s, archive {} events, duplicate window {} articles)",
            a.long, opts.window_secs, opts.archive_capacity, opts.dedup_capacity
        );
        println!("{:>10} {:>9}", "articles", "RSS MB");
        let every = (a.long / 20).max(1);
        let started = Instant::now();
        let mut seen = 0usize;
        let mut next = every;
        let sopts = StreamOptions::default();
        let generated = BufReader::with_capacity(1 << 16, SyntheticStream::new(a.long));
        let (totals, clusterer) = cluster_stream(generated, &opts, &sopts, |item| {
            if let StreamItem::Assigned(..) = item {
                seen += 1;
                if seen >= next {
                    next += every;
                    let rss = rss_mb();
                    println!("{seen:>10} {rss:>9.1}");
                    memory.push(MemoryPoint {
                        articles: seen,
                        rss_mb: rss,
                    });
                }
            }
        });
        let s = clusterer.stats();
        println!(
            "done: {} articles, {} events created, {} active and {} archived at the end, {:.1} s ({:.0} articles/s)\n",
            totals.assigned,
            s.events_created,
            s.active,
            s.archived,
            started.elapsed().as_secs_f64(),
            totals.assigned as f64 / started.elapsed().as_secs_f64()
        );
    }
    let json = a.out.join("bench-cluster.json");
    let throughput: Vec<serde_json::Value> = throughput
        .iter()
        .map(|(t, r)| serde_json::json!({"threads": t, "articles_per_s": r}))
        .collect();
    fs::write(
        &json,
        serde_json::to_string_pretty(
            &serde_json::json!({"quality": quality, "throughput": throughput, "memory": memory}),
        )?,
    )?;
    println!("results: {}", json.display());
    Ok(ExitCode::SUCCESS)
}

/// A generated article stream as JSONL bytes: articles 2 minutes apart (720 a day), each from
/// one of the stories running at that time; 300 stories start every day and each runs for
/// about two days, so events retire and the archive fills. Words: a story's own 30-word
/// vocabulary mixed with a shared 5,000-word background, Zipf-like. Deterministic.
pub struct SyntheticStream {
    total: usize,
    made: usize,
    rng: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl SyntheticStream {
    /// A stream of `total` articles.
    pub fn new(total: usize) -> Self {
        SyntheticStream {
            total,
            made: 0,
            rng: 0x5EED_1234,
            buf: Vec::new(),
            pos: 0,
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.rng = self
            .rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let x = self.rng;
        (x ^ (x >> 33)).wrapping_mul(0xff51afd7ed558ccd)
    }

    fn word(prefix: &str, n: u64) -> String {
        // Pronounceable, distinct words: base-20 syllables.
        const SYL: [&str; 20] = [
            "ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "va", "zu", "fe", "go", "hi",
            "ju", "bo", "ce", "ny", "wa", "xi",
        ];
        let mut s = prefix.to_string();
        let mut n = n;
        loop {
            s.push_str(SYL[(n % 20) as usize]);
            n /= 20;
            if n == 0 {
                break;
            }
        }
        s
    }

    fn article(&mut self) -> String {
        let i = self.made as u64;
        let minutes = i * 2;
        let day = minutes / 1440;
        // Stories alive today: those started on day-1 and day (300 a day).
        let story = (day.saturating_sub(1)) * 300 + self.next_u64() % 600;
        let mut words = Vec::with_capacity(120);
        for k in 0..110 {
            let r = self.next_u64();
            if r.is_multiple_of(3) {
                words.push(Self::word("s", story * 30 + (r >> 8) % 30));
            } else {
                // Zipf-like background: the square of a uniform draw favours small ranks.
                let u = (r >> 11) as f64 / (1u64 << 53) as f64;
                words.push(Self::word("b", (u * u * 5000.0) as u64));
            }
            if k % 15 == 14
                && let Some(w) = words.last_mut()
            {
                w.push('.');
            }
        }
        let title: Vec<String> = (0..6)
            .map(|_| Self::word("s", story * 30 + self.next_u64() % 30))
            .collect();
        let date = 1_900_000_000 + minutes * 60;
        serde_json::json!({"id": format!("g{i}"), "title": title.join(" "), "text": words.join(" "), "date": date.to_string()}).to_string()
    }
}

impl Read for SyntheticStream {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.buf.len() {
            if self.made >= self.total {
                return Ok(0);
            }
            self.buf = self.article().into_bytes();
            self.buf.push(b'\n');
            self.pos = 0;
            self.made += 1;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
