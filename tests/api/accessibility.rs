//! Accessibility details the browser tests' axe run cannot see on its own.

use crate::helpers::{spawn_app, EXAMPLE_SLUG};

#[actix_web::test]
async fn a_refused_form_says_so_in_the_page_title() {
    let app = spawn_app().await;
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[("name", ""), ("email", "x"), ("visibility", "public")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("<title>Erreur\u{a0}: Lettre ouverte"), "{body}");
    assert!(body.contains("aria-invalid=\"true\""));
    assert!(body.contains("role=\"alert\""));
}

#[actix_web::test]
async fn focus_is_always_visible_and_the_progress_bar_has_its_value() {
    let app = spawn_app().await;
    let css = app.get("/static/style.css").await.text().await.unwrap();
    assert!(css.contains(":focus-visible {"), "{css}");
    let (_, page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert!(
        page.contains("<progress value=\"3\" max=\"1000\" aria-label=\""),
        "{page}"
    );
}
