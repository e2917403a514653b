//! Bytes to text: the byte order mark, then the charset the server declared, then the XML
//! declaration's `encoding`, then UTF-8 when the bytes are valid UTF-8, else windows-1252
//! (what "latin-1" means on the web).

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Decodes a document; `declared` is the charset of the HTTP `Content-Type`, if any.
pub fn decode(bytes: &[u8], declared: Option<&str>) -> String {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let named = declared
        .and_then(|d| Encoding::for_label(d.trim().as_bytes()))
        .or_else(|| xml_encoding(bytes));
    match named {
        // A declaration of UTF-8 on bytes that are not is common; windows-1252 reads them.
        Some(enc) if enc != UTF_8 => enc.decode_without_bom_handling(bytes).0.into_owned(),
        _ => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
        },
    }
}

/// The encoding named by `<?xml ... encoding="..."?>` at the start.
fn xml_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(256)];
    let head = std::str::from_utf8(head)
        .unwrap_or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""));
    let decl = head.trim_start().strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    let label = &rest[..rest.find(quote)?];
    Encoding::for_label(label.as_bytes())
}

/// The document as UTF-8 bytes with its XML declaration saying so (for parsers that
/// would otherwise decode it again by the declaration).
pub(crate) fn to_utf8_xml(bytes: &[u8], declared: Option<&str>) -> Vec<u8> {
    let text = decode(bytes, declared);
    let text = later_declarations_defused(&text);
    let trimmed = text.trim_start();
    if let Some(rest) = trimmed.strip_prefix("<?xml")
        && let Some(end) = rest.find("?>")
    {
        let mut out = String::with_capacity(text.len());
        out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        out.push_str(&rest[end + 2..]);
        return out.into_bytes();
    }
    text.into_owned().into_bytes()
}

/// A second `<?xml ... ?>` inside a document is not XML, and quick-xml (under feed-rs)
/// panics when one names an encoding: every one after the start becomes a harmless
/// processing instruction (`<?_xml`).
fn later_declarations_defused(text: &str) -> std::borrow::Cow<'_, str> {
    let start = text.len() - text.trim_start().len();
    let rest = &text[start..];
    let skip = if rest.starts_with("<?xml") { 5 } else { 0 };
    let body = &rest[skip..];
    let lower = body.to_ascii_lowercase();
    if !lower.contains("<?xml") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..start + skip]);
    let mut at = 0;
    while let Some(k) = lower[at..].find("<?xml") {
        out.push_str(&body[at..at + k]);
        out.push_str("<?_xml");
        at += k + 5;
    }
    out.push_str(&body[at..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin1_declaration_is_honoured() {
        let doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>caf\xe9</rss>";
        assert!(decode(doc, None).contains("caf\u{e9}"));
        let utf8 = to_utf8_xml(doc, None);
        let s = String::from_utf8(utf8).unwrap();
        assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        assert!(s.contains("caf\u{e9}"));
    }

    #[test]
    fn a_second_declaration_is_defused() {
        let doc = b"<?xml version=\"1.0\"?><rss><?XML version=\"1.0\" encoding=\"utf-16\"?></rss>";
        let s = String::from_utf8(to_utf8_xml(doc, None)).unwrap();
        assert!(
            s.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
            "{s}"
        );
        assert!(s.contains("<rss><?_xml version"), "{s}");
    }

    #[test]
    fn undeclared_invalid_utf8_reads_as_windows_1252() {
        assert_eq!(decode(b"na\xefve", None), "na\u{ef}ve");
        assert_eq!(decode("na\u{ef}ve".as_bytes(), None), "na\u{ef}ve");
    }
}
