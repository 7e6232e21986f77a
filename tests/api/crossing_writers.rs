//! Two writers' batches over the same signatures, in opposite orders, at
//! the same moment: on PostgreSQL (several writer threads) each batch
//! takes its rows in one order, whatever the batch's (new signatures,
//! submissions for pending ones, confirmations), so the later batch waits
//! for the earlier to commit. Taken crosswise, each
//! would hold a row the other needs next until PostgreSQL's deadlock check
//! (a second) rolled one of them back with its whole batch. On SQLite the
//! one writer takes them one after the other anyway.

use crate::helpers::{spawn_app, TestApp, EXAMPLE_SLUG};
use std::sync::Barrier;
use undersigned::db::outbox::NewEmail;
use undersigned::db::signatures::{
    self, ConfirmRequest, EmailPlan, PreparedConfirmation, SubmitOutcome, SubmitPolicy, SubmitRequest,
};
use undersigned::db::{letters, write_tx, DbError};
use undersigned::domain::{Email, Lang, LinkKey, NewSignature, SignerName, TitleLines};
use undersigned::model::LetterId;

/// Addresses a batch holds: enough that two batches taking them in
/// opposite orders overlap in time and meet halfway (with 40 they never
/// met here; with 300, before each batch's rows were put in order, both
/// tests failed on PostgreSQL with "deadlock detected" within three
/// rounds).
const ADDRESSES: usize = 300;
const ROUNDS: usize = 3;

fn signer(round: usize, n: usize) -> NewSignature {
    let address = format!("croise{round}-{n}@example.org");
    NewSignature {
        name: SignerName::parse(&format!("Croisé Numéro{n}")).expect("a name"),
        titles: TitleLines::parse_text("").expect("no titles"),
        email: Email::parse(&address).expect("an address"),
        email_key: address,
        city: None,
        is_public: true,
        wants_updates: false,
        language: Lang::FR,
    }
}

fn policy() -> SubmitPolicy {
    SubmitPolicy {
        confirm_ttl: chrono::Duration::days(7),
        max_sends: 10,
    }
}

fn already_signed(_: &EmailPlan) -> NewEmail {
    NewEmail {
        kind: "already_signed",
        recipient: "croise@example.org".into(),
        subject: "Déjà signé".into(),
        text: String::new(),
        html: String::new(),
        unsubscribe: None,
        sender_name: None,
        reply_to: None,
    }
}

fn example_letter(app: &TestApp) -> LetterId {
    app.with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .expect("the letter")
        .expect("the example letter")
        .id
}

/// Runs `batch` on two connections at once, each in its own transaction:
/// the outcome of each, in the order the two were started.
fn at_once<T: Send>(
    app: &TestApp,
    batch: impl Fn(usize, &mut undersigned::db::Tx<'_>) -> Result<T, DbError> + Sync,
) -> [Result<T, DbError>; 2] {
    let start = Barrier::new(2);
    std::thread::scope(|s| {
        let run = |side: usize| {
            let (start, batch) = (&start, &batch);
            s.spawn(move || {
                let mut conn = app.conn();
                // Before the transaction: SQLite's write transaction waits
                // for the other's at its start.
                start.wait();
                write_tx(&mut conn, |tx| batch(side, tx))
            })
        };
        let (first, second) = (run(0), run(1));
        [
            first.join().expect("the first batch ran"),
            second.join().expect("the second batch ran"),
        ]
    })
}

/// Two batches submitting `sigs` at once, one forwards and one
/// backwards, each with links of its own: every outcome, sorted.
fn submitted_crosswise(
    app: &TestApp,
    letter: &LetterId,
    sigs: &[NewSignature],
    key: &LinkKey,
) -> Vec<String> {
    let (policy, now) = (policy(), undersigned::db::now());
    let prepared: Vec<[PreparedConfirmation; 2]> = sigs
        .iter()
        .map(|s| {
            [
                PreparedConfirmation::new(s, key),
                PreparedConfirmation::new(s, key),
            ]
        })
        .collect();
    let outcomes = at_once(app, |side, tx| {
        let order: Vec<usize> = match side {
            0 => (0..sigs.len()).collect(),
            _ => (0..sigs.len()).rev().collect(),
        };
        let requests: Vec<SubmitRequest<'_>> = order
            .iter()
            .map(|&n| SubmitRequest {
                letter_id: letter,
                sig: &sigs[n],
                policy: &policy,
                now,
                prepared: &prepared[n][side],
                render: &already_signed,
            })
            .collect();
        signatures::submit_many(tx, &requests)
    });
    let mut told: Vec<String> = Vec::new();
    for outcome in outcomes {
        let each = outcome.unwrap_or_else(|e| panic!("a batch failed: {e}"));
        told.extend(each.iter().map(|o| format!("{o:?}")));
    }
    told.sort();
    told
}

#[actix_web::test]
async fn two_batches_signing_the_same_addresses_crosswise_both_commit() {
    let app = spawn_app().await;
    let letter = example_letter(&app);
    let key = LinkKey::new(b"crossing");
    let each = |outcome: SubmitOutcome, times: usize| vec![format!("{outcome:?}"); times];
    for round in 0..ROUNDS {
        let sigs: Vec<NewSignature> = (0..ADDRESSES).map(|n| signer(round, n)).collect();
        // New addresses, in the batch statement: every address stored
        // once, by whichever batch came first; the other batch's
        // submission is a second email for it.
        let mut expected = each(SubmitOutcome::Created, ADDRESSES);
        expected.extend(each(SubmitOutcome::Resent, ADDRESSES));
        assert_eq!(
            submitted_crosswise(&app, &letter, &sigs, &key),
            expected,
            "round {round}, new addresses"
        );
        // The same addresses again, pending now: both batches take the
        // long way, one submission after the other.
        assert_eq!(
            submitted_crosswise(&app, &letter, &sigs, &key),
            each(SubmitOutcome::Resent, 2 * ADDRESSES),
            "round {round}, pending addresses"
        );
    }
}

#[actix_web::test]
async fn two_batches_confirming_the_same_signatures_crosswise_both_commit() {
    let app = spawn_app().await;
    let letter = example_letter(&app);
    let key = LinkKey::new(&app.settings.load_secret().expect("the site's secret"));
    let policy = policy();
    for round in 0..ROUNDS {
        // Each address signed twice with the same content: two live links
        // to one pending signature.
        let links: Vec<[PreparedConfirmation; 2]> = (0..ADDRESSES)
            .map(|n| {
                let sig = signer(round, n);
                [(); 2].map(|_| {
                    let prepared = PreparedConfirmation::new(&sig, &key);
                    app.with_conn(|c| {
                        signatures::submit(
                            c,
                            &letter,
                            &sig,
                            &policy,
                            undersigned::db::now(),
                            &prepared,
                            &already_signed,
                        )
                    })
                    .expect("a submission");
                    prepared
                })
            })
            .collect();
        let now = undersigned::db::now();
        let outcomes = at_once(&app, |side, tx| {
            let order: Vec<usize> = match side {
                0 => (0..ADDRESSES).collect(),
                _ => (0..ADDRESSES).rev().collect(),
            };
            let requests: Vec<ConfirmRequest<'_>> = order
                .iter()
                .map(|&n| ConfirmRequest {
                    token: links[n][side].confirm_token(),
                    key: &key,
                    now,
                })
                .collect();
            signatures::confirm_many(tx, &requests)
        });
        let mut newly = 0;
        for outcome in outcomes {
            let each = outcome.unwrap_or_else(|e| panic!("round {round}: a batch failed: {e}"));
            // The later batch finds each signature confirmed: shown as
            // such, or its link refused as used, never confirmed twice.
            newly += each
                .iter()
                .filter(|o| matches!(o, Ok(c) if c.newly_confirmed))
                .count();
        }
        assert_eq!(newly, ADDRESSES, "round {round}: each signature confirmed once");
        let pending: i64 = app.with_conn(|c| {
            use diesel::prelude::*;
            use undersigned::db::schema::signatures as s;
            s::table
                .filter(s::email_key.like(format!("croise{round}-%")))
                .filter(s::status.ne("confirmed"))
                .count()
                .get_result(&mut **c)
                .expect("a count")
        });
        assert_eq!(pending, 0, "round {round}");
    }
}
