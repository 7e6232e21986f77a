//! Names compared "without case or accents": `Élise Côté,` and `elise cote`
//! are the same person to a prankster and to this comparison.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub fn fold(name: &str) -> String {
    let letters: String = name
        .nfkd()
        // Invisible characters join what they sit in, never split it.
        .filter(|c| !is_combining_mark(*c) && !super::text::is_invisible(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    letters.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn ignores_case_accents_and_punctuation() {
        assert_eq!(fold("Élise  Côté,"), "elise cote");
        assert_eq!(fold("ELISE COTE"), "elise cote");
        assert_eq!(fold("Jean-François Lépine"), "jean francois lepine");
        assert_eq!(fold("Ǆemal"), "dzemal");
        assert_ne!(fold("Élise Côté"), fold("Élise Côtes"));
        assert_eq!(fold("Vigne\u{AD}ault Gil\u{200B}les"), "vigneault gilles");
    }
}
