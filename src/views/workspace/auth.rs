use super::{csrf_field, form_errors, page};
use crate::i18n::Tr;
use maud::{html, Markup};

pub fn sign_in(tr: &Tr, csrf: &str, email: &str, errors: &[String]) -> Markup {
    let content = html! {
        h1 { (tr.t("ws-sign-in-heading")) }
        (form_errors(tr, errors))
        form method="post" action="/workspace/sign-in" {
            (csrf_field(csrf))
            div.field {
                label for="email" { (tr.t("field-email")) }
                input #email type="email" name="email" value=(email) autocomplete="username" required;
            }
            div.field {
                label for="password" { (tr.t("ws-password")) }
                input #password type="password" name="password" autocomplete="current-password" required;
            }
            button type="submit" { (tr.t("ws-sign-in")) }
        }
        p { a href="/workspace/forgot" { (tr.t("ws-forgot-link")) } }
    };
    page(
        tr,
        "/workspace/sign-in",
        None,
        &tr.t("ws-sign-in-heading"),
        content,
    )
}

pub fn forgot(tr: &Tr, csrf: &str, sent: bool) -> Markup {
    let content = html! {
        h1 { (tr.t("ws-forgot-heading")) }
        @if sent {
            p role="status" { (tr.t("ws-forgot-sent")) }
        } @else {
            form method="post" action="/workspace/forgot" {
                (csrf_field(csrf))
                div.field {
                    label for="email" { (tr.t("field-email")) }
                    input #email type="email" name="email" autocomplete="username" required;
                }
                button type="submit" { (tr.t("ws-forgot-button")) }
            }
        }
    };
    page(tr, "/workspace/forgot", None, &tr.t("ws-forgot-heading"), content)
}

/// `ask_email`: the first admin, made at start-up, gives their own address.
pub fn set_password(
    tr: &Tr,
    csrf: &str,
    token: &str,
    email: &str,
    ask_email: bool,
    errors: &[String],
) -> Markup {
    let content = html! {
        h1 { (tr.t("ws-setup-heading")) }
        @if !ask_email { p { (email) } }
        (form_errors(tr, errors))
        form method="post" action={ "/workspace/setup/" (token) } {
            (csrf_field(csrf))
            @if ask_email {
                div.field {
                    label for="email" { (tr.t("field-email")) }
                    input #email type="email" name="email" autocomplete="username" required;
                }
            }
            div.field {
                label for="password" { (tr.t("ws-new-password")) }
                p.hint #password-hint { (tr.t("ws-password-hint")) }
                input #password type="password" name="password" autocomplete="new-password" required aria-describedby="password-hint";
            }
            div.field {
                label for="password2" { (tr.t("ws-repeat-password")) }
                input #password2 type="password" name="password2" autocomplete="new-password" required;
            }
            button type="submit" { (tr.t("ws-save-password")) }
        }
    };
    page(
        tr,
        &format!("/workspace/setup/{token}"),
        None,
        &tr.t("ws-setup-heading"),
        content,
    )
}
