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

/// Number of whitespace-separated words.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}
