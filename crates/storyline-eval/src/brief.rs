//! Automatic checks of a brief as a reader gets it: what an editor would flag without
//! reading the articles.
//!
//! These detectors are deliberately independent of the summarizer's own rules (they share
//! no code with `storyline::summarize::context`), so that they can catch what those rules
//! miss. They are approximations by shape, counted per sentence:
//! - **pronoun opener**: the first word outside quotes is a third-person pronoun or a
//!   demonstrative ("He", "It", "They", "This", "Those");
//! - **definite opener**: "The/This/These/That/Those" and an abstract or person noun ("The
//!   statement", "The man") whose noun no earlier sentence of the brief uses;
//! - **unnamed quote**: a quotation of four words or more with no capitalized name and no
//!   speaker phrase outside the quotes;
//! - **deictic time**: "yesterday", "today", "tomorrow", "tonight", "this/last/next week",
//!   "last night" outside quotes;
//! - **number-mismatched citation**: a cited passage lacking a number the sentence states.

use serde::Serialize;

/// One sentence of a brief with the passages it cites (its own article's left out).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedSentence {
    /// The sentence as printed.
    pub text: String,
    /// The sentence as its article wrote it, whose claim the citations report: a date the
    /// brief resolved ("Wednesday" printed as "on September 16") is no figure the cited
    /// passages must carry.
    pub claim: String,
    /// The passages of the other articles cited for it.
    pub cited: Vec<String>,
    /// It comes right after the sentence before it in its own article (so a pronoun at its
    /// start is that sentence's).
    pub follows_its_predecessor: bool,
}

/// Counts of what the checks flag over some briefs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct BriefChecks {
    /// Briefs checked.
    pub briefs: usize,
    /// Briefs with no title (or "Untitled event").
    pub untitled: usize,
    /// Sentences checked.
    pub sentences: usize,
    /// Sentences opening with a pronoun.
    pub pronoun_openers: usize,
    /// Sentences opening with a definite reference the brief has not introduced.
    pub definite_openers: usize,
    /// Sentences with a quotation and no named speaker.
    pub unnamed_quotes: usize,
    /// Sentences with a deictic time word.
    pub deictic_times: usize,
    /// Citations of other articles.
    pub citations: usize,
    /// Citations whose passage lacks a number of the sentence.
    pub number_mismatches: usize,
}

impl BriefChecks {
    /// Adds another count.
    pub fn add(&mut self, o: &BriefChecks) {
        self.briefs += o.briefs;
        self.untitled += o.untitled;
        self.sentences += o.sentences;
        self.pronoun_openers += o.pronoun_openers;
        self.definite_openers += o.definite_openers;
        self.unnamed_quotes += o.unnamed_quotes;
        self.deictic_times += o.deictic_times;
        self.citations += o.citations;
        self.number_mismatches += o.number_mismatches;
    }

    /// Sentences flagged by any of the standalone checks.
    pub fn not_standalone(&self) -> usize {
        self.pronoun_openers + self.definite_openers + self.unnamed_quotes + self.deictic_times
    }

    /// One line for a report.
    pub fn summary_line(&self) -> String {
        let per = |n: usize| n as f64 / self.sentences.max(1) as f64;
        format!(
            "brief checks ({} briefs, {} sentences): pronoun openers {} ({:.3}), unresolved definite openers {} ({:.3}), quotes without a named speaker {} ({:.3}), deictic times {} ({:.3}); untitled events {}; citations lacking a number of their sentence {} of {}",
            self.briefs,
            self.sentences,
            self.pronoun_openers,
            per(self.pronoun_openers),
            self.definite_openers,
            per(self.definite_openers),
            self.unnamed_quotes,
            per(self.unnamed_quotes),
            self.deictic_times,
            per(self.deictic_times),
            self.untitled,
            self.number_mismatches,
            self.citations
        )
    }
}

const PRONOUNS: &[&str] = &[
    "he", "she", "it", "they", "his", "her", "its", "their", "this", "these", "those", "that",
    "him", "them",
];

const REFERRING_NOUNS: &[&str] = &[
    "statement",
    "statements",
    "remarks",
    "comments",
    "decision",
    "move",
    "announcement",
    "report",
    "incident",
    "case",
    "plan",
    "proposal",
    "deal",
    "agreement",
    "man",
    "woman",
    "men",
    "women",
    "boy",
    "girl",
    "suspect",
    "victim",
    "victims",
    "company",
    "group",
    "official",
    "officials",
    "move",
    "attack",
    "meeting",
    "talks",
    "visit",
    "trip",
    "letter",
    "issue",
    "matter",
    "situation",
    "disagreement",
    "dispute",
    "ruling",
    "vote",
    "bill",
];

fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The text outside quotation marks (straight, curly, `` '').
fn outside_quotes(text: &str) -> (String, Vec<String>) {
    let mut outside = String::new();
    let mut quotes = Vec::new();
    let mut current = String::new();
    let mut open = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let pair = |ch: char, chars: &mut std::iter::Peekable<std::str::Chars>| {
            if chars.peek() == Some(&ch) {
                chars.next();
                true
            } else {
                false
            }
        };
        let mark = match c {
            '"' | '\u{201C}' | '\u{201D}' => true,
            '`' => pair('`', &mut chars),
            '\'' => pair('\'', &mut chars),
            _ => false,
        };
        if mark {
            if open {
                quotes.push(std::mem::take(&mut current));
            }
            open = !open;
            outside.push(' ');
            continue;
        }
        if open {
            current.push(c);
        } else {
            outside.push(c);
        }
    }
    if open {
        quotes.push(current);
    }
    (outside, quotes)
}

/// Figures of a text: digits with separators dropped; dates left out (a year, or a day after
/// a month name), since a date may be written "yesterday" by one outlet and "March 13" by
/// another.
fn numbers(text: &str) -> Vec<String> {
    const MONTHS: &[&str] = &[
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
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ];
    let mut out = Vec::new();
    let mut prev = String::new();
    for raw in text.split_whitespace() {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let v: String = w.chars().filter(|c| *c != ',').collect();
        let year = v.len() == 4
            && v.chars().all(|c| c.is_ascii_digit())
            && (v.starts_with("19") || v.starts_with("20"));
        let day = MONTHS.contains(&prev.as_str()) && v.len() <= 2;
        if v.chars().next().is_some_and(|c| c.is_ascii_digit()) && !year && !day {
            out.push(
                v.trim_end_matches(|c: char| !c.is_ascii_digit())
                    .to_string(),
            );
        }
        prev = w.trim_end_matches('.').to_lowercase();
    }
    out
}

/// Checks one brief: its title and its sentences in order.
pub fn check_brief(title: &str, sentences: &[CheckedSentence]) -> BriefChecks {
    let mut c = BriefChecks {
        briefs: 1,
        untitled: usize::from(title.trim().is_empty() || title == "Untitled event"),
        ..BriefChecks::default()
    };
    let mut told: Vec<String> = Vec::new();
    for s in sentences {
        c.sentences += 1;
        let (outside, quotes) = outside_quotes(&s.text);
        let ws = words(&outside);
        let lower: Vec<String> = ws.iter().map(|w| w.to_lowercase()).collect();
        if !s
            .text
            .trim_start()
            .starts_with(['"', '\u{201C}', '`', '\''])
            && let Some(first) = lower.first()
        {
            let first = first.split(['\'', '\u{2019}']).next().unwrap_or(first);
            let expletive =
                first == "it" && matches!(lower.get(1).map(String::as_str), Some("is" | "was"));
            if PRONOUNS.contains(&first) && !expletive && !s.follows_its_predecessor {
                c.pronoun_openers += 1;
            } else if matches!(first, "the" | "this" | "these" | "that" | "those")
                && let Some(noun) = lower
                    .iter()
                    .skip(1)
                    .take(2)
                    .find(|w| REFERRING_NOUNS.contains(&w.as_str()))
                && !told
                    .iter()
                    .any(|t| t.starts_with(noun.trim_end_matches('s')))
            {
                c.definite_openers += 1;
            }
        }
        let long_quote = quotes.iter().any(|q| q.split_whitespace().count() >= 4);
        if long_quote {
            // A capital outside the quotes, not counting the sentence's own first word.
            let opens_outside = !s
                .text
                .trim_start()
                .starts_with(['"', '\u{201C}', '`', '\'']);
            let named = ws
                .iter()
                .skip(usize::from(opens_outside))
                .any(|w| w.chars().next().is_some_and(char::is_uppercase));
            let role = lower.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "spokesman" | "spokeswoman" | "police" | "officials" | "official" | "statement"
                )
            });
            if !named && !role {
                c.unnamed_quotes += 1;
            }
        }
        let joined = format!(" {} ", lower.join(" "));
        let deictic = ["yesterday", "today", "tomorrow", "tonight"]
            .iter()
            .any(|w| lower.iter().any(|x| x == w))
            || ["this week", "last week", "next week", "last night"]
                .iter()
                .any(|p| joined.contains(&format!(" {p} ")));
        if deictic {
            c.deictic_times += 1;
        }
        let mine = numbers(&s.claim);
        for cited in &s.cited {
            c.citations += 1;
            let theirs = numbers(cited);
            if mine.iter().any(|n| !theirs.contains(n)) {
                c.number_mismatches += 1;
            }
        }
        told.extend(words(&s.text).into_iter().map(|w| w.to_lowercase()));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str, cited: &[&str]) -> CheckedSentence {
        CheckedSentence {
            text: text.into(),
            claim: text.into(),
            cited: cited.iter().map(|c| c.to_string()).collect(),
            follows_its_predecessor: false,
        }
    }

    #[test]
    fn each_check_flags_its_case_and_passes_a_clean_brief() {
        let bad = check_brief(
            "Untitled event",
            &[
                s("He said the deal was fair.", &[]),
                s("The statement was made before the vote.", &[]),
                s(
                    "\u{201C}We will not give up on the harbor,\u{201D} he added.",
                    &[],
                ),
                s("Dockworkers returned to work yesterday.", &[]),
                s(
                    "Workers get a 3.5 percent raise.",
                    &["Workers were offered a 2.5 percent raise."],
                ),
            ],
        );
        assert_eq!(
            (
                bad.untitled,
                bad.pronoun_openers,
                bad.definite_openers,
                bad.unnamed_quotes,
                bad.deictic_times,
                bad.number_mismatches
            ),
            (1, 1, 1, 1, 1, 1)
        );
        let good = check_brief(
            "Port strike ends",
            &[
                s(
                    "The union and the operators signed a statement on Thursday.",
                    &[],
                ),
                s(
                    "The statement promised a 3.5 percent raise.",
                    &["It gives a 3.5 percent raise."],
                ),
                s("\u{201C}We held the line,\u{201D} said Marco Ilves.", &[]),
                s("It is not clear when ships will return.", &[]),
            ],
        );
        assert_eq!(
            good.not_standalone() + good.untitled + good.number_mismatches,
            0,
            "{good:?}"
        );
    }
}
