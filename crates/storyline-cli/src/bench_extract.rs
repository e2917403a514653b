//! `storyline bench extract`: article extraction quality and speed on the Scrapinghub
//! Article Extraction Benchmark (181 pages with gold article bodies), beside the stored
//! outputs of other extractors.
//!
//! Each page is decoded and extracted exactly as `storyline ingest` does it (charset
//! sniffing, extraction, metadata, language detection; no length or language filter). The
//! bodies are written in the benchmark's format (`{"version","output":{key:{"articleBody"}}}`)
//! and, when `python3` is available, scored by the benchmark's own `evaluate.py` in a scratch
//! copy of the benchmark (its stored `output/*.json` plus ours), never in the shared folder.
//! Speed is timed on pages already in memory (gunzipped), with 1 thread and with N.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::{Value, json};
use storyline_web::lang::LangFilter;
use storyline_web::source::{Document, Payload};
use storyline_web::{IngestOptions, Origin, process_document};

#[derive(Args)]
pub struct ExtractBenchArgs {
    /// The benchmark folder (ground-truth.json, html/, output/, evaluate.py).
    #[arg(long, default_value = "../shared/data/extraction/scrapinghub_aeb")]
    data: PathBuf,
    /// Where our output and the scratch copy of the benchmark are written.
    #[arg(long, default_value = "bench-out/extract")]
    out: PathBuf,
    /// Threads for the parallel timing (default: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    threads: usize,
    /// Timing rounds (the best is reported).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Bootstrap rounds of evaluate.py.
    #[arg(long, default_value_t = 200)]
    n_bootstrap: usize,
    /// Do not run evaluate.py.
    #[arg(long)]
    no_eval: bool,
    /// Measure without the furniture rules (readability's choice, rendered as is).
    #[arg(long)]
    no_furniture_rules: bool,
}

struct Page {
    key: String,
    url: Option<String>,
    bytes: Vec<u8>,
}

fn load(dir: &Path) -> Result<Vec<Page>> {
    let gt_path = dir.join("ground-truth.json");
    let gt: Value = serde_json::from_str(
        &fs::read_to_string(&gt_path).with_context(|| format!("{}", gt_path.display()))?,
    )
    .with_context(|| format!("{}: not JSON", gt_path.display()))?;
    let Some(gt) = gt.as_object() else {
        bail!("{}: expected an object", gt_path.display());
    };
    let mut pages = Vec::new();
    for (key, v) in gt {
        let path = dir.join("html").join(format!("{key}.html.gz"));
        let mut bytes = Vec::new();
        flate2::read::MultiGzDecoder::new(
            fs::File::open(&path).with_context(|| format!("{}", path.display()))?,
        )
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: bad gzip", path.display()))?;
        pages.push(Page {
            key: key.clone(),
            url: v.get("url").and_then(Value::as_str).map(str::to_string),
            bytes,
        });
    }
    Ok(pages)
}

fn options(furniture_rules: bool) -> IngestOptions {
    let mut opts = IngestOptions {
        langs: LangFilter::Any,
        min_words: 0,
        ..IngestOptions::default()
    };
    opts.extract.furniture_rules = furniture_rules;
    opts
}

fn extract_one(page: &Page, opts: &IngestOptions) -> String {
    let doc = Document {
        origin: Origin::file(page.key.clone()),
        payload: Payload::Page {
            bytes: page.bytes.clone(),
            charset: None,
        },
        url: page.url.clone(),
        record_id: None,
    };
    process_document(doc, opts)
        .map(|a| a.article.text)
        .unwrap_or_default()
}

/// CPU seconds used by this process so far (all threads), from `/proc/self/stat`; `None`
/// where that file does not exist.
fn cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesized command name; utime and stime are fields 14 and 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Speed of one timing: pages per wall second, and per CPU second when known.
struct Speed {
    wall: f64,
    cpu: Option<f64>,
}

/// Pages per second over all pages with `threads` threads (best of `rounds`).
fn time_pages(pages: &[Page], threads: usize, rounds: usize, opts: &IngestOptions) -> Speed {
    let mut best = f64::INFINITY;
    let mut best_cpu = None;
    for _ in 0..rounds.max(1) {
        let next = AtomicUsize::new(0);
        let cpu0 = cpu_seconds();
        let started = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(page) = pages.get(i) else { break };
                        std::hint::black_box(extract_one(page, opts));
                    }
                });
            }
        });
        let wall = started.elapsed().as_secs_f64();
        if wall < best {
            best = wall;
            best_cpu = cpu0
                .zip(cpu_seconds())
                .map(|(a, b)| b - a)
                .filter(|c| *c > 0.0);
        }
    }
    let n = pages.len() as f64;
    Speed {
        wall: n / best,
        cpu: best_cpu.map(|c| n / c),
    }
}

pub fn run(a: ExtractBenchArgs) -> Result<ExitCode> {
    if !a.data.join("ground-truth.json").is_file() {
        bail!(
            "{}: benchmark not found (pass --data the scrapinghub_aeb folder)",
            a.data.display()
        );
    }
    let pages = load(&a.data)?;
    let bytes: usize = pages.iter().map(|p| p.bytes.len()).sum();
    eprintln!(
        "{} pages, {:.1} MB of HTML",
        pages.len(),
        bytes as f64 / 1e6
    );
    let opts = options(!a.no_furniture_rules);
    let mut output = serde_json::Map::new();
    let mut empty = 0;
    for page in &pages {
        let text = extract_one(page, &opts);
        if text.is_empty() {
            empty += 1;
        }
        output.insert(page.key.clone(), json!({ "articleBody": text }));
    }
    fs::create_dir_all(&a.out).with_context(|| format!("{}", a.out.display()))?;
    let ours = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "output": output,
    });
    let ours_path = a.out.join("storyline.json");
    fs::write(&ours_path, serde_json::to_string(&ours)?)
        .with_context(|| format!("{}", ours_path.display()))?;
    println!(
        "output: {} ({empty} pages with no article)",
        ours_path.display()
    );

    let threads = if a.threads > 0 {
        a.threads
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    let one = time_pages(&pages, 1, a.rounds, &opts);
    let many = time_pages(&pages, threads, a.rounds, &opts);
    let per_cpu = |s: &Speed| {
        s.cpu
            .map_or_else(String::new, |c| format!(" ({c:.0} pages per CPU-second)"))
    };
    println!(
        "speed, 1 thread: {:.0} pages/s{}, {:.2} ms/page, {:.1} MB/s of HTML",
        one.wall,
        per_cpu(&one),
        1e3 / one.wall,
        one.wall * bytes as f64 / pages.len() as f64 / 1e6
    );
    println!(
        "speed, {threads} threads: {:.0} pages/s{} (wall time; other load on the machine lowers it)",
        many.wall,
        per_cpu(&many)
    );

    if a.no_eval {
        return Ok(ExitCode::SUCCESS);
    }
    match evaluate(&a, &ours_path) {
        Ok(()) => {}
        Err(e) => eprintln!("evaluate.py not run: {e:#}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs evaluate.py in a scratch copy of the benchmark and prints the table, ours first.
fn evaluate(a: &ExtractBenchArgs, ours: &Path) -> Result<()> {
    let scratch = a.out.join("aeb-scratch");
    let outputs = scratch.join("output");
    if scratch.exists() {
        fs::remove_dir_all(&scratch).with_context(|| format!("{}", scratch.display()))?;
    }
    fs::create_dir_all(&outputs)?;
    for f in ["evaluate.py", "ground-truth.json"] {
        fs::copy(a.data.join(f), scratch.join(f)).with_context(|| format!("copying {f}"))?;
    }
    if let Ok(rd) = fs::read_dir(a.data.join("output")) {
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "json")
                && let Some(name) = p.file_name()
            {
                fs::copy(&p, outputs.join(name))?;
            }
        }
    }
    fs::copy(ours, outputs.join("storyline.json"))?;
    let out = std::process::Command::new("python3")
        .arg("evaluate.py")
        .arg("--n-bootstrap")
        .arg(a.n_bootstrap.to_string())
        .arg("--output")
        .arg("results.json")
        .current_dir(&scratch)
        .output()
        .context("running python3")?;
    if !out.status.success() {
        bail!(
            "evaluate.py failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let table = String::from_utf8_lossy(&out.stdout);
    let mut lines: Vec<&str> = table.lines().collect();
    let header = if lines.is_empty() {
        ""
    } else {
        lines.remove(0)
    };
    // Sort rows by F1 (third column), best first.
    let f1 = |l: &str| -> f64 {
        l.split_whitespace()
            .nth(2)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    };
    lines.sort_by(|x, y| f1(y).total_cmp(&f1(x)));
    println!("\nScrapinghub AEB, evaluate.py (token-shingle F1; ± bootstrap std):");
    println!("{header}");
    for l in lines.iter().take(12) {
        let mark = if l.starts_with("storyline ") {
            " <== ours"
        } else {
            ""
        };
        println!("{l}{mark}");
    }
    let results: Value = serde_json::from_str(
        &fs::read_to_string(scratch.join("results.json")).context("results.json")?,
    )?;
    if let Some(r) = results.get("storyline") {
        let g = |k: &str| r.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
        println!(
            "\nstoryline-web: F1 {:.3}  precision {:.3}  recall {:.3}  (bar: F1 >= 0.95: {})",
            g("f1"),
            g("precision"),
            g("recall"),
            if g("f1") >= 0.95 { "met" } else { "NOT met" }
        );
    }
    Ok(())
}
