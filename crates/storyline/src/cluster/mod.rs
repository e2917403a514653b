//! Event clustering of an article stream, one article at a time.
//!
//! After Miranda et al. (2018), "Multilingual Clustering of Streaming News" (EMNLP): each
//! article is a TF-IDF vector (headline words count extra), compared with the centroids of
//! the events it could belong to; candidates come from an inverted index of each event's
//! most characteristic terms, so the cost per article does not grow with the number of
//! events. Miranda et al. learn the similarity from features; here it is the cosine with the
//! centroid, and the decision to join adapts to how crowded the neighbourhood is:
//!
//! - join the best event when the similarity is high (`join`), or
//! - when it is at least `join_low` and clearly better than the runner-up (a ratio test, as
//!   Lowe's for feature matching): an article about a well-separated topic joins it at lower
//!   similarity, while one among several close stories needs a strong match.
//!
//! Copies are found first ([`crate::dedup`]): a near-duplicate joins the event of the article
//! it copies and is reported as `duplicate_of`.
//!
//! State is bounded. Events quiet for longer than the window (article time; an article
//! without a date is placed one second after the previous one) leave the *active* set and
//! are kept, with a smaller centroid, in an *archive* of fixed capacity, where a follow-up
//! can still find and reopen them; the archive forgets the longest-quiet events first.
//! Document frequencies live in a count-min sketch whose counts halve periodically.

use std::collections::{BTreeSet, VecDeque};

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use storyline_text::HashingAnalyzer;

mod index;
mod model;
mod storyline;

pub use model::{JoinModel, ModelError};

use index::{Probe, TermIndex, fetch, strongest_terms};
use storyline::Storylines;

use crate::article::Article;
use crate::clean::Cleaner;
use crate::dedup::{DuplicateIndex, DuplicateKind, MinHasher, Signature, exact_key};

/// Settings of the clusterer.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterOptions {
    /// Seconds of article time after which a quiet event leaves the active set (for the
    /// archive, where a follow-up may still reopen it). Bounds memory and the events an
    /// article is compared with in full; not how long an event lasts (see `max_quiet_secs`).
    pub window_secs: i64,
    /// The longest quiet gap (article time) an event may bridge: no article, copies
    /// included, joins an event whose last article is older than this (a copy of one of its
    /// articles is then not reported as a copy). `None`: no limit; archived events may be
    /// reopened by follow-ups and copies join the event of the article they copy.
    pub max_quiet_secs: Option<i64>,
    /// Retired events kept (compactly) for follow-ups.
    pub archive_capacity: usize,
    /// Recent articles kept for duplicate detection (and duplicate-id checks).
    pub dedup_capacity: usize,
    /// Estimated Jaccard similarity (word 3-shingles) from which an article is a near
    /// duplicate.
    pub near_duplicate: f32,
    /// Cosine with an event's centroid from which an article joins it outright.
    pub join: f32,
    /// Lowest cosine at which an article may join a clearly best event.
    pub join_low: f32,
    /// How much better than the runner-up the best event must be at low similarity.
    pub ratio: f32,
    /// Decide with the learned model ([`JoinModel`], the default) or the threshold rule
    /// (`join`, `join_low`, `ratio`).
    pub learned: bool,
    /// Probability from which the learned decision joins the best candidate.
    pub join_probability: f32,
    /// A join model to use instead of the shipped one (for fitting a new one).
    pub join_model: Option<std::sync::Arc<JoinModel>>,
    /// How an article's similarity to an event is measured: 0 is average link (the mean
    /// cosine with the event's articles, which a broad event cannot inflate), 1 the cosine
    /// with the centroid (which lets broad events keep growing); in between, a blend.
    pub link_mix: f32,
    /// Weight of headline words relative to body words.
    pub title_weight: f32,
    /// Body words read per article.
    pub max_body_words: usize,
    /// Terms kept in an article's vector.
    pub article_terms: usize,
    /// Terms kept in an active event's centroid.
    pub centroid_terms: usize,
    /// Terms kept in an archived event's centroid.
    pub archive_terms: usize,
    /// Terms of an active event entered in the inverted index.
    pub index_terms: usize,
    /// Terms of an archived event entered in the inverted index.
    pub archive_index_terms: usize,
    /// Terms of an article used to look up candidate events.
    pub query_terms: usize,
    /// Candidate events scored in full.
    pub candidates: usize,
    /// Events listed per term in the inverted index (the most recently indexed).
    pub max_postings: usize,
    /// Damped cosine with a storyline's profile from which a new event joins it (storylines
    /// are events linked into developing stories: see `cluster/storyline.rs`).
    pub storyline_join: f32,
    /// How a storyline's similarity is measured: 0 is average link (the mean cosine with its
    /// articles), 1 the cosine with its profile; in between, a blend.
    pub storyline_link_mix: f32,
    /// How much more similar than the runner-up the best storyline must be.
    pub storyline_ratio: f32,
    /// Days of quiet after which a storyline's similarity counts half.
    pub storyline_half_life_days: f32,
    /// Cosine of two storylines' profiles from which they are folded into one (0: never).
    pub storyline_merge: f32,
    /// Articles up to which an event alone in its storyline is compared again.
    pub storyline_review: u32,
    /// Terms kept in a storyline's profile.
    pub storyline_terms: usize,
    /// Terms of a storyline entered in its inverted index.
    pub storyline_index_terms: usize,
    /// Storylines kept (the longest-quiet are forgotten first).
    pub storyline_capacity: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            window_secs: 3 * 86_400,
            max_quiet_secs: None,
            archive_capacity: 100_000,
            dedup_capacity: 100_000,
            near_duplicate: 0.8,
            join: 0.45,
            join_low: 0.2,
            ratio: 1.8,
            learned: true,
            join_probability: 0.45,
            join_model: None,
            link_mix: 0.0,
            title_weight: 2.0,
            max_body_words: 400,
            article_terms: 80,
            centroid_terms: 200,
            archive_terms: 40,
            index_terms: 24,
            archive_index_terms: 12,
            query_terms: 12,
            candidates: 24,
            max_postings: 256,
            storyline_join: 0.25,
            storyline_link_mix: 1.0,
            storyline_ratio: 1.0,
            storyline_merge: 0.4,
            storyline_half_life_days: 365.0,
            storyline_review: 3,
            storyline_terms: 150,
            storyline_index_terms: 24,
            storyline_capacity: 50_000,
        }
    }
}

impl ClusterOptions {
    /// Sets one parameter by name (`join=0.4`), for experiments and the benchmark command.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let float = |v: &str| v.parse::<f32>().map_err(|e| format!("{key}: {e}"));
        let int = |v: &str| v.parse::<usize>().map_err(|e| format!("{key}: {e}"));
        match key {
            "window_secs" => self.window_secs = int(value)? as i64,
            "max_quiet_secs" => self.max_quiet_secs = Some(int(value)? as i64),
            "archive_capacity" => self.archive_capacity = int(value)?,
            "dedup_capacity" => self.dedup_capacity = int(value)?,
            "near_duplicate" => self.near_duplicate = float(value)?,
            "join" => self.join = float(value)?,
            "join_low" => self.join_low = float(value)?,
            "ratio" => self.ratio = float(value)?,
            "link_mix" => self.link_mix = float(value)?,
            "learned" => self.learned = value == "1" || value == "true",
            "join_probability" => self.join_probability = float(value)?,
            "title_weight" => self.title_weight = float(value)?,
            "max_body_words" => self.max_body_words = int(value)?,
            "article_terms" => self.article_terms = int(value)?,
            "centroid_terms" => self.centroid_terms = int(value)?,
            "archive_terms" => self.archive_terms = int(value)?,
            "index_terms" => self.index_terms = int(value)?,
            "archive_index_terms" => self.archive_index_terms = int(value)?,
            "query_terms" => self.query_terms = int(value)?,
            "candidates" => self.candidates = int(value)?,
            "max_postings" => self.max_postings = int(value)?,
            "storyline_join" => self.storyline_join = float(value)?,
            "storyline_link_mix" => self.storyline_link_mix = float(value)?,
            "storyline_ratio" => self.storyline_ratio = float(value)?,
            "storyline_merge" => self.storyline_merge = float(value)?,
            "storyline_half_life_days" => self.storyline_half_life_days = float(value)?,
            "storyline_review" => self.storyline_review = int(value)? as u32,
            "storyline_terms" => self.storyline_terms = int(value)?,
            "storyline_index_terms" => self.storyline_index_terms = int(value)?,
            "storyline_capacity" => self.storyline_capacity = int(value)?,
            _ => return Err(format!("unknown parameter {key:?}")),
        }
        Ok(())
    }
}

/// What the clusterer needs from one article. Computing it is the expensive, parallel part
/// of the stream ([`Featurizer`]); assigning it is sequential ([`EventClusterer::assign`]).
/// Serializable, to be computed on one machine and assigned on another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleFeatures {
    /// The article's id.
    pub id: String,
    /// Publication time (Unix seconds), if known.
    pub time: Option<i64>,
    /// Content terms with sublinear term frequency (headline words weighted), by term.
    pub terms: Vec<(u64, f32)>,
    /// MinHash signature of the body's word 3-shingles.
    pub signature: Signature,
    /// Hash of the exact word sequence.
    pub exact: u64,
    /// Words read.
    pub words: usize,
}

/// Turns articles into [`ArticleFeatures`]. One per worker thread.
#[derive(Debug, Clone)]
pub struct Featurizer {
    analyzer: HashingAnalyzer,
    minhash: MinHasher,
    cleaner: Cleaner,
    title_weight: f32,
    max_body_words: usize,
}

impl Featurizer {
    /// A featurizer for the given options.
    pub fn new(opts: &ClusterOptions) -> Self {
        Featurizer {
            analyzer: HashingAnalyzer::default(),
            minhash: MinHasher,
            cleaner: Cleaner::new(),
            title_weight: opts.title_weight,
            max_body_words: opts.max_body_words,
        }
    }

    /// The features of one article (cleaned by shape first).
    pub fn features(&mut self, article: &Article) -> ArticleFeatures {
        let clean = self.cleaner.clean(article);
        // Text without sentence punctuation (keyword lists, snippets) is all "residue" to the
        // shape rules: then the raw text is used.
        let raw;
        let paragraphs: &[String] = if clean.paragraphs.is_empty() {
            raw = article.text.lines().map(str::to_string).collect::<Vec<_>>();
            &raw
        } else {
            &clean.paragraphs
        };
        let mut body = Vec::new();
        for p in paragraphs {
            self.analyzer.terms_into(p, &mut body);
            if body.len() >= self.max_body_words {
                body.truncate(self.max_body_words);
                break;
            }
        }
        let mut title = Vec::new();
        self.analyzer.terms_into(&clean.title, &mut title);
        let all: Vec<u64> = body.iter().map(|t| t.hash).collect();
        let signature = self.minhash.signature(&all);
        // A few words are not enough to call two articles copies.
        let exact = if all.len() >= MIN_COPY_WORDS {
            exact_key(&all)
        } else {
            exact_key(&[article_seed(&article.id)])
        };
        let mut tf: FxHashMap<u64, f32> = FxHashMap::default();
        for t in body.iter().filter(|t| !t.stop) {
            *tf.entry(t.hash).or_insert(0.0) += 1.0;
        }
        let mut title_tf: FxHashMap<u64, f32> = FxHashMap::default();
        for t in title.iter().filter(|t| !t.stop) {
            *title_tf.entry(t.hash).or_insert(0.0) += 1.0;
        }
        let mut terms: FxHashMap<u64, f32> =
            tf.into_iter().map(|(t, n)| (t, 1.0 + n.ln())).collect();
        for (t, n) in title_tf {
            *terms.entry(t).or_insert(0.0) += self.title_weight * (1.0 + n.ln());
        }
        let mut terms: Vec<(u64, f32)> = terms.into_iter().collect();
        terms.sort_unstable_by_key(|t| t.0);
        ArticleFeatures {
            id: article.id.clone(),
            time: article.date.map(|d| d.unix_seconds()),
            terms,
            signature,
            exact,
            words: body.len() + title.len(),
        }
    }
}

/// Articles with fewer body words are never taken for copies of one another.
const MIN_COPY_WORDS: usize = 5;

/// A key unique to an article (for texts too short to compare).
fn article_seed(id: &str) -> u64 {
    storyline_text::term_hash(id) ^ 0xA5A5_A5A5_A5A5_A5A5
}

/// Where an article went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// The article's id.
    pub id: String,
    /// The event's id (the id of its first article).
    pub event: String,
    /// The storyline's id (the id of its first event).
    pub storyline: String,
    /// The earlier article this one copies, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<String>,
    /// Exact or near copy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicate: Option<DuplicateKind>,
    /// The article started a new event.
    #[serde(skip)]
    pub new_event: bool,
    /// The article started a new storyline.
    #[serde(skip)]
    pub new_storyline: bool,
    /// Storylines folded into others while this article was assigned, in order: (id of the
    /// storyline folded, id of the one it went into). Events reported earlier in the folded
    /// one now belong to the other; a store applies these to its rows.
    #[serde(skip)]
    pub folded: Vec<(String, String)>,
    /// Cosine with the event joined (1 for copies, 0 for a new event).
    #[serde(skip)]
    pub similarity: f32,
}

/// Sizes of the clusterer's state, for monitoring memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterStats {
    /// Articles assigned.
    pub articles: u64,
    /// Events created.
    pub events_created: u64,
    /// Events in the active window.
    pub active: usize,
    /// Events in the archive.
    pub archived: usize,
    /// Articles held for duplicate detection.
    pub dedup: usize,
    /// Terms in the inverted index.
    pub index_terms: usize,
    /// Storylines created.
    #[serde(default)]
    pub storylines_created: u64,
    /// Storylines kept.
    #[serde(default)]
    pub storylines: usize,
}

/// A count-min sketch of document frequencies with periodic halving: fixed memory, recent
/// documents weigh more (Cormode & Muthukrishnan 2005).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DfSketch {
    counts: Vec<f32>,
    docs: f32,
    since_halving: u64,
}

const SKETCH_WIDTH: usize = 1 << 20;
const SKETCH_DEPTH: usize = 3;
const HALVE_EVERY: u64 = 200_000;

impl DfSketch {
    fn new() -> Self {
        DfSketch {
            counts: vec![0.0; SKETCH_WIDTH * SKETCH_DEPTH],
            docs: 0.0,
            since_halving: 0,
        }
    }

    fn slots(term: u64) -> [usize; SKETCH_DEPTH] {
        let mut out = [0; SKETCH_DEPTH];
        let mut h = term;
        for (d, o) in out.iter_mut().enumerate() {
            h = h.rotate_left(21).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (d as u64);
            *o = d * SKETCH_WIDTH + (h >> 44) as usize % SKETCH_WIDTH;
        }
        out
    }

    fn add_doc(&mut self, terms: &[(u64, f32)]) {
        for &(t, _) in terms {
            for s in Self::slots(t) {
                self.counts[s] += 1.0;
            }
        }
        self.docs += 1.0;
        self.since_halving += 1;
        if self.since_halving >= HALVE_EVERY {
            self.counts.iter_mut().for_each(|c| *c *= 0.5);
            self.docs *= 0.5;
            self.since_halving = 0;
        }
    }

    fn idf(&self, term: u64) -> f32 {
        let df = Self::slots(term)
            .iter()
            .map(|&s| self.counts[s])
            .fold(f32::MAX, f32::min);
        ((self.docs + 1.0) / (df + 1.0)).ln() + 1.0
    }
}

/// One event's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Event {
    id: String,
    /// idf-weighted term sums of its articles.
    /// Sorted by term.
    centroid: Vec<(u64, f32)>,
    norm2: f32,
    size: u32,
    /// Articles that were not copies of another.
    distinct: u32,
    last: i64,
    active: bool,
    /// Terms currently in the inverted index for this event.
    indexed: Vec<u64>,
    /// Its storyline (a key of [`Storylines`]).
    #[serde(default)]
    storyline: u64,
}

/// Groups a stream of articles into events. See the module documentation.
///
/// Its state serializes (without the options) so that a long run can be checkpointed and
/// resumed with [`EventClusterer::with_options`]; a resumed clusterer decides exactly as the
/// one that was saved.
#[derive(Debug, Serialize, Deserialize)]
pub struct EventClusterer {
    #[serde(skip)]
    opts: ClusterOptions,
    df: DfSketch,
    events: FxHashMap<u64, Event>,
    next_event: u64,
    postings: TermIndex,
    active_by_last: BTreeSet<(i64, u64)>,
    archived_by_last: BTreeSet<(i64, u64)>,
    dups: DuplicateIndex<u64>,
    /// Recent articles (by arrival number): id and event, evicted with the dedup index.
    recent: FxHashMap<u64, (Box<str>, u64)>,
    recent_order: VecDeque<u64>,
    recent_ids: FxHashSet<Box<str>>,
    arrivals: u64,
    clock: i64,
    retired: Vec<String>,
    #[serde(default)]
    storylines: Storylines,
}

impl EventClusterer {
    /// An empty clusterer.
    pub fn new(opts: ClusterOptions) -> Self {
        let dups = DuplicateIndex::new(opts.dedup_capacity, opts.near_duplicate);
        EventClusterer {
            opts,
            df: DfSketch::new(),
            events: FxHashMap::default(),
            next_event: 0,
            postings: TermIndex::default(),
            active_by_last: BTreeSet::new(),
            archived_by_last: BTreeSet::new(),
            dups,
            recent: FxHashMap::default(),
            recent_order: VecDeque::new(),
            recent_ids: FxHashSet::default(),
            arrivals: 0,
            clock: 0,
            retired: Vec::new(),
            storylines: Storylines::default(),
        }
    }

    /// A deserialized clusterer with the options of the run that saved it (options are not
    /// part of the saved state: the join model is shared, not copied).
    pub fn with_options(mut self, opts: ClusterOptions) -> Self {
        self.opts = opts;
        self
    }

    /// The options in use.
    pub fn options(&self) -> &ClusterOptions {
        &self.opts
    }

    /// Was this id seen among the recent articles (the duplicate-detection window)?
    pub fn seen_recently(&self, id: &str) -> bool {
        self.recent_ids.contains(id)
    }

    /// Sizes of the state.
    pub fn stats(&self) -> ClusterStats {
        ClusterStats {
            articles: self.arrivals,
            events_created: self.next_event,
            active: self.active_by_last.len(),
            archived: self.archived_by_last.len(),
            dedup: self.dups.len(),
            index_terms: self.postings.len(),
            storylines_created: self.storylines.created(),
            storylines: self.storylines.len(),
        }
    }

    /// Events that left the active window since the last call (ids), oldest first.
    pub fn take_retired(&mut self) -> Vec<String> {
        std::mem::take(&mut self.retired)
    }

    /// Ids of the events still active.
    pub fn active_events(&self) -> Vec<String> {
        self.active_by_last
            .iter()
            .filter_map(|(_, e)| self.events.get(e).map(|ev| ev.id.clone()))
            .collect()
    }

    /// Assigns one article to an event (a new one if nothing fits).
    pub fn assign(&mut self, f: ArticleFeatures) -> Assignment {
        let (seq, now, vector) = self.arrive(&f);
        let storylines_before = self.storylines.created();

        let dup = self.dups.find(f.exact, &f.signature).and_then(|d| {
            let (id, event) = self.recent.get(&d.of)?;
            let ev = self.events.get(event)?;
            self.bridges(ev.last, now)
                .then(|| (d, id.to_string(), *event))
        });
        let (event, duplicate_of, duplicate, similarity, new_event) = match dup {
            Some((d, of, event)) => (event, Some(of), Some(d.kind), d.similarity, false),
            None => match self.best_event(&vector, now, f.words) {
                Some((event, sim)) => (event, None, None, sim, false),
                None => (
                    self.create_event(&f.id, &vector, now),
                    None,
                    None,
                    0.0,
                    true,
                ),
            },
        };
        self.add_to_event(event, &vector, now, duplicate.is_none());
        self.remember(seq, &f, event);
        Assignment {
            id: f.id,
            event: self.events[&event].id.clone(),
            storyline: self.storyline_id(event),
            duplicate_of,
            duplicate,
            new_event,
            new_storyline: self.storylines.created() > storylines_before,
            folded: self.storylines.take_folds(),
            similarity,
        }
    }

    /// idf-weighted, L2-normalized, pruned to the strongest terms.
    /// Takes an article's arrival: its sequence number, the stream clock (events quiet too
    /// long retire), document frequencies; returns (sequence, time, weighted vector).
    fn arrive(&mut self, f: &ArticleFeatures) -> (u64, i64, Vec<(u64, f32)>) {
        let seq = self.arrivals;
        self.arrivals += 1;
        self.clock = match f.time {
            Some(t) => t.max(self.clock),
            None => self.clock + 1,
        };
        let now = f.time.unwrap_or(self.clock);
        self.retire(now);
        self.df.add_doc(&f.terms);
        (seq, now, self.weigh(&f.terms))
    }

    fn weigh(&self, terms: &[(u64, f32)]) -> Vec<(u64, f32)> {
        let mut v: Vec<(u64, f32)> = terms
            .iter()
            .map(|&(t, w)| (t, w * self.df.idf(t)))
            .collect();
        if v.len() > self.opts.article_terms {
            v.select_nth_unstable_by(self.opts.article_terms, |a, b| b.1.total_cmp(&a.1));
            v.truncate(self.opts.article_terms);
        }
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt().max(1e-9);
        v.iter_mut().for_each(|x| x.1 /= norm);
        v
    }

    /// Candidate events for an article vector, with what the decision looks at; best first.
    fn candidates(&self, vector: &[(u64, f32)], now: i64) -> Vec<Candidate> {
        let mut query: Vec<(u64, f32)> = vector.to_vec();
        query.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        query.truncate(self.opts.query_terms);
        let mut cands: Vec<(u64, f32)> = self.postings.overlap(&query).into_iter().collect();
        if cands.len() > self.opts.candidates {
            cands.select_nth_unstable_by(self.opts.candidates, |a, b| {
                b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
            });
            cands.truncate(self.opts.candidates);
        }
        let mix = self.opts.link_mix;
        let article = Probe::new(vector);
        let queried: FxHashSet<u64> = query.iter().map(|q| q.0).collect();
        let events = fetch(&cands, &self.events, |ev| &ev.centroid);
        let mut out: Vec<Candidate> = events
            .into_iter()
            .filter_map(|(e, ev)| {
                if ev.norm2 <= 0.0 || ev.size == 0 || !self.bridges(ev.last, now) {
                    return None;
                }
                let mut dot = 0.0;
                let mut covered = 0usize;
                article.shared(&ev.centroid, |t, c, w| {
                    dot += c * w;
                    covered += usize::from(queried.contains(&t));
                });
                let average = dot / ev.size as f32;
                let centroid = dot / ev.norm2.sqrt();
                Some(Candidate {
                    event: e,
                    score: (1.0 - mix) * average + mix * centroid,
                    average,
                    centroid,
                    size: ev.size,
                    distinct: ev.distinct,
                    quiet_days: (now - ev.last).max(0) as f32 / 86_400.0,
                    coverage: covered as f32 / query.len().max(1) as f32,
                })
            })
            .collect();
        out.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.event.cmp(&b.event)));
        out
    }

    /// The event to join, if any: see the module documentation for the rule.
    fn best_event(&self, vector: &[(u64, f32)], now: i64, words: usize) -> Option<(u64, f32)> {
        let cands = self.candidates(vector, now);
        if self.opts.learned {
            let model: &JoinModel = match &self.opts.join_model {
                Some(m) => m,
                None => JoinModel::shipped(),
            };
            let hood = Neighbourhood::of(&cands);
            // Candidates come best link first; the model only ever picks among the first few.
            let n = cands.len().min(MODEL_CANDIDATES);
            let mut features = [[0.0f32; Candidate::FEATURES]; MODEL_CANDIDATES];
            for (k, f) in features[..n].iter_mut().enumerate() {
                *f = Candidate::features_with(&cands, k, words as f32, &hood);
            }
            let mut probability = [0.0f32; MODEL_CANDIDATES];
            model.probabilities(&features[..n], &mut probability[..n]);
            let (k, p) = probability[..n]
                .iter()
                .copied()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
            return (p >= self.opts.join_probability).then_some((cands[k].event, cands[k].score));
        }
        let best = cands.first()?;
        let s1 = best.score;
        let s2 = cands.get(1).map_or(0.0, |x| x.score);
        let join = s1 >= self.opts.join || (s1 >= self.opts.join_low && s1 >= self.opts.ratio * s2);
        join.then_some((best.event, s1))
    }

    /// For studying the decision on labelled streams: the features of every candidate event
    /// (see [`Candidate::features`]) with the event's id, without changing any state.
    pub fn candidate_features(
        &self,
        f: &ArticleFeatures,
    ) -> Vec<(String, [f32; Candidate::FEATURES])> {
        let now = f.time.unwrap_or(self.clock + 1);
        let vector = self.weigh(&f.terms);
        let cands = self.candidates(&vector, now);
        let words = f.words as f32;
        (0..cands.len())
            .map(|k| {
                (
                    self.events[&cands[k].event].id.clone(),
                    Candidate::features(&cands, k, words),
                )
            })
            .collect()
    }

    /// For studying the decision on labelled streams: adds the article to the event with id
    /// `event` (an existing one), or to a new event when `None` (teacher forcing).
    pub fn assign_to(&mut self, f: ArticleFeatures, event: Option<&str>) -> Assignment {
        let (seq, now, vector) = self.arrive(&f);
        let storylines_before = self.storylines.created();
        let target = event.and_then(|id| {
            self.events
                .iter()
                .find(|(_, ev)| ev.id == id)
                .map(|(&e, _)| e)
        });
        let (e, new_event) = match target {
            Some(e) => (e, false),
            None => (self.create_event(&f.id, &vector, now), true),
        };
        self.add_to_event(e, &vector, now, true);
        self.remember(seq, &f, e);
        Assignment {
            id: f.id,
            event: self.events[&e].id.clone(),
            storyline: self.storyline_id(e),
            duplicate_of: None,
            duplicate: None,
            new_event,
            new_storyline: self.storylines.created() > storylines_before,
            folded: self.storylines.take_folds(),
            similarity: 0.0,
        }
    }

    /// May an article at `now` join an event whose last article was at `last`?
    fn bridges(&self, last: i64, now: i64) -> bool {
        self.opts.max_quiet_secs.is_none_or(|m| now - last <= m)
    }

    /// The id of event `e`'s storyline.
    fn storyline_id(&self, e: u64) -> String {
        let ev = &self.events[&e];
        self.storylines
            .id(ev.storyline)
            .unwrap_or(&ev.id)
            .to_string()
    }

    /// A new event for the article `id` (its first), linked to a storyline by the article's
    /// `vector`.
    fn create_event(&mut self, id: &str, vector: &[(u64, f32)], now: i64) -> u64 {
        let e = self.next_event;
        self.next_event += 1;
        let storyline = self.storylines.link(id, vector, now, &self.opts);
        self.events.insert(
            e,
            Event {
                id: id.to_string(),
                centroid: Vec::new(),
                norm2: 0.0,
                size: 0,
                distinct: 0,
                last: now,
                active: true,
                indexed: Vec::new(),
                storyline,
            },
        );
        self.active_by_last.insert((now, e));
        e
    }

    fn add_to_event(&mut self, e: u64, vector: &[(u64, f32)], now: i64, distinct: bool) {
        let Some(ev) = self.events.get_mut(&e) else {
            return;
        };
        if ev.active {
            self.active_by_last.remove(&(ev.last, e));
        } else {
            self.archived_by_last.remove(&(ev.last, e));
            ev.active = true;
        }
        ev.last = ev.last.max(now);
        self.active_by_last.insert((ev.last, e));
        ev.size += 1;
        ev.distinct += u32::from(distinct);
        let mut added: Vec<(u64, f32)> = vector.to_vec();
        added.sort_unstable_by_key(|x| x.0);
        ev.norm2 = merge_into(&mut ev.centroid, &added, ev.norm2);
        let keep = self.opts.centroid_terms;
        prune(&mut ev.centroid, &mut ev.norm2, keep);
        let (storyline, size) = (ev.storyline, ev.size);
        self.reindex(e);
        self.grow_storyline(e, storyline, size, vector, now);
    }

    /// Adds the vector of an article of event `e` (now of `size` articles) to its storyline,
    /// and moves a young event that is alone in its storyline to a closer one.
    fn grow_storyline(&mut self, e: u64, s: u64, size: u32, vector: &[(u64, f32)], now: i64) {
        let Some(ev) = self.events.get(&e) else {
            return;
        };
        let mut s = self.storylines.add(s, &ev.id, vector, now, &self.opts);
        if size >= 2
            && size <= self.opts.storyline_review
            && let Some(to) = self.storylines.review(s, &ev.centroid, now, &self.opts)
        {
            s = to;
        }
        if let Some(ev) = self.events.get_mut(&e) {
            ev.storyline = s;
        }
    }

    /// Keeps the inverted index in line with the event's strongest terms.
    fn reindex(&mut self, e: u64) {
        let Some(ev) = self.events.get_mut(&e) else {
            return;
        };
        let keep = if ev.active {
            self.opts.index_terms
        } else {
            self.opts.archive_index_terms
        };
        let new = strongest_terms(&ev.centroid, keep);
        let old = std::mem::replace(&mut ev.indexed, new.clone());
        let dropped = self.postings.replace(e, &old, &new, self.opts.max_postings);
        for (d, t) in dropped {
            if let Some(ev) = self.events.get_mut(&d) {
                ev.indexed.retain(|x| *x != t);
            }
        }
    }

    /// Moves events quiet for longer than the window to the archive, and forgets the
    /// longest-quiet archived events beyond its capacity.
    fn retire(&mut self, now: i64) {
        let horizon = now.saturating_sub(self.opts.window_secs);
        while let Some(&(last, e)) = self.active_by_last.first() {
            if last >= horizon {
                break;
            }
            self.active_by_last.pop_first();
            if let Some(ev) = self.events.get_mut(&e) {
                ev.active = false;
                prune(&mut ev.centroid, &mut ev.norm2, self.opts.archive_terms);
                ev.centroid.shrink_to_fit();
                self.retired.push(ev.id.clone());
            }
            self.archived_by_last.insert((last, e));
            self.reindex(e);
        }
        while self.archived_by_last.len() > self.opts.archive_capacity {
            let Some((_, e)) = self.archived_by_last.pop_first() else {
                break;
            };
            if let Some(ev) = self.events.remove(&e) {
                self.postings.remove(e, &ev.indexed);
            }
        }
    }

    fn remember(&mut self, seq: u64, f: &ArticleFeatures, event: u64) {
        self.dups.insert(seq, f.exact, f.signature.clone());
        let id: Box<str> = f.id.as_str().into();
        self.recent_ids.insert(id.clone());
        self.recent.insert(seq, (id, event));
        self.recent_order.push_back(seq);
        while self.recent_order.len() > self.opts.dedup_capacity {
            if let Some(old) = self.recent_order.pop_front()
                && let Some((id, _)) = self.recent.remove(&old)
            {
                self.recent_ids.remove(&id);
            }
        }
    }
}

/// Candidates (by link score) the learned decision considers.
const MODEL_CANDIDATES: usize = 8;

/// A candidate event for an article, and what the decision looks at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    event: u64,
    /// The blended link score the rule decides on (see `link_mix`).
    pub score: f32,
    /// Mean cosine with the event's articles.
    pub average: f32,
    /// Cosine with the event's centroid.
    pub centroid: f32,
    /// Articles in the event.
    pub size: u32,
    /// Articles that were not copies.
    pub distinct: u32,
    /// Days since the event last grew (0 for undated streams).
    pub quiet_days: f32,
    /// Share of the article's query terms found in the event's centroid.
    pub coverage: f32,
}

impl Candidate {
    /// Number of decision features.
    pub const FEATURES: usize = 10;

    /// The decision features of candidate `k` among `all` (sorted best first) for an
    /// article of `words` words: average link, centroid cosine, log size, log distinct size,
    /// margin over the best other candidate, log number of candidates with centroid cosine
    /// of 0.1 or more, log article length, query coverage, log quiet days, rank.
    pub fn features(all: &[Candidate], k: usize, words: f32) -> [f32; Self::FEATURES] {
        Self::features_with(all, k, words, &Neighbourhood::of(all))
    }

    fn features_with(
        all: &[Candidate],
        k: usize,
        words: f32,
        n: &Neighbourhood,
    ) -> [f32; Self::FEATURES] {
        let c = &all[k];
        let best_other = if k == n.best {
            n.second_average
        } else {
            n.best_average
        };
        [
            c.average,
            c.centroid,
            (1.0 + c.size as f32).ln(),
            (1.0 + c.distinct as f32).ln(),
            c.average - best_other,
            n.log_near,
            (1.0 + words).ln(),
            c.coverage,
            (1.0 + c.quiet_days).ln(),
            k as f32,
        ]
    }
}

/// What the features need to know about all candidates, computed once per article.
struct Neighbourhood {
    best: usize,
    best_average: f32,
    second_average: f32,
    log_near: f32,
}

impl Neighbourhood {
    fn of(all: &[Candidate]) -> Self {
        let (mut best, mut b1, mut b2) = (usize::MAX, 0.0f32, 0.0f32);
        for (i, c) in all.iter().enumerate() {
            if best == usize::MAX || c.average > b1 {
                b2 = b1;
                b1 = c.average;
                best = i;
            } else if c.average > b2 {
                b2 = c.average;
            }
        }
        let near = all.iter().filter(|x| x.centroid >= 0.1).count() as f32;
        Neighbourhood {
            best,
            best_average: b1,
            second_average: b2,
            log_near: (1.0 + near).ln(),
        }
    }
}

/// Keeps the `keep` strongest terms of a centroid (sorted by term again) once it has a
/// quarter more, and updates its squared norm.
fn prune(centroid: &mut Vec<(u64, f32)>, norm2: &mut f32, keep: usize) {
    if centroid.len() <= keep + keep / 4 {
        return;
    }
    centroid.select_nth_unstable_by(keep, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    centroid.truncate(keep);
    centroid.sort_unstable_by_key(|x| x.0);
    *norm2 = centroid.iter().map(|x| x.1 * x.1).sum();
}

/// Adds a term-sorted vector into a term-sorted centroid; returns the centroid's new squared
/// norm given the old one.
fn merge_into(centroid: &mut Vec<(u64, f32)>, added: &[(u64, f32)], mut norm2: f32) -> f32 {
    let old = std::mem::take(centroid);
    let mut out = Vec::with_capacity(old.len() + added.len());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < added.len() {
        let take_old = j == added.len() || (i < old.len() && old[i].0 < added[j].0);
        let take_new = i == old.len() || (j < added.len() && added[j].0 < old[i].0);
        if take_old {
            out.push(old[i]);
            i += 1;
        } else if take_new {
            norm2 += added[j].1 * added[j].1;
            out.push(added[j]);
            j += 1;
        } else {
            let (t, c) = old[i];
            let w = added[j].1;
            norm2 += (c + w) * (c + w) - c * c;
            out.push((t, c + w));
            i += 1;
            j += 1;
        }
    }
    *centroid = out;
    norm2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Timestamp;

    fn art(id: &str, title: &str, text: &str, date: Option<&str>) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            text: text.into(),
            source: None,
            url: None,
            date: date.and_then(Timestamp::parse),
        }
    }

    fn run(articles: &[Article], opts: ClusterOptions) -> Vec<Assignment> {
        let mut f = Featurizer::new(&opts);
        let mut c = EventClusterer::new(opts);
        articles.iter().map(|a| c.assign(f.features(a))).collect()
    }

    fn stream() -> Vec<Article> {
        vec![
            art(
                "h1",
                "Eastport harbor strike ends",
                "Dock workers in Eastport ended a three-week strike on Monday after the harbor council approved a wage deal for the union.",
                Some("2031-03-10"),
            ),
            art(
                "f1",
                "Flood waters rise in Brackwater",
                "The Tamsin river burst its banks in Brackwater, flooding hundreds of homes and forcing the evacuation of the valley town.",
                Some("2031-03-10"),
            ),
            art(
                "h2",
                "Harbor reopens in Eastport",
                "The Eastport harbor reopened on Tuesday as dock workers returned after the strike and the union wage deal.",
                Some("2031-03-11"),
            ),
            art(
                "f2",
                "Brackwater evacuated as Tamsin floods",
                "Rescuers evacuated Brackwater residents as the Tamsin river flooded homes across the valley town.",
                Some("2031-03-11"),
            ),
            art(
                "h3",
                "Harbor reopens in Eastport",
                "The Eastport harbor reopened on Tuesday as dock workers returned after the strike and the union wage deal.",
                Some("2031-03-11"),
            ),
        ]
    }

    #[test]
    fn articles_about_one_event_share_it_and_copies_are_reported() {
        let got = run(&stream(), ClusterOptions::default());
        let events: Vec<&str> = got.iter().map(|a| a.event.as_str()).collect();
        assert_eq!(events, ["h1", "f1", "h1", "f1", "h1"]);
        assert_eq!(got[4].duplicate_of.as_deref(), Some("h2"));
        assert_eq!(got[4].duplicate, Some(DuplicateKind::Exact));
        assert!(got[0].new_event && got[1].new_event && !got[2].new_event);
    }

    #[test]
    fn no_event_bridges_a_gap_longer_than_max_quiet_copies_included() {
        let mut later = stream();
        // An exact copy of h2's headline and text ten days later, and a follow-up.
        let mut copy = later[2].clone();
        copy.id = "h5".into();
        copy.date = Timestamp::parse("2031-03-21");
        later.push(copy);
        let unbounded = run(&later, ClusterOptions::default());
        assert_eq!(
            unbounded[5].event, "h1",
            "by default a copy joins its event"
        );
        let bounded = run(
            &later,
            ClusterOptions {
                window_secs: 2 * 86_400,
                max_quiet_secs: Some(2 * 86_400),
                ..ClusterOptions::default()
            },
        );
        assert_eq!(bounded[5].event, "h5", "{:?}", bounded[5]);
        assert!(bounded[5].new_event && bounded[5].duplicate_of.is_none());
        // Within the gap, nothing changes.
        let same_day: Vec<&str> = bounded[..5].iter().map(|a| a.event.as_str()).collect();
        assert_eq!(same_day, ["h1", "f1", "h1", "f1", "h1"]);
    }

    #[test]
    fn quiet_events_are_archived_and_reopened_by_a_follow_up() {
        let mut later = stream();
        later.push(art("h4", "Eastport harbor strike: a month on", "A month after the strike ended, dock workers in Eastport say the union wage deal has held at the harbor.", Some("2031-04-12")));
        let opts = ClusterOptions {
            window_secs: 86_400,
            ..ClusterOptions::default()
        };
        let mut f = Featurizer::new(&opts);
        let mut c = EventClusterer::new(opts);
        let mut out = Vec::new();
        for a in &later {
            out.push(c.assign(f.features(a)));
        }
        assert_eq!(
            out[5].event, "h1",
            "the follow-up reopens the archived event"
        );
        let retired = c.take_retired();
        assert!(
            retired.contains(&"h1".to_string()) && retired.contains(&"f1".to_string()),
            "{retired:?}"
        );
        assert_eq!(c.stats().active, 1);
    }

    #[test]
    fn a_follow_up_weeks_later_starts_an_event_in_the_same_storyline() {
        let mut later = stream();
        later.push(art(
            "h4",
            "Eastport dock workers vote on new harbor contract",
            "Five weeks after the strike, Eastport dock workers and the harbor council put the union wage deal to a vote at the harbor.",
            Some("2031-04-15"),
        ));
        // Without an archive, an event that left the window takes no more articles.
        let opts = ClusterOptions {
            window_secs: 86_400,
            archive_capacity: 0,
            ..ClusterOptions::default()
        };
        let got = run(&later, opts);
        let storylines: Vec<&str> = got.iter().map(|a| a.storyline.as_str()).collect();
        assert_eq!(storylines, ["h1", "f1", "h1", "f1", "h1", "h1"]);
        assert_eq!(got[5].event, "h4");
        assert!(got[5].new_event && !got[5].new_storyline);
        assert!(got[0].new_storyline && got[1].new_storyline && !got[2].new_storyline);
    }

    #[test]
    fn storylines_are_forgotten_beyond_their_capacity() {
        let opts = ClusterOptions {
            storyline_capacity: 4,
            ..ClusterOptions::default()
        };
        let mut f = Featurizer::new(&opts);
        let mut c = EventClusterer::new(opts);
        for i in 0..30 {
            let words: Vec<String> = (0..20).map(|k| format!("w{i}x{k}")).collect();
            let a = art(&format!("a{i}"), "", &words.join(" "), None);
            let got = c.assign(f.features(&a));
            assert!(got.new_storyline, "unrelated articles share no storyline");
        }
        let s = c.stats();
        assert_eq!((s.storylines, s.storylines_created), (4, 30));
    }

    #[test]
    fn the_archive_never_exceeds_its_capacity() {
        let opts = ClusterOptions {
            window_secs: 10,
            archive_capacity: 3,
            dedup_capacity: 5,
            ..ClusterOptions::default()
        };
        let mut f = Featurizer::new(&opts);
        let mut c = EventClusterer::new(opts);
        for i in 0..50 {
            let words: Vec<String> = (0..20).map(|k| format!("w{}x{}", i, k)).collect();
            let a = Article {
                id: format!("a{i}"),
                title: String::new(),
                text: words.join(" "),
                source: None,
                url: None,
                date: Timestamp::from_unix_number(1_900_000_000 + i * 100),
            };
            c.assign(f.features(&a));
        }
        let s = c.stats();
        assert!(s.archived <= 3 && s.active <= 1 && s.dedup <= 5, "{s:?}");
        assert!(c.events.len() <= 4);
    }
}
