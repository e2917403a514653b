//! Article extraction from one HTML page: main text, headline, publication time, outlet,
//! canonical address, declared language.
//!
//! The page is parsed once (html5ever, through `dom_query`). Metadata is read first from the
//! untouched document ([`meta`]). Then page furniture that readability's scoring tends to
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
    /// Pages with more elements than this are not scored (0 = no limit); a guard against
    /// pathological pages, whose parse is already bounded by the byte limit.
    pub max_elements: usize,
    /// Pages whose elements nest deeper than this are refused before parsing (see
    /// [`guard`]).
    pub max_depth: usize,
    /// Remove page furniture before and after readability ([`clean`]); off only to
    /// measure what the rules add.
    pub furniture_rules: bool,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            max_elements: 200_000,
            max_depth: 1500,
            furniture_rules: true,
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
    /// Elements nest deeper than [`ExtractOptions::max_depth`].
    #[error("elements nested {0} deep or more")]
    TooDeep(usize),
}

/// Extracts the article of a page. `url` is the address the page was fetched from, if
/// known (it resolves relative canonical links and can carry the date).
pub fn extract(html: &str, url: Option<&str>, opts: &ExtractOptions) -> Result<Page, ExtractError> {
    let depth = guard::max_nesting(html.as_bytes(), opts.max_depth);
    if depth >= opts.max_depth {
        return Err(ExtractError::TooDeep(depth));
    }
    let doc = Document::from(html);
    extract_document(doc, url, opts)
}

/// [`extract`] on a parsed document (no nesting guard: the parse already happened).
pub fn extract_document(
    doc: Document,
    url: Option<&str>,
    opts: &ExtractOptions,
) -> Result<Page, ExtractError> {
    let meta = meta::read(&doc, url);
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
    Ok(Page { title, text, meta })
}
