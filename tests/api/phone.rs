//! The letter on a phone: the error summary that names each field, the
//! emails a phone reads, what a confirmation publishes, and the goal reached.

use crate::helpers::{letter_source, spawn_app, EXAMPLE_SLUG};
use crate::workspace::organizer;
use undersigned::db::letters::{self, LetterStatus};

#[actix_web::test]
async fn a_refused_form_names_each_field_with_a_link_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let before = app.row_count("signatures");
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", ""),
                ("titles", "Présidente (1998-2006)"),
                ("email", ""),
                ("city", "Rimouski"),
                ("visibility", "partout"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(app.row_count("signatures"), before, "nothing stored");
    let body = r.text().await.unwrap();
    let start = body.find("id=\"error-summary\"").expect("an error summary");
    let summary = &body[start..start + body[start..].find("</div>").unwrap()];
    // Focus lands on the summary when the page opens, without a script.
    assert!(summary.contains("tabindex=\"-1\" autofocus"), "{summary}");
    // Each field by its name, each a link to the field (a radio group to its
    // first choice), in the form's order; never the bare message twice.
    let items: Vec<&str> = summary.split("<li>").skip(1).collect();
    assert_eq!(
        items,
        [
            "<a href=\"#name\">Nom complet\u{a0}: ce champ est obligatoire.</a></li>",
            "<a href=\"#email\">Adresse courriel\u{a0}: ce champ est obligatoire.</a></li>",
            "<a href=\"#visibility-public\">Affichage de votre signature\u{a0}: choisissez comment afficher votre signature.</a></li>",
            "<a href=\"#consent\">Consentement\u{a0}: cochez cette case pour que votre signature puisse être enregistrée.</a></li></ul>",
        ]
    );
    for id in ["name", "email", "visibility-public", "consent"] {
        assert!(body.contains(&format!("id=\"{id}\"")), "no field #{id}");
    }
    // What was typed comes back.
    assert!(body.contains(">Présidente (1998-2006)</textarea>"));
    assert!(body.contains("value=\"Rimouski\""));

    // In English too, with English punctuation.
    let token = app.form_token(EXAMPLE_SLUG).await;
    let r = app
        .post_form(
            &format!("/letters/{EXAMPLE_SLUG}/sign?lang=en"),
            &[
                ("name", "Ada"),
                ("email", "nope"),
                ("visibility", "public"),
                ("consent", "yes"),
                ("form_token", &token),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<a href=\"#email\">Email address: This email address is not valid."),
        "{body}"
    );
    assert!(body.contains("value=\"Ada\""));
}

#[actix_web::test]
async fn the_sign_link_above_the_letter_goes_to_the_form_and_is_gone_when_closed() {
    let app = spawn_app().await;
    let (_, body) = app.get_html(&format!("/letters/{EXAMPLE_SLUG}")).await;
    let bar = body.find("class=\"sign-bar\"").expect("the sign bar");
    assert!(bar < body.find("<article").unwrap(), "above the letter");
    assert!(body[bar..].contains("<p class=\"sign-bar-count\">3 signatures</p><a class=\"button sign-link\" href=\"#sign\">Signer la lettre</a>"));
    assert!(body.contains("id=\"sign\""));
    let letter = app.publish_source(&letter_source("fermee", "fr", ""));
    app.with_conn(|c| letters::set_status(c, &letter.id, LetterStatus::Closed, undersigned::db::now()))
        .unwrap();
    let (_, closed) = app.get_html("/letters/fermee").await;
    assert!(closed.contains("class=\"closed-notice\""));
    assert!(!closed.contains("sign-bar"), "no way to a form that is not there");
}

#[actix_web::test]
async fn the_confirmation_email_is_made_for_a_phone_and_states_what_will_be_published() {
    let app = spawn_app().await;
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", "Zoé L’Heureux"),
                ("titles", "Présidente (1998-2006)\nOfficière de l’Ordre"),
                ("email", "zoe@example.org"),
                ("city", "Sherbrooke"),
                ("visibility", "count-only"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let email = app.wait_for_file_emails("zoe@example.org", 1).await.remove(0);
    let html = &email.html;
    assert!(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    assert!(html.contains("font-size:17px") && html.contains("line-height:1.55"));
    assert!(html.contains("max-width:36em"));
    // A real button, padded for a thumb, to the confirmation link.
    let link = email.confirm_link();
    let button =
        format!("<a class=\"button\" href=\"{link}\" style=\"display:inline-block;padding:14px 24px;");
    assert!(html.contains(&button), "{html}");
    assert!(html.contains(">Confirmer ma signature</a>"));
    // Long addresses wrap.
    assert!(html.contains("word-break:break-all;overflow-wrap:anywhere"));
    // Dark on light.
    assert!(html.contains("background:#ffffff;color:#1a1a1a"));
    // What will be published, in both parts, from what was confirmed.
    for part in [&email.text, html] {
        assert!(part.contains("Zoé L’Heureux"), "{part}");
        assert!(part.contains("Présidente (1998-2006)") && part.contains("Officière de l’Ordre"));
        assert!(part.contains("Sherbrooke"));
        assert!(
            part.contains("Me compter seulement, sans afficher mon nom"),
            "{part}"
        );
    }
    let text = email.text.replace("\r\n", "\n");
    assert!(text.contains("Affichage\u{a0}: Me compter seulement"), "{text}");
    // The text part still carries every link, each on a line of its own.
    assert!(text.contains(&format!("\n{link}\n")), "{text}");
    assert!(text.contains(&format!("\n{}\n", email.withdraw_link())));

    // The confirmation page states it before the button and after it.
    let (_, page) = app.get_html(&link.replace(&app.address, "")).await;
    assert!(page.contains("Officière de l’Ordre") && page.contains("Sherbrooke"));
    let confirmed = app.post(&link).await.text().await.unwrap();
    let what = confirmed
        .find("Ce que vous avez confirmé")
        .expect("what was confirmed");
    let rest = &confirmed[what..];
    assert!(rest.contains("Zoé L’Heureux") && rest.contains("Présidente (1998-2006)"));
    assert!(rest.contains("Sherbrooke") && rest.contains("data-public=\"false\""));
}

#[actix_web::test]
async fn an_english_signer_reads_what_will_be_published_in_english() {
    let app = spawn_app().await;
    app.publish_source(&letter_source("open-letter", "en", ""));
    let r = app
        .sign(
            "open-letter",
            &[
                ("name", "Ann Smith"),
                ("email", "ann@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let email = app.wait_for_file_emails("ann@example.org", 1).await.remove(0);
    let text = email.text.replace("\r\n", "\n");
    assert!(text.contains("This is what will be published if you confirm:"));
    assert!(text.contains("Name: Ann Smith\nTitles and affiliations: (none)\nCity or region: (none)\nDisplay: Show my name and titles in the public list"), "{text}");
    let confirmed = app.post(&email.confirm_link()).await.text().await.unwrap();
    assert!(confirmed.contains("What you confirmed"));
    assert!(confirmed.contains("data-public=\"true\""));
}

#[actix_web::test]
async fn past_its_goal_a_letter_says_so_and_keeps_counting() {
    let app = spawn_app().await;
    app.publish_source(&letter_source("objectif", "fr", "goal = 2"));
    app.sign_and_confirm_on("objectif", "Une Première", "un@example.org")
        .await;
    let (_, below) = app.get_html("/letters/objectif").await;
    assert!(below.contains("<progress value=\"1\" max=\"2\""), "{below}");
    assert!(!below.contains("Objectif atteint"));
    for (name, email) in [
        ("Deux Seconde", "deux@example.org"),
        ("Trois Tiers", "trois@example.org"),
    ] {
        app.sign_and_confirm_on("objectif", name, email).await;
    }
    let (_, page) = app.get_html("/letters/objectif").await;
    assert!(page.contains("<p class=\"count-figure\">3 signatures</p>"));
    assert!(
        page.contains(
            "<p class=\"goal goal-reached\">Objectif atteint\u{a0}: 3 signatures sur un objectif de 2</p>"
        ),
        "{page}"
    );
    assert!(!page.contains("<progress"), "no full bar once the goal is met");
    let (_, en) = app.get_html("/letters/objectif?lang=en").await;
    assert!(en.contains("Goal reached: 3 signatures of a goal of 2"));
    // The API gives the same figures, uncapped.
    let json: serde_json::Value = app
        .get("/api/v1/letters/objectif/count")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (json["signature_count"].as_i64(), json["goal"].as_i64()),
        (Some(3), Some(2))
    );
    assert_eq!(app.api_count("objectif").await, 3);

    // The dashboard offers to raise the goal, through the editor's field.
    let letter = app
        .with_conn(|c| letters::find_by_slug(c, "objectif"))
        .unwrap()
        .unwrap();
    let org = organizer(&app, "admin@example.org", true).await;
    let path = format!("/workspace/letters/{}", letter.id);
    let (status, dash) = org.get(&path).await;
    assert_eq!(status, 200, "{dash}");
    assert!(
        dash.contains("Objectif atteint\u{a0}: 3 signatures publiques pour un objectif de 2."),
        "{dash}"
    );
    assert!(dash.contains(&format!("<a href=\"{path}/edit#goal\">Relever l’objectif</a>")));
    let (_, editor) = org.get(&format!("{path}/edit")).await;
    assert!(editor.contains("id=\"goal\""), "the link's target exists");
}
