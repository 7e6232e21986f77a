//! A stop that ends in bounded time whatever the SMTP server does.

use crate::helpers::{wait_until, SinkMode, SmtpSink, TestDb};
use crate::process::{client, form_token, post_signature, ServerProcess, FAST_CONFIG};
use std::time::Duration;

#[actix_web::test]
async fn an_smtp_server_that_hangs_cannot_hold_the_stop() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    // Holds every message at the end of its DATA, without an answer.
    let sink = SmtpSink::start(SinkMode::StallAfter(0));
    let url = sink.url();
    let mut server = ServerProcess::start(
        dir.path(),
        db.url(),
        FAST_CONFIG,
        &[("UNDERSIGNED_SMTP_URL", &url)],
    )
    .await;
    let client = client();
    let token = form_token(&client, &server.base).await;
    let sent = post_signature(&client, &server.base, &token, "attente@example.org").await;
    assert_eq!(sent, Some(303));
    wait_until("the email to be in flight", || {
        (sink.attempts() >= 1).then_some(())
    })
    .await;

    server.signal("TERM");
    let (status, took) = server.wait_exit().await;
    let limit = undersigned::app::stop_limit(Duration::from_secs(1));
    println!("stop with a hung SMTP server: {took:?} (bound {limit:?}), {status}");
    let log = server.log();
    assert!(status.success(), "{status}: {log}");
    assert!(took < limit, "the stop took {took:?}, past {limit:?}");
    assert!(
        log.contains("outbox worker still sending; stopping without it"),
        "{log}"
    );
    sink.release();
}
