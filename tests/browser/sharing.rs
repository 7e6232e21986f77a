//! Passing a letter on: the share block after signing, and the widget at
//! its documented height on another site, from 280 pixels wide up.

use crate::driver::{run_all, Browser};
use crate::embed::host;
use crate::helpers::{letter_source, spawn_app, TestApp, EXAMPLE_SLUG};
use undersigned::domain::Lang;

/// A letter in the browser's language, and its count.
fn letter_for(app: &TestApp, lang: Lang) -> (String, i64) {
    match lang {
        Lang::FR => (EXAMPLE_SLUG.to_string(), 3),
        _ => {
            app.publish_source(&letter_source("open-letter", "en", ""));
            ("open-letter".to_string(), 0)
        }
    }
}

/// The share block shows `count` and its links; with JavaScript on, the
/// copy button shows too.
async fn shows_the_share_block(b: &Browser, count: i64, letter_url: &str) {
    assert_eq!(b.text(".share .count-figure").await, b.count_text(count));
    let facebook = b.attr(".share a[data-share=facebook]", "href").await;
    let encoded: String = form_urlencoded::byte_serialize(letter_url.as_bytes()).collect();
    assert!(facebook.ends_with(&encoded), "{facebook}");
    for id in ["email", "facebook", "x", "linkedin", "whatsapp"] {
        let link = b.find(&format!(".share a[data-share={id}]")).await;
        assert!(link.is_displayed().await.unwrap(), "{id} link hidden");
    }
    // share.js ran (the CSP let it) and showed the button it can serve.
    let copy = b.find(".share [data-share-copy]").await;
    let deadline = std::time::Instant::now() + crate::helpers::PATIENCE;
    while !copy.is_displayed().await.unwrap() {
        assert!(
            std::time::Instant::now() < deadline,
            "the copy button stays hidden"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(copy.text().await.unwrap(), b.t("sharing-copy"));
}

#[actix_web::test]
async fn after_signing_the_reader_is_invited_to_share() {
    run_all("share-after-signing", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let (slug, before) = letter_for(&app, b.lang);
            let letter_url = app.url(&format!("/letters/{slug}"));
            b.goto(&letter_url).await;
            b.type_into("#name", "Ada Lovelace").await;
            b.type_into("#email", "ada@example.org").await;
            b.click("#consent").await;
            b.click("#sign form button[type=submit]").await;
            b.wait_for_heading(&b.t("check-email-heading")).await;
            shows_the_share_block(b, before, &letter_url).await;
            b.check_page("check-email", true).await;

            let emails = app.wait_for_file_emails("ada@example.org", 1).await;
            b.goto(&emails[0].confirm_link()).await;
            b.click("main form button[type=submit]").await;
            b.wait_for_heading(&b.t("confirmed-heading")).await;
            shows_the_share_block(b, before + 1, &letter_url).await;
            b.check_page("confirmed", true).await;
        })
    })
    .await;
}

/// The snippet the dashboard gives, framed three times on another site: in
/// a 280 px column, a 375 px one, the page's width as the snippet allows
/// (32 rem at most), and the page's whole width (1280 px on the wide run).
fn host_of(snippet: &str, lang: Lang) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Host</title><style>body{{margin:0}} div{{margin:0 0 1rem}} #wide iframe{{max-width:none!important}}</style></head><body><main>\
         <div id=\"w280\" style=\"width:280px\">{snippet}</div>\
         <div id=\"w375\" style=\"width:375px\">{snippet}</div>\
         <div id=\"full\">{snippet}</div>\
         <div id=\"wide\">{snippet}</div></main></body></html>"
    )
}

#[actix_web::test]
async fn the_widget_shows_its_sign_button_within_its_documented_height() {
    run_all("embed-fit", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            // The worst case: a long title, a goal and its progress bar.
            let title = match b.lang {
                Lang::FR => "Lettre ouverte pour que chaque quartier de Sherbrooke garde ses coopératives d’habitation, ses logements abordables et ses espaces verts pour les générations qui viennent",
                _ => "Open letter so that every neighbourhood of Sherbrooke keeps its housing cooperatives, its affordable homes and its green spaces for the generations to come",
            };
            let source = letter_source("widget", b.lang.code(), "goal = 1000")
                .lines()
                .map(|l| if l.starts_with("title = ") { format!("title = \"{title}\"") } else { l.to_string() })
                .collect::<Vec<_>>()
                .join("\n");
            let letter = app.publish_source(&source);
            let i18n = undersigned::i18n::I18n::new().unwrap();
            let snippet = undersigned::views::embed::snippet(&i18n.tr(b.lang), &letter, &app.url(""));
            assert!(snippet.contains("height=\"220\""), "{snippet}");
            let (page, server) = host(host_of(&snippet, b.lang));
            b.goto(&page).await;
            b.check_page("host", false).await;
            for (column, width) in [("w280", Some(280)), ("w375", Some(375)), ("full", None), ("wide", None)] {
                b.find(&format!("#{column} iframe")).await.enter_frame().await.expect("enter the widget");
                let seen = b
                    .client
                    .execute(
                        "const a = document.querySelector('a.button'), c = document.querySelector('.count-figure');
                         const r = a.getBoundingClientRect(), rc = c.getBoundingClientRect();
                         const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
                         return [window.innerWidth, window.innerHeight, r.top, r.bottom, r.right, rc.top, rc.bottom,
                                 hit === a || a.contains(hit)];",
                        vec![],
                    )
                    .await
                    .expect("measure the widget");
                let n = |i: usize| seen[i].as_f64().unwrap();
                let where_ = format!("{column}: {seen}");
                if let Some(w) = width {
                    assert_eq!(n(0), f64::from(w), "{where_}");
                }
                assert_eq!(n(1), 220.0, "{where_}");
                assert!(n(2) >= 0.0 && n(3) <= 220.0 && n(4) <= n(0), "Sign cut off: {where_}");
                assert!(n(5) >= 0.0 && n(6) <= n(2), "count hidden: {where_}");
                assert_eq!(seen[7], serde_json::Value::Bool(true), "Sign covered: {where_}");
                b.client.enter_parent_frame().await.expect("leave the widget");
            }
            // The widget itself, at this viewport, through axe-core.
            b.goto(&app.url("/letters/widget/embed")).await;
            b.check_page("widget", true).await;
            server.stop(false).await;
        })
    })
    .await;
}
