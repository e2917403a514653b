//! Which sentences a brief holds: budgeted concept coverage over readable candidates.
//!
//! Concepts are stemmed bigrams (not both stopwords) weighted by the number of distinct
//! articles that report them (double where an article has them in its headline or lead);
//! Gillick & Favre (2009), "A Scalable Global Model for Summarization". The budgeted maximum
//! coverage problem is solved with the cost-scaled greedy of Khuller, Moss & Naor (1999) as
//! used by Lin & Bilmes (2010), then improved by swap local search, instead of an ILP
//! solver: near-optimal here, in well under a millisecond.
//!
//! A candidate ([`Unit`]) is a sentence as the brief would print it (see
//! [`super::context`]), or a sentence that leans on its predecessor together with that
//! predecessor. A candidate that refers back ("the statement") may only be chosen once the
//! brief says what it refers to.

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use storyline_text::TokenKind;

use super::context::{self, Dangling, Edit, People};
use super::{SummaryOptions, Weighting, leans_on_previous, readable};
use crate::corpus::{Corpus, SentIx, Sentence};

/// One sentence of a candidate, as it would be printed.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub sentence: SentIx,
    pub text: String,
    pub edits: Vec<Edit>,
}

/// A candidate: one sentence, or a sentence with the one it leans on.
#[derive(Debug, Clone)]
pub(crate) struct Unit {
    pub pieces: Vec<Piece>,
    pub words: usize,
    /// Dense concept ids, sorted, distinct.
    pub concepts: Vec<u32>,
    /// Content term ids, sorted, distinct (what the unit tells a reader).
    pub terms: Vec<u32>,
    /// Term ids the brief must hold before this unit can be read (`u32::MAX`: a word the
    /// corpus never uses, so never satisfied).
    pub needs: Vec<u32>,
    /// People the unit names in full.
    pub people: Vec<String>,
    /// Prior value of the unit itself (relevance), added to the objective when chosen.
    pub bonus: f32,
}

impl Unit {
    pub fn first(&self) -> SentIx {
        self.pieces[0].sentence
    }
}

/// The concepts of a sentence: stemmed bigrams of consecutive terms, not both stopwords.
pub(crate) fn concepts(s: &Sentence) -> impl Iterator<Item = u64> + '_ {
    s.terms
        .windows(2)
        .filter(|w| !(w[0].stop && w[1].stop))
        .map(|w| (u64::from(w[0].id) << 32) | u64::from(w[1].id))
}

/// Concept weights: one vote per distinct article (1 + `lead_boost` where the article has
/// the concept in its headline or lead), concepts below the document-frequency threshold
/// scaled by `rare_weight`. Returns the dense index of each kept concept and its weight.
pub(crate) fn concept_weights(corpus: &Corpus, w: &Weighting) -> (FxHashMap<u64, u32>, Vec<f32>) {
    let lead_vote = 1.0 + w.lead_boost;
    let mut votes: FxHashMap<u64, (f32, u32)> = FxHashMap::default();
    for (d, doc) in corpus.docs.iter().enumerate() {
        if doc.copy_of.is_some() {
            continue;
        }
        let mut in_doc: FxHashMap<u64, f32> = FxHashMap::default();
        for p in doc
            .title_terms
            .windows(2)
            .filter(|p| !(p[0].stop && p[1].stop))
        {
            in_doc.insert((u64::from(p[0].id) << 32) | u64::from(p[1].id), lead_vote);
        }
        for s in corpus.doc_sentences(d) {
            let vote = if s.position < w.lead_sentences {
                lead_vote
            } else {
                1.0
            };
            for b in concepts(s) {
                let v = in_doc.entry(b).or_insert(vote);
                *v = v.max(vote);
            }
        }
        for (b, v) in in_doc {
            let e = votes.entry(b).or_insert((0.0, 0));
            e.0 += v;
            e.1 += 1;
        }
    }
    let distinct = corpus.distinct_docs();
    let min_df = if distinct <= w.min_df_floor {
        1
    } else {
        ((w.min_df_share * distinct as f32).round() as usize).max(w.min_df_floor)
    } as u32;
    let mut dense = FxHashMap::default();
    let mut weights = Vec::new();
    for (b, (v, df)) in votes {
        let weight = if df >= min_df { v } else { v * w.rare_weight };
        if weight > 0.0 {
            dense.insert(b, weights.len() as u32);
            weights.push(weight);
        }
    }
    (dense, weights)
}

/// The term id of a lowercased word as the corpus' analyzer would stem it.
fn term_of(corpus: &Corpus, word: &str) -> u32 {
    let stem = storyline_text::stem::porter_stem(word);
    corpus.analyzer.vocab().get(&stem).unwrap_or(u32::MAX)
}

/// The readable candidates (sentences as the brief would print them, or a leaning sentence
/// with its predecessor), each with its concepts and its relevance prior.
pub(crate) fn candidate_units(
    corpus: &Corpus,
    people: &People,
    opt: &SummaryOptions,
    dense: &FxHashMap<u64, u32>,
    weights: &[f32],
) -> Vec<Unit> {
    let ok: Vec<bool> = corpus.sentences.iter().map(|s| readable(s, opt)).collect();
    let mut units: Vec<Unit> = Vec::new();
    let mut seen_text: FxHashSet<String> = FxHashSet::default();
    let mut readings: FxHashMap<SentIx, Result<context::Reading, Dangling>> = FxHashMap::default();
    let mut reading = |i: SentIx| {
        readings
            .entry(i)
            .or_insert_with(|| context::read(corpus, people, i))
            .clone()
    };
    for (i, s) in corpus.sentences.iter().enumerate() {
        if !ok[i]
            || corpus.docs[s.doc].copy_of.is_some()
            || !seen_text.insert(s.text.to_lowercase())
        {
            continue;
        }
        let read = reading(i);
        // (pieces, needs, people, byte ranges of the first piece trimmed away)
        let mut variants: Vec<(Vec<Piece>, Vec<String>, Vec<String>, Vec<Range<usize>>)> =
            Vec::new();
        match read {
            Ok(r) => {
                if let Some(c) = &r.compressed {
                    variants.push((
                        vec![Piece {
                            sentence: i,
                            text: c.text.clone(),
                            edits: c.edits.clone(),
                        }],
                        r.needs.clone(),
                        r.people.clone(),
                        c.removed.clone(),
                    ));
                }
                variants.push((
                    vec![Piece {
                        sentence: i,
                        text: r.text,
                        edits: r.edits,
                    }],
                    r.needs,
                    r.people,
                    Vec::new(),
                ));
            }
            Err(Dangling::Pronoun | Dangling::Speaker)
                if leans_on_previous(s) || s.position > 0 =>
            {
                // Together with the sentence before it, which names what it leans on.
                let prev = i.wrapping_sub(1);
                if s.position == 0 || !ok[prev] || leans_on_previous(&corpus.sentences[prev]) {
                    continue;
                }
                let Ok(p) = reading(prev) else {
                    continue;
                };
                let Ok(second) = context::read_after_previous(corpus, people, i) else {
                    continue;
                };
                let pieces = vec![
                    Piece {
                        sentence: prev,
                        text: p.text,
                        edits: p.edits,
                    },
                    Piece {
                        sentence: i,
                        text: second.text,
                        edits: second.edits,
                    },
                ];
                variants.push((pieces, p.needs, p.people, Vec::new()));
            }
            Err(_) => continue,
        }
        for (pieces, needs, named, removed) in variants {
            let words: usize = pieces
                .iter()
                .map(|p| p.text.split_whitespace().count())
                .sum();
            if words > opt.words {
                continue;
            }
            // Terms and concepts of what is printed: a trimmed clause's words are gone.
            let kept = |k: usize, t: &storyline_text::Term| {
                k > 0
                    || !removed
                        .iter()
                        .any(|r| r.start < t.span.end && t.span.start < r.end)
            };
            let mut concepts: Vec<u32> = Vec::new();
            let mut terms: Vec<u32> = Vec::new();
            for (k, p) in pieces.iter().enumerate() {
                let sent = &corpus.sentences[p.sentence];
                for w in sent.terms.windows(2) {
                    if !(w[0].stop && w[1].stop)
                        && kept(k, &w[0])
                        && kept(k, &w[1])
                        && let Some(&c) =
                            dense.get(&((u64::from(w[0].id) << 32) | u64::from(w[1].id)))
                    {
                        concepts.push(c);
                    }
                }
                terms.extend(
                    sent.terms
                        .iter()
                        .filter(|t| !t.stop && kept(k, t))
                        .map(|t| t.id),
                );
            }
            concepts.sort_unstable();
            concepts.dedup();
            terms.sort_unstable();
            terms.dedup();
            let needs = needs.iter().map(|w| term_of(corpus, w)).collect();
            units.push(Unit {
                pieces,
                words,
                concepts,
                terms,
                needs,
                people: named,
                bonus: 0.0,
            });
        }
    }
    add_relevance(corpus, opt.weighting.centrality_bonus, weights, &mut units);
    units
}

/// The relevance prior of Lin & Bilmes (2011), in a cheap form: a unit gains
/// `centrality_bonus` times a typical unit's value per word, times its words, times the mean
/// share of articles that use its content words.
fn add_relevance(corpus: &Corpus, centrality_bonus: f32, weights: &[f32], units: &mut [Unit]) {
    if centrality_bonus <= 0.0 || units.is_empty() {
        return;
    }
    let mut term_docs: FxHashMap<u32, u32> = FxHashMap::default();
    for (d, doc) in corpus.docs.iter().enumerate() {
        if doc.copy_of.is_some() {
            continue;
        }
        let mut seen: Vec<u32> = corpus
            .doc_sentences(d)
            .iter()
            .flat_map(|s| s.content_terms())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for t in seen {
            *term_docs.entry(t).or_insert(0) += 1;
        }
    }
    let distinct = corpus.distinct_docs().max(1) as f32;
    let n = units.len() as f32;
    let mean_value = units
        .iter()
        .map(|u| u.concepts.iter().map(|&c| weights[c as usize]).sum::<f32>())
        .sum::<f32>()
        / n;
    let mean_words = units.iter().map(|u| u.words as f32).sum::<f32>() / n;
    for u in units {
        let terms: Vec<u32> = u
            .pieces
            .iter()
            .flat_map(|p| corpus.sentences[p.sentence].content_terms())
            .collect();
        if terms.is_empty() {
            continue;
        }
        let share = terms
            .iter()
            .map(|t| term_docs.get(t).copied().unwrap_or(0) as f32)
            .sum::<f32>()
            / (terms.len() as f32 * distinct);
        u.bonus = centrality_bonus * mean_value * share * u.words as f32 / mean_words;
    }
}

/// When no sentence qualifies (tiny or odd input), take whole sentences in document order
/// from the longest complete ones that fit, so that something readable is still returned.
pub(crate) fn fallback(corpus: &Corpus, opt: &SummaryOptions) -> Vec<Unit> {
    let mut budget = opt.words;
    let mut out = Vec::new();
    let mut seen = FxHashSet::default();
    for (i, s) in corpus.sentences.iter().enumerate() {
        if s.words <= budget
            && s.words >= 3
            && s.terms.iter().any(|t| t.kind == TokenKind::Word)
            && seen.insert(s.text.to_lowercase())
        {
            out.push(Unit {
                pieces: vec![Piece {
                    sentence: i,
                    text: s.text.clone(),
                    edits: Vec::new(),
                }],
                words: s.words,
                concepts: Vec::new(),
                terms: Vec::new(),
                needs: Vec::new(),
                people: Vec::new(),
                bonus: 0.0,
            });
            budget -= s.words;
        }
    }
    out
}

/// Budgeted maximum coverage over units.
pub(crate) struct Selection<'a> {
    units: &'a [Unit],
    weights: &'a [f32],
    budget: usize,
    cost_exponent: f32,
    /// How many chosen units hold each concept.
    count: Vec<u32>,
    chosen: Vec<usize>,
    /// A unit that stays whatever the search does (the lead).
    fixed: Option<usize>,
    used: usize,
    /// Units overlapping (sharing a sentence) with a chosen unit cannot be chosen.
    blocked_sentences: FxHashMap<SentIx, u32>,
    /// How many chosen units hold each term (for the units that refer back).
    told: FxHashMap<u32, u32>,
    /// Says whether a unit only repeats what chosen units already say.
    repeats: Option<&'a dyn Fn(usize, &[usize]) -> bool>,
    /// Units found to repeat the brief.
    repeated: Vec<bool>,
}

impl<'a> Selection<'a> {
    pub fn new(
        units: &'a [Unit],
        weights: &'a [f32],
        budget: usize,
        cost_exponent: f32,
        fixed: Option<usize>,
    ) -> Self {
        let mut s = Selection {
            units,
            weights,
            budget,
            cost_exponent,
            count: vec![0; weights.len()],
            chosen: Vec::new(),
            fixed,
            used: 0,
            blocked_sentences: FxHashMap::default(),
            told: FxHashMap::default(),
            repeats: None,
            repeated: vec![false; units.len()],
        };
        if let Some(f) = fixed
            && units[f].words <= budget
        {
            s.add(f);
        }
        s
    }

    /// Leaves out units that only say again, in other words, what the brief already says
    /// (`repeats(unit, chosen)`): concept coverage sees words, not paraphrases.
    pub fn without_repeats(mut self, repeats: &'a dyn Fn(usize, &[usize]) -> bool) -> Self {
        self.repeats = Some(repeats);
        self
    }

    /// Does `u` repeat the chosen units? Remembered once found.
    fn repeats(&mut self, u: usize) -> bool {
        if self.repeated[u] {
            return true;
        }
        let r = self.repeats.is_some_and(|f| f(u, &self.chosen));
        self.repeated[u] = r;
        r
    }

    fn gain(&self, u: usize) -> f32 {
        self.units[u]
            .concepts
            .iter()
            .filter(|&&c| self.count[c as usize] == 0)
            .map(|&c| self.weights[c as usize])
            .sum()
    }

    fn loss(&self, u: usize) -> f32 {
        self.units[u]
            .concepts
            .iter()
            .filter(|&&c| self.count[c as usize] == 1)
            .map(|&c| self.weights[c as usize])
            .sum()
    }

    /// Can `u` be added: no shared sentence, and what it refers back to already told.
    fn feasible(&self, u: usize) -> bool {
        let unit = &self.units[u];
        !unit.pieces.iter().any(|p| {
            self.blocked_sentences
                .get(&p.sentence)
                .is_some_and(|&n| n > 0)
        }) && unit
            .needs
            .iter()
            .all(|t| self.told.get(t).is_some_and(|&n| n > 0))
    }

    /// Does every chosen unit still have what it refers back to (after a removal), told by
    /// another unit? A unit's own words do not tell what it refers back to ("The statement"
    /// does not introduce the statement).
    fn consistent(&self) -> bool {
        self.chosen.iter().all(|&c| {
            let unit = &self.units[c];
            unit.needs.iter().all(|t| {
                let own = u32::from(unit.terms.binary_search(t).is_ok());
                self.told.get(t).is_some_and(|&n| n > own)
            })
        })
    }

    fn add(&mut self, u: usize) {
        for &c in &self.units[u].concepts {
            self.count[c as usize] += 1;
        }
        for p in &self.units[u].pieces {
            *self.blocked_sentences.entry(p.sentence).or_insert(0) += 1;
        }
        for &t in &self.units[u].terms {
            *self.told.entry(t).or_insert(0) += 1;
        }
        self.used += self.units[u].words;
        self.chosen.push(u);
    }

    fn remove(&mut self, u: usize) {
        for &c in &self.units[u].concepts {
            self.count[c as usize] -= 1;
        }
        for p in &self.units[u].pieces {
            if let Some(n) = self.blocked_sentences.get_mut(&p.sentence) {
                *n -= 1;
            }
        }
        for &t in &self.units[u].terms {
            if let Some(n) = self.told.get_mut(&t) {
                *n -= 1;
            }
        }
        self.used -= self.units[u].words;
        self.chosen.retain(|&x| x != u);
    }

    fn value(&self) -> f32 {
        self.count
            .iter()
            .zip(self.weights)
            .filter(|(n, _)| **n > 0)
            .map(|(_, w)| w)
            .sum()
    }

    pub fn solve(mut self) -> Vec<usize> {
        self.greedy();
        let greedy_value = self.value();
        // Khuller et al.: also consider the best single unit (when no lead is fixed).
        if self.fixed.is_none()
            && let Some(best) = (0..self.units.len())
                .filter(|&u| self.units[u].needs.is_empty())
                .max_by(|&a, &b| {
                    let (ga, gb) = (self.full(a), self.full(b));
                    ga.total_cmp(&gb).then(b.cmp(&a))
                })
            && self.full(best) > greedy_value
        {
            for u in self.chosen.clone() {
                self.remove(u);
            }
            self.add(best);
            self.greedy();
        }
        self.local_search();
        self.chosen
    }

    fn full(&self, u: usize) -> f32 {
        self.units[u]
            .concepts
            .iter()
            .map(|&c| self.weights[c as usize])
            .sum()
    }

    fn greedy(&mut self) {
        loop {
            let mut best: Option<(usize, f32)> = None;
            for u in 0..self.units.len() {
                if self.used + self.units[u].words > self.budget
                    || self.chosen.contains(&u)
                    || self.repeated[u]
                    || !self.feasible(u)
                {
                    continue;
                }
                let g = self.gain(u);
                if g <= 0.0 {
                    continue;
                }
                let score = (g + self.units[u].bonus)
                    / (self.units[u].words as f32).powf(self.cost_exponent);
                if best.is_none_or(|(_, s)| score > s) {
                    best = Some((u, score));
                }
            }
            match best {
                Some((u, _)) if self.repeats(u) => continue,
                Some((u, _)) => self.add(u),
                None => break,
            }
        }
    }

    /// Swap one chosen unit for one that is not, while the objective improves.
    fn local_search(&mut self) {
        for _round in 0..4 {
            let mut improved = false;
            for i in self.chosen.clone() {
                if Some(i) == self.fixed {
                    continue;
                }
                let loss = self.loss(i) + self.units[i].bonus;
                let free = self.budget - (self.used - self.units[i].words);
                // Take i out to measure gains without it.
                self.remove(i);
                if !self.consistent() {
                    self.add(i);
                    continue;
                }
                let mut best: Option<(usize, f32)> = None;
                for j in 0..self.units.len() {
                    if j == i
                        || self.units[j].words > free
                        || self.chosen.contains(&j)
                        || self.repeated[j]
                        || !self.feasible(j)
                    {
                        continue;
                    }
                    let g = self.gain(j);
                    let delta = g + self.units[j].bonus - loss;
                    if g > 0.0 && delta > 1e-4 && best.is_none_or(|(_, d)| delta > d) {
                        best = Some((j, delta));
                    }
                }
                match best {
                    Some((j, _)) if self.repeats(j) => self.add(i),
                    Some((j, _)) => {
                        self.add(j);
                        improved = true;
                    }
                    None => self.add(i),
                }
            }
            // Fill any room the swaps left.
            let before = self.chosen.len();
            self.greedy();
            if !improved && self.chosen.len() == before {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(sentence: SentIx, concept: u32, terms: &[u32], needs: &[u32]) -> Unit {
        Unit {
            pieces: vec![Piece {
                sentence,
                text: String::new(),
                edits: Vec::new(),
            }],
            words: 10,
            concepts: vec![concept],
            terms: terms.to_vec(),
            needs: needs.to_vec(),
            people: Vec::new(),
            bonus: 0.0,
        }
    }

    #[test]
    fn a_unit_never_tells_its_own_antecedent() {
        // 0 introduces term 7 ("a statement"); 1 refers back to it ("The statement ...") and
        // so holds the term itself; 2 is unrelated and worth more than 0.
        let units = [
            unit(0, 0, &[7], &[]),
            unit(1, 1, &[7], &[7]),
            unit(2, 2, &[8], &[]),
        ];
        let weights = [1.0, 5.0, 3.0];
        let chosen = Selection::new(&units, &weights, 20, 1.0, None).solve();
        // Swapping 0 for 2 would leave 1 pointing at nothing.
        assert!(chosen.contains(&1), "{chosen:?}");
        assert!(chosen.contains(&0), "{chosen:?}");
    }
}
