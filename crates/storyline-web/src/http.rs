//! HTTP responses as WARC `response` records store them: status line, headers, body.
//!
//! Crawlers differ in what they store. Common Crawl keeps the decoded body and renames
//! `Content-Encoding`/`Transfer-Encoding` to `X-Crawler-*`; others keep the bytes as sent.
//! So a body is de-chunked or decompressed only when the header says so *and* doing so
//! works; otherwise it is taken as it is.

use std::borrow::Cow;
use std::io::Read;

/// A parsed HTTP response.
#[derive(Debug, Clone)]
pub struct Response<'a> {
    /// Status code (200, 301, 404...).
    pub status: u16,
    /// Header fields in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked and decompressed when needed.
    pub body: Cow<'a, [u8]>,
}

/// Why a response could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// The first line is not `HTTP/x y ...`.
    #[error("no HTTP status line")]
    NoStatusLine,
    /// The header block does not end.
    #[error("header block does not end")]
    UnterminatedHeaders,
    /// A content encoding this reader does not decode (`br`, `zstd`).
    #[error("unsupported Content-Encoding {0:?}")]
    UnsupportedEncoding(String),
    /// The decompressed body is over the limit.
    #[error("decompressed body over {0} bytes")]
    TooLarge(usize),
}

impl Response<'_> {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type of `Content-Type`, lowercased, without parameters.
    pub fn mime(&self) -> Option<String> {
        self.header("content-type")
            .map(|ct| {
                ct.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .filter(|m| !m.is_empty())
    }
}

/// Parses a stored HTTP response; `max_body` bounds the body after decompression.
pub fn parse_response(block: &[u8], max_body: usize) -> Result<Response<'_>, HttpError> {
    let (head_end, body_start) = header_end(block).ok_or(HttpError::UnterminatedHeaders)?;
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let status_line = lines.next().ok_or(HttpError::NoStatusLine)?;
    let status = parse_status(status_line).ok_or(HttpError::NoStatusLine)?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.starts_with([' ', '\t']) {
            // Obsolete line folding: continue the previous value.
            if let Some((_, v)) = headers.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let mut response = Response {
        status,
        headers,
        body: Cow::Borrowed(&block[body_start..]),
    };
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked && let Some(body) = dechunk(&response.body) {
        response.body = Cow::Owned(body);
    }
    let encoding = response
        .header("content-encoding")
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match encoding.as_str() {
        "" | "identity" | "none" => {}
        "gzip" | "x-gzip" | "deflate" => {
            if let Some(body) = inflate(&response.body, &encoding, max_body)? {
                response.body = Cow::Owned(body);
            }
        }
        other => {
            if !looks_like_markup(&response.body) {
                return Err(HttpError::UnsupportedEncoding(other.to_string()));
            }
        }
    }
    Ok(response)
}

/// End of the header block and start of the body (`\r\n\r\n`, or a bare `\n\n`).
fn header_end(block: &[u8]) -> Option<(usize, usize)> {
    let crlf = memchr::memmem::find(block, b"\r\n\r\n").map(|k| (k, k + 4));
    let lf = memchr::memmem::find(block, b"\n\n").map(|k| (k, k + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn parse_status(line: &str) -> Option<u16> {
    let mut parts = line.split_ascii_whitespace();
    let proto = parts.next()?;
    if !proto.starts_with("HTTP/") {
        return None;
    }
    let code = parts.next()?;
    (code.len() == 3).then(|| code.parse().ok()).flatten()
}

/// Removes chunked transfer coding; `None` when the body is not well-formed chunks.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    loop {
        let line_end = memchr::memchr(b'\n', &body[at..])? + at;
        let size_field = std::str::from_utf8(&body[at..line_end]).ok()?;
        let size_hex = size_field.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        at = line_end + 1;
        if size == 0 {
            return Some(out);
        }
        let end = at.checked_add(size)?;
        if end > body.len() {
            // Cut short: keep what there is.
            out.extend_from_slice(&body[at..]);
            return Some(out);
        }
        out.extend_from_slice(&body[at..end]);
        at = end;
        while at < body.len() && matches!(body[at], b'\r' | b'\n') {
            at += 1;
        }
        if at >= body.len() {
            return Some(out);
        }
    }
}

/// Decompresses a gzip or deflate body, up to `max` bytes; `Ok(None)` when the bytes are
/// not compressed after all (the crawler stored them decoded).
fn inflate(body: &[u8], encoding: &str, max: usize) -> Result<Option<Vec<u8>>, HttpError> {
    if looks_like_markup(body) {
        return Ok(None);
    }
    let mut out = Vec::new();
    let limit = max as u64 + 1;
    let res = if encoding == "deflate" {
        // "deflate" is zlib-wrapped by the standard, raw deflate by many servers.
        let r = flate2::read::ZlibDecoder::new(body)
            .take(limit)
            .read_to_end(&mut out);
        if r.is_err() {
            out.clear();
            flate2::read::DeflateDecoder::new(body)
                .take(limit)
                .read_to_end(&mut out)
        } else {
            r
        }
    } else {
        flate2::read::MultiGzDecoder::new(body)
            .take(limit)
            .read_to_end(&mut out)
    };
    if out.len() > max {
        return Err(HttpError::TooLarge(max));
    }
    match res {
        Ok(_) => Ok(Some(out)),
        // A body cut short still yields its beginning.
        Err(_) if !out.is_empty() => Ok(Some(out)),
        Err(_) => Ok(None),
    }
}

/// Does the body start like markup (after whitespace and a BOM)?
pub fn looks_like_markup(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_headers_and_body() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Long: a\r\n b\r\n\r\n<html>hi</html>";
        let r = parse_response(block, 1 << 20).unwrap();
        assert_eq!(r.status, 200);
        assert_eq!(r.mime().as_deref(), Some("text/html"));
        assert_eq!(r.header("x-long"), Some("a b"));
        assert_eq!(&*r.body, b"<html>hi</html>");
    }

    #[test]
    fn dechunks_and_inflates_when_the_headers_say_so() {
        let block = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<html\r\n2\r\n/>\r\n0\r\n\r\n";
        assert_eq!(&*parse_response(block, 1 << 20).unwrap().body, b"<html/>");

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"<p>compressed</p>").unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(gz.finish().unwrap());
        assert_eq!(
            &*parse_response(&block, 1 << 20).unwrap().body,
            b"<p>compressed</p>"
        );
    }

    #[test]
    fn a_body_stored_decoded_is_taken_as_is() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n<html>plain</html>";
        assert_eq!(
            &*parse_response(block, 1 << 20).unwrap().body,
            b"<html>plain</html>"
        );
    }

    #[test]
    fn garbage_is_not_a_response() {
        assert!(parse_response(b"\x00\x01\x02", 100).is_err());
        assert!(parse_response(b"GET / HTTP/1.1\r\n\r\n", 100).is_err());
    }
}
