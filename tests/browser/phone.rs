//! The letter on a phone: a way to the form in the first screen, and a
//! refused form that opens at its error summary.

use crate::driver::{run_all, Browser, Viewport};
use crate::helpers::{letter_source, spawn_app, TestApp, EXAMPLE_SLUG};
use std::time::{Duration, Instant};
use undersigned::db::organizers::{self, CreateOutcome};
use undersigned::domain::Lang;

/// The example is French; the English runs get a letter of their own,
/// long enough that the form starts below the first screen.
fn letter_for(app: &TestApp, lang: Lang) -> String {
    match lang {
        Lang::FR => EXAMPLE_SLUG.to_string(),
        _ => {
            let body =
                "A paragraph of the letter, long enough to fill a line or two on a phone.\n\n".repeat(12);
            let source = letter_source("open-letter", "en", "").replace("Body of the letter.", &body);
            app.publish_source(&source);
            "open-letter".to_string()
        }
    }
}

/// Where an element sits: (top, bottom) in the viewport, the viewport's
/// height, and how far the page is scrolled.
async fn place(b: &Browser, css: &str) -> (f64, f64, f64, f64) {
    let v = b
        .client
        .execute(
            "const r = document.querySelector(arguments[0]).getBoundingClientRect();
             return [r.top, r.bottom, window.innerHeight, window.scrollY];",
            vec![serde_json::json!(css)],
        )
        .await
        .expect("measure");
    let n = |i: usize| v[i].as_f64().unwrap_or(f64::NAN);
    (n(0), n(1), n(2), n(3))
}

async fn in_view(b: &Browser, css: &str) -> bool {
    let (top, bottom, height, _) = place(b, css).await;
    // A scrolled page can leave an element a fraction of a pixel off.
    top >= -1.0 && bottom <= height + 1.0
}

/// Waits until `css` is in view: the browser scrolls once the page is laid out.
async fn wait_in_view(b: &Browser, css: &str) {
    let deadline = Instant::now() + crate::helpers::PATIENCE;
    while !in_view(b, css).await {
        let at = place(b, css).await;
        assert!(Instant::now() < deadline, "{css} is not in view: {at:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn focused_id(b: &Browser) -> String {
    b.client
        .execute(
            "return document.activeElement ? document.activeElement.id : '';",
            vec![],
        )
        .await
        .expect("active element")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Waits until the focus is on `id`: focus moves as the page settles.
async fn wait_for_focus(b: &Browser, id: &str) {
    let deadline = Instant::now() + crate::helpers::PATIENCE;
    loop {
        let now = focused_id(b).await;
        if now == id {
            return;
        }
        assert!(Instant::now() < deadline, "focus is on {now:?}, expected {id:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn the_sign_link_is_in_the_first_screen_and_jumps_to_the_form() {
    run_all("phone-sign-link", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let slug = letter_for(&app, b.lang);
            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            let link = b.find(".sign-link").await;
            assert!(link.is_displayed().await.unwrap(), "the Sign link shows");
            assert_eq!(link.text().await.unwrap(), b.t("phone-sign-link"));
            assert!(
                in_view(b, ".sign-link").await,
                "the Sign link is in the first screen"
            );
            assert!(!in_view(b, "#sign-heading").await, "the form starts further down");
            let (top, bottom, ..) = place(b, ".sign-link").await;
            if b.viewport == Viewport::Narrow {
                // A thumb's target, with the count beside it.
                assert!(bottom - top >= 44.0, "the link is {} high", bottom - top);
                assert!(b.text(".sign-bar-count").await.contains("signature"));
            }
            b.check_page("letter-top", true).await;
            link.click().await.expect("click the Sign link");
            b.wait_for_url("#sign").await;
            assert!(in_view(b, "#sign-heading").await, "the form's heading is in view");
            assert!(
                place(b, "#sign-heading").await.3 > 0.0,
                "the page scrolled to the form"
            );
            b.check_page("letter-at-form", true).await;
        })
    })
    .await;
}

#[actix_web::test]
async fn a_refused_form_opens_at_its_focused_summary_whose_links_reach_the_fields() {
    run_all("phone-errors", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let slug = letter_for(&app, b.lang);
            b.goto(&app.url(&format!("/letters/{slug}"))).await;
            b.type_into("#name", "Zoé L’Heureux").await;
            b.type_into("#email", "pas-une-adresse").await;
            b.click("#sign form button[type=submit]").await;
            b.find("#error-summary").await;
            wait_for_focus(b, "error-summary").await;
            assert!(in_view(b, "#error-summary h3").await, "the summary opens in view");
            let summary = b.text("#error-summary").await;
            let tr = b.i18n.tr(b.lang);
            let email_error = b.text("#email-error").await;
            // WebDriver reads a no-break space as a space.
            let expected = tr
                .labelled(&b.t("phone-summary-email"), &email_error)
                .replace('\u{a0}', " ");
            assert!(summary.contains(&expected), "{summary}");
            assert!(summary.contains(&b.t("phone-summary-consent")), "{summary}");
            assert_eq!(
                b.find("#name").await.prop("value").await.unwrap().as_deref(),
                Some("Zoé L’Heureux")
            );
            b.check_page("summary", true).await;
            for field in ["email", "consent"] {
                b.click(&format!("#error-summary a[href='#{field}']")).await;
                wait_for_focus(b, field).await;
                assert!(in_view(b, &format!("#{field}")).await, "#{field} is in view");
            }
            b.check_page("summary-to-consent", true).await;
        })
    })
    .await;
}

#[actix_web::test]
async fn past_its_goal_the_letter_says_so_and_the_dashboard_offers_a_higher_one() {
    run_all("phone-goal", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let lang = b.lang.code();
            // French guillemets hold no-break spaces, as an organizer types them.
            let source =
                letter_source("objectif", lang, "goal = 1").replace("« objectif »", "«\u{a0}objectif\u{a0}»");
            let letter = app.publish_source(&source);
            app.sign_and_confirm_on("objectif", "Ada Lovelace", "ada@example.org")
                .await;
            app.sign_and_confirm_on("objectif", "Grace Hopper", "grace@example.org")
                .await;
            b.goto(&app.url("/letters/objectif")).await;
            let tr = b.i18n.tr(b.lang);
            let reached = undersigned::views::components::goal_reached(&tr, "phone-goal-reached", 2, 1);
            assert_eq!(b.text(".goal-reached").await, reached.replace('\u{a0}', " "));
            assert_eq!(b.text(".count-figure").await, b.count_text(2));
            assert!(
                b.client
                    .find(fantoccini::Locator::Css(".count progress"))
                    .await
                    .is_err(),
                "no full bar"
            );
            // The screenshot shows the count, not the top of the letter.
            b.client
                .execute("document.querySelector('.count').scrollIntoView();", vec![])
                .await
                .expect("scroll to the count");
            b.check_page("letter", true).await;

            // An admin sees the letter's dashboard, and the way to the goal.
            let setup = match app
                .with_tx(|c| organizers::create(c, "admin@example.org", true, undersigned::db::now()))
                .expect("create admin")
            {
                CreateOutcome::Created { setup, .. } => setup,
                CreateOutcome::AlreadyExists => panic!("the admin exists"),
            };
            b.goto(&app.url(&format!("/workspace/setup/{}?lang={lang}", setup.as_str())))
                .await;
            b.type_into("#password", crate::organizer::PASSWORD).await;
            b.type_into("#password2", crate::organizer::PASSWORD).await;
            b.click("form[action^='/workspace/setup/'] button[type=submit]")
                .await;
            b.find("a[href='/workspace/letters/new']").await;
            let dashboard = format!("/workspace/letters/{}", letter.id);
            b.goto(&app.url(&dashboard)).await;
            b.check_page("dashboard", false).await;
            b.click(&format!("p.goal-reached a[href='{dashboard}/edit#goal']"))
                .await;
            b.wait_for_url("/edit#goal").await;
            wait_in_view(b, "#goal").await;
            b.check_page("editor-goal", false).await;
        })
    })
    .await;
}
