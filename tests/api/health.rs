use crate::helpers::{allow_writes, free_port, refuse_writes, spawn_app, spawn_app_with};
use undersigned::app::Application;

#[actix_web::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let r = app.get("/healthz").await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.text().await.unwrap(), "ok");
}

#[actix_web::test]
async fn unknown_pages_are_translated_404s() {
    let app = spawn_app().await;
    let (status, body) = app.get_html("/no/such/page").await;
    assert_eq!(status, 404);
    assert!(body.contains("Page introuvable"), "{body}");
    assert!(body.contains("<html lang=\"fr\">"));

    let r = app
        .client
        .get(app.url("/no/such/page"))
        .header("Accept-Language", "en-CA,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.text().await.unwrap().contains("Page not found"));
}

#[actix_web::test]
async fn wrong_methods_get_405_not_500() {
    let app = spawn_app().await;
    for (method, path) in [
        ("DELETE", "/"),
        ("PUT", "/healthz"),
        ("POST", "/letters/avenir-cooperatives-habitation"),
        ("DELETE", "/letters/avenir-cooperatives-habitation/sign"),
        ("PUT", "/confirm/abc"),
        ("PATCH", "/withdraw/abc"),
    ] {
        let r = app
            .client
            .request(method.parse().unwrap(), app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 405, "{method} {path}");
        assert!(r.text().await.unwrap().contains("Action impossible"));
    }
}

#[actix_web::test]
async fn responses_carry_security_headers() {
    let app = spawn_app().await;
    let r = app.get("/").await;
    let h = r.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert!(h.contains_key("referrer-policy"));
}

async fn readiness(app: &crate::helpers::TestApp) -> (u16, serde_json::Value, Option<String>) {
    let r = app.get("/readyz").await;
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap_or_default().to_string());
    (status, r.json().await.expect("readiness JSON"), retry)
}

#[actix_web::test]
async fn readyz_checks_a_read_a_write_and_the_outbox() {
    // Mail to a port where nothing listens waits in the outbox.
    let app = spawn_app_with(|s| s.smtp_url = Some(format!("smtp://127.0.0.1:{}", free_port()))).await;
    let (status, body, _) = readiness(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ready"], true);
    assert_eq!(body["database"], "ok");
    assert_eq!(body["writes"], "ok");
    assert_eq!(body["outbox"]["waiting"], 0);
    assert!(body["outbox"]["oldest_waiting_seconds"].is_null());

    assert_eq!(
        app.sign_as("Attente Postale", "attente@example.org")
            .await
            .status()
            .as_u16(),
        303
    );
    let (status, body, _) = readiness(&app).await;
    assert_eq!(
        status, 200,
        "mail that waits does not make a node unready: {body}"
    );
    assert_eq!(body["outbox"]["waiting"], 1);
    assert!(body["outbox"]["oldest_waiting_seconds"]
        .as_i64()
        .is_some_and(|s| s >= 0));

    // A database that answers but cannot write: unready, while liveness
    // stays up so that nothing restarts the process for it.
    app.with_conn(|c| refuse_writes(c, "probes", "1 = 1"));
    let (status, body, retry) = readiness(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["ready"], false);
    assert_eq!(body["database"], "ok");
    assert!(
        body["writes"]
            .as_str()
            .is_some_and(|w| w.contains("full") || w.contains("space")),
        "{body}"
    );
    assert_eq!(retry.as_deref(), Some("5"));
    assert_eq!(app.get("/healthz").await.status().as_u16(), 200);

    app.with_conn(|c| allow_writes(c, "probes"));
    assert_eq!(readiness(&app).await.0, 200);
}

#[actix_web::test]
async fn a_database_that_takes_no_writes_is_refused_at_start_up() {
    let app = spawn_app().await;
    app.with_conn(|c| refuse_writes(c, "probes", "1 = 1"));
    let mut settings = app.settings.clone();
    settings.bind = "127.0.0.1:0".into();
    let refused = match Application::build(&settings) {
        Ok(_) => panic!("a server started on a database that refuses writes"),
        Err(e) => e.to_string(),
    };
    assert!(refused.contains("does not take writes"), "{refused}");
    assert!(
        refused.contains(&settings.database_url.redacted()),
        "names the database: {refused}"
    );
    assert!(refused.contains("disk has room"), "says what to check: {refused}");
}

#[actix_web::test]
async fn an_outbox_folder_that_takes_no_files_is_refused_at_start_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A file where the folder should be: no user, root included, can write
    // emails into it.
    let outbox = dir.path().join("outbox");
    std::fs::write(&outbox, b"not a folder").expect("write");
    let refused = match undersigned::mail::Mailer::file(&outbox) {
        Ok(_) => panic!("an outbox that is not a folder was accepted"),
        Err(e) => e.to_string(),
    };
    assert!(refused.contains(&outbox.display().to_string()), "{refused}");
    assert!(refused.contains("UNDERSIGNED_SMTP_URL"), "{refused}");
}
