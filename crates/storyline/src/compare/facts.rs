//! Facts most outlets share and facts only one reports.
//!
//! The machinery is the summary's citation alignment ([`Aligner`]): a sentence is reported
//! by another outlet when one of that outlet's sentences (or two adjacent ones) carries most
//! of its content. A fact is a sentence with the outlets that report it; facts are chosen
//! greedily, most-reported first, and a sentence that already supports a chosen fact does
//! not become a fact of its own. Sentences that cannot stand alone (fragments, captions,
//! questions, unresolved pronouns at the start) are left out, as in the summary.
//!
//! A fact is *shared* when more than half of the outlets (and at least two) report it; it is
//! *unique* when no other outlet does. Of the unique sentences, each outlet's first few that
//! carry something checkable (a name, a number) are listed: the lead of an article holds
//! what its outlet thought most important.

use serde::Serialize;

use crate::align::Support;
use crate::corpus::{Corpus, SentIx};
use crate::summarize::{SummaryOptions, needs_previous, unreadable};

/// A fact and the outlets that report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The sentence that states it best (most reported, earliest).
    pub text: String,
    /// The article it comes from.
    pub article: String,
    /// Outlets reporting it, the sentence's own first.
    pub outlets: Vec<String>,
    /// Articles reporting it, with the supporting sentence of each.
    pub citations: Vec<FactCitation>,
    #[serde(skip)]
    pub(crate) sentence: SentIx,
}

/// One article's report of a fact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactCitation {
    /// The article.
    pub article: String,
    /// Its outlet.
    pub outlet: String,
    /// Its sentence.
    pub text: String,
}

/// Shared and unique facts of an event.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facts {
    /// Reported by two or more outlets, most reported first.
    pub shared: Vec<Fact>,
    /// Reported by one outlet only, grouped by outlet in article order.
    pub unique: Vec<Fact>,
}

/// How many shared facts and unique facts per outlet to list.
#[derive(Debug, Clone, Copy)]
pub struct FactLimits {
    /// Shared facts listed.
    pub shared: usize,
    /// Unique facts listed per outlet.
    pub unique_per_outlet: usize,
}

impl Default for FactLimits {
    fn default() -> Self {
        FactLimits {
            shared: 8,
            unique_per_outlet: 3,
        }
    }
}

/// Finds the shared and unique facts of a corpus.
/// `support[i]` lists the supporters of sentence `i` (see [`crate::align::Aligner::supporters`]).
pub fn facts(corpus: &Corpus, support: &[Vec<Support>], limits: FactLimits) -> Facts {
    let opt = SummaryOptions::default();
    let usable = |i: SentIx| {
        let s = &corpus.sentences[i];
        corpus.docs[s.doc].copy_of.is_none() && unreadable(s, &opt).is_none() && !needs_previous(s)
    };
    // Every usable sentence with the outlets supporting it.
    let mut candidates: Vec<(SentIx, Vec<(usize, SentIx)>)> = Vec::new();
    for i in (0..corpus.sentences.len()).filter(|&i| usable(i)) {
        let own = corpus.docs[corpus.sentences[i].doc].outlet;
        let mut by: Vec<(usize, SentIx)> = Vec::new();
        for sup in &support[i] {
            let doc = &corpus.docs[sup.doc];
            if doc.copy_of.is_some()
                || doc.outlet == own
                || by.iter().any(|(o, _)| *o == doc.outlet)
            {
                continue;
            }
            by.push((doc.outlet, sup.sentence));
        }
        candidates.push((i, by));
    }
    // Greedy: most outlets first, then earlier in its article.
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&k| {
        let (i, sup) = &candidates[k];
        (
            std::cmp::Reverse(sup.len()),
            corpus.sentences[*i].position,
            *i,
        )
    });
    let mut covered = vec![false; corpus.sentences.len()];
    let mut shared = Vec::new();
    let need = 2;
    for &k in &order {
        let (i, sup) = &candidates[k];
        if sup.len() + 1 < need || shared.len() >= limits.shared {
            break;
        }
        if covered[*i] || sup.iter().all(|(_, s)| covered[*s]) {
            continue;
        }
        covered[*i] = true;
        for (_, s) in sup {
            covered[*s] = true;
        }
        shared.push(fact(corpus, *i, sup));
    }
    // Unique: no other outlet supports it, and it supports nothing another outlet wrote.
    let mut supports_other = vec![false; corpus.sentences.len()];
    for (_, sup) in &candidates {
        for (_, s) in sup {
            supports_other[*s] = true;
        }
    }
    let mut unique = Vec::new();
    for (o, _) in corpus.outlets.iter().enumerate() {
        let mut listed = 0;
        for (i, sup) in &candidates {
            if listed >= limits.unique_per_outlet {
                break;
            }
            let s = &corpus.sentences[*i];
            if corpus.docs[s.doc].outlet != o
                || !sup.is_empty()
                || supports_other[*i]
                || covered[*i]
            {
                continue;
            }
            if !checkable(&s.text) {
                continue;
            }
            unique.push(fact(corpus, *i, &[]));
            listed += 1;
        }
    }
    Facts { shared, unique }
}

/// Does a sentence carry something a reader can check: a number or a name past its first word?
fn checkable(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
        || text
            .split_whitespace()
            .skip(1)
            .any(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn fact(corpus: &Corpus, i: SentIx, sup: &[(usize, SentIx)]) -> Fact {
    let s = &corpus.sentences[i];
    let doc = &corpus.docs[s.doc];
    let mut outlets = vec![corpus.outlets[doc.outlet].clone()];
    let mut citations = vec![FactCitation {
        article: doc.id.clone(),
        outlet: corpus.outlets[doc.outlet].clone(),
        text: s.text.clone(),
    }];
    for &(o, si) in sup {
        outlets.push(corpus.outlets[o].clone());
        let d = &corpus.docs[corpus.sentences[si].doc];
        citations.push(FactCitation {
            article: d.id.clone(),
            outlet: corpus.outlets[o].clone(),
            text: corpus.sentences[si].text.clone(),
        });
    }
    Fact {
        text: s.text.clone(),
        article: doc.id.clone(),
        outlets,
        citations,
        sentence: i,
    }
}
