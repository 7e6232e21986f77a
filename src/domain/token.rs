use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// A secret sent to a person in a link. It carries 244 random bits (two
/// UUID v4) and is never stored: only its [`TokenHash`] is.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// The SHA-256 of a token, hex-encoded; this is what the database keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid token")]
pub struct InvalidToken;

const TOKEN_LEN: usize = 64;

impl Token {
    pub fn generate() -> Token {
        let a = uuid::Uuid::new_v4();
        let b = uuid::Uuid::new_v4();
        Token(format!("{}{}", a.simple(), b.simple()))
    }

    /// Accepts only the exact shape [`Token::generate`] makes, so that a
    /// garbage path segment never reaches the database.
    pub fn parse(input: &str) -> Result<Token, InvalidToken> {
        if input.len() == TOKEN_LEN && input.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(Token(input.to_string()))
        } else {
            Err(InvalidToken)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(hex::encode(Sha256::digest(self.0.as_bytes())))
    }
}

// Never print a token by accident, in logs or panics.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

impl TokenHash {
    pub fn from_stored(hex: String) -> TokenHash {
        TokenHash(hex)
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Compares in constant time, so response timing tells nothing about how
    /// much of a guessed token was right.
    pub fn matches(&self, other: &TokenHash) -> bool {
        self.0.as_bytes().ct_eq(other.0.as_bytes()).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_parse_and_differ() {
        let a = Token::generate();
        let b = Token::generate();
        assert_ne!(a.as_str(), b.as_str());
        assert_eq!(Token::parse(a.as_str()).unwrap(), a);
        assert_eq!(a.hash().as_str().len(), 64);
        assert!(a.hash().matches(&a.hash()));
        assert!(!a.hash().matches(&b.hash()));
    }

    #[test]
    fn refuses_malformed_tokens() {
        for bad in ["", "abc", &"g".repeat(64), &"A".repeat(64), &"a".repeat(65)] {
            assert!(Token::parse(bad).is_err());
        }
    }

    #[test]
    fn debug_hides_the_secret() {
        let t = Token::generate();
        assert!(!format!("{t:?}").contains(t.as_str()));
    }
}
