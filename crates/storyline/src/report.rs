//! Rendering summaries for people (plain text, Markdown) and programs (JSON, JSONL).

use std::fmt::Write as _;

use serde::Serialize;

use crate::article::{outlet_given, unnamed_outlet};
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
    /// Outlet ("article 2 (outlet not given)" when it is not given).
    pub outlet: String,
    /// The outlet is not given.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub outlet_not_given: bool,
    /// Publication time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
}

impl Source {
    /// ` (outlet, date)`, leaving out what is unknown.
    pub fn byline(&self) -> String {
        let mut parts = Vec::new();
        if !self.outlet_not_given {
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
    /// Number of distinct outlets; an article whose outlet is not given counts as one of
    /// its own.
    pub outlets: usize,
    /// Articles whose outlet is not given (counted in `outlets`, one each).
    #[serde(skip_serializing_if = "is_zero")]
    pub outlets_not_given: usize,
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
        let sources: Vec<Source> = corpus
            .docs
            .iter()
            .enumerate()
            .map(|(k, d)| {
                let outlet = &corpus.outlets[d.outlet];
                let given = outlet_given(outlet, &d.id);
                Source {
                    number: k + 1,
                    id: d.id.clone(),
                    title: d.clean.title.clone(),
                    outlet: if given {
                        outlet.clone()
                    } else {
                        unnamed_outlet(k + 1)
                    },
                    outlet_not_given: !given,
                    date: d.date,
                }
            })
            .collect();
        // Citations name an outlet that is not given as the source list does.
        let mut sentences = summary.sentences.clone();
        for c in sentences.iter_mut().flat_map(|s| s.citations.iter_mut()) {
            if let Some(src) = sources
                .iter()
                .find(|src| src.outlet_not_given && src.id == c.article)
            {
                c.outlet.clone_from(&src.outlet);
            }
        }
        SummaryReport {
            id,
            title: event_title(corpus, summary),
            articles: corpus.docs.len(),
            outlets: corpus.outlets.len(),
            outlets_not_given: sources.iter().filter(|s| s.outlet_not_given).count(),
            words: summary.words(),
            sentences,
            sources,
            comparison: None,
        }
    }

    /// What the counts say about outlets: "5 articles from 3 outlets".
    fn counts(&self) -> String {
        articles_and_outlets(self.articles, self.outlets, self.outlets_not_given)
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
        let _ = writeln!(out, "({}; {} words)\n", self.counts(), self.words);
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
        let _ = writeln!(out, "*{}; {} words.*\n", self.counts(), self.words);
        if self.sentences.is_empty() {
            let _ = writeln!(out, "_No sentence could be summarized._");
        }
        for s in &self.sentences {
            let marks: Vec<String> = self
                .marks(s)
                .iter()
                .map(|n| format!("[{n}](#source-{n})"))
                .collect();
            // Without any outlet given, the support is a number of articles.
            let unit = if self.outlets_not_given == self.articles {
                "article"
            } else {
                "outlet"
            };
            let outlets = if s.support == 1 {
                format!("1 {unit}")
            } else {
                format!("{} {unit}s", s.support)
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

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// "5 articles from 3 outlets"; where outlets are not given, says so rather than count
/// articles as outlets ("5 articles, outlets not given"; "7 articles from 3 outlets,
/// outlet not given for 2").
pub fn articles_and_outlets(articles: usize, outlets: usize, not_given: usize) -> String {
    let plural = |n: usize, w: &str| {
        if n == 1 {
            format!("{n} {w}")
        } else {
            format!("{n} {w}s")
        }
    };
    let named = outlets.saturating_sub(not_given);
    match (named, not_given) {
        (_, 0) => format!(
            "{} from {}",
            plural(articles, "article"),
            plural(outlets, "outlet")
        ),
        (0, 1) => format!("{}, outlet not given", plural(articles, "article")),
        (0, _) => format!("{}, outlets not given", plural(articles, "article")),
        _ => format!(
            "{} from {}, outlet not given for {not_given}",
            plural(articles, "article"),
            plural(named, "outlet")
        ),
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

/// The headline that shares the most content with the summary (ties: the earliest article);
/// a headline that states the news is preferred to a question, a teaser or one cut off.
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
            let t = d.clean.title.trim_end();
            let states = !crate::summarize::is_teaser(t)
                && !t.ends_with('?')
                && !t.ends_with("...")
                && !t.ends_with('\u{2026}');
            ((states, n), d)
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(std::cmp::Ordering::Greater));
    best.map(|(_, d)| d.clean.title.clone())
        .or_else(|| summary.sentences.first().map(|s| title_from_lead(&s.text)))
        .unwrap_or_else(|| "Untitled event".to_string())
}

/// A headline made from the lead when no article has one: the lead itself when short, else
/// its first clause (cut at a comma or a conjunction after six words at least), at most 14
/// words, without the final full stop.
pub fn title_from_lead(lead: &str) -> String {
    const MAX: usize = 14;
    let words: Vec<&str> = lead.split_whitespace().collect();
    let mut end = words.len().min(MAX);
    let mut mid_clause = false;
    if words.len() > MAX {
        // The last clause boundary within reach.
        let boundary = (6..MAX).rev().find(|&k| {
            words[k - 1].ends_with([',', ';', ':'])
                || matches!(
                    words[k].to_ascii_lowercase().as_str(),
                    "after"
                        | "as"
                        | "when"
                        | "while"
                        | "because"
                        | "but"
                        | "and"
                        | "which"
                        | "who"
                        | "where"
                        | "amid"
                )
        });
        end = boundary.unwrap_or(MAX);
        mid_clause = boundary.is_none();
    }
    let mut title = words[..end]
        .join(" ")
        .trim_end_matches([',', ';', ':', '.', ' '])
        .to_string();
    if mid_clause {
        title.push('\u{2026}');
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_made_from_a_long_lead_stops_at_a_clause() {
        assert_eq!(
            title_from_lead("Dockworkers in Port Aldren ended their strike on Thursday."),
            "Dockworkers in Port Aldren ended their strike on Thursday"
        );
        assert_eq!(
            title_from_lead(
                "Rescue teams searched flooded houses in Brackwater on Monday for two people, after the Tamsin River burst its banks and left 12 dead."
            ),
            "Rescue teams searched flooded houses in Brackwater on Monday for two people"
        );
        let t = title_from_lead(
            "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen.",
        );
        assert!(
            t.ends_with('\u{2026}') && t.split_whitespace().count() == 14,
            "{t}"
        );
    }

    #[test]
    fn an_event_whose_articles_have_no_headline_is_titled_from_its_lead() {
        let a = crate::Article {
            id: "a".into(),
            title: String::new(),
            text: "The Eastport harbor reopened on Monday after a three-week strike by dock workers ended with a wage deal.".into(),
            source: Some("Daily".into()),
            url: None,
            date: None,
        };
        let corpus = Corpus::build(&[a]);
        let s = crate::summarize(&corpus, &crate::SummaryOptions::default());
        let title = event_title(&corpus, &s);
        assert!(title.starts_with("The Eastport harbor reopened"), "{title}");
    }
}
