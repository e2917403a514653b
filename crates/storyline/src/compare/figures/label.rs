//! What a figure counts or measures, in the article's own words.
//!
//! A reader needs "people killed", "yearly raise", "losses to local businesses", not
//! "money" or "percent". The phrase is read from the syntax around the number, by shapes
//! news uses for figures (closed-class words only):
//! - the counted noun phrase and what happened to it: `12 container ships were waiting at
//!   anchor`, `1,180 registered dockworkers who walked off the job`, `87 civilians killed`;
//! - a noun after an amount or a rate: `a $1.2 million safety training fund`, `a 3.5
//!   percent raise`, `a 12-day strike` (a length of time: "length of the strike");
//! - `X of N` (`a raise of 3.5 percent`), `N in X` (`$40 million in lost trade`), `X worth
//!   N` ("value of X"), `put X at N`, `limits X to N`, `raises X by N` ("rise in X"),
//!   `X fell N` ("fall in X"), `X stood at N`;
//! - an age belongs to the person named beside it ("age of Dieter Binus").

use super::{Measure, W, is_content, stem};

/// Words that start a noun phrase and are left out of a label.
fn is_determiner(w: &str) -> bool {
    matches!(
        w,
        "the"
            | "a"
            | "an"
            | "its"
            | "their"
            | "his"
            | "her"
            | "our"
            | "this"
            | "that"
            | "these"
            | "those"
            | "all"
            | "some"
            | "every"
            | "each"
    )
}

/// Auxiliaries and adverbs between a noun phrase and what happened to it.
fn is_auxiliary(w: &str) -> bool {
    matches!(
        w,
        "were"
            | "was"
            | "have"
            | "has"
            | "had"
            | "been"
            | "be"
            | "are"
            | "is"
            | "being"
            | "now"
            | "still"
            | "already"
            | "reportedly"
            | "later"
            | "also"
            | "all"
    )
}

/// Modal verbs: a new verb phrase starts.
fn is_modal(w: &str) -> bool {
    matches!(
        w,
        "will" | "would" | "could" | "can" | "may" | "might" | "should" | "must" | "shall"
    )
}

/// Prepositions that open a phrase worth keeping in a label ("waiting at anchor").
fn is_preposition(w: &str) -> bool {
    matches!(
        w,
        "in" | "at"
            | "on"
            | "off"
            | "of"
            | "from"
            | "by"
            | "with"
            | "into"
            | "during"
            | "for"
            | "under"
            | "across"
            | "near"
            | "inside"
            | "outside"
            | "aboard"
            | "after"
    )
}

/// Words that end a clause: a label stops before them.
fn ends_clause(w: &str) -> bool {
    matches!(
        w,
        "and"
            | "but"
            | "or"
            | "since"
            | "after"
            | "before"
            | "when"
            | "while"
            | "because"
            | "as"
            | "which"
            | "that"
            | "where"
            | "if"
            | "than"
            | "said"
            | "says"
            | "according"
            | "including"
    )
}

/// Verbs that estimate or set an amount: `put X at N`, `limits X to N`.
fn sets_amount(w: &str) -> bool {
    matches!(
        stem(w).as_str(),
        "put"
            | "estim"
            | "valu"
            | "set"
            | "peg"
            | "pegg"
            | "place"
            | "plac"
            | "cap"
            | "capp"
            | "limit"
            | "fix"
            | "assess"
            | "calcul"
            | "project"
    )
}

/// Verbs of a change by an amount: `raises wages by 3.5 percent` ("rise in wages").
fn change_noun(w: &str) -> Option<&'static str> {
    Some(match stem(w).as_str() {
        "rose" | "rise" | "rais" | "increas" | "lift" | "boost" | "climb" | "jump" | "grew"
        | "grow" | "gain" | "soar" | "surg" => "rise in",
        "fell" | "fall" | "cut" | "reduc" | "lower" | "drop" | "declin" | "slid" | "slide"
        | "plung" | "shrank" | "shrink" | "lost" | "lose" | "tumbl" | "sank" | "sink" => "fall in",
        _ => return None,
    })
}

/// Linking verbs of a total: `the death toll stood at 12`, `losses totaled $25 million`.
fn links_total(w: &str) -> bool {
    matches!(
        stem(w).as_str(),
        "stood" | "stand" | "total" | "reach" | "was" | "is" | "were" | "are" | "hit" | "top"
    )
}

/// A word of a noun phrase: a content word, not a number, not a comparative ("49 percent
/// faster").
fn is_np_word(w: &W<'_>) -> bool {
    is_content(w)
        && !ends_clause(&w.lower)
        && !w.text.chars().any(|c| c.is_ascii_digit())
        && super::word_value(&w.lower).is_none()
        && !matches!(
            w.lower.as_str(),
            "more" | "less" | "fewer" | "higher" | "lower" | "faster" | "slower" | "greater"
        )
}

/// Words `from..to` (exclusive) as written; a capital that only starts the sentence is
/// lowered.
fn phrase(text: &str, ws: &[W<'_>], from: usize, to: usize) -> String {
    ws[from..to]
        .iter()
        .map(|w| {
            if text[..w.start].trim().is_empty() {
                w.lower.clone()
            } else {
                w.text.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The noun phrase ending right before `k` (content words with nothing between them,
/// `of`/`to` joining two parts: "losses to local businesses"), at most `max` words: its start.
fn np_before(ws: &[W<'_>], k: usize, max: usize) -> Option<usize> {
    let mut from = k;
    let mut taken = 0;
    while from > 0 && taken < max {
        let w = &ws[from - 1];
        if !w.gap_after.trim().is_empty() {
            break;
        }
        let joins = matches!(
            w.lower.as_str(),
            "of" | "to" | "for" | "in" | "by" | "among"
        ) && from < k
            && from >= 2
            && is_np_word(&ws[from - 2]);
        if !(is_np_word(w) || joins) {
            break;
        }
        from -= 1;
        taken += 1;
    }
    // A phrase neither starts nor ends with a joining word.
    while from < k && !is_np_word(&ws[from]) {
        from += 1;
    }
    (from < k).then_some(from)
}

/// The noun phrase starting at `k`: content words with nothing between them, then an `of`
/// phrase ("members of the International Dockworkers Union"): its end (exclusive).
fn np_after(ws: &[W<'_>], k: usize, max: usize) -> Option<usize> {
    // "2.7 percent admitted": a verb, not a noun.
    if ws.get(k).is_some_and(|w| w.lower.ends_with("ed")) {
        return None;
    }
    let mut to = k;
    while to < ws.len() && to < k + max && is_np_word(&ws[to]) {
        if to > k && super::ends_noun_phrase(ws, to) {
            break;
        }
        let gap = ws[to].gap_after.trim();
        to += 1;
        if !gap.is_empty() {
            return (to > k).then_some(to);
        }
    }
    (to > k).then_some(to)
}

/// An `of` phrase at `k` ("of the International Dockworkers Union"): its end.
fn of_phrase(ws: &[W<'_>], k: usize) -> Option<usize> {
    if ws.get(k).map(|w| w.lower.as_str()) != Some("of") || !ws[k].gap_after.trim().is_empty() {
        return None;
    }
    let mut j = k + 1;
    if ws.get(j).is_some_and(|w| is_determiner(&w.lower)) && ws[j].gap_after.trim().is_empty() {
        j += 1;
    }
    let end = np_after(ws, j, 5)?;
    // A name ends the phrase: "of the Harbour Workers Union took part".
    let capital = |w: &W<'_>| w.text.chars().next().is_some_and(char::is_uppercase);
    let mut e = j;
    while e < end && (e == j || capital(&ws[e]) == capital(&ws[j])) {
        e += 1;
    }
    Some(e)
}

/// A preposition with its noun phrase at `k` ("at anchor", "off the job", "in Flint"):
/// its end.
fn prepositional(ws: &[W<'_>], k: usize) -> Option<usize> {
    let p = ws.get(k).filter(|w| is_preposition(&w.lower))?;
    if !p.gap_after.trim().is_empty() {
        return None;
    }
    let mut j = k + 1;
    if ws.get(j).is_some_and(|w| is_determiner(&w.lower)) && ws[j].gap_after.trim().is_empty() {
        j += 1;
    }
    // A time is not a place: "killed in 1998", "in the first quarter".
    let end = np_after(ws, j, 3)?;
    if ws[j..end].iter().any(|w| super::is_time_word(&w.lower)) {
        return None;
    }
    Some(end)
}

/// What happened to a counted noun phrase ending before `k`: a participle after the
/// auxiliaries with its prepositional phrase ("waiting at anchor"), a prepositional
/// phrase ("off the job"), or a relative clause ("who walked off the job"): its start and
/// end.
fn what_happened(ws: &[W<'_>], k: usize) -> Option<(usize, usize)> {
    if k == 0 || k >= ws.len() || !ws[k - 1].gap_after.trim().is_empty() {
        return None;
    }
    let relative = ws[k].lower == "who";
    let mut j = if relative { k + 1 } else { k };
    while ws.get(j).is_some_and(|w| is_auxiliary(&w.lower)) {
        if !ws[j].gap_after.trim().is_empty() {
            return None;
        }
        j += 1;
    }
    let head = ws.get(j)?;
    if is_preposition(&head.lower) {
        let end = prepositional(ws, j)?;
        return Some((if relative { k } else { j }, end));
    }
    let verb = is_content(head)
        && !head.text.chars().next().is_some_and(char::is_uppercase)
        && !ends_clause(&head.lower)
        && !super::is_time_word(&head.lower)
        && (head.lower.ends_with("ed") || head.lower.ends_with("ing") || relative);
    if !verb {
        return None;
    }
    let mut end = j + 1;
    if head.gap_after.trim().is_empty() {
        // "walked off the job", "waiting at anchor".
        if let Some(e) = prepositional(ws, end) {
            end = e;
        }
    }
    Some((if relative { k } else { j }, end))
}

/// A word of rate: "a year", "each year", "annually" right after the figure.
fn rate_after(ws: &[W<'_>], k: usize) -> Option<&'static str> {
    let w = |i: usize| ws.get(i).map(|x| x.lower.as_str());
    for i in k..(k + 4).min(ws.len()) {
        let period = match w(i + 1) {
            Some("year") => "yearly",
            Some("month") => "monthly",
            Some("week") => "weekly",
            _ => "",
        };
        if matches!(w(i), Some("a" | "per" | "each" | "every")) && !period.is_empty() {
            return Some(period);
        }
        if matches!(w(i), Some("annually" | "annual" | "yearly")) {
            return Some("yearly");
        }
        if !ws[i].gap_after.trim().is_empty() {
            break;
        }
    }
    None
}

/// Where the figure is in its sentence, for reading its label.
pub(super) struct At<'s, 'w> {
    pub text: &'s str,
    pub ws: &'w [W<'s>],
    /// First word of the figure (its hedge included).
    pub start: usize,
    /// Its number (or the number's last word: "1.5 million").
    pub end: usize,
    /// The unit word (the counted noun's head, "percent", the compound) and its position.
    pub unit: Option<usize>,
    pub measure: Measure,
    /// Predicate class ("killed") or participle stem.
    pub predicate: Option<&'s str>,
    /// The person an age belongs to.
    pub person: Option<String>,
}

/// The label of one figure, if its syntax gives one.
pub(super) fn label(at: &At<'_, '_>) -> Option<String> {
    let l = match at.measure {
        _ if at.unit == Some(at.end) && super::is_score(&at.ws[at.end].lower) => score_label(at),
        Measure::Age => at.person.as_ref().map(|p| format!("age of {p}")),
        Measure::Count => count_label(at),
        Measure::Times if at.unit != Some(at.end) => times_label(at),
        _ => amount_label(at),
    }?;
    let l = l.trim().to_string();
    (!l.is_empty()).then_some(l)
}

fn count_label(at: &At<'_, '_>) -> Option<String> {
    let (ws, text) = (at.ws, at.text);
    // The counted noun phrase and its `of` phrase.
    let np = at.unit.filter(|&k| k > at.end).map(|k| {
        let mut to = k + 1;
        if let Some(e) = of_phrase(ws, to) {
            to = e;
        }
        (at.end + 1, to)
    });
    // What happened to them.
    let happened = match np {
        Some((_, to)) => what_happened(ws, to),
        None => what_happened(ws, at.end + 1),
    };
    let class = at.predicate.filter(|p| {
        matches!(
            *p,
            "killed" | "injured" | "missing" | "displaced" | "arrested" | "rescued"
        )
    });
    match (np, happened, class) {
        (Some((a, b)), Some((c, d)), Some(k))
            if is_preposition(&ws[c].lower) && super::word_class(&ws[b - 1].lower).is_none() =>
        {
            // "killed at least 87 civilians in the town".
            Some(format!(
                "{} {k} {}",
                phrase(text, ws, a, b),
                phrase(text, ws, c, d)
            ))
        }
        (Some((a, b)), Some((c, d)), _) => Some(format!(
            "{} {}",
            phrase(text, ws, a, b),
            phrase(text, ws, c, d)
        )),
        (Some((a, b)), None, Some(c)) => {
            let np = phrase(text, ws, a, b);
            // "87 people killed", but not "12 dead killed".
            if super::word_class(&ws[b - 1].lower).is_some() {
                Some(np)
            } else {
                Some(format!("{np} {c}"))
            }
        }
        (Some((a, b)), None, None) => Some(phrase(text, ws, a, b)),
        // "the death toll stood at 12": the subject says it best.
        (None, _, Some(_)) => subject_of_total(at),
        // "the six were charged": no noun, no label.
        (None, _, None) => None,
    }
}

/// "a 6-3 decision" → "vote in the decision"; "a 5-4 vote" → "vote"; "a 3-1 win" →
/// "score of the win".
fn score_label(at: &At<'_, '_>) -> Option<String> {
    // "voted 17-0 against".
    let voted = at
        .start
        .checked_sub(1)
        .is_some_and(|k| at.ws[k].lower.starts_with("vote"));
    let Some(to) = np_after(at.ws, at.end + 1, 2) else {
        return voted.then(|| "vote".to_string());
    };
    let np = phrase(at.text, at.ws, at.end + 1, to);
    let head = at.ws[to - 1].lower.as_str();
    Some(match head {
        "vote" | "votes" => np,
        "decision" | "ruling" | "opinion" | "verdict" | "judgment" => {
            format!("vote in the {np}")
        }
        _ => format!("score of the {np}"),
    })
}

fn times_label(at: &At<'_, '_>) -> Option<String> {
    // "stabbed 49 times": the verb before.
    let k = at.start.checked_sub(1)?;
    let w = &at.ws[k];
    (is_content(w) && w.gap_after.trim().is_empty()).then(|| format!("times {}", w.lower))
}

/// `X stood at N`, `X was N`, `X of N`: the subject X.
fn subject_of_total(at: &At<'_, '_>) -> Option<String> {
    let (ws, text) = (at.ws, at.text);
    let mut k = at.start.checked_sub(1)?;
    if matches!(ws[k].lower.as_str(), "at" | "to" | "of") && ws[k].gap_after.trim().is_empty() {
        if ws[k].lower == "of" {
            let from = np_before(ws, k, 3)?;
            return Some(phrase(text, ws, from, k));
        }
        k = k.checked_sub(1)?;
    }
    if !(links_total(&ws[k].lower) || change_noun(&ws[k].lower).is_some())
        || !ws[k].gap_after.trim().is_empty()
    {
        return None;
    }
    let from = np_before(ws, k, 5)?;
    Some(phrase(text, ws, from, k))
}

/// Money, rates, lengths of time and other measures.
fn amount_label(at: &At<'_, '_>) -> Option<String> {
    let (ws, text) = (at.ws, at.text);
    let last = at.unit.unwrap_or(at.end).max(at.end);
    let rate = rate_after(ws, last + 1).or_else(|| {
        // "annual" before the noun: "a 3.5 percent annual raise".
        (ws.get(last + 1).is_some_and(|w| w.lower == "annual")).then_some("yearly")
    });
    let with_rate = |s: String| match rate {
        Some(r) if !s.starts_with(r) => format!("{r} {s}"),
        _ => s,
    };
    let unit_is_compound = at
        .unit
        .is_some_and(|k| k == at.end && ws[k].lower.contains('-'));
    // A noun right after the amount: "$1.2 million safety training fund", "3.5 percent
    // raise", "12-day strike".
    // "$2 billion worth of contracts".
    if at.measure == Measure::Money
        && ws[last].gap_after.trim().is_empty()
        && ws.get(last + 1).is_some_and(|w| w.lower == "worth")
        && ws.get(last + 2).is_some_and(|w| w.lower == "of")
        && let Some(to) = np_after(ws, last + 3, 4)
    {
        return Some(format!("value of {}", phrase(text, ws, last + 3, to)));
    }
    if ws[last].gap_after.trim().is_empty()
        && let Some(to) = np_after(ws, last + 1, 3)
        && !ws[last + 1..to]
            .iter()
            .any(|w| super::is_time_word(&w.lower))
    {
        let from = last + 1;
        // "a year" is a rate, not a noun.
        let np = phrase(text, ws, from, to);
        let np = np.trim_start_matches("annual ").to_string();
        return Some(match at.measure {
            Measure::Duration if unit_is_compound => format!("length of the {np}"),
            Measure::Size if unit_is_compound => format!("size of the {np}"),
            Measure::Duration | Measure::Size => {
                format!("{} {np}", ws[at.unit.unwrap_or(at.end)].lower)
            }
            _ => with_rate(np),
        });
    }
    // "$40 million in lost trade", "12 years in prison", "10 hours of talks", "pay $1.2
    // million into a new fund", "lost “almost two weeks” of business".
    let money_to = |p: &str| at.measure == Measure::Money && matches!(p, "into" | "for" | "on");
    let unquoted = ws[last]
        .gap_after
        .trim()
        .trim_matches(|c| matches!(c, '"' | '\u{201D}' | '\'' | '\u{2019}'))
        .trim();
    if unquoted.is_empty()
        && let Some(p) = ws.get(last + 1)
        && (matches!(p.lower.as_str(), "in" | "of") || money_to(&p.lower))
        && p.gap_after.trim().is_empty()
    {
        let mut j = last + 2;
        let det =
            ws.get(j).is_some_and(|w| is_determiner(&w.lower)) && ws[j].gap_after.trim().is_empty();
        if det {
            j += 1;
        }
        let the = if det && ws[j - 1].lower == "the" {
            "the "
        } else {
            ""
        };
        if let Some(to) = np_after(ws, j, 4)
            && !ws[j..to].iter().any(|w| super::is_time_word(&w.lower))
        {
            let np = phrase(text, ws, j, to);
            return Some(match at.measure {
                Measure::Money => np,
                Measure::Duration | Measure::Size if at.unit.is_some() => {
                    format!("{} {} {np}", ws[last].lower, p.lower)
                }
                // "18 percent of Delphi stock".
                Measure::Percent if p.lower == "of" => with_rate(format!("share of {the}{np}")),
                _ => with_rate(format!("{} {}", p.lower, np)),
            });
        }
    }
    let before = at.start.checked_sub(1).map(|k| &ws[k]);
    let joined = |w: &W<'_>| w.gap_after.trim().is_empty();
    // "idled the port for 12 days": how long something went on.
    if at.measure == Measure::Duration
        && let Some(b) = before.filter(|b| b.lower == "for" && joined(b))
    {
        let k = at.start - 1;
        let _ = b;
        let mut from = k;
        while from > 0 && k - from < 4 && joined(&ws[from - 1]) {
            let w = &ws[from - 1];
            if ends_clause(&w.lower) || is_auxiliary(&w.lower) || is_modal(&w.lower) {
                break;
            }
            from -= 1;
        }
        if from < k && is_content(&ws[from]) {
            return Some(format!("{} (how long)", phrase(text, ws, from, k)));
        }
    }
    if let Some(b) = before.filter(|b| joined(b)) {
        let k = at.start - 1;
        match b.lower.as_str() {
            // "a raise of 3.5 percent", "losses of $25 million".
            "of" => {
                if let Some(from) = np_before(ws, k, 3) {
                    return Some(with_rate(phrase(text, ws, from, k)));
                }
            }
            // "a deal worth $2 billion".
            "worth" => {
                if let Some(from) = np_before(ws, k, 3) {
                    return Some(format!("value of the {}", phrase(text, ws, from, k)));
                }
            }
            // "put losses to local businesses at $25 million", "limits shifts to 10
            // hours", "raises wages by 3.5 percent".
            "at" | "to" | "by" => {
                let mut v = k;
                let mut steps = 0;
                while v > 0 && steps < 6 {
                    v -= 1;
                    steps += 1;
                    if !joined(&ws[v]) {
                        break;
                    }
                    let l = ws[v].lower.as_str();
                    if (sets_amount(l) || change_noun(l).is_some()) && v + 1 < k {
                        let np = np_before(ws, k, 5).filter(|&f| f > v).unwrap_or(v + 1);
                        let obj = phrase(text, ws, np, k);
                        return Some(match (b.lower.as_str(), change_noun(l)) {
                            ("by", Some(c)) => with_rate(format!("{c} {obj}")),
                            _ => with_rate(obj),
                        });
                    }
                }
                if let Some(s) = subject_of_total(at) {
                    return Some(with_rate(s));
                }
            }
            _ => {
                // "shares fell 14 percent": "fall in shares".
                if let Some(c) = change_noun(&b.lower)
                    && let Some(from) = np_before(ws, k, 3)
                {
                    return Some(with_rate(format!("{c} {}", phrase(text, ws, from, k))));
                }
                // "cost local businesses $40 million".
                if at.measure == Measure::Money {
                    let mut v = k + 1;
                    let mut steps = 0;
                    while v > 0 && steps < 5 {
                        v -= 1;
                        steps += 1;
                        if stem(&ws[v].lower) == "cost" {
                            let obj = if v + 1 < at.start
                                && !matches!(
                                    ws[v + 1].lower.as_str(),
                                    "it" | "them" | "us" | "him" | "her"
                                ) {
                                phrase(text, ws, v + 1, at.start)
                            } else {
                                String::new()
                            };
                            let subject = np_before(ws, v, 3).map(|f| phrase(text, ws, f, v));
                            return Some(match (subject, obj.is_empty()) {
                                (Some(s), true) => format!("cost of the {s}"),
                                (Some(s), false) => format!("cost of the {s} to {obj}"),
                                (None, false) => format!("cost to {obj}"),
                                (None, true) => "cost".to_string(),
                            });
                        }
                        if !joined(&ws[v.saturating_sub(1)]) {
                            break;
                        }
                    }
                }
            }
        }
    }
    None
}
