//! An organizer signs in, writes a letter, pastes its first signatories and
//! publishes it.

use crate::driver::{run_all, Browser};
use crate::helpers::{spawn_app, wait_until, TestApp};
use undersigned::db::organizers::{self, CreateOutcome};
use undersigned::domain::Lang;

pub(crate) const PASSWORD: &str = "une phrase de passe solide";

/// Creates the account and chooses its password through the emailed setup
/// page, then signs out, so that signing in is tested on its own.
pub(crate) async fn account(app: &TestApp, b: &Browser, email: &str) {
    let setup = match app
        .with_tx(|c| organizers::create(c, email, false, undersigned::db::now()))
        .expect("create organizer")
    {
        CreateOutcome::Created { setup, .. } => setup,
        CreateOutcome::AlreadyExists => panic!("{email} exists"),
    };
    b.goto(&app.url(&format!(
        "/workspace/setup/{}?lang={}",
        setup.as_str(),
        b.lang.code()
    )))
    .await;
    b.type_into("#password", PASSWORD).await;
    b.type_into("#password2", PASSWORD).await;
    b.click("form[action^='/workspace/setup/'] button[type=submit]")
        .await;
    b.find("a[href='/workspace/letters/new']").await;
    b.client.delete_all_cookies().await.expect("sign out");
}

/// Signs in and writes a new letter in the run's language, up to its
/// dashboard.
pub(crate) async fn write_letter(app: &TestApp, b: &Browser, email: &str, slug: &str) {
    let lang = b.lang.code();
    b.goto(&app.url(&format!("/workspace/sign-in?lang={lang}"))).await;
    b.check_page("sign-in", false).await;
    b.type_into("#email", email).await;
    b.type_into("#password", PASSWORD).await;
    b.click("form[action='/workspace/sign-in'] button[type=submit]")
        .await;
    b.find("a[href='/workspace/letters/new']")
        .await
        .click()
        .await
        .expect("new letter");

    b.type_into("#slug", slug).await;
    b.click(&format!("#language option[value='{lang}']")).await;
    b.type_into("#title", "Pour des pistes cyclables sûres").await;
    b.type_into("#place", "Rimouski").await;
    // Typing into a date field depends on the browser's locale;
    // setting its value is what a date picker does.
    b.client
        .execute("document.getElementById('date').value = '2026-06-01';", vec![])
        .await
        .expect("set date");
    b.type_into("#addressees", "Au conseil municipal").await;
    // Typed as a careful writer of the letter's language would.
    let preamble = match b.lang {
        Lang::FR => "Nous soussignés\u{a0}:",
        _ => "We, the undersigned:",
    };
    b.type_into("#preamble", preamble).await;
    b.type_into("#body", "Premier paragraphe.\n\nSecond paragraphe.")
        .await;
    b.check_page("new-letter", false).await;
    b.click("form[action='/workspace/letters/new'] button[type=submit]")
        .await;
}

#[actix_web::test]
async fn an_organizer_creates_fills_and_publishes_a_letter() {
    run_all("organizer", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            account(&app, b, "orga@example.org").await;
            let lang = b.lang.code();

            let slug = format!("lettre-navigateur-{lang}");
            write_letter(&app, b, "orga@example.org", &slug).await;

            let publish = b.find("main a[href$='/publish']").await;
            let publish_path = publish.attr("href").await.unwrap().expect("publish link");
            let ws = publish_path.trim_end_matches("/publish").to_string();
            b.check_page("dashboard", false).await;

            b.goto(&app.url(&format!("{ws}/import"))).await;
            b.type_into(
                "#text",
                "Marie Tremblay\nPrésidente du Mouvement X (1987-2000)\n\nJean Côté\nÉconomiste",
            )
            .await;
            b.click("button[name=step][value=preview]").await;
            b.click("button[name=step][value=save]").await;
            b.wait_for_url(&format!("{ws}/signatories")).await;

            b.goto(&app.url(&publish_path)).await;
            b.check_page("publish", false).await;
            b.click("form[action$='/publish'] button[type=submit]").await;
            b.wait_for_url(&ws).await;
            b.find("#embed-snippet").await;

            // Download the PDF as the export form on the dashboard asks for
            // it, with the browser's own session; headless Chromium saves no
            // files, so the page fetches it and reports what came back.
            let pdf = b
                .client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const form = document.querySelector(\"form[action$='/export']\");
                     const url = form.action + '?format=pdf&columns=2';
                     fetch(url, { credentials: 'same-origin' })
                       .then(r => r.arrayBuffer().then(b => done([r.status,
                         r.headers.get('content-type'),
                         String.fromCharCode(...new Uint8Array(b.slice(0, 4))), b.byteLength])))
                       .catch(e => done([0, String(e), '', 0]));",
                    vec![],
                )
                .await
                .expect("download the PDF");
            assert_eq!(pdf[0].as_i64(), Some(200), "{pdf:?}");
            assert_eq!(pdf[1].as_str(), Some("application/pdf"), "{pdf:?}");
            assert_eq!(pdf[2].as_str(), Some("%PDF"), "{pdf:?}");
            assert!(pdf[3].as_i64().unwrap_or(0) > 1000, "{pdf:?}");

            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            let initial = b.text(".initial-signatories").await;
            let (marie, jean) = (
                initial.find("Marie Tremblay").expect("Marie listed"),
                initial.find("Jean Côté").expect("Jean listed"),
            );
            assert!(marie < jean, "{initial}");
            assert_eq!(b.text(".count-figure").await, b.count_text(2));
            b.check_page("published", true).await;

            // The letter in the other language: a version of its own, which
            // the public versions page shows in that language.
            let other = Lang::all().find(|l| *l != b.lang).expect("two languages");
            b.goto(&app.url(&ws)).await;
            b.click(&format!("main a[href$='/translation?to={other}']")).await;
            b.check_page("translation", false).await;
            let (title, preamble, body) = match other {
                Lang::FR => (
                    "Pour des pistes cyclables sûres",
                    "Nous soussignés\u{a0}:",
                    "Premier paragraphe.",
                ),
                _ => ("For safe bike lanes", "We, the undersigned:", "First paragraph."),
            };
            b.type_into("#title", title).await;
            b.type_into("#addressees", "Council").await;
            b.type_into("#preamble", preamble).await;
            b.type_into("#body", body).await;
            b.click("main form[action*='/translation'] button[type=submit]:not([value=delete])")
                .await;
            // Back on the dashboard (its URL is a prefix of the form's, so
            // wait for what only the dashboard shows): the version is saved.
            b.find("#embed-snippet").await;
            b.goto(&app.url(&format!("/letters/{slug}/versions"))).await;
            assert!(b.text("main").await.contains(title));
            b.check_page("versions", true).await;
        })
    })
    .await;
}

/// An embargo set in the browser: the dashboard says when, the public
/// address is not found until then, and at its time the letter appears.
#[actix_web::test]
async fn an_organizer_embargoes_a_letter_until_its_time() {
    run_all("embargo", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            account(&app, b, "embargo@example.org").await;
            let slug = format!("sous-embargo-{}", b.lang.code());
            write_letter(&app, b, "embargo@example.org", &slug).await;
            let publish = b.find("main a[href$='/publish']").await;
            let publish_path = publish.attr("href").await.unwrap().expect("publish link");
            let ws = publish_path.trim_end_matches("/publish").to_string();

            b.goto(&app.url(&publish_path)).await;
            // A date picker sets the value; typing depends on the locale.
            b.client
                .execute(
                    "document.getElementById('publish_at').value = '2099-06-01T06:00';",
                    vec![],
                )
                .await
                .expect("set the time");
            b.check_page("publish-later", false).await;
            b.click("main form:has(#publish_at) button[type=submit]").await;
            b.wait_for_url(&ws).await;
            assert!(b.text("p.scheduled").await.contains("2099-06-01 06:00"));
            b.check_page("embargoed", false).await;

            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            b.wait_for_heading(&b.t("not-found-heading")).await;

            // The time comes.
            app.with_conn(|c| {
                use diesel::prelude::*;
                use undersigned::db::schema::letters;
                diesel::update(letters::table.filter(letters::slug.eq(&slug)))
                    .set(letters::publish_at.eq(Some(undersigned::db::now())))
                    .execute(c)
                    .expect("end the embargo")
            });
            wait_until("the letter to appear", || {
                let status: String = app.with_conn(|c| {
                    use diesel::prelude::*;
                    use undersigned::db::schema::letters;
                    letters::table
                        .filter(letters::slug.eq(&slug))
                        .select(letters::status)
                        .first(c)
                        .expect("the letter")
                });
                (status == "published").then_some(())
            })
            .await;
            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            assert_eq!(b.text(".count-figure").await, b.count_text(0));
            b.check_page("appeared", true).await;
        })
    })
    .await;
}
