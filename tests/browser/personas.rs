//! Readers of a letter written in another language than theirs: an English
//! signer of a French letter (the English runs) and a French reader of an
//! English letter (the French runs). Each goes from the letter to the
//! emailed link, the manage page and the withdrawal in their own language,
//! while the letter's words stay in its own, with its own place-and-date
//! line and typography.

use crate::driver::{run_all, Browser};
use crate::helpers::{letter_source, spawn_app, TestApp, EXAMPLE_SLUG};
use chrono::NaiveDate;
use undersigned::domain::Lang;

/// The letter in the other language than the run's: its slug, language,
/// place-and-date line and count.
fn other_language_letter(app: &TestApp, b: &Browser) -> (String, Lang, String, i64) {
    let (slug, lang, place, date, count) = match b.lang {
        Lang::FR => {
            app.publish_source(&letter_source("open-letter", "en", ""));
            ("open-letter", Lang::EN, "Québec", (2015, 5, 26), 0)
        }
        _ => (EXAMPLE_SLUG, Lang::FR, "Sherbrooke", (2026, 3, 3), 3),
    };
    let tr = b.i18n.tr(lang);
    let date = NaiveDate::from_ymd_opt(date.0, date.1, date.2).expect("a date");
    let place_date = tr.ta(
        "place-date",
        &[("place", place.into()), ("date", tr.date(date).into())],
    );
    (slug.to_string(), lang, place_date, count)
}

/// The letter's words are in its language inside a page in the reader's.
async fn letter_keeps_its_language(b: &Browser, lang: Lang, place_date: &str) {
    assert_eq!(b.attr("article.letter", "lang").await, lang.code());
    assert_eq!(b.text("article.letter .place-date").await, place_date);
}

#[actix_web::test]
async fn a_reader_of_another_language_signs_manages_and_withdraws() {
    run_all("other-language", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let (slug, lang, place_date, before) = other_language_letter(&app, b);
            // No switch, no cookie: the browser's language is the reader's.
            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            letter_keeps_its_language(b, lang, &place_date).await;
            b.check_page("letter", true).await;

            let email = "lecteur@example.org";
            b.type_into("#name", "Robin Lévesque-O’Neil").await;
            b.type_into("#email", email).await;
            b.click("#consent").await;
            b.click("#sign form button[type=submit]").await;
            b.wait_for_url("/check-email").await;
            b.wait_for_heading(&b.t("check-email-heading")).await;
            b.check_page("check-email", true).await;

            // The email speaks the signer's language.
            let emails = app.wait_for_file_emails(email, 1).await;
            let subject_word = b.t("email-confirm-subject");
            let first = subject_word.split_whitespace().next().unwrap_or_default();
            assert!(emails[0].subject.contains(first), "{}", emails[0].subject);

            // The link is opened later, in a browser that has forgotten the
            // site: the page speaks the language the signer signed in.
            b.client.delete_all_cookies().await.expect("forget the site");
            b.goto(&emails[0].confirm_link()).await;
            b.wait_for_heading(&b.t("confirm-heading")).await;
            b.check_page("confirm", true).await;
            b.click("main form button[type=submit]").await;
            b.wait_for_heading(&b.t("confirmed-heading")).await;
            b.check_page("confirmed", true).await;

            b.click("p.manage a").await;
            b.wait_for_heading(&b.t("manage-heading")).await;
            b.check_page("manage", true).await;
            let manage = b.client.current_url().await.expect("url").to_string();
            b.type_into("#city", "Trois-Rivières").await;
            b.click("main form:not([action$='/withdraw']) button[type=submit]")
                .await;
            assert_eq!(b.text("p.saved").await, b.t("manage-saved"));
            b.check_page("manage-saved", true).await;

            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            assert_eq!(b.text(".count-figure").await, b.count_text(before + 1));
            assert!(b
                .text(".latest-signatories")
                .await
                .contains("Robin Lévesque-O’Neil"));
            letter_keeps_its_language(b, lang, &place_date).await;

            b.goto(&app.url(&format!("/letters/{slug}/signatories"))).await;
            b.check_page("signatories", true).await;

            b.goto(&manage).await;
            b.click("main form[action$='/withdraw'] button[type=submit]")
                .await;
            b.wait_for_heading(&b.t("withdrawn-heading")).await;
            b.check_page("withdrawn", true).await;
            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            assert_eq!(b.text(".count-figure").await, b.count_text(before));
        })
    })
    .await;
}
