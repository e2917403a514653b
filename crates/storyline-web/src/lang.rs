//! Which languages to keep, and language codes.
//!
//! Detection is `storyline::language` (whatlang), which names languages by ISO 639-3 code;
//! users and HTML speak ISO 639-1 (`en`, `de`). Both are accepted everywhere.

use std::collections::BTreeSet;

/// ISO 639-1 → 639-3 for the languages whatlang detects.
const CODES: &[(&str, &str)] = &[
    ("af", "afr"),
    ("ak", "aka"),
    ("am", "amh"),
    ("ar", "arb"),
    ("az", "aze"),
    ("be", "bel"),
    ("bg", "bul"),
    ("bn", "ben"),
    ("ca", "cat"),
    ("cs", "ces"),
    ("cy", "cym"),
    ("da", "dan"),
    ("de", "deu"),
    ("el", "ell"),
    ("en", "eng"),
    ("eo", "epo"),
    ("es", "spa"),
    ("et", "est"),
    ("fa", "pes"),
    ("fi", "fin"),
    ("fr", "fra"),
    ("gu", "guj"),
    ("he", "heb"),
    ("hi", "hin"),
    ("hr", "hrv"),
    ("hu", "hun"),
    ("hy", "hye"),
    ("id", "ind"),
    ("it", "ita"),
    ("ja", "jpn"),
    ("jv", "jav"),
    ("ka", "kat"),
    ("km", "khm"),
    ("kn", "kan"),
    ("ko", "kor"),
    ("la", "lat"),
    ("lt", "lit"),
    ("lv", "lav"),
    ("mk", "mkd"),
    ("ml", "mal"),
    ("mr", "mar"),
    ("my", "mya"),
    ("ne", "nep"),
    ("nl", "nld"),
    ("nb", "nob"),
    ("no", "nob"),
    ("or", "ori"),
    ("pa", "pan"),
    ("pl", "pol"),
    ("pt", "por"),
    ("ro", "ron"),
    ("ru", "rus"),
    ("si", "sin"),
    ("sk", "slk"),
    ("sl", "slv"),
    ("sn", "sna"),
    ("sr", "srp"),
    ("sv", "swe"),
    ("ta", "tam"),
    ("te", "tel"),
    ("th", "tha"),
    ("tk", "tuk"),
    ("tl", "tgl"),
    ("tr", "tur"),
    ("uk", "ukr"),
    ("ur", "urd"),
    ("uz", "uzb"),
    ("vi", "vie"),
    ("yi", "yid"),
    ("zh", "cmn"),
    ("zu", "zul"),
];

/// The ISO 639-3 code for a 639-1 or 639-3 code (`"en"` → `"eng"`), lowercased; `None` for
/// codes this table does not know. A region suffix is ignored (`en-GB`).
pub fn to_639_3(code: &str) -> Option<String> {
    let c = code.trim().to_ascii_lowercase();
    let c = c.split(['-', '_']).next().unwrap_or("");
    match c.len() {
        2 => CODES
            .iter()
            .find(|(a, _)| *a == c)
            .map(|(_, b)| b.to_string()),
        3 if c.bytes().all(|b| b.is_ascii_lowercase()) => Some(c.to_string()),
        _ => None,
    }
}

/// The ISO 639-1 code of a 639-3 code when it has one, else the 639-3 code itself.
pub fn short_code(code3: &str) -> String {
    CODES
        .iter()
        .find(|(_, b)| *b == code3)
        .map_or_else(|| code3.to_string(), |(a, _)| a.to_string())
}

/// Which languages to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LangFilter {
    /// Every page, whatever its language.
    Any,
    /// Only these (ISO 639-3 codes). A page whose language cannot be told reliably is kept
    /// when its declared language (`<html lang>`) is one of them or undeclared.
    Only(BTreeSet<String>),
}

impl Default for LangFilter {
    fn default() -> Self {
        LangFilter::english()
    }
}

impl LangFilter {
    /// English only.
    pub fn english() -> Self {
        LangFilter::Only(BTreeSet::from(["eng".to_string()]))
    }

    /// Parses `any`, or a comma-separated list of 639-1/639-3 codes (`en,de`, `eng`).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("any") || spec == "*" {
            return Ok(LangFilter::Any);
        }
        let mut set = BTreeSet::new();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            set.insert(to_639_3(part).ok_or_else(|| format!("unknown language code {part:?}"))?);
        }
        if set.is_empty() {
            return Err("no language given".into());
        }
        Ok(LangFilter::Only(set))
    }

    /// Does a page in `detected` (639-3, reliable or not) with declared `<html lang>` pass?
    pub fn keeps(&self, detected: Option<(&str, bool)>, declared: Option<&str>) -> bool {
        let LangFilter::Only(set) = self else {
            return true;
        };
        match detected {
            Some((code, true)) => set.contains(code),
            // Unreliable or undetected: trust the page's declaration, else keep.
            _ => declared
                .and_then(to_639_3)
                .is_none_or(|d| set.contains(&d) || detected.is_some_and(|(c, _)| set.contains(c))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_in_both_forms() {
        assert_eq!(LangFilter::parse("any").unwrap(), LangFilter::Any);
        let f = LangFilter::parse("en, deu").unwrap();
        assert!(f.keeps(Some(("deu", true)), None));
        assert!(!f.keeps(Some(("fra", true)), None));
        assert!(LangFilter::parse("xx-invalid").is_err());
        assert_eq!(short_code("eng"), "en");
        assert_eq!(to_639_3("en-GB").as_deref(), Some("eng"));
    }

    #[test]
    fn unreliable_detection_falls_back_to_the_declared_language() {
        let en = LangFilter::english();
        assert!(en.keeps(Some(("spa", false)), Some("en-US")));
        assert!(!en.keeps(Some(("spa", false)), Some("es")));
        assert!(en.keeps(None, None));
    }
}
