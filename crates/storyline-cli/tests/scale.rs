//! `storyline cluster --workers/--hosts`: the scaled-out run gives the single-process
//! assignments byte for byte, across threads, processes and network namespaces; a lost or
//! unreachable peer stops the others with a clear error within seconds, a frozen one after
//! the stall timeout; a re-run resumes after the last completed input file. `storyline run
//! --workers/--hosts` fills the same store as a run in one process.

use std::fs;
use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn storyline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyline"));
    c.env_remove("RUST_LOG");
    c
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("storyline-scale-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A stream of `n` generated articles: stories over a few days, each told by several
/// outlets in their own words, wire copies, and a few bad lines.
fn synthetic_stream(n: usize, seed: u64) -> String {
    const WORDS: [&str; 48] = [
        "harbor",
        "strike",
        "council",
        "budget",
        "flood",
        "river",
        "election",
        "senate",
        "vaccine",
        "clinic",
        "bridge",
        "collapse",
        "wildfire",
        "forest",
        "merger",
        "bank",
        "drought",
        "farmers",
        "protest",
        "square",
        "court",
        "ruling",
        "satellite",
        "launch",
        "earthquake",
        "village",
        "tariff",
        "steel",
        "museum",
        "painting",
        "rail",
        "tunnel",
        "storm",
        "coast",
        "school",
        "teachers",
        "mine",
        "rescue",
        "airline",
        "pilots",
        "festival",
        "music",
        "hospital",
        "nurses",
        "reactor",
        "power",
        "ferry",
        "island",
    ];
    const FILLER: [&str; 12] = [
        "officials",
        "said",
        "on",
        "monday",
        "the",
        "local",
        "reported",
        "after",
        "residents",
        "were",
        "told",
        "week",
    ];
    // xorshift64 (Marsaglia 2003): the same stream on every run.
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 16) as usize
    };
    let mut out = String::new();
    let mut last_text = String::new();
    for i in 0..n {
        if i % 97 == 13 {
            out += "this line is not JSON\n";
        }
        if i % 131 == 7 {
            out += "\n";
        }
        let story = (i / 9 + next() % 3) % 40;
        let (a, b, c) = (
            WORDS[story % 48],
            WORDS[(story * 7 + 3) % 48],
            WORDS[(story * 13 + 5) % 48],
        );
        let text = if i % 23 == 5 && !last_text.is_empty() {
            last_text.clone() // a wire copy
        } else {
            let mut words = Vec::new();
            for k in 0..60 {
                words.push(match (k + next()) % 5 {
                    0 => a,
                    1 => b,
                    2 => c,
                    _ => FILLER[next() % FILLER.len()],
                });
            }
            format!(
                "The {a} and the {b} dominated the day. {}. Reporters followed the {c}.",
                words.join(" ")
            )
        };
        last_text = text.clone();
        let day = 1 + i / 200;
        let line = serde_json::json!({
            "id": format!("s{seed}-{i}"),
            "title": format!("{a} {b} news"),
            "text": text,
            "source": format!("outlet{}", next() % 7),
            "date": format!("2031-03-{day:02}T{:02}:00:00Z", i % 24),
        });
        out += &line.to_string();
        out.push('\n');
    }
    out
}

/// The project's sample stream followed by a generated one.
fn test_stream(n: usize) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let samples = fs::read_to_string(root.join("samples/articles.jsonl")).unwrap();
    samples + &synthetic_stream(n, 7)
}

/// The single-process run (`storyline cluster FILE --threads 1`) over `inputs` concatenated.
fn reference(dir: &Path, inputs: &[&Path]) -> String {
    let all = dir.join("all.jsonl");
    let text: String = inputs
        .iter()
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    fs::write(&all, text).unwrap();
    let out = storyline()
        .args(["cluster", "--threads", "1"])
        .arg(&all)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn assignments_of(out: &Output) -> String {
    assert!(
        out.status.success(),
        "status {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Issues reported on stderr ("skipped: ..."), sorted.
fn issues_of(stderr: &[u8]) -> Vec<String> {
    let mut v: Vec<String> = String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains("skipped:"))
        .map(|l| l.trim().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn worker_threads_give_the_single_process_assignments_and_issues() {
    let dir = scratch("threads");
    let input = dir.join("stream.jsonl");
    fs::write(&input, test_stream(900)).unwrap();
    let want = reference(&dir, &[&input]);
    assert!(want.lines().count() > 900);
    let single = storyline()
        .args(["cluster", "--threads", "1"])
        .arg(&input)
        .output()
        .unwrap();
    for workers in ["1", "3"] {
        let out = storyline()
            .args(["cluster", "--workers", workers, "--chunk-bytes", "3000"])
            .arg(&input)
            .output()
            .unwrap();
        assert_eq!(assignments_of(&out), want, "--workers {workers}");
        // Bad lines are named with the same file and line as in the single-process run.
        let issues = issues_of(&out.stderr);
        assert!(issues.len() >= 9, "{issues:?}");
        assert_eq!(issues, issues_of(&single.stderr));
    }
}

/// Free ports on 127.0.0.1 (bound and released; a clash with another program is unlikely).
fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

fn hostfile(dir: &Path, hosts: &[String]) -> PathBuf {
    let path = dir.join("hosts.txt");
    fs::write(&path, hosts.join("\n") + "\n").unwrap();
    path
}

/// Starts process `p` of a run (process 0 writes to `out`), optionally inside a network
/// namespace.
fn start_process(
    p: usize,
    inputs: &[&Path],
    hosts: &Path,
    out: &Path,
    extra: &[&str],
    netns: Option<&str>,
) -> Child {
    let mut cmd = match netns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", ns, env!("CARGO_BIN_EXE_storyline")]);
            c
        }
        None => storyline(),
    };
    cmd.arg("cluster")
        .args(inputs)
        .arg("--hosts")
        .arg(hosts)
        .args(["--process", &p.to_string(), "--connect-timeout", "20s"])
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if p == 0 {
        cmd.arg("-o").arg(out);
    }
    cmd.spawn().unwrap()
}

/// Waits for a child at most `limit`; kills it after that.
fn wait_at_most(child: &mut Child, limit: Duration) -> (Option<i32>, String, Duration) {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                e.read_to_string(&mut err).unwrap();
            }
            return (status.code(), err, started.elapsed());
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return (
                None,
                "(killed: did not exit in time)".into(),
                started.elapsed(),
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn run_processes(
    dir: &Path,
    inputs: &[&Path],
    hosts: &[String],
    workers: &str,
    netns: &[Option<&str>],
) -> String {
    let hostfile = hostfile(dir, hosts);
    let out = dir.join("events.jsonl");
    let mut children: Vec<Child> = (0..hosts.len())
        .rev()
        .map(|p| {
            let extra = ["--workers", workers, "--chunk-bytes", "4000"];
            start_process(p, inputs, &hostfile, &out, &extra, netns[p])
        })
        .collect();
    children.reverse();
    for (p, child) in children.iter_mut().enumerate() {
        let (code, err, _) = wait_at_most(child, Duration::from_secs(60));
        assert_eq!(code, Some(0), "process {p}: {err}");
    }
    fs::read_to_string(&out).unwrap()
}

#[test]
fn two_and_three_processes_on_loopback_give_the_single_process_assignments() {
    let dir = scratch("loopback");
    let a = dir.join("a.jsonl");
    let b = dir.join("b.jsonl");
    fs::write(&a, test_stream(500)).unwrap();
    fs::write(&b, synthetic_stream(400, 11)).unwrap();
    let want = reference(&dir, &[&a, &b]);
    for (processes, workers) in [(2, "1"), (3, "2")] {
        let hosts: Vec<String> = free_ports(processes)
            .into_iter()
            .map(|p| format!("127.0.0.1:{p}"))
            .collect();
        let got = run_processes(&dir, &[&a, &b], &hosts, workers, &[None; 3]);
        assert_eq!(got, want, "{processes} processes x {workers} workers");
    }
}

/// Runs a command, true if it succeeded.
fn sh(args: &[&str]) -> bool {
    Command::new(args[0])
        .args(&args[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Two network namespaces joined by a veth pair, removed on drop.
struct Namespaces {
    names: [String; 2],
}

impl Namespaces {
    fn create() -> Result<Self, String> {
        let tag = std::process::id() % 100_000;
        let names = [format!("sl{tag}a"), format!("sl{tag}b")];
        let ns = Namespaces {
            names: names.clone(),
        };
        let (a, b) = (&names[0], &names[1]);
        let (va, vb) = (format!("v{tag}a"), format!("v{tag}b"));
        let steps: Vec<Vec<&str>> = vec![
            vec!["ip", "netns", "add", a],
            vec!["ip", "netns", "add", b],
            vec![
                "ip", "link", "add", &va, "type", "veth", "peer", "name", &vb,
            ],
            vec!["ip", "link", "set", &va, "netns", a],
            vec!["ip", "link", "set", &vb, "netns", b],
            vec!["ip", "-n", a, "addr", "add", "10.231.7.1/24", "dev", &va],
            vec!["ip", "-n", b, "addr", "add", "10.231.7.2/24", "dev", &vb],
            vec!["ip", "-n", a, "link", "set", &va, "up"],
            vec!["ip", "-n", b, "link", "set", &vb, "up"],
            vec!["ip", "-n", a, "link", "set", "lo", "up"],
            vec!["ip", "-n", b, "link", "set", "lo", "up"],
        ];
        for step in steps {
            if !sh(&step) {
                return Err(format!("`{}` failed", step.join(" ")));
            }
        }
        Ok(ns)
    }
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        for n in &self.names {
            sh(&["ip", "netns", "del", n]);
        }
    }
}

#[test]
fn two_processes_in_network_namespaces_give_the_single_process_assignments() {
    let ns = match Namespaces::create() {
        Ok(ns) => ns,
        Err(why) => {
            eprintln!(
                "SKIPPED two_processes_in_network_namespaces: cannot make network namespaces \
                 here (needs root and `ip netns`): {why}"
            );
            return;
        }
    };
    let dir = scratch("netns");
    let input = dir.join("stream.jsonl");
    fs::write(&input, test_stream(400)).unwrap();
    let want = reference(&dir, &[&input]);
    let hosts = vec![
        "10.231.7.1:24611".to_string(),
        "10.231.7.2:24612".to_string(),
    ];
    let got = run_processes(
        &dir,
        &[&input],
        &hosts,
        "1",
        &[Some(&ns.names[0]), Some(&ns.names[1])],
    );
    assert_eq!(got, want);
}

/// Processes 0 and 1 of a slowed-down run (about 40 chunks of 0.2 s), once under way.
fn running_pair(dir: &Path, input: &Path, round: usize, more: &[&str]) -> (Child, Child) {
    let hosts: Vec<String> = free_ports(2)
        .into_iter()
        .map(|p| format!("127.0.0.1:{p}"))
        .collect();
    let hostfile = hostfile(dir, &hosts);
    let out = dir.join(format!("events-{round}.jsonl"));
    let mut extra = vec!["--chunk-bytes", "4000", "--throttle-ms", "200"];
    extra.extend_from_slice(more);
    let mut p1 = start_process(1, &[input], &hostfile, &out, &extra, None);
    let mut p0 = start_process(0, &[input], &hostfile, &out, &extra, None);
    // Let the run get under way (it lasts about 20 s).
    std::thread::sleep(Duration::from_millis(1500));
    assert!(p0.try_wait().unwrap().is_none() && p1.try_wait().unwrap().is_none());
    (p0, p1)
}

#[test]
fn a_killed_process_stops_the_others_with_a_clear_error_within_seconds() {
    let dir = scratch("kill");
    let input = dir.join("stream.jsonl");
    fs::write(&input, test_stream(600)).unwrap();
    for victim in [1, 0] {
        let (mut p0, mut p1) = running_pair(&dir, &input, victim, &[]);
        let (killed, survivor, survivor_id) = if victim == 1 {
            (&mut p1, &mut p0, 0)
        } else {
            (&mut p0, &mut p1, 1)
        };
        killed.kill().unwrap();
        killed.wait().unwrap();
        let (code, err, took) = wait_at_most(survivor, Duration::from_secs(10));
        assert_ne!(code, Some(0), "process {survivor_id} went on: {err}");
        assert!(code.is_some(), "process {survivor_id} hung: {err}");
        assert!(took < Duration::from_secs(5), "took {took:?}");
        assert!(
            err.contains(&format!(
                "error: process {survivor_id}: lost the connection to process {victim}"
            )),
            "{err}"
        );
    }
}

#[test]
fn a_frozen_process_stops_the_others_after_the_stall_timeout() {
    let dir = scratch("freeze");
    let input = dir.join("stream.jsonl");
    fs::write(&input, test_stream(600)).unwrap();
    for victim in [1, 0] {
        let (mut p0, mut p1) = running_pair(&dir, &input, victim, &["--stall-timeout", "2s"]);
        let (frozen, survivor, survivor_id) = if victim == 1 {
            (&mut p1, &mut p0, 0)
        } else {
            (&mut p0, &mut p1, 1)
        };
        // Frozen, not dead: its sockets stay open.
        let stopped = Command::new("kill")
            .args(["-STOP", &frozen.id().to_string()])
            .status()
            .unwrap();
        assert!(stopped.success());
        let (code, err, took) = wait_at_most(survivor, Duration::from_secs(15));
        frozen.kill().unwrap();
        frozen.wait().unwrap();
        assert!(code.is_some(), "process {survivor_id} hung: {err}");
        assert_ne!(code, Some(0), "process {survivor_id} went on: {err}");
        assert!(took < Duration::from_secs(8), "took {took:?}");
        assert!(
            err.contains(&format!(
                "error: process {survivor_id}: no progress for 2 s"
            )),
            "{err}"
        );
    }
}

#[test]
fn an_unreachable_peer_is_a_clear_error_within_the_timeout() {
    let dir = scratch("unreachable");
    let input = dir.join("stream.jsonl");
    fs::write(&input, synthetic_stream(50, 3)).unwrap();
    let hosts: Vec<String> = free_ports(2)
        .into_iter()
        .map(|p| format!("127.0.0.1:{p}"))
        .collect();
    let hostfile = hostfile(&dir, &hosts);
    let out = dir.join("events.jsonl");
    for (p, want) in [
        (
            1,
            format!("process 0 at {} did not answer within 2 s", hosts[0]),
        ),
        (0, "process(es) 1 did not connect in time".to_string()),
    ] {
        let started = Instant::now();
        let o = storyline()
            .arg("cluster")
            .arg(&input)
            .arg("--hosts")
            .arg(&hostfile)
            .args(["--process", &p.to_string(), "--connect-timeout", "2s", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(&want), "{err}");
        assert!(started.elapsed() < Duration::from_secs(6));
    }
}

#[test]
fn a_rerun_resumes_after_the_last_completed_input_file() {
    let dir = scratch("resume");
    let files: Vec<PathBuf> = (0..3).map(|k| dir.join(format!("part{k}.jsonl"))).collect();
    fs::write(&files[0], test_stream(150)).unwrap();
    fs::write(&files[1], synthetic_stream(300, 21)).unwrap();
    fs::write(&files[2], synthetic_stream(300, 22)).unwrap();
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let want = reference(&dir, &paths);
    let out = dir.join("events.jsonl");
    let checkpoint = dir.join("events.jsonl.checkpoint");
    let report = dir.join("report.json");
    // A run that dies in the middle of the second file.
    let mut child = storyline()
        .arg("cluster")
        .args(&paths)
        .args([
            "--workers",
            "2",
            "--chunk-bytes",
            "4000",
            "--throttle-ms",
            "100",
        ])
        .arg("-o")
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !checkpoint.exists() {
        assert!(started.elapsed() < Duration::from_secs(30), "no checkpoint");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = fs::read_to_string(&out).unwrap();
    assert!(
        partial.len() < want.len(),
        "the run finished before it was stopped"
    );
    // The re-run starts after the completed file(s) and ends with the uninterrupted output.
    let o = storyline()
        .arg("cluster")
        .args(&paths)
        .args(["--workers", "2", "--chunk-bytes", "4000", "-o"])
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("resuming after "), "{err}");
    let skipped = serde_json::from_str::<serde_json::Value>(&fs::read_to_string(&report).unwrap())
        .unwrap()["files_skipped"]
        .as_u64()
        .unwrap();
    assert!(skipped >= 1, "{err}");
    assert_eq!(fs::read_to_string(&out).unwrap(), want);
    // --fresh starts over.
    let o = storyline()
        .arg("cluster")
        .args(&paths)
        .args(["--workers", "2", "-o"])
        .arg(&out)
        .arg("--fresh")
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(!String::from_utf8_lossy(&o.stderr).contains("resuming"));
    assert_eq!(fs::read_to_string(&out).unwrap(), want);
}

#[test]
fn a_checkpoint_of_other_inputs_is_refused_with_a_clear_error() {
    let dir = scratch("mismatch");
    let a = dir.join("a.jsonl");
    let b = dir.join("b.jsonl");
    fs::write(&a, synthetic_stream(40, 1)).unwrap();
    fs::write(&b, synthetic_stream(40, 2)).unwrap();
    let out = dir.join("events.jsonl");
    let run = |input: &Path| {
        storyline()
            .arg("cluster")
            .arg(input)
            .args(["--workers", "1", "-o"])
            .arg(&out)
            .output()
            .unwrap()
    };
    assert!(run(&a).status.success());
    let o = run(&b);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("or pass --fresh"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

// ------------------------------------------------------------------ storyline run --hosts

/// A `.warc.gz` (one gzip member per record, as CC-NEWS files are) of pages made from the
/// articles of `jsonl`: plus request records, a page served twice under one address, a
/// 404, and a damaged member.
fn warc_gz_of(jsonl: &str) -> Vec<u8> {
    fn gz(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }
    fn record(kind: &str, uri: &str, n: usize, block: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{n:012}>\r\nWARC-Date: 2031-03-14T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        r.extend_from_slice(block);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }
    let mut members = Vec::new();
    let mut n = 0;
    for line in jsonl.lines() {
        let Ok(a) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(id), Some(title), Some(text)) =
            (a["id"].as_str(), a["title"].as_str(), a["text"].as_str())
        else {
            continue;
        };
        let source = a["source"].as_str().unwrap_or("wire.example");
        let host = source.replace(' ', "-").to_lowercase();
        let uri = format!("https://{host}.example/news/{id}");
        let paragraphs: String = text
            .split('\n')
            .map(|p| format!("<p>{}</p>", p.replace('<', "&lt;")))
            .collect();
        let date = a["date"].as_str().unwrap_or("");
        let html = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
             <link rel=\"canonical\" href=\"{uri}\"><meta property=\"og:site_name\" content=\"{source}\">\
             <meta property=\"article:published_time\" content=\"{date}\"></head><body>\
             <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>{title}</h1>\
             {paragraphs}</article><footer>Copyright {source}</footer></body></html>"
        );
        n += 1;
        members.push(gz(&record("request", &uri, n, b"GET / HTTP/1.1\r\n\r\n")));
        let status = if n % 41 == 9 {
            "404 Not Found"
        } else {
            "200 OK"
        };
        let http =
            format!("HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
        n += 1;
        let member = gz(&record("response", &uri, n, http.as_bytes()));
        if n % 50 == 0 {
            // Served again under the same address (a re-crawl).
            members.push(member.clone());
        }
        if n % 67 == 0 {
            let mut bad = member.clone();
            let mid = bad.len() / 2;
            bad[mid..mid + 6].copy_from_slice(b"XXXXXX");
            members.push(bad);
        }
        members.push(member);
    }
    members.concat()
}

/// Every article of a store with its event, and every event with its summary document.
fn store_contents(db: &Path) -> (Vec<String>, Vec<String>) {
    let conn = storyline_store::db::Connection::open(db).unwrap();
    let rows = |sql: &str| -> Vec<String> {
        let mut st = conn.prepare(sql).unwrap();
        let n = st.column_count();
        st.query_map([], |r| {
            let mut v = Vec::new();
            for k in 0..n {
                v.push(r.get::<_, String>(k)?);
            }
            Ok(v.join(" | "))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    (
        rows(
            "SELECT quote(seq), quote(id), quote(title), quote(text), quote(source), quote(url), \
             quote(date), quote(event_id), quote(duplicate_of) FROM articles ORDER BY seq",
        ),
        rows(
            "SELECT quote(id), quote(title), quote(first_date), quote(last_date), quote(articles), \
             quote(outlets), quote(lead), quote(dirty), quote(report) FROM events ORDER BY id",
        ),
    )
}

/// Issues and rejected pages reported on stderr, without timestamps, sorted.
fn reported(stderr: &[u8]) -> Vec<String> {
    let mut v: Vec<String> = String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.contains("WARN"))
        .map(|l| l[l.find("WARN").unwrap()..].to_string())
        .collect();
    v.sort();
    v
}

fn run_inputs(dir: &Path) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let a = dir.join("a.jsonl");
    fs::write(&a, test_stream(300)).unwrap();
    let pages = dir.join("crawl.warc.gz");
    fs::write(&pages, warc_gz_of(&synthetic_stream(200, 31))).unwrap();
    let b = dir.join("b.jsonl");
    fs::write(&b, synthetic_stream(200, 32)).unwrap();
    // A web input first: it is still read after the others, as `run` reads web inputs last.
    vec![pages, a, root.join("samples/harbor-strike"), b]
}

fn run_store(dir: &Path, inputs: &[PathBuf], db: &str, extra: &[&str]) -> (PathBuf, Output) {
    let db = dir.join(db);
    let out = storyline()
        .arg("run")
        .args(inputs)
        .arg("--db")
        .arg(&db)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{extra:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (db, out)
}

#[test]
fn run_on_workers_and_processes_fills_the_store_of_a_single_process_run() {
    let dir = scratch("run");
    let inputs = run_inputs(&dir);
    let (db, single) = run_store(&dir, &inputs, "single.db", &[]);
    let want = store_contents(&db);
    let want_reported = reported(&single.stderr);
    assert!(want.0.len() > 600, "{} articles", want.0.len());
    assert!(
        want.0.iter().filter(|a| a.contains("https://")).count() > 150,
        "pages were stored"
    );
    assert!(
        want_reported.iter().any(|r| r.contains("damaged gzip")),
        "{want_reported:?}"
    );
    assert!(
        want_reported.iter().any(|r| r.contains("line ")),
        "{want_reported:?}"
    );

    // Threads, with chunks small enough to cut every file (and the archive) many times.
    let (db, out) = run_store(
        &dir,
        &inputs,
        "threads.db",
        &["--workers", "3", "--chunk-bytes", "5000"],
    );
    assert_eq!(store_contents(&db), want, "--workers 3");
    assert_eq!(reported(&out.stderr), want_reported);

    // Two processes on loopback.
    let hosts: Vec<String> = free_ports(2)
        .into_iter()
        .map(|p| format!("127.0.0.1:{p}"))
        .collect();
    let hostfile = hostfile(&dir, &hosts);
    let db = dir.join("procs.db");
    let mut children: Vec<Child> = (0..2)
        .rev()
        .map(|p| {
            storyline()
                .arg("run")
                .args(&inputs)
                .arg("--db")
                .arg(&db)
                .arg("--hosts")
                .arg(&hostfile)
                .args(["--process", &p.to_string(), "--chunk-bytes", "7000"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children.reverse();
    let mut errs = Vec::new();
    for (p, child) in children.iter_mut().enumerate() {
        let (code, err, _) = wait_at_most(child, Duration::from_secs(60));
        assert_eq!(code, Some(0), "process {p}: {err}");
        errs.push(err);
    }
    assert_eq!(store_contents(&db), want, "2 processes");
    assert_eq!(reported(errs[0].as_bytes()), want_reported);
    // Process 1 summarized some of the events (their documents are in the store above).
    let summarized: usize = errs[1]
        .split("summarized and compared ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(summarized > 0, "{}", errs[1]);
}

#[test]
fn a_killed_run_on_workers_continues_after_its_last_completed_input() {
    let dir = scratch("run-resume");
    let inputs = run_inputs(&dir);
    let (db, _) = run_store(&dir, &inputs, "single.db", &[]);
    let want = store_contents(&db);
    let db = dir.join("resumed.db");
    let report = dir.join("report.json");
    let args = |extra: &[&str]| {
        let mut c = storyline();
        c.arg("run")
            .args(&inputs)
            .arg("--db")
            .arg(&db)
            .args(["--workers", "2", "--chunk-bytes", "4000"])
            .args(extra);
        c
    };
    let mut child = args(&["--throttle-ms", "60"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Stop it once the first input is recorded as completed.
    let started = Instant::now();
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no input completed"
        );
        std::thread::sleep(Duration::from_millis(50));
        let done = storyline_store::db::Connection::open(&db)
            .ok()
            .and_then(|c| {
                c.query_row("SELECT count(*) FROM completed_inputs", [], |r| {
                    r.get::<_, i64>(0)
                })
                .ok()
            })
            .unwrap_or(0);
        if done >= 1 {
            break;
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    child.kill().unwrap();
    child.wait().unwrap();
    let o = args(&["--report"]).arg(&report).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("completed by an earlier run"), "{err}");
    let skipped = serde_json::from_str::<serde_json::Value>(&fs::read_to_string(&report).unwrap())
        .unwrap()["files_skipped"]
        .as_u64()
        .unwrap();
    assert!(skipped >= 1);
    let (articles, events) = store_contents(&db);
    assert_eq!(articles.len(), want.0.len());
    // Same articles in the same events (the killed batch's articles may come back in
    // another order, so the sequence numbers may differ).
    let strip = |v: &[String]| {
        let mut v: Vec<String> = v
            .iter()
            .map(|a| a.split_once(" | ").unwrap().1.to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(strip(&articles), strip(&want.0));
    assert_eq!(events.len(), want.1.len());
}
