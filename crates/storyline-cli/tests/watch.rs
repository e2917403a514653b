//! `storyline watch` and `storyline sources` against a local HTTP server started here
//! (loopback only): good feeds, every fault a source can have, and a restart.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

fn storyline() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyline"));
    c.env_remove("RUST_LOG");
    c
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("storyline-watch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// What the server answers: status, extra headers, body.
type Reply = (u16, Vec<(String, String)>, Vec<u8>);

/// A tiny HTTP/1.1 server on 127.0.0.1 (one thread per connection, `Connection: close`);
/// counts the requests per path.
struct Server {
    base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    fn start(route: fn(&str, &HashMap<String, String>) -> Reply) -> Server {
        Server::start_on("127.0.0.1:0", route)
    }

    /// On another loopback address (127.0.0.2 is another host to a client).
    fn start_on(addr: &str, route: fn(&str, &HashMap<String, String>) -> Reply) -> Server {
        let listener = TcpListener::bind(addr).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let counted = Arc::clone(&hits);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let counted = Arc::clone(&counted);
                std::thread::spawn(move || handle(stream, route, &counted));
            }
        });
        Server { base, hits }
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn handle(
    mut stream: TcpStream,
    route: fn(&str, &HashMap<String, String>) -> Reply,
    hits: &Mutex<HashMap<String, usize>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    *hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    let (status, extra, body) = route(&path, &headers);
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in extra {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
    (
        200,
        vec![("Content-Type".into(), content_type.into())],
        body.into(),
    )
}

fn page(title: &str, para: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>{title}</title></head><body><article><h1>{title}</h1>\
         <p>{para}</p><p>{para}</p><p>{para}</p></article><script>var leaked = 'SCRIPT';</script></body></html>"
    )
    .into_bytes()
}

fn rss(items: &[(&str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>The Harbor Ledger</title><link>/</link>",
    );
    for (title, link) in items {
        s.push_str(&format!(
            "<item><title>{title}</title><link>{link}</link><description>Short summary of {title}.</description>\
             <pubDate>Thu, 13 Mar 2031 14:05:00 GMT</pubDate></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

const STRIKE: &str = "Dock workers in Port Aldren ended their twelve-day strike on Thursday after the \
    harbor authority agreed to a four percent raise, and the first ships entered the port at noon.";
const FERRY: &str = "The ferry service between Aldren and the islands resumed on Friday morning with \
    extra sailings to clear the queue of cars that built up during the dock strike.";

fn route(path: &str, headers: &HashMap<String, String>) -> Reply {
    match path {
        "/robots.txt" => ok("text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/good.xml" => {
            if headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
                return (304, vec![], vec![]);
            }
            let mut r = ok(
                "application/rss+xml",
                rss(&[
                    ("Dockworkers end strike", "/a1.html"),
                    ("Ferries run again", "/a2.html"),
                ]),
            );
            r.1.push(("ETag".into(), "\"v1\"".into()));
            r
        }
        // No validators: fetched in full every time; its entry was seen already.
        "/plain.xml" => ok(
            "application/rss+xml",
            rss(&[
                ("Dockworkers end strike", "/a1.html"),
                ("Storm page gone", "/gone.html"),
            ]),
        ),
        "/a1.html" => ok(
            "text/html; charset=utf-8",
            page("Dockworkers end strike", STRIKE),
        ),
        "/a2.html" => ok("text/html", page("Ferries run again", FERRY)),
        "/bad.xml" => ok(
            "application/rss+xml",
            "<?xml version=\"1.0\"?><rss><channel><item><title>Unclosed",
        ),
        "/homepage" => ok(
            "text/html",
            page("Welcome", "This is a home page, not a feed."),
        ),
        "/busy.xml" => (
            429,
            vec![("Retry-After".into(), "3600".into())],
            b"slow down".to_vec(),
        ),
        "/loop.xml" => (302, vec![("Location".into(), "/loop.xml".into())], vec![]),
        "/huge.xml" => ok("application/rss+xml", vec![b'x'; 300_000]),
        "/private/feed.xml" => ok("application/rss+xml", rss(&[("Secret", "/private/s.html")])),
        "/many.xml" => {
            let items: Vec<(String, String)> = (0..12)
                .map(|k| {
                    (
                        format!("Harbor report number {k}"),
                        format!("/slow/{k}.html"),
                    )
                })
                .collect();
            let refs: Vec<(&str, &str)> = items
                .iter()
                .map(|(t, l)| (t.as_str(), l.as_str()))
                .collect();
            ok("application/rss+xml", rss(&refs))
        }
        p if p.starts_with("/slow/") => {
            std::thread::sleep(std::time::Duration::from_millis(150));
            ok("text/html", page(&format!("Harbor report {p}"), STRIKE))
        }
        _ => (404, vec![], b"not found".to_vec()),
    }
}

fn run(cmd: &mut Command) -> (Output, String, String) {
    let out = cmd.output().expect("run storyline");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

fn watch_once(feeds: &PathBuf, db: &PathBuf) -> (Output, String, String) {
    run(storyline()
        .arg("watch")
        .arg(feeds)
        .arg("--db")
        .arg(db)
        .args([
            "--once",
            "--interval",
            "1",
            "--host-delay",
            "0",
            "--timeout",
            "5",
            "--max-body-bytes",
            "100000",
            "--lang",
            "any",
        ]))
}

fn sources(db: &PathBuf) -> HashMap<String, serde_json::Value> {
    let (out, stdout, stderr) = run(storyline().arg("sources").arg("--json").arg("--db").arg(db));
    assert!(out.status.success(), "{stderr}");
    stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["url"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

#[test]
fn every_broken_source_is_reported_and_the_good_ones_stored_and_a_restart_fetches_nothing_twice() {
    let server = Server::start(route);
    // A host that answers 429 rests as a whole: it gets a server of its own.
    let busy = Server::start(route);
    let dir = scratch("faults");
    let db = dir.join("news.db");
    let b = &server.base;
    let bb = &busy.base;
    let feeds = dir.join("feeds.txt");
    std::fs::write(
        &feeds,
        format!(
            "# a test\n{b}/good.xml\n{b}/bad.xml\n{b}/homepage\n{bb}/busy.xml\n{b}/loop.xml\n\
             {b}/huge.xml\n{b}/private/feed.xml\nhttp://127.0.0.1:1/dead.xml\n"
        ),
    )
    .unwrap();
    let (out, _, stderr) = watch_once(&feeds, &db);
    assert!(out.status.success(), "{stderr}");
    let s = sources(&db);
    let good = &s[&format!("{b}/good.xml")];
    assert_eq!(good["status"], "ok", "{good}");
    assert_eq!(good["new_articles"], 2, "{good}");
    assert_eq!(good["outlet"], "The Harbor Ledger");
    let error_of = |path: &str| -> String {
        let v = &s[path];
        assert_eq!(v["status"], "error", "{v}");
        assert_eq!(v["failures"], 1, "{v}");
        v["error"].as_str().unwrap().to_string()
    };
    assert!(error_of(&format!("{b}/bad.xml")).contains("malformed"));
    assert!(error_of(&format!("{b}/homepage")).contains("HTML page"));
    let busy_url = format!("{}/busy.xml", busy.base);
    let why = error_of(&busy_url);
    assert!(why.contains("429") && why.contains("3600"), "{why}");
    assert!(
        s[&busy_url]["next_fetch"].as_i64().unwrap()
            >= s[&busy_url]["last_fetch"].as_i64().unwrap() + 3600
    );
    assert!(error_of(&format!("{b}/loop.xml")).contains("redirects"));
    assert!(error_of(&format!("{b}/huge.xml")).contains("over the limit"));
    assert!(error_of(&format!("{b}/private/feed.xml")).contains("robots.txt"));
    assert!(error_of("http://127.0.0.1:1/dead.xml").contains("connect"));
    assert_eq!(server.hits("/private/feed.xml"), 0, "robots.txt honoured");
    assert_eq!(server.hits("/robots.txt"), 1, "robots.txt cached");

    // The articles are stored, with the page's text and without its script.
    let (out, stdout, stderr) = run(storyline()
        .args(["events", "--format", "json", "--db"])
        .arg(&db));
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("Dockworkers") || stdout.contains("strike"),
        "{stdout}"
    );
    assert!(!stdout.contains("SCRIPT"), "{stdout}");

    // A restart: the good feed answers 304 to its ETag; a feed without validators repeats an
    // entry already stored: no page is fetched twice.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&feeds, format!("{b}/good.xml\n{b}/plain.xml\n")).unwrap();
    let (out, _, stderr) = watch_once(&feeds, &db);
    assert!(out.status.success(), "{stderr}");
    let s = sources(&db);
    assert_eq!(s[&format!("{b}/good.xml")]["status"], "not modified");
    assert_eq!(s[&format!("{b}/plain.xml")]["status"], "ok");
    assert_eq!(
        server.hits("/a1.html"),
        1,
        "a stored entry's page is not fetched again"
    );
    assert_eq!(server.hits("/a2.html"), 1);
    assert_eq!(server.hits("/good.xml"), 2);
    // The page that is gone: the entry's own content is kept.
    assert_eq!(s[&format!("{b}/plain.xml")]["new_articles"], 1);
}

#[test]
fn a_watch_killed_mid_round_resumes_without_losing_or_refetching_pages() {
    let server = Server::start(route);
    let dir = scratch("kill");
    let db = dir.join("news.db");
    let feeds = dir.join("feeds.txt");
    std::fs::write(&feeds, format!("{}/many.xml\n", server.base)).unwrap();
    let mut child = storyline()
        .arg("watch")
        .arg(&feeds)
        .arg("--db")
        .arg(&db)
        .args(["--interval", "600", "--host-delay", "0", "--lang", "any"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let pages = |s: &Server| {
        (0..12)
            .map(|k| s.hits(&format!("/slow/{k}.html")))
            .sum::<usize>()
    };
    let started = std::time::Instant::now();
    while pages(&server) < 4 && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = pages(&server);
    assert!((4..12).contains(&before), "killed after {before} pages");
    let (out, _, stderr) = watch_once(&feeds, &db);
    assert!(out.status.success(), "{stderr}");
    let s = sources(&db);
    let many = &s[&format!("{}/many.xml", server.base)];
    assert_eq!(many["entries_seen"], 12, "{many}");
    for k in 0..12 {
        assert!(
            server.hits(&format!("/slow/{k}.html")) >= 1,
            "page {k} never fetched"
        );
    }
    // At most the page in flight at the kill is fetched again.
    assert!(
        pages(&server) <= 13,
        "{} page fetches for 12 pages",
        pages(&server)
    );
}

/// GET over loopback; the body.
fn http_get(base: &str, path: &str) -> String {
    let addr = base.trim_start_matches("http://");
    let Ok(mut s) = TcpStream::connect(addr) else {
        return String::new();
    };
    let _ = write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    let mut out = String::new();
    let _ = std::io::Read::read_to_string(&mut s, &mut out);
    out
}

#[test]
fn watch_serve_shows_the_events_of_the_feeds_as_they_come() {
    let server = Server::start(route);
    let dir = scratch("serve");
    let db = dir.join("news.db");
    let feeds = dir.join("feeds.txt");
    std::fs::write(&feeds, format!("{}/good.xml\n", server.base)).unwrap();
    let mut child = storyline()
        .arg("watch")
        .arg(&feeds)
        .arg("--db")
        .arg(&db)
        .args([
            "--serve",
            "--port",
            "0",
            "--once",
            "--host-delay",
            "0",
            "--lang",
            "any",
        ])
        .env(
            "STORYLINE_WRITE_TOKEN",
            "a-test-token-that-is-long-enough-0123456789",
        )
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        let line = lines.next().expect("the serving line").unwrap();
        if let Some(at) = line.find("http://127.0.0.1:") {
            let url = line[at..].split_whitespace().next().unwrap().to_string();
            break url;
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let started = std::time::Instant::now();
    let mut body = String::new();
    while started.elapsed().as_secs() < 60 {
        body = http_get(&base, "/api/events");
        if body.contains("Dockworkers") || body.contains("strike") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        body.contains("Dockworkers") || body.contains("strike"),
        "{body}"
    );
}

/// Which version of the rewritten story `route_rewrite` serves (1 or 2).
static REWRITE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

const BRIDGE_V1: &str = "The Aldren bridge reopened to traffic on Monday after three weeks of \
    repairs by city crews, and the first buses crossed it in the morning.";
const BRIDGE_V2: &str = "The Aldren bridge closed again on Tuesday because inspectors found a \
    crack in the main span, a day after it had reopened to traffic.";

fn route_rewrite(path: &str, _: &HashMap<String, String>) -> Reply {
    let v = REWRITE.load(std::sync::atomic::Ordering::SeqCst);
    let (updated, text) = if v == 1 {
        ("2031-03-13T09:00:00Z", BRIDGE_V1)
    } else {
        ("2031-03-14T08:00:00Z", BRIDGE_V2)
    };
    match path {
        // No validators: the feed comes in full at every fetch.
        "/rw.xml" => ok(
            "application/rss+xml",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\" xmlns:dcterms=\"http://purl.org/dc/terms/\">\
                 <channel><title>Aldren Post</title>\
                 <item><title>Aldren bridge news</title><link>/rw.html</link><guid>bridge-1</guid>\
                 <pubDate>Thu, 13 Mar 2031 08:00:00 GMT</pubDate><dcterms:modified>{updated}</dcterms:modified>\
                 <description>{text}</description></item></channel></rss>"
            ),
        ),
        "/rw.html" => ok("text/html", page("Aldren bridge news", text)),
        _ => (404, vec![], b"not found".to_vec()),
    }
}

fn events_json(db: &PathBuf) -> String {
    let (out, stdout, stderr) = run(storyline()
        .args(["events", "--format", "json", "--db"])
        .arg(db));
    assert!(out.status.success(), "{stderr}");
    stdout
}

#[test]
fn a_rewritten_entry_is_read_again_and_an_unchanged_one_is_not() {
    let server = Server::start(route_rewrite);
    let dir = scratch("rewrite");
    let db = dir.join("news.db");
    let feeds = dir.join("feeds.txt");
    std::fs::write(&feeds, format!("{}/rw.xml\n", server.base)).unwrap();

    let (out, _, stderr) = watch_once(&feeds, &db);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(server.hits("/rw.html"), 1);
    assert!(events_json(&db).contains("repairs"));

    // The same entry again: its page is not fetched twice.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (out, _, stderr) = watch_once(&feeds, &db);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(server.hits("/rw.xml"), 2);
    assert_eq!(
        server.hits("/rw.html"),
        1,
        "an unchanged entry is not read again"
    );

    // Rewritten (a new update time and new content): read again, the article revised.
    REWRITE.store(2, std::sync::atomic::Ordering::SeqCst);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (out, _, stderr) = watch_once(&feeds, &db);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("1 revised"), "{stderr}");
    assert_eq!(server.hits("/rw.html"), 2);
    let events = events_json(&db);
    assert!(events.contains("crack"), "{events}");
    assert!(!events.contains("repairs"), "{events}");

    // And not again after that.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (out, _, stderr) = watch_once(&feeds, &db);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(server.hits("/rw.html"), 2);
}

/// Requests in flight and the most seen at once: in all, and per `Host` header.
type InFlight = (usize, usize, HashMap<String, (usize, usize)>);
static IN_FLIGHT: Mutex<Option<InFlight>> = Mutex::new(None);

fn route_slow_sites(path: &str, headers: &HashMap<String, String>) -> Reply {
    let host = headers.get("host").cloned().unwrap_or_default();
    let enter = |d: isize| {
        let mut g = IN_FLIGHT.lock().unwrap();
        let (all, all_max, per) = g.get_or_insert_with(Default::default);
        *all = all.wrapping_add_signed(d);
        *all_max = (*all_max).max(*all);
        let (n, max) = per.entry(host.clone()).or_default();
        *n = n.wrapping_add_signed(d);
        *max = (*max).max(*n);
    };
    match path {
        "/site.xml" => ok(
            "application/rss+xml",
            rss(&[
                ("Harbor report one", "/slow/1.html"),
                ("Harbor report two", "/slow/2.html"),
                ("Harbor report three", "/slow/3.html"),
            ]),
        ),
        p if p.starts_with("/slow/") => {
            enter(1);
            std::thread::sleep(std::time::Duration::from_millis(300));
            enter(-1);
            ok(
                "text/html",
                page(&format!("Harbor report {p} {host}"), STRIKE),
            )
        }
        _ => (404, vec![], b"not found".to_vec()),
    }
}

#[test]
fn several_sites_are_fetched_at_once_and_each_host_one_request_at_a_time() {
    let a = Server::start(route_slow_sites);
    let b = Server::start_on("127.0.0.2:0", route_slow_sites);
    let dir = scratch("sites");
    let db = dir.join("news.db");
    let feeds = dir.join("feeds.txt");
    std::fs::write(
        &feeds,
        format!("{}/site.xml\n{}/site.xml\n", a.base, b.base),
    )
    .unwrap();
    let (out, _, stderr) = watch_once(&feeds, &db);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("6 articles stored"), "{stderr}");
    let g = IN_FLIGHT.lock().unwrap();
    let (_, all_max, per) = g.as_ref().expect("pages were fetched");
    assert_eq!(*all_max, 2, "the two sites at once");
    assert_eq!(per.len(), 2, "{per:?}");
    for (host, (_, max)) in per {
        assert_eq!(*max, 1, "{host}: one request at a time");
    }
}
