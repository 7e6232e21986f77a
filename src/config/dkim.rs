//! Optional DKIM signing of every email: `dkim_key_file` (or
//! `UNDERSIGNED_DKIM_KEY_FILE`) names the private key, `dkim_selector` the
//! DNS record that publishes its public half, `dkim_domain` the signing
//! domain (the sender address's by default). The key is read and checked
//! at start: a key that cannot sign stops the start rather than sending
//! mail that receivers would reject.

use super::{ConfigError, FileSettings};
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm, DkimSigningKey,
};
use lettre::message::header::HeaderName;
use lettre::message::Mailbox;
use std::sync::Arc;

/// The headers signed. Those a message lacks are signed as absent, so none
/// can be added on the way; RFC 8058 asks that both `List-Unsubscribe`
/// headers be covered. Not `Content-Type`: lettre 0.11 writes a multipart
/// message's as part of its body, out of the signer's sight, so naming it
/// would sign it as absent and every verifier would reject the message.
const SIGNED: &[&str] = &[
    "From",
    "Reply-To",
    "Subject",
    "To",
    "Date",
    "Message-ID",
    "MIME-Version",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

/// A checked DKIM configuration. Its `Debug` shows no key: settings may be
/// logged.
#[derive(Clone)]
pub struct DkimSigner(Arc<DkimConfig>);

impl DkimSigner {
    pub fn config(&self) -> &DkimConfig {
        &self.0
    }
}

impl std::fmt::Debug for DkimSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DkimSigner(key withheld)")
    }
}

fn invalid(setting: &'static str, message: String) -> ConfigError {
    ConfigError::Invalid { setting, message }
}

/// The file's DKIM keys, read before the other settings take theirs.
#[derive(Default)]
pub(super) struct DkimFile {
    key_file: Option<String>,
    selector: Option<String>,
    domain: Option<String>,
    algorithm: Option<String>,
}

impl DkimFile {
    pub(super) fn of(file: &FileSettings) -> DkimFile {
        DkimFile {
            key_file: file.dkim_key_file.clone(),
            selector: file.dkim_selector.clone(),
            domain: file.dkim_domain.clone(),
            algorithm: file.dkim_algorithm.clone(),
        }
    }
}

pub(super) fn dkim(
    file: &DkimFile,
    env: &impl Fn(&str) -> Option<String>,
    mail_from: &Mailbox,
) -> Result<Option<DkimSigner>, ConfigError> {
    let selector = env("UNDERSIGNED_DKIM_SELECTOR").or_else(|| file.selector.clone());
    let Some(path) = env("UNDERSIGNED_DKIM_KEY_FILE").or_else(|| file.key_file.clone()) else {
        return match selector {
            Some(_) => Err(invalid(
                "dkim_key_file",
                "a DKIM selector needs its key file".into(),
            )),
            None => Ok(None),
        };
    };
    let selector = selector.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
        invalid(
            "dkim_selector",
            "a DKIM key needs the selector it is published under".into(),
        )
    })?;
    let domain = env("UNDERSIGNED_DKIM_DOMAIN")
        .or_else(|| file.domain.clone())
        .unwrap_or_else(|| mail_from.email.domain().to_string());
    let algorithm = match env("UNDERSIGNED_DKIM_ALGORITHM")
        .or_else(|| file.algorithm.clone())
        .as_deref()
    {
        None | Some("rsa") => DkimSigningAlgorithm::Rsa,
        Some("ed25519") => DkimSigningAlgorithm::Ed25519,
        Some(other) => {
            return Err(invalid(
                "dkim_algorithm",
                format!("{other:?}: use rsa or ed25519"),
            ))
        }
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| invalid("dkim_key_file", format!("cannot read {path}: {e}")))?;
    let key = DkimSigningKey::new(text.trim(), algorithm).map_err(|e| {
        let expected = match algorithm {
            DkimSigningAlgorithm::Rsa => "an RSA private key in PKCS#1 PEM (-----BEGIN RSA PRIVATE KEY-----)",
            DkimSigningAlgorithm::Ed25519 => "an Ed25519 private key: its 32 bytes in base64",
        };
        invalid("dkim_key_file", format!("{path} is not {expected}: {e}"))
    })?;
    let headers = SIGNED.iter().map(|h| HeaderName::new_from_ascii_str(h)).collect();
    // Relaxed both ways: relays that refold a header or trim a line's end
    // keep the signature valid.
    let canonicalization = DkimCanonicalization {
        header: DkimCanonicalizationType::Relaxed,
        body: DkimCanonicalizationType::Relaxed,
    };
    Ok(Some(DkimSigner(Arc::new(DkimConfig::new(
        selector.trim().to_string(),
        domain,
        key,
        headers,
        canonicalization,
    )))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from() -> Mailbox {
        "Lettres <noreply@lettres.example>".parse().unwrap()
    }

    #[test]
    fn off_unless_a_key_is_given_and_every_mistake_stops_the_start() {
        let none = |_: &str| None;
        assert!(dkim(&DkimFile::default(), &none, &from()).unwrap().is_none());
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.pem");
        std::fs::write(&bad, "not a key").unwrap();
        let bad = bad.display().to_string();
        let cases: [(&[(&str, &str)], &str); 4] = [
            (&[("UNDERSIGNED_DKIM_SELECTOR", "s1")], "needs its key file"),
            (&[("UNDERSIGNED_DKIM_KEY_FILE", "/nowhere/key.pem")], "selector"),
            (
                &[
                    ("UNDERSIGNED_DKIM_KEY_FILE", "/nowhere/key.pem"),
                    ("UNDERSIGNED_DKIM_SELECTOR", "s1"),
                ],
                "cannot read",
            ),
            (
                &[
                    ("UNDERSIGNED_DKIM_KEY_FILE", &bad),
                    ("UNDERSIGNED_DKIM_SELECTOR", "s1"),
                ],
                "PKCS#1",
            ),
        ];
        for (pairs, expected) in cases {
            let env = |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
            let e = dkim(&DkimFile::default(), &env, &from()).unwrap_err().to_string();
            assert!(e.contains(expected), "{pairs:?}: {e}");
        }
    }

    #[test]
    fn an_ed25519_key_signs_under_the_senders_domain() {
        // 32 bytes of zeros, base64: a valid (if useless) Ed25519 seed.
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("ed.key");
        std::fs::write(&key, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n").unwrap();
        let key = key.display().to_string();
        let pairs = [
            ("UNDERSIGNED_DKIM_KEY_FILE", key.as_str()),
            ("UNDERSIGNED_DKIM_SELECTOR", "ed1"),
            ("UNDERSIGNED_DKIM_ALGORITHM", "ed25519"),
        ];
        let env = |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
        let config = dkim(&DkimFile::default(), &env, &from()).unwrap().unwrap();
        let mut message = lettre::Message::builder()
            .from(from())
            .to("a@example.org".parse().unwrap())
            .subject("x")
            .body(String::from("y"))
            .unwrap();
        message.sign(config.config());
        assert!(!format!("{config:?}").contains("AAAA"));
        let raw = String::from_utf8(message.formatted()).unwrap();
        assert!(
            raw.contains("d=lettres.example") && raw.contains("s=ed1") && raw.contains("a=ed25519-sha256"),
            "{raw}"
        );
    }
}
