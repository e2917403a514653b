//! The `storyline` command as a user runs it: inputs, formats, bad records, exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn storyline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyline"));
    c.env_remove("RUST_LOG");
    c
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("storyline-cli-{name}-{}", std::process::id()));
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

fn jsonl_article(id: &str, source: &str, text: &str) -> String {
    serde_json::json!({"id": id, "title": format!("Harbor {id}"), "text": text, "source": source})
        .to_string()
}

const REPORT_A: &str = "The Eastport harbor reopened on Monday after a three-week strike by dock workers ended with a wage deal.";
const REPORT_B: &str = "Dock workers in Eastport ended their three-week strike on Monday, and the harbor reopened after a wage deal.";
const REPORT_C: &str = "Fishing crews said they had lost weeks of income while the strike kept the harbor of Eastport closed.";

fn good_lines() -> Vec<String> {
    vec![
        jsonl_article("a", "Coastal Daily", REPORT_A),
        jsonl_article("b", "Harbor Herald", REPORT_B),
        jsonl_article("c", "Valley Post", REPORT_C),
    ]
}

#[test]
fn summarizes_a_folder_of_text_articles_with_citations() {
    let dir = scratch("txt");
    std::fs::write(dir.join("1.txt"), format!("Harbor reopens\n\n{REPORT_A}\n")).unwrap();
    std::fs::write(
        dir.join("2.txt"),
        format!("Strike over\n{REPORT_B}\nShare this article\n"),
    )
    .unwrap();
    let (out, stdout, _) = run(storyline().args(["summarize"]).arg(&dir));
    assert!(out.status.success());
    assert!(stdout.contains("reopened"), "{stdout}");
    assert!(
        stdout.contains("[1, 2]") || stdout.contains("[2, 1]"),
        "both articles cited: {stdout}"
    );
    assert!(!stdout.contains("Share this article"));
}

#[test]
fn bad_records_are_named_and_the_rest_is_summarized() {
    let dir = scratch("bad");
    let mut lines = good_lines();
    lines.insert(1, "this is not json".into());
    lines.insert(2, r#"{"title":"no id","text":"Some text here."}"#.into());
    lines.push(jsonl_article("a", "Copy", "A duplicate id."));
    let path = dir.join("in.jsonl");
    let mut bytes = lines.join("\n").into_bytes();
    bytes.extend_from_slice(b"\n{\"id\":\"u\",\"text\":\"caf\xe9 broken\"}\n");
    std::fs::write(&path, bytes).unwrap();

    let (out, stdout, stderr) = run(storyline()
        .args(["summarize", "--format", "json"])
        .arg(&path));
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("in.jsonl:2: skipped: not JSON"), "{stderr}");
    assert!(
        stderr.contains("in.jsonl:3: skipped: missing \"id\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("in.jsonl:6 (id \"a\"): skipped: duplicate id"),
        "{stderr}"
    );
    assert!(
        stderr.contains("in.jsonl:7: skipped: invalid UTF-8"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(report["articles"], 3);

    let (strict, _, stderr) = run(storyline().args(["summarize", "--strict"]).arg(&path));
    assert_eq!(strict.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("4 input record(s) rejected"), "{stderr}");
}

#[test]
fn a_five_megabyte_article_is_cut_with_a_warning() {
    let dir = scratch("big");
    let big = format!("{REPORT_C}\n").repeat(5 * 1024 * 1024 / (REPORT_C.len() + 1));
    let mut lines = good_lines();
    lines.push(jsonl_article("big", "Bulk Wire", &big));
    let path = dir.join("big.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let (out, stdout, stderr) = run(storyline().args(["summarize", "--words", "60"]).arg(&path));
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("(id \"big\"): warning: text of 5"),
        "{stderr}"
    );
    assert!(stdout.contains("Eastport"), "{stdout}");
}

#[test]
fn articles_in_other_languages_are_left_out_with_a_message() {
    let dir = scratch("lang");
    let mut lines = good_lines();
    lines.push(jsonl_article(
        "de",
        "Hafenblatt",
        "Der Hafen von Eastport wurde am Montag nach einem dreiwöchigen Streik der Hafenarbeiter wieder geöffnet, \
         nachdem sich beide Seiten auf einen neuen Lohnvertrag geeinigt hatten.",
    ));
    let path = dir.join("lang.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let (out, stdout, stderr) = run(storyline()
        .args(["summarize", "--format", "json"])
        .arg(&path));
    assert!(out.status.success());
    assert!(
        stderr.contains("(id \"de\"): skipped: written in German (deu), not English"),
        "{stderr}"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap()["articles"],
        3
    );
    let (_, stdout, _) = run(storyline()
        .args(["summarize", "--lang", "any", "--format", "json"])
        .arg(&path));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap()["articles"],
        4
    );
}

#[test]
fn benchmark_mode_writes_one_line_per_cluster_even_an_empty_one() {
    let dir = scratch("clusters");
    let docs: Vec<serde_json::Value> = good_lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let clusters = [
        serde_json::json!({"id": "c1", "docs": docs}).to_string(),
        serde_json::json!({"id": "empty", "docs": []}).to_string(),
        "{broken".to_string(),
        serde_json::json!({"id": "same", "docs": [docs[0], docs[0], docs[0]]}).to_string(),
    ];
    let path = dir.join("clusters.jsonl");
    std::fs::write(&path, clusters.join("\n")).unwrap();
    let (out, stdout, stderr) = run(storyline()
        .args(["summarize", "--words", "40", "--clusters"])
        .arg(&path));
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSONL"))
        .collect();
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["c1", "empty", "same"]);
    assert!(
        stderr.contains("clusters.jsonl:3: skipped: not JSON"),
        "{stderr}"
    );
    for l in &lines {
        let words = l["summary"].as_str().unwrap().split_whitespace().count();
        assert!(words <= 40, "{l}");
        for s in l["sentences"].as_array().unwrap() {
            assert!(
                s["text"].is_string() && s["citations"].is_array() && s["support"].is_u64(),
                "{s}"
            );
        }
    }
    assert_eq!(lines[1]["summary"], "");
    assert_eq!(
        lines[2]["sentences"][0]["citations"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn reads_articles_from_stdin() {
    let mut child = storyline()
        .args(["summarize", "-", "--format", "markdown"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(good_lines().join("\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.starts_with("# "), "{stdout}");
    assert!(stdout.contains("## Sources"));
}

#[test]
fn missing_input_is_an_error_with_status_one() {
    let (out, _, stderr) = run(storyline().args(["summarize", "/no/such/place.jsonl"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("/no/such/place.jsonl: no such file or folder"),
        "{stderr}"
    );
    let (usage, _, _) = run(storyline().args(["summarize", "--words", "many", "x"]));
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn eval_rouge_scores_a_system_file_against_gold() {
    let dir = scratch("eval");
    let gold = dir.join("gold.jsonl");
    let system = dir.join("system.jsonl");
    std::fs::write(&gold, r#"{"id":"t1","summaries":["The harbor reopened on Monday after the strike.","Workers ended the strike and the port reopened."]}"#).unwrap();
    std::fs::write(&system, r#"{"id":"t1","summary":"The harbor reopened on Monday.","sentences":[{"text":"The harbor reopened on Monday.","citations":["a"],"support":1}]}"#).unwrap();
    let (out, stdout, stderr) = run(storyline()
        .args(["eval", "rouge", "--stem", "--resamples", "0", "--gold"])
        .arg(&gold)
        .arg(&system));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("ROUGE-2"), "{stdout}");
    let (_, json, _) = run(storyline()
        .args(["eval", "rouge", "-f", "json", "--resamples", "0", "--gold"])
        .arg(&gold)
        .arg(&system));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let r1 = v["average"]["ROUGE-1"]["recall"].as_f64().unwrap();
    assert!(r1 > 0.3 && r1 < 1.0, "{r1}");
}

#[test]
fn help_explains_commands_and_exit_codes() {
    let (out, stdout, _) = run(storyline().arg("--help"));
    assert!(out.status.success());
    for needle in ["summarize", "eval", "bench", "Exit status"] {
        assert!(stdout.contains(needle), "{needle}: {stdout}");
    }
    let (_, stdout, _) = run(storyline().args(["summarize", "--help"]));
    assert!(
        stdout.contains("--words") && stdout.contains("--clusters") && stdout.contains("--strict")
    );
}

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

#[test]
fn cluster_groups_the_sample_stream_into_its_four_events() {
    let (out, stdout, stderr) = run(storyline()
        .arg("cluster")
        .arg(samples().join("articles.jsonl")));
    assert!(out.status.success(), "{stderr}");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 16);
    for l in &lines {
        let id = l["id"].as_str().unwrap();
        let event = l["event"].as_str().unwrap();
        // Ids are "<event>-NN-outlet": every article shares the event of its first article.
        assert_eq!(id.split('-').next(), event.split('-').next(), "{l}");
    }
    let events: std::collections::BTreeSet<&str> =
        lines.iter().map(|l| l["event"].as_str().unwrap()).collect();
    assert_eq!(events.len(), 4);
    assert!(
        stderr.contains("clustered 16 articles into 4 events"),
        "{stderr}"
    );
}

#[test]
fn cluster_names_bad_lines_keeps_going_and_strict_exits_3() {
    let dir = scratch("cluster-bad");
    let big = format!("{REPORT_C}\n").repeat(5 * 1024 * 1024 / (REPORT_C.len() + 1));
    let mut lines = [serde_json::json!({"id": "a", "title": "Harbor", "text": REPORT_A, "date": "14.03.2031 09:30"}).to_string(),
        "{not json".to_string(),
        serde_json::json!({"title": "no id", "text": REPORT_B}).to_string(),
        serde_json::json!({"id": "a", "text": REPORT_B}).to_string(),
        serde_json::json!({"id": "e", "title": "", "text": ""}).to_string(),
        serde_json::json!({"id": "big", "text": big}).to_string(),
        serde_json::json!({"id": "odd-date", "text": REPORT_B, "date": "the day after tomorrow"}).to_string()]
    .join("\n")
    .into_bytes();
    lines.extend_from_slice(b"\n{\"id\":\"u\",\"text\":\"caf\xe9\"}\n");
    lines.extend_from_slice(
        serde_json::json!({"id": "last", "text": REPORT_C})
            .to_string()
            .as_bytes(),
    );
    let path = dir.join("stream.jsonl");
    std::fs::write(&path, lines).unwrap();
    let (out, stdout, stderr) = run(storyline().arg("cluster").arg(&path));
    assert!(out.status.success(), "{stderr}");
    let ids: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["a", "big", "odd-date", "last"]);
    for needle in [
        "stream.jsonl:2: skipped: not JSON",
        "stream.jsonl:3: skipped: missing \"id\"",
        "stream.jsonl:4 (id \"a\"): skipped: duplicate id: first used at",
        "stream.jsonl:5 (id \"e\"): skipped: empty article",
        "stream.jsonl:8: skipped: invalid UTF-8",
    ] {
        assert!(stderr.contains(needle), "{needle}: {stderr}");
    }
    let (strict, _, _) = run(storyline().args(["cluster", "--strict"]).arg(&path));
    assert_eq!(strict.status.code(), Some(3));
}

#[test]
fn cluster_reads_stdin_and_writes_summarized_events() {
    let input = std::fs::read(samples().join("articles.jsonl")).unwrap();
    let mut child = storyline()
        .args(["cluster", "-", "--summarize", "--words", "60"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let events: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 4);
    for e in &events {
        assert!(e["summary"].as_str().unwrap().split_whitespace().count() <= 60);
        assert!(e["articles"].as_array().unwrap().len() >= 3, "{e}");
        assert!(
            e["sentences"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["citations"].as_array().is_some_and(|c| !c.is_empty()))
        );
    }
}

fn repo_samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

#[test]
fn compare_writes_a_markdown_report_and_json() {
    let (out, stdout, _) = run(storyline()
        .arg("compare")
        .arg(repo_samples().join("harbor-strike")));
    assert!(out.status.success());
    for heading in [
        "# Source comparison:",
        "## Quotes",
        "## Figures",
        "## Timeline",
        "## Articles",
    ] {
        assert!(stdout.contains(heading), "missing {heading}: {stdout}");
    }
    assert!(stdout.contains("**Dana Whitfield**"), "{stdout}");
    let (out, stdout, _) = run(storyline()
        .args(["compare", "--format", "json"])
        .arg(repo_samples().join("harbor-strike")));
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("one JSON document");
    assert!(v["statements"].as_array().is_some_and(|s| !s.is_empty()));
    assert!(
        v["quantities"]
            .as_array()
            .is_some_and(|q| q.iter().any(|q| q["agreement"] == "conflict"))
    );
}

#[test]
fn summaries_and_events_carry_the_comparison_when_asked() {
    let (out, stdout, _) = run(storyline()
        .args(["summarize", "--compare", "-f", "json"])
        .arg(repo_samples().join("harbor-strike")));
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("json");
    assert!(v["comparison"]["names"].is_array());
    let (out, stdout, _) = run(storyline()
        .args(["cluster", "--summarize", "--compare"])
        .arg(repo_samples().join("articles.jsonl")));
    assert!(out.status.success());
    let first: serde_json::Value =
        serde_json::from_str(stdout.lines().next().expect("an event")).expect("json line");
    assert!(first["comparison"]["statements"].is_array());
    let (out, _, stderr) = run(storyline()
        .args(["cluster", "--compare"])
        .arg(repo_samples().join("articles.jsonl")));
    assert_eq!(
        out.status.code(),
        Some(1),
        "--compare without --summarize is an error: {stderr}"
    );
}

#[test]
fn the_window_bounds_the_quiet_gap_an_event_may_bridge_copies_included() {
    let dir = scratch("window");
    let line = |id: &str, title: &str, text: &str, date: &str| {
        serde_json::json!({"id": id, "title": title, "text": text, "date": date}).to_string()
    };
    let strike = "Dock workers in Eastport accepted a new pay deal on Monday, ending a twelve-day strike that left ships waiting at anchor.";
    let lines = [
        line(
            "a1",
            "Eastport strike ends with pay deal",
            strike,
            "2031-03-01T10:00:00Z",
        ),
        line(
            "a2",
            "Mayor opens new library",
            "The mayor opened the new city library on Tuesday with a reading for children.",
            "2031-03-02T10:00:00Z",
        ),
        line(
            "a3",
            "Eastport strike ends with pay deal",
            strike,
            "2031-03-11T10:00:00Z",
        ),
    ];
    let input = dir.join("w.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let event_of_a3 = |extra: &[&str]| {
        let (out, stdout, stderr) =
            run(storyline().args(["cluster", "-q"]).args(extra).arg(&input));
        assert!(out.status.success(), "{stderr}");
        let v: serde_json::Value = serde_json::from_str(stdout.lines().nth(2).unwrap()).unwrap();
        v["event"].as_str().unwrap().to_string()
    };
    // Without --window, a copy ten days later joins the event it copies (from the archive)...
    assert_eq!(event_of_a3(&[]), "a1");
    // ...with --window 1h, no event bridges a quiet gap over an hour, copies included...
    assert_eq!(event_of_a3(&["--window", "1h"]), "a3");
    // ...and a window longer than the gap lets it join.
    assert_eq!(event_of_a3(&["--window", "11d"]), "a1");
    // Without an archive, an event that left the (default, 3-day) active window is gone.
    assert_eq!(event_of_a3(&["--archive", "0"]), "a3");
}

#[test]
fn an_empty_input_says_there_was_nothing_to_read_and_fails() {
    let dir = scratch("empty");
    let empty = dir.join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    for cmd in [
        vec!["summarize"],
        vec!["summarize", "--strict"],
        vec!["compare"],
        vec!["compare", "--strict"],
    ] {
        let (out, stdout, stderr) = run(storyline().args(&cmd).arg(&empty));
        assert!(!out.status.success(), "{cmd:?}: {stdout}");
        assert!(stderr.contains("nothing to read in"), "{cmd:?}: {stderr}");
        assert!(!stdout.contains("Untitled"), "{cmd:?}: {stdout}");
    }
    let db = dir.join("news.db");
    for strict in [false, true] {
        let mut c = storyline();
        c.arg("run").arg(&empty).arg("--db").arg(&db);
        if strict {
            c.arg("--strict");
        }
        let (out, _, stderr) = run(&mut c);
        assert!(!out.status.success(), "{stderr}");
        assert!(stderr.contains("nothing to read in"), "{stderr}");
    }
    let folder = dir.join("nothing");
    std::fs::create_dir_all(&folder).unwrap();
    let (out, _, stderr) = run(storyline().arg("run").arg(&folder).arg("--db").arg(&db));
    assert!(
        !out.status.success() && stderr.contains("nothing to read in"),
        "{stderr}"
    );
}

#[test]
fn a_binary_file_gives_a_few_warnings_then_a_count_per_file() {
    let dir = scratch("binary");
    let bin = dir.join("program");
    let mut bytes = Vec::new();
    for i in 0..400u32 {
        bytes.extend_from_slice(&[0x7f, b'E', b'L', b'F', (i % 250) as u8, 0xff, 0xfe]);
        bytes.push(b'\n');
    }
    std::fs::write(&bin, &bytes).unwrap();
    let (out, _, stderr) = run(storyline().arg("summarize").arg(&bin));
    assert!(!out.status.success());
    let lines = stderr.lines().count();
    assert!(lines <= 10, "{lines} lines: {stderr}");
    assert!(stderr.contains("more problem(s) not shown"), "{stderr}");
    assert!(stderr.contains("nothing to read in"), "{stderr}");
}

#[test]
fn run_reads_the_jsonl_files_of_a_folder() {
    let dir = scratch("run-folder");
    let folder = dir.join("in");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("a.jsonl"), good_lines().join("\n")).unwrap();
    let db = dir.join("news.db");
    let (out, _, stderr) = run(storyline().arg("run").arg(&folder).arg("--db").arg(&db));
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("3 new articles"), "{stderr}");
}
