//! Article extraction from one HTML page: main text, headline, publication time, outlet,
//! canonical address, declared language.
//!
//! The page is parsed once (html5ever into a `dom_query` tree), under a budget of tree
//! builder steps, and the tree is measured before the expensive passes ([`guard`]): a page
//! too deep or too costly for readability is read by [`fallback`] instead, in one linear
//! walk. Metadata is read first from the untouched document ([`meta`]). Then page furniture that readability's scoring tends to
//! keep (captions, share bars, "related" boxes, newsletter prompts) is removed
//! ([`clean::before`]), the main content is chosen by `dom_smoothie` (a port of Mozilla's
//! Readability.js: paragraph scoring, link density, class weights), the chosen subtree is
//! cleaned once more ([`clean::after`]: link lists, bylines, datelines, trailing
//! boilerplate), and rendered as paragraphs ([`text`]).

pub mod clean;
pub mod guard;
pub mod meta;
pub mod text;

use dom_query::Document;

pub use meta::Meta;

/// Extraction settings.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Pages with more elements than this are refused (0 = no limit); parsing stops as soon
    /// as the limit is passed.
    pub max_elements: usize,
    /// Pages whose tree nests deeper than this are not given to readability: they are read
    /// by the linear [`fallback`] (see [`guard`]).
    pub max_depth: usize,
    /// Budget of readability's subtree passes, in [`guard::Shape::work`] units; a page over
    /// it is read by the linear [`fallback`].
    pub max_work: u64,
    /// Tree builder steps allowed per byte of page (plus a fixed allowance, see
    /// [`guard::ParseLimits`]); a page whose parse needs more is refused as too complex.
    pub parse_steps_per_byte: u64,
    /// Remove page furniture before and after readability ([`clean`]); off only to
    /// measure what the rules add.
    pub furniture_rules: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            max_elements: 200_000,
            max_depth: 512,
            max_work: 1_000_000,
            parse_steps_per_byte: guard::ParseLimits::default().steps_per_byte,
            furniture_rules: true,
        }
    }
}

impl ExtractOptions {
    fn parse_limits(&self) -> guard::ParseLimits {
        guard::ParseLimits {
            max_elements: self.max_elements,
            steps_per_byte: self.parse_steps_per_byte,
            ..guard::ParseLimits::default()
        }
    }
}

/// An extracted page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Headline (may be empty).
    pub title: String,
    /// Main text, paragraphs separated by `\n`.
    pub text: String,
    /// What the page declares about itself.
    pub meta: Meta,
    /// The page was too complex for readability and was read by the linear [`fallback`]
    /// (its paragraphs only).
    pub fallback: bool,
}

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    /// No main content was found.
    #[error("no article found")]
    NoArticle,
    /// The page has more elements than [`ExtractOptions::max_elements`].
    #[error("too many elements")]
    TooManyElements,
    /// Reading the page would take more work than its budget allows (markup nested
    /// thousands deep), and the linear fallback found no paragraph.
    #[error("{0}")]
    TooComplex(String),
}

/// Extracts the article of a page. `url` is the address the page was fetched from, if
/// known (it resolves relative canonical links and can carry the date).
///
/// Work is bounded whatever the markup: the parse stops when the tree builder exceeds its
/// budget, and a tree too deep or too costly for readability is read by [`fallback`].
pub fn extract(html: &str, url: Option<&str>, opts: &ExtractOptions) -> Result<Page, ExtractError> {
    let doc = guard::parse(html, &opts.parse_limits()).map_err(|stop| match stop {
        guard::ParseStop::Elements(_) => ExtractError::TooManyElements,
        guard::ParseStop::Work(steps) => ExtractError::TooComplex(format!(
            "parsing stopped after {steps} tree-builder steps ({} bytes of markup nested too deep)",
            html.len()
        )),
    })?;
    extract_document(doc, url, opts)
}

/// [`extract`] on a parsed document (the parse budget no longer applies, the others do).
pub fn extract_document(
    doc: Document,
    url: Option<&str>,
    opts: &ExtractOptions,
) -> Result<Page, ExtractError> {
    let shape = guard::measure(&doc.root());
    let meta = meta::read(&doc, url);
    if shape.depth > opts.max_depth || shape.work > opts.max_work {
        tracing::debug!(
            "page too complex for readability ({} nodes, depth {}, work {}): linear fallback",
            shape.nodes,
            shape.depth,
            shape.work
        );
        return fallback(&doc, meta, &shape);
    }
    if opts.furniture_rules {
        clean::before(&doc);
    }
    let cfg = dom_smoothie::Config {
        keep_classes: true,
        disable_json_ld: true,
        max_elements_to_parse: opts.max_elements,
        ..Default::default()
    };
    let mut readability = dom_smoothie::Readability::with_document(doc, None, Some(cfg))
        .map_err(|_| ExtractError::NoArticle)?;
    let article = readability.parse().map_err(|e| match e {
        dom_smoothie::ReadabilityError::TooManyElements(..) => ExtractError::TooManyElements,
        _ => ExtractError::NoArticle,
    })?;
    let content = Document::from(article.content);
    if opts.furniture_rules {
        clean::after(&content);
    }
    let text = text::render(&content.root());
    if text.trim().is_empty() {
        return Err(ExtractError::NoArticle);
    }
    let title = meta
        .title
        .clone()
        .unwrap_or_else(|| meta::collapse(&article.title));
    Ok(Page {
        title,
        text,
        meta,
        fallback: false,
    })
}

/// The cheap reading of a page too complex for readability: the text of its `<p>`
/// elements, in one walk (no subtree is visited twice, no recursion).
pub fn fallback(doc: &Document, meta: Meta, shape: &guard::Shape) -> Result<Page, ExtractError> {
    let text = text::paragraphs_flat(&doc.root());
    if text.trim().is_empty() {
        return Err(ExtractError::TooComplex(format!(
            "{} nodes nested {} deep (work {}, no paragraph text)",
            shape.nodes, shape.depth, shape.work
        )));
    }
    Ok(Page {
        title: meta.title.clone().unwrap_or_default(),
        text,
        meta,
        fallback: true,
    })
}

/// The plain text of an HTML fragment (a feed entry's content or summary): paragraphs one
/// per line, entities decoded, whitespace collapsed; no script, style, form or media content
/// and no attribute (so no event-handler code) ever reaches the text. Parsed under the same
/// budget as a page; a fragment over it gives no text.
pub fn fragment_text(html: &str) -> String {
    match guard::parse(html, &guard::ParseLimits::default()) {
        Ok(doc) => text::render(&doc.root()),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod fragment_tests {
    use super::fragment_text;

    #[test]
    fn a_fragment_gives_its_text_without_scripts_or_handlers() {
        let got = fragment_text(
            "<p onclick=\"steal()\">Port &amp; harbor <b>reopen</b></p><script>alert(1)</script>\
             <style>p{}</style><p>Second<br>line</p>",
        );
        assert_eq!(got, "Port & harbor reopen\nSecond\nline");
    }
}
