//! The API and the pages over a store of the project's sample articles, through the router
//! (no network).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use storyline_server::{Access, AppState, ClientLimits, ServerOptions, Token, Writes, router};
use tower::ServiceExt;

mod common;
use common::{Fixture, articles, served};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/articles.jsonl");

/// The write token of the fixtures.
const WRITE_TOKEN: &str = "test-write-token-0123456789";

/// Default options, writable with [`WRITE_TOKEN`], with no rate limit (requests through the
/// router have no peer address, so they would all count as one client; `tests/security.rs`
/// tests the limits).
fn writable() -> ServerOptions {
    ServerOptions {
        access: Access {
            writes: Writes::Token(Token::new(WRITE_TOKEN).unwrap()),
            read_token: None,
        },
        client_limits: ClientLimits {
            requests_per_s: 0.0,
            ..ClientLimits::default()
        },
        ..ServerOptions::default()
    }
}

fn fixture(opts: ServerOptions) -> Fixture {
    let f = served(opts, 2, &articles(std::path::Path::new(SAMPLES)));
    assert!(
        f.state.settle(Duration::from_secs(60)),
        "refresh did not finish"
    );
    f
}

async fn call(state: &Arc<AppState>, req: Request<Body>) -> (StatusCode, String) {
    let resp = router(Arc::clone(state)).oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get(state: &Arc<AppState>, uri: &str) -> (StatusCode, String) {
    call(state, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(state: &Arc<AppState>, uri: &str, body: impl Into<Body>) -> (StatusCode, String) {
    call(
        state,
        Request::post(uri)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {WRITE_TOKEN}"))
            .body(body.into())
            .unwrap(),
    )
    .await
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn error_code(body: &str) -> String {
    json(body)["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn events_are_listed_searched_and_read() {
    let f = fixture(writable());
    let (status, body) = get(&f.state, "/api/events").await;
    assert_eq!(status, StatusCode::OK);
    let list = json(&body);
    let events = list["events"].as_array().unwrap();
    assert_eq!(events.len(), 4, "{body}");
    // Newest first.
    let dates: Vec<i64> = events
        .iter()
        .map(|e| e["last_date"].as_i64().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    assert!(
        events
            .iter()
            .all(|e| !e["lead"].as_str().unwrap().is_empty() && !e["updating"].as_bool().unwrap())
    );

    // Pages of one, through the cursor, give the same four.
    let mut seen = Vec::new();
    let mut uri = "/api/events?limit=1".to_string();
    loop {
        let page = json(&get(&f.state, &uri).await.1);
        seen.extend(
            page["events"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["id"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/events?limit=1&cursor={}", c),
            None => break,
        }
    }
    let ids: Vec<String> = events
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(seen, ids);

    // Search and date range.
    let found = json(&get(&f.state, "/api/events?q=flooded%20river").await.1);
    let found = found["events"].as_array().unwrap();
    assert_eq!(found.len(), 1);
    assert!(
        found[0]["title"].as_str().unwrap().contains("flood")
            || found[0]["title"].as_str().unwrap().contains("Brackwater")
    );
    let ranged = json(
        &get(&f.state, "/api/events?from=2031-03-20&to=2031-03-26")
            .await
            .1,
    );
    assert_eq!(ranged["events"].as_array().unwrap().len(), 1, "{ranged}");

    // An event: summary with citations, comparison, members.
    let id = found[0]["id"].as_str().unwrap();
    let (status, body) = get(&f.state, &format!("/api/events/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let ev = json(&body);
    assert_eq!(ev["updating"], false);
    let summary = ev["summary"].as_array().unwrap();
    assert!(!summary.is_empty());
    assert!(
        summary
            .iter()
            .all(|s| !s["citations"].as_array().unwrap().is_empty())
    );
    assert!(
        summary.iter().any(|s| s["support"].as_u64().unwrap() >= 2),
        "no sentence is reported by two outlets"
    );
    assert!(
        ev["comparison"]["quantities"]
            .as_array()
            .is_some_and(|q| !q.is_empty())
    );
    let members = ev["members"].as_array().unwrap();
    assert_eq!(members.len() as u64, ev["articles"].as_u64().unwrap());

    // A member article.
    let aid = members[0]["id"].as_str().unwrap();
    let art = json(&get(&f.state, &format!("/api/articles/{aid}")).await.1);
    assert_eq!(art["event"], id);
    assert!(!art["text"].as_str().unwrap().is_empty());

    // The pages.
    let (status, html) = get(&f.state, "/?q=flood").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("href=\"/events/{id}\"")));
    let (status, html) = get(&f.state, &format!("/events/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<details class=\"cite\">") && html.contains("<blockquote>"));
    assert!(html.contains("Figures") && html.contains("Articles"));
    assert!(!html.contains("<script"), "the pages need no script");

    let status = json(&get(&f.state, "/api/status").await.1);
    assert_eq!(status["articles"], 16);
    assert_eq!(status["updating"], 0);
}

#[tokio::test]
async fn storylines_are_listed_read_and_linked_from_their_events() {
    let f = fixture(writable());
    let (status, body) = get(&f.state, "/api/storylines").await;
    assert_eq!(status, StatusCode::OK);
    let list = json(&body);
    let lines = list["storylines"].as_array().unwrap();
    assert!(!lines.is_empty(), "{body}");
    let events: i64 = lines.iter().map(|l| l["events"].as_i64().unwrap()).sum();
    assert_eq!(events, 4, "every event is in one storyline: {body}");
    let dates: Vec<i64> = lines
        .iter()
        .map(|l| l["last_date"].as_i64().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");

    // A storyline: its events in time order, each naming it.
    let id = lines[0]["id"].as_str().unwrap();
    let (status, body) = get(&f.state, &format!("/api/storylines/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let line = json(&body);
    let timeline = line["timeline"].as_array().unwrap();
    assert_eq!(timeline.len() as i64, line["events"].as_i64().unwrap());
    let firsts: Vec<i64> = timeline
        .iter()
        .map(|e| e["first_date"].as_i64().unwrap())
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "{firsts:?}");
    assert!(timeline.iter().all(|e| e["storyline"] == id));

    // An event's document names its storyline; its page links to it.
    let event = timeline[0]["id"].as_str().unwrap();
    let ev = json(&get(&f.state, &format!("/api/events/{event}")).await.1);
    assert_eq!(ev["storyline"], id);
    assert!(ev["summary"].as_array().is_some_and(|s| !s.is_empty()));
    let (status, html) = get(&f.state, &format!("/events/{event}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("href=\"/storylines/{id}\"")),
        "{html}"
    );

    // The pages.
    let (status, html) = get(&f.state, "/storylines").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("href=\"/storylines/{id}\"")));
    let (status, html) = get(&f.state, &format!("/storylines/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("href=\"/events/{event}\"")));
    assert!(html.contains("timeline-events"));

    // Search, and what is not there.
    let found = json(&get(&f.state, "/api/storylines?q=Quillfield").await.1);
    assert_eq!(found["storylines"].as_array().unwrap().len(), 1, "{found}");
    let (status, body) = get(&f.state, "/api/storylines/no-such-line").await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (status, _) = get(&f.state, "/storylines/no-such-line").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&f.state, "/api/storylines?limit=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reads_are_served_while_the_store_is_opened_for_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.db");
    {
        let mut e = storyline_store::Engine::open(&path, Default::default(), |_| {}).unwrap();
        e.ingest(&articles(std::path::Path::new(SAMPLES))).unwrap();
    }
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let open_path = path.clone();
    let opts = ServerOptions {
        request_timeout: Duration::from_secs(1),
        ..writable()
    };
    let state = AppState::opening(&path, Default::default(), opts, move || {
        let _ = wait.recv();
        storyline_store::Engine::open(&open_path, Default::default(), |_| {})
    })
    .unwrap();
    let (status, body) = get(&state, "/api/events").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["events"].as_array().unwrap().len(), 4);
    let (status, body) = post(
        &state,
        "/api/articles",
        r#"{"id":"n1","title":"Late news","text":"Something happened today in the harbor town."}"#,
    )
    .await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "opening")
    );
    release.send(()).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !state.writable() {
        assert!(
            std::time::Instant::now() < deadline,
            "the engine never opened"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (status, body) = post(
        &state,
        "/api/articles",
        r#"{"id":"n1","title":"Late news","text":"Something happened today in the harbor town."}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn openapi_document_lists_the_endpoints() {
    let f = fixture(writable());
    let (status, body) = get(&f.state, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let doc = json(&body);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/events",
        "/api/events/{id}",
        "/api/storylines",
        "/api/storylines/{id}",
        "/api/articles",
        "/api/articles/{id}",
        "/api/status",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
    assert!(doc["components"]["schemas"].get("ErrorBody").is_some());
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer",
        "writes are documented as needing the bearer token"
    );
    assert!(
        doc["paths"]["/api/articles"]["post"]["responses"]
            .get("401")
            .is_some()
    );
}

#[tokio::test]
async fn posted_articles_join_events_and_are_not_stored_twice() {
    let f = fixture(writable());
    let follow_up = r#"{"id":"flood-06-test","title":"Brackwater flood: river falls as Tamsin recedes, 12 dead","text":"The Tamsin River fell below flood level in Brackwater on Tuesday, officials said, as the death toll in the Lowen Valley flood stayed at 12 and two people were still missing.\nCleanup crews cleared mud from homes along the river in Brackwater.","source":"Test Gazette","date":"2031-03-18"}"#;
    let (status, body) = post(&f.state, "/api/articles", follow_up).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let r = json(&body);
    assert_eq!(r["stored"], 1);
    let event = r["results"][0]["event"].as_str().unwrap().to_string();
    assert!(
        event.starts_with("flood-"),
        "the follow-up should join the flood event, joined {event}"
    );
    assert_eq!(r["results"][0]["new_event"], false);

    // Again, in a JSONL batch with a new one: the first is already stored.
    let other = r#"{"id":"other-1","title":"Zarnow council approves new tram line","text":"The Zarnow city council approved a new tram line on Monday after a four-hour debate.\nConstruction starts next spring.","source":"Test Gazette","date":"2031-04-01"}"#;
    let (status, body) = post(&f.state, "/api/articles", format!("{follow_up}\n{other}\n")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let r = json(&body);
    assert_eq!(
        (
            r["stored"].as_u64(),
            r["already_stored"].as_u64(),
            r["new_events"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(r["results"][0]["status"], "already_stored");

    assert!(f.state.settle(Duration::from_secs(60)));
    let ev = json(&get(&f.state, &format!("/api/events/{event}")).await.1);
    assert!(
        ev["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "flood-06-test"),
        "the event was not recomputed"
    );
    assert_eq!(json(&get(&f.state, "/api/status").await.1)["articles"], 18);
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_and_stores_nothing() {
    let f = fixture(ServerOptions {
        max_body_bytes: 64 << 10,
        max_batch: 3,
        ..writable()
    });
    let good = r#"{"id":"g1","title":"Tram line approved","text":"The Zarnow council approved a tram line on Monday."}"#;
    let cases: Vec<(&str, Body, StatusCode, &str)> = vec![
        (
            "malformed JSON",
            Body::from("{\"id\": \"m1\", \"title\": "),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "a malformed line in a batch",
            Body::from(format!("{good}\nnot json\n")),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            "invalid UTF-8",
            Body::from(b"{\"id\":\"u1\",\"title\":\"caf\xe9\",\"text\":\"x\"}".to_vec()),
            StatusCode::BAD_REQUEST,
            "invalid_utf8",
        ),
        (
            "no id",
            Body::from(r#"{"title":"t","text":"some text"}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_article",
        ),
        (
            "empty article",
            Body::from(r#"{"id":"e1","title":"","text":""}"#),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_article",
        ),
        (
            "not an object",
            Body::from("[1, 2]"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_article",
        ),
        (
            "empty body",
            Body::from(""),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "oversized body",
            Body::from(format!(
                "{{\"id\":\"big\",\"title\":\"t\",\"text\":\"{}\"}}",
                "word ".repeat(20_000)
            )),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
        (
            "too many records",
            Body::from(format!("{good}\n{good}\n{good}\n{good}\n")),
            StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
        ),
    ];
    for (what, body, status, code) in cases {
        let (got, text) = post(&f.state, "/api/articles", body).await;
        assert_eq!(got, status, "{what}: {text}");
        assert_eq!(error_code(&text), code, "{what}: {text}");
        assert!(!json(&text)["error"]["message"].as_str().unwrap().is_empty());
    }
    // The good record of the rejected batch was not stored either.
    assert_eq!(
        get(&f.state, "/api/articles/g1").await.0,
        StatusCode::NOT_FOUND
    );
    // With partial=true, the good one is stored and the bad one reported.
    let (status, text) = post(
        &f.state,
        "/api/articles?partial=true",
        format!("{good}\n{{\"id\":\"e2\",\"text\":\"\"}}\n"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let r = json(&text);
    assert_eq!(r["stored"], 1);
    assert_eq!(r["rejected"][0]["record"], 2);
    assert_eq!(json(&get(&f.state, "/api/status").await.1)["articles"], 17);

    let wrong_type = Request::post("/api/articles")
        .header("authorization", format!("Bearer {WRITE_TOKEN}"))
        .header("content-type", "multipart/form-data; boundary=x")
        .body(Body::from("--x--"))
        .unwrap();
    let (status, text) = call(&f.state, wrong_type).await;
    assert_eq!(
        (status, error_code(&text).as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
    );

    for (uri, status, code) in [
        (
            "/api/events/no-such-event",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "/api/articles/no-such-article",
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        ("/api/nowhere", StatusCode::NOT_FOUND, "not_found"),
        (
            "/api/events?limit=0",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/events?limit=lots",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/events?from=soon",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
        (
            "/api/events?cursor=xyz",
            StatusCode::BAD_REQUEST,
            "invalid_parameter",
        ),
    ] {
        let (got, text) = get(&f.state, uri).await;
        assert_eq!(
            (got, error_code(&text).as_str()),
            (status, code),
            "{uri}: {text}"
        );
    }
    let (status, html) = get(&f.state, "/events/no-such-event").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("There is no event"));
}

#[tokio::test]
async fn injection_in_text_fields_is_stored_as_text_and_escaped() {
    let f = fixture(writable());
    let evil = serde_json::json!({
        "id": "evil'); DROP TABLE articles;--",
        "title": "<script>alert('t')</script> Zarnow tram <b>vote</b>",
        "text": "Robert'); DROP TABLE events;-- said the \"tram\" vote was <img src=x onerror=alert(1)> fair.\nThe council voted on Monday.",
        "source": "<i>Gazette</i>",
        "url": "javascript:alert(1)"
    });
    let (status, body) = post(&f.state, "/api/articles", evil.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(f.state.settle(Duration::from_secs(60)));
    // Search with SQL and FTS syntax in it.
    for q in [
        "%27%29%20OR%201%3D1--",
        "tram%22%20OR%20%22x",
        "NEAR(a%20b)",
        "*",
    ] {
        let (status, body) = get(&f.state, &format!("/api/events?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
    }
    let (_, found) = get(&f.state, "/api/events?q=tram").await;
    assert_eq!(json(&found)["events"].as_array().unwrap().len(), 1);
    assert_eq!(json(&get(&f.state, "/api/status").await.1)["articles"], 17);
    let id = "evil%27%29%3B%20DROP%20TABLE%20articles%3B--";
    let (status, html) = get(&f.state, &format!("/articles/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !html.contains("<script>alert")
            && !html.contains("<img src=x")
            && !html.contains("<b>vote</b>")
            && !html.contains("<i>Gazette")
    );
    assert!(html.contains("&lt;script&gt;"));
    assert!(
        !html.contains("href=\"javascript:"),
        "a javascript: URL must not become a link"
    );
    let (_, ev) = get(&f.state, &format!("/api/articles/{id}")).await;
    let event = json(&ev)["event"].as_str().unwrap().to_string();
    let (status, html) = get(
        &f.state,
        &format!(
            "/events/{}",
            event
                .replace('\'', "%27")
                .replace(' ', "%20")
                .replace(';', "%3B")
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert") && !html.contains("<img src=x"));
}

#[tokio::test]
async fn an_event_whose_articles_name_no_outlet_does_not_count_them_as_outlets() {
    let mut articles = articles(std::path::Path::new(SAMPLES));
    articles.retain(|a| a.id.starts_with("strike-"));
    for a in &mut articles {
        a.source = None;
        a.url = None;
    }
    let n = articles.len();
    assert!(n >= 2, "the sample strike has several articles");
    let f = served(writable(), 1, &articles);
    assert!(
        f.state.settle(Duration::from_secs(60)),
        "refresh did not finish"
    );
    let list = json(&get(&f.state, "/api/events").await.1);
    let id = list["events"][0]["id"].as_str().unwrap().to_string();
    let (status, html) = get(&f.state, &format!("/events/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("outlets not given"), "{html}");
    assert!(!html.contains(&format!("{n} outlets")), "{html}");
}
