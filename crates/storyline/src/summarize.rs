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

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use storyline_text::{Mode, TokenKind};

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
    /// The sentence as written in its article.
    pub text: String,
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

/// A candidate: one sentence, or a sentence with the one it leans on.
#[derive(Debug, Clone)]
struct Unit {
    sentences: Vec<SentIx>,
    words: usize,
    /// Dense concept ids, sorted, distinct.
    concepts: Vec<u32>,
    /// Prior value of the unit itself (relevance), added to the objective when chosen.
    bonus: f32,
}

/// Summarizes a corpus within `opt.words` words.
pub fn summarize(corpus: &Corpus, opt: &SummaryOptions) -> Summary {
    let aligner = Aligner::new(corpus);
    summarize_with(corpus, &aligner, opt)
}

/// As [`summarize`], reusing an aligner built for the corpus.
pub fn summarize_with(corpus: &Corpus, aligner: &Aligner<'_>, opt: &SummaryOptions) -> Summary {
    let chosen = select(corpus, opt);
    let mut order = chosen;
    order.sort_by(|&a, &b| reading_order(corpus, a, b));
    let sentences = order
        .into_iter()
        .map(|s| cite(corpus, aligner, s))
        .collect();
    Summary { sentences }
}

/// Chronological by article date, then article order, then position in the article.
fn reading_order(corpus: &Corpus, a: SentIx, b: SentIx) -> std::cmp::Ordering {
    let (sa, sb) = (&corpus.sentences[a], &corpus.sentences[b]);
    let (da, db) = (&corpus.docs[sa.doc], &corpus.docs[sb.doc]);
    da.date
        .cmp(&db.date)
        .then(sa.doc.cmp(&sb.doc))
        .then(sa.position.cmp(&sb.position))
}

/// The concepts of a sentence: stemmed bigrams of consecutive terms, not both stopwords.
fn concepts(s: &Sentence) -> impl Iterator<Item = u64> + '_ {
    s.terms
        .windows(2)
        .filter(|w| !(w[0].stop && w[1].stop))
        .map(|w| (u64::from(w[0].id) << 32) | u64::from(w[1].id))
}

/// Picks the sentences of the summary (unordered).
fn select(corpus: &Corpus, opt: &SummaryOptions) -> Vec<SentIx> {
    let w = &opt.weighting;
    let (dense, weights) = concept_weights(corpus, w);
    let units = candidate_units(corpus, opt, &dense, &weights);
    if units.is_empty() {
        return fallback(corpus, opt);
    }
    let picked = Selection::new(&units, &weights, opt.words, w.cost_exponent).solve();
    let mut out: Vec<SentIx> = picked
        .into_iter()
        .flat_map(|u| units[u].sentences.clone())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Concept weights: one vote per distinct article (1 + `lead_boost` where the article has
/// the concept in its headline or lead), concepts below the document-frequency threshold
/// scaled by `rare_weight`. Returns the dense index of each kept concept and its weight.
fn concept_weights(corpus: &Corpus, w: &Weighting) -> (FxHashMap<u64, u32>, Vec<f32>) {
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

/// The readable candidates (sentences, or a leaning sentence with its predecessor), each
/// with its concepts and its relevance prior.
fn candidate_units(
    corpus: &Corpus,
    opt: &SummaryOptions,
    dense: &FxHashMap<u64, u32>,
    weights: &[f32],
) -> Vec<Unit> {
    let ok: Vec<bool> = corpus.sentences.iter().map(|s| readable(s, opt)).collect();
    let mut units: Vec<Unit> = Vec::new();
    let mut seen_text: FxHashSet<String> = FxHashSet::default();
    for (i, s) in corpus.sentences.iter().enumerate() {
        if !ok[i]
            || corpus.docs[s.doc].copy_of.is_some()
            || !seen_text.insert(s.text.to_lowercase())
        {
            continue;
        }
        let members = if leans_on_previous(s) {
            let prev = i.wrapping_sub(1);
            if s.position == 0 || !ok[prev] || leans_on_previous(&corpus.sentences[prev]) {
                continue;
            }
            vec![prev, i]
        } else {
            vec![i]
        };
        let words: usize = members.iter().map(|&m| corpus.sentences[m].words).sum();
        if words > opt.words {
            continue;
        }
        let mut concepts: Vec<u32> = members
            .iter()
            .flat_map(|&m| concepts(&corpus.sentences[m]))
            .filter_map(|b| dense.get(&b).copied())
            .collect();
        concepts.sort_unstable();
        concepts.dedup();
        units.push(Unit {
            sentences: members,
            words,
            concepts,
            bonus: 0.0,
        });
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
            .sentences
            .iter()
            .flat_map(|&i| corpus.sentences[i].content_terms())
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
fn fallback(corpus: &Corpus, opt: &SummaryOptions) -> Vec<SentIx> {
    let mut budget = opt.words;
    let mut out = Vec::new();
    let mut seen = FxHashMap::default();
    for (i, s) in corpus.sentences.iter().enumerate() {
        if s.words <= budget
            && s.words >= 3
            && s.terms.iter().any(|t| t.kind == TokenKind::Word)
            && seen.insert(s.text.to_lowercase(), ()).is_none()
        {
            out.push(i);
            budget -= s.words;
        }
    }
    out
}

/// Budgeted maximum coverage over units.
struct Selection<'a> {
    units: &'a [Unit],
    weights: &'a [f32],
    budget: usize,
    cost_exponent: f32,
    /// How many chosen units hold each concept.
    count: Vec<u32>,
    chosen: Vec<usize>,
    used: usize,
    /// Units overlapping (sharing a sentence) with a chosen unit cannot be chosen.
    blocked_sentences: FxHashMap<SentIx, u32>,
}

impl<'a> Selection<'a> {
    fn new(units: &'a [Unit], weights: &'a [f32], budget: usize, cost_exponent: f32) -> Self {
        Selection {
            units,
            weights,
            budget,
            cost_exponent,
            count: vec![0; weights.len()],
            chosen: Vec::new(),
            used: 0,
            blocked_sentences: FxHashMap::default(),
        }
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

    fn conflicts(&self, u: usize) -> bool {
        self.units[u]
            .sentences
            .iter()
            .any(|s| self.blocked_sentences.get(s).is_some_and(|&n| n > 0))
    }

    fn add(&mut self, u: usize) {
        for &c in &self.units[u].concepts {
            self.count[c as usize] += 1;
        }
        for &s in &self.units[u].sentences {
            *self.blocked_sentences.entry(s).or_insert(0) += 1;
        }
        self.used += self.units[u].words;
        self.chosen.push(u);
    }

    fn remove(&mut self, u: usize) {
        for &c in &self.units[u].concepts {
            self.count[c as usize] -= 1;
        }
        for &s in &self.units[u].sentences {
            if let Some(n) = self.blocked_sentences.get_mut(&s) {
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

    fn solve(mut self) -> Vec<usize> {
        self.greedy();
        let greedy_value = self.value();
        // Khuller et al.: also consider the best single unit.
        if let Some(best) = (0..self.units.len()).max_by(|&a, &b| {
            let (ga, gb) = (self.full(a), self.full(b));
            ga.total_cmp(&gb).then(b.cmp(&a))
        }) && self.full(best) > greedy_value
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
                    || self.conflicts(u)
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
                let loss = self.loss(i) + self.units[i].bonus;
                let free = self.budget - (self.used - self.units[i].words);
                // Take i out to measure gains without it.
                self.remove(i);
                let mut best: Option<(usize, f32)> = None;
                for j in 0..self.units.len() {
                    if j == i
                        || self.units[j].words > free
                        || self.chosen.contains(&j)
                        || self.conflicts(j)
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

/// Builds the citations of one chosen sentence.
fn cite(corpus: &Corpus, aligner: &Aligner<'_>, s: SentIx) -> SummarySentence {
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
    SummarySentence {
        text: sent.text.clone(),
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
