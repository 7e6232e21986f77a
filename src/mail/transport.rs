use lettre::message::dkim::DkimConfig;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::file::FileTransport;
use lettre::transport::smtp::{PoolConfig, SmtpTransport};
use lettre::{Message, Transport};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::db::outbox::OutboxMessage;

/// Where email goes: a real SMTP server, or `.eml` files in a folder when
/// none is configured, so a fresh install works with no mail setup at all.
#[derive(Clone)]
pub enum Mailer {
    Smtp(SmtpTransport),
    File(FileTransport, PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("invalid SMTP URL (expected smtp://… or smtps://…): {0}")]
    SmtpUrl(lettre::transport::smtp::Error),
    #[error("cannot write emails to the outbox folder {path}: {source}; check that it exists and the user running undersigned may write it, or set UNDERSIGNED_SMTP_URL")]
    OutboxDir { path: String, source: std::io::Error },
    #[error("invalid sender address {0:?}")]
    Sender(String),
}

/// Why one delivery failed, and whether trying again can help.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("refused for good: {0}")]
    Permanent(String),
    #[error("{0}")]
    Transient(String),
    /// No answer from the server at all (refused, reset, timed out):
    /// likely the server, not this message.
    #[error("SMTP server unreachable: {0}")]
    Unreachable(String),
}

impl Mailer {
    /// `connections`: how many SMTP connections the pool keeps open
    /// between messages; the worker sends from that many threads.
    pub fn smtp(url: &str, timeout: Duration, connections: usize) -> Result<Mailer, MailerError> {
        let connections = u32::try_from(connections.max(1)).unwrap_or(u32::MAX);
        let transport = SmtpTransport::from_url(url)
            .map_err(MailerError::SmtpUrl)?
            .timeout(Some(timeout))
            .pool_config(PoolConfig::new().max_size(connections))
            .build();
        Ok(Mailer::Smtp(transport))
    }

    pub fn file(dir: &Path) -> Result<Mailer, MailerError> {
        let unwritable = |source| MailerError::OutboxDir {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(unwritable)?;
        // Refused now rather than on the first signer's confirmation email.
        let probe = dir.join(format!(".write-check-{}", std::process::id()));
        std::fs::write(&probe, b"").map_err(unwritable)?;
        std::fs::remove_file(&probe).map_err(unwritable)?;
        Ok(Mailer::File(FileTransport::new(dir), dir.to_path_buf()))
    }

    pub fn describe(&self) -> String {
        match self {
            Mailer::Smtp(_) => "SMTP".to_string(),
            Mailer::File(_, dir) => format!("files in {}", dir.display()),
        }
    }

    pub fn is_file(&self) -> bool {
        matches!(self, Mailer::File(..))
    }

    /// Whether the server answers a new connection now: one connection,
    /// whatever the number of messages waiting. A folder always answers.
    pub fn probe(&self) -> bool {
        match self {
            Mailer::Smtp(t) => match t.test_connection() {
                Ok(answered) => answered,
                Err(e) => {
                    tracing::debug!(error = %e, "SMTP server does not answer");
                    false
                }
            },
            Mailer::File(..) => true,
        }
    }

    pub fn send(
        &self,
        from: &Mailbox,
        message: &OutboxMessage,
        dkim: Option<&DkimConfig>,
    ) -> Result<(), SendError> {
        let mut email = build(from, message)?;
        if let Some(config) = dkim {
            email.sign(config);
        }
        match self {
            Mailer::Smtp(t) => t.send(&email).map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else if e.is_transient() || e.is_client() {
                    SendError::Transient(e.to_string())
                } else {
                    // No SMTP code: the connection was refused or cut, the
                    // greeting never came whole, a timeout, TLS. lettre
                    // names no connection errors as such.
                    SendError::Unreachable(e.to_string())
                }
            }),
            Mailer::File(t, _) => t
                .send(&email)
                .map(|_| ())
                .map_err(|e| SendError::Transient(e.to_string())),
        }
    }
}

/// Builds the MIME message. Headers come only from parsed values: the
/// recipient went through `Email::parse`, and lettre encodes the subject.
fn build(from: &Mailbox, message: &OutboxMessage) -> Result<Message, SendError> {
    // A message queued as its links and never written (an older build's
    // worker, a bug) would leave blank: it never leaves at all.
    if message.subject.is_empty() || (message.body_text.is_empty() && message.body_html.is_empty()) {
        return Err(SendError::Permanent("nothing written to send".into()));
    }
    let to: Mailbox = message
        .recipient
        .parse()
        .map_err(|e| SendError::Permanent(format!("invalid recipient: {e}")))?;
    // One id a message, the same on every attempt: a retry after an
    // unclear failure is recognisable as the same message.
    // The address stays the site's (SPF, DKIM); only the name shown is the
    // letter's organizers'.
    let from = match &message.sender_name {
        Some(name) => Mailbox::new(Some(name.clone()), from.email.clone()),
        None => from.clone(),
    };
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .message_id(Some(format!("<{}@{}>", message.id, from.email.domain())))
        .subject(message.subject.clone());
    // An address that no longer parses loses its Reply-To, not its message:
    // replies then go to the sender, as before letters had contacts.
    match message.reply_to.as_deref().map(str::parse::<Mailbox>) {
        Some(Ok(reply_to)) => builder = builder.reply_to(reply_to),
        Some(Err(e)) => tracing::warn!(id = %message.id, error = %e, "reply-to address dropped"),
        None => {}
    }
    if let Some(url) = &message.unsubscribe_url {
        // RFC 2369 and RFC 8058: mail clients show an unsubscribe button
        // and may POST to the address once, without the reader's session.
        builder = builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_string(),
            ));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            message.body_text.clone(),
            message.body_html.clone(),
        ))
        .map_err(|e| SendError::Permanent(format!("cannot build message: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(subject: &str, text: &str, html: &str) -> OutboxMessage {
        OutboxMessage {
            id: "m1".into(),
            kind: "confirm".into(),
            recipient: "r@example.org".into(),
            subject: subject.into(),
            body_text: text.into(),
            body_html: html.into(),
            attempts: 0,
            unsubscribe_url: None,
            sender_name: None,
            reply_to: None,
            links: None,
        }
    }

    /// An email never leaves blank, whatever queued it that way.
    #[test]
    fn a_message_with_nothing_written_is_refused_for_good() {
        let from: Mailbox = "site@example.org".parse().unwrap();
        for blank in [message("", "t", "h"), message("s", "", "")] {
            assert!(matches!(build(&from, &blank), Err(SendError::Permanent(_))));
        }
        assert!(build(&from, &message("s", "t", "h")).is_ok());
    }
}
