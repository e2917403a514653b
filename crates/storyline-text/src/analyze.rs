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

/// A term identified by a stable 64-bit hash of its stem (FxHash: the same in every
/// process and run), for streams where an interned vocabulary would grow without bound or
/// differ between threads.
pub type TermHash = u64;

/// One word or number of a text as a hashed term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashedTerm {
    /// Hash of the stem.
    pub hash: TermHash,
    /// Word or number.
    pub kind: TokenKind,
    /// A function word.
    pub stop: bool,
}

/// The stable hash of a stem.
pub fn term_hash(stem: &str) -> TermHash {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    stem.hash(&mut h);
    h.finish()
}

/// Turns text into [`HashedTerm`]s with a bounded cache of the tokens it has stemmed: the
/// analyzer of long streams. Memory stays under `capacity` cached tokens (the cache is
/// emptied when full; stemming is deterministic, so results never change).
#[derive(Debug, Clone)]
pub struct HashingAnalyzer {
    seen: FxHashMap<Box<str>, (TermHash, bool)>,
    capacity: usize,
}

impl Default for HashingAnalyzer {
    fn default() -> Self {
        Self::with_capacity(200_000)
    }
}

impl HashingAnalyzer {
    /// An analyzer caching at most `capacity` distinct tokens.
    pub fn with_capacity(capacity: usize) -> Self {
        HashingAnalyzer {
            seen: FxHashMap::default(),
            capacity: capacity.max(1),
        }
    }

    /// The words and numbers of `text` (punctuation dropped), appended to `out`.
    pub fn terms_into(&mut self, text: &str, out: &mut Vec<HashedTerm>) {
        for tok in tokenize(text) {
            if tok.kind == TokenKind::Punct {
                continue;
            }
            let (hash, stop) = self.lookup(&text[tok.span.clone()]);
            out.push(HashedTerm {
                hash,
                kind: tok.kind,
                stop,
            });
        }
    }

    /// The hash and stopword flag of one token.
    pub fn lookup(&mut self, token: &str) -> (TermHash, bool) {
        if let Some(&hit) = self.seen.get(token) {
            return hit;
        }
        if self.seen.len() >= self.capacity {
            self.seen.clear();
        }
        let norm = normalize(token);
        let hit = (term_hash(&stem_for_matching(&norm)), is_stopword(&norm));
        self.seen.insert(token.into(), hit);
        hit
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
    fn hashed_terms_agree_with_interned_ones_and_the_cache_stays_bounded() {
        let mut interned = Analyzer::new();
        let mut hashed = HashingAnalyzer::with_capacity(3);
        let text = "Killed, kills; the killing of Russia’s envoy in Russia.";
        let a = interned.terms(text);
        let mut b = Vec::new();
        hashed.terms_into(text, &mut b);
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(term_hash(interned.vocab().text(x.id)), y.hash);
            assert_eq!(x.stop, y.stop);
        }
        assert!(hashed.seen.len() <= 3);
    }

    #[test]
    fn possessives_and_acronyms_match_their_base() {
        let mut a = Analyzer::new();
        let t = a.terms("Russia’s envoy met Russia in the U.S.");
        assert_eq!(t[0].id, t[3].id);
        assert_eq!(a.vocab().text(t[6].id), "u.s");
    }
}
