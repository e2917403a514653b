//! The learned join decision: gradient-boosted regression trees over candidate features.
//!
//! Fitted by `tools/train_join_model.py` (scikit-learn's histogram gradient boosting; Ke et
//! al. 2017, Friedman 2001) on candidates of the even-numbered articles of the three
//! labelled dev streams; the odd-numbered articles are held out for evaluation. The model is
//! data (`join_model.txt`: 100 trees of depth 4), evaluated here.

use std::sync::LazyLock;

use super::Candidate;

/// One tree node: internal nodes go left when `feature <= threshold`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Node {
    feature: usize,
    threshold: f32,
    left: usize,
    right: usize,
    value: f32,
    leaf: bool,
}

/// Depth of the complete trees the model is evaluated as.
const DEPTH: usize = 4;
const SPLITS: usize = (1 << DEPTH) - 1;
const LEAVES: usize = 1 << DEPTH;

/// A tree of depth at most 4 laid out complete (a shallower leaf is repeated below itself),
/// so that evaluating it is four branch-free steps.
#[derive(Debug, Clone, PartialEq)]
struct CompleteTree {
    feature: [u8; SPLITS],
    threshold: [f32; SPLITS],
    leaf: [f32; LEAVES],
}

impl CompleteTree {
    /// Lays out `nodes` (root first); `None` if the tree is deeper than [`DEPTH`].
    fn from_nodes(nodes: &[Node]) -> Option<Self> {
        let mut t = CompleteTree {
            feature: [0; SPLITS],
            threshold: [f32::INFINITY; SPLITS],
            leaf: [0.0; LEAVES],
        };
        // (node in `nodes`, position in the complete layout, depth)
        let mut stack = vec![(0usize, 0usize, 0usize)];
        while let Some((n, pos, depth)) = stack.pop() {
            let node = nodes.get(n)?;
            if node.leaf {
                // Every complete-layout leaf under `pos` gets the value.
                let span = 1 << (DEPTH - depth);
                let first = ((pos + 1) << (DEPTH - depth)) - 1 - SPLITS;
                t.leaf[first..first + span].fill(node.value);
                // Splits under `pos` keep threshold +inf (always left): any path lands in span.
            } else {
                if depth >= DEPTH {
                    return None;
                }
                t.feature[pos] = u8::try_from(node.feature).ok()?;
                t.threshold[pos] = node.threshold;
                stack.push((node.left, 2 * pos + 1, depth + 1));
                stack.push((node.right, 2 * pos + 2, depth + 1));
            }
        }
        Some(t)
    }

    fn value(&self, features: &[f32; Candidate::FEATURES]) -> f32 {
        let mut pos = 0;
        for _ in 0..DEPTH {
            let right = features[usize::from(self.feature[pos])] > self.threshold[pos];
            pos = 2 * pos + 1 + usize::from(right);
        }
        self.leaf[pos - SPLITS]
    }
}

/// A boosted tree ensemble for binary classification.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinModel {
    baseline: f32,
    trees: Vec<Vec<Node>>,
    /// The same trees laid out complete, when all are shallow enough (the trainer's are).
    complete: Option<Vec<CompleteTree>>,
}

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("join model, line {line}: {message}")]
pub struct ModelError {
    line: usize,
    message: String,
}

impl JoinModel {
    /// Parses the text format written by `tools/train_join_model.py`.
    pub fn parse(text: &str) -> Result<Self, ModelError> {
        let err = |line: usize, message: &str| ModelError {
            line: line + 1,
            message: message.to_string(),
        };
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
        let (n, first) = lines.next().ok_or_else(|| err(0, "empty"))?;
        let baseline = first
            .strip_prefix("baseline ")
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| err(n, "expected `baseline B`"))?;
        let mut trees = Vec::new();
        while let Some((n, header)) = lines.next() {
            let count: usize = header
                .strip_prefix("tree ")
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| err(n, "expected `tree N`"))?;
            let mut nodes = Vec::with_capacity(count);
            for _ in 0..count {
                let (n, line) = lines.next().ok_or_else(|| err(n, "tree cut short"))?;
                let f: Vec<&str> = line.split_whitespace().collect();
                if f.len() != 6 {
                    return Err(err(n, "expected 6 fields"));
                }
                let num = |k: usize| f[k].parse::<f64>().map_err(|_| err(n, "not a number"));
                nodes.push(Node {
                    feature: num(0)? as usize,
                    threshold: num(1)? as f32,
                    left: num(2)? as usize,
                    right: num(3)? as usize,
                    value: num(4)? as f32,
                    leaf: num(5)? != 0.0,
                });
            }
            // Children come after their parent (as the trainer writes them): no cycles.
            let bad = nodes.iter().enumerate().any(|(k, x)| {
                !x.leaf
                    && (x.left <= k
                        || x.right <= k
                        || x.left >= count
                        || x.right >= count
                        || x.feature >= Candidate::FEATURES)
            });
            if bad || nodes.is_empty() {
                return Err(err(n, "node points outside its tree"));
            }
            trees.push(nodes);
        }
        let complete = trees.iter().map(|t| CompleteTree::from_nodes(t)).collect();
        Ok(JoinModel {
            baseline,
            trees,
            complete,
        })
    }

    /// The shipped model (`join_model.txt`, checked by a test).
    pub fn shipped() -> &'static JoinModel {
        static MODEL: LazyLock<JoinModel> = LazyLock::new(|| {
            JoinModel::parse(include_str!("join_model.txt")).unwrap_or(JoinModel {
                baseline: 0.0,
                trees: Vec::new(),
                complete: None,
            })
        });
        &MODEL
    }

    /// Number of trees.
    pub fn trees(&self) -> usize {
        self.trees.len()
    }

    /// The log-odds that the candidate is the article's event.
    pub fn log_odds(&self, features: &[f32; Candidate::FEATURES]) -> f32 {
        if let Some(trees) = &self.complete {
            return self.baseline + trees.iter().map(|t| t.value(features)).sum::<f32>();
        }
        let mut z = self.baseline;
        for tree in &self.trees {
            let mut k = 0;
            // A walk never needs more steps than the tree has nodes; the bound keeps a
            // malformed (cyclic) tree finite.
            for _ in 0..tree.len() {
                let node = &tree[k];
                if node.leaf {
                    z += node.value;
                    break;
                }
                k = if features[node.feature] <= node.threshold {
                    node.left
                } else {
                    node.right
                };
            }
        }
        z
    }

    /// The probability that the candidate is the article's event.
    pub fn probability(&self, features: &[f32; Candidate::FEATURES]) -> f32 {
        1.0 / (1.0 + (-self.log_odds(features)).exp())
    }

    /// [`JoinModel::probability`] of each candidate in `features`, written to `out` (same
    /// length). The same values, computed tree by tree across the candidates: each tree is
    /// read once, and the candidates' walks are independent work the processor overlaps
    /// (one candidate at a time is a chain of dependent loads; 1.5x as fast on the
    /// headline stream's join decisions).
    pub fn probabilities(&self, features: &[[f32; Candidate::FEATURES]], out: &mut [f32]) {
        debug_assert_eq!(features.len(), out.len());
        let Some(trees) = &self.complete else {
            for (f, o) in features.iter().zip(out.iter_mut()) {
                *o = self.probability(f);
            }
            return;
        };
        // `-0.0` is where `Iterator::sum` of f32 starts: the sums are bit-identical to
        // `log_odds`'s.
        out.fill(-0.0);
        for t in trees {
            for (f, o) in features.iter().zip(out.iter_mut()) {
                *o += t.value(f);
            }
        }
        for o in out.iter_mut() {
            *o = 1.0 / (1.0 + (-(self.baseline + *o)).exp());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_parses_and_prefers_a_clear_match_to_a_crowded_weak_one() {
        let m = JoinModel::parse(include_str!("join_model.txt")).expect("parses");
        assert_eq!(m.trees(), 100);
        // features: average, centroid, ln size, ln distinct, margin, ln near, ln words,
        // coverage, ln quiet days, rank
        let clear = [0.45, 0.5, 1.1, 1.1, 0.35, 0.7, 5.0, 0.8, 0.0, 0.0];
        let weak = [0.05, 0.07, 1.1, 1.1, -0.02, 2.5, 5.0, 0.2, 0.0, 3.0];
        assert!(m.probability(&clear) > 0.5, "{}", m.probability(&clear));
        assert!(m.probability(&weak) < 0.5, "{}", m.probability(&weak));
        assert!(std::ptr::eq(JoinModel::shipped(), JoinModel::shipped()));
        assert_eq!(JoinModel::shipped().trees(), 100);
    }

    #[test]
    fn the_complete_layout_gives_the_same_values_as_walking_the_trees() {
        let m = JoinModel::parse(include_str!("join_model.txt")).expect("parses");
        assert!(m.complete.is_some());
        let walk = JoinModel {
            complete: None,
            ..m.clone()
        };
        let mut x = 0x1234_5678_u64;
        for _ in 0..2000 {
            let mut f = [0.0f32; Candidate::FEATURES];
            for v in f.iter_mut() {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *v = ((x >> 40) as f32 / (1u64 << 24) as f32) * 3.0 - 1.0;
            }
            assert!((m.log_odds(&f) - walk.log_odds(&f)).abs() < 1e-4, "{f:?}");
        }
    }

    #[test]
    fn probabilities_of_many_candidates_are_each_ones_probability() {
        let m = JoinModel::shipped();
        let mut x = 0x9e37_79b9_u64;
        let mut many = Vec::new();
        for _ in 0..8 {
            let mut f = [0.0f32; Candidate::FEATURES];
            for v in f.iter_mut() {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *v = ((x >> 40) as f32 / (1u64 << 24) as f32) * 3.0 - 1.0;
            }
            many.push(f);
        }
        let mut out = vec![0.0; many.len()];
        m.probabilities(&many, &mut out);
        for (f, p) in many.iter().zip(&out) {
            assert_eq!(p.to_bits(), m.probability(f).to_bits());
        }
    }

    #[test]
    fn malformed_models_are_errors() {
        assert!(JoinModel::parse("").is_err());
        assert!(JoinModel::parse("baseline x").is_err());
        assert!(JoinModel::parse("baseline 0.1\ntree 2\n0 0.5 1 2 0 0\n").is_err());
        assert!(JoinModel::parse("baseline 0.1\ntree 1\n0 0.5 0 0 1.5 0\n").is_err());
    }
}
