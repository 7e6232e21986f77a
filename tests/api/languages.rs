//! Languages and time (#14): pages behind emailed links in the signer's
//! language, the letter's own language for its text, the organizer's first
//! pages, the preview, and times on the site's clock.

use crate::helpers::{extract_form_token, spawn_app, TestApp, EXAMPLE_SLUG};
use crate::workspace::{browser, create_letter, organizer, Org};
use chrono::{NaiveDate, NaiveDateTime};
use undersigned::db::organizers::{self, CreateOutcome};

/// A bilingual letter: French first, with an English version.
async fn bilingual(app: &TestApp, slug: &str) -> (Org, String) {
    let org = organizer(app, &format!("orga-{slug}@example.org"), false).await;
    let ws = create_letter(&org, slug).await;
    org.post(&format!("{ws}/publish"), &[]).await;
    let r = org
        .post(
            &format!("{ws}/translation"),
            &[
                ("action", "save"),
                ("title", "A letter in English"),
                ("place", "Rimouski"),
                ("addressees", "To the city council"),
                ("preamble", "We, the undersigned:"),
                ("body", "First paragraph."),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    (org, ws)
}

/// A client that says nothing of its language: what an email client's
/// browser may well do, or one set to French.
async fn page(url: &str, accept: Option<&str>) -> (u16, String) {
    let client = browser();
    let mut request = client.get(url);
    if let Some(lang) = accept {
        request = request.header("Accept-Language", lang);
    }
    let r = request.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Signs `slug` from a browser that asks for English, and returns the page
/// it signed from.
async fn sign_in_english(app: &TestApp, slug: &str, name: &str, email: &str) -> String {
    let english = browser();
    let form = english
        .get(app.url(&format!("/letters/{slug}")))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = extract_form_token(&form).unwrap();
    let r = english
        .post(app.url(&format!("/letters/{slug}/sign")))
        .header("Accept-Language", "en")
        .form(&[
            ("name", name),
            ("email", email),
            ("visibility", "public"),
            ("consent", "yes"),
            ("form_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    form
}

#[actix_web::test]
async fn emailed_links_open_in_the_language_the_signer_signed_in() {
    let app = spawn_app().await;
    bilingual(&app, "lettre-liens").await;
    sign_in_english(&app, "lettre-liens", "Ann Reader", "ann@example.org").await;
    let mail = app.wait_for_file_emails("ann@example.org", 1).await.remove(0);
    let confirm = mail.confirm_link();

    // Opened where the browser asks for French, or asks for nothing.
    for accept in [Some("fr-CA,fr;q=0.9"), None] {
        let (status, body) = page(&confirm, accept).await;
        assert_eq!(status, 200);
        assert!(body.contains("<html lang=\"en\">"), "{body}");
        assert!(body.contains("Confirm your signature"), "{body}");
        assert!(body.contains("A letter in English"), "{body}");
    }
    // The switch still works.
    let (_, body) = page(&format!("{confirm}?lang=fr"), Some("en")).await;
    assert!(body.contains("<html lang=\"fr\">") && body.contains("Confirmer votre signature"));

    let r = browser()
        .post(&confirm)
        .header("Accept-Language", "fr")
        .send()
        .await
        .unwrap();
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<html lang=\"en\">") && body.contains("your signature is confirmed"),
        "{body}"
    );
    let manage = app.url(&extract_href(&body, "/manage/"));
    let withdraw = app.url(&extract_href(&body, "/withdraw/"));
    for link in [&manage, &withdraw] {
        let (status, body) = page(link, Some("fr")).await;
        assert_eq!(status, 200, "{link}");
        assert!(body.contains("<html lang=\"en\">"), "{link}: {body}");
        assert!(body.contains("A letter in English"), "{link}: {body}");
    }
    let r = browser()
        .post(&withdraw)
        .header("Accept-Language", "fr")
        .send()
        .await
        .unwrap();
    let body = r.text().await.unwrap();
    assert!(body.contains("Your signature is withdrawn"), "{body}");
}

fn extract_href(html: &str, prefix: &str) -> String {
    let start = html.find(&format!("href=\"{prefix}")).expect(prefix) + 6;
    let end = html[start..].find('"').unwrap();
    html[start..start + end].to_string()
}

#[actix_web::test]
async fn the_place_and_date_line_is_in_the_letters_language() {
    let app = spawn_app().await;
    // A French letter read with an English interface.
    let (_, body) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}?lang=en")).await;
    assert!(body.contains("<html lang=\"en\">"));
    assert!(body.contains("Sherbrooke, le 3 mars 2026"), "{body}");
    assert!(!body.contains("March 3, 2026"));
    // An English letter on the French home page.
    app.publish_source(&crate::helpers::letter_source("english-letter", "en", ""));
    let (_, home) = page(&app.url("/"), Some("fr")).await;
    assert!(home.contains("Québec, May 26, 2015"), "{home}");
    assert!(home.contains("Sherbrooke, le 3 mars 2026"));
}

#[actix_web::test]
async fn the_setup_page_switches_language_without_losing_its_link() {
    let app = spawn_app().await;
    let setup = match app
        .with_tx(|c| organizers::create(c, "nouvelle@example.org", false, undersigned::db::now()))
        .unwrap()
    {
        CreateOutcome::Created { setup, .. } => setup,
        CreateOutcome::AlreadyExists => unreachable!(),
    };
    let path = format!("/workspace/setup/{}", setup.as_str());
    let (status, body) = page(&app.url(&path), Some("fr")).await;
    assert_eq!(status, 200);
    let switch = format!("href=\"{path}?lang=en\"");
    assert!(body.contains(&switch), "{body}");
    let (status, body) = page(&app.url(&format!("{path}?lang=en")), Some("fr")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<html lang=\"en\">"));
}

#[actix_web::test]
async fn a_preview_says_so_and_switches_language_in_place() {
    let app = spawn_app().await;
    let org = organizer(&app, "apercu@example.org", false).await;
    let ws = create_letter(&org, "lettre-apercu").await;
    let (status, body) = org.get(&format!("{ws}/preview")).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("class=\"preview-banner\"") && body.contains("Aperçu."),
        "{body}"
    );
    assert!(!body.contains("ne recueille plus de signatures"), "{body}");
    assert!(
        body.contains("<fieldset class=\"preview-form\" disabled"),
        "{body}"
    );
    assert!(body.contains(&format!("href=\"{ws}/preview?lang=en\"")), "{body}");
    let (status, body) = org.get(&format!("{ws}/preview?lang=en")).await;
    assert_eq!(status, 200);
    assert!(body.contains("<html lang=\"en\">") && body.contains("Preview."));
    // The public address still knows nothing of a draft.
    assert_eq!(app.get_html("/letters/lettre-apercu").await.0, 404);
}

fn close_at(app: &TestApp, slug: &str) -> Option<NaiveDateTime> {
    app.with_conn(|c| undersigned::db::letters::find_by_slug(c, slug))
        .unwrap()
        .unwrap()
        .close_at
}

#[actix_web::test]
async fn closing_times_are_typed_and_shown_on_quebecs_clock() {
    let app = spawn_app().await;
    let org = organizer(&app, "horloge@example.org", false).await;
    let ws = create_letter(&org, "lettre-horloge").await;
    org.post(&format!("{ws}/publish"), &[]).await;
    let schedule = |at: &'static str| {
        let org = &org;
        let ws = &ws;
        async move {
            let r = org
                .post(
                    &format!("{ws}/status"),
                    &[("action", "schedule"), ("close_at", at)],
                )
                .await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };

    // 6 a.m. in Montréal on 1 June is 10:00 UTC (daylight time).
    let (status, _) = schedule("2030-06-01T06:00").await;
    assert_eq!(status, 303);
    let utc = NaiveDate::from_ymd_opt(2030, 6, 1)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    assert_eq!(close_at(&app, "lettre-horloge"), Some(utc));
    let (_, dashboard) = org.get(&ws).await;
    assert!(dashboard.contains("value=\"2030-06-01T06:00\""), "{dashboard}");
    assert!(dashboard.contains("America/Toronto"), "{dashboard}");

    // Refused on the dashboard itself, beside the field, with the time as
    // typed; nothing changes.
    let refused = |body: &str, typed: &str, why: &str| {
        assert!(body.contains(why), "{body}");
        assert!(
            body.contains(&format!("value=\"{typed}\"")),
            "kept as typed: {body}"
        );
        assert!(
            body.contains("aria-describedby=\"close_at-error\"") && body.contains("id=\"close_at-error\""),
            "{body}"
        );
        assert!(
            body.contains("name=\"action\" value=\"close\""),
            "the whole dashboard: {body}"
        );
    };
    let (status, body) = schedule("2020-01-01T06:00").await;
    assert_eq!(status, 422);
    refused(&body, "2020-01-01T06:00", "Ce moment est déjà passé");
    assert_eq!(close_at(&app, "lettre-horloge"), Some(utc));

    // 2:30 on 10 March 2030 never happens in Montréal.
    let (status, body) = schedule("2030-03-10T02:30").await;
    assert_eq!(status, 422);
    refused(&body, "2030-03-10T02:30", "les horloges l’ont sautée");

    let (status, body) = schedule("demain matin").await;
    assert_eq!(status, 422);
    refused(&body, "demain matin", "AAAA-MM-JJ");
    assert_eq!(close_at(&app, "lettre-horloge"), Some(utc));
}

#[actix_web::test]
async fn a_signers_data_carries_the_offset_of_its_times() {
    let app = spawn_app().await;
    app.sign_and_confirm("Offset Person", "offset@example.org").await;
    let mail = app.wait_for_file_emails("offset@example.org", 1).await.remove(0);
    let manage = mail.link("/manage/");
    let token = manage.rsplit('/').next().unwrap().to_string();
    let (status, body) = app.get_html(&format!("/manage/{token}/data.json")).await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let created = v["signature"]["created_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(created).is_ok(),
        "{created} is not RFC 3339"
    );
    let confirmed = v["signature"]["confirmed_at"].as_str().unwrap();
    assert!(confirmed.ends_with('Z'), "{confirmed}");
}

/// The editor's fields for the letter `create_letter` makes, in `language`,
/// with its title and body replaced when given.
fn edit_fields<'a>(
    slug: &'a str,
    language: &'a str,
    title: &'a str,
    body: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("language", language),
        ("title", title),
        ("place", "Rimouski"),
        ("date", "2026-06-01"),
        ("addressees", "Au conseil municipal"),
        ("preamble", "Nous soussignés\u{a0}:"),
        ("body", body),
        ("goal", "250"),
    ]
}

const FRENCH_TITLE: &str = "Lettre « de l’espace » des organisateurs";
const FRENCH_BODY: &str = "Premier paragraphe\u{202f}: « oui ».\n\n## Demandes\n\nSecond.";

#[actix_web::test]
async fn changing_the_letters_language_never_drops_a_text() {
    let app = spawn_app().await;
    // With a version in the new language: the two swap.
    let (org, ws) = bilingual(&app, "lettre-bascule").await;
    let r = org
        .post(
            &format!("{ws}/edit"),
            &edit_fields("lettre-bascule", "en", FRENCH_TITLE, FRENCH_BODY),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let (_, en) = page(&app.url("/letters/lettre-bascule?lang=en"), None).await;
    assert!(
        en.contains("A letter in English") && en.contains("First paragraph."),
        "{en}"
    );
    let (_, fr) = page(&app.url("/letters/lettre-bascule?lang=fr"), None).await;
    assert!(fr.contains("Lettre « de l’espace » des organisateurs"), "{fr}");
    let (_, translation) = org.get(&format!("{ws}/translation")).await;
    assert!(
        translation.contains("Lettre « de l’espace » des organisateurs"),
        "{translation}"
    );

    // Without one, a rewritten text keeps the old one as its version.
    let org = organizer(&app, "reecrit@example.org", false).await;
    let ws = create_letter(&org, "lettre-reecrite").await;
    let r = org
        .post(
            &format!("{ws}/edit"),
            &edit_fields("lettre-reecrite", "en", "Rewritten in English", "Now in English."),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, preview) = org.get(&format!("{ws}/preview?lang=fr")).await;
    assert!(preview.contains(FRENCH_TITLE), "{preview}");
    let (_, preview) = org.get(&format!("{ws}/preview?lang=en")).await;
    assert!(preview.contains("Rewritten in English"), "{preview}");
}

#[actix_web::test]
async fn a_new_letter_has_no_language_until_the_organizer_chooses() {
    let app = spawn_app().await;
    let org = organizer(&app, "choix@example.org", false).await;
    // French last: the switch is remembered for the post below.
    for lang in ["en", "fr"] {
        let (status, body) = org.get(&format!("/workspace/letters/new?lang={lang}")).await;
        assert_eq!(status, 200);
        assert!(body.contains("<option value=\"\" selected"), "{body}");
        assert!(!body.contains("value=\"fr\" selected") && !body.contains("value=\"en\" selected"));
    }
    let mut fields = edit_fields("sans-langue", "", FRENCH_TITLE, FRENCH_BODY);
    fields.retain(|(k, _)| *k != "language");
    let r = org.post("/workspace/letters/new", &fields).await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("Choisissez le français ou l’anglais."), "{body}");
    assert!(body.contains(FRENCH_TITLE), "the form keeps what was typed");
}

fn current_version(app: &TestApp, slug: &str) -> i32 {
    app.with_conn(|c| undersigned::db::letters::find_by_slug(c, slug))
        .unwrap()
        .unwrap()
        .current_version
}

fn versions(app: &TestApp, slug: &str) -> Vec<undersigned::db::versions::FullVersion> {
    let id = app
        .with_conn(|c| undersigned::db::letters::find_by_slug(c, slug))
        .unwrap()
        .unwrap()
        .id;
    app.with_conn(|c| undersigned::db::versions::list_full(c, &id))
        .unwrap()
}

#[actix_web::test]
async fn a_version_holds_every_language_and_a_signature_names_what_was_read() {
    let app = spawn_app().await;
    let (org, ws) = bilingual(&app, "lettre-versions").await;
    // The English text, added after publication, made version 2.
    assert_eq!(current_version(&app, "lettre-versions"), 2);
    let v = versions(&app, "lettre-versions");
    assert!(v[0].translations.is_empty());
    assert_eq!(v[1].translation("en").unwrap().body_markdown, "First paragraph.");

    // The French text changes: version 3 holds it and the English as it is.
    let r = org
        .post(
            &format!("{ws}/edit"),
            &edit_fields("lettre-versions", "fr", FRENCH_TITLE, "Texte français révisé."),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(current_version(&app, "lettre-versions"), 3);
    let v3 = versions(&app, "lettre-versions").remove(2);
    assert_eq!(v3.original.body_markdown, "Texte français révisé.");
    assert_eq!(v3.translation("en").unwrap().body_markdown, "First paragraph.");

    // An English signer is recorded with version 3 and English: the text
    // version 3 holds in English is the one the page showed.
    let form = sign_in_english(&app, "lettre-versions", "Ann Versioned", "ann.v@example.org").await;
    assert!(form.contains("First paragraph."));
    let mail = app.wait_for_file_emails("ann.v@example.org", 1).await.remove(0);
    app.post(&mail.confirm_link()).await;
    let (version, language): (Option<i32>, String) = app.with_conn(|c| {
        use diesel::prelude::*;
        use undersigned::db::schema::signatures as s;
        s::table
            .filter(s::name.eq("Ann Versioned"))
            .select((s::consent_letter_version, s::language))
            .first(c)
            .unwrap()
    });
    assert_eq!((version, language.as_str()), (Some(3), "en"));

    // Editing the English text makes version 4, and the versions page
    // shows what changed in each language.
    let save_english = |body: &'static str, correction: bool| {
        let (org, ws) = (&org, &ws);
        async move {
            let mut fields = vec![
                ("action", "save"),
                ("title", "A letter in English"),
                ("place", "Rimouski"),
                ("addressees", "To the city council"),
                ("preamble", "We, the undersigned:"),
                ("body", body),
            ];
            if correction {
                fields.push(("correction", "yes"));
            }
            let r = org.post(&format!("{ws}/translation"), &fields).await;
            assert_eq!(r.status().as_u16(), 303);
        }
    };
    save_english("First paragraph, revised.", false).await;
    assert_eq!(current_version(&app, "lettre-versions"), 4);
    let (_, page) = app.get_html("/letters/lettre-versions/versions").await;
    assert!(page.contains("<h3 lang=\"en\">English</h3>"), "{page}");
    assert!(
        page.contains("− First paragraph.") && page.contains("+ First paragraph, revised."),
        "{page}"
    );
    assert!(page.contains("+ Texte français révisé."), "{page}");

    // A correction keeps the number and corrects the version's text.
    save_english("First paragraph, revised!", true).await;
    assert_eq!(current_version(&app, "lettre-versions"), 4);
    let v = versions(&app, "lettre-versions");
    assert_eq!(v.len(), 4);
    assert_eq!(
        v[3].translation("en").unwrap().body_markdown,
        "First paragraph, revised!"
    );
    let mut fields = edit_fields(
        "lettre-versions",
        "fr",
        FRENCH_TITLE,
        "Texte français révisé\u{202f}!",
    );
    fields.push(("correction", "yes"));
    let r = org.post(&format!("{ws}/edit"), &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(current_version(&app, "lettre-versions"), 4);
    assert_eq!(
        versions(&app, "lettre-versions")[3].original.body_markdown,
        "Texte français révisé\u{202f}!"
    );
    let (_, audit) = org.get(&format!("{ws}/audit")).await;
    assert!(
        audit.contains("a corrigé le texte traduit (English) de la version en cours.")
            && audit.contains("a corrigé le texte de la version en cours."),
        "{audit}"
    );
}

#[actix_web::test]
async fn emails_are_signed_by_the_body_behind_the_letter() {
    let app = spawn_app().await;
    let org = organizer(&app, "coalition@example.org", false).await;
    let ws = create_letter(&org, "lettre-signee").await;
    let mut fields = edit_fields("lettre-signee", "fr", FRENCH_TITLE, FRENCH_BODY);
    fields.push((
        "organized_by",
        "La Coalition des coopératives d’habitation <b>&</b>",
    ));
    let r = org.post(&format!("{ws}/edit"), &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, editor) = org.get(&format!("{ws}/edit")).await;
    assert!(
        editor.contains("value=\"La Coalition des coopératives d’habitation &lt;b&gt;&amp;&lt;/b&gt;\""),
        "{editor}"
    );
    org.post(&format!("{ws}/publish"), &[]).await;
    let r = app
        .sign(
            "lettre-signee",
            &[
                ("name", "Zoé Signataire"),
                ("email", "zoe.s@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let mail = app.wait_for_file_emails("zoe.s@example.org", 1).await.remove(0);
    // Mail lines end in CRLF on the wire.
    let text = mail.text.replace("\r\n", "\n");
    assert!(
        text.trim_end()
            .ends_with("-- \nLa Coalition des coopératives d’habitation <b>&</b>"),
        "{text}"
    );
    assert!(!mail.text.contains("L’équipe de"), "{}", mail.text);
    // The name is the organizer's text, never markup, in the HTML part.
    assert!(
        mail.html
            .contains("La Coalition des coopératives d’habitation &lt;b&gt;&amp;&lt;/b&gt;"),
        "{}",
        mail.html
    );
    assert!(!mail.html.contains("<b>&</b>"), "{}", mail.html);
    // It is sent under that name, from the site's own address.
    let parsed = mail_parser::MessageParser::default()
        .parse(mail.raw.as_bytes())
        .unwrap();
    let from = parsed.from().and_then(|a| a.first()).expect("a sender");
    // Without the marks of an address (< > @ "), so that no name passes
    // for one in a mail client; the body's signoff keeps it as written.
    assert_eq!(
        from.name(),
        Some("La Coalition des coopératives d’habitation b&/b")
    );
    let address = from.address().unwrap_or_default();
    assert!(
        !address.contains("Coalition") && address.contains('@'),
        "{address}"
    );
}

/// Every language but the letter's own can hold its text; the translation
/// route names the language, and refuses the letter's own or one the
/// service does not speak, whatever the route, with nothing stored.
#[actix_web::test]
async fn a_translation_is_into_another_language_than_the_letters_own() {
    let app = spawn_app().await;
    let (org, ws) = bilingual(&app, "lettre-cible").await;
    let (status, dashboard) = org.get(&ws).await;
    assert_eq!(status, 200);
    for lang in undersigned::domain::Lang::all().filter(|l| l.code() != "fr") {
        assert!(
            dashboard.contains(&format!("/translation?to={lang}\"")),
            "a link to the {lang} version: {dashboard}"
        );
    }
    assert!(!dashboard.contains("/translation?to=fr\""), "{dashboard}");
    let (status, page) = org.get(&format!("{ws}/translation?to=en")).await;
    assert_eq!(status, 200);
    assert!(page.contains("A letter in English"), "{page}");
    assert!(
        page.contains("/translation?to=en\""),
        "the form posts back to its language"
    );

    let stored = || {
        app.with_conn(|c| {
            use diesel::prelude::*;
            use undersigned::db::schema::letter_translations as t;
            t::table.select(t::language).load::<String>(c).unwrap()
        })
    };
    assert_eq!(stored(), ["en"]);
    let fields = [
        ("action", "save"),
        ("title", "Un titre"),
        ("place", "Rimouski"),
        ("addressees", "Au conseil"),
        ("preamble", "Nous\u{a0}:"),
        ("body", "Texte."),
    ];
    for to in ["fr", "FR", "xx", "../en"] {
        let (status, _) = org.get(&format!("{ws}/translation?to={to}")).await;
        assert_eq!(status, 400, "GET ?to={to}");
        let r = org.post(&format!("{ws}/translation?to={to}"), &fields).await;
        assert_eq!(r.status().as_u16(), 400, "POST ?to={to}");
        let r = org
            .post(&format!("{ws}/translation?to={to}"), &[("action", "delete")])
            .await;
        assert_eq!(r.status().as_u16(), 400, "delete ?to={to}");
    }
    assert_eq!(stored(), ["en"], "nothing stored or deleted");
    let (_, letter) = app.get_html("/letters/lettre-cible").await;
    assert!(!letter.contains("Un titre"), "{letter}");
}
