//! Whom a request counts against behind proxies, and a signing form shown
//! again (after an error, or sent too fast) keeping the time it was first
//! served.

use crate::helpers::{extract_form_token, spawn_app_with, TestApp, EXAMPLE_SLUG};
use std::time::Duration;
use undersigned::web::limits::Limit;

fn sign_path() -> String {
    format!("/letters/{EXAMPLE_SLUG}/sign")
}

/// Posts a valid signature at `base` (the server's address, or another name
/// for it) with one `X-Forwarded-For` line per entry of `lines`, as a proxy
/// that adds its own line rather than appending to the client's sends it.
async fn sign_with_lines(app: &TestApp, base: &str, lines: &[&str], email: &str) -> u16 {
    let page = app
        .client
        .get(format!("{base}/letters/{EXAMPLE_SLUG}"))
        .send()
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    let token = extract_form_token(&page).expect("a form token");
    let mut req = app.client.post(format!("{base}{}", sign_path())).form(&[
        ("name", "Cliente Derrière-Proxy"),
        ("email", email),
        ("visibility", "public"),
        ("consent", "yes"),
        ("form_token", token.as_str()),
    ]);
    for line in lines {
        // reqwest appends: each value goes out on a header line of its own.
        req = req.header("X-Forwarded-For", *line);
    }
    req.send().await.expect("POST").status().as_u16()
}

fn one_signature_each(s: &mut undersigned::config::Settings) {
    s.rate_limits_enabled = true;
    s.limits.sign = Limit {
        burst: 1,
        per_minute: 1,
    };
}

#[actix_web::test]
async fn a_proxy_line_of_its_own_decides_the_key() {
    let app = spawn_app_with(|s| {
        one_signature_each(s);
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let base = app.address.clone();
    // Two clients sending the same forged line are told apart by the line
    // the proxy adds.
    assert_eq!(
        sign_with_lines(&app, &base, &["6.6.6.6", "198.51.100.3"], "c@example.org").await,
        303
    );
    assert_eq!(
        sign_with_lines(&app, &base, &["6.6.6.6", "198.51.100.4"], "d@example.org").await,
        303,
        "another client, another key"
    );
    // A client naming someone else's address spends its own quota only.
    assert_eq!(
        sign_with_lines(&app, &base, &["198.51.100.2", "198.51.100.1"], "a@example.org").await,
        303
    );
    assert_eq!(
        sign_with_lines(&app, &base, &["198.51.100.2", "198.51.100.1"], "a2@example.org").await,
        429,
        "the forger is limited"
    );
    assert_eq!(
        sign_with_lines(&app, &base, &["198.51.100.2"], "b@example.org").await,
        303,
        "the address it named is not"
    );
    // Trusted hops on later lines are skipped too.
    assert_eq!(
        sign_with_lines(&app, &base, &["198.51.100.5", "127.0.0.1"], "e@example.org").await,
        303
    );
    assert_eq!(
        sign_with_lines(&app, &base, &["198.51.100.5"], "e2@example.org").await,
        429,
        "the same client either way"
    );
}

#[actix_web::test]
async fn a_trusted_ipv4_proxy_is_recognised_on_a_dual_stack_bind() {
    if std::net::TcpListener::bind("[::]:0").is_err() {
        eprintln!("no IPv6 on this machine: the dual-stack case cannot be run");
        return;
    }
    let app = spawn_app_with(|s| {
        one_signature_each(s);
        // Listening on every IPv6 address takes IPv4 too: an IPv4 proxy
        // arrives as ::ffff:127.0.0.1.
        s.bind = "[::]:0".into();
        s.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    })
    .await;
    let port = app.address.rsplit(':').next().expect("a port");
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(
        sign_with_lines(&app, &base, &["198.51.100.1"], "a@example.org").await,
        303
    );
    assert_eq!(
        sign_with_lines(&app, &base, &["198.51.100.2"], "b@example.org").await,
        303,
        "clients behind the proxy do not share its key"
    );
    assert_eq!(
        sign_with_lines(&app, &base, &["198.51.100.1"], "a2@example.org").await,
        429,
        "each client has its own"
    );
}

fn missing_consent<'a>(email: &'a str, token: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", "Signataire Pressée"),
        ("email", email),
        ("visibility", "public"),
        ("form_token", token),
    ]
}

/// The same form with its consent ticked.
fn complete<'a>(email: &'a str, token: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = missing_consent(email, token);
    form.push(("consent", "yes"));
    form
}

/// Posts `form` and checks it signed: one more signature than `before`, and
/// its confirmation sent to `email`.
async fn assert_signs(app: &TestApp, form: &[(&str, &str)], email: &str, before: i64) {
    let r = app.post_form(&sign_path(), form).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.row_count("signatures"), before + 1, "the signature is stored");
    let emails = app.wait_for_file_emails(email, 1).await;
    assert_eq!(emails.len(), 1, "and its confirmation is sent");
}

fn issued_ms(token: &str) -> &str {
    token.split_once('.').map(|(t, _)| t).unwrap_or("")
}

#[actix_web::test]
async fn fixing_a_form_error_quickly_keeps_the_signature() {
    let min_fill = Duration::from_millis(1500);
    let app = spawn_app_with(|s| s.min_fill = min_fill).await;
    let email = "pressee@example.org";
    let token = app.form_token(EXAMPLE_SLUG).await;
    // The signer takes their time over the form: time passing is what this
    // test is about, not a stand-in for waiting on something. (A little
    // more, for the wall clock the token reads.)
    tokio::time::sleep(min_fill + Duration::from_millis(50)).await;
    let before = app.row_count("signatures");

    let r = app.post_form(&sign_path(), &missing_consent(email, &token)).await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("value=\"Signataire Pressée\""), "the form is kept");
    let again = extract_form_token(&body).expect("a form token on the error page");
    assert_eq!(
        issued_ms(&again),
        issued_ms(&token),
        "the token shown again carries the first serve time"
    );

    // Ticked at once and sent again, well within the minimum filling time
    // of the error page.
    assert_signs(&app, &complete(email, &again), email, before).await;
}

#[actix_web::test]
async fn a_form_sent_too_fast_comes_back_as_typed_and_nothing_is_stored() {
    let app = spawn_app_with(|s| s.min_fill = Duration::from_secs(60)).await;
    let before = (app.row_count("signatures"), app.row_count("outbox"));
    let token = app.form_token(EXAMPLE_SLUG).await;
    // Sent at once, without consent: told both, not "check your email".
    let r = app
        .post_form(&sign_path(), &missing_consent("presse@example.org", &token))
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.expect("body");
    assert!(body.contains("Le formulaire est parti très vite"), "says why");
    assert!(body.contains("value=\"Signataire Pressée\""), "the form is kept");
    assert!(body.contains("value=\"presse@example.org\""), "the address too");
    assert!(body.contains("id=\"consent-error\""), "and the field to fix");
    let again = extract_form_token(&body).expect("a form token on the page");
    assert_eq!(issued_ms(&again), issued_ms(&token), "with its first serve time");
    // A forged token gets the form back with a token issued now, which is as
    // young as ever when posted at once.
    let forged = format!("{}.{}", 1, "0".repeat(64));
    let r = app
        .post_form(&sign_path(), &missing_consent("bot@example.org", &forged))
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let again = extract_form_token(&r.text().await.expect("body")).expect("a form token");
    let r = app
        .post_form(&sign_path(), &complete("bot@example.org", &again))
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(
        (app.row_count("signatures"), app.row_count("outbox")),
        before,
        "nothing stored or sent"
    );
    assert!(app.file_emails("presse@example.org").is_empty());
    assert!(app.file_emails("bot@example.org").is_empty());
}

#[actix_web::test]
async fn a_form_sent_too_fast_signs_when_sent_again_after_its_time() {
    let min_fill = Duration::from_millis(1500);
    let app = spawn_app_with(|s| s.min_fill = min_fill).await;
    let email = "pressee@example.org";
    let token = app.form_token(EXAMPLE_SLUG).await;
    let before = app.row_count("signatures");
    let r = app.post_form(&sign_path(), &complete(email, &token)).await;
    assert_eq!(r.status().as_u16(), 422, "sent before its time");
    let again = extract_form_token(&r.text().await.expect("body")).expect("a form token");
    assert_eq!(app.row_count("signatures"), before);

    // The signer reads the message and sends again: time passing is what
    // this test is about. (A little more, for the wall clock the token reads.)
    tokio::time::sleep(min_fill + Duration::from_millis(50)).await;
    assert_signs(&app, &complete(email, &again), email, before).await;
}
