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

/// The lengths and the first and last letters of the speech verbs, read off the list when
/// compiling: bit `n` of `lengths` for a verb of `n` bytes, bit `k` of `firsts` and `lasts`
/// for a verb starting or ending with letter `b'a' + k`.
struct Shapes {
    lengths: u64,
    firsts: u32,
    lasts: u32,
}

const SHAPES: Shapes = {
    let mut shapes = Shapes {
        lengths: 0,
        firsts: 0,
        lasts: 0,
    };
    let mut i = 0;
    while i < SPEECH_VERBS.len() {
        let v = SPEECH_VERBS[i].as_bytes();
        let mut k = 0;
        while k < v.len() {
            assert!(
                v[k].is_ascii_lowercase(),
                "speech verbs are lowercase ASCII letters"
            );
            k += 1;
        }
        assert!(!v.is_empty() && v.len() < 64);
        shapes.lengths |= 1 << v.len();
        shapes.firsts |= 1 << (v[0] - b'a');
        shapes.lasts |= 1 << (v[v.len() - 1] - b'a');
        i += 1;
    }
    shapes
};

/// Is byte `b` (any case) a letter whose bit is set in `letters`?
fn has_letter(letters: u32, b: u8) -> bool {
    let l = b.to_ascii_lowercase();
    l.is_ascii_lowercase() && letters & (1 << (l - b'a')) != 0
}

/// Is the word (any case) a speech verb?
///
/// Called on every word the quote attribution reads, so it neither allocates nor compares
/// strings that differ in length or first letter (a lowercased copy and a scan of string
/// comparisons were a tenth of the summarizer's time).
pub fn is_speech_verb(w: &str) -> bool {
    let b = w.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return false;
    };
    // Most words are not the length of any speech verb, or do not start or end with a
    // letter one starts or ends with: three bit tests turn them away before any scan.
    if b.len() >= 64
        || SHAPES.lengths & (1 << b.len()) == 0
        || !has_letter(SHAPES.firsts, first)
        || !has_letter(SHAPES.lasts, last)
    {
        return false;
    }
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
        for v in SPEECH_VERBS {
            assert!(
                is_speech_verb(v) && is_speech_verb(&v.to_uppercase()),
                "{v}"
            );
            assert!(!is_speech_verb(&format!("{v}x")), "{v}x");
        }
    }
}
