//! Public pages carry validators and cache headers, the letter page is
//! served from memory, and a change made through this server shows at once.

use crate::helpers::{extract_form_token, spawn_app_with, EXAMPLE_SLUG};
use std::time::Duration;

fn letter_path() -> String {
    format!("/letters/{EXAMPLE_SLUG}")
}

#[actix_web::test]
async fn letter_page_sends_an_etag_and_answers_304_to_it() {
    let app = spawn_app_with(|_| {}).await;
    let r = app.get(&letter_path()).await;
    assert_eq!(r.status().as_u16(), 200);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let cache_control = r.headers()["cache-control"].to_str().unwrap().to_string();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert!(cache_control.starts_with("public"), "{cache_control}");
    let first = extract_form_token(&r.text().await.unwrap()).expect("a form token");

    let r = app
        .client
        .get(app.url(&letter_path()))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 304);
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    assert!(r.bytes().await.unwrap().is_empty());

    // A cached page still gets a form token of its own, so the minimum
    // filling time counts from this reader's load.
    let (_, body) = app.get_html(&letter_path()).await;
    let second = extract_form_token(&body).expect("a form token");
    let other = app
        .client
        .get(app.url(&letter_path()))
        .header("If-None-Match", "W/\"something-else\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status().as_u16(), 200);
    // Tokens carry the time in milliseconds; two loads may share one, but
    // each is valid for this letter.
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", "Gilles Vigneault"),
                ("email", "gilles@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
                ("form_token", &first),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "a token from the first load works");
    assert!(!second.is_empty());
}

#[actix_web::test]
async fn home_and_signatories_answer_304_when_unchanged() {
    let app = spawn_app_with(|_| {}).await;
    for path in ["/".to_string(), format!("/letters/{EXAMPLE_SLUG}/signatories")] {
        let r = app.get(&path).await;
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let etag = r.headers()["etag"].to_str().unwrap().to_string();
        let r = app
            .client
            .get(app.url(&path))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 304, "{path}");
    }
}

#[actix_web::test]
async fn choosing_a_language_is_never_cached_for_others() {
    let app = spawn_app_with(|_| {}).await;
    let r = app.get(&format!("{}?lang=en", letter_path())).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().contains_key("set-cookie"));
    assert_eq!(
        r.headers()["cache-control"].to_str().unwrap(),
        "private, no-cache"
    );
}

#[actix_web::test]
async fn a_confirmed_signature_shows_at_once_on_the_same_server() {
    // Memory caches that would otherwise hold the page for an hour: only
    // the invalidation can make the new signature appear.
    let app = spawn_app_with(|s| s.count_cache_ttl = Duration::from_secs(3600)).await;
    let r = app.get(&letter_path()).await;
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let before = r.text().await.unwrap();
    assert!(before.contains("3 signatures"), "{before}");
    assert!(!before.contains("Pauline Julien"));

    app.sign_and_confirm("Pauline Julien", "pauline@example.org")
        .await;

    let r = app
        .client
        .get(app.url(&letter_path()))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "the old validator no longer matches");
    let after = r.text().await.unwrap();
    assert!(after.contains("4 signatures"), "{after}");
    assert!(after.contains("Pauline Julien"), "{after}");
}

#[actix_web::test]
async fn the_first_list_page_and_the_letter_json_are_kept_in_memory_until_a_change_here() {
    let app = spawn_app_with(|s| s.count_cache_ttl = Duration::from_secs(3600)).await;
    app.sign_and_confirm("Gilles Vigneault", "gilles@example.org")
        .await;
    let list = format!("/letters/{EXAMPLE_SLUG}/signatories");
    let json = format!("/api/v1/letters/{EXAMPLE_SLUG}");
    let first = app.get(&list).await.text().await.unwrap();
    assert!(first.contains("Gilles Vigneault"), "{first}");
    let count =
        |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap()["signature_count"].clone();
    let before = count(&app.get(&json).await.text().await.unwrap());

    // A change behind this server's back: the kept page does not see it,
    // while a page that is not kept does. This is what lets a letter of a
    // million signatories serve its first page without the database.
    app.with_conn(|c| {
        use diesel::prelude::*;
        use undersigned::db::schema::signatures;
        diesel::update(signatures::table.filter(signatures::name.eq("Gilles Vigneault")))
            .set(signatures::name.eq("Nom Changé En Base"))
            .execute(c)
            .unwrap()
    });
    let kept = app.get(&list).await.text().await.unwrap();
    assert!(kept.contains("Gilles Vigneault") && !kept.contains("Nom Changé En Base"));
    // The same first page behind a parameter the list does not read is the
    // kept copy too: a query string alone never reaches the database.
    let tagged = app
        .get(&format!("{list}?utm_source=courriel"))
        .await
        .text()
        .await
        .unwrap();
    assert!(tagged.contains("Gilles Vigneault") && !tagged.contains("Nom Changé En Base"));
    let fresh = app.get(&format!("{list}?by=name")).await.text().await.unwrap();
    assert!(fresh.contains("Nom Changé En Base"), "{fresh}");

    // A confirmation through this server drops both at once.
    app.sign_and_confirm("Pauline Julien", "pauline@example.org")
        .await;
    let after = app.get(&list).await.text().await.unwrap();
    assert!(after.contains("Pauline Julien"), "{after}");
    assert!(after.contains("Nom Changé En Base"), "{after}");
    let now = count(&app.get(&json).await.text().await.unwrap());
    assert_eq!(
        now.as_i64(),
        before.as_i64().map(|n| n + 1),
        "{before} then {now}"
    );
}

fn gunzip(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut out = String::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_string(&mut out)
        .expect("a gzip body of UTF-8");
    out
}

#[actix_web::test]
async fn pages_go_out_gzipped_to_browsers_with_a_fresh_form_token_each() {
    let app = spawn_app_with(|_| {}).await;
    let get = |path: String, accept: &'static str| {
        let request = app.client.get(app.url(&path));
        async move {
            let request = if accept.is_empty() {
                request
            } else {
                request.header("Accept-Encoding", accept)
            };
            request.send().await.unwrap()
        }
    };
    let header =
        |r: &reqwest::Response, name: &str| r.headers().get(name).map(|v| v.to_str().unwrap().to_string());

    // Scripts that ask for nothing get the page as it is.
    let plain = get(letter_path(), "").await;
    assert_eq!(header(&plain, "content-encoding"), None);
    assert!(header(&plain, "vary").unwrap().contains("Accept-Encoding"));
    let plain_tag = header(&plain, "etag").unwrap();
    let plain_body = plain.text().await.unwrap();
    let plain_token = extract_form_token(&plain_body).expect("a form token");

    // A browser gets it compressed: the same page, its own token.
    let gz = get(letter_path(), "gzip, deflate, br, zstd").await;
    assert_eq!(gz.status().as_u16(), 200);
    assert_eq!(header(&gz, "content-encoding").as_deref(), Some("gzip"));
    let gz_tag = header(&gz, "etag").unwrap();
    assert_ne!(gz_tag, plain_tag, "two representations, two tags");
    let bytes = gz.bytes().await.unwrap();
    let html = gunzip(&bytes);
    assert!(
        bytes.len() * 2 < html.len(),
        "{} bytes for {}",
        bytes.len(),
        html.len()
    );
    let token = extract_form_token(&html).expect("a form token in the compressed page");
    assert_eq!(
        html.replace(&token, "TOKEN"),
        plain_body.replace(&plain_token, "TOKEN"),
        "the page is the same but for its token"
    );

    // Its tag revalidates the compressed copy, not the plain one.
    let again = app
        .client
        .get(app.url(&letter_path()))
        .header("Accept-Encoding", "gzip")
        .header("If-None-Match", &gz_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status().as_u16(), 304);
    let crossed = app
        .client
        .get(app.url(&letter_path()))
        .header("If-None-Match", &gz_tag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        crossed.status().as_u16(),
        200,
        "a plain client never gets a 304 for the gzip copy"
    );

    // A client that refuses gzip gets the plain page.
    let refused = get(letter_path(), "gzip;q=0, identity").await;
    assert_eq!(header(&refused, "content-encoding"), None);
    assert!(refused.text().await.unwrap().contains("<html"));

    // The token from the compressed page signs.
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", "Gilles Vigneault"),
                ("email", "gilles@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
                ("form_token", &token),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "the compressed page's token works");

    // The first list page, the letter JSON and the figures page, kept the
    // same way, too.
    for path in [
        format!("/letters/{EXAMPLE_SLUG}/signatories"),
        format!("/api/v1/letters/{EXAMPLE_SLUG}"),
        format!("/letters/{EXAMPLE_SLUG}/stats"),
    ] {
        let plain = get(path.clone(), "").await.text().await.unwrap();
        let gz = get(path.clone(), "gzip").await;
        assert_eq!(header(&gz, "content-encoding").as_deref(), Some("gzip"), "{path}");
        assert!(header(&gz, "vary").unwrap().contains("Accept-Encoding"), "{path}");
        assert_eq!(gunzip(&gz.bytes().await.unwrap()), plain, "{path}");
    }
}

#[actix_web::test]
async fn a_search_page_is_kept_until_a_change_here_and_a_withdrawal_shows_at_once() {
    let app = spawn_app_with(|s| s.count_cache_ttl = Duration::from_secs(3600)).await;
    let withdraw = app
        .sign_and_confirm("Pauline Julien", "pauline@example.org")
        .await;
    let search = |q: &str| format!("/letters/{EXAMPLE_SLUG}/signatories?q={q}");
    let (status, first) = app.get_html(&search("julien")).await;
    assert_eq!(status, 200);
    assert!(first.contains("Pauline Julien"), "{first}");

    // Behind this server's back: what is kept (the page, and the results
    // it was rendered from) does not see the change. That the page itself
    // is kept is tested in `web::page_cache`; here, that it goes out as a
    // kept page does, compressed and with a tag of its own.
    app.with_conn(|c| {
        use diesel::prelude::*;
        use undersigned::db::schema::signatures;
        diesel::update(signatures::table.filter(signatures::name.eq("Pauline Julien")))
            .set(signatures::name.eq("Pauline Julien Changée"))
            .execute(c)
            .unwrap()
    });
    let r = app
        .client
        .get(app.url(&search("julien")))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["content-encoding"],
        "gzip",
        "kept pages go out compressed"
    );
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let kept = gunzip(&r.bytes().await.unwrap());
    assert_eq!(kept, first, "the same page, from memory");
    let r = app
        .client
        .get(app.url(&search("julien")))
        .header("Accept-Encoding", "gzip")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 304, "a kept page revalidates");

    // Each search as typed, and each language, is a page of its own: the
    // box shows back what this reader typed, in their language.
    let (_, typed) = app.get_html(&search("Julien")).await;
    assert!(typed.contains(r#"name="q" value="Julien""#), "{typed}");
    let (_, english) = app.get_html(&format!("{}&lang=en", search("julien"))).await;
    assert!(english.contains(r#"<html lang="en""#), "{english}");
    assert!(english.contains("Pauline Julien"), "{english}");

    // A withdrawal through this server: no kept search page shows the name
    // again, in any language or spelling of the search.
    let r = app.post(&withdraw).await;
    assert_eq!(r.status().as_u16(), 200);
    for path in [
        search("julien"),
        search("Julien"),
        format!("{}&lang=en", search("julien")),
    ] {
        let (status, page) = app.get_html(&path).await;
        assert_eq!(status, 200);
        assert!(!page.contains("Pauline Julien"), "{path}: {page}");
    }
}

#[actix_web::test]
async fn a_reader_of_stale_figures_is_answered_at_once_and_the_new_ones_follow() {
    let ttl = Duration::from_millis(300);
    let app = spawn_app_with(|s| s.count_cache_ttl = ttl).await;
    let stats = format!("/letters/{EXAMPLE_SLUG}/stats?lang=en");
    let total = |n: u32| format!("<strong>{n} confirmed signatures</strong>");
    let (status, first) = app.get_html(&stats).await;
    assert_eq!(status, 200);
    assert!(
        first.contains(&total(3)),
        "the three initial signatories: {first}"
    );

    app.sign_and_confirm("Pauline Julien", "pauline@example.org")
        .await;
    // After a confirmation the figures go stale once older than the count
    // may be: time passing is what this test is about.
    tokio::time::sleep(ttl + Duration::from_millis(50)).await;
    // The reader who finds them stale is answered from them at once (at a
    // million signatures computing them takes a second), and they are
    // computed again behind it.
    let (status, stale) = app.get_html(&stats).await;
    assert_eq!(status, 200);
    assert!(
        stale.contains(&total(3)),
        "answered from the stale figures: {stale}"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let (_, page) = app.get_html(&stats).await;
        if page.contains(&total(4)) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the new figures never came: {page}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
