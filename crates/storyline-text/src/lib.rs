//! Storyline's text pipeline.
pub mod stem;
