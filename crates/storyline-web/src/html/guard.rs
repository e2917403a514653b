//! A cheap look at the markup before parsing: how deep does it nest?
//!
//! html5ever checks element scopes by walking the stack of open elements, so a page of
//! 100,000 unclosed `<div>`s takes quadratic time to parse, and the tree walks after it
//! recurse as deep as the nesting. Real pages nest a few dozen levels, rarely a few hundred;
//! a page that nests thousands deep is hostile or broken and is refused before parsing.

/// Elements that never have content, or whose end tag the parser implies (an unclosed `<p>`
/// or `<li>` does not deepen the tree).
fn does_not_nest(name: &[u8]) -> bool {
    const NAMES: &[&[u8]] = &[
        b"area",
        b"base",
        b"br",
        b"col",
        b"embed",
        b"hr",
        b"img",
        b"input",
        b"link",
        b"meta",
        b"param",
        b"source",
        b"track",
        b"wbr",
        b"keygen",
        b"frame",
        b"basefont",
        b"bgsound",
        b"p",
        b"li",
        b"dt",
        b"dd",
        b"tr",
        b"td",
        b"th",
        b"option",
        b"optgroup",
        b"thead",
        b"tbody",
        b"tfoot",
        b"colgroup",
        b"rb",
        b"rt",
        b"rtc",
        b"rp",
        b"html",
        b"head",
        b"body",
    ];
    NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Elements whose content is raw text (a `<div>` inside a script is not an element).
fn raw_text(name: &[u8]) -> Option<&'static [u8]> {
    [
        &b"script"[..],
        b"style",
        b"textarea",
        b"title",
        b"xmp",
        b"plaintext",
        b"noembed",
        b"noframes",
    ]
    .into_iter()
    .find(|&n| n.eq_ignore_ascii_case(name))
    .map(|v| v as _)
}

/// The deepest nesting of elements, counted approximately (start tags minus end tags of
/// elements that can hold others), stopping early once `stop_at` is reached.
pub fn max_nesting(html: &[u8], stop_at: usize) -> usize {
    let mut depth: usize = 0;
    let mut max = 0;
    let mut at = 0;
    while let Some(k) = memchr::memchr(b'<', &html[at..]) {
        let start = at + k + 1;
        let rest = &html[start..];
        if rest.starts_with(b"!--") {
            match memchr::memmem::find(&rest[3..], b"-->") {
                Some(e) => {
                    at = start + 3 + e + 3;
                    continue;
                }
                None => break,
            }
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !rest[name_start].is_ascii_alphabetic() {
            at = start;
            continue;
        }
        let name = &rest[name_start..name_start + name_len];
        let tag_end = memchr::memchr(b'>', rest).map_or(rest.len(), |e| e + 1);
        let self_closing = tag_end >= 2 && rest.get(tag_end - 2) == Some(&b'/');
        at = start + tag_end;
        if closing {
            if !does_not_nest(name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if let Some(raw) = raw_text(name) {
            // Skip to the matching end tag.
            let mut from = at;
            loop {
                match memchr::memmem::find(&html[from..], b"</") {
                    Some(e) => {
                        let p = from + e + 2;
                        if html.len() >= p + raw.len()
                            && html[p..p + raw.len()].eq_ignore_ascii_case(raw)
                        {
                            at = p;
                            break;
                        }
                        from = p;
                    }
                    None => return max,
                }
            }
            continue;
        }
        if !self_closing && !does_not_nest(name) {
            depth += 1;
            if depth > max {
                max = depth;
                if max >= stop_at {
                    return max;
                }
            }
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_nesting_not_paragraphs() {
        assert_eq!(max_nesting(b"<div><div><p>a<p>b</div></div>", 100), 2);
        assert_eq!(
            max_nesting(b"<script>'<div><div><div>'</script><div></div>", 100),
            1
        );
        assert_eq!(max_nesting(b"<!-- <div><div> --><span>x</span>", 100), 1);
        assert_eq!(max_nesting(&b"<div>".repeat(10_000), 500), 500);
    }
}
