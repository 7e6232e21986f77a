//! Owners writing to the signers who asked for news: draft, preview, test
//! copy, sending through the outbox in each signer's language, progress,
//! throttling and resuming; and everyone else kept out.

use crate::helpers::{extract_form_token, spawn_app, spawn_app_with, wait_until, TestApp};
use crate::workspace::{browser, create_letter, organizer, unsubscribe_in_one_click, Org};
use diesel::prelude::*;
use undersigned::db::schema::{audit_log, mailings, outbox, signatures};

/// Signs `slug` asking for news (or not), in the browser language `lang`,
/// and confirms.
async fn sign(app: &TestApp, slug: &str, name: &str, email: &str, lang: &str, news: bool) {
    let reader = browser();
    let page = reader
        .get(app.url(&format!("/letters/{slug}")))
        .header("Accept-Language", lang)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = extract_form_token(&page).expect("a form token");
    let mut form = vec![
        ("name", name),
        ("email", email),
        ("visibility", "public"),
        ("consent", "yes"),
        ("form_token", token.as_str()),
    ];
    if news {
        form.push(("updates", "yes"));
    }
    let r = reader
        .post(app.url(&format!("/letters/{slug}/sign")))
        .header("Accept-Language", lang)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303, "signing {email}");
    let mail = app.wait_for_file_emails(email, 1).await.remove(0);
    assert_eq!(app.post(&mail.confirm_link()).await.status().as_u16(), 200);
}

/// A published French letter with an English version, and its workspace
/// path.
async fn bilingual_letter(org: &Org, slug: &str) -> String {
    let ws = create_letter(org, slug).await;
    org.post(&format!("{ws}/publish"), &[]).await;
    let r = org
        .post(
            &format!("{ws}/translation"),
            &[
                ("action", "save"),
                ("title", "Letter from the workspace"),
                ("place", "Rimouski"),
                ("addressees", "To the city council"),
                ("preamble", "We, the undersigned:"),
                ("body", "First paragraph."),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    ws
}

fn message_fields<'a>(
    action: &'a str,
    fr: (&'a str, &'a str),
    en: (&'a str, &'a str),
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("action", action),
        ("lang", "fr"),
        ("subject", fr.0),
        ("body", fr.1),
        ("lang", "en"),
        ("subject", en.0),
        ("body", en.1),
    ]
}

fn audit_actions(app: &TestApp) -> Vec<String> {
    app.with_conn(|c| {
        audit_log::table
            .filter(audit_log::action.like("mailing-%"))
            .order(audit_log::created_at.asc())
            .select(audit_log::action)
            .load(c)
    })
    .unwrap()
}

const FR: (&str, &str) = (
    "Nouvelles de la lettre\u{a0}: rencontre lundi",
    "Bonjour,\n\nNous rencontrons la ministre **lundi**.\n\n<script>alert(1)</script>",
);
const EN: (&str, &str) = (
    "News of the letter",
    "Hello,\n\nWe meet the minister on **Monday**.",
);

#[actix_web::test]
async fn owners_draft_try_and_send_a_message_each_signer_reads_in_their_language() {
    let app = spawn_app().await;
    let org = organizer(&app, "coalition@example.org", false).await;
    let ws = bilingual_letter(&org, "lettre-nouvelles").await;
    sign(
        &app,
        "lettre-nouvelles",
        "Louise Béland",
        "louise@example.org",
        "fr",
        true,
    )
    .await;
    sign(
        &app,
        "lettre-nouvelles",
        "Ann Reader",
        "ann@example.org",
        "en",
        true,
    )
    .await;
    sign(
        &app,
        "lettre-nouvelles",
        "Sans Nouvelles",
        "muet@example.org",
        "fr",
        false,
    )
    .await;

    let (status, list) = org.get(&format!("{ws}/messages")).await;
    assert_eq!(status, 200);
    assert!(list.contains("2 signataires confirmés"), "{list}");

    // A test with no French subject is refused, but what was typed is kept,
    // in the form and as a draft.
    let r = org
        .post(
            &format!("{ws}/messages/new"),
            &message_fields("test", ("", FR.1), EN),
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("id=\"subject-fr-error\""), "{page}");
    assert!(page.contains("Nous rencontrons la ministre **lundi**."));
    assert_eq!(app.row_count("mailings"), 1);
    assert!(app.file_emails("coalition@example.org").is_empty());
    let draft: String = app
        .with_conn(|c| mailings::table.select(mailings::id).first(c))
        .unwrap();
    let path = format!("{ws}/messages/{draft}");

    // Saved and previewed: the Markdown rendered, the script gone.
    let r = org.post(&path, &message_fields("save", FR, EN)).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, page) = org.get(&path).await;
    assert!(page.contains("<strong>lundi</strong>"), "{page}");
    assert!(!page.contains("<script>alert"), "{page}");

    // The test copy goes to the owner, once per language, marked.
    let r = org.post(&path, &message_fields("test", FR, EN)).await;
    assert_eq!(r.status().as_u16(), 303);
    let tests = app.wait_for_file_emails("coalition@example.org", 2).await;
    let mut subjects: Vec<&str> = tests.iter().map(|m| m.subject.as_str()).collect();
    subjects.sort();
    assert_eq!(
        subjects,
        [
            "[Essai] Nouvelles de la lettre\u{a0}: rencontre lundi",
            "[Test] News of the letter"
        ]
    );
    assert!(
        !tests[0].raw.contains("List-Unsubscribe"),
        "a test copy stops nothing"
    );

    // Sending needs the box ticked.
    let r = org.post(&path, &message_fields("send", FR, EN)).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Cochez la case"));
    let mut fields = message_fields("send", FR, EN);
    fields.push(("confirm", "yes"));
    let r = org.post(&path, &fields).await;
    assert_eq!(r.status().as_u16(), 303);

    // Each subscriber gets it once, in their language; the other signer not.
    let fr = app.wait_for_file_emails("louise@example.org", 2).await;
    let en = app.wait_for_file_emails("ann@example.org", 2).await;
    assert_eq!(fr[1].subject, FR.0);
    assert!(fr[1].html.contains("<strong>lundi</strong>") && !fr[1].html.contains("<script>alert"));
    assert!(fr[1].text.contains("Nous rencontrons la ministre **lundi**."));
    assert!(
        fr[1].text.contains("parce que vous avez signé «\u{a0}Lettre"),
        "{}",
        fr[1].text
    );
    assert_eq!(en[1].subject, EN.0);
    assert!(
        en[1].text.contains("you signed “Letter from the workspace”"),
        "{}",
        en[1].text
    );
    wait_until("the message to be delivered", || {
        let (status, sent): (String, i32) = app
            .with_conn(|c| {
                mailings::table
                    .select((mailings::status, mailings::sent))
                    .first(c)
            })
            .unwrap();
        (status == "sent" && sent == 2).then_some(())
    })
    .await;
    app.wait_for_outbox_drained().await;
    assert_eq!(
        app.file_emails("muet@example.org").len(),
        1,
        "only the confirmation"
    );
    let (_, progress) = org.get(&path).await;
    assert!(
        progress.contains("Mis en file\u{a0}: 2 sur 2 · envoyés\u{a0}: 2 · échecs\u{a0}: 0"),
        "{progress}"
    );
    unsubscribe_in_one_click(&app, &fr[1], "louise@example.org").await;

    // Once sent, its words are what was sent: no more saving, testing or sending.
    for action in ["save", "test", "send"] {
        let mut fields = message_fields(action, ("Autre chose", "Autre texte"), EN);
        fields.push(("confirm", "yes"));
        assert_eq!(org.post(&path, &fields).await.status().as_u16(), 400, "{action}");
    }
    let subjects: Vec<String> = app
        .with_conn(|c| {
            undersigned::db::schema::mailing_texts::table
                .select(undersigned::db::schema::mailing_texts::subject)
                .load(c)
        })
        .unwrap();
    assert!(subjects.contains(&FR.0.to_string()) && !subjects.contains(&"Autre chose".to_string()));
    assert_eq!(
        audit_actions(&app),
        ["mailing-tested", "mailing-started", "mailing-finished"]
    );
}

#[actix_web::test]
async fn only_owners_write_to_signers_and_only_through_a_well_formed_form() {
    let app = spawn_app().await;
    let owner = organizer(&app, "owner@example.org", false).await;
    let other = organizer(&app, "other@example.org", false).await;
    let ws = bilingual_letter(&owner, "lettre-gardee").await;
    sign(
        &app,
        "lettre-gardee",
        "Louise Béland",
        "louise@example.org",
        "fr",
        true,
    )
    .await;
    let r = owner
        .post(&format!("{ws}/editors"), &[("email", "other@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let r = owner
        .post(&format!("{ws}/messages/new"), &message_fields("save", FR, EN))
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let path = r.headers()["location"]
        .to_str()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_string();

    // A co-editor: neither the pages nor the forms.
    for page in [
        format!("{ws}/messages"),
        format!("{ws}/messages/new"),
        path.clone(),
    ] {
        assert_eq!(other.get(&page).await.0, 403, "{page}");
    }
    let mut send = message_fields("send", FR, EN);
    send.push(("confirm", "yes"));
    assert_eq!(other.post(&path, &send).await.status().as_u16(), 403);
    assert_eq!(
        other
            .post(&format!("{ws}/messages/new"), &send)
            .await
            .status()
            .as_u16(),
        403
    );
    let (_, dashboard) = other.get(&ws).await;
    assert!(
        !dashboard.contains("/messages\""),
        "no link a co-editor cannot open"
    );

    // Another owner's letter cannot reach this message.
    let theirs = create_letter(&other, "lettre-autre").await;
    let draft = path.rsplit('/').next().unwrap();
    assert_eq!(other.get(&format!("{theirs}/messages/{draft}")).await.0, 404);
    let french_only = [
        ("action", "save"),
        ("lang", "fr"),
        ("subject", "a"),
        ("body", "b"),
    ];
    assert_eq!(
        other
            .post(&format!("{theirs}/messages/{draft}"), &french_only)
            .await
            .status()
            .as_u16(),
        404
    );

    // Forged forms: an unknown action, a language the letter lacks, fields
    // that do not line up; a subject that would inject a header.
    let bad: [Vec<(&str, &str)>; 3] = [
        message_fields("publish", FR, EN),
        vec![
            ("action", "save"),
            ("lang", "de"),
            ("subject", "Hallo"),
            ("body", "Text"),
        ],
        vec![
            ("action", "save"),
            ("lang", "fr"),
            ("lang", "en"),
            ("subject", "x"),
            ("body", "y"),
        ],
    ];
    for fields in bad {
        assert_eq!(
            owner.post(&path, &fields).await.status().as_u16(),
            400,
            "{fields:?}"
        );
    }
    let r = owner
        .post(
            &path,
            &message_fields("save", ("Objet\r\nBcc: tous@example.org", "Texte"), EN),
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("une seule ligne"));

    // A draft letter has nobody to write to.
    let draft_letter = create_letter(&owner, "lettre-brouillon").await;
    let r = owner.post(&format!("{draft_letter}/messages/new"), &send).await;
    assert_eq!(r.status().as_u16(), 400);
    app.wait_for_outbox_drained().await;
    assert_eq!(
        app.file_emails("louise@example.org").len(),
        1,
        "only the confirmation"
    );
    assert_eq!(
        app.with_conn(|c| outbox::table
            .filter(outbox::mailing_id.is_not_null())
            .count()
            .get_result::<i64>(c))
            .unwrap(),
        0
    );
}

#[actix_web::test]
async fn sending_goes_a_batch_at_a_time_and_a_restart_resumes_without_doubles() {
    // A rate of nought (the settings never allow it) keeps the server's own
    // thread out of the way: the test queues the batches itself.
    let app = spawn_app_with(|s| s.mailing_per_minute = 0).await;
    let org = organizer(&app, "lots@example.org", false).await;
    let ws = bilingual_letter(&org, "lettre-lots").await;
    for i in 0..5 {
        let email = format!("abonne{i}@example.org");
        sign(&app, "lettre-lots", &format!("Abonné {i}"), &email, "fr", true).await;
    }
    let mut send = message_fields("send", FR, ("", ""));
    send.push(("confirm", "yes"));
    let r = org.post(&format!("{ws}/messages/new"), &send).await;
    assert_eq!(r.status().as_u16(), 303);

    let composer = undersigned::mail::to_signers::Composer {
        i18n: std::sync::Arc::new(undersigned::i18n::I18n::new().unwrap()),
        base_url: app.address.clone(),
    };
    let batch = |quota| {
        let mut conn = app.conn();
        undersigned::jobs::queue_mailings(&mut conn, &composer, quota, undersigned::db::now()).unwrap()
    };
    let progress = || {
        app.with_conn(|c| {
            mailings::table
                .select((mailings::status, mailings::queued, mailings::recipients))
                .first::<(String, i32, i32)>(c)
        })
        .unwrap()
    };
    assert_eq!(batch(2), 2);
    assert_eq!(progress(), ("sending".to_string(), 2, 5));
    // A "restart": a new connection, the same table, the rest of the list.
    assert_eq!(batch(2), 2);
    assert_eq!(batch(2), 1);
    assert_eq!(progress(), ("sent".to_string(), 5, 5));
    assert_eq!(batch(2), 0, "nothing left to queue");

    // Everyone exactly once; an English signer of a French-only message
    // would get the French text.
    let per_signer: Vec<i64> = app
        .with_conn(|c| {
            outbox::table
                .filter(outbox::mailing_id.is_not_null())
                .group_by(outbox::signature_id)
                .select(diesel::dsl::count_star())
                .load(c)
        })
        .unwrap();
    assert_eq!(per_signer, vec![1; 5]);
    let signers: i64 = app
        .with_conn(|c| {
            signatures::table
                .filter(signatures::wants_updates.eq(true))
                .count()
                .get_result(c)
        })
        .unwrap();
    assert_eq!(signers, 5);
    for i in 0..5 {
        let mail = app
            .wait_for_file_emails(&format!("abonne{i}@example.org"), 2)
            .await;
        assert_eq!(mail[1].subject, FR.0);
    }
}

mod safety;
