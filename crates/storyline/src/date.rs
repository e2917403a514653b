//! Publication times in whatever format feeds use.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A publication time, normalized to UTC.
///
/// Feeds give anything from `2017-04-12` to `Wed, 12 Apr 2017 10:00:00 GMT` to Unix seconds;
/// [`Timestamp::parse`] takes them all. A date without a time is kept at day precision and
/// printed as a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    utc: NaiveDateTime,
    day_only: bool,
}

/// Years outside this range are taken for parse errors, not for news.
const YEARS: std::ops::RangeInclusive<i32> = 1800..=2200;

/// Naive formats tried in order (the first that parses wins).
const DATETIME_FORMATS: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %I:%M %p",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y%m%dT%H%M%S",
    "%B %d, %Y %I:%M %p",
    "%B %d, %Y %H:%M",
    "%b %d, %Y %I:%M %p",
    "%b %d, %Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    // Some archives swap month and day; tried only after the ISO order failed.
    "%Y-%d-%m %H:%M:%S",
    "%Y-%d-%m %H:%M",
];

const DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%d.%m.%Y",
    "%Y%m%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%A, %B %d, %Y",
    "%a, %d %b %Y",
    "%B %d %Y",
    "%b %d %Y",
];

impl Timestamp {
    /// A timestamp at a UTC time.
    pub fn from_utc(utc: NaiveDateTime) -> Self {
        Timestamp {
            utc,
            day_only: false,
        }
    }

    /// A timestamp known to the day.
    pub fn from_date(date: NaiveDate) -> Self {
        Timestamp {
            utc: date.and_time(NaiveTime::MIN),
            day_only: true,
        }
    }

    /// Parses the usual feed formats; `None` when nothing fits.
    pub fn parse(raw: &str) -> Option<Self> {
        let s = raw.trim();
        if s.is_empty() || s.len() > 64 {
            return None;
        }
        if s.bytes().all(|b| b.is_ascii_digit()) && s.len() != 8 {
            // Unix seconds (9-10 digits) or milliseconds (12-13 digits); nothing else.
            return match s.len() {
                9 | 10 | 12 | 13 => Self::from_unix_number(s.parse().ok()?),
                _ => None,
            };
        }
        let t = Self::parse_iso_day(s)
            .or_else(|| Self::parse_zoned(s))
            .or_else(|| Self::parse_naive(s))?;
        YEARS.contains(&t.utc.year()).then_some(t)
    }

    /// `2014-04-09`, the commonest form in feeds and datasets, read without trying every
    /// format first (chrono's format parsing was 6% of `storyline cluster` on a headline
    /// stream). The same result as the `%Y-%m-%d` format; `None` for anything else.
    fn parse_iso_day(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| {
            b[r.clone()]
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| s[r].parse::<u32>().ok())
                .flatten()
        };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d).map(Timestamp::from_date)
    }

    /// Unix seconds, or milliseconds when the number is too large for seconds.
    pub fn from_unix_number(n: i64) -> Option<Self> {
        let secs = if n.abs() >= 100_000_000_000 {
            n / 1000
        } else {
            n
        };
        let dt = DateTime::from_timestamp(secs, 0)?.naive_utc();
        YEARS
            .contains(&dt.year())
            .then_some(Timestamp::from_utc(dt))
    }

    fn parse_zoned(s: &str) -> Option<Self> {
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            return Some(Timestamp::from_utc(dt.naive_utc()));
        }
        if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
            return Some(Timestamp::from_utc(dt.naive_utc()));
        }
        // A weekday that does not match the date (common in hand-made feeds) says nothing
        // the date does not: read the date without it.
        if let Some((day, rest)) = s.split_once(',')
            && day.trim().len() <= 9
            && day.trim().chars().all(|c| c.is_ascii_alphabetic())
            && let Ok(dt) = DateTime::parse_from_rfc2822(rest.trim())
        {
            return Some(Timestamp::from_utc(dt.naive_utc()));
        }
        for f in [
            "%Y-%m-%dT%H:%M:%S%.f%z",
            "%Y-%m-%d %H:%M:%S%.f%z",
            "%Y-%m-%dT%H:%M%z",
            "%Y%m%dT%H%M%S%z",
        ] {
            if let Ok(dt) = DateTime::parse_from_str(s, f) {
                return Some(Timestamp::from_utc(dt.naive_utc()));
            }
        }
        // Trailing zone names that chrono's %z does not take: "GMT", "UTC", "Z".
        for zone in [" GMT", " UTC", "Z", " Z"] {
            if let Some(head) = s.strip_suffix(zone) {
                return Self::parse_naive(head.trim_end());
            }
        }
        None
    }

    fn parse_naive(s: &str) -> Option<Self> {
        for f in DATETIME_FORMATS {
            if let Ok(dt) = NaiveDateTime::parse_from_str(s, f) {
                return Some(Timestamp::from_utc(dt));
            }
        }
        for f in DATE_FORMATS {
            if let Ok(d) = NaiveDate::parse_from_str(s, f) {
                return Some(Timestamp::from_date(d));
            }
        }
        None
    }

    /// The UTC time.
    pub fn utc(&self) -> NaiveDateTime {
        self.utc
    }

    /// The UTC day.
    pub fn date(&self) -> NaiveDate {
        self.utc.date()
    }

    /// Only the day is known.
    pub fn is_day_only(&self) -> bool {
        self.day_only
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(&self) -> i64 {
        self.utc.and_utc().timestamp()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.day_only {
            write!(f, "{}", self.utc.format("%Y-%m-%d"))
        } else if self.utc.second() == 0 && self.utc.nanosecond() == 0 {
            write!(f, "{}", self.utc.format("%Y-%m-%dT%H:%MZ"))
        } else {
            write!(f, "{}", self.utc.format("%Y-%m-%dT%H:%M:%SZ"))
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Timestamp::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("unrecognized date {raw:?}")))
    }
}

/// The months' names, lowercase, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a lowercase word names, full or abbreviated ("september", "sept.", "sep"),
/// as 1-12.
pub fn month_number(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    const ABBR: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sept", "oct", "nov", "dec",
    ];
    MONTHS
        .iter()
        .position(|m| *m == w)
        .or_else(|| ABBR.iter().position(|m| *m == w))
        .or_else(|| (w == "sep").then_some(8))
        .map(|i| i as u32 + 1)
}

/// The day a wire dateline gives ("WASHINGTON, October 6 (Xinhua)", "MOSCOW, Aug. 14"),
/// read against the article's publication day: the dateline's month and day in the year
/// that puts it on or up to three days before publication (wire copy is stamped when it is
/// filed, often the next day in another time zone). `None` when the dateline has no date
/// or one that does not fit.
pub fn dateline_day(dateline: &str, published: NaiveDate) -> Option<NaiveDate> {
    let words: Vec<String> = dateline
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let (month, day) = words.windows(2).find_map(|w| {
        let m = month_number(&w[0])?;
        let d: u32 = w[1].parse().ok().filter(|d| (1..=31).contains(d))?;
        Some((m, d))
    })?;
    [published.year(), published.year() - 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|&d| d <= published && (published - d).num_days() <= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_weekday_does_not_lose_the_date() {
        // 1 January 2010 was a Friday.
        let t = Timestamp::parse("Sat, 01 Jan 2010 19:48:21 GMT").expect("read");
        assert_eq!(t.to_string(), "2010-01-01T19:48:21Z");
    }

    fn show(s: &str) -> String {
        Timestamp::parse(s).map_or_else(|| "-".into(), |t| t.to_string())
    }

    #[test]
    fn parses_the_formats_feeds_use() {
        assert_eq!(show("2017-04-12"), "2017-04-12");
        assert_eq!(show("1999-07-07 08:30:27"), "1999-07-07T08:30:27Z");
        assert_eq!(show("08/12/1998 13:29:00"), "1998-08-12T13:29Z");
        assert_eq!(show("2017-04-12T10:00:00+03:00"), "2017-04-12T07:00Z");
        assert_eq!(show("Wed, 12 Apr 2017 10:00:00 GMT"), "2017-04-12T10:00Z");
        assert_eq!(show("April 12, 2017"), "2017-04-12");
        assert_eq!(show("12 Apr 2017"), "2017-04-12");
        assert_eq!(show("20170412"), "2017-04-12");
        assert_eq!(show("1491991200"), "2017-04-12T10:00Z");
        assert_eq!(show("1491991200000"), "2017-04-12T10:00Z");
        assert_eq!(show("2017-04-12T10:00:00Z"), "2017-04-12T10:00Z");
        assert_eq!(show("1998-30-06 11:49:00"), "1998-06-30T11:49Z");
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for s in [
            "",
            "yesterday",
            "2017-13-45",
            "99999999999999999999",
            "0000-01-01",
            "12345",
        ] {
            assert_eq!(show(s), "-", "{s}");
        }
    }

    #[test]
    fn an_iso_day_reads_as_the_day_format_reads_it() {
        for s in [
            "2014-04-09",
            "1999-12-31",
            "2024-02-29",
            "2023-02-29",
            "2014-13-09",
            "2014-04-32",
            "2014-4-09x",
            "+014-04-09",
            "2014-04-0a",
        ] {
            let slow = NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(Timestamp::from_date);
            // Where the quick path reads a day, the format reads the same one; where it
            // does not, `parse` goes on to the formats.
            match Timestamp::parse_iso_day(s) {
                Some(t) => assert_eq!(Some(t), slow, "{s}"),
                None => assert!(!s.starts_with("20") || slow.is_none(), "{s}"),
            }
        }
        assert!(Timestamp::parse_iso_day("2024-02-29").is_some());
        assert!(Timestamp::parse("2014-04-09").is_some_and(|t| t.is_day_only()));
    }

    #[test]
    fn a_datelines_day_is_read_against_the_publication_day() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let published = day(1997, 10, 7);
        assert_eq!(
            dateline_day("WASHINGTON, October 6 (Xinhua)", published),
            Some(day(1997, 10, 6))
        );
        assert_eq!(
            dateline_day("MOSCOW, Oct. 7", published),
            Some(day(1997, 10, 7))
        );
        // Across the new year; and a date that does not fit, or none, is no day.
        assert_eq!(
            dateline_day("BEIJING, December 31 (Xinhua)", day(1998, 1, 1)),
            Some(day(1997, 12, 31))
        );
        assert_eq!(dateline_day("CAIRO, September 2 (Xinhua)", published), None);
        assert_eq!(dateline_day("PINE RIDGE, S.D. (AP)", published), None);
    }
}
