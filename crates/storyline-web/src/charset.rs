//! Which character encoding a page is in, and its text as UTF-8.
//!
//! The order follows the WHATWG encoding sniffing algorithm, with one deliberate change:
//!
//! 1. a byte order mark;
//! 2. the `charset` of the HTTP `Content-Type` header;
//! 3. a `<meta charset>` / `<meta http-equiv="Content-Type">` (or an XML declaration) in
//!    the first [`PRESCAN_BYTES`] bytes;
//! 4. otherwise valid UTF-8 is UTF-8, and anything else is guessed by `chardetng`
//!    (Firefox's detector), with the URL's top-level domain as a hint.
//!
//! The change: a page declared in a legacy single-byte encoding whose bytes are valid UTF-8
//! with multi-byte sequences is read as UTF-8 (such text is almost never meant as
//! windows-1252, and mislabelled pages are common), and a page declared UTF-8 that is mostly
//! *not* UTF-8 is guessed instead of being filled with replacement characters.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// How far into a page a `<meta charset>` is looked for (the WHATWG prescan reads 1024
/// bytes; real pages put it later, after long `<script>` or comment blocks).
pub const PRESCAN_BYTES: usize = 16 * 1024;

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A byte order mark.
    Bom,
    /// The HTTP `Content-Type` header.
    Http,
    /// A `<meta>` tag or XML declaration in the page.
    Meta,
    /// Valid UTF-8 although something else was declared, or nothing was.
    Utf8Bytes,
    /// Guessed from the bytes by `chardetng`.
    Guessed,
}

/// A page decoded to UTF-8.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Why that encoding.
    pub evidence: Evidence,
    /// Some bytes could not be decoded and were replaced by U+FFFD.
    pub had_errors: bool,
}

/// Decodes a page. `http_charset` is the `charset` parameter of the HTTP `Content-Type`
/// header when there was one; `url` only serves as a hint for guessing.
pub fn decode(bytes: &[u8], http_charset: Option<&str>, url: Option<&str>) -> Decoded {
    let (encoding, evidence) = sniff(bytes, http_charset, url);
    let (text, used, had_errors) = encoding.decode(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: used,
        evidence,
        had_errors,
    }
}

/// Chooses the encoding of a page without decoding it.
pub fn sniff(
    bytes: &[u8],
    http_charset: Option<&str>,
    url: Option<&str>,
) -> (&'static Encoding, Evidence) {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return (enc, Evidence::Bom);
    }
    let declared = http_charset
        .and_then(label_encoding)
        .map(|e| (e, Evidence::Http))
        .or_else(|| meta_charset(bytes).map(|e| (e, Evidence::Meta)));
    let utf8 = utf8_shape(bytes);
    match declared {
        Some((enc, ev)) if enc == UTF_8 => {
            if utf8.invalid > 0 && utf8.invalid > utf8.multibyte {
                (guess(bytes, url), Evidence::Guessed)
            } else {
                (UTF_8, ev)
            }
        }
        Some((enc, ev)) => {
            if utf8.invalid == 0 && utf8.multibyte > 0 && enc != UTF_16LE && enc != UTF_16BE {
                (UTF_8, Evidence::Utf8Bytes)
            } else {
                (enc, ev)
            }
        }
        None if utf8.invalid == 0 => (UTF_8, Evidence::Utf8Bytes),
        None => (guess(bytes, url), Evidence::Guessed),
    }
}

/// The encoding named by a charset label (`"Shift_JIS"`, `"latin1"`, `"utf8"`), as browsers
/// map labels (`iso-8859-1` is windows-1252). UTF-16 labels in a `<meta>` mean UTF-8.
pub fn label_encoding(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches(['"', '\'']);
    let enc = Encoding::for_label(label.as_bytes())
        .or_else(|| Encoding::for_label(label.replace('_', "-").as_bytes()))?;
    // "replacement" is what for_label returns for labels of dangerous encodings.
    (enc != encoding_rs::REPLACEMENT).then_some(enc)
}

/// Counts of what a UTF-8 decoder would see.
struct Utf8Shape {
    /// Valid multi-byte sequences.
    multibyte: usize,
    /// Invalid sequences.
    invalid: usize,
}

fn utf8_shape(mut bytes: &[u8]) -> Utf8Shape {
    let mut shape = Utf8Shape {
        multibyte: 0,
        invalid: 0,
    };
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                shape.multibyte += s.bytes().filter(|&b| b >= 0xC0).count();
                return shape;
            }
            Err(e) => {
                let (good, rest) = bytes.split_at(e.valid_up_to());
                shape.multibyte += good.iter().filter(|&&b| b >= 0xC0).count();
                match e.error_len() {
                    Some(n) => {
                        shape.invalid += 1;
                        bytes = &rest[n..];
                    }
                    // Cut in the middle of a character at the end (a truncated page).
                    None => return shape,
                }
            }
        }
    }
}

fn guess(bytes: &[u8], url: Option<&str>) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let head = &bytes[..bytes.len().min(256 * 1024)];
    det.feed(head, head.len() == bytes.len());
    let tld = url.and_then(tld_of);
    det.guess(
        tld.as_deref().map(str::as_bytes),
        chardetng::Utf8Detection::Allow,
    )
}

/// The top-level domain of a URL's host (`"jp"`), for the detector.
fn tld_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let tld = host.rsplit('.').next()?;
    (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| tld.to_ascii_lowercase())
}

/// The encoding declared by a `<meta>` tag or an XML declaration near the top of the page.
pub fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    if head.starts_with(b"<?xml") {
        let end = memchr::memchr(b'>', head).unwrap_or(head.len());
        if let Some(enc) = attr_value(&head[..end], b"encoding").and_then(|v| label_encoding(&v)) {
            return Some(utf16_means_utf8(enc));
        }
    }
    let mut at = 0;
    while let Some(k) = memchr::memmem::find(&head[at..], b"<") {
        let start = at + k + 1;
        let rest = &head[start..];
        if rest.starts_with(b"!--") {
            // Skip comments: a commented-out meta does not count.
            match memchr::memmem::find(&rest[3..], b"-->") {
                Some(e) => {
                    at = start + 3 + e + 3;
                    continue;
                }
                None => return None,
            }
        }
        let is_meta = rest.len() > 5
            && rest[..4].eq_ignore_ascii_case(b"meta")
            && (rest[4].is_ascii_whitespace() || rest[4] == b'/');
        let end = memchr::memchr(b'>', rest).map_or(rest.len(), |e| e);
        if is_meta {
            let tag = &rest[4..end];
            if let Some(v) = attr_value(tag, b"charset")
                && let Some(enc) = label_encoding(&v)
            {
                return Some(utf16_means_utf8(enc));
            }
            let is_content_type = attr_value(tag, b"http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("content-type"));
            if is_content_type
                && let Some(enc) = attr_value(tag, b"content")
                    .as_deref()
                    .and_then(charset_param)
                    .and_then(label_encoding)
            {
                return Some(utf16_means_utf8(enc));
            }
        }
        at = start + end;
    }
    None
}

fn utf16_means_utf8(enc: &'static Encoding) -> &'static Encoding {
    if enc == UTF_16LE || enc == UTF_16BE {
        UTF_8
    } else {
        enc
    }
}

/// The `charset` parameter of a `Content-Type` value (`text/html; charset="utf-8"`).
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(['"', '\'']))
            .filter(|v| !v.is_empty())
    })
}

/// The value of attribute `name` in the inside of a tag (`charset="x"`, `charset=x`),
/// matched case-insensitively; lossy for non-ASCII values.
fn attr_value(tag: &[u8], name: &[u8]) -> Option<String> {
    let mut i = 0;
    while i + name.len() <= tag.len() {
        let boundary = i == 0
            || matches!(
                tag[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'"' | b'\''
            );
        if boundary && tag[i..i + name.len()].eq_ignore_ascii_case(name) {
            let mut j = i + name.len();
            while j < tag.len() && tag[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < tag.len() && tag[j] == b'=' {
                j += 1;
                while j < tag.len() && tag[j].is_ascii_whitespace() {
                    j += 1;
                }
                let (start, end) = match tag.get(j) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let s = j + 1;
                        let e = memchr::memchr(q, &tag[s..]).map_or(tag.len(), |e| s + e);
                        (s, e)
                    }
                    Some(_) => {
                        let e = tag[j..]
                            .iter()
                            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
                            .map_or(tag.len(), |e| j + e);
                        (j, e)
                    }
                    None => return None,
                };
                return Some(String::from_utf8_lossy(&tag[start..end]).into_owned());
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_header_wins_over_nothing() {
        let bytes = b"<html><body>caf\xe9</body></html>";
        let d = decode(bytes, Some("windows-1252"), None);
        assert!(d.text.contains("café"));
        assert_eq!(d.evidence, Evidence::Http);
    }

    #[test]
    fn meta_charset_forms_are_read() {
        assert_eq!(
            meta_charset(b"<head><meta charset=\"shift_jis\">"),
            Some(encoding_rs::SHIFT_JIS)
        );
        assert_eq!(
            meta_charset(
                b"<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=ISO-8859-1\">"
            ),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(meta_charset(b"<!-- <meta charset=koi8-r> --><p>"), None);
        assert_eq!(
            meta_charset(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?>"),
            Some(UTF_8)
        );
    }

    #[test]
    fn valid_utf8_beats_a_legacy_label() {
        let d = decode(
            "<meta charset=iso-8859-1><p>café</p>".as_bytes(),
            None,
            None,
        );
        assert!(d.text.contains("café"));
        assert_eq!(d.evidence, Evidence::Utf8Bytes);
    }

    #[test]
    fn undeclared_legacy_bytes_are_guessed() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(
            "<p>東京都の港湾で働く人たちは月曜日にストライキを終えた。港は再開された。</p>",
        );
        let d = decode(&sjis, None, Some("http://example.jp/a"));
        assert_eq!(d.encoding, encoding_rs::SHIFT_JIS);
        assert!(d.text.contains("東京都"));
    }

    #[test]
    fn charset_param_is_found() {
        assert_eq!(charset_param("text/html; charset=\"UTF-8\""), Some("UTF-8"));
        assert_eq!(charset_param("text/html"), None);
    }
}
