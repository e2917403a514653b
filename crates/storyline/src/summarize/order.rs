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
use crate::compare::timeline::{self, TimeKind};
use crate::corpus::Corpus;
use chrono::NaiveDate;

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

/// Chosen sentences from articles further apart than this tell a developing story (a divorce
/// from filing to decree, a manhunt over a year), not one event: the brief then follows the
/// story in time instead of opening with the latest report.
const STORYLINE_DAYS: i64 = 30;

/// The day a unit tells of: a calendar date its first sentence gives ("filed for divorce July
/// 29", "on March 15, 1999"), resolved against its article's day and not after it, else the
/// article's day.
fn told_day(corpus: &Corpus, u: &Unit) -> Option<NaiveDate> {
    let s = &corpus.sentences[u.first()];
    let article = corpus.docs[s.doc].day()?;
    let mentioned = timeline::expressions(&s.text)
        .into_iter()
        .filter(|e| matches!(e.kind, TimeKind::Date(..)) && !modifies_noun(&s.text, &e.span))
        .find_map(|e| timeline::resolve(&e, &s.text, Some(article)).start())
        .filter(|d| *d <= article && (article - *d).num_days() <= 366);
    Some(mentioned.unwrap_or(article))
}

/// In a developing story, a sentence opens the brief if it states the story at least this
/// well (as a share of the best lead among the chosen sentences); the earliest such opens it.
const OPENER_SHARE: f32 = 0.6;

/// Does the sentence tell of a second one of something ("Another strong earthquake struck
/// ...")? It cannot open a story.
fn follows_on(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    matches!(first, "Another" | "Also" | "Still" | "Meanwhile")
}

/// Does the date describe the noun after it ("the August 17, 1999 earthquake", "the Jan. 29
/// bombing") rather than tell when the sentence's news happened ("filed July 29 from ...")?
fn modifies_noun(text: &str, span: &std::ops::Range<usize>) -> bool {
    let after = &text[span.end..];
    if after.starts_with([',', '.', ';', ':']) {
        return false;
    }
    after.split_whitespace().next().is_some_and(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        !w.is_empty() && !storyline_text::stopwords::is_stopword(&w.to_lowercase())
    })
}

/// Orders the chosen units: the lead first, then by role, date, article and position, each
/// unit after the units that tell what it refers back to. A developing story (chosen
/// sentences more than [`STORYLINE_DAYS`] apart) is told in time order instead: background
/// first, then what happened and what was said, by the day each sentence tells of, opening
/// with a development rather than a quote.
pub(crate) fn order(
    corpus: &Corpus,
    units: &[Unit],
    lead: Option<usize>,
    chosen: &[usize],
    lead_score: impl Fn(usize) -> Option<f32>,
) -> Vec<usize> {
    let days: Vec<Option<NaiveDate>> = chosen
        .iter()
        .map(|&u| told_day(corpus, &units[u]))
        .collect();
    let dated: Vec<NaiveDate> = days.iter().flatten().copied().collect();
    let storyline = match (dated.iter().min(), dated.iter().max()) {
        (Some(a), Some(b)) => (*b - *a).num_days() > STORYLINE_DAYS,
        _ => false,
    };
    let (mut out, pending) = if storyline {
        let dated: Vec<(usize, Option<NaiveDate>)> =
            chosen.iter().copied().zip(days.iter().copied()).collect();
        (
            Vec::new(),
            in_time_order(corpus, units, lead, &dated, lead_score),
        )
    } else {
        (
            lead.filter(|l| chosen.contains(l)).into_iter().collect(),
            by_role(corpus, units, lead, chosen),
        )
    };
    // Place each unit once its needs are told by what is already placed (or at the end).
    let mut pending = pending;
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

/// An event's chosen units but the lead, by role (developments, then reactions, then
/// background), then by date, article and position.
fn by_role(corpus: &Corpus, units: &[Unit], lead: Option<usize>, chosen: &[usize]) -> Vec<usize> {
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
    rest
}

/// A developing story's chosen units with the day each tells of, in time order: background
/// first, then by day, role, date, article and position; opening with the earliest
/// development that states the story nearly as well as the best lead among the chosen
/// (`lead_score`), else with the lead.
fn in_time_order(
    corpus: &Corpus,
    units: &[Unit],
    lead: Option<usize>,
    dated: &[(usize, Option<NaiveDate>)],
    lead_score: impl Fn(usize) -> Option<f32>,
) -> Vec<usize> {
    let fy = first_year(corpus);
    let mut all = dated.to_vec();
    all.sort_by_cached_key(|&(u, day)| {
        let s = &corpus.sentences[units[u].first()];
        let r = role(&units[u], fy);
        (
            r != Role::Background,
            day.is_none(),
            day,
            r,
            corpus.docs[s.doc].date,
            s.doc,
            s.position,
        )
    });
    let scores: Vec<Option<f32>> = all.iter().map(|&(u, _)| lead_score(u)).collect();
    let best = scores.iter().flatten().copied().fold(0.0f32, f32::max);
    let opener = (0..all.len())
        .filter(|&k| {
            let u = all[k].0;
            role(&units[u], fy) == Role::Development
                && scores[k].is_some_and(|s| s >= OPENER_SHARE * best)
                && !follows_on(&units[u].pieces[0].text)
        })
        // The earliest day; on one day, the better lead.
        .min_by(|&a, &b| {
            (all[a].1, std::cmp::Reverse(scores[a].map(f32::to_bits)))
                .cmp(&(all[b].1, std::cmp::Reverse(scores[b].map(f32::to_bits))))
        })
        .or_else(|| lead.and_then(|l| all.iter().position(|&(u, _)| u == l)));
    let mut rest: Vec<usize> = all.into_iter().map(|(u, _)| u).collect();
    if let Some(k) = opener {
        let u = rest.remove(k);
        rest.insert(0, u);
    }
    rest
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
