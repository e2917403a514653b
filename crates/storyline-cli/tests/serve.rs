//! The store across runs and crashes, as a user drives it: `storyline run` twice, `events` and
//! `event`, a `run` killed midway then continued, and ingest over HTTP across a kill -9 of
//! `storyline serve` (nothing lost, nothing twice, the store consistent).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use storyline_server::client::{self, ServeProcess};
use storyline_store::db;

fn storyline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyline"));
    c.env_remove("RUST_LOG");
    c
}

fn exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_storyline"))
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("storyline-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples")
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A made-up word for `n` (distinct numbers, distinct words).
fn word(mut n: usize) -> String {
    const SYL: [&str; 12] = [
        "ka", "lo", "mir", "ten", "vas", "dun", "pel", "ros", "bi", "gar", "fen", "tu",
    ];
    let mut w = String::new();
    for _ in 0..3 {
        w.push_str(SYL[n % SYL.len()]);
        n /= SYL.len();
    }
    w
}

/// `n` short articles, 20 per story; each story has its own town, bridge and ferry.
fn articles(n: usize) -> Vec<serde_json::Value> {
    (0..n)
        .map(|k| {
            let (story, j) = (k / 20, k % 20);
            let town = word(story * 3);
            let bridge = word(story * 3 + 1);
            let ferry = word(story * 3 + 2);
            serde_json::json!({
                "id": format!("s{story}-a{j}"),
                "title": format!("{town} closes the {bridge} bridge"),
                "text": format!(
                    "Officials in {town} said on Monday that the {bridge} bridge would close for repairs after inspectors found cracks in its supports.\n\
                     The {town} council approved {} million for the work, which is expected to take {} weeks.\n\
                     Residents were told to use the {ferry} ferry while the {bridge} bridge is closed, reporter {j} wrote.",
                    3 + story % 7,
                    2 + j % 5
                ),
                "source": format!("Outlet {}", j % 6),
                "date": format!("2024-{:02}-{:02}T{:02}:00:00Z", 1 + (story / 28) % 12, 1 + story % 28, j),
            })
        })
        .collect()
}

fn jsonl(records: &[serde_json::Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

/// `storyline run`'s final line: (new, already stored, store articles).
fn final_counts(stderr: &str) -> (usize, usize, usize) {
    let line = stderr.lines().last().unwrap_or_default();
    let number_before = |what: &str| -> usize {
        let at = line
            .find(what)
            .unwrap_or_else(|| panic!("{what:?} in {line}"));
        line[..at]
            .split_whitespace()
            .last()
            .and_then(|n| n.trim_start_matches('(').parse().ok())
            .unwrap_or_else(|| panic!("a number before {what:?} in {line}"))
    };
    let store = line.split("store now ").nth(1).expect("store counts");
    let articles = store.split_whitespace().next().unwrap().parse().unwrap();
    (
        number_before(" new articles"),
        number_before(" already stored"),
        articles,
    )
}

fn assert_consistent(path: &Path) {
    let conn = db::open(path).expect("open the store");
    let c = db::check(&conn).expect("check");
    assert!(c.is_consistent(), "{c:?}");
}

#[test]
fn a_second_run_on_the_samples_ingests_nothing_and_events_can_be_read() {
    let dir = scratch("rerun");
    let store = dir.join("s.db");
    let inputs = [
        samples().join("articles.jsonl"),
        samples().join("harbor-strike"),
    ];
    let run = || {
        storyline()
            .arg("run")
            .args(&inputs)
            .arg("--db")
            .arg(&store)
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success(), "{}", stderr_of(&first));
    let (new, already, total) = final_counts(&stderr_of(&first));
    assert!(
        new > 0 && already == 0 && total == new,
        "{}",
        stderr_of(&first)
    );

    let second = run();
    assert!(second.status.success(), "{}", stderr_of(&second));
    let line = stderr_of(&second);
    assert_eq!(final_counts(&line), (0, new, total), "{line}");
    assert!(line.contains("0 new events, 0 events summarized"), "{line}");

    let events = storyline()
        .args(["events", "--db"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(events.status.success());
    let listing = String::from_utf8_lossy(&events.stdout).into_owned();
    let id = listing
        .split_whitespace()
        .next()
        .expect("an event")
        .to_string();
    let search = storyline()
        .args(["events", "-s", "dockworkers strike", "-f", "json", "--db"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(search.status.success(), "{}", stderr_of(&search));
    let found: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0]["title"].as_str().unwrap().contains("strike"));
    let json = storyline()
        .args(["event", &id, "-f", "json", "--db"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(json.status.success(), "{}", stderr_of(&json));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON document");
    assert_eq!(doc["id"], id.as_str());
    assert!(!doc["summary"].as_array().unwrap().is_empty(), "{doc}");
    let markdown = storyline()
        .args(["event", &id, "-f", "markdown", "--db"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(markdown.status.success());
    assert!(String::from_utf8_lossy(&markdown.stdout).starts_with('#'));
    let missing = storyline()
        .args(["event", "no-such-event", "--db"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(stderr_of(&missing).contains("no event"));
    assert_consistent(&store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn storylines_are_listed_and_shown_with_their_events_and_an_event_names_its_storyline() {
    let dir = scratch("storylines");
    let store = dir.join("s.db");
    let run = storyline()
        .arg("run")
        .arg(samples().join("articles.jsonl"))
        .arg("--db")
        .arg(&store)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr_of(&run));
    let cmd = |args: &[&str]| {
        storyline()
            .args(args)
            .arg("--db")
            .arg(&store)
            .output()
            .unwrap()
    };
    let list = cmd(&["storylines", "-f", "json"]);
    assert!(list.status.success(), "{}", stderr_of(&list));
    let lines: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let lines = lines.as_array().unwrap();
    assert_eq!(
        lines
            .iter()
            .map(|l| l["events"].as_i64().unwrap())
            .sum::<i64>(),
        4
    );
    let id = lines[0]["id"].as_str().unwrap();
    let found = cmd(&["storylines", "-s", "Quillfield ransomware"]);
    assert!(found.status.success());
    assert_eq!(String::from_utf8_lossy(&found.stdout).lines().count(), 1);

    let shown = cmd(&["storyline", id]);
    assert!(shown.status.success(), "{}", stderr_of(&shown));
    let text = String::from_utf8_lossy(&shown.stdout).into_owned();
    let doc: serde_json::Value =
        serde_json::from_slice(&cmd(&["storyline", id, "-f", "json"]).stdout).unwrap();
    let timeline = doc["timeline"].as_array().unwrap();
    assert!(!timeline.is_empty());
    for e in timeline {
        assert!(text.contains(e["title"].as_str().unwrap()), "{text}");
        assert!(text.contains(e["lead"].as_str().unwrap()), "{text}");
    }
    let markdown = cmd(&["storyline", id, "-f", "markdown"]);
    assert!(String::from_utf8_lossy(&markdown.stdout).starts_with('#'));

    let missing = cmd(&["storyline", "no-such-line"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr_of(&missing).contains("no storyline \"no-such-line\""));

    let event = timeline[0]["id"].as_str().unwrap();
    let shown = cmd(&["event", event]);
    let text = String::from_utf8_lossy(&shown.stdout).into_owned();
    assert!(
        text.contains("Storyline: ") && text.contains(&format!("[{id}]")),
        "{text}"
    );
    if let Some(next) = timeline.get(1) {
        assert!(text.contains("next:") && text.contains(next["id"].as_str().unwrap()));
    }
    let json: serde_json::Value =
        serde_json::from_slice(&cmd(&["event", event, "-f", "json"]).stdout).unwrap();
    assert_eq!(json["storyline"], id);
    assert_consistent(&store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_run_killed_midway_is_continued_by_the_next_run() {
    let dir = scratch("killed-run");
    let (store, input) = (dir.join("s.db"), dir.join("a.jsonl"));
    let records = articles(4000);
    std::fs::write(&input, jsonl(&records)).unwrap();
    let mut child = storyline()
        .args(["run", "--batch", "50", "--db"])
        .arg(&store)
        .arg(&input)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once a few batches are stored.
    let deadline = Instant::now() + Duration::from_secs(30);
    let stored = loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before the kill"
        );
        let n = db::open_reader(&store)
            .and_then(|c| db::counts(&c))
            .map_or(0, |c| c.articles);
        if n >= 200 {
            break n;
        }
        assert!(Instant::now() < deadline, "nothing stored in 30 s");
        std::thread::sleep(Duration::from_millis(5));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert_consistent(&store);
    let left = db::counts(&db::open_reader(&store).unwrap()).unwrap();
    assert!(
        (stored as usize..records.len()).contains(&(left.articles as usize)),
        "killed midway: {left:?}"
    );

    let again = storyline()
        .args(["run", "--db"])
        .arg(&store)
        .arg(&input)
        .output()
        .unwrap();
    assert!(again.status.success(), "{}", stderr_of(&again));
    let (new, already, total) = final_counts(&stderr_of(&again));
    assert_eq!(
        (new, already, total),
        (
            records.len() - left.articles as usize,
            left.articles as usize,
            records.len()
        )
    );
    let end = db::counts(&db::open_reader(&store).unwrap()).unwrap();
    assert_eq!((end.articles, end.dirty), (records.len() as i64, 0));
    assert_consistent(&store);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every article, event (with its document) and event search entry of a store, as text.
fn store_rows(path: &Path) -> Vec<String> {
    db::contents(&db::open_reader(path).expect("open the store")).expect("read the store")
}

#[test]
fn a_run_on_many_threads_stores_what_a_one_thread_run_stores() {
    let dir = scratch("threads");
    let input = dir.join("a.jsonl");
    // Stories, a line that is not JSON, an article in German, ids repeated (stored once).
    let mut lines = jsonl(&articles(400));
    lines.push_str("not json\n");
    lines.push_str(&format!(
        "{}\n",
        serde_json::json!({
            "id": "de-1",
            "title": "Die Stadt schließt die Brücke",
            "text": "Die Behörden der Stadt haben am Montag mitgeteilt, dass die Brücke nach der Entdeckung von Rissen in ihren Stützen für Reparaturen geschlossen wird und die Bewohner die Fähre benutzen sollen."
        })
    ));
    lines.push_str(&jsonl(&articles(3)));
    std::fs::write(&input, lines).unwrap();
    let run = |name: &str, extra: &[&str]| {
        let store = dir.join(name);
        let out = storyline()
            .arg("run")
            .arg(&input)
            .arg(samples().join("articles.jsonl"))
            .arg(samples().join("harbor-strike"))
            .arg("--db")
            .arg(&store)
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{extra:?}: {}", stderr_of(&out));
        let mut warnings: Vec<String> = stderr_of(&out)
            .lines()
            .filter(|l| l.contains("WARN"))
            .map(str::to_string)
            .collect();
        warnings.sort();
        (store, warnings)
    };
    let (one, one_warnings) = run("one.db", &["--threads", "1"]);
    let want = store_rows(&one);
    assert!(want.len() > 420, "{} rows", want.len());
    assert!(
        one_warnings.iter().any(|w| w.contains("German"))
            && one_warnings
                .iter()
                .any(|w| w.contains("a.jsonl:401: skipped: not JSON")),
        "{one_warnings:?}"
    );
    // Three threads, with transactions of seven articles: many batches in flight.
    let (three, three_warnings) = run("three.db", &["--threads", "3", "--batch", "7"]);
    assert_eq!(store_rows(&three), want);
    assert_eq!(three_warnings, one_warnings);
    assert_consistent(&three);
    let _ = std::fs::remove_dir_all(&dir);
}

/// POSTs a JSONL batch with the server's write token; the ids the server stored and those it
/// already had.
fn post(server: &ServeProcess, body: &str) -> std::io::Result<(usize, usize)> {
    let token = server.token.as_deref().expect("the server's write token");
    post_as(server.addr, token, body)
}

fn post_as(addr: std::net::SocketAddr, token: &str, body: &str) -> std::io::Result<(usize, usize)> {
    let r = client::request_with(
        addr,
        "POST",
        "/api/articles?lang=any",
        &[
            ("Content-Type", "application/x-ndjson"),
            ("Authorization", &format!("Bearer {token}")),
        ],
        body.as_bytes(),
        Duration::from_secs(30),
    )?;
    assert_eq!(r.status, 200, "{}", r.text());
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let n = |k: &str| v[k].as_u64().unwrap() as usize;
    Ok((n("stored"), n("already_stored")))
}

#[test]
fn ingest_over_http_survives_a_kill_9_without_loss_or_duplicates() {
    let dir = scratch("http-kill");
    let store = dir.join("s.db");
    let records = articles(2000);
    let batches: Vec<String> = records.chunks(100).map(jsonl).collect();
    let limit = Duration::from_secs(30);
    let server = ServeProcess::start(exe(), &store, limit).unwrap();
    let (mut stored, mut already) = (0, 0);
    let mut acked = 0; // batches answered, in order
    for body in &batches[..8] {
        let (s, a) = post(&server, body).unwrap();
        (stored, already, acked) = (stored + s, already + a, acked + 1);
    }
    // The ninth batch is in flight when the server is killed.
    let addr = server.addr;
    let token = server.token.clone().expect("the server's write token");
    let body = batches[8].clone();
    let in_flight = std::thread::spawn(move || post_as(addr, &token, &body));
    std::thread::sleep(Duration::from_millis(15));
    server.kill().unwrap();
    if let Ok((s, a)) = in_flight.join().unwrap() {
        (stored, already, acked) = (stored + s, already + a, acked + 1);
    }
    assert_consistent(&store);
    let after_kill = db::counts(&db::open_reader(&store).unwrap()).unwrap();
    assert!(
        after_kill.articles as usize >= acked * 100,
        "{after_kill:?}"
    );

    let server = ServeProcess::start(exe(), &store, limit).unwrap();
    for body in &batches[acked..] {
        let (s, a) = post(&server, body).unwrap();
        (stored, already) = (stored + s, already + a);
    }
    // Everything again: all of it comes back as already stored.
    let all = jsonl(&records);
    let (s, a) = post(&server, &all).unwrap();
    assert_eq!((s, a), (0, records.len()));
    server.kill().unwrap();

    // Every batch was answered once; the in-flight batch, if the killed server committed
    // it without answering, came back as already stored.
    assert_eq!(stored + already, records.len());
    assert!(already == 0 || already == 100, "{already}");
    let conn = db::open(&store).unwrap();
    let ids: Vec<String> = conn
        .prepare("SELECT id FROM articles")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let distinct: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let sent: HashSet<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), records.len(), "no article twice");
    assert_eq!(distinct, sent, "every article, nothing else");
    assert_consistent(&store);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_makes_a_private_write_token_and_refuses_posts_without_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("token");
    let store = dir.join("s.db");
    let limit = Duration::from_secs(30);
    let body = jsonl(&articles(3));
    let count = |store: &Path| {
        db::counts(&db::open_reader(store).unwrap())
            .unwrap()
            .articles
    };
    let server = ServeProcess::start(exe(), &store, limit).unwrap();
    let token_file = dir.join("s.db.token");
    let mode = std::fs::metadata(&token_file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let token = server.token.clone().unwrap();
    assert_eq!(token.len(), 64);

    let send = |auth: Option<&str>| {
        let mut headers = vec![("Content-Type", "application/x-ndjson".to_string())];
        if let Some(a) = auth {
            headers.push(("Authorization", a.to_string()));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        client::request_with(
            server.addr,
            "POST",
            "/api/articles?lang=any",
            &headers,
            body.as_bytes(),
            limit,
        )
        .unwrap()
    };
    for auth in [None, Some("Bearer 0000000000000000000000000000000000")] {
        let r = send(auth);
        assert_eq!(r.status, 401, "{}", r.text());
        assert!(
            r.header("www-authenticate")
                .is_some_and(|v| v.starts_with("Bearer"))
        );
        assert!(r.text().contains("\"unauthorized\""), "{}", r.text());
    }
    assert_eq!(count(&store), 0, "nothing stored without the token");
    let r = send(Some(&format!("Bearer {token}")));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(count(&store), 3);
    let page = client::request(server.addr, "GET", "/", None, b"", limit).unwrap();
    assert_eq!(page.status, 200);
    assert!(
        page.header("content-security-policy")
            .is_some_and(|v| v.contains("default-src 'none'"))
    );
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    server.kill().unwrap();

    // The second start reuses the token; --read-only refuses even it.
    let again = ServeProcess::start(exe(), &store, limit).unwrap();
    assert_eq!(again.token.as_deref(), Some(token.as_str()));
    again.kill().unwrap();
    let read_only = ServeProcess::start_with(exe(), &store, &["--read-only"], limit).unwrap();
    let r = client::request_with(
        read_only.addr,
        "POST",
        "/api/articles?lang=any",
        &[
            ("Content-Type", "application/x-ndjson"),
            ("Authorization", &format!("Bearer {token}")),
        ],
        body.as_bytes(),
        limit,
    )
    .unwrap();
    assert_eq!(r.status, 403, "{}", r.text());
    read_only.kill().unwrap();
    assert_eq!(count(&store), 3);
    let _ = std::fs::remove_dir_all(&dir);
}
