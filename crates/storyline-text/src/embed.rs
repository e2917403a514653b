//! Static word embeddings: a word or a sentence as a 128-dimensional vector, for telling
//! paraphrases apart from unrelated words ("killed" ~ "died", "talks" ~ "meeting").
//!
//! The table is distilled from all-MiniLM-L6-v2 the Model2Vec way (Tulkens & van Dongen 2024,
//! MinishLab/model2vec): every WordPiece token of the model's vocabulary was passed alone
//! through the transformer, its outputs averaged, the table reduced by PCA and weighted by SIF
//! weights estimated from Zipf's law. A text's vector is then the mean of its tokens' rows: no
//! transformer at run time, a few microseconds a sentence. `tools/embeddings/distill.py`
//! writes the table (`assets/minilm-static.bin`, compiled in with `include_bytes!`) and
//! measures it against the full model; its README describes the layout.
//!
//! The words are BERT's uncased WordPiece tokens, so this module carries its own copy of
//! that tokenizer ([`StaticEmbeddings::for_each_token`]). It is written here rather than taken
//! from the `tokenizers` crate, which builds oniguruma (C) and esaxx (C++) and adds minutes
//! of build for one uncased WordPiece vocabulary. It reproduces `tokenizer.json`'s
//! BertNormalizer, BertPreTokenizer and WordPiece token for token (tested against the Python
//! `tokenizers` package on `tests/fixtures/embed.tsv`); two known differences: Unicode
//! categories come from Unicode 18 where `tokenizers` has older tables (a character assigned
//! since, such as a recent emoji, is an `[UNK]` here and dropped there; both are left out of
//! vectors), and combining marks are not canonically reordered (they are dropped anyway,
//! unless they are spacing marks of scripts the table does not keep).
//!
//! The table keeps BERT's Latin, Greek, digit, punctuation and symbol tokens (28,023 of
//! 30,522); letters of other scripts (CJK, Cyrillic, Arabic, ...) are `[UNK]` and carry no
//! vector.

use std::cmp::Ordering;
use std::fmt;

use unicode_normalization::char::decompose_canonical;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Row of a token in the table: the words (whole-word tokens) in byte order, then the
/// continuation pieces (`##` tokens, stored without `##`) in byte order.
pub type TokenId = u32;

/// The table built into the crate (see the module header).
static MINILM: &[u8] = include_bytes!("../assets/minilm-static.bin");

const MAGIC: &[u8; 8] = b"SLEMBED\0";
const VERSION: u32 = 1;
/// int8 values, one f32 scale per row: `value = scale * q`.
const QUANT_INT8_ROW: u32 = 1;
const HEADER_LEN: usize = 8 + 8 * 4;
/// Entries of a first-byte index: where each first byte's rows start, and the end.
const INDEX_LEN: usize = 257;
/// `tokenizer.json`'s WordPiece limit: a longer word is one `[UNK]`.
const MAX_INPUT_CHARS_PER_WORD: usize = 100;
/// Bytes a word can take before it is known to be too long (100 chars of up to 4 bytes).
const WORD_BYTES: usize = MAX_INPUT_CHARS_PER_WORD * 4;

/// Why a byte slice is not a table this module reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssetError {
    /// Shorter than its header says.
    Truncated { expected: usize, found: usize },
    /// Longer than its header says.
    TrailingBytes { expected: usize, found: usize },
    /// Does not start with `SLEMBED\0`.
    BadMagic,
    /// A format version this code does not know.
    UnsupportedVersion(u32),
    /// A quantization this code does not know.
    UnsupportedQuantization(u32),
    /// Zero dimensions, or offsets that do not fit the string table.
    Inconsistent(&'static str),
}

impl fmt::Display for AssetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssetError::Truncated { expected, found } => {
                write!(
                    f,
                    "embedding table truncated: {found} bytes, header says {expected}"
                )
            }
            AssetError::TrailingBytes { expected, found } => {
                write!(
                    f,
                    "embedding table has {found} bytes, header says {expected}"
                )
            }
            AssetError::BadMagic => write!(f, "not a Storyline embedding table (bad magic)"),
            AssetError::UnsupportedVersion(v) => {
                write!(f, "embedding table version {v}, this build reads {VERSION}")
            }
            AssetError::UnsupportedQuantization(q) => {
                write!(f, "embedding table quantization {q} is not supported")
            }
            AssetError::Inconsistent(what) => write!(f, "embedding table inconsistent: {what}"),
        }
    }
}

impl std::error::Error for AssetError {}

/// A view of a static embedding table: vocabulary, tokenizer and vectors.
///
/// Viewing costs a header check; nothing is copied or parsed. Cheap to copy, and safe to
/// share between threads (it only reads).
#[derive(Clone, Copy)]
pub struct StaticEmbeddings<'a> {
    dim: usize,
    words: usize,
    rows: usize,
    max_token_chars: usize,
    index: &'a [u8],
    offsets: &'a [u8],
    strings: &'a [u8],
    scales: &'a [u8],
    vectors: &'a [u8],
}

impl fmt::Debug for StaticEmbeddings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaticEmbeddings")
            .field("dim", &self.dim)
            .field("words", &self.words)
            .field("pieces", &(self.rows - self.words))
            .finish()
    }
}

impl StaticEmbeddings<'static> {
    /// The table built into the crate, distilled from all-MiniLM-L6-v2 (128 dimensions).
    pub fn minilm() -> Self {
        // The bytes are fixed at compile time and checked by a test.
        Self::from_bytes(MINILM).expect("the built-in embedding table is valid")
    }
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl<'a> StaticEmbeddings<'a> {
    /// Views a table in the layout `tools/embeddings/distill.py` writes.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self, AssetError> {
        if bytes.len() < HEADER_LEN {
            return Err(AssetError::Truncated {
                expected: HEADER_LEN,
                found: bytes.len(),
            });
        }
        if &bytes[..8] != MAGIC {
            return Err(AssetError::BadMagic);
        }
        let field = |i: usize| u32_at(bytes, 8 + 4 * i) as usize;
        let version = field(0) as u32;
        if version != VERSION {
            return Err(AssetError::UnsupportedVersion(version));
        }
        let (dim, words, pieces, max_token_chars) = (field(1), field(2), field(3), field(4));
        let quant = field(5) as u32;
        if quant != QUANT_INT8_ROW {
            return Err(AssetError::UnsupportedQuantization(quant));
        }
        let strings_len = field(6);
        if dim == 0 {
            return Err(AssetError::Inconsistent("zero dimensions"));
        }
        let rows = words
            .checked_add(pieces)
            .ok_or(AssetError::Inconsistent("row count"))?;
        let sizes = [
            2 * INDEX_LEN * 4,
            (rows + 1) * 4,
            strings_len,
            rows * 4,
            rows * dim,
        ];
        let mut ends = [0usize; 5];
        let mut at = HEADER_LEN;
        for (end, size) in ends.iter_mut().zip(sizes) {
            at = at
                .checked_add(size)
                .ok_or(AssetError::Inconsistent("sizes"))?;
            *end = at;
        }
        match at.cmp(&bytes.len()) {
            Ordering::Greater => {
                return Err(AssetError::Truncated {
                    expected: at,
                    found: bytes.len(),
                });
            }
            Ordering::Less => {
                return Err(AssetError::TrailingBytes {
                    expected: at,
                    found: bytes.len(),
                });
            }
            Ordering::Equal => {}
        }
        let offsets = &bytes[ends[0]..ends[1]];
        if u32_at(offsets, rows * 4) as usize > strings_len {
            return Err(AssetError::Inconsistent("offsets past the string table"));
        }
        Ok(StaticEmbeddings {
            dim,
            words,
            rows,
            max_token_chars,
            index: &bytes[HEADER_LEN..ends[0]],
            offsets,
            strings: &bytes[ends[1]..ends[2]],
            scales: &bytes[ends[2]..ends[3]],
            vectors: &bytes[ends[3]..ends[4]],
        })
    }

    /// Dimensions of every vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of tokens (rows) in the table.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// No tokens at all.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The text of a token (a continuation piece without its `##`), or `None` past the end.
    pub fn token_text(&self, id: TokenId) -> Option<&'a str> {
        let id = id as usize;
        (id < self.rows)
            .then(|| std::str::from_utf8(self.token_bytes(id)).ok())
            .flatten()
    }

    /// Whether a token continues a word (`##ing`) rather than starting one.
    pub fn is_continuation(&self, id: TokenId) -> bool {
        (id as usize) >= self.words
    }

    fn token_bytes(&self, row: usize) -> &'a [u8] {
        let start = u32_at(self.offsets, row * 4) as usize;
        let end = u32_at(self.offsets, row * 4 + 4) as usize;
        self.strings.get(start..end).unwrap_or(&[])
    }

    /// Binary search of `key` among rows `lo..hi` (sorted by bytes): its row, or where it
    /// would be inserted.
    fn search(&self, mut lo: usize, mut hi: usize, key: &[u8]) -> Result<usize, usize> {
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match compare(self.token_bytes(mid), key) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    /// The longest token of a table (the words, or the continuation pieces) that is a prefix
    /// of `key` (ending on a character boundary): its row and length in bytes.
    ///
    /// The search starts within the rows of `key`'s first byte, and each failed search
    /// narrows the next: every token that is a prefix of `key` sorts at or below it, so below
    /// the insertion point `p`; and any such token is also a prefix of the row just below
    /// `p`, so its length is at most their common prefix.
    fn longest_prefix(&self, pieces: bool, key: &[u8]) -> Option<(TokenId, usize)> {
        let first = *key.first()? as usize;
        let (base, at) = if pieces {
            (self.words, INDEX_LEN + first)
        } else {
            (0, first)
        };
        let lo = base + u32_at(self.index, at * 4) as usize;
        let mut hi = base + u32_at(self.index, at * 4 + 4) as usize;
        let mut len = key.len();
        while len > 0 {
            match self.search(lo, hi, &key[..len]) {
                Ok(row) => return Some((row as TokenId, len)),
                Err(p) if p <= lo => return None,
                Err(p) => {
                    let below = self.token_bytes(p - 1);
                    let common = below
                        .iter()
                        .zip(&key[..len])
                        .take_while(|(a, b)| a == b)
                        .count();
                    len = char_floor(key, common);
                    hi = p;
                }
            }
        }
        None
    }

    /// Calls `f` with every token of `text` in order: `Some(id)`, or `None` for `[UNK]` (a
    /// word that no sequence of known pieces spells, or longer than 100 characters).
    pub fn for_each_token(&self, text: &str, mut f: impl FnMut(Option<TokenId>)) {
        let mut word = Word::new();
        let mut pieces = [0 as TokenId; MAX_INPUT_CHARS_PER_WORD];
        for_each_word(text, &mut word, |w| {
            if w.too_long {
                return f(None);
            }
            match self.wordpiece(w.bytes(), &mut pieces) {
                Some(n) => pieces[..n].iter().for_each(|&id| f(Some(id))),
                None => f(None),
            }
        });
    }

    /// Is `word` (lowercased) one whole token of the vocabulary: a word common enough that
    /// the model's vocabulary spells it in one piece ("noting", "soon"), which a rare name or
    /// a misspelling ("lindzeb", "koble") is not?
    pub fn is_vocabulary_word(&self, word: &str) -> bool {
        let mut n = 0;
        let mut whole = false;
        self.for_each_token(&word.to_lowercase(), |t| {
            n += 1;
            whole = t.is_some_and(|id| !self.is_continuation(id));
        });
        n == 1 && whole
    }

    /// The tokens of `text` (see [`for_each_token`](Self::for_each_token)).
    pub fn tokens(&self, text: &str) -> Vec<Option<TokenId>> {
        let mut out = Vec::new();
        self.for_each_token(text, |t| out.push(t));
        out
    }

    /// Greedy longest-match-first WordPiece (Wu et al. 2016, as BERT runs it): the pieces of
    /// one normalized word into `out`, their count, or `None` if some part matches no piece.
    fn wordpiece(
        &self,
        word: &[u8],
        out: &mut [TokenId; MAX_INPUT_CHARS_PER_WORD],
    ) -> Option<usize> {
        let mut n = 0;
        let mut start = 0;
        while start < word.len() {
            // No token is longer than max_token_chars, so longer candidates are not tried.
            let end = advance_chars(word, start, self.max_token_chars);
            let (id, len) = self.longest_prefix(start > 0, &word[start..end])?;
            // A word of at most 100 chars has at most 100 pieces.
            *out.get_mut(n)? = id;
            n += 1;
            start += len;
        }
        Some(n)
    }

    fn scale(&self, id: TokenId) -> f32 {
        f32::from_bits(u32_at(self.scales, id as usize * 4))
    }

    /// Adds the (dequantized) vector of token `id` to `acc`.
    fn add_row(&self, id: TokenId, acc: &mut [f32]) {
        let start = id as usize * self.dim;
        let Some(row) = self.vectors.get(start..start + self.dim) else {
            return;
        };
        let s = self.scale(id);
        for (a, &q) in acc.iter_mut().zip(row) {
            *a += s * f32::from(q as i8);
        }
    }

    /// The vector of one token.
    pub fn token_vector(&self, id: TokenId, out: &mut [f32]) {
        assert_eq!(out.len(), self.dim, "out must have dim() elements");
        out.fill(0.0);
        self.add_row(id, out);
    }

    /// The mean vector of the known tokens of `text` into `out` (`dim()` elements), not
    /// normalized; `false`, and zeros, if it has none.
    fn mean_into(&self, text: &str, out: &mut [f32]) -> bool {
        assert_eq!(out.len(), self.dim, "out must have dim() elements");
        out.fill(0.0);
        let mut n = 0u32;
        self.for_each_token(text, |t| {
            if let Some(id) = t {
                self.add_row(id, out);
                n += 1;
            }
        });
        if n > 1 {
            let inv = 1.0 / n as f32;
            out.iter_mut().for_each(|x| *x *= inv);
        }
        n > 0
    }

    /// The vector of a word: the mean of its pieces' vectors ("vetoed" = "veto" + "##ed"),
    /// not normalized (a frequent word has a shorter vector: SIF weighting). Returns `false`,
    /// leaving zeros, when no piece is known. A "word" that BERT splits (`U.S.`, `52-48`)
    /// gets the mean over all its tokens. `out` must have [`dim`](Self::dim) elements.
    pub fn word_vector(&self, word: &str, out: &mut [f32]) -> bool {
        self.mean_into(word, out)
    }

    /// The vector of a text as model2vec computes it: the mean of its known tokens' vectors,
    /// L2-normalised (all zeros when no token is known). `out` must have `dim()` elements.
    pub fn sentence_vector_into(&self, text: &str, out: &mut [f32]) -> bool {
        if !self.mean_into(text, out) {
            return false;
        }
        let norm = out.iter().map(|x| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            out.iter_mut().for_each(|x| *x /= norm);
        }
        true
    }

    /// [`sentence_vector_into`](Self::sentence_vector_into) into a new vector.
    pub fn sentence_vector(&self, text: &str) -> Vec<f32> {
        let mut out = vec![0.0; self.dim];
        self.sentence_vector_into(text, &mut out);
        out
    }
}

/// Cosine similarity of two vectors of the same length; 0 when either is all zeros.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut aa, mut bb) = (0.0f32, 0.0f32, 0.0f32);
    for (&x, &y) in a.iter().zip(b) {
        dot += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa == 0.0 || bb == 0.0 {
        0.0
    } else {
        dot / (aa.sqrt() * bb.sqrt())
    }
}

/// Byte index `n` characters after `start` in UTF-8 `s` (or its end).
fn advance_chars(s: &[u8], start: usize, n: usize) -> usize {
    let mut chars = 0;
    for (i, &b) in s.iter().enumerate().skip(start) {
        if b & 0xC0 != 0x80 {
            if chars == n {
                return i;
            }
            chars += 1;
        }
    }
    s.len()
}

/// Byte order of two short strings, inline (vocabulary tokens average 7 bytes: a call to
/// `memcmp` costs more than the comparison).
fn compare(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// The largest character boundary of UTF-8 `s` at or below `i`.
fn char_floor(s: &[u8], mut i: usize) -> usize {
    while i > 0 && i < s.len() && s[i] & 0xC0 == 0x80 {
        i -= 1;
    }
    i
}

/// One normalized word under construction, on the stack: a word longer than 100 characters
/// is `[UNK]` whatever it spells, so its bytes past that are not kept.
struct Word {
    buf: [u8; WORD_BYTES],
    len: usize,
    chars: usize,
    too_long: bool,
}

impl Word {
    fn new() -> Self {
        Word {
            buf: [0; WORD_BYTES],
            len: 0,
            chars: 0,
            too_long: false,
        }
    }

    fn push(&mut self, c: char) {
        self.chars += 1;
        if self.chars > MAX_INPUT_CHARS_PER_WORD {
            self.too_long = true;
            return;
        }
        let n = c.len_utf8();
        c.encode_utf8(&mut self.buf[self.len..self.len + n]);
        self.len += n;
    }

    fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn is_empty(&self) -> bool {
        self.chars == 0
    }

    fn clear(&mut self) {
        self.len = 0;
        self.chars = 0;
        self.too_long = false;
    }
}

/// BERT's BasicTokenizer as `tokenizer.json` runs it (BertNormalizer: drop control
/// characters, whitespace to spaces, spaces around CJK ideographs, NFD without nonspacing
/// marks, lowercase; then BertPreTokenizer: split on whitespace, every punctuation character
/// a word of its own), one character at a time, calling `f` with each word.
fn for_each_word(text: &str, word: &mut Word, mut f: impl FnMut(&Word)) {
    for c in text.chars() {
        if c.is_ascii() {
            // Fast path: ASCII has no marks, no CJK and no decompositions.
            if !c.is_ascii_control() || matches!(c, '\t' | '\n' | '\r') {
                push_char(c.to_ascii_lowercase(), word, &mut f);
            }
            continue;
        }
        if c == '\u{fffd}' || c.general_category_group() == GeneralCategoryGroup::Other {
            continue;
        }
        let c = if c.is_whitespace() { ' ' } else { c };
        let cjk = is_chinese_char(c);
        if cjk {
            end_word(word, &mut f);
        }
        decompose_canonical(c, |d| {
            if d.general_category() != GeneralCategory::NonspacingMark {
                d.to_lowercase().for_each(|l| push_char(l, word, &mut f));
            }
        });
        if cjk {
            end_word(word, &mut f);
        }
    }
    end_word(word, &mut f);
}

/// One normalized character into the pre-tokenizer.
fn push_char(c: char, word: &mut Word, f: &mut impl FnMut(&Word)) {
    if c.is_whitespace() {
        end_word(word, f);
    } else if is_punctuation(c) {
        end_word(word, f);
        word.push(c);
        end_word(word, f);
    } else {
        word.push(c);
    }
}

fn end_word(word: &mut Word, f: &mut impl FnMut(&Word)) {
    if !word.is_empty() {
        f(word);
        word.clear();
    }
}

/// BERT's punctuation: ASCII punctuation (which includes `$`, `+`, `<`, `^`, `` ` ``, `|`,
/// `~`) and Unicode's P* categories.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || (!c.is_ascii() && c.general_category_group() == GeneralCategoryGroup::Punctuation)
}

/// The CJK ideograph blocks BERT isolates (not kana or Hangul, which separate words by spaces).
fn is_chinese_char(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF
        | 0x3400..=0x4DBF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2B73F
        | 0x2B740..=0x2B81F
        | 0x2B920..=0x2CEAF
        | 0xF900..=0xFAFF
        | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> StaticEmbeddings<'static> {
        StaticEmbeddings::minilm()
    }

    fn word_cos(a: &str, b: &str) -> f32 {
        let t = table();
        let (mut va, mut vb) = (vec![0.0; t.dim()], vec![0.0; t.dim()]);
        assert!(t.word_vector(a, &mut va), "{a} has no vector");
        assert!(t.word_vector(b, &mut vb), "{b} has no vector");
        cosine(&va, &vb)
    }

    fn pieces(text: &str) -> Vec<String> {
        let t = table();
        t.tokens(text)
            .into_iter()
            .map(|id| match id {
                None => "[UNK]".to_string(),
                Some(id) if t.is_continuation(id) => format!("##{}", t.token_text(id).unwrap()),
                Some(id) => t.token_text(id).unwrap().to_string(),
            })
            .collect()
    }

    #[test]
    fn the_built_in_table_is_minilm_at_128_dimensions() {
        let t = table();
        assert_eq!(t.dim(), 128);
        assert_eq!(t.len(), 28_023);
    }

    #[test]
    fn died_is_closer_to_killed_than_to_weather() {
        assert!(word_cos("died", "killed") > word_cos("died", "weather") + 0.2);
    }

    #[test]
    fn news_paraphrases_score_above_unrelated_words() {
        for (a, b, other) in [
            ("talks", "meeting", "earthquake"),
            ("vetoed", "blocked", "celebrated"),
            ("arrested", "detained", "painted"),
            ("ceasefire", "truce", "budget"),
            ("protesters", "demonstrators", "shareholders"),
        ] {
            let (para, unrelated) = (word_cos(a, b), word_cos(a, other));
            assert!(
                para > unrelated,
                "{a}~{b} {para} <= {a}~{other} {unrelated}"
            );
        }
    }

    #[test]
    fn a_paraphrased_sentence_is_closer_than_another_event() {
        let t = table();
        let s = t.sentence_vector("Three people were killed in the explosion.");
        let para = t.sentence_vector("The blast left three dead.");
        let other = t.sentence_vector("The central bank raised interest rates.");
        assert!(cosine(&s, &para) > cosine(&s, &other) + 0.2);
    }

    #[test]
    fn wordpiece_splits_into_longest_known_pieces() {
        assert_eq!(pieces("Vetoed"), ["veto", "##ed"]);
        assert_eq!(pieces("Zürich's"), ["zurich", "'", "s"]);
        assert_eq!(pieces("3.5%"), ["3", ".", "5", "%"]);
        assert_eq!(pieces("北京"), ["[UNK]", "[UNK]"]);
        assert_eq!(pieces(&"a".repeat(101)), ["[UNK]"]);
    }

    #[test]
    fn unknown_text_has_no_vector() {
        let t = table();
        let mut v = vec![1.0; t.dim()];
        assert!(!t.word_vector("北京", &mut v));
        assert!(v.iter().all(|&x| x == 0.0));
        assert!(t.sentence_vector("  ").iter().all(|&x| x == 0.0));
        assert_eq!(cosine(&v, &t.sentence_vector("news")), 0.0);
    }

    #[test]
    fn other_bytes_are_refused_not_misread() {
        assert_eq!(
            StaticEmbeddings::from_bytes(b"short").unwrap_err(),
            AssetError::Truncated {
                expected: HEADER_LEN,
                found: 5
            }
        );
        let mut bytes = MINILM.to_vec();
        bytes[0] = b'X';
        assert_eq!(
            StaticEmbeddings::from_bytes(&bytes).unwrap_err(),
            AssetError::BadMagic
        );
        let mut bytes = MINILM.to_vec();
        bytes[8] = 9;
        assert_eq!(
            StaticEmbeddings::from_bytes(&bytes).unwrap_err(),
            AssetError::UnsupportedVersion(9)
        );
        assert!(matches!(
            StaticEmbeddings::from_bytes(&MINILM[..MINILM.len() - 1]),
            Err(AssetError::Truncated { .. })
        ));
    }

    /// `tests/fixtures/embed.tsv`, written by `tools/embeddings/distill.py`: text, the token
    /// ids of the Python `tokenizers` package over the same vocabulary, and the sentence
    /// vector numpy computes from the quantized table.
    fn fixture() -> Vec<(String, String, Vec<f32>)> {
        include_str!("../tests/fixtures/embed.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let mut cols = l.split('\t');
                let text = unescape(cols.next().unwrap());
                let ids = cols.next().unwrap().to_string();
                let vec = cols
                    .next()
                    .unwrap()
                    .split(' ')
                    .map(|x| x.parse().unwrap())
                    .collect();
                (text, ids, vec)
            })
            .collect()
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('\\') => out.push('\\'),
                Some('u') => {
                    let hex: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                }
                other => panic!("bad escape {other:?} in {s}"),
            }
        }
        out
    }

    #[test]
    fn tokens_match_the_python_tokenizer() {
        let t = table();
        let cases = fixture();
        assert!(cases.len() > 30);
        for (text, ids, _) in cases {
            let got: Vec<String> = t
                .tokens(&text)
                .into_iter()
                .map(|id| id.map_or("unk".to_string(), |id| id.to_string()))
                .collect();
            assert_eq!(got.join(" "), ids, "tokens of {text:?}");
        }
    }

    #[test]
    fn sentence_vectors_match_python() {
        let t = table();
        for (text, _, want) in fixture() {
            let got = t.sentence_vector(&text);
            let diff = got
                .iter()
                .zip(&want)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f32::max);
            assert!(diff < 1e-3, "vector of {text:?} off by {diff}");
        }
    }
}
