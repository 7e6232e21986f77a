//! Email delivery over a real SMTP conversation with a server started inside
//! the test.

use crate::helpers::{
    allow_writes, refuse_writes, spawn_app_with, wait_until, DeadSmtp, SinkMode, SmtpSink, EXAMPLE_SLUG,
};
use diesel::prelude::*;
use std::collections::BTreeSet;
use undersigned::db::schema::outbox;

fn outbox_rows(app: &crate::helpers::TestApp) -> Vec<(String, i32, Option<String>, String)> {
    app.with_conn(|c| {
        outbox::table
            .select((
                outbox::status,
                outbox::attempts,
                outbox::last_error,
                outbox::body_text,
            ))
            .load::<(String, i32, Option<String>, String)>(c)
    })
    .expect("outbox rows")
}

#[actix_web::test]
async fn confirmation_email_is_delivered_over_smtp() {
    let sink = SmtpSink::start(SinkMode::Accept);
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(sink.url());
        s.mail_from = "Lettres ouvertes <lettres@example.org>".parse().unwrap();
    })
    .await;
    let r = app.sign_as("Félix Leclerc", "felix@example.org").await;
    assert_eq!(r.status().as_u16(), 303);

    let emails = sink.wait_for(1).await;
    let email = &emails[0];
    assert_eq!(email.to, "felix@example.org");
    let from = email
        .raw
        .lines()
        .find(|l| l.starts_with("From:"))
        .unwrap_or_default();
    assert!(
        from.contains("Lettres ouvertes") && from.contains("<lettres@example.org>"),
        "{from}"
    );
    assert!(email.raw.contains("multipart/alternative"));
    assert_eq!(
        email.subject,
        "Confirmez votre signature\u{a0}: Lettre ouverte sur l’avenir des coopératives d’habitation"
    );
    assert!(email.text.contains("Bonjour Félix Leclerc,"));
    assert!(email.html.contains("Confirmer ma signature"));
    assert!(
        !app.outbox_dir().exists() || std::fs::read_dir(app.outbox_dir()).unwrap().count() == 0,
        "no files with SMTP"
    );

    // The delivered link works, and the delivered row no longer holds it.
    let r = app.post(&email.confirm_link()).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 4);
    app.wait_for_outbox_drained().await;
    let rows = outbox_rows(&app);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "sent");
    assert_eq!(rows[0].1, 1);
    assert_eq!(rows[0].3, "", "the sent body, with its live links, is erased");
    // It was queued as its links and written when it left
    // (`mail::deferred`): those go too.
    let links: Vec<Option<String>> = app
        .with_conn(|c| outbox::table.select(outbox::links).load(c))
        .expect("links");
    assert_eq!(links, [None]);
}

/// An SMTP outage costs one connection a round, however many messages
/// wait; none of them uses up an attempt or a retry slot on it, and the
/// whole queue goes out as soon as the server answers, not each message at
/// its own next retry.
/// A letter's emails come under the name of the body behind it, from the
/// site's own address (SPF, DKIM), and a reply reaches the letter's contact
/// person rather than an address nobody reads.
#[actix_web::test]
async fn a_letters_emails_reply_to_its_contact_person() {
    use undersigned::db::schema::letters;
    let sink = SmtpSink::start(SinkMode::Accept);
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(sink.url());
        s.mail_from = "Lettres ouvertes <lettres@example.org>".parse().unwrap();
    })
    .await;
    app.with_conn(|c| {
        diesel::update(letters::table.filter(letters::slug.eq(EXAMPLE_SLUG)))
            .set((
                letters::organized_by.eq("La Coalition des coopératives"),
                letters::contact_name.eq("Julie Côté"),
                letters::contact_email.eq("presse@coop.qc.ca"),
            ))
            .execute(c)
    })
    .unwrap();
    let r = app.sign_as("Félix Leclerc", "felix@example.org").await;
    assert_eq!(r.status().as_u16(), 303);
    let email = sink.wait_for(1).await.remove(0);
    let header = |name: &str| {
        email
            .raw
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        header("Reply-To:"),
        "Reply-To: presse@coop.qc.ca",
        "{}",
        email.raw
    );
    let from = header("From:");
    assert!(from.ends_with("<lettres@example.org>"), "{from}");
    assert!(
        !from.contains("Lettres ouvertes"),
        "the body's name replaces the site's: {from}"
    );
}

#[actix_web::test]
async fn an_smtp_outage_costs_one_connection_a_round_and_ends_all_at_once() {
    const WAITING: usize = 20;
    let dead = DeadSmtp::start();
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(dead.url());
        // Far longer than the test: a message that took a retry slot
        // would not go out within it.
        s.outbox_retry_base = std::time::Duration::from_secs(600);
        s.outbox_retry_max = std::time::Duration::from_secs(600);
    })
    .await;
    for i in 0..WAITING {
        let r = app
            .sign_as("Monique Leyrac", &format!("monique{i}@example.org"))
            .await;
        assert_eq!(r.status().as_u16(), 303);
    }
    // Rounds go by (one every 100 ms here), each trying the server once.
    wait_until("several rounds of the outage", || {
        (dead.connections() >= 3 * WAITING).then_some(())
    })
    .await;
    let rows = outbox_rows(&app);
    assert_eq!(rows.len(), WAITING);
    assert!(
        rows.iter()
            .all(|(status, attempts, _, _)| status == "pending" && *attempts == 0),
        "no attempt counted against a message: {rows:?}"
    );

    // The server comes back on the same port.
    let sink = SmtpSink::start_on(dead.into_listener(), SinkMode::Accept);
    let emails = sink.wait_for(WAITING).await;
    app.wait_for_outbox_drained().await;
    let recipients: BTreeSet<String> = emails.into_iter().map(|e| e.to).collect();
    assert_eq!(recipients.len(), WAITING);
    assert_eq!(sink.emails().len(), WAITING, "each delivered exactly once");
}

#[actix_web::test]
async fn temporary_refusals_are_retried_with_backoff() {
    let sink = SmtpSink::start(SinkMode::RefuseTransient(2));
    let app = spawn_app_with(|s| s.smtp_url = Some(sink.url())).await;
    app.sign_as("Claude Gauthier", "claude@example.org").await;
    let emails = sink.wait_for(1).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(sink.attempts(), 3, "two refusals, then the delivery");
    app.wait_for_outbox_drained().await;
    let rows = outbox_rows(&app);
    assert_eq!((rows[0].0.as_str(), rows[0].1), ("sent", 3));
}

#[actix_web::test]
async fn permanent_refusals_are_not_retried() {
    let sink = SmtpSink::start(SinkMode::RefusePermanent);
    let app = spawn_app_with(|s| s.smtp_url = Some(sink.url())).await;
    app.sign_as("Nobody Here", "nobody@example.org").await;
    wait_until("the message to be marked failed", || {
        let rows = outbox_rows(&app);
        (rows.len() == 1 && rows[0].0 == "failed").then_some(())
    })
    .await;
    let rows = outbox_rows(&app);
    assert_eq!(rows[0].1, 1);
    assert!(
        rows[0].2.as_deref().unwrap_or("").contains("550"),
        "{:?}",
        rows[0].2
    );
    assert_eq!(sink.attempts(), 1);
    assert!(sink.emails().is_empty());
}

/// Queues `n` messages in one transaction, so that one round claims them
/// all.
fn queue_burst(app: &crate::helpers::TestApp, n: usize) {
    app.with_conn(|c| {
        undersigned::db::write_tx(c, |c| -> Result<(), undersigned::db::DbError> {
            for i in 0..n {
                let email = undersigned::db::outbox::NewEmail {
                    kind: "confirm",
                    recipient: format!("burst{i}@example.org"),
                    subject: format!("message {i}"),
                    text: "text".into(),
                    html: "<p>html</p>".into(),
                    unsubscribe: None,
                    sender_name: None,
                    reply_to: None,
                };
                undersigned::db::outbox::insert(c, &email, undersigned::db::now())?;
            }
            Ok(())
        })
    })
    .expect("queue the burst");
}

fn sent_count(app: &crate::helpers::TestApp) -> usize {
    outbox_rows(app).iter().filter(|r| r.0 == "sent").count()
}

#[actix_web::test]
async fn a_burst_goes_out_over_several_connections_once_each() {
    const BURST: usize = 50;
    let sink = SmtpSink::start(SinkMode::Accept);
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(sink.url());
        s.smtp_connections = 4;
    })
    .await;
    queue_burst(&app, BURST);

    sink.wait_for(BURST).await;
    app.wait_for_outbox_drained().await;
    let emails = sink.emails();
    assert_eq!(emails.len(), BURST, "each message sent once");
    let recipients: BTreeSet<&str> = emails.iter().map(|e| e.to.as_str()).collect();
    assert_eq!(recipients.len(), BURST, "no message sent twice");
    let rows = outbox_rows(&app);
    assert!(rows.iter().all(|r| r.0 == "sent" && r.1 == 1), "{rows:?}");
    let sessions = sink.sessions();
    assert!(
        (2..=4).contains(&sessions),
        "sent in parallel over at most smtp_connections connections: {sessions}"
    );
}

/// A crash repeats at most the message in flight on each connection: every
/// message the server accepted is recorded before the next one goes.
#[actix_web::test]
async fn each_delivery_is_recorded_as_soon_as_the_server_accepts_it() {
    const QUEUED: usize = 10;
    const ACCEPTED: usize = 4;
    let sink = SmtpSink::start(SinkMode::StallAfter(ACCEPTED));
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(sink.url());
        s.smtp_connections = 1;
    })
    .await;
    queue_burst(&app, QUEUED);

    sink.wait_for(ACCEPTED).await;
    // The next message is held by the server, so the round is still going:
    // a kill now must find the accepted ones already recorded.
    wait_until("the accepted messages recorded as sent", || {
        (sent_count(&app) >= ACCEPTED).then_some(())
    })
    .await;
    assert_eq!(sent_count(&app), ACCEPTED, "only what the server accepted");

    sink.release();
    sink.wait_for(QUEUED).await;
    app.wait_for_outbox_drained().await;
    assert_eq!(sink.emails().len(), QUEUED, "each message sent once");
    assert_eq!(sent_count(&app), QUEUED);
}

/// When the database cannot record a delivery (a full disk), sending stops:
/// each message sent but not recorded goes out again later.
#[actix_web::test]
async fn sending_stops_while_the_database_cannot_record_deliveries() {
    const QUEUED: usize = 10;
    let sink = SmtpSink::start(SinkMode::Accept);
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(sink.url());
        s.smtp_connections = 1;
        s.metrics_token = Some(crate::helpers::METRICS_TOKEN.into());
    })
    .await;
    // Claims still go through; recording a delivery fails, as on a disk
    // that filled up between the two.
    app.with_conn(|c| refuse_writes(c, "outbox", "NEW.status = 'sent'"));
    queue_burst(&app, QUEUED);
    sink.wait_for(1).await;
    let unrecorded = "undersigned_email_deliveries_unrecorded_total 1\n";
    let deadline = std::time::Instant::now() + crate::helpers::PATIENCE;
    while !app.metrics().await.contains(unrecorded) {
        assert!(
            std::time::Instant::now() < deadline,
            "no unrecorded delivery counted"
        );
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(outbox_rows(&app).iter().filter(|r| r.0 == "sent").count(), 0);
    // Until the claims' lease runs out nothing is due; it is cut short here,
    // once the disk has room again.
    app.with_conn(|c| {
        allow_writes(c, "outbox");
        diesel::update(outbox::table)
            .set(outbox::locked_until.eq(None::<chrono::NaiveDateTime>))
            .execute(c)
            .expect("end the leases");
    });
    app.wait_for_outbox_drained().await;
    let emails = sink.emails();
    let recipients: BTreeSet<&str> = emails.iter().map(|e| e.to.as_str()).collect();
    assert_eq!(recipients.len(), QUEUED, "every message delivered");
    assert_eq!(
        emails.len(),
        QUEUED + 1,
        "only the message whose delivery could not be recorded went out twice"
    );
}
