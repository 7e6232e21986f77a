//! Sharing: preview tags, the share card, and the embeddable widget.

use crate::helpers::{letter_source, spawn_app, TestApp, EXAMPLE_SLUG};
use crate::workspace::{organizer, Org};
use undersigned::db::letters::{self, LetterStatus};

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
        format!("<meta property=\"og:image\" content=\"{canonical}/card.png\">"),
        "<meta property=\"og:image:type\" content=\"image/png\">".to_string(),
        "<meta property=\"og:image:width\" content=\"1200\">".to_string(),
        "<meta property=\"og:image:height\" content=\"630\">".to_string(),
        "<meta property=\"og:image:alt\" content=\"La lettre".to_string(),
        "<meta name=\"twitter:card\" content=\"summary_large_image\">".to_string(),
    ] {
        assert!(page.contains(&needle), "missing {needle}");
    }
    // X falls back to og:title, og:description and og:image.
    for repeated in ["twitter:title", "twitter:description", "twitter:image"] {
        assert!(!page.contains(repeated), "{repeated} repeats an og: tag");
    }
    let description = page
        .split("<meta property=\"og:description\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("og:description");
    // The example opens on "Madame la Ministre,": previews skip it.
    assert!(
        description.starts_with("Depuis plus de cinquante ans"),
        "{description}"
    );
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

/// Decodes a PNG into its width, height and RGBA pixels.
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[actix_web::test]
async fn the_share_card_is_a_png_for_previews() {
    let app = spawn_app().await;
    let path = format!("/letters/{EXAMPLE_SLUG}/card.png");
    let r = app.get(&path).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let cache = r.headers()["cache-control"].to_str().unwrap().to_string();
    assert!(cache.starts_with("public, max-age="), "{cache}");
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let png = r.bytes().await.unwrap();
    let (w, h, px) = decode_png(&png);
    assert_eq!((w, h), (1200, 630));
    let distinct: std::collections::HashSet<&[u8]> = px.chunks(4).collect();
    assert!(distinct.len() > 10, "a blank card: {} colours", distinct.len());
    std::fs::create_dir_all("target/screenshots").unwrap();
    std::fs::write("target/screenshots/share-card.png", &png).unwrap();

    // Revalidation costs nothing; a new signature inside the same step
    // (3 → 4, exact below 100) is a new picture.
    let r = app
        .client
        .get(app.url(&path))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 304);
    app.sign_and_confirm("Lucie Publique", "lucie@example.org").await;
    let r = app.get(&path).await;
    assert_ne!(r.headers()["etag"].to_str().unwrap(), etag);
    assert_ne!(r.bytes().await.unwrap(), png);
    assert_eq!(app.get("/letters/absent/card.png").await.status().as_u16(), 404);
}

/// A published letter put back to draft, with an embargo when `until` is
/// given, before anything read it.
fn hidden_letter(app: &TestApp, slug: &str, until: Option<chrono::NaiveDateTime>) {
    use diesel::prelude::*;
    use undersigned::db::schema::letters as t;
    let letter = app.publish_source(&letter_source(slug, "fr", ""));
    let now = undersigned::db::now();
    app.with_conn(|c| letters::set_status(c, &letter.id, LetterStatus::Draft, now))
        .unwrap();
    if let Some(at) = until {
        app.with_conn(|c| {
            diesel::update(t::table.find(&letter.id))
                .set(t::publish_at.eq(at))
                .execute(c)
        })
        .unwrap();
    }
}

#[actix_web::test]
async fn drafts_and_embargoed_letters_have_no_card() {
    let app = spawn_app().await;
    hidden_letter(&app, "brouillon", None);
    hidden_letter(
        &app,
        "sous-embargo",
        Some(undersigned::db::now() + chrono::Duration::days(2)),
    );
    for slug in ["brouillon", "sous-embargo"] {
        for path in ["", "/card.png", "/card.svg", "/embed"] {
            let (status, body) = app.get_html(&format!("/letters/{slug}{path}")).await;
            assert_eq!(status, 404, "{slug}{path}");
            // Word for word the answer for a letter that does not exist.
            let (_, absent) = app.get_html(&format!("/letters/nulle-part{path}")).await;
            assert_eq!(body.replace(slug, "nulle-part"), absent, "{slug}{path} leaks");
        }
    }
}

/// The editor's fields for a new letter, with this share summary.
fn new_letter<'a>(slug: &'a str, summary: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("language", "fr"),
        ("title", "Pour des logements abordables"),
        ("place", "Rimouski"),
        ("date", "2026-06-01"),
        ("addressees", "Au conseil municipal"),
        ("preamble", "Nous soussignés\u{a0}:"),
        (
            "body",
            "Mesdames et Messieurs les élus,\n\nNous demandons des logements.",
        ),
        ("goal", ""),
        ("share_summary", summary),
    ]
}

async fn publish_new(org: &Org, fields: &[(&str, &str)]) {
    let r = org.post("/workspace/letters/new", fields).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let ws = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        org.post(&format!("{ws}/publish"), &[]).await.status().as_u16(),
        303
    );
}

fn og_description(page: &str) -> &str {
    page.split("<meta property=\"og:description\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("og:description")
}

#[actix_web::test]
async fn the_organizer_may_write_the_preview_summary() {
    let app = spawn_app().await;
    let org = organizer(&app, "ada@example.org", true).await;
    let summary = "Sherbrooke manque de 2\u{a0}000 logements abordables\u{202f}; la Ville peut agir.";
    publish_new(&org, &new_letter("avec-resume", summary)).await;
    publish_new(&org, &new_letter("sans-resume", "  ")).await;
    let (_, page) = app.get_html("/letters/avec-resume").await;
    assert_eq!(og_description(&page), summary);
    assert!(page.contains(&format!("<meta name=\"description\" content=\"{summary}\">")));
    let (_, page) = app.get_html("/letters/sans-resume").await;
    assert_eq!(og_description(&page), "Nous demandons des logements.");

    // Too long, or over two lines: refused in the reader's language, the
    // form keeps what was typed, nothing is stored.
    let letters_before = app.row_count("letters");
    let long = "a".repeat(301);
    for (summary, message) in [(long.as_str(), "300"), ("Une ligne.\nDeux lignes.", "")] {
        let r = org
            .post("/workspace/letters/new", &new_letter("refusee", summary))
            .await;
        assert_eq!(r.status().as_u16(), 422);
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"share_summary-error\""), "{page}");
        assert!(page.contains(message), "{page}");
        assert!(
            page.contains(&summary.replace('\n', "&#10;"))
                || page.contains(summary.split('\n').next().unwrap())
        );
    }
    assert_eq!(app.row_count("letters"), letters_before);
}

#[actix_web::test]
async fn after_signing_the_signer_is_invited_to_share() {
    let app = spawn_app().await;
    let public_url = app.url(&format!("/letters/{EXAMPLE_SLUG}"));
    let encoded: String = form_urlencoded::byte_serialize(public_url.as_bytes()).collect();
    let r = app.sign_as("Lucie Publique", "lucie@example.org").await;
    assert_eq!(r.status().as_u16(), 303);
    let check = r.headers()["location"].to_str().unwrap().to_string();
    let (status, page) = app.get_html(&check).await;
    assert_eq!(status, 200);
    let shares = |page: &str, count: &str| {
        assert!(page.contains("<section class=\"share\""), "{page}");
        assert!(page.contains(count), "{count}: {page}");
        for link in [
            format!("https://www.facebook.com/sharer/sharer.php?u={encoded}"),
            format!("https://www.linkedin.com/sharing/share-offsite/?url={encoded}"),
            format!("&amp;url={encoded}"),
            "https://wa.me/?text=".to_string(),
            "mailto:?subject=Lettre%20ouverte%20sur%20l%E2%80%99avenir".to_string(),
        ] {
            assert!(page.contains(&link), "missing {link}: {page}");
        }
        assert!(
            page.contains("<script src=\"/static/share.js\" defer></script>"),
            "{page}"
        );
        assert!(!page.contains("<script>"), "no inline script");
    };
    shares(&page, "3 signatures");

    let emails = app.wait_for_file_emails("lucie@example.org", 1).await;
    let r = app.post(&emails[0].confirm_link()).await;
    assert_eq!(r.status().as_u16(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    shares(&r.text().await.unwrap(), "4 signatures");

    let r = app.get("/static/share.js").await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert!(r.text().await.unwrap().contains("navigator.share"));
}
