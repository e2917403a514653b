//! Reading articles: JSONL streams, benchmark cluster files, folders of `.txt` files.
//!
//! A `.txt` article is its headline (the first non-empty line) and its body. It may start
//! with a front matter block that says where and when it was published:
//!
//! ```text
//! ---
//! source: The Harbor Ledger
//! date: 2031-03-13
//! url: https://harborledger.example/news/deal
//! ---
//! Deal reached: Port Aldren dockworkers to return after 12-day strike
//! ...
//! ```
//!
//! Keys are case-insensitive (`outlet` is `source`; `published` is `date`; `link` is
//! `url`); values may be quoted; unknown keys are ignored; dates take every form a JSONL
//! `date` takes. A date that is not understood, a line that is not `key: value`, or a
//! block that is not closed within its first lines is reported as a warning naming the file
//! (and the line), and the article is kept.
//!
//! Bad records never stop a run. Each reader returns the good records and, for every bad
//! or doubtful one, an [`Issue`] that names the record (file, line, id) and says what is
//! wrong. A rejected record is skipped; a warning accompanies a record that was kept
//! (a date that was not understood, a text that was cut to the size limit).
//!
//! Memory is bounded: a line longer than [`Limits::max_line_bytes`] is skipped without being
//! held in memory, and article text beyond [`Limits::max_text_bytes`] is cut.

use std::fmt;
use std::fs;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde_json::Value;

use crate::article::Article;
use crate::date::Timestamp;

/// Size limits applied while reading.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A JSONL line longer than this is skipped (and reported).
    pub max_line_bytes: usize,
    /// Article text longer than this is cut at a paragraph or sentence boundary (and
    /// reported).
    pub max_text_bytes: usize,
    /// Every other field has a cap of its own: see [`FieldLimits`].
    pub fields: FieldLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_bytes: 32 << 20,
            max_text_bytes: 1 << 20,
            fields: FieldLimits::default(),
        }
    }
}

/// Caps on an article's short fields, so that a 20 MB one-line file does not become a
/// 20 MB headline. Each over-long field is handled the way its use allows: a headline or an
/// outlet is cut at a word boundary (and kept), an address that does not fit is left out
/// (a cut one would point elsewhere), and an id that does not fit rejects the record (a cut
/// one could collide with another).
#[derive(Debug, Clone, Copy)]
pub struct FieldLimits {
    /// A longer title is cut at a word boundary (with a warning).
    pub max_title_bytes: usize,
    /// A longer outlet name is cut at a word boundary (with a warning).
    pub max_source_bytes: usize,
    /// A longer URL is left out (with a warning).
    pub max_url_bytes: usize,
    /// A longer id rejects the record.
    pub max_id_bytes: usize,
}

impl Default for FieldLimits {
    fn default() -> Self {
        FieldLimits {
            max_title_bytes: 2 << 10,
            max_source_bytes: 256,
            max_url_bytes: 4 << 10,
            max_id_bytes: 1 << 10,
        }
    }
}

impl FieldLimits {
    /// Caps the title, outlet and URL of `article` in place; returns what was changed. The
    /// id is checked by [`FieldLimits::check_id`].
    pub fn cap(&self, article: &mut Article) -> Vec<Problem> {
        let mut changed = Vec::new();
        if let Some(p) = cut_at_word(&mut article.title, self.max_title_bytes, "title") {
            changed.push(p);
        }
        if let Some(source) = article.source.as_mut()
            && let Some(p) = cut_at_word(source, self.max_source_bytes, "source")
        {
            changed.push(p);
        }
        if let Some(url) = &article.url
            && url.len() > self.max_url_bytes
        {
            changed.push(Problem::FieldDropped {
                field: "url",
                bytes: url.len(),
                limit: self.max_url_bytes,
            });
            article.url = None;
        }
        changed
    }

    /// An id over the limit is a problem naming the record by the start of its id.
    pub fn check_id(&self, id: &str) -> Result<(), (String, Problem)> {
        if id.len() <= self.max_id_bytes {
            return Ok(());
        }
        let shown = &id[..id.floor_char_boundary(60)];
        Err((
            format!("{shown}..."),
            Problem::IdTooLong {
                bytes: id.len(),
                limit: self.max_id_bytes,
            },
        ))
    }
}

/// Cuts `s` (trimmed) to at most `max` bytes at the last word boundary in its second half
/// (else at a character boundary); returns the problem to report when it was cut.
pub fn cut_at_word(s: &mut String, max: usize, field: FieldName) -> Option<Problem> {
    if s.len() <= max {
        return None;
    }
    let bytes = s.len();
    let head = &s[..s.floor_char_boundary(max)];
    let keep = head
        .rfind(char::is_whitespace)
        .filter(|&k| k > max / 2)
        .unwrap_or(head.len());
    s.truncate(keep);
    let trimmed = s.trim_end().len();
    s.truncate(trimmed);
    Some(Problem::FieldCut {
        field,
        bytes,
        kept: s.len(),
    })
}

/// Which record an issue is about.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct RecordRef {
    /// File name as given, or `-` for standard input.
    pub file: String,
    /// 1-based line number, for line-oriented input.
    pub line: Option<usize>,
    /// The record's id, when it could be read.
    pub id: Option<String>,
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(id) = &self.id {
            write!(f, " (id {id:?})")?;
        }
        Ok(())
    }
}

/// What is wrong with a record.
///
/// Serializable so that issues found on one worker can be reported by another (the scaled-out
/// stream); field names read back as one of the JSON fields an article has.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Serialize, Deserialize)]
pub enum Problem {
    /// The line is not valid UTF-8.
    #[error("invalid UTF-8 at byte {0} of the line")]
    InvalidUtf8(usize),
    /// The line is not valid JSON.
    #[error("not JSON: {0}")]
    NotJson(String),
    /// The JSON is not an object of the expected shape.
    #[error("unexpected JSON: {0}")]
    Shape(String),
    /// A required field is absent or empty.
    #[error("missing {0:?}")]
    Missing(#[serde(deserialize_with = "field_name")] FieldName),
    /// The id was already used by an earlier record.
    #[error("duplicate id: first used at {0}")]
    DuplicateId(String),
    /// Nothing to read: no title and no text.
    #[error("empty article: no title and no text")]
    Empty,
    /// A cluster record (an event's articles under `docs`) where one article was expected.
    #[error(
        "a cluster record (its articles under \"docs\"), not an article: this command reads \
         one article per line; `storyline summarize` and `storyline compare` read cluster files"
    )]
    ClusterRecord,
    /// The line exceeds the size limit.
    #[error("line of {bytes} bytes is over the limit of {limit} bytes")]
    TooLong {
        /// Size of the line.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// Kept, but the text was cut.
    #[error("text of {bytes} bytes cut to {kept} bytes (limit {limit})")]
    Truncated {
        /// Original size.
        bytes: usize,
        /// Size kept.
        kept: usize,
        /// The limit.
        limit: usize,
    },
    /// Kept, but a short field (title, outlet) was cut at a word boundary.
    #[error("{field} of {bytes} bytes cut to {kept} bytes")]
    FieldCut {
        /// The field.
        #[serde(deserialize_with = "field_name")]
        field: FieldName,
        /// Original size.
        bytes: usize,
        /// Size kept.
        kept: usize,
    },
    /// Kept without a field (the URL) that was over its limit.
    #[error("{field} of {bytes} bytes is over the limit of {limit} bytes; left out")]
    FieldDropped {
        /// The field.
        #[serde(deserialize_with = "field_name")]
        field: FieldName,
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The id is over its limit (a cut id could collide with another record's).
    #[error("id of {bytes} bytes is over the limit of {limit} bytes")]
    IdTooLong {
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// Kept without a date.
    #[error("date {0:?} not understood; kept without a date")]
    BadDate(String),
    /// Kept; invalid UTF-8 sequences were replaced.
    #[error("invalid UTF-8 replaced with U+FFFD")]
    LossyUtf8,
    /// Kept; a field had an unexpected type and was ignored.
    #[error("field {0:?} ignored: {1}")]
    IgnoredField(#[serde(deserialize_with = "field_name")] FieldName, String),
    /// The file could not be read at all.
    #[error("cannot read: {0}")]
    Io(String),
    /// Kept; something in the front matter of a `.txt` file was not understood.
    #[error("front matter: {0}")]
    FrontMatter(String),
    /// Written in a language the pipeline does not handle.
    #[error("written in {0}, not English; left out (use --lang any to keep it)")]
    Language(String),
}

impl Problem {
    /// A short name of the kind of problem, to count them ("not JSON", "invalid UTF-8").
    pub fn kind(&self) -> &'static str {
        match self {
            Problem::InvalidUtf8(_) | Problem::LossyUtf8 => "invalid UTF-8",
            Problem::NotJson(_) => "not JSON",
            Problem::Shape(_) => "unexpected JSON",
            Problem::Missing(_) => "missing field",
            Problem::DuplicateId(_) => "duplicate id",
            Problem::Empty => "empty article",
            Problem::ClusterRecord => "cluster record",
            Problem::TooLong { .. } => "line over the limit",
            Problem::Truncated { .. } => "text cut",
            Problem::FieldCut { .. } => "field cut",
            Problem::FieldDropped { .. } => "field left out",
            Problem::IdTooLong { .. } => "id over the limit",
            Problem::BadDate(_) => "date not understood",
            Problem::IgnoredField(..) => "field ignored",
            Problem::Io(_) => "cannot read",
            Problem::FrontMatter(_) => "front matter",
            Problem::Language(_) => "language",
        }
    }
}

/// The name of a record's field in a [`Problem`] (spelled as an alias so that serde reads
/// it through [`field_name`] rather than borrowing it from the input).
pub type FieldName = &'static str;

/// The names [`Problem`] uses for fields, read back as the `'static` strings they were.
fn field_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    const NAMES: [&str; 8] = [
        "id",
        "title",
        "text",
        "source",
        "url",
        "date",
        "docs",
        "docs with text",
    ];
    let name = String::deserialize(d)?;
    Ok(NAMES.into_iter().find(|n| *n == name).unwrap_or("field"))
}

/// How bad an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The record was skipped.
    Rejected,
    /// The record was kept, changed or incomplete.
    Warning,
}

/// A problem with one record.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct Issue {
    /// The record.
    pub record: RecordRef,
    /// What is wrong.
    pub problem: Problem,
    /// Skipped or kept.
    pub severity: Severity,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.severity {
            Severity::Rejected => "skipped",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {what}: {}", self.record, self.problem)
    }
}

/// Records read, and the issues met on the way.
#[derive(Debug, Clone)]
pub struct Ingested<T> {
    /// The good records, in input order.
    pub items: Vec<T>,
    /// Every rejected record and every warning.
    pub issues: Vec<Issue>,
}

impl<T> Default for Ingested<T> {
    fn default() -> Self {
        Ingested {
            items: Vec::new(),
            issues: Vec::new(),
        }
    }
}

impl<T> Ingested<T> {
    /// Number of rejected records.
    pub fn rejected(&self) -> usize {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Rejected)
            .count()
    }
}

/// A benchmark cluster: articles about one event and, optionally, reference summaries.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// Cluster id.
    pub id: String,
    /// The cluster's articles.
    pub articles: Vec<Article>,
    /// Human reference summaries (for evaluation only).
    pub references: Vec<String>,
}

// ----------------------------------------------------------------------------- lines

/// One line of a line-oriented input, as read within the size limit.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// The 1-based line number and its text.
    Text(usize, String),
    /// The line number and why the line could not be read.
    Bad(usize, Problem),
}

/// Reads lines without ever holding more than `max` bytes of one line.
pub struct BoundedLines<R> {
    inner: R,
    max: usize,
    line_no: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> BoundedLines<R> {
    /// Lines of `inner`, each at most `max` bytes (longer ones come back as [`Line::Bad`]).
    pub fn new(inner: R, max: usize) -> Self {
        BoundedLines {
            inner,
            max,
            line_no: 0,
            buf: Vec::new(),
        }
    }

    /// Number of lines read so far.
    pub fn line_no(&self) -> usize {
        self.line_no
    }

    /// The next line, or `None` at the end of input.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        self.buf.clear();
        let mut total = 0usize;
        let mut saw_any = false;
        loop {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            saw_any = true;
            let (take, done) = match memchr::memchr(b'\n', chunk) {
                Some(k) => (k, true),
                None => (chunk.len(), false),
            };
            if total + take <= self.max {
                self.buf.extend_from_slice(&chunk[..take]);
            }
            total += take;
            self.inner.consume(take + usize::from(done));
            if done {
                break;
            }
        }
        if !saw_any {
            return Ok(None);
        }
        self.line_no += 1;
        if total > self.max {
            return Ok(Some(Line::Bad(
                self.line_no,
                Problem::TooLong {
                    bytes: total,
                    limit: self.max,
                },
            )));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        let bytes = std::mem::take(&mut self.buf);
        Ok(Some(match String::from_utf8(bytes) {
            Ok(s) => Line::Text(self.line_no, s),
            Err(e) => Line::Bad(
                self.line_no,
                Problem::InvalidUtf8(e.utf8_error().valid_up_to()),
            ),
        }))
    }
}

// ----------------------------------------------------------------------------- JSON

/// The JSON shape of an article; every field optional so that problems can be named.
#[derive(Deserialize)]
struct RawArticle {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    title: Value,
    #[serde(default)]
    text: Value,
    #[serde(default)]
    source: Value,
    #[serde(default)]
    url: Value,
    #[serde(default)]
    date: Value,
}

fn id_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn string_field(v: Value, name: &'static str, warnings: &mut Vec<Problem>) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        other => {
            warnings.push(Problem::IgnoredField(
                name,
                format!("expected a string, found {}", json_kind(&other)),
            ));
            None
        }
    }
}

/// serde reads a JSON array into a struct's fields in order: require an object first.
fn must_be_object(line: &str) -> Result<(), Problem> {
    if line.trim_start().starts_with('{') {
        return Ok(());
    }
    match serde_json::from_str::<Value>(line) {
        Ok(v) => Err(Problem::Shape(format!(
            "expected a JSON object, found {}",
            json_kind(&v)
        ))),
        Err(e) => Err(Problem::NotJson(e.to_string())),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Turns a parsed JSON article into an [`Article`], with its warnings; `fallback_id` is used
/// when the record has none (cluster documents), else a missing id rejects the record.
fn article_from_raw(
    raw: RawArticle,
    fallback_id: Option<String>,
    limits: &Limits,
) -> Result<(Article, Vec<Problem>), (Option<String>, Problem)> {
    let mut warnings = Vec::new();
    let id = match (id_of(&raw.id), fallback_id) {
        (Some(id), _) => id,
        (None, Some(f)) => f,
        (None, None) => return Err((None, Problem::Missing("id"))),
    };
    if let Err((shown, p)) = limits.fields.check_id(&id) {
        return Err((Some(shown), p));
    }
    let title = string_field(raw.title, "title", &mut warnings).unwrap_or_default();
    let mut text = string_field(raw.text, "text", &mut warnings).unwrap_or_default();
    if title.trim().is_empty() && text.trim().is_empty() {
        return Err((Some(id), Problem::Empty));
    }
    if let Some(p) = cut_text(&mut text, limits.max_text_bytes) {
        warnings.push(p);
    }
    let source = string_field(raw.source, "source", &mut warnings).filter(|s| !s.trim().is_empty());
    let url = string_field(raw.url, "url", &mut warnings).filter(|s| !s.trim().is_empty());
    let date = match raw.date {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Timestamp::parse(&s).or_else(|| {
            warnings.push(Problem::BadDate(s.clone()));
            None
        }),
        Value::Number(n) => n
            .as_i64()
            .and_then(Timestamp::from_unix_number)
            .or_else(|| {
                warnings.push(Problem::BadDate(n.to_string()));
                None
            }),
        other => {
            warnings.push(Problem::BadDate(other.to_string()));
            None
        }
    };
    let mut article = Article {
        id,
        title: title.trim().to_string(),
        text,
        source,
        url,
        date,
    };
    warnings.extend(limits.fields.cap(&mut article));
    Ok((article, warnings))
}

/// Cuts `text` to at most `max` bytes, preferring a paragraph, then a sentence end.
fn cut_text(text: &mut String, max: usize) -> Option<Problem> {
    if text.len() <= max {
        return None;
    }
    let bytes = text.len();
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let keep = head
        .rfind('\n')
        .filter(|&k| k > max / 2)
        .or_else(|| head.rfind(". ").map(|k| k + 1).filter(|&k| k > max / 2))
        .unwrap_or(cut);
    text.truncate(keep);
    Some(Problem::Truncated {
        bytes,
        kept: keep,
        limit: max,
    })
}

fn reject(file: &str, line: Option<usize>, id: Option<String>, problem: Problem) -> Issue {
    Issue {
        record: RecordRef {
            file: file.to_string(),
            line,
            id,
        },
        problem,
        severity: Severity::Rejected,
    }
}

fn warn(file: &str, line: Option<usize>, id: Option<String>, problem: Problem) -> Issue {
    Issue {
        record: RecordRef {
            file: file.to_string(),
            line,
            id,
        },
        problem,
        severity: Severity::Warning,
    }
}

/// What one JSONL line gave.
#[derive(Debug, Clone, PartialEq)]
pub enum LineOutcome {
    /// A blank line.
    Blank,
    /// An article, with warnings about it.
    Article(Article, Vec<Issue>),
    /// A rejected line.
    Rejected(Issue),
}

/// Parses one JSONL article line (without the duplicate-id check, which needs the stream).
pub fn parse_article_line(file: &str, no: usize, text: &str, limits: &Limits) -> LineOutcome {
    if text.trim().is_empty() {
        return LineOutcome::Blank;
    }
    if let Err(p) = must_be_object(text) {
        return LineOutcome::Rejected(reject(file, Some(no), None, p));
    }
    let raw: RawArticle = match serde_json::from_str(text) {
        Ok(r) => r,
        Err(e) if e.is_data() => {
            return LineOutcome::Rejected(reject(
                file,
                Some(no),
                None,
                Problem::Shape(e.to_string()),
            ));
        }
        Err(e) => {
            return LineOutcome::Rejected(reject(
                file,
                Some(no),
                None,
                Problem::NotJson(e.to_string()),
            ));
        }
    };
    match article_from_raw(raw, None, limits) {
        Ok((article, warnings)) => {
            let issues = warnings
                .into_iter()
                .map(|w| warn(file, Some(no), Some(article.id.clone()), w))
                .collect();
            LineOutcome::Article(article, issues)
        }
        Err((id, Problem::Empty)) if is_cluster_record(text) => {
            LineOutcome::Rejected(reject(file, Some(no), id, Problem::ClusterRecord))
        }
        Err((id, p)) => LineOutcome::Rejected(reject(file, Some(no), id, p)),
    }
}

/// Is this JSON object a cluster record, an event's articles under `docs` (the format of
/// [`read_clusters_jsonl`])?
fn is_cluster_record(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("docs").map(serde_json::Value::is_array))
        .unwrap_or(false)
}

/// The issue for an article whose id was used before (at `first`).
pub fn duplicate_id(file: &str, no: usize, id: &str, first: &str) -> Issue {
    reject(
        file,
        Some(no),
        Some(id.to_string()),
        Problem::DuplicateId(first.to_string()),
    )
}

/// The issue for a line that could not be read.
pub fn bad_line(file: &str, no: usize, problem: Problem) -> Issue {
    reject(file, Some(no), None, problem)
}

/// Reads articles, one JSON object per line (`{"id","title","text","source"?,"url"?,"date"?}`;
/// other fields are ignored). Blank lines are skipped; duplicate ids are rejected.
pub fn read_articles_jsonl<R: BufRead>(input: R, file: &str, limits: &Limits) -> Ingested<Article> {
    let mut out = Ingested::default();
    let mut first_seen: FxHashMap<String, usize> = FxHashMap::default();
    let mut lines = BoundedLines::new(input, limits.max_line_bytes);
    loop {
        let (no, text) = match lines.next_line() {
            Ok(Some(Line::Text(no, t))) => (no, t),
            Ok(Some(Line::Bad(no, p))) => {
                out.issues.push(reject(file, Some(no), None, p));
                continue;
            }
            Ok(None) => break,
            Err(e) => {
                out.issues.push(reject(
                    file,
                    Some(lines.line_no + 1),
                    None,
                    Problem::Io(e.to_string()),
                ));
                break;
            }
        };
        match parse_article_line(file, no, &text, limits) {
            LineOutcome::Blank => {}
            LineOutcome::Rejected(issue) => out.issues.push(issue),
            LineOutcome::Article(article, warnings) => {
                if let Some(&first) = first_seen.get(&article.id) {
                    out.issues.push(duplicate_id(
                        file,
                        no,
                        &article.id,
                        &format!("{file}:{first}"),
                    ));
                    continue;
                }
                first_seen.insert(article.id.clone(), no);
                out.issues.extend(warnings);
                out.items.push(article);
            }
        }
    }
    out
}

#[derive(Deserialize)]
struct RawCluster {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    docs: Option<Vec<Value>>,
    #[serde(default)]
    summaries: Option<Vec<Value>>,
}

/// Reads benchmark clusters, one per line: `{"id", "docs": [article, ...], "summaries"?: [...]}`.
///
/// A cluster with no usable document is still returned (it gets an empty summary), so that
/// outputs stay aligned with the input; the reason is reported.
pub fn read_clusters_jsonl<R: BufRead>(input: R, file: &str, limits: &Limits) -> Ingested<Cluster> {
    let mut out = Ingested::default();
    let mut lines = BoundedLines::new(input, limits.max_line_bytes);
    loop {
        let line = match lines.next_line() {
            Ok(Some(l)) => l,
            Ok(None) => break,
            Err(e) => {
                out.issues.push(reject(
                    file,
                    Some(lines.line_no + 1),
                    None,
                    Problem::Io(e.to_string()),
                ));
                break;
            }
        };
        let (no, text) = match line {
            Line::Text(no, t) => (no, t),
            Line::Bad(no, p) => {
                out.issues.push(reject(file, Some(no), None, p));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        if let Err(p) = must_be_object(&text) {
            out.issues.push(reject(file, Some(no), None, p));
            continue;
        }
        let raw: RawCluster = match serde_json::from_str(&text) {
            Ok(r) => r,
            Err(e) if e.is_data() => {
                out.issues
                    .push(reject(file, Some(no), None, Problem::Shape(e.to_string())));
                continue;
            }
            Err(e) => {
                out.issues.push(reject(
                    file,
                    Some(no),
                    None,
                    Problem::NotJson(e.to_string()),
                ));
                continue;
            }
        };
        let Some(id) = id_of(&raw.id) else {
            out.issues
                .push(reject(file, Some(no), None, Problem::Missing("id")));
            continue;
        };
        let Some(docs) = raw.docs else {
            out.issues
                .push(reject(file, Some(no), Some(id), Problem::Missing("docs")));
            continue;
        };
        let mut cluster = Cluster {
            id: id.clone(),
            articles: Vec::new(),
            references: Vec::new(),
        };
        for (k, doc) in docs.into_iter().enumerate() {
            let doc_ref = Some(format!("{id}/doc {k}"));
            let raw_doc = match serde_json::from_value::<RawArticle>(doc) {
                Ok(r) => r,
                Err(e) => {
                    out.issues.push(reject(
                        file,
                        Some(no),
                        doc_ref,
                        Problem::Shape(e.to_string()),
                    ));
                    continue;
                }
            };
            match article_from_raw(raw_doc, Some(format!("{id}-d{k}")), limits) {
                Ok((article, warnings)) => {
                    for w in warnings {
                        out.issues.push(warn(
                            file,
                            Some(no),
                            Some(format!("{id}/{}", article.id)),
                            w,
                        ));
                    }
                    cluster.articles.push(article);
                }
                Err((_, p)) => out.issues.push(reject(file, Some(no), doc_ref, p)),
            }
        }
        if cluster.articles.is_empty() {
            out.issues.push(warn(
                file,
                Some(no),
                Some(id),
                Problem::Missing("docs with text"),
            ));
        }
        for s in raw.summaries.unwrap_or_default() {
            if let Value::String(s) = s {
                cluster.references.push(s);
            }
        }
        out.items.push(cluster);
    }
    out
}

/// Reads one `.txt` article: the first non-empty line is the headline, the rest the body.
/// Invalid UTF-8 is replaced (with a warning) rather than rejected: a text file in a legacy
/// encoding still reads as mostly right.
pub fn read_txt_article(path: &Path, limits: &Limits) -> Result<(Article, Vec<Issue>), Issue> {
    let file = path.display().to_string();
    let id = path
        .file_stem()
        .map_or_else(|| file.clone(), |s| s.to_string_lossy().into_owned());
    let mut bytes = Vec::new();
    let read = fs::File::open(path).and_then(|f| {
        f.take(limits.max_line_bytes as u64 + 1)
            .read_to_end(&mut bytes)
    });
    if let Err(e) = read {
        return Err(reject(&file, None, Some(id), Problem::Io(e.to_string())));
    }
    if bytes.len() > limits.max_line_bytes {
        let limit = limits.max_line_bytes;
        let size = fs::metadata(path).map_or(bytes.len(), |m| m.len() as usize);
        return Err(reject(
            &file,
            None,
            Some(id),
            Problem::TooLong { bytes: size, limit },
        ));
    }
    let mut issues = Vec::new();
    let content = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            issues.push(warn(&file, None, Some(id.clone()), Problem::LossyUtf8));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let content = content.strip_prefix('\u{FEFF}').unwrap_or(&content);
    let (front, content) = front_matter(content);
    for (line, problem) in front.problems {
        issues.push(warn(&file, line, Some(id.clone()), problem));
    }
    let mut lines = content.lines();
    let title = lines
        .by_ref()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string();
    let mut text: String = lines.collect::<Vec<_>>().join("\n");
    if title.is_empty() && text.trim().is_empty() {
        return Err(reject(&file, None, Some(id), Problem::Empty));
    }
    if let Some(p) = cut_text(&mut text, limits.max_text_bytes) {
        issues.push(warn(&file, None, Some(id.clone()), p));
    }
    if let Err((shown, p)) = limits.fields.check_id(&id) {
        return Err(reject(&file, None, Some(shown), p));
    }
    let mut article = Article {
        id,
        title,
        text,
        source: front.source,
        url: front.url,
        date: front.date,
    };
    for p in limits.fields.cap(&mut article) {
        issues.push(warn(&file, None, Some(article.id.clone()), p));
    }
    Ok((article, issues))
}

/// A front matter block longer than this is taken for text that happens to start with
/// `---`.
const FRONT_MATTER_LINES: usize = 40;

/// What the front matter of a `.txt` article says (see the module documentation).
#[derive(Debug, Default, PartialEq)]
struct FrontMatter {
    source: Option<String>,
    url: Option<String>,
    date: Option<Timestamp>,
    /// What could not be read, with its 1-based line in the file.
    problems: Vec<(Option<usize>, Problem)>,
}

/// Splits the front matter off the start of a `.txt` file: what it says, and the rest.
fn front_matter(content: &str) -> (FrontMatter, &str) {
    let mut front = FrontMatter::default();
    let mut lines = content.split_inclusive('\n').enumerate();
    // The block opens with a `---` line (blank lines before it are allowed).
    let mut offset = 0;
    let opened = lines.by_ref().find_map(|(no, l)| {
        offset += l.len();
        match l.trim() {
            "" => None,
            "---" => Some(Some(no)),
            _ => Some(None),
        }
    });
    let Some(Some(open)) = opened else {
        return (front, content);
    };
    let mut fields: Vec<(usize, &str)> = Vec::new();
    for (no, l) in lines.by_ref() {
        offset += l.len();
        if l.trim() == "---" {
            for (no, l) in fields {
                front.field(no + 1, l);
            }
            return (front, &content[offset..]);
        }
        if fields.len() >= FRONT_MATTER_LINES {
            break;
        }
        fields.push((no, l));
    }
    front.problems.push((
        Some(open + 1),
        Problem::FrontMatter(format!(
            "no closing `---` line within {FRONT_MATTER_LINES} lines; the file is read as text"
        )),
    ));
    (
        FrontMatter {
            problems: front.problems,
            ..FrontMatter::default()
        },
        content,
    )
}

impl FrontMatter {
    /// Reads one `key: value` line (line `no` of the file).
    fn field(&mut self, no: usize, line: &str) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return;
        }
        let Some((key, value)) = line.split_once(':') else {
            self.problems.push((
                Some(no),
                Problem::FrontMatter(format!("{line:?} is not `key: value`; ignored")),
            ));
            return;
        };
        let value = value.trim();
        let value = ['"', '\'']
            .iter()
            .find_map(|q| value.strip_prefix(*q).and_then(|v| v.strip_suffix(*q)))
            .unwrap_or(value)
            .trim();
        if value.is_empty() {
            return;
        }
        match key.trim().to_lowercase().as_str() {
            "source" | "outlet" | "publisher" => self.source = Some(value.to_string()),
            "url" | "link" => self.url = Some(value.to_string()),
            "date" | "published" => match Timestamp::parse(value) {
                Some(t) => self.date = Some(t),
                None => self
                    .problems
                    .push((Some(no), Problem::BadDate(value.to_string()))),
            },
            // Unknown keys (author, tags...) are left for other tools.
            _ => {}
        }
    }
}

/// Reads every `*.txt` file of a folder (not recursive), in file-name order.
pub fn read_txt_dir(dir: &Path, limits: &Limits) -> Ingested<Article> {
    let mut out = Ingested::default();
    let mut paths: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("txt")))
            .collect(),
        Err(e) => {
            out.issues.push(reject(
                &dir.display().to_string(),
                None,
                None,
                Problem::Io(e.to_string()),
            ));
            return out;
        }
    };
    paths.sort();
    for p in paths {
        match read_txt_article(&p, limits) {
            Ok((a, issues)) => {
                out.items.push(a);
                out.issues.extend(issues);
            }
            Err(issue) => out.issues.push(issue),
        }
    }
    out
}

/// Opens a path for line reading; `-` is standard input.
pub fn open_lines(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    if path.as_os_str() == "-" {
        Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())))
    } else {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            fs::File::open(path)?,
        )))
    }
}

/// Does this JSONL look like benchmark clusters (objects with `docs`) rather than articles?
/// Looks at the first line that parses as JSON.
pub fn looks_like_clusters(path: &Path) -> io::Result<bool> {
    let mut lines = BoundedLines::new(BufReader::new(fs::File::open(path)?), 64 << 20);
    for _ in 0..20 {
        match lines.next_line()? {
            Some(Line::Text(_, t)) => {
                if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(&t) {
                    return Ok(m.contains_key("docs"));
                }
            }
            Some(Line::Bad(..)) => {}
            None => break,
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &[u8]) -> Ingested<Article> {
        read_articles_jsonl(
            s,
            "in.jsonl",
            &Limits {
                max_line_bytes: 4096,
                max_text_bytes: 200,
                fields: FieldLimits {
                    max_title_bytes: 40,
                    max_source_bytes: 20,
                    max_url_bytes: 60,
                    max_id_bytes: 30,
                },
            },
        )
    }

    #[test]
    fn bad_lines_are_named_and_good_lines_go_on() {
        let mut input = Vec::new();
        input.extend_from_slice(b"{\"id\":\"a\",\"title\":\"T\",\"text\":\"Body.\"}\n");
        input.extend_from_slice(b"not json\n");
        input.extend_from_slice(b"{\"title\":\"no id\",\"text\":\"x\"}\n");
        input.extend_from_slice(b"{\"id\":\"b\",\"text\":\"caf\xe9\"}\n");
        input.extend_from_slice(b"{\"id\":\"a\",\"text\":\"again\"}\n");
        input.extend_from_slice(b"{\"id\":\"c\",\"title\":\"\",\"text\":\"  \"}\n");
        input.extend_from_slice(b"[1,2]\n");
        input.extend_from_slice(b"\n{\"id\":7,\"text\":\"Numeric id.\",\"date\":\"someday\"}\n");
        let got = read(&input);
        let ids: Vec<_> = got.items.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["a", "7"]);
        let msgs: Vec<String> = got.issues.iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 7, "{msgs:#?}");
        assert!(
            msgs[0].starts_with("in.jsonl:2: skipped: not JSON"),
            "{}",
            msgs[0]
        );
        assert_eq!(msgs[1], "in.jsonl:3: skipped: missing \"id\"");
        assert_eq!(
            msgs[2],
            "in.jsonl:4: skipped: invalid UTF-8 at byte 21 of the line"
        );
        assert_eq!(
            msgs[3],
            "in.jsonl:5 (id \"a\"): skipped: duplicate id: first used at in.jsonl:1"
        );
        assert_eq!(
            msgs[4],
            "in.jsonl:6 (id \"c\"): skipped: empty article: no title and no text"
        );
        assert_eq!(
            msgs[5],
            "in.jsonl:7: skipped: unexpected JSON: expected a JSON object, found an array"
        );
        assert_eq!(
            msgs[6],
            "in.jsonl:9 (id \"7\"): warning: date \"someday\" not understood; kept without a date"
        );
        assert_eq!(got.rejected(), 6);
    }

    #[test]
    fn a_cluster_record_read_as_an_article_says_which_command_reads_it() {
        let input = "{\"id\":\"ev1\",\"docs\":[{\"id\":\"a\",\"text\":\"Ships sailed.\"}]}\n";
        let got = read_articles_jsonl(input.as_bytes(), "seeds.jsonl", &Limits::default());
        assert!(got.items.is_empty());
        let msg = got.issues[0].to_string();
        assert!(
            msg.starts_with("seeds.jsonl:1 (id \"ev1\"): skipped: a cluster record")
                && msg.contains("storyline summarize"),
            "{msg}"
        );
    }

    #[test]
    fn overlong_lines_are_skipped_without_losing_the_next() {
        let big = format!("{{\"id\":\"big\",\"text\":\"{}\"}}", "x".repeat(10_000));
        let input = format!("{big}\n{{\"id\":\"small\",\"text\":\"ok\"}}\n");
        let got = read(input.as_bytes());
        assert_eq!(got.items.len(), 1);
        assert_eq!(got.items[0].id, "small");
        assert_eq!(
            got.issues[0].problem,
            Problem::TooLong {
                bytes: big.len(),
                limit: 4096
            }
        );
    }

    #[test]
    fn long_texts_are_cut_at_a_boundary_with_a_warning() {
        let text = "First paragraph is here.\n".repeat(20);
        let line = format!(
            "{{\"id\":\"long\",\"text\":{}}}\n",
            serde_json::to_string(&text).unwrap()
        );
        let got = read(line.as_bytes());
        assert_eq!(got.items.len(), 1);
        assert!(got.items[0].text.len() <= 200);
        assert!(got.items[0].text.ends_with("here."));
        assert_eq!(got.issues[0].severity, Severity::Warning);
    }

    #[test]
    fn clusters_keep_their_docs_and_references() {
        let input = br#"{"id":"c1","docs":[{"id":"d1","text":"A."},{"text":"B."},{"id":"d3"}],"summaries":["Ref."]}
{"id":"c2","docs":[]}
{"docs":[]}
"#;
        let got = read_clusters_jsonl(&input[..], "c.jsonl", &Limits::default());
        assert_eq!(got.items.len(), 2);
        let ids: Vec<_> = got.items[0]
            .articles
            .iter()
            .map(|a| a.id.as_str())
            .collect();
        assert_eq!(ids, ["d1", "c1-d1"]);
        assert_eq!(got.items[0].references, ["Ref."]);
        assert!(got.items[1].articles.is_empty());
        assert_eq!(got.issues.len(), 3, "{:#?}", got.issues);
    }

    #[test]
    fn a_txt_front_matter_gives_the_outlet_date_and_url() {
        let text = "\n---\nSource: \"The Harbor Ledger\"\nDATE: 2031-03-13\nurl: https://ledger.example/a\nauthor: Jo Rivers\n# a comment\n---\nDeal reached\n\nThe strike ended.\n";
        let (front, rest) = front_matter(text);
        assert_eq!(front.source.as_deref(), Some("The Harbor Ledger"));
        assert_eq!(front.url.as_deref(), Some("https://ledger.example/a"));
        assert_eq!(
            front.date.map(|d| d.date().to_string()).as_deref(),
            Some("2031-03-13")
        );
        assert!(front.problems.is_empty(), "{:?}", front.problems);
        assert_eq!(rest, "Deal reached\n\nThe strike ended.\n");
    }

    #[test]
    fn a_file_without_front_matter_is_all_text() {
        for text in [
            "Deal reached: a headline with a colon\nBody.\n",
            "Source: not a front matter without its --- lines\nBody.\n",
        ] {
            let (front, rest) = front_matter(text);
            assert_eq!(front, FrontMatter::default());
            assert_eq!(rest, text);
        }
    }

    #[test]
    fn bad_front_matter_is_reported_with_its_line_and_the_article_kept() {
        let (front, rest) =
            front_matter("---\ndate: the day after tomorrow\nno colon here\n---\nHeadline\n");
        assert_eq!(rest, "Headline\n");
        assert_eq!(
            front.problems,
            [
                (Some(2), Problem::BadDate("the day after tomorrow".into())),
                (
                    Some(3),
                    Problem::FrontMatter("\"no colon here\" is not `key: value`; ignored".into())
                )
            ]
        );
        // Never closed: the whole file is text, and the reader is told.
        let text = "---\nsource: Ledger\nHeadline\nBody\n";
        let (front, rest) = front_matter(text);
        assert_eq!((front.source, rest), (None, text));
        assert!(matches!(
            front.problems[..],
            [(Some(1), Problem::FrontMatter(_))]
        ));
    }

    #[test]
    fn a_txt_article_reads_its_front_matter_and_names_the_file_in_issues() {
        let dir = std::env::temp_dir().join(format!("storyline-front-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("ledger.txt");
        fs::write(&path, "---\nsource: The Harbor Ledger\ndate: 13.31.2031\n---\nDeal reached\nThe strike ended.\n").unwrap();
        let (a, issues) = read_txt_article(&path, &Limits::default()).expect("kept");
        fs::remove_dir_all(&dir).ok();
        assert_eq!(
            (a.title.as_str(), a.outlet()),
            ("Deal reached", "The Harbor Ledger")
        );
        assert_eq!(a.date, None);
        assert_eq!(issues.len(), 1, "{issues:?}");
        let shown = issues[0].to_string();
        assert!(
            shown.contains("ledger.txt:3") && shown.contains("13.31.2031"),
            "{shown}"
        );
    }

    #[test]
    fn every_field_is_capped_the_way_its_use_allows() {
        let title = "word ".repeat(30);
        let line = format!(
            "{{\"id\":\"a\",\"title\":{t:?},\"text\":\"Body.\",\"source\":\"The Very Long Name Of An Outlet\",\"url\":\"https://example.com/{u}\"}}\n\
             {{\"id\":{id:?},\"title\":\"T\",\"text\":\"Body.\"}}\n",
            t = title,
            u = "x".repeat(80),
            id = "i".repeat(31),
        );
        let got = read(line.as_bytes());
        assert_eq!(got.items.len(), 1, "{:?}", got.issues);
        let a = &got.items[0];
        assert!(
            a.title.len() <= 40 && a.title.ends_with("word"),
            "{:?}",
            a.title
        );
        assert!(a.source.as_ref().unwrap().len() <= 20);
        assert_eq!(a.url, None);
        let shown: Vec<String> = got.issues.iter().map(ToString::to_string).collect();
        assert!(
            shown.iter().any(|s| s.contains("title of 149 bytes cut")),
            "{shown:?}"
        );
        assert!(
            shown
                .iter()
                .any(|s| s.contains("url of") && s.contains("left out")),
            "{shown:?}"
        );
        let id = got
            .issues
            .iter()
            .find(|i| matches!(i.problem, Problem::IdTooLong { .. }))
            .expect("the long id is rejected");
        assert_eq!(id.severity, Severity::Rejected);
        assert_eq!(id.record.line, Some(2));
        assert!(id.record.id.as_ref().unwrap().starts_with("iii"));
    }

    #[test]
    fn a_one_line_txt_file_does_not_become_a_huge_headline() {
        let dir = std::env::temp_dir().join(format!("storyline-huge-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("huge.txt");
        fs::write(&path, "lorem ipsum ".repeat(100_000)).unwrap();
        let (a, issues) = read_txt_article(&path, &Limits::default()).expect("kept");
        fs::remove_dir_all(&dir).ok();
        assert!(a.title.len() <= 2048, "{}", a.title.len());
        assert!(
            issues
                .iter()
                .any(|i| matches!(i.problem, Problem::FieldCut { field: "title", .. }))
        );
    }
}
