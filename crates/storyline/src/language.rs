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

/// Is `text` confidently in a language other than English? Short or mixed texts are given
/// the benefit of the doubt.
pub fn clearly_not_english(text: &str) -> Option<Detected> {
    if text.split_whitespace().nth(7).is_none() || plainly_english(text) {
        return None;
    }
    detect(text).filter(|d| d.reliable && !d.is_english())
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
            "Der Stadtrat hat am Montag beschlossen, den Hafen nach einem langen Streik der Hafenarbeiter wieder zu öffnen.",
        );
        assert_eq!(de.map(|d| d.code), Some("deu"));
        let fr = clearly_not_english(
            "Le conseil municipal a voté lundi la réouverture du port après une longue grève des dockers, et les navires attendent.",
        );
        assert_eq!(fr.map(|d| d.code), Some("fra"));
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
