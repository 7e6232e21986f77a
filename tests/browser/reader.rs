//! A reader signs, confirms, makes mistakes, and withdraws.

use crate::driver::{run_all, Browser};
use crate::helpers::{letter_source, spawn_app, spawn_app_with, TestApp, EXAMPLE_SLUG};
use std::time::{Duration, Instant};
use undersigned::domain::Lang;

/// A letter in the browser's language: the example is French; an English
/// one is published for the English runs.
fn letter_for(app: &TestApp, lang: Lang) -> (String, i64) {
    match lang {
        Lang::FR => (EXAMPLE_SLUG.to_string(), 3),
        _ => {
            app.publish_source(&letter_source("open-letter", "en", ""));
            ("open-letter".to_string(), 0)
        }
    }
}

async fn fill_and_sign(b: &Browser, name: &str, email: &str, consent: bool) {
    b.type_into("#name", name).await;
    b.type_into("#email", email).await;
    if consent {
        b.click("#consent").await;
    }
    b.click("#sign form button[type=submit]").await;
}

#[actix_web::test]
async fn a_reader_signs_and_confirms() {
    run_all("sign-confirm", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let (slug, before) = letter_for(&app, b.lang);
            let letter_url = app.url(&format!("/letters/{slug}"));
            b.goto(&letter_url).await;
            b.check_page("letter", true).await;
            fill_and_sign(b, "Ada Lovelace", "ada@example.org", true).await;
            b.wait_for_url("/check-email").await;
            b.wait_for_heading(&b.t("check-email-heading")).await;
            b.check_page("check-email", true).await;

            let emails = app.wait_for_file_emails("ada@example.org", 1).await;
            b.goto(&emails[0].confirm_link()).await;
            b.wait_for_heading(&b.t("confirm-heading")).await;
            b.check_page("confirm", true).await;
            b.click("main form button[type=submit]").await;
            b.wait_for_heading(&b.t("confirmed-heading")).await;
            b.check_page("confirmed", true).await;

            b.goto(&letter_url).await;
            assert_eq!(b.text(".count-figure").await, b.count_text(before + 1));
            assert!(b.text(".latest-signatories").await.contains("Ada Lovelace"));
            b.goto(&app.url(&format!("/letters/{slug}/signatories"))).await;
            b.check_page("signatories", true).await;
            b.goto(&app.url(&format!("/letters/{slug}/embed"))).await;
            b.check_page("embed", true).await;
            b.goto(&app.url(&format!("/?lang={}", b.lang.code()))).await;
            b.check_page("home", true).await;
        })
    })
    .await;
}

#[actix_web::test]
async fn form_errors_show_beside_their_fields_and_keep_what_was_typed() {
    run_all("form-errors", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let (slug, _) = letter_for(&app, b.lang);
            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            fill_and_sign(b, "Zoé L’Heureux", "pas-une-adresse", false).await;
            let email_error = b.text("#email-error").await;
            assert!(!email_error.is_empty());
            assert!(!b.text("#consent-error").await.is_empty());
            let email = b.find("#email").await;
            assert_eq!(
                email.prop("value").await.unwrap().as_deref(),
                Some("pas-une-adresse")
            );
            assert_eq!(email.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
            let described = email.attr("aria-describedby").await.unwrap().unwrap_or_default();
            assert!(described.contains("email-error"), "{described}");
            let name = b.find("#name").await;
            assert_eq!(
                name.prop("value").await.unwrap().as_deref(),
                Some("Zoé L’Heureux")
            );
            // The summary names the field: "Adresse courriel : cette adresse…"
            // (WebDriver reads a no-break space as a space).
            let tr = b.i18n.tr(b.lang);
            let named = tr.labelled(&b.t("phone-summary-email"), &email_error);
            assert!(b
                .text("#error-summary")
                .await
                .contains(&named.replace('\u{a0}', " ")));
            b.find("#error-summary a[href='#email']").await;
            b.check_page("errors", true).await;
        })
    })
    .await;
}

/// A browser that fills the form for its reader lets them send it within
/// seconds: the form comes back as typed, says the signature is not
/// recorded yet, and signs when sent again once the minimum is over.
#[actix_web::test]
async fn a_form_sent_at_once_comes_back_and_signs_when_sent_again() {
    run_all("too-fast", |b| {
        Box::pin(async move {
            let min_fill = Duration::from_secs(6);
            let app = spawn_app_with(|s| s.min_fill = min_fill).await;
            let (slug, _) = letter_for(&app, b.lang);
            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            let served = Instant::now();
            fill_and_sign(b, "Léa Pressée-Dumas", "lea@example.org", true).await;
            let summary = b.text("#error-summary").await;
            assert!(
                served.elapsed() < min_fill,
                "the form was sent after its minimum; the test proves nothing"
            );
            let said = b.t("error-form-too-fast").replace('\u{a0}', " ");
            assert!(summary.contains(&said), "{summary}");
            let name = b.find("#name").await;
            assert_eq!(
                name.prop("value").await.unwrap().as_deref(),
                Some("Léa Pressée-Dumas")
            );
            assert_eq!(b.attr("#consent", "checked").await, "true");
            assert!(app.file_emails("lea@example.org").is_empty());
            b.check_page("too-fast", true).await;

            // The reader reads the message, then sends again: the time
            // passing is what is tested.
            tokio::time::sleep(min_fill.saturating_sub(served.elapsed()) + Duration::from_millis(100)).await;
            b.click("#sign form button[type=submit]").await;
            b.wait_for_url("/check-email").await;
            let emails = app.wait_for_file_emails("lea@example.org", 1).await;
            assert_eq!(emails.len(), 1);
        })
    })
    .await;
}

#[actix_web::test]
async fn a_signer_withdraws() {
    run_all("withdraw", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            // sign_and_confirm signs the French example; the English run
            // withdraws in English through the language switch.
            let link = app
                .sign_and_confirm("Retrait Possible", "retrait@example.org")
                .await;
            let letter_url = app.url(&format!("/letters/{EXAMPLE_SLUG}?lang={}", b.lang.code()));
            b.goto(&letter_url).await;
            assert_eq!(b.text(".count-figure").await, b.count_text(4));
            let separator = if link.contains('?') { '&' } else { '?' };
            b.goto(&format!("{link}{separator}lang={}", b.lang.code())).await;
            b.wait_for_heading(&b.t("withdraw-heading")).await;
            b.check_page("withdraw", true).await;
            b.click("main form button[type=submit]").await;
            b.wait_for_heading(&b.t("withdrawn-heading")).await;
            b.check_page("withdrawn", true).await;
            b.goto(&letter_url).await;
            assert_eq!(b.text(".count-figure").await, b.count_text(3));
            assert!(!b.text("main").await.contains("Retrait Possible"));
        })
    })
    .await;
}
