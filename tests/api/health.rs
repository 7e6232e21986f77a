use crate::helpers::spawn_app;

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
