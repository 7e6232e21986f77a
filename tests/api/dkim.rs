//! DKIM: with a key configured, every email leaves signed, and an
//! independent verifier (dkimpy, Debian's python3-dkim) accepts the
//! signature against the public key an organizer would publish in DNS.

use crate::helpers::{spawn_app_with, SinkMode, SmtpSink};
use std::path::Path;
use undersigned::config::{Overrides, Settings};

const KEY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/dkim-test-key.pem");
const PUBLIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/dkim-test-key.pub");

/// What dkimpy says of `raw`, the DNS answering `<selector>._domainkey.<domain>`
/// with the test key; `None` when dkimpy is not installed (never under CI).
fn dkimpy_verifies(raw: &[u8]) -> Option<bool> {
    let python = Path::new("/usr/bin/python3");
    let ok = python.exists()
        && std::process::Command::new(python)
            .args(["-c", "import dkim"])
            .status()
            .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but dkimpy is missing: apt-get install python3-dkim"
        );
        eprintln!("dkimpy is not installed (apt-get install python3-dkim): DKIM left unverified");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let message = dir.path().join("message.eml");
    std::fs::write(&message, raw).unwrap();
    let script = r#"
import dkim, sys
message = open(sys.argv[1], 'rb').read()
public = open(sys.argv[2]).read().strip()
def dns(name, timeout=5):
    assert name == b's2026._domainkey.lettres.example.', name
    return ('v=DKIM1; k=rsa; p=' + public).encode()
print(dkim.verify(message, dnsfunc=dns))
"#;
    let out = std::process::Command::new(python)
        .args(["-c", script])
        .arg(&message)
        .arg(PUBLIC)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).trim() == "True")
}

#[actix_web::test]
async fn every_email_is_dkim_signed_and_verifies_until_tampered_with() {
    let sink = SmtpSink::start(SinkMode::Accept);
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(sink.url());
        s.mail_from = "Lettres ouvertes <noreply@lettres.example>".parse().unwrap();
        let env = |name: &str| match name {
            "UNDERSIGNED_DKIM_KEY_FILE" => Some(KEY.to_string()),
            "UNDERSIGNED_DKIM_SELECTOR" => Some("s2026".to_string()),
            "UNDERSIGNED_MAIL_FROM" => Some("noreply@lettres.example".to_string()),
            _ => None,
        };
        s.dkim = Settings::resolve(&Overrides::default(), env).unwrap().dkim;
    })
    .await;
    let r = app.sign_as("Félix Leclerc", "felix@example.org").await;
    assert_eq!(r.status().as_u16(), 303);
    let email = sink.wait_for(1).await.remove(0);
    // The header, unfolded.
    let header: String = email
        .raw
        .lines()
        .skip_while(|l| !l.starts_with("DKIM-Signature:"))
        .enumerate()
        .take_while(|(i, l)| *i == 0 || l.starts_with([' ', '\t']))
        .map(|(_, l)| l.trim())
        .collect();
    assert!(!header.is_empty(), "no DKIM-Signature in\n{}", email.raw);
    for tag in [
        "d=lettres.example",
        "s=s2026",
        "a=rsa-sha256",
        "c=relaxed/relaxed",
    ] {
        assert!(header.contains(tag), "{tag} in {header}");
    }
    let signed = header.to_ascii_lowercase();
    assert!(
        signed.contains(":list-unsubscribe-post") && signed.contains(":message-id:"),
        "{header}"
    );
    if let Some(verified) = dkimpy_verifies(email.raw.as_bytes()) {
        assert!(verified, "dkimpy rejects the signature:\n{}", email.raw);
        let tampered = email.raw.replacen("Subject: ", "Subject: [modifié] ", 1);
        assert_eq!(
            dkimpy_verifies(tampered.as_bytes()),
            Some(false),
            "a changed subject fails"
        );
    }
}
