//! The ingest pipeline: sources → extraction workers → ordered outcomes.
//!
//! ```text
//! reader thread ──(bounded jobs)──► N workers ──(bounded results)──► Ingest (iterator)
//!   walks paths,                     decode, extract,                 restores input order,
//!   streams WARC records             detect language                  gives unique ids, counts
//! ```
//!
//! Memory is bounded by a window: the reader does not start record `k` before the consumer
//! has taken record `k - window`, so at most `window` documents are in flight whatever the
//! speed of each stage, and no record is ever collected beyond that. The reader is one
//! thread (reading and gunzipping run at hundreds of MB/s, far ahead of extraction); the
//! workers parallelize over records, whichever file they come from.

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use crossbeam_channel::{Receiver, bounded};
use storyline::{Article, language};

use crate::charset;
use crate::html::{self, ExtractError, ExtractOptions, text::word_count};
use crate::http::{self, HttpError};
use crate::lang::{self, LangFilter};
use crate::outcome::{Origin, Reason, Reject, Tally, WebArticle};
use crate::source::{self, Document, Item, Payload, SourceError, SourceOptions};

pub use crate::source::Progress;

/// Settings of an ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Extraction threads; 0 means one per core.
    pub threads: usize,
    /// Languages to keep.
    pub langs: LangFilter,
    /// Articles with fewer words are skipped as too short.
    pub min_words: usize,
    /// Pages over this many bytes are skipped as too large (never held in memory).
    pub max_page_bytes: usize,
    /// Documents in flight at most (0: eight per thread, at least 16).
    pub window: usize,
    /// Extraction settings.
    pub extract: ExtractOptions,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            threads: 0,
            langs: LangFilter::english(),
            min_words: 25,
            max_page_bytes: 8 << 20,
            window: 0,
            extract: ExtractOptions::default(),
        }
    }
}

impl IngestOptions {
    fn thread_count(&self) -> usize {
        if self.threads > 0 {
            self.threads
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }

    /// The settings of reading.
    pub fn source(&self) -> SourceOptions {
        SourceOptions {
            max_page_bytes: self.max_page_bytes,
        }
    }
}

/// A processed record, with the ids it may take if its first choice is taken (see
/// [`IdSettler`]).
#[derive(Debug, Clone)]
pub struct Processed {
    /// The article, or why there is none.
    pub result: Result<WebArticle, Reject>,
    /// Alternative ids, best first (used only when the article's id is already taken).
    pub alt_ids: Vec<String>,
}

/// Gives articles unique ids, in input order: the first choice, else the first free
/// alternative; an article with none free is rejected as a duplicate.
#[derive(Debug, Default)]
pub struct IdSettler {
    seen: HashSet<u64>,
}

impl IdSettler {
    /// Settles the next article's id.
    pub fn settle(&mut self, p: Processed) -> Result<WebArticle, Reject> {
        let mut article = p.result?;
        let first = article.article.id.clone();
        for candidate in std::iter::once(first.clone()).chain(p.alt_ids) {
            if self.seen.insert(id_hash(&candidate)) {
                article.article.id = candidate;
                return Ok(article);
            }
        }
        Err(Reject::new(article.origin, Reason::Duplicate(first)))
    }
}

/// The consumer's position, shared with the reader to bound the documents in flight.
struct Window {
    taken: Mutex<u64>,
    moved: Condvar,
    cancelled: AtomicBool,
    size: u64,
}

impl Window {
    /// Blocks until record `seq` may start; `false` when the run was abandoned.
    fn wait_for(&self, seq: u64) -> bool {
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        while seq >= *taken + self.size {
            if self.cancelled.load(Ordering::Relaxed) {
                return false;
            }
            taken = self.moved.wait(taken).unwrap_or_else(|e| e.into_inner());
        }
        !self.cancelled.load(Ordering::Relaxed)
    }

    fn advance(&self, taken: u64) {
        *self.taken.lock().unwrap_or_else(|e| e.into_inner()) = taken;
        self.moved.notify_all();
    }

    fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
        let _guard = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        self.moved.notify_all();
    }
}

/// A running ingest: an iterator of outcomes in input order, one per record read.
///
/// Dropping it stops the run (threads finish their current record and exit).
pub struct Ingest {
    results: Receiver<(u64, Processed)>,
    pending: BTreeMap<u64, Processed>,
    next: u64,
    window: Arc<Window>,
    ids: IdSettler,
    tally: Tally,
    progress: Arc<Progress>,
    _threads: Vec<JoinHandle<()>>,
}

/// Starts reading `paths` (folders, pages, WARC files, `-`) and extracting articles on
/// background threads. Fails at once only when a path does not exist; every later problem
/// is an outcome.
pub fn articles_from_paths(paths: &[PathBuf], opts: &IngestOptions) -> Result<Ingest, SourceError> {
    let progress = Arc::new(Progress::default());
    source::check_paths(paths, &progress)?;
    let threads = opts.thread_count();
    let size = if opts.window > 0 {
        opts.window
    } else {
        (threads * 8).max(16)
    } as u64;
    let window = Arc::new(Window {
        taken: Mutex::new(0),
        moved: Condvar::new(),
        cancelled: AtomicBool::new(false),
        size,
    });
    let (job_tx, job_rx) = bounded::<(u64, Document)>(size as usize);
    let (res_tx, res_rx) = bounded::<(u64, Processed)>(size as usize);
    let mut handles = Vec::new();
    for i in 0..threads {
        let job_rx = job_rx.clone();
        let res_tx = res_tx.clone();
        let opts = opts.clone();
        let handle = std::thread::Builder::new()
            .name(format!("extract-{i}"))
            // Deeply nested markup recurses in the parser and the scorer.
            .stack_size(64 << 20)
            .spawn(move || {
                for (seq, doc) in job_rx {
                    let processed = process_guarded(doc, &opts);
                    if res_tx.send((seq, processed)).is_err() {
                        return;
                    }
                }
            })
            .expect("spawning an extraction thread");
        handles.push(handle);
    }
    drop(job_rx);
    {
        let paths = paths.to_vec();
        let source_opts = opts.source();
        let window = Arc::clone(&window);
        let progress = Arc::clone(&progress);
        let handle = std::thread::Builder::new()
            .name("read".into())
            .spawn(move || {
                let mut seq = 0u64;
                source::read_paths(&paths, &source_opts, &progress, &mut |item| {
                    if !window.wait_for(seq) {
                        return false;
                    }
                    let sent = match item {
                        Item::Doc(doc) => job_tx.send((seq, doc)).is_ok(),
                        Item::Reject(r) => res_tx
                            .send((
                                seq,
                                Processed {
                                    result: Err(r),
                                    alt_ids: Vec::new(),
                                },
                            ))
                            .is_ok(),
                    };
                    seq += 1;
                    sent
                });
            })
            .expect("spawning the reader thread");
        handles.push(handle);
    }
    Ok(Ingest {
        results: res_rx,
        pending: BTreeMap::new(),
        next: 0,
        window,
        ids: IdSettler::default(),
        tally: Tally::default(),
        progress,
        _threads: handles,
    })
}

impl Ingest {
    /// Counts so far (complete once the iterator is exhausted).
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// Bytes read so far, for progress display.
    pub fn progress(&self) -> &Arc<Progress> {
        &self.progress
    }
}

fn id_hash(id: &str) -> u64 {
    // SipHash with fixed keys: stable across runs, 64 bits (no collision expected below
    // billions of ids).
    #[allow(deprecated)]
    let mut h = std::hash::SipHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl Iterator for Ingest {
    type Item = Result<WebArticle, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(p) = self.pending.remove(&self.next) {
                self.next += 1;
                self.window.advance(self.next);
                let out = self.ids.settle(p);
                self.tally.add(&out);
                return Some(out);
            }
            match self.results.recv() {
                Ok((seq, p)) => {
                    self.pending.insert(seq, p);
                }
                Err(_) => {
                    // Every sender is gone: whatever is left comes out in order.
                    let (&seq, _) = self.pending.iter().next()?;
                    self.next = seq;
                }
            }
        }
    }
}

impl Drop for Ingest {
    fn drop(&mut self) {
        self.window.cancel();
    }
}

/// Extracts the article of one document on the calling thread, as the pipeline's workers
/// do (a panic of the extractor becomes a reject); its id is settled later, in input order,
/// by an [`IdSettler`].
pub fn process_guarded(doc: Document, opts: &IngestOptions) -> Processed {
    let origin = doc.origin.clone();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| process(doc, opts))) {
        Ok(p) => p,
        Err(_) => Processed {
            result: Err(Reject::new(origin, Reason::Panicked)),
            alt_ids: Vec::new(),
        },
    }
}

/// Extracts the article of one document, on the calling thread: HTTP status and type
/// checks, charset decoding, extraction, length and language checks. Ids are not made
/// unique here (that is the pipeline's job).
pub fn process_document(doc: Document, opts: &IngestOptions) -> Result<WebArticle, Reject> {
    process(doc, opts).result
}

fn process(doc: Document, opts: &IngestOptions) -> Processed {
    let Document {
        origin,
        payload,
        url,
        record_id,
    } = doc;
    let reject = |reason| Processed {
        result: Err(Reject::new(origin.clone(), reason)),
        alt_ids: Vec::new(),
    };
    let limit = opts.max_page_bytes;
    let (body, charset): (std::borrow::Cow<'_, [u8]>, Option<String>) = match &payload {
        Payload::Page { bytes, charset } => (bytes.as_slice().into(), charset.clone()),
        Payload::Http(block) => {
            let resp = match http::parse_response(block, limit) {
                Ok(r) => r,
                Err(HttpError::TooLarge(_)) => {
                    return reject(Reason::TooLarge {
                        bytes: limit as u64 + 1,
                        limit: limit as u64,
                    });
                }
                Err(e) => return reject(Reason::BadHttp(e.to_string())),
            };
            if resp.status != 200 {
                return reject(Reason::HttpStatus(resp.status));
            }
            let mime = resp.mime();
            let charset = resp
                .header("content-type")
                .and_then(charset::charset_param)
                .map(str::to_string);
            if let Some(m) = mime.as_deref() {
                let maybe_html = source::is_html_mime(m)
                    || matches!(
                        m,
                        "text/plain" | "application/octet-stream" | "unknown/unknown"
                    );
                if !maybe_html {
                    return reject(Reason::NotHtml(m.to_string()));
                }
            }
            (resp.body, charset)
        }
    };
    if body.len() > limit {
        return reject(Reason::TooLarge {
            bytes: body.len() as u64,
            limit: limit as u64,
        });
    }
    if let Some(r) = not_markup(&body) {
        return reject(r);
    }
    let decoded = charset::decode(&body, charset.as_deref(), url.as_deref());
    drop(payload);
    let page = match html::extract(&decoded.text, url.as_deref(), &opts.extract) {
        Ok(p) => p,
        Err(ExtractError::NoArticle) => return reject(Reason::NoArticle),
        Err(e @ ExtractError::TooManyElements) => {
            return reject(Reason::Malformed(e.to_string()));
        }
        Err(ExtractError::TooComplex(why)) => return reject(Reason::TooComplex(why)),
    };
    let words = word_count(&page.text);
    if words == 0 {
        return reject(Reason::NoArticle);
    }
    if words < opts.min_words {
        return reject(Reason::TooShort {
            words,
            min: opts.min_words,
        });
    }
    let sample = format!(
        "{}\n{}",
        page.title,
        &page.text[..page.text.floor_char_boundary(4000)]
    );
    let detected = language::detect(&sample);
    let detected_pair = detected.map(|d| (d.code, d.reliable && words >= 8));
    if !opts.langs.keeps(detected_pair, page.meta.lang.as_deref()) {
        let code = detected.map_or("unknown", |d| d.code);
        return reject(Reason::Language(lang::short_code(code)));
    }
    let lang = detected.map(|d| lang::short_code(d.code));

    let address = page.meta.canonical.clone().or_else(|| url.clone());
    let file_id = match origin.record {
        Some(n) => format!("{}#{n}", origin.file),
        None => origin.file.clone(),
    };
    // The canonical address, else the fetched one; an id that is taken falls back to the
    // other (sites that give every page the same canonical). Without either, the record id
    // or the file path.
    let mut ids: Vec<String> = Vec::new();
    for c in [page.meta.canonical.clone(), url.clone()]
        .into_iter()
        .flatten()
    {
        if !ids.contains(&c) {
            ids.push(c);
        }
    }
    if ids.is_empty() {
        ids.push(record_id.unwrap_or(file_id));
    }
    let id = ids.remove(0);
    let source = page
        .meta
        .site_name
        .clone()
        .or_else(|| address.as_deref().and_then(html::meta::host_of));
    let mut article = Article {
        id,
        title: page.title,
        text: page.text,
        source,
        url: address,
        date: page.meta.published,
    };
    // A page's headline and outlet are capped as a JSONL record's are (no 20 MB titles).
    let _ = storyline::ingest::FieldLimits::default().cap(&mut article);
    Processed {
        result: Ok(WebArticle {
            article,
            lang,
            origin: Origin {
                url: origin.url.clone().or_else(|| page.meta.canonical.clone()),
                ..origin
            },
        }),
        alt_ids: ids,
    }
}

/// Bytes that are not a page: binary data, or text without markup.
fn not_markup(body: &[u8]) -> Option<Reason> {
    let head = &body[..body.len().min(4096)];
    if head.is_empty() {
        return Some(Reason::NoArticle);
    }
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if !utf16 {
        let control = head
            .iter()
            .filter(|&&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)))
            .count();
        if head.contains(&0) || control * 20 > head.len() {
            return Some(Reason::Binary);
        }
    }
    if !utf16 && memchr::memchr(b'<', body).is_none() {
        return Some(Reason::NotHtml("text without markup".into()));
    }
    None
}
