//! PostgreSQL stopped dead behind a proxy that keeps its connections open
//! and passes nothing: readiness says so, and a stop still ends.

use crate::helpers::{pg_host_port, wait_until, TcpProxy, TestDb};
use crate::process::{client, form_token, post_signature, ServerProcess, FAST_CONFIG};
use std::time::Duration;

#[actix_web::test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL and pass --include-ignored"]
async fn a_frozen_postgresql_cannot_hold_the_stop() {
    let db = TestDb::new();
    let TestDb::Postgres { url, .. } = &db else {
        panic!("this test needs TEST_DATABASE_URL pointing at PostgreSQL")
    };
    let proxy = TcpProxy::start(&pg_host_port(url));
    let proxied = proxy.url_for(url);
    let dir = tempfile::tempdir().unwrap();
    let mut server = ServerProcess::start(dir.path(), &proxied, FAST_CONFIG, &[]).await;
    let client = client();
    let token = form_token(&client, &server.base).await;
    let before = post_signature(&client, &server.base, &token, "avant-gel@example.org").await;
    assert_eq!(before, Some(303));

    proxy.freeze();
    // A signature whose statements now wait on the frozen database.
    let (c, base, t) = (client.clone(), server.base.clone(), token.clone());
    let stuck =
        actix_web::rt::spawn(async move { post_signature(&c, &base, &t, "pendant-gel@example.org").await });
    wait_until("a statement to reach the frozen database", || {
        (proxy.held() > 0).then_some(())
    })
    .await;
    let ready = client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(
        ready.status().as_u16(),
        503,
        "not ready while the database is frozen"
    );

    server.signal("TERM");
    let (status, took) = server.wait_exit().await;
    let limit = undersigned::app::stop_limit(Duration::from_secs(1));
    println!("stop with PostgreSQL frozen: {took:?} (bound {limit:?}), {status}");
    // A margin over the bound for the process to be reaped and seen.
    assert!(
        took < limit + Duration::from_secs(2),
        "the stop took {took:?}, past {limit:?}: {}",
        server.log()
    );
    assert_ne!(
        stuck.await.unwrap(),
        Some(303),
        "the stuck signature was never confirmed to its signer"
    );
    proxy.thaw();
}
