//! Closed word lists (stopwords, speech verbs) looked up by their first byte: a list grouped
//! by first byte is cut, when compiling, into one short run per byte, so a lookup compares
//! a handful of words instead of scanning or bisecting the whole list.

/// Where the words starting with each byte begin in `words`, which must be grouped by first
/// byte (sorted, say): those starting with byte `b` are `words[starts[b]..starts[b + 1]]`.
pub(crate) const fn starts_by_first_byte(words: &[&str]) -> [u16; 257] {
    let mut starts = [0u16; 257];
    let mut i = 0;
    while i < words.len() {
        let first = words[i].as_bytes()[0];
        assert!(
            i == 0 || words[i - 1].as_bytes()[0] <= first,
            "word lists are grouped by first byte"
        );
        i += 1;
    }
    let mut b = 0;
    while b < 257 {
        let mut before = 0;
        let mut i = 0;
        while i < words.len() {
            if (words[i].as_bytes()[0] as usize) < b {
                before += 1;
            }
            i += 1;
        }
        starts[b] = before;
        b += 1;
    }
    starts
}

/// The words of `words` starting with byte `first` (`starts` from [`starts_by_first_byte`]).
pub(crate) fn starting_with<'a>(
    words: &'a [&'a str],
    starts: &[u16; 257],
    first: u8,
) -> &'a [&'a str] {
    let b = usize::from(first);
    &words[usize::from(starts[b])..usize::from(starts[b + 1])]
}
