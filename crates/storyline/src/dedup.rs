//! Near-duplicate detection: MinHash signatures of word shingles, found through LSH.
//!
//! Broder (1997) MinHash estimates the Jaccard similarity of two texts' sets of word
//! 3-shingles; locality-sensitive hashing by banding (Indyk & Motwani 1998, as in Leskovec
//! et al., *Mining of Massive Datasets* ch. 3) finds the candidates: with 16 bands of 4 rows,
//! a pair at Jaccard 0.8 becomes a candidate with probability 0.9998, at 0.3 with 0.12.
//! Candidates are then checked on the full signature. Exact copies (same words in the same
//! order) are caught first through a hash of the whole term sequence.
//!
//! Why not a crate: `gaoya` is the closest, but brings rayon, rand, sha-1 and an alpha
//! smallvec; what is needed here is small: signatures from the pipeline's own term hashes
//! (so deduplication agrees with every other stage on what a word is) and an index over a
//! bounded window of recent articles, oldest evicted first.

use std::collections::VecDeque;

use rustc_hash::FxHashMap;

/// Number of hash functions in a signature.
pub const SIGNATURE_LEN: usize = 64;
const BANDS: usize = 16;
const ROWS: usize = SIGNATURE_LEN / BANDS;

/// A MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; SIGNATURE_LEN]);

// serde derives arrays up to 32 elements only: a signature travels as a sequence.
impl serde::Serialize for Signature {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.as_slice().serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Signature {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let values = Vec::<u32>::deserialize(d)?;
        let n = values.len();
        values
            .try_into()
            .map(Signature)
            .map_err(|_| serde::de::Error::invalid_length(n, &"a MinHash signature of 64 values"))
    }
}

impl Signature {
    /// The share of equal positions: an estimate of the Jaccard similarity of the two sets.
    pub fn similarity(&self, other: &Signature) -> f32 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f32 / SIGNATURE_LEN as f32
    }

    /// True for the signature of an empty set (no shingles).
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&v| v == u32::MAX)
    }

    fn band_key(&self, band: usize) -> u64 {
        let mut h: u64 = band as u64 ^ 0x9E37_79B9_7F4A_7C15;
        for &v in &self.0[band * ROWS..(band + 1) * ROWS] {
            h = splitmix(h ^ u64::from(v));
        }
        h
    }
}

/// SplitMix64's finalizer: a fast, well-mixing bijection on u64.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// MinHash by one-permutation hashing with densification (Li, Owen & Zhang 2012;
/// Shrivastava & Li 2014): each shingle is hashed once; the top bits pick one of the
/// `SIGNATURE_LEN` bins, the rest is the value, and a bin keeps its minimum. Empty bins (short
/// texts) borrow from the next non-empty bin to the right, offset by the distance, so that
/// every position still estimates the Jaccard similarity. One hash per shingle instead of
/// one per shingle and position: the signature costs as much as reading the text.
#[derive(Debug, Clone, Default)]
pub struct MinHasher;

impl MinHasher {
    /// The signature of the word 3-shingles of a sequence of term hashes (all words,
    /// stopwords included: copies share exact word order). Texts of fewer than five words get
    /// the empty signature, which matches nothing.
    pub fn signature(&self, terms: &[u64]) -> Signature {
        let mut sig = [u32::MAX; SIGNATURE_LEN];
        if terms.len() < 5 {
            return Signature(sig);
        }
        const BITS: u32 = SIGNATURE_LEN.trailing_zeros();
        for w in terms.windows(3) {
            let h = splitmix(w[0] ^ w[1].rotate_left(21) ^ w[2].rotate_left(42));
            let bin = (h >> (64 - BITS)) as usize;
            let value = (h >> 8) as u32 & 0x00FF_FFFF;
            if value < sig[bin] {
                sig[bin] = value;
            }
        }
        // Densify: an empty bin takes the value of the next filled one to its right.
        if sig.contains(&u32::MAX) {
            let filled = sig;
            for (i, slot) in sig.iter_mut().enumerate() {
                if *slot != u32::MAX {
                    continue;
                }
                if let Some(d) =
                    (1..SIGNATURE_LEN).find(|d| filled[(i + d) % SIGNATURE_LEN] != u32::MAX)
                {
                    *slot = filled[(i + d) % SIGNATURE_LEN] | ((d as u32) << 24);
                }
            }
        }
        Signature(sig)
    }
}

/// A key identifying the exact word sequence of a text.
pub fn exact_key(terms: &[u64]) -> u64 {
    terms
        .iter()
        .fold(0xD1B5_4A32_D192_ED03, |h, &t| splitmix(h ^ t))
}

/// How a duplicate was found.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateKind {
    /// The same words in the same order.
    Exact,
    /// Estimated Jaccard similarity of word 3-shingles at or above the threshold.
    Near,
}

/// A match in the index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Duplicate<Id> {
    /// The earlier article.
    pub of: Id,
    /// Exact or near.
    pub kind: DuplicateKind,
    /// Estimated Jaccard similarity (1 for exact copies).
    pub similarity: f32,
}

/// Recent articles' signatures, searchable for duplicates; holds at most `capacity`
/// articles, the oldest evicted first.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DuplicateIndex<Id: Copy + Eq + std::hash::Hash> {
    capacity: usize,
    threshold: f32,
    /// Per band, the latest article in each bucket: one match is enough to find a copy, and
    /// one id per bucket keeps the index small.
    bands: Vec<FxHashMap<u64, Id>>,
    entries: FxHashMap<Id, (u64, Signature)>,
    exact: FxHashMap<u64, Id>,
    order: VecDeque<Id>,
}

impl<Id: Copy + Eq + std::hash::Hash + Ord> DuplicateIndex<Id> {
    /// An empty index keeping `capacity` articles; near duplicates need an estimated Jaccard
    /// similarity of at least `threshold`.
    pub fn new(capacity: usize, threshold: f32) -> Self {
        DuplicateIndex {
            capacity: capacity.max(1),
            threshold,
            bands: vec![FxHashMap::default(); BANDS],
            entries: FxHashMap::default(),
            exact: FxHashMap::default(),
            order: VecDeque::new(),
        }
    }

    /// Number of articles held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The earliest held article this one duplicates, if any.
    pub fn find(&self, exact: u64, sig: &Signature) -> Option<Duplicate<Id>> {
        if let Some(&of) = self.exact.get(&exact) {
            return Some(Duplicate {
                of,
                kind: DuplicateKind::Exact,
                similarity: 1.0,
            });
        }
        if sig.is_empty() {
            return None;
        }
        let mut best: Option<Duplicate<Id>> = None;
        for (band, table) in self.bands.iter().enumerate() {
            let Some(&id) = table.get(&sig.band_key(band)) else {
                continue;
            };
            let Some((_, other)) = self.entries.get(&id) else {
                continue;
            };
            let sim = sig.similarity(other);
            if sim >= self.threshold
                && best.is_none_or(|b| sim > b.similarity || (sim == b.similarity && id < b.of))
            {
                best = Some(Duplicate {
                    of: id,
                    kind: DuplicateKind::Near,
                    similarity: sim,
                });
            }
        }
        best
    }

    /// Adds an article, evicting the oldest beyond capacity.
    pub fn insert(&mut self, id: Id, exact: u64, sig: Signature) {
        if self.entries.contains_key(&id) {
            return;
        }
        self.exact.entry(exact).or_insert(id);
        if !sig.is_empty() {
            for band in 0..BANDS {
                self.bands[band].insert(sig.band_key(band), id);
            }
        }
        self.entries.insert(id, (exact, sig));
        self.order.push_back(id);
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.evict(old);
            }
        }
    }

    fn evict(&mut self, id: Id) {
        let Some((exact, sig)) = self.entries.remove(&id) else {
            return;
        };
        if self.exact.get(&exact) == Some(&id) {
            self.exact.remove(&exact);
        }
        if sig.is_empty() {
            return;
        }
        for band in 0..BANDS {
            let key = sig.band_key(band);
            if self.bands[band].get(&key) == Some(&id) {
                self.bands[band].remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_text::HashingAnalyzer;

    fn terms(text: &str) -> Vec<u64> {
        let mut a = HashingAnalyzer::default();
        let mut out = Vec::new();
        a.terms_into(text, &mut out);
        out.into_iter().map(|t| t.hash).collect()
    }

    const STORY: &str = "The council of Eastport voted on Monday to reopen the harbor after a strike \
        that lasted three weeks and idled hundreds of dock workers, the mayor said in a statement \
        released after the vote, adding that the first ships were expected to berth on Tuesday. \
        The union said its members had approved the wage deal by a wide margin on Sunday night, \
        ending a dispute over night shifts and pensions that began early in the month. Port \
        officials said a queue of container ships had formed outside the breakwater and that it \
        would take several days to clear it, while fishing crews, who were not part of the \
        dispute, said they had lost weeks of income. The harbor master told reporters that the \
        gates would stay open around the clock until the backlog was gone.";

    #[test]
    fn a_reprint_with_a_changed_word_and_a_credit_line_is_a_near_duplicate() {
        let h = MinHasher;
        let original = terms(STORY);
        let reprint = terms(&format!(
            "{} Reporting by Jane Roe.",
            STORY.replace("Monday", "Sunday")
        ));
        let other = terms(
            "Fishing boats stayed at sea because of the storm that hit the coast on Monday night.",
        );
        let mut index = DuplicateIndex::new(10, 0.8);
        index.insert(1u64, exact_key(&original), h.signature(&original));
        index.insert(2u64, exact_key(&other), h.signature(&other));
        let found = index
            .find(exact_key(&reprint), &h.signature(&reprint))
            .expect("near duplicate");
        assert_eq!(found.of, 1);
        assert_eq!(found.kind, DuplicateKind::Near);
        assert!(found.similarity >= 0.8, "{}", found.similarity);
        let unrelated =
            terms("The central bank raised interest rates by half a point on Thursday.");
        assert!(
            index
                .find(exact_key(&unrelated), &h.signature(&unrelated))
                .is_none()
        );
    }

    #[test]
    fn exact_copies_are_found_whatever_their_case_and_punctuation() {
        let h = MinHasher;
        let a = terms(STORY);
        let b = terms(&STORY.to_uppercase().replace(',', ""));
        let mut index = DuplicateIndex::new(10, 0.8);
        index.insert(7u64, exact_key(&a), h.signature(&a));
        let found = index.find(exact_key(&b), &h.signature(&b)).unwrap();
        assert_eq!((found.of, found.kind), (7, DuplicateKind::Exact));
    }

    #[test]
    fn the_index_forgets_the_oldest_beyond_its_capacity() {
        let h = MinHasher;
        let mut index = DuplicateIndex::new(2, 0.8);
        let texts = [
            "one two three four five six",
            "seven eight nine ten eleven twelve",
            "a b c d e f g h",
        ];
        for (i, t) in texts.iter().enumerate() {
            let ts = terms(t);
            index.insert(i as u64, exact_key(&ts), h.signature(&ts));
        }
        assert_eq!(index.len(), 2);
        let first = terms(texts[0]);
        assert!(
            index
                .find(exact_key(&first), &h.signature(&first))
                .is_none()
        );
        assert!(index.bands.iter().all(|b| b.values().all(|&id| id != 0)));
    }
}
