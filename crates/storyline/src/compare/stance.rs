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

/// The closed-class phrases of this module (hedges, attributions, denials), found in one
/// pass over a sentence rather than one search per phrase (the phrase lists are read for
/// every sentence of every claim). A phrase counts at word boundaries: preceded by the start
/// or a non-alphanumeric character (or itself starting with a space) and followed by a
/// non-alphanumeric character.
struct Phrases {
    automaton: aho_corasick::AhoCorasick,
}

/// The phrase automaton, built once (an immutable table, like the lists it is made of:
/// building it for each event cost more than the searches it saves).
static PHRASES: std::sync::LazyLock<Phrases> = std::sync::LazyLock::new(Phrases::new);

/// Which phrases a sentence holds, by index in [`Phrases::all`] order.
#[derive(Clone, Copy, Default)]
struct Found(u64);

impl Found {
    fn has(self, k: usize) -> bool {
        self.0 & (1 << k) != 0
    }

    /// The first phrase of `list` (starting at `offset` in [`Phrases::all`]) found.
    fn first(self, offset: usize, list: &'static [&'static str]) -> Option<&'static str> {
        (0..list.len())
            .find(|&k| self.has(offset + k))
            .map(|k| list[k])
    }

    fn hedge(self) -> Option<&'static str> {
        self.first(0, HEDGES)
    }

    fn attribution(self) -> Option<&'static str> {
        self.first(HEDGES.len(), ATTRIBUTIONS)
    }

    fn denial(self) -> bool {
        self.first(HEDGES.len() + ATTRIBUTIONS.len(), DENIALS)
            .is_some()
    }
}

impl Phrases {
    fn all() -> impl Iterator<Item = &'static str> {
        HEDGES.iter().chain(ATTRIBUTIONS).chain(DENIALS).copied()
    }

    fn new() -> Self {
        const { assert!(HEDGES.len() + ATTRIBUTIONS.len() + DENIALS.len() <= 64) };
        Phrases {
            // The phrases are a fixed list of plain words: building cannot fail.
            automaton: aho_corasick::AhoCorasick::new(Self::all())
                .expect("a fixed list of short phrases builds an automaton"),
        }
    }

    /// The phrases in `text` (lowercased, outside quotes: see [`outside_quotes`]).
    fn find(&self, text: &str) -> Found {
        let mut found = Found::default();
        for m in self.automaton.find_overlapping_iter(text) {
            let k = m.pattern().as_usize();
            if found.has(k) {
                continue;
            }
            let phrase = &text[m.start()..m.end()];
            let before_ok = phrase.starts_with(' ')
                || m.start() == 0
                || !text[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
            let after_ok = !text[m.end()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric);
            if before_ok && after_ok {
                found.0 |= 1 << k;
            }
        }
        found
    }
}

/// Does the sentence hold quoted words (or a part of a quote split over sentences)?
fn quotes_someone(text: &str) -> bool {
    text.contains(['\u{201C}', '\u{201D}', '"'])
}

/// The stance of one sentence, and the words that mark it.
pub fn stance_of(text: &str) -> (Stance, Option<String>) {
    stance_with(text, PHRASES.find(&outside_quotes(text)))
}

/// The stance of a sentence whose phrases were found.
fn stance_with(text: &str, found: Found) -> (Stance, Option<String>) {
    if let Some(h) = found.hedge() {
        return (Stance::Hedged, Some(h.trim().to_string()));
    }
    if let Some(a) = found.attribution() {
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
    let phrases = &*PHRASES;
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
        let stance = |m: SentIx, found: Found| {
            let sm = &corpus.sentences[m];
            let d = &corpus.docs[sm.doc];
            let (stance, marker) = stance_with(&sm.text, found);
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
        let found: Vec<Found> = members
            .iter()
            .map(|&m| phrases.find(&outside_quotes(&corpus.sentences[m].text)))
            .collect();
        let denied = found.iter().any(|f| f.denial());
        let hedged = found.iter().any(|f| f.hedge().is_some());
        if !(hedged || denied) {
            continue;
        }
        let mut stances: Vec<OutletStance> = members
            .iter()
            .zip(&found)
            .map(|(&m, &f)| stance(m, f))
            .collect();
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
                stances.push(stance(
                    c,
                    phrases.find(&outside_quotes(&corpus.sentences[c].text)),
                ));
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
    fn phrases_are_found_at_word_boundaries_in_list_order() {
        let f =
            PHRASES.find(" the ministry denied the so-called plot, which reportedly was alleged");
        assert!(f.denial());
        // "alleged" comes before "reportedly" in the hedges: the first of the list wins.
        assert_eq!(f.hedge(), Some("alleged"));
        assert_eq!(f.attribution(), None);
        let f = PHRASES.find(" the undenied, unsaid truths");
        assert!(!f.denial());
        assert_eq!(f.attribution(), None);
        let f = PHRASES.find(" he is said to be ill, she said");
        assert_eq!(f.hedge(), Some("said to be"));
        assert_eq!(f.attribution(), Some(" said"));
    }

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
