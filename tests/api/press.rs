//! Who is behind each letter, the privacy officer, and the press kit with
//! its logo and downloads: as readers, journalists, co-editors and
//! strangers meet them.

use crate::helpers::{spawn_app_with, TestApp};
use crate::workspace::{create_letter, organizer, Org};
use diesel::prelude::*;
use undersigned::db::schema::{audit_log, letter_logos, letters};
use undersigned::db::{editors, organizers};
use undersigned::domain::contacts::Person;

/// A real 1×1 PNG.
const PNG: [u8; 70] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02,
    0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
    0x60, 0x82,
];

async fn app_with_site_officer() -> TestApp {
    spawn_app_with(|s| {
        s.privacy_officer = Person::parse("Bureau du site", "dpo@site.example.org").unwrap();
    })
    .await
}

/// The editor's fields for the letter `create_letter` makes, with `extra`
/// over them.
fn fields<'a>(slug: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("slug", slug),
        ("language", "fr"),
        ("title", "Lettre « de l’espace » des organisateurs"),
        ("place", "Rimouski"),
        ("date", "2026-06-01"),
        ("addressees", "Au conseil municipal"),
        ("preamble", "Nous soussignés\u{a0}:"),
        (
            "body",
            "Premier paragraphe\u{202f}: « oui ».\n\n## Demandes\n\nSecond.",
        ),
        ("goal", "250"),
        ("organized_by", "La Coalition des coopératives"),
    ];
    for (k, v) in extra {
        f.retain(|(key, _)| key != k);
        f.push((k, v));
    }
    f
}

fn contacts(app: &TestApp, slug: &str) -> (String, String, String, String) {
    app.with_conn(|c| {
        letters::table
            .filter(letters::slug.eq(slug))
            .select((
                letters::contact_name,
                letters::contact_email,
                letters::privacy_officer_name,
                letters::privacy_officer_email,
            ))
            .first(c)
            .unwrap()
    })
}

fn grant(app: &TestApp, slug: &str, org: &Org, role: editors::Role) {
    let letter = app
        .with_conn(|c| undersigned::db::letters::find_by_slug(c, slug))
        .unwrap()
        .unwrap();
    let who = app
        .with_conn(|c| organizers::find_by_email(c, &org.email))
        .unwrap()
        .unwrap();
    app.with_conn(|c| editors::grant(c, &letter.id, &who.id, role, undersigned::db::now()))
        .unwrap();
}

#[actix_web::test]
async fn every_letter_page_names_who_is_behind_it_and_the_privacy_officer() {
    let app = app_with_site_officer().await;
    let org = organizer(&app, "porteuse@example.org", false).await;
    let slug = "derriere-la-lettre";
    let ws = create_letter(&org, slug).await;
    let r = org
        .post(
            &format!("{ws}/edit"),
            &fields(
                slug,
                &[
                    ("contact_name", "Julie Côté"),
                    ("contact_email", " Presse@Coop.QC.ca "),
                ],
            ),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert_eq!(
        contacts(&app, slug),
        (
            "Julie Côté".into(),
            "presse@coop.qc.ca".into(),
            String::new(),
            String::new()
        )
    );
    org.post(&format!("{ws}/publish"), &[]).await;

    let (status, page) = app.get_html(&format!("/letters/{slug}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Qui est derrière cette lettre"), "{page}");
    assert!(page.contains("La Coalition des coopératives"));
    assert!(
        page.contains("Julie Côté · <a href=\"mailto:presse@coop.qc.ca\">presse@coop.qc.ca</a>"),
        "{page}"
    );
    // No officer of its own: the site's answers for it.
    assert!(page.contains("mailto:dpo@site.example.org"), "{page}");
    assert!(page.contains(&format!("href=\"/letters/{slug}/press\"")));

    // Its own officer, named by its owner, replaces the site's everywhere.
    let r = org
        .post(
            &format!("{ws}/edit"),
            &fields(
                slug,
                &[
                    ("contact_name", "Julie Côté"),
                    ("contact_email", "presse@coop.qc.ca"),
                    ("privacy_officer_name", "Marc Roy"),
                    ("privacy_officer_email", "vie.privee@coop.qc.ca"),
                ],
            ),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = app.get_html(&format!("/letters/{slug}")).await;
    assert!(
        page.contains("Marc Roy · <a href=\"mailto:vie.privee@coop.qc.ca\">"),
        "{page}"
    );
    assert!(!page.contains("dpo@site.example.org"), "{page}");
    let (status, privacy) = app.get_html("/privacy").await;
    assert_eq!(status, 200);
    assert!(
        privacy.contains("Bureau du site · <a href=\"mailto:dpo@site.example.org\">"),
        "{privacy}"
    );
    assert!(
        privacy.contains(&format!("<a href=\"/letters/{slug}\">")),
        "{privacy}"
    );
    assert!(privacy.contains("mailto:vie.privee@coop.qc.ca"), "{privacy}");
    // The emailed and bulk-read channels carry no address.
    let (_, api) = app.get_html(&format!("/api/v1/letters/{slug}")).await;
    assert!(!api.contains("coop.qc.ca"), "{api}");
    let (_, json) = app.get_html(&format!("/letters/{slug}/export.json")).await;
    assert!(!json.contains("coop.qc.ca"), "{json}");
}

#[actix_web::test]
async fn a_bad_contact_is_refused_with_what_was_typed_and_nothing_stored() {
    let app = app_with_site_officer().await;
    let org = organizer(&app, "typo@example.org", false).await;
    let slug = "contact-mal-tape";
    let ws = create_letter(&org, slug).await;
    let r = org
        .post(
            &format!("{ws}/edit"),
            &fields(
                slug,
                &[
                    ("contact_name", "Julie Côté"),
                    ("contact_email", "presse@coop"),
                    ("privacy_officer_name", "Marc\u{202e}Roy"),
                ],
            ),
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("value=\"presse@coop\""), "kept as typed: {page}");
    assert!(page.contains("value=\"Julie Côté\""));
    assert!(page.contains("id=\"contact_email-error\""), "{page}");
    assert!(page.contains("id=\"privacy_officer_name-error\""), "{page}");
    assert_eq!(contacts(&app, slug), Default::default());
}

#[actix_web::test]
async fn only_owners_name_the_privacy_officer_and_co_editors_keep_the_rest() {
    let app = app_with_site_officer().await;
    let owner = organizer(&app, "proprio@example.org", false).await;
    let editor = organizer(&app, "coediteur@example.org", false).await;
    let stranger = organizer(&app, "etranger@example.org", false).await;
    let slug = "qui-repond";
    let ws = create_letter(&owner, slug).await;
    let officer = [
        ("privacy_officer_name", "Marc Roy"),
        ("privacy_officer_email", "vp@coop.qc.ca"),
    ];
    let r = owner.post(&format!("{ws}/edit"), &fields(slug, &officer)).await;
    assert_eq!(r.status().as_u16(), 303);
    grant(&app, slug, &editor, editors::Role::Editor);

    // The co-editor sees the officer read-only, and saving keeps it.
    let (_, form) = editor.get(&format!("{ws}/edit")).await;
    assert!(form.contains("Seuls les propriétaires"), "{form}");
    assert!(
        form.contains("name=\"privacy_officer_name\" value=\"Marc Roy\" readonly"),
        "{form}"
    );
    let mut with_contact = officer.to_vec();
    with_contact.push(("contact_name", "Léa Gagnon"));
    let r = editor
        .post(&format!("{ws}/edit"), &fields(slug, &with_contact))
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert_eq!(contacts(&app, slug).0, "Léa Gagnon");

    // A forged form that changes or clears the officer is refused whole.
    for forged in [
        vec![
            ("privacy_officer_name", "Moi"),
            ("privacy_officer_email", "moi@example.org"),
        ],
        vec![("privacy_officer_name", ""), ("privacy_officer_email", "")],
    ] {
        let mut f = forged.clone();
        f.push(("contact_name", "Changé aussi"));
        let r = editor.post(&format!("{ws}/edit"), &fields(slug, &f)).await;
        assert_eq!(r.status().as_u16(), 403);
    }
    assert_eq!(
        contacts(&app, slug),
        (
            "Léa Gagnon".into(),
            String::new(),
            "Marc Roy".into(),
            "vp@coop.qc.ca".into()
        )
    );
    // A stranger learns nothing, and the owner may change it.
    let r = stranger
        .post(&format!("{ws}/edit"), &fields(slug, &officer))
        .await;
    assert_eq!(r.status().as_u16(), 404);
    let r = owner
        .post(
            &format!("{ws}/edit"),
            &fields(
                slug,
                &[
                    ("privacy_officer_name", "Nadia Roy"),
                    ("privacy_officer_email", ""),
                ],
            ),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(contacts(&app, slug).2, "Nadia Roy");
}

/// Posts the logo form as a browser does.
async fn upload(
    org: &Org,
    ws: &str,
    csrf: Option<&str>,
    content_type: &str,
    bytes: &[u8],
) -> reqwest::Response {
    let boundary = "----undersigned-test-boundary";
    let mut body = Vec::new();
    if let Some(csrf) = csrf {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    org.client
        .post(format!("{}{ws}/logo", org.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

fn logo_rows(app: &TestApp) -> i64 {
    app.with_conn(|c| letter_logos::table.count().get_result(c).unwrap())
}

#[actix_web::test]
async fn the_logo_is_checked_kept_private_until_publication_and_cached_long() {
    let app = app_with_site_officer().await;
    let owner = organizer(&app, "logo@example.org", false).await;
    let editor = organizer(&app, "graphiste@example.org", false).await;
    let stranger = organizer(&app, "curieux@example.org", false).await;
    let slug = "avec-logo";
    let ws = create_letter(&owner, slug).await;
    grant(&app, slug, &editor, editors::Role::Editor);
    let csrf = editor.csrf().await;

    // Refused: a forged form, a stranger, an SVG, HTML, an empty field, a
    // file too large. Nothing is stored.
    let r = upload(&editor, &ws, None, "image/png", &PNG).await;
    assert_eq!(r.status().as_u16(), 403);
    let stranger_csrf = stranger.csrf().await;
    let r = upload(&stranger, &ws, Some(&stranger_csrf), "image/png", &PNG).await;
    assert_eq!(r.status().as_u16(), 404);
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    for (claimed, bytes, status, message) in [
        ("image/svg+xml", &svg[..], 422, "Seuls les fichiers PNG et JPEG"),
        (
            "image/png",
            b"<html><script>alert(1)</script></html>",
            422,
            "Seuls les fichiers PNG et JPEG",
        ),
        ("image/png", b"", 422, "Choisissez un fichier"),
        ("image/png", &[0u8; 600 * 1024], 413, "dépasse 512"),
    ] {
        let r = upload(&editor, &ws, Some(&csrf), claimed, bytes).await;
        assert_eq!(r.status().as_u16(), status, "{claimed} {message}");
        let page = r.text().await.unwrap();
        assert!(page.contains(message), "{message}: {page}");
        assert!(page.contains("id=\"logo-error\""), "{page}");
    }
    // Fields the form does not have count against the body's size too.
    let boundary = "----undersigned-test-boundary";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n");
    body += &format!("--{boundary}\r\nContent-Disposition: form-data; name=\"padding\"\r\n\r\n");
    body += &"x".repeat(1024 * 1024);
    body += &format!("\r\n--{boundary}--\r\n");
    let r = editor
        .client
        .post(format!("{}{ws}/logo", editor.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 413);
    assert_eq!(logo_rows(&app), 0);

    // A co-editor may set it; the editor page shows it, the public nothing
    // yet: the letter is a draft.
    let r = upload(&editor, &ws, Some(&csrf), "image/png", &PNG).await;
    assert_eq!(r.status().as_u16(), 303);
    let digest: String =
        app.with_conn(|c| letter_logos::table.select(letter_logos::digest).first(c).unwrap());
    let public_logo = format!("/letters/{slug}/logo/{digest}");
    let (_, form) = owner.get(&format!("{ws}/edit")).await;
    assert!(form.contains(&format!("{ws}/logo?v={digest}")), "{form}");
    let r = owner
        .client
        .get(format!("{}{ws}/logo", owner.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.bytes().await.unwrap().as_ref(), &PNG[..]);
    // Under an embargo too, the kit and the logo answer as the page does.
    let r = owner
        .post(
            &format!("{ws}/publish"),
            &[("action", "schedule"), ("publish_at", "2099-06-01T06:00")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    for path in [
        format!("/letters/{slug}"),
        format!("/letters/{slug}/press"),
        public_logo.clone(),
    ] {
        assert_eq!(app.get_html(&path).await.0, 404, "{path} before publication");
    }

    // Published: the press kit shows it, served as the PNG it is.
    owner.post(&format!("{ws}/publish"), &[]).await;
    let (status, kit) = app.get_html(&format!("/letters/{slug}/press")).await;
    assert_eq!(status, 200);
    assert!(kit.contains(&format!("src=\"{public_logo}\"")), "{kit}");
    assert!(kit.contains("alt=\"Logo de La Coalition") || kit.contains("alt=\"Logo des organisateurs\""));
    let r = app.get(&public_logo).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age=31536000"));
    assert!(r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), &PNG[..]);
    // Another digest, or another letter's slug, is not it.
    assert_eq!(app.get_html(&format!("/letters/{slug}/logo/0000")).await.0, 404);
    assert_eq!(
        app.get_html(&format!("/letters/inconnue/logo/{digest}")).await.0,
        404
    );

    // Removed: its address is gone, and both changes are in the audit log.
    let r = editor.post(&format!("{ws}/logo/remove"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.get_html(&public_logo).await.0, 404);
    assert_eq!(logo_rows(&app), 0);
    let actions: Vec<String> = app.with_conn(|c| {
        audit_log::table
            .filter(audit_log::action.like("logo-%"))
            .order(audit_log::created_at.asc())
            .select(audit_log::action)
            .load(c)
            .unwrap()
    });
    assert_eq!(actions, ["logo-changed", "logo-removed"]);
}

#[actix_web::test]
async fn the_press_kit_gives_the_figures_the_first_signatories_and_stamped_downloads() {
    let app = app_with_site_officer().await;
    let org = organizer(&app, "kit@example.org", false).await;
    let slug = "dossier-de-presse";
    let ws = create_letter(&org, slug).await;
    let r = org
        .post(
            &format!("{ws}/import"),
            &[
                ("text", "Marie Tremblay\nPrésidente du Mouvement X"),
                ("step", "save"),
            ],
        )
        .await;
    assert!(r.status().is_redirection());
    org.post(&format!("{ws}/publish"), &[]).await;
    app.sign_and_confirm_on(slug, "Luc Public", "luc@example.org")
        .await;
    let before = app.file_emails("anne@example.org").len();
    let r = app
        .sign(
            slug,
            &[
                ("name", "Anne Discrète"),
                ("email", "anne@example.org"),
                ("visibility", "count-only"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let email = app.wait_for_file_emails("anne@example.org", before + 1).await;
    app.post(&email.last().unwrap().confirm_link()).await;

    let (status, kit) = app.get_html(&format!("/letters/{slug}/press")).await;
    assert_eq!(status, 200);
    assert!(kit.contains("Dossier de presse"), "{kit}");
    assert!(kit.contains("<dd class=\"confirmed\">3</dd>"), "{kit}");
    assert!(kit.contains("<dd class=\"listed\">2</dd>"), "{kit}");
    assert!(kit.contains("<dd class=\"count-only\">1</dd>"), "{kit}");
    assert!(
        kit.contains("Marie Tremblay") && !kit.contains("Anne Discrète"),
        "{kit}"
    );
    assert!(kit.contains("Premier paragraphe"), "the letter itself");
    assert!(kit.contains("Qui est derrière cette lettre"));

    for extension in ["pdf", "html", "txt", "csv", "json"] {
        let path = format!("/letters/{slug}/export.{extension}");
        assert!(kit.contains(&format!("href=\"{path}")), "{path} linked");
        let r = app.get(&path).await;
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let body = r.bytes().await.unwrap();
        let text = String::from_utf8_lossy(&body);
        match extension {
            "pdf" => assert!(body.starts_with(b"%PDF"), "{path}"),
            "json" => assert!(
                text.contains("\"stamp\"") && text.contains("\"count\": 2") || text.contains("\"count\":2"),
                "{text}"
            ),
            _ => assert!(
                text.contains("Luc Public") && !text.contains("Anne"),
                "{path}: {text}"
            ),
        }
        assert!(!text.contains("example.org"), "{path} has no address");
    }
    // Unknown and draft letters: 404, as their pages.
    assert_eq!(app.get_html("/letters/inconnue/press").await.0, 404);
    assert_eq!(app.get_html("/letters/Pas Un Slug/press").await.0, 404);
}
