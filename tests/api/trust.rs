//! The three promises behind the published list, each tried the way a
//! stranger would try to break it: a name is listed only when the owner of
//! its address confirmed that very content, and a protected or reviewed
//! name only after an organizer saw it. One test per way that was found
//! open; the property test in `trust_property.rs` tries random sequences.

use crate::helpers::{spawn_app, spawn_app_with, Email, TestApp, EXAMPLE_SLUG};
use crate::moderation::{ids_in, own_example};
use crate::workspace::{organizer, Org};
use diesel::prelude::*;
use undersigned::db::schema::{outbox, signatures};

/// The public list as the API gives it: (name, titles, city).
pub async fn public_list(app: &TestApp, slug: &str) -> Vec<(String, Vec<String>, Option<String>)> {
    listed_at(app, &format!("/api/v1/letters/{slug}/signatories")).await
}

/// The signers (initial ones aside) an API signatories address answers
/// with: the list, or a search.
pub async fn listed_at(app: &TestApp, path: &str) -> Vec<(String, Vec<String>, Option<String>)> {
    let json: serde_json::Value = app.get(path).await.json().await.expect("json");
    json["signatories"]
        .as_array()
        .expect("a list")
        .iter()
        .filter(|s| s["initial"] == false)
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_string(),
                s["titles"]
                    .as_array()
                    .map(|t| t.iter().filter_map(|l| l.as_str().map(str::to_string)).collect())
                    .unwrap_or_default(),
                s["city"].as_str().map(str::to_string),
            )
        })
        .collect()
}

/// The public CSV export of a letter, as one string.
pub async fn public_csv(app: &TestApp, slug: &str) -> String {
    let r = app.get(&format!("/letters/{slug}/export.csv")).await;
    assert_eq!(r.status().as_u16(), 200);
    r.text().await.expect("csv")
}

pub async fn sign_with(app: &TestApp, email: &str, fields: &[(&str, &str)]) -> Email {
    let before = app.file_emails(email).len();
    let mut form = vec![("email", email), ("consent", "yes")];
    form.extend_from_slice(fields);
    let r = app.sign(EXAMPLE_SLUG, &form).await;
    assert_eq!(r.status().as_u16(), 303, "signing {email}");
    app.wait_for_file_emails(email, before + 1)
        .await
        .pop()
        .expect("an email")
}

fn stored(app: &TestApp, email: &str) -> (String, String, bool, String) {
    app.with_conn(|c| {
        signatures::table
            .filter(signatures::email.eq(email))
            .select((
                signatures::name,
                signatures::titles,
                signatures::is_public,
                signatures::status,
            ))
            .get_result(c)
    })
    .expect("the signature")
}

#[actix_web::test]
async fn a_stranger_cannot_rewrite_a_pending_signature() {
    let app = spawn_app().await;
    let owner_mail = sign_with(
        &app,
        "quiet@example.org",
        &[("name", "Quiet Owner"), ("visibility", "count-only")],
    )
    .await;
    let stranger_mail = sign_with(
        &app,
        "quiet@example.org",
        &[
            ("name", "Loud Impostor"),
            ("titles", "Ministre des Finances"),
            ("visibility", "public"),
        ],
    )
    .await;

    // Nothing stored changed: the owner has not confirmed anything yet.
    let (name, titles, is_public, status) = stored(&app, "quiet@example.org");
    assert_eq!(
        (name.as_str(), titles.as_str(), is_public, status.as_str()),
        ("Quiet Owner", "[]", false, "pending")
    );

    // The owner's first link says it was replaced, and confirms nothing.
    let first = owner_mail.confirm_link();
    let r = app.client.get(&first).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 410);
    assert!(r.text().await.unwrap().contains("Lien remplacé"));
    assert_eq!(app.post(&first).await.status().as_u16(), 410);
    assert_eq!(stored(&app, "quiet@example.org").3, "pending");

    // The newer link, in the owner's mailbox, states the whole content it
    // would publish before its button.
    let second = stranger_mail.confirm_link();
    let page = app
        .client
        .get(&second)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for shown in ["Loud Impostor", "Ministre des Finances", "Afficher mon nom"] {
        assert!(page.contains(shown), "{shown} on the confirmation page:\n{page}");
    }
    assert!(public_list(&app, EXAMPLE_SLUG).await.is_empty());
}

#[actix_web::test]
async fn signing_again_with_the_same_content_keeps_the_first_link() {
    let app = spawn_app().await;
    let fields = [
        ("name", "Zoé L’Heureux"),
        ("visibility", "public"),
        ("titles", "Présidente"),
    ];
    let first = sign_with(&app, "zoe@example.org", &fields).await;
    sign_with(&app, "zoe@example.org", &fields).await;
    let page = app
        .client
        .get(first.confirm_link())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Présidente") && page.contains("Zoé L’Heureux"));
    assert_eq!(app.post(&first.confirm_link()).await.status().as_u16(), 200);
    assert_eq!(
        public_list(&app, EXAMPLE_SLUG).await,
        vec![("Zoé L’Heureux".to_string(), vec!["Présidente".to_string()], None)]
    );
}

#[actix_web::test]
async fn confirming_publishes_exactly_the_confirmed_content() {
    let app = spawn_app().await;
    sign_with(
        &app,
        "owner@example.org",
        &[("name", "Anne Owner"), ("visibility", "count-only")],
    )
    .await;
    let latest = sign_with(
        &app,
        "owner@example.org",
        &[
            ("name", "Anne Owner"),
            ("titles", "Présidente (1998-2006)\nOfficière de l’Ordre"),
            ("city", "Sherbrooke"),
            ("visibility", "public"),
        ],
    )
    .await;
    assert_eq!(app.post(&latest.confirm_link()).await.status().as_u16(), 200);
    assert_eq!(
        public_list(&app, EXAMPLE_SLUG).await,
        vec![(
            "Anne Owner".to_string(),
            vec![
                "Présidente (1998-2006)".to_string(),
                "Officière de l’Ordre".to_string()
            ],
            Some("Sherbrooke".to_string())
        )]
    );
    let csv = public_csv(&app, EXAMPLE_SLUG).await;
    assert!(csv.contains("Anne Owner") && csv.contains("Officière de l’Ordre"));
}

/// The manage link of the latest email to `email` that has one.
pub fn manage_link(app: &TestApp, email: &str) -> String {
    app.file_emails(email)
        .iter()
        .rev()
        .find(|e| e.text.contains("/manage/"))
        .expect("an email with a manage link")
        .link("/manage/")
}

/// The site's administrator, who protects `name` on every letter.
pub async fn protect_site_wide(app: &TestApp, name: &str) -> Org {
    let admin = organizer(app, "garde@example.org", true).await;
    let r = admin
        .post("/workspace/protected", &[("action", "add"), ("name", name)])
        .await;
    assert_eq!(r.status().as_u16(), 303, "protecting {name}");
    admin
}

/// An owner of the example letter, which they put in review mode. Returns
/// the owner and the letter's workspace path.
pub async fn reviewing_owner(app: &TestApp) -> (Org, String) {
    let org = organizer(app, "revue@example.org", false).await;
    let ws = own_example(app, &org).await;
    let r = org
        .post(&format!("{ws}/moderation/mode"), &[("mode", "review")])
        .await;
    assert_eq!(r.status().as_u16(), 303, "review mode on");
    (org, ws)
}

#[actix_web::test]
async fn the_manage_page_cannot_walk_around_review() {
    let app = spawn_app().await;
    let (org, ws) = reviewing_owner(&app).await;

    // Count-only on a reviewed letter, then public from the manage page.
    let mail = sign_with(
        &app,
        "discret@example.org",
        &[("name", "Discret Personnage"), ("visibility", "count-only")],
    )
    .await;
    assert_eq!(app.post(&mail.confirm_link()).await.status().as_u16(), 200);
    let manage = manage_link(&app, "discret@example.org");
    let r = app
        .post_form_url(&manage, &[("visibility", "public"), ("titles", ""), ("city", "")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(
        public_list(&app, EXAMPLE_SLUG).await.is_empty(),
        "held for review"
    );
    assert!(!public_csv(&app, EXAMPLE_SLUG)
        .await
        .contains("Discret Personnage"));
    let (_, queue) = org.get(&format!("{ws}/moderation")).await;
    assert!(queue.contains("Discret Personnage"));
    let (_, manage_page) = app.get_html(manage.trim_start_matches(&app.address)).await;
    assert!(
        manage_page.contains("revu par les organisateurs"),
        "{manage_page}"
    );

    // Approved, then its titles rewritten: back to review, not listed.
    let ids = ids_in(&queue);
    org.post(
        &format!("{ws}/moderation"),
        &[("decision", "approve"), ("id", &ids[0])],
    )
    .await;
    assert_eq!(public_list(&app, EXAMPLE_SLUG).await.len(), 1);
    app.post_form_url(
        &manage,
        &[
            ("visibility", "public"),
            ("titles", "Premier ministre"),
            ("city", ""),
        ],
    )
    .await;
    assert!(
        public_list(&app, EXAMPLE_SLUG).await.is_empty(),
        "new titles wait"
    );
    assert!(!public_csv(&app, EXAMPLE_SLUG).await.contains("Premier ministre"));
}

#[actix_web::test]
async fn a_protected_name_signed_count_only_stays_held_when_it_turns_public() {
    let app = spawn_app().await;
    protect_site_wide(&app, "Gilles Vigneault").await;
    let mail = sign_with(
        &app,
        "faux@example.org",
        &[("name", "Gilles Vigneault"), ("visibility", "count-only")],
    )
    .await;
    app.post(&mail.confirm_link()).await;
    let manage = manage_link(&app, "faux@example.org");
    app.post_form_url(&manage, &[("visibility", "public"), ("titles", ""), ("city", "")])
        .await;
    assert!(public_list(&app, EXAMPLE_SLUG).await.is_empty());
}

#[actix_web::test]
async fn a_name_listed_before_it_was_protected_goes_back_to_review() {
    let app = spawn_app().await;
    let admin = organizer(&app, "garde@example.org", true).await;
    app.sign_and_confirm("Gilles Vigneault", "faux@example.org").await;
    assert_eq!(public_list(&app, EXAMPLE_SLUG).await.len(), 1);
    admin
        .post(
            "/workspace/protected",
            &[("action", "add"), ("name", "Gilles Vigneault")],
        )
        .await;
    assert!(public_list(&app, EXAMPLE_SLUG).await.is_empty());
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4, "still counted");
}

#[actix_web::test]
async fn the_manage_page_changes_only_a_confirmed_signature() {
    let app = spawn_app().await;
    sign_with(
        &app,
        "attente@example.org",
        &[("name", "En Attente"), ("visibility", "count-only")],
    )
    .await;
    let manage = manage_link(&app, "attente@example.org");
    let r = app
        .post_form_url(
            &manage,
            &[("visibility", "public"), ("titles", "X"), ("city", "")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    let (_, titles, is_public, _) = stored(&app, "attente@example.org");
    assert_eq!((titles.as_str(), is_public), ("[]", false));
}

/// An owner maps "Université Laval" to ulaval.ca, and "Étudiante Laval"
/// signs from that domain with `title` and confirms. Returns the owner and
/// the letter's workspace path.
pub async fn laval_signer(app: &TestApp, title: &str) -> (Org, String) {
    let org = organizer(app, "affil@example.org", false).await;
    let ws = own_example(app, &org).await;
    org.post(
        &format!("{ws}/affiliations"),
        &[
            ("action", "add"),
            ("affiliation", "Université Laval"),
            ("domain", "ulaval.ca"),
        ],
    )
    .await;
    let mail = sign_with(
        app,
        "etu@ulaval.ca",
        &[
            ("name", "Étudiante Laval"),
            ("titles", title),
            ("visibility", "public"),
        ],
    )
    .await;
    app.post(&mail.confirm_link()).await;
    (org, ws)
}

#[actix_web::test]
async fn verified_marks_follow_the_lines_they_cover() {
    let app = spawn_app().await;
    let (org, ws) = laval_signer(&app, "Étudiante, Université Laval").await;
    let marks = |app: &TestApp| {
        app.with_conn(|c| {
            signatures::table
                .filter(signatures::email.eq("etu@ulaval.ca"))
                .select(signatures::verified_lines)
                .get_result::<Option<String>>(c)
        })
        .unwrap()
    };
    assert_eq!(marks(&app).as_deref(), Some("[0]"));

    let manage = manage_link(&app, "etu@ulaval.ca");
    app.post_form_url(
        &manage,
        &[("visibility", "public"), ("titles", "Rectrice"), ("city", "")],
    )
    .await;
    assert_eq!(marks(&app), None, "the mark went with the line it vouched for");
    app.post_form_url(
        &manage,
        &[
            ("visibility", "public"),
            ("titles", "Rectrice\nProfesseure, Université Laval"),
            ("city", ""),
        ],
    )
    .await;
    assert_eq!(marks(&app).as_deref(), Some("[1]"));
    let (_, page) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert_eq!(page.matches("verified-mark").count(), 1);

    // A mapping removed takes its marks with it.
    let (_, dashboard) = org.get(&ws).await;
    let aid = dashboard
        .split("name=\"aid\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("the mapping's id")
        .to_string();
    org.post(
        &format!("{ws}/affiliations"),
        &[("action", "remove"), ("aid", &aid)],
    )
    .await;
    assert_eq!(marks(&app), None);
}

#[actix_web::test]
async fn renaming_an_initial_signatory_voids_its_verification() {
    use undersigned::db::initial;
    use undersigned::domain::letter_file::InitialSignatory;
    let app = spawn_app().await;
    let org = organizer(&app, "init@example.org", false).await;
    let ws = own_example(&app, &org).await;
    let letter_id = undersigned::model::LetterId::from_raw(ws.rsplit('/').next().unwrap());
    let person = InitialSignatory {
        name: "Hortense Vérifiée".into(),
        titles: vec!["Présidente".into()],
    };
    app.with_tx(|c| {
        initial::append(
            c,
            &letter_id,
            &[person],
            undersigned::domain::Lang::FR,
            undersigned::db::now(),
        )
    })
    .unwrap();
    let id = app
        .with_conn(|c| initial::list(c, &letter_id))
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Hortense Vérifiée")
        .unwrap()
        .id;
    org.post(
        &format!("{ws}/signatories/{id}"),
        &[("action", "verify"), ("how", "Appel téléphonique")],
    )
    .await;
    let verified = |app: &TestApp| {
        app.with_conn(|c| initial::list(c, &letter_id))
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap()
            .verified_by
    };
    assert!(verified(&app).is_some());
    // Saving the same name and titles keeps the mark; another name voids it.
    org.post(
        &format!("{ws}/signatories/{id}"),
        &[
            ("action", "save"),
            ("name", "Hortense Vérifiée"),
            ("titles", "Présidente"),
        ],
    )
    .await;
    assert!(verified(&app).is_some());
    org.post(
        &format!("{ws}/signatories/{id}"),
        &[
            ("action", "save"),
            ("name", "François Legault"),
            ("titles", "Présidente"),
        ],
    )
    .await;
    assert_eq!(verified(&app), None);
}

#[actix_web::test]
async fn withdrawal_cancels_queued_mail_and_erases_what_names_the_signer() {
    // Mail cannot leave: the SMTP port refuses, so the confirmation waits.
    let port = crate::helpers::free_port();
    let app = spawn_app_with(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let r = app.sign_as("Retrait Rapide", "retrait@example.org").await;
    assert_eq!(r.status().as_u16(), 303);
    // The queued confirmation holds its links, not yet its words
    // (`mail::deferred`): the withdrawal link is read from them.
    let queued: Vec<(String, Option<String>)> = app
        .with_conn(|c| {
            outbox::table
                .filter(outbox::recipient.eq("retrait@example.org"))
                .select((outbox::body_text, outbox::links))
                .load(c)
        })
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].0, "", "written when it leaves");
    let links = queued[0]
        .1
        .as_deref()
        .and_then(undersigned::db::outbox::ConfirmLinks::from_stored)
        .expect("the links it will carry");
    let withdraw = app.url(&format!("/withdraw/{}", links.withdraw.as_str()));
    assert_eq!(app.post(&withdraw).await.status().as_u16(), 200);
    let left: i64 = app
        .with_conn(|c| {
            outbox::table
                .filter(outbox::recipient.eq("retrait@example.org"))
                .count()
                .get_result(c)
        })
        .unwrap();
    assert_eq!(left, 0, "the queued confirmation is cancelled and erased");
}

#[actix_web::test]
async fn anonymisation_erases_the_signers_mail() {
    let app = spawn_app().await;
    app.sign_and_confirm("Anonyme Bientôt", "bientot@example.org")
        .await;
    app.wait_for_outbox_drained().await;
    let letter = app
        .with_conn(|c| undersigned::db::letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    app.with_conn(|c| {
        undersigned::db::letters::set_status(
            c,
            &letter.id,
            undersigned::db::letters::LetterStatus::Closed,
            undersigned::db::now(),
        )
    })
    .unwrap();
    app.with_tx(|c| undersigned::db::maintenance::anonymise_letter(c, &letter.id, undersigned::db::now()))
        .unwrap();
    let left: i64 = app
        .with_conn(|c| {
            outbox::table
                .filter(outbox::recipient.eq("bientot@example.org"))
                .count()
                .get_result(c)
        })
        .unwrap();
    assert_eq!(left, 0);
}

#[actix_web::test]
async fn held_signers_are_told_their_name_waits_for_review() {
    let app = spawn_app().await;
    reviewing_owner(&app).await;
    let mail = sign_with(
        &app,
        "attend@example.org",
        &[("name", "Patiente Personne"), ("visibility", "public")],
    )
    .await;
    let page = app.post(&mail.confirm_link()).await.text().await.unwrap();
    assert!(page.contains("une fois revu par les organisateurs"), "{page}");
    assert!(!page.contains("paraît dans la liste des signataires"));
}

/// A signer may correct their name from the manage page, but a new name is
/// a new claim: it meets the protected names (words in any order) as a new
/// signature would, and an organizer's approval does not carry over. The
/// consent to news changes on its own, without touching either.
#[actix_web::test]
async fn a_renamed_signature_is_checked_like_a_new_one() {
    let app = spawn_app().await;
    let admin = protect_site_wide(&app, "Gilles Vigneault").await;
    let mail = sign_with(
        &app,
        "presque@example.org",
        &[("name", "Gill Vignault"), ("visibility", "public")],
    )
    .await;
    assert_eq!(app.post(&mail.confirm_link()).await.status().as_u16(), 200);
    let names = |list: Vec<(String, Vec<String>, Option<String>)>| {
        list.into_iter().map(|(n, _, _)| n).collect::<Vec<_>>()
    };
    assert_eq!(names(public_list(&app, EXAMPLE_SLUG).await), ["Gill Vignault"]);
    let manage = manage_link(&app, "presque@example.org");
    let form = |name: &'static str, updates: &'static str| {
        vec![
            ("name", name),
            ("titles", ""),
            ("city", ""),
            ("visibility", "public"),
            ("updates", "no"),
            ("updates", updates),
        ]
    };
    let wants_updates = || {
        app.with_conn(|c| {
            signatures::table
                .filter(signatures::email.eq("presque@example.org"))
                .select(signatures::wants_updates)
                .first::<bool>(c)
                .unwrap()
        })
    };

    // A typo corrected: listed under the new name, sorted by it.
    let r = app.post_form_url(&manage, &form("Gil Vignot", "no")).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(names(public_list(&app, EXAMPLE_SLUG).await), ["Gil Vignot"]);
    assert_eq!(stored(&app, "presque@example.org").0, "Gil Vignot");

    // Consent to news, alone: the list does not move.
    assert!(!wants_updates());
    app.post_form_url(&manage, &form("Gil Vignot", "yes")).await;
    assert!(wants_updates());
    assert_eq!(names(public_list(&app, EXAMPLE_SLUG).await), ["Gil Vignot"]);

    // The protected name, its words reversed: held, off every list.
    let r = app.post_form_url(&manage, &form("Vigneault Gilles", "yes")).await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(public_list(&app, EXAMPLE_SLUG).await.is_empty());
    assert!(!public_csv(&app, EXAMPLE_SLUG).await.contains("Vigneault"));
    let (_, page) = app.get_html(manage.trim_start_matches(&app.address)).await;
    assert!(page.contains("value=\"Vigneault Gilles\""), "{page}");
    // The queue says which protected name it matched.
    let ws = own_example(&app, &admin).await;
    let (_, queue) = admin.get(&format!("{ws}/moderation")).await;
    assert!(
        queue.contains("Correspond au nom protégé «\u{a0}Gilles Vigneault\u{a0}»"),
        "{queue}"
    );

    // A name that is markup: refused beside its field, what was typed
    // kept, nothing stored.
    let r = app.post_form_url(&manage, &form("<b>Gilles</b>", "no")).await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"name-error\""), "{page}");
    assert!(page.contains("value=\"&lt;b&gt;Gilles&lt;/b&gt;\""), "{page}");
    assert_eq!(stored(&app, "presque@example.org").0, "Vigneault Gilles");
    assert!(wants_updates(), "a refused form changes nothing");

    // A form without the new fields leaves them as they were.
    app.post_form_url(
        &manage,
        &[("titles", "Auteur"), ("city", ""), ("visibility", "count-only")],
    )
    .await;
    assert_eq!(stored(&app, "presque@example.org").0, "Vigneault Gilles");
    assert!(wants_updates());
}

/// Once a letter is closed, what the public sees of it is the record sent
/// to its addressees: the manage page no longer changes a name, titles or
/// visibility; the consent to news still changes.
#[actix_web::test]
async fn a_closed_letters_list_is_not_rewritten_from_the_manage_page() {
    let app = spawn_app().await;
    let mail = sign_with(
        &app,
        "fermee@example.org",
        &[("name", "Nom Exact"), ("visibility", "public")],
    )
    .await;
    assert_eq!(app.post(&mail.confirm_link()).await.status().as_u16(), 200);
    let manage = manage_link(&app, "fermee@example.org");
    let letter = app
        .with_conn(|c| undersigned::db::letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    app.with_conn(|c| {
        undersigned::db::letters::set_status(
            c,
            &letter.id,
            undersigned::db::letters::LetterStatus::Closed,
            undersigned::db::now(),
        )
    })
    .unwrap();
    let r = app
        .post_form_url(
            &manage,
            &[
                ("name", "Autre Nom"),
                ("titles", "Ministre"),
                ("city", ""),
                ("visibility", "public"),
            ],
        )
        .await;
    assert!(r.status().is_client_error(), "{}", r.status());
    assert_eq!(stored(&app, "fermee@example.org").0, "Nom Exact");
    let names: Vec<String> = public_list(&app, EXAMPLE_SLUG)
        .await
        .into_iter()
        .map(|(n, _, _)| n)
        .collect();
    assert_eq!(names, ["Nom Exact"]);
    let r = app
        .post_form_url(
            &manage,
            &[
                ("name", "Nom Exact"),
                ("titles", ""),
                ("city", ""),
                ("visibility", "public"),
                ("updates", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "the consent to news still changes");
}
