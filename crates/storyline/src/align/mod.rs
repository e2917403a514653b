//! Which articles report the same thing: sentence alignment across documents.
//!
//! A sentence *supports* another when it carries most of the other's content: the
//! idf-weighted share of the other's content words (stems, numbers included) that it
//! contains. This asymmetric coverage is what a citation needs ("this outlet reports what
//! the summary says"), where a symmetric similarity would punish a longer, richer sentence.
//! Two adjacent sentences of one article may together cover a sentence that one outlet
//! wrote as a single sentence.
//!
//! Candidates come from an inverted index of content terms, so the cost of a query grows
//! with the number of sentences sharing its words, not with the corpus.

pub mod claim;

use rustc_hash::FxHashMap;

use crate::corpus::{Corpus, DocIx, SentIx};

/// Share of a sentence's content (idf-weighted) that another must carry to support it.
pub const SUPPORT_COVERAGE: f32 = 0.5;
/// Share of the supporting sentence's own content (idf-weighted) that must be about the
/// supported one: a long sentence on another matter that happens to name the same people
/// does not support it.
pub const SUPPORT_FOCUS: f32 = 0.25;
/// Coverage two adjacent sentences must reach together to support a sentence.
pub const PAIR_COVERAGE: f32 = 0.6;
/// Fewest content words two sentences must share for one to support the other.
pub const SUPPORT_MIN_SHARED: usize = 3;

/// The best support one document gives a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Support {
    /// The supporting document.
    pub doc: DocIx,
    /// The supporting sentence (the first of two when a pair of adjacent sentences does).
    pub sentence: SentIx,
    /// How many sentences carry the support: 1, or 2 for an adjacent pair.
    pub span: usize,
    /// Coverage of the supported sentence's content, 0..1.
    pub coverage: f32,
}

/// Sentence-level alignment over one corpus.
#[derive(Debug, Clone)]
pub struct Aligner<'c> {
    corpus: &'c Corpus,
    /// Idf by term id (ids are dense); 1 for a term no sentence holds as content.
    idf: Vec<f32>,
    /// Distinct content terms of each sentence, sorted.
    terms: Vec<Vec<u32>>,
    /// Total idf weight of each sentence's content terms.
    mass: Vec<f32>,
    postings: FxHashMap<u32, Vec<SentIx>>,
}

impl<'c> Aligner<'c> {
    /// Indexes the content terms of every sentence.
    pub fn new(corpus: &'c Corpus) -> Self {
        let mut terms = Vec::with_capacity(corpus.sentences.len());
        let mut postings: FxHashMap<u32, Vec<SentIx>> = FxHashMap::default();
        for (i, s) in corpus.sentences.iter().enumerate() {
            let mut t: Vec<u32> = s.content_terms().collect();
            t.sort_unstable();
            t.dedup();
            for &id in &t {
                postings.entry(id).or_default().push(i);
            }
            terms.push(t);
        }
        let n = corpus.sentences.len().max(1) as f32;
        let ids = postings
            .keys()
            .map(|&id| id as usize + 1)
            .max()
            .unwrap_or(0);
        let mut idf = vec![1.0f32; ids];
        for (&id, p) in &postings {
            idf[id as usize] = (1.0 + n / p.len() as f32).ln();
        }
        let mass = terms
            .iter()
            .map(|t| t.iter().map(|&id| idf[id as usize]).sum())
            .collect();
        Aligner {
            corpus,
            mass,
            idf,
            terms,
            postings,
        }
    }

    /// The corpus it aligns.
    pub fn corpus(&self) -> &'c Corpus {
        self.corpus
    }

    /// The sentences that hold a content term.
    pub fn postings(&self, term: u32) -> &[SentIx] {
        self.postings.get(&term).map_or(&[], Vec::as_slice)
    }

    /// For every document, the share of sentence `s`'s content (idf-weighted) that it holds
    /// anywhere in its sentences, read from the postings.
    pub fn doc_coverage(&self, s: SentIx) -> Vec<f32> {
        let mut held = vec![0.0f32; self.corpus.docs.len()];
        let total: f32 = self.terms[s].iter().map(|&t| self.idf(t)).sum();
        if total == 0.0 {
            return held;
        }
        for &t in &self.terms[s] {
            let idf = self.idf(t);
            // Postings are in sentence order, so a document's sentences are adjacent.
            let mut last = usize::MAX;
            for &c in self.postings(t) {
                let d = self.corpus.sentences[c].doc;
                if d != last {
                    held[d] += idf;
                    last = d;
                }
            }
        }
        held.iter_mut().for_each(|h| *h /= total);
        held
    }

    /// Inverse sentence frequency of a term (rare terms weigh more).
    pub fn idf(&self, term: u32) -> f32 {
        self.idf.get(term as usize).copied().unwrap_or(1.0)
    }

    /// The distinct content terms of a sentence.
    pub fn terms(&self, s: SentIx) -> &[u32] {
        &self.terms[s]
    }

    /// How much of `a`'s content `b` carries (idf-weighted), and how many terms they share.
    pub fn coverage(&self, a: SentIx, b: &[u32]) -> (f32, usize) {
        let (total, alone, _, shared) = self.covered(a, b, &[]);
        if total == 0.0 {
            return (0.0, 0);
        }
        (alone / total, shared)
    }

    /// How much of `a`'s content the sorted terms `b` carry, and how much `b` and `c`
    /// carry together (a passage of two sentences), in one walk and without building the
    /// union.
    pub fn pair_coverage(&self, a: SentIx, b: &[u32], c: &[u32]) -> (f32, f32) {
        let (total, alone, together, _) = self.covered(a, b, c);
        if total == 0.0 {
            return (0.0, 0.0);
        }
        (alone / total, together / total)
    }

    /// `a`'s total weight, the weight of its terms in `b`, the weight of those in `b` or
    /// `c`, and how many are in `b`. `a`'s terms are walked in order, so every weight is
    /// summed in the same order, whichever list holds a term.
    fn covered(&self, a: SentIx, b: &[u32], c: &[u32]) -> (f32, f32, f32, usize) {
        // The sentence's own mass: the same sum, in the same order, as adding its terms here.
        let total = self.mass[a];
        let (mut alone, mut together, mut shared) = (0.0, 0.0, 0);
        let (mut j, mut k) = (0, 0);
        for &t in &self.terms[a] {
            while j < b.len() && b[j] < t {
                j += 1;
            }
            while k < c.len() && c[k] < t {
                k += 1;
            }
            let in_b = b.get(j) == Some(&t);
            if in_b {
                shared += 1;
                alone += self.idf[t as usize];
            }
            if in_b || c.get(k) == Some(&t) {
                together += self.idf[t as usize];
            }
        }
        (total, alone, together, shared)
    }

    /// The sentences of other documents that may cover at least `min_coverage` of sentence
    /// `s`'s content, alone or with the sentence after them: those holding one of its rarest
    /// terms whose weights together exceed the rest (so that the others cannot reach the
    /// share), and each one's successor. Sorted, distinct.
    pub fn candidates(&self, s: SentIx, min_coverage: f32) -> Vec<SentIx> {
        let own_doc = self.corpus.sentences[s].doc;
        let mut query: Vec<(u32, f32)> = self.terms[s].iter().map(|&t| (t, self.idf(t))).collect();
        query.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let total: f32 = query.iter().map(|q| q.1).sum();
        let rest = (1.0 - min_coverage) * total;
        let (mut prefix, mut mass) = (0, 0.0);
        while prefix < query.len() && mass <= rest {
            mass += query[prefix].1;
            prefix += 1;
        }
        let n = self.corpus.sentences.len();
        let mut out = Vec::new();
        for &(t, _) in &query[..prefix] {
            for &c in self.postings(t) {
                for x in [c.wrapping_sub(1), c] {
                    if x < n && self.corpus.sentences[x].doc != own_doc {
                        out.push(x);
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// For every other document, its best support of sentence `s` if it passes the
    /// thresholds; sorted by document.
    pub fn supporters(&self, s: SentIx) -> Vec<Support> {
        let own_doc = self.corpus.sentences[s].doc;
        // The query's terms, most informative first; a bit per term (up to 64: the rest
        // weigh in the total but cannot be matched, which only makes support stricter).
        let mut query: Vec<(u32, f32)> = self.terms[s].iter().map(|&t| (t, self.idf(t))).collect();
        query.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let total: f32 = query.iter().map(|q| q.1).sum();
        if total == 0.0 {
            return Vec::new();
        }
        query.truncate(64);
        let needed = SUPPORT_MIN_SHARED.min(self.terms[s].len()).max(1) as u32;
        // Candidates: a supporter (or a supporting pair) carries at least half the query's
        // weight, so it holds one of the rarest terms whose weight together exceeds the other
        // half. Only those terms' postings are walked (they are the shortest), plus each
        // candidate's neighbours for pairs; which query terms a candidate holds is then
        // read from its own sorted terms. Exact: the same supporters as walking every term.
        let mut prefix = 0;
        let mut mass = 0.0;
        let rest = (1.0 - SUPPORT_COVERAGE.min(PAIR_COVERAGE)) * total;
        while prefix < query.len() && mass <= rest {
            mass += query[prefix].1;
            prefix += 1;
        }
        let n = self.corpus.sentences.len();
        let mut masks: FxHashMap<SentIx, u64> = FxHashMap::default();
        for &(t, _) in &query[..prefix] {
            for &c in self.postings.get(&t).map_or(&[][..], Vec::as_slice) {
                for x in [c.wrapping_sub(1), c, c + 1] {
                    if x < n && self.corpus.sentences[x].doc != own_doc && !masks.contains_key(&x) {
                        let terms = &self.terms[x];
                        let m = query
                            .iter()
                            .enumerate()
                            .filter(|(_, q)| terms.binary_search(&q.0).is_ok())
                            .fold(0u64, |m, (bit, _)| m | (1 << bit));
                        if m != 0 {
                            masks.insert(x, m);
                        }
                    }
                }
            }
        }
        let weight = |m: u64| -> f32 {
            query
                .iter()
                .enumerate()
                .filter(|(k, _)| m & (1 << k) != 0)
                .map(|(_, q)| q.1)
                .sum()
        };
        let mut best: FxHashMap<DocIx, Support> = FxHashMap::default();
        let mut consider = |sup: Support| {
            best.entry(sup.doc)
                .and_modify(|b| {
                    if sup.coverage > b.coverage + 1e-6 {
                        *b = sup;
                    }
                })
                .or_insert(sup);
        };
        for (&c, &m) in &masks {
            let doc = self.corpus.sentences[c].doc;
            let shared = weight(m);
            let cov = shared / total;
            let focus = shared / self.mass[c].max(1e-6);
            if cov >= SUPPORT_COVERAGE && focus >= SUPPORT_FOCUS && m.count_ones() >= needed {
                consider(Support {
                    doc,
                    sentence: c,
                    span: 1,
                    coverage: cov,
                });
            }
            // The pair (c, c+1) of one document: both sentences must contribute, and together
            // they must carry more than a single sentence has to.
            let next = c + 1;
            if next < self.corpus.sentences.len()
                && self.corpus.sentences[next].doc == doc
                && let Some(&m_next) = masks.get(&next)
            {
                let both = m | m_next;
                let shared2 = weight(both);
                let cov2 = shared2 / total;
                let focus2 = shared2 / (self.mass[c] + self.mass[next]).max(1e-6);
                let each = (m & !m_next).count_ones() >= 2 && (m_next & !m).count_ones() >= 2;
                if cov2 >= PAIR_COVERAGE
                    && focus2 >= SUPPORT_FOCUS
                    && each
                    && both.count_ones() >= needed
                {
                    consider(Support {
                        doc,
                        sentence: c,
                        span: 2,
                        coverage: cov2 * 0.95,
                    });
                }
            }
        }
        let mut out: Vec<Support> = best.into_values().collect();
        out.sort_by_key(|s| s.doc);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn article(id: &str, text: &str) -> Article {
        Article {
            id: id.into(),
            title: String::new(),
            text: text.into(),
            source: Some(id.into()),
            url: None,
            date: None,
        }
    }

    #[test]
    fn paraphrases_support_and_unrelated_sentences_do_not() {
        let c = Corpus::build(&[
            article(
                "a",
                "The council voted to reopen the harbor on Monday after a three-week strike.",
            ),
            article(
                "b",
                "On Monday the harbor council voted to reopen after the strike.",
            ),
            article("c", "Fishing boats stayed at sea because of the storm."),
            article(
                "d",
                "The strike ended. On Monday the council voted to reopen the harbor.",
            ),
        ]);
        let a = Aligner::new(&c);
        let sup = a.supporters(0);
        let docs: Vec<DocIx> = sup.iter().map(|s| s.doc).collect();
        assert_eq!(docs, [1, 3]);
        assert!(sup.iter().all(|s| s.coverage >= SUPPORT_COVERAGE));
    }
}
