//! Sealed paging cursors. A search's cursor is a position in an index that
//! holds every confirmed signer's words, hidden and count-only ones too:
//! read in the clear it could name one, and forged it could start a scan
//! anywhere. Sealed (AES-256-GCM, bound to the letter and the query), it is
//! an opaque token only this site made for this very search.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};

pub struct CursorSeal {
    cipher: Aes256Gcm,
}

const NONCE_LEN: usize = 12;

impl CursorSeal {
    /// Every server sharing the secret opens the others' cursors.
    pub fn new(secret: &[u8]) -> CursorSeal {
        let key = Sha256::new()
            .chain_update(b"undersigned search cursor v1")
            .chain_update(secret)
            .finalize();
        CursorSeal {
            cipher: Aes256Gcm::new(&key),
        }
    }

    /// `plain` sealed for `context` (the letter and the query), as hex.
    pub fn seal(&self, context: &str, plain: &str) -> String {
        // 96 bits from a v4 UUID's random bytes: enough that two cursors
        // never share a nonce.
        let random = uuid::Uuid::new_v4();
        let nonce = &random.as_bytes()[..NONCE_LEN];
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: context.as_bytes(),
        };
        match self.cipher.encrypt(Nonce::from_slice(nonce), payload) {
            Ok(sealed) => hex::encode([nonce, sealed.as_slice()].concat()),
            // Only for a message past AES-GCM's 64 GiB limit.
            Err(_) => String::new(),
        }
    }

    /// What `sealed` holds, when this site sealed it for `context`.
    pub fn open(&self, context: &str, sealed: &str) -> Option<String> {
        let bytes = hex::decode(sealed).ok()?;
        if bytes.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, body) = bytes.split_at(NONCE_LEN);
        let payload = Payload {
            msg: body,
            aad: context.as_bytes(),
        };
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), payload).ok()?;
        String::from_utf8(plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_opens_only_for_its_search_and_hides_what_it_holds() {
        let seal = CursorSeal::new(b"secret");
        let plain = "0b9e1c1e-5d5e-4f7a-9a38-6d7c2f1e8a11.0.secret";
        let sealed = seal.seal("lettre|ma", plain);
        assert!(!sealed.contains("secret") && !sealed.contains("0b9e1c1e"));
        assert_eq!(seal.open("lettre|ma", &sealed).as_deref(), Some(plain));
        assert_eq!(seal.open("lettre|mb", &sealed), None, "another query");
        assert_eq!(CursorSeal::new(b"other").open("lettre|ma", &sealed), None);
        let mut forged = sealed.clone().into_bytes();
        let last = forged.len() - 1;
        forged[last] = if forged[last] == b'0' { b'1' } else { b'0' };
        assert_eq!(seal.open("lettre|ma", &String::from_utf8(forged).unwrap()), None);
        assert_eq!(seal.open("lettre|ma", plain), None, "a clear cursor");
        assert_ne!(seal.seal("lettre|ma", plain), sealed, "a fresh nonce each time");
    }
}
