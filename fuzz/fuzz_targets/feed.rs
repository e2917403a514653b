//! Feed, sitemap, OPML and feed-list parsing on arbitrary bytes (`storyline_feed::parse`), and
//! every entry turned into an article.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = storyline_feed::Limits {
        max_entries: 64,
        max_links: 64,
    };
    if let Ok(parsed) = storyline_feed::parse(data, Some("https://fuzz.example/feed"), &limits) {
        for e in &parsed.entries {
            let _ = e.to_article(parsed.outlet.as_deref());
        }
    }
});
