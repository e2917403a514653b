//! Names: proper-name mentions, the people they denote, and spelling variants.
//!
//! A mention is a run of capitalized words (with name particles such as `al-`, `bin`, `de`
//! inside). Titles and roles in front of a person's name ("Russian Foreign Minister Sergey
//! Volkov") are split off: they tell who the person is and later resolve "the foreign
//! minister". People are the mentions that appear after a title, as the subject of a speech
//! verb, or as the full form of a surname used alone; a surname-only mention ("Volkov")
//! joins the full name that ends with it.
//!
//! Two spellings of one name are variants when every word matches after transliteration
//! folding (diacritics removed; `ou`→`u`, `ey`/`ay`/`ai`→`ei`, `y`→`i`, `ph`→`f`, doubled
//! letters single: Sheikhoum, Shaykhum and Sheikhum all fold to `sheikhum`; Sergey and
//! Sergei to `sergei`) or, for words of six letters or more, within one edit (Vladmir,
//! Vladimir) where a changed letter is a slip of the pen or the ear, not another word
//! ("Lindzeb" is Lindzen, "Schuber" is not Schumer); in a name of several words at least one
//! word must be identical. Punctuation is spelling ("U.N." and "UN"), case is not; fathers
//! and sons (Jr., Sr.) are two people. No list of names is involved.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Groups;

/// Words that make up titles and roles, not names (closed class, lowercase).
pub(crate) const TITLE_WORDS: &[&str] = &[
    "president",
    "vice",
    "prime",
    "minister",
    "foreign",
    "secretary",
    "state",
    "defense",
    "defence",
    "interior",
    "finance",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "gen",
    "general",
    "sen",
    "senator",
    "rep",
    "representative",
    "gov",
    "governor",
    "mayor",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "judge",
    "justice",
    "chief",
    "officer",
    "director",
    "chairman",
    "chairwoman",
    "chair",
    "ambassador",
    "envoy",
    "commander",
    "colonel",
    "col",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "professor",
    "prof",
    "rev",
    "reverend",
    "sheikh",
    "ayatollah",
    "premier",
    "deputy",
    "assistant",
    "attorney",
    "admiral",
    "marshal",
    "lord",
    "lady",
    "sir",
    "dame",
    "head",
    "leader",
    "speaker",
    "press",
    "executive",
    "ceo",
    "chief",
    "founder",
    "coach",
    "manager",
    "inspector",
    "detective",
    "sheriff",
    "officer",
    "constable",
    "superintendent",
    "supt",
    "det",
    "insp",
    "councillor",
    "councilman",
    "councilwoman",
    "assemblyman",
    "assemblywoman",
    "alderman",
    "agent",
    "analyst",
    "economist",
    "professor",
    "senior",
    "former",
    "acting",
    "interim",
    "top",
    "affairs",
    "security",
    "national",
    "federal",
    "united",
    "nations",
    "house",
    "white",
    "commissioner",
    "rep",
    "spokesman",
    "lawmaker",
    "congressman",
    "congresswoman",
    "sheriff",
    "lt",
    "prosecutor",
    "sponsor",
    "lawyer",
    "candidate",
    "nominee",
    // Party labels written before a name ("Republican John Cornyn").
    "republican",
    "democrat",
    // Kin, written before a name like a title ("Wife Rosalyn", "his brother Ahmed").
    "wife",
    "husband",
    "widow",
    "son",
    "daughter",
    "mother",
    "father",
    "brother",
    "sister",
    "uncle",
    "aunt",
    "cousin",
    "grandmother",
    "grandfather",
];

/// Title words that are common surnames too (King, Judge, Marshal, Pope, Prince, White:
/// "Mary Jo White said", beside "White House spokesman").
const SURNAME_TITLES: &[&str] = &["king", "judge", "marshal", "pope", "prince", "white"];

/// Number words: "One high school player said" does not start with a name.
const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "billion",
    "first", "second", "third", "fourth", "fifth",
];

/// Particles that may sit inside a name (`Karim al-Hadi`, `Osama bin Laden`).
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "de", "da", "del", "der", "van", "von", "la", "le", "du", "di", "abu",
];

/// One occurrence of a proper name in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte range of the name (title excluded) in the text.
    pub span: std::ops::Range<usize>,
    /// The name as written (title excluded).
    pub name: String,
    /// Title or role words written just before it ("Russian Foreign Minister").
    pub title: Option<String>,
}

impl Mention {
    /// The words of the name.
    pub fn words(&self) -> Vec<&str> {
        self.name.split_whitespace().collect()
    }
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase) && !is_contraction(w)
}

/// "They're", "We've", "Don't": a capitalized contraction is never a name.
fn is_contraction(w: &str) -> bool {
    w.rsplit_once(['\'', '\u{2019}']).is_some_and(|(_, tail)| {
        ["re", "ve", "ll", "d", "m", "t"].contains(&tail.to_lowercase().as_str())
    })
}

fn lower_letters(w: &str) -> String {
    // Most words are ASCII letters: lowercased without the Unicode machinery.
    if w.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return w.to_ascii_lowercase();
    }
    w.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Is this (lowercased, letters only) word a title or role word?
pub(crate) fn is_title_word(w: &str) -> bool {
    TITLE_WORDS.contains(&w)
}

/// Head words of organisations' names (closed class, lowercase): "Amnesty International",
/// "the Berlin Court", "Human Rights Watch".
const ORGANISATION_WORDS: &[&str] = &[
    "agency",
    "alliance",
    "army",
    "assembly",
    "association",
    "authority",
    "bank",
    "board",
    "bureau",
    "center",
    "centre",
    "church",
    "co",
    "coalition",
    "commission",
    "committee",
    "company",
    "congress",
    "corp",
    "corporation",
    "council",
    "court",
    "department",
    "federation",
    "forces",
    "foundation",
    "front",
    "fund",
    "government",
    "group",
    "inc",
    "institute",
    "international",
    "league",
    "llc",
    "ltd",
    "ministry",
    "movement",
    "nations",
    "network",
    "office",
    "organisation",
    "organization",
    "parliament",
    "party",
    "plc",
    "police",
    "service",
    "society",
    "tribunal",
    "union",
    "watch",
];

/// Does the name read as an organisation's: it ends in an organisation word ("Amnesty
/// International", "Charleston City Council"), or it is an acronym ("NATO", "UNHCR")?
pub(crate) fn is_organisation(name: &str) -> bool {
    let last = name.split_whitespace().next_back().unwrap_or("");
    let letters: String = last.chars().filter(|c| c.is_alphabetic()).collect();
    ORGANISATION_WORDS.contains(&letters.to_lowercase().as_str())
        || (name.split_whitespace().count() == 1
            && (2..=6).contains(&letters.chars().count())
            && letters.chars().all(char::is_uppercase))
}

/// Last words of a place's or a building's name: a name ending so is no person's even when
/// it opens with a given name ("Roosevelt Hotel", "Lincoln Park").
const PLACE_WORDS: &[&str] = &[
    "airport",
    "avenue",
    "bay",
    "beach",
    "boulevard",
    "bridge",
    "building",
    "canal",
    "canyon",
    "castle",
    "cathedral",
    "city",
    "club",
    "coast",
    "college",
    "county",
    "creek",
    "dam",
    "desert",
    "drive",
    "field",
    "forest",
    "gardens",
    "hall",
    "harbor",
    "harbour",
    "heights",
    "highway",
    "hill",
    "hills",
    "hospital",
    "hotel",
    "island",
    "islands",
    "lake",
    "lane",
    "mall",
    "memorial",
    "monument",
    "mountain",
    "mountains",
    "museum",
    "ocean",
    "palace",
    "park",
    "peak",
    "peninsula",
    "place",
    "plaza",
    "point",
    "port",
    "prison",
    "range",
    "river",
    "road",
    "school",
    "sea",
    "square",
    "stadium",
    "station",
    "street",
    "strait",
    "theater",
    "theatre",
    "tower",
    "valley",
    "village",
];

/// First words of a place's name ("East Texas", "New Mexico", "Mount Hood", "San Jose"),
/// or of a name that a leading adjective glued to a body's ("New Microsoft filings allege"):
/// either way no person's.
const PLACE_OPENERS: &[&str] = &[
    "central", "east", "eastern", "fort", "greater", "lake", "las", "los", "lower", "mount", "new",
    "north", "northern", "port", "san", "santa", "south", "southern", "upper", "west", "western",
];

/// Does the name end as a place's or a building's does ("Roosevelt Hotel"), or open as a
/// place's does ("East Texas")?
pub(crate) fn is_place(name: &str) -> bool {
    let mut ws = name.split_whitespace();
    let first = ws.next();
    // Some only for a name of two words or more.
    let after_first = ws.next_back();
    after_first
        .or(first)
        .is_some_and(|w| PLACE_WORDS.contains(&w.to_lowercase().as_str()))
        || (after_first.is_some()
            && first.is_some_and(|w| PLACE_OPENERS.contains(&w.to_lowercase().as_str())))
}

/// The word right before a name written without a title, in lowercase ("the" in "the
/// United States", "an" in "an Air France Concorde"); `None` after a title or with no word
/// before. Read from the eight bytes before the name: a word cut there is longer than any
/// determiner it is compared with.
pub(crate) fn determiner_before(text: &str, m: &Mention) -> Option<String> {
    if m.title.is_some() {
        return None;
    }
    let start = m.span.start;
    text[text.floor_char_boundary(start.saturating_sub(8))..start]
        .split(|c: char| c.is_whitespace() || matches!(c, '\u{201C}' | '\u{201D}' | '"'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .rfind(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// Words of a text with byte offsets, punctuation trimmed (a possessive `'s` stays).
fn words(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                push_word(text, s, i, &mut out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        push_word(text, s, text.len(), &mut out);
    }
    out
}

fn push_word<'a>(text: &'a str, s: usize, e: usize, out: &mut Vec<(usize, usize, &'a str)>) {
    let w = &text[s..e];
    let lead = w.len() - w.trim_start_matches(|c: char| !c.is_alphanumeric()).len();
    let trimmed = w.trim_matches(|c: char| !c.is_alphanumeric());
    if !trimmed.is_empty() {
        out.push((s + lead, s + lead + trimmed.len(), trimmed));
    }
}

/// A company's legal form at the end of its name ("Caldera Inc.", "Saphire, Inc.").
const CORPORATE_SUFFIXES: &[&str] = &["inc", "corp", "co", "ltd", "llc", "plc"];

/// Last words of a name that are written with a period ("Inc.", "Jr.").
const ABBREVIATED_SUFFIXES: &[&str] = &["inc", "corp", "co", "ltd", "jr", "sr"];

/// Letters each followed by a period but the last ("U.N", "D.C", "E.T.A", "R-N.Y" as trimmed
/// of the final period): an initialism, whose final period is part of it. "Amazon.com" is
/// not.
fn is_initialism(word: &str) -> bool {
    let tail = word.rsplit('-').next().unwrap_or(word);
    tail.contains('.')
        && tail
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
}

/// Institutions whose name goes on after "of" ("Bank of England", "Church of Jesus
/// Christ-Christian", "University of Chicago", "Ministry of Defence"). A title's "of"
/// ("Secretary of State") is handled with the titles.
const OF_HEADS: &[&str] = &[
    "academy",
    "bank",
    "bureau",
    "church",
    "college",
    "council",
    "court",
    "department",
    "institute",
    "ministry",
    "museum",
    "office",
    "republic",
    "school",
    "society",
    "university",
];

/// Weekdays: never part of a name ("on Tuesday Moscow said" names Moscow).
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words that open a sentence before a name without being part of it, and that the
/// function-word list does not hold (it serves the term weights too): "Like Klein,
/// Blumenthal said ...", "Despite Ahmed's protest", "Meanwhile Moscow said".
const OPENERS: &[&str] = &[
    "according",
    "across",
    "amid",
    "amidst",
    "besides",
    "beyond",
    "concerning",
    "despite",
    "earlier",
    "except",
    "following",
    "furthermore",
    "hence",
    "including",
    "indeed",
    "instead",
    "later",
    "like",
    "meanwhile",
    "moreover",
    "nevertheless",
    "regarding",
    "throughout",
    "toward",
    "towards",
    "unless",
    "unlike",
    "yesterday",
];

/// Does the word at byte `start` open the sentence (or a quote, or what follows a colon),
/// where any word is capitalized?
pub(crate) fn opens_sentence(sentence: &str, start: usize) -> bool {
    let before = &sentence[..start];
    before
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .is_empty()
        || before
            .trim_end()
            .ends_with([':', ';', '"', '\u{201C}', '`', '(', '\u{2014}'])
}

/// Proper-name mentions of one sentence (titles split off). The first word of the sentence
/// counts only when the next word is capitalized too, or it is not a function word.
pub fn mentions(sentence: &str) -> Vec<Mention> {
    let ws = words(sentence);
    // Each word lowercased at most once: a capitalized word is looked up in several lists.
    let lowered: Vec<std::cell::OnceCell<String>> = vec![std::cell::OnceCell::new(); ws.len()];
    let low = |k: usize| lowered[k].get_or_init(|| lower_letters(ws[k].2)).as_str();
    // A sentence mostly in capitals (a shouted headline) tells no acronym from a word;
    // counted only when an acronym is in question.
    let shouted = std::cell::OnceCell::new();
    let shouted = || {
        *shouted.get_or_init(|| {
            ws.iter()
                .filter(|w| w.2.chars().any(char::is_lowercase))
                .count()
                * 2
                < ws.len()
        })
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let (s, _, w) = ws[i];
        if !is_cap(w) {
            i += 1;
            continue;
        }
        // Function words are not names, at the sentence start or after a colon or a quote
        // mark ("As Jeff Goundrill said").
        let first = opens_sentence(sentence, s);
        if first && (storyline_text::stopwords::is_stopword(low(i)) || OPENERS.contains(&low(i))) {
            i += 1;
            continue;
        }
        // "Added Woody Enderson, the FBI's ...": a speech verb opening the sentence, before
        // a name, is not part of it.
        if first
            && i + 1 < ws.len()
            && is_cap(ws[i + 1].2)
            && sentence[ws[i].1..ws[i + 1].0]
                .chars()
                .all(char::is_whitespace)
            && low(i).ends_with("ed")
            && storyline_text::speech::is_speech_verb(low(i))
        {
            i += 1;
            continue;
        }
        // A weekday is never part of a name: "on Tuesday Moscow said" names Moscow.
        if WEEKDAYS.contains(&low(i)) {
            i += 1;
            continue;
        }
        // Extend over capitalized words and particles; stop at punctuation between words.
        let mut j = i + 1;
        while j < ws.len() {
            let (ps, pe, _) = ws[j - 1];
            let (ns, _, nw) = ws[j];
            let gap = &sentence[pe..ns];
            // A middle initial ("Arthur E. Levine") keeps the name going.
            let initial = ws[j - 1].2.chars().count() == 1
                && ws[j - 1].2.chars().all(char::is_uppercase)
                && gap
                    .strip_prefix('.')
                    .is_some_and(|g| !g.is_empty() && g.chars().all(char::is_whitespace));
            // So does a title's abbreviation ("Mrs. Shepard", "Col. Arkady Brenner").
            let abbreviation = ws[j - 1].2.len() <= 4
                && is_title_word(low(j - 1))
                && gap
                    .strip_prefix('.')
                    .is_some_and(|g| !g.is_empty() && g.chars().all(char::is_whitespace));
            // "Saphire, Inc.": a company's legal suffix after a comma is part of its name.
            let suffix = gap
                .strip_prefix(',')
                .is_some_and(|g| !g.is_empty() && g.chars().all(char::is_whitespace))
                && CORPORATE_SUFFIXES.contains(&low(j));
            let joined =
                (gap.chars().all(char::is_whitespace) || initial || abbreviation || suffix)
                    && sentence[ps..pe].len() == ws[j - 1].2.len();
            if !joined {
                break;
            }
            let particle = PARTICLES.contains(&low(j)) && j + 1 < ws.len() && is_cap(ws[j + 1].2);
            // "Martin Indyk Sunday reiterated": the weekday is not part of the name.
            if WEEKDAYS.contains(&low(j)) {
                break;
            }
            if is_cap(nw) || particle || nw.starts_with("al-") || nw.starts_with("el-") {
                j += 1;
            } else if matches!(low(j), "of" | "to")
                && j + 1 < ws.len()
                && is_cap(ws[j + 1].2)
                && is_title_word(low(j - 1))
            {
                // "Secretary of State", "Ambassador to Israel"
                j += 1;
            } else if low(j) == "of"
                && j + 1 < ws.len()
                && is_cap(ws[j + 1].2)
                && j - i >= 1
                && OF_HEADS.contains(&low(j - 1))
                && !PARTICLES.contains(&low(j + 1))
                && !storyline_text::stopwords::is_stopword(&lower_letters(ws[j + 1].2))
            {
                // "Church of Jesus Christ-Christian", "Bank of England", "University of
                // Chicago": an institution's name goes on over its "of".
                j += 1;
            } else {
                break;
            }
        }
        let run: Vec<(usize, usize, &str)> = ws[i..j].to_vec();
        // Split the title: everything up to the last title word (and the word after a
        // title's "of": "Secretary of Agriculture"), keeping at least one name word.
        // "Chechen Deputy Prime Minister Kazbek Makhashev" → title "Chechen Deputy Prime
        // Minister".
        let mut k = 0;
        for (idx, x) in run.iter().enumerate().take(run.len().saturating_sub(1)) {
            let lw = low(i + idx);
            let after_of = idx > 0
                && matches!(low(i + idx - 1), "of" | "to")
                && idx >= 2
                && is_title_word(low(i + idx - 2));
            // "London-based Amnesty International": where it is, not what it is called.
            let based = lw.ends_with("based") && x.2.contains('-');
            if is_title_word(lw) || after_of || based {
                k = idx + 1;
            }
        }
        // A title word that is also a surname, alone and not after an article or a
        // possessive ("``...,'' King said" of Howard King): a name, which the comparison
        // accepts only as the surname of a full name it has seen.
        if run.len() == 1 && SURNAME_TITLES.contains(&low(i)) {
            let prev = sentence[..run[0].0].trim_end();
            let det = prev.rsplit(char::is_whitespace).next().is_some_and(|w| {
                matches!(lower_letters(w).as_str(), "the" | "a" | "an")
                    || w.ends_with("'s")
                    || w.ends_with("\u{2019}s")
            });
            if !det {
                let (s, e, w) = run[0];
                out.push(Mention {
                    span: s..e,
                    name: w.to_string(),
                    title: None,
                });
                i = j;
                continue;
            }
        }
        let name_words = &run[k..];
        // `name_words[x]` is word `i + k + x` of the sentence.
        let name_low = |x: usize| low(i + k + x);
        if name_words.len() == 1 && NUMBER_WORDS.contains(&name_low(0)) {
            i = j;
            continue;
        }
        // A run of title words alone ("The President"), or one ending in a title word ("High
        // Commissioner"), is a role, not a name.
        // "Howard King" is a name: a surname-title after a word that is no title.
        let n = name_words.len();
        let surname =
            n >= 2 && SURNAME_TITLES.contains(&name_low(n - 1)) && !is_title_word(name_low(n - 2));
        // "Aryan Nations": an organisation's head word that is also a title word ("United
        // Nations Secretary-General") ends a name after a word that is no title.
        let organisation = n >= 2
            && ORGANISATION_WORDS.contains(&name_low(n - 1))
            && !is_title_word(name_low(n - 2))
            && !storyline_text::stopwords::is_stopword(name_low(n - 2));
        let ends_in_title = !surname && !organisation && n > 0 && is_title_word(name_low(n - 1));
        // "The WHO said": an acronym after "the", in a sentence written in lower case, is no
        // function word, whatever it spells (an emphatic "NOT" or "AND" stays one).
        let acronym = |x: usize| {
            let w = name_words[x].2;
            let at = i + k + x;
            w.len() >= 3
                && w.chars().all(|c| c.is_ascii_uppercase())
                && at > 0
                && low(at - 1) == "the"
                && !shouted()
        };
        if ends_in_title
            || (0..n).all(|x| {
                is_title_word(name_low(x))
                    || (storyline_text::stopwords::is_stopword(name_low(x)) && !acronym(x))
            })
        {
            i = j;
            continue;
        }
        let start = name_words[0].0;
        let end = name_words[name_words.len() - 1].1;
        // An abbreviation keeps its final period ("U.N.", "Saphire Inc."): the words were
        // trimmed of it, and "U.N" or "Inc" is not how anyone writes them.
        let last = name_words[name_words.len() - 1].2;
        let end = if sentence[end..].starts_with('.')
            && (is_initialism(last) || ABBREVIATED_SUFFIXES.contains(&lower_letters(last).as_str()))
        {
            end + 1
        } else {
            end
        };
        let mut name = sentence[start..end].to_string();
        for suffix in ["'s", "\u{2019}s"] {
            if let Some(n) = name.strip_suffix(suffix) {
                name = n.to_string();
            }
        }
        // An abbreviated title keeps its period ("Gov."), so that the title and a space
        // end where the name starts.
        let title = (k > 0).then(|| {
            let end = run[k - 1].1;
            let end = if sentence[end..].starts_with('.') {
                end + 1
            } else {
                end
            };
            sentence[run[0].0..end].to_string()
        });
        out.push(Mention {
            span: start..start + name.len(),
            name,
            title,
        });
        i = j;
    }
    out
}

/// Transliteration folding of one name word (see the module documentation). Letters are
/// folded within each run of letters: punctuation inside a word keeps its parts apart, so
/// "Melissa.A" is not "Melissa" with a doubled letter.
pub fn fold(word: &str) -> String {
    let base: String = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        storyline_text::token::latin_letters(&word.to_lowercase())
    };
    // A roman numeral is a number, not a spelling: "Article II" is not "Article I". An
    // acronym is letters, not sounds: "WWII" is not "VI", "AAMA" not "AMA".
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if (word.len() <= 5 && word.chars().all(|c| "IVXLC".contains(c)))
        || (letters <= 4 && word.chars().all(|c| !c.is_lowercase()))
    {
        return base.chars().filter(|c| c.is_alphanumeric()).collect();
    }
    let mut out = String::with_capacity(base.len());
    for (r, run) in base
        .split(|c: char| !c.is_alphanumeric())
        .filter(|r| !r.is_empty())
        .enumerate()
    {
        // Russian Е at the start is written "Ye" or "E" (Yevgeny, Evgeny).
        let mut s = match run.strip_prefix("ye") {
            Some(rest) if r == 0 && rest.starts_with(|c: char| !"aeiouy".contains(c)) => {
                format!("e{rest}")
            }
            _ => run.to_string(),
        };
        for (from, to) in [
            ("ph", "f"),
            ("ck", "k"),
            ("ou", "u"),
            ("oo", "u"),
            ("ee", "i"),
            ("ie", "i"),
            ("ey", "ei"),
            ("ay", "ei"),
            ("ai", "ei"),
            ("dzh", "j"),
            ("zh", "j"),
            ("w", "v"),
        ] {
            // Most words hold none of these: a byte scan of a short word costs no allocation
            // and no searcher set-up, a replace (or `str::contains`) does.
            if s.as_bytes()
                .windows(from.len())
                .any(|w| w == from.as_bytes())
            {
                s = s.replace(from, to);
            }
        }
        // A non-initial y is a vowel i; doubled letters are single.
        let mut folded = String::with_capacity(s.len());
        for (i, c) in s.chars().enumerate() {
            let c = if (r > 0 || i > 0) && c == 'y' { 'i' } else { c };
            if folded.ends_with(c) {
                continue;
            }
            folded.push(c);
        }
        out.push_str(&folded);
    }
    out
}

/// Joins name particles to the following word (`al Hadi`, `al-Hadi` → `alhadi`) and folds
/// every word.
pub fn folded_words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut carry = String::new();
    for w in name.split(|c: char| c.is_whitespace() || c == '-') {
        if w.is_empty() {
            continue;
        }
        let l = lower_letters(w);
        if PARTICLES.contains(&l.as_str()) {
            carry.push_str(&l);
            continue;
        }
        out.push(fold(&format!("{carry}{w}")));
        carry.clear();
    }
    if !carry.is_empty() {
        out.push(carry);
    }
    // A generational suffix is not the surname: "J.T. Battenberg III" is Battenberg.
    if out.len() >= 3
        && matches!(
            out[out.len() - 1].as_str(),
            "jr" | "sr" | "ii" | "iii" | "iv"
        )
    {
        out.pop();
    }
    out
}

/// Do two name words (folded) spell the same word?
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // The cheap tests first: this runs for every pair of names compared.
    if a.chars().next() != b.chars().next() {
        return false;
    }
    // One word extending the other is morphology, not spelling (Russia/Russian, Syria/Syrians).
    if a.starts_with(b) || b.starts_with(a) {
        return false;
    }
    let (na, nb) = (a.chars().count(), b.chars().count());
    let len = na.min(nb);
    if len < 5 || na.abs_diff(nb) > 1 {
        return false;
    }
    // A letter added or dropped in the last two is an ending, not a spelling (Americans,
    // Americas); a letter changed there is a spelling (Gonzalez, Gonzales).
    let prefix = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let ending = na != nb && prefix + 2 >= len;
    // A final vowel against a final s is a demonym or a plural (Germany, Germans), not a
    // spelling; a consonant against an s is (Gonzalez, Gonzales).
    let (la, lb) = (a.chars().last(), b.chars().last());
    let demonym = na == nb
        && prefix + 1 == len
        && matches!((la, lb), (Some('s'), Some(v)) | (Some(v), Some('s')) if "aeiou".contains(v));
    if ending || demonym {
        return false;
    }
    // Six letters at least; or two letters swapped, a typing slip even in a short name
    // ("Koble" for Kolbe).
    (len >= 6 || (a.len() == b.len() && swapped_letters(a, b)))
        && strsim::damerau_levenshtein(a, b) <= 1
        && slip_letters(a, b)
}

/// Two words of equal length that differ in one letter: is that letter a slip of the pen or
/// of the ear (a vowel for a vowel before the ending, "Hussein"/"Hussain"; keys side by
/// side, "Lindzeb"; a voiced consonant for its unvoiced one, "Atlanda"; c for s, k or q,
/// "Equador")? Other letters make other words: "Schuber" and "Schumer", "Basayev" and
/// "Barayev" are two people. Words of other lengths or with letters swapped pass.
fn slip_letters(a: &str, b: &str) -> bool {
    if a.len() != b.len() || !a.is_ascii() || !b.is_ascii() {
        return true;
    }
    let mut differ = a
        .bytes()
        .zip(b.bytes())
        .enumerate()
        .filter(|(_, (x, y))| x != y);
    let (Some((at, (x, y))), None) = (differ.next(), differ.next()) else {
        return true;
    };
    const VOWELS: &[u8] = b"aeiouy";
    // A vowel changed in the last two letters is another ending: "Argentina" and
    // "Argentine", "Klansman" and "Klansmen", "France" and "Franco"; but "-sen" and "-son"
    // are one surname spelt two ways ("Iversen", "Iverson").
    let son = matches!((x, y), (b'e', b'o') | (b'o', b'e')) && a.ends_with('n');
    if at + 2 >= a.len() && VOWELS.contains(&x) && VOWELS.contains(&y) && !son {
        return false;
    }
    const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];
    let neighbours = ROWS.iter().any(|row| {
        row.windows(2)
            .any(|w| (w[0], w[1]) == (x, y) || (w[1], w[0]) == (x, y))
    });
    let sounds = [
        (b'd', b't'),
        (b'b', b'p'),
        (b'g', b'k'),
        (b's', b'z'),
        (b'f', b'v'),
        (b'c', b'k'),
        (b'c', b's'),
        (b'c', b'q'),
        (b'm', b'n'),
    ]
    .iter()
    .any(|&(p, q)| (p, q) == (x, y) || (q, p) == (x, y));
    (VOWELS.contains(&x) && VOWELS.contains(&y)) || neighbours || sounds
}

/// Do two words differ only by two adjacent letters swapped ("kolbe", "koble")?
fn swapped_letters(a: &str, b: &str) -> bool {
    let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    ca.len() == cb.len()
        && (1..ca.len()).any(|k| {
            ca[k - 1] == cb[k]
                && ca[k] == cb[k - 1]
                && ca[k] != cb[k]
                && ca[..k - 1] == cb[..k - 1]
                && ca[k + 1..] == cb[k + 1..]
        })
}

/// Inside a longer name whose other words agree: two words that are one word misspelt by
/// swapping two letters ("hanfrod", "hanford"), or one the other with a letter or two more that
/// are no ending of their own: a spelling ("arnett", "arnette"; "ahronot", "ahronoth"), a
/// word cut short ("internation"), and inside the name a plural or a verb's ending
/// ("olympics", "bombing"). Not a demonym ("yorker", "korean", "germany"), a compound
/// ("southeast", "courthouse") or a letter changed ("henan", "hunan"; "wabc", "wnbc"):
/// those name other things. `edge`: the word opens or ends the name.
fn near_word(a: &str, b: &str, edge: bool) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.chars().count() < 4 {
        return false;
    }
    if let Some(rest) = long.strip_prefix(short) {
        // Two given names are two names ("Carolyn", folded "carolin", and "Caroline").
        let given = storyline_text::given_names::gender_of(short).is_some()
            || storyline_text::given_names::gender_of(long).is_some();
        return if edge {
            !given && matches!(rest, "e" | "h" | "u" | "al")
        } else {
            matches!(rest, "e" | "h" | "u" | "al" | "s" | "es" | "ing" | "ed")
        };
    }
    a.chars().next() == b.chars().next() && swapped_letters(a, b)
}

/// Joins every two spellings of one block that `same` says are one name.
fn join_within(
    blocks: &FxHashMap<String, Vec<usize>>,
    groups: &mut Groups,
    same: impl Fn(usize, usize) -> bool,
) {
    for members in blocks.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if same(i, j) {
                    groups.join(i, j);
                }
            }
        }
    }
}

/// One-word names that fold to words a letter apart must be a letter apart as written too:
/// folding "Seattle" to "seatle" makes it look like "Searle", and "Tennessee" like "Teresi".
/// (Spellings that fold to the same word are transliterations and pass.)
fn one_slip(a: &str, b: &str, fa: &[String], fb: &[String]) -> bool {
    fa.len() != 1
        || fa == fb
        || strsim::damerau_levenshtein(&a.to_lowercase(), &b.to_lowercase()) <= 1
}

/// For each one-word spelling, the one person's name that ends with it as written ("Jim
/// Kolbe" for "Kolbe"), if exactly one does. A person's name here is two to four words of
/// letters opening with a known given name: "Israeli Energy Ministry" is no fuller
/// "Ministry", and "French-speaking Quebecker" no fuller "Quebecker". And it is written by
/// at least half the outlets that write the word alone, as a person is named in full once
/// in each article: "Viva Venezuela" in one article is not what "Venezuela" stands for.
fn fullest_forms(order: &[String], outlets: &FxHashMap<String, Vec<String>>) -> Vec<Option<usize>> {
    let mut by_last: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (j, name) in order.iter().enumerate() {
        let ws: Vec<&str> = name.split_whitespace().collect();
        let person = (2..=4).contains(&ws.len())
            && ws.iter().all(|w| {
                w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '\u{2019}'))
            })
            && storyline_text::given_names::gender_of(ws[0]).is_some();
        if person && let Some(last) = ws.last() {
            by_last.entry(last).or_default().push(j);
        }
    }
    order
        .iter()
        .map(|name| match by_last.get(name.as_str()).map(Vec::as_slice) {
            Some(&[j])
                if !name.contains(char::is_whitespace)
                    && 2 * outlets[&order[j]].len() >= outlets[name].len() =>
            {
                Some(j)
            }
            _ => None,
        })
        .collect()
}

/// A name's generational suffix ("Jr.", "Sr", "III"), lowercased: "Irving Powless Jr." and
/// "Irving Powless Sr." are father and son, and "Edward M. Kennedy Jr." is not his father
/// either, so names whose suffixes differ are never variants of one another.
fn generation(name: &str) -> Option<String> {
    let ws: Vec<&str> = name.split_whitespace().collect();
    let last = lower_letters(ws.last()?);
    (ws.len() >= 2 && matches!(last.as_str(), "jr" | "sr" | "ii" | "iii" | "iv")).then_some(last)
}

/// Two names of several words, as written (lowercased), the same but for two adjacent letters
/// swapped in one word of four letters or more ("ayran nations", "aryan nations").
fn slip_in_one_word(a: &[String], b: &[String]) -> bool {
    if a.len() != b.len() || a.len() < 2 {
        return false;
    }
    let mut differ = a.iter().zip(b).filter(|(x, y)| x != y);
    matches!((differ.next(), differ.next()), (Some((x, y)), None)
        if x.chars().count() >= 4 && swapped_letters(x, y))
}

/// Are two names spellings of one name? (Equal spellings are too.)
pub fn same_name(a: &str, b: &str) -> bool {
    same_folded(&folded_words(a), &folded_words(b))
}

/// [`same_name`] on names already folded with [`folded_words`] (fold once, compare often).
pub fn same_folded(fa: &[String], fb: &[String]) -> bool {
    if fa.is_empty() || fa.len() != fb.len() {
        return false;
    }
    // Several words, all the same but one: that one may be a shorter word misspelt ("Ayran
    // Nations"), cut short ("Amnesty Internation") or given another ending ("International
    // Olympics Committee", "Southeast Bombing Task Force").
    // (Counted without allocating: this runs for every pair of names compared.)
    if fa.len() >= 2 {
        let mut differ = fa.iter().zip(fb).enumerate().filter(|(_, (x, y))| x != y);
        if let (Some((k, (x, y))), None) = (differ.next(), differ.next())
            && near_word(x, y, k == 0 || k + 1 == fa.len())
        {
            return true;
        }
    }
    if !fa.iter().zip(fb).all(|(x, y)| same_word(x, y)) {
        return false;
    }
    // Several words: one must be identical (guards against two near-miss words at once).
    fa.len() == 1 || fa.iter().zip(fb).any(|(x, y)| x == y)
}

/// One entity's spellings across the outlets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameVariants {
    /// The spelling used by the most outlets (ties: the first seen).
    pub canonical: String,
    /// Every spelling and the outlets that use it, canonical first.
    pub variants: Vec<Variant>,
}

/// One spelling of a name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// The spelling as written.
    pub spelling: String,
    /// Outlets writing it so.
    pub outlets: Vec<String>,
}

/// Groups spellings of the same names; returns only names written in two or more ways.
/// `spellings` are (name as written, outlet) pairs in reading order.
pub fn variants(spellings: &[(String, String)]) -> Vec<NameVariants> {
    // Distinct spellings in first-seen order, with their outlets.
    let mut order: Vec<String> = Vec::new();
    let mut outlets: FxHashMap<String, Vec<String>> = FxHashMap::default();
    // Spellings that differ only in case ("CALDERA INC", a headline's capitals) are one
    // spelling: the first seen stands for them. Punctuation is spelling ("U.N." and "UN",
    // "Saphire, Inc." and "Saphire Inc.", "Christ-Christian" and "Christ Christian"), as
    // the annotation guide has it.
    let mut written: FxHashMap<String, String> = FxHashMap::default();
    // How often each spelling is written: a slip is written once, the name again and again.
    let mut times: FxHashMap<String, usize> = FxHashMap::default();
    for (name, outlet) in spellings {
        let key: String = name.chars().flat_map(char::to_lowercase).collect();
        // A month is a date, not a name ("July" is not "Julie"); a single letter is no
        // name; brackets and doubled quote marks are a page's leftovers ("EU)", "R)epeal").
        if crate::date::MONTHS.contains(&key.as_str())
            || name.chars().filter(|c| c.is_alphanumeric()).count() < 2
            || name.contains(['(', ')', '[', ']', '`', '"'])
            || name.contains("''")
        {
            continue;
        }
        // A possessive is grammar, not spelling: "New Mexico's Board" is "New Mexico Board".
        let key = key.replace("'s ", " ").replace("\u{2019}s ", " ");
        let name = written.entry(key).or_insert_with(|| name.clone());
        let e = outlets.entry(name.clone()).or_insert_with(|| {
            order.push(name.clone());
            Vec::new()
        });
        if !e.contains(outlet) {
            e.push(outlet.clone());
        }
        *times.entry(name.clone()).or_default() += 1;
    }
    // Union spellings that are the same name (single-link over the few distinct spellings).
    let mut groups = Groups::new(order.len());
    // Fold once; only spellings with the same number of words and the same first letter of
    // each word can match (see `same_word`), so compare within those blocks.
    let folded: Vec<Vec<String>> = order.iter().map(|o| folded_words(o)).collect();
    let mut blocks: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, f) in folded.iter().enumerate() {
        let key: String = f.iter().filter_map(|w| w.chars().next()).collect();
        blocks.entry(key).or_default().push(i);
    }
    // An initialism is the same letters without periods only in capitals ("U.N." and "UN",
    // not "M.D." and "Md", "W.E.B." and "Web").
    let undotted = |a: &str, b: &str| {
        let (dotted, plain) = if a.contains('.') { (a, b) } else { (b, a) };
        !dotted.contains('.')
            || plain.contains('.')
            || plain.split_whitespace().count() > 1
            || plain.chars().all(|c| !c.is_lowercase())
    };
    join_within(&blocks, &mut groups, |i, j| {
        same_folded(&folded[i], &folded[j])
            && undotted(&order[i], &order[j])
            && generation(&order[i]) == generation(&order[j])
            && one_slip(&order[i], &order[j], &folded[i], &folded[j])
    });
    // Folding can hide a typing slip: "Ayran" folds to "eiran", "Aryan" to "arian". Two
    // letters swapped in one word of a longer name are compared as written.
    let plain: Vec<Vec<String>> = order
        .iter()
        .map(|o| {
            o.split(|c: char| c.is_whitespace() || c == '-')
                .map(lower_letters)
                .filter(|w| !w.is_empty())
                .collect()
        })
        .collect();
    let mut blocks: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for (i, p) in plain.iter().enumerate() {
        if p.len() >= 2 {
            let key: String = p.iter().filter_map(|w| w.chars().next()).collect();
            blocks.entry(key).or_default().push(i);
        }
    }
    join_within(&blocks, &mut groups, |i, j| {
        slip_in_one_word(&plain[i], &plain[j])
    });
    // Each spelling is shown in the fullest form written with it: a surname alone ("Kolbe")
    // as the one full name that ends with it ("Jim Kolbe"), when there is one. The full
    // name's own group, if it has one, is the same person's.
    let fullest = fullest_forms(&order, &outlets);
    let mut in_group = vec![false; order.len()];
    for g in groups.members() {
        if g.len() > 1 {
            g.iter().for_each(|&i| in_group[i] = true);
        }
    }
    for (i, full) in fullest.iter().enumerate() {
        if let Some(j) = *full
            && in_group[i]
        {
            groups.join(i, j);
        }
    }
    let shown = |i: usize| fullest[i].filter(|_| in_group[i]).unwrap_or(i);
    for i in 0..order.len() {
        if shown(i) != i {
            let n = times[&order[i]];
            *times.entry(order[shown(i)].clone()).or_default() += n;
        }
    }
    let mut out: Vec<NameVariants> = groups
        .members()
        .into_iter()
        .filter_map(|g| {
            // One variant per spelling shown, with the outlets of every spelling it shows.
            let mut vs: Vec<Variant> = Vec::new();
            for &i in &g {
                let spelling = &order[shown(i)];
                let k = match vs.iter().position(|v| &v.spelling == spelling) {
                    Some(k) => k,
                    None => {
                        vs.push(Variant {
                            spelling: spelling.clone(),
                            outlets: Vec::new(),
                        });
                        vs.len() - 1
                    }
                };
                for o in &outlets[&order[i]] {
                    if !vs[k].outlets.contains(o) {
                        vs[k].outlets.push(o.clone());
                    }
                }
            }
            (vs.len() > 1).then_some(vs)
        })
        .map(|mut vs| {
            // Canonical: most outlets, then most often written, then first seen.
            let best = (0..vs.len())
                .max_by(|&a, &b| {
                    vs[a]
                        .outlets
                        .len()
                        .cmp(&vs[b].outlets.len())
                        .then(times[&vs[a].spelling].cmp(&times[&vs[b].spelling]))
                        .then(b.cmp(&a))
                })
                .unwrap_or(0);
            vs.swap(0, best);
            NameVariants {
                canonical: vs[0].spelling.clone(),
                variants: vs,
            }
        })
        .collect();
    out.sort_by(|a, b| a.canonical.cmp(&b.canonical));
    out
}

/// "dan mcgrath" → "Dan Mcgrath", "NEW YORK" → "New York" (the best guess at a name's
/// capitals where a text has none or only capitals).
pub(crate) fn title_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name as written by an outlet, as `variants` takes it.
    fn spelt(name: &str, outlet: &str) -> (String, String) {
        (name.to_string(), outlet.to_string())
    }

    #[test]
    fn a_preposition_or_adverb_opening_the_sentence_is_no_part_of_the_name_after_it() {
        let ms = mentions("Like Klein, Blumenthal said he would not rule out any remedy.");
        assert_eq!(ms[0].name, "Klein");
        let ms = mentions("Despite Ahmed Rashid's protest, Meanwhile Inc. filed.");
        assert_eq!(ms[0].name, "Ahmed Rashid");
        let ms = mentions("Meanwhile Moscow said it would reply.");
        assert_eq!(ms[0].name, "Moscow");
    }

    #[test]
    fn an_acronym_after_the_is_a_name_though_it_spells_a_function_word() {
        let names = |s: &str| mentions(s).into_iter().map(|m| m.name).collect::<Vec<_>>();
        assert_eq!(
            names("In a statement, the WHO said the plan would start."),
            ["WHO"]
        );
        // Emphasis is no name; nor is a word of a shouted headline.
        assert!(
            names("The talks are NOT over, Volkov said.")
                .iter()
                .all(|n| n != "NOT")
        );
        assert!(
            names("THE WHO AND THE UN MEET TODAY")
                .iter()
                .all(|n| n != "WHO")
        );
    }

    #[test]
    fn a_speech_verb_opening_the_sentence_is_no_part_of_the_name_after_it() {
        let ms = mentions("Added Woody Enderson, the head of the task force: the search goes on.");
        assert_eq!(ms[0].name, "Woody Enderson");
    }

    #[test]
    fn one_word_of_a_longer_name_may_be_misspelt_cut_short_or_given_an_ending() {
        assert!(same_name(
            "Hanfrod Nuclear Reservation",
            "Hanford Nuclear Reservation"
        ));
        assert!(same_name("Amnesty Internation", "Amnesty International"));
        assert!(same_name("Koble", "Kolbe"));
        assert!(!same_name("Kolbe", "Kolby"));
        assert!(same_name(
            "International Olympics Committee",
            "International Olympic Committee"
        ));
        assert!(same_name(
            "Southeast Bombing Task Force",
            "Southeast Bomb Task Force"
        ));
        assert!(same_name("June Arnette", "June Arnett"));
        // Other places, other things, other people.
        assert!(!same_name("Henan Province", "Hunan Province"));
        assert!(!same_name("New York", "New Yorker"));
        assert!(!same_name("South London", "Southeast London"));
        assert!(!same_name(
            "Albany County Court",
            "Albany County Courthouse"
        ));
        assert!(!same_name("Boy Scouts", "Boy Scout"));
        assert!(!same_name("Carolyn Kennedy", "Caroline Kennedy"));
    }

    fn names(s: &str) -> Vec<(String, Option<String>)> {
        mentions(s).into_iter().map(|m| (m.name, m.title)).collect()
    }

    #[test]
    fn a_titles_to_and_its_place_are_part_of_the_title() {
        assert_eq!(
            names("Egyptian Ambassador to Israel Mohammed Bassiouny met him."),
            [(
                "Mohammed Bassiouny".to_string(),
                Some("Egyptian Ambassador to Israel".to_string())
            )]
        );
    }

    #[test]
    fn organisations_are_told_by_their_head_word_or_an_acronym() {
        assert!(is_organisation("Amnesty International"));
        assert!(is_organisation("Charleston City Council"));
        assert!(is_organisation("NATO"));
        assert!(!is_organisation("Pierre Sane"));
        assert!(!is_organisation("Lee"));
        assert!(!is_organisation("Pierre SANE"));
    }

    #[test]
    fn an_organisation_ending_in_nations_is_a_name() {
        // "Nations" is a title word for "United Nations Secretary-General ...", but after
        // a word that is no title it ends an organisation's name.
        assert_eq!(
            names("Lawyers for the Ayran Nations rested."),
            [
                ("Lawyers".to_string(), None),
                ("Ayran Nations".to_string(), None)
            ]
        );
    }

    #[test]
    fn a_weekday_does_not_join_the_name_after_it() {
        let found = names("Officials said on Tuesday Moscow had sent more troops.");
        assert!(found.contains(&("Moscow".to_string(), None)), "{found:?}");
        assert!(
            !found.iter().any(|(n, _)| n.contains("Tuesday")),
            "{found:?}"
        );
    }

    #[test]
    fn titles_are_split_from_names() {
        assert_eq!(
            names(
                "Foreign Minister Sergey Volkov met Secretary of State Dana Whitfield in Moscow."
            ),
            [
                (
                    "Sergey Volkov".to_string(),
                    Some("Foreign Minister".to_string())
                ),
                (
                    "Dana Whitfield".to_string(),
                    Some("Secretary of State".to_string())
                ),
                ("Moscow".to_string(), None),
            ]
        );
        assert_eq!(
            names("Italy's Foreign Minister Paolo Benedetti said so."),
            [(
                "Paolo Benedetti".to_string(),
                Some("Italy's Foreign Minister".to_string())
            )]
        );
        assert_eq!(
            names("The talks with Karim al-Hadi and Osama bin Laden ended."),
            [
                ("Karim al-Hadi".to_string(), None),
                ("Osama bin Laden".to_string(), None)
            ]
        );
        assert!(names("The President said nothing.").is_empty());
        assert_eq!(
            names("said Arthur E. Levine, president of the college."),
            [("Arthur E. Levine".to_string(), None)]
        );
        assert!(names("One high school player said so.").is_empty());
        assert_eq!(
            names("Republican John Cornyn said so, as did London-based Amnesty International."),
            [
                ("John Cornyn".to_string(), Some("Republican".to_string())),
                (
                    "Amnesty International".to_string(),
                    Some("London-based".to_string())
                )
            ]
        );
    }

    #[test]
    fn transliterations_and_misspellings_are_the_same_name() {
        assert!(same_name("Beit Shaykhum", "Beit Sheikhoum"));
        assert!(same_name("Beit Sheikhum", "Beit Sheikhoum"));
        assert!(same_name("Sergey Volkov", "Sergei Volkov"));
        assert!(same_name("Vladmir Orlov", "Vladimir Orlov"));
        assert!(same_name("Yevgeny Sokolov", "Evgeny Sokolov"));
        assert!(same_name("Karim al-Hadi", "Karim al Hadi"));
        assert!(
            same_name("Jóhann Sigurðsson", "Johann Sigurdsson") || same_name("Jóhann", "Johann")
        );
        assert!(!same_name("Orlov", "Orton"));
        assert!(!same_name("Mark Smith", "Marco Smyth"));
        assert!(!same_name("Volkov", "Sergey Volkov"));
        assert!(!same_name("Russia", "Russian"));
        assert!(!same_name("American", "Americans"));
        assert!(!same_name("Americans", "Americas"));
        assert!(same_name("Elian Gonzalez", "Elian Gonzales"));
        assert!(!same_name("East Germany", "East Germans"));
        assert!(!same_name("Article III", "Article II"));
        assert!(!same_name("Melissa", "Melissa.A"));
        assert!(same_name("U.N.", "UN"));
    }

    #[test]
    fn contractions_are_not_names() {
        assert!(names("They're back, and They've won.").is_empty());
        assert_eq!(names("O'Neill spoke."), [("O'Neill".to_string(), None)]);
    }

    #[test]
    fn case_is_not_a_variant_and_punctuation_is() {
        // Case alone (a headline's capitals) is one spelling.
        let v = variants(&[spelt("Caldera Inc.", "A"), spelt("CALDERA INC.", "C")]);
        assert!(v.is_empty(), "{v:?}");
        // Abbreviation punctuation and hyphens are spellings (the annotation guide).
        let v = variants(&[
            spelt("Saphire, Inc.", "A"),
            spelt("Saphire Inc.", "B"),
            spelt("U.N.", "A"),
            spelt("UN", "B"),
        ]);
        assert_eq!(v.len(), 2, "{v:?}");
        // But not an initialism against a word ("M.D." and "Md", "W.E.B." and "Web"), a
        // possessive, a month, a single letter or a page's leftover bracket.
        let v = variants(&[
            spelt("M.D.", "A"),
            spelt("Md", "B"),
            spelt("New Mexico's Board", "A"),
            spelt("New Mexico Board", "B"),
            spelt("Julie", "A"),
            spelt("July", "B"),
            spelt("V", "A"),
            spelt("W", "B"),
            spelt("EU", "A"),
            spelt("EU)", "B"),
        ]);
        assert!(v.is_empty(), "{v:?}");
    }

    #[test]
    fn an_abbreviation_keeps_its_period_and_a_company_its_legal_form() {
        let n = |t: &str| mentions(t).into_iter().map(|m| m.name).collect::<Vec<_>>();
        assert_eq!(n("He spoke at the U.N."), ["U.N."]);
        assert_eq!(n("He sold Saphire, Inc. shares."), ["Saphire, Inc."]);
        assert_eq!(n("He flew to Seattle."), ["Seattle"]);
        assert_eq!(n("He ran Amazon.com."), ["Amazon.com"]);
        assert_eq!(
            n("He joined the Church of Jesus Christ-Christian in 1990."),
            ["Church of Jesus Christ-Christian"]
        );
        assert_eq!(n("He said the Bank of England erred."), ["Bank of England"]);
    }

    #[test]
    fn fathers_and_sons_and_other_words_are_not_variants() {
        let pairs = [
            ("Irving Powless Jr.", "Irving Powless Sr."),
            ("Edward M. Kennedy", "Edward M. Kennedy Jr."),
            ("Isuzu Trooper", "Isuzu Trooper II"),
            ("Schuber", "Schumer"),
            ("Basayev", "Barayev"),
            ("Searle", "Seattle"),
            ("Argentina", "Argentine"),
            ("Klansman", "Klansmen"),
            ("WWII", "VI"),
            ("AAMA", "AMA"),
        ];
        for (a, b) in pairs {
            let v = variants(&[spelt(a, "A"), spelt(b, "B")]);
            assert!(v.is_empty(), "{a} / {b}: {v:?}");
        }
        // Slips of the pen stay variants.
        for (a, b) in [
            ("Lindzen", "Lindzeb"),
            ("Atlanta", "Atlanda"),
            ("Ecuador", "Equador"),
            ("Munir Hussein", "Munir Hussain"),
            ("Portia Iversen", "Portia Iverson"),
            ("Aryan Nations", "Ayran Nations"),
        ] {
            let v = variants(&[spelt(a, "A"), spelt(b, "B")]);
            assert_eq!(v.len(), 1, "{a} / {b}");
        }
    }

    #[test]
    fn a_surname_is_shown_as_the_full_name_written_with_it() {
        let v = variants(&[
            spelt("Jim Kolbe", "A"),
            spelt("Kolbe", "A"),
            spelt("Kolbe", "A"),
            spelt("Koble", "B"),
        ]);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].canonical, "Jim Kolbe");
        let shown: Vec<&str> = v[0].variants.iter().map(|x| x.spelling.as_str()).collect();
        assert_eq!(shown, ["Jim Kolbe", "Koble"]);
        // Not a place's name with a word before it that could be a given name.
        let v = variants(&[
            spelt("Venezuela", "A"),
            spelt("Venezuela", "B"),
            spelt("Venezuela", "C"),
            spelt("Viva Venezuela", "C"),
            spelt("Venzuela", "D"),
        ]);
        assert_eq!(v[0].canonical, "Venezuela", "{v:?}");
    }

    #[test]
    fn variants_are_grouped_with_their_outlets() {
        let v = variants(&[
            spelt("Beit Shaykhum", "A"),
            spelt("Beit Sheikhum", "B"),
            spelt("Beit Sheikhoum", "C"),
            spelt("Beit Sheikhum", "D"),
            spelt("Moscow", "A"),
            spelt("Moscow", "B"),
        ]);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].canonical, "Beit Sheikhum");
        assert_eq!(v[0].variants.len(), 3);
        assert_eq!(v[0].variants[0].outlets, ["B", "D"]);
    }
}
