//! Each kind of source document, read from small fixtures: what an established feed parser
//! gives for the same entries (title, link, instant, plain text).

use storyline_feed::{FeedError, Kind, Limits, Parsed, parse};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str) -> Parsed {
    parse(&fixture(name), None, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn unix(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

#[test]
fn rss2_entries_give_title_link_instant_and_content_as_text() {
    let got = read("rss2.xml");
    assert_eq!(got.kind, Kind::Feed);
    assert_eq!(got.outlet.as_deref(), Some("The Harbor Ledger"));
    let e = &got.entries[0];
    assert_eq!(e.title, "Dockworkers end 12-day strike");
    assert_eq!(
        e.url.as_deref(),
        Some("https://harborledger.example/news/strike-ends")
    );
    assert_eq!(e.date.unwrap().unix_seconds(), unix("2031-03-13T13:05:00Z"));
    assert_eq!(
        e.text,
        "The port of Aldren reopened on Thursday.\nWorkers won a 4% raise."
    );
    assert_eq!(e.lang.as_deref(), Some("en-us"));
    // No <link>: the permalink guid is the address; the summary is the text.
    let e = &got.entries[1];
    assert_eq!(
        e.url.as_deref(),
        Some("https://harborledger.example/news/ferries")
    );
    assert_eq!(e.text, "Ferries run again & on time.");
}

#[test]
fn rss1_rdf_items_are_read() {
    let got = read("rss1.rdf");
    assert_eq!(got.outlet.as_deref(), Some("Valley Post"));
    assert_eq!(got.entries.len(), 1);
    let e = &got.entries[0];
    assert_eq!(e.title, "Council approves bridge");
    assert_eq!(e.url.as_deref(), Some("https://valleypost.example/a/1"));
    assert_eq!(e.text, "The council voted 7 to 2.");
    assert_eq!(e.date.unwrap().unix_seconds(), unix("2031-03-12T09:30:00Z"));
}

#[test]
fn atom_entries_take_the_alternate_link_resolved_and_the_published_instant() {
    let got = read("atom.xml");
    assert_eq!(got.outlet.as_deref(), Some("Coastal Daily"));
    let e = &got.entries[0];
    assert_eq!(e.title, "Storm warning lifted");
    assert_eq!(e.url.as_deref(), Some("https://coastal.example/news/storm"));
    assert_eq!(e.date.unwrap().unix_seconds(), unix("2031-03-13T12:15:00Z"));
    assert_eq!(e.text, "The storm warning was lifted at dawn.");
}

#[test]
fn json_feed_items_are_read() {
    let got = read("feed.json");
    assert_eq!(got.outlet.as_deref(), Some("Harbor Herald"));
    let titles: Vec<_> = got.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Wage deal signed", "Ships return"]);
    assert_eq!(got.entries[0].text, "The deal was signed at noon.");
    assert_eq!(got.entries[1].text, "Twelve ships entered the harbor.");
    assert_eq!(
        got.entries[1].date.unwrap().unix_seconds(),
        unix("2031-03-13T15:30:00Z")
    );
}

#[test]
fn script_style_and_event_handlers_never_reach_the_text() {
    let got = read("script.xml");
    let e = &got.entries[0];
    assert_eq!(e.text, "The mayor resigned.\nA vote follows.");
    for bad in [
        "EVIL", "steal", "alert", "XSS", "color", "script", "onerror",
    ] {
        assert!(!e.text.contains(bad), "{bad} leaked: {}", e.text);
    }
}

#[test]
fn a_latin1_feed_is_decoded_by_its_declaration() {
    let got = read("latin1.xml");
    assert_eq!(got.entries[0].title, "Caf\u{e9} ferm\u{e9}");
    assert_eq!(got.entries[0].text, "Le caf\u{e9} est ferm\u{e9}.");
}

#[test]
fn malformed_feeds_and_html_pages_are_errors_not_panics() {
    let err = parse(&fixture("malformed.xml"), None, &Limits::default());
    assert!(
        matches!(err, Err(FeedError::Feed(_) | FeedError::Xml(_))),
        "{err:?}"
    );
    let err = parse(&fixture("page.html"), None, &Limits::default());
    assert_eq!(err, Err(FeedError::Html));
    assert_eq!(
        parse(b"  \n", None, &Limits::default()),
        Err(FeedError::Empty)
    );
    // Arbitrary bytes: an error, never a panic.
    let noise: Vec<u8> = (0..4000u32).map(|i| (i * 7919 % 251) as u8).collect();
    assert!(parse(&noise, None, &Limits::default()).is_err());
}

#[test]
fn news_sitemaps_give_title_date_outlet_and_language() {
    let got = read("news-sitemap.xml");
    assert_eq!(got.kind, Kind::Sitemap);
    assert_eq!(got.outlet.as_deref(), Some("The Harbor Ledger"));
    assert_eq!(got.entries.len(), 2);
    let e = &got.entries[0];
    assert_eq!(e.title, "Dockworkers end 12-day strike & return");
    assert_eq!(e.lang.as_deref(), Some("en"));
    assert_eq!(e.date.unwrap().unix_seconds(), unix("2031-03-13T13:05:00Z"));
    assert_eq!(
        got.entries[1].url.as_deref(),
        Some("https://harborledger.example/news/other")
    );
}

#[test]
fn sitemap_indexes_opml_and_feed_lists_give_links() {
    let got = parse(
        &fixture("sitemap-index.xml"),
        Some("https://harborledger.example/sitemap.xml"),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(got.kind, Kind::SitemapIndex);
    assert_eq!(
        got.links,
        [
            "https://harborledger.example/sitemap-news.xml",
            "https://harborledger.example/sitemap-2031.xml"
        ]
    );
    let got = read("sources.opml");
    assert_eq!(got.kind, Kind::Opml);
    assert_eq!(
        got.links,
        [
            "https://harborledger.example/rss.xml",
            "https://herald.example/feed.json",
            "https://x.example/feed?a=1&b=2"
        ]
    );
    let got = read("feeds.txt");
    assert_eq!(got.kind, Kind::List);
    assert_eq!(
        got.links,
        [
            "https://harborledger.example/rss.xml",
            "https://herald.example/feed.json"
        ]
    );
}

#[test]
fn entries_over_the_limit_are_counted_not_kept() {
    let limits = Limits {
        max_entries: 1,
        max_links: 1,
    };
    let got = parse(&fixture("rss2.xml"), None, &limits).unwrap();
    assert_eq!((got.entries.len(), got.left_out), (1, 1));
}

#[test]
fn a_second_xml_declaration_naming_an_encoding_is_not_a_panic() {
    // Found by the fuzz target: quick-xml panicked on it under feed-rs.
    let doc = fixture("../../../../fuzz/corpus/feed/second-xml-declaration-with-encoding.xml");
    let _ = parse(&doc, None, &Limits::default());
    let doc = b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><item><title>A</title></item></channel></rss>";
    let got = parse(doc, None, &Limits::default()).expect("read past the stray declaration");
    assert_eq!(got.entries[0].title, "A");
}
