//! Rendering summaries for people (plain text, Markdown) and programs (JSON, JSONL).

use std::fmt::Write as _;

use serde::Serialize;

use crate::compare::SourceComparison;
use crate::corpus::Corpus;
use crate::date::Timestamp;
use crate::summarize::{Summary, SummarySentence};

/// An article listed under a summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// 1-based number used by citation marks.
    pub number: usize,
    /// Article id.
    pub id: String,
    /// Headline (after cleaning).
    pub title: String,
    /// Outlet.
    pub outlet: String,
    /// Publication time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
}

impl Source {
    /// ` (outlet, date)`, leaving out what is unknown; an article without an outlet is its own.
    pub fn byline(&self) -> String {
        let mut parts = Vec::new();
        if self.outlet != self.id {
            parts.push(self.outlet.clone());
        }
        if let Some(d) = self.date {
            parts.push(d.to_string());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    }
}

/// A summary with what a reader needs around it: a headline, counts and the sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryReport {
    /// Event or cluster id, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// A headline for the event: the article headline that best matches the summary.
    pub title: String,
    /// Number of articles.
    pub articles: usize,
    /// Number of distinct outlets.
    pub outlets: usize,
    /// Summary length in words.
    pub words: usize,
    /// The cited sentences.
    pub sentences: Vec<SummarySentence>,
    /// The articles, numbered for the citation marks.
    pub sources: Vec<Source>,
    /// Where the outlets agree and differ, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<SourceComparison>,
}

impl SummaryReport {
    /// Assembles the report of a summary of `corpus`.
    pub fn new(id: Option<String>, corpus: &Corpus, summary: &Summary) -> Self {
        let sources = corpus
            .docs
            .iter()
            .enumerate()
            .map(|(k, d)| Source {
                number: k + 1,
                id: d.id.clone(),
                title: d.clean.title.clone(),
                outlet: corpus.outlets[d.outlet].clone(),
                date: d.date,
            })
            .collect();
        SummaryReport {
            id,
            title: event_title(corpus, summary),
            articles: corpus.docs.len(),
            outlets: corpus.outlets.len(),
            words: summary.words(),
            sentences: summary.sentences.clone(),
            sources,
            comparison: None,
        }
    }

    fn marks(&self, s: &SummarySentence) -> Vec<usize> {
        s.citations
            .iter()
            .filter_map(|c| {
                self.sources
                    .iter()
                    .find(|src| src.id == c.article)
                    .map(|src| src.number)
            })
            .collect()
    }

    /// Plain text: the headline, the sentences with citation marks, the sources.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.title);
        let _ = writeln!(
            out,
            "({} articles, {} outlets, {} words)\n",
            self.articles, self.outlets, self.words
        );
        if self.sentences.is_empty() {
            let _ = writeln!(out, "(no sentence could be summarized)");
        }
        for s in &self.sentences {
            let marks: Vec<String> = self.marks(s).iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "{} [{}]", s.text, marks.join(", "));
        }
        let _ = writeln!(out, "\nSources");
        for src in &self.sources {
            let _ = writeln!(
                out,
                "[{}] {}{} {}",
                src.number,
                src.title,
                src.byline(),
                src.id
            );
        }
        out
    }

    /// Markdown: a heading, one bullet per sentence with its outlets, a numbered source list.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n", md_escape(&self.title));
        let _ = writeln!(
            out,
            "*{} articles from {} outlets; {} words.*\n",
            self.articles, self.outlets, self.words
        );
        if self.sentences.is_empty() {
            let _ = writeln!(out, "_No sentence could be summarized._");
        }
        for s in &self.sentences {
            let marks: Vec<String> = self
                .marks(s)
                .iter()
                .map(|n| format!("[{n}](#source-{n})"))
                .collect();
            let outlets = if s.support == 1 {
                "1 outlet".to_string()
            } else {
                format!("{} outlets", s.support)
            };
            let _ = writeln!(
                out,
                "- {} <sup>{}; {}</sup>",
                md_escape(&s.text),
                marks.join(" "),
                outlets
            );
        }
        let _ = writeln!(out, "\n## Sources\n");
        for src in &self.sources {
            let _ = writeln!(
                out,
                "{}. <a id=\"source-{}\"></a>{}{} (`{}`)",
                src.number,
                src.number,
                md_escape(&src.title),
                md_escape(&src.byline()),
                src.id
            );
        }
        if let Some(c) = &self.comparison {
            let _ = write!(out, "\n{}", c.to_markdown(&self.title));
        }
        out
    }
}

/// Escapes the characters Markdown would take for markup.
pub(crate) fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The compact per-cluster line of benchmark mode:
/// `{"id", "summary", "sentences": [{"text", "citations": [doc ids], "support": n}]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryLine {
    /// Cluster id.
    pub id: String,
    /// The summary as one paragraph.
    pub summary: String,
    /// Its sentences with the ids of the articles that report them.
    pub sentences: Vec<SentenceLine>,
}

/// One sentence of a [`SummaryLine`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentenceLine {
    /// The sentence.
    pub text: String,
    /// Ids of the articles that report it, its own first.
    pub citations: Vec<String>,
    /// Distinct outlets among them.
    pub support: usize,
}

impl SummaryLine {
    /// The benchmark line of a summary.
    pub fn new(id: &str, summary: &Summary) -> Self {
        SummaryLine {
            id: id.to_string(),
            summary: summary.text(),
            sentences: summary
                .sentences
                .iter()
                .map(|s| SentenceLine {
                    text: s.text.clone(),
                    citations: s.citations.iter().map(|c| c.article.clone()).collect(),
                    support: s.support,
                })
                .collect(),
        }
    }
}

/// The headline that shares the most content with the summary (ties: the earliest article).
pub fn event_title(corpus: &Corpus, summary: &Summary) -> String {
    let mut summary_terms: Vec<u32> = summary
        .sentences
        .iter()
        .flat_map(|s| corpus.sentences[s.sentence_index()].content_terms())
        .collect();
    summary_terms.sort_unstable();
    summary_terms.dedup();
    let best = corpus
        .docs
        .iter()
        .filter(|d| !d.clean.title.trim().is_empty())
        .map(|d| {
            let n = d
                .title_terms
                .iter()
                .filter(|t| !t.stop && summary_terms.binary_search(&t.id).is_ok())
                .count();
            (n, d)
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(std::cmp::Ordering::Greater));
    best.map(|(_, d)| d.clean.title.clone())
        .unwrap_or_else(|| "Untitled event".to_string())
}
