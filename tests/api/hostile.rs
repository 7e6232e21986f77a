//! Hostile input against every public form and route: each gets a clear
//! 4xx, never a 5xx, and leaves the database exactly as it was.

use crate::helpers::{spawn_app, TestApp, EXAMPLE_SLUG};
use diesel::prelude::*;
use undersigned::db::schema::{letters, outbox, signatures, tokens};

type Snapshot = (
    Vec<(String, String, String, Option<String>, Option<String>, bool)>,
    i64,
    i64,
    i64,
);

fn snapshot(app: &TestApp) -> Snapshot {
    app.with_conn(|c| {
        let sigs = signatures::table
            .order(signatures::id)
            .select((
                signatures::name,
                signatures::titles,
                signatures::status,
                signatures::email,
                signatures::city,
                signatures::is_public,
            ))
            .load(c)?;
        let t: i64 = tokens::table.count().get_result(c)?;
        let o: i64 = outbox::table.count().get_result(c)?;
        let l: i64 = letters::table.count().get_result(c)?;
        Ok::<_, diesel::result::Error>((sigs, t, o, l))
    })
    .expect("snapshot")
}

struct Hostile {
    what: &'static str,
    method: &'static str,
    path: String,
    body: Vec<u8>,
}

fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish().into_bytes()
}

fn sign_with(token: &str, field: &'static str, value: &str) -> Vec<u8> {
    let mut pairs = vec![
        ("name", "Marie Tremblay"),
        ("email", "marie@example.org"),
        ("visibility", "public"),
        ("consent", "yes"),
        ("form_token", token),
    ];
    pairs.retain(|(k, _)| *k != field);
    pairs.push((field, value));
    form(&pairs)
}

#[actix_web::test]
async fn hostile_input_gets_a_clear_4xx_and_changes_nothing() {
    let app = spawn_app().await;
    // A confirmed signer, whose manage link is attacked below.
    app.sign_as("Cible Légitime", "cible@example.org").await;
    let email = app.wait_for_file_emails("cible@example.org", 1).await.remove(0);
    app.post(&email.confirm_link()).await;
    let manage = email
        .link("/manage/")
        .trim_start_matches(&app.address)
        .to_string();
    app.wait_for_outbox_drained().await;
    let token = app.form_token(EXAMPLE_SLUG).await;
    let sign = format!("/letters/{EXAMPLE_SLUG}/sign");
    let post = |what, path: &str, body: Vec<u8>| Hostile {
        what,
        method: "POST",
        path: path.to_string(),
        body,
    };
    let get = |what, path: &str| Hostile {
        what,
        method: "GET",
        path: path.to_string(),
        body: Vec::new(),
    };
    let many_titles = (0..500).map(|i| format!("T{i}")).collect::<Vec<_>>().join("\n");
    let cases = vec![
        post("oversized body", &sign, vec![b'a'; 200_000]),
        post(
            "oversized name",
            &sign,
            sign_with(&token, "name", &"N".repeat(5_000)),
        ),
        post("NUL in name", &sign, sign_with(&token, "name", "Ma\0rie")),
        post(
            "CR/LF in name",
            &sign,
            sign_with(&token, "name", "Marie\r\nBcc: x@example.org"),
        ),
        post(
            "bidi override in name",
            &sign,
            sign_with(&token, "name", "\u{202E}eiraM"),
        ),
        post(
            "bidi override in a title",
            &sign,
            sign_with(&token, "titles", "Présidente\u{202D}"),
        ),
        post(
            "bidi isolate in city",
            &sign,
            sign_with(&token, "city", "\u{2067}Laval"),
        ),
        post(
            "script in name",
            &sign,
            sign_with(&token, "name", "<script>alert(1)</script>"),
        ),
        post(
            "HTML in name",
            &sign,
            sign_with(&token, "name", "<img src=x onerror=alert(1)>"),
        ),
        post(
            "formula in name",
            &sign,
            sign_with(&token, "name", "=HYPERLINK(\"http://x\",\"y\")"),
        ),
        post(
            "formula with @",
            &sign,
            sign_with(&token, "name", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ),
        post(
            "CR/LF in email",
            &sign,
            sign_with(&token, "email", "a@example.org\r\nBcc: b@example.org"),
        ),
        post(
            "500 title lines",
            &sign,
            sign_with(&token, "titles", &many_titles),
        ),
        post(
            "invalid UTF-8",
            &sign,
            [
                b"name=%C3%28&email=a%40example.org&visibility=public&consent=yes&form_token=".as_slice(),
                token.as_bytes(),
            ]
            .concat(),
        ),
        post(
            "raw invalid UTF-8 bytes",
            &sign,
            [b"name=\xff\xfe\xfd&form_token=".as_slice(), token.as_bytes()].concat(),
        ),
        post(
            "traversal in slug",
            "/letters/..%2F..%2Fetc%2Fpasswd/sign",
            sign_with(&token, "name", "x"),
        ),
        post(
            "dot-dot slug",
            "/letters/%2e%2e/sign",
            sign_with(&token, "name", "x"),
        ),
        post(
            "huge slug",
            &format!("/letters/{}/sign", "a".repeat(5_000)),
            sign_with(&token, "name", "x"),
        ),
        post("garbage confirm token", "/confirm/%00%0d%0a", Vec::new()),
        post(
            "oversized confirm token",
            &format!("/confirm/{}", "f".repeat(10_000)),
            Vec::new(),
        ),
        post("garbage withdraw token", "/withdraw/..%2F..", Vec::new()),
        post(
            "garbage manage token",
            "/manage/%3Cscript%3E",
            form(&[("city", "x"), ("visibility", "public")]),
        ),
        post(
            "bidi in manage city",
            &manage,
            form(&[("city", "\u{202E}x"), ("visibility", "public")]),
        ),
        post(
            "NUL in manage titles",
            &manage,
            form(&[("titles", "a\0b"), ("visibility", "public")]),
        ),
        post(
            "500 manage titles",
            &manage,
            form(&[("titles", &many_titles), ("visibility", "public")]),
        ),
        post(
            "bad manage visibility",
            &manage,
            form(&[("visibility", "everyone")]),
        ),
        post("oversized manage body", &manage, vec![b'x'; 200_000]),
        get("traversal in letter slug", "/letters/..%2F..%2Fetc%2Fpasswd"),
        get("NUL slug", "/letters/%00"),
        get(
            "forged list cursor",
            &format!("/letters/{EXAMPLE_SLUG}/signatories?after=1_%27%20OR%201%3D1"),
        ),
        get("API traversal", "/api/v1/letters/..%2Fsecret"),
        get("unknown manage token", &format!("/manage/{}", "ab".repeat(32))),
        get("manage JSON of a garbage token", "/manage/xyz/data.json"),
    ];
    let wrong_methods = ["PUT", "DELETE", "PATCH"]
        .into_iter()
        .flat_map(|m| {
            [
                "/".to_string(),
                format!("/letters/{EXAMPLE_SLUG}"),
                sign.clone(),
                format!("/letters/{EXAMPLE_SLUG}/signatories"),
                "/confirm/x".to_string(),
                "/withdraw/x".to_string(),
                manage.clone(),
                "/privacy".to_string(),
            ]
            .into_iter()
            .map(move |p| (m, p))
        })
        .collect::<Vec<_>>();

    let before = snapshot(&app);
    for case in &cases {
        let r = app
            .client
            .request(case.method.parse().unwrap(), app.url(&case.path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(case.body.clone())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body = r.text().await.unwrap_or_default();
        assert!((400..500).contains(&status), "{}: got {status}", case.what);
        let clear = body.contains("<h1>") || body.contains("field-error") || body.contains("\"error\":");
        assert!(clear, "{}: no clear message", case.what);
        assert!(
            !body.contains("<script>alert"),
            "{}: markup echoed unescaped",
            case.what
        );
        assert_eq!(snapshot(&app), before, "{}: the database changed", case.what);
    }
    for (method, path) in wrong_methods {
        let r = app
            .client
            .request(method.parse().unwrap(), app.url(&path))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 405, "{method} {path}");
    }
    assert_eq!(snapshot(&app), before);
}
