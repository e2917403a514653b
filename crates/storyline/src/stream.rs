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

/// What the stream reports, in input order.
#[derive(Debug)]
pub enum StreamItem {
    /// An article was assigned (the article is handed over for callers that keep it).
    Assigned(Assignment, Article),
    /// A record was rejected, or an article kept with a warning.
    Issue(Issue),
    /// Events that left the active window (their ids).
    Retired(Vec<String>),
}

/// Counts at the end of a stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
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

/// One parsed line, ready for assignment.
enum Parsed {
    Blank,
    Rejected(Box<Issue>),
    Article(Box<ParsedArticle>),
}

struct ParsedArticle {
    no: usize,
    article: Article,
    features: ArticleFeatures,
    warnings: Vec<Issue>,
}

/// A numbered batch of lines.
type LineBatch = (u64, Vec<Line>);

fn parse_batch(lines: Vec<Line>, featurizer: &mut Featurizer, opts: &StreamOptions) -> Vec<Parsed> {
    lines
        .into_iter()
        .map(|line| match line {
            Line::Bad(no, p) => Parsed::Rejected(Box::new(bad_line(&opts.file, no, p))),
            Line::Text(no, text) => match parse_article_line(&opts.file, no, &text, &opts.limits) {
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
        })
        .collect()
}

/// Clusters the articles of a JSONL stream, calling `sink` for every assignment, issue and
/// retirement in input order. Returns the totals and the clusterer (for its final state).
pub fn cluster_stream<R: BufRead + Send>(
    input: R,
    cluster: &ClusterOptions,
    opts: &StreamOptions,
    mut sink: impl FnMut(StreamItem),
) -> (StreamTotals, EventClusterer) {
    let mut clusterer = EventClusterer::new(cluster.clone());
    let mut totals = StreamTotals::default();
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
        let line_rx = Arc::new(Mutex::new(line_rx));
        for _ in 0..threads {
            let rx = Arc::clone(&line_rx);
            let tx = feat_tx.clone();
            let mut featurizer = Featurizer::new(cluster);
            scope.spawn(move || {
                loop {
                    let next = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, lines)) = next else { return };
                    if tx
                        .send((seq, parse_batch(lines, &mut featurizer, opts)))
                        .is_err()
                    {
                        return;
                    }
                }
            });
        }
        drop(feat_tx);
        // Put batches back in input order and assign.
        let mut pending: BTreeMap<u64, Vec<Parsed>> = BTreeMap::new();
        let mut expected = 0u64;
        let mut first_line: FxHashMap<String, usize> = FxHashMap::default();
        for (seq, parsed) in feat_rx {
            pending.insert(seq, parsed);
            while let Some(parsed) = pending.remove(&expected) {
                expected += 1;
                for p in parsed {
                    totals.lines += 1;
                    match p {
                        Parsed::Blank => {}
                        Parsed::Rejected(issue) => {
                            totals.rejected += 1;
                            sink(StreamItem::Issue(*issue));
                        }
                        Parsed::Article(parsed) => {
                            let ParsedArticle {
                                no,
                                article,
                                features,
                                warnings,
                            } = *parsed;
                            if clusterer.seen_recently(&article.id) {
                                let first = first_line.get(&article.id).map_or_else(
                                    || "an earlier line".to_string(),
                                    |l| format!("{}:{l}", opts.file),
                                );
                                totals.rejected += 1;
                                sink(StreamItem::Issue(duplicate_id(
                                    &opts.file,
                                    no,
                                    &article.id,
                                    &first,
                                )));
                                continue;
                            }
                            if first_line.len() > cluster.dedup_capacity {
                                first_line.clear();
                            }
                            first_line.insert(article.id.clone(), no);
                            totals.warnings += warnings.len();
                            for w in warnings {
                                sink(StreamItem::Issue(w));
                            }
                            let a = clusterer.assign(features);
                            totals.assigned += 1;
                            totals.new_events += usize::from(a.new_event);
                            match a.duplicate {
                                Some(crate::dedup::DuplicateKind::Exact) => {
                                    totals.exact_duplicates += 1
                                }
                                Some(crate::dedup::DuplicateKind::Near) => {
                                    totals.near_duplicates += 1
                                }
                                None => {}
                            }
                            let retired = clusterer.take_retired();
                            if !retired.is_empty() {
                                sink(StreamItem::Retired(retired));
                            }
                            sink(StreamItem::Assigned(a, article));
                        }
                    }
                }
            }
        }
    });
    (totals, clusterer)
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
