//! RSS 0.90/0.9x/1.0 (RDF)/2.0 and Atom 0.3/1.0, read with `quick-xml`.
//!
//! Written here rather than through `feed-rs` (which still reads JSON Feed, in `feed`):
//! feed-rs refuses a whole feed over one entry's unknown content type, does not read Atom 0.3,
//! RSS without a version or RSS 0.90's namespace, leaves base64 content encoded, and gives an
//! entry without an id a random one, so a feed read twice looks new. Checked against the
//! well-formed test cases of Python's feedparser by `tools/feed-suite/run.py`.
//!
//! What an entry gives: the title; the link (RSS `<link>`, Atom's `rel="alternate"`, else a
//! permalink `<guid>`), resolved against `xml:base`; the published date (else updated, else
//! created); the content (`content:encoded`, Atom `<content>`, `xhtml:body`), else the
//! summary (`<description>`, Atom `<summary>`), as plain text. Markup goes through the
//! project's HTML cleaning, so no script, style or event-handler text reaches an article.

use base64::Engine as _;
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use storyline::date::Timestamp;
use storyline_web::html::fragment_text;

use crate::{Entry, FeedError, Kind, Limits, Parsed, collapse, fnv64, resolve};

/// Elements nested deeper than this make the document unreadable.
const MAX_DEPTH: usize = 256;

/// The namespaces whose elements mean something for an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// No namespace, RSS 0.90/1.0/2.0 or Atom: the feed's own elements.
    Core {
        atom: bool,
    },
    Content,
    Dc,
    DcTerms,
    Xhtml,
    Itunes,
    Media,
    Other,
}

impl Ns {
    fn of(resolved: &ResolveResult<'_>) -> Ns {
        match resolved {
            ResolveResult::Unbound => Ns::Core { atom: false },
            ResolveResult::Bound(ns) => match ns.into_inner() {
                "http://www.w3.org/2005/Atom" | "http://purl.org/atom/ns#" => {
                    Ns::Core { atom: true }
                }
                "http://purl.org/rss/1.0/"
                | "http://my.netscape.com/rdf/simple/0.9/"
                | "http://backend.userland.com/rss2"
                | "http://blogs.law.harvard.edu/tech/rss" => Ns::Core { atom: false },
                "http://purl.org/rss/1.0/modules/content/" => Ns::Content,
                "http://purl.org/dc/elements/1.1/" => Ns::Dc,
                "http://purl.org/dc/terms/" => Ns::DcTerms,
                "http://www.w3.org/1999/xhtml" => Ns::Xhtml,
                "http://search.yahoo.com/mrss/" => Ns::Media,
                // The podcast namespace is declared in two spellings.
                uri if uri.eq_ignore_ascii_case("http://www.itunes.com/dtds/podcast-1.0.dtd") => {
                    Ns::Itunes
                }
                _ => Ns::Other,
            },
            // A prefix used without its declaration: the usual ones are known by name.
            ResolveResult::Unknown(prefix) => match prefix.as_str() {
                "atom" => Ns::Core { atom: true },
                "content" => Ns::Content,
                "dc" => Ns::Dc,
                "dcterms" => Ns::DcTerms,
                "xhtml" => Ns::Xhtml,
                "itunes" => Ns::Itunes,
                "media" => Ns::Media,
                _ => Ns::Other,
            },
        }
    }
}

/// The entry (or feed) field an element fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Title,
    Link,
    Id,
    Guid,
    Published,
    Updated,
    Created,
    Summary,
    Content,
    Language,
}

/// The field of an element and its rank among the elements filling it (lower wins).
fn slot(ns: Ns, local: &str) -> Option<(Slot, u8)> {
    Some(match (ns, local) {
        (Ns::Core { .. }, "title") => (Slot::Title, 0),
        (Ns::Dc, "title") => (Slot::Title, 1),
        (Ns::Media, "title") => (Slot::Title, 2),
        (Ns::Core { .. }, "link") => (Slot::Link, 0),
        (Ns::Core { atom: true }, "id") => (Slot::Id, 0),
        (Ns::Core { .. }, "guid") => (Slot::Guid, 0),
        (Ns::Core { .. }, "pubDate" | "published" | "issued") => (Slot::Published, 0),
        (Ns::Dc, "date") | (Ns::DcTerms, "issued") => (Slot::Published, 1),
        (Ns::Core { .. }, "updated" | "modified") => (Slot::Updated, 0),
        (Ns::DcTerms, "modified") => (Slot::Updated, 1),
        (Ns::Core { .. }, "created") | (Ns::DcTerms, "created") => (Slot::Created, 0),
        (Ns::Core { .. }, "description" | "summary") => (Slot::Summary, 0),
        (Ns::Dc, "description") => (Slot::Summary, 1),
        (Ns::Itunes, "summary") => (Slot::Summary, 2),
        (Ns::Content, "encoded") | (Ns::Xhtml, "body") => (Slot::Content, 0),
        (Ns::Core { atom: false }, "body") => (Slot::Content, 0),
        (Ns::Core { .. }, "content") => (Slot::Content, 0),
        (Ns::Core { .. }, "fullitem") => (Slot::Content, 1),
        (Ns::Core { .. } | Ns::Dc, "language") => (Slot::Language, 0),
        _ => return None,
    })
}

/// How an element's content is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Markup {
    /// Plain text (Atom `type="text"`): taken as it is.
    Text,
    /// Escaped HTML (RSS, Atom `type="html"`).
    Html,
    /// Inline XHTML (Atom `type="xhtml"`, Atom 0.3 `mode="xml"`): the child elements.
    Xhtml,
    /// Base64 (Atom 0.3 `mode="base64"`, an Atom 1.0 non-text media type), decoding to text
    /// or to HTML.
    Base64 { html: bool },
}

impl Markup {
    fn of(ns: Ns, type_attr: Option<&str>, mode: Option<&str>) -> Markup {
        let ty = type_attr.map(|t| t.trim().to_ascii_lowercase());
        let ty = ty.as_deref();
        let textual = matches!(ty, Some("text" | "text/plain" | "plain"));
        match mode.map(|m| m.trim().to_ascii_lowercase()).as_deref() {
            Some("base64") => return Markup::Base64 { html: !textual },
            Some("escaped") if !textual => return Markup::Html,
            Some("xml") => return Markup::Xhtml,
            _ => {}
        }
        match ty {
            _ if textual => Markup::Text,
            Some("html" | "text/html" | "escaped") => Markup::Html,
            Some("xhtml" | "application/xhtml+xml") => Markup::Xhtml,
            Some(t) if t.starts_with("text/") => Markup::Text,
            Some(t) if t.ends_with("xml") => Markup::Xhtml,
            Some(_) => Markup::Base64 { html: true },
            // Atom's default is text; RSS (and its modules) carry HTML.
            None if ns == (Ns::Core { atom: true }) => Markup::Text,
            None => Markup::Html,
        }
    }
}

/// An element whose content is being read.
struct Capture {
    slot: Slot,
    rank: u8,
    markup: Markup,
    /// The element said what its markup is (a `type` or `mode` attribute).
    typed: bool,
    /// Depth of the element in the document.
    depth: usize,
    /// Byte offset just after its start tag.
    start: usize,
    /// Its text, entities and CDATA decoded, child elements' text included.
    text: String,
    /// Child elements were met.
    children: bool,
    /// The base URI in effect at the element.
    base: Option<String>,
    /// RSS `<guid isPermaLink="false">`.
    not_permalink: bool,
    /// Whether this is the feed's own element rather than an entry's.
    feed_level: bool,
}

/// A field's value and the rank of the element it came from.
type Ranked = Option<(u8, String)>;

/// Keeps `value` unless the field holds one of a better rank; among elements of the same
/// rank the last wins (an Atom 0.3 entry's `<published>` after its `<issued>`, a repeated
/// `<updated>`), as in feedparser.
fn offer(field: &mut Ranked, rank: u8, value: String) {
    if field.as_ref().is_none_or(|(r, _)| rank <= *r) {
        *field = Some((rank, value));
    }
}

/// What an entry's elements gave, before they become an [`Entry`].
#[derive(Default)]
struct Fields {
    title: Ranked,
    link: Option<String>,
    id: Ranked,
    guid_link: Option<String>,
    published: Ranked,
    updated: Ranked,
    created: Ranked,
    summary: Ranked,
    content: Ranked,
    language: Ranked,
    /// `xml:lang` in effect at the entry.
    xml_lang: Option<String>,
}

/// The feed's own elements.
#[derive(Default)]
struct FeedFields {
    title: Ranked,
    link: Option<String>,
    language: Ranked,
}

/// Reads an RSS, RDF or Atom document (already decoded).
pub fn parse(text: &str, base: Option<&str>, limits: &Limits) -> Result<Parsed, FeedError> {
    let mut out = Parsed::new(Kind::Feed);
    let mut reader = NsReader::from_str(text);
    // Per open element: its base URI and language (inherited unless it sets its own), and
    // whether it is an entry.
    let mut stack: Vec<(Option<String>, Option<String>, bool)> = Vec::new();
    let mut entry: Option<(usize, Fields)> = None;
    let mut feed = FeedFields::default();
    let mut capture: Option<Capture> = None;
    let mut saw_root = false;
    loop {
        let before = offset(&reader);
        let (resolved, event) = match reader.read_resolved_event() {
            Ok((r, e)) => (Ns::of(&r), e),
            Err(e) => {
                // A feed cut or broken after some entries still gives them.
                if out.entries.is_empty() {
                    return Err(FeedError::Xml(format!(
                        "{e} at byte {}",
                        reader.error_position()
                    )));
                }
                break;
            }
        };
        match event {
            Event::Start(ref s) | Event::Empty(ref s) => {
                let empty = matches!(event, Event::Empty(_));
                let local = s.local_name().as_ref().to_string();
                if !saw_root {
                    saw_root = true;
                    if !matches!(local.as_str(), "rss" | "RDF" | "feed" | "channel") {
                        return Err(FeedError::Feed(format!("no feed here: <{local}>")));
                    }
                }
                let (parent_base, parent_lang) = stack
                    .last()
                    .map(|(b, l, _)| (b.clone(), l.clone()))
                    .unwrap_or_else(|| (base.map(str::to_string), None));
                let attrs = Attrs::of(s);
                let here_base = match &attrs.xml_base {
                    Some(b) => Some(resolve(parent_base.as_deref(), b)),
                    None => parent_base,
                };
                let here_lang = attrs.xml_lang.clone().or(parent_lang);
                let depth = stack.len();
                if let Some(c) = capture.as_mut() {
                    c.children = true;
                } else {
                    let is_entry = matches!(
                        (resolved, local.as_str()),
                        (Ns::Core { atom: false }, "item") | (Ns::Core { .. }, "entry")
                    );
                    if is_entry && entry.is_none() {
                        let fields = Fields {
                            xml_lang: here_lang.clone(),
                            ..Fields::default()
                        };
                        entry = Some((depth, fields));
                    } else if let Some((s_, rank)) = slot(resolved, &local) {
                        let child_of_entry = entry.as_ref().is_some_and(|(d, _)| depth == d + 1);
                        // The feed's own title, link and language: children of the channel
                        // or the feed, never of an image or a textinput.
                        // Depth 1: a child of the root (Atom's feed, RSS 1.0's channel is
                        // itself one); depth 2: a child of RSS's channel.
                        let child_of_feed = entry.is_none() && matches!(depth, 1 | 2);
                        if child_of_entry || child_of_feed {
                            if s_ == Slot::Link && attrs.href.is_some() {
                                let rel = attrs.rel.as_deref().unwrap_or("alternate");
                                if rel.eq_ignore_ascii_case("alternate")
                                    && let Some(href) = attrs.href.as_deref()
                                {
                                    // Without any base, the feed's own address.
                                    let base = here_base.as_deref().or(feed.link.as_deref());
                                    let url = resolve(base, href);
                                    if child_of_entry {
                                        if let Some((_, f)) = entry.as_mut() {
                                            f.link.get_or_insert(url);
                                        }
                                    } else {
                                        feed.link.get_or_insert(url);
                                    }
                                }
                            } else {
                                capture = Some(Capture {
                                    slot: s_,
                                    rank,
                                    markup: Markup::of(
                                        resolved,
                                        attrs.ty.as_deref(),
                                        attrs.mode.as_deref(),
                                    ),
                                    typed: attrs.ty.is_some() || attrs.mode.is_some(),
                                    depth,
                                    start: offset(&reader),
                                    text: String::new(),
                                    children: false,
                                    base: here_base.clone(),
                                    not_permalink: attrs
                                        .permalink
                                        .as_deref()
                                        .is_some_and(|p| p.trim().eq_ignore_ascii_case("false")),
                                    feed_level: child_of_feed,
                                });
                            }
                        }
                    }
                }
                if empty {
                    if let Some(c) = capture.take_if(|c| c.depth == depth) {
                        finish(c, "", entry.as_mut().map(|(_, f)| f), &mut feed);
                    }
                    if entry.as_ref().is_some_and(|(d, _)| *d == depth) {
                        close_entry(&mut entry, &mut out, limits, &feed);
                    }
                } else {
                    stack.push((here_base, here_lang, false));
                    if stack.len() > MAX_DEPTH {
                        return Err(FeedError::Xml("nested too deeply".into()));
                    }
                }
            }
            Event::End(_) => {
                stack.pop();
                let depth = stack.len();
                if let Some(c) = capture.take_if(|c| c.depth == depth) {
                    let raw = text.get(c.start..before).unwrap_or("");
                    finish(c, raw, entry.as_mut().map(|(_, f)| f), &mut feed);
                }
                if entry.as_ref().is_some_and(|(d, _)| *d == depth) {
                    close_entry(&mut entry, &mut out, limits, &feed);
                }
            }
            Event::Text(t) => {
                if let Some(c) = capture.as_mut() {
                    c.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(c) = capture.as_mut() {
                    c.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = capture.as_mut() {
                    if let Ok(Some(ch)) = r.resolve_char_ref() {
                        c.text.push(ch);
                    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                        c.text.push_str(s);
                    } else {
                        // An HTML entity the document never declared: left for the HTML
                        // reading to decode.
                        c.text.push('&');
                        c.text.push_str(&r);
                        c.text.push(';');
                    }
                }
            }
            Event::Eof => {
                // Cut short: the entries read whole are kept.
                if !stack.is_empty() && out.entries.is_empty() {
                    return Err(FeedError::Feed(
                        "the document ends before its elements close".into(),
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    if !saw_root {
        return Err(FeedError::Empty);
    }
    out.outlet = feed
        .title
        .map(|(_, t)| collapse(&t))
        .filter(|t| !t.is_empty());
    Ok(out)
}

fn offset(reader: &NsReader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

/// The attributes an element may carry that matter here.
#[derive(Default)]
struct Attrs {
    ty: Option<String>,
    mode: Option<String>,
    rel: Option<String>,
    href: Option<String>,
    permalink: Option<String>,
    xml_base: Option<String>,
    xml_lang: Option<String>,
}

impl Attrs {
    fn of(s: &BytesStart<'_>) -> Attrs {
        let mut a = Attrs::default();
        for attr in s.attributes().flatten() {
            let Ok(value) = attr.normalized_value(quick_xml::XmlVersion::Implicit1_0) else {
                continue;
            };
            let value = value.into_owned();
            match attr.key.as_ref() {
                "type" => a.ty = Some(value),
                "mode" => a.mode = Some(value),
                "rel" => a.rel = Some(value),
                "href" => a.href = Some(value),
                "isPermaLink" => a.permalink = Some(value),
                "xml:base" => a.xml_base = Some(value),
                "xml:lang" => a.xml_lang = Some(value).filter(|l| !l.trim().is_empty()),
                _ => {}
            }
        }
        a
    }
}

/// The value of a read element, stored in its field.
fn finish(c: Capture, raw: &str, entry: Option<&mut Fields>, feed: &mut FeedFields) {
    let value = match c.slot {
        Slot::Title | Slot::Summary | Slot::Content => as_text(&c, raw),
        _ => c.text.trim().to_string(),
    };
    if c.feed_level {
        match c.slot {
            Slot::Title => offer(&mut feed.title, c.rank, value),
            Slot::Link if !value.is_empty() => {
                feed.link
                    .get_or_insert_with(|| resolve(c.base.as_deref(), &value));
            }
            Slot::Language => offer(&mut feed.language, c.rank, value),
            _ => {}
        }
        return;
    }
    let Some(f) = entry else { return };
    match c.slot {
        Slot::Title => offer(&mut f.title, c.rank, collapse(&value)),
        Slot::Link if !value.is_empty() => {
            let base = c.base.as_deref().or(feed.link.as_deref());
            f.link.get_or_insert_with(|| resolve(base, &value));
        }
        Slot::Link => {}
        Slot::Id => offer(&mut f.id, c.rank, value),
        Slot::Guid => {
            if !c.not_permalink && (value.starts_with("http://") || value.starts_with("https://")) {
                f.guid_link.get_or_insert_with(|| value.clone());
            }
            offer(&mut f.id, c.rank, value);
        }
        Slot::Published => offer(&mut f.published, c.rank, value),
        Slot::Updated => offer(&mut f.updated, c.rank, value),
        Slot::Created => offer(&mut f.created, c.rank, value),
        Slot::Summary => offer(&mut f.summary, c.rank, value),
        Slot::Content => offer(&mut f.content, c.rank, value),
        Slot::Language => offer(&mut f.language, c.rank, value),
    }
}

/// An element's content as plain text, read as its markup says.
fn as_text(c: &Capture, raw: &str) -> String {
    match c.markup {
        Markup::Text if c.children => fragment_text(raw),
        Markup::Text => plain_lines(&c.text),
        // Elements inside: their text is never taken raw (a script's would leak). Escaped
        // HTML wrapped in an element (`type="html"` around a `<div>`) is read twice.
        Markup::Html if c.children && c.typed => fragment_text(&fragment_text(raw)),
        Markup::Html if c.children => fragment_text(raw),
        Markup::Html => fragment_text(&c.text),
        Markup::Xhtml => fragment_text(raw),
        Markup::Base64 { html } => {
            let packed: String = c.text.split_whitespace().collect();
            match base64::engine::general_purpose::STANDARD.decode(packed.as_bytes()) {
                Ok(bytes) => {
                    let decoded = String::from_utf8_lossy(&bytes);
                    if html {
                        fragment_text(&decoded)
                    } else {
                        plain_lines(&decoded)
                    }
                }
                Err(_) => fragment_text(raw),
            }
        }
    }
}

/// Plain text with each line's whitespace collapsed and blank lines dropped.
fn plain_lines(s: &str) -> String {
    s.lines()
        .map(collapse)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn close_entry(
    entry: &mut Option<(usize, Fields)>,
    out: &mut Parsed,
    limits: &Limits,
    feed: &FeedFields,
) {
    let Some((_, f)) = entry.take() else { return };
    if out.entries.len() >= limits.max_entries {
        out.left_out += 1;
        return;
    }
    out.entries.push(to_entry(f, feed));
}

fn to_entry(f: Fields, feed: &FeedFields) -> Entry {
    let value = |r: Ranked| r.map(|(_, v)| v).filter(|v| !v.trim().is_empty());
    let url = f.link.or(f.guid_link).filter(|u| !u.is_empty());
    let updated = value(f.updated.clone()).and_then(|d| Timestamp::parse(&d));
    let date = [f.published, f.updated, f.created]
        .into_iter()
        .filter_map(value)
        .find_map(|d| Timestamp::parse(&d));
    let title = value(f.title).unwrap_or_default();
    let text = value(f.content)
        .or_else(|| value(f.summary))
        .unwrap_or_default();
    let id = value(f.id)
        .or_else(|| url.clone())
        .unwrap_or_else(|| stable_id(&title, &text, date));
    Entry {
        id,
        title,
        url,
        date,
        updated,
        text,
        lang: value(f.language)
            .or(f.xml_lang)
            .or_else(|| value(feed.language.clone())),
    }
}

/// An id for an entry that has neither id nor link, the same each time the feed is read
/// (FNV-1a over its title, text and date).
fn stable_id(title: &str, text: &str, date: Option<Timestamp>) -> String {
    let date = date
        .map(|d| d.unix_seconds().to_string())
        .unwrap_or_default();
    let h = fnv64(&[title, "\u{1f}", text, "\u{1f}", &date]);
    format!("entry:{h:016x}")
}
