//! Facts most outlets share and facts only one reports.
//!
//! The machinery is the summary's citation alignment ([`Aligner`]): a sentence is reported
//! by another outlet when one of that outlet's sentences (or two adjacent ones) carries most
//! of its content. A fact is a sentence with the outlets that report it; facts are chosen
//! greedily, most-reported first, and a sentence that already supports a chosen fact does
//! not become a fact of its own. Sentences that cannot stand alone (fragments, captions,
//! questions, unresolved pronouns at the start, a quote that does not name its speaker) are
//! left out, as in the summary.
//!
//! A fact is *shared* when more than half of the outlets (and at least two) report it; it is
//! *unique* when no other outlet does. Of the unique sentences, each outlet's first few that
//! carry something checkable (a name, a number) are listed: the lead of an article holds
//! what its outlet thought most important.
//!
//! "Only one outlet reports this" is a claim about every other article, and a missed
//! paraphrase makes it false, so it takes more than the lack of a supporter: no article of
//! another outlet may come near the sentence at all ([`reported_elsewhere`]: hold 45% of its
//! words anywhere, weighted by rarity; or a quarter of them in one passage, or 35% with
//! paraphrases credited). And an outlet's sentence that says again what one listed before it
//! said is not listed twice, nor is a shared fact that a listed one says in other words.

use serde::Serialize;

use crate::align::Support;
use crate::align::claim::{CitationRule, ClaimAligner};
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
/// `support[i]` lists the supporters of sentence `i` (see [`crate::align::Aligner::supporters`]);
/// `quoted[i]` lists the statements sentence `i` quotes (two sentences quoting one utterance
/// tell one fact); `claims` (over the same corpus) tells that another outlet comes near a
/// sentence.
pub fn facts(
    corpus: &Corpus,
    support: &[Vec<Support>],
    quoted: &[Vec<usize>],
    claims: &ClaimAligner<'_, '_>,
    limits: FactLimits,
) -> Facts {
    let opt = SummaryOptions::default();
    let usable = |i: SentIx| {
        let s = &corpus.sentences[i];
        corpus.docs[s.doc].copy_of.is_none()
            && unreadable(s, &opt).is_none()
            && !needs_previous(s)
            && !speaker_not_named(&s.text)
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
    // The sentences of each shared fact listed: its own and its supporters'.
    let mut listed: Vec<Vec<SentIx>> = Vec::new();
    let need = 2;
    for &k in &order {
        let (i, sup) = &candidates[k];
        if sup.len() + 1 < need || shared.len() >= limits.shared {
            break;
        }
        if covered[*i] || sup.iter().all(|(_, s)| covered[*s]) {
            continue;
        }
        // The same fact in other words, by other sentences of the same articles, or the
        // same utterance quoted (cut in other places): listed once.
        let same_quote = |j: SentIx| quoted[*i].iter().any(|k| quoted[j].contains(k));
        if listed
            .iter()
            .flatten()
            .any(|&j| same_quote(j) || says_again(claims, *i, j))
        {
            continue;
        }
        covered[*i] = true;
        for (_, s) in sup {
            covered[*s] = true;
        }
        listed.push(
            std::iter::once(*i)
                .chain(sup.iter().map(|(_, s)| *s))
                .collect(),
        );
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
        let first_of_outlet = unique.len();
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
            if !checkable(&s.text)
                || reported_elsewhere(claims, *i)
                || unique[first_of_outlet..]
                    .iter()
                    .any(|f: &Fact| says_again(claims, *i, f.sentence))
            {
                continue;
            }
            unique.push(fact(corpus, *i, &[]));
            listed += 1;
        }
    }
    Facts { shared, unique }
}

/// Least share of a sentence's content (idf-weighted) that an article of another outlet must
/// hold anywhere in its text to come near the sentence: then the sentence is not said to be
/// reported by one outlet only. Set on the citation gold (`annotations/citations/`, 58
/// sentences judged against every article; the `claim_features` example's `articles` mode):
/// every sentence some other outlet reports in full has 0.57 of its words or more in that
/// outlet's article; of the 13 sentences below 0.45, 12 are reported by no other outlet and
/// one in part.
const NEAR_ARTICLE_COVERAGE: f32 = 0.45;
/// Least share of the sentence's content that one passage (a sentence or two adjacent ones)
/// of another outlet must carry word for word to come near it. On the same gold, it turns
/// away the one sentence reported in part that the article test leaves, and 2 of the 12
/// reported by no one.
const NEAR_COVERAGE: f32 = 0.25;
/// The same with paraphrases credited by word vectors ([`ClaimFeatures::soft_coverage`]).
///
/// [`ClaimFeatures::soft_coverage`]: crate::align::claim::ClaimFeatures::soft_coverage
const NEAR_SOFT_COVERAGE: f32 = 0.35;
/// Passages that share less than this of the sentence word for word are not looked at for
/// paraphrases (the word vectors are most of the comparison's cost).
const SOFT_SCREEN: f32 = 0.1;

/// Does an article of another outlet come near sentence `i` (see [`NEAR_ARTICLE_COVERAGE`])?
/// Word for word first (the aligner's coverage alone), then paraphrases, for the passages
/// that share at least [`SOFT_SCREEN`] of the sentence only: the word vectors are most of
/// the comparison's cost.
fn reported_elsewhere(claims: &ClaimAligner<'_, '_>, i: SentIx) -> bool {
    let corpus = claims.corpus();
    let aligner = claims.aligner();
    let own = corpus.docs[corpus.sentences[i].doc].outlet;
    let other = |d: usize| corpus.docs[d].outlet != own && corpus.docs[d].copy_of.is_none();
    let near_article = aligner
        .doc_coverage(i)
        .iter()
        .enumerate()
        .any(|(d, &share)| other(d) && share >= NEAR_ARTICLE_COVERAGE);
    if near_article {
        return true;
    }
    // Passages of one sentence or two, with their exact coverage.
    let n = corpus.sentences.len();
    let mut screened = Vec::new();
    for c in aligner.candidates(i, SOFT_SCREEN) {
        let doc = corpus.sentences[c].doc;
        if !other(doc) {
            continue;
        }
        let (one, two) = if c + 1 < n && corpus.sentences[c + 1].doc == doc {
            aligner.pair_coverage(i, aligner.terms(c), aligner.terms(c + 1))
        } else {
            (aligner.coverage(i, aligner.terms(c)).0, 0.0)
        };
        if one.max(two) >= NEAR_COVERAGE {
            return true;
        }
        if one >= SOFT_SCREEN {
            screened.push((c, 1));
        }
        if two >= SOFT_SCREEN && two > one {
            screened.push((c, 2));
        }
    }
    screened
        .into_iter()
        .any(|(c, span)| claims.features(i, c, span).soft_coverage >= NEAR_SOFT_COVERAGE)
}

/// Does sentence `i` say again what sentence `j` said, as the summarizer's test for a
/// repeat has it ([`CitationRule::repeats`], either way round)?
fn says_again(claims: &ClaimAligner<'_, '_>, i: SentIx, j: SentIx) -> bool {
    let rule = CitationRule::repeats();
    claims.reports(i, j, 1, &rule) || claims.reports(j, i, 1, &rule)
}

/// Does a sentence quote someone without naming them: it opens with the quotation and no
/// capitalized word outside the quotes says who spoke ("'We'll look after Ravi first.'",
/// "'Is that an alliance that serves Russia?' he asked.", "'We leave that to the process,'
/// noting that...")? Such a line is no fact a reader can use.
fn speaker_not_named(text: &str) -> bool {
    let quoted = crate::summarize::context::quoted_ranges(text);
    let Some(first) = quoted.first() else {
        return false;
    };
    // The opening mark is one character (or a `` pair) before the quoted range.
    if text[..first.start]
        .trim_start_matches(['"', '`', '\u{201C}'])
        .trim()
        != ""
    {
        return false;
    }
    let mut outside = text.to_string();
    for r in quoted.iter().rev() {
        outside.replace_range(r.clone(), "");
    }
    !outside.split_whitespace().any(|w| {
        w.trim_start_matches(|c: char| !c.is_alphanumeric())
            .starts_with(char::is_uppercase)
    })
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

#[cfg(test)]
mod tests {
    use super::speaker_not_named;

    #[test]
    fn a_quote_must_name_its_speaker_to_be_a_fact() {
        assert!(speaker_not_named(
            "\"We'll look after Ravi first and talk about the game later.\""
        ));
        assert!(speaker_not_named(
            "``I would argue to anybody in this city.''"
        ));
        assert!(speaker_not_named(
            "\u{201C}Is that a long-term alliance that serves Russia\u{2019}s interest?\u{201D} he asked."
        ));
        assert!(speaker_not_named(
            "\u{201C}We leave that to the process going forward,\u{201D} noting that it needs to be \u{201C}done in an orderly way\u{201D}."
        ));
        assert!(!speaker_not_named(
            "\"We will work the queue,\" Okafor said."
        ));
        assert!(!speaker_not_named(
            "The mayor called it \"a fair deal\" on Thursday."
        ));
        assert!(!speaker_not_named("No quotation here."));
    }
}
