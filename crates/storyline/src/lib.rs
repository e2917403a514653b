//! Storyline engine.
