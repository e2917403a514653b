//! Streaming WARC reader (WARC/1.0 and 1.1, plain or gzip with one member per record).
//!
//! Records are read one at a time; a record's block is held in memory only up to
//! [`WarcLimits::max_block_bytes`] and the rest is skipped without being stored, so memory is
//! bounded whatever the file holds.
//!
//! Damage is expected and survived:
//!
//! - a record whose `Content-Length` is wrong (the block is not followed by the blank lines
//!   and the next `WARC/` header) is reported, and reading resumes at the next `WARC/1.`
//!   line, searching from the start of the bad block so that a record swallowed by a length
//!   that was too long is not lost;
//! - bytes that are not a record are skipped to the next `WARC/1.` line and reported once;
//! - a gzip member that is corrupt or cut short is reported by [`GzMembers`], which then
//!   resumes at the next gzip member; the reader reports the record it was in.

use std::io::{self, BufRead, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::outcome::Reason;

/// Size limits of the reader.
#[derive(Debug, Clone, Copy)]
pub struct WarcLimits {
    /// A record block larger than this is skipped (not held in memory) and reported.
    pub max_block_bytes: usize,
    /// A header block larger than this is taken for garbage.
    pub max_header_bytes: usize,
}

impl Default for WarcLimits {
    fn default() -> Self {
        WarcLimits {
            max_block_bytes: 8 << 20,
            max_header_bytes: 64 << 10,
        }
    }
}

/// One WARC record.
#[derive(Debug, Clone)]
pub struct WarcRecord {
    /// 1-based number of the record in the stream (damaged stretches count as one each).
    pub number: u64,
    /// Offset of the record's first byte in the (decompressed) stream.
    pub offset: u64,
    /// Header fields in order (`WARC-Type`, `WARC-Target-URI`, `Content-Type`...).
    pub headers: Vec<(String, String)>,
    /// The block, or its first [`WarcLimits::max_block_bytes`] bytes.
    pub block: Vec<u8>,
    /// The `Content-Length` of the block.
    pub block_len: u64,
}

impl WarcRecord {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type`, lowercased (`response`, `request`, `resource`, `metadata`...).
    pub fn warc_type(&self) -> String {
        self.header("WARC-Type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }

    /// `WARC-Target-URI`, without the angle brackets some writers put around it.
    pub fn target_uri(&self) -> Option<&str> {
        self.header("WARC-Target-URI")
            .map(|u| u.trim().trim_start_matches('<').trim_end_matches('>'))
            .filter(|u| !u.is_empty())
    }

    /// `WARC-Record-ID` (`<urn:uuid:...>`).
    pub fn record_id(&self) -> Option<&str> {
        self.header("WARC-Record-ID").filter(|u| !u.is_empty())
    }

    /// Was the whole block kept?
    pub fn is_complete(&self) -> bool {
        self.block.len() as u64 == self.block_len
    }
}

/// What the reader found next.
#[derive(Debug, Clone)]
pub enum WarcItem {
    /// A well-formed record.
    Record(WarcRecord),
    /// A damaged record or stretch of bytes, skipped.
    Damaged {
        /// Its number, counted like records.
        number: u64,
        /// Offset in the (decompressed) stream where it started.
        offset: u64,
        /// What was wrong.
        reason: Reason,
    },
}

/// An error of the gzip layer, carried inside [`io::Error`] so that the reader can tell it
/// from an I/O error.
#[derive(Debug)]
pub struct GzipError(pub String);

impl std::fmt::Display for GzipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GzipError {}

/// Reads WARC records from a decompressed stream.
pub struct WarcReader<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    /// Stream offset of `buf[pos]`.
    offset: u64,
    number: u64,
    limits: WarcLimits,
    /// Reading resumes by searching for the next record.
    resync: bool,
    /// Read errors in a row without progress; the reader gives up after a few.
    errors_in_a_row: u32,
}

const MAGIC: &[u8] = b"WARC/1.";
const CHUNK: usize = 64 << 10;

impl<R: Read> WarcReader<R> {
    /// A reader over a decompressed WARC stream (wrap `.warc.gz` in [`GzMembers`]).
    pub fn new(inner: R, limits: WarcLimits) -> Self {
        WarcReader {
            inner,
            buf: vec![0; CHUNK],
            pos: 0,
            end: 0,
            eof: false,
            offset: 0,
            number: 0,
            limits,
            resync: false,
            errors_in_a_row: 0,
        }
    }

    /// Bytes available in the buffer.
    fn available(&self) -> &[u8] {
        &self.buf[self.pos..self.end]
    }

    fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.end - self.pos);
        self.pos += n;
        self.offset += n as u64;
    }

    /// Reads more bytes into the buffer; `Ok(false)` at end of stream.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 && self.buf.len() - self.end < CHUNK / 2 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.buf.len() - self.end < CHUNK / 2 {
            self.buf.resize(self.buf.len() + CHUNK, 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    self.errors_in_a_row = 0;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.errors_in_a_row += 1;
                    if self.errors_in_a_row >= 3 && !is_gzip_error(&e) {
                        self.eof = true;
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Ensures at least `n` bytes are buffered unless the stream ends first.
    fn want(&mut self, n: usize) -> io::Result<()> {
        while self.end - self.pos < n && self.fill()? {}
        Ok(())
    }

    /// Puts bytes back in front of the stream.
    fn unread(&mut self, bytes: &[u8]) {
        let mut fresh = Vec::with_capacity(bytes.len() + self.end - self.pos + CHUNK);
        fresh.extend_from_slice(bytes);
        fresh.extend_from_slice(&self.buf[self.pos..self.end]);
        self.end = fresh.len();
        fresh.resize(fresh.len() + CHUNK, 0);
        self.buf = fresh;
        self.pos = 0;
        self.offset -= bytes.len() as u64;
    }

    /// Reads one line (without its `\n` and `\r`); `None` at end of stream, `Err(len)` when
    /// the line is longer than `max` (it is consumed).
    fn read_line(&mut self, max: usize) -> io::Result<Option<Result<Vec<u8>, usize>>> {
        let mut line = Vec::new();
        let mut len = 0usize;
        loop {
            if self.pos == self.end && !self.fill()? {
                if len == 0 {
                    return Ok(None);
                }
                break;
            }
            let avail = self.available();
            let (take, done) = match memchr::memchr(b'\n', avail) {
                Some(k) => (k, true),
                None => (avail.len(), false),
            };
            if len + take <= max {
                line.extend_from_slice(&avail[..take]);
            }
            len += take;
            self.consume(take + usize::from(done));
            if done {
                break;
            }
        }
        if len > max {
            return Ok(Some(Err(len)));
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(Some(Ok(line)))
    }

    /// Skips blank lines between records.
    fn skip_blank(&mut self) -> io::Result<()> {
        loop {
            if self.pos == self.end && !self.fill()? {
                return Ok(());
            }
            match self
                .available()
                .iter()
                .position(|b| !matches!(b, b'\r' | b'\n'))
            {
                Some(k) => {
                    self.consume(k);
                    return Ok(());
                }
                None => {
                    let n = self.end - self.pos;
                    self.consume(n);
                }
            }
        }
    }

    /// Skips to the next line that starts with `WARC/1.`; returns the bytes skipped.
    fn skip_to_next_record(&mut self) -> io::Result<u64> {
        let mut skipped = 0u64;
        let mut first = true;
        loop {
            let avail = self.available();
            let mut from = 0;
            let mut found = None;
            while let Some(k) = memchr::memmem::find(&avail[from..], MAGIC) {
                let at = from + k;
                if (at == 0 && first) || (at > 0 && avail[at - 1] == b'\n') {
                    found = Some(at);
                    break;
                }
                from = at + 1;
            }
            if let Some(at) = found {
                self.consume(at);
                return Ok(skipped + at as u64);
            }
            // Keep a tail that may hold the start of the magic (and the newline before it).
            let keep = if self.eof {
                0
            } else {
                MAGIC.len().min(avail.len())
            };
            let n = avail.len() - keep;
            self.consume(n);
            skipped += n as u64;
            if n > 0 {
                first = false;
            }
            if !self.fill()? {
                let rest = self.end - self.pos;
                self.consume(rest);
                return Ok(skipped + rest as u64);
            }
        }
    }

    /// After a block: `\r\n\r\n` as the standard says; or, leniently, a few blank lines
    /// and then the next record or the end. Consumes the blank lines when the check passes.
    fn block_ends_here(&mut self) -> io::Result<bool> {
        self.want(16)?;
        let avail = self.available();
        if avail.starts_with(b"\r\n\r\n") {
            self.consume(4);
            return Ok(true);
        }
        let blanks = avail
            .iter()
            .take(8)
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let rest = &avail[blanks..];
        let ok = if rest.is_empty() {
            self.eof && self.end - self.pos == blanks
        } else {
            rest.starts_with(b"WARC/") || (rest.len() < 5 && b"WARC/".starts_with(rest) && self.eof)
        };
        if ok {
            self.consume(blanks);
        }
        Ok(ok)
    }

    fn damaged(&self, number: u64, offset: u64, reason: Reason) -> WarcItem {
        WarcItem::Damaged {
            number,
            offset,
            reason,
        }
    }

    fn io_damage(&mut self, number: u64, offset: u64, e: &io::Error) -> WarcItem {
        self.resync = true;
        let reason = if is_gzip_error(e) {
            Reason::Gzip(e.to_string())
        } else {
            Reason::Io(e.to_string())
        };
        self.damaged(number, offset, reason)
    }

    /// Reads the next record or damaged stretch; `None` at the end.
    pub fn next_item(&mut self) -> Option<WarcItem> {
        let offset = self.offset;
        let before = self.number;
        match self.next_inner() {
            Ok(item) => item,
            Err(e) => {
                if self.number == before {
                    self.number += 1;
                }
                let n = self.number;
                Some(self.io_damage(n, offset, &e))
            }
        }
    }

    fn next_inner(&mut self) -> io::Result<Option<WarcItem>> {
        if self.resync {
            self.resync = false;
            let start = self.offset;
            let skipped = self.skip_to_next_record()?;
            if skipped > 0 {
                // Stray bytes of a record already reported; not counted again.
                tracing::debug!("skipped {skipped} bytes at {start} to the next record");
            }
        }
        self.skip_blank()?;
        if self.pos == self.end && !self.fill()? {
            return Ok(None);
        }
        self.number += 1;
        let number = self.number;
        let offset = self.offset;
        let version = match self.read_line(64)? {
            None => return Ok(None),
            Some(Ok(l)) => l,
            Some(Err(_)) => Vec::new(),
        };
        if !version.starts_with(b"WARC/") {
            let skipped = self.skip_to_next_record()? + version.len() as u64;
            return Ok(Some(self.damaged(
                number,
                offset,
                Reason::DamagedRecord(format!(
                    "no WARC header; skipped {} bytes to the next record",
                    skipped.max(1)
                )),
            )));
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut header_bytes = 0usize;
        loop {
            let line = match self.read_line(self.limits.max_header_bytes)? {
                None => {
                    return Ok(Some(self.damaged(
                        number,
                        offset,
                        Reason::DamagedRecord("cut short in the header".into()),
                    )));
                }
                Some(Err(len)) => {
                    self.resync = true;
                    return Ok(Some(self.damaged(
                        number,
                        offset,
                        Reason::DamagedRecord(format!("header line of {len} bytes")),
                    )));
                }
                Some(Ok(l)) => l,
            };
            if line.is_empty() {
                break;
            }
            header_bytes += line.len();
            if header_bytes > self.limits.max_header_bytes || headers.len() > 1000 {
                self.resync = true;
                return Ok(Some(self.damaged(
                    number,
                    offset,
                    Reason::DamagedRecord("header block too large".into()),
                )));
            }
            let line = String::from_utf8_lossy(&line);
            if line.starts_with([' ', '\t']) {
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            } else {
                self.resync = true;
                return Ok(Some(self.damaged(
                    number,
                    offset,
                    Reason::DamagedRecord(format!("bad header line {:?}", cut(&line, 60))),
                )));
            }
        }
        let length = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
            .and_then(|(_, v)| v.trim().parse::<u64>().ok());
        let Some(length) = length else {
            self.resync = true;
            return Ok(Some(self.damaged(
                number,
                offset,
                Reason::DamagedRecord("no valid Content-Length".into()),
            )));
        };
        let keep = length.min(self.limits.max_block_bytes as u64) as usize;
        let mut block = Vec::with_capacity(keep.min(1 << 20));
        while block.len() < keep {
            if self.pos == self.end && !self.fill()? {
                break;
            }
            let avail = self.available();
            let n = avail.len().min(keep - block.len());
            block.extend_from_slice(&avail[..n]);
            self.consume(n);
        }
        let mut got = block.len() as u64;
        while got < length {
            if self.pos == self.end && !self.fill()? {
                break;
            }
            let n = ((self.end - self.pos) as u64).min(length - got) as usize;
            self.consume(n);
            got += n as u64;
        }
        if got < length {
            // The stream ended inside the block: the length may have been too long and
            // swallowed later records, so search the block for them.
            self.unread(&block);
            self.resync = true;
            return Ok(Some(self.damaged(
                number,
                offset,
                Reason::DamagedRecord(format!(
                    "cut short: {got} of {length} bytes (or a wrong Content-Length)"
                )),
            )));
        }
        if !self.block_ends_here()? {
            if block.len() as u64 == length {
                self.unread(&block);
            }
            self.resync = true;
            return Ok(Some(self.damaged(
                number,
                offset,
                Reason::DamagedRecord(format!("Content-Length {length} does not end the record")),
            )));
        }
        Ok(Some(WarcItem::Record(WarcRecord {
            number,
            offset,
            headers,
            block,
            block_len: length,
        })))
    }
}

impl<R> WarcReader<R> {
    /// Records read so far (damaged stretches count one each), and the offset reached in
    /// the decompressed stream.
    pub fn position(&self) -> (u64, u64) {
        (self.number, self.offset)
    }
}

impl<R: Read> Iterator for WarcReader<R> {
    type Item = WarcItem;

    fn next(&mut self) -> Option<WarcItem> {
        self.next_item()
    }
}

fn cut(s: &str, max: usize) -> &str {
    &s[..s.floor_char_boundary(max)]
}

/// Is this error from the gzip layer?
pub fn is_gzip_error(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<GzipError>())
}

/// A gzip stream of one or more members (a `.warc.gz` has one per record) that survives
/// damage: when a member is corrupt or cut short, one read returns an error
/// ([`GzipError`]) and reading then resumes at the next gzip member header.
pub struct GzMembers<R: BufRead> {
    state: GzState<R>,
    /// The last read failed and nothing was read since: a member header at the current
    /// position is the one that failed, so the search must move past it.
    just_failed: bool,
    /// Stop before a member that starts at or past this offset of the compressed stream
    /// (bytes consumed from `inner`, as counted by the given counter).
    until: Option<(Arc<AtomicU64>, u64)>,
}

enum GzState<R: BufRead> {
    Member(Box<flate2::bufread::GzDecoder<R>>),
    Between(R),
    Done,
}

impl<R: BufRead> GzMembers<R> {
    /// Reads the members of `inner`.
    pub fn new(inner: R) -> Self {
        GzMembers {
            state: GzState::Between(inner),
            just_failed: false,
            until: None,
        }
    }

    /// Reads the members of `inner` that start before `end`: `consumed` must count the bytes
    /// consumed from `inner` since offset 0 of the file (see [`Tracked`]).
    pub fn until(inner: R, consumed: Arc<AtomicU64>, end: u64) -> Self {
        GzMembers {
            state: GzState::Between(inner),
            just_failed: false,
            until: Some((consumed, end)),
        }
    }
}

/// A reader that counts the bytes consumed from it into a shared counter (for
/// [`GzMembers::until`]).
pub struct Tracked<R> {
    inner: R,
    consumed: Arc<AtomicU64>,
}

impl<R> Tracked<R> {
    /// `inner`, positioned at byte `at` of its file.
    pub fn new(inner: R, at: u64) -> Self {
        Tracked {
            inner,
            consumed: Arc::new(AtomicU64::new(at)),
        }
    }

    /// The counter.
    pub fn counter(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.consumed)
    }
}

impl<R: BufRead> Read for Tracked<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Tracked<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
    }
}

/// Skips to the next gzip member header (`1f 8b 08`), moving at least one byte when
/// `skip_one`.
fn skip_to_member<R: BufRead>(r: &mut R, skip_one: bool) -> io::Result<bool> {
    let mut skip_one = skip_one;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(false);
        }
        let from = usize::from(skip_one);
        skip_one = false;
        if let Some(k) = memchr::memmem::find(&buf[from.min(buf.len())..], b"\x1f\x8b\x08") {
            r.consume(from + k);
            return Ok(true);
        }
        // Keep two bytes that may start a header split across reads.
        let n = buf.len().saturating_sub(2).max(from.min(buf.len()));
        if n == 0 {
            // Fewer than three bytes left: no header can follow.
            let len = buf.len();
            r.consume(len);
            return Ok(false);
        }
        r.consume(n);
    }
}

impl<R: BufRead> Read for GzMembers<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            match std::mem::replace(&mut self.state, GzState::Done) {
                GzState::Done => return Ok(0),
                GzState::Between(mut r) => {
                    if let Some((consumed, end)) = &self.until
                        && consumed.load(Ordering::Relaxed) >= *end
                    {
                        return Ok(0);
                    }
                    if r.fill_buf()?.is_empty() {
                        return Ok(0);
                    }
                    self.state = GzState::Member(Box::new(flate2::bufread::GzDecoder::new(r)));
                }
                GzState::Member(mut d) => match d.read(out) {
                    Ok(0) => self.state = GzState::Between(d.into_inner()),
                    Ok(n) => {
                        self.state = GzState::Member(d);
                        self.just_failed = false;
                        return Ok(n);
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                        self.state = GzState::Member(d);
                    }
                    Err(e) => {
                        let what = if e.kind() == io::ErrorKind::UnexpectedEof {
                            "cut short".to_string()
                        } else {
                            e.to_string()
                        };
                        let mut r = d.into_inner();
                        // A checksum error leaves the stream at the next member: keep it.
                        let more = skip_to_member(&mut r, self.just_failed).unwrap_or(false);
                        self.just_failed = true;
                        self.state = if more {
                            GzState::Between(r)
                        } else {
                            GzState::Done
                        };
                        return Err(io::Error::new(io::ErrorKind::InvalidData, GzipError(what)));
                    }
                },
            }
        }
    }
}
