//! Figures: the numbers outlets report, what they count, and whether they agree.
//!
//! A figure is a number (digits, `1.5 million`, number words from three up, `dozens`,
//! `hundreds`) with its hedge (`at least 87`, `more than 80`, `nearly 2,000`, `up to 10`),
//! what it counts (the noun after it: `87 civilians`; `percent`, money, a unit of time or
//! size) and the predicate around it (`killed`, `were injured`, `death toll rose to`).
//! Calendar numbers (years, days of dates), clock times, time windows (`the past 20
//! years`, `two days later`), the period of an amount of money (`$800 billion over 10
//! years`), the base of a rate (`1 in 2,000 children`), ordinals, indefinite amounts
//! (`several hundred`) and numbers inside names are not figures. An age belongs to the person named beside it.
//!
//! Each figure is read as an interval of the values it allows. An exact number allows what
//! rounds to it (`300,000` is 250,000–350,000; `87` is 86.5–87.5); `at least`/`more than`
//! open the top, `up to`/`fewer than` the bottom, `nearly`/`almost` allow a little below,
//! `about`/`some`/`an estimated` a fifth either way. Two figures can both be true when their
//! intervals meet.
//!
//! Figures of the event are grouped into quantities: the same kind of measure (a count,
//! money, a rate, a length of time...), the same predicate (casualty words are one class:
//! `killed`, `dead`, `death toll`, `died`), the same counted noun (or one named in the
//! other's phrase: `dockworkers` and `members of the International Dockworkers Union`),
//! values within a factor of three, and content words in common around them besides the
//! counted noun (the same count of the same noun with nothing else in common: articles of
//! the same week, or most of a sentence in common). A figure joins a quantity only if it is
//! linked to at least half of the quantity's figures from other articles (average linkage),
//! so one chance match does not chain it in. Figures that cannot both be true need more: the same predicate and noun, or two content words in
//! common. An age is grouped only with the same person's; an offer or a demand (`had
//! offered a 2.5 percent raise`) only with another; a whole (`47 of the 125 seats`) only
//! with a whole. A quantity whose figures cannot all be true is a conflict when the
//! articles are of the same day (or undated) and neither presents its figure as a change
//! (`rose to`, `revised`); otherwise it is an update (a toll that rose, a figure revised).
//! Each quantity is labelled with what it counts, in the articles' own words ([`label`]).

mod label;

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
    /// `between 300 and 400`, `330 to 510`, `three or four`.
    Range,
}

/// What kind of number a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// People or things counted ("87 civilians").
    Count,
    /// An amount of money.
    Money,
    /// A percentage.
    Percent,
    /// A length of time ("12 days", "three-year").
    Duration,
    /// Another unit: distance, weight, magnitude...
    Size,
    /// How often ("stabbed 49 times").
    Times,
    /// A person's age.
    Age,
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
    /// What kind of number it is.
    pub measure: Measure,
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
    /// What it counts or measures, in the article's words ("container ships waiting at
    /// anchor", "yearly raise"), if the sentence says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
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

impl Figure {
    /// A value unlikely to come up by chance: a decimal ("3.5", "$1.2 million") or a
    /// number with several significant digits ("1,180").
    fn text_value_is_distinctive(&self) -> bool {
        let digits: String = self
            .text
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
            .filter(|c| *c != ',')
            .collect();
        let digits = digits.trim_end_matches('.');
        let significant = digits.trim_end_matches('0').len();
        digits.contains('.') || significant >= 3 || significant >= 2 && digits.len() >= 4
    }
}

fn finite_or_null<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(*v)
    } else {
        s.serialize_none()
    }
}

/// What a figure counts, for grouping: the predicate class or stem, and the unit stem.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    measure: Measure,
    predicate: Option<String>,
    unit: Option<String>,
    /// Stems of the counted noun phrase and its `of` phrase, sorted ("member", "union",
    /// "dockwork").
    unit_words: Vec<String>,
    /// Content stems near the figure, sorted.
    context: Vec<String>,
    /// Content terms of the whole sentence (the corpus' analysis), sorted.
    sentence: Vec<u32>,
    /// The person an age belongs to (the last word of the name, folded).
    person: Option<String>,
    /// An offer, a demand or a proposal rather than a fact ("had offered a 2.5 percent raise").
    proposal: bool,
    /// The whole of a part ("47 of the 125 seats").
    whole: bool,
    /// Presented as a change ("rose to 15", "revised the toll to").
    change: bool,
    /// Where a running count starts ("since Sunday"), or that it is the latest batch.
    tally: Option<Tally>,
    /// A vote or a score as written ("6-3"): one only with the same score.
    score: Option<String>,
    /// Of a distance, the capitalized words near it (names of places, people, things),
    /// lowercased, sorted; empty for other figures.
    places: Vec<String>,
}

/// The start of a running count. "More than 300 arrested since Sunday" and "702 arrested
/// since May" are two counts of the arrested; so are "another 187 detained" and "a total of
/// 187 arrested since May".
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tally {
    /// "since Sunday", "since May", "since March 2011": the year and the day or month
    /// name given (lowercased).
    Since {
        year: Option<u32>,
        name: Option<String>,
    },
    /// "another 187", "in the latest sweep": a batch, not the total.
    Latest,
}

impl Tally {
    /// Do two tallies start differently? Only what both give is compared ("since 2011" and
    /// "since March 2011" may be one start).
    fn differs(&self, other: &Tally) -> bool {
        match (self, other) {
            (Tally::Latest, Tally::Latest) => false,
            (Tally::Since { year: y, name: n }, Tally::Since { year: z, name: m }) => {
                matches!((y, z), (Some(a), Some(b)) if a != b)
                    || matches!((n, m), (Some(a), Some(b)) if a != b)
            }
            _ => true,
        }
    }
}

/// Do two figures count from different starts?
fn tallies_differ(a: &Key, b: &Key) -> bool {
    matches!((&a.tally, &b.tally), (Some(p), Some(q)) if p.differs(q))
}

/// Words either side of a figure read for its [`Tally`].
const TALLY_WORDS: usize = 8;

/// The [`Tally`] of the figure at `start..=last`, read in its stretch of the sentence.
fn tally(ws: &[W<'_>], start: usize, last: usize) -> Option<Tally> {
    let stretch = start.saturating_sub(TALLY_WORDS)..(last + 1 + TALLY_WORDS).min(ws.len());
    let year = |w: &W<'_>| {
        w.lower
            .parse::<u32>()
            .ok()
            .filter(|y| w.lower.len() == 4 && (1900..2100).contains(y))
    };
    // A day or a month; "May" and the abbreviations only capitalized ("since may" is rare).
    let name = |w: &W<'_>| {
        let short = super::timeline::is_month_abbreviation_or_may(w.lower.trim_end_matches('.'));
        let capital = w.text.starts_with(|c: char| c.is_uppercase());
        (super::timeline::is_calendar_name(&w.lower) || short && capital)
            .then(|| w.lower.trim_end_matches('.').to_string())
    };
    let since = stretch.clone().find_map(|k| {
        if ws[k].lower != "since" {
            return None;
        }
        let (first, second) = (ws.get(k + 1)?, ws.get(k + 2));
        let (year, name) = match (year(first), name(first)) {
            (Some(y), _) => (Some(y), None),
            (None, Some(n)) => (second.and_then(year), Some(n)),
            (None, None) => return None,
        };
        Some(Tally::Since { year, name })
    });
    since.or_else(|| {
        let another = start
            .checked_sub(1)
            .is_some_and(|k| ws[k].lower == "another");
        let latest = stretch.clone().any(|k| ws[k].lower == "latest");
        (another || latest).then_some(Tally::Latest)
    })
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
    /// What is counted, in the articles' words ("civilians killed", "yearly raise").
    pub what: String,
    /// How the figures relate.
    pub agreement: Agreement,
    /// Outlets reporting it.
    pub outlets: Vec<String>,
    /// Every figure.
    pub figures: Vec<Figure>,
    /// `what` comes from the articles' words around the figures (not only their unit).
    #[serde(skip)]
    labelled: bool,
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

/// Number words from three up ("one" and "two" are read only where they count something).
/// A `match` rather than a table: every word of every sentence is looked up.
fn small(w: &str) -> Option<f64> {
    Some(match w {
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        "dozen" => 12.0,
        _ => return None,
    })
}

const UNITS_DIGIT: &[(&str, f64)] = &[("two", 2.0), ("one", 1.0)];

const SCALES: &[(&str, f64)] = &[
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
    ("m", 1e6),
    ("bn", 1e9),
    ("k", 1e3),
    ("dozen", 12.0),
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
        // "U.S.": an abbreviation keeps its last period (it is not the end of a phrase).
        let len = if trimmed.chars().any(|c| c == '.')
            && !trimmed.chars().any(|c| c.is_ascii_digit())
            && w[lead + trimmed.len()..].starts_with('.')
        {
            trimmed.len() + 1
        } else {
            trimmed.len()
        };
        kept.push((st + lead, st + lead + len));
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

/// Words that follow a person's name as its verb and end in no "-ed" (nor are speech verbs
/// or auxiliaries): "the 82-year-old Butler spoke".
const AFTER_A_NAME: &[&str] = &[
    "came", "faces", "gave", "left", "lost", "made", "says", "spoke", "told", "took", "went",
    "who", "won",
];

/// "13", "7.4": digits with at most one decimal point inside (the head of "7.4-magnitude").
fn is_decimal(h: &str) -> bool {
    h.starts_with(|c: char| c.is_ascii_digit())
        && h.ends_with(|c: char| c.is_ascii_digit())
        && h.chars().all(|c| c.is_ascii_digit() || c == '.')
        && h.matches('.').count() <= 1
}

/// "6-3", "5-4": a vote or a score (not "11-14" after a month, a phone number nor a span
/// of years).
fn is_score(w: &str) -> bool {
    let short = |p: &str| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit());
    w.split_once('-').is_some_and(|(a, b)| short(a) && short(b))
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
        let tens = small(a)?;
        let ones = small(b).or_else(|| UNITS_DIGIT.iter().find(|(n, _)| *n == b).map(|x| x.1))?;
        return (tens >= 20.0 && ones < 10.0).then_some(tens + ones);
    }
    small(w)
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
            // Two exact neighbours ("2" and "3") do not meet at 2.5.
            let slack = slack * 0.999;
            (value - slack, value + slack)
        }
        Hedge::AtLeast => (value, f64::INFINITY),
        Hedge::AtMost => (0.0, value),
        Hedge::Nearly => (value * 0.85, value),
        Hedge::About => (value * 0.8, value * 1.2),
        Hedge::Vague => (value, value * 10.0 - 1.0),
        Hedge::Range => (value, value),
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

/// The predicate class of a (lowercase) word: "lives" lost are deaths, people "living"
/// somewhere are not.
fn word_class(w: &str) -> Option<&'static str> {
    if w.starts_with("liv") && w != "lives" {
        return None;
    }
    predicate_class(&stem(w))
}

/// The predicate class of a stem, or `None` for an open-class word.
fn predicate_class(stem: &str) -> Option<&'static str> {
    // "died", "dying": stems too short to match by prefix.
    if matches!(stem, "di" | "dy") {
        return Some("killed");
    }
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
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '\u{2019}' | '.'))
        && !w.text.starts_with('.')
        && !storyline_text::stopwords::is_stopword(&w.lower)
}

/// Words of time: a noun phrase stops before them ("two strikes last summer").
fn is_time_word(w: &str) -> bool {
    super::timeline::is_calendar_name(w)
        || matches!(
            w,
            "last"
                | "next"
                | "yesterday"
                | "today"
                | "tonight"
                | "tomorrow"
                | "morning"
                | "afternoon"
                | "evening"
                | "night"
                | "year"
                | "years"
                | "month"
                | "months"
                | "week"
                | "weeks"
                | "quarter"
                | "summer"
                | "winter"
                | "spring"
                | "autumn"
                | "weekend"
                | "ago"
                | "early"
                | "earlier"
                | "later"
        )
        || w.chars().all(|c| c.is_ascii_digit())
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
    label: Option<String>,
    /// The low end of a range (the value is its high end).
    low: Option<f64>,
    key: Key,
}

/// The figures of one sentence.
fn sentence_figures(text: &str) -> Vec<Found> {
    let ws = words(text);
    // Byte ranges of dates ("April 4", "12 April 2017", "March 2011"): not figures.
    // Found only for sentences with a number in them.
    let dates: std::cell::OnceCell<Vec<std::ops::Range<usize>>> = std::cell::OnceCell::new();
    let in_date = |w: &W<'_>| {
        dates
            .get_or_init(|| expressions(text).into_iter().map(|e| e.span).collect())
            .iter()
            .any(|d| d.start <= w.start && w.end <= d.end)
    };
    let mut out = Vec::new();
    // The first word and the low end of a range whose high end is at the given word.
    let mut range: Option<(usize, usize, f64)> = None;
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
        } else if let Some((head, _)) = w.lower.split_once('-').filter(|(h, _)| is_decimal(h)) {
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
        } else if w.lower == "one"
            && i.checked_sub(1).is_some_and(|k| {
                ws[k].gap_after.trim().is_empty()
                    && matches!(
                        predicate_class(&stem(&ws[k].lower)),
                        Some("killed" | "injured")
                    )
            })
            && ws
                .get(i + 1)
                .is_none_or(|n| !matches!(n.lower.as_str(), "of" | "another" | "other"))
        {
            // "killed one and injured more than 100", "wounded one person" (but not "killed
            // one of the guards": a part, not a count).
            (1.0, false, false, false)
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
        let prev = i.checked_sub(1).map(|k| &ws[k]);
        let next = ws.get(i + 1);
        // Indefinite amounts ("thousands of civilians", "several hundred people") are not
        // figures to compare.
        let indefinite = !digits
            && prev.is_some_and(|p| {
                matches!(
                    p.lower.as_str(),
                    "several" | "few" | "many" | "some" | "hundreds" | "thousands" | "tens"
                )
            })
            && matches!(w.lower.as_str(), "hundred" | "dozen")
            || !digits
                && next.is_some_and(|n| n.lower == "of")
                && matches!(w.lower.as_str(), "hundred" | "dozen");
        if vague || indefinite {
            i += 1;
            continue;
        }
        // Not figures: dates, years, clock times, ordinals, numbers glued to letters (G7, F-16).
        let year_like = digits
            && !w.text.contains([',', '.'])
            && (1900.0..=2100.0).contains(&value)
            && !percent
            && !money;
        let glued = w.text.chars().any(char::is_alphabetic) && digits && !w.lower.contains('-');
        // "10:30", "5: 30 p.m." (tokenized text), "9 a.m.".
        let clock = next.is_some_and(|n| CALENDAR_WORDS.contains(&n.lower.trim_end_matches('.')))
            || w.text.contains(':')
            || digits
                && w.gap_after.trim() == ":"
                && next.is_some_and(|n| {
                    n.text.len() == 2 && n.text.chars().all(|c| c.is_ascii_digit())
                });
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
        // "the No. 1 automaker": a rank.
        let rank = prev.is_some_and(|p| p.lower == "no" && p.gap_after.starts_with('.'));
        if in_date(w)
            || year_like
            || glued
            || clock
            || in_name
            || named
            || rank
            || time_window(&ws, i)
            || money_window(&ws, i)
            || rate_base(&ws, i)
        {
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
        // "over 6-year-old Elian": a preposition before an age, not a hedge.
        let age_compound = w.lower.ends_with("-old") || w.lower.ends_with("-olds");
        if let Some((h, n)) = hedge_before(&ws, i).filter(|_| !age_compound) {
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
        // A range: "between 300 and 400 homes", "330 to 510 feet", "three or four" (not
        // "from 12 to 15", a change, nor "voted 6 to 3", a tally).
        let between = start > 0 && ws[start - 1].lower == "between";
        if let Some(conn) = ws.get(end + 1)
            && (matches!(conn.lower.as_str(), "to" | "or") || conn.lower == "and" && between)
            && ws[end].gap_after.trim().trim_matches('-').is_empty()
            && conn.gap_after.trim().is_empty()
            && !(start > 0 && ws[start - 1].lower == "from")
            && let Some(high) = ws.get(end + 2).and_then(|x| leading_number(&x.lower))
        {
            // "1 to 2 million": the high end's scale is the low end's too.
            let scale = ws
                .get(end + 3)
                .and_then(|n| SCALES.iter().find(|(s, _)| *s == n.lower))
                .map_or(1.0, |x| x.1);
            let low = if end == i { value * scale } else { value };
            if high * scale > low {
                range = Some((end + 2, if between { start - 1 } else { start }, low));
                i = end + 2;
                continue;
            }
        }
        let mut low = None;
        if let Some((at, first, v)) = range.take()
            && at == i
            && v < value
        {
            start = first;
            hedge = Hedge::Range;
            low = Some(v);
        }
        // The counted noun: the word after the number (skipping adjectives is beyond a
        // closed-class rule; the first content word within two words is taken).
        let mut unit: Option<(usize, String)> = None;
        let mut person: Option<String> = None;
        let mut score: Option<String> = None;
        if money {
            unit = Some((end, "money".to_string()));
        } else if percent {
            unit = Some((end, "percent".to_string()));
        } else if let Some(n) = ws
            .get(end + 1)
            .filter(|n| matches!(n.lower.as_str(), "percent" | "per"))
        {
            // "3.5 percent", "3.5 per cent": the unit is part of the figure.
            let k = if n.lower == "per" && ws.get(end + 2).is_some_and(|c| c.lower == "cent") {
                end + 2
            } else {
                end + 1
            };
            unit = Some((k, "percent".to_string()));
        } else if let Some(rest) = w
            .lower
            .split_once('-')
            .map(|(_, r)| r.to_string())
            .filter(|r| !r.is_empty())
        {
            // "13-year-old" is an age; "six-year", "two-hour": the compound's head.
            let head = rest.split('-').next().unwrap_or("").to_string();
            let age = rest.ends_with("old") || rest.ends_with("olds");
            // "two-thirds": a share, as a percentage (and as loose as "about").
            let denominator = match head.as_str() {
                "half" | "halves" => 2.0,
                "third" | "thirds" => 3.0,
                "quarter" | "quarters" => 4.0,
                "fifth" | "fifths" => 5.0,
                "tenth" | "tenths" => 10.0,
                _ => 0.0,
            };
            // "four-tenths of a point" is a fraction of a unit, not a share.
            let of_a_unit = ws.get(end + 1).is_some_and(|n| n.lower == "of")
                && ws
                    .get(end + 2)
                    .is_some_and(|n| matches!(n.lower.as_str(), "a" | "an" | "one"));
            let denominator = if of_a_unit { 0.0 } else { denominator };
            if denominator > 0.0 && value < denominator {
                value = value / denominator * 100.0;
                if hedge == Hedge::Exact {
                    hedge = Hedge::About;
                }
            }
            if age {
                // "6-year-old Elian Gonzalez", "the 82-year-old Butler spoke": the name
                // after it; one word only if a verb or a clause's end follows it and it
                // does not read as a nationality ("the 39-year-old Jamaican was", "the
                // 18-year-old Columbine student" are no names).
                let one_word = |n: &str| {
                    let after = ws.get(end + 2);
                    let verb = ws[end + 1].gap_after.trim().is_empty()
                        && after.is_some_and(|a| {
                            a.lower.ends_with("ed")
                                || storyline_text::speech::is_speech_verb(&a.lower)
                                || AUXILIARIES.contains(&a.lower.as_str())
                                || AFTER_A_NAME.contains(&a.lower.as_str())
                        });
                    let ends = ws[end + 1].gap_after.trim().starts_with([',', '.', ';'])
                        || after.is_none();
                    let nationality = ["an", "ese", "ish", "i"]
                        .iter()
                        .any(|e| n.to_lowercase().ends_with(e));
                    (verb || ends) && !nationality
                };
                person = name_at(&ws, end + 1, 1)
                    .filter(|n| n.contains(' ') || one_word(n))
                    .or_else(|| {
                        // "its 28-year-old leader, Mario Dumont".
                        ws.get(end + 1)
                            .filter(|n| is_content(n) && n.gap_after.trim() == ",")
                            .and_then(|_| name_at(&ws, end + 2, 1))
                            .filter(|n| n.contains(' '))
                    });
            }
            let unit_name = match (age, head.as_str()) {
                _ if denominator > 0.0 && value <= 100.0 => "percent".to_string(),
                (true, "year") => "age".to_string(),
                // "a 6-month-old battle": an age in months is another measure.
                (true, _) => format!("{head}-old"),
                // "a 6-3 ruling", "a 5-4 vote": a score (its value the first number).
                (false, _) if is_score(&w.lower) && !prev.is_some_and(|p| is_month(&p.lower)) => {
                    score = Some(w.lower.clone());
                    "score".to_string()
                }
                (false, _) => head,
            };
            unit = Some((end, unit_name));
        } else if !digits_has_decimal(w.text)
            && value < 120.0
            && (matches!(w.gap_after.trim(), "," | "(" | ";" | ")") || i + 1 == ws.len())
            && i.checked_sub(1).is_some_and(|k| {
                ws[k].gap_after.trim() == ","
                    && ws[k].text.chars().next().is_some_and(char::is_uppercase)
            })
        {
            // "Liberty German, 14, and ...": an age in apposition.
            person = name_at(&ws, i - 1, -1);
            unit = Some((end, "age".to_string()));
        } else if prev.is_some_and(|p| p.lower == "magnitude" && p.gap_after.trim().is_empty()) {
            // "a magnitude 5.7 earthquake".
            unit = Some((i - 1, "magnitude".to_string()));
        } else if ws
            .get(end + 1)
            .is_some_and(|n| matches!(n.lower.as_str(), "years" | "year"))
            && ws.get(end + 2).is_some_and(|n| n.lower == "old")
            && ws[end].gap_after.trim().is_empty()
        {
            // "40 years old": an age.
            unit = Some((end + 2, "age".to_string()));
        } else if ws[end].gap_after.trim().is_empty() {
            // The head of the noun phrase after the number: "four Russian apartment
            // bombings" counts bombings; a measure ends it ("12 miles south").
            let mut k = end + 1;
            if ws.get(k).is_some_and(|x| x.lower == "others") {
                unit = Some((k, "others".to_string()));
                k = ws.len();
            }
            while k < ws.len() && k <= end + 4 && is_content(&ws[k]) {
                let st = stem(&ws[k].lower);
                if unit.is_some() && (predicate_class(&st).is_some() || ends_noun_phrase(&ws, k)) {
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
        let measure = measure_of(unit.as_ref().map(|(_, u)| u.as_str()));
        // The predicate: a closed-class word around the figure (a participle after the
        // counted noun, the verb or noun before the hedge), else an open-class participle
        // after the noun ("87 people were evacuated").
        let mut predicate: Option<String> = None;
        let after_from = unit.as_ref().map_or(end + 1, |(k, _)| k + 1);
        if let Some((_, u)) = &unit
            && let Some(c) = word_class(u)
        {
            predicate = Some(c.to_string());
        }
        // Right before the number: "killed at least 87", "injured 203".
        if predicate.is_none()
            && start > 0
            && ws[start - 1].gap_after.trim().is_empty()
            && let Some(c) = word_class(&ws[start - 1].lower)
        {
            predicate = Some(c.to_string());
        }
        if predicate.is_none() && measure != Measure::Age {
            let mut k = after_from;
            let mut seen_aux = false;
            while k < ws.len() && k < after_from + 5 {
                let x = &ws[k];
                if let Some(c) = word_class(&x.lower) {
                    // "a 5.7 earthquake killed 13": an active verb with its own object does
                    // not say what the first number counts.
                    let object_follows = ws.get(k + 1).is_some_and(|n| {
                        x.gap_after.trim().is_empty()
                            && (n.text.chars().next().is_some_and(|c| c.is_ascii_digit())
                                || OBJECT_STARTS.contains(&n.lower.as_str()))
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
                } else if !matches!(
                    x.lower.as_str(),
                    "in" | "of" | "from" | "including" | "who" | "that"
                ) {
                    break;
                }
                if !x.gap_after.trim().is_empty() {
                    break;
                }
                k += 1;
            }
        }
        let duration = unit.as_ref().is_some_and(|(_, u)| is_measure(&stem(u)));
        if predicate.is_none() && !duration && measure != Measure::Age {
            // Before: "killed at least 87", "killing more than 80", "death toll rose to 87".
            let mut k = start;
            let mut steps = 0;
            while k > 0 && steps < 6 {
                k -= 1;
                steps += 1;
                let x = &ws[k];
                if !x.gap_after.trim().is_empty() && !x.gap_after.trim().chars().all(|c| c == '-') {
                    break;
                }
                if let Some(c) = word_class(&x.lower) {
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
        let context_words = |range: std::ops::Range<usize>| {
            let mut v: Vec<String> = range
                .filter(|&k| !(i..=end).contains(&k))
                .map(|k| &ws[k])
                .filter(|x| is_content(x) && !x.text.chars().any(|c| c.is_ascii_digit()))
                .filter(|x| {
                    word_value(&x.lower).is_none() && !matches!(x.lower.as_str(), "one" | "two")
                })
                // "Atlanta-area": the compound and its parts ("Atlanta attacks").
                // (A possessive stays a word of its own: read as its noun, "the nation's
                // obesity rate" and "Georgia led the nation" would be one setting.)
                .flat_map(|x| {
                    let word = x.lower.as_str();
                    let parts = word.split('-').filter(|p| p.len() >= 3);
                    std::iter::once(word)
                        .chain(parts.filter(|_| word.contains('-')))
                        .map(stem)
                })
                .filter(|st| predicate_class(st).is_none() && !is_measure(st))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let context = context_words(window.clone());
        // Of a distance, the names near it ("Izmit, 60 miles east of Istanbul"), lowercased,
        // sorted (see `same_distance`).
        let distance = unit_text.as_deref().is_some_and(|u| is_distance(&stem(u)));
        let mut places: Vec<String> = window
            .filter(|_| distance)
            .filter(|&k| !(i..=end).contains(&k))
            .map(|k| &ws[k])
            .filter(|x| {
                x.text.starts_with(|c: char| c.is_uppercase())
                    && !is_sentence_start(text, x)
                    && is_content(x)
            })
            .map(|x| x.lower.clone())
            .collect();
        places.sort_unstable();
        places.dedup();
        // The counted noun phrase with its `of` phrase: "members of the International
        // Dockworkers Union" names dockworkers too.
        let mut unit_words: Vec<String> = Vec::new();
        if measure == Measure::Count
            && let Some((k, _)) = &unit
        {
            let mut to = k + 1;
            if ws.get(to).is_some_and(|x| x.lower == "of") && ws[*k].gap_after.trim().is_empty() {
                to = (to + 6).min(ws.len());
                for (j, x) in ws.iter().enumerate().take(to).skip(k + 1) {
                    if !ws[j - 1].gap_after.trim().is_empty() {
                        break;
                    }
                    if is_content(x) {
                        unit_words.push(stem(&x.lower));
                    }
                }
            }
            for x in &ws[end + 1..=*k] {
                if is_content(x) {
                    unit_words.push(stem(&x.lower));
                }
            }
            unit_words.sort_unstable();
            unit_words.dedup();
        }
        let label = label::label(&label::At {
            text,
            ws: &ws,
            start,
            end,
            unit: unit.as_ref().map(|(k, _)| *k),
            measure,
            predicate: predicate.as_deref(),
            person: person.clone(),
        });
        let key = Key {
            measure,
            predicate: predicate.clone(),
            // "192 injured", "12 dead": the noun is the predicate; people are counted.
            unit: unit_text
                .as_deref()
                .filter(|u| word_class(u).is_none())
                // "87 people killed" counts what "87 killed" counts.
                .filter(|u| !(is_generic_count(u) && predicate.as_deref().is_some_and(is_class)))
                // "a 5-4 vote": a tally, not a unit.
                .filter(|u| !u.chars().all(|c| c.is_ascii_digit()))
                .map(|u| {
                    if u == "money" || u == "percent" || u == "age" || u.ends_with("-old") {
                        u.to_string()
                    } else {
                        stem(u)
                    }
                }),
            unit_words,
            context,
            sentence: Vec::new(),
            person: person.as_deref().and_then(person_key),
            proposal: is_proposal(&ws, start),
            whole: is_whole(&ws, start),
            change: is_change(&ws, start, last),
            tally: tally(&ws, start, last),
            score,
            places,
        };
        let span_end = unit
            .as_ref()
            .filter(|(k, _)| *k <= end + 4)
            .map_or(ws[end].end, |(k, _)| ws[*k].end.max(ws[end].end));
        out.push(Found {
            span: ws[start].start..span_end,
            value,
            hedge,
            unit: unit_text,
            predicate,
            label,
            low,
            key,
        });
        i = end + 1;
    }
    out
}

/// Does the word at `k` start a verb phrase rather than continue a noun phrase? A
/// participle followed by a preposition or nothing ("ships waiting at anchor", "a vessel
/// operated by"), or a word followed by a determiner, a number or a hedge ("the agreement
/// gives roughly 1,200").
fn ends_noun_phrase(ws: &[W<'_>], k: usize) -> bool {
    let w = &ws[k];
    if w.text.chars().next().is_some_and(char::is_uppercase) {
        // A name is not a verb.
        return false;
    }
    if is_time_word(&w.lower) {
        return true;
    }
    let next = ws.get(k + 1).filter(|_| w.gap_after.trim().is_empty());
    // "12 others leave Cuba": a lower-case word before a name is a verb.
    if next.is_some_and(|n| {
        n.text.chars().next().is_some_and(char::is_uppercase) && !is_time_word(&n.lower)
    }) {
        return true;
    }
    let participle = w.lower.ends_with("ed") || w.lower.ends_with("ing");
    // "the crash gathered Friday", "the talks resumed Tuesday": a participle before a time
    // is the clause's verb.
    if participle && next.is_some_and(|n| is_time_word(&n.lower)) {
        return true;
    }
    let next_is_content = next.is_some_and(|n| is_content(n));
    let plural_before = k > 0 && {
        let p = &ws[k - 1].lower;
        p.ends_with('s') && !p.ends_with("ss")
    };
    // "athletes tested positive", "voters cast": a participle after a plural noun.
    if participle && plural_before {
        return true;
    }
    let takes_object = next.is_some_and(|n| {
        n.text.chars().next().is_some_and(|c| c.is_ascii_digit())
            || matches!(
                n.lower.as_str(),
                "a" | "an"
                    | "the"
                    | "roughly"
                    | "nearly"
                    | "almost"
                    | "its"
                    | "their"
                    | "his"
                    | "her"
            )
    });
    // "the contracts expire in": a word after a plural noun, before a preposition.
    let after_plural =
        plural_before && !w.lower.ends_with('s') && next.is_none_or(|n| !is_content(n));
    participle && !next_is_content || takes_object || after_plural
}

/// Words that start the object of an active verb ("killed at least 13").
const OBJECT_STARTS: &[&str] = &[
    "at",
    "more",
    "about",
    "some",
    "over",
    "nearly",
    "almost",
    "a",
    "an",
    "the",
    "up",
    "as",
    "dozens",
    "hundreds",
    "thousands",
    "his",
    "her",
    "their",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
];

/// Is this predicate one of the closed classes ("killed", "injured"...)?
fn is_class(p: &str) -> bool {
    PREDICATE_CLASSES.iter().any(|(c, _)| *c == p)
}

/// [`is_generic_count`] on a stem.
fn is_generic_count_stem(u: &str) -> bool {
    matches!(u, "peopl" | "person" | "other")
}

/// The number a word starts with: `330`, `20-mile`, `four`.
fn leading_number(lower: &str) -> Option<f64> {
    if let Some((v, _, _)) = parse_digits(lower) {
        return Some(v);
    }
    let head = lower.split('-').next().unwrap_or(lower);
    head.parse::<f64>()
        .ok()
        .or_else(|| word_value(lower))
        .or_else(|| word_value(head))
}

/// Nouns that count people without saying who they are.
fn is_generic_count(u: &str) -> bool {
    matches!(u, "people" | "persons" | "others" | "person")
}

/// Which kind of measure a unit is.
fn measure_of(unit: Option<&str>) -> Measure {
    let Some(u) = unit else {
        return Measure::Count;
    };
    match u {
        "money" => return Measure::Money,
        "percent" => return Measure::Percent,
        "age" => return Measure::Age,
        _ if u.ends_with("-old") => return Measure::Size,
        _ => {}
    }
    let st = stem(u);
    match st.as_str() {
        "year" | "month" | "week" | "dai" | "day" | "hour" | "minut" | "second" | "decad" => {
            Measure::Duration
        }
        "time" => Measure::Times,
        "dollar" | "euro" | "pound" | "peso" | "yen" | "rupe" | "yuan" | "franc" => Measure::Money,
        s if is_measure(s) => Measure::Size,
        _ => Measure::Count,
    }
}

/// A time window or a relative date rather than a figure: "the past 20 years", "the
/// first three months", "two days later", "six weeks ago".
fn time_window(ws: &[W<'_>], i: usize) -> bool {
    let is_time = |w: &W<'_>| {
        matches!(
            stem(&w.lower).as_str(),
            "year" | "month" | "week" | "dai" | "day" | "hour" | "minut" | "decad"
        )
    };
    let Some(unit) = ws.get(i + 1).filter(|u| is_time(u)) else {
        return false;
    };
    let _ = unit;
    let before = |k: usize| i.checked_sub(k).map(|j| ws[j].lower.as_str());
    // "the next three years" is a length of time to come, "four days after the accident"
    // a time between two happenings: both are figures.
    let window = matches!(before(1), Some("past" | "last" | "previous" | "recent"));
    let relative = matches!(
        ws.get(i + 2).map(|w| w.lower.as_str()),
        Some("ago" | "earlier" | "later")
    ) && ws[i + 1].gap_after.trim().is_empty();
    window || relative
}

/// Is the number at `i` the base of a rate ("1 in 2,000 children", "one in three
/// Americans", "2-3 in 1,000")? It counts no one: the rate is the figure, not its base.
fn rate_base(ws: &[W<'_>], i: usize) -> bool {
    i >= 2
        && ws[i - 1].lower == "in"
        && (matches!(ws[i - 2].lower.as_str(), "one" | "two")
            || leading_number(&ws[i - 2].lower).is_some_and(|v| v > 0.0 && v < 100.0))
}

/// Is the number at `i` the period of an amount of money ("$800 billion over 10 years",
/// "over the next five years, ... $150 billion", "a $483 billion, five-year tax cut")? The
/// period is how the money is counted, not a quantity of the event: plans of one topic
/// share their "10 years" by convention, not because they are one.
fn money_window(ws: &[W<'_>], i: usize) -> bool {
    let w = &ws[i];
    let compound = w
        .lower
        .split_once('-')
        .is_some_and(|(_, u)| matches!(u, "year" | "years" | "month" | "months"));
    let spelled = ws
        .get(i + 1)
        .is_some_and(|u| matches!(u.lower.as_str(), "year" | "years" | "month" | "months"));
    if !compound && !spelled {
        return false;
    }
    let money = |w: &W<'_>| w.text.starts_with('$') || w.lower == "dollars";
    let before = |k: usize| i.checked_sub(k).map(|j| ws[j].lower.as_str());
    let over = before(1) == Some("over")
        || before(3) == Some("over")
            && before(2) == Some("the")
            && matches!(before(1), Some("next" | "coming"));
    if over {
        return ws.iter().any(money);
    }
    // "$792 billion 10-year tax cut": the compound right after the amount.
    compound && (1..=3).any(|k| i.checked_sub(k).is_some_and(|j| money(&ws[j])))
}

/// The capitalized name at `k` (reading forward with `dir` 1, backward with -1), at most
/// three words, as written.
fn name_at(ws: &[W<'_>], k: usize, dir: i32) -> Option<String> {
    let capital = |w: &W<'_>| {
        w.text.chars().next().is_some_and(char::is_uppercase)
            && w.text
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '.'))
    };
    let mut parts: Vec<&str> = Vec::new();
    let mut j = k as i64;
    while parts.len() < 3 && j >= 0 && (j as usize) < ws.len() {
        let w = &ws[j as usize];
        if !capital(w) {
            break;
        }
        parts.push(w.text);
        // Within a name, words are separated by spaces only.
        let gap = if dir > 0 {
            w.gap_after
        } else if j > 0 {
            ws[j as usize - 1].gap_after
        } else {
            ""
        };
        if !gap.trim().is_empty() {
            break;
        }
        j += i64::from(dir);
    }
    if dir < 0 {
        parts.reverse();
    }
    // A title alone ("Mr.") or a lone sentence-initial word is not a name.
    let name = parts.join(" ");
    (!parts.is_empty() && !super::names::is_title_word(parts[parts.len() - 1])).then_some(name)
}

/// The key of a person's name: its last word (compared as names are: "Gonzales" and
/// "Gonzalez" are one).
fn person_key(name: &str) -> Option<String> {
    name.split_whitespace()
        .last()
        .map(|w| w.trim_end_matches(['.', ',']).to_string())
}

/// Is the figure starting at `start` offered, demanded or proposed rather than agreed or
/// done? ("had offered a 2.5 percent raise", "the union wants 4 percent")
fn is_proposal(ws: &[W<'_>], start: usize) -> bool {
    let mut k = start;
    let mut steps = 0;
    while k > 0 && steps < 5 {
        k -= 1;
        steps += 1;
        let w = &ws[k];
        if !w.gap_after.trim().is_empty() && k + 1 < start {
            break;
        }
        if matches!(
            stem(&w.lower).as_str(),
            "offer"
                | "propos"
                | "demand"
                | "want"
                | "sought"
                | "seek"
                | "request"
                | "bid"
                | "counteroff"
                | "ask"
        ) {
            return true;
        }
    }
    false
}

/// Is the figure a whole that another number is part of? ("47 of the 125 seats")
fn is_whole(ws: &[W<'_>], start: usize) -> bool {
    let l = |k: usize| start.checked_sub(k).map(|j| ws[j].lower.as_str());
    let number = |s: Option<&str>| {
        s.is_some_and(|s| {
            s.chars().next().is_some_and(|c| c.is_ascii_digit()) || word_value(s).is_some()
        })
    };
    (l(1) == Some("the") && l(2) == Some("of") && number(l(3)))
        || (l(1) == Some("of") && (number(l(2)) || l(2) == Some("out")))
}

/// Is the figure presented as a change? ("rose to 15", "the revised toll of 15", "now 15")
fn is_change(ws: &[W<'_>], start: usize, last: usize) -> bool {
    let changes = |w: &W<'_>| {
        matches!(
            stem(&w.lower).as_str(),
            "rose"
                | "risen"
                | "climb"
                | "increas"
                | "jump"
                | "revis"
                | "updat"
                | "rais"
                | "grew"
                | "grown"
                | "latest"
                | "now"
        )
    };
    let from = start.saturating_sub(4);
    ws[from..start].iter().any(changes)
        || ws[last + 1..(last + 4).min(ws.len())]
            .iter()
            .take_while(|w| !AUXILIARIES.contains(&w.lower.as_str()) || w.lower == "now")
            .any(|w| w.lower == "now")
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
        let sentence_terms: std::cell::OnceCell<Vec<u32>> = std::cell::OnceCell::new();
        for Found {
            span,
            value,
            hedge,
            unit,
            predicate,
            label,
            low: range_low,
            mut key,
        } in sentence_figures(&s.text)
        {
            key.sentence = sentence_terms
                .get_or_init(|| {
                    let vocab = corpus.analyzer.vocab();
                    let mut t: Vec<u32> = s
                        .content_terms()
                        .filter(|&id| !vocab.text(id).starts_with(|c: char| c.is_ascii_digit()))
                        .collect();
                    t.sort_unstable();
                    t.dedup();
                    t
                })
                .clone();
            let (low, high) = match range_low {
                Some(l) => (l, value),
                None => interval_for(&s.text[span.clone()], value, hedge),
            };
            out.push(Figure {
                article: doc.id.clone(),
                outlet: corpus.outlets[doc.outlet].clone(),
                text: s.text[span.clone()].to_string(),
                value,
                hedge,
                measure: key.measure,
                low,
                high,
                unit,
                predicate,
                label,
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

/// The number of a written word: without a trailing comma or period, and a compound's head
/// ("7.4-magnitude" → "7.4").
fn number_part(w: &str) -> &str {
    let w = w.trim_end_matches([',', '.']);
    match w.split_once('-') {
        Some((h, _)) if is_decimal(h) => h,
        _ => w,
    }
}

/// The interval of a figure from its text (the number's rounding step read from the digits).
fn interval_for(text: &str, value: f64, hedge: Hedge) -> (f64, f64) {
    let number = text
        .split_whitespace()
        .find_map(|w| parse_digits(number_part(w)))
        .map(|x| x.0);
    let step = match number {
        Some(n) if n > 0.0 => {
            let written = text
                .split_whitespace()
                .map(number_part)
                .find(|w| parse_digits(w).is_some())
                .unwrap_or("");
            rounding_step(written, n) * (value / n)
        }
        _ => 1.0,
    };
    interval(value, hedge, step)
}

/// How many context words two figures share, besides the noun both count (two "studies"
/// share their noun, not yet a context; "killing more than 80" near "civilians" does share
/// it with "87 civilians").
/// With `compounds`, a compound and its head count as one word ("earthquake", "quake"):
/// only for measures of one value, as "overnight" and "a single night" are no proof that 2
/// meters and 5 are one quantity, nor "homeschools" and "home schools" that three children
/// are the same three.
fn shared_context(a: &Key, b: &Key, compounds: bool) -> usize {
    a.context
        .iter()
        .filter(|w| {
            b.context.binary_search(w).is_ok()
                || compounds
                    && b.context
                        .iter()
                        .any(|v| compound_of(w, v) || compound_of(v, w))
        })
        .filter(|w| !(a.unit.as_ref() == Some(*w) && b.unit.as_ref() == Some(*w)))
        .count()
}

/// Is one stem a compound ending in the other ("earthquak" and "quak", "firebomb" and
/// "bomb")? The head names the same kind of thing.
fn compound_of(long: &str, head: &str) -> bool {
    head.len() >= 4 && long.len() > head.len() && long.ends_with(head)
}

/// Can two figures of different values be one quantity? Not weeks apart (a ban of
/// another athlete, a share of another year), unless they count what accumulates: the
/// killed, the injured, the arrested...
fn may_differ(a: &Figure, b: &Figure) -> bool {
    let class = |f: &Figure| f.key.predicate.as_deref().is_some_and(is_class);
    let weeks_apart = match (a.date, b.date) {
        (Some(p), Some(q)) => (p - q).num_days().abs() > 7,
        _ => false,
    };
    !weeks_apart || class(a) && class(b) || same_distance(a, b)
}

/// Is a unit's stem a distance ("mile", "kilomet", "km")?
fn is_distance(unit: &str) -> bool {
    matches!(unit, "mile" | "kilomet" | "km")
}

/// A distance between the same two named places ("Izmit, 90 miles east of Istanbul" and
/// "Izmit, 60 miles east of Istanbul") does not change with the weeks: two figures of it
/// cannot both be right. (One place is not enough: "25 kilometers south of Grozny" is a
/// cement plant, "40 kilometers south of Grozny" a town.)
fn same_distance(a: &Figure, b: &Figure) -> bool {
    let distance = |f: &Figure| f.key.unit.as_deref().is_some_and(is_distance);
    let shared = a
        .key
        .places
        .iter()
        .filter(|p| b.key.places.binary_search(p).is_ok())
        .count();
    distance(a) && distance(b) && shared >= 2
}

/// How many content words the sentences of two figures share.
fn shared_sentence(a: &Key, b: &Key) -> usize {
    a.sentence
        .iter()
        .filter(|w| b.sentence.binary_search(w).is_ok())
        .count()
}

/// Do two figures count the same noun? The same head, or (for counts) the head of one
/// named in the other's phrase ("dockworkers" and "members of the Dockworkers Union").
fn same_unit(a: &Key, b: &Key) -> bool {
    match (&a.unit, &b.unit) {
        (Some(u), Some(v)) if u == v => true,
        (Some(u), Some(v)) => {
            a.measure == Measure::Count
                && (a.unit_words.binary_search(v).is_ok() || b.unit_words.binary_search(u).is_ok())
        }
        _ => false,
    }
}

/// Can two figures of different articles be the same quantity? See the module
/// documentation: the same kind of measure and predicate, the same counted noun, values
/// within a factor of three and context in common; figures that cannot both be true need
/// the same predicate and noun, or two context words in common.
fn same_quantity(a: &Figure, b: &Figure) -> bool {
    let (x, y) = (&a.key, &b.key);
    if a.doc == b.doc
        || x.measure != y.measure
        || x.proposal != y.proposal
        || x.whole != y.whole
        || x.predicate.is_none() && x.unit.is_none()
        || y.predicate.is_none() && y.unit.is_none()
    {
        return false;
    }
    let (lo, hi) = (a.value.min(b.value), a.value.max(b.value));
    if lo <= 0.0 || hi / lo > 3.0 {
        return false;
    }
    if tallies_differ(x, y) || x.score != y.score {
        return false;
    }
    // An age is a person's: the same person, the same unit.
    if x.measure == Measure::Age {
        return x.unit == y.unit
            && match (&x.person, &y.person) {
                (Some(p), Some(q)) => super::names::same_name(p, q),
                _ => false,
            };
    }
    let meet = a.low <= b.high && b.low <= a.high;
    let shared = shared_context(x, y, false);
    let measured = x.measure != Measure::Count;
    let equal = a.value == b.value && a.hedge == b.hedge;
    let distinctive =
        a.value == b.value && a.text_value_is_distinctive() && b.text_value_is_distinctive();
    let same_predicate = match (&x.predicate, &y.predicate) {
        (Some(p), Some(q)) if p != q => return false,
        (Some(_), Some(_)) => true,
        _ => false,
    };
    // A casualty count and a count of something that did not happen to them ("10 others
    // died", "12 others left Cuba") are two quantities.
    if !measured && x.predicate.is_some() != y.predicate.is_some() {
        return false;
    }
    let unit = same_unit(x, y);
    // The same uncommon number ("18,802 civilians" and "18,802 Iraqis killed") of the same
    // noun, the same predicate, or people.
    let generic = |k: &Key| k.unit.as_deref().is_none_or(is_generic_count_stem);
    if distinctive && !measured && (unit || same_predicate || generic(x) || generic(y)) {
        return true;
    }
    // The same predicate and the same counted noun ("87 people killed"), or no noun on
    // either side ("killed 13", "13 dead") and the same context.
    let strong = same_predicate
        && !measured
        && match (&x.unit, &y.unit) {
            (Some(u), Some(v)) => u == v,
            (None, None) if meet => shared >= 1,
            // Counts that differ need the same setting: most of a sentence in common.
            (None, None) => shared >= 2 || shared_sentence(x, y) >= 3,
            _ => false,
        };
    if !meet {
        // An open-class predicate ("tested", "charged") is no proof of one quantity.
        let class = x.predicate.as_deref().is_some_and(is_class);
        return may_differ(a, b) && (strong && class || unit && shared >= 2);
    }
    if strong {
        return true;
    }
    if same_predicate && !measured && (x.unit.is_none() || y.unit.is_none() || !unit) {
        // "killed at least 87 civilians" and "killing more than 80".
        return shared >= 1;
    }
    // Measures (heights, durations, distances) of one event are many: two words in common,
    // or one and the same value ("3.5 percent", "about $2 billion").
    // Percentages of a topic are many and round ones recur ("20 percent"): the same value
    // eases the rule only when it is uncommon.
    let relaxed = equal && (x.measure != Measure::Percent || distinctive);
    // The same count of the same noun with nothing else near it in common ("35 cases",
    // "four Snake River dams" and "four dams") is one quantity in articles of the same
    // week (or undated); further apart it needs most of a sentence in common: a topic's
    // articles of months share many small counts of common nouns by chance ("two
    // studies", "seven children" of two families).
    // (A compound is a kind of thing, not a count: "an 18-wheeler", "a 24-page report".)
    let noun = |f: &Figure| f.text.trim().contains(char::is_whitespace);
    let same_week = noun(a)
        && noun(b)
        && match (a.date, b.date) {
            (Some(p), Some(q)) => (p - q).num_days().abs() <= 7,
            _ => true,
        };
    // Measures of one value: a compound and its head are one context word.
    let shared = if equal && measured {
        shared_context(x, y, true)
    } else {
        shared
    };
    unit && (shared >= if measured && !relaxed { 2 } else { 1 }
        || !measured && equal && (same_week || shared_sentence(x, y) >= 4))
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
            | "time"
    )
}

/// The quantities of an event worth showing ([`quantities`] of its [`figures`]). With
/// fewer than two articles (copies aside) there are none: a quantity needs two outlets, and
/// a conflict two articles. So single-article events, most events of a stream, read no
/// figures at all.
pub fn event_quantities(corpus: &Corpus) -> Vec<Quantity> {
    let articles = corpus.docs.iter().filter(|d| d.copy_of.is_none()).count();
    if articles < 2 {
        return Vec::new();
    }
    quantities(figures(corpus))
}

/// The quantities worth showing: reported by two or more outlets, or in conflict;
/// conflicts first, then the most reported. An age is shown only when the outlets give
/// different ones: the same age everywhere is background, not a figure to check.
pub fn quantities(figs: Vec<Figure>) -> Vec<Quantity> {
    let mut out: Vec<Quantity> = group_all(figs)
        .into_iter()
        .filter(|q| q.outlets.len() >= 2 || q.agreement == Agreement::Conflict)
        .filter(|q| {
            q.figures.first().is_none_or(|f| f.measure != Measure::Age)
                || q.agreement != Agreement::Consistent
        })
        // "percent", "days": a number whose label would only repeat its unit says nothing
        // a reader can use (unless outlets disagree on it).
        .filter(|q| {
            q.labelled
                || q.agreement == Agreement::Conflict
                || q.figures
                    .first()
                    .is_none_or(|f| f.measure == Measure::Count)
        })
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
    let meet = |a: &Figure, b: &Figure| a.low <= b.high && b.low <= a.high;
    // Pairs that can both be true first: they are the surer links.
    let mut pairs: Vec<(bool, usize, usize)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if same_quantity(&figs[i], &figs[j]) {
                pairs.push((!meet(&figs[i], &figs[j]), i, j));
            }
        }
    }
    pairs.sort_by_key(|p| p.0);
    let links: rustc_hash::FxHashSet<(usize, usize)> =
        pairs.iter().map(|&(_, i, j)| (i, j)).collect();
    let mut groups = Groups::new(n);
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    for (_, i, j) in pairs {
        let (ri, rj) = (groups.root(i), groups.root(j));
        if ri == rj {
            continue;
        }
        // One pass over the pairs across the two groups decides both tests.
        // No chain of links makes one quantity of two figures that cannot be one: two of an
        // article's own that cannot both be true, different values weeks apart (see
        // `may_differ`), or counts from different starts (see [`Tally`]).
        // And one link is not enough to join two groups: most of the pairs of articles
        // across them must be linked too (average linkage). A figure that matches one member
        // of a quantity by chance (the same "seven children" of another family) stays apart.
        let (mut clash, mut across, mut linked) = (false, 0usize, 0usize);
        'pairs: for &i in &members[ri] {
            for &j in &members[rj] {
                let (a, b) = (&figs[i], &figs[j]);
                if !meet(a, b) && (a.doc == b.doc || !may_differ(a, b))
                    || tallies_differ(&a.key, &b.key)
                {
                    clash = true;
                    break 'pairs;
                }
                if a.doc != b.doc {
                    across += 1;
                    linked += usize::from(links.contains(&(i.min(j), i.max(j))));
                }
            }
        }
        if clash || 2 * linked < across {
            continue;
        }
        groups.join(ri, rj);
        let moved = std::mem::take(&mut members[rj]);
        members[ri].extend(moved);
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
        let (what, labelled) = match label_of(&fs) {
            Some(l) => (l, true),
            None => (describe(&fs), false),
        };
        out.push(Quantity {
            what,
            agreement,
            outlets,
            figures: fs,
            labelled,
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
            // rose, a figure revised), and an article may say its figure is a change:
            // that is an update, not a conflict.
            // A size (a magnitude, a depth, a distance) does not change from one day to
            // the next unless an article says it was revised.
            match (a.date, b.date) {
                _ if a.key.change || b.key.change => update = true,
                (Some(x), Some(y)) if x != y && a.measure != Measure::Size => update = true,
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

/// Content stems of a label, for comparing labels.
fn label_stems(l: &str) -> Vec<String> {
    let mut v: Vec<String> = l
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty() && !storyline_text::stopwords::is_stopword(w))
        .map(|w| stem(&w))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// What the figures count, in the articles' words: of the figures' labels, the one whose
/// words most of the other figures' labels share (shorter first on a tie).
fn label_of(fs: &[Figure]) -> Option<String> {
    let labels: Vec<(&str, Vec<String>)> = fs
        .iter()
        .filter_map(|f| f.label.as_deref())
        .map(|l| (l, label_stems(l)))
        .collect();
    // Each figure's words: its label's and its context's.
    let words: Vec<Vec<String>> = fs
        .iter()
        .map(|f| {
            let mut w = f.label.as_deref().map(label_stems).unwrap_or_default();
            w.extend(f.key.context.iter().cloned());
            w.sort_unstable();
            w
        })
        .collect();
    let best = labels
        .iter()
        .map(|(l, st)| {
            // Each figure backs a label with up to two of its words.
            let support: usize = words
                .iter()
                .map(|o| {
                    let mut shared: Vec<&String> =
                        o.iter().filter(|w| st.binary_search(w).is_ok()).collect();
                    shared.dedup();
                    shared.len().min(2)
                })
                .sum();
            (support, std::cmp::Reverse(l.split_whitespace().count()), *l)
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    best.map(|(_, _, l)| l.to_string())
}

/// Without a label: the counted noun and the predicate, or what kind of number it is.
fn describe(fs: &[Figure]) -> String {
    // One written form per stem ("year" and "years" are one unit).
    let mut units: Vec<&str> = Vec::new();
    let mut stems: Vec<String> = Vec::new();
    for f in fs {
        if let Some(u) = f
            .unit
            .as_deref()
            .filter(|u| !matches!(*u, "money" | "percent"))
        {
            let st = stem(u);
            if !stems.contains(&st) {
                stems.push(st);
                units.push(u);
            }
        }
    }
    // A casualty class reads as a word ("killed"); another predicate is kept as a stem
    // ("consid" for "considered"), which no reader should see.
    let predicate = fs
        .iter()
        .find_map(|f| f.predicate.as_deref())
        .filter(|p| is_class(p));
    let kind = match fs.first().map(|f| f.measure) {
        Some(Measure::Money) => "an amount of money",
        Some(Measure::Percent) => "a percentage",
        Some(Measure::Age) => "an age",
        _ => "a number",
    };
    match (predicate, units.is_empty()) {
        (Some(p), true) => format!("people {p}"),
        (Some(p), false) => format!("{} {p}", units.join(", ")),
        (None, false) => units.join(", "),
        (None, true) => format!("{kind} (what it counts is not clear from the articles)"),
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
        assert!(found("They had been missing since 5: 30 p.m. monday.").is_empty());
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

    fn labels(s: &str) -> Vec<(String, Option<String>)> {
        sentence_figures(s)
            .into_iter()
            .map(|f| (s[f.span].to_string(), f.label))
            .collect()
    }

    #[test]
    fn a_label_says_what_is_counted_in_the_articles_words() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "By Wednesday, 12 container ships were waiting at anchor off the port.",
                "12 container ships",
                "container ships waiting at anchor",
            ),
            // A verb or a time after the counted phrase is not part of what is counted.
            (
                "Relatives of the 40 people killed in the ferry fire gathered Friday in Lund.",
                "40 people",
                "people killed in the ferry fire",
            ),
            (
                "The ministry issued tenders for 3,000 housing units early last July.",
                "3,000 housing units",
                "housing units",
            ),
            (
                "The 1,180 registered dockworkers who walked off the job will be back.",
                "1,180 registered dockworkers",
                "registered dockworkers who walked off the job",
            ),
            (
                "The deal gives roughly 1,200 members of the Harbour Workers Union a raise.",
                "roughly 1,200 members",
                "members of the Harbour Workers Union",
            ),
            (
                "The new contract gives them a 3.5 percent raise in each year.",
                "3.5 percent",
                "yearly raise",
            ),
            (
                "The contract raises wages by 3.5 percent a year.",
                "3.5 percent",
                "yearly rise in wages",
            ),
            (
                "The chamber put losses to local businesses at $25 million.",
                "$25 million",
                "losses to local businesses",
            ),
            (
                "The strike cost local businesses $40 million in lost trade.",
                "$40 million",
                "lost trade",
            ),
            (
                "Operators will pay $1.2 million into a new fund.",
                "$1.2 million",
                "new fund",
            ),
            (
                "They set up a $1.2 million safety training fund.",
                "$1.2 million",
                "safety training fund",
            ),
            (
                "The merger is a deal worth $2 billion.",
                "$2 billion",
                "value of the deal",
            ),
            (
                "Workers reached a deal to end a 12-day strike.",
                "12-day",
                "length of the strike",
            ),
            (
                "The blast killed at least 87 civilians in the town.",
                "at least 87 civilians",
                "civilians killed in the town",
            ),
            (
                "Its shares fell 14 percent on Tuesday.",
                "14 percent",
                "fall in shares",
            ),
            ("The death toll stood at 12 on Monday.", "12", "death toll"),
            (
                "Former team doctor Dorit Vance, 50, said she passed them on.",
                "50",
                "age of Dorit Vance",
            ),
            (
                "The custody fight over 6-year-old Elian Marquez went on.",
                "6-year-old",
                "age of Elian Marquez",
            ),
        ];
        for (sentence, text, label) in cases {
            let got = labels(sentence);
            let f = got
                .iter()
                .find(|(t, _)| t == text)
                .unwrap_or_else(|| panic!("{text:?} not found in {got:?}"));
            let want = (!label.is_empty()).then(|| label.to_string());
            assert_eq!(f.1, want, "{sentence}");
        }
    }

    #[test]
    fn time_windows_relative_dates_and_indefinite_amounts_are_not_figures() {
        assert!(found("The union has lost members over the past 20 years.").is_empty());
        assert!(
            found("Two days later, the talks resumed; six weeks ago they had failed.").is_empty()
        );
        assert!(found("He told a crowd of several hundred people that he was honored.").is_empty());
    }

    #[test]
    fn a_rate_base_and_the_period_of_money_are_not_figures() {
        // Written for this test: a rate and the period of a plan's cost.
        let rate = found("Until then the disorder was thought to afflict 1 in 2,000 children.");
        assert!(rate.iter().all(|f| !f.0.contains("2,000")), "{rate:?}");
        let rate = found("The survey found one in three adults could not swim.");
        assert!(rate.iter().all(|f| !f.0.contains("three")), "{rate:?}");
        let plan = found("The plan would cut taxes by $800 billion over 10 years.");
        assert_eq!(plan.len(), 1, "{plan:?}");
        assert!(plan[0].0.starts_with("$800 billion"), "{plan:?}");
        let cut = found("The House passed a $792 billion 10-year tax cut on Thursday.");
        assert_eq!(cut.len(), 1, "{cut:?}");
        let next = found("Over the next five years, the measure would set aside $150 billion.");
        assert_eq!(next.len(), 1, "{next:?}");
        // A length of time with no money is still a figure.
        assert_eq!(found("The strike lasted over 12 days.").len(), 1);
    }

    #[test]
    fn a_shared_noun_alone_does_not_make_one_quantity() {
        // Two different pairs of studies, months apart: the noun is all they share.
        let qs = grouped_dated(&[
            (
                "1999-04-01",
                "The drug works well against pain, according to two company studies unveiled today.",
            ),
            (
                "1999-11-03",
                "Two new studies, appearing Wednesday in a journal, show the fruit slows aging.",
            ),
        ]);
        assert!(qs.is_empty(), "{qs:#?}");
        // The same count of the same thing, in the same setting, still is.
        let q = one_quantity(
            (
                "2000-07-11",
                "The four Snake River dams block the salmon, environmentalists say.",
            ),
            (
                "2000-07-28",
                "Breaching the four dams on the Snake River would help the salmon, they say.",
            ),
        );
        assert_eq!(texts(&q), ["four Snake River dams", "four dams"]);
        // The same count of the same noun in the same week is one quantity; months apart,
        // with nothing else in common, it is not.
        let week = [
            "Inspectors found 35 cases at the warehouse on Monday.",
            "The company recalled 35 cases, a spokeswoman said.",
        ];
        let q = one_quantity(("2031-03-10", week[0]), ("2031-03-12", week[1]));
        assert_eq!(texts(&q), ["35 cases", "35 cases"]);
        let qs = grouped_dated(&[("2031-03-10", week[0]), ("2031-07-12", week[1])]);
        assert!(qs.is_empty(), "{qs:#?}");
    }

    #[test]
    fn one_link_does_not_join_a_figure_to_a_quantity() {
        // The last article's "seven children" are another family's: they share a word with
        // one article's figure, not with the quantity's.
        let qs = grouped_dated(&[
            (
                "2031-03-10",
                "Six of the Thampys' seven children in Houston are taught at home.",
            ),
            (
                "2031-03-11",
                "Six of the Thampys' seven children are taught at home, their mother said.",
            ),
            (
                "2031-03-12",
                "Six of the Thampys' seven children are taught at home by their mother.",
            ),
            (
                "2031-07-20",
                "The Orth couple in Houston has seven children.",
            ),
        ]);
        let q = qs
            .iter()
            .find(|q| q.figures.iter().any(|f| f.text.contains("seven")))
            .unwrap();
        assert_eq!(q.figures.len(), 3, "{qs:#?}");
        assert!(q.figures.iter().all(|f| f.article != "a3"), "{qs:#?}");
    }

    #[test]
    fn a_fraction_is_a_share() {
        let f = sentence_figures("Polls indicate two-thirds of Quebeckers don't want a vote.");
        assert_eq!(f.len(), 1);
        assert!((f[0].value - 66.67).abs() < 0.01, "{}", f[0].value);
        assert_eq!(f[0].key.measure, Measure::Percent);
        assert_eq!(f[0].label.as_deref(), Some("share of Quebeckers"));
        // People living somewhere are not a death toll.
        let f = found("About 1.4 million Indians living on reservations were counted.");
        assert_eq!(f[0].4, None, "{f:?}");
        let f = found("The rate fell four-tenths of a point, while 396,000 U.S. workers voted.");
        assert_eq!(f[0].3.as_deref(), Some("tenths"), "{f:?}");
        assert_eq!(f[1].0, "396,000 U.S. workers", "{f:?}");
    }

    #[test]
    fn the_unit_is_part_of_the_figure_text() {
        let f = found(
            "The deal gives a 3.5 percent raise and 2 per cent more leave to 200 National Guard members.",
        );
        let texts: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(
            texts,
            ["3.5 percent", "2 per cent", "200 National Guard members"]
        );
    }

    /// The quantities (two figures or more) of articles given as (date, text), one outlet
    /// each.
    fn grouped_dated(articles: &[(&str, &str)]) -> Vec<Quantity> {
        let articles: Vec<crate::Article> = articles
            .iter()
            .enumerate()
            .map(|(k, (date, text))| crate::Article {
                id: format!("a{k}"),
                title: format!("Report {k}"),
                text: text.to_string(),
                source: Some(format!("Outlet {k}")),
                url: None,
                date: crate::date::Timestamp::parse(date),
            })
            .collect();
        group_all(figures(&crate::Corpus::build(&articles)))
            .into_iter()
            .filter(|q| q.figures.len() > 1)
            .collect()
    }

    fn texts(q: &Quantity) -> Vec<&str> {
        q.figures.iter().map(|f| f.text.as_str()).collect()
    }

    /// The one quantity of two articles' figures, given as (date, text).
    fn one_quantity(a: (&str, &str), b: (&str, &str)) -> Quantity {
        let mut qs = grouped_dated(&[a, b]);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        qs.remove(0)
    }

    /// The quantities of articles given as texts, a day apart.
    fn grouped(texts: &[&str]) -> Vec<Quantity> {
        let dates: Vec<String> = (0..texts.len())
            .map(|k| format!("2031-03-{}", 10 + k))
            .collect();
        let articles: Vec<(&str, &str)> = dates
            .iter()
            .map(String::as_str)
            .zip(texts.iter().copied())
            .collect();
        grouped_dated(&articles)
    }

    /// The one quantity of articles given as texts, a day apart.
    fn one_of(texts: &[&str]) -> Quantity {
        let mut qs = grouped(texts);
        assert_eq!(qs.len(), 1, "{qs:#?}");
        qs.remove(0)
    }

    fn verdict(a: (&str, &str), b: (&str, &str)) -> Agreement {
        one_quantity(a, b).agreement
    }

    #[test]
    fn a_magnitude_written_as_a_compound_is_read_to_its_decimal() {
        let f = found("The death toll in the 6.3-magnitude quake rose again.");
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!((f[0].0.as_str(), f[0].1), ("6.3-magnitude", 6.3));
        let (lo, hi) = interval_for("6.3-magnitude", 6.3, Hedge::Exact);
        assert!(lo > 6.2 && hi < 6.4, "{lo} {hi}");
        // "quake" and "earthquake" are one context word.
        let q = one_of(&[
            "Rescuers dug through the night after the 6.3-magnitude quake hit the valley.",
            "Towns are struggling to recover from the powerful 6.3-magnitude earthquake.",
        ]);
        assert_eq!(texts(&q), ["6.3-magnitude", "6.3-magnitude"]);
        // Not for two values: "overnight" and "a single night" are no one setting.
        let qs = grouped(&[
            "In 1987 the river rose more than 5 meters in a single night.",
            "The river dropped almost 2 meters overnight.",
        ]);
        assert!(qs.is_empty(), "{qs:#?}");
    }

    #[test]
    fn a_distance_between_two_named_places_conflicts_across_the_months() {
        let q = one_quantity(
            (
                "2031-03-02",
                "The epicenter was near the town of Varna, 90 miles east of Korlu.",
            ),
            (
                "2031-09-20",
                "The quake leveled parts of Varna, 60 miles east of Korlu, a year ago.",
            ),
        );
        assert_eq!(q.agreement, Agreement::Conflict);
        // One place is not enough: two places near one city.
        let qs = grouped_dated(&[
            (
                "2031-03-02",
                "Troops bombed a cement plant 25 kilometers south of Korlu.",
            ),
            (
                "2031-09-20",
                "Fighting reached the town of Sarn, 40 kilometers south of Korlu.",
            ),
        ]);
        assert!(qs.is_empty(), "{qs:#?}");
    }

    #[test]
    fn one_killed_is_a_figure_one_of_them_is_not() {
        let q = one_of(&[
            "The park bombing killed one and injured more than 100.",
            "He is charged in the park bombing that killed one person.",
        ]);
        assert_eq!(texts(&q), ["one", "one person"]);
        assert!(found("Gunmen killed one of the guards at the gate.").is_empty());
    }

    #[test]
    fn a_court_vote_is_one_figure_and_a_span_of_dates_none() {
        let q = one_of(&[
            "In a 6-3 ruling, the appeals court struck down the tariff law.",
            "The court ruled in a 6-3 decision against the law.",
        ]);
        assert_eq!(texts(&q), ["6-3", "6-3"]);
        assert!(q.what.starts_with("vote in the"), "{}", q.what);
        // Dates and spans are not votes.
        let qs = grouped(&[
            "The games were held Aug. 11-14 in the capital.",
            "Athletes met Aug. 11-14 at the stadium.",
        ]);
        assert!(qs.is_empty(), "{qs:#?}");
    }

    #[test]
    fn an_age_before_a_surname_alone_is_that_persons() {
        let q = one_of(&[
            "Tomlin, 71, said the verdict would ruin the group.",
            "The 72-year-old Tomlin spoke briefly outside the courtroom.",
        ]);
        assert_eq!(q.what, "age of Tomlin");
        // A nationality is no name.
        let qs = grouped(&[
            "The 39-year-old Jamaican was held overnight.",
            "Police said the 41-year-old Jamaican was released.",
        ]);
        assert!(qs.is_empty(), "{qs:#?}");
    }

    #[test]
    fn a_hyphenated_place_shares_its_parts() {
        let q = one_of(&[
            "He has been charged in three Ridgeton bombings since the fair.",
            "Later he was charged in three Ridgeton-area bombings, the police said.",
        ]);
        assert_eq!(
            texts(&q),
            ["three Ridgeton bombings", "three Ridgeton-area bombings"]
        );
    }

    #[test]
    fn the_members_of_a_union_and_its_workers_are_one_quantity() {
        let q = one_of(&[
            "About 1,200 dockworkers have been off the job since the strike began.",
            "The deal gives roughly 1,200 members of the Harbour Dockworkers Union a raise.",
        ]);
        assert_eq!(q.agreement, Agreement::Consistent);
        assert_eq!(q.what, "dockworkers off the job");
    }

    #[test]
    fn counts_from_different_starts_are_two_quantities() {
        let qs = grouped(&[
            "Since Sunday, the police have arrested more than 300 members of the Harbour Party.",
            "The party said 702 of its members have been arrested since May.",
            "Police detained another 280 members of the Harbour Party on Tuesday.",
        ]);
        assert!(
            qs.iter().all(|q| q.figures.len() == 1),
            "three counts, each on its own: {qs:#?}"
        );
        // One start written two ways is one count.
        let q = one_of(&[
            "More than 320,000 people have been killed since March 2011.",
            "Some 310,000 people have been killed since 2011, the monitor said.",
        ]);
        assert_eq!(q.figures.len(), 2);
    }

    #[test]
    fn an_offer_is_not_the_agreed_figure() {
        let q = one_of(&[
            "The operators had offered a 2.5 percent raise in each year of the deal.",
            "Under the new contract they get a 3.5 percent raise in each year of the deal.",
            "The contract gives the workers a 3.5 percent raise in each year.",
        ]);
        assert_eq!(texts(&q), ["3.5 percent", "3.5 percent"]);
        assert_eq!(q.what, "yearly raise");
    }

    #[test]
    fn an_age_belongs_to_one_person() {
        let q = one_of(&[
            "Former coach Dieter Varga, 59, admitted giving the pills.",
            "Team doctor Dorit Lenz, 50, said she passed them on. Coach Dieter Varga, 59, listened.",
        ]);
        assert_eq!(q.what, "age of Dieter Varga");
        // An age without a person ("a six-year-old war") is not grouped.
        let qs = grouped(&[
            "The six-year-old civil war goes on.",
            "The six-year-old civil war has no end in sight.",
        ]);
        assert!(qs.is_empty(), "{qs:#?}");
    }

    #[test]
    fn a_count_that_changed_over_days_is_an_update_a_size_is_a_conflict() {
        let killed = "The flood killed 12 people in the valley, officials said.";
        assert_eq!(
            verdict(
                ("2031-03-12", killed),
                (
                    "2031-03-14",
                    "The flood killed 15 people in the valley, officials said."
                )
            ),
            Agreement::Updated
        );
        assert_eq!(
            verdict(
                (
                    "2031-03-12",
                    "The river crested at 6.1 meters above the old stone bridge."
                ),
                (
                    "2031-03-14",
                    "Overnight the swollen river crested at 7.3 meters by the old stone bridge."
                )
            ),
            Agreement::Conflict
        );
        // The same day: a conflict, unless an article says its figure is a change.
        assert_eq!(
            verdict(
                ("2031-03-12", killed),
                (
                    "2031-03-12",
                    "The death toll in the valley rose to 15, officials said."
                )
            ),
            Agreement::Updated
        );
        assert_eq!(
            verdict(
                ("2031-03-12", killed),
                (
                    "2031-03-12",
                    "The flood killed 17 people in the valley, officials said."
                )
            ),
            Agreement::Conflict
        );
    }

    #[test]
    fn different_values_weeks_apart_are_one_quantity_only_if_they_accumulate() {
        let toll = "The flood killed 12 people in the valley, officials said.";
        assert_eq!(
            verdict(
                ("2031-03-12", toll),
                (
                    "2031-05-12",
                    "The flood killed 19 people in the valley, officials said."
                )
            ),
            Agreement::Updated
        );
        let qs = grouped_dated(&[
            (
                "2031-03-12",
                "The athlete was banned from racing for two years by the federation.",
            ),
            (
                "2031-05-12",
                "Another athlete was banned from racing for three years by the federation.",
            ),
        ]);
        assert!(qs.is_empty(), "{qs:#?}");
    }

    #[test]
    fn different_things_of_one_unit_stay_apart() {
        let q = one_of(&[
            "Officials said seven people were killed and 24 wounded in the air raid on the television station.",
            "Warplanes bombed a spring near the village, killing 10 civilians, an aide said.",
            "The party won only 47 of the 125 legislative seats. It kept 48 seats.",
            "The rival party won 75 of the 125 seats in the election.",
        ]);
        assert_eq!(texts(&q), ["125 legislative seats", "125 seats"]);
    }

    #[test]
    fn a_range_is_one_figure() {
        let f = found(
            "Between 300 and 400 homes were flooded, and the hull lies 330 to 510 feet down.",
        );
        let texts: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(texts, ["Between 300 and 400 homes", "330 to 510 feet"]);
        assert_eq!(
            verdict(
                (
                    "2031-03-16",
                    "Between 300 and 400 homes were flooded in Brackwater, officials said."
                ),
                (
                    "2031-03-16",
                    "About 350 homes were flooded in Brackwater, officials said."
                )
            ),
            Agreement::Consistent
        );
    }
}
