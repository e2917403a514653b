//! ROUGE as Google's `rouge-score` Python package computes it (rouge1, rouge2, rougeL,
//! rougeLsum), the flavour reported by Multi-News and most abstractive-summarization papers.
//!
//! It differs from ROUGE-1.5.5 ([`crate::rouge`]): its own tokenizer (lowercase, runs of
//! `[a-z0-9]`), NLTK's Porter stemmer (no WordNet exceptions, no 3-letter threshold), no
//! length limit, plain F1 without 5-decimal rounding, `rougeL` over the whole text and
//! `rougeLsum` over newline-separated sentences. Several references are combined like
//! `RougeScorer.score_multi`: per variant, the reference with the best F (the first on ties).
//!
//! The scoring is done by the `rougers` crate, which reproduces `rouge-score` 0.1.2 bit for
//! bit (checked here on a few cases computed with the Python package).

use rougers::{RougeScorer, RougeType};
use serde::{Deserialize, Serialize};

/// Precision, recall and F1 of one `rouge-score` variant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1 (`fmeasure`).
    pub fmeasure: f64,
}

impl From<rougers::Score> for Score {
    fn from(s: rougers::Score) -> Self {
        Score {
            precision: s.precision,
            recall: s.recall,
            fmeasure: s.fmeasure,
        }
    }
}

/// The four variants Multi-News-style papers report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RougeScoreScores {
    /// `rouge1`.
    pub rouge1: Score,
    /// `rouge2`.
    pub rouge2: Score,
    /// `rougeL` (LCS over the whole text).
    #[serde(rename = "rougeL")]
    pub rouge_l: Score,
    /// `rougeLsum` (summary-level LCS over newline-separated sentences).
    #[serde(rename = "rougeLsum")]
    pub rouge_lsum: Score,
}

impl RougeScoreScores {
    /// The mean of each field over `scores` (zeros for an empty slice).
    pub fn mean(scores: &[RougeScoreScores]) -> RougeScoreScores {
        let n = scores.len().max(1) as f64;
        let avg = |get: fn(&RougeScoreScores) -> Score| {
            let (mut p, mut r, mut f) = (0.0, 0.0, 0.0);
            for s in scores {
                let s = get(s);
                p += s.precision;
                r += s.recall;
                f += s.fmeasure;
            }
            Score {
                precision: p / n,
                recall: r / n,
                fmeasure: f / n,
            }
        };
        RougeScoreScores {
            rouge1: avg(|s| s.rouge1),
            rouge2: avg(|s| s.rouge2),
            rouge_l: avg(|s| s.rouge_l),
            rouge_lsum: avg(|s| s.rouge_lsum),
        }
    }
}

const TYPES: [RougeType; 4] = [
    RougeType::N(1),
    RougeType::N(2),
    RougeType::L,
    RougeType::LSum,
];

/// A `rouge-score` scorer for rouge1/rouge2/rougeL/rougeLsum.
#[derive(Clone, Debug)]
pub struct RougeScore {
    scorer: RougeScorer,
}

impl RougeScore {
    /// `RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"], use_stemmer=stem)`.
    pub fn new(stem: bool) -> RougeScore {
        let scorer = RougeScorer::with_tokenizer(TYPES.to_vec(), rougers::Tokenizer::new(stem))
            .expect("rouge1, rouge2, rougeL and rougeLsum are valid rouge-score types");
        RougeScore { scorer }
    }

    /// Scores `prediction` (sentences separated by `\n`, which only `rougeLsum` looks at)
    /// against `references` (same convention), keeping per variant the reference with the
    /// best F. Zeros when there is no reference.
    pub fn score<R: AsRef<str>>(&self, prediction: &str, references: &[R]) -> RougeScoreScores {
        let Some(scores) = self.scorer.score_multi(references, prediction) else {
            return RougeScoreScores::default();
        };
        let get = |t: RougeType| scores.get(t).map(Score::from).unwrap_or_default();
        RougeScoreScores {
            rouge1: get(RougeType::N(1)),
            rouge2: get(RougeType::N(2)),
            rouge_l: get(RougeType::L),
            rouge_lsum: get(RougeType::LSum),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triple(s: Score) -> [f64; 3] {
        [s.precision, s.recall, s.fmeasure]
    }

    /// Expected values printed by `rouge_score` 0.1.2 (Python) for the same texts.
    #[test]
    fn matches_python_rouge_score_with_and_without_stemming() {
        let reference =
            "Mice ran into the best houses.\nAgencies cooperated, relocating 1,200 families.";
        let prediction = "The mice were running into better houses.\nCo-operating agencies relocated 1,200 families.";
        let s = RougeScore::new(true).score(prediction, &[reference]);
        assert_eq!(
            triple(s.rouge1),
            [0.6428571428571429, 0.75, 0.6923076923076924]
        );
        assert_eq!(
            triple(s.rouge2),
            [0.23076923076923078, 0.2727272727272727, 0.24999999999999994]
        );
        assert_eq!(
            triple(s.rouge_l),
            [0.5714285714285714, 0.6666666666666666, 0.6153846153846153]
        );
        assert_eq!(
            triple(s.rouge_lsum),
            [0.5714285714285714, 0.6666666666666666, 0.6153846153846153]
        );
        let s = RougeScore::new(false).score(prediction, &[reference]);
        assert_eq!(
            triple(s.rouge1),
            [0.5714285714285714, 0.6666666666666666, 0.6153846153846153]
        );
        assert_eq!(
            triple(s.rouge2),
            [
                0.15384615384615385,
                0.18181818181818182,
                0.16666666666666669
            ]
        );
        assert_eq!(
            triple(s.rouge_l),
            [0.5, 0.5833333333333334, 0.5384615384615384]
        );
        assert_eq!(
            triple(s.rouge_lsum),
            [0.5, 0.5833333333333334, 0.5384615384615384]
        );
    }

    #[test]
    fn takes_the_best_reference_per_variant_like_score_multi() {
        let prediction =
            "Volunteers stacked sandbags along the river bank.\nThe old mill flooded on Tuesday.";
        let references = [
            "Floods hit the old mill by the river on Tuesday.\nVolunteers stacked sandbags.",
            "On Tuesday the river rose and flooded the mill.\nResidents and volunteers piled sandbags along the bank of the river.",
        ];
        let s = RougeScore::new(true).score(prediction, &references);
        assert_eq!(s.rouge1.fmeasure, 0.8461538461538461);
        assert_eq!(s.rouge2.fmeasure, 0.5);
        assert_eq!(s.rouge_l.fmeasure, 0.38461538461538464);
        assert_eq!(s.rouge_lsum.fmeasure, 0.7692307692307693);
    }

    #[test]
    fn no_reference_scores_zero() {
        let none: [&str; 0] = [];
        assert_eq!(
            RougeScore::new(true).score("anything", &none),
            RougeScoreScores::default()
        );
    }
}
