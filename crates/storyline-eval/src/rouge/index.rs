//! Analysed summaries, the per-topic index of the references, and the raw counts
//! (hits, model and peer totals) of one peer against each reference.
//!
//! Tokens are interned per topic: every distinct model token, model n-gram (as a chain
//! prefix id + token) and model skip-bigram gets a dense id, so counting a peer is a few
//! array increments per token and clipping is `min` over the model's `(id, count)` list.
//! Peer tokens that no model has get [`NO_TOKEN`]: they count in the peer totals but can
//! never match, which is all ROUGE-1.5.5 does with them.

use rustc_hash::FxHashMap;

use super::lcs::{BitLcs, NO_TOKEN, PeerMasks, ROW_BUDGET, Wlcs, mark_path, run_weights};
use super::stats::round5;
use super::text::{Lexicon, TextOptions, read_text, read_text_lcs, tokenize_into};
use super::{Metric, RougeConfig};

/// One summary as ROUGE-1.5.5 sees it after reading, cutting, cleaning and stemming.
///
/// Built by [`Rouge::analyze`](super::Rouge::analyze); reusable against any number of topics
/// or peers scored with the same configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// `readText` tokens: n-grams, skip-bigrams and the unigram counts that clip ROUGE-L.
    tokens: Vec<Box<str>>,
    /// `readText_LCS` tokens when they differ from `tokens` (only with a byte limit).
    lcs_tokens: Option<Vec<Box<str>>>,
    /// End offset of each LCS unit (sentence) in the LCS token list.
    unit_ends: Vec<usize>,
}

impl Summary {
    pub(crate) fn analyze<S: AsRef<str>>(
        sentences: &[S],
        opts: &TextOptions,
        lexicon: &Lexicon,
    ) -> Summary {
        // `tr/A-Z/a-z/` is applied per sentence by the Perl code; it changes no length, so it
        // is done during tokenization instead.
        let raw: Vec<&[u8]> = sentences.iter().map(|s| s.as_ref().as_bytes()).collect();
        let units = read_text_lcs(&raw, opts.limit);
        let mut lcs = Vec::new();
        let mut unit_ends = Vec::with_capacity(units.len());
        for unit in &units {
            tokenize_into(unit, opts, lexicon, &mut lcs);
            unit_ends.push(lcs.len());
        }
        // Without a byte limit, `readText` is exactly the LCS units joined by spaces, so its
        // tokens are their concatenation; `-b` makes the two readers disagree.
        let byte_limited = matches!(opts.limit, Some(super::Limit::Bytes(b)) if b > 0);
        if byte_limited {
            let mut tokens = Vec::new();
            tokenize_into(&read_text(&raw, opts.limit), opts, lexicon, &mut tokens);
            Summary {
                tokens,
                lcs_tokens: Some(lcs),
                unit_ends,
            }
        } else {
            Summary {
                tokens: lcs,
                lcs_tokens: None,
                unit_ends,
            }
        }
    }

    /// The tokens ROUGE-N, ROUGE-SU and the ROUGE-L clipping counts see (after the limit,
    /// stopword removal and stemming).
    pub fn tokens(&self) -> &[Box<str>] {
        &self.tokens
    }

    /// The tokens of each sentence as ROUGE-L / ROUGE-W see them.
    pub fn units(&self) -> impl Iterator<Item = &[Box<str>]> + '_ {
        let all = self.lcs_tokens.as_deref().unwrap_or(&self.tokens);
        let mut start = 0;
        self.unit_ends.iter().map(move |&end| {
            let unit = &all[start..end];
            start = end;
            unit
        })
    }
}

/// The reference (model) summaries of one topic, indexed for fast scoring of many peers.
///
/// Built by [`Rouge::references`](super::Rouge::references) and only meaningful with the
/// [`Rouge`](super::Rouge) (configuration) that built it.
#[derive(Clone, Debug)]
pub struct References {
    vocab: FxHashMap<Box<str>, u32>,
    /// For n >= 2 (index n - 2): (id of the (n-1)-gram prefix, token) -> n-gram id.
    gram_ids: Vec<FxHashMap<u64, u32>>,
    /// Skip-bigram (token, token) -> id.
    pair_ids: FxHashMap<u64, u32>,
    models: Vec<ModelIndex>,
    max_n: usize,
    skip: Option<usize>,
}

#[derive(Clone, Debug)]
struct ModelIndex {
    /// Number of `readText` tokens.
    len: usize,
    /// Unigram counts `(token id, count)`, for ROUGE-L/W clipping.
    unigrams: Vec<(u32, u32)>,
    /// n-gram counts for n = 1..=max_n (index n - 1).
    grams: Vec<Vec<(u32, u32)>>,
    /// ROUGE-SU: unigram part (every token but the last) and skip-bigram part.
    su_unigrams: Vec<(u32, u32)>,
    su_pairs: Vec<(u32, u32)>,
    su_total: u64,
    /// LCS tokens and unit ends.
    lcs_tokens: Vec<u32>,
    unit_ends: Vec<usize>,
}

fn key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn counted(map: FxHashMap<u32, u32>) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = map.into_iter().collect();
    v.sort_unstable();
    v
}

/// `createSkipBigram` with `-u`: for every token but the last, its unigram and the pairs with
/// the next `skip + 1` tokens. Calls `unigram(i)` and `pair(i, j)`; returns the total count.
fn for_each_skip_gram(
    len: usize,
    skip: usize,
    mut unigram: impl FnMut(usize),
    mut pair: impl FnMut(usize, usize),
) -> u64 {
    let mut total = 0u64;
    // Perl: for($i=0;$i<$#m_tokens;$i++) -- the last token adds no unigram.
    for i in 0..len.saturating_sub(1) {
        unigram(i);
        total += 1;
        let last = (i + skip + 1).min(len - 1);
        for j in i + 1..=last {
            pair(i, j);
            total += 1;
        }
    }
    total
}

impl References {
    pub(crate) fn build(models: &[Summary], cfg: &RougeConfig) -> References {
        let mut refs = References {
            vocab: FxHashMap::default(),
            gram_ids: vec![FxHashMap::default(); cfg.max_n.saturating_sub(1)],
            pair_ids: FxHashMap::default(),
            models: Vec::with_capacity(models.len()),
            max_n: cfg.max_n,
            skip: cfg.skip_distance,
        };
        for model in models {
            let index = refs.index_model(model);
            refs.models.push(index);
        }
        refs
    }

    /// Number of reference summaries.
    pub fn len(&self) -> usize {
        self.models.len()
    }

    /// True when there is no reference summary.
    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }

    fn intern(&mut self, token: &str) -> u32 {
        if let Some(&id) = self.vocab.get(token) {
            return id;
        }
        let id = self.vocab.len() as u32;
        self.vocab.insert(token.into(), id);
        id
    }

    fn index_model(&mut self, model: &Summary) -> ModelIndex {
        let ids: Vec<u32> = model.tokens.iter().map(|t| self.intern(t)).collect();
        let lcs_tokens: Vec<u32> = match &model.lcs_tokens {
            None => ids.clone(),
            Some(tokens) => tokens.iter().map(|t| self.intern(t)).collect(),
        };
        let mut unigrams: FxHashMap<u32, u32> = FxHashMap::default();
        for &t in &ids {
            *unigrams.entry(t).or_default() += 1;
        }
        let unigrams = counted(unigrams);

        let mut grams: Vec<FxHashMap<u32, u32>> = vec![FxHashMap::default(); self.max_n];
        for i in 0..ids.len() {
            let mut gram = ids[i];
            for (k, counts) in grams.iter_mut().enumerate() {
                if i + k >= ids.len() {
                    break;
                }
                if k > 0 {
                    let table = &mut self.gram_ids[k - 1];
                    let next = table.len() as u32;
                    gram = *table.entry(key(gram, ids[i + k])).or_insert(next);
                }
                *counts.entry(gram).or_default() += 1;
            }
        }
        let grams = grams.into_iter().map(counted).collect();

        let mut su_unigrams: FxHashMap<u32, u32> = FxHashMap::default();
        let mut su_pairs: FxHashMap<u32, u32> = FxHashMap::default();
        let su_total = match self.skip {
            None => 0,
            Some(skip) => {
                let pair_ids = &mut self.pair_ids;
                for_each_skip_gram(
                    ids.len(),
                    skip,
                    |i| *su_unigrams.entry(ids[i]).or_default() += 1,
                    |i, j| {
                        let next = pair_ids.len() as u32;
                        let id = *pair_ids.entry(key(ids[i], ids[j])).or_insert(next);
                        *su_pairs.entry(id).or_default() += 1;
                    },
                )
            }
        };
        ModelIndex {
            len: ids.len(),
            unigrams,
            grams,
            su_unigrams: counted(su_unigrams),
            su_pairs: counted(su_pairs),
            su_total,
            lcs_tokens,
            unit_ends: model.unit_ends.clone(),
        }
    }

    fn lookup(&self, token: &str) -> u32 {
        self.vocab.get(token).copied().unwrap_or(NO_TOKEN)
    }
}

/// Raw counts of one metric for one (peer, model) pair: what ROUGE-1.5.5 adds up over the
/// models of an evaluation (`-f A`) or picks the best of (`-f B`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Tally {
    /// Clipped matches (ROUGE-W: weighted).
    pub hit: f64,
    /// Model total (`_cn_`, LCS base; ROUGE-W: weighted).
    pub model: f64,
    /// Peer total (ROUGE-W: weighted).
    pub peer: f64,
    /// The per-model score `-f B` compares (rounded to 5 decimals for n-grams, as the Perl).
    pub select: f64,
}

/// The peer's counts over the topic's dense ids.
struct PeerCounts {
    len: usize,
    /// Dense unigram counts over the vocabulary (ROUGE-L/W clipping).
    unigrams: Vec<u32>,
    /// Dense n-gram counts, n = 1..=max_n.
    grams: Vec<Vec<u32>>,
    su_unigrams: Vec<u32>,
    su_pairs: Vec<u32>,
    su_total: u64,
    lcs_tokens: Vec<u32>,
}

fn clipped_hits(model: &[(u32, u32)], peer: &[u32]) -> u64 {
    model
        .iter()
        .map(|&(id, count)| u64::from(count.min(peer.get(id as usize).copied().unwrap_or(0))))
        .sum()
}

fn ngram_total(len: usize, n: usize) -> u64 {
    (len + 1).saturating_sub(n) as u64
}

fn ratio(a: f64, b: f64) -> f64 {
    if b != 0.0 { a / b } else { 0.0 }
}

impl PeerCounts {
    fn new(peer: &Summary, refs: &References) -> PeerCounts {
        let ids: Vec<u32> = peer.tokens.iter().map(|t| refs.lookup(t)).collect();
        let vocab = refs.vocab.len();
        let mut unigrams = vec![0u32; vocab];
        for &t in &ids {
            if t != NO_TOKEN {
                unigrams[t as usize] += 1;
            }
        }
        let mut grams: Vec<Vec<u32>> = (0..refs.max_n)
            .map(|k| match k {
                0 => vec![0; vocab],
                _ => vec![0; refs.gram_ids[k - 1].len()],
            })
            .collect();
        for i in 0..ids.len() {
            let mut gram = ids[i];
            for (k, counts) in grams.iter_mut().enumerate() {
                if i + k >= ids.len() {
                    break;
                }
                if k > 0 {
                    let next = ids[i + k];
                    if next == NO_TOKEN {
                        break;
                    }
                    match refs.gram_ids[k - 1].get(&key(gram, next)) {
                        Some(&g) => gram = g,
                        None => break,
                    }
                }
                if gram == NO_TOKEN {
                    break;
                }
                counts[gram as usize] += 1;
            }
        }
        let mut su_unigrams = Vec::new();
        let mut su_pairs = Vec::new();
        let mut su_total = 0;
        if let Some(skip) = refs.skip {
            su_unigrams = vec![0u32; vocab];
            su_pairs = vec![0u32; refs.pair_ids.len()];
            su_total = for_each_skip_gram(
                ids.len(),
                skip,
                |i| {
                    if ids[i] != NO_TOKEN {
                        su_unigrams[ids[i] as usize] += 1;
                    }
                },
                |i, j| {
                    if ids[i] != NO_TOKEN
                        && ids[j] != NO_TOKEN
                        && let Some(&p) = refs.pair_ids.get(&key(ids[i], ids[j]))
                    {
                        su_pairs[p as usize] += 1;
                    }
                },
            );
        }
        let lcs_tokens = match &peer.lcs_tokens {
            None => ids.clone(),
            Some(tokens) => tokens.iter().map(|t| refs.lookup(t)).collect(),
        };
        PeerCounts {
            len: ids.len(),
            unigrams,
            grams,
            su_unigrams,
            su_pairs,
            su_total,
            lcs_tokens,
        }
    }
}

/// Model positions on the union LCS with the peer, per model (ROUGE-L and ROUGE-W walks).
struct UnionMarks {
    lcs: Vec<Vec<bool>>,
    wlcs: Vec<Vec<bool>>,
}

/// Runs `lcs_inner` (and `wlcs_inner`) for every (model sentence, peer sentence) pair.
/// The peer sentence is the outer loop so its position masks are built once; the marks are
/// a union, so the order of the pairs does not matter.
fn union_marks(
    peer: &Summary,
    counts: &PeerCounts,
    refs: &References,
    lcs: bool,
    weight: Option<f64>,
) -> UnionMarks {
    let mut marks = UnionMarks {
        lcs: Vec::new(),
        wlcs: Vec::new(),
    };
    if lcs {
        marks.lcs = refs
            .models
            .iter()
            .map(|m| vec![false; m.lcs_tokens.len()])
            .collect();
    }
    if weight.is_some() {
        marks.wlcs = refs
            .models
            .iter()
            .map(|m| vec![false; m.lcs_tokens.len()])
            .collect();
    }
    if !lcs && weight.is_none() {
        return marks;
    }
    let mut slot = vec![NO_TOKEN; refs.vocab.len()];
    let mut arena: Vec<u64> = Vec::new();
    let mut used: Vec<u32> = Vec::new();
    let mut bit_scratch = Vec::new();
    let mut w_scratch = Vec::new();
    // Runs of matches are no longer than the longest model sentence.
    let longest = refs
        .models
        .iter()
        .flat_map(|m| {
            m.unit_ends
                .iter()
                .scan(0, |s, &e| Some(e - std::mem::replace(s, e)))
        })
        .max()
        .unwrap_or(0);
    let powers = weight
        .map(|w| run_weights(w, longest + 1))
        .unwrap_or_default();
    let mut start = 0;
    for &end in &peer.unit_ends {
        let unit = &counts.lcs_tokens[start..end];
        start = end;
        if unit.is_empty() {
            continue;
        }
        let words = unit.len().div_ceil(64);
        arena.clear();
        for (p, &t) in unit.iter().enumerate() {
            if t == NO_TOKEN {
                continue;
            }
            let s = &mut slot[t as usize];
            if *s == NO_TOKEN {
                *s = used.len() as u32;
                used.push(t);
                arena.resize(arena.len() + words, 0);
            }
            arena[*s as usize * words + p / 64] |= 1 << (p % 64);
        }
        if !used.is_empty() {
            let masks = PeerMasks {
                slot: &slot,
                arena: &arena,
                words,
            };
            for (k, model) in refs.models.iter().enumerate() {
                let mut m_start = 0;
                for &m_end in &model.unit_ends {
                    let m_unit = &model.lcs_tokens[m_start..m_end];
                    let range = m_start..m_end;
                    m_start = m_end;
                    // No common token: empty LCS, nothing marked.
                    if !m_unit.iter().any(|&t| slot[t as usize] != NO_TOKEN) {
                        continue;
                    }
                    if lcs {
                        let dp = BitLcs {
                            model: m_unit,
                            peer: unit,
                            masks: &masks,
                        };
                        let out = &mut marks.lcs[k][range.clone()];
                        mark_path(
                            &dp,
                            m_unit.len(),
                            unit.len(),
                            out,
                            &mut bit_scratch,
                            ROW_BUDGET,
                        );
                    }
                    if weight.is_some() {
                        let dp = Wlcs {
                            model: m_unit,
                            peer: unit,
                            powers: &powers,
                        };
                        let out = &mut marks.wlcs[k][range];
                        mark_path(
                            &dp,
                            m_unit.len(),
                            unit.len(),
                            out,
                            &mut w_scratch,
                            ROW_BUDGET,
                        );
                    }
                }
            }
        }
        for &t in &used {
            slot[t as usize] = NO_TOKEN;
        }
        used.clear();
    }
    marks
}

/// Dense unigram counts of one model (the `%model_1grams` of `computeLCSScore`).
fn dense_unigrams(model: &ModelIndex, vocab: usize) -> Vec<u32> {
    let mut dense = vec![0u32; vocab];
    for &(id, count) in &model.unigrams {
        dense[id as usize] = count;
    }
    dense
}

/// ROUGE-L's `lcs`: a marked model token is a hit only while both its model and peer
/// unigram counts are positive, and each hit uses one of each up.
fn lcs_tally(model: &ModelIndex, marks: &[bool], peer: &PeerCounts, vocab: usize) -> Tally {
    let mut model_left = dense_unigrams(model, vocab);
    let mut peer_left = peer.unigrams.clone();
    let mut hit = 0u64;
    for (&t, _) in model.lcs_tokens.iter().zip(marks).filter(|(_, m)| **m) {
        let t = t as usize;
        if model_left[t] > 0 && peer_left[t] > 0 {
            hit += 1;
            model_left[t] -= 1;
            peer_left[t] -= 1;
        }
    }
    let base = model.lcs_tokens.len() as f64;
    let hit = hit as f64;
    Tally {
        hit,
        model: base,
        peer: peer.len as f64,
        select: ratio(hit, base),
    }
}

/// ROUGE-W's `wlcs` and the weighting of `computeWLCSScore`, including its quirks: a run of
/// hits is credited `len^w` when the next position is unmarked or at the end of the sentence
/// (a run cut by a clipped token is lost), the model base is `(sum over sentences of
/// len^w)^w` and the peer base `(peer tokens)^w`.
fn wlcs_tally(
    model: &ModelIndex,
    marks: &[bool],
    peer: &PeerCounts,
    vocab: usize,
    w: f64,
) -> Tally {
    let mut model_left = dense_unigrams(model, vocab);
    let mut peer_left = peer.unigrams.clone();
    let mut hit = 0.0f64;
    let mut base = 0.0f64;
    let mut start = 0;
    for &end in &model.unit_ends {
        let unit = &model.lcs_tokens[start..end];
        let mask = &marks[start..end];
        start = end;
        base += (unit.len() as f64).powf(w);
        let mut run = 0u32;
        for j in 0..unit.len() {
            if !mask[j] {
                continue;
            }
            let t = unit[j] as usize;
            if model_left[t] > 0 && peer_left[t] > 0 {
                run += 1;
                // Perl: flush when the next position is unmarked, or at the sentence end.
                let next_unmarked = mask.get(j + 1).is_some_and(|m| !m);
                if next_unmarked || j + 1 == unit.len() {
                    hit += f64::from(run).powf(w);
                    run = 0;
                }
                model_left[t] -= 1;
                peer_left[t] -= 1;
            }
        }
    }
    Tally {
        hit,
        model: base.powf(w),
        peer: (peer.len as f64).powf(w),
        // Perl divides by zero (and dies) for an empty model; 0 here.
        select: if base > 0.0 {
            (hit / base).powf(1.0 / w)
        } else {
            0.0
        },
    }
}

fn ngram_tally(hit: u64, model_total: u64, peer_total: u64) -> Tally {
    let (hit, model, peer) = (hit as f64, model_total as f64, peer_total as f64);
    Tally {
        hit,
        model,
        peer,
        // ngramScore: sprintf("%07.5f", hit/count), or 0 without model n-grams.
        select: if model != 0.0 {
            round5(hit / model)
        } else {
            0.0
        },
    }
}

/// For every model of `refs`, the raw counts of each metric in `metrics` (same order).
pub(crate) fn model_tallies(
    peer: &Summary,
    refs: &References,
    metrics: &[Metric],
    weight: Option<f64>,
) -> Vec<Vec<Tally>> {
    let counts = PeerCounts::new(peer, refs);
    let wants_l = metrics.contains(&Metric::L);
    let w = if metrics.contains(&Metric::W) {
        weight
    } else {
        None
    };
    let marks = union_marks(peer, &counts, refs, wants_l, w);
    let vocab = refs.vocab.len();
    refs.models
        .iter()
        .enumerate()
        .map(|(k, model)| {
            metrics
                .iter()
                .map(|metric| match *metric {
                    Metric::N(n) if (1..=refs.max_n).contains(&n) => {
                        let hit = clipped_hits(&model.grams[n - 1], &counts.grams[n - 1]);
                        ngram_tally(hit, ngram_total(model.len, n), ngram_total(counts.len, n))
                    }
                    Metric::SU(_) if refs.skip.is_some() => {
                        let hit = clipped_hits(&model.su_unigrams, &counts.su_unigrams)
                            + clipped_hits(&model.su_pairs, &counts.su_pairs);
                        ngram_tally(hit, model.su_total, counts.su_total)
                    }
                    Metric::L if !marks.lcs.is_empty() => {
                        lcs_tally(model, &marks.lcs[k], &counts, vocab)
                    }
                    Metric::W => match w {
                        Some(w) if !marks.wlcs.is_empty() => {
                            wlcs_tally(model, &marks.wlcs[k], &counts, vocab, w)
                        }
                        _ => Tally::default(),
                    },
                    _ => Tally::default(),
                })
                .collect()
        })
        .collect()
}
