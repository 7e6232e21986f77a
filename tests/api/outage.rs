//! A PostgreSQL outage, played by a TCP proxy between the server and the
//! database: requests during it get a 503 in the reader's language, and
//! once the database is back no connection the outage killed is handed out
//! again. Ignored unless asked for: `.ci/run` runs it on PostgreSQL with
//! `--include-ignored`; SQLite has no connection to lose.

use crate::helpers::{pg_host_port, spawn_app_with, TcpProxy, EXAMPLE_SLUG};
use undersigned::db::DatabaseUrl;

#[actix_web::test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL and pass --include-ignored"]
async fn a_postgresql_outage_answers_503_and_leaves_no_dead_connection_behind() {
    assert!(
        std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()),
        "this test needs TEST_DATABASE_URL pointing at PostgreSQL"
    );
    let mut proxy = None;
    let app = spawn_app_with(|s| {
        let DatabaseUrl::Postgres(url) = &s.database_url else {
            panic!("a PostgreSQL test database")
        };
        let p = TcpProxy::start(&pg_host_port(url));
        s.database_url = DatabaseUrl::parse(&p.url_for(url)).expect("proxied URL");
        proxy = Some(p);
    })
    .await;
    let proxy = proxy.expect("the proxy");
    let pool_size = app.settings.pool_size as usize;
    let before = app.row_count("signatures");
    // Every pooled connection in use at least once, through the proxy.
    for i in 0..pool_size {
        let r = app.sign_as("Avant Panne", &format!("avant{i}@example.org")).await;
        assert_eq!(r.status().as_u16(), 303);
    }

    let token = app.form_token(EXAMPLE_SLUG).await;
    proxy.cut();
    let r = app
        .post_form(
            &format!("/letters/{EXAMPLE_SLUG}/sign"),
            &[
                ("name", "Pendant Panne"),
                ("email", "pendant@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
                ("form_token", &token),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 503, "an outage is not a server error");
    assert_eq!(
        r.headers().get("retry-after").map(|v| v.to_str().unwrap()),
        Some("5")
    );
    let body = r.text().await.unwrap();
    assert!(body.contains("momentanément indisponible"), "{body}");
    // The form comes back as typed, ready to send again.
    assert!(body.contains("value=\"Pendant Panne\""), "{body}");
    assert!(body.contains("value=\"pendant@example.org\""), "{body}");
    assert!(crate::helpers::extract_form_token(&body).is_some(), "{body}");

    proxy.restore();
    // Each connection the outage killed is found before it is used: every
    // request succeeds, however many times the pool is cycled through.
    for i in 0..pool_size * 3 {
        let r = app.sign_as("Après Panne", &format!("apres{i}@example.org")).await;
        assert_eq!(r.status().as_u16(), 303, "request {i} after the outage");
    }
    let stored = app.row_count("signatures") - before;
    assert_eq!(
        stored as usize,
        pool_size + pool_size * 3,
        "nothing from the outage stored"
    );
}
