//! The same statement across outlets: grouping quote occurrences into utterances.
//!
//! Two occurrences report one utterance when
//! - the same person said them (one side may be unattributed, if the words are all but the
//!   same);
//! - the quoted words themselves match in order: the shorter quote's content words appear
//!   in the longer one as a common subsequence covering most of them, within a stretch not
//!   much longer than the shorter quote (a cut or lightly reworded quote), so that a few
//!   words a long quote happens to share are not enough ("the future role for Assad" is not
//!   the long answer that mentions "a role for Assad" and "the future governance");
//! - their occasions agree: times the attributions give do not differ.
//!
//! Within one article, the parts of a quotation broken only by its tag (`"A," she said.
//! "B."`) or continued in the next paragraph with no new tag are one utterance; a quote with
//! a tag of its own ("he added") is another.

use storyline_text::Analyzer;

use super::{Attribution, QuoteOccurrence, Statement, When};
use crate::compare::Groups;

/// Share of the shorter quote's content words the match must cover.
const COVER: f32 = 0.7;
/// The same, when one side has no speaker.
const COVER_UNATTRIBUTED: f32 = 0.85;
/// Content words up to which a quote with no speaker is not matched to another (2: one
/// more right pair than 3 on the annotated clusters, the same speakers).
const SHORT_UNATTRIBUTED: usize = 2;

/// Words the end of one quote and the start of another must share to be one utterance cut
/// in two places ([`junction`]), and how many of them content words.
const JUNCTION_WORDS: usize = 4;
const JUNCTION_CONTENT: usize = 2;
/// The strength of such a pair among the candidates (below a cut quote's full match).
const JUNCTION_SHARE: f32 = 0.75;

/// Does one quote end with the words another starts with ([`JUNCTION_WORDS`] or more, of
/// which [`JUNCTION_CONTENT`] content words), each going on beyond them? Outlets cut one
/// utterance in different places: "current state of U.S.-Russia relations is at a low
/// point" and "at a low point, there is a low level of trust between our two countries".
/// The quotes are given as their terms: (stem, is a function word).
fn junction(a: &[(u32, bool)], b: &[(u32, bool)]) -> bool {
    let ids = |x: &[(u32, bool)]| x.iter().map(|t| t.0).collect::<Vec<_>>();
    let (ia, ib) = (ids(a), ids(b));
    [(a, &ia, &ib), (b, &ib, &ia)]
        .into_iter()
        .any(|(xs, x, y)| {
            let most = x.len().min(y.len()).saturating_sub(1);
            (JUNCTION_WORDS..=most)
                .rev()
                .find(|&k| x[x.len() - k..] == y[..k])
                .is_some_and(|k| {
                    xs[xs.len() - k..].iter().filter(|t| !t.1).count() >= JUNCTION_CONTENT
                })
        })
}

/// Groups occurrences into statements, most reported first.
pub(super) fn group(occ: Vec<QuoteOccurrence>) -> Vec<Statement> {
    let mut analyzer = Analyzer::new();
    // Every word in order (stem, is a function word), for cuts that meet; the content words
    // in order, and the same sorted (for a quick bag-of-words test).
    let terms: Vec<Vec<(u32, bool)>> = occ
        .iter()
        .map(|o| {
            analyzer
                .terms(&o.text)
                .into_iter()
                .map(|t| (t.id, t.stop))
                .collect()
        })
        .collect();
    let seqs: Vec<Vec<u32>> = terms
        .iter()
        .map(|ts| ts.iter().filter(|t| !t.1).map(|t| t.0).collect())
        .collect();
    let bags: Vec<Vec<u32>> = seqs
        .iter()
        .map(|s| {
            let mut b = s.clone();
            b.sort_unstable();
            b.dedup();
            b
        })
        .collect();
    let n = occ.len();
    let mut groups = Groups::new(n);
    // The parts of one quotation in an article: within a paragraph. A paragraph that goes
    // on quoting the same speaker is a further remark, its own statement (it still has its
    // speaker): joined, two outlets that each quote one of the remarks would merge them.
    for i in 1..n {
        if occ[i].attribution == Attribution::Continuation
            && occ[i].location() == occ[i - 1].location()
            && occ[i].speaker == occ[i - 1].speaker
        {
            groups.join(i - 1, i);
        }
    }
    // Candidate pairs, strongest first.
    let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            let (si, sj) = (&occ[i].speaker, &occ[j].speaker);
            let unattributed = si.is_none() || sj.is_none();
            if !unattributed && si != sj {
                continue;
            }
            let (a, b) = (&bags[i], &bags[j]);
            let shorter = a.len().min(b.len());
            // A two-word phrase with no speaker ("before it become(s) a law") may quote a
            // document or anyone: too little to make it someone's statement.
            if shorter < 2 || unattributed && shorter <= SHORT_UNATTRIBUTED {
                continue;
            }
            let cover = if unattributed {
                COVER_UNATTRIBUTED
            } else {
                COVER
            };
            // Two cuts of one utterance that meet: "relations are at a low point." and "at a
            // low point, there is a low level of trust" (same named speaker, other articles).
            if !unattributed && occ[i].doc != occ[j].doc && junction(&terms[i], &terms[j]) {
                pairs.push((JUNCTION_SHARE, i, j));
                continue;
            }
            let shared = a.iter().filter(|t| b.binary_search(t).is_ok()).count();
            if (shared as f32) < cover * shorter as f32 {
                continue;
            }
            let Some(share) = ordered_match(&seqs[i], &seqs[j]) else {
                continue;
            };
            // In one article only a repeat is the same: a quote of its standfirst (the first
            // paragraph) and its body's, or the same words twice.
            let same_article = occ[i].doc == occ[j].doc;
            let standfirst = occ[i].paragraph == 0 || occ[j].paragraph == 0;
            let enough = if same_article && !standfirst {
                share >= 0.9
            } else {
                share >= cover && (shorter >= 3 || share >= 1.0)
            };
            if enough {
                pairs.push((share + if same_article { 0.5 } else { 0.0 }, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // Merge unless the groups would hold two speakers or two times that disagree.
    let mut group_speaker: Vec<Option<String>> = vec![None; n];
    let mut group_whens: Vec<Vec<When>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = groups.root(i);
        if group_speaker[r].is_none() {
            group_speaker[r].clone_from(&occ[i].speaker);
        }
        group_whens[r].extend(occ[i].when.iter().cloned());
    }
    for (_, i, j) in pairs {
        let (ri, rj) = (groups.root(i), groups.root(j));
        if ri == rj {
            continue;
        }
        let speakers_agree = match (&group_speaker[ri], &group_speaker[rj]) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        let times_agree = group_whens[ri]
            .iter()
            .all(|x| group_whens[rj].iter().all(|y| x.compatible(y)));
        if speakers_agree && times_agree {
            groups.join(ri, rj);
            if group_speaker[ri].is_none() {
                group_speaker[ri] = group_speaker[rj].take();
            }
            let moved = std::mem::take(&mut group_whens[rj]);
            group_whens[ri].extend(moved);
        }
    }
    let members = groups.members();
    let mut occ: Vec<Option<QuoteOccurrence>> = occ.into_iter().map(Some).collect();
    let mut out: Vec<Statement> = members
        .into_iter()
        .map(|g| {
            let speaker = group_speaker[groups.root(g[0])].clone();
            let members: Vec<QuoteOccurrence> = g.iter().filter_map(|&i| occ[i].take()).collect();
            statement(speaker, members)
        })
        .collect();
    out.sort_by(|a, b| {
        b.outlets
            .len()
            .cmp(&a.outlets.len())
            .then(b.speaker.is_some().cmp(&a.speaker.is_some()))
    });
    out
}

/// A statement from its occurrences: its wording is the fullest article's, parts joined.
fn statement(speaker: Option<String>, members: Vec<QuoteOccurrence>) -> Statement {
    let mut text = String::new();
    let mut articles: Vec<&str> = Vec::new();
    for m in &members {
        if !articles.contains(&m.article.as_str()) {
            articles.push(&m.article);
        }
    }
    for a in articles {
        let parts: Vec<&str> = members
            .iter()
            .filter(|m| m.article == a)
            .map(|m| m.text.as_str())
            .collect();
        let mut joined: Vec<&str> = Vec::new();
        for p in parts {
            // A headline's quote repeated in the body is one part.
            if !joined.iter().any(|j| j.contains(p) || p.contains(*j)) {
                joined.push(p);
            }
        }
        let candidate = joined.join(" … ");
        if candidate.len() > text.len() {
            text = candidate;
        }
    }
    let mut outlets: Vec<String> = Vec::new();
    for m in &members {
        if !outlets.contains(&m.outlet) {
            outlets.push(m.outlet.clone());
        }
    }
    // A time the attributions give (a date before a weekday), else the first report's day.
    let when = members
        .iter()
        .filter_map(|m| m.when.as_ref())
        .min_by_key(|w| matches!(w, When::Relative { .. }));
    let reported = members.iter().filter_map(|m| m.reported).min();
    let when = super::occasion::label(when, reported);
    Statement {
        speaker,
        text,
        outlets,
        when,
        occurrences: members,
    }
}

/// How well the shorter word sequence sits in order inside the longer: the share of its
/// words in their longest common subsequence, when that subsequence lies within a stretch of
/// the longer no more than twice the shorter's length (plus four words); else `None`.
fn ordered_match(a: &[u32], b: &[u32]) -> Option<f32> {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return None;
    }
    // Longest common subsequence by dynamic programming (quotes are short), each cell
    // carrying where its matched words start and end in `long`; on equal length the later
    // start (the tighter stretch) wins.
    type Cell = (u16, usize, usize); // length, first and last matched position
    let m = long.len();
    let better = |x: Cell, y: Cell| if (x.0, x.1) >= (y.0, y.1) { x } else { y };
    let mut prev: Vec<Cell> = vec![(0, 0, 0); m + 1];
    let mut cur: Vec<Cell> = vec![(0, 0, 0); m + 1];
    for &x in short {
        for j in 1..=m {
            cur[j] = if long[j - 1] == x {
                let (l, s, _) = prev[j - 1];
                better((l + 1, if l == 0 { j - 1 } else { s }, j - 1), prev[j])
            } else {
                better(prev[j], cur[j - 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let (len, first, last) = prev[m];
    (len > 0 && last - first < 2 * short.len() + 4).then(|| f32::from(len) / short.len() as f32)
}

#[cfg(test)]
mod tests {
    use super::{junction, ordered_match};
    use storyline_text::Analyzer;

    #[test]
    fn two_cuts_of_one_utterance_that_meet_are_joined() {
        let mut an = Analyzer::new();
        let mut meet = |a: &str, b: &str| {
            let mut t = |s: &str| -> Vec<(u32, bool)> {
                an.terms(s).into_iter().map(|t| (t.id, t.stop)).collect()
            };
            let (ta, tb) = (t(a), t(b));
            junction(&ta, &tb)
        };
        assert!(meet(
            "the state of our relations is at a low point.",
            "at a low point, there is little trust between us."
        ));
        assert!(meet(
            "at a low point, there is little trust between us.",
            "the state of our relations is at a low point."
        ));
        // Two words of a name in common are no junction; nor is one quote inside the other.
        assert!(!meet(
            "we will not bow to the United States",
            "United States troops must leave"
        ));
        assert!(!meet("at a low point", "at a low point"));
    }

    #[test]
    fn words_in_order_match_and_scattered_words_do_not() {
        // A cut quote: all its words, in order, close together.
        assert_eq!(ordered_match(&[3, 4, 5], &[1, 2, 3, 4, 5, 6]), Some(1.0));
        // Light rewording: most words in order.
        assert!(ordered_match(&[1, 2, 9, 3, 4], &[1, 2, 3, 4, 7]).is_some_and(|s| s >= 0.7));
        // The same words spread over a long answer.
        let long: Vec<u32> = (0..60).collect();
        assert!(ordered_match(&[2, 40, 58], &long).is_none());
    }
}
