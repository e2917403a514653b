//! Storyline's live sources: what the outlets publish, read as articles.
//!
//! - [`parse`] reads one document a source serves: a feed (RSS 0.9x/1.0/2.0, Atom, JSON
//!   Feed, through `feed-rs`), a sitemap with or without the news extension, a sitemap
//!   index, an OPML list or a `feeds.txt` (one URL per line, `#` comments). What it gives is
//!   a [`Parsed`]: entries (future articles) and links to other sources.
//! - [`Entry::to_article`] turns an entry into a [`storyline::Article`]: title, link as url,
//!   date as an instant, content or summary as plain text (through the project's HTML
//!   cleaning: no script, style or event-handler text).
//!
//! Malformed input never panics the caller: `feed-rs` runs under `catch_unwind`, the XML
//! readers here return errors, and every size is bounded ([`Limits`]).

mod charset;
mod feed;
pub mod fetch;
mod list;
pub mod robots;
mod sitemap;
mod xml_feed;

use storyline::Article;
use storyline::date::Timestamp;

pub use charset::decode;

/// What kind of document a source served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// RSS, Atom or JSON Feed.
    Feed,
    /// A sitemap (`<urlset>`), with or without the news extension.
    Sitemap,
    /// A sitemap index (`<sitemapindex>`): links to sitemaps.
    SitemapIndex,
    /// An OPML outline: links to feeds.
    Opml,
    /// A plain list of URLs, one per line (`#` comments).
    List,
}

impl Kind {
    /// The name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Feed => "feed",
            Kind::Sitemap => "sitemap",
            Kind::SitemapIndex => "sitemap index",
            Kind::Opml => "OPML",
            Kind::List => "feed list",
        }
    }
}

/// Bounds on what one document may give.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Entries (or sitemap URLs) kept per document; the rest are left out.
    pub max_entries: usize,
    /// Links to other sources kept per list, OPML or index.
    pub max_links: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 5_000,
            max_links: 10_000,
        }
    }
}

/// One item of a feed or news sitemap: a future article.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entry {
    /// The feed's id for it (guid, Atom id), or the link.
    pub id: String,
    /// Headline, as plain text.
    pub title: String,
    /// The article's address.
    pub url: Option<String>,
    /// Publication time (else the last update).
    pub date: Option<Timestamp>,
    /// The last update the feed states (Atom `<updated>`, `dcterms:modified`, a sitemap's
    /// `<lastmod>`), if any.
    pub updated: Option<Timestamp>,
    /// The entry's content, else its summary, as plain text (may be empty: sitemaps).
    pub text: String,
    /// The language the entry or its feed declares.
    pub lang: Option<String>,
}

/// What a document gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// What it was.
    pub kind: Kind,
    /// The outlet: the feed's or the news sitemap's publication name.
    pub outlet: Option<String>,
    /// The entries (feeds, sitemaps).
    pub entries: Vec<Entry>,
    /// Other sources to read (sitemap indexes, OPML, lists).
    pub links: Vec<String>,
    /// Entries or links left out over [`Limits`].
    pub left_out: usize,
}

impl Parsed {
    fn new(kind: Kind) -> Self {
        Parsed {
            kind,
            outlet: None,
            entries: Vec::new(),
            links: Vec::new(),
            left_out: 0,
        }
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FeedError {
    /// Nothing in it.
    #[error("empty document")]
    Empty,
    /// An HTML page where a feed was expected.
    #[error("an HTML page, not a feed (is this the site's address rather than its feed's?)")]
    Html,
    /// Neither a feed, a sitemap, an OPML list nor a list of URLs.
    #[error("not a feed, sitemap, OPML or list of URLs")]
    Unknown,
    /// The feed parser refused it.
    #[error("malformed feed: {0}")]
    Feed(String),
    /// XML that could not be read.
    #[error("malformed XML: {0}")]
    Xml(String),
    /// The parser failed on it (a bug there; the document is skipped).
    #[error("the feed parser failed on this document: {0}")]
    Panic(String),
}

/// Reads one document served by a source. `base` is its address, against which relative
/// links are resolved.
pub fn parse(bytes: &[u8], base: Option<&str>, limits: &Limits) -> Result<Parsed, FeedError> {
    let head = sniff_head(bytes);
    if head.is_empty() {
        return Err(FeedError::Empty);
    }
    if head.starts_with('{') {
        return feed::parse(bytes, base, limits);
    }
    if !head.starts_with('<') {
        return list::parse_lines(&decode(bytes, None), base, limits);
    }
    let xml = || {
        let utf8 = charset::to_utf8_xml(bytes, None);
        String::from_utf8(utf8)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    };
    match root_name(&head).as_deref() {
        Some("sitemapindex") => {
            sitemap::parse(&decode(bytes, None), base, limits, Kind::SitemapIndex)
        }
        Some("urlset") => sitemap::parse(&decode(bytes, None), base, limits, Kind::Sitemap),
        Some("opml") => list::parse_opml(&decode(bytes, None), base, limits),
        Some("rss" | "rdf" | "feed" | "channel") => xml_feed::parse(&xml(), base, limits),
        Some("html" | "body" | "head") => Err(FeedError::Html),
        _ => {
            let lower = head.to_ascii_lowercase();
            if lower.contains("<html") || lower.contains("<body") {
                Err(FeedError::Html)
            } else {
                Err(FeedError::Unknown)
            }
        }
    }
}

/// How many bytes from the start are looked at to find the root element (comments, a
/// doctype and processing instructions may come first).
pub const SNIFF_BYTES: usize = 64 << 10;

/// Does this look like a document [`parse`] reads as a feed, sitemap or OPML (its start,
/// up to [`SNIFF_BYTES`])?
pub fn looks_like_source(bytes: &[u8]) -> bool {
    let head = sniff_head(bytes);
    if head.starts_with('{') {
        return head.to_ascii_lowercase().contains("jsonfeed.org");
    }
    matches!(
        root_name(&head).as_deref(),
        Some("rss" | "rdf" | "feed" | "urlset" | "sitemapindex" | "opml")
    )
}

/// The start of the document, without a byte order mark or leading blanks.
fn sniff_head(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    // UTF-16 documents start with a BOM or a zero byte beside '<'.
    let text = if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") {
        decode(head, None)
    } else {
        String::from_utf8_lossy(head).into_owned()
    };
    text.trim_start().to_string()
}

/// The root element's local name, lowercased, after any XML declaration, processing
/// instructions, comments and doctype; `None` when the head ends first.
fn root_name(head: &str) -> Option<String> {
    let mut rest = head.trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = &r[r.find("?>")? + 2..];
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->")? + 3..];
        } else if rest
            .get(..9)
            .is_some_and(|h| h.eq_ignore_ascii_case("<!doctype"))
        {
            let r = &rest[9..];
            // An internal subset in brackets may hold '>'.
            let end = match (r.find('['), r.find('>')) {
                (Some(b), Some(g)) if b < g => {
                    let close = b + r[b..].find(']')?;
                    close + r[close..].find('>')?
                }
                (_, g) => g?,
            };
            rest = &r[end + 1..];
        } else if let Some(r) = rest.strip_prefix('<') {
            let name: String = r
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect();
            let local = name.rsplit(':').next().unwrap_or("").to_ascii_lowercase();
            return (!local.is_empty()).then_some(local);
        } else {
            return None;
        }
        rest = rest.trim_start();
    }
}

impl Entry {
    /// What changes when the entry is rewritten: its stated update time and a hash of its
    /// title and text. Two reads of an unchanged entry give the same version.
    pub fn version(&self) -> String {
        let updated = self
            .updated
            .map_or_else(|| "-".to_string(), |t| t.unix_seconds().to_string());
        format!(
            "{updated}|{:016x}",
            fnv64(&[&self.title, "\u{1f}", &self.text])
        )
    }

    /// The article this entry stands for, before its page is fetched: `outlet` is the feed's
    /// name (else the link's host). Fields are capped as a JSONL record's are.
    pub fn to_article(&self, outlet: Option<&str>) -> Article {
        let source = outlet.map(str::to_string).or_else(|| {
            self.url
                .as_deref()
                .and_then(storyline_web::html::meta::host_of)
        });
        let mut article = Article {
            id: self.url.clone().unwrap_or_else(|| self.id.clone()),
            title: self.title.clone(),
            text: self.text.clone(),
            source,
            url: self.url.clone(),
            date: self.date,
        };
        let _ = storyline::ingest::FieldLimits::default().cap(&mut article);
        article
    }
}

/// FNV-1a (64 bits) over the parts in order: a hash that is the same in every build.
fn fnv64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// Whitespace collapsed to single spaces, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `href` resolved against `base` when it is relative and a base is known.
fn resolve(base: Option<&str>, href: &str) -> String {
    let href = href.trim();
    storyline_web::html::meta::resolve(base, href).unwrap_or_else(|| href.to_string())
}

/// Why an entry gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Skipped {
    /// No title and no text.
    #[error("empty entry: no title and no text")]
    Empty,
    /// Fewer words than asked for.
    #[error("{words} words, fewer than {min}")]
    TooShort {
        /// Words in the text.
        words: usize,
        /// The minimum.
        min: usize,
    },
    /// Not in a language kept.
    #[error("written in {0}")]
    Language(String),
}

/// Which entries become articles.
#[derive(Debug, Clone, Copy)]
pub struct EntryFilter<'a> {
    /// Languages kept.
    pub langs: &'a storyline_web::lang::LangFilter,
    /// Entries with fewer words of text are skipped.
    pub min_words: usize,
    /// An entry with neither title nor text still gives an article (a feed read as it is,
    /// `storyline ingest FEED --min-words 0`); otherwise it is [`Skipped::Empty`].
    pub keep_empty: bool,
}

/// An entry's article with its language (ISO 639-1 when it has one), if it passes the
/// filters: at least `min_words` words of text, a language `langs` keeps (the entry's or
/// feed's declared language decides when detection is unsure).
pub fn entry_article(
    entry: &Entry,
    outlet: Option<&str>,
    filter: &EntryFilter<'_>,
) -> Result<(Article, Option<String>), Skipped> {
    let (langs, min_words) = (filter.langs, filter.min_words);
    if !filter.keep_empty && entry.title.trim().is_empty() && entry.text.trim().is_empty() {
        return Err(Skipped::Empty);
    }
    let words = storyline_web::html::text::word_count(&entry.text);
    if words < min_words {
        return Err(Skipped::TooShort {
            words,
            min: min_words,
        });
    }
    let sample = format!("{}\n{}", entry.title, entry.text);
    let detected = storyline::language::detect(&sample);
    let sample_words = storyline_web::html::text::word_count(&sample);
    // A headline is too short for a confident call: the declared language decides then.
    let judged = sample_words >= 8 && !storyline::language::too_short_to_judge(&sample);
    let pair = detected.map(|d| (d.code, d.reliable && judged));
    if !langs.keeps(pair, entry.lang.as_deref()) {
        let code = detected.map_or("unknown", |d| d.code);
        return Err(Skipped::Language(storyline_web::lang::short_code(code)));
    }
    let declared = entry
        .lang
        .as_deref()
        .and_then(storyline_web::lang::to_639_3)
        .map(|c| storyline_web::lang::short_code(&c));
    let detected = detected.map(|d| storyline_web::lang::short_code(d.code));
    // Too short to judge by its letters: the declared language, when there is one.
    let lang = if judged {
        detected.or(declared)
    } else {
        declared.or(detected)
    };
    Ok((entry.to_article(outlet), lang))
}
