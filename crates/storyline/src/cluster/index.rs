//! An inverted index from terms to the groups (events, storylines) whose profiles feature
//! them: how a new article finds its candidates without comparing itself with every group.
//!
//! Each term lists at most a fixed number of groups, the most recently indexed: the cost of a
//! lookup stays bounded, and the groups a common term drops are the least likely matches.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Term -> groups listed under it (oldest first).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct TermIndex {
    postings: FxHashMap<u64, Vec<u64>>,
}

impl TermIndex {
    /// Terms listed.
    pub(crate) fn len(&self) -> usize {
        self.postings.len()
    }

    /// For each group listed under a query term, the sum of those terms' weights.
    pub(crate) fn overlap(&self, query: &[(u64, f32)]) -> FxHashMap<u64, f32> {
        // Sized once from the lists' lengths: growing the map as it fills was 4% of the
        // clustering's time.
        let lists: Vec<(&Vec<u64>, f32)> = query
            .iter()
            .filter_map(|&(t, w)| self.postings.get(&t).map(|g| (g, w)))
            .collect();
        // Touching each list's start first lets the processor fetch all of them at once.
        for (groups, _) in &lists {
            touch(groups);
        }
        let listed: usize = lists.iter().map(|(g, _)| g.len()).sum();
        let mut partial: FxHashMap<u64, f32> =
            FxHashMap::with_capacity_and_hasher(listed, Default::default());
        for (groups, w) in lists {
            for &g in groups {
                *partial.entry(g).or_insert(0.0) += w;
            }
        }
        partial
    }

    /// Lists `group` under the terms of `new` instead of those of `old` (both sorted). A term
    /// that then lists more than `cap` groups drops its oldest: the (group, term) pairs
    /// dropped that way are returned, for their owners to forget.
    pub(crate) fn replace(
        &mut self,
        group: u64,
        old: &[u64],
        new: &[u64],
        cap: usize,
    ) -> Vec<(u64, u64)> {
        let gone: Vec<u64> = old
            .iter()
            .filter(|t| new.binary_search(t).is_err())
            .copied()
            .collect();
        self.remove(group, &gone);
        let mut dropped = Vec::new();
        for t in new.iter().filter(|t| old.binary_search(t).is_err()) {
            let list = self.postings.entry(*t).or_default();
            list.push(group);
            if list.len() > cap {
                dropped.push((list.remove(0), *t));
            }
        }
        dropped
    }

    /// Takes `group` off the lists of `terms`.
    pub(crate) fn remove(&mut self, group: u64, terms: &[u64]) {
        for t in terms {
            if let Some(list) = self.postings.get_mut(t) {
                list.retain(|&x| x != group);
                if list.is_empty() {
                    self.postings.remove(t);
                }
            }
        }
    }
}

/// An article's terms set up for scoring many group profiles against it. A short article
/// (a headline) looks each of its terms up in the profile by binary search; a long one scans
/// the profile once, in order, behind a 4096-bit filter of the article's terms, so most
/// profile terms (not in the article) are skipped with one bit test instead of a hash lookup.
pub(crate) struct Probe {
    weights: FxHashMap<u64, f32>,
    /// The article's terms, sorted by term.
    sorted: Vec<(u64, f32)>,
    filter: [u64; 64],
}

impl Probe {
    pub(crate) fn new(vector: &[(u64, f32)]) -> Self {
        let mut filter = [0u64; 64];
        for &(t, _) in vector {
            let slot = Self::slot(t);
            filter[slot >> 6] |= 1 << (slot & 63);
        }
        let mut sorted = vector.to_vec();
        sorted.sort_unstable_by_key(|x| x.0);
        Probe {
            weights: vector.iter().copied().collect(),
            sorted,
            filter,
        }
    }

    /// Calls `f(term, profile weight, article weight)` for each term the term-sorted
    /// `profile` shares with the article, in the profile's order (so that sums over the
    /// calls do not depend on which way the terms were matched).
    #[inline]
    pub(crate) fn shared(&self, profile: &[(u64, f32)], mut f: impl FnMut(u64, f32, f32)) {
        // A binary search costs about log2(len) + 1 steps; a scan, one step per profile term.
        let search_steps = (usize::BITS - profile.len().leading_zeros()) as usize + 1;
        if self.sorted.len() * search_steps < profile.len() {
            // Each search covers the whole profile: the searches do not wait for one another,
            // so the processor overlaps their cache misses (narrowing the range to after the
            // last match chained them all: 9% more cycles on the assigning thread).
            for &(t, w) in &self.sorted {
                let at = profile.partition_point(|x| x.0 < t);
                if let Some(&(pt, c)) = profile.get(at)
                    && pt == t
                {
                    f(t, c, w);
                }
            }
        } else {
            for &(t, c) in profile {
                if let Some(w) = self.get(t) {
                    f(t, c, w);
                }
            }
        }
    }

    /// Term ids are hashes: their top 12 bits pick the filter bit.
    fn slot(t: u64) -> usize {
        (t >> 52) as usize
    }

    /// The article's weight for term `t`, if it has the term.
    #[inline]
    fn get(&self, t: u64) -> Option<f32> {
        let slot = Self::slot(t);
        if self.filter[slot >> 6] & (1 << (slot & 63)) == 0 {
            return None;
        }
        self.weights.get(&t).copied()
    }
}

/// Reads the entries a search of `list` compares first (a quarter, half and three quarters
/// in; all of a short list), so that the processor starts fetching them while it goes on
/// with other work.
#[inline]
fn touch<T: Copy>(list: &[T]) {
    let n = list.len();
    let seen = [n / 2, n / 4, 3 * n / 4].map(|at| list.get(at).copied());
    std::hint::black_box(seen);
}

/// The groups of `candidates` (id, overlap) still in `groups`, with the first terms a search
/// of each profile reads touched: all are looked up and touched before any is scored, so
/// their cache misses overlap instead of coming one after the other.
pub(crate) fn fetch<'a, G>(
    candidates: &[(u64, f32)],
    groups: &'a FxHashMap<u64, G>,
    profile: impl Fn(&G) -> &[(u64, f32)],
) -> Vec<(u64, &'a G)> {
    let found: Vec<(u64, &G)> = candidates
        .iter()
        .filter_map(|&(id, _)| groups.get(&id).map(|g| (id, g)))
        .collect();
    for (_, g) in &found {
        touch(profile(g));
    }
    found
}

/// The `keep` strongest terms of `weights` (any order), as a sorted term list.
pub(crate) fn strongest_terms(weights: &[(u64, f32)], keep: usize) -> Vec<u64> {
    let mut top: Vec<(u64, f32)> = weights.to_vec();
    if top.len() > keep {
        top.select_nth_unstable_by(keep, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(keep);
    }
    let mut terms: Vec<u64> = top.into_iter().map(|x| x.0).collect();
    terms.sort_unstable();
    terms.shrink_to_fit();
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crowded_term_drops_its_oldest_group() {
        let mut index = TermIndex::default();
        assert!(index.replace(1, &[], &[10, 20], 2).is_empty());
        assert!(index.replace(2, &[], &[10], 2).is_empty());
        assert_eq!(index.replace(3, &[], &[10], 2), vec![(1, 10)]);
        let found = index.overlap(&[(10, 1.0), (20, 0.5)]);
        assert_eq!(found.get(&1), Some(&0.5));
        assert_eq!(found.get(&3), Some(&1.0));
        index.remove(1, &[20]);
        assert_eq!(index.len(), 1);
    }

    #[test]
    fn a_probe_finds_exactly_the_article_terms() {
        let article = [(5u64 << 52 | 1, 0.5), (9u64 << 52, 0.25), (u64::MAX, 1.0)];
        let probe = Probe::new(&article);
        for &(t, w) in &article {
            assert_eq!(probe.get(t), Some(w));
        }
        // Same filter bit, other term; other bit.
        assert_eq!(probe.get(5u64 << 52 | 2), None);
        assert_eq!(probe.get(6u64 << 52), None);
        assert_eq!(probe.get(0), None);
    }

    #[test]
    fn short_and_long_articles_find_the_same_shared_terms_in_profile_order() {
        let profile: Vec<(u64, f32)> = (0..300u64).map(|k| (k * 7919 << 40, k as f32)).collect();
        let collect = |article: &[(u64, f32)]| {
            let mut found = Vec::new();
            Probe::new(article).shared(&profile, |t, c, w| found.push((t, c, w)));
            found
        };
        // Unsorted article terms, some in the profile: searched (few) and scanned (many).
        let short = [(40 * 7919 << 40, 0.5), (3 * 7919 << 40, 0.25), (5, 1.0)];
        assert_eq!(
            collect(&short),
            vec![(3 * 7919 << 40, 3.0, 0.25), (40 * 7919 << 40, 40.0, 0.5)]
        );
        let long: Vec<(u64, f32)> = (0..200u64)
            .rev()
            .map(|k| (k * 2 * 7919 << 40, 1.0))
            .collect();
        let found = collect(&long);
        assert_eq!(found.len(), 150);
        assert!(found.windows(2).all(|p| p[0].0 < p[1].0));
    }

    #[test]
    fn replacing_terms_keeps_the_shared_ones_listed_once() {
        let mut index = TermIndex::default();
        index.replace(7, &[], &[1, 2], 8);
        index.replace(7, &[1, 2], &[2, 3], 8);
        let found = index.overlap(&[(1, 1.0), (2, 1.0), (3, 1.0)]);
        assert_eq!(found.get(&7), Some(&2.0));
        assert_eq!(index.len(), 2);
    }
}
