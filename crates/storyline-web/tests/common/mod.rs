//! Hand-made pages and archives for the tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// A fresh scratch folder for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("storyline-web-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The story every test page carries (fictional).
pub const STORY: &[&str] = &[
    "The Eastport harbor reopened on Monday after a three-week strike by dock workers ended with a wage deal that both sides called fair.",
    "Cranes began moving again at dawn, and the first container ship left the port shortly before noon, according to the harbor authority.",
    "The agreement raises wages by six percent over two years and adds a night-shift bonus, the union said in a statement read outside the gates.",
    "Fishing crews, who had lost weeks of income while the strike kept the harbor closed, welcomed the deal but asked the city for compensation.",
    "The mayor said the city would study the request and thanked both sides for returning to the table after talks collapsed twice in October.",
];

/// A news page with every kind of furniture around the story: navigation, an ad, a
/// captioned figure, a share bar, a related-links box, comments, a footer.
pub fn furnished_page(head_extra: &str) -> String {
    let paragraphs: String = STORY.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbor reopens after strike | Coastal Daily</title>
{head_extra}
</head><body>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<div class="ad-slot advertisement">Advertisement: Buy the new Zephyr phone today, limited offer</div>
<main><article>
<h1>Harbor reopens after strike</h1>
<div class="byline">By Jane Doe, Staff Reporter</div>
<div class="share-bar"><a href="https://facebook.example/share">Share on Facebook</a> <a href="https://twitter.example/share">Tweet this story</a></div>
<figure><img src="cranes.jpg" alt=""><figcaption>Cranes stand idle at the Eastport container terminal during the strike. Photo: Sam Lee</figcaption></figure>
{paragraphs}
<div class="related-stories"><h3>Related</h3><ul><li><a href="/a">Port strike enters third week as talks stall</a></li><li><a href="/b">Union leader calls for calm on the docks</a></li><li><a href="/c">Ten photos of the harbor at night</a></li></ul></div>
</article></main>
<section id="comments" class="comments"><h2>Comments</h2><div class="comment"><p>Great news for the town, finally the ships are moving again and we can all get back to work.</p></div><div class="comment"><p>I wonder how long this deal will last, the last one fell apart within a year of being signed.</p></div></section>
<footer><p>Copyright 2031 Coastal Daily. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"#
    )
}

/// A plain article page in `lang` with a title and paragraphs, nothing else.
pub fn simple_page(title: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<html><head><title>{title}</title></head><body><article><h1>{title}</h1>\n{body}</article></body></html>"
    )
}

/// An HTTP response block.
pub fn http_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for (k, v) in headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// One WARC record with a correct Content-Length.
pub fn warc_record(warc_type: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    warc_record_with_length(warc_type, uri, content_type, block, block.len())
}

/// One WARC record that declares `length` whatever the block's real size.
pub fn warc_record_with_length(
    warc_type: &str,
    uri: &str,
    content_type: &str,
    block: &[u8],
    length: usize,
) -> Vec<u8> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\nWARC-Date: 2031-03-14T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// A response record of an HTML page (200, text/html).
pub fn html_record(uri: &str, html: &[u8], charset: Option<&str>) -> Vec<u8> {
    let ct = match charset {
        Some(c) => format!("text/html; charset={c}"),
        None => "text/html".to_string(),
    };
    let http = http_response("200 OK", &[("Content-Type", &ct)], html);
    warc_record("response", uri, "application/http; msgtype=response", &http)
}

/// Gzip of `bytes` as one member.
pub fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

/// A `.warc.gz` with one gzip member per record, as CC-NEWS files are.
pub fn warc_gz(records: &[Vec<u8>]) -> Vec<u8> {
    records.iter().flat_map(|r| gz(r)).collect()
}
