//! A reader finds a name on the signatories page, is told why a one-letter
//! search is refused, and reads who signed on the figures page.

use crate::driver::{run_all, Browser};
use crate::helpers::{spawn_app, TestApp, EXAMPLE_SLUG};

async fn sign_from(app: &TestApp, name: &str, email: &str, city: &str) {
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", name),
                ("email", email),
                ("titles", "Coopérative Les Pignons"),
                ("city", city),
                ("visibility", "public"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let emails = app.wait_for_file_emails(email, 1).await;
    assert_eq!(app.post(&emails[0].confirm_link()).await.status().as_u16(), 200);
}

async fn search(b: &Browser, text: &str) {
    b.type_into("#q", text).await;
    b.click(".search button[type=submit]").await;
}

#[actix_web::test]
async fn a_reader_finds_a_name_and_sees_who_signed() {
    run_all("finding", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            sign_from(&app, "Émile Lévesque", "emile@example.org", "Sherbrooke").await;
            sign_from(&app, "Rose Gagnon", "rose@example.org", "Rimouski").await;
            let list = app.url(&format!("/letters/{EXAMPLE_SLUG}/signatories"));
            b.goto(&list).await;
            b.check_page("signatories", true).await;

            search(b, "levesque").await;
            b.wait_for_url("q=levesque").await;
            let found = b.text(".public-signatories").await;
            assert!(found.contains("Émile Lévesque"), "{found}");
            assert!(!found.contains("Rose Gagnon"), "{found}");
            assert_eq!(b.attr("#q", "value").await, "levesque");
            b.check_page("search-results", true).await;

            search(b, "é").await;
            b.wait_for_url("q=%C3%A9").await;
            assert_eq!(b.text("#q-error").await, b.t("search-too-short"));
            assert_eq!(b.attr("#q", "aria-invalid").await, "true");
            b.check_page("search-refused", true).await;

            b.goto(&app.url(&format!("/letters/{EXAMPLE_SLUG}"))).await;
            b.click(&format!("a[href='/letters/{EXAMPLE_SLUG}/stats']")).await;
            b.wait_for_heading(&b.t("stats-heading")).await;
            let regions = b.text("table.figures").await;
            assert!(
                regions.contains("Estrie") && regions.contains("Bas-Saint-Laurent"),
                "{regions}"
            );
            assert_eq!(b.attr("figure.chart svg", "role").await, "img");
            b.check_page("stats", true).await;
        })
    })
    .await;
}
