//! How an email is put together: paragraphs written once and rendered to
//! both the text and the HTML part, and the HTML document that holds them.

use crate::db::outbox::NewEmail;
use crate::i18n::Tr;
use maud::{html, PreEscaped, DOCTYPE};

/// One paragraph of an email. Each is written once and rendered to both
/// the text and the HTML part, so the two cannot drift apart.
pub(crate) enum Part<'a> {
    Text(String),
    /// A sentence, then on its own line the address it speaks of.
    Noted {
        note: String,
        url: &'a str,
    },
    /// An address alone, a link in HTML.
    Url(&'a str),
    /// The address the email is for: in HTML a button-like link, then the
    /// address spelled out for clients that hide links.
    Action {
        label: String,
        url: &'a str,
    },
    /// An organizer's message to signers: as typed in the text part,
    /// rendered and cleaned, images dropped
    /// (`views::markdown::render_message`), in the HTML part.
    Markdown(&'a str),
    /// Labelled values, one or more lines each: "Nom : Zoé L’Heureux".
    Fields(Vec<(String, Vec<String>)>),
}

/// Inline styles, since many mail clients drop a `<style>` block: type a
/// phone can read without zooming, dark on light whatever the client's
/// theme, and long addresses that wrap instead of widening the message.
mod style {
    pub const BODY: &str = "margin:0;padding:0;background:#ffffff;";
    pub const FRAME: &str = "max-width:36em;margin:0 auto;padding:16px;background:#ffffff;color:#1a1a1a;\
        font-family:Georgia,'Times New Roman',serif;font-size:17px;line-height:1.55;\
        overflow-wrap:break-word;word-wrap:break-word;";
    pub const P: &str = "margin:0 0 1em;";
    pub const LINK: &str =
        "color:#0b5394;text-decoration:underline;word-break:break-all;overflow-wrap:anywhere;";
    pub const URL: &str =
        "margin:0 0 1em;font-size:16px;color:#4a4a4a;word-break:break-all;overflow-wrap:anywhere;";
    pub const BUTTON_CELL: &str = "border-radius:4px;background:#0b5394;";
    /// At least 44 pixels high: a thumb's target.
    pub const BUTTON: &str =
        "display:inline-block;padding:14px 24px;border-radius:4px;background:#0b5394;color:#ffffff;\
        font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:18px;font-weight:bold;\
        line-height:1.2;text-decoration:none;";
}

/// The text part of labelled fields: one value on the label's line, more
/// on lines of their own under it.
fn fields_text(tr: &Tr, fields: &[(String, Vec<String>)]) -> String {
    let lines: Vec<String> = fields
        .iter()
        .map(|(label, values)| match values.as_slice() {
            [one] => tr.ta(
                "phone-email-field",
                &[("label", label.as_str().into()), ("value", one.as_str().into())],
            ),
            many => {
                let head = tr.ta("phone-email-label", &[("label", label.as_str().into())]);
                many.iter().fold(head, |acc, v| format!("{acc}\n  {v}"))
            }
        })
        .collect();
    lines.join("\n")
}

/// The email made of these parts and its signoff.
pub(crate) fn compose(
    tr: &Tr,
    kind: &'static str,
    recipient: &str,
    subject: String,
    parts: &[Part],
    signoff: &str,
) -> NewEmail {
    let mut text = String::new();
    for part in parts {
        match part {
            Part::Text(s) => text.push_str(s),
            Part::Noted { note, url } => {
                text.push_str(note);
                text.push('\n');
                text.push_str(url);
            }
            Part::Url(url) | Part::Action { url, .. } => text.push_str(url),
            Part::Markdown(source) => text.push_str(source),
            Part::Fields(fields) => text.push_str(&fields_text(tr, fields)),
        }
        text.push_str("\n\n");
    }
    text.push_str(&format!("-- \n{signoff}\n"));
    let html = html! {
        @for part in parts {
            @match part {
                Part::Text(s) => p style=(style::P) { (s) },
                Part::Noted { note, url } => p style=(style::P) { (note) br; a href=(url) style=(style::LINK) { (url) } },
                Part::Url(url) => p style=(style::P) { a href=(url) style=(style::LINK) { (url) } },
                Part::Action { label, url } => {
                    // A table cell carries the colour where a client
                    // ignores the link's own background.
                    table role="presentation" border="0" cellspacing="0" cellpadding="0" style="margin:0 0 1em;" {
                        tr { td bgcolor="#0b5394" style=(style::BUTTON_CELL) {
                            a.button href=(url) style=(style::BUTTON) { (label) }
                        } }
                    }
                    p style=(style::URL) { (url) }
                },
                Part::Markdown(source) => div { (PreEscaped(crate::views::markdown::render_message(source))) },
                Part::Fields(fields) => {
                    @for (label, values) in fields {
                        p style=(style::P) {
                            strong { (label) }
                            @for value in values { br; (value) }
                        }
                    }
                },
            }
        }
        p style=(style::P) { "— " (signoff) }
    };
    NewEmail {
        kind,
        recipient: recipient.to_string(),
        subject,
        text,
        html: wrap_html(tr, html.into_string()),
        unsubscribe: None,
        sender_name: None,
        reply_to: None,
    }
}

/// The whole HTML document: sized for the phone's width, light whatever
/// the client's theme, one readable column.
fn wrap_html(tr: &Tr, body: String) -> String {
    html! {
        (DOCTYPE)
        html lang=(tr.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light";
                meta name="supported-color-schemes" content="light";
            }
            body style=(style::BODY) {
                div style=(style::FRAME) { (PreEscaped(body)) }
            }
        }
    }
    .into_string()
}
