//! Operations: the metrics endpoint, a clean stop on SIGTERM, and the
//! settings each database connection carries.

use crate::helpers::{spawn_app, spawn_app_with, wait_until, EXAMPLE_SLUG};
use std::process::{Command, Stdio};

#[actix_web::test]
async fn metrics_are_off_without_a_token_and_need_it_otherwise() {
    let app = spawn_app().await;
    assert_eq!(app.get("/metrics").await.status().as_u16(), 404);

    let app = spawn_app_with(|s| s.metrics_token = Some("jeton-de-metriques".into())).await;
    assert_eq!(app.get("/metrics").await.status().as_u16(), 401);
    let bad = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("faux")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 401);

    app.sign_and_confirm("Mesurée Comptée", "mesure@example.org")
        .await;
    app.wait_for_outbox_drained().await;
    // Counted by the pattern that answered (the route is read after the
    // router chose it), and a path no route takes under one name.
    app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    app.get_html("/letters/pas-de-lettre/nulle-part").await;
    app.get_html("/rien-du-tout").await;
    let r = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth("jeton-de-metriques")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = r.text().await.unwrap();
    for line in [
        "undersigned_signatures_submitted_total 1\n",
        "undersigned_signatures_confirmed_total 1\n",
        "undersigned_signatures_withdrawn_total 0\n",
        "undersigned_email_send_failures_total 0\n",
        "undersigned_outbox_depth 0\n",
        "undersigned_http_requests_total{route=\"/letters/{slug}/sign\",status=\"303\"} 1\n",
        // The sign-and-confirm helper reads the page too.
        "undersigned_http_requests_total{route=\"/letters/{slug}\",status=\"200\"} 2\n",
        "undersigned_http_requests_total{route=\"(unmatched)\",status=\"404\"} 2\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(text.contains("undersigned_emails_sent_total 1\n"), "{text}");
}

#[actix_web::test]
async fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::helpers::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(["serve", "--example", "--bind", &format!("127.0.0.1:{port}")])
        .env_remove("UNDERSIGNED_CONFIG")
        .env("UNDERSIGNED_DATA_DIR", dir.path())
        .env_remove("UNDERSIGNED_DATABASE_URL")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the server");
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}/healthz");
    let mut up = false;
    for _ in 0..400 {
        if client
            .get(&url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert!(up, "the server did not come up");
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = wait_until("the server to exit", || child.try_wait().ok().flatten()).await;
    assert!(exit.success(), "exit status {exit:?}");
    let mut log = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut log).unwrap();
    // The worker was told when the drain began, not once it was over.
    let told = log.find("stop signal: the outbox worker stops while requests drain");
    let stopped = log.find("outbox worker stopped");
    assert!(told.is_some() && told < stopped, "{log}");
    assert!(client.get(&url).send().await.is_err(), "no longer accepting");
}

/// Every pooled connection carries the configured limits: on PostgreSQL a
/// statement past its timeout is cancelled, on SQLite commits wait for
/// the disk when `sqlite_synchronous = full` is chosen.
#[actix_web::test]
async fn connections_carry_the_configured_timeouts_and_durability() {
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::{BigInt, Text};
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Setting {
        #[diesel(sql_type = Text)]
        value: String,
    }
    #[derive(diesel::QueryableByName)]
    struct Sync {
        #[diesel(sql_type = BigInt)]
        synchronous: i64,
    }
    let app = crate::helpers::spawn_app_with(|s| {
        s.database.statement_timeout = std::time::Duration::from_secs(1);
        s.database.lock_timeout = std::time::Duration::from_secs(2);
        s.database.sqlite_sync = undersigned::db::SqliteSync::Full;
    })
    .await;
    let mut conn = app.conn();
    match &mut *conn {
        undersigned::db::DbConn::Pg(pg) => {
            let show = |pg: &mut diesel::PgConnection, name: &str| {
                diesel::sql_query(format!("SELECT current_setting('{name}') AS value"))
                    .get_result::<Setting>(pg)
                    .unwrap()
                    .value
            };
            assert_eq!(show(pg, "statement_timeout"), "1s");
            assert_eq!(show(pg, "lock_timeout"), "2s");
            let e = pg.batch_execute("SELECT pg_sleep(3)").unwrap_err().to_string();
            assert!(e.contains("statement timeout"), "{e}");
        }
        undersigned::db::DbConn::Sqlite(sqlite) => {
            let sync = diesel::sql_query("SELECT synchronous FROM pragma_synchronous")
                .get_result::<Sync>(sqlite)
                .unwrap();
            assert_eq!(sync.synchronous, 2, "FULL");
        }
    }
}

/// On PostgreSQL the outbox's email bodies are compressed with lz4, the
/// cheaper method, and read back whole: an email stored and read through
/// the very columns the migration changed.
#[actix_web::test]
async fn outbox_bodies_are_compressed_with_lz4_on_postgresql_and_read_back_whole() {
    use diesel::sql_types::{Nullable, Text};
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Method {
        #[diesel(sql_type = Nullable<Text>)]
        method: Option<String>,
    }
    // Mail cannot leave (the SMTP port refuses), so the email stays whole.
    let port = crate::helpers::free_port();
    let app = crate::helpers::spawn_app_with(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let mut conn = app.conn();
    let undersigned::db::DbConn::Pg(pg) = &mut *conn else {
        return; // SQLite does not compress rows.
    };
    let lz4_built = diesel::sql_query(
        "SELECT 'yes' AS method FROM pg_settings \
         WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)",
    )
    .get_results::<Method>(pg)
    .unwrap();
    let methods = diesel::sql_query(
        "SELECT CASE attcompression WHEN 'l' THEN 'lz4' WHEN 'p' THEN 'pglz' ELSE NULL END AS method \
         FROM pg_attribute WHERE attrelid = 'outbox'::regclass \
         AND attname IN ('body_text', 'body_html') ORDER BY attname",
    )
    .get_results::<Method>(pg)
    .unwrap();
    let want = if lz4_built.is_empty() {
        None
    } else {
        Some("lz4".to_string())
    };
    assert_eq!(
        methods.into_iter().map(|m| m.method).collect::<Vec<_>>(),
        [want.clone(), want]
    );
    drop(conn);

    // An email long enough to be compressed comes back as it went in. (A
    // signing form's confirmation is queued as its links and written when
    // it leaves; an "already signed" email or a message to signers is
    // queued written, like this one.)
    let html = "<p>Marie-Ève Tremblay-Bouchard, « merci » : votre signature compte.</p>\n".repeat(40);
    let email = undersigned::db::outbox::NewEmail {
        kind: "already_signed",
        recipient: "lz4@example.org".into(),
        subject: "Déjà signé".into(),
        text: "t".into(),
        html: html.clone(),
        unsubscribe: None,
        sender_name: None,
        reply_to: None,
    };
    app.with_conn(|conn| undersigned::db::outbox::insert(conn, &email, undersigned::db::now()))
        .unwrap();
    let body: String = app.with_conn(|conn| {
        use diesel::prelude::*;
        use undersigned::db::schema::outbox;
        outbox::table
            .filter(outbox::recipient.eq("lz4@example.org"))
            .select(outbox::body_html)
            .first(conn)
            .unwrap()
    });
    assert!(body.len() > 2_000, "long enough to be compressed: {}", body.len());
    assert_eq!(body, html);
}
