//! A signed hidden field on public forms. It carries the time the form was
//! first served, so a bot posting within a second is spotted, and it is bound
//! to one form, so another site cannot post it for a visitor (CSRF). A form
//! shown again after an error keeps that first time (`reissue`).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;

type HmacSha256 = Hmac<Sha256>;

/// Forms older than this are refused; the reader just submits again.
pub const MAX_AGE: Duration = Duration::from_secs(12 * 3600);

#[derive(Clone)]
pub struct FormSigner {
    /// Keyed once: each token then costs a clone and two compressions
    /// instead of four.
    keyed: Option<HmacSha256>,
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
        // new_from_slice accepts any key length for HMAC.
        FormSigner {
            keyed: HmacSha256::new_from_slice(key).ok(),
        }
    }

    /// The MAC in hex, written into a buffer on the stack: a token is
    /// signed for every letter page served, so it allocates once, for the
    /// token itself.
    fn mac(&self, purpose: &[&str], issued: i64) -> Option<[u8; 64]> {
        let mut mac = self.keyed.clone()?;
        for part in purpose {
            mac.update(part.as_bytes());
        }
        mac.update(b"|");
        mac.update(itoa::Buffer::new().format(issued).as_bytes());
        let mut hex = [0u8; 64];
        hex::encode_to_slice(mac.finalize().into_bytes(), &mut hex).ok()?;
        Some(hex)
    }

    /// A token for the form `purpose`, for example `["sign:", <letter id>]`:
    /// the parts are signed as one text, and given apart so that the busiest
    /// page signs its token without formatting the text first.
    pub fn issue(&self, purpose: &[&str], now_unix_ms: i64) -> String {
        let mut digits = itoa::Buffer::new();
        let issued = digits.format(now_unix_ms);
        let mut token = String::with_capacity(issued.len() + 65);
        token.push_str(issued);
        token.push('.');
        if let Some(hex) = self.mac(purpose, now_unix_ms) {
            // Hex digits are ASCII.
            token.push_str(std::str::from_utf8(&hex).unwrap_or_default());
        }
        token
    }

    /// The token for a form shown again (an error to fix, a limit reached):
    /// it keeps the time the form was first served, so the minimum filling
    /// time is not counted again from the error page and a signer who fixes
    /// the form at once is not taken for a bot. Only an authentic, unexpired
    /// token for this form passes its time on, so a client can neither forge
    /// an older time nor push the expiry back; anything else gets a token
    /// issued now.
    pub fn reissue(&self, purpose: &[&str], submitted: &str, now_unix_ms: i64) -> String {
        let issued = self
            .issued_at(purpose, submitted, now_unix_ms)
            .unwrap_or(now_unix_ms);
        self.issue(purpose, issued)
    }

    /// When an authentic, unexpired token was issued.
    fn issued_at(&self, purpose: &[&str], token: &str, now_unix_ms: i64) -> Result<i64, FormTokenError> {
        let (text, mac) = token.split_once('.').ok_or(FormTokenError::Invalid)?;
        let issued: i64 = text.parse().map_err(|_| FormTokenError::Invalid)?;
        // Only the time as `issue` writes it: `+5` or `05` parse to the
        // same time and would carry its MAC, so one token would have many
        // spellings.
        if itoa::Buffer::new().format(issued) != text {
            return Err(FormTokenError::Invalid);
        }
        let expected = self.mac(purpose, issued).ok_or(FormTokenError::Invalid)?;
        let matches: bool = subtle::ConstantTimeEq::ct_eq(&expected[..], mac.as_bytes()).into();
        if !matches {
            return Err(FormTokenError::Invalid);
        }
        let age = now_unix_ms.saturating_sub(issued);
        if age < 0 || age > MAX_AGE.as_millis() as i64 {
            return Err(FormTokenError::Expired);
        }
        Ok(issued)
    }

    pub fn verify(
        &self,
        purpose: &[&str],
        token: &str,
        now_unix_ms: i64,
        min_fill: Duration,
    ) -> Result<(), FormTokenError> {
        let age = now_unix_ms.saturating_sub(self.issued_at(purpose, token, now_unix_ms)?);
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
        let t = s.issue(&["sign:1"], 1_000_000);
        // Parts are signed as the text they make: tokens issued when the
        // purpose was one text still verify.
        assert_eq!(s.issue(&["sign:", "1"], 1_000_000), t);
        let min = Duration::from_secs(3);
        assert_eq!(s.verify(&["sign:1"], &t, 1_004_000, min), Ok(()));
        assert_eq!(
            s.verify(&["sign:1"], &t, 1_001_000, min),
            Err(FormTokenError::TooFast)
        );
        assert_eq!(
            s.verify(&["sign:2"], &t, 1_004_000, min),
            Err(FormTokenError::Invalid)
        );
        assert_eq!(
            FormSigner::new(b"other").verify(&["sign:1"], &t, 1_004_000, min),
            Err(FormTokenError::Invalid)
        );
        let late = 1_000_000 + MAX_AGE.as_millis() as i64 + 1;
        assert_eq!(s.verify(&["sign:1"], &t, late, min), Err(FormTokenError::Expired));
        // One spelling per token: the same time written otherwise is not it.
        let (plus, padded) = (format!("+{t}"), format!("0{t}"));
        for bad in ["", "x", "1.2", "abc.def", &t.replace('.', ""), &plus, &padded] {
            assert_eq!(
                s.verify(&["sign:1"], bad, 1_004_000, min),
                Err(FormTokenError::Invalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_form_shown_again_keeps_the_time_it_was_first_served() {
        let s = FormSigner::new(b"secret");
        let min = Duration::from_secs(3);
        let first = s.issue(&["sign:1"], 1_000_000);
        // Shown again with an error at 5 s, sent again at 5.1 s: the filling
        // time counts from the first serve, so this is no bot.
        let again = s.reissue(&["sign:1"], &first, 1_005_000);
        assert_eq!(s.verify(&["sign:1"], &again, 1_005_100, min), Ok(()));
        assert_eq!(again, first, "the same time, signed by the same key");
        // Shown again before the filling time was up: still too fast.
        let early = s.reissue(&["sign:1"], &first, 1_001_000);
        assert_eq!(
            s.verify(&["sign:1"], &early, 1_001_100, min),
            Err(FormTokenError::TooFast)
        );
        // It still expires when the first one would have.
        let late = 1_000_000 + MAX_AGE.as_millis() as i64 + 1;
        assert_eq!(
            s.verify(&["sign:1"], &again, late, min),
            Err(FormTokenError::Expired)
        );
    }

    #[test]
    fn only_an_authentic_live_token_passes_its_time_on() {
        let s = FormSigner::new(b"secret");
        let min = Duration::from_secs(3);
        let now = 50_000_000;
        let old = now - 10_000;
        let expired = s.issue(&["sign:1"], now - MAX_AGE.as_millis() as i64 - 1);
        let future = s.issue(&["sign:1"], now + 60_000);
        let other_letter = s.issue(&["sign:2"], old);
        let other_key = FormSigner::new(b"other").issue(&["sign:1"], old);
        let forged_time = format!("{old}.{}", s.issue(&["sign:1"], now).split_once('.').unwrap().1);
        let authentic = s.issue(&["sign:1"], old);
        let plus_sign = format!("+{authentic}");
        let zero_padded = format!("0{authentic}");
        for (what, submitted) in [
            ("expired", expired.as_str()),
            ("issued in the future", future.as_str()),
            ("for another letter", other_letter.as_str()),
            ("signed by another key", other_key.as_str()),
            ("with a forged time", forged_time.as_str()),
            ("with a plus sign before its time", plus_sign.as_str()),
            ("with its time padded with a zero", zero_padded.as_str()),
            ("empty", ""),
            ("garbage", "1.2"),
        ] {
            let t = s.reissue(&["sign:1"], submitted, now);
            assert_eq!(t, s.issue(&["sign:1"], now), "{what}: a fresh token");
            assert_eq!(
                s.verify(&["sign:1"], &t, now + 100, min),
                Err(FormTokenError::TooFast),
                "{what}: the filling time starts now"
            );
        }
    }
}
