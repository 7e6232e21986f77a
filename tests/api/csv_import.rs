//! Signatures collected elsewhere, imported from a CSV file: the upload,
//! its preview, both ways in, idempotence, and the refusals.

use crate::helpers::{spawn_app, TestApp};
use crate::workspace::{create_letter, organizer, Org};
use diesel::prelude::*;
use undersigned::db::schema::{audit_log, collected_signatures, csv_uploads, outbox, signatures};

/// A French Excel export: byte-order mark, `;`, Windows line endings, a
/// title cell on two lines, a duplicate, a bad address and a blank row.
const EXCEL_FR: &str = "\u{feff}Nom;Titres;Courriel;Ville\r\n\
Marie Tremblay;\"Présidente\r\nOfficière de l’Ordre\";Marie@Example.org;Lévis\r\n\
Jean Côté;;jean@example.org;\r\n\
MARIE TREMBLAY;;marie@example.org;\r\n\
Ana Roy;;pas-une-adresse;\r\n\
;;;\r\n\
Déjà Signé;;deja@example.org;\r\n";

/// The body of a multipart form with the CSRF token and one file, as a
/// browser sends it.
fn multipart(csrf: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----formulaire-csv-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload_with(org: &Org, ws: &str, csrf: &str, bytes: &[u8]) -> reqwest::Response {
    let (content_type, body) = multipart(csrf, "signatures.csv", bytes);
    org.client
        .post(format!("{}{ws}/import/csv", org.base))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn upload(org: &Org, ws: &str, bytes: &[u8]) -> reqwest::Response {
    let csrf = org.csrf().await;
    upload_with(org, ws, &csrf, bytes).await
}

/// Uploads and returns the preview's path.
async fn uploaded(org: &Org, ws: &str, bytes: &[u8]) -> String {
    let r = upload(org, ws, bytes).await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    r.headers()["location"].to_str().unwrap().to_string()
}

const CONFIRM_MODE: &[(&str, &str)] = &[
    ("name", "0"),
    ("title", "1"),
    ("email", "2"),
    ("city", "3"),
    ("mode", "confirm"),
    ("visibility", "public"),
];

fn with<'a>(base: &[(&'a str, &'a str)], more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    base.iter().chain(more).copied().collect()
}

fn count(app: &TestApp, table: &str) -> i64 {
    app.with_conn(|c| match table {
        "signatures" => signatures::table.count().get_result(c),
        "outbox" => outbox::table.count().get_result(c),
        "collected" => collected_signatures::table.count().get_result(c),
        "uploads" => csv_uploads::table.count().get_result(c),
        _ => unreachable!(),
    })
    .unwrap()
}

async fn published_letter(app: &TestApp, org: &Org, slug: &str) -> String {
    let ws = create_letter(org, slug).await;
    assert_eq!(
        org.post(&format!("{ws}/publish"), &[]).await.status().as_u16(),
        303
    );
    assert_eq!(app.get_html(&format!("/letters/{slug}")).await.0, 200);
    ws
}

#[actix_web::test]
async fn a_file_is_previewed_then_imported_by_email_once() {
    let app = spawn_app().await;
    let owner = organizer(&app, "import@example.org", false).await;
    let ws = published_letter(&app, &owner, "import-courriel").await;
    app.sign_and_confirm_on("import-courriel", "Déjà Signé", "deja@example.org")
        .await;
    let (signatures_before, outbox_before) = (count(&app, "signatures"), count(&app, "outbox"));

    // The upload keeps the file and shows what it would do; nothing else
    // is stored yet.
    let preview = uploaded(&owner, &ws, EXCEL_FR.as_bytes()).await;
    let (status, page) = owner.get(&preview).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("<th>Courriel</th>"), "{page}");
    assert!(page.contains("Présidente\r\nOfficière de l’Ordre") || page.contains("Présidente\nOfficière"));
    assert!(page.contains("Doublon de la ligne 2"), "{page}");
    assert!(page.contains("Déjà signataire"), "{page}");
    assert!(page.contains("Ligne 6\u{a0}: adresse courriel"), "{page}");
    assert!(page.contains("Importer 2 signatures"), "{page}");
    assert_eq!(count(&app, "signatures"), signatures_before);

    // The same file uploaded again is the same upload.
    assert_eq!(uploaded(&owner, &ws, EXCEL_FR.as_bytes()).await, preview);
    assert_eq!(count(&app, "uploads"), 1);

    let r = owner
        .post(&preview, &with(CONFIRM_MODE, &[("step", "import")]))
        .await;
    assert_eq!(r.status().as_u16(), 303, "{}", r.text().await.unwrap());
    assert_eq!(count(&app, "signatures"), signatures_before + 2);
    assert_eq!(count(&app, "outbox"), outbox_before + 2);
    // Spread at the pace of messages to signers (600 a minute by default),
    // so that a big file never holds back the site's other mail.
    let leaves: Vec<chrono::NaiveDateTime> = app.with_conn(|c| {
        outbox::table
            .filter(outbox::kind.eq("confirm_imported"))
            .order(outbox::next_attempt_at.asc())
            .select(outbox::next_attempt_at)
            .load(c)
            .unwrap()
    });
    assert_eq!(
        leaves[1] - leaves[0],
        chrono::Duration::milliseconds(100),
        "{leaves:?}"
    );
    assert_eq!(
        app.api_count("import-courriel").await,
        1,
        "they count once confirmed"
    );

    let mail = app.wait_for_file_emails("marie@example.org", 1).await;
    assert!(
        mail[0].text.contains("nous ont transmis votre signature"),
        "{}",
        mail[0].text
    );
    let r = app.post(&mail[0].confirm_link()).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(app.api_count("import-courriel").await, 2);
    let (_, public) = app.get_html("/letters/import-courriel").await;
    assert!(public.contains("Marie Tremblay") && public.contains("Officière de l’Ordre"));
    assert!(!public.contains("Jean Côté"), "not confirmed yet");

    // Imported once: the page says so, and importing again adds nobody.
    let (_, page) = owner.get(&preview).await;
    assert!(page.contains("a été importé"), "{page}");
    assert_eq!(uploaded(&owner, &ws, EXCEL_FR.as_bytes()).await, preview);
    let r = owner
        .post(&preview, &with(CONFIRM_MODE, &[("step", "import")]))
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(count(&app, "signatures"), signatures_before + 2);
    assert_eq!(count(&app, "outbox"), outbox_before + 2);
    let content: String = app
        .with_conn(|c| csv_uploads::table.select(csv_uploads::content).first(c))
        .unwrap();
    assert!(content.is_empty(), "the addresses are not kept twice");

    // A changed file re-imports nobody already there.
    let more = format!("{EXCEL_FR}Nouvelle Personne;;nouvelle@example.org;\r\n");
    let preview = uploaded(&owner, &ws, more.as_bytes()).await;
    let (_, page) = owner.get(&preview).await;
    assert!(page.contains("Importer une signature"), "{page}");
    owner
        .post(&preview, &with(CONFIRM_MODE, &[("step", "import")]))
        .await;
    assert_eq!(count(&app, "signatures"), signatures_before + 3);

    let actions: Vec<String> = app
        .with_conn(|c| {
            audit_log::table
                .filter(audit_log::action.eq("csv-imported"))
                .select(audit_log::detail)
                .load(c)
        })
        .unwrap();
    assert_eq!(actions.len(), 2, "{actions:?}");
    let first = &actions[0];
    for part in [
        "file=signatures.csv",
        "mode=confirm",
        "n=2",
        "duplicates=2",
        "invalid=1",
    ] {
        assert!(first.contains(part), "{part} in {actions:?}");
    }
}

#[actix_web::test]
async fn signatures_collected_in_person_count_at_once_and_are_marked_for_organizers() {
    let app = spawn_app().await;
    let owner = organizer(&app, "terrain@example.org", false).await;
    let ws = published_letter(&app, &owner, "import-terrain").await;
    owner
        .post(
            &format!("{ws}/protected"),
            &[("action", "add"), ("name", "Élise Côté")],
        )
        .await;
    let file = "Nom,Ville\nLouise Béland,Rimouski\nÉlise Côté,Québec\nJean Roy,\n";
    let preview = uploaded(&owner, &ws, file.as_bytes()).await;
    let fields = [
        ("name", "0"),
        ("email", ""),
        ("city", "1"),
        ("mode", "in-person"),
        ("visibility", "public"),
    ];

    // Evidence missing: the form comes back with what was typed, and
    // nothing is stored.
    let r = owner
        .post(
            &preview,
            &with(
                &fields,
                &[
                    ("by", "Louise"),
                    ("on", "2999-01-01"),
                    ("how", ""),
                    ("step", "import"),
                ],
            ),
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("dans le futur") && page.contains("Comment\u{a0}:"),
        "{page}"
    );
    assert!(page.contains("value=\"Louise\""), "{page}");
    assert_eq!(count(&app, "collected"), 0);
    assert_eq!(app.api_count("import-terrain").await, 0);

    let evidence = [
        ("by", "Louise Béland"),
        ("on", "2026-05-12"),
        ("how", "Feuille papier, congrès du 12 mai"),
    ];
    // A double click: two imports of one file at once import it once.
    let form = with(&fields, &with(&evidence, &[("step", "import")]));
    let (a, b) = tokio::join!(owner.post(&preview, &form), owner.post(&preview, &form));
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303));
    assert_eq!(app.api_count("import-terrain").await, 3, "they count at once");
    assert_eq!(count(&app, "collected"), 3);
    let (_, public) = app.get_html("/letters/import-terrain").await;
    assert!(public.contains("Louise Béland"));
    assert!(
        !public.contains("Élise Côté"),
        "a protected name waits for review"
    );
    let (_, queue) = owner.get(&format!("{ws}/moderation")).await;
    assert!(queue.contains("Élise Côté"), "{queue}");

    let export = |q: &str| owner.client.get(format!("{}{ws}/export?{q}", app.address)).send();
    let all = export("format=csv&who=all").await.unwrap().text().await.unwrap();
    assert!(
        all.lines()
            .next()
            .unwrap()
            .ends_with("collected_by,collected_on,collected_how"),
        "{all}"
    );
    assert!(
        all.contains("Louise Béland,2026-05-12,\"Feuille papier, congrès du 12 mai\""),
        "{all}"
    );
    let text = export("format=text&who=all").await.unwrap().text().await.unwrap();
    assert!(
        text.contains(
            "Recueillie en personne (Feuille papier, congrès du 12 mai), le 12 mai 2026, par Louise Béland"
        ),
        "{text}"
    );
    let public_export = export("format=csv").await.unwrap().text().await.unwrap();
    assert!(!public_export.contains("collected") && !public_export.contains("Feuille"));
}

#[actix_web::test]
async fn only_the_owner_imports_and_what_is_refused_stores_nothing() {
    let app = spawn_app().await;
    let owner = organizer(&app, "proprio@example.org", false).await;
    let coeditor = organizer(&app, "coediteur@example.org", false).await;
    let stranger = organizer(&app, "autre@example.org", false).await;
    let ws = published_letter(&app, &owner, "import-refus").await;
    let (signatures_before, outbox_before) = (count(&app, "signatures"), count(&app, "outbox"));
    owner
        .post(&format!("{ws}/editors"), &[("email", "coediteur@example.org")])
        .await;
    let preview = uploaded(&owner, &ws, b"Nom,Courriel\nAna Roy,ana@example.org\n").await;
    let import: &[(&str, &str)] = &[
        ("name", "0"),
        ("email", "1"),
        ("mode", "confirm"),
        ("visibility", "public"),
        ("step", "import"),
    ];

    // A co-editor may not, whatever the route; a stranger sees nothing.
    for who in [&coeditor, &stranger] {
        let expected = if std::ptr::eq(who, &coeditor) { 403 } else { 404 };
        assert_eq!(who.get(&format!("{ws}/import/csv")).await.0, expected);
        assert_eq!(who.get(&preview).await.0, expected);
        assert_eq!(upload(who, &ws, b"Nom\nX\n").await.status().as_u16(), expected);
        assert_eq!(who.post(&preview, import).await.status().as_u16(), expected);
    }
    // Without this session's token, or with another letter's id.
    assert_eq!(
        upload_with(&owner, &ws, "faux", b"Nom\nX\n")
            .await
            .status()
            .as_u16(),
        403
    );
    let other = published_letter(&app, &owner, "import-autre").await;
    let hash = preview.rsplit('/').next().unwrap();
    let elsewhere = format!("{other}/import/csv/{hash}");
    assert_eq!(owner.get(&elsewhere).await.0, 404);
    assert_eq!(owner.post(&elsewhere, import).await.status().as_u16(), 404);
    // Forged choices.
    let forged = with(import, &[("title", "9")]);
    assert_eq!(owner.post(&preview, &forged).await.status().as_u16(), 400);
    let forged = [("name", "0"), ("mode", "tout-de-suite"), ("visibility", "public")];
    assert_eq!(owner.post(&preview, &forged).await.status().as_u16(), 400);
    assert_eq!(count(&app, "signatures"), signatures_before);

    // Files that do not read are refused with why, and not kept.
    let r = upload(&owner, &ws, b"Nom;Ville\nJean;Montr\xe9al\n").await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("pas en UTF-8 (ligne 2)"));
    let r = upload(&owner, &ws, b"").await;
    assert_eq!(r.status().as_u16(), 422);
    assert_eq!(count(&app, "uploads"), 1);

    // A closed letter takes no import.
    owner.post(&format!("{ws}/status"), &[("action", "close")]).await;
    assert_eq!(owner.post(&preview, import).await.status().as_u16(), 400);
    assert_eq!(count(&app, "signatures"), signatures_before);
    assert_eq!(count(&app, "outbox"), outbox_before);
}

/// An address typed up from a paper sheet was never proved by an email:
/// a mapping for its domain marks no line of that signature as verified.
#[actix_web::test]
async fn signatures_collected_in_person_earn_no_mark_verified_by_email() {
    let app = spawn_app().await;
    let owner = organizer(&app, "marques@example.org", false).await;
    let ws = published_letter(&app, &owner, "import-marques").await;
    let file = "Nom,Titre,Courriel\nJean Tremblay,Recteur de l’Université Laval,recteur@ulaval.ca\n";
    let preview = uploaded(&owner, &ws, file.as_bytes()).await;
    let form = [
        ("name", "0"),
        ("title", "1"),
        ("email", "2"),
        ("city", ""),
        ("mode", "in-person"),
        ("visibility", "public"),
        ("by", "Louise Béland"),
        ("on", "2026-05-12"),
        ("how", "Feuille papier"),
        ("step", "import"),
    ];
    assert_eq!(owner.post(&preview, &form).await.status().as_u16(), 303);
    let r = owner
        .post(
            &format!("{ws}/affiliations"),
            &[
                ("action", "add"),
                ("affiliation", "Université Laval"),
                ("domain", "ulaval.ca"),
            ],
        )
        .await;
    assert_eq!(r.status().as_u16(), 303);
    let marks: Vec<Option<String>> = app.with_conn(|c| {
        signatures::table
            .filter(signatures::email.eq("recteur@ulaval.ca"))
            .select(signatures::verified_lines)
            .load(c)
            .unwrap()
    });
    assert_eq!(marks, [None]);
    let (_, public) = app.get_html("/letters/import-marques").await;
    assert!(public.contains("Recteur de l’Université Laval"), "{public}");
    assert!(!public.contains("verified-mark"), "{public}");
}

/// A file never imported, full of addresses, is forgotten after a day:
/// unreachable at once, erased by the maintenance pass even when nobody
/// uploads again, and erased with the letter's anonymisation.
#[actix_web::test]
async fn files_never_imported_are_forgotten_after_a_day_and_with_the_letter() {
    let app = spawn_app().await;
    let owner = organizer(&app, "oubli@example.org", false).await;
    let ws = published_letter(&app, &owner, "import-oubli").await;
    let file = "Nom,Titre,Courriel,Ville\nLouise Béland,,louise@example.org,Rimouski\n";
    let preview = uploaded(&owner, &ws, file.as_bytes()).await;
    assert_eq!(owner.get(&preview).await.0, 200);
    app.with_conn(|c| {
        diesel::update(csv_uploads::table)
            .set(csv_uploads::created_at.eq(undersigned::db::now() - chrono::Duration::hours(25)))
            .execute(c)
    })
    .unwrap();
    assert_eq!(owner.get(&preview).await.0, 404, "past its day");
    let before = count(&app, "signatures");
    let r = owner
        .post(&preview, &with(CONFIRM_MODE, &[("step", "import")]))
        .await;
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(count(&app, "signatures"), before, "nothing imported");
    let config = undersigned::jobs::MaintenanceConfig {
        interval: std::time::Duration::from_secs(3600),
        confirm_ttl: std::time::Duration::from_secs(7 * 86_400),
        anonymise_after_days: None,
    };
    let report = undersigned::jobs::run_once(&mut app.conn(), &config).unwrap();
    assert_eq!((report.purged_uploads, count(&app, "uploads")), (1, 0));

    // A fresh upload goes with the letter's anonymisation.
    uploaded(&owner, &ws, file.as_bytes()).await;
    assert_eq!(count(&app, "uploads"), 1);
    owner.post(&format!("{ws}/status"), &[("action", "close")]).await;
    let r = owner
        .post(&format!("{ws}/status"), &[("action", "anonymise")])
        .await;
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(count(&app, "uploads"), 0);
}
