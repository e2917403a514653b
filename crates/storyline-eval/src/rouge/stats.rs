//! Rounding as ROUGE-1.5.5 prints, averages over evaluations and bootstrap intervals.

use serde::{Deserialize, Serialize};

use super::{ByMetric, Prf, RougeScores};

/// `sprintf("%7.5f", x)` read back as a number, as ROUGE-1.5.5 does before computing F
/// and before averaging. Rust's `{:.5}` formats the exact binary value with round-half-even
/// on exact ties (e.g. 1/64 = 0.015625 -> 0.01562), like glibc's `printf`.
pub(crate) fn round5(x: f64) -> f64 {
    format!("{x:.5}").parse().unwrap_or(x)
}

/// R and P rounded to 5 decimals, then F from the *rounded* values (also rounded):
/// `F = P*R / ((1-alpha)*P + alpha*R)`, 0 when the denominator is not positive.
pub(crate) fn finish(recall: f64, precision: f64, alpha: f64) -> Prf {
    let r = round5(recall);
    let p = round5(precision);
    let denominator = (1.0 - alpha) * p + alpha * r;
    let f = if denominator > 0.0 {
        round5((p * r) / denominator)
    } else {
        0.0
    };
    Prf {
        recall: r,
        precision: p,
        f,
    }
}

/// The mean of each metric over `scores` (e.g. the per-topic scores of one system).
///
/// This is the exact macro-average; ROUGE-1.5.5 prints the mean of its bootstrap resamples
/// instead, which differs from it in the last decimals. A metric missing from some entries is
/// averaged over the entries that have it. Metrics are listed in the order of the first entry.
pub fn average(scores: &[RougeScores]) -> RougeScores {
    let Some(first) = scores.first() else {
        return RougeScores::default();
    };
    let entries = first
        .iter()
        .map(|(metric, _)| {
            let mut sum = Prf::default();
            let mut count = 0usize;
            for s in scores.iter().filter_map(|s| s.get(metric)) {
                sum.recall += s.recall;
                sum.precision += s.precision;
                sum.f += s.f;
                count += 1;
            }
            let n = count.max(1) as f64;
            (
                metric,
                Prf {
                    recall: sum.recall / n,
                    precision: sum.precision / n,
                    f: sum.f / n,
                },
            )
        })
        .collect();
    ByMetric::from_entries(entries)
}

/// Options of [`bootstrap`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bootstrap {
    /// Number of resamples (ROUGE-1.5.5 `-r`, default 1000).
    pub resamples: usize,
    /// Confidence level in percent (ROUGE-1.5.5 `-c`, default 95).
    pub confidence: f64,
    /// Seed of the resampling generator: the same seed gives the same intervals.
    pub seed: u64,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            resamples: 1000,
            confidence: 95.0,
            seed: 0x5EED_2004,
        }
    }
}

/// A two-sided interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// Bootstrap estimate of recall, precision and F: mean of the resampled means and interval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PrfInterval {
    /// Mean of the resampled means (what ROUGE-1.5.5 prints as `Average_X`).
    pub mean: Prf,
    /// Recall interval.
    pub recall: Interval,
    /// Precision interval.
    pub precision: Interval,
    /// F-measure interval.
    pub f: Interval,
}

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, deterministic.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform index below `n` (n > 0), by multiply-shift.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

/// ROUGE-1.5.5's interval from sorted resample means: with `delta = R * (100 - c) / 200`,
/// the bounds interpolate around indices `int(delta)` and `int(R - delta - 1)`.
fn rouge_interval(sorted: &[f64], confidence: f64) -> Interval {
    let r = sorted.len();
    if r == 0 {
        return Interval::default();
    }
    let at = |i: usize| sorted[i.min(r - 1)];
    let delta = r as f64 * ((100.0 - confidence) / 2.0) / 100.0;
    let upper = (r as f64 - delta - 1.0).max(0.0);
    let ci_ua = upper as usize;
    let ci_la = delta.max(0.0) as usize;
    let ratio = upper - ci_ua as f64;
    Interval {
        low: at(ci_la) + (at(ci_la + 1) - at(ci_la)) * ratio,
        high: at(ci_ua) + (at(ci_ua + 1) - at(ci_ua)) * ratio,
    }
}

/// Bootstrap confidence intervals of the mean of each metric over `scores` (resampling the
/// entries with replacement), computed as ROUGE-1.5.5's `computeAverages` does but with our
/// own deterministic generator (Perl's `srand`/`rand` sequence is not reproduced).
pub fn bootstrap(scores: &[RougeScores], opts: &Bootstrap) -> ByMetric<PrfInterval> {
    let Some(first) = scores.first() else {
        return ByMetric::default();
    };
    let resamples = opts.resamples.max(1);
    let metrics: Vec<_> = first.iter().map(|(m, _)| m).collect();
    let values: Vec<Vec<Prf>> = metrics
        .iter()
        .map(|&m| {
            scores
                .iter()
                .map(|s| s.get(m).unwrap_or_default())
                .collect()
        })
        .collect();
    let n = scores.len();
    let mut rng = SplitMix64(opts.seed);
    let mut means: Vec<[Vec<f64>; 3]> = metrics
        .iter()
        .map(|_| std::array::from_fn(|_| Vec::with_capacity(resamples)))
        .collect();
    let mut picks = vec![0usize; n];
    for _ in 0..resamples {
        for p in picks.iter_mut() {
            *p = rng.below(n);
        }
        for (vals, out) in values.iter().zip(means.iter_mut()) {
            let mut sum = [0.0f64; 3];
            for &p in &picks {
                sum[0] += vals[p].recall;
                sum[1] += vals[p].precision;
                sum[2] += vals[p].f;
            }
            for (o, s) in out.iter_mut().zip(sum) {
                o.push(s / n as f64);
            }
        }
    }
    let entries = metrics
        .into_iter()
        .zip(means)
        .map(|(metric, mut m)| {
            for v in m.iter_mut() {
                v.sort_by(f64::total_cmp);
            }
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
            let estimate = PrfInterval {
                mean: Prf {
                    recall: mean(&m[0]),
                    precision: mean(&m[1]),
                    f: mean(&m[2]),
                },
                recall: rouge_interval(&m[0], opts.confidence),
                precision: rouge_interval(&m[1], opts.confidence),
                f: rouge_interval(&m[2], opts.confidence),
            };
            (metric, estimate)
        })
        .collect();
    ByMetric::from_entries(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_like_perl_sprintf() {
        assert_eq!(round5(0.015625), 0.01562);
        assert_eq!(round5(0.046875), 0.04688);
        assert_eq!(round5(2.0 / 3.0), 0.66667);
        assert_eq!(round5(0.0), 0.0);
    }

    #[test]
    fn f_is_computed_from_rounded_recall_and_precision() {
        let prf = finish(1.0 / 3.0, 2.0 / 3.0, 0.5);
        assert_eq!(prf.recall, 0.33333);
        assert_eq!(prf.precision, 0.66667);
        // 0.66667*0.33333/(0.5*0.66667+0.5*0.33333) = 0.444441... -> 0.44444
        assert_eq!(prf.f, 0.44444);
        assert_eq!(finish(0.0, 0.0, 0.5).f, 0.0);
    }

    #[test]
    fn rouge_interval_indices_for_1000_resamples_at_95() {
        let sorted: Vec<f64> = (0..1000).map(f64::from).collect();
        let ci = rouge_interval(&sorted, 95.0);
        assert_eq!((ci.low, ci.high), (25.0, 974.0));
    }
}
