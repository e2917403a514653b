//! Source comparison: where outlets agree, where they differ, who said what.
//!
//! [`compare`] builds a [`SourceComparison`] of one event's corpus from six readers that
//! each follow one kind of evidence:
//! - [`quotes`]: direct quotes, their speakers, the same statement across outlets;
//! - [`figures`]: numbers with what they count, grouped, conflicts flagged;
//! - [`names`]: one name spelled several ways;
//! - [`facts`]: facts most outlets share and facts only one reports (the citation alignment);
//! - [`timeline`]: dated happenings in order;
//! - [`stance`]: claims outlets state, attribute or hedge differently.
//!
//! Every reader is rule-based and closed-class: no list of names, places or events is
//! involved, and the whole comparison of a 25-article event takes milliseconds.

pub mod facts;
pub mod figures;
pub mod names;
pub mod quotes;
pub mod stance;
pub mod timeline;

mod render;

use serde::Serialize;

use crate::align::{Aligner, Support};
use crate::article::{outlet_given, unnamed_outlet};
use crate::corpus::Corpus;
use crate::date::Timestamp;

pub use facts::{Fact, Facts};
pub use figures::{Agreement, Figure, Quantity};
pub use names::NameVariants;
pub use quotes::{QuoteOccurrence, Statement};
pub use stance::{DisputedClaim, Stance};
pub use timeline::{TimelineEntry, When};

/// How much of each section to list.
#[derive(Debug, Clone, Copy)]
pub struct CompareOptions {
    /// Shared facts listed.
    pub shared_facts: usize,
    /// Unique facts listed per outlet.
    pub unique_per_outlet: usize,
    /// Timeline entries.
    pub timeline: usize,
    /// Disputed claims.
    pub disputed: usize,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            shared_facts: 8,
            unique_per_outlet: 3,
            timeline: 12,
            disputed: 8,
        }
    }
}

/// An article as the comparison lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparedArticle {
    /// Article id.
    pub id: String,
    /// Its outlet.
    pub outlet: String,
    /// Headline.
    pub title: String,
    /// Publication time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<Timestamp>,
    /// The outlet is not given: `outlet` names the article instead ("article 2 (outlet not
    /// given)").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub outlet_not_given: bool,
    /// A copy of another article (left out of the comparison).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copy_of: Option<String>,
}

/// Where the outlets covering one event agree and where they differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceComparison {
    /// The articles compared.
    pub articles: Vec<ComparedArticle>,
    /// Distinct outlets; an article whose outlet is not given counts as one of its own.
    pub outlets: usize,
    /// Articles whose outlet is not given (counted in `outlets`, one each).
    #[serde(skip_serializing_if = "is_zero")]
    pub outlets_not_given: usize,
    /// Quoted statements, most reported first.
    pub statements: Vec<Statement>,
    /// Figures reported by several outlets or in conflict; conflicts first.
    pub quantities: Vec<Quantity>,
    /// Names written in several ways.
    pub names: Vec<NameVariants>,
    /// Facts most outlets share, and facts only one reports.
    pub facts: Facts,
    /// Dated happenings in order.
    pub timeline: Vec<TimelineEntry>,
    /// Claims the outlets present differently.
    pub disputed: Vec<DisputedClaim>,
}

/// Compares the outlets of one event.
pub fn compare(corpus: &Corpus, options: &CompareOptions) -> SourceComparison {
    let aligner = Aligner::new(corpus);
    compare_with(corpus, &aligner, options)
}

/// What the summarizer has already read of a corpus that the comparison reads too
/// ([`crate::summarize::summarize_reading`] gives it, [`compare_reading`] takes it): the
/// same functions on the same sentences, so reading them once gives the same comparison.
#[derive(Debug, Clone, Default)]
pub struct Readings {
    /// The name mentions of every sentence ([`names::mentions`]).
    pub mentions: Vec<Vec<names::Mention>>,
    /// The quotes and their speakers ([`quotes::statements_with`] on those mentions), when
    /// the summarizer looked for them (only where the corpus has quotation marks).
    pub statements: Option<Vec<Statement>>,
}

/// As [`compare`], reusing an aligner built for the corpus (the summary's).
pub fn compare_with(
    corpus: &Corpus,
    aligner: &Aligner<'_>,
    options: &CompareOptions,
) -> SourceComparison {
    // Name mentions of every sentence, found once for quotes and name variants.
    let mentions = corpus
        .sentences
        .iter()
        .map(|s| names::mentions(&s.text))
        .collect();
    let readings = Readings {
        mentions,
        statements: None,
    };
    compare_reading(corpus, aligner, options, readings)
}

/// As [`compare_with`], with what the summary read of the same corpus.
pub fn compare_reading(
    corpus: &Corpus,
    aligner: &Aligner<'_>,
    options: &CompareOptions,
    readings: Readings,
) -> SourceComparison {
    let Readings {
        mentions: found,
        statements,
    } = readings;
    let support: Vec<Vec<Support>> = (0..corpus.sentences.len())
        .map(|i| {
            if corpus.docs[corpus.sentences[i].doc].copy_of.is_some() {
                Vec::new()
            } else {
                aligner.supporters(i)
            }
        })
        .collect();
    let articles: Vec<ComparedArticle> = corpus
        .docs
        .iter()
        .map(|d| ComparedArticle {
            id: d.id.clone(),
            outlet: corpus.outlets[d.outlet].clone(),
            title: d.clean.title.clone(),
            date: d.date,
            outlet_not_given: !outlet_given(&corpus.outlets[d.outlet], &d.id),
            copy_of: d.copy_of.map(|c| corpus.docs[c].id.clone()),
        })
        .collect();
    let outlets_not_given = articles.iter().filter(|a| a.outlet_not_given).count();
    let statements = statements.unwrap_or_else(|| quotes::statements_with(corpus, &found));
    let quoted = quoted_statements(corpus, &statements);
    let mut comparison = SourceComparison {
        articles,
        outlets: corpus.outlets.len(),
        outlets_not_given,
        quantities: figures::event_quantities(corpus),
        names: variants_of(corpus, &found),
        facts: facts::facts(
            corpus,
            &support,
            &quoted,
            &crate::align::claim::ClaimAligner::new(aligner),
            facts::FactLimits {
                shared: options.shared_facts,
                unique_per_outlet: options.unique_per_outlet,
            },
        ),
        timeline: timeline::timeline(corpus, &support, options.timeline),
        disputed: stance::disputed(corpus, aligner, &support, options.disputed),
        statements,
    };
    name_speakers_as_listed(&mut comparison.statements, &comparison.names);
    if outlets_not_given > 0 {
        comparison.name_unnamed_outlets();
    }
    comparison
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl SourceComparison {
    /// Where an article's outlet is not given, its outlet is its id: a key that keeps it
    /// apart from the others, not a name to show. Every list of outlets names it by its
    /// number instead ([`unnamed_outlet`]).
    fn name_unnamed_outlets(&mut self) {
        let names: rustc_hash::FxHashMap<String, String> = self
            .articles
            .iter_mut()
            .enumerate()
            .filter(|(_, a)| a.outlet_not_given)
            .map(|(k, a)| {
                let name = unnamed_outlet(k + 1);
                (std::mem::replace(&mut a.outlet, name.clone()), name)
            })
            .collect();
        let rename = |o: &mut String| {
            if let Some(n) = names.get(o.as_str()) {
                o.clone_from(n);
            }
        };
        for s in &mut self.statements {
            s.outlets.iter_mut().for_each(rename);
            s.occurrences.iter_mut().for_each(|o| rename(&mut o.outlet));
        }
        for q in &mut self.quantities {
            q.outlets.iter_mut().for_each(rename);
            q.figures.iter_mut().for_each(|f| rename(&mut f.outlet));
        }
        for n in &mut self.names {
            n.variants
                .iter_mut()
                .for_each(|v| v.outlets.iter_mut().for_each(rename));
        }
        for f in self.facts.shared.iter_mut().chain(&mut self.facts.unique) {
            f.outlets.iter_mut().for_each(rename);
            f.citations.iter_mut().for_each(|c| rename(&mut c.outlet));
        }
        for t in &mut self.timeline {
            t.outlets.iter_mut().for_each(rename);
        }
        for d in &mut self.disputed {
            d.outlets.iter_mut().for_each(|o| rename(&mut o.outlet));
        }
    }
}

/// Disjoint sets over `0..n` (union-find with path halving), for grouping mentions.
#[derive(Debug, Clone)]
pub(crate) struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    pub(crate) fn new(n: usize) -> Self {
        Groups {
            parent: (0..n).collect(),
        }
    }

    /// The representative of `i`'s group.
    pub(crate) fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    /// Joins the groups of `a` and `b`; `a`'s representative stays.
    pub(crate) fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        self.parent[rb] = ra;
    }

    /// The groups, each in increasing order, ordered by their first member.
    pub(crate) fn members(&mut self) -> Vec<Vec<usize>> {
        let mut index: rustc_hash::FxHashMap<usize, usize> = rustc_hash::FxHashMap::default();
        let mut out: Vec<Vec<usize>> = Vec::new();
        for i in 0..self.parent.len() {
            let r = self.root(i);
            let g = *index.entry(r).or_insert_with(|| {
                out.push(Vec::new());
                out.len() - 1
            });
            out[g].push(i);
        }
        out
    }
}

/// A speaker written in several ways is named as the names' list names them: the page and
/// the JSON show one form of a name everywhere ("Yevgeny Sokolov" under the quotes and under
/// the names, not "Evgeny Sokolov" in one place and "Yevgeny" in the other). A quote whose
/// tag gives a spelling the names list under a person quoted elsewhere is theirs.
pub fn name_speakers_as_listed(statements: &mut [Statement], names: &[names::NameVariants]) {
    let canonical: rustc_hash::FxHashMap<&str, &str> = names
        .iter()
        .flat_map(|n| {
            n.variants
                .iter()
                .map(|v| (v.spelling.as_str(), n.canonical.as_str()))
        })
        .collect();
    // Never a shorter name for a speaker's full one: a list that wrongly joins "Don
    // Johanson" and "Johnson" must not make the one the other.
    let words = |n: &str| n.split_whitespace().count();
    let rename = |speaker: &mut Option<String>| {
        if let Some(c) = speaker
            .as_deref()
            .and_then(|s| canonical.get(s).filter(|c| words(c) >= words(s)))
        {
            *speaker = Some(c.to_string());
        }
    };
    for s in statements.iter_mut() {
        rename(&mut s.speaker);
        s.occurrences
            .iter_mut()
            .for_each(|o| rename(&mut o.speaker));
    }
    // "Rep. Jim Kolbe ... Koble said he was "not anxious ..."": a quote left without a
    // speaker because its tag names someone by a spelling the quotes know no one by is
    // theirs when the names list that spelling under a person quoted elsewhere in the event.
    let speakers: rustc_hash::FxHashSet<String> = statements
        .iter()
        .filter_map(|s| s.speaker.clone())
        .collect();
    for s in statements.iter_mut().filter(|s| s.speaker.is_none()) {
        for o in s.occurrences.iter_mut().filter(|o| o.speaker.is_none()) {
            let named = o
                .said_by
                .as_deref()
                .and_then(|b| canonical.get(b))
                .filter(|c| speakers.contains(**c));
            if let Some(c) = named {
                o.speaker = Some(c.to_string());
            }
        }
        let mut said = s.occurrences.iter().map(|o| o.speaker.as_deref());
        if let Some(Some(first)) = said.next()
            && said.all(|x| x == Some(first))
        {
            s.speaker = Some(first.to_string());
        }
    }
}

/// Names written in more than one way across the event's articles, with their outlets.
pub fn name_variants(corpus: &Corpus) -> Vec<names::NameVariants> {
    let found: Vec<Vec<names::Mention>> = corpus
        .sentences
        .iter()
        .map(|s| names::mentions(&s.text))
        .collect();
    variants_of(corpus, &found)
}

fn variants_of(corpus: &Corpus, found: &[Vec<names::Mention>]) -> Vec<names::NameVariants> {
    // A one-word name must be seen capitalized inside a sentence at least once, or be no
    // common word: at a sentence's start "Nothing" and "Noting", "Soon" and "Sun" are
    // capitalized too, where "Koble said" is a name misspelt. Decided once per spelling.
    let mut inside: rustc_hash::FxHashMap<String, bool> = rustc_hash::FxHashMap::default();
    for (s, ms) in corpus.sentences.iter().zip(found) {
        for m in ms.iter().filter(|m| !m.name.contains(char::is_whitespace)) {
            *inside.entry(m.name.to_lowercase()).or_default() |=
                !names::opens_sentence(&s.text, m.span.start);
        }
    }
    let vocabulary = storyline_text::embed::StaticEmbeddings::minilm();
    let named: rustc_hash::FxHashSet<String> = inside
        .into_iter()
        .filter(|(name, inside)| *inside || !vocabulary.is_vocabulary_word(name))
        .map(|(name, _)| name)
        .collect();
    let mut spellings: Vec<(String, String)> = Vec::new();
    for (s, ms) in corpus.sentences.iter().zip(found) {
        let doc = &corpus.docs[s.doc];
        if doc.copy_of.is_some() {
            continue;
        }
        for m in ms {
            if m.name.contains(char::is_whitespace) || named.contains(&m.name.to_lowercase()) {
                spellings.push((m.name.clone(), corpus.outlets[doc.outlet].clone()));
            }
        }
    }
    names::variants(&spellings)
}

/// For each sentence of the corpus, the statements ([`quotes::statements_with`]'s indices)
/// its quotes belong to: two sentences quoting one utterance tell one fact.
fn quoted_statements(corpus: &Corpus, statements: &[Statement]) -> Vec<Vec<usize>> {
    let mut quoted = vec![Vec::new(); corpus.sentences.len()];
    for (k, st) in statements.iter().enumerate() {
        for o in &st.occurrences {
            let here = corpus.docs[o.doc].sentences.clone().find(|&i| {
                let s = &corpus.sentences[i];
                !s.headline && s.paragraph == o.paragraph && s.span.contains(&o.span.start)
            });
            if let Some(i) = here
                && !quoted[i].contains(&k)
            {
                quoted[i].push(k);
            }
        }
    }
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said_by(speaker: &str) -> Statement {
        Statement {
            speaker: Some(speaker.to_string()),
            text: "words".to_string(),
            outlets: Vec::new(),
            when: None,
            occurrences: Vec::new(),
        }
    }

    fn listed(canonical: &str, spellings: &[&str]) -> names::NameVariants {
        names::NameVariants {
            canonical: canonical.to_string(),
            variants: spellings
                .iter()
                .map(|s| names::Variant {
                    spelling: s.to_string(),
                    outlets: vec!["A".to_string()],
                })
                .collect(),
        }
    }

    #[test]
    fn speakers_take_the_listed_form_but_never_a_shorter_name() {
        let mut statements = vec![said_by("Evgeny Sokolov"), said_by("Don Johanson")];
        let names = [
            listed("Yevgeny Sokolov", &["Yevgeny Sokolov", "Evgeny Sokolov"]),
            listed("Johnson", &["Johnson", "Don Johanson"]),
        ];
        name_speakers_as_listed(&mut statements, &names);
        let speakers: Vec<_> = statements.iter().map(|s| s.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("Yevgeny Sokolov"), Some("Don Johanson")]);
    }
}
