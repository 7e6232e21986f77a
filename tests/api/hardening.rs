//! Abuse resistance: rate limits, bot traps, forged forms, duplicate
//! addresses in disguise, and the enumeration guarantee.

use crate::helpers::{spawn_app, spawn_app_with, TestApp, EXAMPLE_SLUG};
use std::time::Duration;
use undersigned::web::limits::Limit;

fn sign_path() -> String {
    format!("/letters/{EXAMPLE_SLUG}/sign")
}

async fn post_sign_from(app: &TestApp, forwarded_for: Option<&str>, email: &str) -> reqwest::Response {
    let token = app.form_token(EXAMPLE_SLUG).await;
    let mut req = app.client.post(app.url(&sign_path())).form(&[
        ("name", "Limitée Lavoie"),
        ("email", email),
        ("visibility", "public"),
        ("consent", "yes"),
        ("form_token", token.as_str()),
    ]);
    if let Some(xff) = forwarded_for {
        req = req.header("X-Forwarded-For", xff);
    }
    req.send().await.unwrap()
}

#[actix_web::test]
async fn signing_is_rate_limited_and_the_form_survives() {
    let app = spawn_app_with(|s| {
        s.rate_limits_enabled = true;
        s.limits.sign = Limit {
            burst: 2,
            per_minute: 1,
        };
    })
    .await;
    for i in 0..2 {
        let r = post_sign_from(&app, None, &format!("ok{i}@example.org")).await;
        assert_eq!(r.status().as_u16(), 303, "request {i} is within the burst");
    }
    let before = app.row_count("signatures");
    let r = post_sign_from(&app, None, "third@example.org").await;
    assert_eq!(r.status().as_u16(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=61).contains(&retry), "{retry}");
    let body = r.text().await.unwrap();
    assert!(
        body.contains(&format!("Réessayez dans {retry} secondes")),
        "{body}"
    );
    assert!(
        body.contains("value=\"Limitée Lavoie\""),
        "the typed name is kept"
    );
    assert!(
        body.contains("value=\"third@example.org\""),
        "the typed email is kept"
    );
    assert_eq!(app.row_count("signatures"), before, "nothing stored");
}

#[actix_web::test]
async fn searches_share_one_quota_across_the_page_and_the_api() {
    let app = spawn_app_with(|s| {
        s.rate_limits_enabled = true;
        s.limits.search = Limit {
            burst: 3,
            per_minute: 1,
        };
        s.count_cache_ttl = Duration::from_secs(3600);
    })
    .await;
    let page = |q: &str| format!("/letters/{EXAMPLE_SLUG}/signatories?q={q}");
    let api = |q: &str| format!("/api/v1/letters/{EXAMPLE_SLUG}/signatories?q={q}");
    // A refused query and the plain list reach no search: they count for nothing.
    for _ in 0..5 {
        assert_eq!(app.get(&page("x")).await.status().as_u16(), 400);
        assert_eq!(app.get(&api("x")).await.status().as_u16(), 400);
        assert_eq!(
            app.get(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
                .await
                .status()
                .as_u16(),
            200
        );
    }
    // Three searches, by either door, use the burst.
    assert_eq!(app.get(&page("vigneault")).await.status().as_u16(), 200);
    assert_eq!(app.get(&api("julien")).await.status().as_u16(), 200);
    assert_eq!(app.get(&page("tremblay")).await.status().as_u16(), 200);

    let r = app.get(&api("lavoie")).await;
    assert_eq!(r.status().as_u16(), 429);
    let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=61).contains(&retry), "{retry}");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");

    let r = app.get(&page("lavoie")).await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(r.headers()["cache-control"], "no-store");
    let body = r.text().await.unwrap();
    // The list page again, with the search still in its box and the reason
    // beside it, not a bare error page.
    assert!(
        body.contains("Trop de recherches depuis votre connexion. Réessayez dans"),
        "{body}"
    );
    assert!(body.contains(r#"name="q" value="lavoie""#), "{body}");
    assert!(!body.contains("ce que vous avez saisi"), "{body}");
    let r = app.get(&format!("{}&lang=en", page("lavoie"))).await;
    assert_eq!(r.status().as_u16(), 429);
    let body = r.text().await.unwrap();
    assert!(body.contains("Too many searches from your connection."), "{body}");
    // A page of another site reading the API may see how long to wait.
    let r = app
        .client
        .get(app.url(&api("lavoie")))
        .header("Origin", "https://other.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    let exposed = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("retry-after"), "{exposed}");
    // A search already answered is kept, and answering it again costs
    // nothing: it is not charged, by either door.
    assert_eq!(app.get(&page("vigneault")).await.status().as_u16(), 200);
    assert_eq!(app.get(&api("vigneault")).await.status().as_u16(), 200);
    assert_eq!(app.get(&api("julien")).await.status().as_u16(), 200);
    // Nor is an API search of a letter that is not there.
    let r = app
        .get("/api/v1/letters/no-such-letter/signatories?q=lavoie")
        .await;
    assert_eq!(r.status().as_u16(), 404);
    // Reading the letter and its list is never limited by searching.
    assert_eq!(
        app.get(&format!("/letters/{EXAMPLE_SLUG}"))
            .await
            .status()
            .as_u16(),
        200
    );
    assert_eq!(
        app.get(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
            .await
            .status()
            .as_u16(),
        200
    );
}

#[actix_web::test]
async fn a_client_cannot_choose_its_key_with_x_forwarded_for() {
    // No trusted proxy: the header is ignored, so changing it changes nothing.
    let app = spawn_app_with(|s| {
        s.rate_limits_enabled = true;
        s.limits.sign = Limit {
            burst: 1,
            per_minute: 1,
        };
    })
    .await;
    assert_eq!(
        post_sign_from(&app, Some("1.1.1.1"), "a@example.org")
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        post_sign_from(&app, Some("2.2.2.2"), "b@example.org")
            .await
            .status()
            .as_u16(),
        429
    );
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_real_client_is_the_key() {
    let app = spawn_app_with(|s| {
        s.rate_limits_enabled = true;
        s.limits.sign = Limit {
            burst: 1,
            per_minute: 1,
        };
        s.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    // Two clients behind the proxy are limited apart.
    assert_eq!(
        post_sign_from(&app, Some("198.51.100.1"), "a@example.org")
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        post_sign_from(&app, Some("198.51.100.2"), "b@example.org")
            .await
            .status()
            .as_u16(),
        303
    );
    // A client prepending a forged address is still keyed by the address the
    // proxy saw.
    let r = post_sign_from(&app, Some("203.0.113.66, 198.51.100.1"), "c@example.org").await;
    assert_eq!(r.status().as_u16(), 429);
    // IPv6 clients share their /64.
    assert_eq!(
        post_sign_from(&app, Some("2001:db8:1:2::1"), "d@example.org")
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        post_sign_from(&app, Some("2001:db8:1:2::99"), "e@example.org")
            .await
            .status()
            .as_u16(),
        429
    );
}

#[actix_web::test]
async fn confirming_is_rate_limited_too() {
    let app = spawn_app_with(|s| {
        s.rate_limits_enabled = true;
        s.limits.confirm = Limit {
            burst: 1,
            per_minute: 1,
        };
    })
    .await;
    let unknown = format!("/confirm/{}", "ab".repeat(32));
    assert_eq!(app.post(&app.url(&unknown)).await.status().as_u16(), 404);
    let r = app.post(&app.url(&unknown)).await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("Trop de tentatives"));
}

#[actix_web::test]
async fn a_hurried_form_is_shown_again_and_a_honeypot_gets_the_usual_page() {
    let app = spawn_app_with(|s| s.min_fill = Duration::from_secs(60)).await;
    let valid = [
        ("name", "Robot Rapide"),
        ("email", "bot@example.org"),
        ("visibility", "public"),
        ("consent", "yes"),
    ];
    // Posted within a second of loading the page: shown again, not stored.
    let r = app.sign(EXAMPLE_SLUG, &valid).await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("value=\"Robot Rapide\""));
    assert_eq!(app.row_count("signatures"), 3);
    assert_eq!(app.row_count("outbox"), 0);

    let app = spawn_app().await;
    let mut with_trap = valid.to_vec();
    with_trap.push(("website", "http://spam.example"));
    let r = app.sign(EXAMPLE_SLUG, &with_trap).await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(app.row_count("signatures"), 3);
    assert_eq!(app.row_count("outbox"), 0);
    assert!(app.file_emails("bot@example.org").is_empty());
}

#[actix_web::test]
async fn a_forged_or_missing_form_token_is_refused_and_the_form_kept() {
    let app = spawn_app().await;
    for token in ["", "123.deadbeef", "garbage"] {
        let r = app
            .sign(
                EXAMPLE_SLUG,
                &[
                    ("name", "Marie Forgée"),
                    ("email", "forge@example.org"),
                    ("visibility", "public"),
                    ("consent", "yes"),
                    ("form_token", token),
                ],
            )
            .await;
        assert_eq!(r.status().as_u16(), 422, "token {token:?}");
        let body = r.text().await.unwrap();
        assert!(body.contains("Ce formulaire a expiré"), "{body}");
        assert!(body.contains("value=\"Marie Forgée\""));
        assert!(
            crate::helpers::extract_form_token(&body).is_some_and(|t| !t.is_empty()),
            "a fresh token"
        );
    }
    // A token from another letter does not fit this one.
    app.publish_source(&crate::helpers::letter_source("autre-lettre", "fr", ""));
    let other = app.form_token("autre-lettre").await;
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", "Marie"),
                ("email", "m@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
                ("form_token", other.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(app.row_count("signatures"), 3);
}

#[actix_web::test]
async fn disguised_duplicates_are_one_signature() {
    let app = spawn_app_with(|s| s.max_sends_per_address = 10).await;
    app.sign_as("Jean Tremblay", "jean.tremblay+lettre@gmail.com")
        .await;
    app.sign_as("Jean Tremblay", "JeanTremblay@googlemail.com").await;
    app.sign_as("Jean Tremblay", "j.e.a.n.tremblay@gmail.com").await;
    assert_eq!(
        app.row_count("signatures"),
        4,
        "three disguises of one address, one row"
    );
    // Mail goes to the address last typed.
    app.wait_for_file_emails("j.e.a.n.tremblay@gmail.com", 1).await;
}

#[actix_web::test]
async fn the_answer_reveals_nothing_about_who_signed() {
    let app = spawn_app_with(|s| s.max_sends_per_address = 10).await;
    app.sign_and_confirm("Déjà Là", "confirmed@example.org").await;
    app.sign_as("En Attente", "pending@example.org").await;

    let mut answers = Vec::new();
    for email in ["new@example.org", "pending@example.org", "confirmed@example.org"] {
        let r = app.sign_as("Quelqu’un", email).await;
        let status = r.status().as_u16();
        let mut headers: Vec<(String, String)> = r
            .headers()
            .iter()
            .filter(|(k, _)| *k != "date")
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        headers.sort();
        let body = r.bytes().await.unwrap();
        answers.push((status, headers, body));
    }
    assert_eq!(answers[0].0, 303);
    assert_eq!(answers[0], answers[1], "new and pending answer alike");
    assert_eq!(answers[1], answers[2], "pending and confirmed answer alike");
}

#[actix_web::test]
async fn hsts_only_behind_https() {
    let app = spawn_app().await;
    assert!(!app
        .get("/")
        .await
        .headers()
        .contains_key("strict-transport-security"));
    let app = spawn_app_with(|s| s.base_url = Some("https://lettres.example.org".into())).await;
    let r = app.get("/").await;
    assert!(r.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
}
