//! Extractive multi-document summarization with citations.
//!
//! The summary is the set of sentences that covers the most *concepts* within a word budget,
//! after Gillick & Favre (2009), "A Scalable Global Model for Summarization": concepts are
//! stemmed bigrams (not both stopwords), a concept weighs the number of distinct articles
//! that report it, so content many outlets carry is preferred, and redundancy costs nothing
//! extra to avoid (a concept counts once however many chosen sentences hold it). Concepts
//! also weigh more where articles put them first (headline and lead: the inverted pyramid).
//!
//! The budgeted maximum coverage problem is solved with the cost-scaled greedy of Khuller,
//! Moss & Naor (1999) as used by Lin & Bilmes (2010), then improved by swap local search,
//! instead of an ILP solver: near-optimal here, in well under a millisecond.
//!
//! Candidates are whole sentences that read on their own: complete, not a question, quotes
//! balanced, not too short or long. A sentence that starts with a pronoun or a connective
//! ("He said...", "But...") is only taken together with the sentence before it.
//!
//! Every summary sentence then cites each article that reports the same content (see
//! [`crate::align`]), with the count of distinct outlets.

pub mod context;
mod lead;
mod order;
mod select;

use serde::Serialize;
use storyline_text::Mode;

pub use context::{Dangling, Edit};

use crate::align::Aligner;
use crate::corpus::{Corpus, SentIx, Sentence};

/// Settings of the summarizer.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryOptions {
    /// Hard budget in words (whitespace-separated); whole sentences only.
    pub words: usize,
    /// Shortest sentence considered, in words.
    pub min_sentence_words: usize,
    /// Longest sentence considered, in words.
    pub max_sentence_words: usize,
    /// Concept weighting.
    pub weighting: Weighting,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            words: 100,
            min_sentence_words: 8,
            max_sentence_words: 70,
            weighting: Weighting::default(),
        }
    }
}

impl SummaryOptions {
    /// Sets one tuning parameter by name (`lead_boost=0.5`): for experiments and the
    /// benchmark command; the defaults are what ships.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let w = &mut self.weighting;
        let float = |v: &str| v.parse::<f32>().map_err(|e| format!("{key}: {e}"));
        let int = |v: &str| v.parse::<usize>().map_err(|e| format!("{key}: {e}"));
        match key {
            "min_sentence_words" => self.min_sentence_words = int(value)?,
            "max_sentence_words" => self.max_sentence_words = int(value)?,
            "lead_boost" => w.lead_boost = float(value)?,
            "lead_sentences" => w.lead_sentences = int(value)?,
            "min_df_share" => w.min_df_share = float(value)?,
            "min_df_floor" => w.min_df_floor = int(value)?,
            "rare_weight" => w.rare_weight = float(value)?,
            "cost_exponent" => w.cost_exponent = float(value)?,
            "centrality_bonus" => w.centrality_bonus = float(value)?,
            "lead_second" => w.lead_second = float(value)?,
            "lead_quote" => w.lead_quote = float(value)?,
            "lead_recency" => w.lead_recency = float(value)?,
            _ => return Err(format!("unknown parameter {key:?}")),
        }
        Ok(())
    }
}

/// How concepts are weighted (tuned on the dev data; see the README's benchmark section).
#[derive(Debug, Clone, PartialEq)]
pub struct Weighting {
    /// Extra weight of an article's report of a concept when it is in its headline or
    /// first sentences (multiplies that article's vote).
    pub lead_boost: f32,
    /// Number of first sentences that count as the lead.
    pub lead_sentences: usize,
    /// A concept counts fully when reported by at least this share of the distinct
    /// articles...
    pub min_df_share: f32,
    /// ...and by at least this many (small clusters use every concept).
    pub min_df_floor: usize,
    /// Weight multiplier of concepts below that threshold (0 drops them, as Gillick & Favre).
    pub rare_weight: f32,
    /// Exponent of the length scaling in the greedy ratio gain / words^r.
    pub cost_exponent: f32,
    /// Relevance prior: a unit gains this share of a typical candidate's value, times the
    /// mean share of articles using its content words (Lin & Bilmes 2011's relevance term).
    pub centrality_bonus: f32,
    /// The lead: weight of an article's second sentence against its first (the third
    /// gets the square).
    pub lead_second: f32,
    /// The lead: weight of a sentence with a quote in it.
    pub lead_quote: f32,
    /// The lead: extra weight of the latest article against the earliest (linear in time).
    pub lead_recency: f32,
}

impl Default for Weighting {
    fn default() -> Self {
        Weighting {
            lead_boost: 1.0,
            lead_sentences: 3,
            min_df_share: 0.1,
            min_df_floor: 2,
            rare_weight: 0.3,
            cost_exponent: 1.0,
            centrality_bonus: 1.0,
            lead_second: 0.8,
            lead_quote: 0.6,
            lead_recency: 0.3,
        }
    }
}

/// An article cited for a summary sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Citation {
    /// The article's id.
    pub article: String,
    /// Its outlet.
    pub outlet: String,
    /// The sentence (or two adjacent sentences) of the article that report it.
    pub text: String,
    /// Share of the summary sentence's content found there, 0..1 (1 for the sentence's own
    /// article).
    pub coverage: f32,
}

/// One sentence of a summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummarySentence {
    /// The sentence as the brief prints it: its article's sentence, with the repairs in
    /// `edits` (a dateline or connective dropped, a pronoun named, a relative date resolved).
    pub text: String,
    /// The sentence as its article wrote it, when `text` differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// What was changed so that the sentence stands in the brief.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Edit>,
    /// The article it was taken from.
    pub article: String,
    /// Every article that reports the same content, the source article first.
    pub citations: Vec<Citation>,
    /// Number of distinct outlets among the citations.
    pub support: usize,
    #[serde(skip)]
    pub(crate) sentence: SentIx,
}

impl SummarySentence {
    /// Index of the sentence in its corpus.
    pub fn sentence_index(&self) -> SentIx {
        self.sentence
    }
}

/// A cited summary.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Summary {
    /// Sentences in reading order.
    pub sentences: Vec<SummarySentence>,
}

impl Summary {
    /// The summary as one paragraph.
    pub fn text(&self) -> String {
        self.sentences
            .iter()
            .map(|s| s.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Length in words.
    pub fn words(&self) -> usize {
        self.sentences
            .iter()
            .map(|s| s.text.split_whitespace().count())
            .sum()
    }
}

/// Words that make a sentence lean on the one before it.
const LEANING_OPENERS: &[&str] = &[
    "he",
    "she",
    "it",
    "they",
    "them",
    "his",
    "her",
    "its",
    "their",
    "this",
    "these",
    "those",
    "that",
    "such",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "also",
    "however",
    "meanwhile",
    "still",
    "instead",
    "moreover",
    "furthermore",
    "nevertheless",
    "nonetheless",
    "then",
    "thus",
    "therefore",
    "otherwise",
    "besides",
    "likewise",
    "similarly",
    "accordingly",
    "hence",
    "later",
    "earlier",
    "both",
    "neither",
    "another",
    "other",
    "others",
];

/// Does the sentence open with a word that needs the previous sentence to be understood?
fn leans_on_previous(s: &Sentence) -> bool {
    let first = s.text.split_whitespace().next().unwrap_or("");
    let word: String = first
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if !LEANING_OPENERS.contains(&word.as_str()) {
        return false;
    }
    // "This/That/These + noun" still points back; "Both/Another/Other + noun" does not.
    if matches!(word.as_str(), "both" | "another" | "other" | "neither") {
        return s.terms.get(1).is_some_and(|t| t.stop);
    }
    true
}

/// Balanced quotes: an opening quote without its closing one means the quote runs on into
/// the next sentence (or started in the previous one).
fn quotes_balanced(text: &str) -> bool {
    let straight = text.matches('"').count();
    let open = text.matches('\u{201C}').count();
    let close = text.matches('\u{201D}').count();
    let ticks_open = text.matches("``").count();
    let ticks_close = text.matches("''").count();
    straight.is_multiple_of(2) && open == close && ticks_open == ticks_close
}

/// Why a sentence cannot stand in a summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unreadable {
    /// Fewer words than the minimum.
    TooShort,
    /// More words than the maximum.
    TooLong,
    /// No terminal punctuation: cut off, or a heading.
    Fragment,
    /// A question.
    Question,
    /// Ends with a colon: introduces what follows.
    Introduces,
    /// Starts in lowercase: a segmentation remnant.
    LowercaseStart,
    /// A quote opens or closes outside the sentence.
    UnbalancedQuotes,
}

/// Can this sentence stand in a summary? `None` if yes, else why not.
pub fn unreadable(s: &Sentence, opt: &SummaryOptions) -> Option<Unreadable> {
    if s.words < opt.min_sentence_words {
        return Some(Unreadable::TooShort);
    }
    if s.words > opt.max_sentence_words {
        return Some(Unreadable::TooLong);
    }
    if !s.is_complete() {
        return Some(Unreadable::Fragment);
    }
    let t = s
        .text
        .trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')']);
    if t.ends_with('?') {
        return Some(Unreadable::Question);
    }
    if t.ends_with(':') {
        return Some(Unreadable::Introduces);
    }
    let starts_ok = s.text.chars().next().is_some_and(|c| {
        c.is_uppercase()
            || c.is_ascii_digit()
            || matches!(c, '"' | '\u{201C}' | '`' | '\'' | '\u{2018}')
    });
    let case_lost = match s.case_mode {
        Mode::Cased => false,
        // The capitalizer of such corpora misses quotes and words after `!` and `?`.
        Mode::SentenceCased => {
            s.text.starts_with(['"', '\u{201C}']) || matches!(s.after, Some('!' | '?'))
        }
        Mode::Caseless => true,
    };
    if !starts_ok && !case_lost {
        return Some(Unreadable::LowercaseStart);
    }
    if !quotes_balanced(&s.text) {
        return Some(Unreadable::UnbalancedQuotes);
    }
    None
}

fn readable(s: &Sentence, opt: &SummaryOptions) -> bool {
    unreadable(s, opt).is_none()
}

/// Does the sentence need the one before it? (Public for diagnostics.)
pub fn needs_previous(s: &Sentence) -> bool {
    leans_on_previous(s)
}

/// Summarizes a corpus within `opt.words` words.
pub fn summarize(corpus: &Corpus, opt: &SummaryOptions) -> Summary {
    let aligner = Aligner::new(corpus);
    summarize_with(corpus, &aligner, opt)
}

/// As [`summarize`], reusing an aligner built for the corpus.
pub fn summarize_with(corpus: &Corpus, aligner: &Aligner<'_>, opt: &SummaryOptions) -> Summary {
    let w = &opt.weighting;
    let t0 = std::time::Instant::now();
    let people = context::People::new(corpus);
    let t1 = t0.elapsed();
    let (dense, weights) = select::concept_weights(corpus, w);
    let t2 = t0.elapsed();
    let candidates = select::candidate_units(corpus, &people, opt, &dense, &weights);
    let t3 = t0.elapsed();
    let fallback = candidates.is_empty();
    let units = if fallback {
        select::fallback(corpus, opt)
    } else {
        candidates
    };
    let (lead, picked): (Option<usize>, Vec<usize>) = if fallback {
        (None, (0..units.len()).collect())
    } else {
        let lead = lead::choose(corpus, &units, w, opt.words);
        let picked =
            select::Selection::new(&units, &weights, opt.words, w.cost_exponent, lead).solve();
        (lead, picked)
    };
    let t4 = t0.elapsed();
    let ordered = order::order(corpus, &units, lead, &picked);
    let pieces: Vec<&select::Piece> = ordered.iter().flat_map(|&u| &units[u].pieces).collect();
    let mut texts: Vec<String> = pieces.iter().map(|p| p.text.clone()).collect();
    let mut people_of: Vec<Vec<String>> = Vec::with_capacity(pieces.len());
    for &u in &ordered {
        for k in 0..units[u].pieces.len() {
            people_of.push(if k == 0 {
                units[u].people.clone()
            } else {
                Vec::new()
            });
        }
    }
    let shortened = context::shorten_names(&mut texts, &people_of);
    let sentences = pieces
        .iter()
        .zip(texts)
        .zip(shortened)
        .map(|((p, text), more)| {
            let mut edits = p.edits.clone();
            edits.extend(more);
            cite(corpus, aligner, p.sentence, text, edits)
        })
        .collect();
    let t5 = t0.elapsed();
    if std::env::var("TIMING").is_ok() { eprintln!("TIMING people {:?} weights {:?} units {:?} select {:?} rest {:?} n_units {}", t1, t2-t1, t3-t2, t4-t3, t5-t4, units.len()); }
    Summary { sentences }
}

/// Builds the citations of one chosen sentence, printed as `text`.
fn cite(
    corpus: &Corpus,
    aligner: &Aligner<'_>,
    s: SentIx,
    text: String,
    edits: Vec<Edit>,
) -> SummarySentence {
    let sent = &corpus.sentences[s];
    let own = &corpus.docs[sent.doc];
    let mut citations = vec![Citation {
        article: own.id.clone(),
        outlet: corpus.outlets[own.outlet].clone(),
        text: sent.text.clone(),
        coverage: 1.0,
    }];
    let mut outlets = vec![own.outlet];
    for sup in aligner.supporters(s) {
        let doc = &corpus.docs[sup.doc];
        let text = (sup.sentence..sup.sentence + sup.span)
            .map(|k| corpus.sentences[k].text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        citations.push(Citation {
            article: doc.id.clone(),
            outlet: corpus.outlets[doc.outlet].clone(),
            text,
            coverage: (sup.coverage * 1000.0).round() / 1000.0,
        });
        if !outlets.contains(&doc.outlet) {
            outlets.push(doc.outlet);
        }
    }
    let original = (text != sent.text).then(|| sent.text.clone());
    SummarySentence {
        text,
        original,
        edits,
        article: own.id.clone(),
        citations,
        support: outlets.len(),
        sentence: s,
    }
}

/// Which documents a summary cites (for tests and reports).
pub fn cited_docs(summary: &Summary) -> Vec<&str> {
    let mut v: Vec<&str> = summary
        .sentences
        .iter()
        .flat_map(|s| s.citations.iter().map(|c| c.article.as_str()))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn article(id: &str, source: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            title: format!("Harbor report {id}"),
            text: text.into(),
            source: Some(source.into()),
            url: None,
            date: None,
        }
    }

    fn harbor() -> Vec<Article> {
        vec![
            article(
                "a",
                "Coastal Daily",
                "The Eastport harbor reopened on Monday after a three-week strike by dock workers ended with a wage deal.\n\
                 Mayor Dana Whitfield said the deal was a fair compromise for the city and its port.\n\
                 He also thanked the workers. Ships lined up outside the breakwater all morning.",
            ),
            article(
                "b",
                "Harbor Herald",
                "Dock workers in Eastport ended a three-week strike on Monday, and the harbor reopened after a wage deal.\n\
                 The union said its members had approved the agreement by a wide margin in a vote on Sunday night.",
            ),
            article(
                "c",
                "Valley Post",
                "After a wage deal ended the three-week strike, the Eastport harbor reopened to ships on Monday.\n\
                 Fishing crews, who were not part of the dispute, said they had lost weeks of income during the strike.",
            ),
        ]
    }

    #[test]
    fn the_word_budget_is_never_exceeded() {
        let corpus = Corpus::build(&harbor());
        for words in [0, 5, 12, 20, 40, 100, 1000] {
            let s = summarize(
                &corpus,
                &SummaryOptions {
                    words,
                    ..SummaryOptions::default()
                },
            );
            assert!(s.words() <= words, "budget {words}: {} words", s.words());
        }
    }

    #[test]
    fn content_reported_by_several_outlets_comes_first_and_cites_them_all() {
        let corpus = Corpus::build(&harbor());
        let s = summarize(
            &corpus,
            &SummaryOptions {
                words: 25,
                ..SummaryOptions::default()
            },
        );
        assert_eq!(s.sentences.len(), 1, "{s:#?}");
        let first = &s.sentences[0];
        assert!(first.text.contains("reopened"), "{}", first.text);
        let cited: Vec<&str> = first.citations.iter().map(|c| c.article.as_str()).collect();
        assert_eq!(cited.len(), 3, "{cited:?}");
        assert_eq!(cited[0], first.article, "the source article is cited first");
        assert_eq!(first.support, 3);
    }

    #[test]
    fn a_sentence_opening_with_a_pronoun_comes_only_with_the_one_before() {
        let corpus = Corpus::build(&harbor());
        let s = summarize(
            &corpus,
            &SummaryOptions {
                words: 200,
                ..SummaryOptions::default()
            },
        );
        let texts: Vec<&str> = s.sentences.iter().map(|x| x.text.as_str()).collect();
        if let Some(k) = texts.iter().position(|t| t.starts_with("He also thanked")) {
            assert!(
                k > 0 && texts[k - 1].starts_with("Mayor Dana Whitfield"),
                "{texts:#?}"
            );
        }
    }

    #[test]
    fn identical_articles_give_one_summary_citing_every_copy() {
        let text = "The Eastport harbor reopened on Monday after a three-week strike by dock workers ended.";
        let copies: Vec<Article> = ["x", "y", "z"]
            .iter()
            .map(|id| article(id, &format!("Outlet {id}"), text))
            .collect();
        let corpus = Corpus::build(&copies);
        let s = summarize(
            &corpus,
            &SummaryOptions {
                words: 100,
                ..SummaryOptions::default()
            },
        );
        assert_eq!(s.sentences.len(), 1);
        assert_eq!(s.sentences[0].support, 3);
    }

    #[test]
    fn empty_and_degenerate_input_give_an_empty_summary_without_panicking() {
        assert!(
            summarize(&Corpus::build(&[]), &SummaryOptions::default())
                .sentences
                .is_empty()
        );
        let odd = [
            article("1", "A", ""),
            article("2", "B", "!!! ??? ..."),
            article("3", "C", "\u{0}\u{1}\u{2} \u{FFFD}\u{FFFD}"),
            article("4", "D", &"word ".repeat(5000)),
        ];
        let s = summarize(&Corpus::build(&odd), &SummaryOptions::default());
        assert!(s.words() <= 100);
    }

    #[test]
    fn questions_fragments_and_teasers_are_never_chosen() {
        let a = article(
            "q",
            "Daily",
            "Will the harbor reopen before the holidays, the workers asked the city council?\n\
             READ MORE: Harbor strike explained in five charts\n\
             The harbor council met on Monday and voted to reopen the port after the long strike\n\
             The council voted on Monday to reopen the harbor after the strike ended.",
        );
        let s = summarize(&Corpus::build(&[a]), &SummaryOptions::default());
        let texts: Vec<&str> = s.sentences.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(
            texts,
            ["The council voted on Monday to reopen the harbor after the strike ended."]
        );
    }
}
