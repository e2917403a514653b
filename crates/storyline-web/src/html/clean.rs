//! Page furniture removal, before and after readability picks the main content.
//!
//! Readability's scoring (Arc90/Mozilla) finds the right container but keeps what sits inside
//! it: image captions and credits, share bars, "related" and "read more" link lists, author
//! boxes. These rules remove them by *structure and markup* — element names, class and id
//! words, link density — never by matching the text against a list of phrases.
//!
//! Every class/id rule is guarded by how much paragraph text the element holds, so that a
//! wrapper that happens to be called `story-body has-share-tools` around the whole story is
//! never removed: blocks beside the story (comments, related boxes) go unless they hold 40%
//! of the page's paragraph text; small furniture (share bars, captions, bylines) only when it
//! is small.

use dom_query::{Document, NodeRef};

/// Words of class and id that mark blocks *beside* the story: comments, "related" and
/// recommendation boxes, newsletter prompts. They may hold a lot of text of their own, so
/// they are removed unless they hold most of the page's paragraph text.
const BESIDE_WORDS: &[&str] = &[
    "comment",
    "comments",
    "disqus",
    "related",
    "recommended",
    "recommendations",
    "outbrain",
    "taboola",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "trending",
    "popup",
    "modal",
    "cookie",
];

/// Words of class and id that mark small furniture *inside* the story: share bars, ads,
/// captions and credits, bylines and datelines, tag lists. Such blocks are short, so an
/// element with these words and much text is a wrapper, and is kept.
const SMALL_WORDS: &[&str] = &[
    "share",
    "sharing",
    "sharebar",
    "social",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "adslot",
    "sponsor",
    "sponsored",
    "breadcrumb",
    "breadcrumbs",
    "tags",
    "toolbar",
    "caption",
    "captions",
    "credit",
    "credits",
    "byline",
    "dateline",
    "timestamp",
];

/// What the class and id of an element say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Furniture {
    Beside,
    Small,
}

/// Removes furniture from the whole page before readability scores it.
pub fn before(doc: &Document) {
    let total = paragraph_words(&doc.root());
    // Captions: text that describes a picture, not the story.
    doc.select("figcaption").remove();
    for node in doc.select("figure").nodes() {
        if words(&node.text()) <= 120 {
            node.remove_from_parent();
        }
    }
    doc.select("aside").remove();
    let mut doomed = Vec::new();
    for node in doc.select("[class], [id]").nodes() {
        if let Some(kind) = furniture(node) {
            doomed.push((*node, kind));
        }
    }
    for (node, kind) in doomed {
        let inside = paragraph_words(&node);
        let remove = match kind {
            Furniture::Beside => inside * 5 <= total * 2 || inside <= 30,
            Furniture::Small => inside <= 50 || inside * 10 <= total,
        };
        if remove {
            node.remove_from_parent();
        }
    }
}

/// Removes furniture that readability kept inside the chosen content.
pub fn after(content: &Document) {
    content.select("figcaption, figure").remove();
    remove_link_lists(content);
}

fn furniture(node: &NodeRef) -> Option<Furniture> {
    let name = node.node_name()?;
    if matches!(&*name, "html" | "body" | "main" | "article") {
        return None;
    }
    let mut attrs = String::new();
    if let Some(c) = node.attr("class") {
        attrs.push_str(&c);
    }
    attrs.push(' ');
    if let Some(i) = node.attr("id") {
        attrs.push_str(&i);
    }
    let mut found = None;
    for w in sub_words(&attrs) {
        if BESIDE_WORDS.contains(&w.as_str()) {
            return Some(Furniture::Beside);
        }
        if SMALL_WORDS.contains(&w.as_str()) {
            found = Some(Furniture::Small);
        }
    }
    found
}

/// Sub-words of class/id values: split at non-letters and camelCase humps, lowercased.
fn sub_words(s: &str) -> impl Iterator<Item = String> + '_ {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_alphabetic() {
            if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_ascii_lowercase();
            cur.push(c.to_ascii_lowercase());
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.into_iter()
}

/// Lists and blocks that are mostly links ("related stories", "more from", tag lists).
fn remove_link_lists(content: &Document) {
    let mut doomed = Vec::new();
    for node in content.select("ul, ol, div, p, section, table").nodes() {
        let text = node.text();
        let all = words(&text);
        if all == 0 || all > 150 {
            continue;
        }
        let linked: usize = node
            .descendants_it()
            .filter(|d| d.node_name().as_deref() == Some("a"))
            .map(|a| words(&a.text()))
            .sum();
        if linked * 10 >= all * 6 {
            doomed.push(*node);
        }
    }
    for node in doomed {
        // A short heading right before a removed list is its title ("Related", "More").
        if let Some(prev) = node.prev_element_sibling() {
            let is_heading = prev
                .node_name()
                .is_some_and(|n| matches!(&*n, "h2" | "h3" | "h4" | "h5" | "h6"));
            if is_heading && words(&prev.text()) <= 6 {
                prev.remove_from_parent();
            }
        }
        node.remove_from_parent();
    }
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Words in `<p>` elements under `node`.
fn paragraph_words(node: &NodeRef) -> usize {
    node.descendants_it()
        .filter(|d| d.node_name().as_deref() == Some("p"))
        .map(|p| words(&p.text()))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_are_split_into_words() {
        let w: Vec<String> = sub_words("article-shareBar js_related").collect();
        assert_eq!(w, ["article", "share", "bar", "js", "related"]);
    }
}
