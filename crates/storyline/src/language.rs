//! Which language an article is written in.
//!
//! Storyline's stemming and stopwords are English; an article in another language is
//! reported and, by default, left out rather than summarized badly. Detection uses
//! `whatlang` (trigram profiles, microseconds per article, no model files).

/// A detected language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detected {
    /// ISO 639-3 code (`eng`, `deu`, `jpn`).
    pub code: &'static str,
    /// English name.
    pub name: &'static str,
    /// whatlang's confidence, 0..1.
    pub confidence: f64,
    /// whatlang judges the guess reliable.
    pub reliable: bool,
}

impl Detected {
    /// Is it English?
    pub fn is_english(&self) -> bool {
        self.code == "eng"
    }
}

/// Detects the language of `text` from its first few thousand characters.
pub fn detect(text: &str) -> Option<Detected> {
    let head = &text[..text.floor_char_boundary(4000)];
    let info = whatlang::detect(head)?;
    Some(Detected {
        code: info.lang().code(),
        name: info.lang().eng_name(),
        confidence: info.confidence(),
        reliable: info.is_reliable(),
    })
}

/// Fewer words than this in Latin script are too few for letter trigrams to tell English
/// from French or Romanian: on a month of an English news aggregator's headlines (8 to 20
/// words, Title Case), whatlang called 120 of 100,926 "reliably" French, Catalan, Tagalog...,
/// and every one was English.
const LATIN_WORDS_TO_JUDGE: usize = 20;

/// Is `text` confidently in a language other than English? Short or mixed texts are given
/// the benefit of the doubt: under [`LATIN_WORDS_TO_JUDGE`] words, only a text in another
/// script (Cyrillic, Han, Arabic...) is judged.
pub fn clearly_not_english(text: &str) -> Option<Detected> {
    if text.split_whitespace().nth(7).is_none() || plainly_english(text) {
        return None;
    }
    let short = text
        .split_whitespace()
        .nth(LATIN_WORDS_TO_JUDGE - 1)
        .is_none();
    if short {
        // Most of its letters in a script English is not written in settle it.
        if text.is_ascii() || whatlang::detect_script(text) == Some(whatlang::Script::Latin) {
            return None;
        }
        return detect(text).filter(|d| !d.is_english());
    }
    detect(text).filter(|d| d.reliable && !d.is_english())
}

/// Is `text` too short for its letters to tell its language: under
/// [`LATIN_WORDS_TO_JUDGE`] words in Latin script? Then a declared language (a feed's, a
/// page's) is the better witness.
pub fn too_short_to_judge(text: &str) -> bool {
    text.split_whitespace()
        .nth(LATIN_WORDS_TO_JUDGE - 1)
        .is_none()
        && (text.is_ascii() || whatlang::detect_script(text) == Some(whatlang::Script::Latin))
}

/// English function words that are not words of the other languages whatlang knows in Latin
/// script ("was", "will" and "for" are German or Scandinavian words too).
const ENGLISH_MARKERS: &[&str] = &[
    "the", "and", "with", "that", "from", "this", "have", "were", "said", "which", "been",
];

/// Three distinct English function words among the first 60 words: English, without asking
/// the trigram model (which costs tens of microseconds an article, most of a headline
/// stream's ingest). Only a yes: anything else goes to the model.
fn plainly_english(text: &str) -> bool {
    let mut seen = 0u16;
    for w in text.split_whitespace().take(60) {
        let w = w.trim_matches(|c: char| !c.is_alphabetic());
        if w.len() > 5 || !w.is_ascii() {
            continue;
        }
        let lower = w.to_ascii_lowercase();
        if let Some(k) = ENGLISH_MARKERS.iter().position(|m| *m == lower) {
            seen |= 1 << k;
            if seen.count_ones() >= 3 {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_english_from_other_languages() {
        assert!(clearly_not_english("The council voted on Monday to reopen the harbor after a long strike by dock workers.").is_none());
        let de = clearly_not_english(
            "Der Stadtrat hat am Montag beschlossen, den Hafen nach einem langen Streik der Hafenarbeiter wieder zu öffnen. Die Schiffe warten seit Tagen vor der Einfahrt.",
        );
        assert_eq!(de.map(|d| d.code), Some("deu"));
        let fr = clearly_not_english(
            "Le conseil municipal a voté lundi la réouverture du port après une longue grève des dockers, et les navires attendent depuis des jours devant l'entrée.",
        );
        assert_eq!(fr.map(|d| d.code), Some("fra"));
    }

    #[test]
    fn a_short_latin_text_gets_the_benefit_of_the_doubt_and_another_script_does_not() {
        // Headlines whatlang reads as French or Tagalog.
        for headline in [
            "Climate Change Could Affect Our Nutrition Due to Carbon Dioxide Concentrations",
            "Making NASA a Political Pawn Is No Way to Win at Space",
            "Le conseil municipal a voté lundi la réouverture du port",
        ] {
            assert!(clearly_not_english(headline).is_none(), "{headline}");
        }
        let ru = clearly_not_english(
            "Городской совет в понедельник проголосовал за открытие порта после долгой забастовки докеров",
        );
        assert_eq!(ru.map(|d| d.code), Some("rus"));
    }

    #[test]
    fn english_function_words_settle_it_without_the_model() {
        assert!(plainly_english(
            "The council said on Monday that the harbor would reopen with the tide."
        ));
        assert!(!plainly_english(
            "Der Rat sagte am Montag, dass der Hafen wieder öffnen wird, was alle freut."
        ));
        assert!(!plainly_english(
            "Le conseil a dit que le port rouvrira avec la marée."
        ));
    }
}
