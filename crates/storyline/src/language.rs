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
    detect(text).filter(|d| d.reliable && !d.is_english() && text.split_whitespace().count() >= 8)
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
    }
}
