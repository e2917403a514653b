//! The forms of RSS and Atom that an established feed parser's test suite exercises
//! (`tools/feed-suite/run.py` runs feedparser's cases): each class of document that was
//! misread once, written small here.

use storyline_feed::{EntryFilter, Limits, Parsed, Skipped, entry_article, parse};
use storyline_web::lang::LangFilter;

fn read(xml: &str) -> Parsed {
    parse(xml.as_bytes(), None, &Limits::default()).unwrap_or_else(|e| panic!("{e}: {xml}"))
}

fn unix(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

#[test]
fn atom_0_3_entries_are_read_with_escaped_titles_and_issued_dates() {
    let got = read(
        r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#">
        <title>Old Atom Daily</title>
        <entry>
          <title type="text/html" mode="escaped">Tolls &amp;amp; fares</title>
          <link rel="alternate" type="text/html" href="http://old.example/a/1"/>
          <issued>2031-03-12T09:30:00Z</issued>
          <modified>2031-03-13T09:30:00Z</modified>
          <content type="text/html" mode="escaped">&lt;p&gt;Fares rise on &lt;b&gt;Monday&lt;/b&gt;.&lt;/p&gt;</content>
        </entry>
        </feed>"#,
    );
    assert_eq!(got.outlet.as_deref(), Some("Old Atom Daily"));
    let e = &got.entries[0];
    assert_eq!(e.title, "Tolls & fares");
    assert_eq!(e.url.as_deref(), Some("http://old.example/a/1"));
    assert_eq!(e.date.unwrap().unix_seconds(), unix("2031-03-12T09:30:00Z"));
    assert_eq!(e.text, "Fares rise on Monday.");
}

#[test]
fn base64_content_is_decoded() {
    // "Ferries <b>return</b>" in base64, as Atom 0.3's mode="base64" and Atom 1.0's
    // non-text media types carry it.
    let got = read(
        r#"<feed xmlns="http://purl.org/atom/ns#"><entry>
          <content type="text/html" mode="base64">RmVycmllcyA8Yj5yZXR1cm48L2I+</content>
        </entry></feed>"#,
    );
    assert_eq!(got.entries[0].text, "Ferries return");
    let got = read(
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Ferries</title>
          <summary type="application/octet-stream">RmVycmllcyA8Yj5yZXR1cm48L2I+</summary>
        </entry></feed>"#,
    );
    assert_eq!(got.entries[0].text, "Ferries return");
}

#[test]
fn an_unknown_content_type_does_not_lose_the_feed() {
    let got = read(
        r#"<feed xmlns="http://www.w3.org/2005/Atom">
          <entry><title type="application/xhtml+xml"><div xmlns="http://www.w3.org/1999/xhtml">Bridge <i>open</i></div></title></entry>
          <entry><title>Second</title></entry>
        </feed>"#,
    );
    let titles: Vec<_> = got.entries.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Bridge open", "Second"]);
}

#[test]
fn rss_without_a_version_and_rss_0_90_are_read() {
    let got = read(
        "<rss><channel><item><title>No version</title>\
         <link>http://x.example/1</link></item></channel></rss>",
    );
    assert_eq!(got.entries[0].title, "No version");
    let got = read(
        r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
             xmlns="http://my.netscape.com/rdf/simple/0.9/">
          <channel><title>Netscape era</title></channel>
          <item><title>Oldest form</title><link>http://x.example/2</link></item>
        </rdf:RDF>"#,
    );
    assert_eq!(got.outlet.as_deref(), Some("Netscape era"));
    assert_eq!(got.entries[0].title, "Oldest form");
    assert_eq!(got.entries[0].url.as_deref(), Some("http://x.example/2"));
}

#[test]
fn inline_xhtml_gives_its_text_without_the_script() {
    let got = read(
        r#"<rss version="2.0"><channel><item>
          <body xmlns="http://www.w3.org/1999/xhtml">safe<script>location.href='x';</script> text <a onclick="steal()">here</a></body>
        </item></channel></rss>"#,
    );
    assert_eq!(got.entries[0].text, "safe text here");
    let got = read(
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry>
          <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Port <style>p{}</style>reopens</div></content>
        </entry></feed>"#,
    );
    assert_eq!(got.entries[0].text, "Port reopens");
}

#[test]
fn escaped_html_wrapped_in_a_div_is_read_as_html() {
    let got = read(
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry>
          <content type="html"><div xmlns="http://www.w3.org/1999/xhtml">Example &lt;b&gt;bold&lt;/b&gt;&lt;script&gt;x()&lt;/script&gt;</div></content>
        </entry></feed>"#,
    );
    assert_eq!(got.entries[0].text, "Example bold");
}

#[test]
fn atom_plain_text_keeps_its_brackets() {
    let got = read(
        r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry>
          <title type="text">History of the &lt;blink&gt; tag</title></entry></feed>"#,
    );
    assert_eq!(got.entries[0].title, "History of the <blink> tag");
}

#[test]
fn cdata_and_entities_in_rss_are_decoded_as_xml_then_as_html() {
    // A description is HTML: `&amp;amp;` is `&amp;` in the XML, `&` in the HTML.
    let got = read(
        "<rss version=\"2.0\"><channel><item>\
         <title><![CDATA[Fish &amp; chips]]></title>\
         <description>Caf&#233; &lt;b&gt;owners&lt;/b&gt; &amp;amp; staff</description>\
         </item></channel></rss>",
    );
    let e = &got.entries[0];
    assert_eq!(e.title, "Fish & chips");
    assert_eq!(e.text, "Café owners & staff");
}

#[test]
fn relative_links_are_resolved_against_xml_base() {
    let got = read(
        r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://news.example/world/">
          <entry xml:base="africa/"><title>Rains</title><link href="rains.html"/></entry>
          <entry><title>Dry</title><link href="/dry.html"/></entry>
        </feed>"#,
    );
    assert_eq!(
        got.entries[0].url.as_deref(),
        Some("http://news.example/world/africa/rains.html")
    );
    assert_eq!(
        got.entries[1].url.as_deref(),
        Some("http://news.example/dry.html")
    );
}

#[test]
fn the_last_of_repeated_dates_wins_and_a_wrong_weekday_is_ignored() {
    let got = read(
        r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry><title>t</title>
          <issued>Thu, 01 Jan 2004 19:48:21 GMT</issued>
          <published>Sat, 01 Jan 2010 19:48:21 GMT</published>
        </entry></feed>"#,
    );
    assert_eq!(
        got.entries[0].date.unwrap().unix_seconds(),
        unix("2010-01-01T19:48:21Z")
    );
}

#[test]
fn a_long_comment_before_the_root_does_not_hide_the_feed() {
    let xml = format!(
        "<!--\n{}\n-->\n<rss version=\"2.0\"><channel><item><title>After the comment</title></item></channel></rss>",
        "A note that runs long. ".repeat(200)
    );
    assert!(storyline_feed::looks_like_source(xml.as_bytes()));
    assert_eq!(read(&xml).entries[0].title, "After the comment");
}

#[test]
fn an_entry_without_id_or_link_keeps_the_same_id_when_read_again() {
    let xml = "<rss version=\"2.0\"><channel><item><title>Untagged</title>\
               <description>No guid, no link.</description></item></channel></rss>";
    let (a, b) = (read(xml), read(xml));
    assert_eq!(a.entries[0].id, b.entries[0].id);
    assert!(!a.entries[0].id.is_empty());
}

#[test]
fn an_empty_entry_is_kept_only_when_asked() {
    let got = read(
        "<rss version=\"2.0\"><channel><item><link>http://x.example/only-a-link</link></item></channel></rss>",
    );
    let any = LangFilter::parse("any").unwrap();
    let mut filter = EntryFilter {
        langs: &any,
        min_words: 0,
        keep_empty: false,
    };
    assert_eq!(
        entry_article(&got.entries[0], None, &filter).unwrap_err(),
        Skipped::Empty
    );
    filter.keep_empty = true;
    let (article, _) = entry_article(&got.entries[0], None, &filter).unwrap();
    assert_eq!(article.url.as_deref(), Some("http://x.example/only-a-link"));
}

#[test]
fn a_document_of_multibyte_characters_is_an_error_not_a_panic() {
    // Bytes that decode to characters of several bytes right where a doctype is looked for.
    let got = parse(
        "<o\u{fffd}\u{fffd}\u{fffd}@\u{fffd}".as_bytes(),
        None,
        &Limits::default(),
    );
    assert!(got.is_err());
    let got = parse(
        "\u{fffd}\u{fffd}<!\u{fffd}\u{fffd}".as_bytes(),
        None,
        &Limits::default(),
    );
    assert!(got.is_err());
    let got = parse(
        "<!\u{fffd}\u{fffd}\u{fffd}x".as_bytes(),
        None,
        &Limits::default(),
    );
    assert!(got.is_err());
}
