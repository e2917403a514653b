//! Who "the statement", "the commentary" or "the band" is: the owner an article names when
//! it first brings the thing in.
//!
//! News quotes documents and bodies by a definite reference once they are introduced:
//! `Amnesty said in a statement. "...," the statement said`; `The commentary in Sunday's New
//! Light of Myanmar said ... "...," the commentary said`; `The heavy metal band Metallica ...
//! "...," the band said`. The reader takes the speaker to be that owner. The owner is taken
//! only from an explicit link in the article (a modifier, an apposition, a preposition, a
//! possessive, "X said in a statement"); where the last mention of the thing links it to no
//! one, the quote stays unattributed rather than go to whoever was named last.

use super::caseless::is_person_title;
use super::{
    Mention, PREPOSITIONS, SpeakerRef, Word, as_body, is_calendar_word, is_institution,
    is_possessive, lower, role_at_end, subject_before, words,
};
use storyline_text::speech::is_speech_verb;

/// Things an article refers back to with "the ..." as the one that speaks.
pub(super) const REFERENCES: &[&str] = &[
    "statement",
    "commentary",
    "editorial",
    "opinion",
    "resolution",
    "communique",
    "report",
    "band",
    "group",
    "embassy",
];

/// Is this the head noun of a reference ("the Amnesty statement", "the band")?
pub(super) fn is_reference(head: &str) -> bool {
    REFERENCES.contains(&head)
}

/// The owner of the thing `phrase` ("the Amnesty statement", "the commentary") refers to,
/// from `earlier`: the article's sentences up to the quote, most recent first, each with its
/// name mentions.
pub(super) fn owner<'a>(
    phrase: &str,
    earlier: impl Iterator<Item = (&'a str, &'a [Mention])> + Clone,
) -> Option<String> {
    let ws = words(phrase, 0);
    let head = lower(ws.last()?.2).into_owned();
    // A name inside the phrase: "the Amnesty statement" is Amnesty's, under the fullest
    // form the article gives ("Amnesty International").
    let modifier = ws[..ws.len() - 1]
        .iter()
        .filter(|w| w.2.chars().next().is_some_and(char::is_uppercase) && lower(w.2) != "the")
        .map(|w| w.2)
        .collect::<Vec<_>>();
    if !modifier.is_empty() {
        // Only a name the article gives as one ("the Hong Kong-based group" is no one's).
        let short = modifier.join(" ");
        let adjective = modifier.iter().any(|w| {
            w.rsplit_once('-')
                .is_some_and(|(_, b)| b.starts_with(char::is_lowercase))
        });
        let named = !adjective
            && earlier
                .clone()
                .flat_map(|(_, ms)| ms.iter())
                .any(|m| m.name == short || extends(&m.name, &short));
        return named.then(|| fullest(short, earlier));
    }
    for (text, ms) in earlier.clone() {
        let tw = words(text, 0);
        for (i, w) in tw.iter().enumerate().rev() {
            if lower(w.2) != head {
                continue;
            }
            if let Some(name) = linked_owner(text, &tw, i, ms) {
                return Some(fullest(name, earlier));
            }
            // "the statement" again: look further back for where it came in. Anything
            // else ("a statement" with no owner) is where it came in, and names no one.
            if i == 0 || lower(tw[i - 1].2) != "the" {
                return None;
            }
        }
    }
    None
}

/// The full form of `short` the article gives: "Amnesty" is "Amnesty International" where
/// the article named it so; the shortest such form, in words of letters ("Continental" is
/// "Continental Airlines", not the "Continental DC-10" it flew).
fn fullest<'a>(short: String, earlier: impl Iterator<Item = (&'a str, &'a [Mention])>) -> String {
    earlier
        .flat_map(|(_, ms)| ms.iter())
        .filter(|m| {
            extends(&m.name, &short)
                && m.name[short.len()..]
                    .split_whitespace()
                    .all(|w| w.chars().all(char::is_alphabetic))
        })
        .map(|m| m.name.clone())
        .min_by_key(String::len)
        .unwrap_or(short)
}

/// Is `name` a longer form of `short`, word for word ("Amnesty International" of "Amnesty")?
fn extends(name: &str, short: &str) -> bool {
    name.strip_prefix(short)
        .is_some_and(|rest| rest.starts_with(' '))
}

/// A name with the capitalized words the name finder took for a title, unless one of
/// them is a person's title: "The United States said in a statement" is the United
/// States's, "Foreign Minister Igor Ivanov" is Igor Ivanov.
fn as_named(m: &Mention) -> String {
    match &m.title {
        Some(t)
            if t.split_whitespace().all(|w| {
                w.starts_with(char::is_uppercase)
                    && !w.contains('-')
                    && !is_person_title(&lower(w.trim_end_matches('.')))
            }) =>
        {
            format!("{t} {}", m.name)
        }
        _ => m.name.clone(),
    }
}

/// The owner an occurrence of the noun (word `i` of `text`) is linked to, if any.
fn linked_owner(text: &str, tw: &[Word], i: usize, ms: &[Mention]) -> Option<String> {
    let noun = tw[i];
    let named: Vec<&Mention> = ms.iter().filter(|m| !is_calendar_word(&m.name)).collect();
    let ms = named.as_slice();
    let starts_at = |at: usize| ms.iter().find(|m| m.span.start == at);
    let ends_at = |at: usize| ms.iter().find(|m| m.span.end == at);
    // "the heavy metal band Metallica", "the group Human Rights Watch".
    if let Some(next) = tw.get(i + 1)
        && text[noun.1..next.0].trim().is_empty()
        && let Some(m) = starts_at(next.0)
    {
        return Some(as_named(m));
    }
    // "a U.N. report", "an Amnesty statement": a name right before the noun, after an
    // article.
    if let Some(m) = ends_at(text[..noun.0].trim_end().len())
        && !is_possessive(text, m)
        && text[..m.span.start]
            .trim_end()
            .rsplit(' ')
            .next()
            .is_some_and(|w| matches!(&*lower(w), "a" | "an" | "the"))
    {
        return Some(as_named(m));
    }
    // "the commentary in Sunday's New Light of Myanmar", "a statement from the embassy",
    // "a statement released by ...": a preposition, then at most two words, then the name.
    let mut k = i + 1;
    if tw
        .get(k)
        .is_some_and(|w| matches!(&*lower(w.2), "released" | "issued"))
    {
        k += 1;
        // "a report released Thursday by a government panel": a few words of time or
        // place before "by", in one stretch of the sentence.
        if let Some(by) = (k..(k + 3).min(tw.len())).find(|&j| lower(tw[j].2) == "by")
            && !text[tw[k - 1].1..tw[by].0].contains([',', ';', '.'])
        {
            k = by;
        }
    }
    // "a statement released on behalf of the VX Underground": "of" says whose.
    if tw.get(k).is_some_and(|w| lower(w.2) == "on")
        && tw.get(k + 1).is_some_and(|w| lower(w.2) == "behalf")
        && tw.get(k + 2).is_some_and(|w| lower(w.2) == "of")
    {
        k += 2;
    }
    // "in" only before "the": "a statement in Abuja" names a place, not an owner.
    let owner_follows = |w: &(usize, usize, &str)| match &*lower(w.2) {
        "from" | "by" | "of" => true,
        "in" => tw.get(k + 1).is_some_and(|n| lower(n.2) == "the"),
        _ => false,
    };
    if tw.get(k).is_some_and(owner_follows) {
        for j in k + 1..(k + 4).min(tw.len()) {
            if let Some(m) = starts_at(tw[j].0).or_else(|| {
                ms.iter()
                    .find(|m| m.span.start < tw[j].1 && m.span.end > tw[j].0)
            }) {
                // "a statement issued by Netanyahu's office" is the office's.
                if is_possessive(text, m) {
                    return None;
                }
                // "the New Light of Myanmar": a name joined to the next by "of".
                let of = text[m.span.end..]
                    .strip_prefix(" of ")
                    .and_then(|_| starts_at(m.span.end + 4));
                return Some(match of {
                    Some(n) => text[m.span.start..n.span.end].to_string(),
                    None => as_named(m),
                });
            }
        }
    }
    // "Bertollini's statement", "the NLD's written statement".
    if let Some(m) = ms
        .iter()
        .filter(|m| m.span.end <= noun.0 && is_possessive(text, m))
        .filter(|m| words(&text[m.span.end..noun.0], 0).len() <= 2)
        .last()
    {
        return Some(as_named(m));
    }
    // "the All Burma Students Democratic Front, an exiles group, said": an apposition.
    if let Some(a) = tw[..i]
        .iter()
        .rposition(|w| matches!(&*lower(w.2), "a" | "an"))
        .filter(|&a| i - a <= 4)
        && text[..tw[a].0].trim_end().ends_with(',')
        && text[noun.1..].trim_start().starts_with(',')
        && let Some(m) = ends_at(text[..tw[a].0].trim_end().trim_end_matches(',').len())
    {
        return Some(as_named(m));
    }
    // "Amnesty said in a statement", "Amnesty said in a written statement".
    if let Some(a) = tw[..i]
        .iter()
        .rposition(|w| matches!(&*lower(w.2), "a" | "an"))
        .filter(|&a| i - a <= 2 && a >= 2)
    {
        if lower(tw[a - 1].2) == "in" && is_speech_verb(tw[a - 2].2) {
            let clause = &text[..tw[a - 2].0];
            return ms
                .iter()
                .filter(|m| m.span.end <= clause.len())
                .filter(|m| words(&clause[m.span.end..], 0).is_empty())
                .find(|m| {
                    let before = words(&clause[..m.span.start], 0);
                    before
                        .last()
                        .is_none_or(|w| !PREPOSITIONS.contains(&&*lower(w.2)))
                })
                .map(|m| as_named(m))
                // "the government said in a statement": the body, as the article names it.
                .or_else(|| match role_at_end(clause) {
                    Some(SpeakerRef::Role(r)) if is_institution(&r) => Some(as_body(&r)),
                    _ => None,
                });
        }
    }
    // "In a statement, Continental said", "In a six-month report sent to the Security Council,
    // Richard Butler, the chief inspector, said": the sentence opens with the thing, and
    // whoever says the sentence's words issued it.
    let opens = tw.first().is_some_and(|w| lower(w.2) == "in")
        && tw
            .get(1)
            .is_some_and(|w| matches!(&*lower(w.2), "a" | "an" | "its" | "their"))
        && i <= 5;
    if opens && let Some(v) = tw[i + 1..].iter().position(|w| is_speech_verb(w.2)) {
        return speaker_named(&text[..tw[i + 1 + v].0]);
    }
    // "The Progressive Policy Institute issued a report", "Air France issued a one-paragraph
    // statement": the subject of the verb that put it out.
    if let Some(a) = tw[..i]
        .iter()
        .rposition(|w| matches!(&*lower(w.2), "a" | "an"))
        .filter(|&a| i - a <= 3 && a >= 1)
        && matches!(
            &*lower(tw[a - 1].2),
            "issued" | "released" | "published" | "presented"
        )
    {
        return speaker_named(&text[..tw[a - 1].0]);
    }
    None
}

/// The name or the body that is the subject of a speech or issuing verb, `clause` ending at
/// the verb: only a name, or a body by its kind ("the ministry").
fn speaker_named(clause: &str) -> Option<String> {
    match subject_before(clause)? {
        // Not a run of words across a comma ("the United States,the NTSB").
        SpeakerRef::Name(m) if !m.name.contains(',') => Some(as_named(&m)),
        SpeakerRef::Role(r) if is_institution(&r) => Some(as_body(&r)),
        _ => None,
    }
}
