//! The manage and withdrawal links of a confirmation email, derived from
//! its confirmation link.
//!
//! A confirmation email carries three links, stored at signing. The page
//! after confirming shows the manage and withdrawal links again, and since
//! only hashes are stored, it used to issue and store a fresh pair: two
//! rows (and their index entries) on the busiest write there is. Derived
//! links let it show the email's own pair instead: the server recomputes
//! them from the confirmation token the signer just posted.
//!
//! They are keyed by the site's secret, not a bare hash of the
//! confirmation token: a confirmation URL that ends up somewhere the email
//! does not (a proxy's log, a browser's history) then still gives nobody
//! the power to withdraw the signature. Each confirmation link's row keeps
//! the [`LinkKey::id`] of the key that derived its pair; after the secret
//! changes, or for links issued before derivation, the ids differ and the
//! confirmation issues a stored pair as before.

use super::Token;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// What a derived link is for: each purpose gets its own token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DerivedLink {
    Manage,
    Withdraw,
}

impl DerivedLink {
    fn tag(self) -> &'static [u8] {
        match self {
            DerivedLink::Manage => b"manage",
            DerivedLink::Withdraw => b"withdraw",
        }
    }
}

/// The key that derives links, made from the site's secret.
#[derive(Clone)]
pub struct LinkKey {
    mac: HmacSha256,
    id: i64,
}

impl LinkKey {
    pub fn new(secret: &[u8]) -> LinkKey {
        // A key of its own, so that no value this one makes can be taken
        // for a form token or a sealed cursor made with the same secret.
        let mut own = <HmacSha256 as Mac>::new_from_slice(secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        own.update(b"undersigned link derivation, version 1");
        let key = own.finalize().into_bytes();
        let digest = Sha256::digest(key);
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        LinkKey {
            mac: <HmacSha256 as Mac>::new_from_slice(&key)
                .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length")),
            id: i64::from_be_bytes(first),
        }
    }

    /// Names the key without revealing it: stored beside each confirmation
    /// link whose pair it derived.
    pub fn id(&self) -> i64 {
        self.id
    }

    /// The link for `purpose` that goes with `confirm`. `None` for a token
    /// of the old shape (no time prefix), which nothing derives from.
    fn derive(&self, confirm: &Token, purpose: DerivedLink) -> Option<Token> {
        let prefix = confirm.time_prefix()?;
        let mut mac = self.mac.clone();
        mac.update(purpose.tag());
        mac.update(b"\0");
        mac.update(confirm.as_str().as_bytes());
        let bytes = mac.finalize().into_bytes();
        // The same time prefix as the confirmation link: rows stored at
        // signing stay beside each other in the index, as random tokens of
        // that millisecond would.
        Token::with_prefix(prefix, &bytes[..Token::RANDOM_BYTES])
    }

    /// The manage and withdrawal links of `confirm`; `None` for a token of
    /// the old shape.
    pub fn pair(&self, confirm: &Token) -> Option<(Token, Token)> {
        Some((
            self.derive(confirm, DerivedLink::Manage)?,
            self.derive(confirm, DerivedLink::Withdraw)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_links_are_fixed_by_the_key_and_the_confirmation_link() {
        let key = LinkKey::new(b"a secret of the site, long enough to be one");
        let confirm = Token::generate();
        let (manage, withdraw) = key.pair(&confirm).unwrap();
        assert_eq!(key.pair(&confirm).unwrap(), (manage.clone(), withdraw.clone()));
        assert_ne!(manage, withdraw);
        assert_ne!(manage, confirm);
        // Valid links of today's shape, made in the same millisecond.
        for t in [&manage, &withdraw] {
            assert_eq!(Token::parse(t.as_str()).unwrap(), *t);
            assert_eq!(t.time_prefix(), confirm.time_prefix());
        }
        // Another confirmation link, another pair.
        let (other, _) = key.pair(&Token::generate()).unwrap();
        assert_ne!(other, manage);
    }

    #[test]
    fn another_secret_derives_other_links_and_has_another_id() {
        let (a, b) = (LinkKey::new(b"first secret"), LinkKey::new(b"second secret"));
        let confirm = Token::generate();
        assert_ne!(a.pair(&confirm), b.pair(&confirm));
        assert_ne!(a.id(), b.id());
        assert_eq!(a.id(), LinkKey::new(b"first secret").id());
    }

    #[test]
    fn nothing_derives_from_a_token_of_the_old_shape() {
        let key = LinkKey::new(b"secret");
        let legacy = Token::parse(&"3f".repeat(32)).unwrap();
        assert!(key.pair(&legacy).is_none());
    }
}
