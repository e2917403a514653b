//! Sitemaps (the sitemaps.org protocol, with Google's news extension) and sitemap indexes,
//! read with `quick-xml`.
//!
//! A news sitemap gives, per `<url>`: its `<loc>`, and under `<news:news>` the publication's
//! name and language, the publication date and the title. A plain sitemap gives `<loc>` and
//! `<lastmod>`; its entries have no title until their page is fetched.

use quick_xml::Reader;
use quick_xml::events::Event;
use storyline::date::Timestamp;

use crate::{Entry, FeedError, Kind, Limits, Parsed, collapse, resolve};

/// Reads a `<urlset>` or a `<sitemapindex>`.
pub fn parse(
    text: &str,
    base: Option<&str>,
    limits: &Limits,
    kind: Kind,
) -> Result<Parsed, FeedError> {
    let mut out = Parsed::new(kind);
    let mut reader = Reader::from_str(text);
    let mut path: Vec<String> = Vec::new();
    let mut current: Option<Fields> = None;
    let mut buf = String::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| FeedError::Xml(format!("{e} at byte {}", reader.buffer_position())))?;
        match event {
            Event::Start(s) => {
                let name = local(s.name().as_ref());
                if name == "url" || name == "sitemap" {
                    current = Some(Fields::default());
                }
                path.push(name);
                buf.clear();
                if path.len() > 64 {
                    return Err(FeedError::Xml("nested too deeply".into()));
                }
            }
            Event::Text(t) => buf.push_str(&t.xml10_content()),
            Event::CData(t) => buf.push_str(&t),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    buf.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    buf.push_str(s);
                }
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                let value = collapse(&buf);
                buf.clear();
                if let Some(f) = current.as_mut() {
                    match name.as_str() {
                        "loc" if path.last().is_some_and(|p| p == "url" || p == "sitemap") => {
                            f.loc = Some(value)
                        }
                        "lastmod" => f.lastmod = Some(value),
                        "name" => f.publication = Some(value),
                        "language" => f.lang = Some(value),
                        "publication_date" => f.published = Some(value),
                        "title" => f.title = Some(value),
                        _ => {}
                    }
                }
                if name == "url" || name == "sitemap" {
                    let Some(f) = current.take() else { continue };
                    let Some(loc) = f.loc.filter(|l| !l.is_empty()) else {
                        continue;
                    };
                    let loc = resolve(base, &loc);
                    if name == "sitemap" {
                        if out.links.len() < limits.max_links {
                            out.links.push(loc);
                        } else {
                            out.left_out += 1;
                        }
                        continue;
                    }
                    if out.entries.len() >= limits.max_entries {
                        out.left_out += 1;
                        continue;
                    }
                    if out.outlet.is_none() {
                        out.outlet = f.publication.clone();
                    }
                    let date = f
                        .published
                        .as_deref()
                        .or(f.lastmod.as_deref())
                        .and_then(Timestamp::parse);
                    out.entries.push(Entry {
                        id: loc.clone(),
                        title: f.title.unwrap_or_default(),
                        url: Some(loc),
                        date,
                        updated: f.lastmod.as_deref().and_then(Timestamp::parse),
                        text: String::new(),
                        lang: f.lang,
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out)
}

#[derive(Default)]
struct Fields {
    loc: Option<String>,
    lastmod: Option<String>,
    publication: Option<String>,
    lang: Option<String>,
    published: Option<String>,
    title: Option<String>,
}

/// An element's name without its namespace prefix, lowercased.
pub(crate) fn local(qname: &str) -> String {
    let name = qname.rsplit_once(':').map_or(qname, |(_, n)| n);
    name.to_ascii_lowercase()
}
