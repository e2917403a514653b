//! Where pages come from: folders, single pages, WARC archives, standard input.
//!
//! [`read_paths`] walks the paths in order and hands each record to a callback as a
//! [`Document`] (raw bytes, not yet decoded or parsed: that is the workers' job) or as a
//! [`Reject`] (a WARC request record, a damaged record, a file over the size limit). Nothing
//! is collected: folders are walked lazily, archives streamed record by record, and a page
//! over the limit is never read into memory.
//!
//! What a path is, is told by its name: `.warc`/`.warc.gz` are archives; `.html`, `.htm`,
//! `.xhtml`, `.shtml` (optionally `.gz`) are pages; in a folder other files are ignored. A
//! file named explicitly with another name, and standard input, are sniffed (gzip magic,
//! then `WARC/`).

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::outcome::{Origin, Reason, Reject};
use crate::warc::{GzMembers, WarcItem, WarcLimits, WarcReader};

/// A raw page, as read.
#[derive(Debug, Clone)]
pub struct Document {
    /// Where it came from.
    pub origin: Origin,
    /// What it holds.
    pub payload: Payload,
    /// The address it was fetched from (`WARC-Target-URI`), if known.
    pub url: Option<String>,
    /// `WARC-Record-ID`, if from an archive.
    pub record_id: Option<String>,
}

/// The bytes of a document.
#[derive(Debug, Clone)]
pub enum Payload {
    /// A stored HTTP response (status line, headers, body).
    Http(Vec<u8>),
    /// The page itself, with the charset declared outside it (WARC `Content-Type`), if any.
    Page {
        /// The page's bytes.
        bytes: Vec<u8>,
        /// Declared charset.
        charset: Option<String>,
    },
}

/// A path that cannot be used at all (reported before any work starts).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The path does not exist.
    #[error("{0}: no such file or folder")]
    NotFound(PathBuf),
    /// No paths given.
    #[error("no input paths")]
    Empty,
}

/// What a source yields.
#[derive(Debug)]
pub enum Item {
    /// A page to extract.
    Doc(Document),
    /// A record that is already known not to be one.
    Reject(Reject),
}

/// Limits of reading.
#[derive(Debug, Clone, Copy)]
pub struct SourceOptions {
    /// Pages over this many bytes are skipped as too large without being read.
    pub max_page_bytes: usize,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            max_page_bytes: 8 << 20,
        }
    }
}

impl SourceOptions {
    fn warc_limits(&self) -> WarcLimits {
        WarcLimits {
            // Room for the HTTP header block on top of the page.
            max_block_bytes: self.max_page_bytes.saturating_add(256 << 10),
            ..WarcLimits::default()
        }
    }
}

/// How far reading has got.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes read from files (compressed size for `.gz`).
    pub bytes_read: AtomicU64,
    /// Total size of the input when it is known (every path a file), else 0.
    pub bytes_total: AtomicU64,
    /// Files opened.
    pub files: AtomicU64,
}

/// Checks that every path exists (or is `-`), and sets the progress total to the sum of the
/// files' sizes when every path is a file (a folder or stdin makes the total unknown: 0).
pub fn check_paths(paths: &[PathBuf], progress: &Progress) -> Result<(), SourceError> {
    if paths.is_empty() {
        return Err(SourceError::Empty);
    }
    let mut total = Some(0u64);
    for p in paths {
        if p.as_os_str() == "-" {
            total = None;
            continue;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_file() => total = total.map(|t| t + m.len()),
            Ok(_) => total = None,
            Err(_) => return Err(SourceError::NotFound(p.clone())),
        }
    }
    progress
        .bytes_total
        .store(total.unwrap_or(0), Ordering::Relaxed);
    Ok(())
}

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Warc,
    Page,
    Unknown,
}

fn kind_of(path: &Path) -> Kind {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    if name.ends_with(".warc") {
        Kind::Warc
    } else if [".html", ".htm", ".xhtml", ".shtml"]
        .iter()
        .any(|e| name.ends_with(e))
    {
        Kind::Page
    } else {
        Kind::Unknown
    }
}

/// Reads every path in order, calling `emit` for each record; stops early when `emit`
/// returns `false`.
pub fn read_paths(
    paths: &[PathBuf],
    opts: &SourceOptions,
    progress: &Arc<Progress>,
    emit: &mut dyn FnMut(Item) -> bool,
) {
    for path in paths {
        let go_on = if path.as_os_str() == "-" {
            read_stdin(opts, emit)
        } else if path.is_dir() {
            read_dir(path, opts, progress, emit)
        } else {
            read_file(path, kind_of(path), opts, progress, emit)
        };
        if !go_on {
            return;
        }
    }
}

fn read_dir(
    dir: &Path,
    opts: &SourceOptions,
    progress: &Arc<Progress>,
    emit: &mut dyn FnMut(Item) -> bool,
) -> bool {
    let mut entries: Vec<(PathBuf, bool)> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| {
                let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
                (e.path(), is_dir)
            })
            .collect(),
        Err(e) => {
            return emit(Item::Reject(Reject::new(
                Origin::file(dir.display().to_string()),
                Reason::Io(e.to_string()),
            )));
        }
    };
    entries.sort();
    for (path, is_dir) in entries {
        let go_on = if is_dir {
            read_dir(&path, opts, progress, emit)
        } else {
            match kind_of(&path) {
                Kind::Unknown => true,
                kind => read_file(&path, kind, opts, progress, emit),
            }
        };
        if !go_on {
            return false;
        }
    }
    true
}

/// Counts bytes as they are read.
struct Counting<R> {
    inner: R,
    progress: Arc<Progress>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress
            .bytes_read
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn read_file(
    path: &Path,
    kind: Kind,
    opts: &SourceOptions,
    progress: &Arc<Progress>,
    emit: &mut dyn FnMut(Item) -> bool,
) -> bool {
    let name = path.display().to_string();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return emit(Item::Reject(Reject::new(
                Origin::file(name),
                Reason::Io(e.to_string()),
            )));
        }
    };
    progress.files.fetch_add(1, Ordering::Relaxed);
    let plain_page = kind == Kind::Page
        && !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    let size = file.metadata().map_or(0, |m| m.len());
    if plain_page && size > opts.max_page_bytes as u64 {
        // Known to be too large without reading it.
        progress.bytes_read.fetch_add(size, Ordering::Relaxed);
        return emit(Item::Reject(Reject::new(
            Origin::file(name),
            Reason::TooLarge {
                bytes: size,
                limit: opts.max_page_bytes as u64,
            },
        )));
    }
    let input = BufReader::with_capacity(
        256 << 10,
        Counting {
            inner: file,
            progress: Arc::clone(progress),
        },
    );
    read_stream(input, &name, kind, opts, emit)
}

fn read_stdin(opts: &SourceOptions, emit: &mut dyn FnMut(Item) -> bool) -> bool {
    let input = BufReader::with_capacity(256 << 10, io::stdin().lock());
    read_stream(input, "-", Kind::Unknown, opts, emit)
}

/// Reads one stream: gunzips it when it is gzip, then reads it as an archive or a page.
fn read_stream<R: BufRead>(
    mut input: R,
    name: &str,
    kind: Kind,
    opts: &SourceOptions,
    emit: &mut dyn FnMut(Item) -> bool,
) -> bool {
    let gz = match input.fill_buf() {
        Ok(head) => head.starts_with(b"\x1f\x8b"),
        Err(e) => {
            return emit(Item::Reject(Reject::new(
                Origin::file(name),
                Reason::Io(e.to_string()),
            )));
        }
    };
    if gz {
        let mut inner = BufReader::with_capacity(256 << 10, GzMembers::new(input));
        let kind = resolve_kind(&mut inner, kind);
        read_decompressed(inner, name, kind, opts, emit)
    } else {
        let kind = resolve_kind(&mut input, kind);
        read_decompressed(input, name, kind, opts, emit)
    }
}

/// Sniffs an unknown stream: `WARC/` at the start makes it an archive, anything else a page.
fn resolve_kind<R: BufRead>(input: &mut R, kind: Kind) -> Kind {
    if kind != Kind::Unknown {
        return kind;
    }
    match input.fill_buf() {
        Ok(head) if head.starts_with(b"WARC/") => Kind::Warc,
        _ => Kind::Page,
    }
}

fn read_decompressed<R: BufRead>(
    input: R,
    name: &str,
    kind: Kind,
    opts: &SourceOptions,
    emit: &mut dyn FnMut(Item) -> bool,
) -> bool {
    match kind {
        Kind::Warc => read_warc(input, name, opts, emit),
        _ => emit(read_page(input, name, opts)),
    }
}

/// Reads a whole page, up to the limit.
fn read_page<R: Read>(input: R, name: &str, opts: &SourceOptions) -> Item {
    let origin = Origin::file(name);
    let mut bytes = Vec::new();
    let limit = opts.max_page_bytes as u64;
    let mut capped = input.take(limit + 1);
    if let Err(e) = capped.read_to_end(&mut bytes) {
        let reason = if let Some(bomb) = crate::warc::gzip_bomb(&e) {
            Reason::TooLarge {
                bytes: bomb.expanded,
                limit,
            }
        } else if crate::warc::is_gzip_error(&e) {
            Reason::Gzip(e.to_string())
        } else {
            Reason::Io(e.to_string())
        };
        return Item::Reject(Reject::new(origin, reason));
    }
    if bytes.len() as u64 > limit {
        // Not read further: a compressed page may expand without end (a gzip bomb), and
        // the size past the limit changes nothing.
        return Item::Reject(Reject::new(
            origin,
            Reason::TooLarge {
                bytes: bytes.len() as u64,
                limit,
            },
        ));
    }
    Item::Doc(Document {
        origin,
        payload: Payload::Page {
            bytes,
            charset: None,
        },
        url: None,
        record_id: None,
    })
}

/// Can `path` be read in byte ranges ([`read_warc_gz_range`])? A `.warc.gz` file can: its
/// records are gzip members (a file gzipped as one stream still reads right, all of it in
/// the range that holds its start).
pub fn splittable(path: &Path) -> bool {
    path.is_file()
        && path.file_name().is_some_and(|n| {
            n.to_string_lossy()
                .to_ascii_lowercase()
                .ends_with(".warc.gz")
        })
}

/// Where a range ended: records read (damaged stretches count one each) and decompressed
/// bytes, for numbering the records of the next range of the same file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RangeEnd {
    /// Records read in the range.
    pub records: u64,
    /// Decompressed bytes of its members.
    pub bytes: u64,
}

/// Reads the records of the gzip members of a `.warc.gz` that *start* in `start..end`
/// (Hadoop's rule for text splits, with member starts for line starts): ranges that cover
/// a file give every record once. Record numbers and offsets in the items are counted from
/// the range's first member; add the [`RangeEnd`]s of the earlier ranges for the file's.
///
/// A range that does not start the file starts at the first member header at or after
/// `start` that decompresses to `WARC/1.` (bytes `1f 8b 08` also occur inside compressed
/// data; checking the first bytes of what follows tells a real member from them).
pub fn read_warc_gz_range(
    path: &Path,
    name: &str,
    start: u64,
    end: u64,
    opts: &SourceOptions,
    emit: &mut dyn FnMut(Item) -> bool,
) -> io::Result<RangeEnd> {
    let first = if start == 0 {
        Some(0)
    } else {
        first_member_at_or_after(path, start, end)?
    };
    let Some(first) = first.filter(|&f| f < end || start == 0) else {
        return Ok(RangeEnd::default());
    };
    let mut file = File::open(path)?;
    io::Seek::seek(&mut file, io::SeekFrom::Start(first))?;
    let tracked = crate::warc::Tracked::new(BufReader::with_capacity(256 << 10, file), first);
    let counter = tracked.counter();
    let members = BufReader::with_capacity(256 << 10, GzMembers::until(tracked, counter, end));
    let mut reader = WarcReader::new(members, opts.warc_limits());
    for item in reader.by_ref() {
        if !emit(warc_item(item, name, opts)) {
            break;
        }
    }
    let (records, bytes) = reader.position();
    Ok(RangeEnd { records, bytes })
}

/// The offset of the first real gzip member header in `from..before`, if any.
fn first_member_at_or_after(path: &Path, from: u64, before: u64) -> io::Result<Option<u64>> {
    let mut file = File::open(path)?;
    io::Seek::seek(&mut file, io::SeekFrom::Start(from))?;
    let mut input = BufReader::with_capacity(256 << 10, file);
    let mut at = from;
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() || at >= before {
            return Ok(None);
        }
        // Bytes kept from the last read (at most two) come first.
        let mut window = std::mem::take(&mut carry);
        let base = at - window.len() as u64;
        window.extend_from_slice(buf);
        let n = buf.len();
        let mut k = 0;
        while let Some(i) = memchr::memmem::find(&window[k..], b"\x1f\x8b\x08") {
            let pos = base + (k + i) as u64;
            if pos >= before {
                return Ok(None);
            }
            if decompresses_to_warc(path, pos)? {
                return Ok(Some(pos));
            }
            k += i + 1;
        }
        carry = window[window.len().saturating_sub(2)..].to_vec();
        input.consume(n);
        at += n as u64;
    }
}

/// Does a gzip member starting at `pos` begin with a WARC record?
fn decompresses_to_warc(path: &Path, pos: u64) -> io::Result<bool> {
    let mut file = File::open(path)?;
    io::Seek::seek(&mut file, io::SeekFrom::Start(pos))?;
    let mut head = [0u8; 7];
    let mut d = flate2::bufread::GzDecoder::new(BufReader::with_capacity(16 << 10, file));
    Ok(d.read_exact(&mut head).is_ok() && &head == b"WARC/1.")
}

/// Reads a WARC stream record by record.
pub fn read_warc<R: Read>(
    input: R,
    name: &str,
    opts: &SourceOptions,
    emit: &mut dyn FnMut(Item) -> bool,
) -> bool {
    let reader = WarcReader::new(input, opts.warc_limits());
    for item in reader {
        let go_on = emit(warc_item(item, name, opts));
        if !go_on {
            return false;
        }
    }
    true
}

/// Turns a WARC record into a document, or a reject when it is not a page.
pub fn warc_item(item: WarcItem, name: &str, opts: &SourceOptions) -> Item {
    let rec = match item {
        WarcItem::Record(r) => r,
        WarcItem::Damaged {
            number,
            offset,
            reason,
        } => {
            return Item::Reject(Reject::new(
                Origin {
                    file: name.to_string(),
                    record: Some(number),
                    offset: Some(offset),
                    url: None,
                },
                reason,
            ));
        }
    };
    let url = rec.target_uri().map(str::to_string);
    let origin = Origin {
        file: name.to_string(),
        record: Some(rec.number),
        offset: Some(rec.offset),
        url: url.clone(),
    };
    let warc_type = rec.warc_type();
    let content_type = rec
        .header("Content-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let payload_kind = match warc_type.as_str() {
        "response" if content_type.is_empty() || content_type.contains("application/http") => {
            Some(true)
        }
        "response" | "resource" => Some(false),
        _ => None,
    };
    let Some(is_http) = payload_kind else {
        let t = if warc_type.is_empty() {
            "untyped".to_string()
        } else {
            warc_type
        };
        return Item::Reject(Reject::new(origin, Reason::NotPage(t)));
    };
    if !is_http && !content_type.is_empty() && !is_html_mime(&content_type) {
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        return Item::Reject(Reject::new(origin, Reason::NotHtml(mime)));
    }
    if !rec.is_complete() {
        return Item::Reject(Reject::new(
            origin,
            Reason::TooLarge {
                bytes: rec.block_len,
                limit: opts.max_page_bytes as u64,
            },
        ));
    }
    let record_id = rec.record_id().map(str::to_string);
    let payload = if is_http {
        Payload::Http(rec.block)
    } else {
        Payload::Page {
            bytes: rec.block,
            charset: crate::charset::charset_param(&content_type).map(str::to_string),
        }
    };
    Item::Doc(Document {
        origin,
        payload,
        url,
        record_id,
    })
}

/// Media types read as HTML.
pub fn is_html_mime(mime: &str) -> bool {
    let m = mime.split(';').next().unwrap_or("").trim();
    matches!(
        m,
        "text/html" | "application/xhtml+xml" | "application/xhtml" | "text/xhtml"
    )
}
