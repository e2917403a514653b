//! The LCS alignments behind ROUGE-L and ROUGE-W (Lin 2004, sections 3 and 4), traced the
//! way ROUGE-1.5.5's `lcs_inner` / `wlcs_inner` + `markLCS` trace them.
//!
//! ROUGE-1.5.5 fills the whole dynamic-programming table for one model sentence and one peer
//! sentence, then walks back from the bottom-right corner: a cell whose tokens are equal
//! goes diagonally (and marks that model position as a hit), otherwise it goes *up* when
//! `c[i-1][j] >= c[i][j-1]` and left otherwise. The union-LCS of a model sentence is the set
//! of positions marked by any peer sentence. Which positions get marked depends on these
//! tie-breaking rules, so we reproduce the walk exactly instead of computing "an" LCS.
//!
//! ROUGE-L uses the bit-parallel LCS of Allison & Dix (1986) / Hyyrö (2004): a row of the
//! table is a bit vector whose zero bits are the columns where `c[i][.]` increases, so
//! `c[i][j] = j - popcount(row_i & low j bits)` and the walk can consult any cell it needs.
//! ROUGE-W's weighted table has float cells and is filled cell by cell, as in the Perl code.
//!
//! Tables that would need more than [`ROW_BUDGET`] cells are not stored whole: the forward
//! pass keeps every `b`-th row (b ~ sqrt(rows)) and the walk recomputes one band of rows at a
//! time, so memory stays O(sqrt(m) * row) for arbitrarily long sentences.

/// Token id that matches no model token (peer words unknown to the references).
pub(crate) const NO_TOKEN: u32 = u32::MAX;

/// Cells of one table kept in memory before switching to checkpointed rows (32 MiB of u64).
pub(crate) const ROW_BUDGET: usize = 1 << 22;

/// A dynamic-programming table computed row by row, and the tie-breaking of `markLCS`.
pub(crate) trait RowDp {
    type Cell: Copy + Default;
    /// Cells per row.
    fn width(&self) -> usize;
    /// Row 0 (the empty model prefix).
    fn first_row(&self, row: &mut [Self::Cell]);
    /// Row `i` (1-based model position) from row `i - 1`.
    fn next_row(&self, i: usize, prev: &[Self::Cell], row: &mut [Self::Cell]);
    /// `model[i-1] eq peer[j-1]`: the walk goes diagonally.
    fn is_match(&self, i: usize, j: usize) -> bool;
    /// `c[i-1][j] >= c[i][j-1]`: the walk goes up (else left).
    fn prefer_up(&self, prev: &[Self::Cell], row: &[Self::Cell], j: usize) -> bool;
}

/// Marks (sets to `true`) the model positions on the path that `markLCS` walks in the
/// `m x n` table of `dp`. `scratch` is reused between calls.
pub(crate) fn mark_path<D: RowDp>(
    dp: &D,
    m: usize,
    n: usize,
    marks: &mut [bool],
    scratch: &mut Vec<D::Cell>,
    budget: usize,
) {
    if m == 0 || n == 0 {
        return;
    }
    let w = dp.width();
    if (m + 1).saturating_mul(w) <= budget {
        fill_rows(dp, 0, m, scratch, w, None);
        walk(dp, scratch, w, 0, m, n, marks);
        return;
    }
    // Checkpointed: keep rows 0, b, 2b, ... and recompute one band at a time.
    let band = ((m as f64).sqrt().ceil() as usize).max(1);
    let mut checkpoints = vec![D::Cell::default(); (m / band + 1) * w];
    let mut prev = vec![D::Cell::default(); w];
    let mut cur = vec![D::Cell::default(); w];
    dp.first_row(&mut prev);
    checkpoints[..w].copy_from_slice(&prev);
    for i in 1..=m {
        dp.next_row(i, &prev, &mut cur);
        if i % band == 0 {
            let k = i / band;
            checkpoints[k * w..(k + 1) * w].copy_from_slice(&cur);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    drop(prev);
    drop(cur);
    let (mut i, mut j) = (m, n);
    while i > 0 && j > 0 {
        let k = (i - 1) / band;
        let start = k * band;
        fill_rows(
            dp,
            start,
            i,
            scratch,
            w,
            Some(&checkpoints[k * w..(k + 1) * w]),
        );
        (i, j) = walk(dp, scratch, w, start, i, j, marks);
    }
}

/// Rows `start..=end` into `buf` (row `start` is `first` or row 0).
fn fill_rows<D: RowDp>(
    dp: &D,
    start: usize,
    end: usize,
    buf: &mut Vec<D::Cell>,
    w: usize,
    first: Option<&[D::Cell]>,
) {
    // Every cell is written below, so a longer buffer from an earlier pair is only reused.
    let needed = (end - start + 1) * w;
    if buf.len() < needed {
        buf.resize(needed, D::Cell::default());
    }
    match first {
        Some(row) => buf[..w].copy_from_slice(row),
        None => dp.first_row(&mut buf[..w]),
    }
    for i in start + 1..=end {
        let (done, todo) = buf.split_at_mut((i - start) * w);
        dp.next_row(i, &done[(i - start - 1) * w..], &mut todo[..w]);
    }
}

/// `markLCS` from `(i, j)` until row `base` (whose rows `base..=i` are in `buf`) or column 0.
fn walk<D: RowDp>(
    dp: &D,
    buf: &[D::Cell],
    w: usize,
    base: usize,
    mut i: usize,
    mut j: usize,
    marks: &mut [bool],
) -> (usize, usize) {
    while i > base && j > 0 {
        if dp.is_match(i, j) {
            i -= 1;
            j -= 1;
            marks[i] = true;
        } else {
            let r = i - base;
            if dp.prefer_up(&buf[(r - 1) * w..r * w], &buf[r * w..(r + 1) * w], j) {
                i -= 1;
            } else {
                j -= 1;
            }
        }
    }
    (i, j)
}

/// Bit masks of the positions of each token in one peer sentence, indexed by token id.
pub(crate) struct PeerMasks<'a> {
    /// Per token id: index of its mask in `arena`, or [`NO_TOKEN`].
    pub slot: &'a [u32],
    /// `words` u64 per distinct token of the sentence.
    pub arena: &'a [u64],
    pub words: usize,
}

impl PeerMasks<'_> {
    fn get(&self, token: u32) -> Option<&[u64]> {
        match self.slot.get(token as usize) {
            Some(&s) if s != NO_TOKEN => {
                let s = s as usize * self.words;
                self.arena.get(s..s + self.words)
            }
            _ => None,
        }
    }
}

/// ROUGE-L's `lcs_inner` for one model sentence and one peer sentence, bit-parallel.
pub(crate) struct BitLcs<'a> {
    pub model: &'a [u32],
    pub peer: &'a [u32],
    pub masks: &'a PeerMasks<'a>,
}

impl RowDp for BitLcs<'_> {
    type Cell = u64;

    fn width(&self) -> usize {
        self.masks.words
    }

    fn first_row(&self, row: &mut [u64]) {
        row.fill(!0);
    }

    fn next_row(&self, i: usize, prev: &[u64], row: &mut [u64]) {
        match self.masks.get(self.model[i - 1]) {
            None => row.copy_from_slice(prev),
            Some(m) => {
                // Hyyrö: V' = (V + (V & M)) | (V & !M), with the carry across words.
                let mut carry = false;
                for k in 0..row.len() {
                    let v = prev[k];
                    let u = v & m[k];
                    let (s1, c1) = v.overflowing_add(u);
                    let (s2, c2) = s1.overflowing_add(u64::from(carry));
                    carry = c1 || c2;
                    row[k] = s2 | (v & !m[k]);
                }
            }
        }
    }

    fn is_match(&self, i: usize, j: usize) -> bool {
        self.model[i - 1] == self.peer[j - 1]
    }

    /// `c[i-1][j] >= c[i][j-1]` without counting bits. With `inc = c[i][j] - c[i][j-1]` (1
    /// when bit j-1 of row i is 0) and `dv = c[i][j] - c[i-1][j]`, the test is `dv <= inc`.
    /// Row i differs from row i-1 only where a run of ones `[s, e]` of row i-1 held a match:
    /// its lowest match `p` turns to 0 and bit `e+1` to 1, and `dv = 1` exactly on `[p, e]`,
    /// which is the difference `(row & !prev) - (prev & !row)` (borrows stay inside runs).
    fn prefer_up(&self, prev: &[u64], row: &[u64], j: usize) -> bool {
        let (word, bit) = ((j - 1) / 64, (j - 1) % 64);
        if (row[word] >> bit) & 1 == 0 {
            return true;
        }
        let mut borrow = 0u64;
        for k in 0..word {
            let (y, x) = (row[k] & !prev[k], prev[k] & !row[k]);
            let (d, b1) = y.overflowing_sub(x);
            let (_, b2) = d.overflowing_sub(borrow);
            borrow = u64::from(b1 || b2);
        }
        let (y, x) = (row[word] & !prev[word], prev[word] & !row[word]);
        let dv = y.wrapping_sub(x).wrapping_sub(borrow);
        (dv >> bit) & 1 == 0
    }
}

/// One cell of ROUGE-W's table: weighted length and length of the run of matches ending here.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WCell {
    c: f64,
    run: u32,
}

/// ROUGE-W's `wlcs_inner`: consecutive matches of length k weigh `k^weight`.
pub(crate) struct Wlcs<'a> {
    pub model: &'a [u32],
    pub peer: &'a [u32],
    /// `powers[k] = k^weight` (computed with `powf`, as Perl's `**`), for k up to the length
    /// of the shorter sentence + 1.
    pub powers: &'a [f64],
}

/// `k^weight` for k = 0..=max (the weights of runs of matches).
pub(crate) fn run_weights(weight: f64, max: usize) -> Vec<f64> {
    (0..=max).map(|k| (k as f64).powf(weight)).collect()
}

impl RowDp for Wlcs<'_> {
    type Cell = WCell;

    fn width(&self) -> usize {
        self.peer.len() + 1
    }

    fn first_row(&self, row: &mut [WCell]) {
        row.fill(WCell::default());
    }

    fn next_row(&self, i: usize, prev: &[WCell], row: &mut [WCell]) {
        let token = self.model[i - 1];
        row[0] = WCell::default();
        for j in 1..row.len() {
            row[j] = if token == self.peer[j - 1] {
                let k = prev[j - 1].run;
                // Same operations, in the same order, as the Perl:
                // $c[$i-1][$j-1] + ($k+1)**$w - $k**$w
                let c = prev[j - 1].c + self.powers[k as usize + 1] - self.powers[k as usize];
                WCell { c, run: k + 1 }
            } else if prev[j].c >= row[j - 1].c {
                WCell {
                    c: prev[j].c,
                    run: 0,
                }
            } else {
                WCell {
                    c: row[j - 1].c,
                    run: 0,
                }
            };
        }
    }

    fn is_match(&self, i: usize, j: usize) -> bool {
        self.model[i - 1] == self.peer[j - 1]
    }

    fn prefer_up(&self, prev: &[WCell], row: &[WCell], j: usize) -> bool {
        prev[j].c >= row[j - 1].c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `lcs_inner` + `markLCS` transcribed literally (full tables, direction letters).
    fn reference_marks(model: &[u32], peer: &[u32]) -> Vec<bool> {
        let (m, n) = (model.len(), peer.len());
        let mut c = vec![vec![0usize; n + 1]; m + 1];
        let mut b = vec![vec![' '; n + 1]; m + 1];
        for i in 1..=m {
            for j in 1..=n {
                if model[i - 1] == peer[j - 1] {
                    c[i][j] = c[i - 1][j - 1] + 1;
                    b[i][j] = '\\';
                } else if c[i - 1][j] >= c[i][j - 1] {
                    c[i][j] = c[i - 1][j];
                    b[i][j] = '^';
                } else {
                    c[i][j] = c[i][j - 1];
                    b[i][j] = '<';
                }
            }
        }
        let mut mask = vec![false; m];
        let (mut i, mut j) = (m, n);
        while i != 0 && j != 0 {
            match b[i][j] {
                '\\' => {
                    i -= 1;
                    j -= 1;
                    mask[i] = true;
                }
                '^' => i -= 1,
                _ => j -= 1,
            }
        }
        mask
    }

    fn bit_marks(model: &[u32], peer: &[u32], budget: usize) -> Vec<bool> {
        let words = peer.len().div_ceil(64);
        let vocab = 1 + model.iter().chain(peer).copied().max().unwrap_or(0) as usize;
        let mut slot = vec![NO_TOKEN; vocab];
        let mut arena = Vec::new();
        let mut distinct = 0u32;
        for (p, &t) in peer.iter().enumerate() {
            if slot[t as usize] == NO_TOKEN {
                slot[t as usize] = distinct;
                distinct += 1;
                arena.extend(std::iter::repeat_n(0u64, words));
            }
            arena[slot[t as usize] as usize * words + p / 64] |= 1 << (p % 64);
        }
        let masks = PeerMasks {
            slot: &slot,
            arena: &arena,
            words,
        };
        let dp = BitLcs {
            model,
            peer,
            masks: &masks,
        };
        let mut marks = vec![false; model.len()];
        mark_path(
            &dp,
            model.len(),
            peer.len(),
            &mut marks,
            &mut Vec::new(),
            budget,
        );
        marks
    }

    /// Deterministic pseudo-random sequences over a small alphabet (many ties).
    fn sequences(seed: u64, count: usize) -> Vec<(Vec<u32>, Vec<u32>)> {
        let mut x = seed;
        let mut next = move || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u32
        };
        (0..count)
            .map(|_| {
                let (m, n) = (next() % 150, next() % 150);
                let alphabet = 1 + next() % 12;
                let a = (0..m).map(|_| next() % alphabet).collect();
                let b = (0..n).map(|_| next() % alphabet).collect();
                (a, b)
            })
            .collect()
    }

    #[test]
    fn bit_parallel_walk_marks_the_same_positions_as_lcs_inner() {
        for (model, peer) in sequences(7, 400) {
            let want = reference_marks(&model, &peer);
            assert_eq!(
                bit_marks(&model, &peer, ROW_BUDGET),
                want,
                "{model:?} / {peer:?}"
            );
            // Checkpointed rows (tiny budget) walk the same path.
            assert_eq!(bit_marks(&model, &peer, 3), want, "{model:?} / {peer:?}");
        }
    }

    #[test]
    fn weighted_walk_with_checkpoints_matches_the_full_table() {
        for (model, peer) in sequences(11, 200) {
            let powers = run_weights(1.2, model.len().min(peer.len()) + 1);
            let dp = Wlcs {
                model: &model,
                peer: &peer,
                powers: &powers,
            };
            let mut full = vec![false; model.len()];
            let mut banded = vec![false; model.len()];
            mark_path(
                &dp,
                model.len(),
                peer.len(),
                &mut full,
                &mut Vec::new(),
                ROW_BUDGET,
            );
            mark_path(
                &dp,
                model.len(),
                peer.len(),
                &mut banded,
                &mut Vec::new(),
                5,
            );
            assert_eq!(full, banded);
        }
    }
}
