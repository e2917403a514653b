//! Turning summary sentences into ROUGE tokens, step for step as `ROUGE-1.5.5.pl` does it.
//!
//! The Perl script reads a summary twice: `readText` joins its sentences into one string for
//! n-gram and skip-bigram counting (and for the unigram counts that clip ROUGE-L), and
//! `readText_LCS` keeps one string per sentence for the summary-level LCS. Both apply the
//! length limit (`-l` words or `-b` bytes) to the *raw* sentences, then clean the text with
//! `s/-/ - /g; s/[^A-Za-z0-9\-]/ /g`, squeeze whitespace and split into tokens;
//! `createNGram` / `tokenizeText_LCS` drop stopwords (`-s`), keep tokens matching
//! `/^[a-z0-9\$]/` and stem the ones longer than three bytes (`-m`, [`Lexicon::stem`]).
//!
//! Everything works on bytes, as the Perl script does (it opens files without a decoding
//! layer): every byte of a non-ASCII character becomes a token separator and `-b` counts bytes.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};
use storyline_text::stem::porter_stem;

use super::Limit;

/// WordNet 2.0 morphological exceptions (`went -> go`, `mice -> mouse`, ...), word TAB base,
/// merged from the `adj`, `adv`, `noun` and `verb` `.exc` files in that order (later files
/// override earlier keys), which is the content of ROUGE-1.5.5's `WordNet-2.0.exc.db`.
/// See `data/WORDNET-LICENSE`.
const WORDNET_EXCEPTIONS: &str = include_str!("../../data/wordnet-2.0-exceptions.tsv");

/// ROUGE-1.5.5's `smart_common_words.txt` (the SMART stopword list), used with `-s`.
const SMART_STOPWORDS: &str = include_str!("../../data/smart_common_words.txt");

/// The immutable word lists ROUGE-1.5.5 loads at start-up, parsed once per process.
static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::parse);

/// Stemming exceptions and stopwords.
#[derive(Debug)]
pub(crate) struct Lexicon {
    exceptions: FxHashMap<&'static str, &'static str>,
    stopwords: FxHashSet<&'static str>,
}

impl Lexicon {
    /// The process-wide lexicon (parsed on first use).
    pub(crate) fn get() -> &'static Lexicon {
        &LEXICON
    }

    fn parse() -> Lexicon {
        let exceptions = WORDNET_EXCEPTIONS
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .collect();
        // Perl: `chomp($line); $stopwords{$line}=1;` -- whole lines, blanks included.
        let stopwords = SMART_STOPWORDS.lines().collect();
        Lexicon {
            exceptions,
            stopwords,
        }
    }

    /// Number of WordNet exception entries (5930 for WordNet 2.0).
    #[cfg(test)]
    pub(crate) fn exception_count(&self) -> usize {
        self.exceptions.len()
    }

    /// ROUGE-1.5.5's `MorphStem`: the WordNet 2.0 exception list is consulted *before* the
    /// Porter stemmer, so irregular forms map to their base (`went -> go`, `better -> well`,
    /// `is -> be`) and everything else goes through ROUGE's Porter variant.
    pub(crate) fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        match self.exceptions.get(word) {
            Some(base) => std::borrow::Cow::Borrowed(base),
            None => porter_stem(word),
        }
    }

    fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }
}

/// How a summary is read and tokenized (the part of the configuration that shapes tokens).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TextOptions {
    pub limit: Option<Limit>,
    pub stem: bool,
    pub remove_stopwords: bool,
}

/// Perl's `\s` on a byte string (no `use utf8`, no locale): ASCII whitespace, VT included.
fn is_perl_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// `split(/\s+/, $s)`: the fields of a sentence. A sentence starting with whitespace yields a
/// leading empty field (which counts as a word for `-l`); trailing empty fields are dropped,
/// so an all-blank sentence has no fields.
fn perl_split_ws(s: &[u8]) -> Vec<&[u8]> {
    let mut fields: Vec<&[u8]> = s
        .split(|&b| is_perl_space(b))
        .filter(|f| !f.is_empty())
        .collect();
    if !fields.is_empty() && s.first().is_some_and(|&b| is_perl_space(b)) {
        fields.insert(0, &[]);
    }
    fields
}

/// `join(" ", @tokens[0..$k-1])`.
fn join_fields(fields: &[&[u8]], k: usize, out: &mut Vec<u8>) {
    for (i, f) in fields.iter().take(k).enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        out.extend_from_slice(f);
    }
}

/// `readText`: the whole summary as one string, cut to the length limit.
///
/// With `-l N`, sentences are appended while `words so far + words of sentence < N` (strict);
/// the first sentence that reaches the limit contributes its first `N - words so far` fields
/// and ends the text. `-b N` does the same with byte lengths (the joining spaces are not
/// counted). A limit of 0 means no limit, as in the Perl script.
pub(crate) fn read_text(sentences: &[&[u8]], limit: Option<Limit>) -> Vec<u8> {
    let mut out = Vec::new();
    match limit {
        Some(Limit::Words(limit)) if limit > 0 => {
            let mut len = 0usize;
            for s in sentences {
                let fields = perl_split_ws(s);
                if len + fields.len() < limit {
                    if len != 0 {
                        out.push(b' ');
                    }
                    out.extend_from_slice(s);
                    len += fields.len();
                } else {
                    if len > 0 {
                        out.push(b' ');
                    }
                    join_fields(&fields, limit - len, &mut out);
                    break;
                }
            }
        }
        Some(Limit::Bytes(limit)) if limit > 0 => {
            let mut len = 0usize;
            for s in sentences {
                if len + s.len() < limit {
                    if len != 0 {
                        out.push(b' ');
                    }
                    out.extend_from_slice(s);
                    len += s.len();
                } else {
                    if len > 0 {
                        out.push(b' ');
                    }
                    out.extend_from_slice(&s[..limit - len]);
                    break;
                }
            }
        }
        _ => {
            for (i, s) in sentences.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                out.extend_from_slice(s);
            }
        }
    }
    out
}

/// `readText_LCS`: the summary as units (sentences) for ROUGE-L / ROUGE-W, cut to the limit.
///
/// `-l N` keeps whole sentences while the running word count stays below `N` and then the
/// first fields of the sentence that reaches it, exactly like [`read_text`]. With `-b N`,
/// ROUGE-1.5.5 never adds the sentence lengths up (its `$tmpTextLen` stays 0), so it keeps
/// every sentence shorter than `N` bytes and stops at the first one of `N` bytes or more, cut
/// to `N` bytes. Reproduced as is: with `-b`, ROUGE-L sees more text than ROUGE-N.
pub(crate) fn read_text_lcs(sentences: &[&[u8]], limit: Option<Limit>) -> Vec<Vec<u8>> {
    let mut units = Vec::with_capacity(sentences.len());
    match limit {
        Some(Limit::Words(limit)) if limit > 0 => {
            let mut len = 0usize;
            for s in sentences {
                let fields = perl_split_ws(s);
                if len + fields.len() < limit {
                    len += fields.len();
                    units.push(s.to_vec());
                } else {
                    let mut cut = Vec::new();
                    join_fields(&fields, limit - len, &mut cut);
                    units.push(cut);
                    break;
                }
            }
        }
        Some(Limit::Bytes(limit)) if limit > 0 => {
            for s in sentences {
                if s.len() < limit {
                    units.push(s.to_vec());
                } else {
                    units.push(s[..limit].to_vec());
                    break;
                }
            }
        }
        _ => units.extend(sentences.iter().map(|s| s.to_vec())),
    }
    units
}

/// Tokens of one cleaned string, appended to `out`.
///
/// After `tr/A-Z/a-z/`, `s/-/ - /g` and `s/[^A-Za-z0-9\-]/ /g`, every whitespace-separated
/// field is either a run of `[a-z0-9]` or a lone `-`; the `-` fields fail `/^[a-z0-9\$]/` and
/// are dropped. So the candidate tokens are exactly the maximal ASCII alphanumeric runs.
/// Stopwords are tested on the unstemmed token, as in `createNGram`.
pub(crate) fn tokenize_into(
    text: &[u8],
    opts: &TextOptions,
    lexicon: &Lexicon,
    out: &mut Vec<Box<str>>,
) {
    let mut word = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest
            .iter()
            .position(|b| b.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        rest = &rest[start..];
        let end = rest
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        word.clear();
        word.extend(
            rest[..end]
                .iter()
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
        rest = &rest[end..];
        if opts.remove_stopwords && lexicon.is_stopword(&word) {
            continue;
        }
        if opts.stem && word.len() > 3 {
            out.push(lexicon.stem(&word).into());
        } else {
            out.push(word.as_str().into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&'static str]) -> Vec<&'static [u8]> {
        v.iter().map(|x| x.as_bytes()).collect()
    }

    #[test]
    fn split_keeps_a_leading_empty_field_like_perl() {
        assert_eq!(perl_split_ws(b" a  b ").len(), 3);
        assert_eq!(perl_split_ws(b"a b").len(), 2);
        assert_eq!(perl_split_ws(b"   ").len(), 0);
        assert_eq!(perl_split_ws(b"").len(), 0);
    }

    #[test]
    fn word_limit_is_strict_and_cuts_the_last_sentence() {
        let sents = s(&["one two three", "four five", "six seven eight"]);
        assert_eq!(
            read_text(&sents, Some(Limit::Words(4))),
            b"one two three four"
        );
        assert_eq!(
            read_text(&sents, Some(Limit::Words(5))),
            b"one two three four five"
        );
        let units = read_text_lcs(&sents, Some(Limit::Words(5)));
        assert_eq!(
            units,
            vec![b"one two three".to_vec(), b"four five".to_vec()]
        );
        assert_eq!(
            read_text(&sents, Some(Limit::Words(0))),
            b"one two three four five six seven eight"
        );
    }

    #[test]
    fn byte_limit_of_lcs_units_does_not_accumulate() {
        let sents = s(&["abcd", "efgh", "ijklmnop", "q"]);
        assert_eq!(read_text(&sents, Some(Limit::Bytes(6))), b"abcd ef");
        let units = read_text_lcs(&sents, Some(Limit::Bytes(6)));
        assert_eq!(
            units,
            vec![b"abcd".to_vec(), b"efgh".to_vec(), b"ijklmn".to_vec()]
        );
    }

    #[test]
    fn tokens_are_ascii_alphanumeric_runs() {
        let opts = TextOptions {
            limit: None,
            stem: false,
            remove_stopwords: false,
        };
        let mut out = Vec::new();
        tokenize_into(
            "U.S.-led $5.2bn caf\u{e9} co-op's".as_bytes(),
            &opts,
            Lexicon::get(),
            &mut out,
        );
        let got: Vec<&str> = out.iter().map(|t| &**t).collect();
        assert_eq!(got, ["u", "s", "led", "5", "2bn", "caf", "co", "op", "s"]);
    }

    #[test]
    fn wordnet_exceptions_come_before_porter() {
        let lex = Lexicon::get();
        assert_eq!(lex.exception_count(), 5930);
        assert_eq!(lex.stem("went"), "go");
        assert_eq!(lex.stem("mice"), "mouse");
        assert_eq!(lex.stem("better"), "well");
        assert_eq!(lex.stem("running"), "run");
    }
}
