//! Word tokens with byte offsets.
//!
//! A word is a run of letters and digits, with apostrophes between letters (`don't`,
//! `Russia’s`) and periods between single letters (`U.S.`, `a.m.`) kept inside; a number may
//! hold `,` or `.` between digits (`1,200`, `3.5`). Hyphens split (`U.S.-led` → `U.S.`, `led`),
//! as ROUGE does. Everything else that is not a space is a one-character punctuation token.

use std::borrow::Cow;
use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with digits): `Whitfield`, `G7`, `U.S.`.
    Word,
    /// Starts with a digit: `87`, `1,200`, `3.5`, `2017`.
    Number,
    /// Any other visible character.
    Punct,
}

/// One token: where it is and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the tokenized text.
    pub span: Range<usize>,
    /// Kind of token.
    pub kind: TokenKind,
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut it = text.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        if c.is_whitespace() {
            continue;
        }
        if !c.is_alphanumeric() {
            out.push(Token {
                span: start..start + c.len_utf8(),
                kind: TokenKind::Punct,
            });
            continue;
        }
        let number = c.is_ascii_digit();
        let mut end = start + c.len_utf8();
        let mut last = c;
        let mut single_letters = true; // every alphanumeric run so far has length 1 (U.S.)
        let mut run_len = 1;
        while let Some(&(k, d)) = it.peek() {
            if d.is_alphanumeric() {
                run_len += 1;
                single_letters &= run_len == 1;
                end = k + d.len_utf8();
                last = d;
                it.next();
                continue;
            }
            // A joiner stays inside the word only if an alphanumeric follows it.
            let next = text[k + d.len_utf8()..].chars().next();
            let joins = match d {
                _ if is_apostrophe(d) => {
                    last.is_alphabetic() && next.is_some_and(char::is_alphabetic)
                }
                '.' if number => last.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                ',' if number => last.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                '.' => single_letters && run_len == 1 && next.is_some_and(char::is_alphabetic),
                _ => false,
            };
            if !joins {
                break;
            }
            it.next();
            run_len = 0;
            end = k + d.len_utf8();
            last = d;
        }
        // An acronym keeps its final period: `U.S.` (but `end.` does not).
        if !number
            && single_letters
            && run_len == 1
            && text[start..end].contains('.')
            && let Some(&(k, '.')) = it.peek()
        {
            end = k + 1;
            it.next();
        }
        let kind = if number {
            TokenKind::Number
        } else {
            TokenKind::Word
        };
        out.push(Token {
            span: start..end,
            kind,
        });
    }
    out
}

/// The matching form of a word or number: lowercase, accents and letters outside English
/// written as English writes them (`Sigurðsson` → `sigurdsson`, `Jóhann` → `johann`, so
/// outlets that spell a name with and without them match), curly apostrophes straightened,
/// possessive `'s` dropped, thousands separators removed (`1,200` → `1200`), the final period
/// of an acronym dropped (`U.S.` → `u.s`).
pub fn normalize(token: &str) -> Cow<'_, str> {
    let needs_work = token
        .bytes()
        .any(|b| b.is_ascii_uppercase() || b == b'\'' || b == b',' || b == b'.' || b >= 0x80);
    if !needs_work {
        return Cow::Borrowed(token);
    }
    let mut s: String = token
        .chars()
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .collect();
    s = s.to_lowercase();
    if !s.is_ascii() {
        s = latin_letters(&s);
    }
    if s.ends_with("'s") {
        s.truncate(s.len() - 2);
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.retain(|c| c != ',');
    }
    if s.ends_with('.') {
        s.pop();
    }
    Cow::Owned(s)
}

/// A lowercase word's letters as English writes them: accents dropped (NFD without its
/// combining marks: é → e, ñ → n), and the Latin letters that do not decompose spelled out
/// (ð → d, þ → th, ø → o, æ → ae, œ → oe, ß → ss, ł → l, đ → d, ı → i). Other scripts are
/// kept as they are.
pub fn latin_letters(word: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ð' | 'đ' => out.push('d'),
            'þ' => out.push_str("th"),
            'ø' => out.push('o'),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ß' => out.push_str("ss"),
            'ł' => out.push('l'),
            'ı' => out.push('i'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_and_plain_spellings_match() {
        assert_eq!(normalize("Sigurðsson"), "sigurdsson");
        assert_eq!(normalize("Jóhann"), "johann");
        assert_eq!(normalize("Gdańsk"), "gdansk");
        assert_eq!(normalize("Søren"), "soren");
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("Москва"), "москва");
    }

    fn words(t: &str) -> Vec<&str> {
        tokenize(t).into_iter().map(|tok| &t[tok.span]).collect()
    }

    #[test]
    fn keeps_acronyms_contractions_and_numbers_whole() {
        assert_eq!(
            words("The U.S. didn't pay $1,200.50 (3.5%) to Russia’s envoy."),
            [
                "The",
                "U.S.",
                "didn't",
                "pay",
                "$",
                "1,200.50",
                "(",
                "3.5",
                "%",
                ")",
                "to",
                "Russia’s",
                "envoy",
                "."
            ]
        );
    }

    #[test]
    fn hyphens_split_words() {
        assert_eq!(
            words("U.S.-led, six-year-old"),
            ["U.S.", "-", "led", ",", "six", "-", "year", "-", "old"]
        );
    }

    #[test]
    fn a_sentence_final_period_is_not_part_of_a_word() {
        assert_eq!(words("He left."), ["He", "left", "."]);
        assert_eq!(words("in 2017."), ["in", "2017", "."]);
    }

    #[test]
    fn normalizes_for_matching() {
        assert_eq!(normalize("Russia’s"), "russia");
        assert_eq!(normalize("U.S."), "u.s");
        assert_eq!(normalize("1,200"), "1200");
        assert_eq!(normalize("Don't"), "don't");
        assert_eq!(normalize("plain"), "plain");
    }
}
