//! The polite fetcher against a server on 127.0.0.1 started here.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use storyline_feed::fetch::{FetchError, FetchOptions, Fetched, Fetcher, Validators};

type Log = Arc<Mutex<Vec<(String, HashMap<String, String>, Instant)>>>;

fn serve(
    route: fn(&str, &HashMap<String, String>) -> (u16, Vec<(&'static str, String)>, Vec<u8>),
) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = Arc::clone(&seen);
            std::thread::spawn(move || answer(stream, route, &seen));
        }
    });
    (base, log)
}

fn answer(
    mut stream: TcpStream,
    route: fn(&str, &HashMap<String, String>) -> (u16, Vec<(&'static str, String)>, Vec<u8>),
    log: &Log,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    let _ = reader.read_line(&mut line);
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
    log.lock()
        .unwrap()
        .push((path.clone(), headers.clone(), Instant::now()));
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

const MODIFIED: &str = "Thu, 13 Mar 2031 14:05:00 GMT";

fn route(
    path: &str,
    headers: &HashMap<String, String>,
) -> (u16, Vec<(&'static str, String)>, Vec<u8>) {
    match path {
        "/robots.txt" => (
            200,
            vec![],
            b"User-agent: storyline\nCrawl-delay: 0.3\n".to_vec(),
        ),
        "/feed.xml" => {
            if headers.get("if-modified-since").map(String::as_str) == Some(MODIFIED) {
                return (304, vec![], vec![]);
            }
            (
                200,
                vec![("Last-Modified", MODIFIED.to_string())],
                b"<rss/>".to_vec(),
            )
        }
        "/busy" => (503, vec![], vec![]),
        "/slow-loris" => {
            std::thread::sleep(Duration::from_secs(3));
            (200, vec![], b"late".to_vec())
        }
        _ => (404, vec![], vec![]),
    }
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchOptions {
        host_delay: Duration::ZERO,
        timeout: Duration::from_secs(5),
        first_backoff: Duration::from_secs(30),
        ..FetchOptions::default()
    })
}

#[test]
fn last_modified_is_sent_back_and_a_304_is_not_modified() {
    let (base, log) = serve(route);
    let mut f = fetcher();
    let url = format!("{base}/feed.xml");
    let Ok(Fetched::Body {
        validators, bytes, ..
    }) = f.get(&url, &Validators::default())
    else {
        panic!("a body");
    };
    assert_eq!(bytes, b"<rss/>");
    assert_eq!(validators.last_modified.as_deref(), Some(MODIFIED));
    assert_eq!(f.get(&url, &validators), Ok(Fetched::NotModified));
    let log = log.lock().unwrap();
    let ua = &log.last().unwrap().1["user-agent"];
    assert!(ua.starts_with("storyline/"), "{ua}");
}

#[test]
fn robots_crawl_delay_spaces_requests_to_one_host() {
    let (base, log) = serve(route);
    let mut f = fetcher();
    let url = format!("{base}/feed.xml");
    for _ in 0..3 {
        f.get(&url, &Validators::default()).unwrap();
    }
    let log = log.lock().unwrap();
    let feeds: Vec<Instant> = log
        .iter()
        .filter(|(p, ..)| p == "/feed.xml")
        .map(|(_, _, t)| *t)
        .collect();
    assert_eq!(feeds.len(), 3);
    assert_eq!(log.iter().filter(|(p, ..)| p == "/robots.txt").count(), 1);
    for w in feeds.windows(2) {
        assert!(
            w[1] - w[0] >= Duration::from_millis(280),
            "{:?}",
            w[1] - w[0]
        );
    }
}

#[test]
fn a_503_without_retry_after_rests_the_host_and_later_requests_are_not_sent() {
    let (base, log) = serve(route);
    let mut f = fetcher();
    let err = f.get(&format!("{base}/busy"), &Validators::default());
    assert_eq!(
        err,
        Err(FetchError::Throttled {
            status: 503,
            retry_after: Duration::from_secs(30)
        })
    );
    let started = Instant::now();
    let err = f.get(&format!("{base}/feed.xml"), &Validators::default());
    assert!(matches!(err, Err(FetchError::Resting(_))), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(1), "not waited for");
    assert!(!log.lock().unwrap().iter().any(|(p, ..)| p == "/feed.xml"));
}

fn moves(path: &str, _: &HashMap<String, String>) -> (u16, Vec<(&'static str, String)>, Vec<u8>) {
    match path {
        "/robots.txt" => (
            200,
            vec![],
            b"User-agent: *\nDisallow: /private/\n".to_vec(),
        ),
        "/old" => (301, vec![("Location", "/new".to_string())], vec![]),
        "/new" => (200, vec![], b"here".to_vec()),
        "/sneaky" => (302, vec![("Location", "/private/x".to_string())], vec![]),
        "/a" => (302, vec![("Location", "/b".to_string())], vec![]),
        "/b" => (302, vec![("Location", "/a".to_string())], vec![]),
        _ => (404, vec![], vec![]),
    }
}

#[test]
fn redirects_are_followed_checked_against_robots_and_loops_stopped() {
    let (base, log) = serve(moves);
    let mut f = fetcher();
    let Ok(Fetched::Body { url, bytes, .. }) =
        f.get(&format!("{base}/old"), &Validators::default())
    else {
        panic!("followed");
    };
    assert_eq!((url, bytes), (format!("{base}/new"), b"here".to_vec()));
    assert_eq!(
        f.get(&format!("{base}/sneaky"), &Validators::default()),
        Err(FetchError::Robots)
    );
    assert_eq!(
        f.get(&format!("{base}/a"), &Validators::default()),
        Err(FetchError::Redirects)
    );
    let log = log.lock().unwrap();
    assert!(!log.iter().any(|(p, ..)| p.starts_with("/private")));
    assert!(log.iter().filter(|(p, ..)| p == "/a").count() == 1);
}

#[test]
fn a_server_that_does_not_answer_in_time_is_a_timeout() {
    let (base, _) = serve(route);
    let mut f = Fetcher::new(FetchOptions {
        host_delay: Duration::ZERO,
        timeout: Duration::from_secs(1),
        robots: false,
        ..FetchOptions::default()
    });
    let started = Instant::now();
    let err = f.get(&format!("{base}/slow-loris"), &Validators::default());
    assert_eq!(err, Err(FetchError::Timeout));
    assert!(started.elapsed() < Duration::from_millis(2500));
}

/// `body` as a brotli stream of one uncompressed meta-block (RFC 7932 §9.2), so that the
/// test needs no compressor: window bits 16, a meta-block header with 4 length nibbles and
/// ISUNCOMPRESSED, the bytes, then an empty last meta-block.
fn brotli_stored(body: &[u8]) -> Vec<u8> {
    assert!(!body.is_empty() && body.len() <= 1 << 16);
    let header: u32 = (((body.len() - 1) as u32) << 4) | (1 << 20);
    let mut out = header.to_le_bytes()[..3].to_vec();
    out.extend_from_slice(body);
    out.push(0b11); // ISLAST, ISLASTEMPTY
    out
}

fn encoded(
    path: &str,
    headers: &HashMap<String, String>,
) -> (u16, Vec<(&'static str, String)>, Vec<u8>) {
    let feed =
        b"<rss version=\"2.0\"><channel><item><title>Brotli news</title></item></channel></rss>";
    let accepts_br = headers
        .get("accept-encoding")
        .is_some_and(|a| a.split(',').any(|e| e.trim() == "br"));
    match path {
        "/br.xml" if accepts_br => (
            200,
            vec![("Content-Encoding", "br".into())],
            brotli_stored(feed),
        ),
        "/br.xml" => (406, vec![], vec![]),
        // A small brotli body that expands past the body limit.
        "/bomb" => (
            200,
            vec![("Content-Encoding", "br".into())],
            brotli_stored(&[b'x'; 60_000]),
        ),
        _ => (404, vec![], vec![]),
    }
}

#[test]
fn brotli_bodies_are_asked_for_and_decoded_within_the_body_limit() {
    let (base, _) = serve(encoded);
    let mut f = Fetcher::new(FetchOptions {
        host_delay: Duration::ZERO,
        timeout: Duration::from_secs(5),
        max_body_bytes: 50_000,
        robots: false,
        ..FetchOptions::default()
    });
    let Ok(Fetched::Body { bytes, .. }) = f.get(&format!("{base}/br.xml"), &Validators::default())
    else {
        panic!("a decoded body");
    };
    let parsed = storyline_feed::parse(&bytes, None, &storyline_feed::Limits::default()).unwrap();
    assert_eq!(parsed.entries[0].title, "Brotli news");
    assert_eq!(
        f.get(&format!("{base}/bomb"), &Validators::default()),
        Err(FetchError::TooLarge(50_000))
    );
}
