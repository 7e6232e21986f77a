use std::fmt;

/// The URL name of a letter: lower-case ASCII letters, digits and single
/// hyphens. Nothing else can reach a path or a query through it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

pub const SLUG_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("the slug is empty")]
    Empty,
    #[error("the slug is longer than {SLUG_MAX} characters")]
    TooLong,
    #[error("the slug may hold only a-z, 0-9 and single hyphens, not at either end")]
    InvalidCharacters,
}

impl Slug {
    pub fn parse(input: &str) -> Result<Slug, SlugError> {
        if input.is_empty() {
            return Err(SlugError::Empty);
        }
        if input.len() > SLUG_MAX {
            return Err(SlugError::TooLong);
        }
        let valid_chars = input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_chars || input.starts_with('-') || input.ends_with('-') || input.contains("--") {
            return Err(SlugError::InvalidCharacters);
        }
        Ok(Slug(input.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_slugs() {
        assert_eq!(Slug::parse("avenir-2026").unwrap().as_str(), "avenir-2026");
    }

    #[test]
    fn refuses_everything_else() {
        for bad in ["", "-a", "a-", "a--b", "A", "é", "../etc", "a b", "a/b", "a.b"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(Slug::parse(&"a".repeat(101)), Err(SlugError::TooLong));
    }
}
