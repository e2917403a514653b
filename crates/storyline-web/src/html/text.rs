//! Rendering an extracted DOM subtree as plain text, one paragraph per line.

use dom_query::NodeRef;

/// Elements that start and end a paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "figure"
            | "figcaption"
            | "hr"
            | "address"
            | "details"
            | "summary"
            | "center"
            | "form"
            | "fieldset"
            | "body"
            | "html"
    )
}

/// Elements whose content is never text to read.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "select"
            | "option"
            | "button"
            | "textarea"
            | "input"
            | "head"
            | "title"
            | "meta"
            | "link"
    )
}

/// Collects paragraphs of normalized text.
struct Paragraphs {
    done: Vec<String>,
    current: String,
    /// The current paragraph ends in whitespace (or is empty).
    space_pending: bool,
}

impl Paragraphs {
    fn push_text(&mut self, text: &str) {
        for (i, word) in text.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.space_pending = true;
            }
            if word.is_empty() {
                continue;
            }
            if self.space_pending && !self.current.is_empty() {
                self.current.push(' ');
            }
            self.space_pending = false;
            self.current.push_str(word);
        }
    }

    fn push_space(&mut self) {
        self.space_pending = true;
    }

    fn flush(&mut self) {
        let p = self.current.trim();
        if !p.is_empty() {
            self.done.push(p.to_string());
        }
        self.current.clear();
        self.space_pending = false;
    }
}

/// The text under `node`: paragraphs (block elements, `<br>`) separated by `\n`, whitespace
/// collapsed.
pub fn render(node: &NodeRef) -> String {
    let mut out = Paragraphs {
        done: Vec::new(),
        current: String::new(),
        space_pending: false,
    };
    walk(node, &mut out, 0);
    out.flush();
    out.done.join("\n")
}

fn walk(node: &NodeRef, out: &mut Paragraphs, depth: usize) {
    for child in node.children_it(false) {
        if child.is_text() {
            out.push_text(&child.text());
            continue;
        }
        if !child.is_element() {
            continue;
        }
        let Some(name) = child.node_name() else {
            continue;
        };
        let name: &str = &name;
        if is_skipped(name) {
            continue;
        }
        if name == "br" {
            out.flush();
            continue;
        }
        let block = is_block(name);
        if block {
            out.flush();
        } else if matches!(name, "td" | "th" | "img") {
            out.push_space();
        }
        // Deeply nested markup (generated or hostile) is read flat beyond this depth.
        if depth < 512 {
            walk(&child, out, depth + 1);
        } else {
            out.push_text(&child.text());
        }
        if block {
            out.flush();
        } else if matches!(name, "td" | "th") {
            out.push_space();
        }
    }
}

/// The text of the `<p>` elements under `node`, one paragraph per line, in a single walk
/// without recursion: the reading of last resort for a page too deep or too costly for
/// readability (see [`super::guard`]). Text outside any `<p>` and inside skipped elements
/// (scripts, forms, media) is left out; a `<p>` inside another (through a table) is a
/// paragraph of its own.
pub fn paragraphs_flat(node: &NodeRef) -> String {
    let mut out = Paragraphs {
        done: Vec::new(),
        current: String::new(),
        space_pending: false,
    };
    // Open `<p>` and skipped elements on the path from `node` to the current node.
    let (mut in_p, mut in_skipped) = (0usize, 0usize);
    let is_p = |n: &NodeRef| n.is_element() && n.node_name().as_deref() == Some("p");
    let skipped = |n: &NodeRef| n.is_element() && n.node_name().is_some_and(|m| is_skipped(&m));
    let Some(mut cur) = node.first_child() else {
        return String::new();
    };
    loop {
        // Enter `cur`.
        if cur.is_text() {
            if in_p > 0 && in_skipped == 0 {
                out.push_text(&cur.text());
            }
        } else if cur.is_element() {
            if is_p(&cur) {
                out.flush();
                in_p += 1;
            } else if skipped(&cur) {
                in_skipped += 1;
            } else if in_p > 0 && cur.node_name().as_deref() == Some("br") {
                out.push_space();
            }
            if let Some(child) = cur.first_child() {
                cur = child;
                continue;
            }
        }
        // Leave `cur` and every ancestor that has no next sibling.
        loop {
            if is_p(&cur) {
                out.flush();
                in_p -= 1;
            } else if skipped(&cur) {
                in_skipped -= 1;
            }
            if let Some(next) = cur.next_sibling() {
                cur = next;
                break;
            }
            match cur.parent() {
                Some(p) if p.id != node.id => cur = p,
                _ => {
                    out.flush();
                    return out.done.join("\n");
                }
            }
        }
    }
}

/// Number of whitespace-separated words.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}
