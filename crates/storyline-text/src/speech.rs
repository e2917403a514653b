//! Speech verbs: the closed class of words that attribute what someone said ("said",
//! "told", "insisted"). The comparison reads a quote's speaker as their subject; cleaning keeps
//! a paragraph that ends "X said:" because it introduces the quote in the next one.

/// Speech verbs (closed class): a quote's speaker is their subject. Sorted, lowercase ASCII.
pub const SPEECH_VERBS: &[&str] = &[
    "accused",
    "acknowledged",
    "acknowledges",
    "added",
    "adds",
    "admits",
    "admitted",
    "agreed",
    "announced",
    "answered",
    "argued",
    "argues",
    "asked",
    "asks",
    "asserted",
    "asserts",
    "blamed",
    "boasted",
    "branded",
    "called",
    "cautioned",
    "cautions",
    "claimed",
    "commented",
    "complained",
    "complains",
    "conceded",
    "concedes",
    "concluded",
    "confirmed",
    "contended",
    "contends",
    "continued",
    "decides",
    "declared",
    "declares",
    "decried",
    "demanded",
    "denied",
    "denounced",
    "described",
    "dubbed",
    "emphasised",
    "emphasized",
    "estimated",
    "explained",
    "explains",
    "insisted",
    "insists",
    "joked",
    "lamented",
    "maintained",
    "maintains",
    "noted",
    "notes",
    "observed",
    "observes",
    "pointed",
    "praised",
    "predicted",
    "promised",
    "quipped",
    "recalled",
    "recalls",
    "recounted",
    "recounts",
    "reiterated",
    "remarked",
    "replied",
    "replies",
    "responded",
    "responds",
    "ribbed",
    "said",
    "say",
    "says",
    "screamed",
    "shouted",
    "stated",
    "stressed",
    "stresses",
    "suggested",
    "suggests",
    "tells",
    "termed",
    "terms",
    "testified",
    "told",
    "tweeted",
    "urged",
    "vowed",
    "warned",
    "warns",
    "whispered",
    "writes",
    "wrote",
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

/// [`SPEECH_VERBS`] cut by first letter (see [`crate::wordlist`]).
const BY_FIRST_LETTER: [u16; 257] = crate::wordlist::starts_by_first_byte(SPEECH_VERBS);

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
    // Only the verbs starting with its letter.
    crate::wordlist::starting_with(SPEECH_VERBS, &BY_FIRST_LETTER, first.to_ascii_lowercase())
        .iter()
        .any(|v| v.len() == b.len() && v.eq_ignore_ascii_case(w))
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
