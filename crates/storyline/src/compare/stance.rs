//! How each outlet presents a claim: as fact, attributed to someone, or hedged.
//!
//! A claim is a sentence together with the sentences of other outlets that report it (the
//! citation alignment). Each outlet's sentence is read for its stance (outside quotation
//! marks): *hedged* when it carries an epistemic hedge (`alleged`, `suspected`,
//! `reportedly`, `apparently`, `may have`...), *attributed* when it reports the claim as
//! someone's words (`according to`, `X said`, `X accused`), *stated* otherwise. A claim is
//! listed as disputed when one outlet hedges it while another does not, or when one of its
//! sentences reports a denial; outlets that report it in other words (a lower share of its
//! content) are then added with their stance.

use serde::Serialize;

use crate::align::{Aligner, Support};

/// Share of a claim's content (idf-weighted) another outlet's sentence must carry to count
/// as reporting it here: lower than a citation's, since an outlet that attributes or hedges
/// a claim words it differently ("Police said ... was carried out by X").
const CLAIM_COVERAGE: f32 = 0.25;
/// Content words it must share with one of the claim's sentences.
const CLAIM_MIN_SHARED: usize = 4;
use crate::corpus::{Corpus, SentIx};

/// Hedge words and phrases (closed class, lowercase).
const HEDGES: &[&str] = &[
    "alleged",
    "allegedly",
    "suspected",
    "purported",
    "purportedly",
    "apparent",
    "apparently",
    "reportedly",
    "unconfirmed",
    "may have",
    "might have",
    "could have",
    "possibly",
    "presumably",
    "believed to",
    "thought to",
    "said to be",
    "claimed to",
    "so-called",
    "unverified",
];

/// Attribution verbs and phrases (closed class, lowercase): the claim is someone's.
const ATTRIBUTIONS: &[&str] = &[
    "according to",
    " said",
    " says",
    " claimed",
    " claims",
    " accused",
    " accuses",
    " blamed",
    " blames",
    " alleged that",
    " insisted",
    " insists",
    " maintained",
    " asserted",
    " charged",
    " told",
    " stated",
    " reported that",
    " believes",
    " contends",
    " argued",
];

/// Denial words: a sentence reporting one makes its claim disputed.
const DENIALS: &[&str] = &[
    "denied",
    "denies",
    "deny",
    "rejected",
    "rejects",
    "dismissed",
    "disputed",
    "disputes",
    "refuted",
    "refutes",
];

/// How one outlet presents a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// As fact.
    Stated,
    /// As someone's words.
    Attributed,
    /// With a hedge.
    Hedged,
}

/// One outlet's presentation of a claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutletStance {
    /// The outlet.
    pub outlet: String,
    /// The article.
    pub article: String,
    /// Its stance.
    pub stance: Stance,
    /// The words that mark it (`alleged`, `according to`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    /// Its sentence.
    pub text: String,
}

/// A claim the outlets present differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DisputedClaim {
    /// The claim, as the outlet stating it most plainly writes it.
    pub claim: String,
    /// A sentence of the claim reports a denial.
    pub denied: bool,
    /// Each outlet's presentation.
    pub outlets: Vec<OutletStance>,
}

/// The text outside quotation marks, lowercased, with a leading space.
fn outside_quotes(text: &str) -> String {
    let mut out = String::from(" ");
    let mut inside = false;
    for c in text.chars() {
        match c {
            '\u{201C}' => inside = true,
            '\u{201D}' => inside = false,
            '"' => inside = !inside,
            _ if !inside => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

fn has_phrase(text: &str, phrase: &str) -> bool {
    // Word boundaries: the phrase is preceded by a space or start and followed by a non-letter.
    let mut from = 0;
    while let Some(k) = text[from..].find(phrase) {
        let at = from + k;
        let before_ok = phrase.starts_with(' ')
            || at == 0
            || !text[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric);
        let after_ok = !text[at + phrase.len()..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
        if before_ok && after_ok {
            return true;
        }
        from = at + phrase.len().max(1);
    }
    false
}

/// Does the sentence hold quoted words (or a part of a quote split over sentences)?
fn quotes_someone(text: &str) -> bool {
    text.contains(['\u{201C}', '\u{201D}', '"'])
}

/// The stance of one sentence, and the words that mark it.
pub fn stance_of(text: &str) -> (Stance, Option<String>) {
    let t = outside_quotes(text);
    if let Some(h) = HEDGES.iter().find(|h| has_phrase(&t, h)) {
        return (Stance::Hedged, Some(h.trim().to_string()));
    }
    if let Some(a) = ATTRIBUTIONS.iter().find(|a| has_phrase(&t, a)) {
        return (Stance::Attributed, Some(a.trim().to_string()));
    }
    // Quoted words with nothing else to say whose they are still are someone's.
    if quotes_someone(text) {
        return (Stance::Attributed, Some("quoted".to_string()));
    }
    (Stance::Stated, None)
}

/// Claims the outlets present differently (see the module documentation), at most `limit`,
/// the most reported first.
pub fn disputed(
    corpus: &Corpus,
    aligner: &Aligner<'_>,
    support: &[Vec<Support>],
    limit: usize,
) -> Vec<DisputedClaim> {
    let mut seen = vec![false; corpus.sentences.len()];
    let mut out: Vec<DisputedClaim> = Vec::new();
    // Most supported sentences first.
    let mut order: Vec<SentIx> = (0..corpus.sentences.len())
        .filter(|&i| corpus.docs[corpus.sentences[i].doc].copy_of.is_none())
        .collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(support[i].len()), i));
    for i in order {
        if seen[i] || support[i].is_empty() {
            continue;
        }
        let s = &corpus.sentences[i];
        let own_outlet = corpus.docs[s.doc].outlet;
        let mut members: Vec<SentIx> = vec![i];
        let mut outlets = vec![own_outlet];
        for sup in &support[i] {
            let d = &corpus.docs[sup.doc];
            if d.copy_of.is_some() || outlets.contains(&d.outlet) {
                continue;
            }
            outlets.push(d.outlet);
            members.push(sup.sentence);
        }
        if members.len() < 2 {
            continue;
        }
        let stance = |m: SentIx| {
            let sm = &corpus.sentences[m];
            let d = &corpus.docs[sm.doc];
            let (stance, marker) = stance_of(&sm.text);
            OutletStance {
                outlet: corpus.outlets[d.outlet].clone(),
                article: d.id.clone(),
                stance,
                marker,
                text: sm.text.clone(),
            }
        };
        for &m in &members {
            seen[m] = true;
        }
        // Quotes are compared in the quotes section: claims here are the outlets' own.
        if members
            .iter()
            .all(|&m| quotes_someone(&corpus.sentences[m].text))
        {
            continue;
        }
        // Attribution alone is everyday news style ("officials said"): a claim is disputed
        // when one outlet hedges it while another does not, or a denial is reported. Most
        // claims have neither, and are left before any stance is read.
        let plain: Vec<String> = members
            .iter()
            .map(|&m| outside_quotes(&corpus.sentences[m].text))
            .collect();
        let denied = plain
            .iter()
            .any(|t| DENIALS.iter().any(|w| has_phrase(t, w)));
        let hedged = plain
            .iter()
            .any(|t| HEDGES.iter().any(|h| has_phrase(t, h)));
        if !(hedged || denied) {
            continue;
        }
        let mut stances: Vec<OutletStance> = members.iter().map(|&m| stance(m)).collect();
        let differ = stances.iter().any(|x| x.stance != stances[0].stance);
        if !(differ && hedged || denied) {
            continue;
        }
        // Outlets that report the claim in other words (an outlet that attributes or
        // hedges a claim words it differently: "Police said ... was carried out by X").
        for doc in &corpus.docs {
            if doc.copy_of.is_some() || outlets.contains(&doc.outlet) {
                continue;
            }
            let best = doc
                .sentences
                .clone()
                .map(|c| {
                    let best = members
                        .iter()
                        .map(|&m| aligner.coverage(m, aligner.terms(c)))
                        .max_by(|a, b| a.0.total_cmp(&b.0))
                        .unwrap_or((0.0, 0));
                    (c, best)
                })
                .filter(|(_, (cov, shared))| *cov >= CLAIM_COVERAGE && *shared >= CLAIM_MIN_SHARED)
                .max_by(|a, b| a.1.0.total_cmp(&b.1.0));
            if let Some((c, _)) = best {
                outlets.push(doc.outlet);
                seen[c] = true;
                stances.push(stance(c));
            }
        }
        let plain = stances
            .iter()
            .min_by_key(|x| x.stance)
            .map_or_else(|| s.text.clone(), |x| x.text.clone());
        out.push(DisputedClaim {
            claim: plain,
            denied,
            outlets: stances,
        });
        if out.len() >= limit {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stances_of_sentences() {
        assert_eq!(
            stance_of("The alleged attack killed 12 people.").0,
            Stance::Hedged
        );
        assert_eq!(
            stance_of("The attack, which reportedly killed 12, shocked the town.").0,
            Stance::Hedged
        );
        assert_eq!(
            stance_of("The ministry said the attack killed 12 people.").0,
            Stance::Attributed
        );
        assert_eq!(
            stance_of("According to the ministry, the attack killed 12.").0,
            Stance::Attributed
        );
        assert_eq!(stance_of("The attack killed 12 people.").0, Stance::Stated);
        // Words inside quotes are the speaker's, not the outlet's.
        assert_eq!(
            stance_of("\u{201C}The alleged plot is a lie\u{201D} was painted on the wall.").0,
            Stance::Attributed
        );
        // Whole words only.
        assert_eq!(stance_of("The unsaid truth emerged.").0, Stance::Stated);
    }
}
