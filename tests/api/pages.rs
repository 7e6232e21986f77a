use crate::helpers::{letter_source, spawn_app, EXAMPLE_SLUG};
use undersigned::db::letters::{self, LetterStatus};

#[actix_web::test]
async fn home_lists_published_letters_with_counts() {
    let app = spawn_app().await;
    app.publish_source(&letter_source("brouillon-cache", "fr", ""));
    let draft = app
        .with_conn(|c| letters::find_by_slug(c, "brouillon-cache"))
        .unwrap()
        .unwrap();
    app.with_conn(|c| letters::set_status(c, &draft.id, LetterStatus::Draft, undersigned::db::now()))
        .unwrap();

    let (status, body) = app.get_html("/").await;
    assert_eq!(status, 200);
    assert!(body.contains("Lettre ouverte sur l’avenir des coopératives d’habitation"));
    assert!(body.contains(&format!("href=\"/letters/{EXAMPLE_SLUG}\"")));
    // The example has three initial signatories, all counted.
    assert!(body.contains("3 signatures"), "{body}");
    assert!(!body.contains("brouillon-cache"), "a draft must not be listed");
}

#[actix_web::test]
async fn letter_page_shows_the_letter_in_press_layout() {
    let app = spawn_app().await;
    let (status, body) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("<h1>Lettre ouverte sur l’avenir des coopératives d’habitation</h1>"));
    assert!(body.contains("<p class=\"place-date\">Sherbrooke, le 3 mars 2026</p>"));
    assert!(body.contains("Lettre ouverte à la ministre responsable de l’Habitation"));
    // Markdown rendered, typography untouched (no-break spaces included).
    assert!(body.contains("<h2>Ce que nous demandons</h2>"), "{body}");
    assert!(body.contains("la crise du logement\u{a0}: «\u{a0}un toit, une voix\u{a0}»"));
    assert!(body.contains("Nous soussignés appuyons les propositions suivantes\u{a0}:"));
    // Initial signatories in their order, each name then one line per title.
    let marie = body.find("<span class=\"signatory-name\">Marie Tremblay</span><span class=\"signatory-title\">Présidente de la Fédération des coopératives d’habitation de l’Estrie (1998-2006)</span><span class=\"signatory-title\">Officière de l’Ordre national du Québec</span>").expect("Marie with her titles");
    let jf = body
        .find("<span class=\"signatory-name\">Jean-François Côté,</span>")
        .expect("trailing comma kept");
    assert!(marie < jf);
    // Count and progress toward the goal.
    assert!(body.contains("3 signatures"));
    assert!(body.contains("<progress value=\"3\" max=\"1000\""), "{body}");
    assert!(body.contains("3 sur un objectif de 1\u{202f}000"));
    // The form, with every field, posting without JavaScript.
    assert!(body.contains(&format!(
        "<form method=\"post\" action=\"/letters/{EXAMPLE_SLUG}/sign\""
    )));
    for field in [
        "name=\"name\"",
        "name=\"titles\"",
        "name=\"email\"",
        "name=\"city\"",
        "value=\"public\"",
        "value=\"count-only\"",
        "name=\"consent\"",
        "name=\"updates\"",
    ] {
        assert!(body.contains(field), "missing {field}");
    }
    assert!(!body.contains("<script"), "the page needs no JavaScript");
}

#[actix_web::test]
async fn typography_survives_from_file_to_page() {
    let app = spawn_app().await;
    let source = "+++\nslug = \"typo\"\nlanguage = \"fr\"\ntitle = \"« L’été » ; c’est\u{202f}!\"\nplace = \"Trois-Rivières\"\ndate = 2026-06-01\naddressees = \"À qui de droit\"\npreamble = \"Nous soussignés\u{a0}:\"\n[[signatories]]\nname = \"Émile Nelligan,\"\ntitles = [\"Poète — « Le Vaisseau d’or »\"]\n+++\nTexte\u{202f}: « guillemets » et ’apostrophes’.\n";
    app.publish_source(source);
    let (_, body) = app.get_html("/letters/typo").await;
    assert!(body.contains("« L’été » ; c’est\u{202f}!"));
    assert!(body.contains("Trois-Rivières, le 1er juin 2026"));
    assert!(body.contains("Nous soussignés\u{a0}:"));
    assert!(body.contains("Émile Nelligan,"));
    assert!(body.contains("Poète — « Le Vaisseau d’or »"));
    assert!(body.contains("Texte\u{202f}: « guillemets » et ’apostrophes’."));
    let json: serde_json::Value = app.get("/api/v1/letters/typo").await.json().await.unwrap();
    assert_eq!(json["title"], "« L’été » ; c’est\u{202f}!");
}

#[actix_web::test]
async fn language_follows_switch_then_accept_language_then_letter() {
    let app = spawn_app().await;
    app.publish_source(&letter_source("english-letter", "en", ""));
    let path = format!("/letters/{EXAMPLE_SLUG}");

    // The reader's browser language beats the letter's for the interface;
    // the letter's words keep theirs.
    let accepting = |lang: &'static str, path: String| {
        let client = app.client.clone();
        let url = app.url(&path);
        async move {
            let r = client
                .get(url)
                .header("Accept-Language", lang)
                .send()
                .await
                .unwrap();
            r.text().await.unwrap()
        }
    };
    let body = accepting("en", path.clone()).await;
    assert!(
        body.contains("<html lang=\"en\">") && body.contains("Sign the letter"),
        "{body}"
    );
    assert!(body.contains("<article class=\"letter\" lang=\"fr\">"));
    assert!(body.contains("Sherbrooke, le 3 mars 2026"));

    // A browser that asks for a language we do not speak gets the
    // letter's: an English letter is in English, dates included.
    let body = accepting("de-DE", "/letters/english-letter".into()).await;
    assert!(body.contains("<html lang=\"en\">") && body.contains("Sign the letter"));
    assert!(body.contains("Québec, May 26, 2015"), "{body}");
    let body = accepting("fr-CA", "/letters/english-letter".into()).await;
    assert!(body.contains("<html lang=\"fr\">") && body.contains("Signer la lettre"));
    assert!(body.contains("<article class=\"letter\" lang=\"en\">"));

    // An explicit switch wins, sticks through its cookie, and the letter
    // text keeps its own language attribute.
    let r = app.get(&format!("{path}?lang=en")).await;
    assert!(r.headers()["set-cookie"].to_str().unwrap().starts_with("lang=en"));
    let body = r.text().await.unwrap();
    assert!(body.contains("<html lang=\"en\">") && body.contains("Sign the letter"));
    assert!(body.contains("<article class=\"letter\" lang=\"fr\">"));
    // The place-and-date line is the letter's text: in its language.
    assert!(body.contains("Sherbrooke, le 3 mars 2026"));
    let (_, body) = app.get_html(&path).await;
    assert!(body.contains("Sign the letter"), "the cookie keeps the choice");

    // With no letter, Accept-Language decides.
    let fresh = reqwest::Client::new();
    let body = fresh
        .get(app.url("/"))
        .header("Accept-Language", "en-US")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("Open letters"));
}

#[actix_web::test]
async fn unknown_draft_and_malformed_letters_are_404() {
    let app = spawn_app().await;
    app.publish_source(&letter_source("draft-one", "fr", ""));
    let draft = app
        .with_conn(|c| letters::find_by_slug(c, "draft-one"))
        .unwrap()
        .unwrap();
    app.with_conn(|c| letters::set_status(c, &draft.id, LetterStatus::Draft, undersigned::db::now()))
        .unwrap();
    for path in [
        "/letters/no-such-letter",
        "/letters/draft-one",
        "/letters/draft-one/signatories",
        "/letters/..%2F..%2Fetc%2Fpasswd",
        "/letters/UPPER",
        "/letters/%00",
    ] {
        let (status, body) = app.get_html(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("Page introuvable"), "{path}");
    }
    let r = app.get("/api/v1/letters/draft-one").await;
    assert_eq!(r.status().as_u16(), 404);
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["error"], "not_found");
}

#[actix_web::test]
async fn api_returns_the_letter_and_the_page_count() {
    let app = spawn_app().await;
    let r = app.get(&format!("/api/v1/letters/{EXAMPLE_SLUG}")).await;
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(json["slug"], EXAMPLE_SLUG);
    assert_eq!(
        json["title"],
        "Lettre ouverte sur l’avenir des coopératives d’habitation"
    );
    assert_eq!(json["language"], "fr");
    assert_eq!(json["status"], "published");
    assert_eq!(json["signature_count"], 3);
    assert_eq!(json["goal"], 1000);
    assert_eq!(json["date"], "2026-03-03");
}

#[actix_web::test]
async fn closed_letters_show_but_take_no_signatures() {
    let app = spawn_app().await;
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    app.with_conn(|c| letters::set_status(c, &letter.id, LetterStatus::Closed, undersigned::db::now()))
        .unwrap();
    let (status, body) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("Cette lettre ne recueille plus de signatures."));
    assert!(!body.contains("name=\"email\""), "no form on a closed letter");
    let (_, home) = app.get_html("/").await;
    assert!(home.contains("fermée"));
    let json: serde_json::Value = app
        .get(&format!("/api/v1/letters/{EXAMPLE_SLUG}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["status"], "closed");
}

/// `HEAD` is answered wherever `GET` is: the same status and headers, no
/// body. Link checkers and monitors ask that way.
#[actix_web::test]
async fn head_is_answered_wherever_get_is() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in [
        "/".to_string(),
        "/healthz".into(),
        "/privacy".into(),
        format!("/letters/{EXAMPLE_SLUG}"),
        format!("/letters/{EXAMPLE_SLUG}/signatories"),
        format!("/letters/{EXAMPLE_SLUG}/card.svg"),
        format!("/letters/{EXAMPLE_SLUG}/export.csv"),
        "/api/v1/letters".into(),
        "/workspace/sign-in".into(),
        "/letters/no-such-letter".into(),
    ] {
        let get = client.get(app.url(&path)).send().await.unwrap();
        let (status, kind) = (get.status(), get.headers().get("content-type").cloned());
        let length = get.headers().get("content-length").cloned();
        let body = get.bytes().await.unwrap();
        let head = client.head(app.url(&path)).send().await.unwrap();
        assert_eq!(head.status(), status, "HEAD {path}");
        assert_eq!(head.headers().get("content-type").cloned(), kind, "HEAD {path}");
        if length.is_some() {
            assert_eq!(
                head.headers().get("content-length").cloned(),
                Some(body.len().to_string().parse().unwrap()),
                "HEAD {path}"
            );
        }
        assert!(head.bytes().await.unwrap().is_empty(), "HEAD {path} has no body");
    }
}
