//! Storyline: a news event engine.
//!
//! The modules follow the data: [`ingest`] reads articles, [`clean`] removes page residue,
//! [`corpus`] splits and analyzes an event's articles once, [`align`] finds which articles
//! report the same thing, [`summarize`] writes the cited summary, and [`report`] renders it.
//! Text analysis (sentences, tokens, stems) is the `storyline-text` crate, shared by all.

pub mod align;
pub mod article;
pub mod clean;
pub mod cluster;
pub mod compare;
pub mod corpus;
pub mod date;
pub mod dedup;
pub mod fuzz;
pub mod ingest;
pub mod language;
pub mod report;
pub mod stream;
pub mod summarize;

pub use align::Aligner;
pub use article::{Article, ArticleSet};
pub use corpus::Corpus;
pub use date::Timestamp;
pub use summarize::{Summary, SummaryOptions, summarize, summarize_reading, summarize_with};
