//! ROUGE exactly as the original Perl `ROUGE-1.5.5.pl` computes it.
//!
//! ROUGE: Lin, Chin-Yew (2004), "ROUGE: A Package for Automatic Evaluation of Summaries",
//! Text Summarization Branches Out (ACL 2004 workshop). The reference implementation is
//! C.-Y. Lin's `ROUGE-1.5.5.pl` (2005), which DUC/TAC and most extractive-summarization papers
//! report. This module reproduces its numbers digit for digit: ROUGE-N (`-n`), ROUGE-L
//! (summary-level union LCS), ROUGE-W (`-w`), ROUGE-SU (`-2 d -u`), the length limits (`-l`,
//! `-b`), stemming with the WordNet exception list before Porter (`-m`), stopword removal
//! (`-s`), model averaging or best model (`-f A|B`), `alpha` (`-p`) and the 5-decimal rounding
//! of every reported number. It was validated against NIST's official DUC 2006 ROUGE output
//! (see the crate README).
//!
//! A summary is a list of sentences (the `<a>` units of ROUGE's SEE files). Each string is
//! taken as the raw text of one unit: in a real SEE file it cannot contain `<` or a newline.
//!
//! ```
//! use storyline_eval::rouge::{Metric, Rouge, RougeConfig};
//!
//! let rouge = Rouge::new(RougeConfig { stem: true, ..RougeConfig::default() })?;
//! let peer = ["The cats sat on the mat."];
//! let models = [vec!["A cat was sitting on the mat."], vec!["The cat sat."]];
//! let scores = rouge.score_texts(&peer, &models);
//! println!("ROUGE-2 R = {:.5}", scores.get(Metric::N(2)).unwrap_or_default().recall);
//! # Ok::<(), storyline_eval::rouge::ConfigError>(())
//! ```

mod index;
mod lcs;
mod stats;
mod text;

use std::fmt;
use std::str::FromStr;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use index::{References, Summary};
pub use stats::{Bootstrap, Interval, PrfInterval, average, bootstrap};

use index::{Tally, model_tallies};
use stats::finish;
use text::{Lexicon, TextOptions};

/// Length limit applied to peers and models when they are read (ROUGE-1.5.5 `-l` / `-b`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// `-l N`: the first N whitespace-separated words of the raw text. 0 means no limit.
    Words(usize),
    /// `-b N`: the first N bytes of the raw text. 0 means no limit.
    Bytes(usize),
}

/// How scores against several references are combined (ROUGE-1.5.5 `-f`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultiRef {
    /// `-f A`: hits and counts are summed over the models (recall = total hits / total model
    /// n-grams; the peer count is added once per model for precision).
    #[default]
    Average,
    /// `-f B`: the counts of the model with the best per-model recall (first one on ties).
    Best,
}

/// What to compute and how (the ROUGE-1.5.5 command-line options that change numbers).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RougeConfig {
    /// ROUGE-1 .. ROUGE-`max_n` (`-n`); 0 computes no ROUGE-N.
    pub max_n: usize,
    /// Stem tokens longer than 3 bytes: WordNet 2.0 exceptions, then Porter (`-m`).
    pub stem: bool,
    /// Drop SMART stopwords before counting (`-s`).
    pub remove_stopwords: bool,
    /// Length limit for peers and models (`-l` / `-b`); `None` = whole summaries.
    pub limit: Option<Limit>,
    /// Compute ROUGE-L (on unless `-x`).
    pub lcs: bool,
    /// Compute ROUGE-W with this weight (`-w`, usually 1.2); must be > 0.
    pub wlcs_weight: Option<f64>,
    /// `Some(d)`: ROUGE-SU`d`, skip-bigrams with at most `d` words between them plus unigrams
    /// (`-2 d -u`).
    pub skip_distance: Option<usize>,
    /// Weight of precision in F (`-p`, 0..=1): `F = PR / ((1-alpha) P + alpha R)`.
    pub alpha: f64,
    /// How several references combine (`-f`).
    pub multi_ref: MultiRef,
    /// With K >= 2 references, score K evaluations that each leave one reference out and
    /// report their mean (what NIST did for DUC 2005-2007 so that humans and systems get
    /// comparable scores). With fewer references, one plain evaluation.
    pub jackknife: bool,
}

impl Default for RougeConfig {
    /// `-n 4 -2 4 -u -f A -p 0.5` with ROUGE-L, no stemming, no limit, no jackknife.
    fn default() -> Self {
        RougeConfig {
            max_n: 4,
            stem: false,
            remove_stopwords: false,
            limit: None,
            lcs: true,
            wlcs_weight: None,
            skip_distance: Some(4),
            alpha: 0.5,
            multi_ref: MultiRef::Average,
            jackknife: false,
        }
    }
}

/// An invalid [`RougeConfig`] (ROUGE-1.5.5 refuses the same values).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// `alpha` must lie in 0..=1.
    #[error("alpha must be between 0 and 1, got {0}")]
    Alpha(f64),
    /// The ROUGE-W weight must be a finite number > 0.
    #[error("the ROUGE-W weight must be greater than 0, got {0}")]
    Weight(f64),
}

impl RougeConfig {
    /// NIST's DUC 2006 setting: `-n 4 -w 1.2 -m -2 4 -u -f A -p 0.5`, jackknifed.
    pub fn duc2006() -> Self {
        RougeConfig {
            stem: true,
            wlcs_weight: Some(1.2),
            jackknife: true,
            ..RougeConfig::default()
        }
    }

    /// Checks the values ROUGE-1.5.5 would reject.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(0.0..=1.0).contains(&self.alpha) {
            return Err(ConfigError::Alpha(self.alpha));
        }
        if let Some(w) = self.wlcs_weight
            && !(w.is_finite() && w > 0.0)
        {
            return Err(ConfigError::Weight(w));
        }
        Ok(())
    }

    /// The metrics this configuration computes, in ROUGE-1.5.5's output order.
    pub fn metrics(&self) -> Vec<Metric> {
        let mut metrics: Vec<Metric> = (1..=self.max_n).map(Metric::N).collect();
        if self.lcs {
            metrics.push(Metric::L);
        }
        if self.wlcs_weight.is_some() {
            metrics.push(Metric::W);
        }
        if let Some(d) = self.skip_distance {
            metrics.push(Metric::SU(d));
        }
        metrics
    }

    /// The equivalent ROUGE-1.5.5 options (for reports), e.g.
    /// `-n 4 -m -l 250 -2 4 -u -f A -p 0.5`.
    pub fn rouge155_options(&self) -> String {
        let mut o = vec![format!("-n {}", self.max_n)];
        if let Some(w) = self.wlcs_weight {
            o.push(format!("-w {w}"));
        }
        if self.stem {
            o.push("-m".into());
        }
        if self.remove_stopwords {
            o.push("-s".into());
        }
        match self.limit {
            Some(Limit::Words(n)) if n > 0 => o.push(format!("-l {n}")),
            Some(Limit::Bytes(n)) if n > 0 => o.push(format!("-b {n}")),
            _ => {}
        }
        if !self.lcs {
            o.push("-x".into());
        }
        if let Some(d) = self.skip_distance {
            o.push(format!("-2 {d} -u"));
        }
        let f = match self.multi_ref {
            MultiRef::Average => "A",
            MultiRef::Best => "B",
        };
        o.push(format!("-f {f} -p {}", self.alpha));
        o.join(" ")
    }

    fn text_options(&self) -> TextOptions {
        TextOptions {
            limit: self.limit,
            stem: self.stem,
            remove_stopwords: self.remove_stopwords,
        }
    }
}

/// One ROUGE variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Metric {
    /// ROUGE-N: n-gram co-occurrence.
    N(usize),
    /// ROUGE-L: summary-level union longest common subsequence.
    L,
    /// ROUGE-W: weighted LCS (the weight is in the configuration).
    W,
    /// ROUGE-SU`d`: skip-bigrams (gap at most `d`) plus unigrams.
    SU(usize),
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Metric::N(n) => write!(f, "ROUGE-{n}"),
            Metric::L => f.write_str("ROUGE-L"),
            Metric::W => f.write_str("ROUGE-W"),
            Metric::SU(d) => write!(f, "ROUGE-SU{d}"),
        }
    }
}

/// A metric name that [`Metric`] does not know.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown ROUGE metric name {0:?}")]
pub struct UnknownMetric(pub String);

impl FromStr for Metric {
    type Err = UnknownMetric;

    /// Parses `ROUGE-2`, `ROUGE-L`, `ROUGE-W` (also `ROUGE-W-1.2`) and `ROUGE-SU4`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || UnknownMetric(s.to_owned());
        let rest = s.strip_prefix("ROUGE-").ok_or_else(err)?;
        if rest == "L" {
            Ok(Metric::L)
        } else if rest == "W" || rest.starts_with("W-") {
            Ok(Metric::W)
        } else if let Some(d) = rest.strip_prefix("SU") {
            d.parse().map(Metric::SU).map_err(|_| err())
        } else {
            rest.parse().map(Metric::N).map_err(|_| err())
        }
    }
}

impl Serialize for Metric {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Metric {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(de::Error::custom)
    }
}

/// Recall, precision and F-measure of one metric.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    /// Recall (`R`).
    pub recall: f64,
    /// Precision (`P`).
    pub precision: f64,
    /// F-measure (`F`, weighted by `alpha`).
    pub f: f64,
}

/// Values per metric, in metric order; serialized as a JSON object `{"ROUGE-1": ..., ...}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ByMetric<T> {
    entries: Vec<(Metric, T)>,
}

impl<T> Default for ByMetric<T> {
    fn default() -> Self {
        ByMetric {
            entries: Vec::new(),
        }
    }
}

impl<T: Copy> ByMetric<T> {
    pub(crate) fn from_entries(entries: Vec<(Metric, T)>) -> Self {
        ByMetric { entries }
    }

    /// The value of `metric`, if it was computed.
    pub fn get(&self, metric: Metric) -> Option<T> {
        self.entries
            .iter()
            .find(|(m, _)| *m == metric)
            .map(|&(_, v)| v)
    }

    /// All (metric, value) pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (Metric, T)> + '_ {
        self.entries.iter().copied()
    }

    /// Number of metrics.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when no metric was computed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<T: Serialize> Serialize for ByMetric<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.entries.len()))?;
        for (metric, value) in &self.entries {
            map.serialize_entry(&metric.to_string(), value)?;
        }
        map.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ByMetric<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for MapVisitor<T> {
            type Value = ByMetric<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map from ROUGE metric names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((metric, value)) = map.next_entry::<Metric, T>()? {
                    entries.push((metric, value));
                }
                Ok(ByMetric { entries })
            }
        }
        d.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

/// Recall, precision and F for every metric of a configuration.
pub type RougeScores = ByMetric<Prf>;

/// A ROUGE-1.5.5 scorer: configuration plus the word lists it needs.
///
/// Cheap to create and `Send + Sync`. For many peers per topic, analyse each text once
/// ([`Rouge::analyze`]), index the topic's references once ([`Rouge::references`]) and call
/// [`Rouge::score`] per peer.
#[derive(Clone, Debug)]
pub struct Rouge {
    config: RougeConfig,
    lexicon: &'static Lexicon,
}

impl Rouge {
    /// A scorer for `config`, or the reason ROUGE-1.5.5 would refuse it.
    pub fn new(config: RougeConfig) -> Result<Rouge, ConfigError> {
        config.validate()?;
        Ok(Rouge {
            config,
            lexicon: Lexicon::get(),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &RougeConfig {
        &self.config
    }

    /// Reads, cuts, cleans and stems one summary given as its sentences.
    pub fn analyze<S: AsRef<str>>(&self, sentences: &[S]) -> Summary {
        Summary::analyze(sentences, &self.config.text_options(), self.lexicon)
    }

    /// Indexes the reference summaries of one topic (in order; the order only matters for
    /// `-f B` ties and the float sums of ROUGE-W).
    pub fn references(&self, models: &[Summary]) -> References {
        References::build(models, &self.config)
    }

    /// Scores `peer` against all references: one evaluation, or the mean of the
    /// leave-one-out evaluations when `jackknife` is set and there are at least two.
    pub fn score(&self, peer: &Summary, refs: &References) -> RougeScores {
        let metrics = self.config.metrics();
        let tallies = model_tallies(peer, refs, &metrics, self.config.wlcs_weight);
        let k = tallies.len();
        if !(self.config.jackknife && k >= 2) {
            return self.evaluate(&metrics, &tallies, &(0..k).collect::<Vec<_>>());
        }
        average(&self.leave_one_out(&metrics, &tallies))
    }

    /// The K leave-one-out evaluations of `peer` (entry `k` leaves reference `k` out), as
    /// NIST's jackknifed ROUGE runs list them. Empty with fewer than two references.
    pub fn score_leave_one_out(&self, peer: &Summary, refs: &References) -> Vec<RougeScores> {
        let metrics = self.config.metrics();
        let tallies = model_tallies(peer, refs, &metrics, self.config.wlcs_weight);
        if tallies.len() < 2 {
            return Vec::new();
        }
        self.leave_one_out(&metrics, &tallies)
    }

    fn leave_one_out(&self, metrics: &[Metric], tallies: &[Vec<Tally>]) -> Vec<RougeScores> {
        let k = tallies.len();
        (0..k)
            .map(|out| {
                let subset: Vec<usize> = (0..k).filter(|&i| i != out).collect();
                self.evaluate(metrics, tallies, &subset)
            })
            .collect()
    }

    /// One ROUGE-1.5.5 evaluation of `peer` with the references at positions `models` (in
    /// that order) as its models, whatever `jackknife` says. Positions out of range are
    /// ignored. This is one `Eval` line of ROUGE-1.5.5's `-d` output.
    pub fn score_with_models(
        &self,
        peer: &Summary,
        refs: &References,
        models: &[usize],
    ) -> RougeScores {
        let metrics = self.config.metrics();
        let tallies = model_tallies(peer, refs, &metrics, self.config.wlcs_weight);
        let subset: Vec<usize> = models
            .iter()
            .copied()
            .filter(|&i| i < tallies.len())
            .collect();
        self.evaluate(&metrics, &tallies, &subset)
    }

    /// Convenience: analyse the peer and the models (each a list of sentences) and score.
    pub fn score_texts<P, M, R>(&self, peer: &[P], models: &[R]) -> RougeScores
    where
        P: AsRef<str>,
        M: AsRef<str>,
        R: AsRef<[M]>,
    {
        let peer = self.analyze(peer);
        let models: Vec<Summary> = models.iter().map(|m| self.analyze(m.as_ref())).collect();
        self.score(&peer, &self.references(&models))
    }

    /// `computeNGramScore` & co. after the per-model counting: combine the models of one
    /// evaluation (`-f A` sums, `-f B` keeps the first best), then R, P, F rounded.
    fn evaluate(
        &self,
        metrics: &[Metric],
        tallies: &[Vec<Tally>],
        subset: &[usize],
    ) -> RougeScores {
        let entries = metrics
            .iter()
            .enumerate()
            .map(|(mi, &metric)| {
                let total = match self.config.multi_ref {
                    MultiRef::Average => subset.iter().fold(Tally::default(), |acc, &k| {
                        let t = tallies[k][mi];
                        Tally {
                            hit: acc.hit + t.hit,
                            model: acc.model + t.model,
                            peer: acc.peer + t.peer,
                            select: 0.0,
                        }
                    }),
                    MultiRef::Best => {
                        let mut best = Tally {
                            select: -1.0,
                            ..Tally::default()
                        };
                        for &k in subset {
                            if tallies[k][mi].select > best.select {
                                best = tallies[k][mi];
                            }
                        }
                        best
                    }
                };
                let ratio = |a: f64, b: f64| if b != 0.0 { a / b } else { 0.0 };
                let mut recall = ratio(total.hit, total.model);
                let mut precision = ratio(total.hit, total.peer);
                if let (Metric::W, Some(w)) = (metric, self.config.wlcs_weight) {
                    // wlcsWeightInverse: the weighted ratio back to a length-like scale.
                    recall = recall.powf(1.0 / w);
                    precision = precision.powf(1.0 / w);
                }
                (metric, finish(recall, precision, self.config.alpha))
            })
            .collect();
        ByMetric::from_entries(entries)
    }
}

/// Scores one peer (a list of sentences) against reference summaries (each a list of
/// sentences) with `config`. For repeated scoring, use [`Rouge`] directly.
pub fn score<P, M, R>(
    peer: &[P],
    models: &[R],
    config: &RougeConfig,
) -> Result<RougeScores, ConfigError>
where
    P: AsRef<str>,
    M: AsRef<str>,
    R: AsRef<[M]>,
{
    Ok(Rouge::new(*config)?.score_texts(peer, models))
}
