//! Time expressions and the event's timeline.
//!
//! A rule-based temporal tagger in the spirit of HeidelTime (Strötgen & Gertz 2010) for the
//! expressions news uses: weekdays ("on Tuesday", "Monday night"), relative days and weeks
//! ("yesterday", "last week", "next month"), and calendar dates ("April 12, 2017", "12 April",
//! "March 2011"). Each is resolved against its article's publication date when the article
//! has one: a weekday is the last such day on or before the article (or the next one when the
//! sentence speaks of the future: "will", "is due", "plans"), "April 4" takes the article's
//! year. Without an article date an expression stays relative and says so in words
//! ("Wednesday, date not given"; "April 4, year not given"), and the timeline lists such
//! entries apart from the dated ones: they cannot be put in order with them.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

/// What a time expression denotes before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeKind {
    /// A day of the week.
    Weekday(#[serde(skip)] Weekday),
    /// Days from the article's day (yesterday = -1).
    DayOffset(#[serde(skip)] i64),
    /// Weeks from the article's week (last week = -1).
    WeekOffset(#[serde(skip)] i64),
    /// Months from the article's month (last month = -1).
    MonthOffset(#[serde(skip)] i64),
    /// A calendar day; the year may be missing.
    Date(
        #[serde(skip)] Option<i32>,
        #[serde(skip)] u32,
        #[serde(skip)] u32,
    ),
    /// A month of a year.
    Month(#[serde(skip)] i32, #[serde(skip)] u32),
}

/// A time expression found in a sentence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeExpr {
    /// The words as written.
    pub text: String,
    /// Byte range in the sentence.
    #[serde(skip)]
    pub span: std::ops::Range<usize>,
    /// What it denotes.
    #[serde(skip)]
    pub kind: TimeKind,
}

/// When something happened, as precisely as the text and the article date allow.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "resolution", rename_all = "snake_case")]
pub enum When {
    /// A day.
    Day {
        /// The date.
        date: NaiveDate,
    },
    /// A week, given by its Monday.
    Week {
        /// Its Monday.
        starting: NaiveDate,
    },
    /// A month.
    Month {
        /// Year.
        year: i32,
        /// Month 1-12.
        month: u32,
    },
    /// Not resolvable (the article has no date): the expression as written.
    Relative {
        /// "Tuesday", "last week".
        text: String,
    },
}

impl When {
    /// A short label for readers: `2017-04-12`, `week of 2017-04-10`, `March 2011`, or,
    /// when the article gives no date to resolve against, `Wednesday, date not given` and
    /// `April 4, year not given`.
    pub fn label(&self) -> String {
        match self {
            When::Day { date } => date.to_string(),
            When::Week { starting } => format!("week of {starting}"),
            When::Month { year, month } => NaiveDate::from_ymd_opt(*year, *month, 1).map_or_else(
                || format!("{year}-{month:02}"),
                |d| d.format("%B %Y").to_string(),
            ),
            When::Relative { text } => {
                // "Last week" opens a sentence; in a label it is "last week".
                let mut words = text.split_whitespace();
                let first = words.next().unwrap_or("");
                let first = if is_calendar_name(first) {
                    first.to_string()
                } else {
                    first.to_lowercase()
                };
                let text: Vec<&str> = std::iter::once(first.as_str()).chain(words).collect();
                let missing = if self.month_day().is_some() {
                    "year"
                } else {
                    "date"
                };
                format!("{}, {missing} not given", text.join(" "))
            }
        }
    }

    /// The month and day of an unresolved calendar date ("April 4"), if it is one.
    fn month_day(&self) -> Option<(u32, u32)> {
        let When::Relative { text } = self else {
            return None;
        };
        let e = expressions(text).into_iter().next()?;
        match e.kind {
            TimeKind::Date(None, m, d) => Some((m, d)),
            _ => None,
        }
    }

    /// The first day of the time, if resolved.
    pub fn start(&self) -> Option<NaiveDate> {
        match self {
            When::Day { date } => Some(*date),
            When::Week { starting } => Some(*starting),
            When::Month { year, month } => NaiveDate::from_ymd_opt(*year, *month, 1),
            When::Relative { .. } => None,
        }
    }

    /// Can two mentions refer to the same time? Different days (or weekdays) cannot.
    pub fn compatible(&self, other: &When) -> bool {
        match (self, other) {
            (When::Day { date: a }, When::Day { date: b }) => a == b,
            (When::Day { date }, When::Relative { text })
            | (When::Relative { text }, When::Day { date }) => {
                weekday_of(text).is_none_or(|w| w == date.weekday())
            }
            (When::Relative { text: a }, When::Relative { text: b }) => {
                match (weekday_of(a), weekday_of(b)) {
                    (Some(x), Some(y)) => x == y,
                    _ => true,
                }
            }
            _ => true,
        }
    }
}

fn weekday_of(text: &str) -> Option<Weekday> {
    text.split_whitespace()
        .find_map(|w| parse_weekday(&w.to_lowercase()))
}

/// The weekday a lowercase word names (trailing punctuation ignored).
pub(crate) fn parse_weekday(w: &str) -> Option<Weekday> {
    Some(match w.trim_end_matches(|c: char| !c.is_alphabetic()) {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Is this (lowercase) word a month name or abbreviation?
pub(crate) fn is_month(w: &str) -> bool {
    crate::date::month_number(w).is_some()
}

/// Is this word (any case) a weekday or a full month name? "May" is left out: it is as often
/// a name or a verb.
pub(crate) fn is_calendar_name(w: &str) -> bool {
    let l = w.to_lowercase();
    parse_weekday(&l).is_some()
        || (!is_month_abbreviation_or_may(&l) && crate::date::month_number(&l).is_some())
}

/// "May" or a month's abbreviation ("jan", "sept"), lowercased: a month only where the
/// writing says so (a capital, a day beside it).
pub(crate) fn is_month_abbreviation_or_may(l: &str) -> bool {
    matches!(
        l,
        "may"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// Words with byte offsets, lowercase, punctuation trimmed.
fn words(s: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    let bytes_end = s.len();
    for (i, c) in s.char_indices().chain(std::iter::once((bytes_end, ' '))) {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                let w: &str = &s[st..i];
                let lead = w.len() - w.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
                let t = w.trim_matches(|c: char| !c.is_alphanumeric());
                if !t.is_empty() {
                    out.push((st + lead, st + lead + t.len(), t.to_lowercase()));
                }
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    out
}

/// The time expressions of a sentence, in order.
pub fn expressions(sentence: &str) -> Vec<TimeExpr> {
    let ws = words(sentence);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let w = ws[i].2.as_str();
        let prev = i.checked_sub(1).map(|k| ws[k].2.as_str());
        let next = ws.get(i + 1).map(|x| x.2.as_str());
        let mut push = |from: usize, to: usize, kind: TimeKind| {
            out.push(TimeExpr {
                text: sentence[ws[from].0..ws[to].1].to_string(),
                span: ws[from].0..ws[to].1,
                kind,
            });
        };
        if let Some(day) = parse_weekday(w) {
            // "Monday night": keep the part of day in the text.
            let to = if matches!(next, Some("night" | "morning" | "afternoon" | "evening")) {
                i + 1
            } else {
                i
            };
            let from = if matches!(prev, Some("last" | "next" | "this")) {
                i - 1
            } else {
                i
            };
            let kind = match prev {
                Some("last") => TimeKind::Weekday(day),
                Some("next") => TimeKind::Weekday(day),
                _ => TimeKind::Weekday(day),
            };
            push(from, to, kind);
            i = to + 1;
            continue;
        }
        match w {
            "yesterday" => push(i, i, TimeKind::DayOffset(-1)),
            "today" | "tonight" => push(i, i, TimeKind::DayOffset(0)),
            "tomorrow" => push(i, i, TimeKind::DayOffset(1)),
            "week" | "month" if matches!(prev, Some("last" | "next" | "this")) => {
                let off = match prev {
                    Some("last") => -1,
                    Some("next") => 1,
                    _ => 0,
                };
                push(
                    i - 1,
                    i,
                    if w == "week" {
                        TimeKind::WeekOffset(off)
                    } else {
                        TimeKind::MonthOffset(off)
                    },
                );
            }
            _ => {
                if let Some(month) = crate::date::month_number(w) {
                    // "May" alone is too ambiguous (the verb); require a number next to it.
                    let day_after = next
                        .and_then(|n| {
                            n.trim_end_matches(|c: char| !c.is_ascii_digit())
                                .parse::<u32>()
                                .ok()
                        })
                        .filter(|d| (1..=31).contains(d));
                    let day_before = prev
                        .and_then(|p| p.parse::<u32>().ok())
                        .filter(|d| (1..=31).contains(d));
                    let year_at = |k: usize| {
                        ws.get(k)
                            .and_then(|x| x.2.parse::<i32>().ok())
                            .filter(|y| (1800..=2200).contains(y))
                    };
                    if let Some(d) = day_after {
                        // April 12[,] [2017]
                        let year = year_at(i + 2);
                        let to = if year.is_some() { i + 2 } else { i + 1 };
                        push(i, to, TimeKind::Date(year, month, d));
                        i = to + 1;
                        continue;
                    } else if let Some(d) = day_before {
                        // 12 April [2017]
                        let year = year_at(i + 1);
                        let to = if year.is_some() { i + 1 } else { i };
                        push(i - 1, to, TimeKind::Date(year, month, d));
                        i = to + 1;
                        continue;
                    } else if let Some(y) = year_at(i + 1) {
                        push(i, i + 1, TimeKind::Month(y, month));
                        i += 2;
                        continue;
                    }
                }
            }
        }
        i += 1;
    }
    out
}

/// Words that put a sentence in the future ("will meet on Wednesday").
fn speaks_of_future(sentence: &str) -> bool {
    let l = sentence.to_lowercase();
    [
        " will ",
        " is due ",
        " are due ",
        " is expected to ",
        " are expected to ",
        " plans to ",
        " is scheduled ",
        " are scheduled ",
        " is set to ",
        " are set to ",
        " next ",
        " would ",
        "’ll ",
        "'ll ",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Resolves an expression against the article's date (`None`: stays relative).
pub fn resolve(expr: &TimeExpr, sentence: &str, article: Option<NaiveDate>) -> When {
    let relative = || When::Relative {
        text: expr.text.clone(),
    };
    match expr.kind {
        TimeKind::Date(Some(y), m, d) => {
            NaiveDate::from_ymd_opt(y, m, d).map_or_else(relative, |date| When::Day { date })
        }
        TimeKind::Month(y, m) => When::Month { year: y, month: m },
        _ => {
            let Some(base) = article else {
                return relative();
            };
            match expr.kind {
                TimeKind::Weekday(day) => {
                    let back = (7 + base.weekday().num_days_from_monday() as i64
                        - day.num_days_from_monday() as i64)
                        % 7;
                    let date = if speaks_of_future(sentence) && back != 0 {
                        base + Duration::days(7 - back)
                    } else {
                        base - Duration::days(back)
                    };
                    When::Day { date }
                }
                TimeKind::DayOffset(k) => When::Day {
                    date: base + Duration::days(k),
                },
                TimeKind::WeekOffset(k) => {
                    let monday = base
                        - Duration::days(base.weekday().num_days_from_monday() as i64)
                        + Duration::weeks(k);
                    When::Week { starting: monday }
                }
                TimeKind::MonthOffset(k) => {
                    let total = base.year() * 12 + base.month0() as i32 + k as i32;
                    When::Month {
                        year: total.div_euclid(12),
                        month: total.rem_euclid(12) as u32 + 1,
                    }
                }
                TimeKind::Date(None, m, d) => {
                    // The article's year, unless that puts it well after the article.
                    let this = NaiveDate::from_ymd_opt(base.year(), m, d);
                    let date = match this {
                        Some(t) if t > base + Duration::days(31) => {
                            NaiveDate::from_ymd_opt(base.year() - 1, m, d)
                        }
                        other => other,
                    };
                    date.map_or_else(relative, |date| When::Day { date })
                }
                _ => relative(),
            }
        }
    }
}

/// One dated happening of the event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    /// When it happened.
    pub when: When,
    /// `when` for people: `2017-04-12`, or `Tuesday, date not given`.
    pub label: String,
    /// The date could not be resolved (the article has none): the entry is listed after
    /// the dated ones and cannot be put in order with them.
    pub relative: bool,
    /// The sentence that reports it.
    pub text: String,
    /// The time expression as written.
    pub expression: String,
    /// The article of `text`.
    pub article: String,
    /// Outlets reporting it.
    pub outlets: Vec<String>,
}

/// Is byte `at` of `text` inside quotation marks?
fn inside_quotes(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let open = before.matches('\u{201C}').count();
    let close = before.matches('\u{201D}').count();
    open > close || before.matches('"').count() % 2 == 1
}

/// Sort key: resolved times by date; then the unresolved ones, which cannot be ordered
/// with them: calendar days without a year ("April 4") by month and day, then the
/// expressions relative to an undated article in the order of a week (last week, the
/// weekdays, yesterday, today, this week, next week).
fn sort_key(w: &When) -> (u8, NaiveDate, u8) {
    let far = NaiveDate::MAX;
    match w {
        When::Day { date } => (0, *date, 0),
        When::Week { starting } => (0, *starting, 1),
        When::Month { year, month } => (
            0,
            NaiveDate::from_ymd_opt(*year, *month, 1).unwrap_or(far),
            2,
        ),
        When::Relative { text } => {
            if let Some((m, d)) = w.month_day() {
                // Any leap year holds every month and day.
                return (1, NaiveDate::from_ymd_opt(2000, m, d).unwrap_or(far), 0);
            }
            let l = text.to_lowercase();
            let rank = if l.contains("last week") || l.contains("last month") {
                0
            } else if let Some(d) = weekday_of(&l) {
                1 + d.num_days_from_monday() as u8
            } else if l.contains("yesterday") {
                8
            } else if l.contains("today") || l.contains("tonight") {
                9
            } else if l.contains("this week") || l.contains("this month") {
                10
            } else if l.contains("tomorrow") {
                11
            } else {
                12
            };
            (2, far, rank)
        }
    }
}

/// How precise a time is (for choosing a group's time): a day beats a week beats a month.
fn precision(w: &When) -> u8 {
    match w {
        When::Day { .. } => 3,
        When::Week { .. } => 2,
        When::Month { .. } => 1,
        When::Relative { .. } => 0,
    }
}

/// The event's timeline: sentences with a time expression (outside quotes), resolved
/// against their article's date, the same happening reported by several outlets merged
/// (the sentences support each other and their times agree), at most `limit` entries (the
/// most reported), in time order; unresolved times after the resolved ones.
pub fn timeline(
    corpus: &crate::corpus::Corpus,
    support: &[Vec<crate::align::Support>],
    limit: usize,
) -> Vec<TimelineEntry> {
    use crate::summarize::{SummaryOptions, needs_previous, unreadable};
    let opt = SummaryOptions::default();
    // Candidates: (sentence, when, expression).
    let mut cands: Vec<(usize, When, String)> = Vec::new();
    for (i, s) in corpus.sentences.iter().enumerate() {
        let doc = &corpus.docs[s.doc];
        if doc.copy_of.is_some()
            || needs_previous(s)
            || unreadable(s, &opt).is_some_and(|u| u != crate::summarize::Unreadable::TooLong)
        {
            continue;
        }
        let Some(e) = expressions(&s.text)
            .into_iter()
            .find(|e| !inside_quotes(&s.text, e.span.start))
        else {
            continue;
        };
        let when = resolve(&e, &s.text, doc.day());
        cands.push((i, when, e.text));
    }
    let index: rustc_hash::FxHashMap<usize, usize> =
        cands.iter().enumerate().map(|(k, c)| (c.0, k)).collect();
    let mut groups = super::Groups::new(cands.len());
    for (k, (i, when, _)) in cands.iter().enumerate() {
        for sup in &support[*i] {
            if let Some(&j) = index.get(&sup.sentence)
                && when.compatible(&cands[j].1)
            {
                groups.join(k, j);
            }
        }
    }
    let mut entries: Vec<TimelineEntry> = groups
        .members()
        .into_iter()
        .map(|members| {
            let best = *members
                .iter()
                .max_by_key(|&&k| (precision(&cands[k].1), std::cmp::Reverse(cands[k].0)))
                .unwrap_or(&members[0]);
            let (i, when, expr) = &cands[best];
            let s = &corpus.sentences[*i];
            let mut outlets: Vec<String> = Vec::new();
            for &k in &members {
                let o = &corpus.outlets[corpus.docs[corpus.sentences[cands[k].0].doc].outlet];
                if !outlets.contains(o) {
                    outlets.push(o.clone());
                }
            }
            TimelineEntry {
                label: when.label(),
                relative: matches!(when, When::Relative { .. }),
                when: when.clone(),
                text: s.text.clone(),
                expression: expr.clone(),
                article: corpus.docs[s.doc].id.clone(),
                outlets,
            }
        })
        .collect();
    // The most reported happenings, then in time order (stable: ties keep reading order).
    entries.sort_by_key(|e| std::cmp::Reverse(e.outlets.len()));
    entries.truncate(limit);
    entries.sort_by_key(|a| sort_key(&a.when));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn first(s: &str, article: Option<NaiveDate>) -> String {
        let e = expressions(s);
        resolve(&e[0], s, article).label()
    }

    #[test]
    fn finds_the_expressions_news_uses() {
        let texts: Vec<String> = expressions("On Tuesday night, a week after the April 4 attack, he said last week and yesterday that 12 April 2017 and March 2011 mattered.")
            .into_iter()
            .map(|e| e.text)
            .collect();
        assert_eq!(
            texts,
            [
                "Tuesday night",
                "April 4",
                "last week",
                "yesterday",
                "12 April 2017",
                "March 2011"
            ]
        );
        assert!(expressions("He may go. The 12 ships waited.").is_empty());
    }

    #[test]
    fn resolves_against_the_article_date() {
        let wed = Some(d("2017-04-12"));
        assert_eq!(
            first("Whitfield met Orlov on Wednesday.", wed),
            "2017-04-12"
        );
        assert_eq!(first("He spoke in Italy on Tuesday.", wed), "2017-04-11");
        assert_eq!(
            first("The foreign minister will meet him on Friday.", wed),
            "2017-04-14"
        );
        assert_eq!(first("It happened yesterday.", wed), "2017-04-11");
        assert_eq!(
            first("The attack on April 4 killed dozens.", wed),
            "2017-04-04"
        );
        assert_eq!(first("He came last week.", wed), "week of 2017-04-03");
        assert_eq!(
            first("Whitfield met Orlov on Wednesday.", None),
            "Wednesday, date not given"
        );
        assert_eq!(
            first("Last week, Orlov left for the April 4 summit.", None),
            "last week, date not given"
        );
        assert_eq!(
            first("They denied the April 4 attack.", None),
            "April 4, year not given"
        );
        assert_eq!(first("It began in March 2011.", None), "March 2011");
    }

    #[test]
    fn dated_entries_come_in_order_and_undated_ones_after_them() {
        let rel = |t: &str| When::Relative { text: t.into() };
        let mut whens = vec![
            rel("this week"),
            When::Day {
                date: d("2017-04-04"),
            },
            rel("April 4"),
            rel("Tuesday"),
            When::Month {
                year: 2011,
                month: 3,
            },
            rel("last week"),
        ];
        whens.sort_by_key(sort_key);
        let labels: Vec<String> = whens.iter().map(When::label).collect();
        assert_eq!(
            labels,
            [
                "March 2011",
                "2017-04-04",
                "April 4, year not given",
                "last week, date not given",
                "Tuesday, date not given",
                "this week, date not given"
            ]
        );
    }

    #[test]
    fn different_days_are_incompatible() {
        let tue = When::Relative {
            text: "on Tuesday".into(),
        };
        let wed = When::Relative {
            text: "Wednesday".into(),
        };
        assert!(!tue.compatible(&wed));
        assert!(tue.compatible(&When::Relative {
            text: "last week".into()
        }));
        assert!(
            !When::Day {
                date: d("2017-04-11")
            }
            .compatible(&When::Day {
                date: d("2017-04-12")
            })
        );
    }
}
