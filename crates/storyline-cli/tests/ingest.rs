//! `storyline ingest` as a user runs it: pages and archives in, JSONL out, a summary and
//! rejects on the side, exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn storyline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyline"));
    c.env_remove("RUST_LOG");
    c
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("storyline-ingest-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn run(cmd: &mut Command) -> (Output, String, String) {
    let out = cmd.output().expect("run storyline");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

const STORY: &str = "<p>The Eastport harbor reopened on Monday after a three-week strike by dock workers ended with a wage deal that both sides called fair.</p>\
<p>Cranes began moving again at dawn, and the first container ship left the port shortly before noon, according to the harbor authority.</p>\
<p>The agreement raises wages by six percent over two years and adds a night-shift bonus, the union said in a statement read outside the gates.</p>";

fn page(n: usize) -> String {
    format!(
        r#"<html><head><title>Harbor story {n} | Coastal Daily</title><meta property="og:site_name" content="Coastal Daily"><link rel="canonical" href="https://coastal.example/news/{n}"><meta property="article:published_time" content="2031-03-14T10:00:00Z"></head><body><nav><a href="/">Home</a></nav><article>{STORY}</article></body></html>"#
    )
}

fn warc_record(warc_type: &str, uri: &str, block: &[u8], length: usize) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype={warc_type}\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(uri: &str, html: &str) -> Vec<u8> {
    let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    warc_record("response", uri, block.as_bytes(), block.len())
}

#[test]
fn a_folder_of_pages_becomes_jsonl_articles() {
    let dir = scratch("folder");
    for n in 0..3 {
        std::fs::write(dir.join(format!("{n}.html")), page(n)).unwrap();
    }
    let (out, stdout, stderr) = run(storyline().arg("ingest").arg(&dir));
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "https://coastal.example/news/0");
    assert_eq!(lines[0]["source"], "Coastal Daily");
    assert_eq!(lines[0]["date"], "2031-03-14T10:00Z");
    assert_eq!(lines[0]["title"], "Harbor story 0");
    assert_eq!(lines[0]["lang"], "en");
    assert!(!lines[0]["text"].as_str().unwrap().contains("Home"));
    assert!(stderr.contains("read 3, extracted 3"), "{stderr}");
}

#[test]
fn json_format_and_output_file() {
    let dir = scratch("json");
    std::fs::write(dir.join("a.html"), page(1)).unwrap();
    let out_file = dir.join("out.json");
    let (out, stdout, stderr) = run(storyline()
        .args(["ingest", "--format", "json", "-o"])
        .arg(&out_file)
        .arg(dir.join("a.html")));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(1));
}

#[test]
fn a_damaged_archive_gives_rejects_a_summary_and_exit_3_with_strict() {
    let dir = scratch("damaged");
    let good = response("https://coastal.example/news/1", &page(1));
    let bad = {
        let html = page(2);
        let block = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{html}");
        warc_record(
            "response",
            "https://coastal.example/news/2",
            block.as_bytes(),
            block.len() - 100,
        )
    };
    let redirect = {
        let block = b"HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n";
        warc_record(
            "response",
            "https://coastal.example/old",
            block,
            block.len(),
        )
    };
    let request = warc_record(
        "request",
        "https://coastal.example/news/1",
        b"GET / HTTP/1.1\r\n\r\n",
        18,
    );
    let good3 = response("https://coastal.example/news/3", &page(3));
    let warc = [request, good, bad, redirect, good3].concat();
    let path = dir.join("crawl.warc");
    std::fs::write(&path, warc).unwrap();
    let rejects = dir.join("rejects.jsonl");

    let (out, stdout, stderr) = run(storyline()
        .args(["ingest", "--rejects"])
        .arg(&rejects)
        .arg(&path));
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(
        stderr.contains("read 5, extracted 2, skipped 2, failed 1"),
        "{stderr}"
    );
    assert!(stderr.contains("damaged_record 1"), "{stderr}");
    let lines: Vec<serde_json::Value> = std::fs::read_to_string(&rejects)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The request record is counted, not reported; the damaged record and the redirect are.
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["reason"], "damaged_record");
    assert_eq!(lines[0]["failed"], true);
    assert_eq!(lines[1]["reason"], "http_status");
    assert_eq!(lines[1]["url"], "https://coastal.example/old");

    let (out, _, stderr) = run(storyline().args(["ingest", "--strict"]).arg(&path));
    assert_eq!(out.status.code(), Some(3), "{stderr}");

    let (out, _, stderr) = run(storyline().args(["-v", "ingest"]).arg(&path));
    assert!(out.status.success());
    assert!(stderr.contains("crawl.warc record 3"), "{stderr}");
}

#[test]
fn an_archive_on_stdin_gzipped() {
    let warc = [
        response("https://coastal.example/news/1", &page(1)),
        response("https://coastal.example/news/2", &page(2)),
    ];
    let mut gz = Vec::new();
    for r in &warc {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(r).unwrap();
        gz.extend(e.finish().unwrap());
    }
    let mut child = storyline()
        .args(["ingest", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&gz).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
}

#[test]
fn missing_input_and_bad_language_are_errors() {
    let (out, _, stderr) = run(storyline().args(["ingest", "/no/such/dir"]));
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no such file"), "{stderr}");
    let (out, _, _) = run(storyline().args(["ingest", "--lang", "klingon!", "."]));
    assert_eq!(out.status.code(), Some(1));
    let (out, _, _) = run(storyline().args(["ingest"]));
    assert_eq!(out.status.code(), Some(2));
}

fn feed_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../storyline-feed/tests/fixtures")
        .join(name)
}

#[test]
fn a_feed_file_gives_one_article_per_entry_with_title_link_date_and_plain_text() {
    let (out, stdout, stderr) = run(storyline()
        .arg("ingest")
        .arg(feed_fixture("rss2.xml"))
        .arg(feed_fixture("script.xml"))
        .args(["--min-words", "0", "--lang", "any", "-f", "jsonl"]));
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert_eq!(lines[0]["title"], "Dockworkers end 12-day strike");
    assert_eq!(
        lines[0]["url"],
        "https://harborledger.example/news/strike-ends"
    );
    assert_eq!(lines[0]["source"], "The Harbor Ledger");
    assert!(
        lines[0]["date"]
            .as_str()
            .unwrap()
            .starts_with("2031-03-13T13:05"),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[0]["text"],
        "The port of Aldren reopened on Thursday.\nWorkers won a 4% raise."
    );
    assert_eq!(lines[2]["text"], "The mayor resigned.\nA vote follows.");
    assert!(stderr.contains("3 articles"), "{stderr}");
}

#[test]
fn a_malformed_feed_is_a_failure_with_strict_exit_3() {
    let (out, stdout, stderr) = run(storyline()
        .arg("ingest")
        .arg(feed_fixture("malformed.xml"))
        .args(["--strict"]));
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("malformed feed"), "{stderr}");
}
