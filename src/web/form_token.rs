//! A signed hidden field on public forms. It carries the time the form was
//! served, so a bot posting within a second is spotted, and it is bound to
//! one form, so another site cannot post it for a visitor (CSRF).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

type HmacSha256 = Hmac<Sha256>;

/// Forms older than this are refused; the reader just submits again.
pub const MAX_AGE: Duration = Duration::from_secs(12 * 3600);

#[derive(Clone)]
pub struct FormSigner {
    key: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormTokenError {
    #[error("missing or malformed form token")]
    Invalid,
    #[error("the form is too old")]
    Expired,
    #[error("the form was sent faster than a person can fill it")]
    TooFast,
}

impl FormSigner {
    pub fn new(key: &[u8]) -> FormSigner {
        FormSigner { key: key.to_vec() }
    }

    fn mac(&self, purpose: &str, issued: i64) -> String {
        // new_from_slice accepts any key length for HMAC.
        let mut mac = match HmacSha256::new_from_slice(&self.key) {
            Ok(m) => m,
            Err(_) => return String::new(),
        };
        mac.update(purpose.as_bytes());
        mac.update(b"|");
        mac.update(issued.to_string().as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// A token for the form `purpose`, for example `sign:<letter id>`.
    pub fn issue(&self, purpose: &str, now_unix_ms: i64) -> String {
        format!("{now_unix_ms}.{}", self.mac(purpose, now_unix_ms))
    }

    pub fn verify(
        &self,
        purpose: &str,
        token: &str,
        now_unix_ms: i64,
        min_fill: Duration,
    ) -> Result<(), FormTokenError> {
        let (issued, mac) = token.split_once('.').ok_or(FormTokenError::Invalid)?;
        let issued: i64 = issued.parse().map_err(|_| FormTokenError::Invalid)?;
        let expected = self.mac(purpose, issued);
        let matches: bool = subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), mac.as_bytes()).into();
        if expected.is_empty() || !matches {
            return Err(FormTokenError::Invalid);
        }
        let age = now_unix_ms - issued;
        if age < 0 || age > MAX_AGE.as_millis() as i64 {
            return Err(FormTokenError::Expired);
        }
        if (age as u128) < min_fill.as_millis() {
            return Err(FormTokenError::TooFast);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let s = FormSigner::new(b"secret");
        let t = s.issue("sign:1", 1_000_000);
        let min = Duration::from_secs(3);
        assert_eq!(s.verify("sign:1", &t, 1_004_000, min), Ok(()));
        assert_eq!(
            s.verify("sign:1", &t, 1_001_000, min),
            Err(FormTokenError::TooFast)
        );
        assert_eq!(
            s.verify("sign:2", &t, 1_004_000, min),
            Err(FormTokenError::Invalid)
        );
        assert_eq!(
            FormSigner::new(b"other").verify("sign:1", &t, 1_004_000, min),
            Err(FormTokenError::Invalid)
        );
        let late = 1_000_000 + MAX_AGE.as_millis() as i64 + 1;
        assert_eq!(s.verify("sign:1", &t, late, min), Err(FormTokenError::Expired));
        for bad in ["", "x", "1.2", "abc.def", &t.replace('.', "")] {
            assert_eq!(
                s.verify("sign:1", bad, 1_004_000, min),
                Err(FormTokenError::Invalid),
                "{bad}"
            );
        }
    }
}
