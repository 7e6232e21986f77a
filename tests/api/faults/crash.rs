//! `kill -9`, the crash nothing can clean up after: under signing load,
//! and while the outbox is being sent.

use crate::helpers::{wait_until, DeadSmtp, SinkMode, SmtpSink, TestDb};
use crate::process::{client, form_token, post_signature, ServerProcess, FAST_CONFIG};
use diesel::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use undersigned::db::schema::{outbox, signatures};
use undersigned::model::OutboxStatus;

fn backend(db: &TestDb) -> &'static str {
    match db {
        TestDb::Sqlite { .. } => "SQLite",
        TestDb::Postgres { .. } => "PostgreSQL",
    }
}

#[actix_web::test]
async fn kill_9_under_signing_load_loses_no_accepted_signature() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let mut server = ServerProcess::start(dir.path(), db.url(), FAST_CONFIG, &[]).await;
    let client = client();
    let token = form_token(&client, &server.base).await;
    let accepted = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut loaders = Vec::new();
    for t in 0..8 {
        let (client, base, token) = (client.clone(), server.base.clone(), token.clone());
        let (accepted, stop) = (accepted.clone(), stop.clone());
        loaders.push(actix_web::rt::spawn(async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let email = format!("charge{t}-{i}@example.org");
                i += 1;
                match post_signature(&client, &base, &token, &email).await {
                    Some(303) => accepted.lock().unwrap().push(email),
                    Some(status) => panic!("{email} answered {status} before the crash"),
                    None => break,
                }
            }
        }));
    }
    wait_until("300 signatures accepted", || {
        (accepted.lock().unwrap().len() >= 300).then_some(())
    })
    .await;
    server.signal("KILL");
    server.wait_exit().await;
    stop.store(true, Ordering::SeqCst);
    for loader in loaders {
        loader.await.expect("loader");
    }

    // Every address that was answered "check your email" is stored.
    let accepted: BTreeSet<String> = accepted.lock().unwrap().iter().cloned().collect();
    let pool = undersigned::db::connect(&undersigned::db::DatabaseUrl::parse(db.url()).unwrap(), 1)
        .expect("the database after the crash");
    let stored: BTreeSet<String> = signatures::table
        .select(signatures::email)
        .load::<Option<String>>(&mut *pool.get().unwrap())
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    let lost: Vec<&String> = accepted.difference(&stored).collect();
    println!(
        "kill -9 under signing load on {}: {} accepted, {} stored, {} lost",
        backend(&db),
        accepted.len(),
        stored.intersection(&accepted).count(),
        lost.len()
    );
    assert!(lost.is_empty(), "accepted but lost: {lost:?}");

    // And the service starts again on what the crash left.
    let again = ServerProcess::start(dir.path(), db.url(), FAST_CONFIG, &[]).await;
    let ready = client.get(again.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 200, "{}", again.log());
}

/// The bound the outbox promises: a crash repeats at most the message each
/// SMTP connection had in flight, never a whole round.
#[actix_web::test]
async fn kill_9_while_sending_repeats_at_most_one_email_per_connection() {
    const SIGNERS: usize = 60;
    const CONNECTIONS: usize = 4;
    let db = TestDb::new();
    // The server is down while the signatures come in, so that they all
    // go out in one round once it answers.
    let dead = DeadSmtp::start();
    let config = format!("{FAST_CONFIG}smtp_connections = {CONNECTIONS}\noutbox_lease_ms = 1000\n");
    let env = [("UNDERSIGNED_SMTP_URL", dead.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let dir_a = tempfile::tempdir().unwrap();
    let mut a = ServerProcess::start(dir_a.path(), db.url(), &config, &env).await;
    let client = client();
    let token = form_token(&client, &a.base).await;
    for i in 0..SIGNERS {
        let email = format!("envoi{i}@example.org");
        assert_eq!(post_signature(&client, &a.base, &token, &email).await, Some(303));
    }
    // It answers: the first 20 go through, and each next one is held at
    // the end of its DATA, unanswered, as a slow server holds it.
    let sink = SmtpSink::start_on(dead.into_listener(), SinkMode::StallAfter(20));
    // Every connection has a message in flight.
    wait_until("messages in flight on every connection", || {
        (sink.attempts() >= 20 + CONNECTIONS).then_some(())
    })
    .await;
    a.signal("KILL");
    a.wait_exit().await;
    // The server got those messages whole: it delivers them, though its
    // answers reach nobody.
    sink.release();

    // Another node (on SQLite, the same server restarted) takes over once
    // the dead one's claims run out.
    let dir_b = tempfile::tempdir().unwrap();
    let b = ServerProcess::start(dir_b.path(), db.url(), &config, &env).await;
    let pool = undersigned::db::connect(&undersigned::db::DatabaseUrl::parse(db.url()).unwrap(), 1).unwrap();
    wait_until("every email sent and recorded", || {
        let unsent: i64 = outbox::table
            .filter(outbox::status.ne(OutboxStatus::Sent))
            .count()
            .get_result(&mut *pool.get().unwrap())
            .unwrap();
        (unsent == 0).then_some(())
    })
    .await;
    let mut received: BTreeMap<String, usize> = BTreeMap::new();
    for email in sink.emails() {
        *received.entry(email.to).or_default() += 1;
    }
    let repeated: usize = received.values().map(|n| n - 1).sum();
    println!(
        "kill -9 while sending on {}: {SIGNERS} emails, {} received, {repeated} repeated (bound {CONNECTIONS})",
        backend(&db),
        sink.emails().len()
    );
    assert_eq!(received.len(), SIGNERS, "every signer got an email: {}", b.log());
    assert!(repeated <= CONNECTIONS, "{repeated} repeated: {received:?}");
}
