//! Lists of sources: OPML outlines (what every feed reader imports and exports) and plain
//! lists, one URL per line with `#` comments (`feeds.txt`).

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::sitemap::local;
use crate::{FeedError, Kind, Limits, Parsed, resolve};

/// Reads an OPML document: every `<outline xmlUrl=...>` is a feed (nested outlines are
/// folders).
pub fn parse_opml(text: &str, base: Option<&str>, limits: &Limits) -> Result<Parsed, FeedError> {
    let mut out = Parsed::new(Kind::Opml);
    let mut reader = Reader::from_str(text);
    loop {
        let event = reader
            .read_event()
            .map_err(|e| FeedError::Xml(format!("{e} at byte {}", reader.buffer_position())))?;
        match event {
            Event::Start(s) | Event::Empty(s) if local(s.name().as_ref()) == "outline" => {
                for a in s.attributes().flatten() {
                    if !a.key.as_ref().eq_ignore_ascii_case("xmlurl") {
                        continue;
                    }
                    let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) else {
                        continue;
                    };
                    let v = v.trim();
                    if v.is_empty() {
                        continue;
                    }
                    if out.links.len() < limits.max_links {
                        out.links.push(resolve(base, v));
                    } else {
                        out.left_out += 1;
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

/// Reads a list of URLs, one per line; blank lines and `#` comments are skipped, as is
/// anything that is not an http(s) address (a binary or a prose file gives an error).
pub fn parse_lines(text: &str, base: Option<&str>, limits: &Limits) -> Result<Parsed, FeedError> {
    let mut out = Parsed::new(Kind::List);
    let mut other = 0usize;
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let lower = line.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://"))
            || line.contains(char::is_whitespace)
        {
            other += 1;
            continue;
        }
        if out.links.len() < limits.max_links {
            out.links.push(resolve(base, line));
        } else {
            out.left_out += 1;
        }
    }
    if out.links.is_empty() {
        return Err(if other == 0 {
            FeedError::Empty
        } else {
            FeedError::Unknown
        });
    }
    Ok(out)
}
