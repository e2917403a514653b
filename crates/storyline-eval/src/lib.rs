//! Storyline evaluation.
//!
//! * [`rouge`]: ROUGE exactly as the original Perl ROUGE-1.5.5 computes it (Lin 2004),
//!   validated value for value against NIST's official DUC 2006 output.
//! * [`rouge_score`]: the Google `rouge-score` flavour (rouge1/2/L/Lsum F) that Multi-News
//!   and most abstractive-summarization papers report.
//! * [`report`]: scoring system JSONL files against gold cluster JSONL files.

#![warn(missing_docs)]

pub mod brief;
pub mod citations;
pub mod clusters;
pub mod compare;
mod jsonl;
pub mod peers;
pub mod report;
pub mod rouge;
pub mod rouge_score;
