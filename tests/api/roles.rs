//! Who may do what: protected names as pranksters spell them, what only
//! owners may do to a letter, how often signers may be emailed, and the
//! first admin's link.

use crate::helpers::{spawn_app, TestApp, EXAMPLE_SLUG};
use crate::workspace::{browser, create_letter, organizer, Org, PASSWORD};
use diesel::prelude::*;
use undersigned::db::schema::{letters as l, signatures as s};
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

/// The fields of the letter `create_letter` makes, with another body.
fn letter_fields<'a>(slug: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("slug", slug),
        ("language", "fr"),
        ("title", "Lettre « de l’espace » des organisateurs"),
        ("place", "Rimouski"),
        ("date", "2026-06-01"),
        ("addressees", "Au conseil municipal"),
        ("preamble", "Nous soussignés\u{a0}:"),
        ("body", body),
        ("goal", "250"),
    ]
}

fn version_of(app: &TestApp, slug: &str) -> i32 {
    app.with_conn(|c| {
        l::table
            .filter(l::slug.eq(slug))
            .select(l::current_version)
            .first(c)
    })
    .unwrap()
}

/// Emails about a changed text waiting in or sent from the outbox to `to`.
fn news_for(app: &TestApp, to: &str) -> usize {
    app.file_emails(to)
        .iter()
        .filter(|m| m.subject.starts_with("La lettre que vous avez signée a changé"))
        .count()
}

#[actix_web::test]
async fn only_owners_anonymise_export_emails_and_notify_signers() {
    let app = spawn_app().await;
    let owner = organizer(&app, "proprio@example.org", false).await;
    let co = organizer(&app, "coediteur@example.org", false).await;
    let slug = "lettre-des-roles";
    let ws = create_letter(&owner, slug).await;
    owner
        .post(&format!("{ws}/editors"), &[("email", "coediteur@example.org")])
        .await;
    owner.post(&format!("{ws}/publish"), &[]).await;
    let r = app
        .sign(
            slug,
            &[
                ("name", "Abonnée Fidèle"),
                ("email", "abonnee@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
                ("updates", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let mail = app.wait_for_file_emails("abonnee@example.org", 1).await.remove(0);
    assert_eq!(app.post(&mail.confirm_link()).await.status().as_u16(), 200);

    // The co-editor is not offered what they may not do...
    let (_, dash) = co.get(&ws).await;
    assert!(!dash.contains("value=\"all\""), "no export with emails offered");
    // Addresses are the owners': a co-editor sees where they are from.
    assert!(!dash.contains("abonnee@example.org"), "{dash}");
    assert!(dash.contains("…@example.org"), "{dash}");
    let (_, queue) = co.get(&format!("{ws}/moderation?show=shown")).await;
    assert!(
        !queue.contains("abonnee@example.org") && queue.contains("…@example.org"),
        "{queue}"
    );
    let (_, queue) = owner.get(&format!("{ws}/moderation?show=shown")).await;
    assert!(queue.contains("abonnee@example.org"), "{queue}");
    let (_, edit) = co.get(&format!("{ws}/edit")).await;
    assert!(!edit.contains("name=\"notify\""), "no notification offered");
    let (_, dash) = owner.get(&ws).await;
    assert!(dash.contains("value=\"all\""));
    let (_, edit) = owner.get(&format!("{ws}/edit")).await;
    assert!(edit.contains("name=\"notify\""));

    // ...and the server refuses it anyway.
    let export = |who: &Org, q: &str| who.client.get(format!("{}{ws}/export?{q}", app.address)).send();
    let r = export(&co, "format=csv&who=all").await.unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(!r.text().await.unwrap().contains("abonnee@example.org"));
    let public = export(&co, "format=csv").await.unwrap();
    assert_eq!(public.status().as_u16(), 200, "the list without emails is fine");
    let public = public.text().await.unwrap();
    assert!(!public.contains("abonnee@example.org"));
    assert!(
        !public.contains("opt_in") && !public.contains("verified_by"),
        "{public}"
    );

    let mut fields = letter_fields(slug, "Un texte changé par le coéditeur.");
    fields.push(("notify", "yes"));
    let r = co.post(&format!("{ws}/edit"), &fields).await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(version_of(&app, slug), 1, "nothing saved");
    // Without asking to notify, a co-editor edits as before.
    let r = co
        .post(
            &format!("{ws}/edit"),
            &letter_fields(slug, "Un texte changé par le coéditeur."),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(version_of(&app, slug), 2);

    co.post(&format!("{ws}/status"), &[("action", "close")]).await;
    let (_, dash) = co.get(&ws).await;
    assert!(dash.contains("Fermée") || dash.contains("fermée"), "{dash}");
    assert!(!dash.contains("value=\"anonymise\""), "no anonymise button");
    let r = co.post(&format!("{ws}/status"), &[("action", "anonymise")]).await;
    assert_eq!(r.status().as_u16(), 403);
    let emails: i64 = app
        .with_conn(|c| s::table.filter(s::email.is_not_null()).count().get_result(c))
        .unwrap();
    assert!(emails > 0, "the addresses are still there");

    app.wait_for_outbox_drained().await;
    assert_eq!(news_for(&app, "abonnee@example.org"), 0, "nobody was emailed");

    // The owner may do all three.
    let r = export(&owner, "format=csv&who=all").await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let all = r.text().await.unwrap();
    assert!(all.contains("abonnee@example.org"));
    assert!(all.contains(",opt_in,language,letter_version,"), "{all}");
    let (_, dash) = owner.get(&ws).await;
    assert!(dash.contains("value=\"anonymise\""));
    let r = owner
        .post(&format!("{ws}/status"), &[("action", "anonymise")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let emails: i64 = app
        .with_conn(|c| s::table.filter(s::email.is_not_null()).count().get_result(c))
        .unwrap();
    assert_eq!(emails, 0);
}

#[actix_web::test]
async fn signers_are_notified_at_most_once_a_day_per_letter() {
    let app = spawn_app().await;
    let owner = organizer(&app, "annonces@example.org", false).await;
    let slug = "lettre-des-nouvelles";
    let ws = create_letter(&owner, slug).await;
    owner.post(&format!("{ws}/publish"), &[]).await;
    let r = app
        .sign(
            slug,
            &[
                ("name", "Abonnée Fidèle"),
                ("email", "abonnee@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
                ("updates", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let mail = app.wait_for_file_emails("abonnee@example.org", 1).await.remove(0);
    app.post(&mail.confirm_link()).await;

    let mut fields = letter_fields(slug, "Première modification.");
    fields.push(("notify", "yes"));
    let r = owner.post(&format!("{ws}/edit"), &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(version_of(&app, slug), 2);
    app.wait_for_file_emails("abonnee@example.org", 2).await;

    // A second round the same day is refused with a message; the text the
    // organizer typed comes back to them, and nothing is queued or saved.
    let outbox_before = app.row_count("outbox");
    let mut fields = letter_fields(slug, "Deuxième modification.");
    fields.push(("notify", "yes"));
    let r = owner.post(&format!("{ws}/edit"), &fields).await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Les signataires de cette lettre ont déjà été prévenus"),
        "{page}"
    );
    assert!(page.contains("Deuxième modification."));
    assert_eq!(app.row_count("outbox"), outbox_before, "nothing queued");
    assert_eq!(version_of(&app, slug), 2, "nothing saved");

    // Saving without notifying still works.
    let r = owner
        .post(
            &format!("{ws}/edit"),
            &letter_fields(slug, "Deuxième modification."),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(version_of(&app, slug), 3);
    app.wait_for_outbox_drained().await;
    assert_eq!(news_for(&app, "abonnee@example.org"), 1);
}

#[actix_web::test]
async fn only_the_latest_first_admin_link_is_valid() {
    let app = spawn_app().await;
    let issue = || {
        let link = app
            .with_conn(|c| undersigned::cli::organizer::bootstrap_admin(c, &app.address))
            .unwrap()
            .expect("a link while nobody can sign in");
        link.trim_start_matches(&app.address).to_string()
    };
    let first = issue();
    let second = issue();
    assert_ne!(first, second);
    let anon = Org {
        client: browser(),
        email: String::new(),
        base: app.address.clone(),
    };
    let (status, _) = anon.get(&first).await;
    assert_eq!(status, 410, "an earlier link stops working");
    let fields = [
        ("email", "fondatrice@example.org"),
        ("password", PASSWORD),
        ("password2", PASSWORD),
    ];
    assert_eq!(anon.post(&first, &fields).await.status().as_u16(), 410);
    let (status, page) = anon.get(&second).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(anon.post(&second, &fields).await.status().as_u16(), 303);
    let admin = app
        .with_conn(|c| organizers::find_by_email(c, "fondatrice@example.org"))
        .unwrap()
        .expect("the first admin has their address");
    assert!(admin.is_admin && admin.password_hash.is_some());
}

#[actix_web::test]
async fn the_first_admin_setup_sets_the_address_and_password_together() {
    let app = spawn_app().await;
    // An address already in use: the setup must change neither.
    organizer(&app, "prise@example.org", false).await;
    let link = app
        .with_tx(|c| {
            // bootstrap_admin stops once anyone can sign in; make the
            // first admin the way it does.
            organizers::create(
                c,
                undersigned::cli::organizer::FIRST_ADMIN_EMAIL,
                true,
                undersigned::db::now(),
            )
        })
        .unwrap();
    let organizers::CreateOutcome::Created {
        setup,
        organizer: first,
    } = link
    else {
        panic!("created")
    };
    let path = format!("/workspace/setup/{}", setup.as_str());
    let anon = Org {
        client: browser(),
        email: String::new(),
        base: app.address.clone(),
    };
    let r = anon
        .post(
            &path,
            &[
                ("email", "prise@example.org"),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Un compte existe déjà à cette adresse"));
    let after = app
        .with_conn(|c| organizers::find(c, &first.id))
        .unwrap()
        .unwrap();
    assert_eq!(after.email, undersigned::cli::organizer::FIRST_ADMIN_EMAIL);
    assert!(after.password_hash.is_none());

    // The link still works with a free address.
    let r = anon
        .post(
            &path,
            &[
                ("email", "libre@example.org"),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let after = app
        .with_conn(|c| organizers::find(c, &first.id))
        .unwrap()
        .unwrap();
    assert_eq!(after.email, "libre@example.org");
    assert!(after.password_hash.is_some());
}
