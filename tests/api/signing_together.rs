//! Submissions of the signing form that share a transaction (the group
//! writer hands a whole batch to `signatures::submit_many`, one statement
//! on PostgreSQL for the first signature of every address in it) end
//! exactly as if each had taken the long way alone, one after the other
//! (`signatures::submit_each`, each its own statements): the same outcome
//! for every submission, and the same rows after. Checked as a property
//! over random lists of submissions: new addresses, the same address twice
//! (also in other letter case), an address pending with the same or other
//! content, one already confirmed, one at its cap, a letter that does not
//! take signatures.

use crate::helpers::{spawn_app, TestApp, EXAMPLE_SLUG};
use crate::rolled_back::{rolled_back, Row};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::HashSet;
use undersigned::db::outbox::NewEmail;
use undersigned::db::signatures::{self, EmailPlan, PreparedConfirmation, SubmitPolicy, SubmitRequest};
use undersigned::db::{letters, write_tx, DbConn, DbError};
use undersigned::domain::{City, Email, Lang, LinkKey, NewSignature, SignerName, TitleLines};
use undersigned::model::LetterId;

/// Who submits: the address, and whether it is the example letter's.
const ADDRESSES: [&str; 7] = [
    "neuve@example.org",
    "Neuve@Example.org",
    "autre@example.org",
    "attente@example.org",
    "deja@example.org",
    "plafond@example.org",
    "ailleurs@example.org",
];

/// A submission's content: each variant sets every field otherwise, so
/// that two columns swapped in the batch statement would show.
fn content(address: &str, variant: usize) -> NewSignature {
    let (name, titles, city, is_public, wants_updates, language) = match variant {
        0 => (
            "Ana « Coop » Côté",
            "Présidente du Mouvement X (1987-2000)",
            Some("Rimouski"),
            true,
            false,
            Lang::FR,
        ),
        1 => (
            "Ben O’Neil",
            "Grand Officier du Québec\nTrésorier",
            None,
            false,
            true,
            Lang::EN,
        ),
        _ => ("Chloé Bérubé", "", Some("Gaspé"), true, true, Lang::FR),
    };
    NewSignature {
        name: SignerName::parse(name).expect("a name"),
        titles: TitleLines::parse_text(titles).expect("titles"),
        email: Email::parse(address).expect("an address"),
        email_key: address.to_lowercase(),
        city: City::parse_optional(city.unwrap_or("")).expect("a city"),
        is_public,
        wants_updates,
        language,
    }
}

/// The "already signed" email, its body holding the fresh links.
fn already_signed(recipient: &str, plan: &EmailPlan) -> NewEmail {
    let (manage, withdraw) = plan.links();
    NewEmail {
        kind: "already_signed",
        recipient: recipient.to_string(),
        subject: "Déjà signé".into(),
        text: format!("{} {}", manage.as_str(), withdraw.as_str()),
        html: String::new(),
        unsubscribe: None,
        sender_name: None,
        reply_to: None,
    }
}

/// What the database holds of signatures, their links and their emails,
/// without what each run draws at random (ids, the links of an "already
/// signed" email): rows are told apart by address, links (raw or hashed)
/// by whether the submissions prepared them.
fn snapshot(conn: &mut DbConn, prepared: &HashSet<String>) -> Result<Vec<String>, DbError> {
    use diesel::RunQueryDsl;
    let mut rows = Vec::new();
    for sql in [
        "SELECT letter_id || ' ' || email_key || ' ' || status || ' ' || name || ' ' || sort_key || ' ' \
         || titles || ' ' || email || ' ' || COALESCE(city, '-') || ' ' || is_public || ' ' || wants_updates \
         || ' ' || tier || ' ' || language || ' ' || COALESCE(consent_version, '-') || ' ' \
         || confirmation_sends || ' ' || COALESCE(sends_window_start || '', '-') || ' ' \
         || COALESCE(consent_at || '', '-') || ' ' || COALESCE(consent_letter_version || '', '-') || ' ' \
         || created_at || ' ' || updated_at || ' ' || COALESCE(confirmed_at || '', '-') AS v \
         FROM signatures WHERE email_key IS NOT NULL",
        "SELECT s.email_key || ' ' || t.purpose || ' ' || t.token_hash || ' ' || COALESCE(t.expires_at || '', '-') \
         || ' ' || t.created_at || ' ' || COALESCE(t.used_at || '', '-') || ' ' || COALESCE(t.replaced_at || '', '-') \
         || ' ' || COALESCE(t.content, '-') || ' ' || COALESCE(t.links_key || '', '-') AS v \
         FROM tokens t JOIN signatures s ON s.id = t.signature_id",
        "SELECT s.email_key || ' ' || o.kind || ' ' || o.recipient || ' ' || o.subject || ' ' \
         || LENGTH(o.body_text) || ' ' || LENGTH(o.body_html) || ' ' || o.status || ' ' || o.attempts || ' ' \
         || o.next_attempt_at || ' ' || o.created_at || ' ' || COALESCE(o.links, '-') || ' ' \
         || COALESCE(o.unsubscribe_url, '-') || ' ' || COALESCE(o.sender_name, '-') || ' ' \
         || COALESCE(o.reply_to, '-') AS v FROM outbox o JOIN signatures s ON s.id = o.signature_id",
    ] {
        for row in diesel::sql_query(sql).load::<Row>(conn)? {
            // A link drawn at random by this run reads the same in both.
            let words: Vec<&str> = row
                .v
                .split(' ')
                .map(|w| {
                    let token_like = matches!(w.len(), 72 | 76);
                    if token_like && !prepared.contains(w) {
                        "fresh"
                    } else {
                        w
                    }
                })
                .collect();
            rows.push(words.join(" "));
        }
    }
    rows.sort();
    Ok(rows)
}

fn policy() -> SubmitPolicy {
    SubmitPolicy {
        confirm_ttl: chrono::Duration::days(7),
        max_sends: 3,
    }
}

/// Signs through the store, committed: the rows the property starts from.
fn signed(app: &TestApp, letter: &LetterId, sig: &NewSignature, key: &LinkKey) -> PreparedConfirmation {
    let prepared = PreparedConfirmation::new(sig, key);
    let recipient = sig.email.as_str().to_string();
    let render = |plan: &EmailPlan| already_signed(&recipient, plan);
    app.with_conn(|c| {
        signatures::submit(
            c,
            letter,
            sig,
            &policy(),
            undersigned::db::now(),
            &prepared,
            &render,
        )
    })
    .expect("a submission");
    prepared
}

#[actix_web::test]
async fn submissions_together_end_as_they_would_one_by_one() {
    let app = spawn_app().await;
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .expect("the letter")
        .expect("the example letter")
        .id;
    let key = LinkKey::new(&app.settings.load_secret().expect("the site's secret"));
    // Pending with the first content; confirmed; at its cap (three emails
    // in the window).
    signed(&app, &letter, &content("attente@example.org", 0), &key);
    let deja = signed(&app, &letter, &content("deja@example.org", 1), &key);
    app.with_conn(|c| signatures::confirm(c, deja.confirm_token(), &key, undersigned::db::now()))
        .expect("the confirmation commits")
        .expect("confirmed");
    for variant in 0..3 {
        signed(&app, &letter, &content("plafond@example.org", variant), &key);
    }
    let nowhere = LetterId::generate();
    // The worker sends the emails of those while the property runs, and
    // its two runs of each case must start from the same rows.
    app.wait_for_outbox_drained().await;

    let now = undersigned::db::now();
    let policy = policy();
    let mut runner = TestRunner::new(Config {
        cases: 32,
        ..Config::default()
    });
    runner
        .run(
            &prop::collection::vec((0..ADDRESSES.len(), 0..3usize), 1..10),
            |picks| {
                let sigs: Vec<NewSignature> = picks.iter().map(|&(a, v)| content(ADDRESSES[a], v)).collect();
                let prepared: Vec<PreparedConfirmation> =
                    sigs.iter().map(|s| PreparedConfirmation::new(s, &key)).collect();
                // Each prepared link, raw (in the outbox) and hashed.
                let hashes: HashSet<String> = prepared
                    .iter()
                    .flat_map(|p| {
                        let links = p.links();
                        [&links.confirm, &links.manage, &links.withdraw]
                            .map(|t| [t.as_str().to_string(), t.hash().into_string()])
                    })
                    .flatten()
                    .collect();
                let renders: Vec<_> = sigs
                    .iter()
                    .map(|s| {
                        let recipient = s.email.as_str().to_string();
                        move |plan: &EmailPlan| already_signed(&recipient, plan)
                    })
                    .collect();
                let requests: Vec<SubmitRequest<'_>> = picks
                    .iter()
                    .enumerate()
                    .map(|(i, &(a, _))| SubmitRequest {
                        letter_id: if ADDRESSES[a].starts_with("ailleurs") {
                            &nowhere
                        } else {
                            &letter
                        },
                        sig: &sigs[i],
                        policy: &policy,
                        now,
                        prepared: &prepared[i],
                        render: &renders[i],
                    })
                    .collect();
                let told = |outcomes: Vec<signatures::SubmitOutcome>| -> Vec<String> {
                    outcomes.iter().map(|o| format!("{o:?}")).collect()
                };
                let each = rolled_back(
                    &app,
                    |tx| Ok(told(signatures::submit_each(tx, &requests)?)),
                    |tx| snapshot(tx, &hashes),
                );
                let together = rolled_back(
                    &app,
                    |tx| Ok(told(signatures::submit_many(tx, &requests)?)),
                    |tx| snapshot(tx, &hashes),
                );
                prop_assert_eq!(&together.0, &each.0, "outcomes of {:?}", picks);
                prop_assert_eq!(&together.1, &each.1, "rows after {:?}", picks);
                Ok(())
            },
        )
        .unwrap();

    // And for real, committed: every kind at once.
    let picks = [(0, 0), (1, 1), (2, 2), (3, 0), (3, 1), (4, 2), (5, 0), (6, 0)];
    let sigs: Vec<NewSignature> = picks.iter().map(|&(a, v)| content(ADDRESSES[a], v)).collect();
    let prepared: Vec<PreparedConfirmation> =
        sigs.iter().map(|s| PreparedConfirmation::new(s, &key)).collect();
    let render = |plan: &EmailPlan| already_signed("deja@example.org", plan);
    let requests: Vec<SubmitRequest<'_>> = picks
        .iter()
        .enumerate()
        .map(|(i, &(a, _))| SubmitRequest {
            letter_id: if a == 6 { &nowhere } else { &letter },
            sig: &sigs[i],
            policy: &policy,
            now,
            prepared: &prepared[i],
            render: &render,
        })
        .collect();
    let outcomes = app
        .with_conn(|conn| write_tx(conn, |tx| signatures::submit_many(tx, &requests)))
        .expect("the submissions commit");
    let told: Vec<String> = outcomes.iter().map(|o| format!("{o:?}")).collect();
    assert_eq!(
        told,
        [
            "Created",
            "Resent",
            "Created",
            "Resent",
            "Resent",
            "AlreadySigned",
            "Capped",
            "LetterClosed"
        ]
    );
    // Ana's row, column by column, as she sent it.
    let row = app.with_conn(|conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(
            "SELECT status || '|' || name || '|' || sort_key || '|' || titles || '|' || email || '|' \
             || COALESCE(city, '-') || '|' || CASE WHEN is_public THEN 'public' ELSE 'count-only' END || '|' \
             || CASE WHEN wants_updates THEN 'news' ELSE 'no-news' END || '|' || tier || '|' || language \
             || '|' || confirmation_sends || '|' || COALESCE(consent_letter_version || '', '-') AS v \
             FROM signatures WHERE email_key = 'neuve@example.org'",
        )
        .get_result::<Row>(&mut **conn)
        .expect("Ana's row")
        .v
    });
    assert_eq!(
        row,
        "pending|Ana « Coop » Côté|cote ana coop cote|[\"Présidente du Mouvement X (1987-2000)\"]|neuve@example.org\
         |Rimouski|public|no-news|public|fr|2|1"
    );
}

/// Over HTTP, forms posted all at once (each twice, the same content) land
/// in the group writer's batches together: each address is stored once,
/// and hears twice, with both of its links confirming the one signature.
#[actix_web::test]
async fn forms_posted_at_once_store_each_address_once() {
    let app = spawn_app().await;
    let addresses: Vec<String> = (0..10).map(|i| format!("vague{i}@example.org")).collect();
    let names: Vec<String> = (0..10).map(|i| format!("Vague Numéro{i}")).collect();
    let posts = addresses
        .iter()
        .zip(&names)
        .chain(addresses.iter().zip(&names))
        .map(|(address, name)| app.sign_as(name, address));
    let statuses: Vec<u16> = futures_util::future::join_all(posts)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(statuses.iter().all(|&s| s == 303), "{statuses:?}");
    let stored = app.with_conn(|conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(
            "SELECT email_key || ' ' || status || ' ' || confirmation_sends || ' ' || name AS v \
             FROM signatures WHERE email_key LIKE 'vague%' ORDER BY email_key",
        )
        .load::<Row>(&mut **conn)
        .expect("the signatures")
    });
    let stored: Vec<String> = stored.into_iter().map(|r| r.v).collect();
    let expected: Vec<String> = addresses
        .iter()
        .zip(&names)
        .map(|(a, n)| format!("{a} pending 2 {n}"))
        .collect();
    assert_eq!(stored, expected);
    // Both emails of one address confirm it: the second link first, then
    // the first one finds the signature confirmed already.
    let emails = app.wait_for_file_emails(&addresses[3], 2).await;
    assert_eq!(app.post(&emails[1].confirm_link()).await.status().as_u16(), 200);
    assert_eq!(app.post(&emails[0].confirm_link()).await.status().as_u16(), 200);
    let status = app.with_conn(|conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query("SELECT status AS v FROM signatures WHERE email_key = 'vague3@example.org'")
            .get_result::<Row>(&mut **conn)
            .expect("her signature")
            .v
    });
    assert_eq!(status, "confirmed");
}
