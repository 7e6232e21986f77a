//! Every refused input gets a clear message beside its field, in the page's
//! language, with a 4xx status; the form keeps what was typed; nothing is
//! stored.

use crate::helpers::{letter_source, spawn_app, TestApp, EXAMPLE_SLUG};
use undersigned::db::letters::{self, LetterStatus};

struct Case {
    what: &'static str,
    field: &'static str,
    value: String,
    message_fr: &'static str,
    message_en: &'static str,
}

fn cases() -> Vec<Case> {
    let c = |what, field, value: String, message_fr, message_en| Case {
        what,
        field,
        value,
        message_fr,
        message_en,
    };
    vec![
        c(
            "missing name",
            "name",
            "".into(),
            "Ce champ est obligatoire.",
            "This field is required.",
        ),
        c(
            "blank name",
            "name",
            "   ".into(),
            "Ce champ est obligatoire.",
            "This field is required.",
        ),
        // Printed as nothing, each once went through and listed a blank
        // line (found by a hostile review).
        c(
            "name of zero-width spaces",
            "name",
            "\u{200B}\u{200B}".into(),
            "Ce champ est obligatoire.",
            "This field is required.",
        ),
        c(
            "name of accents alone",
            "name",
            "\u{301}\u{301}\u{301}".into(),
            "Ce champ est obligatoire.",
            "This field is required.",
        ),
        c(
            "name too long",
            "name",
            "N".repeat(201),
            "Ce champ dépasse 200 caractères.",
            "This field is longer than 200 characters.",
        ),
        c(
            "NUL in name",
            "name",
            "Marie\0Tremblay".into(),
            "caractère de contrôle",
            "control character",
        ),
        c(
            "CR LF in name",
            "name",
            "Marie\r\nBcc: x@example.org".into(),
            "caractère de contrôle",
            "control character",
        ),
        c(
            "bidi override in name",
            "name",
            "Marie \u{202E}yalbmerT".into(),
            "inverse le sens du texte",
            "reverses the direction",
        ),
        c(
            "bidi isolate in city",
            "city",
            "Québec\u{2066}".into(),
            "inverse le sens du texte",
            "reverses the direction",
        ),
        c(
            "city too long",
            "city",
            "C".repeat(101),
            "Ce champ dépasse 100 caractères.",
            "longer than 100 characters",
        ),
        c(
            "missing email",
            "email",
            "".into(),
            "Ce champ est obligatoire.",
            "This field is required.",
        ),
        c(
            "invalid email",
            "email",
            "marie.example.org".into(),
            "n’est pas valide",
            "is not valid",
        ),
        c(
            "email with header injection",
            "email",
            "a@example.org\r\nBcc: b@example.org".into(),
            "n’est pas valide",
            "is not valid",
        ),
        c(
            "email too long",
            "email",
            format!("{}@example.org", "a".repeat(250)),
            "trop longue",
            "too long",
        ),
        c(
            "nine title lines",
            "titles",
            (1..=9)
                .map(|i| format!("Titre {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
            "au plus 8 titres",
            "at most 8",
        ),
        c(
            "title line too long",
            "titles",
            format!("Court\n{}", "T".repeat(301)),
            "Ligne 2\u{a0}: ce champ dépasse 300 caractères.",
            "Line 2: This field is longer than 300 characters.",
        ),
        c(
            "control character in a title",
            "titles",
            "Présidente\u{7}".into(),
            "Ligne 1",
            "Line 1",
        ),
        // Typed, the mark read as verified in the text and PDF exports
        // (found by a hostile review).
        c(
            "a verified mark typed into a title",
            "titles",
            "Professeure, Université Laval ✓ (vérifié par courriel)".into(),
            "que la liste réserve aux titres vérifiés par courriel",
            "which the list keeps for titles verified by email",
        ),
        c(
            "no consent",
            "consent",
            "".into(),
            "Cochez cette case",
            "Tick this box",
        ),
        c(
            "unknown visibility",
            "visibility",
            "everyone".into(),
            "Choisissez comment afficher",
            "Choose how your signature appears",
        ),
    ]
}

fn form_with(case: &Case) -> Vec<(&'static str, String)> {
    let mut form: Vec<(&'static str, String)> = vec![
        ("name", "Marie Tremblay".into()),
        ("titles", "Présidente".into()),
        ("email", "marie@example.org".into()),
        ("city", "Québec".into()),
        ("visibility", "public".into()),
        ("consent", "yes".into()),
    ];
    form.retain(|(k, _)| *k != case.field);
    if !case.value.is_empty() || case.field != "consent" {
        form.push((case.field, case.value.clone()));
    }
    form
}

async fn assert_refused(app: &TestApp, lang: Option<&str>, case: &Case) {
    let mut form = form_with(case);
    form.push(("form_token", app.form_token(EXAMPLE_SLUG).await));
    let (lang, expected) = match lang {
        Some(lang) => (lang, case.message_en),
        None => ("fr", case.message_fr),
    };
    let req = app
        .client
        .post(app.url(&format!("/letters/{EXAMPLE_SLUG}/sign?lang={lang}")));
    let r = req.form(&form).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 422, "{}", case.what);
    let body = r.text().await.unwrap();
    let error_id = format!("id=\"{}-error\"", case.field);
    let at = body
        .find(&error_id)
        .unwrap_or_else(|| panic!("{}: no error beside {}:\n{body}", case.what, case.field));
    let message = &body[at..at + body[at..].find("</p>").unwrap()];
    assert!(
        message.contains(expected),
        "{}: expected {expected:?} in {message:?}",
        case.what
    );
    assert!(body.contains("class=\"error-summary\""), "{}", case.what);
    // The other fields keep what was typed.
    if case.field != "name" {
        assert!(
            body.contains("value=\"Marie Tremblay\""),
            "{}: name lost",
            case.what
        );
    }
    if case.field != "email" {
        assert!(
            body.contains("value=\"marie@example.org\""),
            "{}: email lost",
            case.what
        );
    }
    if case.field != "consent" {
        assert!(
            body.contains("value=\"yes\" checked"),
            "{}: consent lost",
            case.what
        );
    }
}

#[actix_web::test]
async fn every_invalid_field_is_refused_with_its_message_and_nothing_is_stored() {
    let app = spawn_app().await;
    let before = (
        app.row_count("signatures"),
        app.row_count("outbox"),
        app.row_count("tokens"),
    );
    for case in cases() {
        assert_refused(&app, None, &case).await;
        assert_refused(&app, Some("en"), &case).await;
    }
    assert_eq!(
        before,
        (
            app.row_count("signatures"),
            app.row_count("outbox"),
            app.row_count("tokens")
        )
    );
}

#[actix_web::test]
async fn the_refused_form_keeps_typed_text_escaped() {
    let app = spawn_app().await;
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", "<script>alert(\"x\")</script> L’Heureux"),
                ("titles", "Ligne « un »\n</textarea><b>deux</b>"),
                ("email", "pas-valide"),
                ("city", "Saint-Jean-sur-Richelieu"),
                ("visibility", "count-only"),
                ("consent", "yes"),
                ("updates", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("value=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; L’Heureux\""));
    assert!(body.contains("Ligne « un »\n&lt;/textarea&gt;&lt;b&gt;deux&lt;/b&gt;</textarea>"));
    assert!(body.contains("value=\"pas-valide\""));
    assert!(body.contains("value=\"Saint-Jean-sur-Richelieu\""));
    assert!(body.contains("value=\"count-only\" checked"));
    assert!(body.contains("name=\"updates\" value=\"yes\" checked"));
    assert!(!body.contains("<script>alert"));
    assert_eq!(app.row_count("outbox"), 0);
}

#[actix_web::test]
async fn oversized_and_undecodable_bodies_are_refused() {
    let app = spawn_app().await;
    let huge = "x".repeat(100_000);
    let r = app.sign(EXAMPLE_SLUG, &[("name", huge.as_str())]).await;
    assert_eq!(r.status().as_u16(), 413);
    assert!(r.text().await.unwrap().contains("Envoi trop volumineux"));

    // Invalid UTF-8 in the form encoding.
    let r = app
        .client
        .post(app.url(&format!("/letters/{EXAMPLE_SLUG}/sign")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "name=%FF%FEMarie&email=marie%40example.org&visibility=public&consent=yes&form_token={}",
            app.form_token(EXAMPLE_SLUG).await
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("caractères illisibles"));

    // Garbage that is not a form at all.
    let r = app
        .client
        .post(app.url(&format!("/letters/{EXAMPLE_SLUG}/sign")))
        .header("content-type", "application/json")
        .body("{\"name\": 1}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(app.row_count("signatures"), 3);
    assert_eq!(app.row_count("outbox"), 0);
}

#[actix_web::test]
async fn signing_unknown_draft_or_closed_letters_is_refused() {
    let app = spawn_app().await;
    let valid = [
        ("name", "Marie"),
        ("email", "m@example.org"),
        ("visibility", "public"),
        ("consent", "yes"),
    ];

    let r = app.sign("no-such-letter", &valid).await;
    assert_eq!(r.status().as_u16(), 404);
    let r = app.sign("..%2Fetc", &valid).await;
    assert_eq!(r.status().as_u16(), 404);

    app.publish_source(&letter_source("draft-letter", "fr", ""));
    let draft = app
        .with_conn(|c| letters::find_by_slug(c, "draft-letter"))
        .unwrap()
        .unwrap();
    app.with_conn(|c| letters::set_status(c, &draft.id, LetterStatus::Draft, undersigned::db::now()))
        .unwrap();
    let r = app.sign("draft-letter", &valid).await;
    assert_eq!(r.status().as_u16(), 404);

    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    app.with_conn(|c| letters::set_status(c, &letter.id, LetterStatus::Closed, undersigned::db::now()))
        .unwrap();
    let r = app.sign(EXAMPLE_SLUG, &valid).await;
    assert_eq!(r.status().as_u16(), 409);
    let body = r.text().await.unwrap();
    assert!(body.contains("Lettre fermée"));
    assert!(body.contains(&format!("href=\"/letters/{EXAMPLE_SLUG}\"")));

    assert_eq!(app.row_count("signatures"), 3);
    assert_eq!(app.row_count("outbox"), 0);
}

#[actix_web::test]
async fn a_get_on_the_form_target_goes_back_to_the_form() {
    let app = spawn_app().await;
    let r = app.get(&format!("/letters/{EXAMPLE_SLUG}/sign")).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], format!("/letters/{EXAMPLE_SLUG}#sign"));
}
