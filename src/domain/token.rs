use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

/// A secret sent to a person in a link, or kept in a session cookie. It is
/// never stored: only its [`TokenHash`] is.
///
/// A token starts with the millisecond it was made (12 hex digits), then
/// carries 228 random bits (the random bits of a UUID v4 and most of
/// another's). The time goes first so that the stored keys of new tokens
/// follow one another in the database's index: a signature issues three,
/// and random keys cost each of them an index page of its own to read and
/// write back at every commit, the largest share of a signature's write
/// (bench/RESULTS.md, 2026-12-02). The time tells its holder nothing the
/// email's date does not.
///
/// Tokens issued before were 64 random hex digits; they still parse, and
/// hash as they always did.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

/// What the database keeps of a token: its time prefix, if it has one, then
/// its SHA-256, hex-encoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid token")]
pub struct InvalidToken;

/// Hex digits of the time prefix: 48 bits of milliseconds since 1970.
const TIME_LEN: usize = 12;
/// The time prefix, then 30 random bytes.
const TOKEN_LEN: usize = TIME_LEN + 60;
/// Tokens made before the time prefix: two UUID v4, 64 hex digits.
const LEGACY_LEN: usize = 64;

impl Token {
    pub fn generate() -> Token {
        Token::made_at(std::time::SystemTime::now())
    }

    fn made_at(now: std::time::SystemTime) -> Token {
        let ms = now
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
            & 0xffff_ffff_ffff;
        let (a, b) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let mut random = [0u8; 30];
        random[..16].copy_from_slice(a.as_bytes());
        random[16..].copy_from_slice(&b.as_bytes()[..14]);
        Token(format!("{ms:012x}{}", hex::encode(random)))
    }

    /// Random bytes after the time prefix.
    pub const RANDOM_BYTES: usize = (TOKEN_LEN - TIME_LEN) / 2;

    /// A token of today's shape from a time prefix and its random bytes
    /// (`None` unless they have the lengths [`Token::generate`] gives).
    pub fn with_prefix(prefix: &str, random: &[u8]) -> Option<Token> {
        if random.len() != Token::RANDOM_BYTES {
            return None;
        }
        Token::parse(&format!("{prefix}{}", hex::encode(random))).ok()
    }

    /// The millisecond the token was made, as its hex prefix; `None` for
    /// a token of the old shape.
    pub fn time_prefix(&self) -> Option<&str> {
        (self.0.len() == TOKEN_LEN).then(|| &self.0[..TIME_LEN])
    }

    /// Accepts only the exact shapes [`Token::generate`] makes and made, so
    /// that a garbage path segment never reaches the database.
    pub fn parse(input: &str) -> Result<Token, InvalidToken> {
        let shaped = input.len() == TOKEN_LEN || input.len() == LEGACY_LEN;
        if shaped && input.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(Token(input.to_string()))
        } else {
            Err(InvalidToken)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> TokenHash {
        let digest = hex::encode(Sha256::digest(self.0.as_bytes()));
        if self.0.len() == TOKEN_LEN {
            TokenHash(format!("{}{digest}", &self.0[..TIME_LEN]))
        } else {
            TokenHash(digest)
        }
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
        assert_eq!(a.as_str().len(), 72);
        assert_eq!(a.hash().as_str().len(), 76);
        assert!(a.hash().matches(&a.hash()));
        assert!(!a.hash().matches(&b.hash()));
    }

    #[test]
    fn keys_of_later_tokens_sort_after_earlier_ones() {
        let start = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_796_000_000_000);
        let keys: Vec<String> = (0..50u64)
            .map(|i| {
                let at = start + std::time::Duration::from_millis(i);
                Token::made_at(at).hash().into_string()
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert!(keys[0].starts_with("01a229f12800"), "{}", keys[0]);
    }

    #[test]
    fn a_token_made_before_the_time_prefix_still_works() {
        let legacy = "3f0a6c1e2b7d4c5a8e9f00112233445566778899aabbccddeeff001122334455";
        let token = Token::parse(legacy).unwrap();
        // The key such a token was stored under: its bare SHA-256.
        assert_eq!(
            token.hash().as_str(),
            hex::encode(Sha256::digest(legacy.as_bytes()))
        );
    }

    #[test]
    fn random_parts_differ_within_one_millisecond() {
        let now = std::time::SystemTime::now();
        let (a, b) = (Token::made_at(now), Token::made_at(now));
        assert_eq!(a.as_str()[..TIME_LEN], b.as_str()[..TIME_LEN]);
        assert_ne!(a, b);
        assert!(!a.hash().matches(&b.hash()));
    }

    #[test]
    fn refuses_malformed_tokens() {
        for bad in [
            "",
            "abc",
            &"g".repeat(64),
            &"A".repeat(64),
            &"a".repeat(65),
            &"a".repeat(71),
            &"a".repeat(73),
        ] {
            assert!(Token::parse(bad).is_err());
        }
    }

    #[test]
    fn debug_hides_the_secret() {
        let t = Token::generate();
        assert!(!format!("{t:?}").contains(t.as_str()));
    }
}
