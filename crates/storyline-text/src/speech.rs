//! Speech verbs: the closed class of words that attribute what someone said ("said",
//! "told", "insisted"). The comparison reads a quote's speaker as their subject; cleaning keeps
//! a paragraph that ends "X said:" because it introduces the quote in the next one.

/// Speech verbs (closed class): a quote's speaker is their subject.
pub const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "added",
    "adds",
    "told",
    "tells",
    "stressed",
    "noted",
    "notes",
    "insisted",
    "argued",
    "explained",
    "asked",
    "asks",
    "warned",
    "warns",
    "declared",
    "stated",
    "announced",
    "wrote",
    "writes",
    "tweeted",
    "pointed",
    "continued",
    "replied",
    "acknowledged",
    "admitted",
    "claimed",
    "urged",
    "called",
    "described",
    "recalled",
    "suggested",
    "complained",
    "remarked",
    "observed",
    "cautioned",
    "conceded",
    "vowed",
    "promised",
    "predicted",
    "testified",
    "responded",
    "confirmed",
    "denied",
    "emphasized",
    "emphasised",
    "reiterated",
    "commented",
    "quipped",
    "ribbed",
    "praised",
    "accused",
    "lamented",
    "joked",
    "shouted",
    "screamed",
    "whispered",
    "answered",
    "agreed",
    "demanded",
    "concluded",
    "recounted",
    "maintained",
    "contended",
    "estimated",
    "boasted",
    "recalls",
    "suggests",
    "explains",
    "insists",
    "argues",
    "concedes",
    "admits",
    "acknowledges",
    "contends",
    "maintains",
    "recounts",
    "complains",
    "replies",
    "responds",
    "stresses",
    "declares",
    "observes",
    "cautions",
    "asserted",
    "asserts",
    "terms",
    "termed",
    "dubbed",
    "branded",
];

/// Is the word (any case) a speech verb?
///
/// Called on every word the quote attribution reads, so it neither allocates nor compares
/// strings that differ in length or first letter (a lowercased copy and a scan of string
/// comparisons were a tenth of the summarizer's time).
pub fn is_speech_verb(w: &str) -> bool {
    let b = w.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    let first = first.to_ascii_lowercase();
    SPEECH_VERBS
        .iter()
        .any(|v| v.len() == b.len() && v.as_bytes()[0] == first && v.eq_ignore_ascii_case(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speech_verbs_in_any_case() {
        for w in ["said", "Said", "SAID", "told", "insists", "branded"] {
            assert!(is_speech_verb(w), "{w}");
        }
        for w in ["", "s", "sad", "saids", "Tolder", "house", "\u{212A}ills"] {
            assert!(!is_speech_verb(w), "{w}");
        }
    }
}
