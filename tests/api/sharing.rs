//! Sharing: preview tags, the share card, and the embeddable widget.

use crate::helpers::{spawn_app, EXAMPLE_SLUG};
use crate::workspace::organizer;
use undersigned::db::letters;

#[actix_web::test]
async fn letter_pages_carry_preview_tags_and_language_alternates() {
    let app = spawn_app().await;
    let (_, page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    let canonical = app.url(&format!("/letters/{EXAMPLE_SLUG}"));
    for needle in [
        format!("<link rel=\"canonical\" href=\"{canonical}\">"),
        format!("<link rel=\"alternate\" hreflang=\"fr\" href=\"{canonical}?lang=fr\">"),
        format!("<link rel=\"alternate\" hreflang=\"en\" href=\"{canonical}?lang=en\">"),
        "<meta property=\"og:title\" content=\"Lettre ouverte sur l’avenir des coopératives d’habitation\">"
            .to_string(),
        format!("<meta property=\"og:image\" content=\"{canonical}/card.svg\">"),
        "<meta name=\"twitter:card\" content=\"summary_large_image\">".to_string(),
    ] {
        assert!(page.contains(&needle), "missing {needle}");
    }
    let description = page
        .split("<meta property=\"og:description\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("og:description");
    assert!(!description.is_empty());
    assert!(
        !description.contains('<') && !description.contains('#'),
        "{description}"
    );
}

#[actix_web::test]
async fn the_share_card_is_svg_with_the_live_count() {
    let app = spawn_app().await;
    let card = format!("/letters/{EXAMPLE_SLUG}/card.svg");
    let r = app.get(&card).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("image/svg+xml"));
    let svg = r.text().await.unwrap();
    assert!(svg.contains("3 signatures"), "{svg}");
    app.sign_and_confirm("Lucie Publique", "lucie@example.org").await;
    let svg = app.get(&card).await.text().await.unwrap();
    assert!(svg.contains("4 signatures"), "{svg}");
    assert_eq!(app.get("/letters/absent/card.svg").await.status().as_u16(), 404);
}

#[actix_web::test]
async fn only_the_widget_may_be_framed() {
    let app = spawn_app().await;
    let r = app.get(&format!("/letters/{EXAMPLE_SLUG}/embed")).await;
    assert_eq!(r.status().as_u16(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors *"), "{csp}");
    assert!(!csp.contains("frame-ancestors 'none'"), "{csp}");
    let body = r.text().await.unwrap();
    assert!(body.contains("target=\"_top\""), "{body}");
    assert!(body.contains(&format!("/letters/{EXAMPLE_SLUG}#sign")));
    assert!(body.contains("3 signatures"));

    let r = app.get(&format!("/letters/{EXAMPLE_SLUG}")).await;
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

#[actix_web::test]
async fn organizers_see_the_embed_snippet_on_the_dashboard() {
    let app = spawn_app().await;
    let org = organizer(&app, "ada@example.org", true).await;
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let (status, page) = org.get(&format!("/workspace/letters/{}", letter.id)).await;
    assert_eq!(status, 200);
    let src = app.url(&format!("/letters/{EXAMPLE_SLUG}/embed"));
    assert!(
        page.contains(&format!("&lt;iframe src=&quot;{src}&quot;")),
        "{page}"
    );
}
