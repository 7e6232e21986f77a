use crate::helpers::{spawn_app, spawn_app_with, EXAMPLE_SLUG};
use undersigned::db::letters;
use undersigned::db::signatures::{self, EmailPlan, SubmitPolicy};
use undersigned::domain::{Email, Lang, LinkKey, NewSignature, SignerName, TitleLines};

fn full_form<'a>(
    name: &'a str,
    email: &'a str,
    titles: &'a str,
    visibility: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("titles", titles),
        ("email", email),
        ("city", "Rimouski"),
        ("visibility", visibility),
        ("consent", "yes"),
        ("updates", "yes"),
    ]
}

#[actix_web::test]
async fn a_reader_signs_confirms_and_withdraws() {
    let app = spawn_app().await;
    let letter_path = format!("/letters/{EXAMPLE_SLUG}");
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);

    // Sign: a pending signature, and the "check your email" page.
    let titles = "Président du Mouvement X (1987-2000)\r\nGrand Officier du Québec";
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &full_form("Gérald Godin,", "Gerald.Godin@Example.org", titles, "public"),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/letters/{EXAMPLE_SLUG}/check-email"));
    let (status, body) = app.get_html(&location).await;
    assert_eq!(status, 200);
    assert!(body.contains("Vérifiez vos courriels"));

    // Pending signatures do not count and are not listed.
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);
    let (_, page) = app.get_html(&letter_path).await;
    assert!(!page.contains("Gérald Godin"));

    // The confirmation email, in French, plain text and HTML, to the
    // normalised address.
    let emails = app.wait_for_file_emails("gerald.godin@example.org", 1).await;
    let email = &emails[0];
    assert_eq!(
        email.subject,
        "Confirmez votre signature\u{a0}: Lettre ouverte sur l’avenir des coopératives d’habitation"
    );
    assert!(email.text.contains("Bonjour Gérald Godin,"), "{}", email.text);
    assert!(email.html.contains("Confirmer ma signature"));
    let confirm = email.confirm_link();
    assert!(confirm.starts_with(&app.address), "{confirm}");

    // Following the link only shows a button: scanners must not confirm.
    let r = app.get(confirm.trim_start_matches(&app.address)).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["referrer-policy"], "no-referrer");
    let body = r.text().await.unwrap();
    assert!(body.contains("Confirmer ma signature"));
    assert!(body.contains("<form method=\"post\""));
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);

    // The POST confirms: counted at once, listed with its titles.
    let r = app.post(&confirm).await;
    assert_eq!(r.status().as_u16(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains("Merci, votre signature est confirmée"));
    let withdraw_path = body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/withdraw/"))
        .expect("the confirmation page offers withdrawal")
        .to_string();
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);
    let (_, page) = app.get_html(&letter_path).await;
    assert!(page.contains("4 signatures"));
    assert!(page.contains("<span class=\"signatory-name\">Gérald Godin,</span><span class=\"signatory-title\">Président du Mouvement X (1987-2000)</span><span class=\"signatory-title\">Grand Officier du Québec</span><span class=\"signatory-city\">Rimouski</span>"), "{page}");
    let (_, list) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert!(list.contains("Gérald Godin,"));
    assert!(
        !list.contains("gerald.godin@example.org"),
        "emails are never shown"
    );

    // The link is single use.
    let r = app.post(&confirm).await;
    assert_eq!(r.status().as_u16(), 410);
    assert!(r.text().await.unwrap().contains("Lien déjà utilisé"));

    // Withdrawal from the confirmation page: a page, then a POST.
    let (status, body) = app.get_html(&withdraw_path).await;
    assert_eq!(status, 200);
    assert!(body.contains("Retirer ma signature"));
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);
    let r = app.post(&app.url(&withdraw_path)).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("Votre signature est retirée"));
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);
    let (_, page) = app.get_html(&letter_path).await;
    assert!(!page.contains("Gérald Godin"));

    // The withdrawal link in the email is dead too now.
    let r = app.post(&email.withdraw_link()).await;
    assert_eq!(r.status().as_u16(), 410);
}

#[actix_web::test]
async fn withdrawal_link_from_the_email_works() {
    let app = spawn_app().await;
    let withdraw = app
        .sign_and_confirm("Pauline Julien", "pauline@example.org")
        .await;
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);
    let r = app.post(&withdraw).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);
    // Only a tombstone is left: no name, no address.
    use diesel::prelude::*;
    use undersigned::db::schema::signatures as s;
    let tombstones: Vec<(String, Option<String>, String)> = app
        .with_conn(|c| {
            s::table
                .filter(s::status.eq("withdrawn"))
                .select((s::name, s::email, s::titles))
                .load(c)
        })
        .unwrap();
    assert_eq!(tombstones, vec![(String::new(), None, "[]".to_string())]);
}

#[actix_web::test]
async fn count_only_signers_count_but_are_not_listed() {
    let app = spawn_app().await;
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &full_form("Discrète Personne", "discrete@example.org", "", "count-only"),
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let emails = app.wait_for_file_emails("discrete@example.org", 1).await;
    let r = app.post(&emails[0].confirm_link()).await;
    assert!(r.text().await.unwrap().contains("votre nom n’est pas affiché"));
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);
    let (_, page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert!(page.contains("4 signatures"));
    assert!(!page.contains("Discrète Personne"));
    let (_, list) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert!(!list.contains("Discrète Personne"));
}

#[actix_web::test]
async fn signing_twice_never_makes_two_signatures_and_reveals_nothing() {
    let app = spawn_app_with(|s| s.max_sends_per_address = 3).await;
    let addr = "double@example.org";

    let first = app.sign_as("Double Signataire", addr).await;
    assert_eq!(first.status().as_u16(), 303);
    let first_location = first.headers()["location"].clone();
    app.wait_for_file_emails(addr, 1).await;

    // Still pending: the confirmation is sent again, up to the cap.
    let again = app.sign_as("Double Signataire", "DOUBLE@example.org").await;
    assert_eq!(again.headers()["location"], first_location);
    let emails = app.wait_for_file_emails(addr, 2).await;
    assert_ne!(emails[0].confirm_link(), emails[1].confirm_link());
    app.sign_as("Double Signataire", addr).await;
    app.wait_for_file_emails(addr, 3).await;
    let capped = app.sign_as("Double Signataire", addr).await;
    assert_eq!(capped.status().as_u16(), 303);
    assert_eq!(capped.headers()["location"], first_location);
    app.wait_for_outbox_drained().await;
    assert_eq!(app.file_emails(addr).len(), 3, "the cap stops further emails");
    assert_eq!(app.row_count("signatures"), 3 + 1, "one row for the address");

    // Any of the links confirms; the signature counts once.
    let emails = app.file_emails(addr);
    app.post(&emails[1].confirm_link()).await;
    let r = app.post(&emails[2].confirm_link()).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.text().await.unwrap().contains("déjà confirmée"));
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);
}

#[actix_web::test]
async fn signing_again_once_confirmed_sends_an_already_signed_email() {
    let app = spawn_app_with(|s| s.max_sends_per_address = 5).await;
    let addr = "deja@example.org";
    app.sign_and_confirm("Déjà Signé", addr).await;
    let r = app.sign_as("Déjà Signé", addr).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("/letters/{EXAMPLE_SLUG}/check-email")
    );
    let emails = app.wait_for_file_emails(addr, 2).await;
    let notice = &emails[1];
    assert!(
        notice.subject.starts_with("Vous avez déjà signé"),
        "{}",
        notice.subject
    );
    assert!(!notice.text.contains("/confirm/"));
    assert!(notice.text.contains("/withdraw/"));
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);
    assert_eq!(app.row_count("signatures"), 4);
}

#[actix_web::test]
async fn a_withdrawn_signer_can_sign_again() {
    let app = spawn_app().await;
    let addr = "retour@example.org";
    let withdraw = app.sign_and_confirm("Retour Possible", addr).await;
    app.post(&withdraw).await;
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 3);
    app.sign_and_confirm("Retour Possible", addr).await;
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);
    // The withdrawn signature stays as an anonymous tombstone.
    assert_eq!(app.row_count("signatures"), 5);
}

#[actix_web::test]
async fn emails_are_in_the_signers_language() {
    let app = spawn_app().await;
    let token = app.form_token(EXAMPLE_SLUG).await;
    let r = app
        .client
        .post(app.url(&format!("/letters/{EXAMPLE_SLUG}/sign?lang=en")))
        .form(&[
            ("name", "Ann Smith"),
            ("email", "ann@example.org"),
            ("visibility", "public"),
            ("consent", "yes"),
            ("form_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let emails = app.wait_for_file_emails("ann@example.org", 1).await;
    assert_eq!(
        emails[0].subject,
        "Confirm your signature: Lettre ouverte sur l’avenir des coopératives d’habitation"
    );
    assert!(emails[0].text.contains("Hello Ann Smith,"));
    // Her confirmation page follows her language choice, kept by cookie.
    let body = app.post(&emails[0].confirm_link()).await.text().await.unwrap();
    assert!(body.contains("Thank you, your signature is confirmed"), "{body}");
}

/// Seeds confirmed public signatures straight through the store, faster
/// than the HTTP flow, for the pagination test.
pub fn seed_confirmed(app: &crate::helpers::TestApp, n: usize) {
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let policy = SubmitPolicy {
        confirm_ttl: chrono::Duration::days(7),
        max_sends: 3,
    };
    let key = LinkKey::new(b"seeding");
    for i in 0..n {
        let sig = NewSignature {
            name: SignerName::parse(&format!("Signataire {i:03}")).unwrap(),
            titles: TitleLines::parse_text(&format!("Titre {i:03}")).unwrap(),
            email: Email::parse(&format!("s{i}@example.org")).unwrap(),
            email_key: format!("s{i}@example.org"),
            city: None,
            is_public: true,
            wants_updates: false,
            language: Lang::FR,
        };
        let prepared = signatures::PreparedConfirmation::new(&sig, &key);
        let recipient = format!("s{i}@example.org");
        let render = |_: &EmailPlan| already_signed_stub(&recipient);
        app.with_conn(|c| {
            signatures::submit(
                c,
                &letter.id,
                &sig,
                &policy,
                undersigned::db::now(),
                &prepared,
                &render,
            )
        })
        .unwrap();
        let token = prepared.confirm_token().clone();
        app.with_conn(|c| signatures::confirm(c, &token, &key, undersigned::db::now()))
            .unwrap()
            .unwrap();
    }
}

#[actix_web::test]
async fn the_signatories_list_is_paginated_in_signing_order() {
    let app = spawn_app().await;
    seed_confirmed(&app, 130);
    let path = format!("/letters/{EXAMPLE_SLUG}/signatories");
    let (status, first) = app.get_html(&path).await;
    assert_eq!(status, 200);
    assert!(first.contains("133 signatures"));
    // Initial signatories first, then the public ones in signing order.
    let marie = first.find("Marie Tremblay").unwrap();
    let s0 = first.find("Signataire 000").unwrap();
    let s1 = first.find("Signataire 001").unwrap();
    assert!(marie < s0 && s0 < s1);
    assert!(first.contains("Signataire 099") && !first.contains("Signataire 100"));
    let next = first
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("?after="))
        .expect("a next page link")
        .to_string();
    let (status, second) = app.get_html(&next).await;
    assert_eq!(status, 200);
    assert!(second.contains("Signataire 100") && second.contains("Signataire 129"));
    assert!(!second.contains("Signataire 099"));
    assert!(
        !second.contains("Marie Tremblay"),
        "initial signatories only on the first page"
    );
    assert!(!second.contains("?after="), "no page after the last");
    // The letter page shows the latest ten, newest first.
    let (_, page) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert!(page.find("Signataire 129").unwrap() < page.find("Signataire 120").unwrap());
    assert!(!page.contains("Signataire 119"));
    // A forged cursor is a clear 400, not a 500.
    let (status, _) = app.get_html(&format!("{path}?after=garbage")).await;
    assert_eq!(status, 400);
}

fn submission(email: &str) -> NewSignature {
    NewSignature {
        name: SignerName::parse("Élise Côté-Lévesque").unwrap(),
        titles: TitleLines::parse_text("Présidente de la Coop X\nGrande Officière du Québec").unwrap(),
        email: Email::parse(email).unwrap(),
        email_key: email.to_lowercase(),
        city: None,
        is_public: true,
        wants_updates: true,
        language: Lang::FR,
    }
}

/// The "already signed" email the store asks the caller to write, as a
/// stub: these tests look at what is stored, not at its words.
fn already_signed_stub(recipient: &str) -> undersigned::db::outbox::NewEmail {
    undersigned::db::outbox::NewEmail {
        kind: "already_signed",
        recipient: recipient.to_string(),
        subject: "s".into(),
        text: "t".into(),
        html: "h".into(),
        unsubscribe: None,
        sender_name: None,
        reply_to: None,
    }
}

fn submit_now(
    app: &crate::helpers::TestApp,
    letter_id: &undersigned::model::LetterId,
    email: &str,
) -> signatures::SubmitOutcome {
    let policy = SubmitPolicy {
        confirm_ttl: chrono::Duration::days(7),
        max_sends: 3,
    };
    let render = |_: &EmailPlan| already_signed_stub(email);
    app.with_conn(|c| {
        signatures::submit(
            c,
            letter_id,
            &submission(email),
            &policy,
            undersigned::db::now(),
            &signatures::PreparedConfirmation::new(&submission(email), &LinkKey::new(b"test")),
            &render,
        )
    })
    .unwrap()
}

/// The store itself checks the letter: a page cached before the letter
/// closed must not let a signature in.
#[actix_web::test]
async fn the_store_takes_signatures_only_while_the_letter_is_open() {
    use diesel::prelude::*;
    use signatures::SubmitOutcome;
    use undersigned::db::schema::signatures as s;
    let app = spawn_app().await;
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let (rows, outbox, tokens) = (
        app.row_count("signatures"),
        app.row_count("outbox"),
        app.row_count("tokens"),
    );

    // A first submission stores what the signer gave, and what consent
    // requires, in one go.
    assert_eq!(
        submit_now(&app, &letter.id, "elise@example.org"),
        SubmitOutcome::Created
    );
    let stored: (String, String, String, Option<String>, Option<i32>, i32, bool) = app
        .with_conn(|c| {
            s::table
                .filter(s::email_key.eq("elise@example.org"))
                .select((
                    s::name,
                    s::titles,
                    s::status,
                    s::email,
                    s::consent_letter_version,
                    s::confirmation_sends,
                    s::wants_updates,
                ))
                .get_result(c)
        })
        .unwrap();
    assert_eq!(stored.0, "Élise Côté-Lévesque");
    assert_eq!(
        signatures::decode_titles(&stored.1),
        ["Présidente de la Coop X", "Grande Officière du Québec"]
    );
    assert_eq!(stored.2, undersigned::model::SignatureStatus::Pending.as_str());
    assert_eq!(stored.3.as_deref(), Some("elise@example.org"));
    assert_eq!(stored.4, Some(letter.current_version));
    assert_eq!((stored.5, stored.6), (1, true));
    type Rest = (
        String,
        String,
        Option<i32>,
        Option<chrono::NaiveDateTime>,
        Option<chrono::NaiveDateTime>,
        Option<String>,
        String,
    );
    let rest: Rest = app
        .with_conn(|c| {
            s::table
                .filter(s::email_key.eq("elise@example.org"))
                .select((
                    s::tier,
                    s::language,
                    s::position,
                    s::consent_at,
                    s::sends_window_start,
                    s::consent_version,
                    s::sort_key,
                ))
                .get_result(c)
        })
        .unwrap();
    assert_eq!(rest.0, undersigned::model::Tier::Public.as_str());
    assert_eq!(rest.1, "fr");
    assert_eq!(rest.2, None, "public signatures have no position");
    assert!(
        rest.3.is_some() && rest.3 == rest.4,
        "consent and the sending window start now"
    );
    assert_eq!(rest.5.as_deref(), Some(signatures::CONSENT_VERSION));
    assert_eq!(rest.6, undersigned::domain::sort_key("Élise Côté-Lévesque"));
    assert_eq!(app.row_count("signatures"), rows + 1);
    assert_eq!(app.row_count("outbox"), outbox + 1);
    assert_eq!(
        app.row_count("tokens"),
        tokens + 3,
        "confirm, manage and withdraw"
    );

    // The same address again: the row is reused, the email goes again.
    assert_eq!(
        submit_now(&app, &letter.id, "elise@example.org"),
        SubmitOutcome::Resent
    );
    assert_eq!(app.row_count("signatures"), rows + 1);
    assert_eq!(app.row_count("outbox"), outbox + 2);

    // Closed, or past its scheduled closing: nothing is stored or sent.
    let now = undersigned::db::now();
    app.with_conn(|c| letters::set_status(c, &letter.id, letters::LetterStatus::Closed, now))
        .unwrap();
    assert_eq!(
        submit_now(&app, &letter.id, "late@example.org"),
        SubmitOutcome::LetterClosed
    );
    app.with_conn(|c| letters::set_status(c, &letter.id, letters::LetterStatus::Published, now))
        .unwrap();
    app.with_conn(|c| letters::set_close_at(c, &letter.id, Some(now - chrono::Duration::minutes(1)), now))
        .unwrap();
    assert_eq!(
        submit_now(&app, &letter.id, "late@example.org"),
        SubmitOutcome::LetterClosed
    );
    assert_eq!(app.row_count("signatures"), rows + 1);
    assert_eq!(app.row_count("outbox"), outbox + 2);

    // Reopened, as the use case does (the schedule thread may have written
    // the closing down meanwhile): the late signer gets in.
    app.with_conn(|c| letters::set_close_at(c, &letter.id, None, now))
        .unwrap();
    app.with_conn(|c| letters::set_status(c, &letter.id, letters::LetterStatus::Published, now))
        .unwrap();
    assert_eq!(
        submit_now(&app, &letter.id, "late@example.org"),
        SubmitOutcome::Created
    );
    assert_eq!(app.row_count("signatures"), rows + 2);

    // A third email in the window reaches the cap of three: a fourth
    // submission stores and sends nothing.
    assert_eq!(
        submit_now(&app, &letter.id, "elise@example.org"),
        SubmitOutcome::Resent
    );
    assert_eq!(
        submit_now(&app, &letter.id, "elise@example.org"),
        SubmitOutcome::Capped
    );
    assert_eq!(app.row_count("outbox"), outbox + 4);

    // Once confirmed, the address hears that it already signed.
    app.with_conn(|c| {
        diesel::update(s::table.filter(s::email_key.eq("late@example.org")))
            .set(s::status.eq(undersigned::model::SignatureStatus::Confirmed))
            .execute(c)
    })
    .unwrap();
    assert_eq!(
        submit_now(&app, &letter.id, "late@example.org"),
        SubmitOutcome::AlreadySigned
    );
    assert_eq!(app.row_count("signatures"), rows + 2);
    assert_eq!(app.row_count("outbox"), outbox + 5);
}
