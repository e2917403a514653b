//! From text to matching terms: tokens, normalized, stemmed, interned.
//!
//! Every stage that compares words (deduplication, clustering, summarization, citations,
//! source comparison) goes through [`Analyzer`], so they agree on what a word is.

use std::ops::Range;

use rustc_hash::FxHashMap;

use crate::stem::porter_stem;
use crate::stopwords::is_stopword;
use crate::token::{TokenKind, normalize, tokenize};

/// Interned id of a stemmed term.
pub type TermId = u32;

/// Interns stemmed terms as small integers.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    ids: FxHashMap<Box<str>, TermId>,
    terms: Vec<Box<str>>,
}

impl Vocabulary {
    /// The id of `term`, adding it if new.
    pub fn intern(&mut self, term: &str) -> TermId {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = TermId::try_from(self.terms.len()).unwrap_or(TermId::MAX);
        self.terms.push(term.into());
        self.ids.insert(term.into(), id);
        id
    }

    /// The id of `term` if it was seen.
    pub fn get(&self, term: &str) -> Option<TermId> {
        self.ids.get(term).copied()
    }

    /// The text of a term id.
    pub fn text(&self, id: TermId) -> &str {
        self.terms.get(id as usize).map_or("", |s| s)
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// No terms yet.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// One word or number of a text, reduced for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Byte range of the original token.
    pub span: Range<usize>,
    /// Word or number.
    pub kind: TokenKind,
    /// Interned stem (`killed` and `kills` share one).
    pub id: TermId,
    /// A function word (`the`, `of`, `didn't`).
    pub stop: bool,
}

/// Turns text into [`Term`]s, remembering the words it has stemmed.
///
/// Holds its own vocabulary: ids from two analyzers are not comparable.
#[derive(Debug, Default, Clone)]
pub struct Analyzer {
    vocab: Vocabulary,
    seen: FxHashMap<Box<str>, (TermId, bool)>,
}

impl Analyzer {
    /// An analyzer with an empty vocabulary.
    pub fn new() -> Self {
        Self::default()
    }

    /// The vocabulary of every term produced so far.
    pub fn vocab(&self) -> &Vocabulary {
        &self.vocab
    }

    /// The words and numbers of `text` (punctuation dropped).
    pub fn terms(&mut self, text: &str) -> Vec<Term> {
        let mut out = Vec::with_capacity(text.len() / 6);
        for tok in tokenize(text) {
            if tok.kind == TokenKind::Punct {
                continue;
            }
            let (id, stop) = self.lookup(&text[tok.span.clone()]);
            out.push(Term {
                span: tok.span,
                kind: tok.kind,
                id,
                stop,
            });
        }
        out
    }

    /// The stem id of one token, and whether it is a function word.
    pub fn lookup(&mut self, token: &str) -> (TermId, bool) {
        if let Some(&hit) = self.seen.get(token) {
            return hit;
        }
        let norm = normalize(token);
        let stop = is_stopword(&norm);
        let stem = stem_for_matching(&norm);
        let id = self.vocab.intern(&stem);
        self.seen.insert(token.into(), (id, stop));
        (id, stop)
    }
}

/// Stems a normalized word as ROUGE does: only words of more than 3 characters.
pub fn stem_for_matching(norm: &str) -> std::borrow::Cow<'_, str> {
    if norm.len() > 3 && norm.bytes().all(|b| b.is_ascii_lowercase()) {
        porter_stem(norm)
    } else {
        std::borrow::Cow::Borrowed(norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_share_a_term() {
        let mut a = Analyzer::new();
        let t = a.terms("Killed, kills; the killing.");
        assert_eq!(t.len(), 4);
        assert_eq!(t[0].id, t[1].id);
        assert_eq!(t[1].id, t[3].id);
        assert!(t[2].stop && !t[0].stop);
        assert_eq!(a.vocab().text(t[0].id), "kill");
    }

    #[test]
    fn possessives_and_acronyms_match_their_base() {
        let mut a = Analyzer::new();
        let t = a.terms("Russia’s envoy met Russia in the U.S.");
        assert_eq!(t[0].id, t[3].id);
        assert_eq!(a.vocab().text(t[6].id), "u.s");
    }
}
