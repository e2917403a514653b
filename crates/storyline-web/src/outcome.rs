//! What became of each input record: an article, or a reject with its reason.
//!
//! Every record read yields exactly one outcome, so the counts always add up: read =
//! extracted + skipped + failed. A *skip* is well-formed input that is not a wanted article
//! (a redirect, an image, a page with no article, another language); a *failure* is broken
//! input (a damaged WARC record, a truncated gzip stream, an unreadable file).

use std::fmt;

use serde::{Deserialize, Serialize};
use storyline::Article;

/// Where a record came from: the file, and for archives its place in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The file as given (`-` for standard input).
    pub file: String,
    /// 1-based number of the record in a WARC file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    /// Byte offset of the record in the (decompressed) WARC stream.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// The page's address, when known (`WARC-Target-URI`, or the canonical URL).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Origin {
    /// A whole file.
    pub fn file(file: impl Into<String>) -> Self {
        Origin {
            file: file.into(),
            ..Origin::default()
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(r) = self.record {
            write!(f, " record {r}")?;
        }
        if let Some(o) = self.offset {
            write!(f, " @{o}")?;
        }
        if let Some(u) = &self.url {
            write!(f, " <{u}>")?;
        }
        Ok(())
    }
}

/// Why a record did not become an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum Reason {
    // ------------------------------------------------------------------ skipped
    /// A WARC record that is not a page (request, metadata, warcinfo, revisit...).
    #[error("WARC {0} record, not a page")]
    NotPage(String),
    /// An HTTP response other than 200.
    #[error("HTTP status {0}")]
    HttpStatus(u16),
    /// Not HTML (an image, a PDF, JSON...).
    #[error("not HTML: {0}")]
    NotHtml(String),
    /// Bytes that are not text at all.
    #[error("binary payload")]
    Binary,
    /// Over the size limit; not read into memory.
    #[error("too large: {bytes} bytes, limit {limit}")]
    TooLarge {
        /// Size of the page (at least this much, when it was not read to the end).
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// Markup too broken to parse safely (elements nested thousands deep).
    #[error("malformed page: {0}")]
    Malformed(String),
    /// Reading the page would take more work than its budget allows (markup nested
    /// thousands deep, or a parse that does not stay linear), and the cheap linear reading
    /// found no paragraph either.
    #[error("too complex: {0}")]
    TooComplex(String),
    /// The page holds no article text (a home page, a gallery, a login wall).
    #[error("no article found")]
    NoArticle,
    /// Article text shorter than the minimum.
    #[error("too short: {words} words, minimum {min}")]
    TooShort {
        /// Words found.
        words: usize,
        /// The minimum.
        min: usize,
    },
    /// Written in a language that was not asked for.
    #[error("language {0} not kept")]
    Language(String),
    /// The same article (same id) was already emitted.
    #[error("duplicate of {0}")]
    Duplicate(String),
    // ------------------------------------------------------------------ failed
    /// A WARC record that cannot be read as one (bad header, wrong length, cut short).
    #[error("damaged WARC record: {0}")]
    DamagedRecord(String),
    /// The compressed stream is damaged or cut short.
    #[error("damaged gzip stream: {0}")]
    Gzip(String),
    /// An HTTP response that cannot be parsed or decoded.
    #[error("bad HTTP response: {0}")]
    BadHttp(String),
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(String),
    /// The extractor panicked on this page (a bug; the run goes on).
    #[error("internal error: the extractor panicked on this page")]
    Panicked,
}

impl Reason {
    /// A short stable key for counting (`"http_status"`, `"no_article"`...).
    pub fn kind(&self) -> &'static str {
        match self {
            Reason::NotPage(_) => "not_a_page",
            Reason::HttpStatus(_) => "http_status",
            Reason::NotHtml(_) => "not_html",
            Reason::Binary => "binary",
            Reason::TooLarge { .. } => "too_large",
            Reason::Malformed(_) => "malformed",
            Reason::TooComplex(_) => "too_complex",
            Reason::NoArticle => "no_article",
            Reason::TooShort { .. } => "too_short",
            Reason::Language(_) => "language",
            Reason::Duplicate(_) => "duplicate",
            Reason::DamagedRecord(_) => "damaged_record",
            Reason::Gzip(_) => "gzip",
            Reason::BadHttp(_) => "bad_http",
            Reason::Io(_) => "io",
            Reason::Panicked => "panicked",
        }
    }

    /// Broken input, as opposed to input that is fine but not a wanted article.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Reason::DamagedRecord(_)
                | Reason::Gzip(_)
                | Reason::BadHttp(_)
                | Reason::Io(_)
                | Reason::Panicked
        )
    }

    /// Is the record a document at all? WARC request/metadata/warcinfo records are counted
    /// but are not reported one by one.
    pub fn is_document(&self) -> bool {
        !matches!(self, Reason::NotPage(_))
    }
}

/// A record that did not become an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// Which record.
    pub origin: Origin,
    /// Why.
    pub reason: Reason,
}

impl Reject {
    /// A reject of `origin` for `reason`.
    pub fn new(origin: Origin, reason: Reason) -> Self {
        Reject { origin, reason }
    }

    /// The JSON line written to a rejects file:
    /// `{"file","record"?,"offset"?,"url"?,"reason","detail","failed"}`.
    pub fn to_json(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct Line<'a> {
            #[serde(flatten)]
            origin: &'a Origin,
            reason: &'static str,
            detail: String,
            failed: bool,
        }
        serde_json::to_value(Line {
            origin: &self.origin,
            reason: self.reason.kind(),
            detail: self.reason.to_string(),
            failed: self.reason.is_failure(),
        })
        .unwrap_or(serde_json::Value::Null)
    }
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.reason.is_failure() {
            "failed"
        } else {
            "skipped"
        };
        write!(f, "{}: {what}: {}", self.origin, self.reason)
    }
}

impl std::error::Error for Reject {}

/// An article extracted from a page, with what is known beyond the [`Article`] itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebArticle {
    /// The article, in the shape the rest of Storyline reads.
    #[serde(flatten)]
    pub article: Article,
    /// Detected language (ISO 639-1 when it has one, else 639-3), if detected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// Where it came from.
    #[serde(skip)]
    pub origin: Origin,
}

impl WebArticle {
    /// The JSONL line: `{"id","title","text","source","url","date","lang"}` (absent fields
    /// omitted), as `storyline::ingest::read_articles_jsonl` reads it.
    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Counts of outcomes, by reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Records read (WARC records of every type, HTML files).
    pub read: u64,
    /// Articles emitted.
    pub extracted: u64,
    /// Skipped records by reason.
    pub skipped: std::collections::BTreeMap<&'static str, u64>,
    /// Failed records by reason.
    pub failed: std::collections::BTreeMap<&'static str, u64>,
}

impl Tally {
    /// Counts one outcome.
    pub fn add<T>(&mut self, outcome: &Result<T, Reject>) {
        self.read += 1;
        match outcome {
            Ok(_) => self.extracted += 1,
            Err(r) if r.reason.is_failure() => {
                *self.failed.entry(r.reason.kind()).or_default() += 1
            }
            Err(r) => *self.skipped.entry(r.reason.kind()).or_default() += 1,
        }
    }

    /// Records skipped, all reasons.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Records failed, all reasons.
    pub fn failed_total(&self) -> u64 {
        self.failed.values().sum()
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "read {}, extracted {}, skipped {}, failed {}",
            self.read,
            self.extracted,
            self.skipped_total(),
            self.failed_total()
        )?;
        let list = |m: &std::collections::BTreeMap<&'static str, u64>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !self.skipped.is_empty() {
            write!(f, "\n  skipped: {}", list(&self.skipped))?;
        }
        if !self.failed.is_empty() {
            write!(f, "\n  failed: {}", list(&self.failed))?;
        }
        Ok(())
    }
}
