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
use crate::align::claim::{CitationRule, ClaimAligner};
use crate::compare::Readings;
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

    /// Does sentence `k` come right after the sentence before it in the same article (so
    /// that what it leans on is printed just before it)?
    pub fn follows_its_predecessor(&self, k: usize) -> bool {
        k > 0
            && self.sentences[k - 1].article == self.sentences[k].article
            && self.sentences[k - 1].sentence + 1 == self.sentences[k].sentence
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
    /// A headline that addresses the reader instead of stating the news ("Meet the cast
    /// of ...", "How to ...", "WATCH: ...", "May the fourth be with you!").
    Teaser,
    /// A line of a news digest or a wire budget: a teaser of another story
    /// ([`crate::clean::CleanArticle::digest`]).
    Digest,
}

/// Words of a brief made from headlines alone (about four headlines).
const HEADLINE_BRIEF_WORDS: usize = 45;

/// Labels a headline may open with that mark it as a feature, not a report of the news.
const TEASER_LABELS: &[&str] = &[
    "watch",
    "video",
    "videos",
    "photo",
    "photos",
    "gallery",
    "in pictures",
    "pictures",
    "slideshow",
    "listen",
    "audio",
    "podcast",
    "opinion",
    "editorial",
    "poll",
    "quiz",
    "live",
    "live blog",
    "required reading",
    "infographic",
];

/// Does a headline tease or address the reader instead of stating the news: an
/// exclamation, an explainer or an invitation ("How ...", "Why ...", "What ...", "Meet ...",
/// "Here's ..."), or a feature label ("WATCH: ...")? (Written for the headline-only events of
/// a news aggregator's feed, where 3.5% of headlines are such.)
pub(crate) fn is_teaser(headline: &str) -> bool {
    let t = headline.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ' ']);
    if t.ends_with('!') {
        return true;
    }
    let first = t.split_whitespace().next().unwrap_or("");
    // "WHO warns ..." is the World Health Organization.
    let opener = !first
        .chars()
        .all(|c| c.is_uppercase() || !c.is_alphabetic())
        && matches!(
            first.to_lowercase().as_str(),
            "how" | "why" | "what" | "meet" | "here's" | "here\u{2019}s"
        );
    let label = t
        .split_once(':')
        .is_some_and(|(head, _)| TEASER_LABELS.contains(&head.trim().to_lowercase().as_str()));
    opener || label
}

/// Can this sentence stand in a summary? `None` if yes, else why not.
pub fn unreadable(s: &Sentence, opt: &SummaryOptions) -> Option<Unreadable> {
    if s.digest {
        return Some(Unreadable::Digest);
    }
    if s.headline {
        // A headline is a brief's sentence when articles carry nothing else: short, with no
        // terminal punctuation.
        let t = s.text.trim_end();
        return if s.words < 4 {
            Some(Unreadable::TooShort)
        } else if s.words > opt.max_sentence_words {
            Some(Unreadable::TooLong)
        } else if t.ends_with("...") || t.ends_with('\u{2026}') {
            // Cut off by the feed.
            Some(Unreadable::Fragment)
        } else if t
            .trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}'])
            .ends_with('?')
        {
            Some(Unreadable::Question)
        } else if is_teaser(t) {
            Some(Unreadable::Teaser)
        } else {
            None
        };
    }
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
    summarize_reading(corpus, aligner, opt).0
}

/// As [`summarize_with`], also handing back what it read that the comparison reads too
/// (name mentions, attributed quotes), for [`crate::compare::compare_reading`].
pub fn summarize_reading(
    corpus: &Corpus,
    aligner: &Aligner<'_>,
    opt: &SummaryOptions,
) -> (Summary, Readings) {
    let w = &opt.weighting;
    let claims = ClaimAligner::new(aligner);
    let people = context::People::new(corpus);
    // Who said each quote, as the comparison reads it: the brief attributes quotes the same way.
    let statements = corpus
        .sentences
        .iter()
        .any(|s| s.text.contains(['"', '\u{201C}', '\u{201D}']))
        .then(|| crate::compare::quotes::statements_with(corpus, people.all_mentions()));
    let people = people.with_quotes(statements.as_deref().unwrap_or_default());
    let (dense, weights) = select::concept_weights(corpus, w);
    let candidates = select::candidate_units(corpus, &people, opt, &dense, &weights);
    let fallback = candidates.is_empty();
    let units = if fallback {
        select::fallback(corpus, opt)
    } else {
        candidates
    };
    let leads = lead::Leads::new(corpus, w);
    let (lead, picked): (Option<usize>, Vec<usize>) = if fallback {
        (None, (0..units.len()).collect())
    } else {
        let lead = leads.choose(&units, opt.words);
        // A unit repeats the brief when a chosen sentence reports its claim, or when it
        // reports the lead's claim again (a longer telling of the lead).
        let rule = CitationRule::repeats();
        // Headlines alone (a feed's titles): an account of them is the lead and a few distinct
        // developments; past that, and for any headline whose words the chosen ones already
        // hold, the headlines retell one another.
        let headlines_only = units.iter().all(|u| corpus.sentences[u.first()].headline);
        let budget = if headlines_only {
            opt.words.min(HEADLINE_BRIEF_WORDS)
        } else {
            opt.words
        };
        let repeats = |u: usize, chosen: &[usize]| {
            let s = units[u].first();
            if headlines_only {
                let terms = &units[u].terms;
                let told = terms
                    .iter()
                    .filter(|t| {
                        chosen
                            .iter()
                            .any(|&c| units[c].terms.binary_search(t).is_ok())
                    })
                    .count();
                if told * 5 >= terms.len() * 3 {
                    return true;
                }
            }
            chosen.iter().any(|&c| {
                units[c].pieces.iter().any(|p| {
                    claims.reports(s, p.sentence, 1, &rule)
                        || (Some(c) == lead && claims.reports(p.sentence, s, 1, &rule))
                })
            })
        };
        let picked = select::Selection::new(&units, &weights, budget, w.cost_exponent, lead)
            .without_repeats(&repeats)
            .solve();
        (lead, picked)
    };
    let ordered = order::order(corpus, &units, lead, &picked, |u| leads.score(&units[u]));
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
    let shortened = context::shorten_names(&mut texts, &people_of, &people.alone);
    let sentences = pieces
        .iter()
        .zip(texts)
        .zip(shortened)
        .map(|((p, text), more)| {
            let mut edits = p.edits.clone();
            edits.extend(more);
            cite(
                corpus,
                &claims,
                statements.as_deref().unwrap_or_default(),
                p.sentence,
                text,
                edits,
            )
        })
        .collect();
    let readings = Readings {
        mentions: people.into_mentions(),
        statements,
    };
    (Summary { sentences }, readings)
}

/// Builds the citations of one chosen sentence, printed as `text`.
fn cite(
    corpus: &Corpus,
    claims: &ClaimAligner<'_, '_>,
    statements: &[crate::compare::Statement],
    s: SentIx,
    text: String,
    edits: Vec<Edit>,
) -> SummarySentence {
    let sent = &corpus.sentences[s];
    let own = &corpus.docs[sent.doc];
    let (citations, support) = citations_with(claims, s, statements);
    let original = (text != sent.text).then(|| sent.text.clone());
    SummarySentence {
        text,
        original,
        edits,
        article: own.id.clone(),
        citations,
        support,
        sentence: s,
    }
}

/// The articles that report sentence `s`: its own first, then every other article with a
/// passage (a sentence, or two adjacent ones) that reports its claim (see
/// [`crate::align::claim`]); and the number of distinct outlets among them.
pub fn citations(claims: &ClaimAligner<'_, '_>, s: SentIx) -> (Vec<Citation>, usize) {
    citations_with(claims, s, &[])
}

/// As [`citations`], where the sentence is mostly a quote: the articles that quote the same
/// words of the same speaker in the same statement (`statements`, the comparison's, see
/// [`crate::compare::quotes`]) report it too, however they frame it ("he said shortly before
/// leaving Lucca" / "the US Secretary of State said"), which the word-level claim rule does
/// not see.
pub fn citations_with(
    claims: &ClaimAligner<'_, '_>,
    s: SentIx,
    statements: &[crate::compare::Statement],
) -> (Vec<Citation>, usize) {
    let corpus = claims.corpus();
    let sent = &corpus.sentences[s];
    // (article, its passage, soft claim coverage): the sentence's own first.
    let mut cited: Vec<(crate::corpus::DocIx, String, f32)> =
        vec![(sent.doc, sent.text.clone(), 1.0)];
    for m in claims.supporters(s, &CitationRule::default()) {
        let text = (m.sentence..m.sentence + m.span)
            .map(|k| corpus.sentences[k].text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        cited.push((
            m.doc,
            text,
            (m.features.soft_claim * 1000.0).round() / 1000.0,
        ));
    }
    for (d, k) in quoting(corpus, s, statements) {
        if !cited.iter().any(|c| c.0 == d) {
            cited.push((d, corpus.sentences[k].text.clone(), 1.0));
        }
    }
    let mut outlets: Vec<usize> = cited.iter().map(|c| corpus.docs[c.0].outlet).collect();
    outlets.sort_unstable();
    outlets.dedup();
    let citations = cited
        .into_iter()
        .map(|(d, text, coverage)| Citation {
            article: corpus.docs[d].id.clone(),
            outlet: corpus.outlets[corpus.docs[d].outlet].clone(),
            text,
            coverage,
        })
        .collect();
    (citations, outlets.len())
}

/// Least share of a sentence's words inside its quote for the quote to be its claim.
const QUOTE_SHARE: f32 = 0.5;
/// Least share of the shorter quote's words that the other must hold to be the same words.
const SAME_WORDS: f32 = 0.8;
/// Fewest words of a quote for it to be matched by its words.
const QUOTE_WORDS: usize = 5;

/// The other articles (with their sentence) that quote the words sentence `s` is mostly
/// made of, by the same named speaker, in the same statement; sorted by article.
fn quoting(
    corpus: &Corpus,
    s: SentIx,
    statements: &[crate::compare::Statement],
) -> Vec<(crate::corpus::DocIx, SentIx)> {
    let sent = &corpus.sentences[s];
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let sentence_words = words(&sent.text).len().max(1);
    let mut out: Vec<(crate::corpus::DocIx, SentIx)> = Vec::new();
    for st in statements.iter().filter(|st| st.speaker.is_some()) {
        for own in st.occurrences.iter().filter(|o| {
            o.doc == sent.doc && o.speaker == st.speaker && sent.text.contains(o.text.as_str())
        }) {
            let mine = words(&own.text);
            if mine.len() < QUOTE_WORDS || (mine.len() as f32) < QUOTE_SHARE * sentence_words as f32
            {
                continue;
            }
            for other in st.occurrences.iter().filter(|o| {
                o.doc != sent.doc && o.speaker == st.speaker && corpus.docs[o.doc].copy_of.is_none()
            }) {
                let theirs = words(&other.text);
                let (short, long) = if theirs.len() < mine.len() {
                    (&theirs, &mine)
                } else {
                    (&mine, &theirs)
                };
                let held = short.iter().filter(|w| long.contains(w)).count();
                if short.len() < QUOTE_WORDS || (held as f32) < SAME_WORDS * short.len() as f32 {
                    continue;
                }
                let Some(k) = corpus.docs[other.doc]
                    .sentences
                    .clone()
                    .find(|&k| corpus.sentences[k].text.contains(other.text.as_str()))
                else {
                    continue;
                };
                out.push((other.doc, k));
            }
        }
    }
    out.sort_unstable();
    out.dedup_by_key(|x| x.0);
    out
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
                "After a wage deal ended the dock workers' three-week strike, the Eastport harbor reopened to ships on Monday.\n\
                 Fishing crews, who were not part of the dispute, said they had lost weeks of income during the strike.",
            ),
        ]
    }

    #[test]
    fn an_article_that_shares_the_names_but_not_the_claim_is_not_cited() {
        let docs = vec![
            article(
                "a",
                "Coastal Daily",
                "Mayor Dana Whitfield said Eastport must choose between its shipyards and the new container terminal at Northgate.\n\
                 The council meets again in April.",
            ),
            article(
                "b",
                "Harbor Herald",
                "Mayor Dana Whitfield said Eastport must keep both its shipyards and the new container terminal at Northgate.\n\
                 Ships lined up outside the breakwater all morning.",
            ),
            article(
                "c",
                "Valley Post",
                "The dock workers' union held a rally in Eastport on Sunday.\n\
                 Fishing crews said they had lost weeks of income.",
            ),
        ];
        let corpus = Corpus::build(&docs);
        let aligner = Aligner::new(&corpus);
        let claims = ClaimAligner::new(&aligner);
        let s = corpus.docs[0].sentences.start;
        let passage = corpus.docs[1].sentences.start;
        let f = claims.features(s, passage, 1);
        assert!(
            CitationRule::repeats().cites(&f),
            "the passage shares the sentence's names and most of its words: {f:?}"
        );
        let (cited, support) = citations(&claims, s);
        let ids: Vec<&str> = cited.iter().map(|c| c.article.as_str()).collect();
        assert_eq!(ids, ["a"], "keeping both is not choosing: {f:?}");
        assert_eq!(support, 1);
    }

    #[test]
    fn an_article_quoting_the_same_words_of_the_same_speaker_is_cited() {
        let docs = [
            article(
                "a",
                "Gazette",
                "Floodwater reached the town hall on Sunday.\n\
                 \u{201C}We will rebuild every house on this river, whatever it costs,\u{201D} \
                 Governor Mira Castell said on Sunday in flooded Brackwater.",
            ),
            article(
                "b",
                "Courier",
                "Rescue crews worked through the night.\n\
                 Castell told reporters at the state capital: \u{201C}We will rebuild every house \
                 on this river, whatever it costs.\u{201D}",
            ),
            article(
                "c",
                "Ledger",
                "Governor Mira Castell toured Brackwater on Sunday and promised money for \
                 every family.",
            ),
        ];
        let corpus = Corpus::build(&docs);
        let aligner = Aligner::new(&corpus);
        let claims = ClaimAligner::new(&aligner);
        let statements = crate::compare::quotes::statements(&corpus);
        let s = corpus
            .sentences
            .iter()
            .position(|x| x.text.contains("whatever it costs"))
            .expect("the quote");
        let ids = |c: Vec<Citation>| c.into_iter().map(|c| c.article).collect::<Vec<_>>();
        // The words alone do not tell: the framing differs (where, to whom).
        assert_eq!(ids(citations(&claims, s).0), ["a"]);
        let (cited, support) = citations_with(&claims, s, &statements);
        assert_eq!(ids(cited), ["a", "b"]);
        assert_eq!(support, 2);
    }

    #[test]
    fn screening_passages_before_the_soft_match_gives_the_rule_s_own_answer() {
        let corpus = Corpus::build(&harbor());
        let aligner = Aligner::new(&corpus);
        // Asked in the same order, the two see the same word vectors at every step.
        let (screened, plain) = (ClaimAligner::new(&aligner), ClaimAligner::new(&aligner));
        let n = corpus.sentences.len();
        for rule in [CitationRule::default(), CitationRule::repeats()] {
            for s in 0..n {
                for c in 0..n {
                    for span in [1, 2].into_iter().filter(|k| c + k <= n) {
                        assert_eq!(
                            screened.reports(s, c, span, &rule),
                            rule.cites(&plain.features(s, c, span)),
                            "{s} against {c}+{span}"
                        );
                    }
                }
            }
        }
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
             Port Aldren's council voted on Monday to reopen the harbor after the strike ended.",
        );
        let s = summarize(&Corpus::build(&[a]), &SummaryOptions::default());
        let texts: Vec<&str> = s.sentences.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Port Aldren's council voted on Monday to reopen the harbor after the strike ended."]
        );
    }

    fn titled(id: &str, source: &str, title: &str, text: &str) -> Article {
        Article {
            title: title.into(),
            ..article(id, source, text)
        }
    }

    #[test]
    fn the_lead_is_the_news_the_openings_agree_on_not_a_quote_or_background() {
        let articles = [
            titled(
                "a",
                "Coastal Daily",
                "Eastport dock strike ends with wage deal",
                "\u{201C}We held the line and it was worth it,\u{201D} said union leader Marta Ilves on Monday evening.\n\
                 Dock workers in Eastport ended a three-week strike on Monday after the union accepted a wage deal.\n\
                 The port was founded in 1871 and handles most of the region's grain exports every year.",
            ),
            titled(
                "b",
                "Harbor Herald",
                "Eastport strike over after wage deal",
                "The three-week dock strike in Eastport ended on Monday when workers accepted a wage deal from the port operators.\n\
                 Ships had queued outside the harbor for days while the strike went on.",
            ),
            titled(
                "c",
                "Valley Post",
                "Wage deal ends Eastport dock strike",
                "A wage deal ended the three-week dock strike in Eastport on Monday, and the first ships came in at night.",
            ),
        ];
        let s = summarize(&Corpus::build(&articles), &SummaryOptions::default());
        let lead = &s.sentences[0].text;
        assert!(!lead.starts_with('\u{201C}'), "{lead}");
        assert!(lead.contains("strike") && lead.contains("deal"), "{lead}");
        assert!(!lead.contains("1871"), "{lead}");
    }

    #[test]
    fn a_story_told_over_months_is_told_in_time_order() {
        let dated = |id: &str, date: &str, title: &str, text: &str| Article {
            date: crate::date::Timestamp::parse(date),
            ..titled(id, id, title, text)
        };
        let articles = [
            dated(
                "jun",
                "2031-06-02",
                "Arden bridge reopens after repairs",
                "The Arden bridge over Lake Arden reopened to traffic on June 1 after five months of repairs to its main span.",
            ),
            dated(
                "jan",
                "2031-01-10",
                "Arden bridge closed after cracks found",
                "Engineers closed the Arden bridge over Lake Arden on January 9 after cracks were found in its main span.\n\
                 Drivers now take a ferry across Lake Arden while the bridge is closed.",
            ),
            dated(
                "mar",
                "2031-03-21",
                "Council approves Arden bridge repairs",
                "The city council approved $40 million for repairs to the cracked main span of the Arden bridge on March 20.",
            ),
        ];
        let s = summarize(&Corpus::build(&articles), &SummaryOptions::default());
        let text: Vec<&str> = s.sentences.iter().map(|x| x.text.as_str()).collect();
        let at = |needle: &str| text.iter().position(|t| t.contains(needle));
        // One event's brief would open with the latest report (the reopening); a story months
        // long begins where it began.
        let (closed, reopened) = (at("closed the Arden"), at("reopened"));
        assert!(closed.is_some() && reopened.is_some(), "{text:#?}");
        assert!(closed < reopened, "{text:#?}");
    }

    #[test]
    fn headline_only_articles_still_get_a_brief_and_cut_headlines_are_not_used() {
        let articles = [
            titled(
                "a",
                "A",
                "Sony sells 7 million PlayStation 4 consoles worldwide",
                "",
            ),
            titled(
                "b",
                "B",
                "PlayStation 4 sales pass 7 million units, Sony says",
                "",
            ),
            titled(
                "c",
                "C",
                "Sony's PlayStation 4 passes 7 million sold as Xbox One ...",
                "",
            ),
            titled("d", "D", "Is the PlayStation 4 unstoppable?", ""),
            titled(
                "e",
                "E",
                "WATCH: PlayStation 4 sales pass 7 million units",
                "",
            ),
            titled(
                "f",
                "F",
                "Meet the team behind the PlayStation 4 sales record",
                "",
            ),
            titled("g", "G", "PlayStation 4 sales pass 7 million units!", ""),
            titled(
                "h",
                "H",
                "How Sony sold 7 million PlayStation 4 consoles",
                "",
            ),
        ];
        let s = summarize(&Corpus::build(&articles), &SummaryOptions::default());
        assert!(!s.sentences.is_empty());
        for x in &s.sentences {
            assert!(x.text.ends_with('.'), "{}", x.text);
            assert!(!x.text.contains("..."), "{}", x.text);
            assert!(!x.text.contains('?'), "{}", x.text);
            assert!(!x.text.contains('!'), "{}", x.text);
            assert!(
                !x.text.starts_with("WATCH")
                    && !x.text.starts_with("Meet")
                    && !x.text.starts_with("How"),
                "{}",
                x.text
            );
        }
        // Headlines alone make a short brief, and one retelling the lead is left out.
        assert!(s.words() <= HEADLINE_BRIEF_WORDS, "{}", s.text());
        let sevens = s
            .sentences
            .iter()
            .filter(|x| x.text.contains("7 million"))
            .count();
        assert_eq!(sevens, 1, "{}", s.text());
        assert!(is_teaser("May the fourth be with you!"));
        assert!(!is_teaser("WHO warns of Ebola spread in Guinea"));
        assert!(!is_teaser("Exclusive: Sony sells 7 million consoles"));
    }

    #[test]
    fn repaired_sentences_keep_the_article_text_and_say_what_changed() {
        let articles = [titled(
            "a",
            "Coastal Daily",
            "Eastport harbor reopens",
            "Mayor Dana Whitfield said the harbor deal was a fair compromise for the city and its port.\n\
                 He thanked the dock workers and the operators for returning to the table after three weeks.",
        )];
        let s = summarize(
            &Corpus::build(&articles),
            &SummaryOptions {
                words: 200,
                ..SummaryOptions::default()
            },
        );
        let thanked = s
            .sentences
            .iter()
            .find(|x| x.text.contains("thanked"))
            .expect("chosen");
        assert!(
            thanked.text.starts_with("Whitfield thanked"),
            "{}",
            thanked.text
        );
        assert_eq!(
            thanked.original.as_deref(),
            Some(
                "He thanked the dock workers and the operators for returning to the table after three weeks."
            )
        );
        assert!(
            matches!(thanked.edits[0], Edit::Pronoun { .. }),
            "{:?}",
            thanked.edits
        );
    }
}
