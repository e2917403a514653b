//! What a page says about itself: headline, publication time, outlet, canonical address,
//! language. Read from (in order of trust) JSON-LD, OpenGraph and other `<meta>` tags,
//! `<time>` elements, and finally the URL.

use dom_query::Document;
use serde_json::Value;
use storyline::Timestamp;

/// Metadata of a page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// Headline.
    pub title: Option<String>,
    /// Publication time.
    pub published: Option<Timestamp>,
    /// Where the publication time came from (`"json-ld"`, `"meta"`, `"time"`, `"url"`).
    pub published_from: Option<&'static str>,
    /// Outlet name (`og:site_name`, JSON-LD publisher, `application-name`).
    pub site_name: Option<String>,
    /// Canonical address (absolute).
    pub canonical: Option<String>,
    /// Declared language (`<html lang>`, `og:locale`, `content-language`), lowercased.
    pub lang: Option<String>,
}

/// `<meta>` names and properties that carry a publication time, best first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article.published",
    "published_time",
    "og:published_time",
    "datepublished",
    "date_published",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
    "citation_publication_date",
    "citation_date",
    "original-publish-date",
    "article:published",
    "cxenseparse:recs:publishtime",
    "date",
    "og:updated_time",
    "article:modified_time",
    "last-modified",
];

/// Reads the metadata of a parsed page; `url` (the address it was fetched from) resolves
/// relative links and is the last resort for the date.
pub fn read(doc: &Document, url: Option<&str>) -> Meta {
    let mut meta = Meta::default();
    let mut metas: Vec<(String, String)> = Vec::new();
    for node in doc.select("meta").nodes() {
        let key = node
            .attr("property")
            .or_else(|| node.attr("name"))
            .or_else(|| node.attr("itemprop"))
            .or_else(|| node.attr("http-equiv"));
        let (Some(key), Some(content)) = (key, node.attr("content")) else {
            continue;
        };
        let content = content.trim();
        if !content.is_empty() {
            metas.push((key.trim().to_ascii_lowercase(), content.to_string()));
        }
    }
    let get = |k: &str| {
        metas
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };

    let ld = json_ld(doc);

    // Canonical address first: it resolves the others.
    let base = url.filter(|u| is_http(u));
    let canonical = doc
        .select("link[rel]")
        .nodes()
        .iter()
        .find(|n| {
            n.attr("rel").is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|t| t.eq_ignore_ascii_case("canonical"))
            })
        })
        .and_then(|n| n.attr("href"))
        .and_then(|h| resolve(base, h.trim()))
        .or_else(|| get("og:url").and_then(|h| resolve(base, h)))
        .filter(|c| !is_site_root_for(c, base));
    meta.canonical = canonical;

    meta.title = get("og:title")
        .or_else(|| get("twitter:title"))
        .map(str::to_string)
        .or_else(|| ld.headline.clone())
        .or_else(|| {
            let h1 = doc.select("h1");
            (h1.length() == 1)
                .then(|| collapse(&h1.text()))
                .filter(|t| !t.is_empty())
        })
        .or_else(|| {
            let t = collapse(&doc.select("title").text());
            (!t.is_empty()).then_some(t)
        })
        .map(|t| collapse(&t));

    meta.site_name = get("og:site_name")
        .map(str::to_string)
        .or_else(|| ld.publisher.clone())
        .or_else(|| get("application-name").map(str::to_string))
        .map(|s| collapse(&s))
        .filter(|s| !s.is_empty() && s.len() <= 100 && !is_http(s));
    if let (Some(title), Some(site)) = (meta.title.as_mut(), meta.site_name.as_deref()) {
        strip_site_suffix(title, site);
    }
    // "Opinion | Headline", "Headline - Outlet": the page's own <h1>, when it is the bulk of
    // the meta title, is the headline without the decoration.
    if let Some(title) = meta.title.as_mut() {
        let lower = title.to_lowercase();
        let h1 = doc.select("h1");
        let better = h1.nodes().iter().take(5).find_map(|n| {
            let t = collapse(&n.text());
            let fits = t.len() < title.len()
                && t.len() * 2 >= title.len()
                && t.split_whitespace().count() >= 3
                && lower.contains(&t.to_lowercase());
            fits.then_some(t)
        });
        if let Some(b) = better {
            *title = b;
        }
    }

    let ld_date = ld.published.as_deref().or(ld.page_published.as_deref());
    if let Some(t) = ld_date.and_then(parse_date) {
        meta.published = Some(t);
        meta.published_from = Some("json-ld");
    } else if let Some(t) = DATE_META.iter().filter_map(|k| get(k)).find_map(parse_date) {
        meta.published = Some(t);
        meta.published_from = Some("meta");
    } else if let Some(t) = time_element(doc) {
        meta.published = Some(t);
        meta.published_from = Some("time");
    } else if let Some(t) = meta.canonical.as_deref().or(base).and_then(date_in_url) {
        meta.published = Some(t);
        meta.published_from = Some("url");
    }

    meta.lang = doc
        .select("html")
        .attr("lang")
        .or_else(|| doc.select("html").attr("xml:lang"))
        .map(|l| l.to_string())
        .or_else(|| get("content-language").map(str::to_string))
        .or_else(|| get("og:locale").map(str::to_string))
        .or_else(|| ld.lang.clone())
        .map(|l| l.trim().to_ascii_lowercase().replace('_', "-"))
        .filter(|l| !l.is_empty() && l.len() <= 35);
    meta
}

/// Parses a date as pages write them, with a couple of repairs `Timestamp::parse` does not
/// do (a `+0000` zone after seconds with fractions, trailing words).
fn parse_date(raw: &str) -> Option<Timestamp> {
    let s = raw.trim();
    Timestamp::parse(s)
        .or_else(|| {
            // "2019-11-19T06:51:00.000+0000" and friends: keep the first 19 characters
            // when they are an ISO date-time.
            let head = s.get(..19)?;
            Timestamp::parse(head).filter(|_| head.as_bytes().get(10) == Some(&b'T'))
        })
        .or_else(|| Timestamp::parse(s.get(..10)?))
}

/// A `<time>` that marks publication: `pubdate`, `itemprop=datePublished`, or a class
/// that says so; else the first `<time datetime>` in the page.
fn time_element(doc: &Document) -> Option<Timestamp> {
    let times = doc.select("time[datetime]");
    let nodes = times.nodes();
    let marked = nodes.iter().find(|n| {
        n.has_attr("pubdate")
            || n.attr("itemprop")
                .is_some_and(|v| v.eq_ignore_ascii_case("datepublished"))
            || n.attr("class").is_some_and(|c| {
                let c = c.to_ascii_lowercase();
                c.contains("publish") || c.contains("pubdate") || c.contains("posted")
            })
    });
    marked
        .into_iter()
        .chain(nodes.iter())
        .find_map(|n| n.attr("datetime").and_then(|d| parse_date(&d)))
        .or_else(|| {
            // itemprop=datePublished on another element, with a content attribute or text.
            let sel = doc.select("[itemprop=datePublished]");
            let n = sel.nodes().first()?;
            n.attr("content")
                .or_else(|| n.attr("datetime"))
                .and_then(|d| parse_date(&d))
                .or_else(|| parse_date(&collapse(&n.text())))
        })
}

/// A date in the path of a URL: `/2019/11/19/`, `/2019-11-19/`, `/20191119/` (day
/// precision), or `/2019/11/` (the first of the month is not claimed: no date).
pub fn date_in_url(url: &str) -> Option<Timestamp> {
    let path = url.split_once("://").map_or(url, |(_, r)| r);
    let path = &path[path.find('/').unwrap_or(path.len())..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    let parts: Vec<&str> = path.split(['/', '-', '_', '.']).collect();
    for w in parts.windows(3) {
        if let [y, m, d] = w
            && y.len() == 4
            && (1..=2).contains(&m.len())
            && (1..=2).contains(&d.len())
            && let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
            && (1990..=2100).contains(&y)
            && let Some(date) = chrono_date(y, m, d)
        {
            return Some(date);
        }
    }
    for p in &parts {
        if p.len() == 8 && p.bytes().all(|b| b.is_ascii_digit()) {
            let y: i32 = p[..4].parse().ok()?;
            if (1990..=2100).contains(&y)
                && let Some(t) = Timestamp::parse(p)
            {
                return Some(t);
            }
        }
    }
    None
}

fn chrono_date(y: i32, m: u32, d: u32) -> Option<Timestamp> {
    Timestamp::parse(&format!("{y:04}-{m:02}-{d:02}"))
}

/// What JSON-LD says about the article.
#[derive(Debug, Default)]
struct LdFacts {
    headline: Option<String>,
    published: Option<String>,
    /// `datePublished` of a `WebPage` (less specific than an article's).
    page_published: Option<String>,
    publisher: Option<String>,
    lang: Option<String>,
}

fn json_ld(doc: &Document) -> LdFacts {
    let mut facts = LdFacts::default();
    for node in doc.select("script[type]").nodes() {
        let is_ld = node
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let raw = node.text();
        let raw = raw.trim();
        if raw.is_empty() || raw.len() > 1 << 20 {
            continue;
        }
        match serde_json::from_str::<Value>(raw) {
            Ok(v) => collect_ld(&v, &mut facts, 0),
            Err(_) => {
                // Broken JSON (trailing commas, raw newlines): take the date by hand.
                if facts.published.is_none() {
                    facts.published = string_after_key(raw, "\"datePublished\"");
                }
            }
        }
        if facts.published.is_some() && facts.headline.is_some() {
            break;
        }
    }
    facts
}

fn is_article_type(v: &Value) -> bool {
    let is = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting"
                    | "NewsArticle"
                    | "Report"
                    | "LiveBlogPosting"
                    | "WebPage"
                    | "Posting"
            )
    };
    match v.get("@type") {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(is)),
        _ => false,
    }
}

fn collect_ld(v: &Value, facts: &mut LdFacts, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items {
                collect_ld(item, facts, depth + 1);
            }
        }
        Value::Object(map) => {
            if is_article_type(v) {
                let is_page = matches!(map.get("@type"), Some(Value::String(s)) if s == "WebPage");
                if let Some(d) = map.get("datePublished").and_then(first_string) {
                    if is_page {
                        facts.page_published.get_or_insert(d);
                    } else {
                        facts.published.get_or_insert(d);
                    }
                }
                if !is_page && let Some(h) = map.get("headline").and_then(first_string) {
                    facts.headline.get_or_insert(collapse(&h));
                }
                if let Some(p) = map.get("publisher") {
                    let name = match p {
                        Value::Object(o) => o.get("name").and_then(first_string),
                        Value::Array(a) => {
                            a.first().and_then(|o| o.get("name")).and_then(first_string)
                        }
                        Value::String(s) => Some(s.clone()),
                        _ => None,
                    };
                    if let Some(n) = name {
                        facts.publisher.get_or_insert(n);
                    }
                }
                if let Some(l) = map.get("inLanguage").and_then(first_string) {
                    facts.lang.get_or_insert(l);
                }
            }
            if let Some(graph) = map.get("@graph") {
                collect_ld(graph, facts, depth + 1);
            }
            if let Some(main) = map.get("mainEntity") {
                collect_ld(main, facts, depth + 1);
            }
        }
        _ => {}
    }
}

fn first_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Array(a) => a.iter().find_map(first_string),
        _ => None,
    }
}

/// The string value after `key` in broken JSON: `"key" : "value"`.
fn string_after_key(raw: &str, key: &str) -> Option<String> {
    let at = raw.find(key)? + key.len();
    let rest = raw[at..].trim_start().strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

/// Whitespace collapsed and trimmed.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_http(u: &str) -> bool {
    let l = u.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// Resolves `href` against `base` (absolute http(s) URLs only; fragments dropped).
pub fn resolve(base: Option<&str>, href: &str) -> Option<String> {
    let href = href.trim();
    let href = href.split('#').next().unwrap_or("");
    if href.is_empty() || href.contains(char::is_whitespace) {
        return None;
    }
    if is_http(href) {
        return Some(href.to_string());
    }
    let base = base?;
    let (scheme, rest) = base.split_once("://")?;
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..host_end];
    if let Some(h) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{h}"));
    }
    if href.starts_with('/') {
        return Some(format!("{scheme}://{host}{href}"));
    }
    if href.contains(':') && !href.starts_with('.') {
        // Another scheme (mailto:, javascript:).
        return None;
    }
    let path = rest[host_end..].split(['?', '#']).next().unwrap_or("");
    let dir = &path[..path.rfind('/').map_or(0, |k| k + 1)];
    let dir = if dir.is_empty() { "/" } else { dir };
    Some(format!(
        "{scheme}://{host}{dir}{}",
        href.trim_start_matches("./")
    ))
}

/// The host of a URL without `www.`, lowercased.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// A canonical that points at the site's home page while the page itself is deeper is a
/// template mistake, not the article's address.
fn is_site_root_for(canonical: &str, base: Option<&str>) -> bool {
    let path_of = |u: &str| -> String {
        let rest = u.split_once("://").map_or(u, |(_, r)| r);
        rest.find('/')
            .map_or(String::new(), |k| rest[k..].to_string())
    };
    let cpath = path_of(canonical);
    let croot = cpath.trim_matches('/').is_empty();
    match base {
        Some(b) => croot && !path_of(b).trim_matches('/').is_empty(),
        None => false,
    }
}

/// Removes a trailing or leading " | Site", " - Site" from a headline.
fn strip_site_suffix(title: &mut String, site: &str) {
    let site_l = site.to_lowercase();
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(sep)
            && tail.trim().to_lowercase() == site_l
            && !head.trim().is_empty()
        {
            *title = head.trim().to_string();
            return;
        }
        if let Some((head, tail)) = title.split_once(sep)
            && head.trim().to_lowercase() == site_l
            && !tail.trim().is_empty()
        {
            *title = tail.trim().to_string();
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_urls() {
        let d = |u| date_in_url(u).map(|t| t.to_string());
        assert_eq!(
            d("https://x.com/2019/11/19/story").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            d("https://x.com/news/2019-11-19-story.html").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            d("https://x.com/a/20191119/story").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(d("https://x.com/2019/11/story"), None);
        assert_eq!(d("https://x.com/story-12345678"), None);
    }

    #[test]
    fn resolves_links() {
        let b = Some("https://www.x.com/a/b.html?q=1");
        assert_eq!(resolve(b, "/c").as_deref(), Some("https://www.x.com/c"));
        assert_eq!(
            resolve(b, "c.html").as_deref(),
            Some("https://www.x.com/a/c.html")
        );
        assert_eq!(
            resolve(b, "//cdn.x.com/d").as_deref(),
            Some("https://cdn.x.com/d")
        );
        assert_eq!(resolve(b, "javascript:void(0)"), None);
        assert_eq!(
            host_of("https://www.BBC.co.uk:443/news").as_deref(),
            Some("bbc.co.uk")
        );
    }
}
