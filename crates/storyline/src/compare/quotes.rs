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
//! Occurrences in different articles are one statement when the same person said them, the
//! words overlap (the shorter mostly inside the longer: cut or lightly reworded quotes), and
//! their times do not disagree: the same words said on Tuesday in Lucca and on Wednesday in
//! Moscow are two statements.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use storyline_text::Analyzer;

use super::Groups;
use super::names::{Mention, folded_words, is_title_word, mentions, same_folded};
use super::timeline::{When, expressions, is_calendar_name, resolve};
use crate::corpus::{Corpus, DocIx, Sentence};

/// Speech verbs (closed class): a quote's speaker is their subject.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "added",
    "adds",
    "told",
    "tells",
    "stressed",
    "noted",
    "notes",
    "insisted",
    "argued",
    "explained",
    "asked",
    "asks",
    "warned",
    "warns",
    "declared",
    "stated",
    "announced",
    "wrote",
    "writes",
    "tweeted",
    "pointed",
    "continued",
    "replied",
    "acknowledged",
    "admitted",
    "claimed",
    "urged",
    "called",
    "described",
    "recalled",
    "suggested",
    "complained",
    "remarked",
    "observed",
    "cautioned",
    "conceded",
    "vowed",
    "promised",
    "predicted",
    "testified",
    "responded",
    "confirmed",
    "denied",
    "emphasized",
    "emphasised",
    "reiterated",
    "commented",
    "quipped",
    "ribbed",
    "praised",
    "accused",
    "lamented",
    "joked",
    "shouted",
    "screamed",
    "whispered",
    "answered",
    "agreed",
    "demanded",
    "concluded",
    "recounted",
    "maintained",
    "contended",
    "estimated",
    "boasted",
];

/// Prepositions: a name right after one is not the subject ("spokesperson for X").
const PREPOSITIONS: &[&str] = &[
    "for", "of", "to", "with", "from", "by", "at", "in", "on", "about", "against", "between",
    "after", "before", "under", "over", "near", "than",
];

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
    /// When it was said, as the article situates it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<When>,
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
    /// When it was said, if the articles say.
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

/// Words with byte offsets (punctuation trimmed), original case.
fn words(s: &str, base: usize) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if c.is_whitespace() || matches!(c, '\u{201C}' | '\u{201D}' | '"') {
            if let Some(st) = start.take() {
                let w: &str = &s[st..i];
                let lead = w.len() - w.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
                let t = w.trim_matches(|c: char| !c.is_alphanumeric());
                if !t.is_empty() {
                    out.push((base + st + lead, base + st + lead + t.len(), t.to_string()));
                }
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

fn lower(w: &str) -> String {
    w.to_lowercase()
}

fn is_speech_verb(w: &str) -> bool {
    SPEECH_VERBS.contains(&lower(w).as_str())
}

fn is_pronoun(w: &str) -> bool {
    matches!(lower(w).as_str(), "he" | "she")
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
        .filter(|m| {
            let start = m.span.start
                - m.title
                    .as_ref()
                    .map_or(0, |t| t.len() + 1)
                    .min(m.span.start);
            // The few words before the name are enough.
            let from = text.floor_char_boundary(start.saturating_sub(80));
            let before = words(&text[from..start], 0);
            let mut k = before.len();
            while k > 0
                && (lower(&before[k - 1].2) == "the" || is_title_word(&lower(&before[k - 1].2)))
            {
                k -= 1;
            }
            !(k > 0 && PREPOSITIONS.contains(&lower(&before[k - 1].2).as_str()))
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
    while k > 0
        && matches!(
            lower(&ws[k - 1].2).as_str(),
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
        )
    {
        k -= 1;
    }
    if k > 0 && is_pronoun(&ws[k - 1].2) {
        return Some(SpeakerRef::Pronoun(ws[k - 1].2.clone()));
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
        // A name far from the verb ("Whitfield met X in Y and said") is still fine within
        // the clause; but a name followed by another clause's verb is not ours.
        let mut m = m.clone();
        m.span = m.span.start + cut..m.span.end + cut;
        return Some(SpeakerRef::Name(m));
    }
    // "the US Secretary of State said", "the diplomat pointed out".
    role_at_end(clause)
}

/// The text without a trailing appositive: `X, the UK's foreign minister,` → `X`.
fn strip_appositive(clause: &str) -> &str {
    let t = clause.trim_end();
    let Some(body) = t.strip_suffix(',') else {
        return clause;
    };
    let Some(open) = body.rfind(',') else {
        return clause;
    };
    let inner = body[open + 1..].trim_start();
    let starts_np = inner
        .split_whitespace()
        .next()
        .is_some_and(|w| matches!(lower(w).as_str(), "the" | "a" | "an" | "who" | "whose"));
    if starts_np && mentions(&body[..open]).last().is_some() {
        &body[..open]
    } else {
        clause
    }
}

/// Is the mention followed by a possessive `'s`?
fn is_possessive(text: &str, m: &Mention) -> bool {
    let rest = &text[m.span.end..];
    rest.starts_with("'s") || rest.starts_with("\u{2019}s")
}

/// A role noun phrase ending the text: "the US Secretary of State", "the diplomat".
fn role_at_end(text: &str) -> Option<SpeakerRef> {
    let ws = words(text, 0);
    let n = ws.len();
    for back in 1..=5.min(n) {
        let first = &ws[n - back];
        if lower(&first.2) == "the" && back >= 2 {
            let head = lower(&ws[n - 1].2);
            let role_words: Vec<String> = ws[n - back + 1..].iter().map(|w| lower(&w.2)).collect();
            if PERSON_NOUNS.contains(&head.as_str())
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
        return Some(SpeakerRef::Pronoun(first.2.clone()));
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
    // The head of the phrase is its last name: "Halden coach Brandon Hale".
    if let Some(m) = mentions(np)
        .into_iter()
        .rfind(|m| !is_calendar_word(&m.name) && !abbreviation(m))
    {
        let mut m = m;
        m.span = m.span.start + base..m.span.end + base;
        // "said on Tuesday" is not a speaker: the name must start the phrase (after a title).
        let lead = words(&np[..m.span.start - base], 0);
        if lead.iter().all(|w| {
            is_title_word(&lower(&w.2))
                || lower(&w.2) == "the"
                || w.2.chars().next().is_some_and(char::is_uppercase)
        }) {
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
fn attribute(before: &str, after: &str) -> Option<SpeakerRef> {
    // After the quote: `," Whitfield said`, `," said X`, `," he added`.
    let a = after.trim_start_matches(|c: char| {
        c == ',' || c.is_whitespace() || matches!(c, '\u{201D}' | '"' | '\'' | '\u{2019}')
    });
    let aw = words(a, 0);
    if let Some((vi, _)) = aw
        .iter()
        .enumerate()
        .take(9)
        .find(|(_, w)| is_speech_verb(&w.2))
    {
        let verb = &aw[vi];
        if vi == 0 {
            if let Some(s) = subject_after(&a[verb.1..]) {
                return Some(s);
            }
        } else {
            let np = &a[..verb.0];
            if !np.contains([',', ';', '.']) {
                if let Some(s) = subject_before(np) {
                    return Some(s);
                }
            } else if let Some((head, _)) = np.split_once(',') {
                // `," Irina Belova, spokesperson for ..., said`: a name, then an appositive.
                if let Some(m) = mentions(head)
                    .into_iter()
                    .next()
                    .filter(|m| head[m.span.end..].trim().is_empty())
                {
                    return Some(SpeakerRef::Name(m));
                }
            }
        }
    }
    // Before the quote: `Whitfield said: "`, `Volkov called it "`, `X said the talks "at length"`.
    let bw = words(before, 0);
    let mut pronoun = None;
    for verb in bw.iter().rev().filter(|w| is_speech_verb(&w.2)) {
        // The verb's subject precedes it. Coordinated verbs ("Harlan described Mercer as
        // "toxic" and said it was "..."): the subject of the sentence. A pronoun in reported
        // speech ("Feldmann said she had told ...") is the named subject of the verb before.
        match subject_before(&before[..verb.0]).or_else(|| sentence_subject(&before[..verb.0])) {
            Some(SpeakerRef::Pronoun(p)) => {
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
    if let Some(i) = lower(before).rfind("according to ") {
        let rest = &before[i + "according to ".len()..];
        if let Some(m) = mentions(rest).into_iter().next() {
            let mut m = m;
            let base = i + "according to ".len();
            m.span = m.span.start + base..m.span.end + base;
            return Some(SpeakerRef::Name(m));
        }
    }
    None
}

/// Does a time fall after the article's day (a plan, not when something was said)?
fn after_article(w: &When, article: Option<chrono::NaiveDate>) -> bool {
    let Some(a) = article else { return false };
    match w {
        When::Day { date } => *date > a,
        When::Week { starting } => *starting > a,
        When::Month { year, month } => {
            (*year, *month) > (chrono::Datelike::year(&a), chrono::Datelike::month(&a))
        }
        When::Relative { .. } => false,
    }
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
        && core.chars().next().is_some_and(char::is_uppercase)
        && core.chars().all(|c| c.is_alphabetic() || c == '.')
}

/// The subject of a sentence from its opening words: a name among the first words, or a
/// role ("The diplomat pointed out ...").
fn sentence_subject(text: &str) -> Option<SpeakerRef> {
    let ws = words(text, 0);
    let limit = ws.get(6).map_or(text.len(), |w| w.0);
    if let Some(m) = subject_mentions(text)
        .into_iter()
        .find(|m| m.span.start < limit && !is_calendar_word(&m.name) && !is_possessive(text, m))
    {
        return Some(SpeakerRef::Name(m));
    }
    let first = ws.first()?;
    let second = ws.get(1)?;
    (lower(&first.2) == "the" && PERSON_NOUNS.contains(&lower(&second.2).as_str()))
        .then(|| SpeakerRef::Role(text[first.0..second.1].to_string()))
}

/// A full name seen in the event.
#[derive(Debug)]
struct FullName {
    name: String,
    count: usize,
    /// Folded words (see [`folded_words`]).
    folded: Vec<String>,
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
}

impl People {
    /// Notes a mention of `text`; lowercase role words right before a name without a
    /// capitalized title ("harbor master Tomas Okafor") are kept as its title.
    fn note_in(&mut self, text: &str, m: &Mention) {
        self.note(m);
        if m.title.is_none() && m.words().len() >= 2 {
            let from = text.floor_char_boundary(m.span.start.saturating_sub(40));
            let before = words(&text[from..m.span.start], 0);
            let n = before.len();
            if n > 0
                && PERSON_NOUNS.contains(&lower(&before[n - 1].2).as_str())
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
            }
        }
    }

    fn note(&mut self, m: &Mention) {
        if m.words().len() >= 2 {
            match self.index.get(&m.name) {
                Some(&k) => self.full[k].count += 1,
                None => {
                    self.index.insert(m.name.clone(), self.full.len());
                    self.full.push(FullName {
                        name: m.name.clone(),
                        count: 1,
                        folded: folded_words(&m.name),
                    });
                }
            }
        }
        if let Some(t) = &m.title {
            let t = t.to_lowercase();
            let e = self.titles.entry(m.name.clone()).or_default();
            if !e.contains(&t) {
                e.push(t);
            }
        }
    }

    /// Indexes the full names by surname and first name, once all are noted.
    fn finish(&mut self) {
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

    /// The canonical full name for a name as written: the most frequent full name it is a
    /// spelling of, or whose surname it is.
    pub(crate) fn canonical(&self, name: &str) -> String {
        let folded = folded_words(name);
        let candidates: Vec<&FullName> = if folded.len() >= 2 {
            self.full
                .iter()
                .filter(|f| same_folded(&f.folded, &folded))
                .collect()
        } else {
            self.by_surname(&folded)
        };
        // Group spellings of one full name; if a surname matches two different people,
        // keep the name as written.
        let best = candidates
            .iter()
            .max_by(|a, b| a.count.cmp(&b.count).then(b.name.len().cmp(&a.name.len())));
        match best {
            // Another person with this surname must be rare beside the best ("Following
            // Whitfield" once, a sentence-initial word taken for a first name).
            Some(f)
                if candidates
                    .iter()
                    .filter(|c| !same_folded(&c.folded, &f.folded))
                    .map(|c| c.count)
                    .sum::<usize>()
                    * 3
                    <= f.count =>
            {
                f.name.clone()
            }
            _ => name.to_string(),
        }
    }

    /// Is this name (as written) a person's: the surname of a full name seen in the event?
    fn is_person(&self, name: &str) -> bool {
        // Exact lookups only: this runs for every sentence.
        let folded = folded_words(name);
        folded.len() == 1
            && folded
                .first()
                .is_some_and(|w| self.surnames.contains_key(w))
    }

    /// The person whose titles best match a role phrase ("the US Secretary of State").
    fn by_role(&self, role: &str, local: &[String]) -> Option<String> {
        let role_words: FxHashSet<String> = role
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| w != "the" && w != "of")
            .collect();
        let head = role
            .split_whitespace()
            .last()?
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let mut best: Option<(usize, String)> = None;
        // Names of this article first (`local`), then the whole event.
        for (name, titles) in local
            .iter()
            .filter_map(|n| self.titles.get(n).map(|t| (n, t)))
            .chain(self.titles.iter())
        {
            for t in titles {
                let tw: FxHashSet<String> = t
                    .split_whitespace()
                    .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
                    .collect();
                if !tw.contains(&head) {
                    continue;
                }
                let overlap = role_words.iter().filter(|w| tw.contains(*w)).count();
                if best.as_ref().is_none_or(|(o, _)| overlap > *o) {
                    best = Some((overlap, name.clone()));
                }
            }
        }
        best.map(|(_, n)| n)
    }
}

/// Extracts every quote of the corpus with its speaker and groups them into statements.
pub fn statements(corpus: &Corpus) -> Vec<Statement> {
    let found: Vec<Vec<Mention>> = corpus.sentences.iter().map(|s| mentions(&s.text)).collect();
    statements_with(corpus, &found)
}

/// As [`statements`], with the name mentions of every sentence already found.
pub fn statements_with(corpus: &Corpus, found: &[Vec<Mention>]) -> Vec<Statement> {
    // People across the event.
    let mut people = People::default();
    for (s, ms) in corpus.sentences.iter().zip(found) {
        for m in ms {
            people.note_in(&s.text, m);
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
    group(occurrences)
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
    let sents = corpus.doc_sentences(d);
    let mut out = Vec::new();
    let mut last_speaker: Option<(String, usize)> = None; // name, paragraph
    let mut focus: Option<String> = None;
    let mut names_here: Vec<String> = Vec::new();
    let mut names_seen: FxHashSet<String> = FxHashSet::default();
    let mut running_on = false;
    let mut last_when: Option<(When, usize)> = None; // time, paragraph
    // The time the article's lead puts the news at ("said on Tuesday"): the default for
    // statements with no time nearer.
    let lead_when: Option<When> = sents
        .iter()
        .filter(|s| s.paragraph < 3)
        .flat_map(|s| {
            expressions(&s.text)
                .into_iter()
                .map(move |e| resolve(&e, &s.text, article_date))
        })
        .find(|w| !after_article(w, article_date));
    for (p, para) in doc.clean.paragraphs.iter().enumerate() {
        let para_sents: Vec<&Sentence> = sents.iter().filter(|s| s.paragraph == p).collect();
        let spans = quote_spans(para);
        // The sentence each quote opens in (quotes before any sentence go with the first).
        let opens_in = |q: &Span| {
            para_sents
                .iter()
                .rposition(|s| s.span.start <= q.outer.start)
                .unwrap_or(0)
        };
        let mut next_running = false;
        if last_when.as_ref().is_some_and(|(_, lp)| p > lp + 1) {
            last_when = None;
        }
        let mut qi = 0;
        let mut prev_in_para: Option<String> = None;
        for si in 0..para_sents.len().max(1) {
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
                if n_words < 2 {
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
                let after = if q.runs_on {
                    ""
                } else {
                    &para[q.outer.end..after_end]
                };
                let partial = words(before, 0).len() >= 2;
                // Time of the statement: in the sentence (outside the quote), else the
                // nearest earlier mention in the article.
                let sentence_text = &para[before_start..after_end];
                let here: Option<When> = expressions(sentence_text)
                    .into_iter()
                    .filter(|e| {
                        let abs = before_start + e.span.start;
                        !(q.inner.start <= abs && abs < q.inner.end)
                    })
                    .map(|e| resolve(&e, sentence_text, article_date))
                    .find(|w| !after_article(w, article_date));
                let when = here
                    .or_else(|| last_when.as_ref().map(|x| x.0.clone()))
                    .or_else(|| lead_when.clone());
                let starts_paragraph = para[..q.outer.start].trim().is_empty();
                let (said_by, speaker_name, how) = match attribute(before, after) {
                    // A lone capitalized word is a person only if it ends a full name seen in
                    // the event or carries a title ("Police said", "Officials said" and
                    // sentence-case remnants are not people).
                    Some(SpeakerRef::Name(m))
                        if m.words().len() >= 2
                            || m.title.is_some()
                            || people.is_person(&m.name) =>
                    {
                        (
                            Some(m.name.clone()),
                            Some(m.name.clone()),
                            Attribution::Named,
                        )
                    }
                    Some(SpeakerRef::Name(m)) => {
                        (Some(m.name.clone()), None, Attribution::Unattributed)
                    }
                    Some(SpeakerRef::Pronoun(pr)) => {
                        (Some(pr), focus.clone(), Attribution::Pronoun)
                    }
                    Some(SpeakerRef::Role(r)) => {
                        let who = people.by_role(&r, &names_here).or_else(|| focus.clone());
                        (Some(r), who, Attribution::Role)
                    }
                    // `"...," Trump said. "We may be at an all time low."`
                    None if words(before, 0).is_empty() && prev_in_para.is_some() => {
                        (None, prev_in_para.clone(), Attribution::Continuation)
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
                if let Some(n) = &speaker_name {
                    last_speaker = Some((n.clone(), p));
                    focus = Some(n.clone());
                    attributed_here = true;
                }
                prev_in_para.clone_from(&speaker_name);
                out.push(QuoteOccurrence {
                    article: doc.id.clone(),
                    outlet: outlet.clone(),
                    text,
                    said_by,
                    speaker: speaker_name.as_deref().map(|n| people.canonical(n)),
                    attribution: how,
                    partial: partial && !q.runs_on && n_words < 40,
                    when,
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
                }
                if !attributed_here {
                    // The subject: a person named before the sentence's first verb-like
                    // lowercase word run, i.e. among the first few words.
                    let lead_words = words(&s.text, 0);
                    let limit = lead_words.get(6).map_or(s.text.len(), |w| w.0);
                    match ms.iter().find(|m| m.span.start < limit) {
                        Some(m) if m.words().len() >= 2 || people.is_person(&m.name) => {
                            focus = Some(m.name.clone())
                        }
                        // A name we cannot place ("Shirvani came to Nazran"): whoever "he"
                        // is next, it is not the person before.
                        Some(m)
                            if m.span.start == 0 || s.text[..m.span.start].trim().is_empty() =>
                        {
                            focus = None
                        }
                        _ => {}
                    }
                }
                // The time in view: the last past time mentioned, for one paragraph more.
                if let Some(w) = expressions(&s.text)
                    .into_iter()
                    .map(|e| resolve(&e, &s.text, article_date))
                    .rfind(|w| !after_article(w, article_date))
                {
                    last_when = Some((w, p));
                }
            }
        }
        running_on = next_running;
    }
    out
}

/// Groups occurrences into statements (see the module documentation).
fn group(occ: Vec<QuoteOccurrence>) -> Vec<Statement> {
    let mut analyzer = Analyzer::new();
    let speakers: Vec<Option<String>> = occ.iter().map(|o| o.speaker.clone()).collect();
    let terms: Vec<Vec<u32>> = occ
        .iter()
        .map(|o| {
            let mut t: Vec<u32> = analyzer
                .terms(&o.text)
                .into_iter()
                .filter(|t| !t.stop)
                .map(|t| t.id)
                .collect();
            t.sort_unstable();
            t.dedup();
            t
        })
        .collect();
    let norm: Vec<String> = occ.iter().map(|o| normalized(&o.text)).collect();
    let n = occ.len();
    let mut groups = Groups::new(n);
    // Candidate pairs, strongest first: the same speaker (or one side unattributed, with
    // near-identical words) and overlapping words.
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let unattributed = speakers[i].is_none() || speakers[j].is_none();
            if !unattributed && speakers[i] != speakers[j] {
                continue;
            }
            let (a, b) = (&terms[i], &terms[j]);
            let shared = a.iter().filter(|t| b.binary_search(t).is_ok()).count();
            let shorter = a.len().min(b.len());
            if shorter == 0 {
                continue;
            }
            let substring = (norm[i].contains(&norm[j]) || norm[j].contains(&norm[i]))
                && norm[i].len().min(norm[j].len()) >= 12;
            let share = shared as f32 / shorter as f32;
            let same_words = if unattributed {
                share >= 0.8 && shared >= 5
            } else {
                share >= 0.7 && shared >= 3
            };
            if substring || same_words {
                // A headline's quote and its article's are the same statement before any other.
                let same_article = if occ[i].doc == occ[j].doc { 0.5 } else { 0.0 };
                pairs.push((same_article + if substring { 1.0 } else { share }, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // Merge unless the groups would hold two speakers or two times that disagree.
    let mut group_speaker: Vec<Option<String>> = speakers.clone();
    let mut group_whens: Vec<Vec<When>> = occ
        .iter()
        .map(|o| o.when.iter().cloned().collect())
        .collect();
    for (_, i, j) in pairs {
        let (ri, rj) = (groups.root(i), groups.root(j));
        if ri == rj {
            continue;
        }
        let speakers_agree = match (&group_speaker[ri], &group_speaker[rj]) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        let times_agree = group_whens[ri]
            .iter()
            .all(|x| group_whens[rj].iter().all(|y| x.compatible(y)));
        if speakers_agree && times_agree {
            groups.join(ri, rj);
            if group_speaker[ri].is_none() {
                group_speaker[ri] = group_speaker[rj].take();
            }
            let moved = std::mem::take(&mut group_whens[rj]);
            group_whens[ri].extend(moved);
        }
    }
    let members = groups.members();
    let mut occ: Vec<Option<QuoteOccurrence>> = occ.into_iter().map(Some).collect();
    let mut out: Vec<Statement> = members
        .into_iter()
        .map(|g| {
            let speaker = group_speaker[groups.root(g[0])].clone();
            let members: Vec<QuoteOccurrence> = g.iter().filter_map(|&i| occ[i].take()).collect();
            let text = members
                .iter()
                .map(|m| m.text.clone())
                .max_by_key(|t| t.len())
                .unwrap_or_default();
            let mut outlets: Vec<String> = Vec::new();
            for m in &members {
                if !outlets.contains(&m.outlet) {
                    outlets.push(m.outlet.clone());
                }
            }
            let when = members
                .iter()
                .find_map(|m| m.when.as_ref().map(When::label));
            Statement {
                speaker,
                text,
                outlets,
                when,
                occurrences: members,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.outlets
            .len()
            .cmp(&a.outlets.len())
            .then(b.speaker.is_some().cmp(&a.speaker.is_some()))
    });
    out
}

/// Lowercase letters and digits with single spaces: for substring tests between quotes.
fn normalized(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w.to_lowercase());
    }
    out
}
