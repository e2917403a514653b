//! Cleaning: separate an article's reporting from the residue of the page it came from.
//!
//! Text extracted from news pages carries site slogans, captions and photo credits,
//! "READ MORE" teasers, subheadings, bylines, self-references ("The post ... appeared first
//! on ..."), source lines and repeated headlines. None of it should reach a summary.
//!
//! Lines are judged by their *shape* (how a line looks: terminal punctuation, a leading
//! all-caps label, a trailing credit in parentheses, a copy of the headline inside it) and
//! by *repetition* across a corpus (a short line that recurs in many articles, with each
//! article's own headline masked out, is a template). There is deliberately no list of
//! known boilerplate strings: sites change them, and a list never generalizes.
//!
//! Cleaning also strips wire datelines (`PINE RIDGE, S.D. (AP) --`, `MOSCOW:`) from the
//! first paragraph, and replaces a "headline" that is really a site slogan by the first
//! headline-shaped line that shares words with the body.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use storyline_text::{Analyzer, TokenKind, tokenize};

use crate::article::Article;

/// Why a line was removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Residue {
    /// No letters, markup debris, separators.
    Junk,
    /// The headline again.
    DuplicateTitle,
    /// A line that quotes the article's own headline ("The post ... appeared first on ...").
    SelfReference,
    /// An all-caps label and a link text: "READ MORE: ...", "WATCH: ...".
    Teaser,
    /// A short exclamation with nothing to report: a call to action.
    CallToAction,
    /// A photo caption or credit: "... (AP Photo/Name)".
    Caption,
    /// A "Label: value" line or a copyright line: "Source: ...", "© 2017 ...".
    Credit,
    /// A link, address or handle.
    Link,
    /// Not a sentence: subheadings, bylines, related-article links, site furniture.
    NotASentence,
    /// The same line earlier in this article.
    Repeated,
    /// A short line that recurs across many articles of the corpus.
    Template,
    /// The first line was a slogan, not the headline; a better headline was found.
    Slogan,
}

/// A line removed from an article, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemovedLine {
    /// The line, whitespace-normalized.
    pub text: String,
    /// Why it was removed.
    pub reason: Residue,
}

/// An article with its residue removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CleanArticle {
    /// The headline (possibly repaired, see [`Residue::Slogan`]).
    pub title: String,
    /// A wire dateline taken off the first paragraph (`MOSCOW`, `PINE RIDGE, S.D. (AP)`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dateline: Option<String>,
    /// Body paragraphs that read as reporting, in order.
    pub paragraphs: Vec<String>,
    /// What was taken out.
    pub removed: Vec<RemovedLine>,
    /// The article is a news digest or a wire service's budget: a run of story slugs, each
    /// with a teaser of a different story ("BLAST-VICTIMS (BELLINGHAM, Wash.) _ A remarkably
    /// sad scene ..."). Its lines tell other articles' news in passing; a brief takes none.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub digest: bool,
}

/// Cleans articles, knowing which short lines recur across the corpus they come from.
#[derive(Debug, Default, Clone)]
pub struct Cleaner {
    /// Template keys of short lines, with the distinct articles (by fingerprint) each
    /// occurs in. Capped: a line is a template long before the set grows large.
    line_articles: FxHashMap<u64, SmallSet>,
    /// Distinct articles seen (by fingerprint).
    articles: FxHashSet<u64>,
}

/// Up to [`TEMPLATE_MIN_ARTICLES`] fingerprints, then just a count.
#[derive(Debug, Default, Clone)]
struct SmallSet {
    first: Vec<u64>,
    more: u32,
}

impl SmallSet {
    fn insert(&mut self, fp: u64) {
        if self.first.contains(&fp) {
            return;
        }
        if self.first.len() < TEMPLATE_MIN_ARTICLES as usize {
            self.first.push(fp);
        } else {
            self.more += 1;
        }
    }

    fn len(&self) -> u32 {
        self.first.len() as u32 + self.more
    }
}

/// A short line found in at least this many *different* articles (and in at least a fifth
/// of the corpus) is a template. Copies of one wire story count once: an article is known by
/// the fingerprint of its longest line, so short sentences that copies share stay reporting.
const TEMPLATE_MIN_ARTICLES: u32 = 3;
/// Lines longer than this many words are never taken for templates: wire copies share whole
/// paragraphs of real reporting.
const TEMPLATE_MAX_WORDS: usize = 14;

impl Cleaner {
    /// A cleaner that judges lines by shape only.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cleaner that has also seen which short lines recur in `articles`.
    pub fn for_corpus<'a>(articles: impl IntoIterator<Item = &'a Article>) -> Self {
        let mut c = Self::new();
        for a in articles {
            c.observe(a);
        }
        c
    }

    /// Counts the short lines of one more article.
    pub fn observe(&mut self, article: &Article) {
        let fp = fingerprint(article);
        if !self.articles.insert(fp) {
            return;
        }
        let title = title_key(&article.title);
        for line in article.text.lines() {
            let line = normalize_space(line);
            if line.is_empty() || word_count(&line) > TEMPLATE_MAX_WORDS {
                continue;
            }
            let key = template_key(&line, &title);
            self.line_articles.entry(key).or_default().insert(fp);
        }
    }

    /// Is `line` a template line of the corpus (`title` as [`title_key`] gives it)?
    fn is_template(&self, line: &str, title: &str) -> bool {
        let articles = self.articles.len() as u32;
        if articles < TEMPLATE_MIN_ARTICLES || word_count(line) > TEMPLATE_MAX_WORDS {
            return false;
        }
        let n = self
            .line_articles
            .get(&template_key(line, title))
            .map_or(0, SmallSet::len);
        n >= TEMPLATE_MIN_ARTICLES && n * 5 >= articles
    }

    /// Cleans one article.
    pub fn clean(&self, article: &Article) -> CleanArticle {
        let mut title = normalize_space(&article.title);
        let mut removed = Vec::new();
        let mut kept: Vec<String> = Vec::new();
        let mut seen_lines = FxHashSet::default();
        let headline = Headline::new(&title);
        let template_title = title_key(&title);
        for raw in article.text.lines() {
            let line = normalize_space(raw);
            if line.is_empty() {
                continue;
            }
            let reason = if !seen_lines.insert(line.to_lowercase()) {
                Some(Residue::Repeated)
            } else if self.is_template(&line, &template_title) {
                Some(Residue::Template)
            } else {
                residue_by_shape(&line, &headline)
            };
            match reason {
                Some(reason) => removed.push(RemovedLine { text: line, reason }),
                None => kept.push(line),
            }
        }
        if let Some(better) = repaired_title(&title, &removed, &kept) {
            removed.retain(|r| r.text != better);
            removed.insert(
                0,
                RemovedLine {
                    text: std::mem::replace(&mut title, better),
                    reason: Residue::Slogan,
                },
            );
        }
        // Counted before the dateline is taken off the first line.
        let digest = kept.iter().filter(|l| is_slug_line(l)).count() >= DIGEST_MIN_SLUGS;
        let mut dateline = None;
        if let Some(first) = kept.first_mut()
            && let Some((place, rest)) = split_dateline(first)
        {
            dateline = Some(place.to_string());
            *first = rest.to_string();
        }
        CleanArticle {
            title,
            dateline,
            paragraphs: kept,
            removed,
            digest,
        }
    }
}

/// Slug lines that make an article a digest: an article has one dateline at most
/// ("WASHINGTON (AP) _ ..."); a budget has one per story.
const DIGEST_MIN_SLUGS: usize = 3;

/// Does the line open with a wire story's slug: an all-caps word (hyphens and digits
/// allowed), an optional place in parentheses, then " _ " ("BLAST-VICTIMS (BELLINGHAM,
/// Wash.) _ ...", "ELIAN _ MIAMI _ ...", "EDITORIAL-TEENS _ ...")?
fn is_slug_line(line: &str) -> bool {
    let Some((slug, rest)) = line.split_once(' ') else {
        return false;
    };
    // The shape first: most lines fail it on their second letter ("The").
    let slug_shaped = slug
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        && slug.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2;
    if !slug_shaped {
        return false;
    }
    let rest = match rest.strip_prefix('(') {
        Some(place) => match place.split_once(')') {
            Some((inside, after)) if inside.len() <= 60 => after.trim_start(),
            _ => return false,
        },
        None => rest,
    };
    rest.starts_with("_ ")
}

/// Collapses whitespace (including no-break and zero-width spaces) and drops control
/// characters.
pub fn normalize_space(s: &str) -> String {
    // Most lines are printable ASCII with single spaces between words, which this leaves as
    // they are: copied whole rather than character by character.
    let mut after_space = true;
    let plain = s.bytes().all(|b| {
        let keep = (0x21..=0x7E).contains(&b) || (b == b' ' && !after_space);
        after_space = b == b' ';
        keep
    }) && !after_space;
    if plain {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = true;
        } else if c.is_control()
            || matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' | '\u{00AD}'
            )
        {
            continue;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Lowercase letters only, with the article's headline masked: `The post {title} appeared
/// first on {site}` gives one key for every post of a site.
/// A headline as [`template_key`] masks it, made once per article rather than per line.
fn title_key(title: &str) -> String {
    normalize_space(title).to_lowercase()
}

/// `title` is the article's headline as [`title_key`] gives it.
fn template_key(line: &str, title: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let lower = line.to_lowercase();
    let masked = if title.len() >= 12 {
        lower.replace(title, "\u{1}")
    } else {
        lower
    };
    let mut h = rustc_hash::FxHasher::default();
    for c in masked
        .chars()
        .filter(|c| c.is_alphabetic() || *c == '\u{1}')
    {
        c.hash(&mut h);
    }
    h.finish()
}

/// Identifies an article by its longest line, so that copies of one story count once.
fn fingerprint(article: &Article) -> u64 {
    use std::hash::{Hash, Hasher};
    let longest = article
        .text
        .lines()
        .max_by_key(|l| l.len())
        .unwrap_or(&article.title);
    let mut h = rustc_hash::FxHasher::default();
    for c in longest.chars().filter(|c| c.is_alphanumeric()) {
        c.to_lowercase().for_each(|l| l.hash(&mut h));
    }
    h.finish()
}

fn letters_only_lower(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Does the line end like a sentence (terminal punctuation, possibly inside closing quotes
/// or brackets)?
pub fn ends_like_sentence(line: &str) -> bool {
    let t = line.trim_end_matches(|c: char| {
        matches!(
            c,
            '"' | '\'' | '\u{201D}' | '\u{2019}' | ')' | ']' | '\u{00BB}' | ' '
        )
    });
    t.ends_with(['.', '!', '?', '\u{2026}'])
}

/// "Jim Courier, who ..., said:": a paragraph that introduces the quote in the next one is
/// part of the story (the summary never takes it: it does not end like a sentence).
fn introduces_a_quote(line: &str) -> bool {
    let Some(t) = line.trim_end().strip_suffix(':') else {
        return false;
    };
    let mut words = t.split_whitespace().rev();
    let last = words.next().unwrap_or("");
    // "X told reporters:"
    let verb = if last == "reporters" {
        words.next().unwrap_or("")
    } else {
        last
    };
    t.split_whitespace().nth(2).is_some() && storyline_text::speech::is_speech_verb(verb)
}

/// Words of the line made of letters, and how many of them are capitalized.
fn capitalization(line: &str) -> (usize, usize, usize) {
    let mut words = 0;
    let mut capitalized = 0;
    let mut all_caps = 0;
    for w in line.split_whitespace() {
        let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
        if letters.is_empty() {
            continue;
        }
        words += 1;
        if letters[0].is_uppercase() {
            capitalized += 1;
        }
        if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
            all_caps += 1;
        }
    }
    (words, capitalized, all_caps)
}

/// The label of a "LABEL: rest" line if the label is one to three all-caps words.
fn caps_label(line: &str) -> Option<(&str, &str)> {
    let (label, rest) = line.split_once(':')?;
    let words: Vec<&str> = label.split_whitespace().collect();
    let ok = !words.is_empty()
        && words.len() <= 3
        && words.iter().all(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
        });
    ok.then_some((label.trim(), rest.trim()))
}

/// The line ends with a parenthesized credit: `(AP Photo/Ivan Sekretarev)`, `(Photo: AP)`.
fn has_trailing_credit(line: &str) -> bool {
    let t = line.trim_end();
    if !t.ends_with(')') {
        return false;
    }
    let Some(open) = t.rfind('(') else {
        return false;
    };
    let inner = &t[open + 1..t.len() - 1];
    let (words, capitalized, _) = capitalization(inner);
    (inner.contains('/') || inner.contains(':') || inner.contains('\u{00A9}'))
        && words <= 8
        && capitalized * 2 >= words
}

fn has_link(line: &str) -> bool {
    line.split_whitespace().any(|w| {
        w.starts_with("http://")
            || w.starts_with("https://")
            || w.starts_with("www.")
            || (w.starts_with('@') && w.len() > 2)
            || (w.contains('@') && w.contains('.') && !w.starts_with('@'))
    })
}

/// Judges one body line by its shape; `None` means it reads as reporting.
/// What the shape rules need to know about an article's headline, computed once.
struct Headline {
    key: String,
    words: usize,
}

impl Headline {
    fn new(title: &str) -> Self {
        Headline {
            key: letters_only_lower(title),
            words: word_count(title),
        }
    }
}

fn residue_by_shape(line: &str, title: &Headline) -> Option<Residue> {
    // Letters, visible characters and words, in one pass over the line.
    let (mut letters, mut visible, mut words) = (0usize, 0usize, 0usize);
    let mut in_word = false;
    for c in line.chars() {
        let space = c.is_whitespace();
        letters += usize::from(c.is_alphabetic());
        visible += usize::from(!space);
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    if letters == 0 || letters * 2 < visible {
        return Some(Residue::Junk);
    }
    if !title.key.is_empty() && words <= title.words + 20 {
        let line_key = letters_only_lower(line);
        if line_key == title.key {
            return Some(Residue::DuplicateTitle);
        }
        if title.words >= 4 && line_key.contains(title.key.as_str()) {
            return Some(Residue::SelfReference);
        }
    }
    if words <= 25 && line.contains('\u{00A9}') {
        return Some(Residue::Credit);
    }
    if words <= 20 && has_link(line) {
        return Some(Residue::Link);
    }
    if has_trailing_credit(line) {
        return Some(Residue::Caption);
    }
    let sentence_like = ends_like_sentence(line) || introduces_a_quote(line);
    if let Some((_, rest)) = caps_label(line)
        && (!sentence_like || word_count(rest) < 6)
    {
        return Some(Residue::Teaser);
    }
    if !sentence_like && let Some((label, rest)) = line.split_once(':') {
        let label_words = word_count(label);
        if (1..=3).contains(&label_words) && word_count(rest) <= 12 {
            return Some(Residue::Credit);
        }
    }
    let trimmed = line.trim_end();
    if trimmed.ends_with('!') && words <= 8 && !trimmed.starts_with(['"', '\u{201C}', '\'']) {
        return Some(Residue::CallToAction);
    }
    // Real paragraphs occasionally lose their final period; long ones are kept.
    if !sentence_like && words < 20 {
        return Some(Residue::NotASentence);
    }
    None
}

/// Content words (no stopwords, no numbers) of a text, as stems.
fn content_stems(analyzer: &mut Analyzer, text: &str) -> FxHashSet<u32> {
    analyzer
        .terms(text)
        .into_iter()
        .filter(|t| !t.stop && t.kind == TokenKind::Word)
        .map(|t| t.id)
        .collect()
}

/// If the headline shares no content word with the body while a removed headline-shaped
/// line does, that line is the real headline (the first line was a slogan or site name).
fn repaired_title(title: &str, removed: &[RemovedLine], kept: &[String]) -> Option<String> {
    // Nothing to repair without a headline, or without a headline-shaped removed line.
    let candidates = removed
        .iter()
        .take(3)
        .any(|r| r.reason == Residue::NotASentence);
    if title.trim().is_empty() || kept.is_empty() || !candidates {
        return None;
    }
    // Cheap test first: a headline that shares a plain word (4+ letters) with the first
    // paragraphs is a headline. Only the rest need stemming.
    let lead: FxHashSet<String> = kept
        .iter()
        .take(4)
        .flat_map(|p| p.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect();
    let shares_word = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .any(|w| lead.contains(&w.to_lowercase()));
    if shares_word {
        return None;
    }
    let mut analyzer = Analyzer::new();
    let body: String = kept
        .iter()
        .take(4)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let body_stems = content_stems(&mut analyzer, &body);
    let title_stems = content_stems(&mut analyzer, title);
    if title_stems.is_empty() || title_stems.iter().any(|s| body_stems.contains(s)) {
        return None;
    }
    removed
        .iter()
        .take(3)
        .filter(|r| matches!(r.reason, Residue::NotASentence))
        .find(|r| {
            let n = word_count(&r.text);
            let stems = content_stems(&mut analyzer, &r.text);
            (3..=20).contains(&n) && stems.iter().filter(|s| body_stems.contains(s)).count() >= 2
        })
        .map(|r| r.text.clone())
}

/// A sentence without a leading agency or photo credit in parentheses: `( cnn ) there
/// have been...` → `there have been...`. Only short credits (one to four words) go.
pub fn strip_leading_credit(sentence: &str) -> &str {
    let t = sentence.trim_start();
    if !t.starts_with('(') {
        return sentence;
    }
    let Some(close) = t.find(')') else {
        return sentence;
    };
    let inner = &t[1..close];
    let rest = t[close + 1..].trim_start_matches([' ', '-', ':', '\u{2014}', '\u{2013}']);
    let words = word_count(inner);
    if (1..=4).contains(&words)
        && word_count(rest) >= 4
        && !inner.chars().any(|c| c.is_ascii_digit())
    {
        rest
    } else {
        sentence
    }
}

/// Splits a wire dateline off the start of a paragraph: `MOSCOW: US Secretary ...` →
/// (`MOSCOW`, `US Secretary ...`); `PINE RIDGE, S.D. (AP) -- President ...`.
pub fn split_dateline(paragraph: &str) -> Option<(&str, &str)> {
    const SEPARATORS: &[&str] = &[
        " -- ",
        " \u{2014} ",
        " \u{2013} ",
        " - ",
        ": ",
        " _ ",
        "\u{2014}",
    ];
    let window = &paragraph[..paragraph.floor_char_boundary(80)];
    let (at, sep) = SEPARATORS
        .iter()
        .filter_map(|s| window.find(s).map(|k| (k, *s)))
        .min_by_key(|&(k, _)| k)?;
    let place = paragraph[..at].trim();
    let rest = paragraph[at + sep.len()..].trim_start();
    if place.is_empty() || word_count(place) > 8 || rest.is_empty() {
        return None;
    }
    if !rest.starts_with(|c: char| c.is_uppercase() || matches!(c, '"' | '\u{201C}' | '`' | '\'')) {
        return None;
    }
    // The place starts with an all-caps word (MOSCOW, PINE) or is a bare agency tag: (AP).
    let first = place.split_whitespace().next().unwrap_or("");
    let first_letters: Vec<char> = first.chars().filter(|c| c.is_alphabetic()).collect();
    let caps_place = first_letters.len() >= 2 && first_letters.iter().all(|c| c.is_uppercase());
    let agency = place.starts_with('(') && place.ends_with(')') && word_count(place) <= 2;
    if !(caps_place || agency) {
        return None;
    }
    // A long all-caps sentence is not a dateline: the rest must read as a sentence.
    let tokens = tokenize(rest);
    (tokens.len() >= 4).then_some((place, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, text: &str) -> Article {
        Article {
            id: "t".into(),
            title: title.into(),
            text: text.into(),
            source: None,
            url: None,
            date: None,
        }
    }

    fn reasons(c: &CleanArticle) -> Vec<Residue> {
        c.removed.iter().map(|r| r.reason).collect()
    }

    #[test]
    fn a_wire_budget_is_a_digest_and_an_article_with_a_dateline_is_not() {
        let budget = article(
            "Budget",
            "The Post plans to move the following stories for clients.\n\
             BLAST-VICTIMS (BELLINGHAM, Wash.) _ A sad scene unfolded at the school on Friday.\n\
             By Kim Wilson. (Story will move in the ``a'' category.)\n\
             TIDE (OLYMPIA, Wash.) _ The lowest tide of the year occurs on Monday morning.\n\
             MARINERS (Seattle) _ Seattle hosts the San Francisco Giants on Friday night.",
        );
        assert!(Cleaner::new().clean(&budget).digest);
        let report = article(
            "Court ruling",
            "WASHINGTON (AP) _ The Supreme Court struck down the law on Thursday.\n\
             The 6-3 ruling said the act violated the Constitution's presentment clause.",
        );
        assert!(!Cleaner::new().clean(&report).digest);
    }

    #[test]
    fn spacing_is_collapsed_and_invisible_characters_dropped_plain_lines_kept() {
        for (line, want) in [
            ("Ships lined up.", "Ships lined up."),
            ("", ""),
            (" a  b ", "a b"),
            ("a\tb\u{00A0}c", "a b c"),
            ("a\u{200B}b\u{7F}c", "abc"),
            ("caf\u{E9}  ol\u{E9}", "caf\u{E9} ol\u{E9}"),
        ] {
            assert_eq!(normalize_space(line), want, "{line:?}");
        }
    }

    #[test]
    fn page_residue_is_removed_by_its_shape() {
        let text = "\
Donate to Harbor Watch
The mayor of Eastport said on Monday that the harbor will reopen next week.
Dock workers wait at the gate in Eastport on Monday. (Staff Photo/Jane Roe)
LISTEN: The harbor dispute in five minutes
Harbor officials expect the first ships by Thursday, a spokesman said.
Sign up today!
Harbor Reopens After Strike
The post Harbor Reopens After Strike appeared first on Coastal Daily.
Source: Coastal Daily
Follow us at https://example.org/harbor";
        let c = Cleaner::new().clean(&article("Harbor Reopens After Strike", text));
        assert_eq!(
            c.paragraphs,
            [
                "The mayor of Eastport said on Monday that the harbor will reopen next week.",
                "Harbor officials expect the first ships by Thursday, a spokesman said."
            ]
        );
        assert_eq!(
            reasons(&c),
            [
                Residue::NotASentence,
                Residue::Caption,
                Residue::Teaser,
                Residue::CallToAction,
                Residue::DuplicateTitle,
                Residue::SelfReference,
                Residue::Credit,
                Residue::Link,
            ]
        );
    }

    #[test]
    fn wire_datelines_are_split_off() {
        let c = Cleaner::new().clean(&article(
            "Storm",
            "HARBOR CITY, Ore. (AP) -- A storm closed the port on Tuesday.\nIt reopened later.",
        ));
        assert_eq!(c.dateline.as_deref(), Some("HARBOR CITY, Ore. (AP)"));
        assert_eq!(c.paragraphs[0], "A storm closed the port on Tuesday.");
        assert_eq!(
            split_dateline("EASTPORT: The council voted to reopen the port."),
            Some(("EASTPORT", "The council voted to reopen the port."))
        );
        assert_eq!(
            split_dateline("The council said: Nothing changes here today."),
            None
        );
    }

    #[test]
    fn leading_agency_credits_are_stripped() {
        assert_eq!(
            strip_leading_credit("( cnn ) there have been many flags in history."),
            "there have been many flags in history."
        );
        assert_eq!(
            strip_leading_credit("(AP) — The port reopened on Monday."),
            "The port reopened on Monday."
        );
        assert_eq!(
            strip_leading_credit("(1) The first point is this one."),
            "(1) The first point is this one."
        );
        assert_eq!(
            strip_leading_credit("(In a long aside that says a lot) the end."),
            "(In a long aside that says a lot) the end."
        );
    }

    #[test]
    fn a_slogan_in_place_of_the_headline_is_replaced() {
        let c = Cleaner::new().clean(&article(
            "Your window on the world.",
            "Council votes to reopen harbor\nEASTPORT: The council voted on Monday to reopen the harbor after the strike.",
        ));
        assert_eq!(c.title, "Council votes to reopen harbor");
        assert_eq!(c.removed[0].reason, Residue::Slogan);
        assert_eq!(
            c.paragraphs,
            ["The council voted on Monday to reopen the harbor after the strike."]
        );
    }

    const REPORTS: [&str; 5] = [
        "The council voted to reopen the harbor on Monday.",
        "Fishing crews returned to the docks before dawn.",
        "A ferry line said it would resume service next week.",
        "Port revenue fell by a third during the strike.",
        "The union called the deal a fair compromise.",
    ];

    #[test]
    fn lines_recurring_across_a_corpus_are_templates() {
        let articles: Vec<Article> = (0..5)
            .map(|i| {
                article(
                    &format!("Story number {i} about the harbor"),
                    &format!("{}\nThanks for reading our coverage today.", REPORTS[i]),
                )
            })
            .collect();
        let cleaner = Cleaner::for_corpus(&articles);
        let c = cleaner.clean(&articles[0]);
        assert_eq!(c.paragraphs.len(), 1);
        assert_eq!(reasons(&c), [Residue::Template]);
    }

    #[test]
    fn lines_shared_by_copies_of_one_story_are_not_templates() {
        let text = "The council voted on Monday to reopen the harbor after a strike that lasted three weeks.\nNobody was hurt.";
        let articles: Vec<Article> = (0..5)
            .map(|i| article(&format!("Harbor {i}"), text))
            .collect();
        let cleaner = Cleaner::for_corpus(&articles);
        assert_eq!(cleaner.clean(&articles[2]).paragraphs.len(), 2);
    }
}
