//! The public JSON API: shapes, pagination, caching, CORS, errors and its
//! OpenAPI document.

use crate::helpers::{spawn_app, EXAMPLE_SLUG};
use serde_json::Value;

#[actix_web::test]
async fn lists_public_letters_with_counts_and_versions() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/letters").await;
    assert_eq!(r.status().as_u16(), 200);
    let json: Value = r.json().await.unwrap();
    let letters = json["letters"].as_array().expect("letters array");
    assert_eq!(letters.len(), 1);
    assert_eq!(letters[0]["slug"], EXAMPLE_SLUG);
    assert_eq!(letters[0]["signature_count"], 3);

    let one: Value = app
        .get(&format!("/api/v1/letters/{EXAMPLE_SLUG}"))
        .await
        .json()
        .await
        .unwrap();
    let versions = one["versions"].as_array().expect("versions array");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["number"], 1);
    assert!(versions[0]["published_at"].is_string(), "{one}");
}

#[actix_web::test]
async fn signatories_start_with_initial_ones_and_hide_emails_and_count_only_signers() {
    let app = spawn_app().await;
    app.sign_and_confirm("Lucie Publique", "lucie@example.org").await;
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", "Discrète Personne"),
                ("email", "discrete@example.org"),
                ("visibility", "count-only"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let emails = app.wait_for_file_emails("discrete@example.org", 1).await;
    assert_eq!(app.post(&emails[0].confirm_link()).await.status().as_u16(), 200);

    let r = app
        .get(&format!("/api/v1/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let text = r.text().await.unwrap();
    assert!(!text.contains("example.org"), "an email leaked: {text}");
    assert!(
        !text.contains("Discrète"),
        "a count-only signer is listed: {text}"
    );
    let json: Value = serde_json::from_str(&text).unwrap();
    let list = json["signatories"].as_array().unwrap();
    let names: Vec<&str> = list.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 4, "{text}");
    assert_eq!(names[0], "Marie Tremblay");
    assert_eq!(names[3], "Lucie Publique");
    assert_eq!(list[0]["initial"], true);
    assert_eq!(list[3]["initial"], false);
    assert!(list[0]["titles"].as_array().unwrap().len() >= 2);
    assert!(json["next"].is_null());
    assert_eq!(app.api_count(EXAMPLE_SLUG).await, 5);
}

#[actix_web::test]
async fn pages_follow_the_cursor_without_repeating_initial_signatories() {
    let app = spawn_app().await;
    app.sign_and_confirm("Lucie Publique", "lucie@example.org").await;
    let (_, html) = app
        .get_html(&format!("/letters/{EXAMPLE_SLUG}/signatories"))
        .await;
    assert!(html.contains("Lucie Publique"));
    let bad = app
        .get(&format!(
            "/api/v1/letters/{EXAMPLE_SLUG}/signatories?after=nonsense"
        ))
        .await;
    assert_eq!(bad.status().as_u16(), 400);
    let json: Value = bad.json().await.unwrap();
    assert_eq!(json["error"], "bad_cursor");
    // A cursor at the epoch is before everyone: the second page holds only
    // the public tier.
    let cursor = "0_00000000-0000-0000-0000-000000000000";
    let json: Value = app
        .get(&format!(
            "/api/v1/letters/{EXAMPLE_SLUG}/signatories?after={cursor}"
        ))
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = json["signatories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Lucie Publique"]);
}

#[actix_web::test]
async fn the_count_is_cacheable() {
    let app = spawn_app().await;
    let r = app.get(&format!("/api/v1/letters/{EXAMPLE_SLUG}/count")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["cache-control"], "public, max-age=5");
    let json: Value = r.json().await.unwrap();
    assert_eq!(json["signature_count"], 3);
    assert_eq!(json["goal"], 1000);
}

#[actix_web::test]
async fn any_site_may_read_it_from_a_browser() {
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    let url = app.url(&format!("/api/v1/letters/{EXAMPLE_SLUG}"));
    let r = client
        .get(&url)
        .header("Origin", "https://example.net")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let r = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "https://example.net")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("GET"));
}

#[actix_web::test]
async fn errors_are_json_with_a_client_status() {
    let app = spawn_app().await;
    for (path, status, code) in [
        ("/api/v1/letters/nope", 404, "not_found"),
        ("/api/v1/letters/nope/count", 404, "not_found"),
        ("/api/v1/letters/nope/signatories", 404, "not_found"),
        ("/api/v1/nothing-here", 404, "not_found"),
    ] {
        let r = app.get(path).await;
        assert_eq!(r.status().as_u16(), status, "{path}");
        let json: Value = r.json().await.unwrap();
        assert_eq!(json["error"], code, "{path}");
    }
    let r = app.post(&app.url("/api/v1/letters")).await;
    assert_eq!(r.status().as_u16(), 405);
    let json: Value = r.json().await.unwrap();
    assert_eq!(json["error"], "method_not_allowed");
}

#[actix_web::test]
async fn serves_its_openapi_document() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/openapi.json").await;
    assert_eq!(r.status().as_u16(), 200);
    let json: Value = r.json().await.unwrap();
    assert!(json["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/letters",
        "/api/v1/letters/{slug}",
        "/api/v1/letters/{slug}/signatories",
        "/api/v1/letters/{slug}/count",
        "/api/v1/openapi.json",
    ] {
        assert!(json["paths"][path].is_object(), "{path} missing");
    }
}
