//! Messages to a letter's signers: the list, the composing form with its
//! preview, and a message's progress once sent.

use super::letters::ws_letter;
use super::{csrf_field, page};
use crate::db::letters::Letter;
use crate::db::mailings::{Mailing, MailingText};
use crate::db::organizers::Organizer;
use crate::domain::mailing::Text;
use crate::domain::Lang;
use crate::i18n::{Arg, Tr};
use crate::model::{MailingId, MailingStatus};
use crate::views::markdown;
use maud::{html, Markup, PreEscaped};

pub fn base(l: &Letter) -> String {
    format!("{}/messages", ws_letter(&l.id))
}

pub fn of(l: &Letter, id: &MailingId) -> String {
    format!("{}/{id}", base(l))
}

fn status(tr: &Tr, m: &Mailing) -> String {
    let progress = || {
        tr.ta(
            "ws-mailing-progress",
            &[
                ("queued", Arg::Num(m.queued.into())),
                ("recipients", Arg::Num(m.recipients.into())),
                ("sent", Arg::Num(m.sent.into())),
                ("failed", Arg::Num(m.failed.into())),
            ],
        )
    };
    match m.status {
        MailingStatus::Draft => tr.t("ws-mailing-draft"),
        MailingStatus::Sending | MailingStatus::Sent => progress(),
        MailingStatus::Cancelled => format!("{} {}", tr.t("ws-mailing-cancelled"), progress()),
    }
}

/// The letter's messages, newest first, and the way to write one.
pub fn list(
    tr: &Tr,
    who: (&Organizer, &str),
    l: &Letter,
    subscribers: i64,
    all: &[(Mailing, Option<String>)],
) -> Markup {
    let heading = tr.t("ws-mailings");
    let content = html! {
        h1 { (heading) }
        p { (tr.ta("ws-mailing-subscribers", &[("n", Arg::Num(subscribers)), ("title", l.title.as_str().into())])) }
        p { a.button href={ (base(l)) "/new" } { (tr.t("ws-mailing-new")) } }
        @if !all.is_empty() {
            table.ws-table {
                thead { tr {
                    th scope="col" { (tr.t("ws-mailing-subject")) }
                    th scope="col" { (tr.t("ws-col-status")) }
                    th scope="col" { (tr.t("ws-mailing-started")) }
                } }
                tbody { @for (m, subject) in all {
                    tr {
                        td { a href=(of(l, &m.id)) { (subject.as_deref().filter(|s| !s.is_empty()).map_or_else(|| tr.t("ws-mailing-untitled"), str::to_string)) } }
                        td { (status(tr, m)) }
                        td { (m.started_at.map(|t| tr.time(t)).unwrap_or_else(|| "—".into())) }
                    }
                } }
            }
        }
        p { a href=(ws_letter(&l.id)) { "← " (tr.t("ws-back")) } }
    };
    page(tr, &base(l), Some(who), &heading, content)
}

/// What the composing form shows: the letter's languages with what was
/// typed in each, and why a field was refused.
pub struct Compose<'a> {
    pub letter: &'a Letter,
    pub id: Option<&'a MailingId>,
    pub languages: &'a [Lang],
    pub typed: &'a [Text],
    /// (field id, message), in the form's order.
    pub errors: &'a [(String, String)],
    pub subscribers: i64,
    pub notice: Option<String>,
    /// The texts as last saved, previewed under the form.
    pub saved: &'a [MailingText],
}

/// What the error summary calls a field: "Objet (Français)", so a message
/// says which of the languages' fields it is about.
fn label(tr: &Tr, id: &str) -> String {
    let Some((field, code)) = id.rsplit_once('-') else {
        return tr.t("ws-mailing-send-heading");
    };
    let message = match field {
        "subject" => "ws-mailing-subject",
        _ => "ws-mailing-body",
    };
    let name = tr.t(message);
    match code.parse::<Lang>() {
        Ok(lang) => format!("{name} ({})", tr.i18n.name(lang)),
        Err(_) => name,
    }
}

pub fn field_id(field: &str, lang: Lang) -> String {
    format!("{field}-{}", lang.code())
}

/// Subject and body per language, the preview of what is saved, a test
/// send, and the send itself (after ticking the confirmation).
pub fn compose(tr: &Tr, who: (&Organizer, &str), c: &Compose) -> Markup {
    let l = c.letter;
    let action = c.id.map_or_else(|| format!("{}/new", base(l)), |id| of(l, id));
    let error = |id: &str| c.errors.iter().find(|(f, _)| f == id).map(|(_, m)| m.as_str());
    let heading = tr.t("ws-mailing-compose");
    let content = html! {
        h1 { (heading) }
        @if let Some(n) = &c.notice { p.saved role="status" { (n) } }
        @if !c.errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" #error-summary {
                h2 { (tr.t("form-error-summary")) }
                ul { @for (field, m) in c.errors { li { a href={ "#" (field) } { (tr.labelled(&label(tr, field), m)) } } } }
            }
        }
        p.hint { (tr.t("ws-mailing-hint")) }
        form method="post" action=(action) novalidate {
            (csrf_field(who.1))
            @for (i, lang) in c.languages.iter().enumerate() {
                @let typed = c.typed.iter().find(|t| t.lang == Some(*lang));
                @let (sid, bid) = (field_id("subject", *lang), field_id("body", *lang));
                fieldset lang=(lang.code()) {
                    legend { (tr.i18n.name(*lang)) }
                    @if i > 0 { p.hint { (tr.t("ws-mailing-other-language")) } }
                    input type="hidden" name="lang" value=(lang.code());
                    div.field {
                        label for=(sid) { (tr.t("ws-mailing-subject")) }
                        input id=(sid) type="text" name="subject" maxlength="200"
                            value=(typed.map_or("", |t| t.subject.as_str()))
                            aria-invalid=[error(&sid).map(|_| "true")]
                            aria-describedby=[error(&sid).map(|_| format!("{sid}-error"))];
                        @if let Some(m) = error(&sid) { p.field-error id={ (sid) "-error" } { (m) } }
                    }
                    div.field {
                        label for=(bid) { (tr.t("ws-mailing-body")) }
                        textarea id=(bid) name="body" rows="12"
                            aria-invalid=[error(&bid).map(|_| "true")]
                            aria-describedby=[error(&bid).map(|_| format!("{bid}-error"))] {
                            (typed.map_or("", |t| t.body.as_str()))
                        }
                        @if let Some(m) = error(&bid) { p.field-error id={ (bid) "-error" } { (m) } }
                    }
                }
            }
            div.mailing-buttons {
                button type="submit" name="action" value="save" { (tr.t("ws-mailing-save")) }
                button type="submit" name="action" value="test" { (tr.ta("ws-mailing-test", &[("email", who.0.email.as_str().into())])) }
            }
            h2 { (tr.t("ws-mailing-send-heading")) }
            div.field.checkbox {
                input #confirm type="checkbox" name="confirm" value="yes"
                    aria-invalid=[error("confirm").map(|_| "true")]
                    aria-describedby=[error("confirm").map(|_| "confirm-error")];
                label for="confirm" { (tr.ta("ws-mailing-confirm", &[("n", Arg::Num(c.subscribers))])) }
                @if let Some(m) = error("confirm") { p.field-error #confirm-error { (m) } }
            }
            button type="submit" name="action" value="send" { (tr.ta("ws-mailing-send", &[("n", Arg::Num(c.subscribers))])) }
        }
        @if !c.saved.is_empty() { (preview(tr, c.saved)) }
        p { a href=(base(l)) { "← " (tr.t("ws-mailings")) } }
    };
    page(tr, &action, Some(who), &heading, content)
}

/// The saved texts as signers will read them: images dropped, as in the
/// email.
pub fn preview(tr: &Tr, texts: &[MailingText]) -> Markup {
    html! {
        section #preview aria-labelledby="preview-heading" {
            h2 #preview-heading { (tr.t("ws-mailing-preview")) }
            @for t in texts {
                article.mailing-preview lang=(t.language) {
                    h3 { (t.subject) }
                    (PreEscaped(markdown::render_message(&t.body)))
                }
            }
        }
    }
}

/// A message once sent: what it said, and how far its sending has gone.
pub fn sent(tr: &Tr, who: (&Organizer, &str), l: &Letter, m: &Mailing, texts: &[MailingText]) -> Markup {
    let heading = tr.t("ws-mailing-sent-heading");
    let content = html! {
        h1 { (heading) }
        p role="status" #progress data-status=(m.status.as_str()) { (status(tr, m)) }
        @if let Some(at) = m.started_at { p { (tr.ta("ws-mailing-started-at", &[("time", tr.time(at).into())])) } }
        @if let Some(at) = m.finished_at {
            @let finished = match m.status {
                MailingStatus::Cancelled => "ws-mailing-cancelled-at",
                _ => "ws-mailing-finished-at",
            };
            p { (tr.ta(finished, &[("time", tr.time(at).into())])) }
        }
        @if m.status == MailingStatus::Sending {
            p { a href=(of(l, &m.id)) { (tr.t("ws-mailing-refresh")) } }
            form method="post" action=(of(l, &m.id)) {
                (csrf_field(who.1))
                input type="hidden" name="action" value="cancel";
                p.hint #cancel-hint { (tr.t("ws-mailing-cancel-hint")) }
                button type="submit" aria-describedby="cancel-hint" { (tr.t("ws-mailing-cancel")) }
            }
        }
        (preview(tr, texts))
        p { a href=(base(l)) { "← " (tr.t("ws-mailings")) } }
    };
    page(tr, &of(l, &m.id), Some(who), &heading, content)
}
