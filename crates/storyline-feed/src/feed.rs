//! JSON Feed through `feed-rs`, under `catch_unwind` (RSS, RDF and Atom are read by
//! `xml_feed`).

use std::panic::{AssertUnwindSafe, catch_unwind};

use feed_rs::model::{self, Text};
use storyline::date::Timestamp;
use storyline_web::html::fragment_text;

use crate::{Entry, FeedError, Kind, Limits, Parsed, charset, collapse, resolve};

/// Reads a feed document.
pub fn parse(bytes: &[u8], base: Option<&str>, limits: &Limits) -> Result<Parsed, FeedError> {
    // Decoded here (declared charset, else UTF-8, else windows-1252), so that feed-rs
    // always reads UTF-8.
    let utf8 = charset::to_utf8_xml(bytes, None);
    let parser = feed_rs::parser::Builder::new().base_uri(base).build();
    let feed = match catch_unwind(AssertUnwindSafe(|| parser.parse(utf8.as_slice()))) {
        Ok(Ok(feed)) => feed,
        Ok(Err(e)) => return Err(FeedError::Feed(e.to_string())),
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return Err(FeedError::Panic(why));
        }
    };
    let mut out = Parsed::new(Kind::Feed);
    out.outlet = feed.title.as_ref().map(plain).filter(|t| !t.is_empty());
    let feed_lang = feed.language.clone();
    let base = feed
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.clone())
        .or_else(|| base.map(str::to_string));
    for e in feed.entries {
        if out.entries.len() >= limits.max_entries {
            out.left_out += 1;
            continue;
        }
        out.entries
            .push(entry(e, base.as_deref(), feed_lang.as_deref()));
    }
    Ok(out)
}

fn entry(e: model::Entry, base: Option<&str>, feed_lang: Option<&str>) -> Entry {
    let link = e
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or_else(|| e.links.first())
        .map(|l| l.href.clone());
    // RSS: a guid that is a URL is the permalink when no link is given.
    let link = link.or_else(|| {
        let id = e.id.trim();
        (id.starts_with("http://") || id.starts_with("https://")).then(|| id.to_string())
    });
    let url = link.map(|l| {
        let l = l.trim();
        if l.starts_with("http://") || l.starts_with("https://") {
            l.to_string()
        } else {
            resolve(e.base.as_deref().or(base), l)
        }
    });
    let content = e
        .content
        .as_ref()
        .and_then(|c| {
            let body = c.body.as_deref()?;
            Some(as_text(body, &c.content_type.to_string()))
        })
        .filter(|t| !t.is_empty());
    let text = content
        .or_else(|| e.summary.as_ref().map(plain))
        .unwrap_or_default();
    let date = e
        .published
        .or(e.updated)
        .map(|d| Timestamp::from_utc(d.naive_utc()));
    Entry {
        id: if e.id.trim().is_empty() {
            url.clone().unwrap_or_default()
        } else {
            e.id.trim().to_string()
        },
        title: e.title.as_ref().map(plain).unwrap_or_default(),
        url,
        date,
        updated: e.updated.map(|d| Timestamp::from_utc(d.naive_utc())),
        text,
        lang: e.language.clone().or_else(|| feed_lang.map(str::to_string)),
    }
}

/// A feed text element as plain text.
fn plain(t: &Text) -> String {
    as_text(&t.content, &t.content_type.to_string())
}

/// Markup (HTML, XHTML) through the HTML cleaning; plain text with its lines trimmed.
fn as_text(body: &str, content_type: &str) -> String {
    let ct = content_type.to_ascii_lowercase();
    if ct.contains("html") || ct.contains("xml") {
        fragment_text(body)
    } else {
        body.lines()
            .map(collapse)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}
