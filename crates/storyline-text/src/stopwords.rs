//! English function words.
//!
//! A short list (articles, pronouns, auxiliaries, prepositions, conjunctions, a few
//! quantifiers and adverbs), in the spirit of the NLTK English list. Broad lists such as the
//! ISO list shipped by the `stop-words` crate (1,298 entries) remove content words news
//! depends on ("state", "group", "world"), so the list is kept here and small.

/// Sorted, lowercase; apostrophes are ASCII.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "among",
    "an",
    "and",
    "any",
    "are",
    "aren't",
    "around",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "either",
    "else",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "he'd",
    "he'll",
    "he's",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "let's",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "mustn't",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "same",
    "shall",
    "shan't",
    "she",
    "she'd",
    "she'll",
    "she's",
    "should",
    "shouldn't",
    "since",
    "so",
    "some",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they'd",
    "they'll",
    "they're",
    "they've",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "weren't",
    "what",
    "what's",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "who's",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "won't",
    "would",
    "wouldn't",
    "yet",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// [`STOPWORDS`] cut by first byte (see [`crate::wordlist`]): every token of every article
/// is looked up.
const BY_FIRST_BYTE: [u16; 257] = crate::wordlist::starts_by_first_byte(STOPWORDS);

/// Is `word` (lowercase, ASCII apostrophes) an English function word?
pub fn is_stopword(word: &str) -> bool {
    let Some(&first) = word.as_bytes().first() else {
        return false;
    };
    crate::wordlist::starting_with(STOPWORDS, &BY_FIRST_BYTE, first)
        .binary_search(&word)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn every_stopword_is_found_and_near_misses_are_not() {
        for w in STOPWORDS {
            assert!(is_stopword(w), "{w}");
            assert!(!is_stopword(&format!("{w}x")), "{w}x");
        }
        assert!(!is_stopword("") && !is_stopword("\u{e9}t\u{e9}") && !is_stopword("zzz"));
    }

    #[test]
    fn function_words_are_stopwords_and_content_words_are_not() {
        assert!(is_stopword("the") && is_stopword("didn't") && is_stopword("us"));
        assert!(!is_stopword("state") && !is_stopword("said") && !is_stopword("u.s"));
    }
}
