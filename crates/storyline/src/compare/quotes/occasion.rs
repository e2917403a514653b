//! When a quote was said: only a time the attribution itself gives ("said on Tuesday",
//! "told reporters Wednesday", "On Tuesday, Whitfield said", "After the meeting on Wednesday,
//! Tillerson said"), resolved against the quote's own article's date; never a time the
//! sentence gives for something else ("said the talks had nearly collapsed on Wednesday
//! night", "the dockworkers who walked off the job on March 2"), and never a time after the
//! article. A speaker's quotes with no time of their own take the time the article gives
//! for that speaker's words elsewhere ("Tillerson said on Tuesday ... " in the lead). When
//! the article has no date a weekday stays a weekday: "Wednesday, date not given".

use chrono::NaiveDate;

use super::{Word, is_speech_verb, lower, words};
use crate::compare::timeline::{When, expressions, resolve};

/// Words that may stand between a speech verb and the time it was said: the setting of
/// the statement ("said at a news conference in Moscow on Wednesday", "told reporters late
/// Tuesday").
fn setting_word(w: &Word) -> bool {
    let l = lower(&w.2);
    w.2.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        || matches!(
            &*l,
            "on" | "at"
                | "in"
                | "late"
                | "early"
                | "earlier"
                | "later"
                | "last"
                | "this"
                | "a"
                | "an"
                | "the"
                | "news"
                | "press"
                | "conference"
                | "briefing"
                | "statement"
                | "interview"
                | "meeting"
                | "speech"
                | "hearing"
                | "rally"
                | "reporters"
                | "journalists"
                | "radio"
                | "television"
                | "tv"
                | "shortly"
                | "after"
                | "before"
                | "during"
                | "his"
                | "her"
                | "their"
                | "its"
                | "him"
                | "them"
                | "us"
                | "to"
                | "with"
                | "by"
                | "phone"
                | "telephone"
                | "p.m"
                | "a.m"
                | "pm"
                | "am"
                | "noon"
                | "while"
                | "visit"
                | "two-hour"
                | "also"
        )
}

/// Does punctuation that ends a phrase stand between two words?
fn broken(text: &str, a: &Word, b: &Word) -> bool {
    text[a.1..b.0].contains([
        ';', ':', '"', '\u{201C}', '\u{201D}', '`', '(', ')', '!', '?',
    ])
}

/// The time the attribution of a sentence gives. `sentence` has the quoted words blanked;
/// `lead_start` gives where its main clause starts (after an opening phrase ending in a
/// comma); it is asked only of a sentence with a time expression (few have one).
pub(super) fn attached_time(
    sentence: &str,
    lead_start: impl FnOnce() -> usize,
    article: Option<NaiveDate>,
) -> Option<When> {
    let times = expressions(sentence);
    if times.is_empty() {
        return None;
    }
    let lead_start = lead_start();
    let ws = words(sentence, 0);
    for e in times {
        let Some(first) = ws.iter().position(|w| w.0 >= e.span.start) else {
            continue;
        };
        let last = ws.iter().rposition(|w| w.1 <= e.span.end).unwrap_or(first);
        // Back to a speech verb over setting words: "said on Tuesday", "said at a news
        // conference in Moscow on Wednesday".
        // Where the speech verb is: the attribution is the stretch from it to the time.
        let mut from = e.span.start;
        let mut to = e.span.end;
        let mut k = first;
        let mut back = false;
        while k > 0 && !broken(sentence, &ws[k - 1], &ws[k]) && first - k < 10 {
            let w = &ws[k - 1];
            if is_speech_verb(&w.2) {
                back = true;
                from = w.0;
                break;
            }
            if !setting_word(w) {
                break;
            }
            k -= 1;
        }
        // On to a speech verb: "Whitfield on Tuesday said", "On Tuesday, Whitfield said"; a
        // comma only after a time that opens the sentence ("Whitfield, who stayed through
        // Wednesday night, said" is not said on Wednesday).
        let opens = ws[..first].iter().all(setting_word);
        let mut k = last + 1;
        let mut forward = false;
        while k < ws.len() && k - last < 8 {
            let w = &ws[k];
            if is_speech_verb(&w.2) && (opens || !sentence[ws[k - 1].1..w.0].contains(',')) {
                forward = true;
                to = w.1;
                break;
            }
            if !(setting_word(w) || super::is_adverb(&w.2))
                || broken(sentence, &ws[k - 1], w)
                || (!opens && sentence[ws[k - 1].1..w.0].contains(','))
            {
                break;
            }
            k += 1;
        }
        // In the opening phrase of a sentence whose main clause is a speech ("After a
        // meeting with Putin on Wednesday in Moscow, Tillerson said ...").
        let opening = e.span.end <= lead_start
            && ws
                .iter()
                .filter(|w| w.0 >= lead_start)
                .take(8)
                .any(|w| is_speech_verb(&w.2));
        if back || forward || opening {
            // Resolved in the attribution's own tense ("said Friday that the ships would
            // come": Friday is past), not the reported words'.
            let when = resolve(&e, &sentence[from..to], article);
            if !after(&when, article) {
                return Some(when);
            }
        }
    }
    None
}

/// Does a time fall after the article's day (a plan, not when something was said)?
pub(super) fn after(w: &When, article: Option<NaiveDate>) -> bool {
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

/// How a statement's time reads: a date, or a weekday with "date not given" when the
/// article has no date; with no time of its own, the day its first article reported it.
pub(super) fn label(when: Option<&When>, reported: Option<NaiveDate>) -> Option<String> {
    match when {
        Some(When::Relative { text }) => Some(format!("{text}, date not given")),
        Some(w) => Some(w.label()),
        None => reported.map(|d| format!("reported {d}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn only_a_time_the_attribution_gives_is_when_it_was_said() {
        let thursday = Some(day("2031-03-13"));
        let at = |s: &str| attached_time(s, || 0, thursday);
        assert_eq!(
            at("Whitfield said on Wednesday that the port would open."),
            Some(When::Day {
                date: day("2031-03-12")
            })
        );
        assert!(at("Okafor told reporters at a news conference late Tuesday.").is_some());
        // A time for something else in the sentence.
        assert_eq!(
            at("Whitfield said the talks had nearly collapsed on Wednesday night."),
            None
        );
        assert_eq!(
            at("The dockworkers who walked off the job on March 2 will return, he said."),
            None
        );
        assert_eq!(
            at(
                "Mayor Dana Whitfield, who kept both sides at City Hall through Wednesday night, said the talks nearly failed."
            ),
            None
        );
        assert!(at("On Wednesday, Mayor Dana Whitfield said the talks nearly failed.").is_some());
        // Said last Friday, whatever the tense of what was said.
        assert_eq!(
            at("He said on Friday the ships would come in."),
            Some(When::Day {
                date: day("2031-03-07")
            })
        );
    }

    #[test]
    fn an_undated_weekday_reads_as_such() {
        let w = When::Relative {
            text: "Wednesday".into(),
        };
        assert_eq!(
            label(Some(&w), None).as_deref(),
            Some("Wednesday, date not given")
        );
        assert_eq!(
            label(None, Some(day("2031-03-13"))).as_deref(),
            Some("reported 2031-03-13")
        );
    }
}
