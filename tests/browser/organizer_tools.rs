//! The organizer's tools after publishing, clicked through as an organizer
//! would: writing to the signers who asked for news, and bringing in a
//! spreadsheet of signatures collected at a congress.

use crate::driver::{run_all, Browser};
use crate::helpers::{spawn_app, wait_until, TestApp};
use crate::organizer::{account, write_letter};
use undersigned::domain::Lang;
use undersigned::i18n::Arg;

/// Publishes the letter whose dashboard the browser shows; returns the
/// dashboard's path.
async fn publish(app: &TestApp, b: &Browser) -> String {
    let publish = b.find("main a[href$='/publish']").await;
    let publish_path = publish.attr("href").await.unwrap().expect("publish link");
    let ws = publish_path.trim_end_matches("/publish").to_string();
    b.goto(&app.url(&publish_path)).await;
    b.click("form[action$='/publish'] button[type=submit]").await;
    b.wait_for_url(&ws).await;
    b.find("#embed-snippet").await;
    ws
}

/// A reader who signs asking for news, and confirms from the email.
async fn subscriber(app: &TestApp, slug: &str, email: &str) {
    let fields = [
        ("name", "Lucie Lavoie"),
        ("email", email),
        ("visibility", "public"),
        ("consent", "yes"),
        ("updates", "yes"),
    ];
    assert_eq!(app.sign(slug, &fields).await.status().as_u16(), 303);
    let mail = app.wait_for_file_emails(email, 1).await.remove(0);
    assert_eq!(app.post(&mail.confirm_link()).await.status().as_u16(), 200);
}

#[actix_web::test]
async fn an_organizer_writes_to_the_signers_who_asked_for_news() {
    run_all("mailing", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let lang = b.lang.code();
            let organizer = format!("nouvelles-{lang}@example.org");
            account(&app, b, &organizer).await;
            let slug = format!("nouvelles-{lang}");
            write_letter(&app, b, &organizer, &slug).await;
            let ws = publish(&app, b).await;
            let reader = format!("lucie-{lang}@example.org");
            subscriber(&app, &slug, &reader).await;

            b.goto(&app.url(&format!("{ws}/messages"))).await;
            b.check_page("messages", false).await;
            b.click("main a[href$='/messages/new']").await;
            b.wait_for_url("/messages/new").await;
            let (subject, body) = match b.lang {
                Lang::FR => (
                    "Le conseil a répondu",
                    "Merci à toutes et à tous\u{202f}!\n\nLe conseil nous reçoit **lundi**.",
                ),
                _ => (
                    "The council answered",
                    "Thank you all!\n\nThe council meets us **on Monday**.",
                ),
            };
            b.type_into(&format!("#subject-{lang}"), subject).await;
            b.type_into(&format!("#body-{lang}"), body).await;
            b.click("button[name=action][value=test]").await;
            // The draft is saved and previewed as signers will read it.
            b.find("#preview article.mailing-preview strong").await;
            assert!(b.text("#preview h3").await.contains(subject));
            b.check_page("message-draft", false).await;
            let test = app.wait_for_file_emails(&organizer, 1).await.remove(0);
            assert!(test.subject.contains(subject), "{}", test.subject);

            // Sending asks for the box to be ticked, and says so beside it.
            b.click("button[name=action][value=send]").await;
            b.find("#confirm-error").await;
            assert_eq!(b.attr("#confirm", "aria-invalid").await, "true");
            assert_eq!(
                b.attr(&format!("#subject-{lang}"), "value").await,
                subject,
                "kept"
            );
            b.check_page("message-unconfirmed", false).await;
            b.click("#confirm").await;
            b.click("button[name=action][value=send]").await;
            b.find("#progress").await;

            // The signer gets it, in the letter's language, with a way out.
            let sent = app.wait_for_file_emails(&reader, 2).await.remove(1);
            assert_eq!(sent.subject, subject);
            assert!(sent
                .raw
                .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
            let url = b.client.current_url().await.expect("url").to_string();
            wait_until("the message to be marked sent", || {
                let page = app.with_conn(|c| {
                    use diesel::prelude::*;
                    use undersigned::db::schema::mailings;
                    mailings::table.select(mailings::status).first::<String>(c)
                });
                (page.ok().as_deref() == Some("sent")).then_some(())
            })
            .await;
            b.goto(&url).await;
            assert_eq!(b.attr("#progress", "data-status").await, "sent");
            b.check_page("message-sent", false).await;
        })
    })
    .await;
}

#[actix_web::test]
async fn an_organizer_imports_signatures_collected_on_paper() {
    run_all("csv-import", |b| {
        Box::pin(async move {
            let app = spawn_app().await;
            let lang = b.lang.code();
            let organizer = format!("congres-{lang}@example.org");
            account(&app, b, &organizer).await;
            let slug = format!("congres-{lang}");
            write_letter(&app, b, &organizer, &slug).await;
            let ws = publish(&app, b).await;

            // A sheet typed up after the congress, as a spreadsheet
            // exports it; one name twice.
            let dir = tempfile::tempdir().expect("temp dir");
            let file = dir.path().join("congres.csv");
            std::fs::write(
                &file,
                "Nom;Titre;Ville\n\
                 Marie Tremblay;Présidente du Mouvement X (1987-2000);Rimouski\n\
                 Jean Côté;Économiste;Québec\n\
                 Marie Tremblay;Présidente du Mouvement X (1987-2000);Rimouski\n",
            )
            .expect("write the file");

            b.goto(&app.url(&format!("{ws}/import/csv"))).await;
            b.check_page("upload", false).await;
            b.find("#file")
                .await
                .send_keys(&file.display().to_string())
                .await
                .expect("choose the file");
            b.click("main form[enctype='multipart/form-data'] button[type=submit]")
                .await;
            b.find("table.csv-preview").await;
            b.check_page("preview", false).await;

            // Collected in person: counted at once, with who, when and how.
            b.click("input[name=mode][value=in-person]").await;
            b.type_into("#by", "Marie Tremblay").await;
            b.client
                .execute("document.getElementById('on').value = '2026-05-12';", vec![])
                .await
                .expect("set the date");
            b.type_into("#how", "Feuille papier, congrès du 12 mai").await;
            b.click("button[name=step][value=preview]").await;
            b.find("button[name=step][value=import]").await;
            let expected = b.i18n.tr(b.lang).ta(
                "csv-tally",
                &[
                    ("rows", Arg::Num(3)),
                    ("new", Arg::Num(2)),
                    ("duplicates", Arg::Num(1)),
                    ("invalid", Arg::Num(0)),
                ],
            );
            assert_eq!(b.text("main p[role=status]").await, expected);
            b.click("button[name=step][value=import]").await;
            b.find("p.saved").await;
            b.check_page("imported", false).await;

            assert_eq!(app.api_count(&slug).await, 2, "the duplicate is not counted");
            b.goto(&app.url(&format!("/letters/{slug}/signatories"))).await;
            let list = b.text("main").await;
            assert!(list.contains("Jean Côté") && list.contains("Présidente du Mouvement X (1987-2000)"));
            assert_eq!(list.matches("Marie Tremblay").count(), 1, "{list}");
            b.check_page("listed", true).await;
        })
    })
    .await;
}
