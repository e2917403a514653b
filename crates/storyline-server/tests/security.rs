//! Safe to put on a network: writes need the token, reads can be closed, every answer carries
//! the security headers, and one client cannot starve the others.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use storyline_server::auth::{self, TokenSource};
use storyline_server::{Access, AppState, ClientLimits, ServerOptions, Token, Writes, router};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

mod common;
use common::{Fixture, served};

const WRITE: &str = "write-token-for-tests-0123456789";
const READ: &str = "read-token-for-tests-9876543210";
const ARTICLE: &str = r#"{"id":"w1","title":"Tram line approved","text":"The Zarnow council approved a tram line on Monday after a long debate."}"#;

/// An empty store served with `opts`.
fn fixture(opts: ServerOptions) -> Fixture {
    served(opts, 1, &[])
}

fn options(writes: Writes, read_token: Option<&str>) -> ServerOptions {
    ServerOptions {
        access: Access {
            writes,
            read_token: read_token.map(|t| Token::new(t).unwrap()),
        },
        ..ServerOptions::default()
    }
}

fn writable() -> ServerOptions {
    options(Writes::Token(Token::new(WRITE).unwrap()), None)
}

async fn call(state: &Arc<AppState>, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let resp = router(Arc::clone(state)).oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn post(auth: Option<&str>) -> Request<Body> {
    let mut r = Request::post("/api/articles").header("content-type", "application/json");
    if let Some(a) = auth {
        r = r.header("authorization", a);
    }
    r.body(Body::from(ARTICLE)).unwrap()
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

async fn stored_articles(state: &Arc<AppState>) -> i64 {
    json(&call(state, get("/api/status")).await.2)["articles"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn writes_without_the_right_token_get_401_and_store_nothing() {
    let f = fixture(writable());
    for (auth, challenge) in [
        (None, "Bearer realm=\"storyline\""),
        (
            Some("Bearer not-the-write-token-at-all"),
            "Bearer realm=\"storyline\", error=\"invalid_token\"",
        ),
        (Some("Basic d3JpdGU6dG9rZW4="), "Bearer realm=\"storyline\""),
        (
            Some(&format!("Bearer {WRITE}x")[..]),
            "Bearer realm=\"storyline\", error=\"invalid_token\"",
        ),
    ] {
        let (status, headers, body) = call(&f.state, post(auth)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}: {body}");
        assert_eq!(json(&body)["error"]["code"], "unauthorized", "{body}");
        assert_eq!(headers["www-authenticate"], challenge);
        assert_eq!(stored_articles(&f.state).await, 0, "{auth:?} stored");
    }
    let (status, _, body) = call(&f.state, post(Some(&format!("Bearer {WRITE}")))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["stored"], 1);
    assert_eq!(stored_articles(&f.state).await, 1);
}

#[tokio::test]
async fn a_read_only_server_refuses_every_write_with_403() {
    let f = fixture(options(Writes::Refused, None));
    for auth in [None, Some(format!("Bearer {WRITE}"))] {
        let (status, _, body) = call(&f.state, post(auth.as_deref())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(json(&body)["error"]["code"], "read_only");
    }
    // Any method that could change state, on any path.
    let del = Request::delete("/api/articles/w1")
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&f.state, del).await.0, StatusCode::FORBIDDEN);
    assert_eq!(stored_articles(&f.state).await, 0);
    assert_eq!(call(&f.state, get("/api/events")).await.0, StatusCode::OK);
}

#[test]
fn the_token_file_is_created_with_mode_0600_and_reused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("news.db");
    let (first, source) = auth::load_or_create(&db, None).unwrap();
    let path = dir.path().join("news.db.token");
    assert_eq!(source, TokenSource::Created(path.clone()));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(first.expose().len(), 64);

    let (second, source) = auth::load_or_create(&db, None).unwrap();
    assert_eq!(source, TokenSource::File(path.clone()));
    assert_eq!(second, first, "a second start reuses the token");

    let (given, source) = auth::load_or_create(&db, Some(WRITE)).unwrap();
    assert_eq!((given.expose(), source), (WRITE, TokenSource::Given));
    assert!(auth::load_or_create(&db, Some("short")).is_err());

    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = auth::load_or_create(&db, None).unwrap_err().to_string();
    assert!(e.contains("other users may read it"), "{e}");
}

#[tokio::test]
async fn security_headers_are_on_pages_api_and_errors() {
    let f = fixture(writable());
    for (uri, status) in [
        ("/", StatusCode::OK),
        ("/api/events", StatusCode::OK),
        ("/api/status", StatusCode::OK),
        ("/api/openapi.json", StatusCode::OK),
        ("/events/nope", StatusCode::NOT_FOUND),
        ("/api/nope", StatusCode::NOT_FOUND),
    ] {
        let (got, h, _) = call(&f.state, get(uri)).await;
        assert_eq!(got, status, "{uri}");
        assert_eq!(h["content-security-policy"], storyline_server::CSP, "{uri}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{uri}");
        assert_eq!(h["x-frame-options"], "DENY", "{uri}");
        assert!(
            h.get("access-control-allow-origin").is_none(),
            "{uri}: no CORS by default"
        );
    }
    let (_, h, _) = call(&f.state, post(None)).await;
    assert_eq!(h["x-frame-options"], "DENY", "on a 401 too");
    assert!(storyline_server::CSP.contains("frame-ancestors 'none'"));
    assert!(storyline_server::CSP.contains("default-src 'none'"));
}

#[tokio::test]
async fn cors_answers_only_configured_origins() {
    let mut opts = writable();
    opts.cors_origins = vec!["https://news.example.org".into()];
    let f = fixture(opts);
    let from = |origin: &str| {
        Request::get("/api/events")
            .header("origin", origin)
            .body(Body::empty())
            .unwrap()
    };
    let (_, h, _) = call(&f.state, from("https://news.example.org")).await;
    assert_eq!(h["access-control-allow-origin"], "https://news.example.org");
    let (_, h, _) = call(&f.state, from("https://evil.example")).await;
    assert!(h.get("access-control-allow-origin").is_none());
    let preflight = Request::options("/api/articles")
        .header("origin", "https://news.example.org")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .body(Body::empty())
        .unwrap();
    let (status, h, _) = call(&f.state, preflight).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        h["access-control-allow-headers"]
            .to_str()
            .unwrap()
            .contains("authorization")
    );
    assert_eq!(stored_articles(&f.state).await, 0);
}

#[tokio::test]
async fn the_read_token_closes_reads_to_everyone_without_it() {
    let f = fixture(options(
        Writes::Token(Token::new(WRITE).unwrap()),
        Some(READ),
    ));
    let with =
        |uri: &str, k: &str, v: String| Request::get(uri).header(k, v).body(Body::empty()).unwrap();

    let (status, h, body) = call(&f.state, get("/api/events")).await;
    assert_eq!(
        (status, json(&body)["error"]["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("unauthorized"))
    );
    assert!(
        h["www-authenticate"]
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
    let (status, _, page) = call(&f.state, get("/")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        page.contains("name=\"token\""),
        "a page asks for the token: {page}"
    );
    let wrong = with(
        "/api/events",
        "authorization",
        "Bearer wrong-token-wrong-token".into(),
    );
    assert_eq!(call(&f.state, wrong).await.0, StatusCode::UNAUTHORIZED);

    for req in [
        with("/api/events", "authorization", format!("Bearer {READ}")),
        with("/api/events", "authorization", format!("Bearer {WRITE}")),
        with("/", "cookie", format!("theme=dark; storyline_token={READ}")),
        get(&format!("/api/status?token={READ}")),
    ] {
        let uri = req.uri().clone();
        assert_eq!(call(&f.state, req).await.0, StatusCode::OK, "{uri}");
    }
    // A browser's ?token= becomes a cookie, and leaves the address bar.
    let (status, h, _) = call(&f.state, get(&format!("/?q=tram&token={READ}"))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(h["location"], "/?q=tram");
    let cookie = h["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with(&format!("storyline_token={READ};")),
        "{cookie}"
    );
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    // The read token never writes.
    let (status, _, _) = call(&f.state, post(Some(&format!("Bearer {READ}")))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let mut cookie_post = post(None);
    cookie_post.headers_mut().insert(
        "cookie",
        format!("storyline_token={WRITE}").parse().unwrap(),
    );
    assert_eq!(
        call(&f.state, cookie_post).await.0,
        StatusCode::UNAUTHORIZED
    );
}

/// Serves `opts` on a loopback port; the sender stops it.
async fn listen(opts: ServerOptions) -> (Fixture, SocketAddr, tokio::sync::oneshot::Sender<()>) {
    let f = fixture(opts);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(storyline_server::serve(
        listener,
        Arc::clone(&f.state),
        async move {
            let _ = rx.await;
        },
    ));
    (f, addr, tx)
}

/// A connection from `from` (127.0.0.1 and 127.0.0.2 are both loopback on Linux).
async fn connect(from: [u8; 4], to: SocketAddr) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(IpAddr::from(from), 0)).unwrap();
    socket.connect(to).await.unwrap()
}

/// One GET from `from`: the status and the head of the answer.
async fn get_from(from: [u8; 4], to: SocketAddr, path: &str) -> (u16, String) {
    let mut s = connect(from, to).await;
    let req = format!("GET {path} HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let head = text
        .split("\r\n\r\n")
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    (status, head)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flooding_client_gets_429_while_another_clients_reads_answer() {
    let mut opts = writable();
    opts.client_limits = ClientLimits {
        requests_per_s: 20.0,
        burst: 20,
        ..ClientLimits::default()
    };
    let (_f, addr, stop) = listen(opts).await;
    let flood = tokio::spawn(async move {
        let mut statuses = Vec::new();
        let mut retry_after = None;
        for _ in 0..150 {
            let (status, head) = get_from([127, 0, 0, 1], addr, "/api/events").await;
            if status == 429 && retry_after.is_none() {
                retry_after = head
                    .lines()
                    .find_map(|l| l.strip_prefix("retry-after:"))
                    .map(|v| v.trim().to_string());
            }
            statuses.push(status);
        }
        (statuses, retry_after)
    });
    // Meanwhile another client reads, at a polite pace.
    let mut worst = Duration::ZERO;
    for _ in 0..10 {
        let t = Instant::now();
        let (status, _) = get_from([127, 0, 0, 2], addr, "/api/events").await;
        worst = worst.max(t.elapsed());
        assert_eq!(status, 200, "the other client is answered");
        tokio::time::sleep(Duration::from_millis(60)).await;
    }
    let (statuses, retry_after) = flood.await.unwrap();
    let limited = statuses.iter().filter(|&&s| s == 429).count();
    assert!(limited > 0, "the flood was never limited: {statuses:?}");
    assert!(
        statuses.iter().all(|&s| s == 200 || s == 429),
        "{statuses:?}"
    );
    let secs: u64 = retry_after.expect("429 has Retry-After").parse().unwrap();
    assert!((1..=2).contains(&secs), "{secs}");
    // Loose: loopback reads of an empty store answer in milliseconds; this only catches
    // starvation, not jitter on a shared machine.
    assert!(worst < Duration::from_secs(2), "{worst:?}");
    let _ = stop.send(());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_connections_from_one_client_are_answered_429() {
    let mut opts = writable();
    opts.client_limits = ClientLimits {
        connections_per_client: 2,
        ..ClientLimits::default()
    };
    let (_f, addr, stop) = listen(opts).await;
    // Two idle connections held open by one client...
    let held = [
        connect([127, 0, 0, 1], addr).await,
        connect([127, 0, 0, 1], addr).await,
    ];
    tokio::time::sleep(Duration::from_millis(100)).await;
    // ...so its third is refused, and another client's is not.
    let (status, head) = get_from([127, 0, 0, 1], addr, "/api/status").await;
    assert_eq!(status, 429, "{head}");
    assert!(
        head.contains("retry-after: 1") && head.contains("x-content-type-options: nosniff"),
        "{head}"
    );
    assert_eq!(get_from([127, 0, 0, 2], addr, "/api/status").await.0, 200);
    // Once it closes them, it is served again.
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(get_from([127, 0, 0, 1], addr, "/api/status").await.0, 200);
    let _ = stop.send(());
}
