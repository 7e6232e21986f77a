//! The page after confirming shows the manage and withdrawal links of the
//! confirmation email itself, derived from the confirmation link with the
//! site's key, and stores no new ones; links another key derived (a secret
//! changed since), or none did, get a fresh stored pair that works.

use crate::helpers::{spawn_app, Email, TestApp, EXAMPLE_SLUG};
use diesel::prelude::*;
use undersigned::db::schema::tokens;

/// The path of the first link on `body` that starts with `prefix`.
fn page_link(body: &str, prefix: &str) -> String {
    let start = body
        .find(&format!("href=\"{prefix}"))
        .unwrap_or_else(|| panic!("no {prefix} link on the page:\n{body}"))
        + "href=\"".len();
    let end = start + body[start..].find('"').expect("closing quote");
    body[start..end].to_string()
}

/// A link's path, without scheme and host.
fn path_of(link: &str) -> String {
    let rest = link.split_once("://").map_or(link, |(_, r)| r);
    rest[rest.find('/').expect("a path")..].to_string()
}

async fn signed(app: &TestApp, name: &str, address: &str) -> Email {
    let r = app.sign_as(name, address).await;
    assert_eq!(r.status().as_u16(), 303);
    app.wait_for_file_emails(address, 1).await.remove(0)
}

async fn confirm(app: &TestApp, email: &Email) -> String {
    let r = app.post(&email.confirm_link()).await;
    assert_eq!(r.status().as_u16(), 200);
    r.text().await.unwrap()
}

/// Sets the key id stored with every confirmation link of the database.
fn store_key_id(app: &TestApp, id: Option<i64>) {
    let changed = app.with_conn(|c| {
        let update =
            diesel::update(tokens::table.filter(tokens::purpose.eq("confirm"))).set(tokens::links_key.eq(id));
        match &mut **c {
            undersigned::db::DbConn::Sqlite(c) => update.execute(c),
            undersigned::db::DbConn::Pg(c) => update.execute(c),
        }
    });
    assert!(changed.unwrap() >= 1);
}

#[actix_web::test]
async fn the_confirmed_page_shows_the_emails_own_links_and_stores_none() {
    let app = spawn_app().await;
    let email = signed(&app, "Dérivée Lien", "derivee@example.org").await;
    let (manage, withdraw) = (path_of(&email.link("/manage/")), path_of(&email.withdraw_link()));
    let tokens_before = app.row_count("tokens");

    let body = confirm(&app, &email).await;
    assert_eq!(page_link(&body, "/manage/"), manage);
    assert_eq!(page_link(&body, "/withdraw/"), withdraw);
    assert_eq!(app.row_count("tokens"), tokens_before, "no new links stored");

    let (status, page) = app.get_html(&manage).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Dérivée Lien"), "{page}");
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);
    let r = app.post(&app.url(&withdraw)).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        app.api_count(EXAMPLE_SLUG).await,
        3,
        "the page's withdrawal link withdrew"
    );
}

#[actix_web::test]
async fn links_another_key_derived_or_none_did_get_a_fresh_pair_that_works() {
    let app = spawn_app().await;
    let mut expected_count = 3;
    for (name, address, stored_id) in [
        ("Clé Changée", "cle@example.org", Some(42)),
        ("Lien Ancien", "ancien@example.org", None),
    ] {
        let email = signed(&app, name, address).await;
        let emailed_manage = path_of(&email.link("/manage/"));
        // As if the site's secret had changed since the email left, or the
        // link had been stored before links were derived.
        store_key_id(&app, stored_id);
        let tokens_before = app.row_count("tokens");

        let body = confirm(&app, &email).await;
        expected_count += 1;
        let (manage, withdraw) = (page_link(&body, "/manage/"), page_link(&body, "/withdraw/"));
        assert_ne!(manage, emailed_manage, "{name}: not what this key would derive");
        assert_eq!(
            app.row_count("tokens"),
            tokens_before + 2,
            "{name}: a stored pair"
        );
        for link in [&manage, &emailed_manage] {
            let (status, page) = app.get_html(link).await;
            assert_eq!(status, 200, "{name}: {link}\n{page}");
            assert!(page.contains(name), "{page}");
        }
        assert_eq!(app.api_count(EXAMPLE_SLUG).await, expected_count);
        let r = app.post(&app.url(&withdraw)).await;
        assert_eq!(r.status().as_u16(), 200);
        expected_count -= 1;
        assert_eq!(
            app.api_count(EXAMPLE_SLUG).await,
            expected_count,
            "{name}: withdrawn"
        );
    }
}
