//! The order of a brief: the lead, then what happened, then what people said about it,
//! then the background, each in the order it happened.
//!
//! A sentence's role is read from its form: a direct quote is a reaction; a past perfect
//! ("had been"), a year before the event's first article, or "since ..." marks background;
//! the rest are developments. Within a role, sentences follow their articles' dates, then
//! their articles, then their places in the article. A sentence that refers back ("the
//! statement") comes after the sentence that says what it refers to.

use super::context::quoted_ranges;
use super::select::Unit;
use crate::corpus::Corpus;

/// What a sentence does in a brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Role {
    Development,
    Reaction,
    Background,
}

/// The year of the event's earliest article.
fn first_year(corpus: &Corpus) -> Option<i32> {
    corpus
        .docs
        .iter()
        .filter_map(|d| d.date.map(|t| t.date()))
        .min()
        .map(|d| chrono::Datelike::year(&d))
}

/// The role of a unit, from its first sentence.
pub(crate) fn role(u: &Unit, first_year: Option<i32>) -> Role {
    let text = &u.pieces[0].text;
    if !quoted_ranges(text).is_empty() {
        return Role::Reaction;
    }
    let lower = text.to_ascii_lowercase();
    let perfect = lower.contains(" had been ")
        || lower
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(2)
            .any(|w| w[0] == "had" && (w[1].ends_with("ed") || w[1].ends_with("en")));
    let old_year = first_year.is_some_and(|fy| {
        text.split(|c: char| !c.is_ascii_digit())
            .filter(|t| t.len() == 4)
            .filter_map(|t| t.parse::<i32>().ok())
            .any(|y| (1800..fy).contains(&y))
    });
    if perfect || old_year || lower.contains(" since ") {
        Role::Background
    } else {
        Role::Development
    }
}

/// Orders the chosen units: the lead first, then by role, date, article and position, each
/// unit after the units that tell what it refers back to.
pub(crate) fn order(
    corpus: &Corpus,
    units: &[Unit],
    lead: Option<usize>,
    chosen: &[usize],
) -> Vec<usize> {
    let fy = first_year(corpus);
    let mut rest: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&u| Some(u) != lead)
        .collect();
    rest.sort_by_cached_key(|&u| {
        let s = &corpus.sentences[units[u].first()];
        let d = &corpus.docs[s.doc];
        // Undated articles after the dated ones.
        (
            role(&units[u], fy),
            d.date.is_none(),
            d.date,
            s.doc,
            s.position,
        )
    });
    let mut out: Vec<usize> = lead.filter(|l| chosen.contains(l)).into_iter().collect();
    // Place each unit once its needs are told by what is already placed (or at the end).
    let mut pending = rest;
    while !pending.is_empty() {
        let told = |placed: &[usize], t: u32| placed.iter().any(|&p| units[p].terms.contains(&t));
        let next = pending
            .iter()
            .position(|&u| units[u].needs.iter().all(|&t| told(&out, t)))
            .unwrap_or(0);
        out.push(pending.remove(next));
    }
    out
}
