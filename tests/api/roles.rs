//! Who may do what: protected names as pranksters spell them, what only
//! owners may do to a letter, how often signers may be emailed, and the
//! first admin's link.

use crate::helpers::{spawn_app, TestApp, EXAMPLE_SLUG};
use crate::workspace::{organizer, Org};
use diesel::prelude::*;
use undersigned::db::schema::signatures as s;
use undersigned::db::{editors, organizers};

/// Gives the organizer a role on the example letter; returns its path.
fn grant_example(app: &TestApp, org: &Org, role: editors::Role) -> String {
    let letter = app
        .with_conn(|c| undersigned::db::letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let who = app
        .with_conn(|c| organizers::find_by_email(c, &org.email))
        .unwrap()
        .unwrap();
    app.with_conn(|c| editors::grant(c, &letter.id, &who.id, role, undersigned::db::now()))
        .unwrap();
    format!("/workspace/letters/{}", letter.id)
}

fn moderation_of(app: &TestApp, name: &str) -> String {
    app.with_conn(|c| {
        s::table
            .filter(s::name.eq(name))
            .select(s::moderation)
            .first::<String>(c)
    })
    .unwrap()
}

#[actix_web::test]
async fn protected_names_are_held_whatever_the_order_titles_and_accents() {
    let app = spawn_app().await;
    let admin = organizer(&app, "garde@example.org", true).await;
    let ws = grant_example(&app, &admin, editors::Role::Owner);
    let r = admin
        .post(
            &format!("{ws}/protected"),
            &[("action", "add"), ("name", "François Legault")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = admin
        .post(
            "/workspace/protected",
            &[("action", "add"), ("name", "France-Élaine Duranceau")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    let held = [
        ("Legault, François", "inverse@example.org"),
        ("Dr François Legault", "docteur@example.org"),
        ("Mme France Élaine Duranceau", "madame@example.org"),
    ];
    let shown = [
        ("François Tremblay", "tremblay@example.org"),
        ("Martin Legault", "martin@example.org"),
    ];
    for (name, email) in held.iter().chain(shown.iter()) {
        app.sign_and_confirm(name, email).await;
    }

    let (_, list) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    let (_, queue) = admin.get(&format!("{ws}/moderation")).await;
    for (name, _) in held {
        assert!(!list.contains(name), "{name} is not on the public list");
        assert!(queue.contains(name), "{name} waits in the review queue");
        assert_eq!(moderation_of(&app, name), "queued", "{name}");
    }
    for (name, _) in shown {
        assert!(list.contains(name), "{name} shares one word only: shown");
        assert_eq!(moderation_of(&app, name), "shown", "{name}");
    }
}
