//! The signer's own view of their data, erasure, and the privacy page.

use crate::helpers::{spawn_app, spawn_app_with, wait_until, EXAMPLE_SLUG};
use diesel::prelude::*;
use std::time::Duration;
use undersigned::db::letters::{self, LetterStatus};
use undersigned::db::schema::signatures as s;

#[actix_web::test]
async fn the_manage_link_shows_downloads_edits_and_withdraws() {
    let app = spawn_app().await;
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", "Hélène Pednault"),
                ("titles", "Autrice"),
                ("email", "helene@example.org"),
                ("city", "Montréal"),
                ("visibility", "public"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let email = app.wait_for_file_emails("helene@example.org", 1).await.remove(0);
    app.post(&email.confirm_link()).await;
    let manage = email.link("/manage/");
    let path = manage.trim_start_matches(&app.address).to_string();

    // Everything stored, on a page that leaks no Referer.
    let r = app.get(&path).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    let page = r.text().await.unwrap();
    for shown in [
        "Hélène Pednault",
        "Autrice",
        "helene@example.org",
        "Montréal",
        "Confirmée",
        "2026-11-27",
    ] {
        assert!(page.contains(shown), "{shown} missing from the manage page");
    }

    // The same as JSON.
    let r = app.get(&format!("{path}/data.json")).await;
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["signature"]["email"], "helene@example.org");
    assert_eq!(json["signature"]["status"], "confirmed");
    assert_eq!(json["titles"][0], "Autrice");
    assert!(json["signature"]["consent_version"].is_string());
    assert!(json["signature"]["consent_at"].is_string());
    assert_eq!(json["signature"]["consent_letter_version"], 1);

    // A bad change is refused with the typed values kept, and changes nothing.
    let r = app
        .post_form(
            &path,
            &[
                ("titles", "Autrice\n\u{202E}x"),
                ("city", "Laval"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("value=\"Laval\"") && body.contains("Ligne 2"));
    let (_, letter_page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert!(letter_page.contains("Montréal"));

    // A good change shows at once on the letter page.
    let r = app
        .post_form(
            &path,
            &[
                ("titles", "Autrice\nDramaturge"),
                ("city", "Québec"),
                ("visibility", "public"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, saved) = app.get_html(r.headers()["location"].to_str().unwrap()).await;
    assert!(saved.contains("Vos modifications sont enregistrées."));
    let (_, letter_page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert!(letter_page.contains(
        "<span class=\"signatory-title\">Dramaturge</span><span class=\"signatory-city\">Québec</span>"
    ));

    // Count only: still counted, no longer listed.
    app.post_form(
        &path,
        &[("titles", ""), ("city", ""), ("visibility", "count-only")],
    )
    .await;
    let (_, letter_page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert!(!letter_page.contains("Hélène Pednault"));
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);

    // Withdrawal from the manage page erases everything personal.
    let r = app.post(&format!("{manage}/withdraw")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);
    let rows: Vec<(String, Option<String>, Option<String>)> = app
        .with_conn(|c| {
            s::table
                .filter(s::status.eq("withdrawn"))
                .select((s::name, s::email, s::city))
                .load(c)
        })
        .unwrap();
    assert_eq!(rows, vec![(String::new(), None, None)]);
    assert_eq!(
        app.get(&path).await.status().as_u16(),
        410,
        "the manage link is dead"
    );
}

#[actix_web::test]
async fn expired_pending_signatures_are_purged_by_the_background_job() {
    let app = spawn_app_with(|s| {
        s.confirm_ttl = Duration::ZERO;
        s.purge_interval = Duration::from_millis(50);
    })
    .await;
    // With a zero lifetime the link is already expired, and a signature
    // stored pending then confirmed could be purged in between by the job
    // running every 50 ms: write one confirmed signature in one statement.
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let now = undersigned::db::now();
    app.with_conn(|c| {
        diesel::insert_into(s::table)
            .values((
                s::id.eq(undersigned::db::new_id()),
                s::letter_id.eq(&letter.id),
                s::name.eq("Toujours Confirmée"),
                s::titles.eq("[]"),
                s::email.eq(Some("kept@example.org")),
                s::email_key.eq(Some("kept@example.org")),
                s::is_public.eq(true),
                s::tier.eq("public"),
                s::status.eq("confirmed"),
                s::language.eq("fr"),
                s::wants_updates.eq(false),
                s::created_at.eq(now),
                s::updated_at.eq(now),
                s::confirmed_at.eq(Some(now)),
            ))
            .execute(c)
    })
    .unwrap();
    app.sign_as("Jamais Confirmée", "never@example.org").await;
    wait_until("the pending signature to be purged", || {
        let pending: i64 = app
            .with_conn(|c| s::table.filter(s::status.eq("pending")).count().get_result(c))
            .unwrap();
        (pending == 0).then_some(())
    })
    .await;
    let emails: Vec<Option<String>> = app.with_conn(|c| s::table.select(s::email).load(c)).unwrap();
    assert!(
        !emails.contains(&Some("never@example.org".into())),
        "the address is gone"
    );
    assert_eq!(app.row_count("signatures"), 4, "confirmed signatures stay");
}

#[actix_web::test]
async fn closed_letters_are_anonymised_on_schedule_and_the_list_stays() {
    let app = spawn_app_with(|s| {
        s.anonymise_after_days = Some(90);
        s.purge_interval = Duration::from_millis(50);
    })
    .await;
    app.sign_and_confirm("Liste Intacte", "liste@example.org").await;
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    app.with_conn(|c| letters::set_status(c, &letter.id, LetterStatus::Closed, undersigned::db::now()))
        .unwrap();
    let (_, before) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    let ninety_one_days_ago = undersigned::db::now() - chrono::Duration::days(91);
    app.with_conn(|c| letters::set_closed_at(c, &letter.id, ninety_one_days_ago))
        .unwrap();
    wait_until("the letter to be anonymised", || {
        let with_email: i64 = app
            .with_conn(|c| s::table.filter(s::email.is_not_null()).count().get_result(c))
            .unwrap();
        (with_email == 0).then_some(())
    })
    .await;
    let (_, after) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert_eq!(before, after, "the public list stays as published");
    assert!(after.contains("Liste Intacte"));
}

/// The pass names the letters it changed, so the server that runs it drops
/// their cached copies; a second pass finds nothing left to do.
#[actix_web::test]
async fn a_maintenance_pass_names_the_letters_it_anonymised() {
    let app = spawn_app().await;
    app.sign_and_confirm("Nom Gardé", "garde@example.org").await;
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let long_ago = undersigned::db::now() - chrono::Duration::days(91);
    app.with_conn(|c| letters::set_status(c, &letter.id, LetterStatus::Closed, long_ago))
        .unwrap();
    app.with_conn(|c| letters::set_closed_at(c, &letter.id, long_ago))
        .unwrap();
    let config = undersigned::jobs::MaintenanceConfig {
        interval: Duration::from_secs(3600),
        confirm_ttl: Duration::from_secs(7 * 86_400),
        anonymise_after_days: Some(90),
    };
    let told = std::cell::RefCell::new(Vec::new());
    let report = undersigned::jobs::run_once_telling(&mut app.conn(), &config, &|id| {
        told.borrow_mut().push(id.clone())
    })
    .unwrap();
    assert_eq!(report.anonymised_letters, 1);
    assert_eq!(report.changed, vec![letter.id.clone()]);
    assert_eq!(told.into_inner(), vec![letter.id]);
    let again = undersigned::jobs::run_once(&mut app.conn(), &config).unwrap();
    assert_eq!(again, undersigned::jobs::PassReport::default());
}

#[actix_web::test]
async fn the_privacy_page_is_linked_translated_and_editable() {
    let app = spawn_app().await;
    let (_, letter_page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert!(letter_page.contains("href=\"/privacy\""));
    let (status, fr) = app.get_html("/privacy").await;
    assert_eq!(status, 200);
    assert!(fr.contains("<h1>Confidentialité</h1>") && fr.contains("Loi 25"));
    let (_, en) = app.get_html("/privacy?lang=en").await;
    assert!(en.contains("<h1>Privacy</h1>") && en.contains("Law 25"));

    // Organizers replace the text with a file in the data folder.
    std::fs::write(
        app.settings.data_dir.join("privacy.fr.md"),
        "# Notre politique\n\nTexte propre à la coalition.",
    )
    .unwrap();
    let (_, custom) = app.get_html("/privacy?lang=fr").await;
    assert!(custom.contains("<h1>Notre politique</h1>") && custom.contains("Texte propre à la coalition."));
}
