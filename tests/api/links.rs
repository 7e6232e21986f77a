//! Emailed links that are unknown, malformed, used, expired, or point to a
//! letter that closed meanwhile.

use crate::helpers::{spawn_app, spawn_app_with, EXAMPLE_SLUG};
use std::time::Duration;
use undersigned::db::letters::{self, LetterStatus};

#[actix_web::test]
async fn unknown_and_malformed_tokens_are_404() {
    let app = spawn_app().await;
    let unknown = "ab".repeat(32);
    for path in [
        format!("/confirm/{unknown}"),
        format!("/withdraw/{unknown}"),
        "/confirm/not-a-token".to_string(),
        "/withdraw/%00%0d%0a".to_string(),
        format!("/confirm/{}", "A".repeat(64)),
    ] {
        let (status, body) = app.get_html(&path).await;
        assert_eq!(status, 404, "GET {path}");
        assert!(body.contains("Lien invalide"), "{path}");
        let r = app.post(&app.url(&path)).await;
        assert_eq!(r.status().as_u16(), 404, "POST {path}");
    }
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);
}

#[actix_web::test]
async fn a_confirmation_token_cannot_withdraw_and_vice_versa() {
    let app = spawn_app().await;
    app.sign_as("Croisé", "croise@example.org").await;
    let email = app.wait_for_file_emails("croise@example.org", 1).await.remove(0);
    let confirm_token = email.confirm_link().rsplit('/').next().unwrap().to_string();
    let withdraw_token = email.withdraw_link().rsplit('/').next().unwrap().to_string();
    let r = app.post(&app.url(&format!("/withdraw/{confirm_token}"))).await;
    assert_eq!(r.status().as_u16(), 404);
    let r = app.post(&app.url(&format!("/confirm/{withdraw_token}"))).await;
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);
}

#[actix_web::test]
async fn expired_confirmation_links_are_410() {
    let app = spawn_app_with(|s| s.confirm_ttl = Duration::ZERO).await;
    app.sign_as("En Retard", "retard@example.org").await;
    let email = app.wait_for_file_emails("retard@example.org", 1).await.remove(0);
    let (status, body) = app
        .get_html(email.confirm_link().trim_start_matches(&app.address))
        .await;
    assert_eq!(status, 410);
    assert!(body.contains("Lien expiré"));
    let r = app.post(&email.confirm_link()).await;
    assert_eq!(r.status().as_u16(), 410);
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);
}

#[actix_web::test]
async fn confirming_after_the_letter_closed_is_refused() {
    let app = spawn_app().await;
    app.sign_as("Trop Tard", "tard@example.org").await;
    let email = app.wait_for_file_emails("tard@example.org", 1).await.remove(0);
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    app.with_conn(|c| letters::set_status(c, &letter.id, LetterStatus::Closed, undersigned::db::now()))
        .unwrap();
    let r = app.post(&email.confirm_link()).await;
    assert_eq!(r.status().as_u16(), 409);
    assert!(r.text().await.unwrap().contains("Lettre fermée"));
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);
}

/// Links mailed before tokens began with the time they were made were 64
/// random hex digits, stored under their bare SHA-256: they still confirm.
#[actix_web::test]
async fn a_link_mailed_before_tokens_carried_their_time_still_confirms() {
    use diesel::prelude::*;
    use sha2::{Digest, Sha256};
    use undersigned::db::schema::tokens;
    let app = spawn_app().await;
    app.sign_as("Ancien Lien", "ancien@example.org").await;
    let email = app.wait_for_file_emails("ancien@example.org", 1).await.remove(0);
    let link = email.confirm_link();
    let current = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(current.len(), 72, "tokens made now carry their time");
    let stored_now = undersigned::domain::Token::parse(&current).unwrap().hash();
    // The row as the service wrote it before the change.
    let legacy = "3f0a6c1e2b7d4c5a8e9f00112233445566778899aabbccddeeff001122334455";
    let moved = app.with_conn(|c| {
        let key = hex::encode(Sha256::digest(legacy.as_bytes()));
        let update = diesel::update(tokens::table.filter(tokens::token_hash.eq(stored_now.as_str())))
            .set(tokens::token_hash.eq(key));
        match &mut **c {
            undersigned::db::DbConn::Sqlite(c) => update.execute(c),
            undersigned::db::DbConn::Pg(c) => update.execute(c),
        }
    });
    assert_eq!(moved, Ok(1));

    let (status, body) = app.get_html(&format!("/confirm/{legacy}")).await;
    assert_eq!(status, 200, "{body}");
    let r = app.post(&app.url(&format!("/confirm/{legacy}"))).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4, "confirmed and counted");
    let r = app.post(&app.url(&format!("/confirm/{current}"))).await;
    assert_eq!(r.status().as_u16(), 404, "the key it was stored under moved");
}
