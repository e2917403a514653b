//! Storyline evaluation.
