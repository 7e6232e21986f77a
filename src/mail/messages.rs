//! The emails people receive, in text and HTML, built from the same
//! translated sentences.

use super::compose::{compose, Part};
use crate::db::outbox::NewEmail;
use crate::domain::Proposal;
use crate::i18n::{Arg, Tr};

pub struct Confirmation<'a> {
    pub recipient: &'a str,
    pub name: &'a str,
    pub letter_title: &'a str,
    pub sender: &'a LetterSender,
    pub confirm_url: &'a str,
    pub manage_url: &'a str,
    pub withdraw_url: &'a str,
    pub valid_days: i64,
    /// What the link confirms, as stored with it: the email states what
    /// will be published before the signer clicks.
    pub content: &'a Proposal,
}

pub struct AlreadySigned<'a> {
    pub recipient: &'a str,
    pub name: &'a str,
    pub letter_title: &'a str,
    pub sender: &'a LetterSender,
    pub manage_url: &'a str,
    pub withdraw_url: &'a str,
}

/// What a confirmation will publish, from the proposal stored with its link.
fn proposal_fields(tr: &Tr, p: &Proposal) -> Vec<Part<'static>> {
    let none = || vec![tr.t("confirm-none")];
    let titles = match p.titles.is_empty() {
        true => none(),
        false => p.titles.clone(),
    };
    let visibility = match p.is_public {
        true => "visibility-public",
        false => "visibility-count-only",
    };
    vec![
        Part::Text(tr.t("confirm-intro")),
        Part::Fields(vec![
            (tr.t("confirm-field-name"), vec![p.name.clone()]),
            (tr.t("confirm-field-titles"), titles),
            (
                tr.t("confirm-field-city"),
                p.city.clone().map_or_else(none, |c| vec![c]),
            ),
            (tr.t("confirm-field-visibility"), vec![tr.t(visibility)]),
        ]),
    ]
}

/// A name as used in a greeting: a trailing comma kept for the press list
/// would double the greeting's own.
fn greeting(tr: &Tr, name: &str) -> Part<'static> {
    let name = name.trim_end_matches([',', ' ']);
    Part::Text(tr.ta("email-greeting", &[("name", name.into())]))
}

fn noted<'a>(tr: &Tr, note: &str, url: &'a str) -> Part<'a> {
    Part::Noted {
        note: tr.t(note),
        url,
    }
}

/// How an email about a letter is signed: with the name of the body behind
/// it, as written ("La Coalition des coopératives…": its article is its
/// own, so no elision can go wrong), or as its organizers.
fn letter_signoff(tr: &Tr, organized_by: &str, title: &str) -> String {
    match organized_by.trim() {
        "" => tr.ta("email-signoff-letter", &[("title", title.into())]),
        name => name.to_string(),
    }
}

/// Who a letter's emails come from, as their readers see it: the body
/// behind the letter, and its contact person for replies. The address
/// itself stays the site's (SPF, DKIM).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterSender {
    /// The organizing body as written, or empty.
    pub organized_by: String,
    /// The contact person's address, or empty.
    pub reply_to: String,
}

impl LetterSender {
    pub fn of(letter: &crate::db::letters::Letter) -> LetterSender {
        LetterSender {
            organized_by: letter.organized_by.clone(),
            reply_to: letter.contacts.contact.email().to_string(),
        }
    }

    /// Sends `email` under the body's name, when the organizer gave one,
    /// and points replies at the contact person: the site's own sender
    /// address is read by nobody.
    fn apply(&self, mut email: NewEmail) -> NewEmail {
        // A display name that holds an address ("Desjardins
        // <securite@desjardins.com>") would show as that address in some
        // mail clients: the name keeps its words, never an address's marks.
        let name: String = self
            .organized_by
            .chars()
            .filter(|c| !matches!(c, '<' | '>' | '@' | '"'))
            .collect();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if !name.is_empty() {
            email.sender_name = Some(name);
        }
        if !self.reply_to.is_empty() {
            email.reply_to = Some(self.reply_to.clone());
        }
        email
    }
}

pub fn confirmation(tr: &Tr, m: &Confirmation) -> NewEmail {
    confirmation_with(tr, m, crate::db::outbox::CONFIRMATION_KIND, "email-confirm-intro")
}

/// The confirmation sent to a person an organizer imported from a form
/// they filled elsewhere: it says where the signature came from.
pub fn imported_confirmation(tr: &Tr, m: &Confirmation) -> NewEmail {
    confirmation_with(tr, m, "confirm_imported", "email-imported-intro")
}

fn confirmation_with(tr: &Tr, m: &Confirmation, kind: &'static str, intro: &str) -> NewEmail {
    let title = || Arg::from(m.letter_title);
    let expiry = tr.ta("email-confirm-expiry", &[("days", Arg::Num(m.valid_days))]);
    let ignore = tr.t("email-confirm-ignore");
    let email = compose(
        tr,
        kind,
        m.recipient,
        tr.ta("email-confirm-subject", &[("title", title())]),
        &[
            greeting(tr, m.name),
            Part::Text(tr.ta(intro, &[("title", title())])),
            Part::Action {
                label: tr.t("email-confirm-action"),
                url: m.confirm_url,
            },
            Part::Text(format!("{expiry} {ignore}")),
        ]
        .into_iter()
        .chain(proposal_fields(tr, m.content))
        .chain([
            noted(tr, "email-manage-note", m.manage_url),
            noted(tr, "email-withdraw-note", m.withdraw_url),
        ])
        .collect::<Vec<_>>(),
        &letter_signoff(tr, &m.sender.organized_by, m.letter_title),
    );
    m.sender.apply(email)
}

pub fn already_signed(tr: &Tr, m: &AlreadySigned) -> NewEmail {
    let title = || Arg::from(m.letter_title);
    let email = compose(
        tr,
        "already_signed",
        m.recipient,
        tr.ta("email-already-subject", &[("title", title())]),
        &[
            greeting(tr, m.name),
            Part::Text(tr.ta("email-already-intro", &[("title", title())])),
            noted(tr, "email-manage-note", m.manage_url),
            noted(tr, "email-withdraw-note", m.withdraw_url),
        ],
        &letter_signoff(tr, &m.sender.organized_by, m.letter_title),
    );
    m.sender.apply(email)
}

pub struct LetterUpdated<'a> {
    pub recipient: &'a str,
    pub letter_title: &'a str,
    pub sender: &'a LetterSender,
    pub version: i32,
    pub versions_url: &'a str,
    pub manage_url: &'a str,
    /// One click, no sign-in: no more news, the signature stays.
    pub unsubscribe_url: &'a str,
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
    let mut email = compose(
        tr,
        "letter_updated",
        m.recipient,
        tr.ta("email-updated-subject", &[("title", m.letter_title.into())]),
        &[
            Part::Text(intro),
            noted(tr, "email-updated-see", m.versions_url),
            noted(tr, "email-manage-note", m.manage_url),
            noted(tr, "email-unsubscribe-note", m.unsubscribe_url),
        ],
        &letter_signoff(tr, &m.sender.organized_by, m.letter_title),
    );
    email.unsubscribe = Some(m.unsubscribe_url.to_string());
    m.sender.apply(email)
}

pub struct ToSigners<'a> {
    pub recipient: &'a str,
    pub subject: &'a str,
    /// The organizer's Markdown.
    pub body: &'a str,
    pub letter_title: &'a str,
    pub sender: &'a LetterSender,
    pub manage_url: &'a str,
    /// One click, no sign-in: no more news, the signature stays.
    pub unsubscribe_url: &'a str,
    /// A copy the organizer sends to themself before the real one.
    pub test: bool,
}

/// An organizer's message to the signers who asked for news: their words,
/// then why the signer gets it and how to stop.
pub fn to_signers(tr: &Tr, m: &ToSigners) -> NewEmail {
    let title = || Arg::from(m.letter_title);
    let subject = match m.test {
        true => tr.ta("email-mailing-test-subject", &[("subject", m.subject.into())]),
        false => m.subject.to_string(),
    };
    let mut email = compose(
        tr,
        "mailing",
        m.recipient,
        subject,
        &[
            Part::Markdown(m.body),
            Part::Text(tr.ta("email-mailing-why", &[("title", title())])),
            noted(tr, "email-manage-note", m.manage_url),
            noted(tr, "email-unsubscribe-note", m.unsubscribe_url),
        ],
        &letter_signoff(tr, &m.sender.organized_by, m.letter_title),
    );
    if !m.test {
        email.unsubscribe = Some(m.unsubscribe_url.to_string());
    }
    m.sender.apply(email)
}

/// The link to choose a new password, after "forgot password".
pub fn password_reset(tr: &Tr, recipient: &str, url: &str) -> NewEmail {
    compose(
        tr,
        "password_reset",
        recipient,
        tr.t("email-reset-subject"),
        &[
            Part::Text(tr.t("email-reset-intro")),
            Part::Url(url),
            Part::Text(tr.t("email-reset-expiry")),
        ],
        &tr.t("site-name"),
    )
}

/// An admin's invitation: the link where the invited organizer chooses
/// their password.
pub fn invitation(tr: &Tr, recipient: &str, invited_by: &str, url: &str) -> NewEmail {
    compose(
        tr,
        "invitation",
        recipient,
        tr.t("email-invite-subject"),
        &[
            Part::Text(tr.ta("email-invite-intro", &[("by", invited_by.into())])),
            Part::Url(url),
            Part::Text(tr.t("email-invite-expiry")),
        ],
        &tr.t("site-name"),
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
        let tr = i18n.tr(Lang::FR);
        let email = confirmation(
            &tr,
            &Confirmation {
                recipient: "zoe@example.org",
                name: "Zoé <script>,",
                letter_title: "L’avenir « coopératif »",
                sender: &LetterSender {
                    organized_by: "La Coalition des coopératives d’habitation".into(),
                    reply_to: "marie@coop.example".into(),
                },
                confirm_url: "http://x/confirm/abc",
                manage_url: "http://x/manage/ghi",
                withdraw_url: "http://x/withdraw/def",
                valid_days: 7,
                content: &Proposal {
                    name: "Zoé <script>,".into(),
                    titles: vec!["Présidente (1998-2006)".into(), "Officière de l’Ordre".into()],
                    city: None,
                    is_public: false,
                    wants_updates: false,
                    language: Lang::FR,
                    consent_version: "v".into(),
                    letter_version: None,
                },
            },
        );
        // What will be published, from the stored proposal, in both parts.
        assert!(
            email.text.contains(
                "Titres et affiliations\u{a0}:\n  Présidente (1998-2006)\n  Officière de l’Ordre\nVille ou région\u{a0}: (aucun)\nAffichage\u{a0}: Me compter seulement"
            ),
            "{}",
            email.text
        );
        assert!(email
            .html
            .contains("<strong>Affichage</strong><br>Me compter seulement"));
        // A phone-sized document with a real button and wrapping links.
        assert!(email
            .html
            .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assert!(email.html.contains("font-size:17px") && email.html.contains("max-width:36em"));
        assert!(email.html.contains("padding:14px 24px"), "{}", email.html);
        assert!(email.html.contains("word-break:break-all"));
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
        // Signed by the body behind the letter, never by the software.
        assert!(
            email
                .text
                .ends_with("-- \nLa Coalition des coopératives d’habitation\n"),
            "{}",
            email.text
        );
        assert!(email
            .html
            .contains("— La Coalition des coopératives d’habitation"));
        assert!(!email.text.contains("undersigned"));
        // Sent under the body's name; replies reach its contact person.
        assert_eq!(
            email.sender_name.as_deref(),
            Some("La Coalition des coopératives d’habitation")
        );
        assert_eq!(email.reply_to.as_deref(), Some("marie@coop.example"));
    }

    #[test]
    fn already_signed_in_english() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(Lang::EN);
        let email = already_signed(
            &tr,
            &AlreadySigned {
                recipient: "a@example.org",
                name: "Ann",
                letter_title: "Housing",
                sender: &LetterSender::default(),
                manage_url: "http://x/manage/2",
                withdraw_url: "http://x/withdraw/1",
            },
        );
        assert_eq!(email.subject, "You have already signed: Housing");
        assert!(email.text.contains("already confirmed"));
        assert_eq!(email.kind, "already_signed");
        assert_eq!((email.sender_name, email.reply_to), (None, None));
        // No organizing body given: signed as the letter's organizers.
        assert!(
            email
                .text
                .ends_with("-- \nThe organizers of the letter “Housing”\n"),
            "{}",
            email.text
        );
    }

    #[test]
    fn a_sender_name_never_passes_for_an_address() {
        let sender = LetterSender {
            organized_by: "Desjardins <securite@desjardins.com> \"Service\"".into(),
            reply_to: String::new(),
        };
        let email = sender.apply(NewEmail {
            kind: "confirm",
            recipient: "a@example.org".into(),
            subject: String::new(),
            text: String::new(),
            html: String::new(),
            unsubscribe: None,
            sender_name: None,
            reply_to: None,
        });
        assert_eq!(
            email.sender_name.as_deref(),
            Some("Desjardins securitedesjardins.com Service")
        );
    }
}
