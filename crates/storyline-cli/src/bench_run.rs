//! `storyline bench run`: the running system end to end beside the clustering it wraps.
//!
//! For each input (JSONL articles: a headline stream, full articles) and each thread count,
//! in this process:
//!
//! - `cluster`: what `storyline cluster FILE --threads T` does (read, parse, clean,
//!   featurize on T workers, assign in order, one output line per article, discarded);
//! - `run`: what `storyline run FILE --threads T` does into a new store in a temporary
//!   folder (read, parse, language check, featurize, assign, store and index, then
//!   summarize and compare every event), with the time split into ingest (of which: writing
//!   the store), and refresh.
//!
//! Wall time and the process's CPU time (user + system, all threads) are printed: the
//! machine may be shared, and CPU seconds are the steadier of the two. Inputs are never
//! copied or written. Run it with `-q`: records left out (not English, bad lines) are
//! otherwise reported on every pass.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;
use serde::Serialize;
use storyline::cluster::ClusterOptions;
use storyline::ingest::open_lines;
use storyline::stream::{StreamItem, StreamOptions, cluster_stream};
use storyline_store::EngineOptions;

use crate::input::Kind;
use crate::progress::cpu_secs;
use crate::run_cmd::{Reading, run_here};

#[derive(Args)]
pub struct RunBenchArgs {
    /// JSONL article files (e.g. a headline stream and a stream of full articles).
    #[arg(required = true, value_name = "ARTICLES")]
    inputs: Vec<PathBuf>,
    /// Thread counts to measure (comma-separated; default: 1 and all cores).
    #[arg(long, value_delimiter = ',')]
    threads: Vec<usize>,
    /// Where the stores are made (a temporary folder under it, removed at the end).
    #[arg(long, default_value_os_t = std::env::temp_dir())]
    scratch: PathBuf,
    /// Also write the results as JSON to this file.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// One measurement.
#[derive(Debug, Clone, Serialize)]
struct Row {
    input: String,
    threads: usize,
    articles: usize,
    events: usize,
    cluster_secs: f64,
    cluster_cpu_secs: f64,
    run_secs: f64,
    run_cpu_secs: f64,
    ingest_secs: f64,
    ingest_cpu_secs: f64,
    index_secs: f64,
    refresh_secs: f64,
    refresh_cpu_secs: f64,
    events_summarized: usize,
}

pub fn run(a: RunBenchArgs) -> Result<ExitCode> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let mut threads = a.threads.clone();
    if threads.is_empty() {
        threads = vec![1, cores];
    }
    threads.dedup();
    for p in &a.inputs {
        if !p.is_file() {
            bail!("{}: no such file", p.display());
        }
    }
    let scratch = a
        .scratch
        .join(format!("storyline-bench-run-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).with_context(|| format!("creating {}", scratch.display()))?;
    let result = measure_all(&a.inputs, &threads, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let rows = result?;
    if let Some(path) = &a.json {
        std::fs::write(path, serde_json::to_string_pretty(&rows)?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn measure_all(inputs: &[PathBuf], threads: &[usize], scratch: &Path) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut out = std::io::stdout().lock();
    for input in inputs {
        let name = input.file_name().map_or_else(
            || input.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        writeln!(
            out,
            "== {name}: `storyline run` (new store) beside `storyline cluster`; wall s (CPU s)"
        )?;
        writeln!(
            out,
            "{:>7} {:>8} {:>16} {:>9} {:>16} {:>9} {:>7} {:>16} {:>8} {:>16}",
            "threads",
            "articles",
            "cluster",
            "art/s",
            "run",
            "art/s",
            "run/cl",
            "ingest",
            "store",
            "refresh"
        )?;
        for &t in threads {
            let row = measure(input, &name, t, scratch)?;
            writeln!(
                out,
                "{:>7} {:>8} {:>16} {:>9.0} {:>16} {:>9.0} {:>6.2}x {:>16} {:>8.2} {:>16}",
                row.threads,
                row.articles,
                format!("{:.2} ({:.2})", row.cluster_secs, row.cluster_cpu_secs),
                row.articles as f64 / row.cluster_secs.max(1e-9),
                format!("{:.2} ({:.2})", row.run_secs, row.run_cpu_secs),
                row.articles as f64 / row.run_secs.max(1e-9),
                row.run_secs / row.cluster_secs.max(1e-9),
                format!("{:.2} ({:.2})", row.ingest_secs, row.ingest_cpu_secs),
                row.index_secs,
                format!("{:.2} ({:.2})", row.refresh_secs, row.refresh_cpu_secs),
            )?;
            out.flush()?;
            rows.push(row);
        }
        writeln!(
            out,
            "   ({} events summarized; store = writing the articles, their index and events, part of ingest; refresh = summarize + compare every event)\n",
            rows.last().map_or(0, |r| r.events_summarized)
        )?;
    }
    Ok(rows)
}

fn measure(input: &Path, name: &str, threads: usize, scratch: &Path) -> Result<Row> {
    // `storyline cluster FILE --threads T`, output discarded.
    let cpu = cpu_secs();
    let started = Instant::now();
    let reader = open_lines(input).with_context(|| format!("{}: cannot open", input.display()))?;
    let sopts = StreamOptions {
        threads,
        file: input.display().to_string(),
        ..StreamOptions::default()
    };
    let mut sink = std::io::sink();
    let (totals, _) = cluster_stream(reader, &ClusterOptions::default(), &sopts, |item| {
        if let StreamItem::Assigned(x, _) = item {
            let _ = serde_json::to_writer(
                &mut sink,
                &serde_json::json!({"id": x.id, "event": x.event}),
            );
        }
    });
    let cluster_secs = started.elapsed().as_secs_f64();
    let cluster_cpu_secs = cpu_secs() - cpu;

    // `storyline run FILE --threads T` into a new store.
    let db = scratch.join(format!("{name}-{threads}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let opts = EngineOptions {
        threads,
        ..EngineOptions::default()
    };
    let reading = Reading {
        batch: 1000,
        english_only: true,
        threads: Some(threads),
    };
    let cpu = cpu_secs();
    let started = Instant::now();
    let kinds = [(input.to_path_buf(), Kind::Jsonl)];
    let r = run_here(&db, &kinds, &opts, &reading, false)?;
    let run_secs = started.elapsed().as_secs_f64();
    let run_cpu_secs = cpu_secs() - cpu;
    let events = r.engine.counts()?.events as usize;
    drop(r.engine);
    Ok(Row {
        input: name.to_string(),
        threads,
        articles: totals.assigned,
        events,
        cluster_secs,
        cluster_cpu_secs,
        run_secs,
        run_cpu_secs,
        ingest_secs: r.times.ingest.as_secs_f64(),
        ingest_cpu_secs: r.times.ingest_cpu,
        index_secs: r.times.index.as_secs_f64(),
        refresh_secs: r.times.refresh.as_secs_f64(),
        refresh_cpu_secs: r.times.refresh_cpu,
        events_summarized: r.times.refreshed,
    })
}
