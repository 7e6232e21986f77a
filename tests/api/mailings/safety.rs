//! What the security review asked of messages to signers: a message on its
//! way keeps the sender, titles and texts it started with; it can be
//! stopped, and stops itself when its author may no longer send it; two
//! owners sending at once each send their own words; and no image in it
//! can tell who opened it.

use super::{audit_actions, bilingual_letter, message_fields, sign, EN, FR};
use crate::helpers::{spawn_app_with, TestApp};
use crate::workspace::{create_letter, organizer, Org};
use diesel::prelude::*;
use undersigned::db::schema::{letters, mailing_texts, mailings, organizers, outbox};

/// Queues a batch of at most `quota` as the server's thread would, at
/// `now` plus `later_hours` (an outbox row is due at the time it was
/// queued: a later one waits, as in a long queue).
fn batch(app: &TestApp, quota: i64, later_hours: i64) -> usize {
    let composer = undersigned::mail::to_signers::Composer {
        i18n: std::sync::Arc::new(undersigned::i18n::I18n::new().unwrap()),
        base_url: app.address.clone(),
    };
    let at = undersigned::db::now() + chrono::Duration::hours(later_hours);
    let mut conn = app.conn();
    undersigned::jobs::queue_mailings(&mut conn, &composer, quota, at).unwrap()
}

fn status_of(app: &TestApp, id: &str) -> String {
    app.with_conn(|c| {
        mailings::table
            .find(id)
            .select(mailings::status)
            .first::<String>(c)
    })
    .unwrap()
}

/// Sends a message on `ws` and returns its id and page.
async fn send(org: &Org, ws: &str, fr: (&str, &str), en: (&str, &str)) -> (String, String) {
    let mut fields = message_fields("send", fr, en);
    fields.push(("confirm", "yes"));
    let r = org.post(&format!("{ws}/messages/new"), &fields).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    let path = r.headers()["location"].to_str().unwrap().to_string();
    (path.rsplit('/').next().unwrap().to_string(), path)
}

/// The message's emails in the outbox, whatever their state.
fn queued(app: &TestApp, id: &str) -> Vec<(String, Option<String>, Option<String>)> {
    app.with_conn(|c| {
        outbox::table
            .filter(outbox::mailing_id.eq(id))
            .select((outbox::recipient, outbox::sender_name, outbox::reply_to))
            .load(c)
    })
    .unwrap()
}

#[actix_web::test]
async fn a_message_on_its_way_keeps_its_sender_titles_and_texts_whatever_the_letter_becomes() {
    let app = spawn_app_with(|s| s.mailing_per_minute = 0).await;
    let org = organizer(&app, "figee@example.org", false).await;
    let ws = bilingual_letter(&org, "lettre-figee").await;
    let letter = |c: &mut undersigned::db::PooledConn, set: (&str, &str, &str)| {
        diesel::update(letters::table.filter(letters::slug.eq("lettre-figee")))
            .set((
                letters::organized_by.eq(set.0),
                letters::contact_email.eq(set.1),
                letters::title.eq(set.2),
            ))
            .execute(c)
    };
    let title = "Lettre « de l’espace » des organisateurs";
    app.with_conn(|c| letter(c, ("La Coalition", "presse@coop.qc.ca", title)))
        .unwrap();
    for (i, lang) in ["fr", "en", "fr", "en"].iter().enumerate() {
        let email = format!("abonne{i}@example.org");
        sign(&app, "lettre-figee", &format!("Abonné {i}"), &email, lang, true).await;
    }
    let (id, _) = send(&org, &ws, FR, EN).await;
    assert_eq!(batch(&app, 1, 0), 1);

    // Mid-send, a co-editor renames the body behind the letter, points its
    // contact elsewhere, retitles it and deletes its English version.
    app.with_conn(|c| letter(c, ("Quelqu’un d’autre", "autre@example.org", "Titre changé")))
        .unwrap();
    let r = org
        .post(&format!("{ws}/translation?to=en"), &[("action", "delete")])
        .await;
    assert_eq!(r.status().as_u16(), 303);

    assert_eq!(
        batch(&app, 10, 0),
        3,
        "the rest of the list, frozen texts and all"
    );
    assert_eq!(status_of(&app, &id), "sent");
    let emails = queued(&app, &id);
    assert_eq!(emails.len(), 4);
    for (to, name, reply_to) in &emails {
        assert_eq!(name.as_deref(), Some("La Coalition"), "{to}");
        assert_eq!(reply_to.as_deref(), Some("presse@coop.qc.ca"), "{to}");
    }
    for i in 0..4 {
        let mail = app
            .wait_for_file_emails(&format!("abonne{i}@example.org"), 2)
            .await
            .remove(1);
        if i % 2 == 0 {
            assert_eq!(mail.subject, FR.0);
            assert!(mail.text.contains("«\u{a0}Lettre"), "{}", mail.text);
        } else {
            assert_eq!(mail.subject, EN.0, "the English text, though English is gone");
            assert!(mail.text.contains("“Letter from the workspace”"), "{}", mail.text);
        }
        assert!(!mail.text.contains("Titre changé") && !mail.text.contains("Quelqu’un"));
    }
}

#[actix_web::test]
async fn an_owner_stops_a_message_and_its_waiting_emails_are_withdrawn() {
    let app = spawn_app_with(|s| s.mailing_per_minute = 0).await;
    let owner = organizer(&app, "arret@example.org", false).await;
    let co = organizer(&app, "coediteur@example.org", false).await;
    let ws = bilingual_letter(&owner, "lettre-arret").await;
    let r = owner
        .post(&format!("{ws}/editors"), &[("email", "coediteur@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    for i in 0..3 {
        let email = format!("abonne{i}@example.org");
        sign(&app, "lettre-arret", &format!("Abonné {i}"), &email, "fr", true).await;
    }
    let (id, path) = send(&owner, &ws, FR, ("", "")).await;
    // Two emails queued, still waiting in the outbox.
    assert_eq!(batch(&app, 2, 24), 2);
    let (_, page) = owner.get(&path).await;
    assert!(page.contains("name=\"action\" value=\"cancel\""), "{page}");
    assert!(page.contains("Arrêter l’envoi"), "{page}");

    let cancel = [("action", "cancel")];
    assert_eq!(co.post(&path, &cancel).await.status().as_u16(), 403);
    assert_eq!(status_of(&app, &id), "sending");
    let r = owner.post(&path, &cancel).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(status_of(&app, &id), "cancelled");
    assert!(queued(&app, &id).is_empty(), "the waiting emails withdrawn");
    assert_eq!(batch(&app, 10, 0), 0, "nobody else gets it");
    assert_eq!(owner.post(&path, &cancel).await.status().as_u16(), 400);
    let (_, page) = owner.get(&path).await;
    assert!(page.contains("Envoi arrêté"), "{page}");
    assert!(!page.contains("value=\"cancel\""), "{page}");
    assert_eq!(audit_actions(&app), ["mailing-started", "mailing-cancelled"]);
    let (_, log) = owner.get(&format!("{ws}/audit")).await;
    assert!(log.contains("a arrêté l’envoi du message"), "{log}");
    app.wait_for_outbox_drained().await;
    for i in 0..3 {
        let mail = app.file_emails(&format!("abonne{i}@example.org"));
        assert_eq!(mail.len(), 1, "only the confirmation");
    }
}

#[actix_web::test]
async fn a_message_stops_when_its_author_may_no_longer_send_it_or_nothing_can_be() {
    let app = spawn_app_with(|s| s.mailing_per_minute = 0).await;
    let admin = organizer(&app, "admin@example.org", true).await;
    let first = organizer(&app, "premiere@example.org", false).await;
    let second = organizer(&app, "seconde@example.org", false).await;
    let ws = bilingual_letter(&first, "lettre-auteurs").await;
    let r = first
        .post(&format!("{ws}/editors"), &[("email", "seconde@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let id_of = |email: &str| -> String {
        app.with_conn(|c| {
            organizers::table
                .filter(organizers::email.eq(email))
                .select(organizers::id)
                .first(c)
        })
        .unwrap()
    };
    let (first_id, second_id) = (id_of("premiere@example.org"), id_of("seconde@example.org"));
    let team = |action: &'static str| {
        let path = format!("{ws}/editors/{second_id}");
        let first = &first;
        async move { first.post(&path, &[("action", action)]).await.status().as_u16() }
    };
    assert_eq!(team("owner").await, 303);
    sign(
        &app,
        "lettre-auteurs",
        "Abonnée",
        "abonnee@example.org",
        "fr",
        true,
    )
    .await;

    // Sent by the second owner, who is then made a co-editor.
    let (by_second, _) = send(&second, &ws, FR, EN).await;
    assert_eq!(team("editor").await, 303);
    assert_eq!(batch(&app, 10, 0), 0);
    assert_eq!(status_of(&app, &by_second), "cancelled");

    // Sent by the first owner, whose account an admin then disables.
    let (by_first, _) = send(&first, &ws, FR, EN).await;
    let r = admin
        .post(
            &format!("/workspace/organizers/{first_id}"),
            &[("action", "disable")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(status_of(&app, &by_first), "cancelled");

    // Sent by the admin, its texts then lost: nothing can be sent, and it
    // ends rather than stays "sending" for ever.
    let (by_admin, _) = send(&admin, &ws, FR, EN).await;
    app.with_conn(|c| {
        diesel::delete(mailing_texts::table.filter(mailing_texts::mailing_id.eq(&by_admin))).execute(c)
    })
    .unwrap();
    assert_eq!(batch(&app, 10, 0), 0);
    assert_eq!(status_of(&app, &by_admin), "cancelled");
    assert_eq!(
        audit_actions(&app),
        [
            "mailing-started",
            "mailing-stopped",
            "mailing-started",
            "mailing-stopped",
            "mailing-started",
            "mailing-stopped"
        ]
    );
    let (_, log) = admin.get(&format!("{ws}/audit")).await;
    assert!(log.contains("son auteur ne peut plus écrire"), "{log}");
    assert!(log.contains("aucun de ses textes ne peut être envoyé"), "{log}");
    app.wait_for_outbox_drained().await;
    assert_eq!(
        app.file_emails("abonnee@example.org").len(),
        1,
        "only the confirmation"
    );
}

#[actix_web::test]
async fn two_owners_sending_at_once_each_send_their_own_words_or_nothing() {
    let app = spawn_app_with(|s| s.mailing_per_minute = 0).await;
    let a = organizer(&app, "une@example.org", false).await;
    let b = organizer(&app, "autre@example.org", false).await;
    let ws = bilingual_letter(&a, "lettre-course").await;
    let r = a
        .post(&format!("{ws}/editors"), &[("email", "autre@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let b_id: String = app
        .with_conn(|c| {
            organizers::table
                .filter(organizers::email.eq("autre@example.org"))
                .select(organizers::id)
                .first(c)
        })
        .unwrap();
    let r = a
        .post(&format!("{ws}/editors/{b_id}"), &[("action", "owner")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    for round in 0..8 {
        let r = a
            .post(&format!("{ws}/messages/new"), &message_fields("save", FR, EN))
            .await;
        assert_eq!(r.status().as_u16(), 303);
        let location = r.headers()["location"].to_str().unwrap().to_string();
        let path = location.split('?').next().unwrap().to_string();
        let id = path.rsplit('/').next().unwrap().to_string();
        let fields = |subject: &'static str| {
            let mut f = message_fields("send", (subject, "Texte"), EN);
            f.push(("confirm", "yes"));
            f
        };
        let (fa, fb) = (fields("Les mots d’Une"), fields("Les mots d’Autre"));
        let (ra, rb) = tokio::join!(a.post(&path, &fa), b.post(&path, &fb));
        let (sa, sb) = (ra.status().as_u16(), rb.status().as_u16());
        let sent: String = app
            .with_conn(|c| {
                mailing_texts::table
                    .filter(mailing_texts::mailing_id.eq(&id))
                    .filter(mailing_texts::language.eq("fr"))
                    .select(mailing_texts::subject)
                    .first(c)
            })
            .unwrap();
        match (sa, sb) {
            (303, 400) => assert_eq!(sent, "Les mots d’Une", "round {round}"),
            (400, 303) => assert_eq!(sent, "Les mots d’Autre", "round {round}"),
            other => panic!("round {round}: {other:?}"),
        }
        assert_eq!(status_of(&app, &id), "sending");
    }
}

#[actix_web::test]
async fn no_image_in_a_message_can_tell_who_opened_it() {
    let app = spawn_app_with(|s| s.mailing_per_minute = 0).await;
    let org = organizer(&app, "pixel@example.org", false).await;
    let ws = create_letter(&org, "lettre-pixel").await;
    org.post(&format!("{ws}/publish"), &[]).await;
    sign(
        &app,
        "lettre-pixel",
        "Lectrice",
        "lectrice@example.org",
        "fr",
        true,
    )
    .await;
    let body = "Bonjour,\n\n![notre logo](https://suivi.example/p.gif?qui=1)\n\n\
                <img src=\"https://suivi.example/q.gif\" alt=\"\">\n\nÀ lundi.";
    let fields = [
        ("action", "save"),
        ("lang", "fr"),
        ("subject", "Des nouvelles"),
        ("body", body),
    ];
    let r = org.post(&format!("{ws}/messages/new"), &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let path = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let (_, preview) = org.get(&path).await;
    assert!(preview.contains("notre logo"), "{preview}");
    assert!(!preview.contains("suivi.example/p.gif\""), "{preview}");
    assert!(!preview.contains("<img src=\"https://suivi"), "{preview}");

    let mut send = fields.to_vec();
    send[0] = ("action", "send");
    send.push(("confirm", "yes"));
    assert_eq!(org.post(&path, &send).await.status().as_u16(), 303);
    assert_eq!(batch(&app, 10, 0), 1);
    let mail = app
        .wait_for_file_emails("lectrice@example.org", 2)
        .await
        .remove(1);
    assert!(!mail.html.contains("<img"), "{}", mail.html);
    assert!(!mail.html.contains("suivi.example"), "{}", mail.html);
    assert!(
        mail.html.contains("notre logo") && mail.html.contains("À lundi."),
        "{}",
        mail.html
    );
}

/// Stopping the news stops what is already on its way: a message still
/// waiting in the outbox for that signer is withdrawn with the consent.
#[actix_web::test]
async fn no_news_arrives_after_the_signer_said_stop() {
    let app = spawn_app_with(|s| s.mailing_per_minute = 0).await;
    let owner = organizer(&app, "stop@example.org", false).await;
    let ws = bilingual_letter(&owner, "lettre-stop").await;
    for i in 0..2 {
        let email = format!("lecteur{i}@example.org");
        sign(&app, "lettre-stop", &format!("Lecteur {i}"), &email, "fr", true).await;
    }
    send(&owner, &ws, FR, ("", "")).await;
    assert_eq!(batch(&app, 10, 0), 2);
    let first = app
        .wait_for_file_emails("lecteur0@example.org", 2)
        .await
        .remove(1);
    // The next message waits in the outbox (queued "later").
    let (second, _) = send(&owner, &ws, ("Deuxième nouvelle", "Encore."), ("", "")).await;
    assert_eq!(batch(&app, 10, 24), 2);
    assert_eq!(queued(&app, &second).len(), 2);
    crate::workspace::unsubscribe_in_one_click(&app, &first, "lecteur0@example.org").await;
    let left: Vec<String> = queued(&app, &second).into_iter().map(|(to, _, _)| to).collect();
    assert_eq!(
        left,
        ["lecteur1@example.org"],
        "withdrawn for the one who said stop"
    );
}
