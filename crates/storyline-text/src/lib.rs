//! Storyline's one text pipeline: sentences, tokens, Porter stems, stopwords, word vectors.
//!
//! Every stage of Storyline (cleaning, deduplication, clustering, summarization, source
//! comparison, evaluation) uses these functions, so that they agree on what a sentence and
//! a word are.
//!
//! - [`segment`]: sentence boundaries in news text;
//! - [`token`]: words and numbers with byte offsets, and their matching form;
//! - [`stem`]: the Porter stemmer exactly as ROUGE-1.5.5 runs it;
//! - [`stopwords`]: English function words;
//! - [`analyze`]: all of the above as interned terms;
//! - [`embed`]: static word and sentence vectors (distilled from all-MiniLM-L6-v2), for
//!   recognising paraphrases;
//! - [`given_names`]: the gender a given name tells, for "she said".

pub mod analyze;
pub mod embed;
pub mod given_names;
pub mod segment;
pub mod speech;
pub mod stem;
pub mod stopwords;
pub mod token;
mod wordlist;

pub use analyze::{
    Analyzer, HashedTerm, HashingAnalyzer, Term, TermHash, TermId, Vocabulary, term_hash,
};
pub use embed::{StaticEmbeddings, cosine};
pub use segment::{Mode, detect_mode, detect_mode_of, sentence_strs, sentences, sentences_in};
pub use token::{Token, TokenKind, normalize, tokenize};
