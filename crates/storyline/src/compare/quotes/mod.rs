//! Direct quotes, who said them, and the same statement across outlets.
//!
//! Quotes are the spans between quotation marks (“…”, "…", ``…'', and ‘…’ for quotes inside
//! headlines), including partial quotes inside reported speech; a quote that runs over
//! several paragraphs (opening mark at each, closing only at the end) is followed across
//! them. Attribution follows the patterns of quotation in news (Pareti et al. 2013;
//! O'Keefe et al. 2012): a speech verb right after the quote (`"…," Whitfield said`,
//! `"…," said Irina Belova, spokesperson for…`, `"…," he added`) or before it
//! (`Whitfield said: "…"`, `Volkov called it "…"`). The speaker is a name (its title split
//! off), a pronoun, a role ("the US Secretary of State"), or, for a paragraph that is only a
//! quote, the speaker of the paragraph before. Pronouns and unmatched roles go to the last
//! speaker of the article; roles go to the person whose title holds the role's words. A
//! name inside a prepositional phrase ("spokesperson *for* President Vladimir Orlov") is
//! never the speaker. When no rule applies the quote stays unattributed: a wrong speaker is
//! worse than none.
//!
//! Occurrences that report one utterance are grouped into a [`Statement`] (see
//! [`statements`]: the same speaker, the quoted words in order, the same occasion).

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;

mod caseless;
mod occasion;
mod reference;
mod statements;

use super::names::{
    Mention, folded_words, is_organisation, is_place, is_title_word, mentions, same_folded,
};
use super::timeline::{When, is_calendar_name};
use crate::corpus::{Corpus, DocIx, Sentence};
use storyline_text::given_names::{Gender, gender_of, gender_of_name, pronoun_gender};
use storyline_text::speech::is_speech_verb;

/// Participles of speech verbs: `"…," adding that …` and `Telling the crowd of "…",
/// Gonzalez said` leave the speaker to the clause around them.
const SPEECH_PARTICIPLES: &[&str] = &[
    "adding",
    "noting",
    "saying",
    "insisting",
    "warning",
    "explaining",
    "arguing",
    "stressing",
    "claiming",
    "calling",
    "describing",
    "telling",
    "asking",
    "urging",
    "acknowledging",
    "admitting",
    "conceding",
    "vowing",
    "promising",
    "predicting",
    "accusing",
    "praising",
    "suggesting",
    "complaining",
    "recalling",
    "declaring",
    "announcing",
    "writing",
    "referring",
    "pointing",
];

/// Prepositions: a name right after one is not the subject ("spokesperson for X").
const PREPOSITIONS: &[&str] = &[
    "for", "of", "to", "with", "from", "by", "at", "in", "on", "about", "against", "between",
    "after", "before", "under", "over", "near", "than", "during", "outside", "inside", "amid",
];

/// Bodies that speak as one and that the phrase alone identifies within an event ("the
/// government said", "the court found"): the phrase is the speaker, as the article names
/// it. ("The band", "the group", "the embassy" name someone the reader must look for.)
const INSTITUTIONS: &[&str] = &[
    "government",
    "court",
    "military",
    "junta",
    "ministry",
    "administration",
];

/// A body as a speaker, the same wherever the sentence puts it: "The government said" and
/// "the government said" are "the government".
fn as_body(role: &str) -> String {
    match role.strip_prefix("The ") {
        Some(rest) => format!("the {rest}"),
        None => role.to_string(),
    }
}

/// Is this role phrase ("the Cuban government") an institution's?
fn is_institution(role: &str) -> bool {
    words(role, 0)
        .last()
        .is_some_and(|w| INSTITUTIONS.contains(&&*lower(&w.2)))
}

/// The institution an unnamed spokesperson speaks for ("a Foreign Ministry spokesman": the
/// Foreign Ministry; "a spokeswoman for the Interior Ministry"; "a government spokesman":
/// the government), when the role names one.
fn spokesperson_of(role: &str) -> Option<String> {
    let ws = words(role, 0);
    let is_spokes =
        |w: &Word| matches!(&*lower(&w.2), "spokesman" | "spokeswoman" | "spokesperson");
    let k = ws.iter().position(is_spokes)?;
    let first = ws.first()?;
    if !matches!(&*lower(&first.2), "a" | "an" | "one") {
        return None;
    }
    let body: Vec<&str> = if k + 1 == ws.len() {
        ws[1..k].iter().map(|w| &*w.2).collect()
    } else if ws.get(k + 1).is_some_and(|w| lower(&w.2) == "for") {
        ws[k + 2..]
            .iter()
            .map(|w| &*w.2)
            .skip_while(|w| w.eq_ignore_ascii_case("the"))
            .collect()
    } else {
        return None;
    };
    let body = body.join(" ");
    (!body.is_empty() && is_institution(&body)).then(|| {
        if body.starts_with(char::is_lowercase) {
            format!("the {body}")
        } else {
            body
        }
    })
}

/// An unnamed spokesperson's tag around a quote ("..., said a government spokesman, on
/// condition of anonymity", "A Foreign Ministry spokesman said ``...''"): the role as
/// written, and the institution they speak for.
fn spokesperson_tag(before: &str, after: &str) -> Option<(String, String)> {
    // The words of a tag other than its speech verb, first or last.
    let cut = |t: &str| -> String {
        let ws = words(t, 0);
        let role = match (ws.first(), ws.last()) {
            (Some(f), _) if is_speech_verb(f.2) => &ws[1..],
            (_, Some(l)) if is_speech_verb(l.2) => &ws[..ws.len() - 1],
            _ => &[],
        };
        role.iter().map(|w| w.2).collect::<Vec<_>>().join(" ")
    };
    let after = after.trim_start_matches([',', ' ']);
    let tag_after = &after[..after.find([',', '.', ';']).unwrap_or(after.len())];
    let tag_before = before.rsplit([',', '.', ';', ':']).next().unwrap_or("");
    [cut(tag_after), cut(tag_before)]
        .into_iter()
        .find_map(|role| spokesperson_of(&role).map(|body| (role, body)))
}

/// Nouns for people: "the diplomat said" may be resolved to the last speaker.
const PERSON_NOUNS: &[&str] = &[
    "diplomat",
    "minister",
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "president",
    "secretary",
    "envoy",
    "leader",
    "chief",
    "ambassador",
    "governor",
    "mayor",
    "lawyer",
    "attorney",
    "prosecutor",
    "judge",
    "witness",
    "resident",
    "expert",
    "analyst",
    "officer",
    "senator",
    "lawmaker",
    "commander",
    "coach",
    "manager",
    "actor",
    "actress",
    "singer",
    "player",
    "executive",
    "founder",
    "author",
    "researcher",
    "scientist",
    "doctor",
    "professor",
    "chancellor",
    "premier",
    "general",
    "director",
    "chairman",
    "chairwoman",
    "head",
    "master",
    "captain",
    "woman",
    "man",
    "worker",
    "employee",
    "student",
    "teacher",
    "parent",
    "farmer",
    "soldier",
    "victim",
    "survivor",
    "activist",
    "protester",
    "passer-by",
    "bystander",
    "neighbor",
    "neighbour",
    "fan",
    "voter",
    "nurse",
    "pilot",
    "driver",
    "owner",
    "engineer",
    "journalist",
    "reporter",
    "editor",
    "member",
    "fighter",
    "militant",
    "rebel",
    "girl",
    "boy",
    "mother",
    "father",
    "wife",
    "husband",
    "adviser",
    "advisor",
    "aide",
    "counsel",
    "consultant",
    "coordinator",
    "representative",
    "organizer",
];

/// How a quote's speaker was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    /// A name next to a speech verb.
    Named,
    /// A pronoun, resolved to the article's last speaker.
    Pronoun,
    /// A role ("the US Secretary of State"), resolved through titles.
    Role,
    /// A paragraph of quote only: the speaker of the paragraph before.
    Continuation,
    /// No rule applied.
    Unattributed,
}

/// One quote in one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteOccurrence {
    /// The article.
    pub article: String,
    /// Its outlet.
    pub outlet: String,
    /// The quoted words.
    pub text: String,
    /// The speaker as the article names them ("Whitfield", "he", "the diplomat").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said_by: Option<String>,
    /// The speaker's canonical name across the event (`None`: unattributed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// How the speaker was found.
    pub attribution: Attribution,
    /// The quote is part of a sentence of reported speech.
    pub partial: bool,
    /// When it was said, as its attribution situates it ("said on Tuesday"), resolved
    /// against its own article's date; never a time the sentence gives for something else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
    /// The day its article was published.
    #[serde(skip)]
    pub(crate) reported: Option<chrono::NaiveDate>,
    #[serde(skip)]
    pub(crate) doc: DocIx,
    #[serde(skip)]
    pub(crate) paragraph: usize,
    /// Byte range of the quoted words in the paragraph.
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
}

impl QuoteOccurrence {
    /// Index of the article in the corpus, and of the paragraph in the cleaned article.
    pub fn location(&self) -> (DocIx, usize) {
        (self.doc, self.paragraph)
    }
}

/// A statement: one utterance, as reported by one or more outlets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// The speaker's canonical name (`None`: unattributed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// The fullest wording.
    pub text: String,
    /// Outlets reporting it.
    pub outlets: Vec<String>,
    /// When it was said, if the attributions say ("2031-03-13", "Wednesday, date not
    /// given"); else the day it was first reported ("reported 2031-03-13").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Every occurrence.
    pub occurrences: Vec<QuoteOccurrence>,
}

/// A quote span in a paragraph.
#[derive(Debug, Clone, PartialEq)]
struct Span {
    /// Byte range of the quoted words.
    inner: std::ops::Range<usize>,
    /// Byte range including the marks (the end mark may be missing).
    outer: std::ops::Range<usize>,
    /// The quote is still open at the end of the paragraph.
    runs_on: bool,
}

/// Finds the quote spans of a paragraph.
fn quote_spans(p: &str) -> Vec<Span> {
    let mut out = Vec::new();
    // Without any mark that can open a quote there is nothing to read (most paragraphs of
    // headline-only events): no list of its characters to make.
    if !p.contains(['\u{201C}', '\u{201D}', '"', '`', '\u{2018}']) && !p.contains("''") {
        return out;
    }
    let mut open: Option<(usize, usize, char)> = None; // (mark start, inner start, kind)
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let next = chars.get(k + 1).map(|x| x.1);
        let prev = k.checked_sub(1).map(|j| chars[j].1);
        let close = |open: &mut Option<(usize, usize, char)>,
                     out: &mut Vec<Span>,
                     end_inner: usize,
                     end_outer: usize| {
            if let Some((s, inner, _)) = open.take() {
                out.push(Span {
                    inner: inner..end_inner,
                    outer: s..end_outer,
                    runs_on: false,
                });
            }
        };
        match c {
            '\u{201C}' if open.is_none() => {
                open = Some((i, i + c.len_utf8(), '"'));
            }
            '\u{201D}' => close(&mut open, &mut out, i, i + c.len_utf8()),
            '"' => match open {
                None => open = Some((i, i + 1, '"')),
                Some(_) => close(&mut open, &mut out, i, i + 1),
            },
            '`' if next == Some('`') => {
                if open.is_none() {
                    open = Some((i, i + 2, '`'));
                }
                k += 1;
            }
            // `''` closes a ``…'' quote; some wires also open with it (''…'').
            '\'' if next == Some('\'') => {
                match open {
                    None => open = Some((i, i + 2, 'd')),
                    Some((_, _, '`' | 'd')) => close(&mut open, &mut out, i, i + 2),
                    _ => {}
                }
                k += 1;
            }
            '\u{2018}'
                if open.is_none()
                    && prev.is_none_or(|p| !p.is_alphanumeric())
                    && next.is_some_and(char::is_alphanumeric) =>
            {
                open = Some((i, i + c.len_utf8(), '\''));
            }
            '\u{2019}'
                if matches!(open, Some((_, _, '\'')))
                    && next.is_none_or(|n| !n.is_alphanumeric()) =>
            {
                close(&mut open, &mut out, i, i + c.len_utf8());
            }
            _ => {}
        }
        k += 1;
    }
    if let Some((s, inner, _)) = open {
        out.push(Span {
            inner: inner..p.len(),
            outer: s..p.len(),
            runs_on: true,
        });
    }
    out
}

/// A word: byte range and text (punctuation trimmed, original case).
type Word<'a> = (usize, usize, &'a str);

/// Words with byte offsets (punctuation trimmed), original case.
fn words(s: &str, base: usize) -> Vec<Word<'_>> {
    word_iter(s, base).collect()
}

/// [`words`] one at a time, from either end: for a caller that wants only the first
/// speech verb, or the word right before or after a name, reading a whole sentence into a
/// list for each name was much of the attribution's time.
fn word_iter(s: &str, base: usize) -> impl DoubleEndedIterator<Item = Word<'_>> {
    s.split(|c: char| c.is_whitespace() || matches!(c, '\u{201C}' | '\u{201D}' | '"'))
        .filter_map(move |w| {
            let st = w.as_ptr() as usize - s.as_ptr() as usize;
            let lead = w.len() - w.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
            let t = w[lead..].trim_end_matches(|c: char| !c.is_alphanumeric());
            (!t.is_empty()).then(|| (base + st + lead, base + st + lead + t.len(), t))
        })
}

/// The word in lowercase; borrowed when it already is (most words are: no allocation).
fn lower(w: &str) -> std::borrow::Cow<'_, str> {
    if w.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        std::borrow::Cow::Owned(w.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(w)
    }
}

/// Speech verbs whose subject may follow them ("..., said Kenneth S. Trump"); after "told",
/// "urged" or "called" comes whom they address.
fn inverts(w: &str) -> bool {
    matches!(
        &*lower(w),
        "said"
            | "says"
            | "added"
            | "adds"
            | "wrote"
            | "writes"
            | "continued"
            | "explained"
            | "noted"
            | "recalled"
            | "insisted"
            | "declared"
            | "stated"
            | "replied"
            | "answered"
            | "concluded"
            | "commented"
            | "quipped"
            | "remarked"
            | "observed"
            | "conceded"
            | "acknowledged"
            | "argued"
            | "cautioned"
            | "contended"
            | "maintained"
            | "predicted"
    )
}

fn is_pronoun(w: &str) -> bool {
    matches!(&*lower(w), "he" | "she")
}

fn is_calendar_word(w: &str) -> bool {
    is_calendar_name(w)
}

/// A speaker as an article refers to them.
#[derive(Debug, Clone, PartialEq)]
enum SpeakerRef {
    Name(Mention),
    Pronoun(String),
    Role(String),
    /// A document or body named by a definite reference ("the statement", "the band"),
    /// whose owner the article named earlier ([`reference::owner`]).
    Reference(String),
}

/// Name mentions of `text` (offsets relative to `text`) that can be subjects: not right after
/// a preposition (allowing "the" and title words between), not dates.
fn subject_mentions(text: &str) -> Vec<Mention> {
    subjects_among(text, &mentions(text))
}

/// [`subject_mentions`] from the mentions of `text`, already found.
fn subjects_among(text: &str, found: &[Mention]) -> Vec<Mention> {
    found
        .iter()
        .filter(|m| !m.words().iter().all(|w| is_calendar_word(w)))
        // A lawmaker's party and state ("Rep. Arlen Vostrikov, D-Ohio, ... said") is no one.
        .filter(|m| {
            !["D-", "R-", "I-"]
                .iter()
                .any(|p| m.name.starts_with(p) || text[..m.span.start].ends_with(p))
        })
        .filter(|m| {
            let start = title_start(m);
            // The few words before the name are enough, back to a comma ("From the White
            // House, President Clinton said": "White House" is not part of his title).
            let from = text.floor_char_boundary(start.saturating_sub(80));
            let near = &text[from..start];
            // The word before the name, past "the" and title words, read backwards.
            let before = word_iter(near.rsplit_once(',').map_or(near, |(_, b)| b), 0)
                .rev()
                .find(|w| {
                    let l = lower(w.2);
                    !(l == "the" || is_title_word(&l))
                });
            !before.is_some_and(|w| PREPOSITIONS.contains(&&*lower(w.2)))
        })
        .cloned()
        .collect()
}

/// The subject of a speech verb in the text before it (`clause`, which ends at the verb).
fn subject_before(clause: &str) -> Option<SpeakerRef> {
    let ws = words(clause, 0);
    ws.last()?;
    // Skip adverbs/auxiliaries between subject and verb: "he also said", "had described".
    let mut k = ws.len();
    while k > 0 && is_adverb(&ws[k - 1].2) {
        k -= 1;
    }
    // "he said"; "it said" (an organisation's words: resolved only to one just named).
    if k > 0 && (is_pronoun(&ws[k - 1].2) || lower(&ws[k - 1].2) == "it") {
        return Some(SpeakerRef::Pronoun(ws[k - 1].2.to_string()));
    }
    // The clause starts after the last sentence-internal break.
    let cut = clause
        .char_indices()
        .rfind(|(_, c)| matches!(c, ';' | '\u{201D}' | '"'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let clause = &clause[cut..];
    // An appositive between the subject and the verb ("Boris Johnson, the UK's foreign
    // minister, praised") is skipped; so is a possessive ("Russia's").
    let clause = strip_appositive(clause);
    let subjects: Vec<Mention> = subject_mentions(clause)
        .into_iter()
        .filter(|m| !is_possessive(clause, m))
        .collect();
    if let Some(m) = subjects.last() {
        // The subject touches the verb: only adverbs, or an appositive between commas, in
        // between. Otherwise the name is an object or a modifier ("Whitfield met Volkov in
        // Moscow and said", "the New York air traffic controller said"), and the subject is
        // the sentence's.
        let gap = clause[m.span.end..].trim();
        let appositive = (gap.len() > 1 && gap.starts_with(',') && gap.ends_with(','))
            || (gap.starts_with('(') && gap.ends_with(')'));
        let adverbs = !gap.contains([',', ';', ':', '(', ')', '.'])
            && words(gap, 0).iter().all(|w| is_adverb(&w.2));
        // "the spokesman for the Texas Republican Party, Robert Black, called": the name in
        // apposition to a role is the subject ("of Jasper, Alberta, said" is a place).
        let start = title_start(m);
        let named_role = gap == ","
            && clause[..start]
                .trim_end()
                .strip_suffix(',')
                .is_some_and(|head| {
                    let comma = head.rfind(',');
                    let seg = &head[comma.map_or(0, |i| i + 1)..];
                    // Not the role of a name before it ("Richard Dieter, executive director of
                    // the Washington, D.C.-based ... Center, said").
                    let prev = head[..comma.unwrap_or(0)].trim_end();
                    words(seg, 0)
                        .iter()
                        .any(|w| caseless::is_person_title(&lower(&w.2)))
                        && !mentions(prev).last().is_some_and(|p| {
                            p.span.end == prev.len() && (p.span.start > 0 || p.name.contains(' '))
                        })
                });
        if appositive || adverbs || named_role {
            let mut m = m.clone();
            m.span = m.span.start + cut..m.span.end + cut;
            return Some(SpeakerRef::Name(m));
        }
    }
    // "Bertollini's mailing said": the author of the document that speaks.
    if let Some(m) = subjects_of_document(clause) {
        return Some(SpeakerRef::Name(m));
    }
    // "the US Secretary of State said", "the diplomat pointed out".
    role_at_end(clause)
}

/// What someone writes rather than says: "Bertollini's mailing said".
const DOCUMENTS: &[&str] = &[
    "statement",
    "letter",
    "mailing",
    "memo",
    "report",
    "ad",
    "advertisement",
    "website",
    "release",
    "book",
    "column",
    "essay",
    "tweet",
    "post",
];

/// The author named in a clause that ends with their document: `Bertollini's mailing`,
/// `Smith's written statement` (a possessive name, at most one word between it and the
/// document noun).
fn subjects_of_document(clause: &str) -> Option<Mention> {
    let ws = words(clause, 0);
    let last = ws.last()?;
    if !DOCUMENTS.contains(&&*lower(&last.2)) {
        return None;
    }
    let m = mentions(clause)
        .into_iter()
        .rfind(|m| is_possessive(clause, m))?;
    let between = words(&clause[m.span.end..last.0], 0);
    // `'s` is a word of its own here; one modifier may follow ("written").
    (between.len() <= 2 && between.iter().all(|w| w.2.chars().all(char::is_lowercase))).then_some(m)
}

/// Adverbs and auxiliaries that may stand between a subject and its speech verb ("he also
/// said", "Whitfield had described").
fn is_adverb(w: &str) -> bool {
    matches!(
        &*lower(w),
        "also"
            | "had"
            | "has"
            | "have"
            | "then"
            | "later"
            | "again"
            | "once"
            | "further"
            | "repeatedly"
            | "previously"
            | "earlier"
            | "would"
            | "will"
            | "did"
            | "does"
            | "not"
            | "never"
            | "only"
            | "just"
            | "still"
            | "often"
            | "recently"
            | "publicly"
            | "privately"
    )
}

/// Do the quoted words name a work ("Star Wars: Episode I", "Of Pandas and People") rather
/// than say something? Every content word capitalized: two inside a sentence, three alone
/// ("Thanks, Evan." is said).
fn is_title_of_work(text: &str, inside_sentence: bool) -> bool {
    let content: Vec<&str> = text
        .split(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty() && !storyline_text::stopwords::is_stopword(&lower(w)))
        .collect();
    let need = if inside_sentence { 2 } else { 3 };
    content.len() >= need
        && content
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// Does an appositive giving a role or an age follow a name (", a Quillfield spokeswoman,",
/// ", 58,")? The role's words up to a preposition ("quillfield spokeswoman"; empty for an
/// age).
fn role_or_age_follows(rest: &str) -> Option<String> {
    let rest = rest.strip_prefix(',')?;
    let end = rest.find([',', ';', '.', '(', '"']).unwrap_or(rest.len());
    let ws = words(&rest[..end], 0);
    if ws.len() == 1 && ws[0].2.chars().all(|c| c.is_ascii_digit()) {
        return Some(String::new());
    }
    let role: Vec<String> = ws
        .iter()
        .skip(1)
        .map(|w| lower(&w.2).into_owned())
        .take_while(|w| !PREPOSITIONS.contains(&w.as_str()))
        .collect();
    (ws.len() <= 8
        && ws
            .first()
            .is_some_and(|w| matches!(&*lower(&w.2), "a" | "an" | "the"))
        && role.iter().any(|w| caseless::is_person_title(w)))
    .then(|| role.join(" "))
}

/// `, who began ...`, `, a former minor-league pitcher, said`, `, a 1995 draft choice of the
/// Boston Red Sox, who began`: after a name, "who" or a speech verb, straight away or after a
/// lowercase appositive between commas (the name is a person's).
fn person_after_appositive(rest: &str) -> bool {
    let Some(rest) = rest.strip_prefix(',') else {
        return false;
    };
    let first = words(&rest[..rest.ceil_char_boundary(12)], 0);
    if first.first().is_some_and(|w| w.2 == "who") {
        return true;
    }
    let window = &rest[..rest.floor_char_boundary(100)];
    let Some(close) = window.find(',') else {
        return false;
    };
    let inner = &window[..close];
    let lowercase_start = words(inner, 0)
        .first()
        .is_some_and(|w| w.2.chars().next().is_some_and(char::is_lowercase));
    lowercase_start
        && !inner.contains([';', '"', '\u{201C}', '\u{201D}', '`', '(', ')'])
        && words(&rest[close + 1..rest.ceil_char_boundary(close + 30)], 0)
            .iter()
            .find(|w| !is_adverb(&w.2))
            .is_some_and(|w| w.2 == "who" || is_speech_verb(&w.2))
}

/// Where a mention starts, its title included ("Foreign Minister Sergey Volkov").
fn title_start(m: &Mention) -> usize {
    m.span.start
        - m.title
            .as_ref()
            .map_or(0, |t| t.len() + 1)
            .min(m.span.start)
}

/// Is the name (with its title) right after "the"? People's names do not take it ("the
/// United States", "the Phantom Menace"); titles do, and are split off already.
fn after_the(text: &str, m: &Mention) -> bool {
    super::names::determiner_before(text, m).as_deref() == Some("the")
}

/// Is the name a modifier of a noun after it ("the New York air traffic controller", "a
/// Microsoft spokesman"), not a subject?
fn is_modifier(text: &str, m: &Mention) -> bool {
    let start = title_start(m);
    word_iter(&text[..start], 0)
        .next_back()
        .is_some_and(|w| matches!(&*lower(w.2), "the" | "a" | "an"))
        && text[m.span.end..].starts_with(' ')
        && word_iter(&text[m.span.end..], 0).next().is_some_and(|w| {
            let l = lower(&w.2);
            w.2.chars().next().is_some_and(char::is_lowercase)
                && !storyline_text::stopwords::is_stopword(&l)
                && !is_speech_verb(&l)
                && !is_adverb(&l)
        })
}

/// The speaker of a sentence's first speech verb (`said Kenneth S. Trump`, `Whitfield
/// said`, `he said`), when it is a name or a pronoun.
fn speech_subject(text: &str) -> Option<SpeakerRef> {
    let verb = word_iter(text, 0).find(|w| is_speech_verb(w.2))?;
    // The subject before the verb; else a name after it ("..., said Kenneth S. Trump"; not
    // "said she would": that is what was said).
    let who = subject_before(&text[..verb.0]).or_else(|| {
        inverts(&verb.2)
            .then(|| subject_after(&text[verb.1..]))
            .flatten()
            .and_then(|r| match r {
                SpeakerRef::Name(mut m) => {
                    m.span = m.span.start + verb.1..m.span.end + verb.1;
                    Some(SpeakerRef::Name(m))
                }
                _ => None,
            })
    })?;
    match &who {
        SpeakerRef::Name(m) if !after_the(text, m) && !is_calendar_word(&m.name) => Some(who),
        SpeakerRef::Pronoun(_) => Some(who),
        _ => None,
    }
}

/// The person who opens the main clause of `before` (the text before a quote) and does
/// something before the quote: "Maskhadov also ruled out ..., repeating that ``…,'' he
/// told". Not a name the quote describes ("Charest ``often looked hot-tempered,'' he
/// said": the quote follows the name at once), nor a name that is not known as a person's.
fn opening_person(before: &str, people: &People) -> Option<String> {
    let ws = words(before, 0);
    let start = main_clause_start(before, &ws);
    let first = ws.iter().find(|w| w.0 >= start)?;
    let m = subject_mentions(before)
        .into_iter()
        .find(|m| m.span.start >= first.0)?;
    let lead = &before[first.0..m.span.start];
    let titled = words(lead, 0).iter().all(|w| is_title_word(&lower(&w.2)));
    let acts = words(&before[m.span.end..], 0)
        .iter()
        .any(|w| w.2.chars().next().is_some_and(char::is_lowercase));
    (titled && acts && !is_possessive(before, &m) && people.is_known_person(&m.name))
        .then_some(m.name)
}

/// The subject of a verb joined by "and" to the main clause's (`clause` ends right before
/// it): "Almost seven years ago, Magic Johnson faced a battery of cameras and announced his
/// retirement ``because ...''" is Johnson's. The name opens the main clause (title words
/// only before it, past an opening phrase) and a lowercase word, its own verb, follows.
fn coordinated_subject(clause: &str) -> Option<SpeakerRef> {
    let t = clause.trim_end();
    let body = t.strip_suffix(" and")?;
    if body.contains([';', ':']) || ends_a_sentence(body) {
        return None;
    }
    // The first full or titled name of the main clause, right at its start or after an
    // opening phrase's comma ("Almost seven years ago, Magic Johnson ...").
    let ws = words(body, 0);
    let start = main_clause_start(body, &ws);
    let first = ws.iter().find(|w| w.0 >= start)?;
    let m = subject_mentions(body)
        .into_iter()
        .find(|m| m.span.start >= first.0 && (m.words().len() >= 2 || m.title.is_some()))?;
    let lead = &body[first.0..title_start(&m)];
    let titled = words(lead.rsplit_once(',').map_or(lead, |(_, b)| b), 0).is_empty()
        && !words(lead, 0).iter().any(|w| is_speech_verb(w.2));
    let acts = words(&body[m.span.end..], 0)
        .first()
        .is_some_and(|w| w.2.chars().next().is_some_and(char::is_lowercase));
    (titled && acts && !is_possessive(body, &m)).then_some(SpeakerRef::Name(m))
}

/// How many sentences end in the text (abbreviations and initials do not end one).
fn sentence_ends(text: &str) -> usize {
    let mut end = 0;
    let mut n = 0;
    for w in text.split_inclusive(char::is_whitespace) {
        end += w.len();
        let t = w
            .trim_end()
            .trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')']);
        let core = t.trim_end_matches(['.', '!', '?']);
        if t.len() > core.len()
            && !ends_with_abbreviation(&text[..end])
            && !core.contains('.')
            && core.chars().count() > 1
        {
            n += 1;
        }
    }
    n
}

/// Can the text before a quote leave it to the speaker of the quote before? It names no
/// one who could speak and has no speech verb of its own ("Government forces", "Russia's
/// goal is").
fn continues(before: &str, people: &People) -> bool {
    let ws = words(before, 0);
    !ws.iter().any(|w| {
        is_speech_verb(&w.2) || is_pronoun(&w.2) || SPEECH_PARTICIPLES.contains(&&*lower(&w.2))
    }) && !subject_mentions(before)
        .iter()
        .any(|m| !is_possessive(before, m) && (m.words().len() >= 2 || people.is_person(&m.name)))
}

/// Where the main clause of a sentence starts: after an opening phrase that ends in a comma
/// ("In a tense news conference before the execution, Bush cited ..."), else at 0.
fn main_clause_start(text: &str, ws: &[Word]) -> usize {
    // A conjunction that opens the sentence is not an opening phrase: "But Rep. John Conyers,
    // D-Mich., ..., said" has its subject right after it ("But after the vote, X said" still
    // has an opening phrase).
    let ws = match ws.first() {
        Some(w) if matches!(&*lower(&w.2), "but" | "and" | "yet" | "or") => &ws[1..],
        _ => ws,
    };
    // "After ...,", "Clearly ...,".
    let opens = ws.first().is_some_and(|w| {
        let l = lower(&w.2);
        storyline_text::stopwords::is_stopword(&l) || l.ends_with("ly")
    });
    if opens {
        after_opening_comma(text, ws)
    } else {
        ws.first().map_or(0, |w| w.0)
    }
}

/// Just past the comma that closes an opening phrase of at most 14 words, else 0.
fn after_opening_comma(text: &str, ws: &[Word]) -> usize {
    ws.iter()
        .take(14)
        .find(|w| text[w.1..].starts_with(','))
        .map_or(0, |w| w.1 + 1)
}

/// Does the sentence open with a phrase that describes the main clause's subject ("Aware
/// that he was addicted, Spinelli ...", "Asked about it, ...", "Speaking in Moscow, ...")?
/// "According to ..." names a source, not the subject; "Sterling Golongergen" is a name.
fn describes_subject(ws: &[Word]) -> bool {
    let (Some(first), Some(second)) = (ws.first(), ws.get(1)) else {
        return false;
    };
    let l = lower(&first.2);
    l != "according"
        && !storyline_text::stopwords::is_stopword(&l)
        && second.2.starts_with(char::is_lowercase)
        && ((l.len() >= 5 && (l.ends_with("ed") || l.ends_with("ing")))
            || matches!(
                &*l,
                "aware" | "unaware" | "unable" | "unlike" | "born" | "amid"
            ))
}

/// The text without a trailing appositive: `X, the UK's foreign minister,` → `X`.
fn strip_appositive(clause: &str) -> &str {
    let t = clause.trim_end();
    let Some(body) = t.strip_suffix(',') else {
        return clause;
    };
    // "the UK's foreign minister", "who ...", "political director of ...", "58".
    let starts_np = |inner: &str| {
        let iw = words(inner, 0);
        iw.first().is_some_and(|w| {
            matches!(&*lower(&w.2), "the" | "a" | "an" | "who" | "whose")
                || (iw.len() == 1 && w.2.chars().all(|c| c.is_ascii_digit()))
        }) || iw.iter().take(4).any(|w| {
            w.2.chars().next().is_some_and(char::is_lowercase)
                && caseless::is_person_title(&lower(&w.2))
        })
    };
    // The appositive may hold commas of its own ("Bruce Presgrave, a geophysicist with the
    // ... Center in Golden, Colo., said"): up to two commas further left, where a noun
    // phrase opens right after a full name (not "Earlier, press secretary ..., Dmitry
    // Pesok,").
    for (n, (open, _)) in body.rmatch_indices(',').take(3).enumerate() {
        let head = &body[..open];
        // The last comma needs only a name before it; one further left, a full name right
        // before it.
        let named = || {
            mentions(head).last().is_some_and(|m| {
                n == 0 || m.span.end == head.trim_end().len() && m.words().len() >= 2
            })
        };
        if starts_np(body[open + 1..].trim_start()) && named() {
            return head;
        }
    }
    clause
}

/// Is the mention followed by a possessive `'s`?
fn is_possessive(text: &str, m: &Mention) -> bool {
    let rest = &text[m.span.end..];
    rest.starts_with("'s") || rest.starts_with("\u{2019}s")
}

/// A role noun phrase ending the text: "the US Secretary of State", "the diplomat".
/// Does the clause end in an indefinite subject of its own ("..., and a White House
/// official said")? An anonymous source is nobody named: not the sentence's subject
/// ("President Clinton has renominated ...") and not whoever is in view. A noun phrase after
/// a preposition ("in a statement said") is not a subject.
fn anonymous_subject(clause: &str) -> bool {
    if !clause.trim_end().ends_with(char::is_alphanumeric) {
        return false;
    }
    let ws = words(clause, 0);
    let n = ws.len();
    let Some(det) = (n.saturating_sub(10)..n)
        .rev()
        .find(|&k| matches!(&*lower(ws[k].2), "a" | "an"))
    else {
        return false;
    };
    if det + 1 == n || clause[ws[det].1..].contains([',', ';', ':']) {
        return false;
    }
    // Past five words, only "a spokesperson for <a name>": lowercase words, a
    // preposition, then capitalized words to the verb.
    if n - det > 5 {
        let rest = &ws[det + 1..];
        let Some(p) = rest.iter().position(|w| PREPOSITIONS.contains(&w.2)) else {
            return false;
        };
        let named = rest[p + 1..]
            .iter()
            .all(|w| w.2.starts_with(char::is_uppercase));
        if p == 0
            || !rest[..p]
                .iter()
                .all(|w| w.2.chars().all(char::is_lowercase))
            || !named
        {
            return false;
        }
    }
    let before = det.checked_sub(1).map(|k| lower(ws[k].2));
    !matches!(
        before.as_deref(),
        Some(
            "in" | "at"
                | "on"
                | "with"
                | "for"
                | "from"
                | "during"
                | "after"
                | "before"
                | "to"
                | "by"
                | "of"
                | "as"
                | "into"
                | "than"
                | "like"
                | "over"
                | "under"
                | "about"
        )
    )
}

fn role_at_end(text: &str) -> Option<SpeakerRef> {
    let mut ws = words(text, 0);
    // "the statement also said": the words between the role and its verb.
    while ws.last().is_some_and(|w| is_adverb(&w.2)) {
        ws.pop();
    }
    let n = ws.len();
    for back in 1..=5.min(n) {
        let first = &ws[n - back];
        if lower(&first.2) == "the" && back >= 2 {
            // "The president's lawyer, David Kendall, also said": a name in apposition
            // speaks, not the role.
            if text[first.0..ws[n - 1].1]
                .split_once(',')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with(char::is_uppercase))
            {
                return None;
            }
            let head = lower(&ws[n - 1].2);
            // Not the object of a preposition ("top Democrat on the Judiciary Committee").
            let object = n > back && PREPOSITIONS.contains(&&*lower(&ws[n - back - 1].2));
            if back <= 4 && !object && INSTITUTIONS.contains(&&*head) {
                return Some(SpeakerRef::Role(text[first.0..ws[n - 1].1].to_string()));
            }
            if back <= 4 && !object && reference::is_reference(&head) {
                return Some(SpeakerRef::Reference(
                    text[first.0..ws[n - 1].1].to_string(),
                ));
            }
            let role_words: Vec<String> = ws[n - back + 1..]
                .iter()
                .map(|w| lower(&w.2).into_owned())
                .collect();
            if PERSON_NOUNS.contains(&&*head)
                || role_words
                    .iter()
                    .any(|w| is_title_word(w) && PERSON_NOUNS.contains(&w.as_str()))
            {
                return Some(SpeakerRef::Role(text[first.0..ws[n - 1].1].to_string()));
            }
            return None;
        }
    }
    None
}

/// The speaker named right after a speech verb: `said Irina Belova, ...`, `said the
/// spokesman`.
fn subject_after(text: &str) -> Option<SpeakerRef> {
    let t = text.trim_start();
    let base = text.len() - t.len();
    let ws = words(t, 0);
    let first = ws.first()?;
    if is_pronoun(&first.2) {
        return Some(SpeakerRef::Pronoun(first.2.to_string()));
    }
    // Up to the next comma (periods may be abbreviations: "U.S. Rep. Bennie Thompson").
    // It also ends where the next quote opens.
    let end = t
        .find([',', ';', '"', '\u{201C}', '\u{201D}', '`'])
        .unwrap_or(t.len());
    let np = t[..end].trim_end().trim_end_matches('.');
    let abbreviation = |m: &Mention| {
        m.words().iter().all(|w| {
            is_title_word(&lower(w))
                || (w.len() <= 3 && w.chars().all(|c| c.is_uppercase() || c == '.'))
                || w.contains('.')
        })
    };
    // `said a top commander in X, Col. Gen. Gennady Troshev`, `said her attorney, Scott
    // Powell`: a role, then the name.
    if matches!(
        &*lower(&first.2),
        "a" | "an" | "the" | "his" | "her" | "their" | "its"
    ) && let Some(rest) = t[end..].strip_prefix(',')
    {
        let stop = rest
            .find([',', ';', '"', '\u{201C}', '\u{201D}', '`', '('])
            .unwrap_or(rest.len());
        let np2 = rest[..stop].trim_end();
        let np2 = if ends_a_sentence(np2) {
            np2.trim_end_matches(['.', '!', '?'])
        } else {
            np2
        };
        if let Some(m) = mentions(np2).into_iter().next()
            && np2[m.span.end..].trim().is_empty()
            && words(&np2[..m.span.start], 0)
                .iter()
                .all(|w| is_title_word(&lower(&w.2)))
        {
            let mut m = m;
            let at = base + end + 1;
            m.span = m.span.start + at..m.span.end + at;
            return Some(SpeakerRef::Name(m));
        }
    }
    // The head of the phrase is its last name ("Halden coach Brandon Hale"), unless a name
    // is followed by where it is from: "said Lionel Trippett of the Campaign for Nuclear
    // Disarmament" is Trippett.
    let found = mentions(np);
    let from_where = found.iter().find(|m| {
        !is_calendar_word(&m.name)
            && !abbreviation(m)
            && words(&np[m.span.end..], 0)
                .first()
                .is_some_and(|w| matches!(&*lower(w.2), "of" | "at" | "from"))
    });
    if let Some(m) = from_where.cloned().or_else(|| {
        found
            .into_iter()
            .rfind(|m| !is_calendar_word(&m.name) && !abbreviation(m))
    }) {
        let mut m = m;
        m.span = m.span.start + base..m.span.end + base;
        // "said on Tuesday" is not a speaker: the name must start the phrase (after a title),
        // and end it, or be followed by where it is from ("said Paul Geissler of the Jet
        // Propulsion Laboratory"); "said Vermont parents will struggle" reports speech.
        let lead = words(&np[..m.span.start - base], 0);
        let tail = words(&np[m.span.end - base..], 0);
        let ends = tail.first().is_none_or(|w| {
            PREPOSITIONS.contains(&&*lower(&w.2))
                || matches!(&*lower(&w.2), "who" | "whose" | "and")
        });
        // A lowercase role right before the name ("said engineering manager Mehmet
        // Turkel"): a few words ending in a title or a person noun.
        // So is one before a titled name ("said navy Capt. Dmitry Litovkin"), and one after
        // a capitalized word that says where from ("said Berkeley resident Claire
        // Greensfelder").
        let lowercase = |w: &Word| w.2.chars().all(|c| c.is_lowercase() || c == '-');
        let from_place = lead.len() >= 2
            && lead[0].2.starts_with(char::is_uppercase)
            && !is_calendar_word(&lead[0].2)
            && !is_title_word(&lower(lead[0].2));
        let role_words = &lead[usize::from(from_place)..];
        let role = !role_words.is_empty()
            && lead.len() <= 3
            && (m.title.is_some()
                || role_words.last().is_some_and(|w| {
                    let l = lower(w.2);
                    is_title_word(&l) || PERSON_NOUNS.contains(&&*l)
                }))
            && role_words
                .iter()
                .all(|w| lowercase(w) || is_title_word(&lower(w.2)))
            && role_words.first().is_some_and(lowercase);
        if ends
            && (role
                || lead.iter().all(|w| {
                    is_title_word(&lower(&w.2))
                        || lower(&w.2) == "the"
                        || w.2.chars().next().is_some_and(char::is_uppercase)
                }))
        {
            return Some(SpeakerRef::Name(m));
        }
        return None;
    }
    if lower(&first.2) == "the" {
        return role_at_end(np);
    }
    None
}

/// Finds the speaker of a quote from the text of its sentence(s): `before` is the sentence
/// text up to the opening mark, `after` the text from the closing mark to the sentence end.
fn attribute(before: &str, after: &str, names: Names<'_>) -> Option<SpeakerRef> {
    // After the quote: `," Whitfield said`, `," said X`, `," he added`.
    let a = after.trim_start_matches(|c: char| {
        c == ',' || c.is_whitespace() || matches!(c, '\u{201D}' | '"' | '\'' | '\u{2019}')
    });
    let aw = words(a, 0);
    // `," the report quoted contractor Veli Gocer as saying`; in the passive, `," Howard was
    // quoted by the ABC as saying` and `," computer expert Anko Shohel was quoted as saying`,
    // the subject speaks, not the outlet.
    let quoted = aw
        .iter()
        .enumerate()
        .take(8)
        .find(|(_, w)| lower(&w.2) == "quoted");
    if let Some((qi, _)) = quoted
        && qi >= 2
        && matches!(&*lower(&aw[qi - 1].2), "was" | "were" | "is" | "been")
    {
        return names
            .subject_before(&a[..aw[qi - 1].0])
            .filter(|s| matches!(s, SpeakerRef::Name(_) | SpeakerRef::Pronoun(_)));
    }
    if names == Names::Cased
        && let Some((_, q)) = quoted.filter(|(qi, _)| *qi < 4)
        && let Some(m) = quoted_as(&a[q.1..])
    {
        let mut m = m;
        m.span = m.span.start + q.1..m.span.end + q.1;
        return Some(SpeakerRef::Name(m));
    }
    let near_verb = aw
        .iter()
        .enumerate()
        .take(9)
        .find(|(_, w)| is_speech_verb(&w.2));
    // `," the Rev. Roger Schmit, of St. Paul's Newman Center, told`: a name and an
    // appositive closed by a comma right before the verb may take more words.
    let far_verb = || {
        aw.iter()
            .enumerate()
            .take(24)
            .find(|(_, w)| is_speech_verb(&w.2))
            .filter(|(_, w)| {
                let np = &a[..w.0];
                np.trim_end().ends_with(',')
                    && np.matches(',').count() >= 2
                    && !ends_a_sentence(np)
                    && !np.contains([';', ':', '(', '"', '\u{201C}', '\u{201D}', '`'])
            })
    };
    if let Some((vi, _)) = near_verb.or_else(far_verb) {
        let verb = &aw[vi];
        if vi == 0 {
            if let Some(s) = names.subject_after(&a[verb.1..]) {
                return Some(s);
            }
        } else {
            let np = &a[..verb.0];
            // `... served as a "wakeup call" in the United States, Schrader said.`: the
            // sentence ends with its tag, a name or a pronoun alone after the last comma.
            let closing_tag = || {
                let (_, tail) = np.rsplit_once(',')?;
                let rest = a[verb.1..].trim_start();
                let ends = rest.is_empty()
                    || rest.starts_with('.')
                    || words(rest, 0).len() <= 2 && ends_a_sentence(rest);
                if !ends || names != Names::Cased {
                    return None;
                }
                let tw = words(tail, 0);
                if tw.len() == 1 && is_pronoun(&tw[0].2) {
                    return Some(SpeakerRef::Pronoun(tw[0].2.to_string()));
                }
                let m = subject_mentions(tail).into_iter().next()?;
                let lead = words(&tail[..m.span.start], 0);
                (tail[m.span.end..].trim().is_empty()
                    && lead.iter().all(|w| is_title_word(&lower(&w.2))))
                .then_some(SpeakerRef::Name(m))
            };
            if ends_a_sentence(np) || np.contains(';') {
                // Another sentence: not this quote's attribution.
            } else if let Some(s) = closing_tag() {
                return Some(s);
            } else if !np.contains(',') || names != Names::Cased {
                if let Some(s) = names.subject_before(np) {
                    return Some(s);
                }
            } else if let Some((head, _)) = np.split_once(',') {
                // `," Irina Belova, spokesperson for ..., said`, `," the late Joseph
                // Campbell, an authority on mythology, wrote`: a name, then an appositive
                // (not a name after a preposition: `" going back to Heritage, said`; nor
                // a place right after an article: `," the Eastlake, Ohio, resident said`).
                if let Some(m) = subject_mentions(head).into_iter().next().filter(|m| {
                    let lead = words(&head[..m.span.start], 0);
                    head[m.span.end..].trim().is_empty()
                        && lead.iter().all(|w| {
                            w.2.chars().next().is_some_and(char::is_lowercase)
                                || is_title_word(&lower(&w.2))
                        })
                        && lead
                            .last()
                            .is_none_or(|w| !matches!(&*lower(&w.2), "the" | "a" | "an"))
                }) {
                    return Some(SpeakerRef::Name(m));
                }
                // `" going back to Heritage, said Julie Kull`.
                if inverts(&verb.2)
                    && let Some(SpeakerRef::Name(m)) = names.subject_after(&a[verb.1..])
                {
                    return Some(SpeakerRef::Name(m));
                }
            }
        }
    }
    // `X characterized it as "…," calling into question …`: the sentence's subject, else
    // whoever is in view.
    if let Some(first) = aw.first()
        && SPEECH_PARTICIPLES.contains(&&*lower(&first.2))
    {
        return match names.sentence_subject(before) {
            Some(SpeakerRef::Name(m)) => Some(SpeakerRef::Name(m)),
            _ => Some(SpeakerRef::Pronoun(first.2.to_string())),
        };
    }
    // Before the quote: `Whitfield said: "`, `Volkov called it "`, `X said the talks "at length"`.
    if let Some(m) = modal_introduction(before, names) {
        return Some(SpeakerRef::Name(m));
    }
    let bw = words(before, 0);
    // `Telling the crowd of "…" suffered since …, Gonzalez said`: the main clause's subject.
    if bw
        .first()
        .is_some_and(|w| SPEECH_PARTICIPLES.contains(&&*lower(&w.2)))
        && !bw.iter().any(|w| is_speech_verb(&w.2))
        && let Some(comma) = after.find(',')
        && let Some(SpeakerRef::Name(m)) = names.sentence_subject(&after[comma + 1..])
    {
        return Some(SpeakerRef::Name(m));
    }
    let mut pronoun = None;
    // Where the last pronoun subject stands: a person named between it and the verb before
    // is who it stands for ("Israel has said ... but Prime Minister Benjamin Netanyahu
    // supports ... what he terms").
    let mut pronoun_at = before.len();
    // A participle that does not open the sentence.
    let participle =
        |w: &Word| SPEECH_PARTICIPLES.contains(&&*lower(&w.2)) && !before[..w.0].trim().is_empty();
    for verb in bw
        .iter()
        .rev()
        .filter(|w| is_speech_verb(&w.2) || participle(w))
    {
        if pronoun.is_some()
            && names == Names::Cased
            && let Some(m) = subject_mentions(&before[verb.1..pronoun_at])
                .into_iter()
                .rfind(|m| {
                    // A titled person acting ("Prime Minister Benjamin Netanyahu supports").
                    let rest = &before[verb.1 + m.span.end..pronoun_at];
                    m.title.is_some()
                        && rest.starts_with(' ')
                        && words(rest, 0)
                            .first()
                            .is_some_and(|w| w.2.chars().next().is_some_and(char::is_lowercase))
                })
        {
            let mut m = m;
            m.span = m.span.start + verb.1..m.span.end + verb.1;
            return Some(SpeakerRef::Name(m));
        }
        // A quote interrupted by its attribution: `"The problem," said Dr. Kenneth Renney of
        // Sports Medicine Associates, "is that ..."`.
        if inverts(verb.2)
            && before[..verb.0]
                .trim_end()
                .ends_with(['\'', '"', '\u{201D}', '\u{2019}'])
            && let Some(SpeakerRef::Name(m)) = names.subject_after(&before[verb.1..])
        {
            let mut m = m;
            m.span = m.span.start + verb.1..m.span.end + verb.1;
            return Some(SpeakerRef::Name(m));
        }
        // The verb's subject precedes it. Coordinated verbs ("Harlan described Mercer as
        // "toxic" and said it was "..."): the subject of the sentence. A pronoun in reported
        // speech ("Feldmann said she had told ...") is the named subject of the verb before;
        // so is the subject a participle leaves out ("X said ..., noting that "…"").
        let clause = &before[..verb.0];
        // `Deputy Reggie Fluty, who told the victim, "..."`: the name the relative clause
        // hangs on speaks, not the sentence's subject.
        if names == Names::Cased
            && let Some(m) = relative_clause_head(clause)
        {
            return Some(SpeakerRef::Name(m));
        }
        let subject = if participle(verb) {
            // "quoted Cheung as saying", "Marty could be heard saying": a name right before
            // ("X as"), else the sentence's subject, else whoever is in view.
            let ws = words(clause, 0);
            let n = ws.len();
            let end = if n >= 2 && lower(&ws[n - 1].2) == "as" {
                ws[n - 1].0
            } else {
                clause.len()
            };
            let quoted_as = subject_mentions(&clause[..end])
                .into_iter()
                .next_back()
                .filter(|m| clause[m.span.end..end].trim().is_empty());
            // "Garrett said Bush takes a hands-off approach, telling them "...": the one who
            // tells is the reported clause's subject. (Not so for "asking": "Lowey said New
            // Yorkers are confused, asking questions like "..."" gives their questions in
            // her words.)
            let reported = (lower(verb.2) == "telling")
                .then(|| reported_subject(clause))
                .flatten();
            match quoted_as
                .or(reported)
                .map(SpeakerRef::Name)
                .or_else(|| names.sentence_subject(clause))
            {
                Some(SpeakerRef::Name(m)) => Some(SpeakerRef::Name(m)),
                _ => Some(SpeakerRef::Pronoun(verb.2.to_string())),
            }
        } else {
            names
                .subject_before(clause)
                .or_else(|| {
                    (names == Names::Cased)
                        .then(|| coordinated_subject(clause))
                        .flatten()
                })
                .or_else(|| {
                    if anonymous_subject(clause) {
                        None
                    } else {
                        names.sentence_subject(clause)
                    }
                })
        };
        match subject {
            Some(SpeakerRef::Pronoun(p)) => {
                pronoun_at = words(clause, 0)
                    .iter()
                    .rfind(|w| w.2 == p)
                    .map_or(verb.0, |w| w.0);
                pronoun.get_or_insert(SpeakerRef::Pronoun(p));
            }
            Some(s) => return Some(s),
            None if pronoun.is_none() => break,
            None => {}
        }
    }
    if pronoun.is_some() {
        return pronoun;
    }
    if let Some(i) = lower(before).rfind("according to ")
        && names == Names::Cased
    {
        let rest = &before[i + "according to ".len()..];
        // The name heads the phrase: "according to Navy officials", not "according to
        // people in and out of Washington".
        if let Some(m) = mentions(rest).into_iter().next().filter(|m| {
            words(&rest[..m.span.start], 0)
                .iter()
                .all(|w| lower(&w.2) == "the" || is_title_word(&lower(&w.2)))
        }) {
            let mut m = m;
            let base = i + "according to ".len();
            m.span = m.span.start + base..m.span.end + base;
            return Some(SpeakerRef::Name(m));
        }
    }
    None
}

/// The named subject of the clause a speech verb reports, in cased text: `Bush` in "Garrett
/// said Bush takes a hands-off approach" (the name right after the verb, or after its
/// "that", followed by a lowercase word).
fn reported_subject(clause: &str) -> Option<Mention> {
    let ws = words(clause, 0);
    let v = ws.iter().rposition(|w| is_speech_verb(w.2))?;
    let mut k = v + 1;
    if ws.get(k).is_some_and(|w| lower(w.2) == "that") {
        k += 1;
    }
    let at = ws.get(k)?.0;
    let m = subject_mentions(&clause[at..]).into_iter().next()?;
    let next = words(&clause[at + m.span.end..], 0);
    let verb_follows = next.first().is_some_and(|w| {
        w.2.starts_with(char::is_lowercase) && !PREPOSITIONS.contains(&&*lower(w.2))
    });
    (m.span.start == 0 && m.title.is_none() && verb_follows && !is_possessive(&clause[at..], &m))
        .then(|| {
            let mut m = m;
            m.span = m.span.start + at..m.span.end + at;
            m
        })
}

/// `Ultimately, Sallans said, Bush would ask: "..."`: a speech verb in its base form after a
/// modal, right before the colon that opens the quote, is the quote's own attribution (the
/// reporting verb before it is not; "ask" and "tell" are no speech verbs on their own, as
/// "would ask the court to" is no speech).
fn modal_introduction(before: &str, names: Names<'_>) -> Option<Mention> {
    let text = before
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '`' | '"' | '\'' | '\u{201C}'))
        .strip_suffix(':')?;
    let ws = words(text, 0);
    let [.., modal, verb] = ws.as_slice() else {
        return None;
    };
    let base = matches!(
        &*lower(verb.2),
        "ask" | "tell" | "say" | "add" | "explain" | "write" | "warn" | "insist" | "reply"
    );
    let modal = matches!(
        &*lower(modal.2),
        "would" | "will" | "could" | "might" | "should" | "did" | "often" | "always"
    );
    match (base && modal)
        .then(|| names.subject_before(&text[..verb.0]))
        .flatten()?
    {
        SpeakerRef::Name(m) => Some(m),
        _ => None,
    }
}

/// The gender an honorific tells ("Mrs.", "Ms", "Miss", "Mr."), in any case.
fn honorific_gender(word: &str) -> Option<Gender> {
    match word.trim_end_matches('.').to_ascii_lowercase().as_str() {
        "mrs" | "ms" | "miss" => Some(Gender::Female),
        "mr" => Some(Gender::Male),
        _ => None,
    }
}

/// `quoted contractor Veli Gocer as saying`: the name right before "as saying" (after
/// lowercase role words or titles), offsets relative to `text`.
fn quoted_as(text: &str) -> Option<Mention> {
    let ws = words(text, 0);
    let k = ws
        .iter()
        .take(8)
        .position(|w| lower(&w.2) == "as")
        .filter(|&k| {
            ws.get(k + 1)
                .is_some_and(|w| matches!(&*lower(&w.2), "saying" | "telling" | "writing"))
        })?;
    let seg = &text[..ws[k].0];
    let m = mentions(seg).into_iter().next_back()?;
    let lead_ok = words(&seg[..m.span.start], 0)
        .iter()
        .all(|w| w.2.chars().all(char::is_lowercase) || is_title_word(&lower(&w.2)));
    (seg[m.span.end..].trim().is_empty() && lead_ok && m.words().len() >= 2).then_some(m)
}

/// The full name that ends a sentence in apposition to a role: `..., the local candidate,
/// Roger Paquin.` (a word for a person, a comma, then the name and the full stop).
fn closing_name(sentence: &str) -> Option<String> {
    let body = sentence.trim_end().strip_suffix('.')?;
    let (head, tail) = body.rsplit_once(',')?;
    let role = words(head, 0).last().map(|w| lower(w.2).into_owned())?;
    if !(caseless::is_person_title(&role) || role == "candidate") {
        return None;
    }
    let m = subject_mentions(tail).into_iter().next()?;
    (m.words().len() >= 2
        && tail[..m.span.start].trim().is_empty()
        && tail[m.span.end..].trim().is_empty())
    .then_some(m.name)
}

/// The name a clause ending in `NAME, who` hangs on (the subject of a speech verb that
/// follows): a mention right before the comma.
fn relative_clause_head(clause: &str) -> Option<Mention> {
    let t = clause.trim_end();
    // `X, who`, not `X, somewho`: the comma must come right before the word.
    let head = t.strip_suffix("who")?.trim_end().strip_suffix(',')?;
    subject_mentions(head)
        .into_iter()
        .next_back()
        .filter(|m| head[m.span.end..].trim().is_empty())
}

/// How an article writes names, which decides how a speaker is read from the words.
#[derive(Debug, Clone, Copy)]
enum Names<'a> {
    /// With capitals (edited text).
    Cased,
    /// Lost their capitals: names are known by their place ([`caseless`]); the event's
    /// people vouch for bare surnames.
    Caseless(&'a People),
}

impl PartialEq for Names<'_> {
    fn eq(&self, other: &Self) -> bool {
        matches!(
            (self, other),
            (Names::Cased, Names::Cased) | (Names::Caseless(_), Names::Caseless(_))
        )
    }
}

impl Names<'_> {
    fn subject_before(self, clause: &str) -> Option<SpeakerRef> {
        match self {
            Names::Cased => subject_before(clause),
            Names::Caseless(p) => caseless::subject_before(clause, Some(p)),
        }
    }

    fn subject_after(self, text: &str) -> Option<SpeakerRef> {
        match self {
            Names::Cased => subject_after(text),
            Names::Caseless(p) => caseless::subject_after(text, Some(p)),
        }
    }

    fn sentence_subject(self, text: &str) -> Option<SpeakerRef> {
        match self {
            Names::Cased => sentence_subject(text),
            Names::Caseless(p) => caseless::sentence_subject(text, Some(p)),
        }
    }
}

/// `para[range]` with the words inside quotes blanked (same byte offsets, marks kept): a
/// speech verb or a name inside a quote is not the attribution of another quote.
fn outside_quotes(para: &str, range: std::ops::Range<usize>, spans: &[Span]) -> String {
    let mut out = para[range.clone()].to_string();
    for q in spans {
        let (s, e) = (q.inner.start.max(range.start), q.inner.end.min(range.end));
        if s < e {
            let blank = " ".repeat(e - s);
            out.replace_range(s - range.start..e - range.start, &blank);
        }
    }
    out
}

/// Does a period in the text end a sentence (rather than an abbreviation: "Col. Arkady
/// Krimsky", "lt. dan mcgrath")?
fn ends_a_sentence(text: &str) -> bool {
    let mut end = 0;
    for w in text.split_inclusive(char::is_whitespace) {
        end += w.len();
        if w.trim_end().ends_with(['.', '!', '?']) && !ends_with_abbreviation(&text[..end]) {
            return true;
        }
    }
    false
}

/// Does the text end with an abbreviation ("U.S.", "Rep.", "Col.") rather than a sentence?
fn ends_with_abbreviation(text: &str) -> bool {
    let t = text.trim_end();
    let Some(last) = t.split_whitespace().last() else {
        return false;
    };
    let core = last.trim_end_matches('.');
    last.ends_with('.')
        && !core.is_empty()
        && core.len() <= 4
        && (core.chars().next().is_some_and(char::is_uppercase) || is_title_word(&lower(core)))
        && core.chars().all(|c| c.is_alphabetic() || c == '.')
}

/// The subject of a sentence from its opening words: a name among the first words, or a
/// role ("The diplomat pointed out ...").
fn sentence_subject(text: &str) -> Option<SpeakerRef> {
    let ws = words(text, 0);
    let found = subject_mentions(text);
    // The main clause first ("In a news conference on Monday, Bush said"), then the opening.
    for start in [main_clause_start(text, &ws), 0] {
        let limit = ws
            .iter()
            .filter(|w| w.0 >= start)
            .nth(6)
            .map_or(text.len(), |w| w.0);
        if let Some(m) = found.iter().find(|m| {
            m.span.start >= start
                && m.span.start < limit
                && !is_calendar_word(&m.name)
                && !is_possessive(text, m)
                && !is_modifier(text, m)
        }) {
            return Some(SpeakerRef::Name(m.clone()));
        }
    }
    let first = ws.first()?;
    let second = ws.get(1)?;
    (lower(&first.2) == "the" && PERSON_NOUNS.contains(&&*lower(&second.2)))
        .then(|| SpeakerRef::Role(text[first.0..second.1].to_string()))
}

/// A name's folded words without middle initials.
fn without_initials(folded: &[String]) -> Vec<String> {
    folded
        .iter()
        .filter(|w| w.chars().count() > 1)
        .cloned()
        .collect()
}

/// A full name seen in the event.
#[derive(Debug)]
struct FullName {
    name: String,
    count: usize,
    /// Seen with a person's title or role, or speaking.
    person: bool,
    /// Seen with a person's title or role.
    titled: bool,
    /// Folded words (see [`folded_words`]).
    folded: Vec<String>,
    /// The folded words without middle initials: who the name is.
    key: Vec<String>,
}

impl FullName {
    /// A capitalized run that is more than a name: "New England University's Barrie
    /// McKelvey" (a possessive inside), "Describing Metallica", "New Microsoft" (a
    /// sentence's first word).
    fn run_on(&self) -> bool {
        let ws: Vec<&str> = self.name.split(' ').collect();
        let owned = ws[..ws.len() - 1]
            .iter()
            .any(|w| w.ends_with("'s") || w.ends_with("\u{2019}s"));
        let gerund = !self.titled && ws[0].len() >= 7 && ws[0].ends_with("ing");
        // "New Microsoft filings show ...": an adjective opening the sentence.
        let adjective = !self.person && matches!(ws[0], "New" | "Former" | "Top" | "Senior");
        owned || gerund || adjective
    }
}

/// People of the event: full names (folded once), with their titles.
#[derive(Debug, Default)]
pub(crate) struct People {
    /// Multi-word names seen (as written), with counts.
    full: Vec<FullName>,
    index: FxHashMap<String, usize>,
    /// Full names by folded surname (built by `finish`). First names are not used: a
    /// capitalized word before another ("Halden City") is as often a place or a team.
    surnames: FxHashMap<String, Vec<usize>>,
    /// Distinct titles seen for each name as written.
    titles: FxHashMap<String, Vec<String>>,
    /// Folded last words of names seen with a title or as the subject of a speech verb:
    /// people, where a name alone may be a place, a team or a law ("United States").
    vouched: FxHashSet<String>,
    /// Folded one-word names seen capitalized inside a sentence: proper names ("Atcitty",
    /// "Interfax"), where a capital at a sentence start may be a common noun ("Police").
    proper: FxHashSet<String>,
    /// Folded one-word names a person goes by ("a rebel fighter, who only identified
    /// himself as Shirvani"): people, though no full name ends with them.
    known_as: FxHashSet<String>,
    /// Names seen after "the" ("the Atlanta Journal-Constitution"): not people, whatever
    /// their first word.
    after_the: FxHashSet<String>,
    /// [`People::canonical`]'s answers: it is asked about the same few names again and
    /// again, and each answer scans every full name.
    canonical: RefCell<FxHashMap<String, String>>,
    /// [`folded_words`] of the names asked about: the same names come up in sentence after
    /// sentence, and folding one allocates a string per word.
    folds: RefCell<FxHashMap<String, Rc<[String]>>>,
}

impl People {
    /// Notes a mention of `text`; lowercase role words right before a name without a
    /// capitalized title ("harbor master Tomas Okafor") are kept as its title.
    fn note_in(&mut self, text: &str, m: &Mention) {
        self.note(m);
        if m.title.is_none()
            && !m.name.contains(' ')
            && !text[..m.span.start].trim().is_empty()
            && !text[..m.span.start]
                .trim_end()
                .ends_with(['.', '"', '\u{201C}', '`', '\''])
        {
            let folded = self.folded(&m.name);
            self.proper.extend(folded.iter().cloned());
        }
        // "Salerno said", "said Paul Goolnick": a speaker is a person.
        let after = words(
            &text[m.span.end..text.ceil_char_boundary(m.span.end + 40)],
            0,
        );
        let next = after.iter().find(|w| !is_adverb(&w.2));
        let start = title_start(m);
        let before = words(
            &text[text.floor_char_boundary(start.saturating_sub(20))..start],
            0,
        );
        if m.words().len() == 1 && known_as(&text[..title_start(m)]) {
            let folded = self.folded(&m.name);
            self.known_as.extend(folded.iter().cloned());
            self.vouch(&m.name, true);
        }
        if after_the(text, m) {
            self.after_the.insert(m.name.clone());
        } else {
            if let Some(role) = role_or_age_follows(&text[m.span.end..]) {
                self.vouch(&m.name, true);
                if !role.is_empty() {
                    let e = self.titles.entry(m.name.clone()).or_default();
                    if !e.contains(&role) {
                        e.push(role);
                    }
                }
            } else if next
                .is_some_and(|w| is_speech_verb(&w.2) && !text[m.span.end..].starts_with(','))
                || before.last().is_some_and(|w| is_speech_verb(&w.2))
                || person_after_appositive(&text[m.span.end..])
            {
                self.vouch(&m.name, false);
            }
        }
        if m.title.is_none() && m.words().len() >= 2 {
            let from = text.floor_char_boundary(m.span.start.saturating_sub(40));
            let before = words(&text[from..m.span.start], 0);
            let n = before.len();
            // "6-year-old Elian Gonzalez": an age is a person's (not "a 59-year-old New
            // Jersey man": a name before a lowercase noun qualifies it).
            let aged = before.last().is_some_and(|w| {
                w.2.strip_suffix("-year-old")
                    .is_some_and(|a| !a.is_empty() && a.chars().all(|c| c.is_ascii_digit()))
            });
            // Read only after an age (few names have one).
            let qualifies = || {
                words(
                    &text[m.span.end..text.ceil_char_boundary(m.span.end + 30)],
                    0,
                )
                .first()
                .is_some_and(|w| {
                    text[m.span.end..].starts_with(' ')
                        && w.2.chars().next().is_some_and(char::is_lowercase)
                        && !is_speech_verb(w.2)
                        && !is_adverb(w.2)
                })
            };
            if aged && !qualifies() {
                self.vouch(&m.name, true);
            }
            if n > 0
                && PERSON_NOUNS.contains(&&*lower(&before[n - 1].2))
                && before[n - 1]
                    .2
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase)
            {
                let k = if n >= 2
                    && before[n - 2].2.chars().all(char::is_lowercase)
                    && !storyline_text::stopwords::is_stopword(&before[n - 2].2)
                {
                    n - 2
                } else {
                    n - 1
                };
                let title = before[k..]
                    .iter()
                    .map(|w| lower(&w.2))
                    .collect::<Vec<_>>()
                    .join(" ");
                let e = self.titles.entry(m.name.clone()).or_default();
                if !e.contains(&title) {
                    e.push(title);
                }
                self.vouch(&m.name, true);
            }
        }
    }

    /// Notes that a name is a person's (`titled`: by a title or role, not only by speaking).
    fn vouch(&mut self, name: &str, titled: bool) {
        if let Some(&k) = self.index.get(name) {
            self.full[k].person = true;
            self.full[k].titled |= titled;
        }
        if let Some(last) = self.folded(name).last() {
            self.vouched.insert(last.clone());
        }
    }

    /// Is this name a person's by evidence: a title, or speaking (see `vouched`)?
    fn is_vouched(&self, name: &str) -> bool {
        self.folded(name)
            .last()
            .is_some_and(|w| self.vouched.contains(w))
    }

    fn note(&mut self, m: &Mention) {
        self.canonical.get_mut().clear();
        if m.words().len() >= 2 {
            match self.index.get(&m.name) {
                Some(&k) => self.full[k].count += 1,
                None => {
                    self.index.insert(m.name.clone(), self.full.len());
                    let folded = self.folded(&m.name).to_vec();
                    self.full.push(FullName {
                        name: m.name.clone(),
                        count: 1,
                        person: false,
                        titled: false,
                        key: without_initials(&folded),
                        folded,
                    });
                }
            }
        }
        if let Some(t) = &m.title {
            if t.split_whitespace().any(|w| {
                caseless::is_person_title(&lower(w.trim_matches(|c: char| !c.is_alphanumeric())))
            }) {
                self.vouch(&m.name, true);
            }
            let t = t.to_lowercase();
            let e = self.titles.entry(m.name.clone()).or_default();
            if !e.contains(&t) {
                e.push(t);
            }
        }
    }

    /// Indexes the full names by surname and first name, once all are noted.
    fn finish(&mut self) {
        self.canonical.get_mut().clear();
        // "Valentina Fomina of the mother's committee criticized ...": a full name that opens
        // with a given name is a person's, unless it is a place or a body named after one
        // ("West Bank", "Roosevelt Hotel", "the Atlanta Journal-Constitution").
        let given: Vec<String> = self
            .full
            .iter()
            .filter(|f| {
                let ws: Vec<&str> = f.name.split_whitespace().collect();
                gender_of(ws[0]).is_some()
                    && !is_organisation(&f.name)
                    && !is_place(&f.name)
                    && !self.after_the.contains(&f.name)
            })
            .map(|f| f.name.clone())
            .collect();
        for name in given {
            self.vouch(&name, false);
        }
        for (k, f) in self.full.iter().enumerate() {
            if let Some(last) = f.folded.last() {
                self.surnames.entry(last.clone()).or_default().push(k);
            }
        }
    }

    /// Full names whose surname is this (folded) single word: spelled the same, else
    /// within the spelling tolerance of [`same_folded`].
    fn by_surname<'a>(&'a self, word: &'a [String]) -> Vec<&'a FullName> {
        if let Some(ks) = word.first().and_then(|w| self.surnames.get(w)) {
            return ks.iter().map(|&k| &self.full[k]).collect();
        }
        self.full
            .iter()
            .filter(|f| {
                f.folded
                    .last()
                    .is_some_and(|last| same_folded(std::slice::from_ref(last), word))
            })
            .collect()
    }

    /// The canonical full name for a name as written: the most frequent spelling of the
    /// full name it is a spelling of, or whose surname it is. Middle initials do not make
    /// another person ("Eugenie C. Scott" is "Eugenie Scott"); a surname shared by two people
    /// keeps the name as written.
    pub(crate) fn canonical(&self, name: &str) -> String {
        if let Some(c) = self.canonical.borrow().get(name) {
            return c.clone();
        }
        let c = self.find_canonical(name);
        self.canonical
            .borrow_mut()
            .insert(name.to_string(), c.clone());
        c
    }

    /// The gender a person's name tells: an honorific ("Mrs. Shepard"), else the given name
    /// of the fullest form of the name ("Fomina": Valentina Fomina). A surname alone tells
    /// nothing.
    fn gender(&self, name: &str) -> Option<Gender> {
        let full = self.canonical(name);
        let ws: Vec<&str> = full.split_whitespace().collect();
        if let Some(g) = honorific_gender(ws.first()?) {
            return Some(g);
        }
        gender_of_name(&full)
    }

    /// [`folded_words`] of a name, folded once per name.
    fn folded(&self, name: &str) -> Rc<[String]> {
        if let Some(f) = self.folds.borrow().get(name) {
            return f.clone();
        }
        let f: Rc<[String]> = folded_words(name).into();
        self.folds.borrow_mut().insert(name.to_string(), f.clone());
        f
    }

    fn find_canonical(&self, name: &str) -> String {
        let folded = self.folded(name);
        let key = without_initials(&folded);
        let candidates: Vec<&FullName> = if key.len() >= 2 {
            self.full
                .iter()
                .filter(|f| same_folded(&f.key, &key))
                .collect()
        } else if folded.len() == 1 {
            // A surname alone stands for a person's full name, not for an organisation's
            // ("Navy" is not "Russian Navy").
            let speaks = folded.first().is_some_and(|w| self.vouched.contains(w));
            self.by_surname(&folded)
                .into_iter()
                .filter(|f| f.person || speaks)
                .collect()
        } else {
            Vec::new()
        };
        // A first name alone ("Elian" for Elian Gonzalez, "Rosalynn" for Rosalynn Carter):
        // the one person whose full name starts with it, when it is no one's surname; among
        // titled names first, then among all names known as people's.
        let candidates = if candidates.is_empty()
            && folded.len() == 1
            && !self.surnames.contains_key(&folded[0])
        {
            let starts = |f: &FullName| f.folded.len() >= 2 && same_folded(&f.folded[..1], &folded);
            // The candidates if they are all one person, else none.
            fn one(fs: Vec<&FullName>) -> Vec<&FullName> {
                if fs.windows(2).all(|w| same_folded(&w[0].key, &w[1].key)) {
                    fs
                } else {
                    Vec::new()
                }
            }
            let titled: Vec<&FullName> =
                self.full.iter().filter(|f| f.titled && starts(f)).collect();
            if titled.is_empty() {
                one(self
                    .full
                    .iter()
                    .filter(|f| f.person && !is_organisation(&f.name) && starts(f))
                    .collect())
            } else {
                one(titled)
            }
        } else {
            candidates
        };
        // One person's spellings together, with their counts.
        let mut people: Vec<(&[String], Vec<&FullName>, usize)> = Vec::new();
        for c in candidates {
            match people.iter_mut().find(|p| same_folded(p.0, &c.key)) {
                Some(p) => {
                    p.1.push(c);
                    p.2 += c.count;
                }
                None => people.push((&c.key, vec![c], c.count)),
            }
        }
        let total: usize = people.iter().map(|p| p.2).sum();
        let Some(best) = people.iter().max_by_key(|p| p.2) else {
            return name.to_string();
        };
        // Another person with this surname must be rare beside the best ("Following
        // Whitfield" once, a sentence-initial word taken for a first name).
        if (total - best.2) * 3 > best.2 {
            return name.to_string();
        }
        // A run-on best ("Describing Metallica") leaves the name as written.
        best.1
            .iter()
            .max_by(|a, b| a.count.cmp(&b.count).then(b.name.len().cmp(&a.name.len())))
            .filter(|f| !f.run_on())
            .map_or_else(|| name.to_string(), |f| f.name.clone())
    }

    /// Is this one-word name a proper name (seen capitalized inside a sentence)?
    fn is_proper(&self, name: &str) -> bool {
        let folded = self.folded(name);
        folded.len() == 1 && self.proper.contains(&folded[0])
    }

    /// Is this name a person's by evidence: a full name seen with a title or role, or
    /// speaking; or the surname of one.
    fn is_known_person(&self, name: &str) -> bool {
        match self.index.get(name) {
            Some(&k) => self.full[k].person,
            None => {
                let folded = self.folded(name);
                folded.len() == 1 && self.by_surname(&folded).iter().any(|f| f.person)
            }
        }
    }

    /// Is this a full name seen in the event (up to spelling)?
    fn is_full_name(&self, name: &str) -> bool {
        let folded = self.folded(name);
        folded.len() >= 2 && self.full.iter().any(|f| same_folded(&f.folded, &folded))
    }

    /// Is this name (as written) a person's: the surname of a full name seen in the event?
    fn is_person(&self, name: &str) -> bool {
        // Exact lookups only: this runs for every sentence.
        let folded = self.folded(name);
        folded.len() == 1
            && folded
                .first()
                .is_some_and(|w| self.surnames.contains_key(w) || self.known_as.contains(w))
    }

    /// The person whose titles best match a role phrase ("the US Secretary of State"),
    /// among the names of this article (`local`) or of the whole event.
    fn by_role(&self, role: &str, local: &[String], scope: RoleScope<'_>) -> Option<String> {
        // A role's word as a title gives it: "the separatist leader" is "the leader of the
        // Chechen separatists".
        fn singular(w: &str) -> String {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            match w.strip_suffix('s') {
                Some(s) if s.len() >= 4 && !s.ends_with('s') => s.to_string(),
                _ => w,
            }
        }
        let role_words: FxHashSet<String> = role
            .split_whitespace()
            .map(singular)
            .filter(|w| !matches!(w.as_str(), "the" | "of" | "himself" | "herself"))
            .collect();
        // "the president himself": the head is the noun before the reflexive.
        let head = singular(
            role.split_whitespace()
                .rfind(|w| !matches!(w.to_lowercase().as_str(), "himself" | "herself"))?,
        );
        let mut best: Option<(usize, String)> = None;
        // Names whose title holds the role's head.
        let mut holders: FxHashSet<&String> = FxHashSet::default();
        // Names of this article (`local`), else the whole event's.
        let here = local
            .iter()
            .filter_map(|n| self.titles.get(n).map(|t| (n, t)));
        let candidates: Box<dyn Iterator<Item = (&String, &Vec<String>)>> = match scope {
            RoleScope::Article(_) => Box::new(here),
            RoleScope::Event => Box::new(self.titles.iter()),
        };
        for (name, titles) in candidates {
            for t in titles {
                let tw: FxHashSet<String> = t.split_whitespace().map(singular).collect();
                if !tw.contains(&head) {
                    continue;
                }
                let overlap = role_words.iter().filter(|w| tw.contains(*w)).count();
                holders.insert(name);
                if best.as_ref().is_none_or(|(o, _)| overlap > *o) {
                    best = Some((overlap, name.clone()));
                }
            }
        }
        // "the navy chief" is not any chief: two of the role's words at least, unless the
        // article's only name whose title holds the head was named in its last three
        // sentences.
        let need = match scope {
            RoleScope::Article(recent)
                if holders.len() == 1 && holders.iter().all(|h| recent.contains(h)) =>
            {
                1
            }
            _ => role_words.len().min(2),
        };
        best.filter(|(o, _)| *o >= need).map(|(_, n)| n)
    }
}

/// Where [`People::by_role`] looks for a title: among the article's names (with those
/// named in its last three sentences), or the event's.
#[derive(Clone, Copy)]
enum RoleScope<'a> {
    Article(&'a [String]),
    Event,
}

/// Extracts every quote of the corpus with its speaker and groups them into statements.
pub fn statements(corpus: &Corpus) -> Vec<Statement> {
    let found: Vec<Vec<Mention>> = corpus.sentences.iter().map(|s| mentions(&s.text)).collect();
    statements_with(corpus, &found)
}

/// As [`statements`], with the name mentions of every sentence already found.
pub fn statements_with(corpus: &Corpus, found: &[Vec<Mention>]) -> Vec<Statement> {
    // No quote anywhere (most headline-only events): no need to know the event's people.
    if !corpus
        .docs
        .iter()
        .filter(|doc| doc.copy_of.is_none())
        .any(|doc| {
            doc.clean
                .paragraphs
                .iter()
                .any(|p| !quote_spans(p).is_empty())
        })
    {
        return Vec::new();
    }
    // People across the event.
    let mut people = People::default();
    for (s, ms) in corpus.sentences.iter().zip(found) {
        if s.case_mode.names_lowercased() {
            // Capitals there are noise; names are known by their place.
            for m in caseless::speaker_mentions(&s.text) {
                people.note(&m);
            }
        } else {
            for m in ms {
                people.note_in(&s.text, m);
            }
        }
    }
    people.finish();
    let mut occurrences = Vec::new();
    for (d, doc) in corpus.docs.iter().enumerate() {
        if doc.copy_of.is_some() {
            continue;
        }
        occurrences.extend(doc_quotes(corpus, d, &people, found));
    }
    statements::group(occurrences)
}

/// The first time an article gives for each speaker's words, by canonical name: from any
/// sentence whose speech verb has a named subject and whose attribution gives a time.
fn speaker_times(
    corpus: &Corpus,
    d: DocIx,
    people: &People,
    names: Names<'_>,
    quotes: &[Vec<Span>],
) -> FxHashMap<String, When> {
    let doc = &corpus.docs[d];
    let article_day = doc.day();
    let mut out: FxHashMap<String, When> = FxHashMap::default();
    for (p, (para, spans)) in doc.clean.paragraphs.iter().zip(quotes).enumerate() {
        for s in corpus.doc_sentences(d).iter().filter(|s| s.paragraph == p) {
            let bare = outside_quotes(para, s.span.clone(), spans);
            if !word_iter(&bare, 0).any(|w| is_speech_verb(w.2)) {
                continue;
            }
            // The time first: few sentences give one, and finding the speaker costs more.
            let Some(t) = occasion::attached_time(
                &bare,
                || main_clause_start(&bare, &words(&bare, 0)),
                article_day,
            ) else {
                continue;
            };
            let who = match names {
                Names::Cased => speech_subject(&bare),
                Names::Caseless(_) => names.sentence_subject(&bare),
            };
            let Some(SpeakerRef::Name(m)) = who else {
                continue;
            };
            out.entry(people.canonical(&m.name)).or_insert(t);
        }
    }
    out
}

/// Who was in view lately, for "he" and "she": a pronoun whose gender the name of the person
/// in view contradicts is not theirs.
#[derive(Debug, Default)]
struct View<'f> {
    /// Who was in view in each of the last three sentences, oldest first.
    recent: Vec<(String, usize)>,
    /// The full names of the last sentence read (outside its quotes), and its number.
    named_before: Vec<&'f Mention>,
    /// The number of that sentence.
    named_at: usize,
    /// Who that sentence names outside its quotes and not in the possessive, each with
    /// whether it opens its clause (see [`View::lately`], the one reader: the person checks
    /// wait until a pronoun needs them).
    mentioned_before: Vec<(&'f Mention, bool)>,
}

impl View<'_> {
    /// Who `pronoun` stands for when `offered` (the sentence's subject or the person in
    /// view) is the candidate: `offered` unless its name tells the other gender; then the
    /// newest person in view in the last three sentences not of the other gender, if their
    /// name tells the pronoun's ("she said" after "Barry countered" is Feinstein's, named
    /// before him); else no one.
    fn referent(
        &self,
        people: &People,
        pronoun: &str,
        offered: String,
        names: Names<'_>,
        sent_no: usize,
    ) -> Option<String> {
        let Some(want) = pronoun_gender(pronoun) else {
            return Some(offered);
        };
        if people.gender(&offered).is_none_or(|g| g == want) {
            return Some(offered);
        }
        if names != Names::Cased {
            return None;
        }
        self.recent
            .iter()
            .rev()
            .filter(|(_, at)| sent_no - at <= 3)
            .map(|(n, _)| (n, people.gender(n)))
            .find(|(_, g)| *g != Some(want.other()))
            .and_then(|(n, g)| (g == Some(want)).then(|| n.clone()))
    }

    /// Who "he" or "she" is when no one is in view (a sentence naming no one we could place
    /// came between, "... the Russian government asked Britain and Norway ..."): the person
    /// in view in the last two sentences whose name tells the pronoun's gender, when they
    /// are the only one of that gender and the sentence before named no one else known as a
    /// person (or, as its subject, a single name that spoke or carries a title: "Ameir
    /// dismissed ...").
    fn lately(
        &self,
        people: &People,
        pronoun: &str,
        names: Names<'_>,
        sent_no: usize,
    ) -> Option<String> {
        let want = pronoun_gender(pronoun)?;
        if names != Names::Cased {
            return None;
        }
        let mut fits = self
            .recent
            .iter()
            .filter(|(n, at)| sent_no - at <= 2 && people.gender(n) == Some(want))
            .map(|(n, _)| people.canonical(n));
        let first = fits.next()?;
        let named = self.named_at + 1 == sent_no
            && self.mentioned_before.iter().any(|(m, opens)| {
                (people.is_known_person(&m.name)
                    || (*opens && m.words().len() == 1 && people.is_vouched(&m.name)))
                    && people.canonical(&m.name) != first
            });
        (fits.all(|n| n == first) && !named).then_some(first)
    }

    /// Was someone else whose name tells the pronoun's gender named in the sentence before,
    /// after the person in view `n` was (at `focus_at`)? Then "he" may be either ("... was
    /// described by Patrick Sherwood, president of ... ``...,'' he said").
    fn other_named(
        &self,
        people: &People,
        pronoun: &str,
        n: &str,
        focus_at: usize,
        sent_no: usize,
    ) -> bool {
        let want = pronoun_gender(pronoun);
        focus_at + 1 < sent_no
            && self.named_at + 1 == sent_no
            && self.named_before.iter().any(|m| {
                people.canonical(&m.name) != people.canonical(n)
                    && people
                        .gender(&m.name)
                        .is_some_and(|g| want.is_none_or(|w| w == g))
            })
    }
}

/// The quotes of one article, attributed.
///
/// The article is read in order, sentence by sentence. `focus` is the person last in
/// view (the speaker of the last attributed quote or the subject of the last sentence that
/// names one): pronouns and unmatched roles resolve to it. `last_speaker` is the speaker of
/// the last quote, for paragraphs that only continue a quote.
fn doc_quotes(
    corpus: &Corpus,
    d: DocIx,
    people: &People,
    found: &[Vec<Mention>],
) -> Vec<QuoteOccurrence> {
    let doc = &corpus.docs[d];
    let outlet = corpus.outlets[doc.outlet].clone();
    let article_date = doc.date.map(|t| t.date());
    // Relative times ("today", "Monday") are read against the day the article reports from.
    let article_day = doc.day();
    let sents = corpus.doc_sentences(d);
    let names = if sents
        .first()
        .is_some_and(|s| s.case_mode.names_lowercased())
    {
        Names::Caseless(people)
    } else {
        Names::Cased
    };
    let mut out = Vec::new();
    let mut last_speaker: Option<(String, usize)> = None; // name, paragraph
    let mut focus: Option<String> = None;
    // The body ("the government") that spoke last, and when.
    let mut body: Option<(String, usize)> = None;
    // The sentence count, and when the person in view was last named.
    let (mut sent_no, mut focus_at) = (0usize, 0usize);
    // Who the sentence just before reported as saying something ("Woolsey said she was a
    // Girl Scout."), with that sentence's number and paragraph.
    let mut reported: Option<(String, usize, usize)> = None;
    let mut names_here: Vec<String> = Vec::new();
    // The sentence where each of them was last named.
    let mut last_named: FxHashMap<String, usize> = FxHashMap::default();
    let mut names_seen: FxHashSet<String> = FxHashSet::default();
    let mut view = View::default();
    let mut running_on = false;
    // Who the paragraph before introduced with a colon ("Jim Courier, who ..., said:"),
    // for a quote that opens this paragraph.
    let mut introduced: Option<String> = None;
    // The time the article gives for each speaker's words ("Tillerson said on Tuesday"),
    // for their quotes with no time of their own.
    // Each paragraph's quotes, read once for both passes.
    let quotes: Vec<Vec<Span>> = doc
        .clean
        .paragraphs
        .iter()
        .map(|p| quote_spans(p))
        .collect();
    let spoken_at = speaker_times(corpus, d, people, names, &quotes);
    for (p, (para, spans)) in doc.clean.paragraphs.iter().zip(&quotes).enumerate() {
        let para_sents: Vec<&Sentence> = sents.iter().filter(|s| s.paragraph == p).collect();
        // The sentence each quote opens in (quotes before any sentence go with the first).
        let opens_in = |q: &Span| {
            para_sents
                .iter()
                .rposition(|s| s.span.start <= q.outer.start)
                .unwrap_or(0)
        };
        let mut next_running = false;
        let mut qi = 0;
        // The speaker of the paragraph's last quote, and where it ends.
        let mut prev_in_para: Option<(String, usize)> = None;
        for si in 0..para_sents.len().max(1) {
            sent_no += 1;
            if let Some(f) = focus.as_ref().filter(|_| focus_at + 1 == sent_no) {
                view.recent.push((f.clone(), focus_at));
            }
            view.recent.retain(|(_, at)| sent_no - at <= 3);
            let mut attributed_here = false;
            while qi < spans.len() && (opens_in(&spans[qi]) <= si || para_sents.is_empty()) {
                let q = &spans[qi];
                let first_in_para = qi == 0;
                qi += 1;
                if q.runs_on {
                    next_running = true;
                }
                let text = para[q.inner.clone()]
                    .trim()
                    .trim_end_matches([',', ' '])
                    .to_string();
                let n_words = text.split_whitespace().count();
                let inside_sentence = para_sents.get(si).is_some_and(|s| {
                    !para[s.span.start.min(q.outer.start)..q.outer.start]
                        .trim()
                        .is_empty()
                });
                // A one-word quote is not listed; one that stands alone (```Maybe,'' he
                // said. ``But ...''`) is still read for who speaks, for the quotes after it.
                // Nor is a stock phrase quoted inside a sentence ("discussed the issue ``at
                // length''"): a manner of speaking, not a statement.
                let short = n_words < 2 || (inside_sentence && is_stock_phrase(&text));
                // ```Darwin's Ghost'' is written with ...`: a name the sentence is about.
                let rest = &para[q.outer.end..];
                let subject_of_verb = word_iter(rest, 0).next().is_some_and(|w| {
                    rest[..w.0].trim().is_empty()
                        && matches!(w.2, "is" | "was" | "has" | "had" | "remains")
                });
                if (short && (inside_sentence || n_words == 0))
                    || is_title_of_work(&text, inside_sentence || subject_of_verb)
                {
                    continue;
                }
                let s_open = para_sents.get(si);
                let s_close = para_sents
                    .iter()
                    .rev()
                    .find(|s| s.span.start < q.outer.end)
                    .or(s_open);
                let before_start = s_open.map_or(0, |s| s.span.start).min(q.outer.start);
                let before = &para[before_start..q.outer.start];
                let mut after_end = s_close
                    .map_or(para.len(), |s| s.span.end)
                    .max(q.outer.end)
                    .min(para.len());
                // `," said U.S. Rep. Bennie Thompson`: the sentence splitter may cut at an
                // abbreviation of the attribution; read on to the next sentence then.
                for _ in 0..3 {
                    if !ends_with_abbreviation(&para[q.outer.end.min(after_end)..after_end]) {
                        break;
                    }
                    match para_sents.iter().find(|s| s.span.start >= after_end) {
                        Some(next) => after_end = next.span.end.min(para.len()),
                        None => break,
                    }
                }
                let inner = para[q.inner.clone()].trim_end();
                let after = if q.runs_on {
                    String::new()
                } else {
                    outside_quotes(para, q.outer.end..after_end, spans)
                };
                // A quote that ends its sentence (`... hours." one witness, ..., said the car`)
                // has its tag right after it or none (`." he said`, `." said X`).
                // (The quote's last words end a sentence: `"We are ready. We will go,"
                // Judy Shepard said` has its tag after a comma.)
                let closes_sentence = inner.ends_with(['.', '!', '?'])
                    && !inner.ends_with("..")
                    && !ends_with_abbreviation(inner);
                let after = if closes_sentence {
                    let aw = words(&after, 0);
                    let tag = aw.iter().take(2).position(|w| is_speech_verb(&w.2));
                    if tag.is_some_and(|i| i == 0 || !after[..aw[i].0].contains(',')) {
                        after
                    } else {
                        String::new()
                    }
                } else {
                    after
                };
                // `"...," the indiana` (cut off): a tag we cannot read is still a tag.
                let unread_tag = inner.ends_with(',') && !words(&after, 0).is_empty();
                let partial = words(before, 0).len() >= 2;
                // Time of the statement: the one its attribution gives, if any.
                let here = occasion::attached_time(
                    &outside_quotes(para, before_start..after_end, spans),
                    || {
                        main_clause_start(
                            &para[before_start..after_end],
                            &words(&para[before_start..after_end], 0),
                        )
                    },
                    article_day,
                );
                let starts_paragraph = para[..q.outer.start].trim().is_empty();
                // Words inside other quotes of the sentence are not its attribution.
                let before_bare = outside_quotes(para, before_start..q.outer.start, spans);
                let mut via_reference = false;
                let (said_by, speaker_name, how) = match attribute(&before_bare, &after, names) {
                    // A lone capitalized word is a person only if it ends a full name seen in
                    // the event or carries a title ("Police said", "Officials said" and
                    // sentence-case remnants are not people).
                    Some(SpeakerRef::Name(m))
                        if m.words().len() >= 2
                            || m.title.is_some()
                            || people.is_person(&m.name)
                            || people.is_proper(&m.name) =>
                    {
                        // "Mrs. Shepard" is not the Matthew Shepard of the event: a surname
                        // after Mrs., Ms. or Miss keeps its honorific rather than join
                        // whichever full name ends with it.
                        let honorific = m.title.as_deref().filter(|t| {
                            m.words().len() == 1 && honorific_gender(t) == Some(Gender::Female)
                        });
                        let name = match honorific {
                            Some(t) if t.eq_ignore_ascii_case("miss") => format!("{t} {}", m.name),
                            Some(t) => format!("{}. {}", t.trim_end_matches('.'), m.name),
                            None => m.name.clone(),
                        };
                        (Some(m.name.clone()), Some(name), Attribution::Named)
                    }
                    Some(SpeakerRef::Name(m)) => {
                        (Some(m.name.clone()), None, Attribution::Unattributed)
                    }
                    // "Maskhadov also ruled out ..., repeating that ``…,'' he told": the
                    // sentence's named subject, else the person in view.
                    // `Some 70,000 people have fled, Amnesty International said. "...," it
                    // said`: the organisation named as the speaker in the last two
                    // sentences, and never a person.
                    Some(SpeakerRef::Pronoun(pr)) if lower(&pr) == "it" => {
                        let org = focus
                            .clone()
                            .filter(|f| sent_no - focus_at <= 2 && is_organisation(f))
                            .or_else(|| {
                                body.clone()
                                    .filter(|(_, at)| sent_no - at <= 2)
                                    .map(|(b, _)| b)
                            });
                        (Some(pr), org, Attribution::Pronoun)
                    }
                    // "she said" is not the man in view (see `View`).
                    Some(SpeakerRef::Pronoun(pr)) => {
                        let subject = (names == Names::Cased)
                            .then(|| opening_person(&before_bare, people))
                            .flatten();
                        let who = match subject {
                            Some(n) => view.referent(people, &pr, n, names, sent_no),
                            None => match focus.clone() {
                                Some(n) => (!view.other_named(people, &pr, &n, focus_at, sent_no)
                                    && !named_first(&before_bare, &pr, &n, people))
                                .then(|| view.referent(people, &pr, n, names, sent_no))
                                .flatten(),
                                None => view.lately(people, &pr, names, sent_no),
                            },
                        };
                        (Some(pr), who, Attribution::Pronoun)
                    }
                    // A role matches a title; or, a bare "the diplomat", the speaker of a
                    // quote just before (a role named anew is someone new: "the captain").
                    // "the government said": the body, as the article names it.
                    // "the statement said": whose statement the article said it was.
                    Some(SpeakerRef::Reference(r)) => {
                        let here = para_sents.get(si).map(|s| s.position);
                        let own = mentions(&before_bare);
                        let earlier: Vec<(&str, &[Mention])> =
                            std::iter::once((before_bare.as_str(), own.as_slice()))
                                .chain(
                                    sents
                                        .iter()
                                        .filter(|s| here.is_some_and(|h| s.position < h))
                                        .rev()
                                        .map(|s| {
                                            (
                                                s.text.as_str(),
                                                found[doc.sentences.start + s.position].as_slice(),
                                            )
                                        }),
                                )
                                .collect();
                        let who = (names == Names::Cased)
                            .then(|| reference::owner(&r, earlier.iter().copied()))
                            .flatten();
                        via_reference = true;
                        (Some(r), who, Attribution::Role)
                    }
                    Some(SpeakerRef::Role(r)) if is_institution(&r) => {
                        let who = as_body(&r);
                        (Some(r), Some(who), Attribution::Role)
                    }
                    // "a government spokesman", "a spokeswoman for the Interior Ministry":
                    // the institution speaks through them.
                    Some(SpeakerRef::Role(r)) if let Some(who) = spokesperson_of(&r) => {
                        (Some(r), Some(who), Attribution::Role)
                    }
                    Some(SpeakerRef::Role(r)) => {
                        // "the diplomat", "the former star": a role with no name of its own.
                        let few_words = words(&r, 0).len() <= 4;
                        let named_lately: Vec<String> = names_here
                            .iter()
                            .filter(|n| last_named.get(*n).is_some_and(|&at| sent_no - at <= 3))
                            .cloned()
                            .collect();
                        // Named in the last two sentences.
                        let recent = focus.clone().filter(|f| {
                            few_words && sent_no - focus_at <= 2 && people.is_known_person(f)
                        });
                        // A title of this article's names ("Aslan Maskhadov, the leader of
                        // the Chechen separatists ... The separatist leader also said"), then
                        // one given elsewhere in the event, then the one just named.
                        let who = people
                            .by_role(&r, &names_here, RoleScope::Article(&named_lately))
                            .or_else(|| people.by_role(&r, &names_here, RoleScope::Event))
                            .or(recent);
                        (Some(r), who, Attribution::Role)
                    }
                    // `"...," said a government spokesman`: the institution speaks.
                    None if let Some((role, body)) = spokesperson_tag(&before_bare, &after) => {
                        (Some(role), Some(body), Attribution::Role)
                    }
                    // `"...," Trump said. "We may be at an all time low."`
                    None if unread_tag => (None, None, Attribution::Unattributed),
                    // Only the last quote's tag between them (one sentence end at most),
                    // and nothing in this sentence that could speak: `"A," Alarcon said,
                    // warning that .... "B."`, `... he said. Government forces "B."`.
                    None if prev_in_para.as_ref().is_some_and(|(_, end)| {
                        *end <= q.outer.start
                            && sentence_ends(&para[*end..q.outer.start]) <= 1
                            && continues(&before_bare, people)
                    }) =>
                    {
                        (
                            None,
                            prev_in_para.as_ref().map(|x| x.0.clone()),
                            Attribution::Continuation,
                        )
                    }
                    // `Woolsey said she was a Girl Scout. ''We're not saying ...''`: a
                    // sentence that is all quote, right after one that reports what a
                    // named speaker said, in the same paragraph, is theirs.
                    // (Or `Woolsey said she wasn't told ... It ''was a total surprise to
                    // me.''`: a pronoun alone before words in the first person.)
                    None if (word_iter(&before_bare, 0).next().is_none()
                        || (word_iter(&before_bare, 0).map(|w| w.2).eq(["It"])
                            && word_iter(&text, 0).any(|w| {
                                matches!(w.2, "I" | "me" | "my" | "we" | "us" | "our")
                            })))
                        && word_iter(&after, 0).next().is_none()
                        && !tagged_after(&para[q.outer.end..])
                        && reported.as_ref().is_some_and(|(_, at, rp)| {
                            at + 1 == sent_no && (*rp == p || (*rp + 1 == p && starts_paragraph))
                        }) =>
                    {
                        let who = reported.as_ref().map(|r| r.0.clone());
                        (who.clone(), who, Attribution::Named)
                    }
                    None if starts_paragraph && first_in_para && introduced.is_some() => {
                        (introduced.clone(), introduced.clone(), Attribution::Named)
                    }
                    None if starts_paragraph
                        && first_in_para
                        && (running_on
                            || last_speaker.as_ref().is_some_and(|(_, lp)| p - lp <= 1)) =>
                    {
                        (
                            None,
                            last_speaker.as_ref().map(|x| x.0.clone()),
                            Attribution::Continuation,
                        )
                    }
                    None => (None, None, Attribution::Unattributed),
                };
                let how = if speaker_name.is_none() {
                    Attribution::Unattributed
                } else {
                    how
                };
                if short && speaker_name.is_none() {
                    continue;
                }
                if let Some(n) = &speaker_name {
                    last_speaker = Some((n.clone(), p));
                    // A body is not who "he" is next; it is what "it" is. So is the owner
                    // of "the commentary" that spoke: "..., it said" goes on quoting it.
                    if how == Attribution::Role && (via_reference || is_institution(n)) {
                        body = Some((n.clone(), sent_no));
                    } else {
                        focus = Some(n.clone());
                        focus_at = sent_no;
                    }
                    attributed_here = true;
                }
                prev_in_para = speaker_name.clone().map(|n| (n, q.outer.end));
                if short {
                    continue;
                }
                let speaker = speaker_name.as_deref().map(|n| people.canonical(n));
                let when =
                    here.or_else(|| speaker.as_ref().and_then(|n| spoken_at.get(n)).cloned());
                out.push(QuoteOccurrence {
                    article: doc.id.clone(),
                    outlet: outlet.clone(),
                    text,
                    said_by,
                    speaker,
                    attribution: how,
                    partial: partial && !q.runs_on && n_words < 40,
                    when,
                    reported: article_date,
                    doc: d,
                    paragraph: p,
                    span: q.inner.clone(),
                });
            }
            // Context for what follows: the names, the subject person and the time.
            if let Some(s) = para_sents.get(si) {
                let ms: Vec<Mention> =
                    subjects_among(&s.text, &found[doc.sentences.start + s.position])
                        .into_iter()
                        .filter(|m| !is_calendar_word(&m.name) && !is_possessive(&s.text, m))
                        .collect();
                for m in &ms {
                    if names_seen.insert(m.name.clone()) {
                        names_here.push(m.name.clone());
                    }
                    last_named.insert(m.name.clone(), sent_no);
                }
                view.named_before.clear();
                view.named_before
                    .extend(found[doc.sentences.start + s.position].iter().filter(|m| {
                        let at = s.span.start + m.span.start;
                        m.words().len() >= 2
                            && !is_possessive(&s.text, m)
                            && !spans.iter().any(|q| q.inner.contains(&at))
                    }));
                view.named_at = sent_no;
                view.mentioned_before.clear();
                view.mentioned_before.extend(
                    found[doc.sentences.start + s.position]
                        .iter()
                        .filter(|m| {
                            let at = s.span.start + m.span.start;
                            !is_possessive(&s.text, m)
                                && !spans.iter().any(|q| q.inner.contains(&at))
                                && !is_calendar_word(&m.name)
                        })
                        .map(|m| (m, opens_clause(&s.text, m))),
                );

                // Does the sentence hold a quote (whose words could be anyone's)?
                let quoted = spans
                    .iter()
                    .any(|q| q.outer.start < s.span.end && q.outer.end > s.span.start);
                if !attributed_here && names != Names::Cased {
                    if let Some(SpeakerRef::Name(m)) = names.sentence_subject(&s.text) {
                        focus = Some(m.name);
                        focus_at = sent_no;
                    }
                } else if !attributed_here && let Some(who) = speech_subject(&s.text) {
                    // "..., said Kenneth S. Trump, owner of ...": who speaks is in view;
                    // "he said" keeps the person in view; someone we cannot place ("Zhang
                    // said") leaves no one in view.
                    match who {
                        SpeakerRef::Name(m)
                            if m.words().len() >= 2
                                || people.is_person(&m.name)
                                || people.is_proper(&m.name) =>
                        {
                            // Only from a sentence with no quote of its own, naming
                            // someone known as a person.
                            reported = (!quoted && people.is_known_person(&m.name))
                                .then(|| (m.name.clone(), sent_no, p));
                            focus = Some(m.name);
                            focus_at = sent_no;
                        }
                        SpeakerRef::Name(_) => focus = None,
                        // "He said only one, Smith Kline Beecham, ...": still the person in
                        // view, named again (not "As far as Reeves is concerned, she ...").
                        SpeakerRef::Pronoun(p)
                            if pronoun_gender(&p).is_some()
                                && word_iter(&s.text, 0).next().is_some_and(|w| w.2 == p) =>
                        {
                            if focus.is_some() {
                                focus_at = sent_no;
                            }
                        }
                        // "As far as Samantha Reeves is concerned, she continued ...": the
                        // person the sentence is about.
                        SpeakerRef::Pronoun(p) if pronoun_gender(&p).is_some() => {
                            if let Some(m) = topic(&s.text, &p, people) {
                                focus = Some(m);
                                focus_at = sent_no;
                            }
                        }
                        _ => {}
                    }
                } else if !attributed_here {
                    // The subject: a person named before the sentence's first verb-like
                    // lowercase word run, i.e. among the first few words.
                    let lead_words = words(&s.text, 0);
                    let described = describes_subject(&lead_words);
                    let lead_start = match main_clause_start(&s.text, &lead_words) {
                        0 if described => after_opening_comma(&s.text, &lead_words),
                        start => start,
                    };
                    let limit = lead_words
                        .iter()
                        .filter(|w| w.0 >= lead_start)
                        .nth(6)
                        .map_or(s.text.len(), |w| w.0);
                    // Someone new and unnamed ("One high school player, ..., said he"):
                    // "he" is no longer the person before.
                    let newcomer = lead_words
                        .first()
                        .is_some_and(|w| matches!(&*lower(&w.2), "a" | "an" | "one" | "another"))
                        && lead_words[..lead_words.len().min(6)]
                            .iter()
                            .any(|w| PERSON_NOUNS.contains(&&*lower(&w.2)));
                    let lead: Vec<&Mention> = ms
                        .iter()
                        .filter(|m| {
                            m.span.start >= lead_start
                                && m.span.start < limit
                                && !is_modifier(&s.text, m)
                        })
                        .collect();
                    // A person: a name vouched for (a title, a role, speaking); a single
                    // word must also end a full name. Not a name after "the".
                    let person = |m: &&&Mention| {
                        !after_the(&s.text, m)
                            && people.is_vouched(&m.name)
                            && (m.words().len() >= 2 || people.is_person(&m.name))
                    };
                    // The main clause's subject; else a person in the opening phrase ("As
                    // far as Samantha Reeves is concerned, she ...").
                    let opening = || {
                        ms.iter()
                            .filter(|m| m.span.start < lead_start && !is_modifier(&s.text, m))
                            .collect::<Vec<_>>()
                            .into_iter()
                            .find(|m| person(&m))
                    };
                    // `Yokich bristled at suggestions that ... ``They claim ...''`: the
                    // person the sentence is about, when it holds no quote and no one else
                    // was quoted in the paragraph before it, says the bare quote after it.
                    let subject = lead.iter().find(person).copied();
                    if let Some(m) = subject
                        && !quoted
                        && prev_in_para.is_none()
                        && people.is_known_person(&m.name)
                    {
                        reported = Some((m.name.clone(), sent_no, p));
                    }
                    // After "Speaking to reporters after meeting with Netanyahu, ..." the
                    // opening phrase's name is not the subject.
                    match subject.or_else(|| if described { None } else { opening() }) {
                        Some(m) => {
                            focus = Some(m.name.clone());
                            focus_at = sent_no;
                        }
                        // "... the local Parti Quebecois candidate, Roger Paquin.": a role, then
                        // the full name that ends the sentence.
                        None if let Some(name) = closing_name(&s.text) => {
                            focus = Some(name);
                            focus_at = sent_no;
                        }
                        // A name we cannot place ("Shirvani came to Nazran", "The United
                        // States said"): whoever "he" is next, it is not the person before.
                        // Or a described subject we cannot place ("Speaking to reporters
                        // after meeting with Netanyahu, visiting ... Martin Indyk said").
                        None if newcomer || described || !lead.is_empty() => focus = None,
                        None => {}
                    }
                }
            }
        }
        running_on = next_running;
        introduced = colon_introduction(para, &para_sents, names, people);
    }
    out
}

/// A phrase that says how something was said or done, not what ("at length", "in full").
fn is_stock_phrase(text: &str) -> bool {
    let t = text
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    matches!(
        t.as_str(),
        "at length" | "in full" | "in detail" | "in depth" | "in part" | "at all" | "at once"
    )
}

/// Does the text before a name say it is what someone goes by ("who only identified
/// himself as", "identified only as", "gave her name as", "known only as")?
fn known_as(before: &str) -> bool {
    let mut ws = word_iter(before, 0).rev().map(|w| lower(w.2));
    if ws.next().as_deref() != Some("as") {
        return false;
    }
    let mut ws = ws.skip_while(|w| matches!(&**w, "only" | "himself" | "herself" | "simply"));
    match ws.next().as_deref() {
        Some("identified" | "named" | "known") => true,
        Some("name") => ws
            .next()
            .is_some_and(|w| matches!(&*w, "his" | "her" | "their")),
        _ => false,
    }
}

/// The person a sentence opening "As far as X is concerned," or "As for X," is about, when
/// `pronoun` follows as the subject of the main clause.
fn topic(text: &str, pronoun: &str, people: &People) -> Option<String> {
    let (phrase, rest) = text.split_once(',')?;
    let lead = phrase.to_lowercase();
    let about = (lead.starts_with("as far as") && lead.ends_with("is concerned"))
        || lead.starts_with("as for ");
    if !about || word_iter(rest, 0).next().is_none_or(|w| w.2 != pronoun) {
        return None;
    }
    let ms = mentions(phrase);
    match ms.as_slice() {
        [m] if m.words().len() >= 2 || people.is_person(&m.name) => Some(m.name.clone()),
        _ => None,
    }
}

/// Does the mention open its clause (no lowercase word between it and the sentence's
/// start or the last comma before it: "Ameir dismissed ...", not "... asked Denmark")?
fn opens_clause(text: &str, m: &Mention) -> bool {
    let before = &text[..title_start(m)];
    let tail = before.rsplit_once(',').map_or(before, |(_, b)| b);
    !word_iter(tail, 0).any(|w| w.2.starts_with(char::is_lowercase))
}

/// Does the sentence name someone else known as a person, in the possessive, before its
/// pronoun: someone who may be who the pronoun stands for ("Some of Clinton's critics have
/// said ... when he denied that he had ``sexual relations''" is Clinton's, not the person
/// in view `n`'s)?
fn named_first(before: &str, pronoun: &str, n: &str, people: &People) -> bool {
    let want = pronoun_gender(pronoun);
    let n = people.canonical(n);
    let Some(at) = word_iter(before, 0).find(|w| w.2 == pronoun).map(|w| w.0) else {
        return false;
    };
    mentions(&before[..at]).iter().any(|m| {
        is_possessive(before, m)
            && (people.is_known_person(&m.name) || people.is_vouched(&m.name))
            && people.canonical(&m.name) != n
            && want.is_none_or(|w| people.gender(&m.name) != Some(w.other()))
    })
}

/// Could the text right after a quote carry its tag (`?'' Kubrick said.`, `?'' Karen
/// Jason wonders`, where the sentence splitter cut after the question mark)? Only the
/// paragraph's end or another quote opening is sure not to (`''' Moseley said` closes
/// a quote inside the quote, and is not one).
fn tagged_after(rest: &str) -> bool {
    let rest = rest.trim_start();
    let opens = ["``", "''", "\u{201C}", "\""].iter().any(|o| {
        rest.strip_prefix(o)
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_alphanumeric)
    });
    !(rest.is_empty() || opens)
}

/// The person a paragraph ending in "X said:" introduces: a name, or a surname of a person
/// of the event.
fn colon_introduction(
    para: &str,
    sents: &[&Sentence],
    names: Names<'_>,
    people: &People,
) -> Option<String> {
    let text = para.trim_end().strip_suffix(':')?;
    let ws = words(text, 0);
    let verb = ws.last().filter(|w| is_speech_verb(w.2))?;
    let start = sents
        .iter()
        .rev()
        .find(|s| s.span.start <= verb.0)
        .map_or(0, |s| s.span.start);
    match names.subject_before(&text[start..verb.0]) {
        Some(SpeakerRef::Name(m)) if m.words().len() >= 2 || people.is_person(&m.name) => {
            Some(m.name)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
