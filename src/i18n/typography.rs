//! The typographic rules our own texts follow, as a checker the tests run
//! over every message and every page of the browser suite.
//!
//! French follows the Office québécois de la langue française: a no-break
//! space (U+00A0) before the colon and inside « », a narrow no-break space
//! (U+202F) before `;`, `!` and `?`, and the typographic apostrophe ’.
//! English puts no space before those four signs and uses ’ too.
//!
//! A person's own words (a letter's text, a signer's name) are never
//! corrected: the checker is for what the service writes itself.

use crate::domain::Lang;

/// The space French wants before `:` and inside « ».
pub const NBSP: char = '\u{a0}';
/// The space French wants before `;`, `!` and `?`.
pub const NNBSP: char = '\u{202f}';

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Where in the text, in characters.
    pub at: usize,
    pub what: &'static str,
    /// A few characters either side, for the failure message.
    pub context: String,
}

/// Every rule `text`, written in `lang`, breaks.
pub fn check(lang: Lang, text: &str) -> Vec<Fault> {
    let chars: Vec<char> = text.chars().collect();
    let mut faults = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let what = match c {
            '\'' => Some("a plain apostrophe where the texts use ’"),
            ':' | ';' | '!' | '?' if ends_clause(after) => punctuation(lang, c, before),
            '«' if lang == Lang::FR && after != Some(NBSP) => Some("« without a no-break space after it"),
            '»' if lang == Lang::FR && before != Some(NBSP) => Some("» without a no-break space before it"),
            _ => None,
        };
        if let Some(what) = what {
            let from = i.saturating_sub(12);
            let to = (i + 12).min(chars.len());
            faults.push(Fault {
                at: i,
                what,
                context: chars[from..to].iter().collect(),
            });
        }
    }
    faults
}

/// A sign ends a clause when a space or the end follows it; elsewhere it is
/// part of a link, a time or a query string ("https:", "?lang=en").
fn ends_clause(after: Option<char>) -> bool {
    after.is_none_or(|c| c.is_whitespace() || c == '"' || c == '»' || c == ')' || c == '<')
}

fn punctuation(lang: Lang, sign: char, before: Option<char>) -> Option<&'static str> {
    match lang {
        Lang::FR => {
            let wanted = if sign == ':' { NBSP } else { NNBSP };
            match before {
                Some(c) if c == wanted => None,
                // After a closing quote or bracket the sign needs its space
                // as well; a sign alone at the start has nothing to space.
                None => None,
                Some(c) if c == NBSP || c == NNBSP => Some(if sign == ':' {
                    "a narrow no-break space before :, where French wants U+00A0"
                } else {
                    "a wide no-break space before ; ! ?, where French wants U+202F"
                }),
                Some(c) if c.is_whitespace() => Some("a plain space before : ; ! ? in French"),
                Some(_) => Some("no space before : ; ! ? in French"),
            }
        }
        // English, and the languages added after it, write them closed up.
        _ => before
            .is_some_and(char::is_whitespace)
            .then_some("a space before a sign English writes closed up"),
    }
}

/// Turns a fault list into one readable line per fault.
pub fn describe(faults: &[Fault]) -> String {
    faults
        .iter()
        .map(|f| format!("{} in {:?}", f.what, f.context))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(lang: Lang, text: &str) {
        let faults = check(lang, text);
        assert!(faults.is_empty(), "{text:?}: {}", describe(&faults));
    }

    fn bad(lang: Lang, text: &str) {
        assert!(!check(lang, text).is_empty(), "{text:?} passed");
    }

    #[test]
    fn french_rules() {
        ok(Lang::FR, "Courriel\u{a0}: nom@exemple.org");
        ok(
            Lang::FR,
            "Réessayez\u{202f}; rien n’est perdu\u{202f}! Vraiment\u{202f}?",
        );
        ok(Lang::FR, "la lettre «\u{a0}Pour le logement\u{a0}»");
        ok(Lang::FR, "https://exemple.org/lettres?lang=fr à 10:30");
        bad(Lang::FR, "Télécharger la liste publique :");
        bad(Lang::FR, "secondes; ce que");
        bad(Lang::FR, "prêtes ;");
        bad(Lang::FR, "Merci!");
        bad(Lang::FR, "« Titre »");
        bad(Lang::FR, "L'équipe");
        bad(Lang::FR, "Réessayez\u{a0}; rien");
    }

    #[test]
    fn english_rules() {
        ok(Lang::EN, "Full name: Jane; really? Yes!");
        ok(Lang::EN, "the organizers’ review");
        bad(Lang::EN, "Full name :");
        bad(Lang::EN, "Full name\u{a0}:");
        bad(Lang::EN, "Organizers' workspace");
    }
}
