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
}
