//! The emails people receive, in text and HTML, built from the same
//! translated sentences.

use crate::db::outbox::NewEmail;
use crate::i18n::{Arg, Tr};
use maud::html;

pub struct Confirmation<'a> {
    pub recipient: &'a str,
    pub name: &'a str,
    pub letter_title: &'a str,
    pub confirm_url: &'a str,
    pub manage_url: &'a str,
    pub withdraw_url: &'a str,
    pub valid_days: i64,
}

pub struct AlreadySigned<'a> {
    pub recipient: &'a str,
    pub name: &'a str,
    pub letter_title: &'a str,
    pub manage_url: &'a str,
    pub withdraw_url: &'a str,
}

/// A name as used in a greeting: a trailing comma kept for the press list
/// would double the greeting's own.
fn greeting_name(name: &str) -> &str {
    name.trim_end_matches([',', ' '])
}

fn site(tr: &Tr) -> Arg {
    tr.t("site-name").into()
}

pub fn confirmation(tr: &Tr, m: &Confirmation) -> NewEmail {
    let title = || Arg::from(m.letter_title);
    let greeting = tr.ta("email-greeting", &[("name", greeting_name(m.name).into())]);
    let intro = tr.ta("email-confirm-intro", &[("title", title())]);
    let manage = tr.t("email-manage-note");
    let action = tr.t("email-confirm-action");
    let expiry = tr.ta("email-confirm-expiry", &[("days", Arg::Num(m.valid_days))]);
    let ignore = tr.t("email-confirm-ignore");
    let withdraw = tr.t("email-withdraw-note");
    let signoff = tr.ta("email-signoff", &[("site", site(tr))]);
    let text = format!(
        "{greeting}\n\n{intro}\n\n{confirm}\n\n{expiry} {ignore}\n\n{manage}\n{manage_url}\n\n{withdraw}\n{withdraw_url}\n\n-- \n{signoff}\n",
        confirm = m.confirm_url,
        manage_url = m.manage_url,
        withdraw_url = m.withdraw_url,
    );
    let html = html! {
        p { (greeting) }
        p { (intro) }
        p { a href=(m.confirm_url) { (action) } }
        p { (m.confirm_url) }
        p { (expiry) " " (ignore) }
        p { (manage) br; a href=(m.manage_url) { (m.manage_url) } }
        p { (withdraw) br; a href=(m.withdraw_url) { (m.withdraw_url) } }
        p { "— " (signoff) }
    };
    NewEmail {
        kind: "confirm",
        recipient: m.recipient.to_string(),
        subject: tr.ta("email-confirm-subject", &[("title", title())]),
        text,
        html: wrap_html(tr, html.into_string()),
    }
}

pub fn already_signed(tr: &Tr, m: &AlreadySigned) -> NewEmail {
    let greeting = tr.ta("email-greeting", &[("name", greeting_name(m.name).into())]);
    let intro = tr.ta("email-already-intro", &[("title", m.letter_title.into())]);
    let manage = tr.t("email-manage-note");
    let withdraw = tr.t("email-withdraw-note");
    let signoff = tr.ta("email-signoff", &[("site", site(tr))]);
    let text = format!(
        "{greeting}\n\n{intro}\n\n{manage}\n{manage_url}\n\n{withdraw}\n{url}\n\n-- \n{signoff}\n",
        manage_url = m.manage_url,
        url = m.withdraw_url
    );
    let html = html! {
        p { (greeting) }
        p { (intro) }
        p { (manage) br; a href=(m.manage_url) { (m.manage_url) } }
        p { (withdraw) br; a href=(m.withdraw_url) { (m.withdraw_url) } }
        p { "— " (signoff) }
    };
    NewEmail {
        kind: "already_signed",
        recipient: m.recipient.to_string(),
        subject: tr.ta("email-already-subject", &[("title", m.letter_title.into())]),
        text,
        html: wrap_html(tr, html.into_string()),
    }
}

pub struct LetterUpdated<'a> {
    pub recipient: &'a str,
    pub letter_title: &'a str,
    pub version: i32,
    pub versions_url: &'a str,
    pub manage_url: &'a str,
}

/// To signers who asked for news: the letter they signed has a new version.
pub fn letter_updated(tr: &Tr, m: &LetterUpdated) -> NewEmail {
    let intro = tr.ta(
        "email-updated-intro",
        &[
            ("title", m.letter_title.into()),
            ("version", Arg::Num(m.version as i64)),
        ],
    );
    let see = tr.t("email-updated-see");
    let manage = tr.t("email-manage-note");
    let signoff = tr.ta("email-signoff", &[("site", site(tr))]);
    let text = format!(
        "{intro}\n\n{see}\n{}\n\n{manage}\n{}\n\n-- \n{signoff}\n",
        m.versions_url, m.manage_url
    );
    let html = html! {
        p { (intro) }
        p { (see) br; a href=(m.versions_url) { (m.versions_url) } }
        p { (manage) br; a href=(m.manage_url) { (m.manage_url) } }
        p { "— " (signoff) }
    };
    NewEmail {
        kind: "letter_updated",
        recipient: m.recipient.to_string(),
        subject: tr.ta("email-updated-subject", &[("title", m.letter_title.into())]),
        text,
        html: wrap_html(tr, html.into_string()),
    }
}

/// The link to choose a new password, after "forgot password".
pub fn password_reset(tr: &Tr, recipient: &str, url: &str) -> NewEmail {
    let intro = tr.t("email-reset-intro");
    let expiry = tr.t("email-reset-expiry");
    let signoff = tr.ta("email-signoff", &[("site", site(tr))]);
    let text = format!("{intro}\n\n{url}\n\n{expiry}\n\n-- \n{signoff}\n");
    let html = html! {
        p { (intro) }
        p { a href=(url) { (url) } }
        p { (expiry) }
        p { "— " (signoff) }
    };
    NewEmail {
        kind: "password_reset",
        recipient: recipient.to_string(),
        subject: tr.t("email-reset-subject"),
        text,
        html: wrap_html(tr, html.into_string()),
    }
}

fn wrap_html(tr: &Tr, body: String) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"></head><body>{}</body></html>",
        tr.lang.code(),
        body
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;
    use crate::i18n::I18n;

    #[test]
    fn confirmation_in_french_escapes_html_and_keeps_typography() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(Lang::Fr);
        let email = confirmation(
            &tr,
            &Confirmation {
                recipient: "zoe@example.org",
                name: "Zoé <script>,",
                letter_title: "L’avenir « coopératif »",
                confirm_url: "http://x/confirm/abc",
                manage_url: "http://x/manage/ghi",
                withdraw_url: "http://x/withdraw/def",
                valid_days: 7,
            },
        );
        assert_eq!(
            email.subject,
            "Confirmez votre signature\u{a0}: L’avenir « coopératif »"
        );
        assert!(email.text.contains("Bonjour Zoé <script>,"));
        assert!(email.text.contains("http://x/confirm/abc"));
        assert!(email.text.contains("http://x/withdraw/def"));
        assert!(email.html.contains("Zoé &lt;script&gt;"));
        assert!(!email.html.contains("<script>"));
        assert!(email.html.contains("lang=\"fr\""));
    }

    #[test]
    fn already_signed_in_english() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(Lang::En);
        let email = already_signed(
            &tr,
            &AlreadySigned {
                recipient: "a@example.org",
                name: "Ann",
                letter_title: "Housing",
                manage_url: "http://x/manage/2",
                withdraw_url: "http://x/withdraw/1",
            },
        );
        assert_eq!(email.subject, "You have already signed: Housing");
        assert!(email.text.contains("already confirmed"));
        assert_eq!(email.kind, "already_signed");
    }
}
