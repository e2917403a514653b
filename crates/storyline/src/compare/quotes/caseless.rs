//! Speakers in articles whose names lost their capitals ("said capt. dan mcgrath of metro
//! homicide", as in corpora that lower-cased their text). Without capitals a name is known by
//! its place only: the noun phrase next to a speech verb, when it holds a title or a role
//! followed by the name ("clark county sheriff joe lombardo said"), when an appositive gives
//! the role ("deodatus kinawila, the district commissioner of bukoba, told"; "said alexander
//! smirnov, deputy general director of metrojet"), or when it is the surname of a person
//! so named elsewhere in the event ("said jackson"). Anything else stays unattributed.

use storyline_text::stopwords::is_stopword;

use super::{
    PERSON_NOUNS, People, SpeakerRef, Word, is_adverb, is_calendar_word, is_pronoun,
    is_speech_verb, lower, words,
};
use crate::compare::names::{Mention, is_title_word};

/// Titles that stand for a person right before their name ("sgt.", "sheriff"); adjectives
/// of titles ("state", "foreign", "deputy") are not enough without one of these.
pub(super) fn is_person_title(w: &str) -> bool {
    PERSON_NOUNS.contains(&w)
        || matches!(
            w,
            "gen"
                | "sen"
                | "rep"
                | "gov"
                | "col"
                | "capt"
                | "lt"
                | "sgt"
                | "det"
                | "insp"
                | "supt"
                | "dr"
                | "mr"
                | "mrs"
                | "ms"
                | "prof"
                | "rev"
                | "sheriff"
                | "sergeant"
                | "lieutenant"
                | "colonel"
                | "detective"
                | "inspector"
                | "constable"
                | "superintendent"
                | "councillor"
                | "councilman"
                | "councilwoman"
                | "congressman"
                | "congresswoman"
                | "representative"
                | "admiral"
                | "marshal"
                | "judge"
                | "justice"
                | "commissioner"
                | "spokesman"
                | "spokeswoman"
                | "spokesperson"
                | "agent"
                | "economist"
        )
}

/// A word that can be part of a name: letters (inner hyphens and apostrophes allowed), not a
/// function word, title, role, speech verb or calendar word.
fn name_like(w: &str) -> bool {
    let l = lower(w);
    w.chars().next().is_some_and(char::is_alphabetic)
        && w.chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '\u{2019}'))
        && !is_stopword(&l)
        && !is_title_word(&l)
        && !PERSON_NOUNS.contains(&&*l)
        && !is_speech_verb(&l)
        && !is_calendar_word(&l)
}

/// A middle initial ("lakeisha n. holloway").
fn initial(text: &str, w: &Word) -> bool {
    w.2.chars().count() == 1 && text[w.1..].starts_with('.')
}

/// Does the text between two words break a noun phrase? Commas, quotes, brackets and
/// sentence ends do; the period of an abbreviation ("lt.") or an initial does not.
fn breaks(text: &str, a: &Word, b: &Word) -> bool {
    let gap = &text[a.1..b.0];
    if gap.contains([
        ',', ';', ':', '"', '\u{201C}', '\u{201D}', '`', '(', ')', '!', '?',
    ]) {
        return true;
    }
    gap.contains('.') && !(is_title_word(&lower(&a.2)) || initial(text, a))
}

fn is_determiner(w: &str) -> bool {
    matches!(&*lower(w), "the" | "a" | "an")
}

/// The noun phrase ending where `text` ends (the subject before a verb): content words
/// and titles back to a comma, a function word or the sentence start; a determiner is kept.
fn np_before(text: &str) -> Vec<Word<'_>> {
    let ws = words(text, 0);
    let mut end = ws.len();
    while end > 0 && is_adverb(&ws[end - 1].2) {
        end -= 1;
    }
    if end == 0 {
        return Vec::new();
    }
    // The phrase touches the verb: only spaces (and adverbs) after its last word.
    let tail_end = ws.get(end).map_or(text.len(), |w| w.0);
    if !text[ws[end - 1].1..tail_end].trim().is_empty() {
        return Vec::new();
    }
    let mut k = end;
    while k > 0 && end - k < 7 {
        let w = &ws[k - 1];
        if k < end && breaks(text, w, &ws[k]) {
            break;
        }
        let l = lower(&w.2);
        if is_determiner(&l) {
            k -= 1;
            break;
        }
        if is_pronoun(&l) {
            if k == end {
                k -= 1;
            }
            break;
        }
        if is_stopword(&l) {
            break;
        }
        k -= 1;
    }
    ws[k..end].to_vec()
}

/// The noun phrase starting `text` (the subject after a verb): up to a comma, a function
/// word other than a determiner, or a sentence end.
fn np_after(text: &str) -> Vec<Word<'_>> {
    let ws = words(text, 0);
    let Some(first) = ws.first() else {
        return Vec::new();
    };
    if text[..first.0].contains([',', ';', '.', '"', '\u{201C}', '\u{201D}']) {
        return Vec::new();
    }
    let mut k = 0;
    while k < ws.len() && k < 7 {
        let w = &ws[k];
        if k > 0 && breaks(text, &ws[k - 1], w) {
            break;
        }
        let l = lower(&w.2);
        if is_speech_verb(&l)
            || (is_stopword(&l) && !(k == 0 && (is_determiner(&l) || is_pronoun(&l))))
        {
            break;
        }
        k += 1;
        if is_pronoun(&l) {
            break;
        }
    }
    ws[..k].to_vec()
}

/// Does `rest` (the text right after a noun phrase) open an appositive giving a role:
/// `, the district commissioner of bukoba,` / `, deputy general director of metrojet.`?
fn role_appositive(rest: &str) -> Option<String> {
    let rest = rest.trim_start().strip_prefix(',')?;
    let end = rest
        .find([',', ';', '.', '"', '\u{201C}'])
        .unwrap_or(rest.len());
    let ws = words(&rest[..end], 0);
    let body: Vec<&Word> = ws
        .iter()
        .skip_while(|w| is_determiner(&w.2))
        .take_while(|w| !matches!(&*lower(&w.2), "of" | "for" | "at" | "in" | "with"))
        .collect();
    (!body.is_empty() && body.len() <= 5 && body.iter().any(|w| is_person_title(&lower(&w.2))))
        .then(|| {
            body.iter()
                .map(|w| lower(&w.2))
                .collect::<Vec<_>>()
                .join(" ")
        })
}

/// What a noun phrase next to a speech verb says of the speaker. `rest` is the text right
/// after the phrase (for an appositive); `known`: the event's people, for bare surnames
/// (`None` while they are being collected).
fn speaker_of_np(
    text: &str,
    np: &[Word],
    rest: &str,
    known: Option<&People>,
) -> Option<SpeakerRef> {
    let first = np.first()?;
    if np.len() == 1 && is_pronoun(&first.2) {
        return Some(SpeakerRef::Pronoun(first.2.to_string()));
    }
    let mention = |ws: &[Word], title: Option<String>| {
        let name: Vec<String> = ws.iter().map(|w| lower(&w.2).into_owned()).collect();
        Mention {
            span: ws[0].0..ws[ws.len() - 1].1,
            name: crate::compare::names::title_case(&name.join(" ")),
            title,
        }
    };
    let name_part = |ws: &[Word]| {
        !ws.is_empty()
            && ws.len() <= 4
            && ws
                .iter()
                .enumerate()
                .all(|(i, w)| name_like(&w.2) || (i > 0 && i + 1 < ws.len() && initial(text, w)))
            && ws.iter().filter(|w| !initial(text, w)).count() <= 3
    };
    let title_at = np.iter().rposition(|w| is_person_title(&lower(&w.2)));
    match title_at {
        Some(t) if t + 1 < np.len() => {
            let ws = &np[t + 1..];
            let from = np[..=t]
                .iter()
                .position(|w| is_title_word(&lower(&w.2)) || is_person_title(&lower(&w.2)))
                .unwrap_or(t);
            let title = np[from..=t]
                .iter()
                .map(|w| lower(&w.2))
                .collect::<Vec<_>>()
                .join(" ");
            name_part(ws).then(|| SpeakerRef::Name(mention(ws, Some(title))))
        }
        // "the district commissioner said": a role.
        Some(_) if is_determiner(&first.2) => Some(SpeakerRef::Role(
            text[first.0..np[np.len() - 1].1].to_string(),
        )),
        Some(_) => None,
        None if name_part(np) => {
            if let Some(role) = role_appositive(rest) {
                return Some(SpeakerRef::Name(mention(np, Some(role))));
            }
            let m = mention(np, None);
            known
                .is_some_and(|p| p.is_person(&m.name) || p.is_full_name(&m.name))
                .then_some(SpeakerRef::Name(m))
        }
        None => None,
    }
}

/// The speaker in the subject before a speech verb; `clause` ends at the verb. An
/// appositive between them ("kinawila, the district commissioner of bukoba, told") is
/// passed over and vouches for the name before it.
pub(super) fn subject_before(clause: &str, known: Option<&People>) -> Option<SpeakerRef> {
    let t = clause.trim_end();
    if let Some(body) = t.strip_suffix(',')
        && let Some(open) = body.rfind(',')
        && role_appositive(&body[open..]).is_some()
    {
        let np = np_before(&body[..open]);
        // "one witness, los angeles resident michal jackson, said": the name may be the
        // appositive itself.
        return speaker_of_np(clause, &np, &body[open..], known)
            .or_else(|| speaker_of_np(clause, &np_before(body), "", known));
    }
    let np = np_before(clause);
    speaker_of_np(clause, &np, "", known)
}

/// The speaker named right after a speech verb (`text` starts after the verb): `said
/// jackson`, `said capt. dan mcgrath of metro homicide`, `said alexander smirnov, deputy
/// general director of metrojet`.
pub(super) fn subject_after(text: &str, known: Option<&People>) -> Option<SpeakerRef> {
    let np = np_after(text);
    let last = np.last()?;
    speaker_of_np(text, &np, &text[last.1..], known)
}

/// The subject of a sentence: the named subject of its first speech verb, among its first
/// words ("clark county sheriff joe lombardo said on monday he ...", "jackson described
/// the car as ... and said").
pub(super) fn sentence_subject(text: &str, known: Option<&People>) -> Option<SpeakerRef> {
    let verb = words(text, 0)
        .into_iter()
        .take(10)
        .find(|w| is_speech_verb(&w.2))?;
    match subject_before(&text[..verb.0], known)? {
        SpeakerRef::Name(m) => Some(SpeakerRef::Name(m)),
        _ => None,
    }
}

/// Names of people in a sentence, found in the speaker places of its speech verbs: they
/// teach the event its people before any quote is attributed.
pub(super) fn speaker_mentions(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    for w in words(text, 0).iter().filter(|w| is_speech_verb(&w.2)) {
        for r in [
            subject_before(&text[..w.0], None),
            subject_after(&text[w.1..], None).map(|r| shift(r, w.1)),
        ]
        .into_iter()
        .flatten()
        {
            if let SpeakerRef::Name(m) = r {
                out.push(m);
            }
        }
    }
    out
}

fn shift(r: SpeakerRef, by: usize) -> SpeakerRef {
    match r {
        SpeakerRef::Name(mut m) => {
            m.span = m.span.start + by..m.span.end + by;
            SpeakerRef::Name(m)
        }
        other => other,
    }
}
