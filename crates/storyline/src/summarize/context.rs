//! Can a sentence stand in a brief away from its article, and if not, can it be repaired?
//!
//! A sentence taken out of its article loses what it leaned on: the person a "he" named,
//! the event "the statement" pointed at, the day "yesterday" meant, the contrast a leading
//! "But" answered. [`read`] looks at a sentence the way an editor would before moving it into
//! a brief, and either returns it as the brief may print it or says why it cannot stand:
//!
//! - a dateline or a leading connective ("But", "Meanwhile,") is dropped;
//! - a leading "He"/"She" (and "his"/"her") becomes the one person the sentences before it in
//!   the same article name, and a quote's "he said" the speaker the article gives;
//! - a surname alone becomes the full name its article introduced ("Hofmeister" → "John
//!   Hofmeister"); the brief shortens repeated full names again ([`shorten_names`]);
//! - "yesterday", "today", "last year" become dates from the article's own date, and "this
//!   week" is dropped; without a date they are dropped where the sentence reads without them;
//! - a definite or demonstrative reference ("The statement", "This move", "Annan's
//!   comments") is kept only when the brief has already said what it refers to (a *need*
//!   checked when sentences are chosen);
//! - anything else that points outside the sentence (an unresolved pronoun, a quote whose
//!   speaker is not named, a plan reported by an article older than the latest one, "the
//!   latter") makes it unusable alone.
//!
//! No words are invented: every replacement is a name, a date or an attribution taken from
//! the sentence's own article. The rules are closed-class (pronouns, determiners, shell
//! nouns after Schmid 2000, connectives, time words): no list of names, places or events.

use chrono::{Datelike, Duration, NaiveDate};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::compare::names::{self, Mention};
use crate::corpus::{Corpus, DocIx, SentIx};
use storyline_text::given_names::{Gender, gender_of_name, pronoun_gender};

/// One change made to a sentence so that it stands in the brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Edit {
    /// A dateline or agency credit at the start was removed.
    Dateline {
        /// What was removed.
        removed: String,
    },
    /// A leading connective ("But", "However,") was removed.
    Connective {
        /// What was removed.
        removed: String,
    },
    /// A pronoun was replaced by the person it refers to in the article.
    Pronoun {
        /// The pronoun.
        from: String,
        /// The name.
        to: String,
    },
    /// A name was written in full (or shortened after its first mention in the brief).
    Name {
        /// As the sentence wrote it.
        from: String,
        /// As the brief writes it.
        to: String,
    },
    /// A quotation was attributed to the speaker its article gives it ("..., Lavrov said.").
    Speaker {
        /// The speaker.
        speaker: String,
    },
    /// A headline (the article's only text) stands as a sentence: a full stop added, a
    /// trailing cut-off mark dropped.
    Headline {
        /// The headline as written.
        headline: String,
    },
    /// Secondary material was trimmed to fit more in the brief: a parenthesis, a relative
    /// clause.
    Trimmed {
        /// What was removed.
        removed: String,
    },
    /// A wire's "here" was written as its dateline's place ("ended here" -> "ended in
    /// Harare").
    Place {
        /// The word.
        from: String,
        /// What it became.
        to: String,
    },
    /// A relative time was replaced by the date it means, or dropped.
    Time {
        /// The expression.
        from: String,
        /// The date it means (empty: dropped).
        to: String,
    },
}

/// Why a sentence cannot stand alone in a brief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dangling {
    /// A pronoun whose person the article does not make clear.
    Pronoun,
    /// A quote whose speaker is not named in the sentence.
    Speaker,
    /// A reference to something only the article's earlier text says ("the latter").
    Reference,
    /// A relative time that cannot be resolved or dropped.
    Time,
    /// A plan or expectation reported by an article older than the latest one.
    Stale,
}

/// A sentence as a brief may print it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The text to print.
    pub text: String,
    /// What was changed, in order.
    pub edits: Vec<Edit>,
    /// Lowercased head nouns that the brief must mention before this sentence.
    pub needs: Vec<String>,
    /// Names of people the sentence mentions, in full.
    pub people: Vec<String>,
    /// The same with secondary material trimmed (a parenthesis, a relative clause), when
    /// there is any.
    pub compressed: Option<Box<Compressed>>,
}

/// A reading with secondary material trimmed.
#[derive(Debug, Clone, PartialEq)]
pub struct Compressed {
    /// The text to print.
    pub text: String,
    /// Every change, the trims included.
    pub edits: Vec<Edit>,
    /// Byte ranges of the article's sentence that the trims removed.
    pub removed: Vec<std::ops::Range<usize>>,
}

/// What the reader of an event knows about its articles: the people each article names
/// in full, and which names are people's.
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Name mentions of every sentence of the corpus.
    mentions: Vec<Vec<Mention>>,
    /// Per document: full names (two words or more) by their last word.
    by_surname: Vec<FxHashMap<String, Vec<String>>>,
    /// Full names that are people: titled somewhere, or the subject of a speech verb.
    persons: FxHashSet<String>,
    /// The latest article date of the event.
    pub(crate) newest: Option<NaiveDate>,
    /// Per sentence: inside a quotation an earlier sentence opened.
    in_open_quote: Vec<bool>,
    /// Single-word names the articles use on their own ("Tillerson said"), and surnames of
    /// people with a title ("Mayor Dana Whitfield"): the surnames a brief may shorten a full
    /// name to. An organisation ("Quillfield Systems") is never called by its last word.
    pub(crate) alone: FxHashSet<String>,
    /// Per article and paragraph: the quotes the comparison attributes, with their speakers.
    quoted_by: FxHashMap<(DocIx, usize), Vec<(std::ops::Range<usize>, String)>>,
}

/// Speech verbs, as they attribute quotes and reported speech.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "asked",
    "stated",
    "declared",
    "announced",
    "insisted",
    "argued",
    "warned",
    "noted",
    "explained",
    "wrote",
    "recalled",
    "replied",
    "testified",
    "continued",
    "stressed",
    "urged",
    "acknowledged",
    "admitted",
    "claimed",
    "complained",
    "conceded",
    "predicted",
    "suggested",
    "tells",
    "adds",
    "asks",
    "writes",
    "according",
    "saying",
    "called",
    "calling",
    "described",
    "reported",
    "tweeted",
];

fn lower(w: &str) -> String {
    // Most words are ASCII letters and digits: lowercased without the Unicode machinery.
    if w.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return w.to_ascii_lowercase();
    }
    w.chars()
        .filter(|c| c.is_alphanumeric() || *c == '\'' || *c == '\u{2019}')
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_speech_verb(w: &str) -> bool {
    if w.bytes().all(|b| b.is_ascii_lowercase()) {
        SPEECH_VERBS.contains(&w)
    } else {
        SPEECH_VERBS.contains(&lower(w).as_str())
    }
}

/// Words of a text with byte offsets, outer punctuation trimmed.
pub(crate) fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut push = |s: usize, e: usize| {
        let w = &text[s..e];
        let lead = w.len() - w.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
        let trimmed = w.trim_matches(|c: char| !c.is_alphanumeric());
        if !trimmed.is_empty() {
            out.push((s + lead, s + lead + trimmed.len()));
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                push(s, i);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    out
}

impl People {
    /// Finds the names of every sentence and who among them is a person.
    pub fn new(corpus: &Corpus) -> Self {
        let mentions: Vec<Vec<Mention>> = corpus
            .sentences
            .iter()
            .map(|s| names::mentions(&s.text))
            .collect();
        let mut by_surname: Vec<FxHashMap<String, Vec<String>>> =
            vec![FxHashMap::default(); corpus.docs.len()];
        let mut persons = FxHashSet::default();
        let mut speakers: FxHashSet<String> = FxHashSet::default();
        let mut alone: FxHashSet<String> = FxHashSet::default();
        // Names written after an article or a possessive determiner ("an Air France
        // Concorde", "the Carter Center"): a thing's or a body's, not a person's. "that" is
        // often a conjunction ("said that Vladimir Putin was elected"), but a name it takes
        // from the people only loses edits (it is not written out, shortened or used for
        // "he"), never gains a wrong one; leaving "that" out cost DUC 2007 R-2 0.09.
        let mut after_determiner: FxHashSet<String> = FxHashSet::default();
        for (s, ms) in corpus.sentences.iter().zip(&mentions) {
            for m in ms {
                let ws = m.words();
                if ws.len() == 1 {
                    alone.insert(m.name.clone());
                }
                if names::determiner_before(&s.text, m).is_some_and(|w| {
                    matches!(
                        w.as_str(),
                        "a" | "an" | "the" | "its" | "their" | "this" | "that"
                    )
                }) {
                    after_determiner.insert(m.name.clone());
                }
                if ws.len() >= 2
                    && let Some(last) = ws.last()
                {
                    // "John F. Kennedy Jr." is a Kennedy: "Kennedy" alone may be him.
                    let surname = match ws.as_slice() {
                        [.., before, "Jr." | "Sr." | "II" | "III"] => before,
                        _ => last,
                    };
                    let e = by_surname[s.doc].entry(surname.to_string()).or_default();
                    if !e.contains(&m.name) {
                        e.push(m.name.clone());
                    }
                    if m.title.is_some() {
                        persons.insert(m.name.clone());
                        alone.insert(last.to_string());
                    }
                }
                if next_to_speech_verb(&s.text, m) {
                    speakers.insert(ws.last().map_or(String::new(), |w| w.to_string()));
                    if ws.len() >= 2 {
                        persons.insert(m.name.clone());
                    }
                }
            }
        }
        // A full name whose surname is seen speaking alone ("Hofmeister said") is a person.
        // Only one whose given name is known as one: "Venezuela said" and "Starbucks said"
        // make no person of "Viva Venezuela" or "American Starbucks". (A full name seen
        // speaking itself, or with a title, is a person all the same, above.)
        for names in &by_surname {
            for (last, full) in names {
                if speakers.contains(last) {
                    persons.extend(full.iter().filter(|n| gender_of_name(n).is_some()).cloned());
                }
            }
        }
        // "Starbucks Coffee Co. said", "the Supreme Court said", "the Carter Center
        // said": a body speaks, but is no person to be named by its last word, to stand
        // for "he", or to make a surname ambiguous.
        // Nor is a place ("Texas said" makes no person of "East Texas"), nor a name once
        // written after a determiner ("the pilot of an Air France Concorde said").
        persons.retain(|n: &String| {
            !names::is_organisation(n) && !names::is_place(n) && !after_determiner.contains(n)
        });
        let newest = corpus
            .docs
            .iter()
            .filter_map(|d| d.date)
            .max()
            .map(|t| t.date());
        People {
            mentions,
            by_surname,
            persons,
            newest,
            in_open_quote: open_quotes(corpus),
            alone,
            quoted_by: FxHashMap::default(),
        }
    }

    /// Learns who said each quote, from the comparison's statements (see
    /// [`crate::compare::quotes`]), for attributing quotes in the brief.
    pub fn with_quotes(mut self, statements: &[crate::compare::Statement]) -> Self {
        for st in statements {
            for o in &st.occurrences {
                if let Some(speaker) = &o.speaker {
                    self.quoted_by
                        .entry(o.location())
                        .or_default()
                        .push((o.span.clone(), speaker.clone()));
                }
            }
        }
        self
    }

    /// All name mentions, sentence by sentence (what [`crate::compare`] needs too).
    pub fn all_mentions(&self) -> &[Vec<Mention>] {
        &self.mentions
    }

    /// The name mentions, sentence by sentence, for the comparison to reuse.
    pub fn into_mentions(self) -> Vec<Vec<Mention>> {
        self.mentions
    }

    /// The one speaker of the quotes in sentence `s` (or of the quotation it sits in), as
    /// the comparison attributes them.
    fn quote_speaker(&self, corpus: &Corpus, s: SentIx) -> Option<String> {
        let sent = &corpus.sentences[s];
        let quotes = self.quoted_by.get(&(sent.doc, sent.paragraph))?;
        let mut speakers = quotes
            .iter()
            .filter(|(r, _)| r.start < sent.span.end && sent.span.start < r.end)
            .map(|(_, who)| who);
        let first = speakers.next()?;
        speakers.all(|w| w == first).then(|| first.clone())
    }

    /// The name mentions of a sentence.
    pub fn mentions(&self, s: SentIx) -> &[Mention] {
        self.mentions.get(s).map_or(&[], Vec::as_slice)
    }

    /// Is this full name a person's?
    pub fn is_person(&self, name: &str) -> bool {
        self.persons.contains(name)
    }

    /// The full name a single word stands for in its article, when exactly one.
    fn full_name(&self, doc: DocIx, word: &str) -> Option<&str> {
        match self.by_surname.get(doc)?.get(word)?.as_slice() {
            [one] if self.persons.contains(one) => Some(one),
            _ => None,
        }
    }

    /// The one person a pronoun at sentence `s` refers to: the people named by the closest
    /// earlier sentence of the article that names any, if that is exactly one.
    ///
    /// An earlier sentence whose own subject is the same pronoun ("He said evidence suggests
    /// that bin Laden was seeking ..." before "He said Empta ...") passes its person on: the
    /// one its pronoun refers to, not the people named in what it reports.
    fn antecedent(&self, corpus: &Corpus, s: SentIx) -> Option<String> {
        self.antecedent_within(corpus, s, 3)
    }

    fn antecedent_within(&self, corpus: &Corpus, s: SentIx, depth: usize) -> Option<String> {
        let doc = corpus.sentences[s].doc;
        let first = corpus.docs[doc].sentences.start;
        let subject = speaks_as_pronoun(&corpus.sentences[s].text);
        let mut k = s;
        for _ in 0..2 {
            if k == first {
                return None;
            }
            k -= 1;
            if subject.is_some() && subject == speaks_as_pronoun(&corpus.sentences[k].text) {
                return if depth == 0 {
                    None
                } else {
                    self.antecedent_within(corpus, k, depth - 1)
                };
            }
            let people: FxHashSet<String> = self.mentions[k]
                .iter()
                .filter_map(|m| self.person_of(doc, m))
                .collect();
            match people.len() {
                0 => continue,
                // Not a man's name for "she", nor a woman's for "he".
                1 => {
                    return people.into_iter().next().filter(|name| {
                        let told = first_pronoun_gender(&corpus.sentences[s].text);
                        told.is_none() || gender_of_name(name).is_none_or(|g| Some(g) == told)
                    });
                }
                _ => return None,
            }
        }
        None
    }

    /// The full name of a person mention (a full name, or a surname its article expands).
    fn person_of(&self, doc: DocIx, m: &Mention) -> Option<String> {
        if m.words().len() >= 2 {
            return self.persons.contains(&m.name).then(|| m.name.clone());
        }
        self.full_name(doc, &m.name).map(str::to_string)
    }
}

/// The gender of the first person pronoun of a sentence ("He", "his", "herself").
fn first_pronoun_gender(text: &str) -> Option<Gender> {
    words(text).iter().find_map(|&(b, e)| {
        let w = lower(&text[b..e]);
        pronoun_gender(&w).or(match w.as_str() {
            "himself" => Some(Gender::Male),
            "hers" | "herself" => Some(Gender::Female),
            _ => None,
        })
    })
}

/// The gender of the person pronoun ("he" or "she") that is the sentence's subject: its
/// first word ("He said ...", "His lawyer ..." is not), or the speaker of a speech verb next
/// to it ("..., he said.").
fn speaks_as_pronoun(text: &str) -> Option<Gender> {
    let ws = words(text);
    let lw: Vec<String> = ws.iter().map(|&(b, e)| lower(&text[b..e])).collect();
    let person = |w: &str| {
        if w == "he" || w == "she" {
            pronoun_gender(w)
        } else {
            None
        }
    };
    lw.first().and_then(|w| person(w)).or_else(|| {
        lw.windows(2).find_map(|p| {
            if is_speech_verb(&p[1]) {
                person(&p[0])
            } else if is_speech_verb(&p[0]) {
                person(&p[1])
            } else {
                None
            }
        })
    })
}

/// Is the mention the subject of a speech verb ("Lavrov said", "said Lavrov")?
fn next_to_speech_verb(text: &str, m: &Mention) -> bool {
    let after = text[m.span.end..].split_whitespace().next().unwrap_or("");
    let before = text[..m.span.start]
        .split_whitespace()
        .next_back()
        .unwrap_or("");
    is_speech_verb(after) || is_speech_verb(before)
}

/// Connectives that tie a sentence to the one before it; dropped at the start.
const CONNECTIVES: &[&str] = &[
    "but",
    "and",
    "yet",
    "so",
    "however",
    "meanwhile",
    "still",
    "also",
    "moreover",
    "furthermore",
    "nevertheless",
    "nonetheless",
    "instead",
    "besides",
    "likewise",
    "similarly",
    "accordingly",
    "hence",
    "thus",
    "therefore",
    "indeed",
    "additionally",
    "consequently",
    "then",
    "finally",
    "again",
];

/// Multi-word connectives (lowercase), dropped at the start when a comma follows.
const CONNECTIVE_PHRASES: &[&str] = &[
    "in addition",
    "at the same time",
    "on the other hand",
    "in contrast",
    "by contrast",
    "as a result",
    "in turn",
    "for his part",
    "for her part",
    "for their part",
    "for its part",
    "in the meantime",
];

/// Shell nouns: nouns whose content is given by the text around them ("the statement",
/// "the move"). After "the" they point back; Schmid (2000), *English Abstract Nouns as
/// Conceptual Shells*, with the person nouns of news ("the man", "the suspect").
const SHELL_NOUNS: &[&str] = &[
    "accord",
    "accusation",
    "accusations",
    "action",
    "actions",
    "affair",
    "agency",
    "agreement",
    "aircraft",
    "allegation",
    "allegations",
    "analysis",
    "announcement",
    "answer",
    "area",
    "arguments",
    "arrest",
    "arrests",
    "attack",
    "attacks",
    "bill",
    "book",
    "boy",
    "building",
    "campaign",
    "car",
    "case",
    "ceremony",
    "change",
    "changes",
    "charges",
    "child",
    "city",
    "claim",
    "claims",
    "clash",
    "comment",
    "comments",
    "company",
    "conference",
    "conflict",
    "controversy",
    "country",
    "couple",
    "crisis",
    "criticism",
    "deal",
    "decision",
    "decree",
    "demand",
    "demands",
    "development",
    "device",
    "disagreement",
    "disease",
    "dispute",
    "document",
    "documents",
    "drug",
    "effort",
    "efforts",
    "episode",
    "event",
    "facility",
    "film",
    "findings",
    "firm",
    "girl",
    "government",
    "group",
    "hearing",
    "idea",
    "incident",
    "initiative",
    "investigation",
    "issue",
    "law",
    "lawsuit",
    "letter",
    "man",
    "matter",
    "measure",
    "meeting",
    "men",
    "move",
    "news",
    "offer",
    "official",
    "officials",
    "operation",
    "order",
    "organisation",
    "organization",
    "outcome",
    "pair",
    "plan",
    "plane",
    "plant",
    "policy",
    "probe",
    "problem",
    "program",
    "programme",
    "project",
    "proposal",
    "question",
    "reaction",
    "region",
    "remark",
    "remarks",
    "remedy",
    "report",
    "request",
    "resolution",
    "response",
    "result",
    "results",
    "rift",
    "row",
    "ruling",
    "same",
    "scandal",
    "sentence",
    "ship",
    "site",
    "situation",
    "standoff",
    "statement",
    "statements",
    "step",
    "strike",
    "study",
    "suit",
    "survey",
    "suspect",
    "suspects",
    "system",
    "talks",
    "tension",
    "tensions",
    "threat",
    "town",
    "treatment",
    "treaty",
    "trial",
    "tribe",
    "trip",
    "vehicle",
    "verdict",
    "vessel",
    "victim",
    "victims",
    "virus",
    "visit",
    "vote",
    "war",
    "warning",
    "weapon",
    "woman",
    "women",
];

/// Kinds of body that the last word of a body's name often is ("the Supreme Court", "the
/// European Monetary Institute"): "The court ruled" needs the court told first.
const BODY_NOUNS: &[&str] = &[
    "bank",
    "board",
    "commission",
    "committee",
    "council",
    "court",
    "department",
    "hospital",
    "institute",
    "ministry",
    "mission",
    "museum",
    "panel",
    "park",
    "party",
    "school",
    "team",
    "union",
    "university",
];

/// Is this (lowercase) word a shell noun?
fn is_shell_noun(w: &str) -> bool {
    SHELL_NOUNS.binary_search(&w).is_ok()
}

/// Prepositions that open an adverbial before the sentence's subject ("In response to the
/// attack, ...").
const OPENING_PREPOSITIONS: &[&str] = &[
    "after",
    "amid",
    "at",
    "before",
    "despite",
    "during",
    "following",
    "in",
    "on",
    "since",
    "with",
    "without",
];

/// Shell nouns that, after "the" anywhere in a sentence, stand for a statement or a
/// happening told elsewhere ("made the remarks", "denied the allegations").
const POINTING_SHELLS: &[&str] = &[
    "accusation",
    "accusations",
    "allegation",
    "allegations",
    "announcement",
    "comment",
    "comments",
    "decision",
    "incident",
    "meeting",
    "move",
    "possibility",
    "process",
    "remark",
    "remarks",
    "statement",
    "statements",
];

/// Nouns that, after "that" at the end of a clause, name something told before ("upheld that
/// ruling.", "rejected that offer,").
const CLOSING_SHELLS: &[&str] = &[
    "ruling",
    "verdict",
    "plan",
    "deal",
    "agreement",
    "proposal",
    "request",
    "offer",
    "claim",
    "report",
    "view",
    "idea",
    "case",
    "law",
    "order",
    "demand",
    "charge",
    "approach",
    "defense",
    "defence",
    "argument",
    "position",
    "finding",
    "explanation",
    "theory",
];

/// Words after a shell noun that say which one it is ("the statement that", "the remarks
/// of", "the decision to").
const SHELL_COMPLEMENTS: &[&str] = &[
    "about",
    "between",
    "by",
    "from",
    "given",
    "in",
    "issued",
    "made",
    "of",
    "on",
    "over",
    "published",
    "regarding",
    "released",
    "that",
    "to",
    "which",
    "who",
    "with",
];

/// Determiners that make a noun phrase point back.
const DEMONSTRATIVES: &[&str] = &["this", "that", "these", "those", "such"];

/// Prepositions after which "that" is a determiner, not a conjunction ("of that total").
const DETERMINER_PREPOSITIONS: &[&str] = &[
    "about", "after", "against", "at", "before", "by", "despite", "during", "for", "from", "in",
    "of", "on", "over", "since", "to", "under", "with",
];

/// Words after "that" that do not point back to something the brief must tell: times ("at
/// that time"), degrees ("that many") and idioms ("for that matter").
const NOT_POINTING_AFTER_THAT: &[&str] = &[
    "time", "day", "days", "point", "moment", "era", "period", "date", "hour", "season", "decade",
    "summer", "winter", "spring", "fall", "many", "much", "far", "long", "way", "matter", "regard",
    "respect",
];

/// Words that always refer to something outside a sentence.
const ALWAYS_ANAPHORIC: &[&str] = &["latter", "former's", "aforementioned", "abovementioned"];

/// First-person pronouns: outside quotes they are a speaker's words.
const FIRST_PERSON: &[&str] = &[
    "i",
    "we",
    "me",
    "us",
    "my",
    "our",
    "ours",
    "myself",
    "ourselves",
];

/// Subject pronouns and possessives that name a person.
const PERSON_PRONOUNS: &[&str] = &["he", "she", "his", "her"];

/// Pronouns whose referent must be found before them.
const OTHER_PRONOUNS: &[&str] = &["they", "them", "their", "it", "its", "him", "theirs"];

/// Relative days, their offset from the article's day.
fn day_offset(w: &str) -> Option<i64> {
    match w {
        "yesterday" => Some(-1),
        "today" | "tonight" => Some(0),
        "tomorrow" => Some(1),
        _ => None,
    }
}

/// Periods that "this", "last", "next" (and "earlier this", "later this") make relative.
fn is_period(w: &str) -> bool {
    matches!(
        w,
        "week" | "weekend" | "month" | "year" | "night" | "morning" | "afternoon" | "evening"
    )
}

/// Verbs and adjectives that, with "to", report a plan or an expectation ("plans to").
fn is_plan_word(w: &str) -> bool {
    matches!(
        w,
        "plans"
            | "planned"
            | "planning"
            | "expected"
            | "scheduled"
            | "due"
            | "set"
            | "intends"
            | "intend"
            | "aims"
            | "hopes"
    )
}

/// A pending change of a byte range of the sentence.
struct Change {
    range: std::ops::Range<usize>,
    with: String,
    edit: Edit,
}

/// Reads sentence `s` as a brief would print it: repaired, or why it cannot stand alone.
pub fn read(corpus: &Corpus, people: &People, s: SentIx) -> Result<Reading, Dangling> {
    read_in(corpus, people, s, false)
}

/// Reads sentence `s` as printed right after the sentence before it in its article (the
/// pair that sentence leans on): what it points back to is that sentence's, so pronouns and
/// references pass; a stale plan, a relative time, someone's unquoted words do not.
pub fn read_after_previous(
    corpus: &Corpus,
    people: &People,
    s: SentIx,
) -> Result<Reading, Dangling> {
    read_in(corpus, people, s, true)
}

fn read_in(
    corpus: &Corpus,
    people: &People,
    s: SentIx,
    after_previous: bool,
) -> Result<Reading, Dangling> {
    let sent = &corpus.sentences[s];
    if sent.headline {
        return Ok(headline_reading(&sent.text));
    }
    let doc = &corpus.docs[sent.doc];
    let text = sent.text.as_str();
    let article_day = doc.day();
    let mut changes: Vec<Change> = Vec::new();
    // Where the sentence proper starts, after a dateline and a connective.
    let mut start = 0;
    // A dateline opens a paragraph.
    let dateline = if sent.after.is_none() {
        crate::clean::split_dateline(text).or_else(|| glued_dateline(text))
    } else {
        None
    };
    if let Some((_, rest)) = dateline {
        let at = text.len() - rest.len();
        changes.push(Change {
            range: 0..at,
            with: String::new(),
            edit: Edit::Dateline {
                removed: text[..at].trim().to_string(),
            },
        });
        start = at;
    }
    if chronology_entry(&text[start..]) || interview_turn(&text[start..]) {
        return Err(Dangling::Reference);
    }
    if let Some(end) = leading_connective(&text[start..]) {
        let removed = text[start..start + end].trim().to_string();
        changes.push(Change {
            range: start..start + end,
            with: String::new(),
            edit: Edit::Connective { removed },
        });
        start += end;
    }
    // A sentence inside a quotation that spans several sentences is someone's words with no
    // marks of its own: it stands only quoted and attributed to the speaker the comparison
    // gives that quotation.
    let within_quote = people.in_open_quote.get(s).copied().unwrap_or(false);
    let quote_speaker = people.quote_speaker(corpus, s);
    if within_quote && (after_previous || quote_speaker.is_none()) {
        return Err(Dangling::Speaker);
    }
    let quoted = if within_quote {
        vec![0..text.len()]
    } else {
        quoted_ranges(text)
    };
    let inside = |at: usize| quoted.iter().any(|r| r.contains(&at));
    let cased = sent.case_mode == storyline_text::Mode::Cased;
    let ws = words(text);
    let lw: Vec<String> = ws.iter().map(|&(b, e)| lower(&text[b..e])).collect();
    // For pronouns, a contraction is its first part: "it's" is "it", "they're" is "they".
    let bare: Vec<&str> = lw
        .iter()
        .map(|w| w.split(['\'', '\u{2019}']).next().unwrap_or(w))
        .collect();
    let first_word = ws.iter().position(|&(b, _)| b >= start);
    // An opening adverbial ("In response to the most recent incident, ...", "After the
    // meeting, ..."): a definite reference in it points back as one opening the sentence.
    let opening_end = first_word
        .filter(|&f| OPENING_PREPOSITIONS.contains(&lw[f].as_str()))
        .and_then(|f| {
            ws[f..]
                .iter()
                .take(8)
                .position(|&(_, e)| text[e..].starts_with(','))
                .map(|p| f + p)
        });
    let mut needs = Vec::new();
    // Pronouns and references outside quotes.
    for (k, &(b, e)) in ws.iter().enumerate() {
        if b < start || inside(b) {
            continue;
        }
        let w = &lw[k];
        let at_start = Some(k) == first_word;
        if ALWAYS_ANAPHORIC.contains(&w.as_str()) {
            return Err(Dangling::Reference);
        }
        // "such arguments", "such remedies": the ones just mentioned ("such as" lists, and
        // "such a ... that" measures, do not point back).
        if w == "such"
            && lw.get(k + 1).is_some_and(|n| n != "a" && n != "an")
            && !lw[k + 1..].iter().take(3).any(|n| n == "as" || n == "that")
        {
            return Err(Dangling::Reference);
        }
        // "Each has until Friday": each of the ones just mentioned.
        if at_start
            && w == "each"
            && lw.get(k + 1).is_some_and(|n| {
                matches!(
                    n.as_str(),
                    "has"
                        | "have"
                        | "had"
                        | "is"
                        | "was"
                        | "will"
                        | "would"
                        | "must"
                        | "can"
                        | "could"
                        | "said"
                        | "says"
                )
            })
        {
            return Err(Dangling::Pronoun);
        }
        // "said that's because ...": a demonstrative pointing at what came before.
        if k > 0 && matches!(w.as_str(), "that's" | "that\u{2019}s") && is_speech_verb(&lw[k - 1]) {
            return Err(Dangling::Pronoun);
        }
        // "US" is not "us": only the lowercase word counts, and in text that lost its
        // capitals "us" is left alone.
        let is_us = w == "us" && (!cased || &text[b..e] != "us");
        if FIRST_PERSON.contains(&w.as_str()) && !is_us && text[b..e].chars().all(|c| c != '.') {
            // News narration does not say "we": these are someone's words.
            return Err(Dangling::Speaker);
        }
        // Without capitals (some corpora are lowercased) names cannot be seen, so a pronoun
        // after the first word cannot be checked: it is let be, as a reader would. After the
        // sentence it leans on, that sentence says who and what.
        let pronoun = PERSON_PRONOUNS.contains(&bare[k]) || OTHER_PRONOUNS.contains(&bare[k]);
        if pronoun && (after_previous || !at_start && !cased) {
            continue;
        }
        if after_previous && at_start {
            continue;
        }
        if at_start && bare[k] != w.as_str() && DEMONSTRATIVES.contains(&bare[k]) {
            // "That's an increase of 12 percent": a demonstrative pronoun.
            return Err(Dangling::Pronoun);
        }
        if bare[k] != w.as_str() && pronoun {
            // "he's", "it's", "they're": a pronoun that cannot be rewritten in place.
            if antecedent_in_sentence(people.mentions(s), &ws[..k], &lw[..k], start, &quoted)
                || noun_before(text, &ws[..k], &lw[..k], start, true)
            {
                continue;
            }
            return Err(Dangling::Pronoun);
        }
        if PERSON_PRONOUNS.contains(&w.as_str()) {
            if antecedent_in_sentence(people.mentions(s), &ws[..k], &lw[..k], start, &quoted) {
                continue;
            }
            // "he said" after a quote, or "He" opening the sentence: the person named just before.
            let attribution = lw.get(k + 1).is_some_and(|n| is_speech_verb(n))
                || k > 0 && is_speech_verb(&lw[k - 1]);
            let possessive = w == "his" || w == "her";
            // "He said he may seek a new trial": once the first pronoun is written as the
            // name, the next ones read as that person.
            if changes
                .iter()
                .any(|c| matches!(c.edit, Edit::Pronoun { .. }))
            {
                continue;
            }
            if (at_start || attribution) && !(w == "her" && !at_start) {
                let found = if attribution {
                    quote_speaker
                        .clone()
                        .or_else(|| people.antecedent(corpus, s))
                } else {
                    people.antecedent(corpus, s)
                };
                let Some(name) = found else {
                    return Err(if attribution {
                        Dangling::Speaker
                    } else {
                        Dangling::Pronoun
                    });
                };
                let with = if possessive {
                    format!("{name}\u{2019}s")
                } else {
                    name.clone()
                };
                changes.push(Change {
                    range: b..e,
                    with,
                    edit: Edit::Pronoun {
                        from: text[b..e].to_string(),
                        to: name,
                    },
                });
                continue;
            }
            return Err(Dangling::Pronoun);
        }
        if OTHER_PRONOUNS.contains(&w.as_str()) {
            let expletive = w == "it" && is_expletive(&lw[k + 1..]);
            let plural = matches!(w.as_str(), "they" | "them" | "their" | "theirs");
            if expletive || noun_before(text, &ws[..k], &lw[..k], start, plural) {
                continue;
            }
            return Err(Dangling::Pronoun);
        }
        // "this is part of a pattern", "did precisely that.", "Aside from that,": a
        // demonstrative standing for something said before.
        if (w == "this"
            && lw.get(k + 1).is_some_and(|n| {
                matches!(
                    n.as_str(),
                    "is" | "was" | "has" | "will" | "would" | "means" | "could" | "may"
                )
            }))
            || (matches!(w.as_str(), "this" | "that")
                && text[e..].starts_with(['.', ',', ';', '?', '!']))
        {
            return Err(Dangling::Pronoun);
        }
        if at_start
            && w == "the"
            && lw
                .get(k + 1)
                .is_some_and(|n| NUMERALS.contains(&n.as_str()))
        {
            // "The two have been accused...": the ones just mentioned.
            let head = head_noun(text, &ws[k + 1..]);
            if head.is_none_or(|(h, _)| NUMERALS.contains(&h.as_str())) {
                return Err(Dangling::Reference);
            }
        }
        if at_start && (w == "the" || DEMONSTRATIVES.contains(&w.as_str())) {
            let demonstrative = DEMONSTRATIVES.contains(&w.as_str());
            match head_noun(text, &ws[k + 1..]) {
                Some((head, _)) if head == "same" => return Err(Dangling::Reference),
                Some((head, shell)) if shell || demonstrative || is_person_noun(&head) => {
                    needs.push(head);
                }
                // "The institute began to invite tenders": a body named by its kind alone.
                // Only in cased text: lowercased, "the european monetary institute" cannot
                // be told from it.
                Some((head, _)) if cased && BODY_NOUNS.contains(&head.as_str()) => {
                    needs.push(head);
                }
                // "The supplements are marketed...", "The agreements": a definite
                // description is given only once the brief has named it.
                Some((head, _))
                    if DEFINITE_NEEDS_ANTECEDENT
                        && head.ends_with('s')
                        && !head.ends_with("ss")
                        && !head.ends_with("us") =>
                {
                    needs.push(head);
                }
                Some(_) => {}
                // "This is ...", "That was ...": a pronoun.
                None if demonstrative && !next_is_capitalized(text, &ws[k + 1..]) => {
                    return Err(Dangling::Pronoun);
                }
                None => {}
            }
        }
        if !after_previous
            && !at_start
            && opening_end.is_some_and(|end| k <= end)
            && (w == "the" || DEMONSTRATIVES.contains(&w.as_str()))
            && let Some((head, true)) = head_noun(text, &ws[k + 1..])
        {
            needs.push(head);
        }
        // "Tillerson made the remarks at ...": a statement or happening named only as "the
        // remarks", "the incident", with nothing after it that says which. Without capitals
        // the words after it cannot be read for a name ("the statement by ministry"), so, as
        // for pronouns after the first word, it is let be.
        if cased
            && !after_previous
            && !at_start
            && w == "the"
            && let Some(n) = lw.get(k + 1)
            && POINTING_SHELLS.contains(&n.as_str())
            && lw
                .get(k + 2)
                .is_none_or(|after| !SHELL_COMPLEMENTS.contains(&after.as_str()))
            && !text[ws[k + 1].1..].starts_with(['\'', '\u{2019}'])
        {
            needs.push(n.clone());
        }
        // "let that happen", "did that", "did precisely that": a demonstrative pronoun
        // after a verb (an adverb between).
        let do_verb = |j: usize| {
            matches!(
                lw[j].as_str(),
                "let" | "do" | "did" | "does" | "doing" | "done"
            )
        };
        if k > 0
            && matches!(w.as_str(), "that" | "this")
            && (do_verb(k - 1)
                || (k > 1 && do_verb(k - 2) && (lw[k - 1].ends_with("ly") || lw[k - 1] == "just")))
        {
            return Err(Dangling::Pronoun);
        }
        // "1 percent of that total", "at that meeting": "that" as a determiner inside the
        // sentence points back as one opening it does. Read as a determiner only after a
        // preposition ("that" after a verb or a noun is mostly a conjunction or a relative:
        // "said that ...", "the manhunt that followed"); "this" is mostly the present ("this
        // week") and "those" a pronoun ("those killed"); a time ("at that time", "that
        // year") is let be.
        if cased
            && !at_start
            && k > 0
            && w == "that"
            && DETERMINER_PREPOSITIONS.contains(&lw[k - 1].as_str())
            && let Some((head, _)) = head_noun(text, &ws[k + 1..])
            && lw.get(k + 1) == Some(&head)
            && !head.ends_with("ed")
            && !is_period(&head)
            && !names_a_day(&head)
            && !NOT_POINTING_AFTER_THAT.contains(&head.as_str())
            && !head.starts_with(|c: char| c.is_ascii_digit())
        {
            needs.push(head);
        }
        // "The Supreme Court upheld that ruling.", "rejected that defense.": "that" and a shell
        // noun closing the clause point back wherever they stand, to one particular ruling
        // or defense told before, which another sentence of the brief that merely shares the
        // word ("the court ruled") does not tell; such a sentence is not used ("said that
        // ruling parties" goes on, so is no determiner).
        if cased
            && !at_start
            && k > 0
            && w == "that"
            && let Some(n) = lw.get(k + 1)
            && (POINTING_SHELLS.contains(&n.as_str()) || CLOSING_SHELLS.contains(&n.as_str()))
            && text[ws[k + 1].1..]
                .trim_start_matches(['\'', '\u{2019}', '"', '\u{201D}'])
                .chars()
                .next()
                .is_none_or(|c| matches!(c, '.' | ',' | ';' | ':' | '!' | '?'))
        {
            return Err(Dangling::Reference);
        }
        // "Dennis Ross would also participate, Israel Radio said.": in what, the sentence
        // before said; "also" and a verb that ends the clause add to something not told.
        if w == "also"
            && !inside(b)
            && let Some(&(nb, ne)) = ws.get(k + 1)
            && text[nb..ne].chars().all(|c| c.is_ascii_lowercase())
            && text[ne..].starts_with(['.', ',', ';', ':'])
        {
            return Err(Dangling::Reference);
        }
        // "Congress then could reinstate the item": the next step after one told before.
        if w == "then"
            && !at_start
            && !inside(b)
            && first_word.is_some_and(|f| k > f && k <= f + 3)
            && !text[..b].trim_end().ends_with(',')
        {
            return Err(Dangling::Reference);
        }
        // "..., the control center said.", "said the institute": a body or person the
        // brief has not named speaks; told only after a sentence that names it.
        if cased
            && !at_start
            && w == "the"
            && let Some(verb) = (k + 2..(k + 5).min(ws.len())).find(|&j| is_speech_verb(&lw[j]))
            && ws[k + 1..verb]
                .iter()
                .all(|&(b, e)| text[b..e].chars().all(|c| c.is_lowercase() || c == '-'))
            && text[ws[k].1..ws[verb].0]
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
        {
            needs.push(lw[verb - 1].clone());
        }
        // "X declined comment", "would not comment": on what, the sentence does not say.
        if (w == "comment" || w == "comments")
            && k > 0
            && lw[k.saturating_sub(3)..k].iter().any(|v| {
                matches!(
                    v.as_str(),
                    "declined" | "refused" | "not" | "no" | "declines"
                )
            })
            && lw
                .get(k + 1)
                .is_none_or(|n| !matches!(n.as_str(), "on" | "about" | "regarding" | "to"))
        {
            return Err(Dangling::Reference);
        }
        if at_start && (w.ends_with("'s") || w.ends_with("\u{2019}s")) {
            // "Annan's comments": a possessive and a shell noun.
            if let Some((head, true)) = head_noun(text, &ws[k + 1..]) {
                needs.push(head);
            }
        }
    }
    if stale(
        &ws,
        &lw,
        &quoted,
        article_day,
        people.newest,
        corpus.distinct_docs() >= 3,
    ) {
        return Err(Dangling::Stale);
    }
    // Quotes must have a named speaker in the sentence (or one resolved above).
    // Where the articles lost their capitals (some corpora are lowercased), names cannot be
    // seen: a speech verb outside the quotes is the best evidence of a named speaker.
    if within_quote {
        let name = quote_speaker.clone().unwrap_or_default();
        attribute_quote(text, &name, true, &mut changes).ok_or(Dangling::Speaker)?;
    } else if !quoted.is_empty()
        && !after_previous
        && !(names_speaker(text, &ws, &lw, &quoted, people.mentions(s), &changes)
            || !cased && has_speech_verb_outside(&ws, &lw, &quoted)
            || embedded_quote(&ws, &quoted, start))
    {
        // A quote alone: attributed to the speaker the comparison gives it, if it is all one
        // quotation; else it cannot stand.
        let bare = has_speech_verb_outside(&ws, &lw, &quoted);
        match &quote_speaker {
            Some(name) if !bare => {
                attribute_quote(text, name, false, &mut changes).ok_or(Dangling::Speaker)?;
            }
            _ => return Err(Dangling::Speaker),
        }
    }
    times(
        text,
        &ws,
        &lw,
        &quoted,
        article_day,
        people.newest,
        &mut changes,
    )?;
    let read = Words {
        ws: &ws,
        lw: &lw,
        quoted: &quoted,
        start,
    };
    here(corpus, s, &read, &mut changes);
    as_of(corpus, s, &read, people.newest, &mut changes);
    // Surnames alone become the full name their article introduced.
    let mut named: Vec<String> = Vec::new();
    for m in people.mentions(s) {
        if m.span.start < start || inside(m.span.start) {
            continue;
        }
        if m.words().len() >= 2 {
            if people.is_person(&m.name) {
                named.push(m.name.clone());
            }
            continue;
        }
        let before = text[..m.span.start].split_whitespace().next_back();
        if before.is_some_and(|w| lower(w) == "the") {
            continue;
        }
        if let Some(full) = people.full_name(sent.doc, &m.name) {
            if !named.iter().any(|n| n == full) && !text.contains(full) {
                changes.push(Change {
                    range: m.span.clone(),
                    with: full.to_string(),
                    edit: Edit::Name {
                        from: m.name.clone(),
                        to: full.to_string(),
                    },
                });
            }
            named.push(full.to_string());
        }
    }
    for c in &changes {
        if let Edit::Pronoun { to, .. } = &c.edit
            && !named.contains(to)
        {
            named.push(to.clone());
        }
    }
    let trims = trims(text, &quoted, &changes);
    let compressed = (!trims.is_empty()).then(|| {
        let removed: Vec<std::ops::Range<usize>> = trims.iter().map(|c| c.range.clone()).collect();
        let mut all: Vec<Change> = changes
            .iter()
            .map(|c| Change {
                range: c.range.clone(),
                with: c.with.clone(),
                edit: c.edit.clone(),
            })
            .collect();
        all.extend(trims);
        let (text, edits) = apply(text, all);
        Box::new(Compressed {
            text,
            edits,
            removed,
        })
    });
    let (text, edits) = apply(text, changes);
    if text.split_whitespace().count() < 4 {
        return Err(Dangling::Reference);
    }
    Ok(Reading {
        text,
        edits,
        needs,
        people: named,
        compressed,
    })
}

/// Secondary material that a brief can do without: a parenthesis of a few words with no
/// number in it, and a non-restrictive relative clause (", which ...,", ", who ...,") of
/// three words or more. Not inside quotes, not overlapping another change.
fn trims(text: &str, quoted: &[std::ops::Range<usize>], changes: &[Change]) -> Vec<Change> {
    let inside =
        |r: &std::ops::Range<usize>| quoted.iter().any(|q| q.start < r.end && r.start < q.end);
    let taken = |r: &std::ops::Range<usize>| {
        changes
            .iter()
            .any(|c| c.range.start < r.end && r.start < c.range.end)
    };
    let mut out: Vec<Change> = Vec::new();
    let push = |r: std::ops::Range<usize>, out: &mut Vec<Change>| {
        if !inside(&r)
            && !taken(&r)
            && !out
                .iter()
                .any(|c| c.range.start < r.end && r.start < c.range.end)
        {
            let removed = text[r.clone()]
                .trim_matches(|c: char| c == ',' || c.is_whitespace())
                .to_string();
            out.push(Change {
                range: r,
                with: String::new(),
                edit: Edit::Trimmed { removed },
            });
        }
    };
    // Parentheses.
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|k| k + from) {
        let Some(close) = text[open..].find(')').map(|k| k + open) else {
            break;
        };
        let inner = &text[open + 1..close];
        let n = inner.split_whitespace().count();
        if open > 0 && (1..=8).contains(&n) && !inner.chars().any(|c| c.is_ascii_digit()) {
            let start = if text[..open].ends_with(' ') {
                open - 1
            } else {
                open
            };
            push(start..close + 1, &mut out);
        }
        from = close + 1;
    }
    // ", which ... ," and ", who ... ," (and at the end of the sentence, up to the full stop).
    for marker in [", which ", ", who ", ", whose ", ", where "] {
        for (i, _) in text.match_indices(marker) {
            let body = i + marker.len();
            let rest = &text[body..];
            let (end, closing) = match rest.find(',') {
                Some(k) => (body + k, true),
                None => {
                    let t = rest.trim_end_matches(['.', '!', '"', '\u{201D}']);
                    (body + t.len(), false)
                }
            };
            let clause_words = text[i..end].split_whitespace().count();
            if !(4..=25).contains(&clause_words)
                || text[i..end].contains(['"', '\u{201C}', '\u{201D}', '(', ';'])
            {
                continue;
            }
            // Keep the sentence's own comma after a closing clause: ", which ..., said" loses
            // ", which ...,"; at the end the full stop stays.
            let r = if closing { i..end + 1 } else { i..end };
            let left = text.split_whitespace().count() - text[r.clone()].split_whitespace().count();
            if left >= 8 {
                push(r, &mut out);
            }
        }
    }
    out
}

/// A headline as a brief's sentence: a cut-off mark ("...") dropped, a full stop added.
fn headline_reading(title: &str) -> Reading {
    let mut text = title
        .trim()
        .trim_end_matches(['.', '\u{2026}'])
        .trim_end()
        .to_string();
    if !text.ends_with(['!', '?', '"', '\u{201D}', '\'', '\u{2019}']) {
        text.push('.');
    }
    Reading {
        text,
        edits: vec![Edit::Headline {
            headline: title.to_string(),
        }],
        needs: Vec::new(),
        people: Vec::new(),
        compressed: None,
    }
}

/// For every sentence, does it sit inside a quotation opened by an earlier sentence of its
/// paragraph (one that is not closed before it starts)? One pass per paragraph.
/// A headline run into the dateline that follows it, where the article lost the line break
/// between them ("ETA announces cease-fire MADRID, Spain _ The armed Basque..."): the dateline
/// is found after the headline's words, and both are cut.
fn glued_dateline(text: &str) -> Option<(&str, &str)> {
    let window = &text[..text.floor_char_boundary(160)];
    let ws = words(window);
    // The dateline's place opens with an all-caps word of two letters or more, after a few
    // words of headline.
    ws.iter().skip(2).take(16).find_map(|&(b, e)| {
        let w = &window[b..e];
        let caps = w.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
        if !caps {
            return None;
        }
        let (place, rest) = crate::clean::split_dateline(&text[b..])?;
        // The place is a few capitalized words (a city, perhaps its country), set off by a
        // dash or an underscore: "The UN said: ..." is no dateline.
        let between = text[b + place.len()..text.len() - rest.len()].trim();
        let capitalized = place
            .split_whitespace()
            .all(|w| w.starts_with(|c: char| c.is_uppercase()));
        (place.split_whitespace().count() <= 4
            && capitalized
            && matches!(between, "_" | "--" | "\u{2014}" | "\u{2013}"))
        .then_some((&text[..b + place.len()], rest))
    })
}

/// An entry of a chronology printed with the article ("Aug. 21 _ Judge Jackson approves the
/// settlement."): a list item in the present tense of headlines, not a sentence of the account.
fn chronology_entry(text: &str) -> bool {
    const MONTHS: &[&str] = &[
        "jan",
        "feb",
        "march",
        "april",
        "may",
        "june",
        "july",
        "aug",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "mar",
        "apr",
        "jun",
        "jul",
        "august",
        "sep",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut it = text.split_whitespace();
    let (Some(month), Some(day), Some(sep)) = (it.next(), it.next(), it.next()) else {
        return false;
    };
    let month = month.trim_end_matches('.').to_lowercase();
    let day = day.trim_end_matches(',');
    let sep = if day.len() < text.len() && sep.chars().all(|c| c.is_ascii_digit()) {
        // "Aug. 21, 1998 _"
        it.next().unwrap_or("")
    } else {
        sep
    };
    MONTHS.contains(&month.as_str())
        && !day.is_empty()
        && day.len() <= 2
        && day.chars().all(|c| c.is_ascii_digit())
        && matches!(sep, "_" | "--" | "\u{2014}" | "-" | ":")
}

/// Whether a sentence-initial plural definite description ("The supplements ...", "The
/// agreements") must have its head noun told earlier in the brief. (Singular ones too cost
/// 0.4 points of ROUGE-1 on Multi-News and 0.2 of ROUGE-2 on DUC 2006; plurals are the ones
/// that point back most surely.)
const DEFINITE_NEEDS_ANTECEDENT: bool = true;

/// Numbers that, after "the", stand for people or things named before ("the two").
const NUMERALS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "both",
];

/// A question or answer of a printed interview ("Q: In the United States, ...").
fn interview_turn(text: &str) -> bool {
    let t = text.trim_start();
    ["Q:", "A:", "Q.", "A."].iter().any(|p| t.starts_with(p))
        && t[2..].starts_with(char::is_whitespace)
}

/// The most sentences after the first that one quotation is believed to span.
const MAX_QUOTED_SENTENCES: usize = 4;

fn open_quotes(corpus: &Corpus) -> Vec<bool> {
    let mut out = vec![false; corpus.sentences.len()];
    let mut k = 0;
    while k < corpus.sentences.len() {
        let first = &corpus.sentences[k];
        let mut end = k + 1;
        while end < corpus.sentences.len()
            && corpus.sentences[end].doc == first.doc
            && corpus.sentences[end].paragraph == first.paragraph
        {
            end += 1;
        }
        if let Some(para) = corpus.docs[first.doc].clean.paragraphs.get(first.paragraph)
            && para.contains(['"', '\u{201C}', '`'])
        {
            // Straight marks left unpaired (text run through a tokenizer, a mark lost in
            // extraction) pair the wrong way round from there on: such a paragraph's
            // quotations are not trusted to span sentences, nor is one that would span more
            // than a few (a spoken passage is rarely longer; a run of narration is).
            let straight = para.matches('"').count();
            let starts: Vec<usize> = (k..end).map(|j| corpus.sentences[j].span.start).collect();
            let quoted: Vec<_> = if straight % 2 == 1 {
                Vec::new()
            } else {
                quoted_ranges(para)
                    .into_iter()
                    .filter(|r| {
                        starts
                            .iter()
                            .filter(|&&at| r.start < at && at <= r.end)
                            .count()
                            <= MAX_QUOTED_SENTENCES
                    })
                    .collect()
            };
            for (j, flag) in out.iter_mut().enumerate().take(end).skip(k) {
                let at = corpus.sentences[j].span.start;
                // Opened before the sentence starts (not by its own mark) and not closed.
                *flag = quoted.iter().any(|r| r.start < at && at <= r.end);
            }
        }
        k = end;
    }
    out
}

/// Applies the changes (in any order, not overlapping) and capitalizes the new start.
fn apply(text: &str, mut changes: Vec<Change>) -> (String, Vec<Edit>) {
    changes.sort_by_key(|c| c.range.start);
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    let mut edits = Vec::with_capacity(changes.len());
    for c in changes {
        if c.range.start < at {
            continue;
        }
        out.push_str(&text[at..c.range.start]);
        out.push_str(&c.with);
        at = c.range.end;
        edits.push(c.edit);
    }
    out.push_str(&text[at..]);
    let tidy = tidy_spaces(&out);
    (capitalize_first(&tidy), edits)
}

/// Collapses double spaces and spaces before punctuation left by removals.
fn tidy_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        if matches!(c, ',' | '.' | ';' | ':') && out.ends_with(' ') {
            out.pop();
        }
        if c == ',' && out.ends_with(',') {
            continue;
        }
        out.push(c);
    }
    out
}

fn capitalize_first(s: &str) -> String {
    let mut chars = s.char_indices();
    // Past an opening quote mark.
    for (i, c) in chars.by_ref() {
        if c.is_alphanumeric() {
            if c.is_lowercase() {
                let mut out = String::with_capacity(s.len());
                out.push_str(&s[..i]);
                out.extend(c.to_uppercase());
                out.push_str(&s[i + c.len_utf8()..]);
                return out;
            }
            break;
        }
    }
    s.to_string()
}

/// Byte length of a leading connective and the comma after it, if the sentence opens with one.
fn leading_connective(text: &str) -> Option<usize> {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    let lower_text = trimmed.to_ascii_lowercase();
    for p in CONNECTIVE_PHRASES {
        if lower_text.starts_with(p) && trimmed[p.len()..].starts_with(',') {
            return Some(lead + p.len() + 1);
        }
    }
    let end = trimmed
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(trimmed.len());
    let w = &lower_text[..end];
    if !CONNECTIVES.contains(&w) {
        return None;
    }
    let rest = &trimmed[end..];
    let comma = rest.starts_with(',');
    // "But", "And", "Yet", "So" need no comma; adverbs do ("Still unclear is ...").
    if !comma && !matches!(w, "but" | "and" | "yet") {
        return None;
    }
    let after = if comma { &rest[1..] } else { rest };
    // What is left must read as a sentence: a capital or a name next.
    let next = after.trim_start();
    if next.split_whitespace().count() < 5 {
        return None;
    }
    Some(lead + end + usize::from(comma))
}

/// Byte ranges inside quotation marks (straight, curly and `` '' pairs).
pub(crate) fn quoted_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap_or(' ');
        let len = c.len_utf8();
        let opening = c == '\u{201C}' || (c == '`' && bytes.get(i + 1) == Some(&b'`'));
        let closing = c == '\u{201D}' || (c == '\'' && bytes.get(i + 1) == Some(&b'\''));
        if c == '"' {
            match open.take() {
                Some(s) => out.push(s..i),
                None => open = Some(i + 1),
            }
        } else if opening && open.is_none() {
            let w = if c == '`' { 2 } else { len };
            open = Some(i + w);
            i += w;
            continue;
        } else if closing && let Some(s) = open.take() {
            out.push(s..i);
            i += if c == '\'' { 2 } else { len };
            continue;
        }
        i += len;
    }
    if let Some(s) = open {
        out.push(s..text.len());
    }
    out
}

/// Does a name or a person noun come before word `k` in the sentence (so a pronoun there can
/// refer to it)?
fn antecedent_in_sentence(
    mentions: &[Mention],
    before: &[(usize, usize)],
    before_lower: &[String],
    start: usize,
    quoted: &[std::ops::Range<usize>],
) -> bool {
    let Some(&(b, _)) = before.last() else {
        return false;
    };
    let outside = |at: usize| at >= start && !quoted.iter().any(|r| r.contains(&at));
    mentions
        .iter()
        .any(|m| outside(m.span.start) && m.span.end <= b + 1 && may_be_a_person(&m.name))
        || before
            .iter()
            .zip(before_lower)
            .any(|(&(x, _), w)| outside(x) && is_person_noun(w))
}

/// Can a name be what "he", "she" or "his" stands for? Not a body's, a place's or a named
/// thing's ("The Oslo Accords, signed by his predecessor, ...": "his" is someone else).
fn may_be_a_person(name: &str) -> bool {
    const THINGS: &[&str] = &[
        "accord",
        "accords",
        "act",
        "agreement",
        "agreements",
        "award",
        "bill",
        "charter",
        "constitution",
        "convention",
        "cup",
        "declaration",
        "festival",
        "games",
        "law",
        "olympics",
        "plan",
        "prize",
        "protocol",
        "resolution",
        "summit",
        "treaty",
        "war",
    ];
    let last = name
        .split_whitespace()
        .next_back()
        .unwrap_or("")
        .to_lowercase();
    !crate::compare::names::is_organisation(name)
        && !crate::compare::names::is_place(name)
        && !THINGS.contains(&last.as_str())
}

/// Nouns of people and roles that a "he"/"she" may refer to within a sentence.
fn is_person_noun(w: &str) -> bool {
    // Sorted: looked up by binary search.
    const NOUNS: &[&str] = &[
        "actor",
        "actress",
        "adviser",
        "advisor",
        "aide",
        "ambassador",
        "analyst",
        "attorney",
        "author",
        "bishop",
        "boy",
        "candidate",
        "chairman",
        "chairwoman",
        "chancellor",
        "chief",
        "coach",
        "commander",
        "congressman",
        "congresswoman",
        "daughter",
        "defendant",
        "diplomat",
        "director",
        "doctor",
        "driver",
        "envoy",
        "executive",
        "expert",
        "father",
        "founder",
        "general",
        "girl",
        "governor",
        "head",
        "husband",
        "imam",
        "judge",
        "king",
        "lawmaker",
        "lawyer",
        "leader",
        "man",
        "manager",
        "mayor",
        "member",
        "minister",
        "mother",
        "officer",
        "official",
        "owner",
        "pilot",
        "player",
        "police",
        "pope",
        "premier",
        "president",
        "priest",
        "prince",
        "professor",
        "prosecutor",
        "queen",
        "rabbi",
        "representative",
        "researcher",
        "resident",
        "scientist",
        "secretary",
        "senator",
        "singer",
        "soldier",
        "son",
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "student",
        "suspect",
        "teacher",
        "victim",
        "wife",
        "witness",
        "woman",
        "worker",
        "writer",
    ];
    NOUNS.binary_search(&w).is_ok()
}

/// Can an "it" or a "they" at word `k` refer to something earlier in the same sentence: a
/// name, a noun after a determiner ("the contract ... it"), or for "they" a plural noun?
/// Without a part-of-speech tagger a bare noun cannot be told from a verb ("members would
/// vote on it"), so those do not count: precision over recall.
fn noun_before(
    text: &str,
    before: &[(usize, usize)],
    before_lower: &[String],
    start: usize,
    plural: bool,
) -> bool {
    const DETERMINERS: &[&str] = &[
        "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our",
        "each", "every", "another", "no", "some", "any", "both", "all", "many", "several",
    ];
    before
        .iter()
        .zip(before_lower)
        .enumerate()
        .any(|(k, (&(b, _), w))| {
            if b < start || storyline_text::stopwords::is_stopword(w) {
                return false;
            }
            let capitalized = text[b..].chars().next().is_some_and(char::is_uppercase);
            let after_determiner = k > 0 && DETERMINERS.contains(&before_lower[k - 1].as_str())
                || k > 1 && DETERMINERS.contains(&before_lower[k - 2].as_str());
            let plural_noun = plural
                && w.len() >= 4
                && w.ends_with('s')
                && !w.ends_with("ss")
                && !w.ends_with("us")
                && !w.ends_with("is");
            capitalized || after_determiner || plural_noun
        })
}

fn next_is_capitalized(text: &str, ws: &[(usize, usize)]) -> bool {
    ws.first()
        .is_some_and(|&(b, _)| text[b..].chars().next().is_some_and(char::is_uppercase))
}

/// "It is clear that", "it was not known whether", "it seems that", "it is estimated that":
/// an `it` that needs no referent. After the verb (and "not", "also", "still") comes a
/// word, then within a few words the clause it stands for ("that", "to", "whether").
fn is_expletive(after: &[String]) -> bool {
    let Some(verb) = after.first() else {
        return false;
    };
    if !matches!(
        verb.as_str(),
        "is" | "was"
            | "seems"
            | "seemed"
            | "appears"
            | "appeared"
            | "remains"
            | "remained"
            | "isn't"
            | "wasn't"
            | "'s"
    ) {
        return false;
    }
    let mut rest = after[1..]
        .iter()
        .skip_while(|w| matches!(w.as_str(), "not" | "also" | "still" | "yet" | "now"));
    let Some(next) = rest.next() else {
        return false;
    };
    let determiner = matches!(
        next.as_str(),
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "its"
            | "their"
            | "our"
            | "my"
            | "one"
            | "this"
            | "that"
            | "these"
            | "those"
            | "part"
            | "time"
            | "called"
            | "named"
            | "known"
    );
    !determiner
        && (matches!(next.as_str(), "that" | "to" | "as")
            || rest.take(4).any(|w| {
                matches!(
                    w.as_str(),
                    "that" | "to" | "whether" | "if" | "how" | "when" | "why" | "who"
                )
            }))
}

/// The noun a determiner at the start of a sentence points with: a shell noun within the
/// next three words (`Some((noun, true))`), else the first content word (`Some((word,
/// false))`); `None` when a name follows ("The United States") or nothing does ("This is").
fn head_noun(text: &str, ws: &[(usize, usize)]) -> Option<(String, bool)> {
    let mut first_content = None;
    let mut last_capitalized = false;
    for &(b, e) in ws.iter().take(3) {
        let raw = &text[b..e];
        if raw.chars().next().is_some_and(char::is_uppercase) {
            // A name, or a capitalized modifier ("The British minister").
            last_capitalized = true;
            continue;
        }
        last_capitalized = false;
        let w = lower(raw);
        if is_shell_noun(&w.as_str()) {
            return Some((w, true));
        }
        if w == "most" {
            // "the most recent incident": an intensifier before the adjective.
            continue;
        }
        let number_word = matches!(w.as_str(), "two" | "three" | "four" | "five" | "other");
        if storyline_text::stopwords::is_stopword(&w) && !number_word {
            break;
        }
        if first_content.is_none() && !number_word {
            first_content = Some(w);
        }
    }
    if last_capitalized && first_content.is_none() {
        return None;
    }
    first_content.map(|w| (w, false))
}

/// A plan or expectation ("will meet", "plans to"), or what was not yet known ("has not
/// said who was behind the attack", "it is unclear whether"), reported by an article older
/// than the event's latest one: by now the plan has happened or not and the question may be
/// answered, and the brief must not say otherwise.
fn stale(
    ws: &[(usize, usize)],
    lw: &[String],
    quoted: &[std::ops::Range<usize>],
    day: Option<NaiveDate>,
    newest: Option<NaiveDate>,
    several: bool,
) -> bool {
    let outside = |k: usize| !quoted.iter().any(|r| r.contains(&ws[k].0));
    let (plans, gaps) = match (day, newest) {
        (Some(day), Some(newest)) => (day < newest, day < newest),
        // An undated article among others: whether it is older, the brief cannot tell;
        // precision first for a plan that names its day ("will hold talks on Wednesday"; a
        // plan with no day may be the article's background), and for what was not known
        // when some article is dated (it may be later). Where none is, nothing says which
        // article is older.
        (None, newest) => (
            several && lw.iter().any(|w| names_a_day(w)),
            several && newest.is_some(),
        ),
        _ => (false, false),
    };
    if !plans && !gaps {
        return false;
    }
    let plan = |k: usize| match lw[k].as_str() {
        "will" | "won't" => true,
        w if is_plan_word(w) => lw.get(k + 1).is_some_and(|n| n == "to"),
        "is" | "are" => lw.get(k + 1).is_some_and(|n| n == "to"),
        _ => false,
    };
    (0..ws.len()).any(|k| outside(k) && (plans && plan(k) || gaps && not_yet_known(lw, k)))
}

/// Does word `k` open a statement that something is not known or not said: "has not said
/// who", "did not say why", "declined to say", "it is unclear", "has not yet been
/// identified"? Not what someone kept back ("encounters he did not disclose"), nor a lasting
/// reason ("was not identified because of his age", "not named by prosecutors").
fn not_yet_known(lw: &[String], k: usize) -> bool {
    const TOLD: &[&str] = &[
        "clear",
        "confirm",
        "confirmed",
        "determined",
        "disclose",
        "disclosed",
        "identified",
        "identify",
        "known",
        "name",
        "named",
        "reveal",
        "revealed",
        "say",
        "said",
    ];
    const WH: &[&str] = &[
        "who", "whom", "whose", "what", "which", "why", "where", "when", "how", "whether", "if",
    ];
    let w = lw[k].as_str();
    let next = |n: usize| lw.get(k + n).map(String::as_str);
    let prev = k.checked_sub(1).map(|p| lw[p].as_str());
    // "not" with its auxiliary, or a contraction ("hasn't").
    let (aux, mut n) = match w {
        "not" => (prev.unwrap_or(""), 1),
        _ if w.ends_with("n't") => (w.trim_end_matches("n't"), 1),
        "unclear" | "unknown" => {
            // "it is unclear", "remains unknown"; not "an unknown suspect".
            return prev.is_some_and(|p| {
                matches!(
                    p,
                    "is" | "was"
                        | "are"
                        | "were"
                        | "be"
                        | "been"
                        | "remains"
                        | "remain"
                        | "remained"
                        | "still"
                        | "it's"
                        | "it\u{2019}s"
                )
            });
        }
        "declined" | "refused" => {
            return next(1) == Some("to")
                && next(2).is_some_and(|x| {
                    matches!(x, "say" | "comment" | "identify" | "name" | "disclose")
                });
        }
        _ => return false,
    };
    let mut perfect = matches!(aux, "has" | "have" | "had");
    while let Some(x @ ("yet" | "been" | "publicly")) = next(n) {
        perfect |= x != "publicly";
        n += 1;
    }
    if !next(n).is_some_and(|x| TOLD.contains(&x)) {
        return false;
    }
    let after = next(n + 1);
    // "did not disclose when asked": kept back, not unknown.
    let when_asked = after == Some("when") && next(n + 2).is_some_and(|x| x.ends_with("ed"));
    if matches!(after, Some("because" | "by")) || when_asked {
        return false;
    }
    // "is not known", "was not clear", "were not identified": a state.
    let state = matches!(aux, "is" | "was" | "are" | "were");
    let wh = after.is_none_or(|a| WH.contains(&a));
    perfect || state || wh
}

/// A sentence's words as read: their byte ranges, lowercased, the quoted ranges, and where
/// the sentence proper starts (after a dateline and a connective).
#[derive(Clone, Copy)]
struct Words<'a> {
    ws: &'a [(usize, usize)],
    lw: &'a [String],
    quoted: &'a [std::ops::Range<usize>],
    start: usize,
}

impl Words<'_> {
    /// Is word `k` part of the sentence proper and outside quotation marks?
    fn outside(&self, k: usize) -> bool {
        self.ws[k].0 >= self.start && !self.quoted.iter().any(|r| r.contains(&self.ws[k].0))
    }

    /// The sentence proper's first word.
    fn first(&self) -> Option<usize> {
        self.ws.iter().position(|&(b, _)| b >= self.start)
    }
}

/// "The seminar ended here", "met here on April 25": a wire's "here" is the place of its
/// dateline ("HARARE, June 3 (Xinhua) --"), written out ("ended in Harare"; "left Harare",
/// "near Harare"). Without a dateline it is left as written (a feature's "here" is often its
/// own subject's place), as is "Here" opening a sentence ("Here is ...") and "here in Texas",
/// "here on the reservation", which say themselves.
fn here(corpus: &Corpus, s: SentIx, read: &Words<'_>, changes: &mut Vec<Change>) {
    let (ws, lw) = (read.ws, read.lw);
    let sent = &corpus.sentences[s];
    let Some(k) = (0..ws.len()).find(|&k| lw[k] == "here" && read.outside(k)) else {
        return;
    };
    if lw.get(k + 1).is_some_and(|n| n == "in" || n == "at")
        || lw.get(k + 1).is_some_and(|n| n == "on") && lw.get(k + 2).is_some_and(|n| n == "the")
    {
        return;
    }
    let first = read.first() == Some(k);
    let place = corpus.docs[sent.doc]
        .clean
        .dateline
        .as_deref()
        .and_then(dateline_place);
    // Without a dateline (or at the start), "here" is left as written.
    let (Some(place), false) = (place, first) else {
        return;
    };
    let bare = k > 0
        && matches!(
            lw[k - 1].as_str(),
            "near"
                | "from"
                | "to"
                | "toward"
                | "towards"
                | "left"
                | "leave"
                | "leaves"
                | "leaving"
                | "reached"
                | "reach"
                | "reaches"
                | "around"
                | "outside"
        );
    let with = if bare { place } else { format!("in {place}") };
    changes.push(Change {
        range: ws[k].0..ws[k].1,
        with: with.clone(),
        edit: Edit::Place {
            from: sent.text[ws[k].0..ws[k].1].to_string(),
            to: with,
        },
    });
}

/// The place a wire dateline names ("MOSCOW, August 17 (Xinhua) --": "Moscow"; "PINE
/// RIDGE, S.D. (AP)": "Pine Ridge"), capitals as a name is written; `None` when it does not
/// read as a place.
fn dateline_place(dateline: &str) -> Option<String> {
    let head = dateline.split([',', '(', ':']).next()?.trim();
    let words: Vec<&str> = head.split_whitespace().collect();
    if words.is_empty()
        || words.len() > 4
        || !words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || c == '.' || c == '-' || c == '\'')
        })
        || !words[0].starts_with(char::is_uppercase)
    {
        return None;
    }
    // "NEW YORK" -> "New York"; a name written with its capitals stays as written.
    Some(if head.chars().any(char::is_lowercase) {
        words.join(" ")
    } else {
        names::title_case(&words.join(" "))
    })
}

/// An article this many days older than the event's latest reports a state of things that
/// may have changed since.
const STATE_MAY_HAVE_CHANGED_DAYS: i64 = 30;

/// "Gingrich is asking a judge to ..." in an article months older than the event's latest:
/// the state of things is told as of its article's day ("As of October 7, 1999, Gingrich is
/// asking ..."), so that the brief does not present it as current. Only a present
/// progressive or perfect ("has a new girlfriend" too) outside quotes, its verb within the
/// first eight words, in a sentence that gives no time of its own and no past attribution
/// ("the agency said" places it in its time already).
fn as_of(
    corpus: &Corpus,
    s: SentIx,
    read: &Words<'_>,
    newest: Option<NaiveDate>,
    changes: &mut Vec<Change>,
) {
    let (ws, lw, start) = (read.ws, read.lw, read.start);
    let sent = &corpus.sentences[s];
    let text = sent.text.as_str();
    let (Some(day), Some(newest)) = (corpus.docs[sent.doc].day(), newest) else {
        return;
    };
    if (newest - day).num_days() <= STATE_MAY_HAVE_CHANGED_DAYS
        || changes.iter().any(|c| matches!(c.edit, Edit::Time { .. }))
        || lw.iter().any(|w| {
            w.len() == 4 && w.parse::<i32>().is_ok_and(|y| (1800..2200).contains(&y))
                || w.ends_with("0s") && w.starts_with(|c: char| c.is_ascii_digit())
                || matches!(
                    w.as_str(),
                    "since"
                        | "until"
                        | "ago"
                        | "recent"
                        | "recently"
                        | "earlier"
                        | "later"
                        | "far"
                        | "decade"
                        | "decades"
                        | "century"
                        | "centuries"
                        | "yet"
                        | "soon"
                )
        })
        || (0..ws.len()).any(|k| {
            read.outside(k)
                && matches!(
                    lw[k].as_str(),
                    "said" | "told" | "reported" | "announced" | "according"
                )
        })
    {
        return;
    }
    const PARTICIPLES: &[&str] = &[
        "been", "begun", "become", "gone", "grown", "taken", "given", "made", "held", "won",
        "lost", "fallen", "risen", "seen", "left", "kept", "built", "brought", "sent",
    ];
    // The subject opens the sentence and its verb follows within eight words.
    let Some(first) = read.first() else {
        return;
    };
    let verb = (first + 1..ws.len().min(first + 9))
        .find(|&k| matches!(lw[k].as_str(), "is" | "are" | "has" | "have"));
    let Some(verb) = verb.filter(|&k| read.outside(k)) else {
        return;
    };
    let mut n = verb + 1;
    while lw
        .get(n)
        .is_some_and(|x| matches!(x.as_str(), "still" | "already" | "now" | "also"))
    {
        n += 1;
    }
    // "is asking", "have begun", "has a new girlfriend".
    let state = lw.get(n).is_some_and(|next| match lw[verb].as_str() {
        "is" | "are" => next.len() > 5 && next.ends_with("ing"),
        _ => {
            PARTICIPLES.contains(&next.as_str())
                || next.len() > 4 && next.ends_with("ed")
                || matches!(next.as_str(), "a" | "an" | "no")
        }
    });
    let (b, e) = ws[first];
    // Nothing set off between the start and the verb ("In recent years, the focus has",
    // "Elian's father, Juan Miguel Gonzalez, has", "generation X _ that ... _ is").
    if !state
        || text[start..ws[verb].0].contains(['"', '\u{201C}', '`', '(', ',', '_', ';', ':'])
        || changes.iter().any(|c| c.range.start < e && b < c.range.end)
        // Last, as the dearest test: a time the sentence gives ("on Monday", "last year").
        || !crate::compare::timeline::expressions(&text[start..]).is_empty()
    {
        return;
    }
    let word = &text[b..e];
    // A pronoun subject is for the pronoun rules; a capitalized first word is lowered when
    // its article never writes it so inside a sentence and some article writes it
    // lowercase ("former House Speaker ...", "settlement talks ..."; not "Napster",
    // "U.S.", "ETA").
    if matches!(
        lw[first].as_str(),
        "it" | "he" | "she" | "they" | "we" | "i" | "you" | "this" | "that" | "these" | "those"
    ) {
        return;
    }
    let abbreviation =
        word.chars().filter(|c| c.is_uppercase()).count() > 1 || text[e..].starts_with('.');
    let lowered = if abbreviation
        || word.starts_with(char::is_uppercase)
            && !storyline_text::stopwords::is_stopword(&lw[first])
            && (named_elsewhere(corpus, sent.doc, s, word)
                || !(0..corpus.docs.len()).any(|d| named_elsewhere(corpus, d, s, &lw[first])))
    {
        word.to_string()
    } else {
        lower(word)
    };
    let said = format_day(day, Some(newest));
    changes.push(Change {
        range: b..e,
        with: format!("As of {said}, {lowered}"),
        edit: Edit::Time {
            from: String::new(),
            to: said,
        },
    });
}

/// Is `word` written as it is (a capitalized word: inside the sentence, so a name) in some
/// other sentence of article `doc`?
fn named_elsewhere(corpus: &Corpus, doc: DocIx, s: SentIx, word: &str) -> bool {
    corpus.docs[doc]
        .sentences
        .clone()
        .filter(|&k| k != s)
        .any(|k| {
            let t = corpus.sentences[k].text.as_str();
            t.match_indices(word).any(|(at, _)| {
                at > 0
                    && !t[..at].ends_with(|c: char| c.is_alphanumeric())
                    && !t[at + word.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
        })
}

/// Adds "..., NAME said." to a sentence that is all one quotation (`wrap`: the sentence sits
/// inside a longer quotation, so the opening mark is added too): the final full stop inside
/// the quote becomes a comma. `None` when the sentence does not end as a quotation does.
fn attribute_quote(text: &str, name: &str, wrap: bool, changes: &mut Vec<Change>) -> Option<()> {
    if name.is_empty() {
        return None;
    }
    let trimmed = text.trim_end();
    let closing = trimmed.ends_with(['"', '\u{201D}']);
    let body = trimmed.trim_end_matches(['"', '\u{201D}']);
    let last = body.chars().next_back()?;
    if !wrap && !closing {
        return None;
    }
    let (open, close) = if text.contains('"') {
        ("\"", "\"")
    } else {
        ("\u{201C}", "\u{201D}")
    };
    let stop = body.len() - last.len_utf8();
    if wrap {
        changes.push(Change {
            range: 0..0,
            with: open.to_string(),
            edit: Edit::Speaker {
                speaker: name.to_string(),
            },
        });
    }
    let end = if closing || !wrap {
        format!(" {name} said.")
    } else {
        format!("{close} {name} said.")
    };
    match last {
        '.' => changes.push(Change {
            range: stop..body.len(),
            with: ",".to_string(),
            edit: Edit::Speaker {
                speaker: name.to_string(),
            },
        }),
        '?' | '!' => {}
        _ => return None,
    }
    changes.push(Change {
        range: trimmed.len()..trimmed.len(),
        with: end,
        edit: Edit::Speaker {
            speaker: name.to_string(),
        },
    });
    Some(())
}

/// A weekday or a near day ("tomorrow", "tonight").
fn names_a_day(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "tomorrow"
            | "tonight"
            | "today"
    )
}

/// Is a quote in the sentence attributed to someone named in it (or resolved by a change)?
fn names_speaker(
    text: &str,
    ws: &[(usize, usize)],
    lw: &[String],
    quoted: &[std::ops::Range<usize>],
    mentions: &[Mention],
    changes: &[Change],
) -> bool {
    if changes
        .iter()
        .any(|c| matches!(c.edit, Edit::Pronoun { .. }))
    {
        return true;
    }
    // A quoted word or two is a term or a scare quote, not speech that needs a speaker.
    if quoted
        .iter()
        .all(|r| text[r.clone()].split_whitespace().count() <= 3)
    {
        return true;
    }
    let outside_mentions = mentions
        .iter()
        .filter(|m| !quoted.iter().any(|r| r.contains(&m.span.start)))
        .count();
    // A speech verb and a name outside the quotes; or a role noun as speaker ("police said").
    has_speech_verb_outside(ws, lw, quoted)
        && (outside_mentions > 0
            || ws.iter().zip(lw).enumerate().any(|(k, (&(b, _), w))| {
                !quoted.iter().any(|r| r.contains(&b))
                    && is_person_noun(w)
                    && specific_role(
                        text,
                        &ws[k.saturating_sub(3)..k],
                        &lw[k.saturating_sub(3)..k],
                    )
            }))
}

/// A quoted phrase inside the writer's own sentence ("beat a woman to death in a \"sustained
/// and brutal attack\""): the sentence opens outside the quotes and most of its words are the
/// writer's, so it reads as narration that cites words, not as someone's speech left unnamed.
fn embedded_quote(ws: &[(usize, usize)], quoted: &[std::ops::Range<usize>], start: usize) -> bool {
    let inside = |b: usize| quoted.iter().any(|r| r.contains(&b));
    let ws: Vec<_> = ws.iter().filter(|&&(b, _)| b >= start).collect();
    let Some(&&(first, _)) = ws.first() else {
        return false;
    };
    let within = ws.iter().filter(|&&&(b, _)| inside(b)).count();
    let outside = ws.len() - within;
    !inside(first) && outside >= 8 && within * 3 <= outside * 2
}

fn has_speech_verb_outside(
    ws: &[(usize, usize)],
    lw: &[String],
    quoted: &[std::ops::Range<usize>],
) -> bool {
    ws.iter()
        .zip(lw)
        .any(|(&(b, _), w)| !quoted.iter().any(|r| r.contains(&b)) && is_speech_verb(w))
}

/// "the US Secretary of State", "the Russian leader", "one diplomat", "police": a role a
/// reader can take as it stands. "The diplomat" points back to someone the article named.
fn specific_role(text: &str, before: &[(usize, usize)], before_lower: &[String]) -> bool {
    let definite = before_lower.iter().any(|w| w == "the");
    !definite
        || before.iter().zip(before_lower).any(|(&(b, _), w)| {
            text[b..].chars().next().is_some_and(char::is_uppercase) && w != "the"
        })
}

/// Resolves or drops relative time words against the article's date.
fn times(
    text: &str,
    ws: &[(usize, usize)],
    lw: &[String],
    quoted: &[std::ops::Range<usize>],
    day: Option<NaiveDate>,
    newest: Option<NaiveDate>,
    changes: &mut Vec<Change>,
) -> Result<(), Dangling> {
    let inside = |at: usize| quoted.iter().any(|r| r.contains(&at));
    let taken: Vec<std::ops::Range<usize>> = changes.iter().map(|c| c.range.clone()).collect();
    let free =
        |r: &std::ops::Range<usize>| !taken.iter().any(|t| t.start < r.end && r.start < t.end);
    let mut k = 0;
    while k < ws.len() {
        let (b, e) = ws[k];
        if inside(b) || !free(&(b..e)) {
            k += 1;
            continue;
        }
        let w = lw[k].as_str();
        // "yesterday", "today", "tomorrow", "tonight"
        if let Some(offset) = day_offset(w) {
            let r = b..e;
            if text[e..].starts_with("'s") || text[e..].starts_with("\u{2019}s") {
                return Err(Dangling::Time);
            }
            // "Tonight, Seinfeld is going to ...": a plan for the day the article was filed,
            // which is not always the day it ran (a wire's features go out days ahead), and
            // stale once reported: not a sentence to put a date in (without a date, the word
            // is dropped as any other).
            if offset >= 0 && day.is_some() && lw.iter().any(|x| x != "would" && is_future_word(x))
            {
                return Err(Dangling::Time);
            }
            match day {
                Some(d) => {
                    let date = d + Duration::days(offset);
                    let prev = k.checked_sub(1).map(|p| lw[p].as_str());
                    let bare = prev.is_some_and(|p| {
                        matches!(
                            p,
                            "until" | "since" | "by" | "from" | "before" | "after" | "till"
                        )
                    });
                    let said = format_day(date, newest);
                    let with = if bare {
                        said.clone()
                    } else {
                        format!("on {said}")
                    };
                    changes.push(Change {
                        range: r,
                        with,
                        edit: Edit::Time {
                            from: text[b..e].to_string(),
                            to: said,
                        },
                    });
                }
                None => {
                    let r = droppable(text, r).ok_or(Dangling::Time)?;
                    changes.push(Change {
                        range: r,
                        with: String::new(),
                        edit: Edit::Time {
                            from: text[b..e].to_string(),
                            to: String::new(),
                        },
                    });
                }
            }
            k += 1;
            continue;
        }
        // "said Wednesday", "reported late Thursday": a weekday of the article's week, told
        // with a verb in the past tense next to it. A brief spans articles of several weeks,
        // so the day is written as a date ("on September 16"). Left as written: a weekday
        // with no past-tense verb beside it ("the union votes Monday"), in a sentence about
        // what is to come ("will meet Thursday"), after "last", "next", "this", "every", or
        // before "'s" ("Thursday's decision").
        if let Some(wd) = crate::compare::timeline::parse_weekday(w)
            && let Some(d) = day
            && ws[k].0 > 0
            && !text[e..].starts_with(['\'', '\u{2019}'])
            && k.checked_sub(1).is_none_or(|p| {
                !matches!(
                    lw[p].as_str(),
                    "last" | "next" | "this" | "every" | "each" | "a" | "until" | "by" | "since"
                )
            })
            && !lw.iter().any(|x| is_future_word(x))
            && past_verb_near(lw, k)
        {
            let back = (d.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
            let date = d - Duration::days(i64::from(back));
            let said = format_day(date, newest);
            let on_before = k.checked_sub(1).is_some_and(|p| lw[p] == "on");
            let with = if on_before {
                said.clone()
            } else {
                format!("on {said}")
            };
            changes.push(Change {
                range: b..e,
                with,
                edit: Edit::Time {
                    from: text[b..e].to_string(),
                    to: said,
                },
            });
            k += 1;
            continue;
        }
        // "(earlier|later) this week", "last year", "next month", "this morning", "last night"
        let lead = matches!(w, "earlier" | "later") && lw.get(k + 1).is_some_and(|n| n == "this");
        let d = if lead { k + 1 } else { k };
        let (Some(det), Some(period)) = (lw.get(d), lw.get(d + 1)) else {
            k += 1;
            continue;
        };
        if !matches!(det.as_str(), "this" | "last" | "next") || !is_period(period) {
            k += 1;
            continue;
        }
        let r = b..ws[d + 1].1;
        let from = text[r.clone()].to_string();
        let year_shift = match (det.as_str(), period.as_str(), lead) {
            ("last", "year", false) => Some(-1),
            ("this", "year", false) => Some(0),
            ("next", "year", false) => Some(1),
            _ => None,
        };
        match (year_shift, day) {
            (Some(shift), Some(d)) => {
                let y = (d.year() + shift).to_string();
                let prev = k.checked_sub(1).map(|p| lw[p].as_str());
                let with = if prev.is_some_and(|p| {
                    matches!(p, "in" | "since" | "until" | "by" | "of" | "for" | "from")
                }) {
                    y.clone()
                } else {
                    format!("in {y}")
                };
                changes.push(Change {
                    range: r,
                    with,
                    edit: Edit::Time { from, to: y },
                });
            }
            _ => {
                let r = droppable(text, r).ok_or(Dangling::Time)?;
                changes.push(Change {
                    range: r,
                    with: String::new(),
                    edit: Edit::Time {
                        from,
                        to: String::new(),
                    },
                });
            }
        }
        k = d + 2;
    }
    Ok(())
}

/// Is there a verb in the past tense next to the weekday at `k`: one of the two words before
/// it (past "on", "late", "early") or the word after it (past "night", "morning", ...)?
fn past_verb_near(lw: &[String], k: usize) -> bool {
    const IRREGULAR: &[&str] = &[
        "said",
        "told",
        "met",
        "won",
        "lost",
        "made",
        "gave",
        "took",
        "rose",
        "fell",
        "struck",
        "began",
        "held",
        "sent",
        "left",
        "came",
        "went",
        "found",
        "saw",
        "led",
        "paid",
        "brought",
        "fought",
        "spoke",
        "wrote",
        "sought",
        "became",
        "ran",
        "hit",
        "shot",
        "put",
        "cut",
        "quit",
        "chose",
        "broke",
        "got",
        "kept",
        "stood",
        "was",
        "were",
        "had",
        "did",
        "upheld",
        "withheld",
        "sold",
        "bought",
        "built",
        "spent",
        "felt",
        "heard",
        "understood",
        "drove",
        "flew",
        "threw",
        "beat",
        "caught",
        "dealt",
        "hung",
        "laid",
        "shook",
        "stole",
        "swept",
        "taught",
        "thought",
        "tore",
        "woke",
        "rode",
        "swore",
        "froze",
        "knew",
        "grew",
        "drew",
        "forgave",
        "sank",
        "sat",
        "slid",
    ];
    let past = |w: &str| IRREGULAR.contains(&w) || (w.len() > 4 && w.ends_with("ed"));
    let skip_before = |w: &str| matches!(w, "on" | "late" | "early");
    let mut before = (0..k).rev().skip_while(|&p| skip_before(&lw[p]));
    let near_before = before.by_ref().take(2).any(|p| past(&lw[p]));
    let after = (k + 1..lw.len()).find(|&p| {
        !matches!(
            lw[p].as_str(),
            "night" | "morning" | "afternoon" | "evening"
        )
    });
    near_before || after.is_some_and(|p| past(&lw[p]))
}

/// Does the (lowercase) word speak of what is to come, so that a weekday near it may be
/// the next one rather than the last?
fn is_future_word(w: &str) -> bool {
    matches!(
        w,
        "will"
            | "would"
            | "shall"
            | "won't"
            | "scheduled"
            | "expected"
            | "expects"
            | "plan"
            | "plans"
            | "planned"
            | "planning"
            | "due"
            | "upcoming"
            | "next"
            | "until"
            | "going"
            | "tomorrow"
    ) || w.ends_with("'ll")
        || w.ends_with("\u{2019}ll")
}

/// "March 12", or "March 12, 2030" when the brief's latest article is of another year.
fn format_day(date: NaiveDate, newest: Option<NaiveDate>) -> String {
    let day = date.format("%B %-d").to_string();
    if newest.is_some_and(|n| n.year() != date.year()) {
        format!("{day}, {}", date.year())
    } else {
        day
    }
}

fn word_bounded(text: &str, r: &std::ops::Range<usize>) -> bool {
    let before = text[..r.start].chars().next_back();
    let after = text[r.end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// The range to remove so that an adverbial time phrase goes and the sentence still reads:
/// the phrase with a preposition before it ("on", "in", "earlier") and one comma; `None`
/// when the phrase is the subject or the sentence would lose its only verb's object.
fn droppable(text: &str, r: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let before = &text[..r.start];
    let after = &text[r.end..];
    if after.starts_with("'s") || after.starts_with("\u{2019}s") {
        // "last week's attack": the time is part of a noun phrase.
        return None;
    }
    let mut start = r.start;
    let prev_word = before.split_whitespace().next_back().unwrap_or("");
    if before.trim().is_empty() {
        // Sentence-initial: "Last week, the council ..." → "The council ..."; not a subject.
        if let Some(rest) = after.strip_prefix(',') {
            return Some(r.start..r.end + 1 + (rest.len() - rest.trim_start().len()));
        }
        return None;
    }
    let lw = lower(prev_word);
    if matches!(lw.as_str(), "on" | "in" | "during" | "over") && !prev_word.ends_with(',') {
        start = r.start - prev_word.len() - 1;
        if !text[..start + 1].ends_with(' ') && start > 0 {
            start = r.start;
        }
    }
    // What follows must not be a verb of which the phrase is the subject.
    let mut end = r.end;
    if after.starts_with(',') && before.trim_end().ends_with(',') {
        end += 1;
    }
    Some(start..end)
}

/// Replaces every full-name mention after the first in the brief by the surname alone, and
/// drops a title before it: "Gov. Mira Castell" ... "Castell". Returns the edits per sentence.
pub fn shorten_names(
    texts: &mut [String],
    people: &[Vec<String>],
    alone: &FxHashSet<String>,
) -> Vec<Vec<Edit>> {
    let mut introduced: FxHashSet<String> = FxHashSet::default();
    let mut out = vec![Vec::new(); texts.len()];
    // A surname two people of the brief share ("Carolyn Bessette Kennedy" beside "John F.
    // Kennedy Jr.") says neither alone.
    let mut by_word: FxHashMap<&str, FxHashSet<&str>> = FxHashMap::default();
    for name in people.iter().flatten() {
        for w in name.split_whitespace() {
            by_word.entry(w).or_default().insert(name.as_str());
        }
    }
    // So does one written alone before a full name ending in it, in one sentence: "Killed
    // were Kennedy, 38, his wife, Carolyn Bessette Kennedy, 33" is two people. (After it,
    // it is the same person again: "President Jimmy Carter, despite reports that Carter".)
    let mut before_full: FxHashSet<String> = FxHashSet::default();
    for (text, names) in texts.iter().zip(people) {
        for name in names {
            let Some(surname) = name.split_whitespace().last() else {
                continue;
            };
            let full: Vec<std::ops::Range<usize>> = names
                .iter()
                .flat_map(|n| text.match_indices(n.as_str()).map(|(i, n)| i..i + n.len()))
                .collect();
            let Some(first_full) = full
                .iter()
                .filter(|f| text[f.start..f.end].ends_with(surname))
                .map(|f| f.start)
                .min()
            else {
                continue;
            };
            let alone_here = text.match_indices(surname).any(|(i, _)| {
                let r = i..i + surname.len();
                r.end <= first_full
                    && word_bounded(text, &r)
                    && !full.iter().any(|f| f.start <= r.start && r.end <= f.end)
            });
            if alone_here {
                before_full.insert(surname.to_string());
            }
        }
    }
    let shared = |surname: &str| {
        by_word.get(surname).is_some_and(|n| n.len() > 1) || before_full.contains(surname)
    };
    for (k, text) in texts.iter_mut().enumerate() {
        let mut changes: Vec<Change> = Vec::new();
        let mut seen_here: FxHashSet<&str> = FxHashSet::default();
        for name in people.get(k).map_or(&[][..], Vec::as_slice) {
            let Some(surname) = name.split_whitespace().last() else {
                continue;
            };
            // "John F. Kennedy Jr." is not "Jr.": an abbreviation is no surname. (Bodies are
            // not among the people: see `People::new`.)
            if surname.ends_with('.') || shared(surname) {
                continue;
            }
            if introduced.contains(name)
                && !seen_here.contains(name.as_str())
                && alone.contains(surname)
            {
                for (i, _) in text.match_indices(name.as_str()) {
                    let r = i..i + name.len();
                    if !word_bounded(text, &r) {
                        continue;
                    }
                    changes.push(Change {
                        range: r,
                        with: surname.to_string(),
                        edit: Edit::Name {
                            from: name.clone(),
                            to: surname.to_string(),
                        },
                    });
                }
            }
            seen_here.insert(name);
        }
        for name in people.get(k).map_or(&[][..], Vec::as_slice) {
            introduced.insert(name.clone());
        }
        if !changes.is_empty() {
            let (t, edits) = apply(text, changes);
            *text = t;
            out[k] = edits;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::date::Timestamp;

    fn article(id: &str, date: Option<&str>, text: &str) -> Article {
        Article {
            id: id.into(),
            title: format!("Headline {id}"),
            text: text.into(),
            source: Some(format!("Outlet {id}")),
            url: None,
            date: date.and_then(Timestamp::parse),
        }
    }

    fn read_all(articles: &[Article]) -> Vec<(String, Result<Reading, Dangling>)> {
        let corpus = Corpus::build(articles);
        let people = People::new(&corpus);
        (0..corpus.sentences.len())
            .map(|s| (corpus.sentences[s].text.clone(), read(&corpus, &people, s)))
            .collect()
    }

    fn reading_of<'a>(
        all: &'a [(String, Result<Reading, Dangling>)],
        starts: &str,
    ) -> &'a Result<Reading, Dangling> {
        &all.iter()
            .find(|(t, _)| t.starts_with(starts))
            .unwrap_or_else(|| panic!("no sentence starting {starts:?}"))
            .1
    }

    #[test]
    fn a_leading_he_becomes_the_one_person_named_before_it() {
        let all = read_all(&[article(
            "a",
            None,
            "Mayor Dana Whitfield said the harbor deal was a fair compromise for the city.\n\
             He thanked the dock workers for their patience during the long strike.",
        )]);
        let r = reading_of(&all, "He thanked").as_ref().expect("repaired");
        assert_eq!(
            r.text,
            "Dana Whitfield thanked the dock workers for their patience during the long strike."
        );
    }

    #[test]
    fn a_he_after_a_he_is_the_same_person_not_one_named_in_what_he_reported() {
        for (pronoun, said) in [("He", Some("Tomas Varga said")), ("She", None)] {
            let all = read_all(&[article(
                "a",
                None,
                &format!(
                    "Port spokesman Tomas Varga said the board stands by its decision.\n\
                     He said evidence suggests that Ilsa Brandt was seeking control of the \
                     harbor.\n\
                     {pronoun} said the permits were found in a drawer at the union hall."
                ),
            )]);
            let r = reading_of(&all, &format!("{pronoun} said the permits"));
            match said {
                Some(name) => {
                    let r = r.as_ref().expect("repaired");
                    assert!(r.text.starts_with(name), "{}", r.text);
                }
                // Not the man the sentence before passes on, nor the man named before.
                None => assert!(r.as_ref().is_err(), "{r:?}"),
            }
        }
    }

    #[test]
    fn a_phrase_quoted_inside_narration_stands_and_a_bare_quote_does_not() {
        let all = read_all(&[article(
            "a",
            None,
            "Two dock owners lost their contracts after what the port board called a \"serious \
             breach of the harbor safety code\" during the long strike in March.\n\
             \"We lost everything we had built over twenty years at this harbor.\"",
        )]);
        assert!(reading_of(&all, "Two dock owners").is_ok());
        assert_eq!(reading_of(&all, "\"We lost"), &Err(Dangling::Speaker));
    }

    #[test]
    fn an_unpaired_straight_quote_does_not_turn_narration_into_speech() {
        // One mark lost in extraction: pairing the rest would put the following narration
        // inside a quotation.
        let all = read_all(&[article(
            "a",
            None,
            "The union called the offer \"an insult to every worker at the port. \
             The board met again on Friday to discuss the strike and its costs. \
             Negotiators for both sides returned to the table late on Saturday.",
        )]);
        assert!(reading_of(&all, "The board met").is_ok());
        assert!(reading_of(&all, "Negotiators").is_ok());
    }

    #[test]
    fn such_each_and_said_thats_point_back_and_cannot_stand() {
        let all = read_all(&[article(
            "a",
            None,
            "The port board rejected the union offer at its meeting on Monday.\n\
             In the board\u{2019}s view, the union is trying to change the subject with such arguments.\n\
             Each has until Friday to submit a new proposal to the mediator in Port Aldren.\n\
             Mayor Dana Whitfield said that\u{2019}s because the city cannot pay more this year.\n\
             Ports such as Port Aldren and Bayline handle most of the region\u{2019}s freight.",
        )]);
        assert_eq!(reading_of(&all, "In the board"), &Err(Dangling::Reference));
        assert_eq!(reading_of(&all, "Each has"), &Err(Dangling::Pronoun));
        assert_eq!(reading_of(&all, "Mayor Dana"), &Err(Dangling::Pronoun));
        assert!(reading_of(&all, "Ports such as").is_ok());
    }

    #[test]
    fn a_headline_run_into_its_dateline_is_cut_with_it() {
        let all = read_all(&[article(
            "a",
            None,
            "Dockworkers end strike at Port Aldren HARBOR CITY, Aldren _ The dockworkers of Port \
             Aldren voted to return to work on Wednesday after a 12-day strike.\n\
             The UN said: ports must stay open during the talks between the two sides.",
        )]);
        let r = reading_of(&all, "Dockworkers end")
            .as_ref()
            .expect("readable");
        assert_eq!(
            r.text,
            "The dockworkers of Port Aldren voted to return to work on Wednesday after a 12-day strike."
        );
        let un = reading_of(&all, "The UN").as_ref().expect("readable");
        assert!(un.text.starts_with("The UN said"), "{}", un.text);
    }

    #[test]
    fn demonstratives_numerals_and_interview_turns_point_back() {
        let all = read_all(&[article(
            "a",
            None,
            "The port board and the union met in Port Aldren on Monday to end the strike.\n\
             Union leader Marta Ilves said this is part of a pattern of delays at the port.\n\
             The board had promised a new offer and did precisely that.\n\
             The two have been negotiating since the strike began twelve days ago.\n\
             Q: What did the union ask for in the talks with the port board?\n\
             The agreements were signed by both sides late on Monday evening.\n\
             Finally, the mayor thanked the dockworkers for their patience.",
        )]);
        assert_eq!(reading_of(&all, "Union leader"), &Err(Dangling::Pronoun));
        assert_eq!(reading_of(&all, "The board had"), &Err(Dangling::Pronoun));
        assert_eq!(reading_of(&all, "The two"), &Err(Dangling::Reference));
        assert_eq!(reading_of(&all, "Q:"), &Err(Dangling::Reference));
        let signed = reading_of(&all, "The agreements")
            .as_ref()
            .expect("readable");
        assert_eq!(signed.needs, ["agreements"]);
        let thanked = reading_of(&all, "Finally").as_ref().expect("readable");
        assert!(
            thanked.text.starts_with("The mayor thanked"),
            "{}",
            thanked.text
        );
    }

    #[test]
    fn a_chronology_entry_is_not_a_sentence_of_the_account() {
        assert!(chronology_entry(
            "Aug. 21 _ Judge Jackson approves the settlement agreement."
        ));
        assert!(chronology_entry(
            "Oct. 7, 1998 -- The trial opens in Washington."
        ));
        assert!(!chronology_entry(
            "May 4 was the day the strike began at the port."
        ));
        assert!(!chronology_entry(
            "March on Washington draws thousands to the capital."
        ));
    }

    #[test]
    fn a_pronoun_with_two_possible_people_is_not_guessed() {
        let all = read_all(&[article(
            "a",
            None,
            "Mayor Dana Whitfield met Governor Mira Castell at the harbor on Monday morning.\n\
             She said the strike had cost the city dearly over the three weeks.",
        )]);
        assert!(reading_of(&all, "She said").is_err());
    }

    #[test]
    fn a_quote_said_by_he_names_the_person_or_is_left_out() {
        let all = read_all(&[article(
            "a",
            None,
            "German Foreign Minister Sigmar Gabriel spoke after the meeting in Lucca on Tuesday.\n\
             \u{201C}We want to bring Russia around to the political process,\u{201D} he said.\n\
             \u{201C}Nobody wants a military escalation in the region,\u{201D} said one diplomat.",
        )]);
        let r = reading_of(&all, "\u{201C}We want").as_ref().expect("named");
        assert!(r.text.ends_with("Sigmar Gabriel said."), "{}", r.text);
        // "one diplomat" is not a named speaker but a role: kept as the article wrote it.
        assert!(reading_of(&all, "\u{201C}Nobody").is_ok());
    }

    #[test]
    fn a_bare_quote_without_a_speaker_cannot_stand_alone() {
        let all = read_all(&[article(
            "a",
            None,
            "Lavrov spoke at length with reporters at the ministry on Wednesday afternoon.\n\
             \u{201C}We are simply insisting that everybody sits around the table.\u{201D}",
        )]);
        assert_eq!(reading_of(&all, "\u{201C}We are"), &Err(Dangling::Speaker));
    }

    #[test]
    fn connectives_and_datelines_are_dropped() {
        let all = read_all(&[article(
            "a",
            None,
            "MOSCOW, April 12 (Xinhua) -- Russian officials said the submarine carried no nuclear weapons.\n\
             But Russia remains unmoved by the international chorus of outrage over the attack.\n\
             However, the council voted to reopen the harbor after the long strike.",
        )]);
        let texts: Vec<String> = all
            .iter()
            .map(|(_, r)| r.as_ref().expect("readable").text.clone())
            .collect();
        assert_eq!(
            texts,
            [
                "Russian officials said the submarine carried no nuclear weapons.",
                "Russia remains unmoved by the international chorus of outrage over the attack.",
                "The council voted to reopen the harbor after the long strike."
            ]
        );
    }

    #[test]
    fn a_shell_noun_after_the_needs_its_antecedent_in_the_brief() {
        let all = read_all(&[article(
            "a",
            None,
            "The statement was made right before the minister left for Moscow on a visit.\n\
             The United States fired missiles at an airbase in western Syria last week.",
        )]);
        let r = reading_of(&all, "The statement")
            .as_ref()
            .expect("readable");
        assert_eq!(r.needs, ["statement"]);
        let us = reading_of(&all, "The United").as_ref().expect("readable");
        assert!(us.needs.is_empty());
        assert!(!us.text.contains("last week"), "{}", us.text);
    }

    #[test]
    fn shells_in_an_opening_phrase_or_as_an_object_need_their_antecedent() {
        let all = read_all(&[article(
            "a",
            None,
            "In response to the most recent incident, the president ordered a missile strike on the airbase.\n\
             Foreign Minister Ada Lind made the remarks at the end of a meeting of foreign ministers in Italy.\n\
             Foreign Minister Ada Lind repeated the remarks of her deputy at a meeting in Rome.\n\
             At the press conference, the foreign minister warned against more strikes.\n\
             The tribe is determined not to let that happen again at its casino.\n\
             The states assert that Microsoft did precisely that by bundling its browser.\n\
             The institute began to invite tenders for making the new notes in February.\n\
             The European Monetary Institute began to invite tenders in February.\n\
             The office of the prime minister declined comment.\n\
             The office of the prime minister declined comment on the arrests in Cyprus.",
        )]);
        let needs = |start: &str| {
            reading_of(&all, start)
                .as_ref()
                .expect("readable")
                .needs
                .clone()
        };
        assert_eq!(needs("In response"), ["incident"]);
        assert_eq!(needs("Foreign Minister Ada Lind made"), ["remarks"]);
        // "the remarks of his deputy" says which remarks.
        assert!(needs("Foreign Minister Ada Lind repeated").is_empty());
        // (and "the foreign minister warned": whose, a sentence before must say)
        assert_eq!(needs("At the press"), ["conference", "minister"]);
        assert!(matches!(
            reading_of(&all, "The tribe"),
            Err(Dangling::Pronoun)
        ));
        assert!(matches!(
            reading_of(&all, "The states assert"),
            Err(Dangling::Pronoun)
        ));
        // A body named by its kind alone needs that body told first; named in full, not.
        assert_eq!(needs("The institute"), ["institute"]);
        assert!(needs("The European Monetary").is_empty());
        assert!(matches!(
            reading_of(&all, "The office of the prime minister declined comment."),
            Err(Dangling::Reference)
        ));
        assert!(reading_of(&all, "The office of the prime minister declined comment on").is_ok());
    }

    #[test]
    fn yesterday_becomes_the_date_of_its_article() {
        let all = read_all(&[article(
            "a",
            Some("2031-03-14"),
            "The strike, which idled the port for 12 days, ended yesterday when the two sides agreed to a contract.",
        )]);
        let r = reading_of(&all, "The strike").as_ref().expect("readable");
        assert!(r.text.contains("ended on March 13 when"), "{}", r.text);
    }

    #[test]
    fn tonight_in_a_plan_is_no_sentence_for_the_brief() {
        let all = read_all(&[article(
            "a",
            Some("2031-03-14"),
            "Tonight, the union is going to put the contract to a vote of its members.\n\
             The union said today that it would put the contract to a vote.",
        )]);
        assert_eq!(reading_of(&all, "Tonight"), &Err(Dangling::Time));
        let r = reading_of(&all, "The union").as_ref().expect("readable");
        assert!(r.text.contains("said on March 14 that"), "{}", r.text);
    }

    #[test]
    fn a_wires_here_is_its_datelines_place() {
        let all = read_all(&[
            article(
                "a",
                Some("2031-03-03"),
                "NEW HARBORTON, March 3 (Harbor Wire) -- The two-day talks on the strike ended \
                 here after the union accepted the offer.\n\
                 The mediator left here on March 2 for the capital.\n\
                 Dockworkers here in the port cheered the news.\n\
                 Crime here on the waterfront fell after the strike.",
            ),
            article(
                "b",
                Some("2031-03-03"),
                "Port officials met here with the union on Monday to discuss the strike.",
            ),
        ]);
        let r = reading_of(&all, "The two-day").as_ref().expect("readable");
        assert_eq!(
            r.text,
            "The two-day talks on the strike ended in New Harborton after the union accepted \
             the offer."
        );
        // "left" takes the place alone; "here in ...", "here on the ..." say themselves; no
        // dateline, left as written.
        for (starts, says) in [
            ("The mediator", "left New Harborton on"),
            ("Dockworkers", "here in the port"),
            ("Crime here", "here on the waterfront"),
            ("Port officials", "met here with"),
        ] {
            let r = reading_of(&all, starts).as_ref().expect("readable");
            assert!(r.text.contains(says), "{}", r.text);
        }
        for (dateline, place) in [
            ("PINE RIDGE, S.D. (AP)", "Pine Ridge"),
            ("WASHINGTON (AP)", "Washington"),
            ("Harare, June 3 (Xinhua)", "Harare"),
        ] {
            assert_eq!(dateline_place(dateline).as_deref(), Some(place));
        }
    }

    #[test]
    fn a_state_of_things_months_old_is_told_as_of_its_day() {
        let all = read_all(&[
            article(
                "a",
                Some("2031-01-10"),
                "Former harbor director Mara Quell is asking a judge to reopen the port.\n\
                 U.S. officials have cited a report on the safety of the harbor cranes.\n\
                 Quell filed the suit in the former director's name after the strike.\n\
                 Brightwater has become the busiest port on the coast since the strike.\n\
                 The union is asking its members to vote, officials said.\n\
                 Dockworkers have rejected the offer in a vote on January 8.",
            ),
            article(
                "b",
                Some("2031-05-02"),
                "The port of Brightwater reopened on Friday after the judge ruled.\n\
                 The union is asking its members to return to work.",
            ),
        ]);
        // Months older than the latest report, in the present: told as of its day, the
        // opening title lowered as the articles write it.
        let r = reading_of(&all, "U.S. officials")
            .as_ref()
            .expect("readable");
        assert!(
            r.text.starts_with("As of January 10, U.S. officials"),
            "{}",
            r.text
        );
        let r = reading_of(&all, "Former harbor")
            .as_ref()
            .expect("readable");
        assert_eq!(
            r.text,
            "As of January 10, former harbor director Mara Quell is asking a judge to reopen \
             the port."
        );
        // A time of its own ("since"), an attribution, a day already given: left as written.
        for starts in [
            "Brightwater has",
            "The union is asking its members to vote",
            "Dockworkers",
        ] {
            let r = reading_of(&all, starts).as_ref().expect("readable");
            assert!(!r.text.starts_with("As of"), "{}", r.text);
        }
        // The latest report is current.
        let r = reading_of(&all, "The union is asking its members to return")
            .as_ref()
            .expect("readable");
        assert!(!r.text.starts_with("As of"), "{}", r.text);
    }

    #[test]
    fn a_weekday_told_in_the_past_becomes_its_date_and_a_coming_one_is_left() {
        // 2031-03-14 is a Friday.
        let all = read_all(&[article(
            "a",
            Some("2031-03-14"),
            "City officials said Wednesday that the port reopened after the strike.\n\
             The union's members vote Monday on the contract the two sides signed.\n\
             A mediator will meet both sides Thursday to settle the remaining terms.\n\
             The appeals court on Thursday upheld the ruling of the lower court.",
        )]);
        let r = reading_of(&all, "City officials")
            .as_ref()
            .expect("readable");
        assert!(r.text.contains("said on March 12 that"), "{}", r.text);
        // No verb in the past tense next to it: the vote is to come.
        let r = reading_of(&all, "The union").as_ref().expect("readable");
        assert!(r.text.contains("vote Monday"), "{}", r.text);
        // A sentence about what is to come keeps its weekday.
        let r = reading_of(&all, "A mediator").as_ref().expect("readable");
        assert!(r.text.contains("Thursday"), "{}", r.text);
        // An irregular past tense after the day.
        let r = reading_of(&all, "The appeals court")
            .as_ref()
            .expect("readable");
        assert!(r.text.contains("on March 13 upheld"), "{}", r.text);
    }

    #[test]
    fn that_as_a_determiner_needs_its_noun_told_first() {
        let all = read_all(&[article(
            "a",
            None,
            "Tea sales made up only 1 percent of that total, the chief executive said.\n\
             Union leaders said that members would vote on the contract at that time.\n\
             The Supreme Court on Thursday upheld that ruling.\n\
             Mayor Ann Oduya said that ruling parties would lose the vote.\n\
             The Arden Accords, signed by his predecessor, ended the harbor dispute in 2029.\n\
             Harbor envoy Lena Marsh would also participate, the radio said.\n\
             Congress then could reinstate the item by passing a separate bill.\n\
             The team hoped to catch the next jet stream, the control center said.",
        )]);
        // "then" after the subject tells the next step of something told before.
        assert_eq!(reading_of(&all, "Congress then"), &Err(Dangling::Reference));
        // A body the brief has not named speaks: told once a sentence names it (and "the
        // team" once a sentence tells which team).
        let r = reading_of(&all, "The team hoped")
            .as_ref()
            .expect("readable");
        assert_eq!(r.needs, vec!["team".to_string(), "center".to_string()]);
        // "also" and a verb closing the clause add to what another sentence told.
        assert_eq!(reading_of(&all, "Harbor envoy"), &Err(Dangling::Reference));
        // A person's pronoun before any person is named points outside the sentence.
        assert_eq!(
            reading_of(&all, "The Arden Accords"),
            &Err(Dangling::Pronoun)
        );
        // A shell noun closing the clause after "that" points back to one told before.
        assert_eq!(
            reading_of(&all, "The Supreme Court"),
            &Err(Dangling::Reference)
        );
        let r = reading_of(&all, "Mayor Ann").as_ref().expect("readable");
        assert!(r.needs.is_empty(), "{:?}", r.needs);
        let r = reading_of(&all, "Tea sales").as_ref().expect("readable");
        // (and "the chief executive said": of what, a sentence before must say)
        assert_eq!(r.needs, vec!["total".to_string(), "executive".to_string()]);
        // "said that" is a conjunction and "at that time" a time: nothing needed.
        let r = reading_of(&all, "Union leaders")
            .as_ref()
            .expect("readable");
        assert!(r.needs.is_empty(), "{:?}", r.needs);
    }

    #[test]
    fn the_meeting_needs_the_meeting_told_first_unless_it_says_which() {
        let all = read_all(&[article(
            "a",
            None,
            "Representatives of other factions also took part in the meeting.\n\
             Envoys discussed the harbor in the meeting between the two mayors.",
        )]);
        let r = reading_of(&all, "Representatives")
            .as_ref()
            .expect("readable");
        assert_eq!(r.needs, vec!["meeting".to_string()]);
        let r = reading_of(&all, "Envoys").as_ref().expect("readable");
        assert!(r.needs.is_empty(), "{:?}", r.needs);
    }

    #[test]
    fn a_body_that_speaks_is_no_person_of_the_brief() {
        let all = read_all(&[article(
            "a",
            None,
            "Former President Jimmy Carter observed the vote in Lagos.\n\
             The Carter Center said the vote was the fairest in the country's history.",
        )]);
        let r = reading_of(&all, "The Carter Center")
            .as_ref()
            .expect("readable");
        assert!(r.people.is_empty(), "{:?}", r.people);
    }

    #[test]
    fn a_second_pronoun_after_a_named_one_is_left_as_written() {
        let all = read_all(&[article(
            "a",
            None,
            "Mayor Dana Whitfield lost the vote on the harbor plan.\n\
             He said he may seek a new vote.",
        )]);
        let r = reading_of(&all, "He said").as_ref().expect("repaired");
        assert_eq!(r.text, "Dana Whitfield said he may seek a new vote.");
    }

    #[test]
    fn yesterday_without_a_date_is_dropped() {
        let all = read_all(&[article(
            "a",
            None,
            "The strike, which idled the port for 12 days, ended yesterday when the two sides agreed to a contract.",
        )]);
        let r = reading_of(&all, "The strike").as_ref().expect("readable");
        assert!(r.text.contains("ended when"), "{}", r.text);
    }

    #[test]
    fn a_plan_reported_before_the_latest_article_is_stale() {
        let all = read_all(&[
            article(
                "a",
                Some("2017-04-11"),
                "Rex Tillerson will meet Sergey Lavrov in Moscow, and possibly Vladimir Putin, this week.",
            ),
            article(
                "b",
                Some("2017-04-12"),
                "Rex Tillerson met Vladimir Putin in Moscow for two hours on Wednesday.",
            ),
        ]);
        assert_eq!(
            reading_of(&all, "Rex Tillerson will"),
            &Err(Dangling::Stale)
        );
        assert!(reading_of(&all, "Rex Tillerson met").is_ok());
    }

    #[test]
    fn what_was_not_yet_known_when_an_older_article_was_written_is_stale() {
        let all = read_all(&[
            article(
                "a",
                Some("2031-05-02"),
                "Hollis Freight said hackers had copied its customer files.\n\
                 Hollis Freight has not said who was behind the attack.",
            ),
            article(
                "b",
                Some("2031-05-03"),
                "Police said a group called Dusk Owl was behind the Hollis Freight attack.",
            ),
        ]);
        assert_eq!(
            reading_of(&all, "Hollis Freight has not said"),
            &Err(Dangling::Stale)
        );
        assert!(reading_of(&all, "Hollis Freight said hackers").is_ok());
        assert!(reading_of(&all, "Police said").is_ok());
        // Undated among dated articles: it may be older. With no date anywhere, nothing
        // says which article is older.
        let undated = |other: Option<&str>| {
            read_all(&[
                article(
                    "a",
                    None,
                    "Hollis Freight has not said who was behind the attack.",
                ),
                article("b", other, "Police named a group called Dusk Owl."),
                article(
                    "c",
                    other,
                    "Hollis Freight customers were told to change passwords.",
                ),
            ])
        };
        let dated = undated(Some("2031-05-03"));
        assert_eq!(
            reading_of(&dated, "Hollis Freight has not said"),
            &Err(Dangling::Stale)
        );
        let none = undated(None);
        assert!(reading_of(&none, "Hollis Freight has not said").is_ok());
    }

    #[test]
    fn a_gap_is_told_from_what_was_kept_back_or_a_lasting_reason() {
        let gap = |s: &str| {
            let lw: Vec<String> = s.split_whitespace().map(str::to_lowercase).collect();
            (0..lw.len()).any(|k| not_yet_known(&lw, k))
        };
        for s in [
            "officials did not say why he was there",
            "the victim has not yet been identified",
            "it is unclear what caused the fire",
            "the company declined to say how many were hurt",
            "the cause of the blaze remains unknown",
        ] {
            assert!(gap(s), "{s}");
        }
        for s in [
            "police are searching for an unknown suspect",
            "meetings he did not disclose when asked under oath",
            "the boy was not identified because of his age",
            "the fund, which was not named by prosecutors, was sold",
            "the show didn't reveal that until the end",
        ] {
            assert!(!gap(s), "{s}");
        }
    }

    #[test]
    fn a_surname_alone_is_written_in_full() {
        let all = read_all(&[article(
            "a",
            None,
            "Shell president John Hofmeister said the company would keep its prices steady.\n\
             Hofmeister said prices at the pump would not rise before the summer driving season.",
        )]);
        let r = reading_of(&all, "Hofmeister said")
            .as_ref()
            .expect("readable");
        assert!(r.text.starts_with("John Hofmeister said"), "{}", r.text);
    }

    #[test]
    fn a_place_or_a_thing_is_no_full_name_for_a_word_alone() {
        // "Texas said" and "Concorde said" make no person of "East Texas" or of "an Air
        // France Concorde", so neither word is written out as one.
        let all = read_all(&[article(
            "a",
            None,
            "Faulder was convicted of murdering an East Texas woman during a robbery.\n\
             Texas said the execution would go ahead.\n\
             The pilot of an Air France Concorde said the tire burst on takeoff.\n\
             Texas is one of 38 states with the death penalty.\n\
             Concorde said its remaining jets would stay on the ground.",
        )]);
        let r = reading_of(&all, "Texas is one of")
            .as_ref()
            .expect("readable");
        assert!(r.text.starts_with("Texas is one of"), "{}", r.text);
        let r = reading_of(&all, "Concorde said its")
            .as_ref()
            .expect("readable");
        assert!(r.text.starts_with("Concorde said its"), "{}", r.text);
        // A "Jr." is his surname's: "Kennedy" alone is either Kennedy, so neither.
        let all = read_all(&[article(
            "b",
            None,
            "John F. Kennedy Jr. flew with his wife, Carolyn Bessette Kennedy.\n\
             Kennedy said the trip would be short.\n\
             The wreck was found with Kennedy's body still aboard.",
        )]);
        let r = reading_of(&all, "The wreck").as_ref().expect("readable");
        assert!(r.text.contains("with Kennedy's body"), "{}", r.text);
        // "Like Klein" is no name, so "Klein" stands for the one Klein the article names.
        let all = read_all(&[article(
            "b",
            None,
            "Like Klein, Blumenthal said he would not rule out any remedy.\n\
             Klein deflected a question about the telephone case.\n\
             ``Facts are stubborn things,'' said Joel Klein, head of the antitrust division.",
        )]);
        let r = reading_of(&all, "Klein deflected")
            .as_ref()
            .expect("readable");
        assert!(r.text.starts_with("Joel Klein deflected"), "{}", r.text);
    }

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        assert!(SHELL_NOUNS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_person_noun("spokesman") && is_person_noun("aide") && !is_person_noun("harbor"));
        assert!(is_shell_noun("statement") && !is_shell_noun("harbor"));
    }

    #[test]
    fn repeated_full_names_are_shortened_to_the_surname() {
        let mut texts = vec![
            "Rex Tillerson met Vladimir Putin in Moscow.".to_string(),
            "Rex Tillerson said relations were at a low point.".to_string(),
        ];
        let people = vec![
            vec!["Rex Tillerson".to_string(), "Vladimir Putin".to_string()],
            vec!["Rex Tillerson".to_string()],
        ];
        let alone: FxHashSet<String> = ["Tillerson".to_string()].into_iter().collect();
        shorten_names(&mut texts, &people, &alone);
        assert_eq!(texts[1], "Tillerson said relations were at a low point.");
        // An organisation is never called by its last word alone.
        let mut texts = vec![
            "Quillfield Systems said attackers copied records.".to_string(),
            "Quillfield Systems said it would write to customers.".to_string(),
        ];
        let people = vec![vec!["Quillfield Systems".to_string()]; 2];
        shorten_names(&mut texts, &people, &alone);
        assert!(texts[1].starts_with("Quillfield Systems"), "{}", texts[1]);
        // Nor is a company by its "Co." ...
        let mut texts = vec![
            "Starbucks Coffee Co. bought Tazo.".to_string(),
            "The Starbucks Coffee Co. plan drew critics.".to_string(),
        ];
        let people = vec![vec!["Starbucks Coffee Co.".to_string()]; 2];
        let alone: FxHashSet<String> = ["Co.".to_string()].into_iter().collect();
        shorten_names(&mut texts, &people, &alone);
        assert!(
            texts[1].contains("Starbucks Coffee Co. plan"),
            "{}",
            texts[1]
        );
        // ... and a surname two people of the brief share names neither alone.
        let mut texts = vec![
            "John Kennedy flew with Carolyn Bessette Kennedy.".to_string(),
            "Killed were John Kennedy and Carolyn Bessette Kennedy.".to_string(),
        ];
        let people = vec![
            vec![
                "John Kennedy".to_string(),
                "Carolyn Bessette Kennedy".to_string(),
            ];
            2
        ];
        let alone: FxHashSet<String> = ["Kennedy".to_string()].into_iter().collect();
        shorten_names(&mut texts, &people, &alone);
        assert_eq!(
            texts[1],
            "Killed were John Kennedy and Carolyn Bessette Kennedy."
        );
        // A surname written alone before a full name ending in it, in one sentence, is
        // another person's (even one the brief's people leave out); after it, in the same
        // sentence or a later one, it is the same person's. (sentences, person, surname,
        // the second sentence as the brief writes it)
        let cases = [
            (
                [
                    "On board were Kennedy's wife, Carolyn Bessette Kennedy, and her sister.",
                    "Killed were Kennedy, 38, his wife, Carolyn Bessette Kennedy, 33.",
                ],
                "Carolyn Bessette Kennedy",
                "Kennedy",
                "Killed were Kennedy, 38, his wife, Carolyn Bessette Kennedy, 33.",
            ),
            (
                [
                    "Former President Jimmy Carter said Carter would go.",
                    "Jimmy Carter went.",
                ],
                "Jimmy Carter",
                "Carter",
                "Carter went.",
            ),
            (
                [
                    "Carolyn Bessette Kennedy boarded.",
                    "Carolyn Bessette Kennedy was 33.",
                ],
                "Carolyn Bessette Kennedy",
                "Kennedy",
                "Kennedy was 33.",
            ),
        ];
        for (sentences, person, surname, expected) in cases {
            let mut texts = sentences.map(str::to_string).to_vec();
            let people = vec![vec![person.to_string()]; 2];
            let alone: FxHashSet<String> = [surname.to_string()].into_iter().collect();
            shorten_names(&mut texts, &people, &alone);
            assert_eq!(texts[1], expected);
        }
    }
}
