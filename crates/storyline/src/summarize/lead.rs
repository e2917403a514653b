//! The lead: the one sentence that tells a reader what happened.
//!
//! Editors write the news in the headline and the first sentence, so what most outlets'
//! headlines and openings agree on is the news (the inverted pyramid). The lead is the
//! opening sentence of some article (one of its first three) that carries most of that
//! shared content for its length, preferring the latest reports (as of now, not as of the
//! first dispatch), a statement over a quote, and the first sentence over later ones. It is
//! also the event list's teaser and the API's `lead`.

use rustc_hash::FxHashMap;

use super::Weighting;
use super::context::quoted_ranges;
use super::select::Unit;
use crate::corpus::Corpus;

/// Per content term, the share of distinct articles whose headline (counted twice) and first
/// two sentences use it: what the openings agree on.
pub(crate) fn opening_consensus(corpus: &Corpus) -> FxHashMap<u32, f32> {
    let mut votes: FxHashMap<u32, f32> = FxHashMap::default();
    let mut n = 0.0f32;
    for (d, doc) in corpus.docs.iter().enumerate() {
        if doc.copy_of.is_some() {
            continue;
        }
        n += 1.0;
        let mut here: FxHashMap<u32, f32> = FxHashMap::default();
        for t in doc.title_terms.iter().filter(|t| !t.stop) {
            here.insert(t.id, 2.0);
        }
        for s in corpus.doc_sentences(d).iter().take(2) {
            for t in s.content_terms() {
                here.entry(t).or_insert(1.0);
            }
        }
        for (t, v) in here {
            *votes.entry(t).or_insert(0.0) += v;
        }
    }
    if n > 0.0 {
        for v in votes.values_mut() {
            *v /= 2.0 * n;
        }
    }
    votes
}

/// Scores units as leads of one event's brief.
pub(crate) struct Leads<'a> {
    corpus: &'a Corpus,
    w: &'a Weighting,
    consensus: FxHashMap<u32, f32>,
    /// The first and last articles' times (unix seconds).
    first: i64,
    last: i64,
}

impl<'a> Leads<'a> {
    pub(crate) fn new(corpus: &'a Corpus, w: &'a Weighting) -> Self {
        let dates: Vec<i64> = corpus
            .docs
            .iter()
            .filter_map(|d| d.date.map(|t| t.unix_seconds()))
            .collect();
        Leads {
            corpus,
            w,
            consensus: opening_consensus(corpus),
            first: dates.iter().copied().min().unwrap_or(0),
            last: dates.iter().copied().max().unwrap_or(0),
        }
    }

    /// How well a unit states the news the openings agree on, whenever it was reported
    /// (`None`: it cannot open a brief).
    pub(crate) fn score(&self, u: &Unit) -> Option<f32> {
        let (corpus, w) = (self.corpus, self.w);
        if u.pieces.len() != 1 || !u.needs.is_empty() {
            return None;
        }
        let s = &corpus.sentences[u.first()];
        let shortest = if s.headline { 4 } else { 8 };
        if s.position >= w.lead_sentences || u.words < shortest || u.words > 60 {
            return None;
        }
        let text = &u.pieces[0].text;
        if text.starts_with(['"', '\u{201C}', '`', '\'', '\u{2018}']) {
            return None;
        }
        if u.terms.is_empty() {
            return None;
        }
        let agree: f32 = u
            .terms
            .iter()
            .map(|t| self.consensus.get(t).copied().unwrap_or(0.0))
            .sum();
        let mut score = agree / (u.terms.len() as f32).sqrt();
        score *= match s.position {
            0 => 1.0,
            1 => w.lead_second,
            _ => w.lead_second * w.lead_second,
        };
        // A partial quote in reported speech is how leads are written; a sentence that is
        // mostly someone's words is a reaction, not the news.
        let quoted: usize = quoted_ranges(text).iter().map(|r| r.len()).sum();
        if quoted * 2 > text.len() {
            score *= w.lead_quote;
        }
        Some(score)
    }

    /// The best lead within the budget, preferring the latest reports.
    pub(crate) fn choose(&self, units: &[Unit], budget: usize) -> Option<usize> {
        let span = (self.last - self.first).max(1) as f32;
        let mut best: Option<(usize, f32)> = None;
        for (k, u) in units.iter().enumerate() {
            if u.words > budget {
                continue;
            }
            let Some(mut score) = self.score(u) else {
                continue;
            };
            if let Some(t) = self.corpus.docs[self.corpus.sentences[u.first()].doc].date
                && self.last > self.first
            {
                score *= 1.0 + self.w.lead_recency * (t.unix_seconds() - self.first) as f32 / span;
            }
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((k, score));
            }
        }
        best.map(|(k, _)| k)
    }
}
