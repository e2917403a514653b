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

/// A gzip stream that expands far more than text does (a decompression bomb): reported by
/// [`GzMembers`] instead of being unpacked to the end, carried inside [`io::Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GzipBomb {
    /// Bytes it had expanded to when reading stopped.
    pub expanded: u64,
    /// What the compressed bytes read so far may expand to.
    pub allowed: u64,
}

impl std::fmt::Display for GzipBomb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "gzip expands past {} bytes (allowed {}): a decompression bomb",
            self.expanded, self.allowed
        )
    }
}

impl std::error::Error for GzipBomb {}

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
    /// Stretches of the stream skipped unread right after a kept block prefix (buffer
    /// index, length), in buffer order: crossing one adds its length to `offset`.
    gaps: std::collections::VecDeque<(usize, u64)>,
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
            gaps: std::collections::VecDeque::new(),
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
        while let Some(&(at, len)) = self.gaps.front() {
            if self.pos < at {
                break;
            }
            self.offset += len;
            self.gaps.pop_front();
        }
    }

    /// Reads more bytes into the buffer; `Ok(false)` at end of stream.
    ///
    /// The buffer is compacted only when that frees at least as much room as it copies, so
    /// holding a long block unconsumed (while its end is checked) costs linear time.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 && self.pos >= self.end - self.pos {
            self.buf.copy_within(self.pos..self.end, 0);
            for g in &mut self.gaps {
                g.0 -= self.pos;
            }
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.buf.len() - self.end < CHUNK / 2 {
            self.buf.resize(self.end + CHUNK, 0);
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

    /// Drops `n` bytes of the stream that follow the first `keep` buffered bytes, without
    /// storing them (the tail of a block over the size limit); the bytes before and after
    /// stay. Returns how many were dropped (fewer when the stream ends).
    fn drop_after(&mut self, keep: usize, n: u64) -> io::Result<u64> {
        let at = self.pos + keep;
        debug_assert!(at <= self.end);
        let buffered = (self.end - at) as u64;
        if buffered >= n {
            let n = n as usize;
            self.buf.copy_within(at + n..self.end, at);
            self.end -= n;
            self.note_gap(at, n as u64);
            return Ok(n as u64);
        }
        self.end = at;
        let mut dropped = buffered;
        while dropped < n {
            if self.buf.len() - self.end < CHUNK / 2 {
                self.buf.resize(self.end + CHUNK, 0);
            }
            let room =
                (self.buf.len() - self.end).min((n - dropped).min(usize::MAX as u64) as usize);
            match self.inner.read(&mut self.buf[self.end..self.end + room]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(k) => dropped += k as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.note_gap(at, dropped);
                    return Err(e);
                }
            }
        }
        self.note_gap(at, dropped);
        Ok(dropped)
    }

    fn note_gap(&mut self, at: usize, len: u64) {
        if len == 0 {
            return;
        }
        // Gaps past `at` are not buffered any more (a later block was dropped over them).
        while self.gaps.back().is_some_and(|&(g, _)| g >= at) {
            self.gaps.pop_back();
        }
        self.gaps.push_back((at, len));
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

    /// Does a block of `len` buffered bytes end the record? After it: `\r\n\r\n` as the
    /// standard says; or, leniently, a few blank lines and then the next record or the end.
    /// Returns the length of that separator; consumes nothing.
    fn ends_at(&mut self, len: usize) -> io::Result<Option<usize>> {
        self.want(len + 16)?;
        let after = &self.buf[(self.pos + len).min(self.end)..self.end];
        if after.starts_with(b"\r\n\r\n") {
            return Ok(Some(4));
        }
        let blanks = after
            .iter()
            .take(8)
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let rest = &after[blanks..];
        let ok = if rest.is_empty() {
            self.eof && after.len() == blanks
        } else {
            rest.starts_with(b"WARC/") || (rest.len() < 5 && b"WARC/".starts_with(rest) && self.eof)
        };
        Ok(ok.then_some(blanks))
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
        let reason = if let Some(bomb) = gzip_bomb(e) {
            Reason::TooLarge {
                bytes: bomb.expanded,
                limit: bomb.allowed,
            }
        } else if is_gzip_error(e) {
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
        // The block stays in the buffer, unconsumed, until its end is checked: when the
        // length is wrong, reading resumes inside it without reading or copying anything
        // twice (the search for the next record starts at the block and only moves on).
        let keep = length.min(self.limits.max_block_bytes as u64) as usize;
        self.want(keep)?;
        let buffered = self.end - self.pos;
        let mut got = buffered.min(keep) as u64;
        if got == keep as u64 && length > keep as u64 {
            got += self.drop_after(keep, length - keep as u64)?;
        }
        if got < length {
            // The stream ended inside the block: the length may have been too long and
            // swallowed later records, so search the block for them.
            self.resync = true;
            return Ok(Some(self.damaged(
                number,
                offset,
                Reason::DamagedRecord(format!(
                    "cut short: {got} of {length} bytes (or a wrong Content-Length)"
                )),
            )));
        }
        let Some(separator) = self.ends_at(keep)? else {
            if length > keep as u64 {
                // Its middle was not kept: resume after it, as a reader of the length would.
                self.consume(keep);
            }
            self.resync = true;
            return Ok(Some(self.damaged(
                number,
                offset,
                Reason::DamagedRecord(format!("Content-Length {length} does not end the record")),
            )));
        };
        let block = self.buf[self.pos..self.pos + keep].to_vec();
        self.consume(keep + separator);
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
    e.get_ref()
        .is_some_and(|inner| inner.is::<GzipError>() || inner.is::<GzipBomb>())
}

/// The decompression bomb this error reports, if it is one.
pub fn gzip_bomb(e: &io::Error) -> Option<GzipBomb> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<GzipBomb>())
        .copied()
}

/// What a gzip stream may expand to: this much whatever its size...
pub const GZIP_FREE_BYTES: u64 = 64 << 20;
/// ...plus this many times the compressed bytes read. Text and HTML expand 3 to 20 times;
/// deflate's ceiling is about 1,030 (long runs of one byte).
pub const GZIP_MAX_RATIO: u64 = 100;

/// A gzip stream of one or more members (a `.warc.gz` has one per record) that survives
/// damage: when a member is corrupt or cut short, one read returns an error
/// ([`GzipError`]) and reading then resumes at the next gzip member header.
pub struct GzMembers<R: BufRead> {
    state: GzState<Counted<R>>,
    /// Decompressed bytes returned so far.
    expanded: u64,
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
            state: GzState::Between(Counted::new(inner)),
            expanded: 0,
            just_failed: false,
            until: None,
        }
    }

    /// Reads the members of `inner` that start before `end`: `consumed` must count the bytes
    /// consumed from `inner` since offset 0 of the file (see [`Tracked`]).
    pub fn until(inner: R, consumed: Arc<AtomicU64>, end: u64) -> Self {
        GzMembers {
            state: GzState::Between(Counted::new(inner)),
            expanded: 0,
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

/// A `BufRead` that counts the bytes consumed from it (the compressed bytes a decoder read).
struct Counted<R> {
    inner: R,
    consumed: u64,
}

impl<R> Counted<R> {
    fn new(inner: R) -> Self {
        Counted { inner, consumed: 0 }
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(out)?;
        self.consumed += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.inner.consume(n);
        self.consumed += n as u64;
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
                        self.expanded += n as u64;
                        let allowed = GZIP_FREE_BYTES
                            .saturating_add(GZIP_MAX_RATIO.saturating_mul(d.get_ref().consumed));
                        if self.expanded > allowed {
                            // Stop unpacking: skip the rest of this member unread.
                            let mut r = d.into_inner();
                            let more = skip_to_member(&mut r, true).unwrap_or(false);
                            self.just_failed = true;
                            self.state = if more {
                                GzState::Between(r)
                            } else {
                                GzState::Done
                            };
                            let bomb = GzipBomb {
                                expanded: self.expanded,
                                allowed,
                            };
                            return Err(io::Error::new(io::ErrorKind::InvalidData, bomb));
                        }
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
