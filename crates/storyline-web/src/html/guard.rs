//! Bounded work on hostile markup: the tree is measured as html5ever builds it, and again
//! before the expensive passes run on it.
//!
//! Two costs grow faster than the page:
//!
//! - **Parsing.** html5ever checks element scopes by walking its stack of open elements, so
//!   a page that keeps elements open (`<div></x>` repeated: the `</x>` closes nothing) takes
//!   time quadratic in its length. [`parse`] feeds the page to the tree builder in small
//!   chunks through a sink that counts how often the tree builder looks at an element
//!   ([`TreeSink::elem_name`]: one call per stack entry examined) and how many elements it
//!   creates, and stops as soon as either exceeds its budget. Counting what the parser
//!   really does cannot be bypassed the way a guess from the raw bytes can (end tags the
//!   parser ignores, table parts it implies, `<!-->` comments).
//! - **Readability's passes.** dom_smoothie and the furniture rules compute, for many
//!   elements, something over the element's whole subtree (text length, link density,
//!   descendants), so their cost is about the sum over nodes of the node's depth (each node
//!   is visited once per ancestor), text weighted by its length. [`measure`] computes that
//!   sum in one walk; a page over [`super::ExtractOptions::max_work`] is extracted by
//!   [`super::fallback`] instead, a single linear walk.
//!
//! Real pages nest a few dozen levels and cost a few hundred thousand units; the budgets
//! leave them far below the limits (see the tests).

use std::borrow::Cow;
use std::cell::Cell;
use std::rc::Rc;

use dom_query::{Document, NodeData, NodeId, NodeRef};
use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{Attribute, ParseOpts, QualName};

/// Why parsing was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseStop {
    /// More elements than allowed.
    Elements(usize),
    /// The tree builder did more work than allowed (elements nested so deep that every
    /// tag walks a long stack).
    Work(u64),
}

/// Budgets of one parse.
#[derive(Debug, Clone, Copy)]
pub struct ParseLimits {
    /// Elements created (0 = no limit).
    pub max_elements: usize,
    /// Tree builder steps per byte of input (the budget after each piece is this times the
    /// bytes fed so far, plus [`ParseLimits::base_steps`]).
    pub steps_per_byte: u64,
    /// Tree builder steps allowed whatever the length.
    pub base_steps: u64,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_elements: 200_000,
            steps_per_byte: 16,
            base_steps: 4_000_000,
        }
    }
}

/// Counts shared between the sink (inside the parser) and the feeding loop.
#[derive(Debug, Default)]
struct Counts {
    /// `elem_name` calls: stack entries the tree builder examined.
    steps: Cell<u64>,
    /// Elements created.
    elements: Cell<usize>,
}

/// A [`Document`] that counts what the tree builder does to it.
struct CountingSink {
    doc: Document,
    counts: Rc<Counts>,
}

impl TreeSink for CountingSink {
    type Handle = NodeId;
    type Output = Document;
    type ElemName<'a> = <Document as TreeSink>::ElemName<'a>;

    fn finish(self) -> Document {
        self.doc
    }

    fn parse_error(&self, msg: Cow<'static, str>) {
        self.doc.parse_error(msg)
    }

    fn get_document(&self) -> NodeId {
        self.doc.get_document()
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.counts.steps.set(self.counts.steps.get() + 1);
        self.doc.elem_name(target)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.counts.elements.set(self.counts.elements.get() + 1);
        self.doc.create_element(name, attrs, flags)
    }

    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.doc.create_comment(text)
    }

    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.doc.create_pi(target, data)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.doc.append(parent, child)
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        self.doc
            .append_based_on_parent_node(element, prev_element, child)
    }

    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.doc
            .append_doctype_to_document(name, public_id, system_id)
    }

    fn mark_script_already_started(&self, node: &NodeId) {
        self.doc.mark_script_already_started(node)
    }

    fn pop(&self, node: &NodeId) {
        self.doc.pop(node)
    }

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.doc.get_template_contents(target)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.counts.steps.set(self.counts.steps.get() + 1);
        self.doc.same_node(x, y)
    }

    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.doc.set_quirks_mode(mode)
    }

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        self.doc.append_before_sibling(sibling, new_node)
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.doc.add_attrs_if_missing(target, attrs)
    }

    fn associate_with_form(
        &self,
        target: &NodeId,
        form: &NodeId,
        nodes: (&NodeId, Option<&NodeId>),
    ) {
        self.doc.associate_with_form(target, form, nodes)
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.doc.remove_from_parent(target)
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.doc.reparent_children(node, new_parent)
    }

    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.doc.is_mathml_annotation_xml_integration_point(handle)
    }

    fn set_current_line(&self, line_number: u64) {
        self.doc.set_current_line(line_number)
    }

    fn allow_declarative_shadow_roots(&self, intended_parent: &NodeId) -> bool {
        self.doc.allow_declarative_shadow_roots(intended_parent)
    }

    fn attach_declarative_shadow(
        &self,
        location: &NodeId,
        template: &NodeId,
        attrs: &[Attribute],
    ) -> bool {
        self.doc
            .attach_declarative_shadow(location, template, attrs)
    }

    fn maybe_clone_an_option_into_selectedcontent(&self, option: &NodeId) {
        self.doc.maybe_clone_an_option_into_selectedcontent(option)
    }
}

/// Input is fed in pieces this large, so that a budget is overrun by at most one piece's
/// worth of work (the tree builder cannot be interrupted inside a piece).
const PIECE: usize = 2048;

/// Parses a page as `Document::from` does (same options, same tree), stopping as soon as
/// the tree builder exceeds a budget.
pub fn parse(html: &str, limits: &ParseLimits) -> Result<Document, ParseStop> {
    let counts = Rc::new(Counts::default());
    let sink = CountingSink {
        doc: Document::default(),
        counts: Rc::clone(&counts),
    };
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut parser = html5ever::parse_document(sink, opts);
    let mut rest = html;
    let mut fed = 0u64;
    while !rest.is_empty() {
        let cut = rest.floor_char_boundary(PIECE.min(rest.len()));
        // A piece always holds at least one character.
        let cut = if cut == 0 {
            rest.ceil_char_boundary(1)
        } else {
            cut
        };
        let (piece, tail) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(piece));
        rest = tail;
        fed += cut as u64;
        // The budget grows with what was read so far, so a hostile start is stopped early
        // however long the page.
        let budget = limits
            .base_steps
            .saturating_add(limits.steps_per_byte.saturating_mul(fed));
        let steps = counts.steps.get();
        if steps > budget {
            return Err(ParseStop::Work(steps));
        }
        let elements = counts.elements.get();
        if limits.max_elements > 0 && elements > limits.max_elements {
            return Err(ParseStop::Elements(elements));
        }
    }
    Ok(parser.finish())
}

/// The shape of a parsed tree, measured in one walk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// Nodes under the root (elements, text, comments).
    pub nodes: usize,
    /// Deepest nesting (the `html` element is at depth 1).
    pub depth: usize,
    /// What readability's passes cost: per node, [`NODE_UNITS`] plus its depth (it is
    /// visited once per ancestor), a text node's depth weighted by one more per
    /// [`TEXT_BYTES_PER_UNIT`] bytes.
    pub work: u64,
}

/// Text bytes that cost a subtree pass about as much as one node.
pub const TEXT_BYTES_PER_UNIT: u64 = 256;

/// What readability spends on a node whatever its depth (scoring, class weights, link
/// density), in units of one subtree visit: measured on pages of 120,000 link blocks
/// (about 7 µs a node) against pages of nested `<div>`s (about 0.25 µs a unit).
pub const NODE_UNITS: u64 = 8;

/// Measures a tree without recursion (the tree may be arbitrarily deep).
pub fn measure(root: &NodeRef) -> Shape {
    let mut shape = Shape::default();
    let mut depth = 0usize;
    let Some(mut node) = root.first_child() else {
        return shape;
    };
    loop {
        depth += 1;
        shape.nodes += 1;
        shape.depth = shape.depth.max(depth);
        let text = node.query_or(0, |n| match &n.data {
            NodeData::Text { contents } => contents.len(),
            _ => 0,
        }) as u64;
        shape.work = shape
            .work
            .saturating_add(NODE_UNITS + depth as u64 * (1 + text / TEXT_BYTES_PER_UNIT));
        if let Some(child) = node.first_child() {
            node = child;
            continue;
        }
        // Leave the node, and every ancestor that has no next sibling.
        loop {
            depth -= 1;
            if let Some(next) = node.next_sibling() {
                node = next;
                break;
            }
            match node.parent() {
                Some(p) if p.id != root.id && depth > 0 => node = p,
                _ => return shape,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(html: &str) -> Shape {
        let doc = parse(html, &ParseLimits::default()).unwrap();
        measure(&doc.root())
    }

    #[test]
    fn the_bounded_parse_builds_the_same_tree() {
        let html = "<!doctype html><title>T</title><p>a<b>b<i>c</b>d</i><table><tr><td>x</table>\
                    <template><p>t</template><svg><path/></svg><!-->after";
        let a = parse(html, &ParseLimits::default()).unwrap().html();
        let b = Document::from(html).html();
        assert_eq!(a, b);
        let long = "<div class=x>word <a href=#>link</a></div>\n".repeat(2000);
        let a = parse(&long, &ParseLimits::default()).unwrap().html();
        assert_eq!(a, Document::from(long.as_str()).html());
    }

    #[test]
    fn depth_is_what_the_tree_builder_builds() {
        // html > body > div > div: table parts and implied elements count, `</x>` does not
        // close anything, `<!-->` is a whole comment.
        assert_eq!(shape("<div></x><div>").depth, 4);
        assert_eq!(shape("<table><tr><td>x").depth, 7);
        assert_eq!(shape("<!--><div><div>x").depth, 5);
        assert_eq!(shape("<p>a<p>b<p>c").depth, 4);
    }

    #[test]
    fn ignored_end_tags_do_not_hide_nesting_from_the_parse_budget() {
        let page = "<div></x>".repeat(30_000);
        assert!(matches!(
            parse(&page, &ParseLimits::default()),
            Err(ParseStop::Work(_))
        ));
    }

    #[test]
    fn work_grows_with_depth_not_with_length() {
        let flat = shape(&"<p>some words here</p>".repeat(1000));
        let deep = shape(&format!("{}x", "<span>".repeat(1000)));
        assert!(flat.work < 30_000, "{flat:?}");
        assert!(deep.work > 400_000, "{deep:?}");
    }
}
