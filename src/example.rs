//! The built-in example letter that `serve --example` publishes.

use crate::domain::LetterFile;

pub const EXAMPLE_LETTER: &str = include_str!("example/letter.md");

pub fn letter() -> LetterFile {
    LetterFile::parse(EXAMPLE_LETTER).expect("the built-in example letter parses")
}

#[cfg(test)]
mod tests {
    #[test]
    fn example_parses() {
        let l = super::letter();
        assert_eq!(l.slug.as_str(), "avenir-cooperatives-habitation");
        assert!(l.signatories.len() >= 2);
    }

    /// The example is what a new organizer copies: it must be typeset as
    /// a French letter should be, or a `;` wraps onto its own line.
    #[test]
    fn example_is_typeset() {
        use crate::i18n::typography::{check, describe};
        let l = super::letter();
        let mut texts = vec![
            l.title.clone(),
            l.addressees.clone(),
            l.preamble.clone(),
            l.body.clone(),
        ];
        for s in &l.signatories {
            texts.push(s.name.clone());
            texts.extend(s.titles.iter().cloned());
        }
        for text in texts {
            let faults = check(l.language, &text);
            assert!(faults.is_empty(), "{}", describe(&faults));
        }
    }
}
