//! The articles of one event, cleaned, split into sentences and analyzed once.
//!
//! A [`Corpus`] is what the later stages read: the summarizer picks its sentences, the
//! aligner finds which articles report the same thing, the source comparison looks for
//! quotes and figures in them. Terms are interned in the corpus' own vocabulary.

use std::ops::Range;

use rustc_hash::FxHashMap;
use serde::Serialize;
use storyline_text::{Analyzer, Mode, Term, TokenKind, detect_mode_of, sentences_in};

use crate::article::Article;
use crate::clean::{CleanArticle, Cleaner, ends_like_sentence, strip_leading_credit};
use crate::date::Timestamp;

/// Index of a document in [`Corpus::docs`].
pub type DocIx = usize;
/// Index of a sentence in [`Corpus::sentences`].
pub type SentIx = usize;

/// One article of the corpus.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The article's id.
    pub id: String,
    /// Index of the outlet in [`Corpus::outlets`].
    pub outlet: usize,
    /// Publication time.
    pub date: Option<Timestamp>,
    /// The cleaned article (headline, dateline, paragraphs, removed residue).
    pub clean: CleanArticle,
    /// Terms of the headline.
    pub title_terms: Vec<Term>,
    /// Its sentences, as a range of [`Corpus::sentences`].
    pub sentences: Range<SentIx>,
    /// The earlier document whose body this one repeats word for word, if any.
    pub copy_of: Option<DocIx>,
}

impl Doc {
    /// The day the article reports from, against which its "today" and "Monday" are read:
    /// the date of its wire dateline when it gives one ("WASHINGTON, October 6 (Xinhua)" in
    /// copy stamped October 7), else its publication day.
    pub fn day(&self) -> Option<chrono::NaiveDate> {
        let published = self.date?.date();
        Some(
            self.clean
                .dateline
                .as_deref()
                .and_then(|d| crate::date::dateline_day(d, published))
                .unwrap_or(published),
        )
    }
}

/// One sentence of a document.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Its document.
    pub doc: DocIx,
    /// Position in the document (0 = first sentence of the body).
    pub position: usize,
    /// Index of its paragraph in the cleaned article.
    pub paragraph: usize,
    /// Byte range of the sentence in its paragraph.
    pub span: std::ops::Range<usize>,
    /// The sentence as written.
    pub text: String,
    /// Its words and numbers, analyzed.
    pub terms: Vec<Term>,
    /// Whitespace-separated words (the unit of length budgets and of ROUGE).
    pub words: usize,
    /// How its article uses capitals (see [`storyline_text::detect_mode`]).
    pub case_mode: Mode,
    /// The terminator that ended the previous sentence of its paragraph (`None` at the
    /// start of a paragraph).
    pub after: Option<char>,
    /// The article has no body: this is its headline, read as its only sentence.
    pub headline: bool,
    /// Its article is a news digest or a wire budget ([`CleanArticle::digest`]).
    pub digest: bool,
}

impl Sentence {
    /// Ids of content terms (not stopwords).
    pub fn content_terms(&self) -> impl Iterator<Item = u32> + '_ {
        self.terms.iter().filter(|t| !t.stop).map(|t| t.id)
    }

    /// Ends with terminal punctuation (not a cut-off fragment).
    pub fn is_complete(&self) -> bool {
        ends_like_sentence(&self.text)
    }
}

/// The analyzed articles of one event.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Documents, in input order.
    pub docs: Vec<Doc>,
    /// Sentences of all documents, document after document.
    pub sentences: Vec<Sentence>,
    /// Distinct outlets.
    pub outlets: Vec<String>,
    /// The analyzer that produced every [`Term`] (its vocabulary gives their text).
    pub analyzer: Analyzer,
}

/// What a document looked like to [`Corpus::build`] (for reports and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CorpusStats {
    /// Documents.
    pub docs: usize,
    /// Sentences.
    pub sentences: usize,
    /// Words.
    pub words: usize,
    /// Distinct outlets.
    pub outlets: usize,
}

impl Corpus {
    /// Cleans and analyzes `articles`. Lines that recur across them are recognized as
    /// templates, so a cluster's own repetition teaches the cleaner.
    pub fn build(articles: &[Article]) -> Corpus {
        let cleaner = Cleaner::for_corpus(articles);
        Self::build_with(articles, &cleaner)
    }

    /// As [`Corpus::build`], with a cleaner that has seen a wider corpus.
    pub fn build_with(articles: &[Article], cleaner: &Cleaner) -> Corpus {
        let mut analyzer = Analyzer::new();
        let mut outlets: Vec<String> = Vec::new();
        let mut outlet_ix: FxHashMap<String, usize> = FxHashMap::default();
        let mut body_seen: FxHashMap<u64, DocIx> = FxHashMap::default();
        let mut docs = Vec::with_capacity(articles.len());
        let mut sents = Vec::new();
        for article in articles {
            let d = docs.len();
            let name = article.outlet().to_string();
            let outlet = *outlet_ix.entry(name.clone()).or_insert_with(|| {
                outlets.push(name);
                outlets.len() - 1
            });
            let clean = cleaner.clean(article);
            let title_terms = analyzer.terms(&clean.title);
            let first = sents.len();
            let mut position = 0;
            let mode = detect_mode_of(clean.paragraphs.iter().map(String::as_str));
            // An article that is a headline and nothing else (a feed's title) is read as
            // that headline, so that headline-only events still have something to say.
            let headline_only = clean.paragraphs.iter().all(|p| p.trim().is_empty())
                && !clean.title.trim().is_empty();
            let headline_body = [clean.title.clone()];
            let paragraphs: &[String] = if headline_only {
                &headline_body
            } else {
                &clean.paragraphs
            };
            for (p, para) in paragraphs.iter().enumerate() {
                let mut after = None;
                for r in sentences_in(para, mode) {
                    let r = if headline_only { 0..para.len() } else { r };
                    let raw = &para[r.clone()];
                    let prev_end = std::mem::replace(&mut after, terminator(raw));
                    let stripped = strip_leading_credit(raw);
                    let span = r.end - stripped.len()..r.end;
                    let text = stripped.to_string();
                    let terms = analyzer.terms(&text);
                    if terms.is_empty() {
                        continue;
                    }
                    let words = text.split_whitespace().count();
                    sents.push(Sentence {
                        doc: d,
                        position,
                        paragraph: p,
                        span,
                        text,
                        terms,
                        words,
                        case_mode: mode,
                        after: prev_end,
                        headline: headline_only,
                        digest: clean.digest,
                    });
                    position += 1;
                    if headline_only {
                        break;
                    }
                }
            }
            let key = body_key(&sents[first..]);
            let copy_of = if sents.len() > first {
                match body_seen.get(&key) {
                    Some(&earlier) => Some(earlier),
                    None => {
                        body_seen.insert(key, d);
                        None
                    }
                }
            } else {
                None
            };
            docs.push(Doc {
                id: article.id.clone(),
                outlet,
                date: article.date,
                clean,
                title_terms,
                sentences: first..sents.len(),
                copy_of,
            });
        }
        Corpus {
            docs,
            sentences: sents,
            outlets,
            analyzer,
        }
    }

    /// Sizes, for reports.
    pub fn stats(&self) -> CorpusStats {
        CorpusStats {
            docs: self.docs.len(),
            sentences: self.sentences.len(),
            words: self.sentences.iter().map(|s| s.words).sum(),
            outlets: self.outlets.len(),
        }
    }

    /// The sentences of one document.
    pub fn doc_sentences(&self, d: DocIx) -> &[Sentence] {
        &self.sentences[self.docs[d].sentences.clone()]
    }

    /// Documents that are not word-for-word copies of an earlier one.
    pub fn distinct_docs(&self) -> usize {
        self.docs.iter().filter(|d| d.copy_of.is_none()).count()
    }

    /// The text of a term id.
    pub fn term_text(&self, id: u32) -> &str {
        self.analyzer.vocab().text(id)
    }
}

/// The last `.`, `!` or `?` of a sentence, looking past closing quotes and brackets.
fn terminator(sentence: &str) -> Option<char> {
    sentence
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '\'' | '\u{201D}' | '\u{2019}' | ')' | ']')
        })
        .chars()
        .next_back()
        .filter(|c| matches!(c, '.' | '!' | '?' | '\u{2026}'))
}

/// Identifies a body by its sequence of terms (case, punctuation and spacing ignored).
fn body_key(sents: &[Sentence]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    for s in sents {
        for t in &s.terms {
            t.id.hash(&mut h);
        }
    }
    h.finish()
}

/// Is the term a word (not a number)?
pub fn is_word(t: &Term) -> bool {
    t.kind == TokenKind::Word
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, source: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            title: format!("Headline {id}"),
            text: text.into(),
            source: Some(source.into()),
            url: None,
            date: None,
        }
    }

    #[test]
    fn sentences_keep_their_document_and_position() {
        let c = Corpus::build(&[
            article(
                "a",
                "Daily",
                "The port reopened on Monday. Ships came back.\nThe union agreed.",
            ),
            article("b", "Herald", "Ships came back to the port."),
        ]);
        assert_eq!(c.sentences.len(), 4);
        assert_eq!(
            c.doc_sentences(0)
                .iter()
                .map(|s| s.position)
                .collect::<Vec<_>>(),
            [0, 1, 2]
        );
        assert_eq!(c.doc_sentences(0)[2].paragraph, 1);
        assert_eq!(c.sentences[3].doc, 1);
        assert_eq!(c.stats().outlets, 2);
    }

    #[test]
    fn word_for_word_copies_are_marked() {
        let body = "The port reopened on Monday after a strike.";
        let c = Corpus::build(&[
            article("a", "Daily", body),
            article(
                "b",
                "Herald",
                "THE PORT REOPENED on Monday, after a strike...",
            ),
            article("c", "Post", "Something else happened."),
        ]);
        assert_eq!(c.docs[1].copy_of, Some(0));
        assert_eq!(c.docs[2].copy_of, None);
        assert_eq!(c.distinct_docs(), 2);
    }
}
