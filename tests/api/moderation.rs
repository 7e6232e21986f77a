//! Moderation: review queue, protected names, hiding, exclusion and bulk
//! hiding, as organizers use them.

use crate::helpers::{spawn_app, EXAMPLE_SLUG};
use crate::workspace::{organizer, Org};
use undersigned::db::{editors, letters};

/// Makes the organizer an owner of the example letter; returns its path.
pub async fn own_example(app: &crate::helpers::TestApp, org: &Org) -> String {
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let owner = app
        .with_conn(|c| undersigned::db::organizers::find_by_email(c, &org.email))
        .unwrap()
        .unwrap();
    app.with_conn(|c| {
        editors::grant(
            c,
            &letter.id,
            &owner.id,
            editors::Role::Owner,
            undersigned::db::now(),
        )
    })
    .unwrap();
    format!("/workspace/letters/{}", letter.id)
}

pub fn ids_in(page: &str) -> Vec<String> {
    page.split("name=\"id\" value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[actix_web::test]
async fn a_reviewed_letter_shows_signatures_once_approved() {
    let app = spawn_app().await;
    let org = organizer(&app, "moderatrice@example.org", false).await;
    let ws = own_example(&app, &org).await;
    assert_eq!(
        org.post(&format!("{ws}/moderation/mode"), &[("mode", "review")])
            .await
            .status()
            .as_u16(),
        303
    );

    app.sign_and_confirm("Attente Revue", "revue@example.org").await;
    let (_, page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert!(!page.contains("Attente Revue"), "waiting for review");
    assert_eq!(
        app.api_count(EXAMPLE_SLUG).await,
        4,
        "a queued signature still counts"
    );

    let (_, queue) = org.get(&format!("{ws}/moderation")).await;
    assert!(queue.contains("Attente Revue") && queue.contains("revue@example.org"));
    let ids = ids_in(&queue);
    assert_eq!(ids.len(), 1);
    let r = org
        .post(
            &format!("{ws}/moderation"),
            &[("decision", "approve"), ("id", &ids[0])],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}"))
        .await
        .1
        .contains("Attente Revue"));
}

#[actix_web::test]
async fn protected_names_are_held_even_when_the_letter_publishes_at_once() {
    let app = spawn_app().await;
    let admin = organizer(&app, "garde@example.org", true).await;
    let ws = own_example(&app, &admin).await;
    admin
        .post(
            &format!("{ws}/protected"),
            &[("action", "add"), ("name", "Élise Côté")],
        )
        .await;
    assert_eq!(
        admin
            .post(
                "/workspace/protected",
                &[("action", "add"), ("name", "Gilles Vigneault")]
            )
            .await
            .status()
            .as_u16(),
        303
    );

    app.sign_and_confirm("ELISE COTE,", "fausse@example.org").await;
    app.sign_and_confirm("gilles vigneault", "faux@example.org").await;
    app.sign_and_confirm("Vraie Personne", "vraie@example.org").await;
    let (_, page) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert!(page.contains("Vraie Personne"));
    assert!(!page.contains("ELISE COTE") && !page.contains("gilles vigneault"));
    let (_, queue) = admin.get(&format!("{ws}/moderation")).await;
    assert_eq!(ids_in(&queue).len(), 2);
    let (_, site) = admin.get("/workspace/protected").await;
    assert!(site.contains("Gilles Vigneault"));
}

#[actix_web::test]
async fn a_name_protected_for_the_whole_site_alone_is_held() {
    // The confirmation reads whether any protected name applies with the
    // link: a site-wide name must count even when the letter has none.
    let app = spawn_app().await;
    let admin = organizer(&app, "garde@example.org", true).await;
    let ws = own_example(&app, &admin).await;
    admin
        .post(
            "/workspace/protected",
            &[("action", "add"), ("name", "Gilles Vigneault")],
        )
        .await;

    app.sign_and_confirm("Vigneault Gilles", "faux@example.org").await;
    app.sign_and_confirm("Vraie Personne", "vraie@example.org").await;
    let (_, page) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert!(page.contains("Vraie Personne"));
    assert!(
        !page.contains("Vigneault"),
        "a site-wide protected name was listed"
    );
    let (_, queue) = admin.get(&format!("{ws}/moderation")).await;
    assert_eq!(ids_in(&queue).len(), 1);
}

#[actix_web::test]
async fn hiding_keeps_the_count_unless_excluded_and_bulk_hides_by_domain() {
    let app = spawn_app().await;
    let org = organizer(&app, "tri@example.org", false).await;
    let ws = own_example(&app, &org).await;
    app.sign_and_confirm("Robot Un", "r1@spam.example").await;
    app.sign_and_confirm("Robot Deux", "r2@mail.spam.example").await;
    app.sign_and_confirm("Humaine Réelle", "humaine@example.org")
        .await;
    app.sign_and_confirm("Voisine Honnête", "voisine@notspam.example")
        .await;
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 7);

    // Hide one already shown: off the list, still counted.
    let (_, shown) = org.get(&format!("{ws}/moderation?show=shown")).await;
    let human = shown
        .split("<tr>")
        .find(|row| row.contains("Humaine Réelle"))
        .and_then(|row| ids_in(row).into_iter().next())
        .unwrap();
    org.post(
        &format!("{ws}/moderation"),
        &[("decision", "hide"), ("id", &human), ("show", "shown")],
    )
    .await;
    assert!(!app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}"))
        .await
        .1
        .contains("Humaine Réelle"));
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 7);
    org.post(
        &format!("{ws}/moderation"),
        &[("decision", "approve"), ("id", &human)],
    )
    .await;

    // Bulk by domain ("@" or not), its subdomains with it and nothing
    // that only ends alike: the count and the names first, nothing changed
    // yet.
    let r = org
        .post(
            &format!("{ws}/moderation/bulk"),
            &[("domain", "@spam.example"), ("exclude", "yes"), ("step", "count")],
        )
        .await;
    let body = r.text().await.unwrap();
    assert!(body.contains("2 signatures seraient masquées."), "{body}");
    assert!(
        body.contains("<li>Robot Deux</li>") && body.contains("<li>Robot Un</li>"),
        "{body}"
    );
    assert!(!body.contains("<li>Voisine Honnête</li>"), "{body}");
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 7);
    let r = org
        .post(
            &format!("{ws}/moderation/bulk"),
            &[("domain", "spam.example"), ("exclude", "yes"), ("step", "apply")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        app.api_count(EXAMPLE_SLUG).await,
        5,
        "excluded signatures no longer count"
    );
    let (_, list) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert!(!list.contains("Robot Un") && list.contains("Humaine Réelle"));

    // Counted again on request; the choices are in the audit log.
    let (_, hidden) = org.get(&format!("{ws}/moderation?show=hidden")).await;
    let robots = ids_in(&hidden);
    let mut form = vec![("decision", "include")];
    for id in &robots {
        form.push(("id", id));
    }
    org.post(&format!("{ws}/moderation"), &form).await;
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 7);
    let (_, audit) = org.get(&format!("{ws}/audit")).await;
    for action in [" a masqué ", " a approuvé ", "dans le décompte."] {
        assert!(audit.contains(action), "{action}");
    }

    // A bulk hide with nothing to select is refused.
    let r = org
        .post(&format!("{ws}/moderation/bulk"), &[("step", "count")])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let r = org
        .post(
            &format!("{ws}/moderation/bulk"),
            &[("domain", "%"), ("step", "apply")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    // Each field that cannot be read says so beside it, and keeps what was
    // typed; the fields that could stay as they were.
    let r = org
        .post(
            &format!("{ws}/moderation/bulk"),
            &[
                ("domain", "spam"),
                ("from", "hier soir"),
                ("to", "2030-03-10T02:30"),
                ("exclude", "yes"),
                ("step", "apply"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    for (field, typed, why) in [
        ("domain", "spam", "Ce n’est pas un domaine courriel."),
        ("from", "hier soir", "AAAA-MM-JJ"),
        ("to", "2030-03-10T02:30", "les horloges l’ont sautée"),
    ] {
        assert!(body.contains(&format!("value=\"{typed}\"")), "{field}: {body}");
        let error = body
            .split(&format!("id=\"{field}-error\""))
            .nth(1)
            .unwrap_or_else(|| panic!("no error for {field}: {body}"));
        assert!(
            error[..error.find("</p>").unwrap()].contains(why),
            "{field}: {error}"
        );
    }
    assert!(body.contains("name=\"exclude\" value=\"yes\" checked"), "{body}");
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 7, "nothing hidden");
}

#[actix_web::test]
async fn affiliations_are_verified_by_email_domain() {
    let app = spawn_app().await;
    let org = organizer(&app, "verif@example.org", false).await;
    let ws = own_example(&app, &org).await;
    let r = org
        .post(
            &format!("{ws}/affiliations"),
            &[
                ("action", "add"),
                ("affiliation", "Université Laval"),
                ("domain", "ulaval.ca"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        org.post(
            &format!("{ws}/affiliations"),
            &[("action", "add"), ("affiliation", "X"), ("domain", "%")]
        )
        .await
        .status()
        .as_u16(),
        400
    );

    for (name, email) in [
        ("Chercheuse Lavalloise", "chercheuse@ulaval.ca"),
        ("Prétendant Lavallois", "pretend@gmail.com"),
    ] {
        let r = app
            .sign(
                EXAMPLE_SLUG,
                &[
                    ("name", name),
                    ("titles", "Professeure, UNIVERSITÉ LAVAL\nMembre de l’Ordre"),
                    ("email", email),
                    ("visibility", "public"),
                    ("consent", "yes"),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let mail = app.wait_for_file_emails(email, 1).await.remove(0);
        app.post(&mail.confirm_link()).await;
    }
    let (_, list) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    let block = |name: &str| {
        let start = list.find(name).unwrap();
        list[start..start + list[start..].find("</li>").unwrap()].to_string()
    };
    let real = block("Chercheuse Lavalloise");
    assert!(
        real.contains("Professeure, UNIVERSITÉ LAVAL <span class=\"verified-mark\""),
        "{real}"
    );
    assert_eq!(
        real.matches("verified-mark").count(),
        1,
        "only the line naming the affiliation"
    );
    assert!(
        !block("Prétendant Lavallois").contains("verified-mark"),
        "not from the domain"
    );
    assert!(real.contains("vérifié par courriel"));

    // Exports carry the mark on the same line.
    let text = app
        .get(&format!("/letters/{EXAMPLE_SLUG}/export.txt"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("Chercheuse Lavalloise\nProfesseure, UNIVERSITÉ LAVAL ✓ (vérifié par courriel)\nMembre de l’Ordre\n"),
        "{text}"
    );
    assert!(text.contains("Prétendant Lavallois\nProfesseure, UNIVERSITÉ LAVAL\nMembre"));
    let json: serde_json::Value = app
        .get(&format!("/letters/{EXAMPLE_SLUG}/export.json"))
        .await
        .json()
        .await
        .unwrap();
    let rows = json["signatories"].as_array().unwrap();
    let real = rows
        .iter()
        .find(|r| r["name"] == "Chercheuse Lavalloise")
        .unwrap();
    assert_eq!(real["verified"], true);
}

#[actix_web::test]
async fn an_organizer_anonymises_a_closed_letter() {
    use diesel::prelude::*;
    use undersigned::db::schema::signatures as s;
    let app = spawn_app().await;
    let org = organizer(&app, "anonyme@example.org", false).await;
    let ws = own_example(&app, &org).await;
    app.sign_and_confirm("Reste Publiée", "reste@example.org").await;
    assert_eq!(
        org.post(&format!("{ws}/status"), &[("action", "anonymise")])
            .await
            .status()
            .as_u16(),
        400,
        "only once closed"
    );
    org.post(&format!("{ws}/status"), &[("action", "close")]).await;
    let (_, before) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert_eq!(
        org.post(&format!("{ws}/status"), &[("action", "anonymise")])
            .await
            .status()
            .as_u16(),
        303
    );
    let emails: i64 = app
        .with_conn(|c| s::table.filter(s::email.is_not_null()).count().get_result(c))
        .unwrap();
    assert_eq!(emails, 0);
    let (_, after) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert_eq!(before, after);
    assert!(org.get(&ws).await.1.contains("Lettre anonymisée"));
    assert_eq!(
        org.post(&format!("{ws}/status"), &[("action", "reopen")])
            .await
            .status()
            .as_u16(),
        400
    );
}
