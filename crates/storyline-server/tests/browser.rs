//! The web page in a real browser: Debian's chromium, driven through chromedriver
//! (WebDriver) by fantoccini. Loads the event list, searches, opens an event, reveals a
//! citation, checks the phone layout, and saves screenshots under
//! `target/test-artifacts/`.
//!
//! Skips with a message when `chromedriver` is not installed, unless
//! `STORYLINE_REQUIRE_BROWSER` is set (the project's test script sets it once it has
//! installed the browser), in which case a missing browser fails the test.

use std::io::Write as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use storyline_server::{Access, AppState, ServerOptions, Token, Writes};
use storyline_store::{Engine, EngineOptions};

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples/articles.jsonl");

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_chromedriver() -> Option<(Driver, u16)> {
    let port = free_port();
    let child = match Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            assert!(
                std::env::var_os("STORYLINE_REQUIRE_BROWSER").is_none(),
                "chromedriver cannot be started ({e}) but STORYLINE_REQUIRE_BROWSER is set"
            );
            // Straight to stderr: a passing test's eprintln! is shown only with --nocapture.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: the browser test needs chromedriver and chromium (apt install chromium chromium-driver; tools/test.sh does it): {e}"
            );
            return None;
        }
    };
    let driver = Driver(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start listening on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((driver, port))
}

fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn serve_samples(
    dir: &std::path::Path,
    opts: ServerOptions,
) -> (SocketAddr, tokio::sync::oneshot::Sender<()>, Arc<AppState>) {
    let eopts = EngineOptions {
        threads: 2,
        ..EngineOptions::default()
    };
    let mut engine = Engine::open(&dir.join("b.db"), eopts.clone(), |_| {}).unwrap();
    let articles: Vec<storyline::Article> = std::fs::read_to_string(SAMPLES)
        .unwrap()
        .lines()
        .filter_map(|l| {
            match storyline::ingest::parse_article_line("s", 1, l, &Default::default()) {
                storyline::ingest::LineOutcome::Article(a, _) => Some(a),
                _ => None,
            }
        })
        .collect();
    engine.ingest(&articles).unwrap();
    let state = AppState::new(engine, eopts, opts).unwrap();
    assert!(state.settle(Duration::from_secs(60)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(storyline_server::serve(
        listener,
        Arc::clone(&state),
        async move {
            let _ = rx.await;
        },
    ));
    (addr, tx, state)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_search_event_and_citation_in_chromium() {
    let Some((_driver, port)) = start_chromedriver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (addr, stop, _state) = serve_samples(dir.path(), ServerOptions::default()).await;
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--no-first-run", "--window-size=1280,900",
                     format!("--user-data-dir={}", profile.path().display())]
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a chromium session through chromedriver");
    let base = format!("http://{addr}");
    let out = artifacts();

    // The list.
    client.goto(&format!("{base}/")).await.unwrap();
    let items = client
        .find_all(Locator::Css("ol.events li.event"))
        .await
        .unwrap();
    assert_eq!(items.len(), 4, "the list shows the four sample events");
    // The Content-Security-Policy lets the page's own inline style through.
    let styled = client
        .execute(
            "return getComputedStyle(document.querySelector('ol.events')).listStyleType;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        styled, "none",
        "the page's style did not apply under its CSP"
    );
    client
        .screenshot()
        .await
        .map(|png| std::fs::write(out.join("browser-list.png"), png))
        .unwrap()
        .unwrap();

    // Search through the box in the header.
    let search = client
        .find(Locator::Css("header input[name=q]"))
        .await
        .unwrap();
    search.send_keys("ransomware").await.unwrap();
    client
        .find(Locator::Css("header button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !client
        .current_url()
        .await
        .unwrap()
        .query()
        .is_some_and(|q| q.contains("q=ransomware"))
    {
        assert!(Instant::now() < deadline, "the search did not load");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let items = client
        .find_all(Locator::Css("ol.events li.event h2 a"))
        .await
        .unwrap();
    assert_eq!(items.len(), 1, "one event matches the search");
    let title = items[0].text().await.unwrap();
    assert!(title.contains("Quillfield"), "{title}");

    // Open it.
    items[0].click().await.unwrap();
    let h1 = client
        .wait()
        .for_element(Locator::Css("main h1"))
        .await
        .unwrap();
    assert_eq!(h1.text().await.unwrap(), title);
    let sentences = client
        .find_all(Locator::Css("section.summary p.sentence"))
        .await
        .unwrap();
    assert!(!sentences.is_empty());

    // A citation chip reveals the source sentence.
    let chip = client
        .find(Locator::Css("section.summary details.cite > summary"))
        .await
        .unwrap();
    let quote = client
        .find(Locator::Css("section.summary details.cite blockquote"))
        .await
        .unwrap();
    assert!(
        !quote.is_displayed().await.unwrap(),
        "the source sentence is hidden until asked for"
    );
    chip.click().await.unwrap();
    assert!(
        quote.is_displayed().await.unwrap(),
        "clicking the outlet chip shows the source sentence"
    );
    assert!(quote.text().await.unwrap().len() > 20);
    client
        .screenshot()
        .await
        .map(|png| std::fs::write(out.join("browser-event.png"), png))
        .unwrap()
        .unwrap();

    // On a phone: nothing wider than the screen.
    client.set_window_size(390, 844).await.unwrap();
    let overflow = client
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        overflow.as_f64().unwrap_or(1.0) <= 0.0,
        "the event page scrolls sideways on a phone: {overflow}"
    );
    client
        .screenshot()
        .await
        .map(|png| std::fs::write(out.join("browser-event-phone.png"), png))
        .unwrap()
        .unwrap();

    // The bar above the event leads to its storyline: a timeline that links back to it.
    let event_url = client.current_url().await.unwrap();
    client
        .find(Locator::Css("nav.storyline span.line a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !client
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/storylines/")
    {
        assert!(Instant::now() < deadline, "the storyline page did not load");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let entries = client
        .find_all(Locator::Css("ol.timeline-events li.event h2 a"))
        .await
        .unwrap();
    let mut links = Vec::new();
    for e in &entries {
        links.push(e.attr("href").await.unwrap().unwrap_or_default());
    }
    assert!(
        links.iter().any(|l| event_url.path() == l),
        "the timeline lists the event: {links:?}"
    );
    let overflow = client
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        overflow.as_f64().unwrap_or(1.0) <= 0.0,
        "the storyline page scrolls sideways on a phone: {overflow}"
    );
    client
        .screenshot()
        .await
        .map(|png| std::fs::write(out.join("browser-storyline-phone.png"), png))
        .unwrap()
        .unwrap();

    // A private server: its token form sets the cookie, and the pages open.
    let _ = stop.send(());
    let token = "browser-read-token-0123456789";
    let private = tempfile::tempdir().unwrap();
    let opts = ServerOptions {
        access: Access {
            writes: Writes::Refused,
            read_token: Some(Token::new(token).unwrap()),
        },
        ..ServerOptions::default()
    };
    let (addr, stop, _state) = serve_samples(private.path(), opts).await;
    client.set_window_size(1280, 900).await.unwrap();
    client.goto(&format!("http://{addr}/")).await.unwrap();
    let h1 = client.find(Locator::Css("main h1")).await.unwrap();
    assert_eq!(h1.text().await.unwrap(), "This Storyline is private");
    let field = client
        .find(Locator::Css("main input[name=token]"))
        .await
        .unwrap();
    field.send_keys(token).await.unwrap();
    client
        .find(Locator::Css("main button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let items = client
        .wait()
        .for_element(Locator::Css("ol.events li.event"))
        .await
        .map(|_| ());
    assert!(items.is_ok(), "the token form did not open the list");
    let url = client.current_url().await.unwrap();
    assert!(
        url.query().is_none_or(|q| !q.contains("token")),
        "the token stays in the address bar: {url}"
    );
    // The cookie opens the next page without the token.
    client
        .goto(&format!("http://{addr}/?q=ransomware"))
        .await
        .unwrap();
    assert_eq!(
        client
            .find_all(Locator::Css("ol.events li.event"))
            .await
            .unwrap()
            .len(),
        1
    );

    client.close().await.unwrap();
    let _ = stop.send(());
    eprintln!("screenshots in {}", out.display());
}
