//! Whether a signer's name is one an organizer protected ("held for
//! review"). A prankster signing as a public figure varies the spelling
//! until something goes through, so the comparison ignores what does not
//! change who is named: case, accents, punctuation, word order ("Legault,
//! François") and courtesy titles ("Dr", "Mme", "L'hon.").
//!
//! The rule: a name is held when it contains every word of a protected name
//! (counted with repeats), in any order. Extra words in the signer's name
//! do not help the prankster ("François Legault Jr"), but a name that
//! shares only some words with a protected one ("François Tremblay") is not
//! held. A protected name of a single word holds only that word alone,
//! else every "Martin" would wait for review because "Martin" is protected.

use super::fold::fold;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use unicode_security::confusable_detection::skeleton;

/// Courtesy titles, folded, one word or several, dropped where a name or a
/// comma-separated part of it starts. Only there: "Me" or "Pr" in the
/// middle of a name may be part of the name.
const HONORIFICS: &[&[&str]] = &[
    // French
    &["m"],
    &["mm"],
    &["mme"],
    &["mmes"],
    &["mlle"],
    &["mlles"],
    &["monsieur"],
    &["madame"],
    &["mademoiselle"],
    &["dr"],
    &["dre"],
    &["drs"],
    &["docteur"],
    &["docteure"],
    &["pr"],
    &["pre"],
    &["professeur"],
    &["professeure"],
    &["me"],
    &["maitre"],
    &["hon"],
    &["honorable"],
    &["l", "hon"],
    &["l", "honorable"],
    &["tres", "hon"],
    &["le", "tres", "hon"],
    // English
    &["mr"],
    &["mrs"],
    &["ms"],
    &["mx"],
    &["miss"],
    &["sir"],
    &["dame"],
    &["prof"],
    &["professor"],
    &["doctor"],
    &["the", "hon"],
    &["the", "honourable"],
    &["the", "honorable"],
    &["the", "right", "hon"],
    &["the", "right", "honourable"],
    &["the", "rt", "hon"],
    &["rt", "hon"],
    &["right", "hon"],
    &["honourable"],
    &["rev"],
    &["reverend"],
];

/// The ways a name may read, each as [`words_of`] finds its words. Case
/// and look-alikes do not commute: `fold` lowercases before the confusable
/// skeleton, and many capitals imitate a Latin letter while their lowercase
/// forms imitate nothing Latin, or another letter (Greek Ν is an N, its ν
/// a v; Cyrillic Ь is a b). So a name is also read with each letter of
/// another script that imitates a Latin letter, in its own case, written
/// as that letter; with its whole skeleton taken first, in its own case
/// (a capital I is then an l, as it looks in most fonts); and, when it
/// holds fillers that print as a space (Hangul fillers), with those as
/// spaces. A protected name holds a signer when any reading of one matches
/// any reading of the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameWords(Vec<Vec<String>>);

/// Every reading of `name` (see [`NameWords`]).
pub fn name_words(name: &str) -> NameWords {
    let latin: String = name.nfd().map(latin_look_alike).collect();
    let mut readings = vec![
        words_of(name),
        words_of(&latin),
        words_of(&skeleton(name).collect::<String>()),
    ];
    if name.contains(is_spacing_filler) {
        let spaced: String = name
            .chars()
            .map(|c| if is_spacing_filler(c) { ' ' } else { c })
            .collect();
        readings.push(words_of(&spaced));
    }
    readings.sort();
    readings.dedup();
    NameWords(readings)
}

/// The Latin letter whose confusable skeleton a letter of another script
/// shares, looked for first in the letter's own case; else the letter.
fn latin_look_alike(c: char) -> char {
    static LATIN: LazyLock<[Vec<(char, String)>; 2]> = LazyLock::new(|| {
        let table = |letters: std::ops::RangeInclusive<char>| {
            letters
                .map(|l| (l, skeleton(l.encode_utf8(&mut [0; 4])).collect()))
                .collect()
        };
        [table('A'..='Z'), table('a'..='z')]
    });
    if c.is_ascii() || !c.is_alphabetic() {
        return c;
    }
    let own: String = skeleton(c.encode_utf8(&mut [0; 4])).collect();
    let [upper, lower] = &*LATIN;
    let (first, then) = if c.is_uppercase() {
        (upper, lower)
    } else {
        (lower, upper)
    };
    first
        .iter()
        .chain(then)
        .find(|(_, s)| *s == own)
        .map_or(c, |(l, _)| *l)
}

/// The words that identify a person in a name, folded and sorted.
///
/// Commas, semicolons and brackets separate parts ("Legault, Dr François");
/// each part loses its leading courtesy titles.
fn words_of(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in name.split([',', ';', '(', ')', '[', ']']) {
        let folded = fold(part);
        let all: Vec<&str> = folded.split_whitespace().collect();
        let mut tokens: &[&str] = &all;
        while let Some(rest) = strip_honorific(tokens) {
            tokens = rest;
        }
        // Look-alike letters from other scripts ("Vignеault" with a
        // Cyrillic е) compare as the letters they imitate: each word is
        // reduced to its confusable skeleton (Unicode UTS #39) and folded
        // again. The skeleton maps some letters (Greek τ, Cyrillic т) to
        // small capitals, which are then read as the Latin letters.
        words.extend(tokens.iter().flat_map(|w| {
            let latin: String = skeleton(w).map(small_capital_as_latin).collect();
            fold(&latin)
                .split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        }));
    }
    words.sort();
    words
}

/// Latin small capitals (ᴀ ʙ ᴄ …) as the letters they are (Unicode has
/// no small capital X).
fn small_capital_as_latin(c: char) -> char {
    const SMALL_CAPITALS: [(char, char); 25] = [
        ('\u{1D00}', 'a'),
        ('\u{0299}', 'b'),
        ('\u{1D04}', 'c'),
        ('\u{1D05}', 'd'),
        ('\u{1D07}', 'e'),
        ('\u{A730}', 'f'),
        ('\u{0262}', 'g'),
        ('\u{029C}', 'h'),
        ('\u{026A}', 'i'),
        ('\u{1D0A}', 'j'),
        ('\u{1D0B}', 'k'),
        ('\u{029F}', 'l'),
        ('\u{1D0D}', 'm'),
        ('\u{0274}', 'n'),
        ('\u{1D0F}', 'o'),
        ('\u{1D18}', 'p'),
        ('\u{A7AF}', 'q'),
        ('\u{0280}', 'r'),
        ('\u{A731}', 's'),
        ('\u{1D1B}', 't'),
        ('\u{1D1C}', 'u'),
        ('\u{1D20}', 'v'),
        ('\u{1D21}', 'w'),
        ('\u{028F}', 'y'),
        ('\u{1D22}', 'z'),
    ];
    SMALL_CAPITALS
        .iter()
        .find(|(small, _)| *small == c)
        .map_or(c, |(_, latin)| *latin)
}

/// Fillers that `fold` drops as invisible but that fonts draw as a blank
/// the width of a letter, so that one between two words reads as a space.
fn is_spacing_filler(c: char) -> bool {
    matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

/// The words after a leading title, if any. A title is never the last
/// word of a part: "Dr" alone, or "Me" as the whole of a part, is more
/// likely a name than a title with nothing after it.
fn strip_honorific<'a, 'b>(tokens: &'a [&'b str]) -> Option<&'a [&'b str]> {
    HONORIFICS
        .iter()
        // The longest first: "the right hon" before "the".
        .filter(|h| tokens.len() > h.len() && tokens.starts_with(h))
        .max_by_key(|h| h.len())
        .map(|h| &tokens[h.len()..])
}

/// A protected name, ready to be compared with many signers' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtectedName {
    readings: NameWords,
}

impl ProtectedName {
    pub fn new(name: &str) -> ProtectedName {
        ProtectedName {
            readings: name_words(name),
        }
    }

    /// True when any reading of `signer` (see [`name_words`]) names this
    /// person as any reading of the protected name does.
    pub fn holds(&self, signer: &NameWords) -> bool {
        self.readings
            .0
            .iter()
            .any(|own| signer.0.iter().any(|words| holds_words(own, words)))
    }
}

fn holds_words(protected: &[String], signer: &[String]) -> bool {
    match protected.len() {
        // Nothing left to compare ("!!!"): protects nobody.
        0 => false,
        1 => signer == protected,
        _ => contains_all(signer, protected),
    }
}

/// True when the sorted `haystack` holds every word of the sorted `needles`,
/// repeats counted.
fn contains_all(haystack: &[String], needles: &[String]) -> bool {
    let mut rest = haystack.iter();
    needles.iter().all(|n| rest.any(|h| h == n))
}

/// True when `signer` is held by any of `protected`.
pub fn is_held<'a>(signer: &str, protected: impl IntoIterator<Item = &'a str>) -> bool {
    matching(signer, protected).is_some()
}

/// The first protected name that holds `signer`: the review queue says
/// which one a signature matched.
pub fn matching<'a>(signer: &str, protected: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Most letters protect no one: read the signer's name only if needed.
    let mut protected = protected.into_iter().peekable();
    protected.peek()?;
    let words = name_words(signer);
    protected.find(|p| ProtectedName::new(p).holds(&words))
}

#[cfg(test)]
mod tests {
    use super::{is_held, words_of as name_words};

    const LEGAULT: &str = "François Legault";
    const DURANCEAU: &str = "France-Élaine Duranceau";

    #[test]
    fn variants_of_a_protected_name_are_held() {
        let cases: &[(&str, &str)] = &[
            (LEGAULT, "François Legault"),
            (LEGAULT, "francois legault"),
            (LEGAULT, "FRANÇOIS LEGAULT"),
            (LEGAULT, "Legault, François"),
            (LEGAULT, "Legault François"),
            (LEGAULT, "legault,francois"),
            (LEGAULT, "  François   Legault. "),
            (LEGAULT, "Dr François Legault"),
            (LEGAULT, "Dr. François Legault"),
            (LEGAULT, "M. François Legault"),
            (LEGAULT, "Me François Legault"),
            (LEGAULT, "Pr François Legault"),
            (LEGAULT, "Prof. François Legault"),
            (LEGAULT, "Hon. François Legault"),
            (LEGAULT, "L'hon. François Legault"),
            (LEGAULT, "L’honorable François Legault"),
            (LEGAULT, "The Right Hon. François Legault"),
            (LEGAULT, "Sir François Legault"),
            (LEGAULT, "Mr François Legault"),
            (LEGAULT, "Legault, Dr François"),
            (LEGAULT, "Legault, M. François"),
            (LEGAULT, "François Legault (Dr)"),
            (LEGAULT, "François Legault Jr"),
            (LEGAULT, "Hon. Dr François Legault"),
            (DURANCEAU, "Mme France-Élaine Duranceau"),
            (DURANCEAU, "Mlle France-Élaine Duranceau"),
            (DURANCEAU, "Dre France Élaine Duranceau"),
            (DURANCEAU, "Pre France-Elaine Duranceau"),
            (DURANCEAU, "Mrs France Elaine Duranceau"),
            (DURANCEAU, "Ms. Duranceau, France-Élaine"),
            (DURANCEAU, "Duranceau, Mme France Élaine"),
            (DURANCEAU, "duranceau france elaine"),
            // A title in the protected name changes nothing either.
            ("Dr François Legault", "Legault, François"),
            ("Mme France-Élaine Duranceau", "France Élaine Duranceau"),
            // One-word protected names hold that word alone, titled or not.
            ("Madonna", "madonna"),
            ("Madonna", "Mme Madonna"),
        ];
        assert!(cases.len() >= 20);
        for (protected, signer) in cases {
            assert!(
                is_held(signer, [*protected]),
                "{signer:?} should be held by {protected:?}"
            );
        }
    }

    #[test]
    fn names_that_only_resemble_are_not_held() {
        let cases: &[(&str, &str)] = &[
            // Shares one word only.
            (LEGAULT, "François Tremblay"),
            (LEGAULT, "Martin Legault"),
            (LEGAULT, "Legault"),
            (LEGAULT, "François"),
            (LEGAULT, "Dr Legault"),
            // A different first name.
            (LEGAULT, "Françoise Legault"),
            (LEGAULT, "Frank Legault"),
            (DURANCEAU, "France Duranceau"),
            (DURANCEAU, "Élaine Duranceau"),
            (DURANCEAU, "Marie-Élaine Duranceau"),
            // A one-word protected name is not held in a longer name.
            ("Madonna", "Madonna Ciccone"),
            ("Madonna", "Marie Madonna"),
            // A protected name that folds to nothing protects nobody.
            ("!!!", "Anyone At All"),
            ("!!!", "!!!"),
        ];
        for (protected, signer) in cases {
            assert!(!is_held(signer, [*protected]), "{signer:?} is not {protected:?}");
        }
    }

    #[test]
    fn titles_are_dropped_only_where_a_part_starts() {
        assert_eq!(name_words("Dr François Legault"), ["francois", "legault"]);
        assert_eq!(name_words("Legault, L'hon. François"), ["francois", "legault"]);
        // "Me" after the first word is a name, not "Maître" (words are
        // kept as their confusable skeletons: "me" reads "rne").
        assert_eq!(name_words("Ana Me Lopez"), name_words("Ana Lopez Me"));
        assert_eq!(name_words("Ana Me Lopez").len(), 3);
        // A name that is only a title stays a name.
        assert_eq!(name_words("Dr"), ["dr"]);
        assert_eq!(name_words("M. Dr"), ["dr"]);
    }

    #[test]
    fn invisible_and_look_alike_characters_do_not_make_another_name() {
        for disguised in [
            "Gilles Vigne\u{AD}ault",
            "Gilles Vigne\u{200B}ault",
            "Gilles Vign\u{0435}ault",
            "G\u{0456}lles V\u{0456}gneault",
            "Gi11es Vigneault",
        ] {
            assert!(is_held(disguised, ["Gilles Vigneault"]), "{disguised:?}");
        }
        assert!(!is_held("Gilles Vignault", ["Gilles Vigneault"]));
    }

    #[test]
    fn capitals_of_other_scripts_read_as_the_latin_ones_they_imitate() {
        // Greek Ε Τ Ν, Cyrillic Т, Cherokee Ꭲ Ꮮ: their lowercase forms
        // imitate nothing Latin (or, Greek ν, a v), so they must be read
        // as capitals.
        for (disguised, protected) in [
            ("FRAN\u{C7}OIS L\u{395}GAUL\u{3A4}", "François Legault"),
            ("FRAN\u{C7}OIS LEGAUL\u{422}", "François Legault"),
            ("GILLES VIG\u{39D}EAULT", "Gilles Vigneault"),
            ("GILLES VIGNEAUL\u{13A2}", "Gilles Vigneault"),
            ("Fran\u{E7}ois \u{13DE}egault", "François Legault"),
            ("\u{C9}milie \u{3A4}essier", "Émilie Tessier"),
            // With a lowercase look-alike in the same name.
            ("Gilles Vign\u{0435}aul\u{3A4}", "Gilles Vigneault"),
            // Found by a review of the first fix: capital I for l and l for
            // I; letters whose skeleton is a small capital (Greek τ,
            // Cyrillic т, Cherokee ꭲ) and small capitals themselves;
            // capitals that imitate lowercase letters (Cyrillic Ь, Cherokee
            // Ꮷ); a Hangul filler drawn as a space between two words.
            ("GiIIes VigneauIt", "Gilles Vigneault"),
            ("Gi\u{399}\u{399}es Vigneault", "Gilles Vigneault"),
            ("lsabelle Charest", "Isabelle Charest"),
            ("Gilles Vigneaul\u{3C4}", "Gilles Vigneault"),
            ("GILLES VIGNEAUL\u{442}", "Gilles Vigneault"),
            ("GILLES VIGNEAUL\u{AB72}", "Gilles Vigneault"),
            ("GILLES VIG\u{274}EAULT", "Gilles Vigneault"),
            ("\u{A730}\u{280}\u{1D00}\u{274}\u{E7}\u{1D0F}\u{26A}\u{A731} \u{29F}\u{1D07}\u{262}\u{1D00}\u{1D1C}\u{29F}\u{1D1B}", "François Legault"),
            ("Ro\u{42C}ert Bourassa", "Robert Bourassa"),
            ("Pablo Ro\u{13E7}riguez", "Pablo Rodriguez"),
            ("Gilles\u{3164}Vigneault", "Gilles Vigneault"),
        ] {
            assert!(is_held(disguised, [protected]), "{disguised:?}");
        }
        // A Greek name stays the Greek name it is, in capitals or not.
        assert!(is_held("ΕΛΕΝΗ ΚΑΡΑΛΗ", ["Ελένη Καραλή"]));
        assert!(!is_held("ΕΛΕΝΗ ΚΑΡΑΛΗ", ["François Legault"]));
    }

    #[test]
    fn repeated_words_count() {
        assert!(is_held("Jean Jean", ["Jean Jean"]));
        assert!(!is_held("Jean Dupont", ["Jean Jean"]));
    }

    #[test]
    fn any_protected_name_holds() {
        assert!(is_held("Legault, François", ["Madonna", LEGAULT]));
        assert!(!is_held("Personne Ordinaire", ["Madonna", LEGAULT]));
        assert!(!is_held("François Legault", std::iter::empty()));
    }
}
