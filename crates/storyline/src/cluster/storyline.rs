//! Storylines: events linked into the developing stories they belong to.
//!
//! An event is one development (a ruling, a summit: hours to days); a storyline is the story
//! it belongs to (weeks, months). This is the second, coarser level of the clusterer, run on
//! the same article vectors and just as incremental: when an article starts a new event, the
//! event is linked to the storyline whose profile is closest to the article, or starts a
//! storyline of its own; every later article of the event follows it and adds to that
//! storyline's profile. A young event whose storyline is its own may still move: while it
//! has at most `storyline_review` articles, its centroid is compared again, and when it is
//! close to another storyline, its own is folded into that one. A storyline whose article
//! count reaches a power of two is compared with the others as a whole, and folded together
//! with one whose profile is closer than `storyline_merge` (the older keeps its id): a
//! cheap, incremental stand-in for agglomerative merging. The storyline reported for an
//! article is its event's at that moment; earlier reports are not revised.
//!
//! The profile is the sum of the members' idf-weighted vectors, so the people, places,
//! organisations and vocabulary the storyline keeps coming back to dominate it. Similarity
//! is the cosine with that profile, damped by how long the storyline has been quiet (half
//! of it after `storyline_half_life_days`); it is a single-pass centroid clustering over
//! events (Allan et al. 1998, "Topic Detection and Tracking pilot study"), where the unit that
//! links is a whole event rather than a lone article.
//!
//! State is bounded: at most `storyline_capacity` storylines are kept (the longest-quiet are
//! forgotten first), each with at most `storyline_terms` terms.

use std::collections::{BTreeSet, VecDeque};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::index::{Probe, TermIndex, fetch, strongest_terms};
use super::{ClusterOptions, merge_into, prune};

/// One storyline's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Storyline {
    /// The id of its first event (the id of that event's first article).
    id: String,
    /// Sum of its articles' vectors, sorted by term, pruned to the strongest terms.
    centroid: Vec<(u64, f32)>,
    norm2: f32,
    events: u32,
    articles: u32,
    last: i64,
    /// Terms currently in the index for this storyline.
    indexed: Vec<u64>,
}

/// All storylines, their index, and their order of last activity.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Storylines {
    lines: FxHashMap<u64, Storyline>,
    next: u64,
    index: TermIndex,
    by_last: BTreeSet<(i64, u64)>,
    /// Storylines folded into another: where their events now belong (the most recent
    /// `storyline_capacity` folds are remembered).
    folded: FxHashMap<u64, u64>,
    fold_order: VecDeque<u64>,
    /// Folds since the last [`Storylines::take_folds`]: (folded id, id it went into).
    #[serde(skip)]
    folds: Vec<(String, String)>,
}

impl Storylines {
    /// Storylines kept.
    pub(crate) fn len(&self) -> usize {
        self.lines.len()
    }

    /// Storylines created so far.
    pub(crate) fn created(&self) -> u64 {
        self.next
    }

    /// The id of storyline `s` (the id of its first event), if it is still kept.
    pub(crate) fn id(&self, s: u64) -> Option<&str> {
        self.lines.get(&self.resolve(s)).map(|l| l.id.as_str())
    }

    /// The folds made since the last call, in order: (id of the storyline folded, id of the
    /// one it went into). A store that keeps storylines applies them to its rows.
    pub(crate) fn take_folds(&mut self) -> Vec<(String, String)> {
        std::mem::take(&mut self.folds)
    }

    /// The storyline `s` was folded into, if it was (else `s`).
    fn resolve(&self, mut s: u64) -> u64 {
        while let Some(&to) = self.folded.get(&s) {
            s = to;
        }
        s
    }

    /// Events linked to storyline `s`.
    pub(crate) fn events(&self, s: u64) -> u32 {
        self.lines.get(&s).map_or(0, |l| l.events)
    }

    /// The storyline a new event `event_id` joins, given its first article's `vector`
    /// (normalized): the closest one if close enough, else a new one. The event is counted
    /// in; its articles are added with [`Storylines::add`].
    pub(crate) fn link(
        &mut self,
        event_id: &str,
        vector: &[(u64, f32)],
        now: i64,
        opts: &ClusterOptions,
    ) -> u64 {
        let s = match self.closest(vector, now, opts, None, opts.storyline_join) {
            Some(s) => s,
            None => self.create(event_id, now),
        };
        if let Some(l) = self.lines.get_mut(&s) {
            l.events += 1;
        }
        s
    }

    /// Adds an article's vector to storyline `s` (recreated under `event_id` if it was
    /// forgotten meanwhile); returns the storyline it is in. Each time a storyline's article
    /// count reaches a power of two, its profile is compared with the other storylines', and
    /// it is folded together with one closer than `storyline_merge` (the older survives).
    pub(crate) fn add(
        &mut self,
        s: u64,
        event_id: &str,
        vector: &[(u64, f32)],
        now: i64,
        opts: &ClusterOptions,
    ) -> u64 {
        let s = self.resolve(s);
        let s = if self.lines.contains_key(&s) {
            s
        } else {
            let s = self.create(event_id, now);
            if let Some(l) = self.lines.get_mut(&s) {
                l.events = 1;
            }
            s
        };
        let Some(l) = self.lines.get_mut(&s) else {
            return s;
        };
        self.by_last.remove(&(l.last, s));
        l.last = l.last.max(now);
        self.by_last.insert((l.last, s));
        l.articles += 1;
        let mut added: Vec<(u64, f32)> = vector.to_vec();
        added.sort_unstable_by_key(|x| x.0);
        l.norm2 = merge_into(&mut l.centroid, &added, l.norm2);
        prune(&mut l.centroid, &mut l.norm2, opts.storyline_terms);
        let grown = l.articles >= 2 && l.articles.is_power_of_two();
        self.reindex(s, opts);
        let mut s = s;
        if grown && opts.storyline_merge > 0.0 {
            let profile = normalized(&self.lines[&s].centroid);
            if let Some(other) = self.closest(&profile, now, opts, Some(s), opts.storyline_merge) {
                s = self.fold(s.max(other), s.min(other), opts).unwrap_or(s);
            }
        }
        self.evict(opts.storyline_capacity);
        s
    }

    /// For a young event alone in its storyline `s`: the storyline its `centroid` (the sum of
    /// its article vectors) is now close enough to join, with `s` folded into it (and gone).
    pub(crate) fn review(
        &mut self,
        s: u64,
        centroid: &[(u64, f32)],
        now: i64,
        opts: &ClusterOptions,
    ) -> Option<u64> {
        if self.events(s) != 1 {
            return None;
        }
        let vector = normalized(centroid);
        let to = self.closest(&vector, now, opts, Some(s), opts.storyline_join)?;
        self.fold(s, to, opts)
    }

    /// Folds storyline `s` into `to`; returns `to`.
    fn fold(&mut self, s: u64, to: u64, opts: &ClusterOptions) -> Option<u64> {
        if s == to || !self.lines.contains_key(&to) {
            return None;
        }
        let from = self.lines.remove(&s)?;
        self.by_last.remove(&(from.last, s));
        self.index.remove(s, &from.indexed);
        self.folded.insert(s, to);
        self.fold_order.push_back(s);
        while self.fold_order.len() > opts.storyline_capacity {
            if let Some(old) = self.fold_order.pop_front() {
                self.folded.remove(&old);
            }
        }
        let l = self.lines.get_mut(&to)?;
        self.folds.push((from.id.clone(), l.id.clone()));
        self.by_last.remove(&(l.last, to));
        l.last = l.last.max(from.last);
        self.by_last.insert((l.last, to));
        l.events += from.events;
        l.articles += from.articles;
        l.norm2 = merge_into(&mut l.centroid, &from.centroid, l.norm2);
        prune(&mut l.centroid, &mut l.norm2, opts.storyline_terms);
        self.reindex(to, opts);
        Some(to)
    }

    /// The closest storyline to a normalized vector, if it is close enough (`except` left out).
    fn closest(
        &self,
        vector: &[(u64, f32)],
        now: i64,
        opts: &ClusterOptions,
        except: Option<u64>,
        threshold: f32,
    ) -> Option<u64> {
        let mut query: Vec<(u64, f32)> = vector.to_vec();
        query.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        query.truncate(opts.query_terms);
        let mut cands: Vec<(u64, f32)> = self
            .index
            .overlap(&query)
            .into_iter()
            .filter(|c| Some(c.0) != except)
            .collect();
        if cands.len() > opts.candidates {
            cands.select_nth_unstable_by(opts.candidates, |a, b| {
                b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
            });
            cands.truncate(opts.candidates);
        }
        let article = Probe::new(vector);
        let half_life = opts.storyline_half_life_days.max(1e-3) * 86_400.0;
        let mix = opts.storyline_link_mix;
        let mut best: Option<(u64, f32)> = None;
        let mut second = 0.0f32;
        for (s, l) in fetch(&cands, &self.lines, |l| &l.centroid) {
            if l.norm2 <= 0.0 {
                continue;
            }
            // `-0.0` is where `Iterator::sum` of f32 starts (the sum used to be one).
            let mut dot = -0.0f32;
            article.shared(&l.centroid, |_, c, w| dot += c * w);
            let quiet = (now - l.last).max(0) as f32;
            let centroid = dot / l.norm2.sqrt();
            let average = dot / l.articles.max(1) as f32;
            let score = ((1.0 - mix) * average + mix * centroid) * 0.5f32.powf(quiet / half_life);
            match best {
                Some(b) if score < b.1 || (score == b.1 && s > b.0) => second = second.max(score),
                _ => {
                    second = second.max(best.map_or(0.0, |b| b.1));
                    best = Some((s, score));
                }
            }
        }
        best.filter(|b| b.1 >= threshold && b.1 >= opts.storyline_ratio * second)
            .map(|b| b.0)
    }

    fn create(&mut self, id: &str, now: i64) -> u64 {
        let s = self.next;
        self.next += 1;
        self.lines.insert(
            s,
            Storyline {
                id: id.to_string(),
                centroid: Vec::new(),
                norm2: 0.0,
                events: 0,
                articles: 0,
                last: now,
                indexed: Vec::new(),
            },
        );
        self.by_last.insert((now, s));
        s
    }

    fn reindex(&mut self, s: u64, opts: &ClusterOptions) {
        let Some(l) = self.lines.get_mut(&s) else {
            return;
        };
        let new = strongest_terms(&l.centroid, opts.storyline_index_terms);
        let old = std::mem::replace(&mut l.indexed, new.clone());
        for (d, t) in self.index.replace(s, &old, &new, opts.max_postings) {
            if let Some(l) = self.lines.get_mut(&d) {
                l.indexed.retain(|x| *x != t);
            }
        }
    }

    /// Forgets the longest-quiet storylines beyond `capacity`.
    fn evict(&mut self, capacity: usize) {
        while self.by_last.len() > capacity.max(1) {
            let Some((_, s)) = self.by_last.pop_first() else {
                break;
            };
            if let Some(l) = self.lines.remove(&s) {
                self.index.remove(s, &l.indexed);
            }
        }
    }
}

/// `v` scaled to unit length (empty if it is all zeros).
fn normalized(v: &[(u64, f32)]) -> Vec<(u64, f32)> {
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if norm <= 0.0 {
        return Vec::new();
    }
    v.iter().map(|&(t, w)| (t, w / norm)).collect()
}
