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
    let ws: Vec<&str> = lower.split_whitespace().collect();
    // A past perfect marks background, except in reported speech, where it is the tense of
    // what was said ("said on Monday that attackers had copied ..."): the news itself.
    let perfect = ws.windows(2).enumerate().any(|(k, w)| {
        w[0] == "had"
            && (w[1] == "been" || w[1].ends_with("ed") || w[1].ends_with("en"))
            && !ws[..k].iter().any(|v| {
                storyline_text::speech::is_speech_verb(v.trim_matches(|c: char| !c.is_alphabetic()))
            })
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summarize::select::Piece;

    fn unit(text: &str) -> Unit {
        Unit {
            pieces: vec![Piece {
                sentence: 0,
                text: text.into(),
                edits: Vec::new(),
            }],
            words: text.split_whitespace().count(),
            concepts: Vec::new(),
            terms: Vec::new(),
            needs: Vec::new(),
            people: Vec::new(),
            bonus: 0.0,
        }
    }

    #[test]
    fn a_past_perfect_is_background_but_not_in_reported_speech() {
        let background = unit("The company had been warned about the flaw in 2029.");
        assert_eq!(role(&background, None), Role::Background);
        let reported = unit(
            "Payroll software maker Quillfield said on Monday that attackers had copied 4.3 million records.",
        );
        assert_eq!(role(&reported, None), Role::Development);
        let news = unit("Police closed the road after the river burst its banks.");
        assert_eq!(role(&news, None), Role::Development);
    }
}
