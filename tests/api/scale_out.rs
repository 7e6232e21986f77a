//! Two servers on one PostgreSQL database: a reader may load the form from
//! one node and post it to the other, confirm through either, and every
//! email leaves exactly once. Ignored unless asked for: `.ci/run` runs it
//! on PostgreSQL with `--include-ignored`; two nodes cannot share one
//! SQLite file.

use crate::helpers::{extract_form_token, spawn_app_with, wait_until, SinkMode, SmtpSink, EXAMPLE_SLUG};
use diesel::prelude::*;
use undersigned::app::Application;
use undersigned::db::schema::outbox;

const SIGNERS: usize = 12;

#[actix_web::test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL and pass --include-ignored"]
async fn two_servers_share_one_postgresql_database() {
    assert!(
        std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()),
        "this test needs TEST_DATABASE_URL pointing at PostgreSQL"
    );
    let sink = SmtpSink::start(SinkMode::Accept);
    let secret = "a shared secret key that is long enough for both nodes";
    let a = spawn_app_with(|s| {
        s.smtp_url = Some(sink.url());
        s.secret_key = Some(secret.into());
    })
    .await;
    // The second node: same database, same key and sink, its own data
    // folder, port, caches and outbox worker.
    let data_b = tempfile::tempdir().unwrap();
    let mut settings_b = a.settings.clone();
    settings_b.data_dir = data_b.path().to_path_buf();
    settings_b.bind = "127.0.0.1:0".into();
    let b = Application::build(&settings_b).expect("second node starts");
    let b_address = format!("http://{}", b.addr());
    let b_handle = b.handle();
    actix_web::rt::spawn(b.run_until_stopped());
    let nodes = [a.address.clone(), b_address.clone()];

    for i in 0..SIGNERS {
        // The form from one node, posted to the other.
        let (from, to) = (&nodes[i % 2], &nodes[(i + 1) % 2]);
        let page = a
            .client
            .get(format!("{from}/letters/{EXAMPLE_SLUG}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = extract_form_token(&page).expect("form token");
        let email = format!("signer{i}@example.org");
        let r = a
            .client
            .post(format!("{to}/letters/{EXAMPLE_SLUG}/sign"))
            .form(&[
                ("name", format!("Signataire {i}").as_str()),
                ("email", email.as_str()),
                ("visibility", "public"),
                ("consent", "yes"),
                ("form_token", token.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 303, "signing {email} on {to}");
    }

    let emails = sink.wait_for(SIGNERS).await;
    for (i, email) in emails.iter().enumerate() {
        // Confirm through the node that did not send the link's host.
        let link = email.confirm_link();
        let path = link
            .split_once("/confirm/")
            .map(|(_, t)| format!("/confirm/{t}"))
            .unwrap();
        let r = a
            .client
            .post(format!("{}{path}", nodes[i % 2]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "confirming {}", email.to);
    }
    // Three initial signatories and every signer, whichever node confirmed.
    // (Each node's cached count catches up with the other's confirmations
    // within count_cache_ms; the database has them all at once.)
    let letter = a
        .with_conn(|c| undersigned::db::letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let count = a
        .with_conn(|c| undersigned::db::signatures::count_confirmed(c, &letter.id))
        .unwrap();
    assert_eq!(count, 3 + SIGNERS as i64);

    // Once every row is marked sent no worker sends it again, so the sink's
    // count is final.
    wait_until("both workers to finish", || {
        let unsent: i64 = a
            .with_conn(|c| {
                outbox::table
                    .filter(outbox::status.ne(undersigned::model::OutboxStatus::Sent))
                    .count()
                    .get_result(c)
            })
            .unwrap();
        (unsent == 0).then_some(())
    })
    .await;
    let mut recipients: Vec<String> = sink.emails().into_iter().map(|e| e.to).collect();
    assert_eq!(recipients.len(), SIGNERS, "each email once: {recipients:?}");
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), SIGNERS, "no address twice");

    b_handle.stop(true).await;
}
