//! Clustering a JSONL stream on all cores, in input order.
//!
//! ```text
//! reader thread ──batches of lines──► worker threads (parse JSON, clean, featurize)
//!        (bounded)                          │ batches of features, numbered
//!                                           ▼
//!                          this thread: put batches back in order, assign each article
//! ```
//!
//! Parsing and featurizing are the expensive, independent part and run on every core;
//! assignment is one consistent decision per article, in input order, on one thread. The
//! channels are bounded (a few batches), so memory does not grow with the input.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::article::Article;
use crate::cluster::{ArticleFeatures, Assignment, ClusterOptions, EventClusterer, Featurizer};
use crate::ingest::{
    BoundedLines, Issue, Limits, Line, LineOutcome, bad_line, duplicate_id, parse_article_line,
};

/// How the stream is read.
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// Worker threads for parsing and featurizing (at least 1).
    pub threads: usize,
    /// Lines per batch.
    pub batch: usize,
    /// Size limits of records.
    pub limits: Limits,
    /// Name of the input in messages.
    pub file: String,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            batch: 256,
            limits: Limits::default(),
            file: "-".into(),
        }
    }
}

/// What the stream reports, in input order. `A` is what comes with an assignment: the
/// article itself here, nothing (`()`) where only features travelled (the scaled-out stream).
#[derive(Debug)]
pub enum StreamItem<A = Article> {
    /// An article was assigned (the article is handed over for callers that keep it).
    Assigned(Assignment, A),
    /// A record was rejected, or an article kept with a warning.
    Issue(Issue),
    /// Events that left the active window (their ids).
    Retired(Vec<String>),
}

/// Counts at the end of a stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StreamTotals {
    /// Lines read.
    pub lines: usize,
    /// Articles assigned.
    pub assigned: usize,
    /// Records rejected.
    pub rejected: usize,
    /// Warnings on kept records.
    pub warnings: usize,
    /// Articles that started an event.
    pub new_events: usize,
    /// Exact copies found.
    pub exact_duplicates: usize,
    /// Near copies found.
    pub near_duplicates: usize,
}

/// One line after parsing and featurizing: all the in-order assignment needs. `A` is the
/// article, or `()` once it is no longer needed (only features cross machines).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Parsed<A = Article> {
    /// A blank line.
    Blank,
    /// A rejected record.
    Rejected(Box<Issue>),
    /// An article and its features.
    Article(Box<ParsedArticle<A>>),
}

/// An article line, featurized.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ParsedArticle<A> {
    /// Line number (1-based, from wherever the reader started counting).
    pub no: usize,
    /// The article (or `()`).
    pub article: A,
    /// What the clusterer needs.
    pub features: ArticleFeatures,
    /// Warnings about the record (kept anyway).
    pub warnings: Vec<Issue>,
}

impl<A> Parsed<A> {
    /// The same line with the article replaced (e.g. dropped before it is sent elsewhere).
    pub fn map_article<B>(self, f: impl FnOnce(A) -> B) -> Parsed<B> {
        match self {
            Parsed::Blank => Parsed::Blank,
            Parsed::Rejected(issue) => Parsed::Rejected(issue),
            Parsed::Article(p) => {
                let ParsedArticle {
                    no,
                    article,
                    features,
                    warnings,
                } = *p;
                Parsed::Article(Box::new(ParsedArticle {
                    no,
                    article: f(article),
                    features,
                    warnings,
                }))
            }
        }
    }
}

/// Parses one JSONL line of `file` and featurizes the article: the data-parallel half of the
/// stream.
pub fn parse_line(line: Line, file: &str, limits: &Limits, featurizer: &mut Featurizer) -> Parsed {
    match line {
        Line::Bad(no, p) => Parsed::Rejected(Box::new(bad_line(file, no, p))),
        Line::Text(no, text) => match parse_article_line(file, no, &text, limits) {
            LineOutcome::Blank => Parsed::Blank,
            LineOutcome::Rejected(issue) => Parsed::Rejected(Box::new(issue)),
            LineOutcome::Article(article, warnings) => {
                let features = featurizer.features(&article);
                Parsed::Article(Box::new(ParsedArticle {
                    no,
                    article,
                    features,
                    warnings,
                }))
            }
        },
    }
}

/// The sequential half of the stream: takes parsed lines in input order, rejects ids seen
/// recently, assigns each article and counts. Serializable, so that a long run can be
/// checkpointed (restore with [`InOrderAssigner::with_options`]).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct InOrderAssigner {
    clusterer: EventClusterer,
    totals: StreamTotals,
    /// Where recent ids were first seen (`file:line`), for the duplicate-id message.
    first_line: FxHashMap<String, String>,
}

impl InOrderAssigner {
    /// An assigner with an empty clusterer.
    pub fn new(cluster: &ClusterOptions) -> Self {
        InOrderAssigner {
            clusterer: EventClusterer::new(cluster.clone()),
            totals: StreamTotals::default(),
            first_line: FxHashMap::default(),
        }
    }

    /// A deserialized assigner with the options of the run that saved it.
    pub fn with_options(mut self, cluster: ClusterOptions) -> Self {
        self.clusterer = self.clusterer.with_options(cluster);
        self
    }

    /// Counts so far.
    pub fn totals(&self) -> StreamTotals {
        self.totals
    }

    /// The clusterer's state.
    pub fn clusterer(&self) -> &EventClusterer {
        &self.clusterer
    }

    /// Counts and the final clusterer.
    pub fn finish(self) -> (StreamTotals, EventClusterer) {
        (self.totals, self.clusterer)
    }

    /// Takes the next line of `file` in input order; `line_offset` is added to its line
    /// numbers (for lines counted from the start of a chunk of the file).
    pub fn take<A>(
        &mut self,
        parsed: Parsed<A>,
        file: &str,
        line_offset: usize,
        sink: &mut impl FnMut(StreamItem<A>),
    ) {
        let shift = |mut issue: Issue| {
            issue.record.line = issue.record.line.map(|l| l + line_offset);
            issue
        };
        self.totals.lines += 1;
        match parsed {
            Parsed::Blank => {}
            Parsed::Rejected(issue) => {
                self.totals.rejected += 1;
                sink(StreamItem::Issue(shift(*issue)));
            }
            Parsed::Article(parsed) => {
                let ParsedArticle {
                    no,
                    article,
                    features,
                    warnings,
                } = *parsed;
                let no = no + line_offset;
                if self.clusterer.seen_recently(&features.id) {
                    let first = self
                        .first_line
                        .get(&features.id)
                        .map_or("an earlier line", String::as_str);
                    self.totals.rejected += 1;
                    sink(StreamItem::Issue(duplicate_id(
                        file,
                        no,
                        &features.id,
                        first,
                    )));
                    return;
                }
                if self.first_line.len() > self.clusterer.options().dedup_capacity {
                    self.first_line.clear();
                }
                self.first_line
                    .insert(features.id.clone(), format!("{file}:{no}"));
                self.totals.warnings += warnings.len();
                for w in warnings {
                    sink(StreamItem::Issue(shift(w)));
                }
                let a = self.clusterer.assign(features);
                self.totals.assigned += 1;
                self.totals.new_events += usize::from(a.new_event);
                match a.duplicate {
                    Some(crate::dedup::DuplicateKind::Exact) => self.totals.exact_duplicates += 1,
                    Some(crate::dedup::DuplicateKind::Near) => self.totals.near_duplicates += 1,
                    None => {}
                }
                let retired = self.clusterer.take_retired();
                if !retired.is_empty() {
                    sink(StreamItem::Retired(retired));
                }
                sink(StreamItem::Assigned(a, article));
            }
        }
    }
}

/// A numbered batch of lines.
type LineBatch = (u64, Vec<Line>);

/// Starts `threads` workers in `scope` that share one queue of jobs: each takes the next
/// job, turns it into a result with its own state (made by `state`, e.g. a featurizer) and
/// sends the result on. A worker stops when the jobs run out or when nobody reads the
/// results any more, so dropping either end shuts the pool down. The caller drops its own
/// `results` sender once the pool is started.
pub fn spawn_workers<'scope, J, R, S, W>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    threads: usize,
    jobs: Receiver<J>,
    results: &SyncSender<R>,
    mut state: impl FnMut() -> S,
    work: W,
) where
    J: Send + 'scope,
    R: Send + 'scope,
    S: Send + 'scope,
    W: Fn(&mut S, J) -> R + Send + Sync + 'scope,
{
    let jobs = Arc::new(Mutex::new(jobs));
    let work = Arc::new(work);
    for _ in 0..threads {
        let (jobs, results, work) = (Arc::clone(&jobs), results.clone(), Arc::clone(&work));
        let mut own = state();
        scope.spawn(move || {
            loop {
                let next = jobs
                    .lock()
                    .map_err(|_| ())
                    .and_then(|rx| rx.recv().map_err(|_| ()));
                let Ok(job) = next else { return };
                if results.send(work(&mut own, job)).is_err() {
                    return;
                }
            }
        });
    }
}

/// Clusters the articles of a JSONL stream, calling `sink` for every assignment, issue and
/// retirement in input order. Returns the totals and the clusterer (for its final state).
pub fn cluster_stream<R: BufRead + Send>(
    input: R,
    cluster: &ClusterOptions,
    opts: &StreamOptions,
    mut sink: impl FnMut(StreamItem),
) -> (StreamTotals, EventClusterer) {
    let mut assigner = InOrderAssigner::new(cluster);
    let threads = opts.threads.max(1);
    std::thread::scope(|scope| {
        let (line_tx, line_rx): (SyncSender<LineBatch>, Receiver<LineBatch>) =
            sync_channel(threads * 2);
        let (feat_tx, feat_rx) = sync_channel::<(u64, Vec<Parsed>)>(threads * 2);
        let batch = opts.batch.max(1);
        let max_line = opts.limits.max_line_bytes;
        let file = opts.file.clone();
        scope.spawn(move || {
            let mut reader = BoundedLines::new(input, max_line);
            let mut seq = 0u64;
            let mut buf = Vec::with_capacity(batch);
            loop {
                match reader.next_line() {
                    Ok(Some(line)) => {
                        buf.push(line);
                        if buf.len() == batch {
                            if line_tx.send((seq, std::mem::take(&mut buf))).is_err() {
                                return;
                            }
                            seq += 1;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let p = crate::ingest::Problem::Io(e.to_string());
                        buf.push(Line::Bad(reader.line_no() + 1, p));
                        tracing::warn!("{file}: read error: {e}");
                        break;
                    }
                }
            }
            if !buf.is_empty() {
                let _ = line_tx.send((seq, buf));
            }
        });
        spawn_workers(
            scope,
            threads,
            line_rx,
            &feat_tx,
            || Featurizer::new(cluster),
            |featurizer, (seq, lines): (u64, Vec<Line>)| {
                let parsed: Vec<Parsed> = lines
                    .into_iter()
                    .map(|line| parse_line(line, &opts.file, &opts.limits, featurizer))
                    .collect();
                (seq, parsed)
            },
        );
        drop(feat_tx);
        // Put batches back in input order and assign.
        let mut pending: BTreeMap<u64, Vec<Parsed>> = BTreeMap::new();
        let mut expected = 0u64;
        for (seq, parsed) in feat_rx {
            pending.insert(seq, parsed);
            while let Some(parsed) = pending.remove(&expected) {
                expected += 1;
                for p in parsed {
                    assigner.take(p, &opts.file, 0, &mut sink);
                }
            }
        }
    });
    assigner.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: &str, title: &str, text: &str) -> String {
        serde_json::json!({"id": id, "title": title, "text": text}).to_string()
    }

    #[test]
    fn assignments_come_back_in_input_order_whatever_the_threads() {
        let mut input = String::new();
        for i in 0..300 {
            let topic = i % 3;
            input += &line(
                &format!("a{i}"),
                &format!("Topic {topic} news"),
                &format!(
                    "Story about topic{topic} and subject{topic} with detail{topic} number {i}."
                ),
            );
            input.push('\n');
            if i == 100 {
                input += "not json\n";
            }
        }
        for threads in [1, 3] {
            let opts = StreamOptions {
                threads,
                batch: 7,
                ..StreamOptions::default()
            };
            let mut ids = Vec::new();
            let mut issues = Vec::new();
            let (totals, _) = cluster_stream(
                input.as_bytes(),
                &ClusterOptions::default(),
                &opts,
                |item| match item {
                    StreamItem::Assigned(a, _) => ids.push(a.id),
                    StreamItem::Issue(i) => issues.push(i.to_string()),
                    StreamItem::Retired(_) => {}
                },
            );
            let want: Vec<String> = (0..300).map(|i| format!("a{i}")).collect();
            assert_eq!(ids, want, "threads={threads}");
            assert_eq!(totals.assigned, 300);
            assert_eq!(issues.len(), 1);
            assert!(
                issues[0].starts_with("-:102: skipped: not JSON"),
                "{issues:?}"
            );
        }
    }

    #[test]
    fn duplicate_ids_are_rejected_naming_the_first_line() {
        let input = format!(
            "{}\n{}\n",
            line("x", "T", "Some text about a harbor."),
            line("x", "T", "Other text.")
        );
        let mut issues = Vec::new();
        cluster_stream(
            input.as_bytes(),
            &ClusterOptions::default(),
            &StreamOptions::default(),
            |item| {
                if let StreamItem::Issue(i) = item {
                    issues.push(i.to_string());
                }
            },
        );
        assert_eq!(
            issues,
            ["-:2 (id \"x\"): skipped: duplicate id: first used at -:1"]
        );
    }
}
