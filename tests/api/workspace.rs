//! The organizers' workspace, driven over HTTP as a browser would.

use crate::helpers::{spawn_app, spawn_app_with, TestApp, EXAMPLE_SLUG};
use std::time::Duration;
use undersigned::db::organizers::{self, CreateOutcome};

pub const PASSWORD: &str = "une phrase de passe solide";

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

pub fn extract(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

pub struct Org {
    pub client: reqwest::Client,
    pub email: String,
    pub base: String,
}

impl Org {
    pub async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let s = r.status().as_u16();
        (s, r.text().await.unwrap())
    }

    /// The CSRF token of this browser's session, read from a workspace page.
    pub async fn csrf(&self) -> String {
        let (_, body) = self.get("/workspace/sign-in").await;
        extract(&body, "csrf").expect("a csrf field")
    }

    /// Posts a workspace form with this session's CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut form = fields.to_vec();
        form.push(("csrf", &csrf));
        self.client
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .unwrap()
    }
}

/// Creates an account, chooses its password through the setup link, and
/// returns the signed-in browser.
pub async fn organizer(app: &TestApp, email: &str, admin: bool) -> Org {
    let setup = match app
        .with_tx(|c| organizers::create(c, email, admin, undersigned::db::now()))
        .unwrap()
    {
        CreateOutcome::Created { setup, .. } => setup,
        CreateOutcome::AlreadyExists => panic!("{email} exists"),
    };
    let org = Org {
        client: browser(),
        email: email.to_string(),
        base: app.address.clone(),
    };
    let path = format!("/workspace/setup/{}", setup.as_str());
    let (status, page) = org.get(&path).await;
    assert_eq!(status, 200, "{page}");
    let r = org
        .post(&path, &[("password", PASSWORD), ("password2", PASSWORD)])
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    org
}

/// Creates a draft through the editor and returns its workspace path.
pub async fn create_letter(org: &Org, slug: &str) -> String {
    let r = org
        .post(
            "/workspace/letters/new",
            &[
                ("slug", slug),
                ("language", "fr"),
                ("title", "Lettre « de l’espace » des organisateurs"),
                ("place", "Rimouski"),
                ("date", "2026-06-01"),
                ("addressees", "Au conseil municipal"),
                ("preamble", "Nous soussignés\u{a0}:"),
                (
                    "body",
                    "Premier paragraphe\u{202f}: « oui ».\n\n## Demandes\n\nSecond.",
                ),
                ("goal", "250"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    r.headers()["location"].to_str().unwrap().to_string()
}

/// The paths of the signatory forms on a letter's signatories editor, in
/// the list's order.
pub fn signatory_forms(editor: &str, ws: &str) -> Vec<String> {
    let prefix = format!("{ws}/signatories/");
    editor
        .split("action=\"")
        .filter_map(|s| s.split('"').next())
        .filter(|a| a.starts_with(&prefix))
        .map(str::to_string)
        .collect()
}

#[actix_web::test]
async fn setup_sign_in_sign_out_and_wrong_passwords() {
    let app = spawn_app().await;
    let setup = match app
        .with_tx(|c| organizers::create(c, "ada@example.org", false, undersigned::db::now()))
        .unwrap()
    {
        CreateOutcome::Created { setup, .. } => setup,
        _ => unreachable!(),
    };
    let org = Org {
        client: browser(),
        email: "ada@example.org".into(),
        base: app.address.clone(),
    };
    let path = format!("/workspace/setup/{}", setup.as_str());
    let r = org
        .post(&path, &[("password", "court"), ("password2", "court")])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("de 10 à 200 caractères"));
    let r = org
        .post(
            &path,
            &[("password", PASSWORD), ("password2", "autre chose encore")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let r = org
        .post(&path, &[("password", PASSWORD), ("password2", PASSWORD)])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, home) = org.get("/workspace").await;
    assert_eq!(status, 200);
    assert!(home.contains("Mes lettres") && home.contains("ada@example.org"));
    // The setup link works once.
    assert_eq!(org.get(&path).await.0, 410);

    // Sign out, then in again; a wrong password is refused.
    let r = org.post("/workspace/sign-out", &[]).await;
    assert_eq!(r.status().as_u16(), 303);
    let (status, _) = org.get("/workspace").await;
    assert_eq!(status, 303, "signed out");
    let r = org
        .post(
            "/workspace/sign-in",
            &[("email", "ada@example.org"), ("password", "pas le bon mot")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Adresse ou mot de passe incorrect.") && body.contains("value=\"ada@example.org\"")
    );
    let r = org
        .post(
            "/workspace/sign-in",
            &[("email", "ADA@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(org.get("/workspace").await.0, 200);
    // The session cookie is HttpOnly and SameSite=Lax.
    let r = org
        .client
        .get(format!("{}/workspace", app.address))
        .send()
        .await
        .unwrap();
    if let Some(cookie) = r.headers().get("set-cookie") {
        let c = cookie.to_str().unwrap();
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"), "{c}");
    }
}

#[actix_web::test]
async fn sessions_expire_when_idle() {
    let app = spawn_app_with(|s| s.session_idle = Duration::ZERO).await;
    let org = organizer(&app, "idle@example.org", false).await;
    assert_eq!(org.get("/workspace").await.0, 303, "an idle session is over");
}

#[actix_web::test]
async fn forgot_password_reveals_nothing_and_resets() {
    let app = spawn_app().await;
    let org = organizer(&app, "oubli@example.org", false).await;
    let anon = Org {
        client: browser(),
        email: String::new(),
        base: app.address.clone(),
    };
    let strip = |s: String| {
        s.split("name=\"csrf\"").next().unwrap_or("").to_string()
            + s.split("name=\"csrf\"")
                .nth(1)
                .and_then(|r| r.split_once('>'))
                .map(|(_, t)| t)
                .unwrap_or("")
    };
    let known = anon
        .post("/workspace/forgot", &[("email", "oubli@example.org")])
        .await;
    let unknown = anon
        .post("/workspace/forgot", &[("email", "personne@example.org")])
        .await;
    assert_eq!(known.status(), unknown.status());
    assert_eq!(
        strip(known.text().await.unwrap()),
        strip(unknown.text().await.unwrap())
    );
    let mail = app.wait_for_file_emails("oubli@example.org", 1).await.remove(0);
    assert!(app.file_emails("personne@example.org").is_empty());
    let link = mail.link("/workspace/setup/");
    let path = link.trim_start_matches(&app.address).to_string();
    let r = anon
        .post(
            &path,
            &[
                ("password", "un tout nouveau secret"),
                ("password2", "un tout nouveau secret"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    drop(org);
    let again = Org {
        client: browser(),
        email: String::new(),
        base: app.address.clone(),
    };
    let r = again
        .post(
            "/workspace/sign-in",
            &[("email", "oubli@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422, "the old password is gone");
    let r = again
        .post(
            "/workspace/sign-in",
            &[
                ("email", "oubli@example.org"),
                ("password", "un tout nouveau secret"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
}

#[actix_web::test]
async fn a_letter_goes_from_draft_to_published_closed_and_archived() {
    let app = spawn_app().await;
    let org = organizer(&app, "redaction@example.org", false).await;

    // Bad fields come back with messages and the typed values.
    let r = org
        .post(
            "/workspace/letters/new",
            &[("slug", "Pas Bon"), ("language", "fr"), ("title", "Titre gardé")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("value=\"Titre gardé\"") && body.contains("id=\"slug-error\""));

    let ws = create_letter(&org, "espace-orga").await;
    let (_, dashboard) = org.get(&ws).await;
    assert!(dashboard.contains("Brouillon"));
    assert_eq!(
        app.get_html("/letters/espace-orga").await.0,
        404,
        "a draft is not public"
    );

    // The preview is the public page, typography included.
    let (status, preview) = org.get(&format!("{ws}/preview")).await;
    assert_eq!(status, 200);
    assert!(preview.contains("<h1>Lettre « de l’espace » des organisateurs</h1>"));
    assert!(preview.contains("Rimouski, le 1er juin 2026"));
    assert!(preview.contains("Premier paragraphe\u{202f}: « oui »."));
    assert!(preview.contains("<h2>Demandes</h2>"));

    // The slug may change before publication…
    let mut fields = vec![
        ("slug", "espace-organisateurs"),
        ("language", "fr"),
        ("title", "Lettre « de l’espace » des organisateurs"),
        ("place", "Rimouski"),
        ("date", "2026-06-01"),
        ("addressees", "Au conseil municipal"),
        ("preamble", "Nous soussignés\u{a0}:"),
        ("body", "Premier paragraphe."),
        ("goal", ""),
    ];
    assert_eq!(
        org.post(&format!("{ws}/edit"), &fields).await.status().as_u16(),
        303
    );

    // Publishing asks first.
    let (_, confirm) = org.get(&format!("{ws}/publish")).await;
    assert!(confirm.contains("/letters/espace-organisateurs"));
    assert_eq!(
        org.post(&format!("{ws}/publish"), &[]).await.status().as_u16(),
        303
    );
    assert_eq!(app.get_html("/letters/espace-organisateurs").await.0, 200);

    // …but not after.
    fields[0] = ("slug", "autre-adresse");
    fields[7] = ("body", "Texte revu après publication.");
    assert_eq!(
        org.post(&format!("{ws}/edit"), &fields).await.status().as_u16(),
        303
    );
    let (status, page) = app.get_html("/letters/espace-organisateurs").await;
    assert_eq!(status, 200);
    assert!(page.contains("Texte revu après publication."));
    assert_eq!(app.get_html("/letters/autre-adresse").await.0, 404);

    // Close stops signing; reopen restores it.
    assert_eq!(
        org.post(&format!("{ws}/status"), &[("action", "close")])
            .await
            .status()
            .as_u16(),
        303
    );
    let r = app
        .sign(
            "espace-organisateurs",
            &[
                ("name", "X"),
                ("email", "x@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 409);
    assert_eq!(
        org.post(&format!("{ws}/status"), &[("action", "reopen")])
            .await
            .status()
            .as_u16(),
        303
    );
    let (_, page) = app.get_html("/letters/espace-organisateurs").await;
    assert!(page.contains("name=\"email\""));

    // Archive hides it from the home page; its page stays.
    assert!(app.get_html("/").await.1.contains("espace-organisateurs"));
    org.post(&format!("{ws}/status"), &[("action", "archive")]).await;
    assert!(!app.get_html("/").await.1.contains("espace-organisateurs"));
    assert_eq!(app.get_html("/letters/espace-organisateurs").await.0, 200);

    // A closing time in the past is refused; once a scheduled time has
    // come, signing stops at once.
    let r = org
        .post(
            &format!("{ws}/status"),
            &[("action", "schedule"), ("close_at", "2020-01-01T00:00")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let (_, page) = app.get_html("/letters/espace-organisateurs").await;
    assert!(
        page.contains("name=\"email\""),
        "a refused schedule changes nothing"
    );
    let r = org
        .post(
            &format!("{ws}/status"),
            &[("action", "schedule"), ("close_at", "2099-01-01T00:00")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    app.with_conn(|c| {
        use diesel::prelude::*;
        use undersigned::db::schema::letters;
        diesel::update(letters::table.filter(letters::slug.eq("espace-organisateurs")))
            .set(letters::close_at.eq(undersigned::db::now() - chrono::Duration::minutes(1)))
            .execute(c)
            .unwrap();
    });
    // Cached copies hold no longer than the scheduled instant: no pass,
    // no edit is needed.
    let (_, page) = app.get_html("/letters/espace-organisateurs").await;
    assert!(!page.contains("name=\"email\""), "closed by its schedule");

    // Every action is in the audit log, with who did it.
    let (status, audit) = org.get(&format!("{ws}/audit")).await;
    assert_eq!(status, 200);
    for action in [
        "a créé la lettre",
        "a modifié",
        "a publié la lettre",
        "a fermé les signatures.",
        "a rouvert les signatures.",
        "a archivé la lettre.",
        "a programmé la fermeture des signatures",
    ] {
        assert!(audit.contains(action), "{action} missing from the audit log");
    }
    assert!(audit.contains("redaction@example.org"));
}

#[actix_web::test]
async fn initial_signatories_are_pasted_edited_reordered_and_verified() {
    let app = spawn_app().await;
    let org = organizer(&app, "liste@example.org", false).await;
    let ws = create_letter(&org, "liste-initiale").await;
    org.post(&format!("{ws}/publish"), &[]).await;

    let pasted = "Marie Tremblay\nPrésidente du Mouvement X (1987-2000)\nGrande Officière de l’Ordre national du Québec\n\nJean Côté,\n\nBéatrice Roy\nÉconomiste";
    // A preview first, nothing saved.
    let r = org
        .post(&format!("{ws}/import"), &[("text", pasted), ("step", "preview")])
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let preview = r.text().await.unwrap();
    assert!(preview.contains("<span class=\"signatory-name\">Jean Côté,</span>"));
    assert!(!app
        .get_html("/letters/liste-initiale")
        .await
        .1
        .contains("Marie Tremblay"));
    // Errors name their line.
    let r = org
        .post(
            &format!("{ws}/import"),
            &[("text", "Nom\n\nMauvais\u{202E}"), ("step", "save")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("Ligne 3"));
    // Then saved, in order.
    assert_eq!(
        org.post(&format!("{ws}/import"), &[("text", pasted), ("step", "save")])
            .await
            .status()
            .as_u16(),
        303
    );
    let (_, page) = app.get_html("/letters/liste-initiale").await;
    let (m, j, b) = (
        page.find("Marie Tremblay").unwrap(),
        page.find("Jean Côté,").unwrap(),
        page.find("Béatrice Roy").unwrap(),
    );
    assert!(m < j && j < b);
    assert!(page
        .contains("<span class=\"signatory-title\">Grande Officière de l’Ordre national du Québec</span>"));
    assert!(page.contains("3 signatures"));

    // Pasting the same list again (with a new name, and one name twice,
    // spelled otherwise) warns in the preview, which lists only the new.
    let again = format!("{pasted}\n\nAna Roy\n\nana  ROY");
    let r = org
        .post(&format!("{ws}/import"), &[("text", &again), ("step", "preview")])
        .await;
    let preview = r.text().await.unwrap();
    assert!(
        preview.contains("4\u{202f}personnes sont déjà sur la liste")
            || preview.contains("4 personnes sont déjà sur la liste"),
        "{preview}"
    );
    assert!(preview.contains("<li>Marie Tremblay</li>") && preview.contains("<li>ana  ROY</li>"));
    assert!(preview.contains("<span class=\"signatory-name\">Ana Roy</span>"));
    assert!(!preview.contains("<span class=\"signatory-name\">Marie Tremblay</span>"));
    // Saving the same paste again adds nobody.
    org.post(&format!("{ws}/import"), &[("text", pasted), ("step", "save")])
        .await;
    let (_, page) = app.get_html("/letters/liste-initiale").await;
    assert_eq!(page.matches("Marie Tremblay").count(), 1, "not added twice");
    assert!(page.contains("3 signatures"), "{page}");

    // Reorder, edit, verify and remove, without JavaScript.
    let (_, editor) = org.get(&format!("{ws}/signatories")).await;
    let ids: Vec<String> = signatory_forms(&editor, &ws)
        .iter()
        .map(|a| a.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    let one = |id: &str| format!("{ws}/signatories/{id}");
    assert_eq!(
        org.post(&one(&ids[2]), &[("action", "up")])
            .await
            .status()
            .as_u16(),
        303
    );
    let (_, page) = app.get_html("/letters/liste-initiale").await;
    assert!(page.find("Béatrice Roy").unwrap() < page.find("Jean Côté,").unwrap());
    org.post(
        &one(&ids[1]),
        &[
            ("action", "save"),
            ("name", "Jean-Pierre Côté,"),
            ("titles", "Maire (2001-2009)"),
        ],
    )
    .await;
    org.post(&one(&ids[0]), &[("action", "verify"), ("how", "appel le 3 mars")])
        .await;
    org.post(&one(&ids[2]), &[("action", "delete")]).await;
    let (_, page) = app.get_html("/letters/liste-initiale").await;
    assert!(page.contains("Jean-Pierre Côté,") && page.contains("Maire (2001-2009)"));
    assert!(!page.contains("Béatrice Roy"));
    let (_, editor) = org.get(&format!("{ws}/signatories")).await;
    assert!(editor.contains("Vérifié · liste@example.org"));
    assert!(editor.contains("value=\"appel le 3 mars\""));

    // An invalid edit is refused and changes nothing.
    let r = org
        .post(&one(&ids[1]), &[("action", "save"), ("name", ""), ("titles", "")])
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(app
        .get_html("/letters/liste-initiale")
        .await
        .1
        .contains("Jean-Pierre Côté,"));

    let (_, audit) = org.get(&format!("{ws}/audit")).await;
    for action in [
        "a importé",
        "dans la liste des premiers signataires.",
        "parmi les premiers signataires",
        "a vérifié «",
        "des premiers signataires.",
    ] {
        assert!(audit.contains(action), "{action}");
    }
}

#[actix_web::test]
async fn the_dashboard_shows_counts_a_chart_and_emails() {
    let app = spawn_app().await;
    let admin = organizer(&app, "admin@example.org", true).await;
    app.sign_and_confirm("Visible Publique", "visible@example.org")
        .await;
    app.sign_as("En Attente", "attente@example.org").await;
    let letter = app
        .with_conn(|c| undersigned::db::letters::find_by_slug(c, EXAMPLE_SLUG))
        .unwrap()
        .unwrap();
    let (status, dash) = admin.get(&format!("/workspace/letters/{}", letter.id)).await;
    assert_eq!(status, 200);
    assert!(dash.contains("Confirmées\u{a0}: 4"), "{dash}");
    assert!(dash.contains("En attente\u{a0}: 1"));
    assert!(dash.contains("<strong>4</strong>"), "the public count: {dash}");
    assert!(dash.contains("<svg") && dash.contains("<rect"));
    assert!(dash.contains("visible@example.org") && dash.contains("attente@example.org"));
}

/// The figure in the breakdown's row whose label starts with `label`.
fn breakdown_row(dash: &str, label: &str) -> i64 {
    let row = dash
        .split("<tr>")
        .find(|r| r.starts_with(&format!("<th scope=\"row\">{label}")))
        .unwrap_or_else(|| panic!("no row {label}: {dash}"));
    let figure = row
        .split("class=\"number\">")
        .nth(1)
        .map(|r| r.trim_start_matches("<strong>"))
        .and_then(|r| r.split('<').next())
        .expect("a figure");
    figure.replace('\u{202f}', "").parse().expect("a number")
}

/// The dashboard's parts add up to the public count, every kind of
/// signature in its place; its chart counts the signatures people made,
/// not the initial signatories an organizer added.
#[actix_web::test]
async fn the_dashboard_counts_add_up_to_the_public_count_and_the_chart_skips_initial_signatories() {
    let app = spawn_app().await;
    let org = organizer(&app, "comptes@example.org", false).await;
    let ws = crate::moderation::own_example(&app, &org).await;
    app.sign_and_confirm("Liste Visible", "visible@example.org").await;
    let r = app
        .sign(
            EXAMPLE_SLUG,
            &[
                ("name", "Compte Seul"),
                ("email", "seul@example.org"),
                ("visibility", "count-only"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let emails = app.wait_for_file_emails("seul@example.org", 1).await;
    assert_eq!(app.post(&emails[0].confirm_link()).await.status().as_u16(), 200);
    app.sign_and_confirm("Masquée Un", "masquee@example.org").await;
    app.sign_and_confirm("Exclue Un", "exclue@example.org").await;
    let withdraw = app.sign_and_confirm("Retirée Un", "retiree@example.org").await;
    app.post(&withdraw).await;
    app.sign_as("Pas Confirmée", "pas@example.org").await;
    let (_, shown) = org.get(&format!("{ws}/moderation?show=shown")).await;
    let id_of = |name: &str| {
        shown
            .split("<tr>")
            .find(|row| row.contains(name))
            .and_then(|row| crate::moderation::ids_in(row).into_iter().next())
            .unwrap_or_else(|| panic!("{name} in {shown}"))
    };
    let (hide, exclude) = (id_of("Masquée Un"), id_of("Exclue Un"));
    for (decision, id) in [("hide", &hide), ("exclude", &exclude)] {
        let r = org
            .post(
                &format!("{ws}/moderation"),
                &[("decision", decision), ("id", id), ("show", "shown")],
            )
            .await;
        assert_eq!(r.status().as_u16(), 303, "{decision}");
    }
    org.post(&format!("{ws}/moderation/mode"), &[("mode", "review")])
        .await;
    app.sign_and_confirm("Attente Revue", "revue@example.org").await;

    let (status, dash) = org.get(&ws).await;
    assert_eq!(status, 200);
    let public = app.api_count(EXAMPLE_SLUG).await;
    let listed = breakdown_row(&dash, "Affichées dans la liste publique");
    let count_only = breakdown_row(&dash, "Comptées seulement");
    let held = breakdown_row(&dash, "En attente d’approbation");
    let hidden = breakdown_row(&dash, "Masquées par la modération");
    let total = breakdown_row(&dash, "Compte public");
    assert_eq!((listed, count_only, held, hidden), (4, 1, 1, 1), "{dash}");
    assert_eq!(listed + count_only + held + hidden, total);
    assert_eq!(total, public, "the count the letter and the API show");
    assert!(dash.contains("(dont 3 signataires initiaux)"), "{dash}");
    // Excluded: confirmed, not counted.
    assert!(
        dash.contains("Confirmées\u{a0}: 8 · dont 1 exclue du compte par la modération"),
        "{dash}"
    );
    assert!(
        dash.contains("En attente\u{a0}: 1") && dash.contains("Retirées\u{a0}: 1"),
        "{dash}"
    );

    // The chart: today's bar holds the five confirmed signers still
    // confirmed, initial signatories not among them.
    let bars: Vec<i64> = dash
        .split("<rect ")
        .skip(1)
        .map(|rect| {
            let title = rect
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next());
            let figure = title.and_then(|t| t.rsplit("\u{a0}: ").next()).expect("a title");
            figure.parse().expect("a number")
        })
        .collect();
    assert_eq!(bars.len(), 30);
    assert_eq!(bars.iter().sum::<i64>(), 5, "{bars:?}");
    assert_eq!(bars.last(), Some(&5), "today: {bars:?}");
    // The y scale, and the dates under the bars.
    assert!(
        dash.contains("text-anchor=\"end\">6</text>"),
        "a step of 2 up to 6: {dash}"
    );
    assert!(dash.contains("text-anchor=\"end\">0</text>"), "{dash}");
    assert_eq!(
        dash.matches("y=\"184\" font-size=\"12\"").count(),
        3,
        "three dates: {dash}"
    );
}

#[actix_web::test]
async fn state_changing_forms_need_the_csrf_token() {
    let app = spawn_app().await;
    let org = organizer(&app, "csrf@example.org", false).await;
    let ws = create_letter(&org, "csrf-lettre").await;
    for token in [None, Some("forged")] {
        let mut form = vec![("action", "close")];
        if let Some(t) = token {
            form.push(("csrf", t));
        }
        let r = org
            .client
            .post(format!("{}{ws}/publish", app.address))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 403, "{token:?}");
        assert!(r.text().await.unwrap().contains("Accès refusé"));
    }
    assert!(org.get(&ws).await.1.contains("Brouillon"), "nothing changed");
    let r = org
        .client
        .post(format!("{}/workspace/letters/new", app.address))
        .form(&[("slug", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
}

/// (method, path, form, then the status for anonymous, another organizer,
/// and a co-editor).
type Route<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, u16, u16, u16);

#[actix_web::test]
async fn every_workspace_route_checks_who_is_asking() {
    let app = spawn_app().await;
    let owner = organizer(&app, "owner@example.org", false).await;
    let other = organizer(&app, "other@example.org", false).await;
    let coeditor = organizer(&app, "co@example.org", false).await;
    let ws = create_letter(&owner, "autorisations").await;
    assert_eq!(
        owner
            .post(&format!("{ws}/editors"), &[("email", "co@example.org")])
            .await
            .status()
            .as_u16(),
        303
    );
    owner
        .post(
            &format!("{ws}/import"),
            &[("text", "Une Personne"), ("step", "save")],
        )
        .await;
    let (_, editor) = owner.get(&format!("{ws}/signatories")).await;
    let sid = signatory_forms(&editor, &ws).remove(0);
    let anonymous = Org {
        client: browser(),
        email: String::new(),
        base: app.address.clone(),
    };

    // (method, path, form, anonymous, other organizer, co-editor)
    let routes: Vec<Route> = vec![
        ("GET", "/workspace".into(), vec![], 303, 200, 200),
        ("GET", "/workspace/letters/new".into(), vec![], 303, 200, 200),
        ("GET", ws.clone(), vec![], 303, 404, 200),
        ("GET", format!("{ws}/edit"), vec![], 303, 404, 200),
        ("GET", format!("{ws}/preview"), vec![], 303, 404, 200),
        ("GET", format!("{ws}/publish"), vec![], 303, 404, 200),
        ("GET", format!("{ws}/signatories"), vec![], 303, 404, 200),
        ("GET", format!("{ws}/import"), vec![], 303, 404, 200),
        ("GET", format!("{ws}/audit"), vec![], 303, 404, 403),
        ("GET", format!("{ws}/moderation"), vec![], 303, 404, 200),
        (
            "POST",
            format!("{ws}/moderation"),
            vec![("decision", "bogus")],
            303,
            404,
            400,
        ),
        (
            "POST",
            format!("{ws}/moderation/mode"),
            vec![("mode", "bogus")],
            303,
            404,
            400,
        ),
        (
            "POST",
            format!("{ws}/moderation/bulk"),
            vec![("step", "count")],
            303,
            404,
            422,
        ),
        (
            "POST",
            format!("{ws}/protected"),
            vec![("action", "bogus")],
            303,
            404,
            400,
        ),
        ("GET", "/workspace/protected".into(), vec![], 303, 403, 403),
        ("POST", format!("{ws}/edit"), vec![("title", "")], 303, 404, 422),
        // Emailing every subscriber is the owners' call.
        (
            "POST",
            format!("{ws}/edit"),
            vec![("title", ""), ("notify", "yes")],
            303,
            404,
            403,
        ),
        // Irreversible, whatever state the letter is in.
        (
            "POST",
            format!("{ws}/status"),
            vec![("action", "anonymise")],
            303,
            404,
            403,
        ),
        ("GET", format!("{ws}/export?format=csv"), vec![], 303, 404, 200),
        // Every signer's email address.
        (
            "GET",
            format!("{ws}/export?format=csv&who=all"),
            vec![],
            303,
            404,
            403,
        ),
        (
            "POST",
            format!("{ws}/status"),
            vec![("action", "archive")],
            303,
            404,
            400,
        ),
        (
            "POST",
            format!("{ws}/signatories"),
            vec![("name", "")],
            303,
            404,
            422,
        ),
        (
            "POST",
            sid.clone(),
            vec![("action", "save"), ("name", "")],
            303,
            404,
            422,
        ),
        (
            "POST",
            format!("{ws}/import"),
            vec![("text", ""), ("step", "preview")],
            303,
            404,
            200,
        ),
        (
            "POST",
            format!("{ws}/editors"),
            vec![("email", "other@example.org")],
            303,
            404,
            403,
        ),
        ("GET", "/workspace/organizers".into(), vec![], 303, 403, 403),
        (
            "POST",
            "/workspace/organizers".into(),
            vec![("email", "new@example.org")],
            303,
            403,
            403,
        ),
        (
            "GET",
            "/workspace/letters/00000000-0000-0000-0000-000000000000".into(),
            vec![],
            303,
            404,
            404,
        ),
    ];
    for (method, path, form, for_anonymous, for_other, for_coeditor) in routes {
        for (who, expected) in [
            (&anonymous, for_anonymous),
            (&other, for_other),
            (&coeditor, for_coeditor),
        ] {
            let status = if method == "GET" {
                who.get(&path).await.0
            } else {
                who.post(&path, &form).await.status().as_u16()
            };
            assert_eq!(status, expected, "{method} {path} as {:?}", who.email);
        }
    }
    // Nothing the others tried changed the letter.
    let (_, dash) = owner.get(&ws).await;
    assert!(dash.contains("Brouillon") && !dash.contains("archivée"));
    assert!(!dash.contains("other@example.org"));
}

#[actix_web::test]
async fn admins_invite_and_disable_organizers_and_see_every_letter() {
    let app = spawn_app().await;
    let admin = organizer(&app, "root@example.org", true).await;
    let r = admin
        .post("/workspace/organizers", &[("email", "invite@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains("Invitation envoyée à invite@example.org"), "{body}");
    let r = admin
        .post("/workspace/organizers", &[("email", "invite@example.org")])
        .await;
    assert_eq!(r.status().as_u16(), 422);

    let member = organizer(&app, "membre@example.org", false).await;
    create_letter(&member, "lettre-du-membre").await;
    assert!(
        admin.get("/workspace").await.1.contains("lettre-du-membre"),
        "admins see every letter"
    );
    let id = app
        .with_conn(|c| organizers::find_by_email(c, "membre@example.org"))
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        admin
            .post(&format!("/workspace/organizers/{id}"), &[("action", "disable")])
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        member.get("/workspace").await.0,
        303,
        "a disabled account is signed out"
    );
}

#[actix_web::test]
async fn the_first_admin_link_bootstraps_a_fresh_install() {
    let app = spawn_app().await;
    let link = app
        .with_conn(|c| undersigned::cli::organizer::bootstrap_admin(c, &app.address))
        .unwrap()
        .expect("a link when nobody can sign in");
    let path = link.trim_start_matches(&app.address).to_string();
    let anon = Org {
        client: browser(),
        email: String::new(),
        base: app.address.clone(),
    };
    let (_, page) = anon.get(&path).await;
    assert!(
        page.contains("name=\"email\""),
        "the first admin gives their address"
    );
    let r = anon
        .post(
            &path,
            &[
                ("email", "fondatrice@example.org"),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, orgs) = anon.get("/workspace/organizers").await;
    assert!(orgs.contains("fondatrice@example.org"));
    assert!(app
        .with_conn(|c| undersigned::cli::organizer::bootstrap_admin(c, &app.address))
        .unwrap()
        .is_none());
}

#[actix_web::test]
async fn editing_a_published_letter_adds_a_version_and_tells_subscribers() {
    use diesel::prelude::*;
    use undersigned::db::schema::signatures as s;
    let app = spawn_app().await;
    let org = organizer(&app, "versions@example.org", false).await;
    let ws = create_letter(&org, "lettre-versions").await;
    org.post(&format!("{ws}/publish"), &[]).await;
    let signed = app
        .sign(
            "lettre-versions",
            &[
                ("name", "Abonnée Fidèle"),
                ("email", "abonnee@example.org"),
                ("visibility", "public"),
                ("consent", "yes"),
                ("updates", "yes"),
            ],
        )
        .await;
    assert_eq!(signed.status().as_u16(), 303);
    let mail = app.wait_for_file_emails("abonnee@example.org", 1).await.remove(0);
    app.post(&mail.confirm_link()).await;
    app.sign_and_confirm_on("lettre-versions", "Sans Nouvelles", "muet@example.org")
        .await;

    let mut fields = vec![
        ("slug", "lettre-versions"),
        ("language", "fr"),
        ("title", "Lettre « de l’espace » des organisateurs"),
        ("place", "Rimouski"),
        ("date", "2026-06-01"),
        ("addressees", "Au conseil municipal"),
        ("preamble", "Nous soussignés\u{a0}:"),
        (
            "body",
            "Premier paragraphe\u{202f}: « oui ».\n\n## Demandes\n\nSecond.",
        ),
        ("goal", "250"),
    ];
    // Saving the same text adds no version.
    org.post(&format!("{ws}/edit"), &fields).await;
    assert!(!app
        .get_html("/letters/lettre-versions")
        .await
        .1
        .contains("Modifiée le"));

    fields[7] = (
        "body",
        "Premier paragraphe\u{202f}: « oui ».\n\n## Demandes\n\nSecond, précisé.",
    );
    fields.push(("notify", "yes"));
    let r = org.post(&format!("{ws}/edit"), &fields).await;
    assert_eq!(r.status().as_u16(), 303);
    let (_, dash) = org.get(r.headers()["location"].to_str().unwrap()).await;
    assert!(dash.contains("Un signataire sera prévenu."), "{dash}");

    let (_, page) = app.get_html("/letters/lettre-versions").await;
    assert!(page.contains("Modifiée le") && page.contains("/letters/lettre-versions/versions"));
    let (status, versions) = app.get_html("/letters/lettre-versions/versions").await;
    assert_eq!(status, 200);
    assert!(versions.contains("Version 2") && versions.contains("Version 1"));
    assert!(
        versions.contains("<del>− Second.</del>") && versions.contains("<ins>+ Second, précisé.</ins>"),
        "{versions}"
    );

    // Only the signer who asked for news is told.
    let news = app.wait_for_file_emails("abonnee@example.org", 2).await;
    assert!(news[1]
        .subject
        .starts_with("La lettre que vous avez signée a changé"));
    assert!(news[1].text.contains("/letters/lettre-versions/versions"));
    assert!(news[1].text.contains("/manage/"));
    unsubscribe_in_one_click(&app, &news[1], "abonnee@example.org").await;
    app.wait_for_outbox_drained().await;
    assert_eq!(
        app.file_emails("muet@example.org").len(),
        1,
        "only the confirmation"
    );

    // Each signature keeps the version it was given for.
    app.sign_and_confirm_on("lettre-versions", "Après Changement", "apres@example.org")
        .await;
    let versions: Vec<(String, Option<i32>)> = app
        .with_conn(|c| {
            s::table
                .filter(s::tier.eq("public"))
                .order(s::created_at.asc())
                .select((s::name, s::consent_letter_version))
                .load(c)
        })
        .unwrap();
    assert_eq!(
        versions,
        vec![
            ("Abonnée Fidèle".to_string(), Some(1)),
            ("Sans Nouvelles".to_string(), Some(1)),
            ("Après Changement".to_string(), Some(2)),
        ]
    );
    let json: serde_json::Value = app
        .get("/api/v1/letters/lettre-versions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["signature_count"], 3);
}

#[actix_web::test]
async fn a_letter_in_both_languages_shows_the_readers_and_counts_once() {
    let app = spawn_app().await;
    let org = organizer(&app, "bilingue@example.org", false).await;
    let ws = create_letter(&org, "lettre-bilingue").await;
    org.post(&format!("{ws}/publish"), &[]).await;
    let r = org
        .post(
            &format!("{ws}/translation"),
            &[
                ("action", "save"),
                ("title", "Letter “from the workspace” of organizers"),
                ("place", "Rimouski"),
                ("addressees", "To the city council"),
                ("preamble", "We, the undersigned:"),
                ("body", "First paragraph: “yes”."),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);

    let english = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = english
        .get(app.url("/letters/lettre-bilingue"))
        .header("Accept-Language", "en-CA,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<html lang=\"en\">") && page.contains("Letter “from the workspace” of organizers")
    );
    assert!(page.contains("First paragraph: “yes”.") && page.contains("Rimouski, June 1, 2026"));
    assert!(page.contains("Sign the letter"));
    let (_, french) = app.get_html("/letters/lettre-bilingue").await;
    assert!(french.contains("Lettre « de l’espace » des organisateurs"));

    // Signing from the English text counts for the one letter, in English.
    let token = crate::helpers::extract_form_token(&page).unwrap();
    let r = english
        .post(app.url("/letters/lettre-bilingue/sign"))
        .header("Accept-Language", "en")
        .form(&[
            ("name", "Ann Reader"),
            ("email", "ann.reader@example.org"),
            ("visibility", "public"),
            ("consent", "yes"),
            ("form_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 303);
    let mail = app
        .wait_for_file_emails("ann.reader@example.org", 1)
        .await
        .remove(0);
    assert!(
        mail.subject.contains("Letter “from the workspace” of organizers"),
        "{}",
        mail.subject
    );
    app.post(&mail.confirm_link()).await;
    assert_eq!(app.api_count("lettre-bilingue").await, 1);
    assert!(app
        .get_html("/letters/lettre-bilingue")
        .await
        .1
        .contains("Ann Reader"));

    // The other version can be removed.
    org.post(&format!("{ws}/translation"), &[("action", "delete")])
        .await;
    let page = english
        .get(app.url("/letters/lettre-bilingue"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Lettre « de l’espace » des organisateurs"));
}

#[actix_web::test]
async fn organizers_download_every_format_from_the_workspace() {
    let app = spawn_app().await;
    let org = organizer(&app, "presse@example.org", false).await;
    let ws = create_letter(&org, "lettre-presse-ws").await;
    org.post(
        &format!("{ws}/import"),
        &[
            ("text", "Marie Tremblay,\nPrésidente (1998-2006)"),
            ("step", "save"),
        ],
    )
    .await;
    org.post(&format!("{ws}/publish"), &[]).await;
    app.sign_and_confirm_on("lettre-presse-ws", "Publique Personne", "publique@example.org")
        .await;
    let get = |q: &str| org.client.get(format!("{}{ws}/export?{q}", app.address)).send();

    let r = get("format=pdf&columns=2").await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("lettre-presse-ws.pdf"));
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF"));

    let csv = get("format=csv&who=all").await.unwrap().text().await.unwrap();
    assert!(
        csv.contains("publique@example.org"),
        "organizer exports carry the email: {csv}"
    );
    assert!(csv.contains("Marie Tremblay,") && csv.contains("Présidente (1998-2006)"));
    let public_csv = get("format=csv").await.unwrap().text().await.unwrap();
    assert!(!public_csv.contains("publique@example.org"));

    let html = get("format=html&list_only=1")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("/static/print.css") && !html.contains("<style"));
    // A word the form never sends is our translated page, not actix's text.
    for bad in ["format=docx", "format=csv&who=everyone", "format=pdf&columns=3"] {
        let r = get(bad).await.unwrap();
        assert_eq!(r.status().as_u16(), 400, "{bad}");
        assert!(r.text().await.unwrap().contains("Requête invalide"), "{bad}");
    }

    let other = organizer(&app, "curieux@example.org", false).await;
    let r = other
        .client
        .get(format!("{}{ws}/export?format=csv&who=all", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    let anon = browser()
        .get(format!("{}{ws}/export?format=csv", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status().as_u16(), 303);
    assert!(org
        .get(&format!("{ws}/audit"))
        .await
        .1
        .contains("a exporté la liste publique (format csv)."));
}

/// A message to signers carries `List-Unsubscribe` and its one-click POST
/// (RFC 8058) and a Message-ID; the link asks before it acts, and the one
/// click stops the news and nothing else.
pub(crate) async fn unsubscribe_in_one_click(app: &TestApp, mail: &crate::helpers::Email, email: &str) {
    let parsed = mail_parser::MessageParser::default()
        .parse(mail.raw.as_bytes())
        .expect("a message");
    let header = |name: &str| {
        parsed
            .header_raw(name)
            .map(|v| v.split_whitespace().collect::<String>())
            .unwrap_or_else(|| panic!("no {name} in\n{}", mail.raw))
    };
    assert_eq!(header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    let url = header("List-Unsubscribe");
    let url = url.trim_start_matches('<').trim_end_matches('>').to_string();
    assert!(url.starts_with(&format!("{}/unsubscribe/", app.address)), "{url}");
    // Its token does nothing else: not the manage page, not withdrawal.
    let token = url.rsplit('/').next().unwrap();
    for other in [format!("/manage/{token}"), format!("/withdraw/{token}")] {
        let (status, _) = app.get_html(&other).await;
        assert!(status >= 400, "{other}: {status}");
    }
    assert!(mail.text.contains(&url), "a visible link too: {}", mail.text);
    assert!(header("Message-ID").starts_with('<'), "{}", mail.raw);
    use diesel::prelude::*;
    use undersigned::db::schema::signatures as s;
    let stored = || {
        app.with_conn(|c| {
            s::table
                .filter(s::email.eq(email))
                .select((s::wants_updates, s::status))
                .first::<(bool, String)>(c)
                .unwrap()
        })
    };
    assert_eq!(stored(), (true, "confirmed".to_string()));
    // Opening the link (a scanner may) only asks.
    let client = reqwest::Client::new();
    let page = client.get(&url).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.unwrap().contains("List-Unsubscribe"));
    assert!(stored().0, "opening the link changes nothing");
    // The mail client's one click: no session, no form token.
    let r = client
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(stored(), (false, "confirmed".to_string()), "the signature stays");
    // Twice is fine; a made-up token is not.
    assert_eq!(client.post(&url).send().await.unwrap().status().as_u16(), 200);
    let fake = format!("{}/unsubscribe/{}", app.address, "ab".repeat(22));
    assert_eq!(client.post(&fake).send().await.unwrap().status().as_u16(), 404);
}
