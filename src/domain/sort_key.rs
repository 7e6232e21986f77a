//! The key that puts signatories in surname order the French way: `Béland`
//! before `Bergeron`, `Éthier` among the E. It is computed once, when a
//! signature is stored, so that the database can sort a million rows through
//! an index and an export can stream them in keyset pages.

use unicode_normalization::UnicodeNormalization;

/// The stored sort key of a name: the folded surname (the last word of the
/// name), a space, then the whole folded name to break ties between people
/// who share a surname.
///
/// Folding drops accents, lowercases, spells ligatures out and keeps only
/// letters and digits, so the key sorts correctly as plain bytes on both
/// backends (the PostgreSQL column uses the "C" collation for that reason).
pub fn sort_key(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect();
    let surname = words.last().cloned().unwrap_or_default();
    let mut key = String::with_capacity(name.len() * 2);
    key.push_str(&surname);
    key.push(' ');
    key.push_str(&words.join(" "));
    key
}

/// One word folded: no accents, lower case, letters and digits only.
fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        // Ligatures do not decompose, but French dictionaries sort Œ as OE.
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<(String, String)> = names.iter().map(|n| (sort_key(n), n.to_string())).collect();
        v.sort();
        v.into_iter().map(|(_, n)| n).collect()
    }

    #[test]
    fn accents_sort_with_their_letter() {
        assert_eq!(
            sorted(&[
                "Étienne Bergeron",
                "Louise Béland",
                "Zoé Éthier",
                "Marie Tremblay,"
            ]),
            [
                "Louise Béland",
                "Étienne Bergeron",
                "Zoé Éthier",
                "Marie Tremblay,"
            ]
        );
    }

    #[test]
    fn keys_are_folded() {
        assert_eq!(sort_key("Jean-François Côté,"), "cote jeanfrancois cote");
        assert_eq!(sort_key("Bernard Lœuvre"), "loeuvre bernard loeuvre");
        assert_eq!(sort_key("  Marie   Tremblay "), "tremblay marie tremblay");
        assert_eq!(sort_key("O’Neil"), "oneil oneil");
    }

    #[test]
    fn shared_surnames_break_ties_on_the_whole_name() {
        assert_eq!(
            sorted(&["Marie Tremblay", "Anne Tremblay", "Luc Tremblay-Roy"]),
            ["Anne Tremblay", "Marie Tremblay", "Luc Tremblay-Roy"]
        );
    }

    #[test]
    fn a_name_of_punctuation_still_has_a_key() {
        assert_eq!(sort_key("« »"), " ");
    }
}
