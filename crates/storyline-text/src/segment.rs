//! Sentence segmentation for news text.
//!
//! Rule-based, in the tradition of Grefenstette & Tapanainen (1994) and the Punkt
//! abbreviation heuristics (Kiss & Strunk 2006), with rules for the cases news text is full
//! of: titles before names (`Gen. Mattis`), initials (`George W. Bush`), multi-period
//! acronyms that may or may not end a sentence (`the U.S. Senate` vs `in the U.S. The talks`),
//! AP-style state and month abbreviations (`Mobile, Ala.`, `Jan. 5`), decimals, ellipses,
//! and closing quotes after the terminator (including the ``` ``...'' ``` quotes of
//! newswire corpora).
//!
//! Why not a crate: `sentencize` (the best of those measured for this project) keeps a
//! sentence-final acronym glued to the next sentence, and `sentencex`/UAX#29 over-split on
//! abbreviations. Every stage (summary units, citations, quotes, ROUGE references) depends on
//! these boundaries, so the rules live here, with their tests.
//!
//! A sentence never crosses a line break: callers pass paragraphs, or text whose lines are
//! paragraphs.

use std::ops::Range;

/// Titles that precede a name: a period after them never ends a sentence.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt",
    "capt", "cmdr", "adm", "maj", "cpl", "pvt", "rev", "msgr", "fr", "sr", "st", "mt", "ft",
    "pres", "supt", "det", "insp", "hon", "amb", "atty", "brig", "lieut", "gens", "sens", "reps",
];

/// Abbreviations that are followed by a number (`No. 5`, `Jan. 5`, `pp. 12`).
const BEFORE_NUMBERS: &[&str] = &[
    "no", "nos", "vol", "art", "sec", "fig", "figs", "pp", "p", "ch", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ca", "approx", "op", "ed",
];

/// Abbreviations that can also end a sentence: a boundary only before a sentence starter.
const AMBIGUOUS: &[&str] = &[
    "inc", "co", "corp", "ltd", "llc", "plc", "bros", "jr", "vs", "etc", "al", "ave", "blvd", "rd",
    "dept", "univ", "assn", "est", "jan", "feb", "aug", "sept", "oct", "nov", "dec",
];

/// AP-style US state abbreviations. Inside a sentence AP puts a comma after them
/// ("San Diego, Calif., on Monday"), so followed by a word they usually end one.
const STATES: &[&str] = &[
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky",
    "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa",
    "tenn", "tex", "vt", "va", "wash", "wis", "wyo",
];

/// Capitalized words that typically open a sentence. After an ambiguous abbreviation
/// (`U.S.`, `Inc.`, `p.m.`) a boundary is placed only when one of these follows.
const STARTERS: &[&str] = &[
    "a",
    "an",
    "the",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "its",
    "their",
    "our",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "in",
    "on",
    "at",
    "as",
    "after",
    "before",
    "when",
    "while",
    "if",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "for",
    "with",
    "by",
    "from",
    "to",
    "of",
    "however",
    "meanwhile",
    "also",
    "still",
    "since",
    "because",
    "although",
    "though",
    "what",
    "who",
    "why",
    "how",
    "where",
    "some",
    "many",
    "most",
    "all",
    "no",
    "not",
    "one",
    "two",
    "three",
    "during",
    "under",
    "about",
    "last",
    "earlier",
    "later",
    "now",
    "then",
    "both",
    "each",
    "such",
    "other",
    "another",
    "officials",
    "police",
    "mr",
    "mrs",
    "ms",
    "dr",
];

/// How a text uses capitals, which decides how much a capital after a period means.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Edited text: sentences and names are capitalized.
    #[default]
    Cased,
    /// Sentences start with a capital but names are lowercase (as in some corpora): a
    /// capital after an abbreviation can only start a sentence.
    SentenceCased,
    /// No capitals at all: a lowercase word after a terminator may begin a sentence.
    Caseless,
}

impl Mode {
    /// Names have lost their capitals (the text is not [`Mode::Cased`]).
    pub fn names_lowercased(self) -> bool {
        self != Mode::Cased
    }
}

/// Splits `text` into sentences; returns trimmed, non-empty byte ranges in order. The
/// [`Mode`] is chosen by [`detect_mode`].
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    sentences_in(text, detect_mode(text))
}

/// Splits `text` into sentences in the given mode.
pub fn sentences_in(text: &str, mode: Mode) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        split_line(text, line_start, line_start + line.len(), mode, &mut out);
        line_start += line.len();
    }
    out
}

/// Guesses how `text` uses capitals. In edited English a few percent of the words inside
/// sentences are capitalized (names); a text of 40 words or more with (almost) none has lost
/// them, and is [`Mode::SentenceCased`] if most words after a terminator are capitalized,
/// else [`Mode::Caseless`].
pub fn detect_mode(text: &str) -> Mode {
    detect_mode_of([text])
}

/// [`detect_mode`] of the text made of `parts` joined by whitespace (an article's
/// paragraphs), without joining them.
pub fn detect_mode_of<'a>(parts: impl IntoIterator<Item = &'a str>) -> Mode {
    let (mut inner, mut inner_caps, mut initial, mut initial_caps) =
        (0usize, 0usize, 0usize, 0usize);
    let mut after_terminator = true;
    for w in parts.into_iter().flat_map(str::split_whitespace) {
        let first = w
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .chars()
            .next();
        if let Some(c) = first.filter(|c| c.is_alphabetic()) {
            let cap = c.is_uppercase() && w != "I";
            if after_terminator {
                initial += 1;
                initial_caps += usize::from(cap);
            } else {
                inner += 1;
                inner_caps += usize::from(cap);
            }
        }
        if first.is_some() || w.ends_with(['.', '!', '?']) {
            after_terminator = w.ends_with(['.', '!', '?', ':']);
        }
    }
    if inner < 40 || inner_caps * 100 >= inner {
        Mode::Cased
    } else if initial_caps * 2 > initial {
        Mode::SentenceCased
    } else {
        Mode::Caseless
    }
}

/// Convenience: the sentences of `text` as string slices.
pub fn sentence_strs(text: &str) -> Vec<&str> {
    sentences(text).into_iter().map(|r| &text[r]).collect()
}

fn split_line(text: &str, start: usize, end: usize, mode: Mode, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut sent_start = start;
    let mut i = start;
    while i < end {
        let b = bytes[i];
        let ellipsis = b == 0xE2 && text[i..end].starts_with('\u{2026}');
        if !(matches!(b, b'.' | b'!' | b'?') || ellipsis) {
            i += 1;
            continue;
        }
        // The whole run of terminators: "...", "?!", "!!".
        let mut j = i;
        let mut periods_only = true;
        let mut run_len = 0;
        while j < end {
            if matches!(bytes[j], b'.' | b'!' | b'?') {
                periods_only &= bytes[j] == b'.';
                j += 1;
                run_len += 1;
            } else if text[j..end].starts_with('\u{2026}') {
                j += '\u{2026}'.len_utf8();
                run_len += 3;
            } else {
                break;
            }
        }
        let term_end = j;
        // Closing quotes and brackets belong to the sentence they close; in tokenized text a
        // closing quote stands alone between spaces ("... said. " he added").
        j = skip_closers(text, j, end);
        // Tokenized text writes both quote marks between spaces: a lone `"` after the
        // terminator closes this sentence when the sentence has an odd number of them.
        if text[j..end].starts_with(" \" ") || text[j..end] == *" \"" {
            let open = text[sent_start..j].matches('"').count() % 2 == 1;
            if open {
                j += 2;
            }
        }
        let after_ws = skip_spaces(text, j, end);
        let boundary = if after_ws == end {
            true
        } else if after_ws == j {
            // No space after the terminator: "3.5", "U.S.-led", "example.com", "Yahoo!'s".
            false
        } else if periods_only && run_len == 1 {
            period_is_boundary(text, sent_start, i, &text[after_ws..end], mode)
        } else {
            // ?, !, ellipses: a boundary unless the next word continues the sentence.
            starts_like_sentence(&text[after_ws..end], mode)
        };
        if boundary {
            push_trimmed(text, sent_start, j, out);
            sent_start = j;
        }
        i = term_end.max(i + 1);
    }
    push_trimmed(text, sent_start, end, out);
}

fn skip_closers(text: &str, mut j: usize, end: usize) -> usize {
    loop {
        let rest = &text[j..end];
        if rest.starts_with("''") {
            j += 2;
            continue;
        }
        match rest.chars().next() {
            Some(c @ ('"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '\u{00BB}')) => {
                j += c.len_utf8()
            }
            _ => return j,
        }
    }
}

fn skip_spaces(text: &str, j: usize, end: usize) -> usize {
    let rest = &text[j..end];
    j + (rest.len() - rest.trim_start().len())
}

/// Does the text after a terminator begin a new sentence (capital, digit or opening quote)?
/// In case-less text, any word may.
fn starts_like_sentence(next: &str, mode: Mode) -> bool {
    // Where names lost their capitals, sentence starts often did too (after quotes, after
    // "?"): any word may open a sentence.
    if mode.names_lowercased() {
        let word = next.trim_start_matches(|c: char| !c.is_alphanumeric());
        return word.starts_with(|c: char| c.is_alphanumeric())
            && !next.starts_with([',', ';', ')', ']']);
    }
    let mut chars = next.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => true,
        Some('"' | '\u{201C}' | '\'' | '\u{2018}' | '(' | '[' | '\u{00AB}') => {
            // Tokenized text may put a space after the opening quote.
            let c = chars.next();
            let c = if c == Some(' ') { chars.next() } else { c };
            c.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '\'')
        }
        Some('`') => true,
        // Scripts without case (CJK, Arabic, ...): any letter may open a sentence.
        Some(c) => c.is_alphabetic() && !c.is_lowercase(),
        None => false,
    }
}

/// The word that the period at `dot` ends, without the period (e.g. `U.S` or `Gen`).
fn word_before(text: &str, sent_start: usize, dot: usize) -> &str {
    let head = &text[sent_start..dot];
    let from = head
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '\u{201C}' | '[' | '`'))
        .map_or(0, |(k, c)| k + c.len_utf8());
    &head[from..]
}

fn first_word(next: &str) -> &str {
    let s = next.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = s.find(|c: char| !c.is_alphanumeric()).unwrap_or(s.len());
    &s[..end]
}

fn period_is_boundary(text: &str, sent_start: usize, dot: usize, next: &str, mode: Mode) -> bool {
    if !starts_like_sentence(next, mode) {
        return false;
    }
    let word = word_before(text, sent_start, dot);
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    let lower = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    let next_word = first_word(next);
    let next_is_number = next_word.starts_with(|c: char| c.is_ascii_digit());
    let next_is_starter = STARTERS.contains(&next_word.to_lowercase().as_str());

    if TITLES.contains(&lower) {
        return false;
    }
    if next_is_number && BEFORE_NUMBERS.contains(&lower) {
        return false;
    }
    // A single capital letter is an initial (George W. Bush), unless a starter follows it.
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && (c.is_uppercase() || (mode == Mode::Caseless && c.is_alphabetic()))
    {
        return next_is_starter;
    }
    // Acronyms with inner periods (U.S, a.m, D.C, N.Y) and known ambiguous abbreviations end
    // a sentence only before a typical sentence opener.
    if STATES.contains(&lower) {
        // "MOBILE, Ala. (AP)" is a dateline; "Calif. 5" a reference; otherwise a word after a
        // state ends the sentence when it is lowercase-insensitive text or a starter follows.
        let dateline = next.starts_with('(') || next_is_number;
        return !dateline && (next_is_starter || mode != Mode::Cased);
    }
    let dotted = lower.contains('.') && lower.chars().filter(|c| c.is_alphabetic()).count() <= 4;
    if dotted || AMBIGUOUS.contains(&lower) {
        // Where names keep their capitals, only a typical opener tells a new sentence; where
        // they lost them, any capital does.
        let capital = next_word.starts_with(char::is_uppercase);
        return next_is_starter || (mode == Mode::SentenceCased && capital);
    }
    true
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        out.push(start + lead..start + lead + trimmed.len());
    }
}

#[cfg(test)]
mod tests {
    use super::sentence_strs;

    fn split(t: &str) -> Vec<&str> {
        sentence_strs(t)
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            split("The talks ended. Both sides left! Why? Nobody knows."),
            [
                "The talks ended.",
                "Both sides left!",
                "Why?",
                "Nobody knows."
            ]
        );
    }

    #[test]
    fn titles_before_names_do_not_end_sentences() {
        assert_eq!(
            split("Gen. Mattis met Mr. Smith and Sen. Maria Cantwell. They talked."),
            [
                "Gen. Mattis met Mr. Smith and Sen. Maria Cantwell.",
                "They talked."
            ]
        );
    }

    #[test]
    fn initials_do_not_end_sentences() {
        assert_eq!(
            split("George W. Bush and J. K. Rowling spoke. It was late."),
            ["George W. Bush and J. K. Rowling spoke.", "It was late."]
        );
    }

    #[test]
    fn acronyms_end_a_sentence_only_before_a_sentence_opener() {
        assert_eq!(
            split("The U.S. Senate voted. The talks moved to the U.S. The Russians left."),
            [
                "The U.S. Senate voted.",
                "The talks moved to the U.S.",
                "The Russians left."
            ]
        );
        assert_eq!(
            split("It starts at 4 p.m. Friday in Washington, D.C. and ends later."),
            ["It starts at 4 p.m. Friday in Washington, D.C. and ends later."]
        );
    }

    #[test]
    fn decimals_and_numbers_stay_whole() {
        assert_eq!(
            split("Growth was 3.5 percent in 2016. Prices rose 1.2 points."),
            ["Growth was 3.5 percent in 2016.", "Prices rose 1.2 points."]
        );
        assert_eq!(
            split("See No. 5 on Jan. 12 at St. Louis."),
            ["See No. 5 on Jan. 12 at St. Louis."]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            split("\u{201C}We are ready.\u{201D} Volkov said so. \"Go.\" He went."),
            [
                "\u{201C}We are ready.\u{201D}",
                "Volkov said so.",
                "\"Go.\"",
                "He went."
            ]
        );
        assert_eq!(
            split("``He wanted to kill everybody,'' the agent said. ``No.'' Then silence."),
            [
                "``He wanted to kill everybody,'' the agent said.",
                "``No.''",
                "Then silence."
            ]
        );
    }

    #[test]
    fn a_question_inside_a_quote_continues_with_lowercase() {
        assert_eq!(
            split("\"Is that a long-term alliance?\" he asked. Nobody answered."),
            [
                "\"Is that a long-term alliance?\" he asked.",
                "Nobody answered."
            ]
        );
    }

    #[test]
    fn ap_style_datelines_and_states() {
        assert_eq!(
            split("MOBILE, Ala. (AP) -- A man was arrested. He said nothing."),
            [
                "MOBILE, Ala. (AP) -- A man was arrested.",
                "He said nothing."
            ]
        );
        assert_eq!(
            split("He lives in Mobile, Ala. The trial starts Monday."),
            ["He lives in Mobile, Ala.", "The trial starts Monday."]
        );
    }

    #[test]
    fn ellipses_split_only_before_a_capital() {
        assert_eq!(
            split("We waited... and waited. Then... Nothing happened."),
            ["We waited... and waited.", "Then...", "Nothing happened."]
        );
    }

    #[test]
    fn no_space_means_no_boundary() {
        assert_eq!(
            split("U.S.-Russia relations hit a low. Visit example.com.Now."),
            ["U.S.-Russia relations hit a low.", "Visit example.com.Now."]
        );
    }

    #[test]
    fn sentences_never_cross_lines() {
        assert_eq!(
            split("A headline without a period\nThe body starts here."),
            ["A headline without a period", "The body starts here."]
        );
    }

    #[test]
    fn caseless_text_is_detected_and_split_without_capitals() {
        let text = "the band co-founder appeared in vista superior court in san diego, calif. lambesis \
pleaded guilty to one count of solicitation of murder. prosecutors said he paid an undercover \
officer posing as a hit man. can't get enough of the story? sign up for our newsletter on the \
case and more. the hearing in the case is set for may 2 in vista superior court, north of san diego.";
        assert_eq!(super::detect_mode(text), super::Mode::Caseless);
        let got = split(text);
        assert_eq!(got.len(), 6, "{got:#?}");
        assert!(got[0].ends_with("calif."));
        assert!(got[1].starts_with("lambesis"));
        assert_eq!(
            super::detect_mode("The Court in San Diego heard Mr. Lambesis on Monday."),
            super::Mode::Cased
        );
        let sentence_cased = "The band co-founder appeared in vista superior court in san diego, calif. \
Lambesis pleaded guilty to one count of solicitation of murder. Prosecutors said he paid an \
undercover officer posing as a hit man in the u.s. navy case. The hearing is set for may 2 in \
vista superior court, north of san diego, where the judge will hear the case.";
        assert_eq!(
            super::detect_mode(sentence_cased),
            super::Mode::SentenceCased
        );
        assert_eq!(split(sentence_cased).len(), 4);
        // In parts (paragraphs), the mode of the whole.
        for t in [text, sentence_cased] {
            assert_eq!(super::detect_mode_of(t.split(' ')), super::detect_mode(t));
        }
    }

    #[test]
    fn tokenized_quotes_go_to_the_sentence_they_belong_to() {
        let t =
            "He said it was \" a fine day . \" \" This is the biggest event . \" the man added.";
        assert_eq!(
            split(t),
            [
                "He said it was \" a fine day . \"",
                "\" This is the biggest event . \" the man added."
            ]
        );
        // Without capitals, what follows a closing quote cannot be told from a new sentence.
        let caseless = super::Mode::Caseless;
        let t = "he said it was \" a fine day . \" \" this is the biggest event . \" then he left.";
        let got: Vec<&str> = super::sentences_in(t, caseless)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(
            got,
            [
                "he said it was \" a fine day . \"",
                "\" this is the biggest event . \"",
                "then he left."
            ]
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in [
            "", ".", "...", "?!", "\u{2026}", " . . ", "a.", "Mr.", "\"", "''.", "é. É.",
        ] {
            let _ = split(t);
        }
    }
}
