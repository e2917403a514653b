//! A gigabyte of WARC.gz streams through ingest in constant memory.
//!
//! Not in the default run (it writes ~1 GB and takes minutes):
//!
//! ```sh
//! cargo test --release -p storyline-web --test big_warc -- --ignored --nocapture
//! ```
//!
//! The archive is built from the AEB benchmark pages, repeated with distinct record ids and
//! target URIs (`?copy=N`), one gzip member per record like CC-NEWS, in a temporary folder
//! (`STORYLINE_BIG_WARC_DIR` to choose it, `STORYLINE_BIG_WARC_BYTES` for another size).
//! Memory is read from `/proc/self/status` (VmRSS while running, VmHWM at the end).

use std::io::{BufWriter, Read, Write};
use std::path::Path;
use std::time::Instant;

use storyline_web::lang::LangFilter;
use storyline_web::{IngestOptions, articles_from_paths};

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU seconds of this process (all threads).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rfind(')').map_or("", |k| &stat[k + 2..]);
    let f: Vec<f64> = rest
        .split_whitespace()
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

#[test]
#[ignore = "writes a 1 GB archive; run with --ignored --release"]
fn a_gigabyte_of_warc_gz_streams_in_constant_memory() {
    let aeb = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/extraction/scrapinghub_aeb");
    let Ok(gt) = std::fs::read_to_string(aeb.join("ground-truth.json")) else {
        let _ = writeln!(std::io::stderr(), "SKIPPED: {} not found", aeb.display());
        return;
    };
    let gt: serde_json::Value = serde_json::from_str(&gt).unwrap();
    let mut pages = Vec::new();
    for (key, v) in gt.as_object().unwrap() {
        let mut bytes = Vec::new();
        flate2::read::MultiGzDecoder::new(
            std::fs::File::open(aeb.join("html").join(format!("{key}.html.gz"))).unwrap(),
        )
        .read_to_end(&mut bytes)
        .unwrap();
        pages.push((
            v["url"]
                .as_str()
                .unwrap_or("https://x.example/")
                .to_string(),
            bytes,
        ));
    }
    let target: u64 = std::env::var("STORYLINE_BIG_WARC_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1 << 30);
    let dir = std::env::var("STORYLINE_BIG_WARC_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir());
    let path = dir.join(format!("storyline-big-{}.warc.gz", std::process::id()));

    let started = Instant::now();
    let mut out = BufWriter::new(std::fs::File::create(&path).unwrap());
    let (mut written, mut records, mut raw) = (0u64, 0u64, 0u64);
    'fill: loop {
        for (url, page) in &pages {
            let sep = if url.contains('?') { '&' } else { '?' };
            let http_head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
            let mut rec = format!(
                "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:big-{records:012}>\r\nWARC-Date: 2031-03-14T10:00:00Z\r\nWARC-Target-URI: {url}{sep}copy={records}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n{http_head}",
                http_head.len() + page.len()
            )
            .into_bytes();
            rec.extend_from_slice(page);
            rec.extend_from_slice(b"\r\n\r\n");
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(&rec).unwrap();
            let member = gz.finish().unwrap();
            out.write_all(&member).unwrap();
            written += member.len() as u64;
            raw += rec.len() as u64;
            records += 1;
            if written >= target {
                break 'fill;
            }
        }
    }
    out.flush().unwrap();
    drop(out);
    eprintln!(
        "built {} ({:.2} GB gzip, {:.2} GB raw, {records} records) in {:.0} s",
        path.display(),
        written as f64 / 1e9,
        raw as f64 / 1e9,
        started.elapsed().as_secs_f64()
    );

    let rss_before = status_kb("VmRSS:");
    let opts = IngestOptions {
        langs: LangFilter::Any,
        ..IngestOptions::default()
    };
    let cpu0 = cpu_seconds();
    let started = Instant::now();
    let mut ingest = articles_from_paths(std::slice::from_ref(&path), &opts).unwrap();
    let mut rss_samples = Vec::new();
    let mut seen = 0u64;
    for outcome in ingest.by_ref() {
        std::hint::black_box(&outcome);
        seen += 1;
        if seen.is_multiple_of((records / 10).max(1)) {
            rss_samples.push(status_kb("VmRSS:") / 1024);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    let tally = ingest.tally().clone();
    drop(ingest);
    let hwm = status_kb("VmHWM:") / 1024;
    eprintln!(
        "ingested in {secs:.1} s ({cpu:.1} CPU-s): {:.0} records/s, {:.0} per CPU-second, {:.1} MB/s of gzip, {:.1} MB/s of HTML\n{tally}",
        seen as f64 / secs,
        seen as f64 / cpu.max(1e-9),
        written as f64 / 1e6 / secs,
        raw as f64 / 1e6 / secs
    );
    eprintln!(
        "memory: RSS before {} MB; RSS at each tenth (MB) {rss_samples:?}; peak (VmHWM) {hwm} MB",
        rss_before / 1024
    );
    let _ = std::fs::remove_file(&path);
    assert_eq!(tally.read, records);
    assert_eq!(tally.failed_total(), 0);
    let first = rss_samples.first().copied().unwrap_or(0);
    let last = rss_samples.last().copied().unwrap_or(0);
    assert!(
        last <= first + 64,
        "memory grew from {first} MB to {last} MB while streaming"
    );
    assert!(hwm < 1024, "peak RSS {hwm} MB");
}
