//! A letter's team and the accounts (#15): owners remove, promote and hand
//! over; a co-editor cannot; a letter keeps an owner; admins invite by
//! email and disable accounts, never their own; and the audit log tells it
//! all as sentences, with names rather than ids.

use crate::helpers::{spawn_app, TestApp};
use crate::workspace::{browser, create_letter, organizer, Org, PASSWORD};
use undersigned::db::editors::{self, Role};
use undersigned::db::organizers;
use undersigned::model::{LetterId, OrganizerId};

fn id_of(app: &TestApp, email: &str) -> OrganizerId {
    app.with_conn(|c| organizers::find_by_email(c, email))
        .unwrap()
        .unwrap()
        .id
}

fn letter_of(ws: &str) -> LetterId {
    LetterId::from_raw(ws.trim_start_matches("/workspace/letters/"))
}

fn roles(app: &TestApp, ws: &str) -> Vec<(String, Role)> {
    let mut team: Vec<(String, Role)> = app
        .with_conn(|c| editors::team(c, &letter_of(ws)))
        .unwrap()
        .into_iter()
        .map(|m| (m.email, m.role))
        .collect();
    team.sort_by(|a, b| a.0.cmp(&b.0));
    team
}

async fn team_change(org: &Org, ws: &str, member: &OrganizerId, action: &str) -> u16 {
    org.post(&format!("{ws}/editors/{member}"), &[("action", action)])
        .await
        .status()
        .as_u16()
}

/// An owner, a co-editor on the owner's letter, and the letter's path.
async fn letter_with_team(app: &TestApp) -> (Org, Org, String) {
    let owner = organizer(app, "proprio@example.org", false).await;
    let co = organizer(app, "co@example.org", false).await;
    let ws = create_letter(&owner, "lettre-equipe").await;
    let r = owner
        .post(&format!("{ws}/editors"), &[("email", "co@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    (owner, co, ws)
}

#[actix_web::test]
async fn owners_promote_demote_hand_over_and_remove_and_the_log_names_them() {
    let app = spawn_app().await;
    let (owner, co, ws) = letter_with_team(&app).await;
    let (owner_id, co_id) = (id_of(&app, "proprio@example.org"), id_of(&app, "co@example.org"));

    let (_, dash) = owner.get(&ws).await;
    assert!(
        dash.contains(&format!("{ws}/editors/{co_id}")),
        "the owner is offered the team forms"
    );
    let (_, dash) = co.get(&ws).await;
    assert!(!dash.contains("/editors/"), "a co-editor is offered no team form");
    assert!(
        !dash.contains(&format!("{ws}/audit")),
        "nor the log they cannot open"
    );

    // Sharing again with a member changes nothing and logs nothing.
    let r = owner
        .post(&format!("{ws}/editors"), &[("email", "co@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, log) = owner.get(&format!("{ws}/audit")).await;
    assert_eq!(
        log.matches("a partagé la lettre avec co@example.org").count(),
        1,
        "{log}"
    );

    assert_eq!(team_change(&owner, &ws, &co_id, "owner").await, 303);
    assert!(roles(&app, &ws).iter().all(|(_, r)| *r == Role::Owner));
    // An owner shared with again stays an owner.
    let r = owner
        .post(&format!("{ws}/editors"), &[("email", "co@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(roles(&app, &ws).iter().all(|(_, r)| *r == Role::Owner));
    assert_eq!(team_change(&owner, &ws, &co_id, "editor").await, 303);
    assert_eq!(team_change(&owner, &ws, &co_id, "transfer").await, 303);
    assert_eq!(
        roles(&app, &ws),
        vec![
            ("co@example.org".into(), Role::Owner),
            ("proprio@example.org".into(), Role::Editor)
        ],
        "the letter changed hands: one owner, the other stays as co-editor"
    );
    // The former owner is a co-editor now, and the use case knows it.
    assert_eq!(team_change(&owner, &ws, &co_id, "remove").await, 403);
    assert_eq!(owner.get(&format!("{ws}/audit")).await.0, 403);

    assert_eq!(team_change(&co, &ws, &owner_id, "remove").await, 303);
    assert_eq!(roles(&app, &ws), vec![("co@example.org".into(), Role::Owner)]);
    assert_eq!(
        owner.get(&ws).await.0,
        404,
        "a removed member no longer sees the letter"
    );

    let (status, log) = co.get(&format!("{ws}/audit")).await;
    assert_eq!(status, 200);
    for sentence in [
        "proprio@example.org a partagé la lettre avec co@example.org.",
        "proprio@example.org a fait de co@example.org un propriétaire de la lettre.",
        "proprio@example.org a fait de co@example.org un coéditeur de la lettre.",
        "proprio@example.org a confié la lettre à co@example.org, désormais seul propriétaire.",
        "co@example.org a retiré proprio@example.org de l’équipe de la lettre.",
    ] {
        assert!(log.contains(sentence), "{sentence} missing from:\n{log}");
    }
    for id in [&owner_id, &co_id] {
        assert!(!log.contains(id.as_str()), "no raw organizer id in the log");
    }
}

#[actix_web::test]
async fn a_co_editor_a_stranger_and_a_forged_form_change_nobody() {
    let app = spawn_app().await;
    let (owner, co, ws) = letter_with_team(&app).await;
    let stranger = organizer(&app, "intrus@example.org", false).await;
    let other_ws = create_letter(&stranger, "lettre-intrus").await;
    let (owner_id, co_id, stranger_id) = (
        id_of(&app, "proprio@example.org"),
        id_of(&app, "co@example.org"),
        id_of(&app, "intrus@example.org"),
    );
    let before = roles(&app, &ws);
    for action in ["remove", "owner", "editor", "transfer"] {
        assert_eq!(
            team_change(&co, &ws, &owner_id, action).await,
            403,
            "co-editor {action}s the owner"
        );
        assert_eq!(
            team_change(&co, &ws, &co_id, action).await,
            403,
            "co-editor {action}s themself"
        );
        assert_eq!(
            team_change(&stranger, &ws, &co_id, action).await,
            404,
            "stranger {action}"
        );
    }
    // The owner names someone not on this letter, or this letter's member
    // through another letter's path.
    assert_eq!(team_change(&owner, &ws, &stranger_id, "transfer").await, 404);
    assert_eq!(team_change(&owner, &other_ws, &co_id, "remove").await, 404);
    assert_eq!(team_change(&owner, &ws, &co_id, "promote-everyone").await, 400);
    // Without this session's CSRF token.
    let r = owner
        .client
        .post(format!("{}{ws}/editors/{co_id}", owner.base))
        .form(&[("action", "remove")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(roles(&app, &ws), before, "nothing changed");
    assert_eq!(
        roles(&app, &other_ws),
        vec![("intrus@example.org".into(), Role::Owner)]
    );
}

#[actix_web::test]
async fn a_letter_always_keeps_an_owner() {
    let app = spawn_app().await;
    let (owner, _co, ws) = letter_with_team(&app).await;
    let owner_id = id_of(&app, "proprio@example.org");
    for action in ["editor", "remove"] {
        let r = owner
            .post(&format!("{ws}/editors/{owner_id}"), &[("action", action)])
            .await;
        assert_eq!(r.status().as_u16(), 409, "{action}");
        assert!(r.text().await.unwrap().contains("au moins un propriétaire"));
    }
    let admin = organizer(&app, "admin@example.org", true).await;
    assert_eq!(
        team_change(&admin, &ws, &owner_id, "remove").await,
        409,
        "not even an admin"
    );
    assert_eq!(
        roles(&app, &ws),
        vec![
            ("co@example.org".into(), Role::Editor),
            ("proprio@example.org".into(), Role::Owner)
        ]
    );
    // With a second owner, the first may step down, even off the letter.
    let co_id = id_of(&app, "co@example.org");
    assert_eq!(team_change(&owner, &ws, &co_id, "owner").await, 303);
    let r = owner
        .post(&format!("{ws}/editors/{owner_id}"), &[("action", "remove")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/workspace");
    assert_eq!(roles(&app, &ws), vec![("co@example.org".into(), Role::Owner)]);
}

#[actix_web::test]
async fn an_invitation_is_emailed_and_its_link_sets_the_password() {
    let app = spawn_app().await;
    let admin = organizer(&app, "root@example.org", true).await;
    let r = admin
        .post(
            "/workspace/organizers",
            &[("email", "pas-une-adresse"), ("admin", "yes")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("value=\"pas-une-adresse\"") && page.contains("checked"),
        "what was typed stays"
    );
    assert_eq!(
        app.with_conn(|c| organizers::count(c)).unwrap(),
        1,
        "nothing stored"
    );

    let r = admin
        .post("/workspace/organizers", &[("email", "Nouvelle@Example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Invitation envoyée à nouvelle@example.org"),
        "{page}"
    );
    assert!(
        !page.contains("/workspace/setup/"),
        "the link goes by email, not on the page"
    );
    assert!(page.contains("root@example.org a invité nouvelle@example.org comme organisateur."));

    let mail = app
        .wait_for_file_emails("nouvelle@example.org", 1)
        .await
        .remove(0);
    assert!(
        mail.text.contains("root@example.org vous invite"),
        "{}",
        mail.text
    );
    let link = mail.link("/workspace/setup/");
    let invited = Org {
        client: browser(),
        email: "nouvelle@example.org".into(),
        base: app.address.clone(),
    };
    let path = link.trim_start_matches(&app.address).to_string();
    assert_eq!(invited.get(&path).await.0, 200);
    let r = invited
        .post(&path, &[("password", PASSWORD), ("password2", PASSWORD)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(invited.get("/workspace").await.0, 200, "signed in");

    // A co-editor's forged invitation makes no account and sends nothing.
    let r = invited
        .post("/workspace/organizers", &[("email", "ami@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 403);
    assert!(app
        .with_conn(|c| organizers::find_by_email(c, "ami@example.org"))
        .unwrap()
        .is_none());
}

async fn sign_in(app: &TestApp, email: &str) -> u16 {
    let org = Org {
        client: browser(),
        email: email.into(),
        base: app.address.clone(),
    };
    let r = org
        .post("/workspace/sign-in", &[("email", email), ("password", PASSWORD)])
        .await;
    r.status().as_u16()
}

#[actix_web::test]
async fn a_disabled_account_is_out_at_once_and_for_good_and_no_admin_disables_themself() {
    let app = spawn_app().await;
    let admin = organizer(&app, "root@example.org", true).await;
    let second = organizer(&app, "second@example.org", true).await;
    let member = organizer(&app, "membre@example.org", false).await;
    let (admin_id, second_id, member_id) = (
        id_of(&app, "root@example.org"),
        id_of(&app, "second@example.org"),
        id_of(&app, "membre@example.org"),
    );
    // A reset link asked for before the account is disabled.
    let r = member
        .post("/workspace/forgot", &[("email", "membre@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let reset = app.wait_for_file_emails("membre@example.org", 1).await.remove(0);
    let reset = reset
        .link("/workspace/setup/")
        .trim_start_matches(&app.address)
        .to_string();

    let path = format!("/workspace/organizers/{member_id}");
    assert_eq!(
        admin
            .post(&path, &[("action", "disable")])
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(member.get("/workspace").await.0, 303, "its session ended at once");
    assert_eq!(
        sign_in(&app, "membre@example.org").await,
        422,
        "it cannot sign in"
    );
    assert_eq!(member.get(&reset).await.0, 404, "nor use its reset link");
    let r = member
        .post(
            &reset,
            &[
                ("password", "un autre mot de passe"),
                ("password2", "un autre mot de passe"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
    let r = member
        .post("/workspace/forgot", &[("email", "membre@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 200);
    app.wait_for_outbox_drained().await;
    assert_eq!(
        app.file_emails("membre@example.org").len(),
        1,
        "no new reset link"
    );

    // Never one's own account: the page says why, the account stays.
    let r = admin
        .post(
            &format!("/workspace/organizers/{admin_id}"),
            &[("action", "disable")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    assert!(r.text().await.unwrap().contains("votre propre compte"));
    assert_eq!(admin.get("/workspace/organizers").await.0, 200);

    // Two admins disabling each other: the one who comes second is no
    // admin any more by then, so one always remains.
    let stale = second.csrf().await;
    assert_eq!(
        admin
            .post(
                &format!("/workspace/organizers/{second_id}"),
                &[("action", "disable")]
            )
            .await
            .status()
            .as_u16(),
        303
    );
    let actor = undersigned::actions::Actor {
        id: second_id.clone(),
        email: "second@example.org".into(),
        role: None,
        admin: true,
    };
    let late = app
        .with_tx(|tx| {
            undersigned::actions::organizers::set_disabled(
                tx,
                &actor,
                &admin_id,
                true,
                undersigned::db::now(),
            )
        })
        .unwrap();
    assert_eq!(late, Err(undersigned::actions::Refused::Forbidden));
    assert!(!stale.is_empty());
    assert_eq!(
        sign_in(&app, "root@example.org").await,
        303,
        "the site keeps its admin"
    );

    let (_, accounts) = admin.get("/workspace/organizers").await;
    for sentence in [
        "root@example.org a désactivé le compte de membre@example.org.",
        "root@example.org a désactivé le compte de second@example.org.",
    ] {
        assert!(accounts.contains(sentence), "{sentence} missing");
    }
}

#[actix_web::test]
async fn the_log_reads_as_sentences_and_records_what_was_missing() {
    let app = spawn_app().await;
    let owner = organizer(&app, "marie@example.org", false).await;
    let ws = create_letter(&owner, "lettre-journal").await;
    let r = owner.post(&format!("{ws}/publish"), &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    // Scheduling a closing on the site's clock, then cancelling it.
    let r = owner
        .post(
            &format!("{ws}/status"),
            &[("action", "schedule"), ("close_at", "2099-06-01T14:00")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = owner
        .post(
            &format!("{ws}/status"),
            &[("action", "schedule"), ("close_at", "")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    // A bulk hide by domain.
    for (name, email) in [
        ("Pourriel Un", "a@spam.example"),
        ("Pourriel Deux", "b@mail.spam.example"),
    ] {
        app.sign_and_confirm_on("lettre-journal", name, email).await;
    }
    let r = owner
        .post(
            &format!("{ws}/moderation/bulk"),
            &[
                ("domain", "spam.example"),
                ("from", ""),
                ("to", ""),
                ("step", "apply"),
            ],
        )
        .await;
    assert!(
        r.status().is_redirection() || r.status().is_success(),
        "{}",
        r.status()
    );

    // A signer corrects their name, then withdraws.
    let r = app
        .sign(
            "lettre-journal",
            &[
                ("name", "Zoé Tremblai"),
                ("email", "zoe@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let mail = app.wait_for_file_emails("zoe@example.org", 1).await.remove(0);
    assert_eq!(app.post(&mail.confirm_link()).await.status().as_u16(), 200);
    let manage = mail.link("/manage/").trim_start_matches(&app.address).to_string();
    let r = app
        .post_form(&manage, &[("name", "Zoé Tremblay"), ("visibility", "public")])
        .await;
    assert!(
        r.status().is_redirection() || r.status().is_success(),
        "{}",
        r.status()
    );

    let (_, log) = owner.get(&format!("{ws}/audit")).await;
    for sentence in [
        "marie@example.org a créé la lettre",
        "marie@example.org a programmé la fermeture des signatures pour le 2099-06-01 14:00.",
        "marie@example.org a annulé la fermeture prévue le 2099-06-01 14:00.",
        "marie@example.org a masqué 2 signatures de @spam.example.",
        "Un signataire a corrigé son nom\u{a0}: «\u{a0}Zoé Tremblai\u{a0}» devient «\u{a0}Zoé Tremblay\u{a0}».",
    ] {
        assert!(log.contains(sentence), "{sentence} missing from:\n{log}");
    }
    assert!(!log.contains("Bulk {"), "no debug output");

    // Withdrawal erases the names from the log too.
    assert_eq!(app.post(&mail.withdraw_link()).await.status().as_u16(), 200);
    let (_, log) = owner.get(&format!("{ws}/audit")).await;
    assert!(!log.contains("Tremblai"), "the old name is gone");
    assert!(log.contains("Un signataire, qui a depuis retiré sa signature, avait corrigé son nom."));
}
