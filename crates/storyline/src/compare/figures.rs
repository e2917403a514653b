//! Figures: the numbers outlets report, what they count, and whether they agree.
//!
//! A figure is a number (digits, `1.5 million`, number words from three up, `dozens`,
//! `hundreds`) with its hedge (`at least 87`, `more than 80`, `nearly 2,000`, `up to 10`) and
//! what it counts: the noun after it (`87 civilians`) and the predicate around it (`killed`,
//! `were injured`, `death toll rose to`). Calendar numbers (years, days of dates), clock
//! times, ordinals and numbers inside names are not figures.
//!
//! Each figure is read as an interval of the values it allows. An exact number allows what
//! rounds to it (`300,000` is 250,000–350,000; `87` is 86.5–87.5); `at least`/`more than`
//! open the top, `up to`/`fewer than` the bottom, `nearly`/`almost` allow a little below,
//! `about`/`some`/`an estimated` a fifth either way. Two figures can both be true when their
//! intervals meet.
//!
//! Figures of the event are grouped into quantities: same predicate (casualty words are one
//! class: `killed`, `dead`, `death toll`, `died`), compatible counted nouns, and values
//! within a factor of three (the 87 killed in an attack and the 320,000 killed in a war are
//! two quantities); measures (years, miles), figures without a predicate and different
//! counted nouns also need another content word in common between the two sentences. A
//! quantity whose figures cannot all be true is a conflict when the articles are of the same
//! day (or undated); across days it is an update (a toll that rose, a figure revised),
//! reported as such.

use chrono::NaiveDate;
use serde::Serialize;
use storyline_text::stem::porter_stem;

use super::Groups;
use super::timeline::{expressions, is_month};
use crate::corpus::{Corpus, DocIx};

/// How a figure is hedged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hedge {
    /// The number as stated.
    Exact,
    /// `at least`, `more than`, `over`, `N or more`.
    AtLeast,
    /// `up to`, `as many as`, `fewer than`, `under`.
    AtMost,
    /// `nearly`, `almost`, `close to`.
    Nearly,
    /// `about`, `around`, `some`, `roughly`, `an estimated`.
    About,
    /// `dozens`, `hundreds`, `thousands`.
    Vague,
}

/// One number in one article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The article.
    pub article: String,
    /// Its outlet.
    pub outlet: String,
    /// The figure as written, hedge included ("at least 87 civilians").
    pub text: String,
    /// The number.
    pub value: f64,
    /// Its hedge.
    pub hedge: Hedge,
    /// Lowest value it allows.
    pub low: f64,
    /// Highest value it allows (`f64::INFINITY`: no upper bound).
    #[serde(serialize_with = "finite_or_null")]
    pub high: f64,
    /// What is counted ("civilians"), if a noun follows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What happened to them ("killed"), if the sentence says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
    /// The article's date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    #[serde(skip)]
    pub(crate) doc: DocIx,
    /// Index of the sentence in the corpus.
    #[serde(skip)]
    pub sentence: usize,
    /// Byte range of the figure (hedge included) in the sentence.
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
    /// Stems that say what the number is (unit or predicate), for grouping.
    #[serde(skip)]
    key: Key,
}

fn finite_or_null<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(*v)
    } else {
        s.serialize_none()
    }
}

/// What a figure counts, for grouping: the predicate class or stem, and the unit stem.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Key {
    predicate: Option<String>,
    unit: Option<String>,
    /// Content stems of the rest of the sentence, sorted.
    context: Vec<String>,
}

/// How the figures of a quantity relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// Every figure allows a common value.
    Consistent,
    /// The figures differ between articles of different days (a count that changed).
    Updated,
    /// Some figures cannot both be true.
    Conflict,
}

/// One quantity of the event as the outlets report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    /// What is counted, in words ("killed: civilians, people").
    pub what: String,
    /// How the figures relate.
    pub agreement: Agreement,
    /// Outlets reporting it.
    pub outlets: Vec<String>,
    /// Every figure.
    pub figures: Vec<Figure>,
}

/// Casualty and similar predicate classes (closed class, Porter stems → class name).
const PREDICATE_CLASSES: &[(&str, &[&str])] = &[
    (
        "killed",
        &[
            "kill", "dead", "death", "die", "toll", "fatal", "live", "bodi", "murder", "massacr",
            "slain", "perish",
        ],
    ),
    ("injured", &["injur", "wound", "hurt", "hospit"]),
    ("missing", &["miss"]),
    (
        "displaced",
        &["displac", "fled", "flee", "homeless", "refuge", "evacu"],
    ),
    ("arrested", &["arrest", "detain", "detent", "custodi"]),
    ("rescued", &["rescu", "save", "surviv"]),
];

/// Auxiliaries between a counted noun and its participle ("87 people were killed").
const AUXILIARIES: &[&str] = &[
    "were",
    "was",
    "have",
    "has",
    "had",
    "been",
    "be",
    "are",
    "is",
    "being",
    "reportedly",
    "reported",
    "believed",
    "thought",
    "confirmed",
    "feared",
    "now",
    "already",
];

/// Words either side of a figure that make its context.
const CONTEXT_WORDS: usize = 4;

/// Time units: a number before one is a duration (kept; its unit names it).
const CALENDAR_WORDS: &[&str] = &[
    "a.m", "p.m", "am", "pm", "gmt", "utc", "bst", "est", "edt", "pst", "o'clock",
];

const SMALL: &[(&str, f64)] = &[
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("dozen", 12.0),
];

const UNITS_DIGIT: &[(&str, f64)] = &[("two", 2.0), ("one", 1.0)];

const SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("m", 1e6),
    ("bn", 1e9),
    ("k", 1e3),
];

/// A word of the sentence with byte offsets; punctuation trimmed except inside numbers.
#[derive(Debug, Clone)]
struct W<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    lower: String,
    /// Punctuation right after the word (before the next word).
    gap_after: &'a str,
}

fn words(s: &str) -> Vec<W<'_>> {
    let mut raw: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        let sep = c.is_whitespace() || c == '\u{2014}';
        if sep {
            if let Some(st) = start.take() {
                raw.push((st, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for &(st, en) in &raw {
        let w = &s[st..en];
        // Keep a leading currency sign; trim other punctuation.
        let lead = w.len()
            - w.trim_start_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '$' | '£' | '€'))
                .len();
        let trimmed = w[lead..].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '%');
        if !trimmed.chars().any(char::is_alphanumeric) {
            continue;
        }
        kept.push((st + lead, st + lead + trimmed.len()));
    }
    // What lies between two kept words (spaces, punctuation, dropped symbols) is the gap.
    kept.iter()
        .enumerate()
        .map(|(k, &(a, b))| {
            let next = kept.get(k + 1).map_or(s.len(), |x| x.0);
            W {
                start: a,
                end: b,
                text: &s[a..b],
                lower: s[a..b].to_lowercase(),
                gap_after: &s[b..next],
            }
        })
        .collect()
}

/// Parses a digit string: `87`, `320,000`, `1.5`, `$2.3`, `45%`. Returns the value and
/// whether it is a currency amount or a percentage.
fn parse_digits(w: &str) -> Option<(f64, bool, bool)> {
    let money = w.starts_with(['$', '£', '€']);
    let t = w.trim_start_matches(['$', '£', '€']);
    let percent = t.ends_with('%');
    let t = t.trim_end_matches('%');
    if t.is_empty() || !t.chars().next()?.is_ascii_digit() {
        return None;
    }
    // Grouped thousands must be well formed: 1,234,567.
    if t.contains(',') {
        let mut parts = t.split(',');
        let head = parts.next()?;
        if head.is_empty()
            || head.len() > 3
            || !parts.all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
    }
    let clean: String = t.chars().filter(|&c| c != ',').collect();
    if !clean.chars().all(|c| c.is_ascii_digit() || c == '.') || clean.matches('.').count() > 1 {
        return None;
    }
    clean.parse::<f64>().ok().map(|v| (v, money, percent))
}

fn word_value(w: &str) -> Option<f64> {
    if let Some((a, b)) = w.split_once('-') {
        // "twenty-five"
        let tens = SMALL.iter().find(|(n, _)| *n == a).map(|x| x.1)?;
        let ones = SMALL
            .iter()
            .chain(UNITS_DIGIT)
            .find(|(n, _)| *n == b)
            .map(|x| x.1)?;
        return (tens >= 20.0 && ones < 10.0).then_some(tens + ones);
    }
    SMALL.iter().find(|(n, _)| *n == w).map(|x| x.1)
}

/// The rounding step of an exact number: `300,000` → 100,000; `87` → 1; `1.5` → 0.1.
fn rounding_step(written: &str, value: f64) -> f64 {
    let digits: String = written
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if let Some((_, frac)) = digits.split_once('.') {
        return 10f64.powi(-(frac.len() as i32));
    }
    let trailing_zeros = digits.chars().rev().take_while(|&c| c == '0').count();
    if value == 0.0 {
        1.0
    } else {
        10f64.powi(trailing_zeros as i32)
    }
}

fn interval(value: f64, hedge: Hedge, step: f64) -> (f64, f64) {
    match hedge {
        // A rounded number allows half a step either way, but never more than 15 % below or above.
        Hedge::Exact => {
            let slack = (step / 2.0).min(value * 0.15).max(0.5_f64.min(step / 2.0));
            (value - slack, value + slack)
        }
        Hedge::AtLeast => (value, f64::INFINITY),
        Hedge::AtMost => (0.0, value),
        Hedge::Nearly => (value * 0.85, value),
        Hedge::About => (value * 0.8, value * 1.2),
        Hedge::Vague => (value, value * 10.0 - 1.0),
    }
}

/// Hedge words right before a number (lowercase, in reading order) → the hedge and how
/// many words it takes.
fn hedge_before(ws: &[W<'_>], i: usize) -> Option<(Hedge, usize)> {
    let w = |k: usize| i.checked_sub(k).map(|j| ws[j].lower.as_str());
    let two = (w(2), w(1));
    let h = match two {
        (Some("at"), Some("least")) => (Hedge::AtLeast, 2),
        (Some("more" | "greater"), Some("than")) => (Hedge::AtLeast, 2),
        (Some("upwards"), Some("of")) => (Hedge::AtLeast, 2),
        (Some("in"), Some("excess")) => (Hedge::AtLeast, 2),
        (Some("up"), Some("to")) => (Hedge::AtMost, 2),
        (Some("as"), Some("many")) => (Hedge::AtMost, 2),
        (Some("fewer" | "less"), Some("than")) => (Hedge::AtMost, 2),
        (Some("close"), Some("to")) => (Hedge::Nearly, 2),
        (Some("an"), Some("estimated")) => (Hedge::About, 2),
        _ => match w(1) {
            Some("over" | "exceeding" | "surpassed" | "topped") => (Hedge::AtLeast, 1),
            Some("under" | "below") => (Hedge::AtMost, 1),
            Some("nearly" | "almost") => (Hedge::Nearly, 1),
            Some(
                "about" | "around" | "some" | "roughly" | "approximately" | "approx" | "estimated"
                | "circa" | "perhaps" | "maybe",
            ) => (Hedge::About, 1),
            _ => return None,
        },
    };
    // "as many as": the third word.
    if h.0 == Hedge::AtMost && two == (Some("as"), Some("many")) {
        return (w(3) == Some("as"))
            .then_some((Hedge::AtMost, 3))
            .or(Some((Hedge::AtMost, 2)));
    }
    Some(h)
}

/// The predicate class of a stem, or `None` for an open-class word.
fn predicate_class(stem: &str) -> Option<&'static str> {
    PREDICATE_CLASSES
        .iter()
        .find(|(_, stems)| stems.iter().any(|s| stem.starts_with(s)))
        .map(|(c, _)| *c)
}

fn stem(w: &str) -> String {
    porter_stem(&w.to_lowercase()).into_owned()
}

/// Is this word a content word that can be counted or be a predicate? (Words, not URLs,
/// handles or codes.)
fn is_content(w: &W<'_>) -> bool {
    w.text.chars().any(char::is_alphabetic)
        && w.text
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '\u{2019}')
        && !storyline_text::stopwords::is_stopword(&w.lower)
}

fn digits_has_decimal(w: &str) -> bool {
    w.contains('.')
}

/// A figure found in a sentence, before it is placed in its article.
#[derive(Debug)]
struct Found {
    span: std::ops::Range<usize>,
    value: f64,
    hedge: Hedge,
    unit: Option<String>,
    predicate: Option<String>,
    key: Key,
}

/// The figures of one sentence.
fn sentence_figures(text: &str) -> Vec<Found> {
    let ws = words(text);
    // Byte ranges of dates ("April 4", "12 April 2017", "March 2011"): not figures.
    let dates: Vec<std::ops::Range<usize>> =
        expressions(text).into_iter().map(|e| e.span).collect();
    let in_date = |w: &W<'_>| dates.iter().any(|d| d.start <= w.start && w.end <= d.end);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let w = &ws[i];
        // A number, possibly with a scale word ("1.5 million") or a hyphenated unit ("13-year-old").
        let (mut value, money, percent, digits) = if let Some((v, m, p)) = parse_digits(w.text) {
            // "$ 2,791" (tokenized text): the sign is a word of its own.
            (
                v,
                m || text[..w.start].trim_end().ends_with(['$', '£', '€']),
                p,
                true,
            )
        } else if let Some((head, _)) = w
            .lower
            .split_once('-')
            .filter(|(h, _)| h.chars().all(|c| c.is_ascii_digit()) && !h.is_empty())
        {
            (head.parse::<f64>().unwrap_or(0.0), false, false, true)
        } else if w.lower == "two"
            && ws
                .get(i + 1)
                .is_some_and(|n| w.gap_after.trim().is_empty() && is_content(n))
            && i.checked_sub(1).is_none_or(|k| {
                !matches!(
                    ws[k].lower.as_str(),
                    "the" | "these" | "those" | "both" | "all" | "their" | "our" | "his" | "her"
                )
            })
        {
            // "two people", "two areas" (but not "the two men": a reference back).
            (2.0, false, false, false)
        } else if let Some(v) = word_value(&w.lower).or_else(|| {
            w.lower.split_once('-').and_then(|(h, _)| {
                word_value(h).or_else(|| UNITS_DIGIT.iter().find(|(n, _)| *n == h).map(|x| x.1))
            })
        }) {
            (v, false, false, false)
        } else if matches!(
            w.lower.as_str(),
            "dozens" | "hundreds" | "thousands" | "millions" | "scores"
        ) {
            let v = match w.lower.as_str() {
                "dozens" => 24.0,
                "scores" => 40.0,
                "hundreds" => 200.0,
                "thousands" => 2000.0,
                _ => 2e6,
            };
            (v, false, false, false)
        } else {
            i += 1;
            continue;
        };
        let vague = matches!(
            w.lower.as_str(),
            "dozens" | "hundreds" | "thousands" | "millions" | "scores"
        );
        // Indefinite amounts ("thousands of civilians") are not figures to compare.
        if vague {
            i += 1;
            continue;
        }
        // Not figures: dates, years, clock times, ordinals, numbers glued to letters (G7, F-16).
        let prev = i.checked_sub(1).map(|k| &ws[k]);
        let next = ws.get(i + 1);
        let year_like = digits
            && !w.text.contains([',', '.'])
            && (1900.0..=2100.0).contains(&value)
            && !percent
            && !money;
        let glued = w.text.chars().any(char::is_alphabetic) && digits && !w.lower.contains('-');
        let clock = next.is_some_and(|n| CALENDAR_WORDS.contains(&n.lower.trim_end_matches('.')))
            || w.text.contains(':');
        // "Terminal 2", "Local 14", "Berth 4": a number right after a capitalized word.
        let in_name = prev.is_some_and(|p| {
            p.text.chars().next().is_some_and(char::is_uppercase)
                && !is_sentence_start(text, p)
                && p.gap_after.trim().is_empty()
                && !is_content_lower(p)
                && !is_month(&p.lower)
        });
        // A capitalized number word inside a sentence belongs to a name ("Group of Seven").
        let named = !digits
            && w.text.chars().next().is_some_and(char::is_uppercase)
            && !is_sentence_start(text, w);
        if in_date(w) || year_like || glued || clock || in_name || named {
            i += 1;
            continue;
        }
        // Scale words: "1.5 million", "two thousand".
        let mut end = i;
        if let Some(n) = next
            && let Some((_, scale)) = SCALES.iter().find(|(s, _)| *s == n.lower)
        {
            value *= scale;
            end = i + 1;
        }
        let mut hedge = if vague { Hedge::Vague } else { Hedge::Exact };
        let mut start = i;
        if let Some((h, n)) = hedge_before(&ws, i) {
            hedge = h;
            start = i - n;
        }
        // "87 or more", "80-plus".
        if ws.get(end + 1).map(|x| x.lower.as_str()) == Some("or")
            && ws.get(end + 2).map(|x| x.lower.as_str()) == Some("more")
        {
            hedge = Hedge::AtLeast;
            end += 2;
        }
        // The counted noun: the word after the number (skipping adjectives is beyond a
        // closed-class rule; the first content word within two words is taken).
        let mut unit: Option<(usize, String)> = None;
        if money {
            unit = Some((end, "money".to_string()));
        } else if percent
            || ws
                .get(end + 1)
                .is_some_and(|n| matches!(n.lower.as_str(), "percent" | "per"))
        {
            unit = Some((end, "percent".to_string()));
        } else if let Some(rest) = w
            .lower
            .split_once('-')
            .map(|(_, r)| r.to_string())
            .filter(|r| !r.is_empty())
        {
            // "13-year-old" is an age; "six-year", "two-hour": the compound's head.
            let head = rest.split('-').next().unwrap_or("").to_string();
            let age = rest.ends_with("old") || rest.ends_with("olds");
            unit = Some((end, if age { "age".to_string() } else { head }));
        } else if !digits_has_decimal(w.text)
            && value < 120.0
            && w.gap_after.trim() == ","
            && i.checked_sub(1).is_some_and(|k| {
                ws[k].gap_after.trim() == ","
                    && ws[k].text.chars().next().is_some_and(char::is_uppercase)
            })
        {
            // "Liberty German, 14, and ...": an age in apposition.
            unit = Some((end, "age".to_string()));
        } else if ws[end].gap_after.trim().is_empty() {
            // The head of the noun phrase after the number: "four Russian apartment
            // bombings" counts bombings; a measure ends it ("12 miles south").
            let mut k = end + 1;
            while k < ws.len() && k <= end + 3 && is_content(&ws[k]) {
                let st = stem(&ws[k].lower);
                if unit.is_some() && predicate_class(&st).is_some() {
                    break;
                }
                unit = Some((k, ws[k].lower.clone()));
                if is_measure(&st)
                    || predicate_class(&st).is_some()
                    || !ws[k].gap_after.trim().is_empty()
                {
                    break;
                }
                k += 1;
            }
        }
        // The predicate: a closed-class word around the figure (a participle after the
        // counted noun, the verb or noun before the hedge), else an open-class participle
        // after the noun ("87 people were evacuated").
        let mut predicate: Option<String> = None;
        let after_from = unit.as_ref().map_or(end + 1, |(k, _)| k + 1);
        if let Some((_, u)) = &unit
            && let Some(c) = predicate_class(&stem(u))
        {
            predicate = Some(c.to_string());
        }
        // Right before the number: "killed at least 87", "injured 203".
        if predicate.is_none()
            && start > 0
            && ws[start - 1].gap_after.trim().is_empty()
            && let Some(c) = predicate_class(&stem(&ws[start - 1].lower))
        {
            predicate = Some(c.to_string());
        }
        if predicate.is_none() {
            let mut k = after_from;
            let mut seen_aux = false;
            while k < ws.len() && k < after_from + 5 {
                let x = &ws[k];
                if let Some(c) = predicate_class(&stem(&x.lower)) {
                    // "a 5.7 earthquake killed 13": an active verb with its own object does
                    // not say what the first number counts.
                    let object_follows = ws.get(k + 1).is_some_and(|n| {
                        x.gap_after.trim().is_empty()
                            && (n.text.chars().next().is_some_and(|c| c.is_ascii_digit())
                                || matches!(
                                    n.lower.as_str(),
                                    "at" | "more"
                                        | "about"
                                        | "some"
                                        | "over"
                                        | "nearly"
                                        | "almost"
                                        | "a"
                                        | "an"
                                        | "the"
                                        | "up"
                                        | "as"
                                        | "dozens"
                                        | "hundreds"
                                        | "thousands"
                                        | "his"
                                        | "her"
                                        | "their"
                                        | "two"
                                        | "three"
                                        | "four"
                                        | "five"
                                        | "six"
                                        | "seven"
                                        | "eight"
                                        | "nine"
                                        | "ten"
                                ))
                    });
                    if !object_follows {
                        predicate = Some(c.to_string());
                    }
                    break;
                }
                if AUXILIARIES.contains(&x.lower.as_str()) {
                    seen_aux = true;
                } else if seen_aux && x.lower.ends_with("ed") && is_content(x) {
                    predicate = Some(stem(&x.lower));
                    break;
                } else if !matches!(x.lower.as_str(), "in" | "of" | "from" | "including") {
                    break;
                }
                if !x.gap_after.trim().is_empty() {
                    break;
                }
                k += 1;
            }
        }
        let duration = unit.as_ref().is_some_and(|(_, u)| is_measure(&stem(u)));
        if predicate.is_none() && !duration {
            // Before: "killed at least 87", "killing more than 80", "death toll rose to 87".
            let mut k = start;
            let mut steps = 0;
            while k > 0 && steps < 4 {
                k -= 1;
                steps += 1;
                let x = &ws[k];
                if !x.gap_after.trim().is_empty() && !x.gap_after.trim().chars().all(|c| c == '-') {
                    break;
                }
                if let Some(c) = predicate_class(&stem(&x.lower)) {
                    predicate = Some(c.to_string());
                    break;
                }
            }
        }
        let unit_text = unit.as_ref().map(|(_, u)| u.clone());
        // The content words around the figure (and its counted noun) tell which quantity it
        // is: "sentenced to 12 years in prison" and "spent nearly three years in custody"
        // are two quantities of one unit.
        let last = unit.as_ref().map_or(end, |(k, _)| (*k).max(end));
        let window = start.saturating_sub(CONTEXT_WORDS)..(last + 1 + CONTEXT_WORDS).min(ws.len());
        let mut context: Vec<String> = ws[window]
            .iter()
            .filter(|x| !(ws[i].start <= x.start && x.end <= ws[end].end))
            .filter(|x| is_content(x) && !x.text.chars().any(|c| c.is_ascii_digit()))
            .map(|x| stem(&x.lower))
            .filter(|st| predicate_class(st).is_none() && !is_measure(st))
            .collect();
        context.sort_unstable();
        context.dedup();
        let key = Key {
            predicate: predicate.clone(),
            unit: unit_text.as_deref().map(|u| {
                if u == "money" || u == "percent" {
                    u.to_string()
                } else {
                    stem(u)
                }
            }),
            context,
        };
        let span_end = unit
            .as_ref()
            .filter(|(k, _)| *k <= end + 2)
            .map_or(ws[end].end, |(k, _)| ws[*k].end.max(ws[end].end));
        out.push(Found {
            span: ws[start].start..span_end,
            value,
            hedge,
            unit: unit_text,
            predicate,
            key,
        });
        i = end + 1;
    }
    out
}

fn is_sentence_start(text: &str, w: &W<'_>) -> bool {
    text[..w.start].trim().is_empty()
}

fn is_content_lower(w: &W<'_>) -> bool {
    storyline_text::stopwords::is_stopword(&w.lower)
}

/// Every figure of the corpus (copies of other articles skipped).
pub fn figures(corpus: &Corpus) -> Vec<Figure> {
    let mut out = Vec::new();
    for (si, s) in corpus.sentences.iter().enumerate() {
        let doc = &corpus.docs[s.doc];
        if doc.copy_of.is_some() {
            continue;
        }
        for Found {
            span,
            value,
            hedge,
            unit,
            predicate,
            key,
        } in sentence_figures(&s.text)
        {
            let (low, high) = interval_for(&s.text[span.clone()], value, hedge);
            out.push(Figure {
                article: doc.id.clone(),
                outlet: corpus.outlets[doc.outlet].clone(),
                text: s.text[span.clone()].to_string(),
                value,
                hedge,
                low,
                high,
                unit,
                predicate,
                date: doc.date.map(|t| t.date()),
                doc: s.doc,
                sentence: si,
                span,
                key,
            });
        }
    }
    out
}

/// The interval of a figure from its text (the number's rounding step read from the digits).
fn interval_for(text: &str, value: f64, hedge: Hedge) -> (f64, f64) {
    let number = text
        .split_whitespace()
        .find_map(|w| parse_digits(w.trim_end_matches([',', '.'])))
        .map(|x| x.0);
    let step = match number {
        Some(n) if n > 0.0 => {
            let written = text
                .split_whitespace()
                .find(|w| parse_digits(w.trim_end_matches([',', '.'])).is_some())
                .unwrap_or("");
            rounding_step(written, n) * (value / n)
        }
        _ => 1.0,
    };
    interval(value, hedge, step)
}

/// Can two figures count the same thing? The same predicate (casualty words are one class)
/// and the same counted noun are enough; otherwise (a noun on one side only, different
/// nouns, measures such as years or miles, no predicate) the sentences must also share a
/// content word besides.
fn same_key(a: &Key, b: &Key) -> bool {
    let shared_context = || a.context.iter().any(|w| b.context.binary_search(w).is_ok());
    // Measures (heights, durations, distances) of one event are many: two words in common.
    let shared_two = || {
        a.context
            .iter()
            .filter(|w| b.context.binary_search(w).is_ok())
            .count()
            >= 2
    };
    match (&a.predicate, &b.predicate) {
        (Some(x), Some(y)) if x != y => false,
        (Some(_), Some(_)) => match (&a.unit, &b.unit) {
            (Some(u), Some(v)) if u == v && !is_measure(u) => true,
            (Some(u), Some(v)) if is_measure(u) || is_measure(v) => u == v && shared_two(),
            _ => shared_context(),
        },
        // Without a predicate on both sides, the counted nouns must be the same.
        _ => {
            a.unit.is_some()
                && a.unit == b.unit
                && if a.unit.as_deref().is_some_and(is_measure) {
                    shared_two()
                } else {
                    shared_context()
                }
        }
    }
}

/// Units that measure rather than count people or things.
fn is_measure(u: &str) -> bool {
    matches!(
        u,
        "money"
            | "percent"
            | "year"
            | "month"
            | "week"
            | "dai"
            | "day"
            | "hour"
            | "minut"
            | "mile"
            | "kilomet"
            | "km"
            | "meter"
            | "metr"
            | "ton"
            | "tonn"
            | "dollar"
            | "euro"
            | "pound"
            | "magnitud"
            | "foot"
            | "feet"
            | "inch"
            | "acr"
            | "hectar"
            | "kilogram"
            | "kg"
            | "degre"
            | "second"
    )
}

/// The quantities worth showing: reported by two or more outlets, or in conflict;
/// conflicts first, then the most reported.
pub fn quantities(figs: Vec<Figure>) -> Vec<Quantity> {
    let mut out: Vec<Quantity> = group_all(figs)
        .into_iter()
        .filter(|q| q.outlets.len() >= 2 || q.agreement == Agreement::Conflict)
        .collect();
    out.sort_by(|a, b| {
        (b.agreement == Agreement::Conflict)
            .cmp(&(a.agreement == Agreement::Conflict))
            .then(b.outlets.len().cmp(&a.outlets.len()))
    });
    out
}

/// Groups every figure into quantities (see the module documentation), singletons included,
/// in reading order.
pub fn group_all(figs: Vec<Figure>) -> Vec<Quantity> {
    let n = figs.len();
    let mut groups = Groups::new(n);
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&figs[i], &figs[j]);
            if a.doc == b.doc
                || !same_key(&a.key, &b.key)
                || a.key.predicate.is_none() && a.key.unit.is_none()
            {
                continue;
            }
            let (lo, hi) = (a.value.min(b.value), a.value.max(b.value));
            if lo <= 0.0 || hi / lo > 3.0 {
                continue;
            }
            groups.join(i, j);
        }
    }
    let mut figs: Vec<Option<Figure>> = figs.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for members in groups.members() {
        let fs: Vec<Figure> = members.iter().filter_map(|&i| figs[i].take()).collect();
        let mut outlets: Vec<String> = Vec::new();
        for f in &fs {
            if !outlets.contains(&f.outlet) {
                outlets.push(f.outlet.clone());
            }
        }
        let agreement = agreement(&fs);
        let what = describe(&fs);
        out.push(Quantity {
            what,
            agreement,
            outlets,
            figures: fs,
        });
    }
    out
}

/// Consistent, updated or in conflict (see the module documentation).
fn agreement(fs: &[Figure]) -> Agreement {
    let meet = |a: &Figure, b: &Figure| a.low <= b.high && b.low <= a.high;
    let mut conflict = false;
    let mut update = false;
    for (i, a) in fs.iter().enumerate() {
        // An article does not contradict itself: its figures are of different things.
        for b in fs[i + 1..].iter().filter(|b| b.doc != a.doc) {
            if meet(a, b) {
                continue;
            }
            // Articles of different days may report a count as it changed (a toll that
            // rose, a figure revised): that is an update, not a conflict.
            match (a.date, b.date) {
                (Some(x), Some(y)) if x != y => update = true,
                _ => conflict = true,
            }
        }
    }
    if conflict {
        Agreement::Conflict
    } else if update {
        Agreement::Updated
    } else {
        Agreement::Consistent
    }
}

/// A few words for what the figures count: the predicate and the counted nouns.
fn describe(fs: &[Figure]) -> String {
    // One written form per stem ("year" and "years" are one unit).
    let mut units: Vec<&str> = Vec::new();
    let mut stems: Vec<String> = Vec::new();
    for f in fs {
        if let Some(u) = f.unit.as_deref() {
            let st = stem(u);
            if !stems.contains(&st) {
                stems.push(st);
                units.push(u);
            }
        }
    }
    let predicate = fs.iter().find_map(|f| f.predicate.as_deref());
    match (predicate, units.is_empty()) {
        (Some(p), true) => p.to_string(),
        (Some(p), false) => format!("{p}: {}", units.join(", ")),
        (None, _) => units.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Seen = (String, f64, Hedge, Option<String>, Option<String>);

    fn found(s: &str) -> Vec<Seen> {
        sentence_figures(s)
            .into_iter()
            .map(|f| (s[f.span].to_string(), f.value, f.hedge, f.unit, f.predicate))
            .collect()
    }

    #[test]
    fn reads_numbers_hedges_units_and_predicates() {
        let f = found("The blast killed at least 87 civilians in the town on April 4, 2017.");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].0, "at least 87 civilians");
        assert_eq!((f[0].1, f[0].2), (87.0, Hedge::AtLeast));
        assert_eq!(f[0].4.as_deref(), Some("killed"));
        let f = found("More than 320,000 people have been killed since March 2011.");
        assert_eq!(
            (f[0].1, f[0].2, f[0].4.as_deref()),
            (320_000.0, Hedge::AtLeast, Some("killed"))
        );
        let f = found("After a two-hour meeting, they left.");
        assert_eq!(
            (f[0].0.as_str(), f[0].1, f[0].3.as_deref()),
            ("two-hour", 2.0, Some("hour"))
        );
        let f = found("Officials said 1.5 million people were displaced and some 40 were injured.");
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(
            (f[0].1, f[0].4.as_deref()),
            (1_500_000.0, Some("displaced"))
        );
        assert_eq!(
            (f[1].1, f[1].2, f[1].4.as_deref()),
            (40.0, Hedge::About, Some("injured"))
        );
    }

    #[test]
    fn skips_years_dates_times_and_names() {
        assert!(
            found("In 2011, the G7 met at 10:30 on 12 April 2017 with President Trump.").is_empty()
        );
        assert!(found("He served in the 101st Airborne.").is_empty());
    }

    #[test]
    fn intervals_follow_hedges_and_rounding() {
        let (lo, hi) = interval_for("300,000", 300_000.0, Hedge::Exact);
        assert!(lo <= 260_000.0 && hi >= 340_000.0, "{lo} {hi}");
        let (lo, hi) = interval_for("87", 87.0, Hedge::Exact);
        assert!(lo > 86.0 && hi < 88.0);
        let (lo, hi) = interval_for("1.5 million", 1_500_000.0, Hedge::Exact);
        assert!(lo >= 1_400_000.0 && hi <= 1_600_000.0, "{lo} {hi}");
    }
}
