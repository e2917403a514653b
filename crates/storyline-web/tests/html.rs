//! Article extraction from single pages: what is kept, what is dropped, what is read from
//! the metadata, and how pages in legacy encodings are decoded.

mod common;

use common::{STORY, furnished_page, simple_page};
use storyline_web::html::{ExtractError, ExtractOptions, extract};
use storyline_web::lang::LangFilter;
use storyline_web::source::{Document, Payload};
use storyline_web::{IngestOptions, Origin, Reason, process_document};

fn page_text(html: &str, url: Option<&str>) -> storyline_web::html::Page {
    extract(html, url, &ExtractOptions::default()).expect("an article")
}

#[test]
fn navigation_ads_related_comments_and_captions_are_removed() {
    let page = page_text(
        &furnished_page(""),
        Some("https://coastal.example/news/harbor"),
    );
    for p in STORY {
        assert!(
            page.text.contains(p),
            "story paragraph kept: {p}\n---\n{}",
            page.text
        );
    }
    for furniture in [
        "Home",
        "Advertisement",
        "Zephyr",
        "Cranes stand idle",
        "Share on Facebook",
        "Port strike enters third week",
        "Related",
        "Great news for the town",
        "Copyright",
        "Jane Doe",
    ] {
        assert!(
            !page.text.contains(furniture),
            "{furniture:?} should be gone:\n{}",
            page.text
        );
    }
    assert_eq!(
        page.text.lines().count(),
        STORY.len(),
        "one line per paragraph"
    );
}

#[test]
fn title_drops_the_site_suffix() {
    let page = page_text(
        &furnished_page(r#"<meta property="og:site_name" content="Coastal Daily">"#),
        None,
    );
    assert_eq!(page.title, "Harbor reopens after strike");
}

fn date_of(head: &str, url: Option<&str>) -> Option<String> {
    page_text(&furnished_page(head), url)
        .meta
        .published
        .map(|t| t.to_string())
}

#[test]
fn publication_date_from_json_ld() {
    let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","datePublished":"2031-01-01"},{"@type":"NewsArticle","headline":"Harbor reopens","datePublished":"2031-03-14T09:30:00+01:00","publisher":{"@type":"Organization","name":"Coastal Daily"}}]}</script>"#;
    assert_eq!(date_of(ld, None).as_deref(), Some("2031-03-14T08:30Z"));
}

#[test]
fn publication_date_from_opengraph() {
    let og = r#"<meta property="article:published_time" content="2031-03-14T10:15:00Z">"#;
    assert_eq!(date_of(og, None).as_deref(), Some("2031-03-14T10:15Z"));
}

#[test]
fn publication_date_from_a_time_element() {
    let html = furnished_page("").replace(
        "<h1>Harbor reopens after strike</h1>",
        r#"<h1>Harbor reopens after strike</h1><time datetime="2031-03-14T07:00:00Z" pubdate>March 14</time>"#,
    );
    let page = page_text(&html, None);
    assert_eq!(
        page.meta.published.map(|t| t.to_string()).as_deref(),
        Some("2031-03-14T07:00Z")
    );
}

#[test]
fn publication_date_from_the_url() {
    assert_eq!(
        date_of(
            "",
            Some("https://coastal.example/2031/03/14/harbor-reopens")
        )
        .as_deref(),
        Some("2031-03-14")
    );
    assert_eq!(
        date_of("", Some("https://coastal.example/news/harbor")),
        None
    );
}

#[test]
fn broken_json_ld_still_gives_its_date() {
    let ld = r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2031-03-14",}</script>"#;
    assert_eq!(date_of(ld, None).as_deref(), Some("2031-03-14"));
}

#[test]
fn outlet_from_site_name_or_domain() {
    let doc = |html: String, url: &str| Document {
        origin: Origin::file("t.html"),
        payload: Payload::Page {
            bytes: html.into_bytes(),
            charset: None,
        },
        url: Some(url.into()),
        record_id: None,
    };
    let opts = IngestOptions::default();
    let named = process_document(
        doc(
            furnished_page(r#"<meta property="og:site_name" content="Coastal Daily">"#),
            "https://www.coastal.example/news/harbor",
        ),
        &opts,
    )
    .unwrap();
    assert_eq!(named.article.source.as_deref(), Some("Coastal Daily"));
    let unnamed = process_document(
        doc(
            furnished_page(""),
            "https://www.coastal.example/news/harbor",
        ),
        &opts,
    )
    .unwrap();
    assert_eq!(unnamed.article.source.as_deref(), Some("coastal.example"));
}

#[test]
fn canonical_url_is_the_id_and_resolves_relative_links() {
    let html = furnished_page(r#"<link rel="canonical" href="/news/harbor-reopens">"#);
    let doc = Document {
        origin: Origin::file("x.warc"),
        payload: Payload::Page {
            bytes: html.into_bytes(),
            charset: None,
        },
        url: Some("https://coastal.example/news/harbor-reopens?utm_source=feed".into()),
        record_id: Some("<urn:uuid:1>".into()),
    };
    let a = process_document(doc, &IngestOptions::default()).unwrap();
    assert_eq!(a.article.id, "https://coastal.example/news/harbor-reopens");
    assert_eq!(
        a.article.url.as_deref(),
        Some("https://coastal.example/news/harbor-reopens")
    );
}

#[test]
fn a_canonical_pointing_at_the_home_page_is_ignored() {
    let html = furnished_page(r#"<link rel="canonical" href="https://coastal.example/">"#);
    let page = page_text(&html, Some("https://coastal.example/news/harbor"));
    assert_eq!(page.meta.canonical, None);
}

#[test]
fn a_page_with_no_article_gives_none() {
    let html = r#"<html><body><nav><a href="/">Home</a> <a href="/b">World</a></nav><div class="login">Sign in to continue</div></body></html>"#;
    match extract(html, None, &ExtractOptions::default()) {
        Err(e) => assert_eq!(e, ExtractError::NoArticle),
        Ok(page) => assert!(page.text.split_whitespace().count() < 8, "{}", page.text),
    }
    let doc = Document {
        origin: Origin::file("login.html"),
        payload: Payload::Page {
            bytes: html.as_bytes().to_vec(),
            charset: None,
        },
        url: None,
        record_id: None,
    };
    let r = process_document(doc, &IngestOptions::default()).unwrap_err();
    assert!(
        matches!(r.reason, Reason::NoArticle | Reason::TooShort { .. }),
        "{r}"
    );
}

// ----------------------------------------------------------------------------- encodings

const FRENCH: &[&str] = &[
    "Le port d’Eastport a rouvert lundi après une grève de trois semaines des dockers, qui s’est terminée par un accord salarial.",
    "Les grues ont recommencé à tourner à l’aube et le premier porte-conteneurs a quitté le port peu avant midi, selon l’autorité portuaire.",
    "L’accord prévoit une hausse des salaires de six pour cent sur deux ans et une prime de nuit, a déclaré le syndicat devant les grilles.",
];

const JAPANESE: &[&str] = &[
    "イーストポート港は月曜日、港湾労働者による三週間のストライキが賃金合意で終わったことを受けて再開した。",
    "夜明けとともにクレーンが再び動き始め、最初のコンテナ船が正午前に港を出たと港湾当局は発表した。",
    "合意では二年間で賃金を六パーセント引き上げ、夜勤手当を新設すると組合は声明で述べた。",
];

fn any_lang() -> IngestOptions {
    IngestOptions {
        langs: LangFilter::Any,
        min_words: 1,
        ..IngestOptions::default()
    }
}

fn extract_bytes(bytes: Vec<u8>, charset: Option<&str>, url: Option<&str>) -> String {
    let doc = Document {
        origin: Origin::file("enc.html"),
        payload: Payload::Page {
            bytes,
            charset: charset.map(str::to_string),
        },
        url: url.map(str::to_string),
        record_id: None,
    };
    let a = process_document(doc, &any_lang()).expect("an article");
    format!("{}\n{}", a.article.title, a.article.text)
}

fn encode(enc: &'static encoding_rs::Encoding, s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = enc.encode(s);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn windows_1252_declared_in_the_http_header() {
    let html = simple_page("Le port rouvre à Eastport", FRENCH);
    let bytes = encode(encoding_rs::WINDOWS_1252, &html);
    let text = extract_bytes(bytes, Some("windows-1252"), None);
    assert!(text.contains("Le port rouvre à Eastport"), "{text}");
    assert!(text.contains("s’est terminée"), "{text}");
}

#[test]
fn windows_1252_declared_in_a_meta_tag() {
    let html = simple_page("Le port rouvre à Eastport", FRENCH).replace(
        "<head>",
        r#"<head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">"#,
    );
    // The HTML spec reads iso-8859-1 as windows-1252, which has the curly apostrophe.
    let bytes = encode(encoding_rs::WINDOWS_1252, &html);
    let text = extract_bytes(bytes, None, None);
    assert!(text.contains("après une grève"), "{text}");
    assert!(text.contains("l’aube"), "{text}");
}

#[test]
fn windows_1252_undeclared_is_guessed() {
    let html = simple_page("Le port rouvre à Eastport", FRENCH);
    let bytes = encode(encoding_rs::WINDOWS_1252, &html);
    let text = extract_bytes(bytes, None, Some("https://journal.example.fr/port"));
    assert!(text.contains("après une grève"), "{text}");
}

#[test]
fn shift_jis_declared_in_the_http_header() {
    let html = simple_page("イーストポート港が再開", JAPANESE);
    let text = extract_bytes(
        encode(encoding_rs::SHIFT_JIS, &html),
        Some("Shift_JIS"),
        None,
    );
    assert!(text.contains("港湾労働者"), "{text}");
}

#[test]
fn shift_jis_declared_in_a_meta_tag() {
    let html = simple_page("イーストポート港が再開", JAPANESE)
        .replace("<head>", r#"<head><meta charset="shift_jis">"#);
    let text = extract_bytes(encode(encoding_rs::SHIFT_JIS, &html), None, None);
    assert!(text.contains("夜勤手当"), "{text}");
}

#[test]
fn shift_jis_undeclared_is_guessed() {
    let html = simple_page("イーストポート港が再開", JAPANESE);
    let text = extract_bytes(
        encode(encoding_rs::SHIFT_JIS, &html),
        None,
        Some("https://news.example.jp/a"),
    );
    assert!(text.contains("コンテナ船"), "{text}");
}

#[test]
fn utf8_page_mislabelled_as_latin1_is_read_as_utf8() {
    let html = simple_page("Le port rouvre à Eastport", FRENCH);
    let text = extract_bytes(html.into_bytes(), Some("iso-8859-1"), None);
    assert!(text.contains("après une grève"), "{text}");
}

#[test]
fn language_filter_keeps_english_and_reports_the_rest() {
    let html = simple_page("Le port rouvre à Eastport", FRENCH);
    let doc = Document {
        origin: Origin::file("fr.html"),
        payload: Payload::Page {
            bytes: html.into_bytes(),
            charset: None,
        },
        url: None,
        record_id: None,
    };
    let opts = IngestOptions {
        min_words: 1,
        ..IngestOptions::default()
    };
    let r = process_document(doc.clone(), &opts).unwrap_err();
    assert_eq!(r.reason, Reason::Language("fr".into()));
    let kept = process_document(
        doc,
        &IngestOptions {
            langs: LangFilter::parse("en,fr").unwrap(),
            ..opts
        },
    )
    .unwrap();
    assert_eq!(kept.lang.as_deref(), Some("fr"));
}

#[test]
fn a_story_wrapper_named_like_furniture_is_kept_beside_long_comments() {
    let story: String = STORY.iter().map(|p| format!("<p>{p}</p>")).collect();
    let comment = "<p>I have lived in this town for forty years and I have never seen the harbor closed for so long, it hurt every shop on the waterfront and the cafes too.</p>";
    let html = format!(
        r#"<html><body><div class="story-body has-share-tools">{story}</div><div class="comments-area">{}</div></body></html>"#,
        comment.repeat(12)
    );
    let page = page_text(&html, None);
    for p in STORY {
        assert!(page.text.contains(p), "kept: {p}\n---\n{}", page.text);
    }
    assert!(!page.text.contains("forty years"), "{}", page.text);
}

#[test]
fn the_h1_drops_decoration_around_the_headline() {
    let html = furnished_page("").replace(
        "<title>Harbor reopens after strike | Coastal Daily</title>",
        "<title>Opinion | Harbor reopens after strike - Coastal News Network</title>",
    );
    assert_eq!(page_text(&html, None).title, "Harbor reopens after strike");
}
