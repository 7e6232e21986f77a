//! Press exports: golden files for every format, the command line run as a
//! real process, and the public downloads over HTTP.
//!
//! Golden files live in tests/golden/. Times in them are masked as <TIME>.
//! After a deliberate change of format, rewrite them with
//! `UPDATE_GOLDEN=1 cargo test --test api exports` and read the diff.

use crate::helpers::{spawn_app, TestApp};
use crate::pdf_read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use undersigned::db::export_rows::{self, ExportRows, Order, Selection, Who};

const SLUG: &str = "lettre-presse";

/// The fixture letter: typographic quotes, no-break spaces, a name ending
/// with a comma, one initial signatory with four long titles and one with
/// none.
fn fixture_source() -> String {
    let nbsp = '\u{a0}';
    let nnbsp = '\u{202f}';
    format!(
        r#"+++
slug = "{SLUG}"
language = "fr"
title = "Lettre ouverte «{nbsp}pour l’été{nbsp}» des coopératives"
place = "Québec"
date = 2015-05-26
addressees = "À la ministre responsable de l’Habitation"
preamble = "Nous soussignés appuyons ces demandes{nbsp}:"

[[signatories]]
name = "Marie Tremblay,"
titles = [
  "Présidente de la Fédération des coopératives d’habitation de l’Estrie et de la Montérégie (1998-2006)",
  "Administratrice de la Confédération québécoise des coopératives d’habitation, comité de la recherche",
  "Officière de l’Ordre national du Québec et membre honoraire de l’Association des locataires",
  "Chercheuse associée au Centre de recherche sur les politiques «{nbsp}logement et territoire{nbsp}»",
]

[[signatories]]
name = "Louise Béland"

[[signatories]]
name = "Étienne Bergeron"
titles = ["Professeur «{nbsp}émérite{nbsp}», Université Laval"]
+++
Madame la Ministre,

Depuis *cinquante* ans, les coopératives offrent un toit{nnbsp}; c’est «{nbsp}un toit, une voix{nbsp}».

## Ce que nous demandons

1. Un programme **permanent**.
2. Des terrains, voir [le rapport](https://example.org/rapport).

Veuillez agréer, Madame la Ministre, l’expression de notre considération.
"#
    )
}

/// Public signers, in the order they confirm: a name that looks like a
/// formula, one with quotes and a comma, an accented surname.
const PUBLIC: &[(&str, &str, &str, &str)] = &[
    (
        "=HYPERLINK(\"http://x\",\"y\")",
        "formule@example.org",
        "@Direction générale\n-1+2",
        "Trois-Rivières",
    ),
    (
        "Robert \"Bob\" Gagnon, fils",
        "bob.gagnon@example.org",
        "Président, Syndicat «\u{a0}des travailleurs\u{a0}»",
        "Lévis",
    ),
    ("Zoé Éthier", "zoe.ethier@example.org", "Avocate", ""),
];

/// Counted, never listed in public.
const COUNT_ONLY: (&str, &str) = ("Caché Secret", "cache.secret@example.org");
const COUNT_ONLY_TITLE: &str = "Ne doit jamais paraître";

const EMAILS: &[&str] = &[
    "formule@example.org",
    "bob.gagnon@example.org",
    "zoe.ethier@example.org",
    "cache.secret@example.org",
];

async fn sign_and_confirm(app: &TestApp, fields: &[(&str, &str)], email: &str) {
    let r = app.sign(SLUG, fields).await;
    assert_eq!(r.status().as_u16(), 303, "signing as {email}");
    let emails = app.wait_for_file_emails(email, 1).await;
    let r = app.post(&emails[0].confirm_link()).await;
    assert_eq!(r.status().as_u16(), 200, "confirming {email}");
}

/// The fixture letter with every kind of signer, signed through the site.
async fn fixture_app() -> TestApp {
    let app = spawn_app().await;
    app.publish_source(&fixture_source());
    for (name, email, titles, city) in PUBLIC {
        // The public form refuses a name that starts like a formula; such a
        // name still reaches a list through an organizer or an older row,
        // so it is stored directly after signing as a stand-in.
        let typed = if name.starts_with('=') {
            "Nom Provisoire"
        } else {
            *name
        };
        let fields = [
            ("name", typed),
            ("titles", *titles),
            ("email", *email),
            ("city", *city),
            ("visibility", "public"),
            ("consent", "yes"),
        ];
        sign_and_confirm(&app, &fields, email).await;
        if typed != *name {
            use diesel::prelude::*;
            use undersigned::db::schema::signatures as s;
            app.with_conn(|c| {
                diesel::update(s::table.filter(s::email.eq(*email)))
                    .set((
                        s::name.eq(*name),
                        s::sort_key.eq(undersigned::domain::sort_key(name)),
                    ))
                    .execute(c)
            })
            .expect("store the formula-like name");
        }
    }
    let fields = [
        ("name", COUNT_ONLY.0),
        ("titles", COUNT_ONLY_TITLE),
        ("email", COUNT_ONLY.1),
        ("visibility", "count-only"),
        ("consent", "yes"),
    ];
    sign_and_confirm(&app, &fields, COUNT_ONLY.1).await;
    app
}

/// Runs `undersigned export SLUG ARGS…` against the app's database.
fn export(app: &TestApp, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .arg("export")
        .args(args)
        .env_remove("UNDERSIGNED_CONFIG")
        .env("UNDERSIGNED_DATABASE_URL", app.db_url())
        .env("UNDERSIGNED_DATA_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the binary")
}

/// The standard output of a successful export.
fn export_ok(app: &TestApp, args: &[&str]) -> Vec<u8> {
    let out = export(app, args);
    assert!(
        out.status.success(),
        "export {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn export_text(app: &TestApp, args: &[&str]) -> String {
    String::from_utf8(export_ok(app, args)).expect("UTF-8 export")
}

/// Replaces every `2026-11-27T14:05:09Z` with `<TIME>`, and every time on
/// the site's clock, `2026-11-27 09:05:09 UTC−05:00`, with `<LOCAL TIME>`
/// (its offset changes with the season).
fn mask_times(text: &str) -> String {
    let text = mask_shape(text, "dddd-dd-ddTdd:dd:ddZ", "<TIME>");
    mask_shape(&text, "dddd-dd-dd dd:dd:dd UTC\u{2212}dd:dd", "<LOCAL TIME>")
}

fn mask_shape(text: &str, shape: &str, mask: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let fits = |at: usize| {
        shape
            .chars()
            .enumerate()
            .all(|(i, s)| match (s, chars.get(at + i)) {
                ('d', Some(c)) => c.is_ascii_digit(),
                (s, Some(c)) => s == *c,
                _ => false,
            })
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if fits(i) {
            out.push_str(mask);
            i += shape.chars().count();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares with tests/golden/NAME exactly, times masked.
fn assert_golden(name: &str, actual: &str) {
    let actual = mask_times(actual);
    let path = golden_path(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1 to create it", path.display()));
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "{name} differs from its golden file at line {}:\n  actual:   {:?}\n  expected: {:?}\n--- whole output ---\n{actual}",
            line + 1,
            actual.lines().nth(line),
            expected.lines().nth(line)
        );
    }
}

/// Words separated by single spaces, whatever white space a layout used.
fn words(text: &str) -> String {
    text.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn public_names() -> Vec<&'static str> {
    let mut names = vec!["Marie Tremblay,", "Louise Béland", "Étienne Bergeron"];
    names.extend(PUBLIC.iter().map(|p| p.0));
    names
}

#[actix_web::test]
async fn every_format_matches_its_golden_file() {
    let app = fixture_app().await;
    let cases: &[(&str, &[&str])] = &[
        ("press.txt", &["--format", "text"]),
        ("press.md", &["--format", "markdown", "--numbered"]),
        ("press.csv", &["--format", "csv"]),
        ("press.json", &["--format", "json"]),
        ("press.html", &["--format", "html", "--columns", "2"]),
    ];
    for (golden, args) in cases {
        let mut full = vec![SLUG];
        full.extend_from_slice(args);
        assert_golden(golden, &export_text(&app, &full));
    }
    let pdf = export_ok(&app, &[SLUG, "--format", "pdf"]);
    assert!(pdf.starts_with(b"%PDF-"));
    let read = pdf_read::read(&pdf);
    assert_eq!(read.pages, 1);
    assert_golden("press.pdf.txt", &read.text);
    pdf_read::assert_footers_clear(&pdf, &["Page 1 sur 1".to_string()], 12.0);
}

#[actix_web::test]
async fn the_pdf_holds_every_name_and_title_as_text() {
    let app = fixture_app().await;
    for columns in ["1", "2"] {
        let pdf = export_ok(
            &app,
            &[SLUG, "--format", "pdf", "--columns", columns, "--numbered"],
        );
        let read = pdf_read::read(&pdf);
        assert_eq!(read.pages, 1);
        let text = read.text;
        let flat = words(&text);
        let mut expected: Vec<&str> = public_names();
        expected.extend(fixture_titles());
        for needle in expected {
            assert!(
                flat.contains(&words(needle)),
                "{needle:?} missing from the PDF text:\n{text}"
            );
        }
        // Typography reaches the text layer, not only the picture.
        assert!(text.contains("l’été"), "{text}");
        assert!(text.contains("Québec, le 26 mai 2015"), "{text}");
        assert!(text.contains("Page 1 sur 1"), "{text}");
        assert!(!text.contains(COUNT_ONLY.0));
    }
}

/// A letter of `paragraphs` paragraphs under four initial signatories
/// with two or three titles each, as the issue's letter had.
fn four_signatories_source(slug: &str, paragraphs: usize) -> String {
    let body: Vec<String> = (0..paragraphs)
        .map(|i| format!("Considérant le point {i}, nous demandons une réponse."))
        .collect();
    format!(
        r#"+++
slug = "{slug}"
language = "fr"
title = "Lettre aux quatre signataires"
place = "Québec"
date = 2015-05-26
addressees = "À la ministre"
preamble = "Nous soussignés :"

[[signatories]]
name = "Jacques Lavoie"
titles = ["Ancien premier ministre du Québec", "Grand Officier de l’Ordre national du Québec", "Professeur émérite"]

[[signatories]]
name = "Monique Gagnon"
titles = ["Présidente de la Fédération des coopératives", "Grand Officier du Québec"]

[[signatories]]
name = "Paul Tremblay"
titles = ["Ancien juge à la Cour d’appel", "Grand Officier du Québec", "Compagnon de l’Ordre du Canada"]

[[signatories]]
name = "Hélène Côté"
titles = ["Rectrice honoraire", "Grand Officier du Québec"]
+++
{}
"#,
        body.join("\n\n")
    )
}

/// The issue's page: the last block of page 1 ran into "Page 1 sur 2".
/// Whatever the letter's length, the footer stands clear of the text, as
/// poppler reads it (`pdftotext -bbox`) and draws it (`pdftoppm`), and no
/// signatory's block is split across pages.
#[actix_web::test]
async fn the_pdf_footer_stands_clear_and_keeps_each_signatory_whole() {
    let app = spawn_app().await;
    let mut checked = 0;
    // From the list's start well up the first page to past its foot, a
    // line of letter at a time.
    for paragraphs in 22..32 {
        let slug = format!("quatre-{paragraphs}");
        app.publish_source(&four_signatories_source(&slug, paragraphs));
        for columns in ["1", "2"] {
            let pdf = export_ok(&app, &[&slug, "--format", "pdf", "--columns", columns]);
            let read = pdf_read::read(&pdf);
            let pages: Vec<&str> = read.text.split_terminator('\x0c').collect();
            for (name, titles) in [
                ("Jacques Lavoie", "Professeur émérite"),
                ("Monique Gagnon", "Grand Officier du Québec"),
                ("Paul Tremblay", "Compagnon de l’Ordre du Canada"),
                ("Hélène Côté", "Grand Officier du Québec"),
            ] {
                let page = pages
                    .iter()
                    .find(|p| p.lines().any(|l| l == name))
                    .unwrap_or_else(|| panic!("{name} missing:\n{}", read.text));
                let lines: Vec<&str> = page.lines().collect();
                let at = lines.iter().position(|l| *l == name).expect("the name");
                let block = 1 + if titles.starts_with("Grand") { 2 } else { 3 };
                assert_eq!(
                    lines.get(at + block - 1),
                    Some(&titles),
                    "{paragraphs} paragraphs, {columns} columns: {name}'s block left its page:\n{page}"
                );
            }
            let footers: Vec<String> = (1..=read.pages)
                .map(|p| format!("Page {p} sur {}", read.pages))
                .collect();
            if pdf_read::assert_footers_clear(&pdf, &footers, 12.0) {
                checked += 1;
            }
        }
    }
    // Without poppler (outside CI), the Rust read-back alone ran.
    assert!(checked == 0 || checked == 20, "{checked}");
}

fn fixture_titles() -> Vec<&'static str> {
    vec![
        "Présidente de la Fédération des coopératives d’habitation de l’Estrie et de la Montérégie (1998-2006)",
        "Administratrice de la Confédération québécoise des coopératives d’habitation, comité de la recherche",
        "Officière de l’Ordre national du Québec et membre honoraire de l’Association des locataires",
        "Chercheuse associée au Centre de recherche sur les politiques «\u{a0}logement et territoire\u{a0}»",
        "Professeur «\u{a0}émérite\u{a0}», Université Laval",
        "@Direction générale",
        "-1+2",
        "Président, Syndicat «\u{a0}des travailleurs\u{a0}»",
        "Avocate",
    ]
}

/// Anything shaped like an email address.
fn has_email(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '"' | '<' | '>' | ';'))
        .any(|w| {
            w.split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
        })
}

#[actix_web::test]
async fn public_exports_never_show_an_email_or_a_count_only_signer() {
    let app = fixture_app().await;
    let mut outputs = Vec::new();
    for format in ["text", "markdown", "csv", "json", "html"] {
        outputs.push((format.to_string(), export_text(&app, &[SLUG, "--format", format])));
    }
    let pdf = export_ok(&app, &[SLUG, "--format", "pdf"]);
    outputs.push(("pdf".into(), pdf_read::read(&pdf).text));
    for ext in ["txt", "csv", "json"] {
        let r = app.get(&format!("/letters/{SLUG}/export.{ext}")).await;
        assert_eq!(r.status().as_u16(), 200, "{ext}");
        outputs.push((format!("web {ext}"), r.text().await.expect("body")));
    }
    for (what, text) in &outputs {
        assert!(!has_email(text), "{what} shows an email address:\n{text}");
        for email in EMAILS {
            assert!(!text.contains(email), "{what} shows {email}");
        }
        assert!(!text.contains(COUNT_ONLY.0), "{what} lists the count-only signer");
        assert!(
            !text.contains(COUNT_ONLY_TITLE),
            "{what} shows a count-only title"
        );
        assert!(text.contains("Zoé Éthier"), "{what} lists the public signers");
    }
    // The check itself can fail: an organizer export does show them.
    let all = export_text(&app, &[SLUG, "--format", "text", "--who", "all"]);
    assert!(has_email(&all));
}

#[actix_web::test]
async fn who_chooses_the_list() {
    let app = fixture_app().await;
    let names_of = |text: &str| -> Vec<String> {
        text.split("\n\n")
            .map(|b| b.lines().next().unwrap_or("").to_string())
            .collect()
    };
    let initial = export_text(
        &app,
        &[
            SLUG,
            "--format",
            "text",
            "--who",
            "initial",
            "--list-only",
            "--no-stamp",
        ],
    );
    assert_eq!(
        names_of(&initial),
        ["Marie Tremblay,", "Louise Béland", "Étienne Bergeron"]
    );

    let public = export_text(&app, &[SLUG, "--format", "text", "--list-only", "--no-stamp"]);
    assert_eq!(names_of(&public), public_names());

    let all = export_text(
        &app,
        &[
            SLUG,
            "--format",
            "text",
            "--who",
            "all",
            "--list-only",
            "--no-stamp",
        ],
    );
    let mut expected = public_names();
    expected.push(COUNT_ONLY.0);
    assert_eq!(names_of(&all), expected);
    assert!(
        all.ends_with("Caché Secret\nNe doit jamais paraître\nCompté seulement, nom non publié\ncache.secret@example.org\n"),
        "{all}"
    );
    assert!(
        all.contains("Zoé Éthier\nAvocate\nzoe.ethier@example.org\n"),
        "{all}"
    );
    assert!(
        !all.contains("Louise Béland\nCompté"),
        "initial signatories have no address"
    );

    let json: serde_json::Value =
        serde_json::from_str(&export_text(&app, &[SLUG, "--format", "json", "--who", "all"])).expect("JSON");
    let list = json["signatories"].as_array().expect("array");
    assert_eq!(
        list[0]["email"],
        serde_json::Value::Null,
        "initial signatories have none"
    );
    assert_eq!(list[0]["listed"], true);
    assert_eq!(list[6]["email"], "cache.secret@example.org");
    assert_eq!(list[6]["listed"], false);

    let csv = export_text(&app, &[SLUG, "--format", "csv", "--who", "all", "--no-stamp"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (listed, moderation, email) = (column("listed"), column("moderation"), column("email"));
    assert_eq!((moderation, email), (listed + 1, listed + 2));
    let last = reader.records().last().expect("rows").expect("row");
    assert_eq!(last.get(1), Some("Caché Secret"));
    assert_eq!(
        (last.get(listed), last.get(moderation), last.get(email)),
        (Some("false"), Some("shown"), Some("cache.secret@example.org"))
    );
}

/// Organizer exports say who asked for news, in which language and on which
/// version of the letter each signer signed, and how each was verified;
/// public exports say none of it, nor who verified.
#[actix_web::test]
async fn organizer_exports_add_opt_in_language_version_and_verification() {
    use diesel::prelude::*;
    use undersigned::db::schema::signatures;
    let app = fixture_app().await;
    let fields = [
        ("name", "Nadia Roy"),
        ("email", "nadia.roy@example.org"),
        ("visibility", "public"),
        ("consent", "yes"),
        ("updates", "yes"),
    ];
    sign_and_confirm(&app, &fields, "nadia.roy@example.org").await;
    app.with_conn(|c| {
        diesel::update(signatures::table.filter(signatures::name.eq("Louise Béland")))
            .set((
                signatures::verified_by.eq(Some("organisatrice@example.org")),
                signatures::verified_at.eq(Some(undersigned::db::now())),
                signatures::verified_how.eq(Some("=appel le 3 mars")),
            ))
            .execute(c)?;
        diesel::update(signatures::table.filter(signatures::name.eq("Étienne Bergeron")))
            .set(signatures::verified_lines.eq(Some("[0]")))
            .execute(c)
    })
    .expect("verify");

    let csv = export_text(&app, &[SLUG, "--format", "csv", "--who", "all", "--no-stamp"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    // The organizer's columns, then the evidence of in-person signatures.
    let tail: Vec<&str> = headers.iter().skip(headers.len() - 10).take(7).collect();
    assert_eq!(
        tail,
        [
            "opt_in",
            "language",
            "letter_version",
            "verified_by",
            "verified_at",
            "verified_how",
            "verified_lines"
        ]
    );
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let row = |name: &str| rows.iter().find(|r| &r[1] == name).expect(name).clone();
    let get = |r: &csv::StringRecord, c: &str| r[column(c)].to_string();

    let nadia = row("Nadia Roy");
    assert_eq!(get(&nadia, "opt_in"), "true");
    assert_eq!(get(&nadia, "language"), "fr");
    assert_eq!(get(&nadia, "letter_version"), "1");
    assert_eq!(get(&nadia, "verified_by"), "");
    let zoe = row("Zoé Éthier");
    assert_eq!(get(&zoe, "opt_in"), "false");
    let louise = row("Louise Béland");
    assert_eq!(get(&louise, "letter_version"), "", "an organizer added her");
    assert_eq!(get(&louise, "verified_by"), "organisatrice@example.org");
    assert!(get(&louise, "verified_at").ends_with('Z'), "UTC");
    assert_eq!(
        get(&louise, "verified_how"),
        "'=appel le 3 mars",
        "guarded as a formula"
    );
    assert_eq!(get(&louise, "verified"), "true");
    let etienne = row("Étienne Bergeron");
    assert_eq!(get(&etienne, "verified_lines"), "1");
    assert_eq!(get(&etienne, "verified_by"), "");

    let json: serde_json::Value =
        serde_json::from_str(&export_text(&app, &[SLUG, "--format", "json", "--who", "all"])).expect("JSON");
    let list = json["signatories"].as_array().expect("array");
    let find = |name: &str| list.iter().find(|s| s["name"] == name).expect(name).clone();
    let louise = find("Louise Béland");
    assert_eq!(louise["verified_by"], "organisatrice@example.org");
    assert_eq!(louise["verified_how"], "=appel le 3 mars");
    assert_eq!(louise["letter_version"], serde_json::Value::Null);
    assert_eq!(find("Nadia Roy")["opt_in"], true);
    assert_eq!(find("Nadia Roy")["language"], "fr");
    assert_eq!(find("Étienne Bergeron")["verified_lines"], serde_json::json!([1]));

    // Public exports: the same verified flag, none of the rest.
    for format in ["csv", "json"] {
        let public = export_text(&app, &[SLUG, "--format", format]);
        for private in [
            "organisatrice",
            "appel le 3 mars",
            "opt_in",
            "verified_by",
            "letter_version",
        ] {
            assert!(!public.contains(private), "{format} shows {private}:\n{public}");
        }
    }
}

/// Moderation decides what the public sees: a hidden signature leaves every
/// public export and stays, marked, in the organizers'; an excluded one no
/// longer counts, so it leaves both.
#[actix_web::test]
async fn moderation_applies_to_exports() {
    use diesel::prelude::*;
    use undersigned::db::schema::signatures;
    let app = fixture_app().await;
    app.with_conn(|c| {
        diesel::update(signatures::table.filter(signatures::name.eq("Zoé Éthier")))
            .set(signatures::moderation.eq("hidden"))
            .execute(c)?;
        diesel::update(signatures::table.filter(signatures::name.eq("Robert \"Bob\" Gagnon, fils")))
            .set(signatures::excluded.eq(true))
            .execute(c)
    })
    .expect("moderate");

    let public = export_text(&app, &[SLUG, "--format", "text", "--list-only", "--no-stamp"]);
    assert!(!public.contains("Zoé Éthier"), "{public}");
    let web = app
        .get(&format!("/letters/{SLUG}/export.json"))
        .await
        .text()
        .await
        .expect("body");
    assert!(!web.contains("Zoé Éthier"), "{web}");

    let all = export_text(
        &app,
        &[
            SLUG,
            "--format",
            "text",
            "--who",
            "all",
            "--list-only",
            "--no-stamp",
        ],
    );
    assert!(
        all.contains("Zoé Éthier\nAvocate\nMasquée par la modération\nzoe.ethier@example.org\n"),
        "{all}"
    );
    assert!(
        !all.contains("Gagnon"),
        "an excluded signature does not count: {all}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&export_text(&app, &[SLUG, "--format", "json", "--who", "all"])).expect("JSON");
    let zoe = json["signatories"]
        .as_array()
        .and_then(|l| l.iter().find(|s| s["name"] == "Zoé Éthier"))
        .expect("Zoé in the organizers' export");
    assert_eq!(zoe["moderation"], "hidden");
}

/// A signatory an organizer verified is `verified` in the CSV, and who
/// verified them stays out of it.
#[actix_web::test]
async fn verified_signatories_are_marked() {
    use diesel::prelude::*;
    use undersigned::db::schema::signatures;
    let app = fixture_app().await;
    app.with_conn(|c| {
        diesel::update(signatures::table.filter(signatures::name.eq("Louise Béland")))
            .set((
                signatures::verified_by.eq(Some("organisatrice@example.org")),
                signatures::verified_at.eq(Some(undersigned::db::now())),
            ))
            .execute(c)
    })
    .expect("verify");
    let csv = export_text(&app, &[SLUG, "--format", "csv", "--no-stamp"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    let column = headers
        .iter()
        .position(|h| h == "verified")
        .expect("verified column");
    let mut seen = 0;
    for row in reader.records().map(|r| r.expect("row")) {
        let expected = if &row[1] == "Louise Béland" {
            "true"
        } else {
            "false"
        };
        assert_eq!(&row[column], expected, "{}", &row[1]);
        seen += 1;
    }
    assert_eq!(seen, 6);
    assert!(
        !csv.contains("organisatrice@example.org"),
        "who verified stays private"
    );
}

/// A title line verified by email carries the same mark in the PDF and the
/// print page as in the text export: `✓ (vérifié par courriel)`, the check
/// drawn by a face that has it.
#[actix_web::test]
async fn lines_verified_by_email_are_marked_in_the_pdf_and_print_as_elsewhere() {
    use diesel::prelude::*;
    use undersigned::db::schema::signatures;
    let app = fixture_app().await;
    app.with_conn(|c| {
        diesel::update(signatures::table.filter(signatures::name.eq("Étienne Bergeron")))
            .set(signatures::verified_lines.eq(Some("[0]")))
            .execute(c)
    })
    .expect("verify a line");
    let marked = "Professeur «\u{a0}émérite\u{a0}», Université Laval ✓ (vérifié par courriel)";
    let text = export_text(&app, &[SLUG, "--format", "text"]);
    assert!(text.lines().any(|l| l == marked), "{text}");

    let pdf = export_ok(&app, &[SLUG, "--format", "pdf"]);
    let read = pdf_read::read(&pdf);
    assert!(read.text.lines().any(|l| l == marked), "{}", read.text);
    // Only that line is marked.
    assert_eq!(read.text.matches('✓').count(), 1, "{}", read.text);

    let html = export_text(&app, &[SLUG, "--format", "html"]);
    assert!(
        html.contains(
            "Professeur «\u{a0}émérite\u{a0}», Université Laval \
             <span class=\"verified-mark\">✓ (vérifié par courriel)</span>"
        ),
        "{html}"
    );
    assert_eq!(html.matches('✓').count(), 1);
    let css = app.get("/static/print.css").await.text().await.expect("css");
    assert!(css.contains(".verified-mark"), "the print page styles the mark");
}

/// The tombstone of a withdrawn signature keeps no folded copy of the name.
#[actix_web::test]
async fn a_withdrawal_erases_the_sort_key() {
    use diesel::prelude::*;
    use undersigned::db::schema::signatures;
    let app = spawn_app().await;
    let withdraw = app.sign_and_confirm("Gérald Godin", "gerald@example.org").await;
    let key_of = |app: &TestApp| -> Vec<String> {
        app.with_conn(|c| {
            signatures::table
                .filter(signatures::tier.eq("public"))
                .select(signatures::sort_key)
                .load(c)
        })
        .expect("keys")
    };
    assert_eq!(key_of(&app), ["godin gerald godin"]);
    let r = app.post(&withdraw).await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(key_of(&app), [" "]);
}

#[actix_web::test]
async fn surname_order_follows_french_collation() {
    let app = fixture_app().await;
    let names = |args: &[&str]| -> Vec<String> {
        let mut full = vec![
            SLUG,
            "--format",
            "text",
            "--list-only",
            "--no-stamp",
            "--order",
            "surname",
        ];
        full.extend_from_slice(args);
        export_text(&app, &full)
            .split("\n\n")
            .map(|b| b.lines().next().unwrap_or("").to_string())
            .collect()
    };
    // Béland before Bergeron, Éthier among the E; the last word of
    // "Robert "Bob" Gagnon, fils" is "fils".
    assert_eq!(
        names(&["--mixed"]),
        [
            "Louise Béland",
            "Étienne Bergeron",
            "Zoé Éthier",
            "Robert \"Bob\" Gagnon, fils",
            "=HYPERLINK(\"http://x\",\"y\")",
            "Marie Tremblay,",
        ]
    );
    assert_eq!(
        names(&[]),
        [
            "Louise Béland",
            "Étienne Bergeron",
            "Marie Tremblay,",
            "Zoé Éthier",
            "Robert \"Bob\" Gagnon, fils",
            "=HYPERLINK(\"http://x\",\"y\")",
        ]
    );
    // The same order on the web.
    let r = app
        .get(&format!("/letters/{SLUG}/export.txt?order=surname"))
        .await;
    let text = r.text().await.expect("body");
    let beland = text.find("Louise Béland").expect("Béland");
    let bergeron = text.find("Étienne Bergeron").expect("Bergeron");
    let tremblay = text.find("Marie Tremblay,\n").expect("Tremblay");
    let ethier = text.find("Zoé Éthier").expect("Éthier");
    assert!(
        beland < bergeron && bergeron < tremblay && tremblay < ethier,
        "{text}"
    );
}

#[actix_web::test]
async fn list_only_no_stamp_and_bom() {
    let app = fixture_app().await;
    let list = export_text(&app, &[SLUG, "--format", "text", "--list-only"]);
    assert!(list.starts_with("Marie Tremblay,\nPrésidente"), "{list}");
    assert!(!list.contains("Madame la Ministre"));
    assert!(list
        .contains("———\nLettre ouverte «\u{a0}pour l’été\u{a0}» des coopératives · version 1\nExporté le "));
    assert!(list.contains(" · 6 signataires · empreinte "), "{list}");

    let bare = export_text(&app, &[SLUG, "--format", "text", "--list-only", "--no-stamp"]);
    assert!(!bare.contains("———") && !bare.contains("empreinte"), "{bare}");
    assert!(bare.ends_with("Zoé Éthier\nAvocate\n"), "{bare}");

    for format in ["csv", "json"] {
        let out = export_text(&app, &[SLUG, "--format", format, "--no-stamp"]);
        assert!(
            !out.contains("letter_hash") && !out.contains("exported_at"),
            "{format}: {out}"
        );
        let stamped = export_text(&app, &[SLUG, "--format", format]);
        assert!(stamped.contains("letter_hash"), "{format}: {stamped}");
    }

    // Without a stamp, so the two runs cannot differ by their export time.
    let plain = export_ok(&app, &[SLUG, "--format", "csv", "--no-stamp"]);
    assert!(plain.starts_with(b"position,"));
    let bom = export_ok(&app, &[SLUG, "--format", "csv", "--bom", "--no-stamp"]);
    assert!(bom.starts_with(b"\xEF\xBB\xBFposition,"));
    assert!(bom[3..] == plain[..], "the BOM is the only difference");
}

#[actix_web::test]
async fn csv_cells_that_look_like_formulas_are_text() {
    let app = fixture_app().await;
    let csv = export_text(&app, &[SLUG, "--format", "csv", "--no-stamp"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV row")).collect();
    let formula = rows
        .iter()
        .find(|r| r.get(1).is_some_and(|n| n.contains("HYPERLINK")))
        .expect("row");
    assert_eq!(formula.get(1), Some("'=HYPERLINK(\"http://x\",\"y\")"));
    assert_eq!(formula.get(2), Some("'@Direction générale"));
    assert_eq!(formula.get(3), Some("'-1+2"));
    let bob = rows
        .iter()
        .find(|r| r.get(1).is_some_and(|n| n.contains("Bob")))
        .expect("row");
    assert_eq!(
        bob.get(1),
        Some("Robert \"Bob\" Gagnon, fils"),
        "quotes and commas survive quoting"
    );
    // No cell anywhere begins with a formula character.
    for row in &rows {
        for cell in row.iter() {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
        }
    }
}

#[actix_web::test]
async fn downloads_stream_over_http() {
    let app = fixture_app().await;
    for (ext, content_type) in [
        ("txt", "text/plain; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json"),
    ] {
        let r = app.get(&format!("/letters/{SLUG}/export.{ext}")).await;
        assert_eq!(r.status().as_u16(), 200);
        let headers = r.headers().clone();
        assert_eq!(headers["content-type"], content_type);
        assert!(headers.get("content-length").is_none(), "{ext}: {headers:?}");
        assert_eq!(
            headers.get("transfer-encoding").map(|v| v.to_str().unwrap()),
            Some("chunked")
        );
        assert_eq!(
            headers["content-disposition"].to_str().unwrap(),
            format!("attachment; filename=\"{SLUG}.{ext}\"")
        );
        let body = r.text().await.expect("body");
        assert!(body.contains("Marie Tremblay,"), "{ext}: {body}");
    }
    let json: serde_json::Value = app
        .get(&format!("/letters/{SLUG}/export.json"))
        .await
        .json()
        .await
        .expect("valid JSON");
    assert_eq!(json["signatories"].as_array().map(Vec::len), Some(6));
    assert_eq!(json["stamp"]["count"], 6);

    // The web answer equals the command line's, apart from the time.
    let web = app
        .get(&format!("/letters/{SLUG}/export.csv"))
        .await
        .text()
        .await
        .expect("body");
    assert_eq!(
        mask_times(&web),
        mask_times(&export_text(&app, &[SLUG, "--format", "csv"]))
    );
}

#[actix_web::test]
async fn the_signatories_page_links_the_downloads_and_the_print_stylesheet_is_served() {
    let app = fixture_app().await;
    let (status, page) = app.get_html(&format!("/letters/{SLUG}/signatories")).await;
    assert_eq!(status, 200);
    for href in ["export.txt", "export.csv?bom=1", "export.json"] {
        assert!(
            page.contains(&format!("href=\"/letters/{SLUG}/{href}\"")),
            "{page}"
        );
    }
    let r = app.get(&format!("/letters/{SLUG}/export.csv?bom=1")).await;
    assert!(r
        .bytes()
        .await
        .expect("body")
        .starts_with(b"\xEF\xBB\xBFposition,"));
    let r = app.get(&format!("/letters/{SLUG}/export.csv")).await;
    assert!(r.bytes().await.expect("body").starts_with(b"position,"));
    assert!(page.contains("Télécharger la liste publique"));
    let (_, en) = app
        .get_html(&format!("/letters/{SLUG}/signatories?lang=en"))
        .await;
    assert!(en.contains("Download the public list"), "{en}");

    let r = app.get("/static/print.css").await;
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "text/css; charset=utf-8");
    assert!(r.text().await.expect("css").contains("column-count: 2"));
}

#[actix_web::test]
async fn bad_requests_get_clear_answers() {
    let app = spawn_app().await;
    app.publish_source(&fixture_source());
    app.publish_source(&crate::helpers::letter_source("brouillon", "fr", ""));
    app.with_conn(|c| {
        let letter = undersigned::db::letters::find_by_slug(c, "brouillon")?.expect("letter");
        undersigned::db::letters::set_status(
            c,
            &letter.id,
            undersigned::db::letters::LetterStatus::Draft,
            undersigned::db::now(),
        )
    })
    .expect("set draft");

    for (path, status, text) in [
        ("/letters/inconnue/export.csv", 404, "Page introuvable"),
        ("/letters/brouillon/export.csv", 404, "Page introuvable"),
        (&format!("/letters/{SLUG}/export.xlsx"), 404, "Page introuvable"),
        // The press kit's PDF is public now; Markdown stays the organizers'.
        (&format!("/letters/{SLUG}/export.md"), 404, "Page introuvable"),
        ("/letters/brouillon/export.pdf", 404, "Page introuvable"),
        (
            &format!("/letters/{SLUG}/export.csv?order=prenom"),
            400,
            "Requête invalide",
        ),
    ] {
        let (got, page) = app.get_html(path).await;
        assert_eq!(got, status, "{path}");
        assert!(page.contains(text), "{path}: {page}");
    }

    let out = export(&app, &["inconnue", "--format", "csv"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no letter has the slug \"inconnue\""));
    let out = export(&app, &["brouillon", "--format", "csv"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a draft"));
    let out = export(&app, &[SLUG, "--format", "xlsx"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'xlsx'"));
    let out = export(&app, &[SLUG, "--format", "pdf", "--columns", "3"]);
    assert!(!out.status.success());
}

#[actix_web::test]
async fn output_goes_to_a_file() {
    let app = fixture_app().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("liste.json");
    let out = export(
        &app,
        &[SLUG, "--format", "json", "--output", file.to_str().expect("path")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&file).expect("file written");
    let json: serde_json::Value = serde_json::from_str(&written).expect("JSON");
    assert_eq!(json["stamp"]["count"], 6);
    assert!(!dir.path().join("liste.json.partial").exists());
}

/// Many rows read through pages of a few rows each: every phase, order and
/// list comes out whole, in order, with no row twice.
#[actix_web::test]
async fn keyset_pages_cover_every_row_once() {
    let app = fixture_app().await;
    let letter = app
        .with_conn(|c| undersigned::db::letters::find_by_slug(c, SLUG))
        .expect("query")
        .expect("letter");
    for who in [Who::Initial, Who::Public, Who::All] {
        for (order, initial_first) in [
            (Order::List, true),
            (Order::Surname, true),
            (Order::Surname, false),
        ] {
            let sel = Selection {
                letter_id: letter.id.clone(),
                who,
                order,
                initial_first,
                as_of: undersigned::db::now(),
            };
            let whole: Vec<String> = ExportRows::with_page_size(app.pool.clone(), sel.clone(), 1000)
                .map(|r| r.expect("row").name)
                .collect();
            for page_size in [1, 2, 3] {
                let paged: Vec<String> = ExportRows::with_page_size(app.pool.clone(), sel.clone(), page_size)
                    .map(|r| r.expect("row").name)
                    .collect();
                assert_eq!(paged, whole, "{who:?} {order:?} {initial_first} by {page_size}");
            }
            let count = app.with_conn(|c| export_rows::count(c, &sel)).expect("count");
            assert_eq!(count as usize, whole.len(), "{who:?} {order:?}");
            let expected = match who {
                Who::Initial => 3,
                Who::Public => 6,
                Who::All => 7,
            };
            assert_eq!(whole.len(), expected, "{who:?} {order:?}");
        }
    }
    // A cut-off before the public signers leaves them out.
    let early = Selection {
        letter_id: letter.id.clone(),
        who: Who::All,
        order: Order::List,
        initial_first: true,
        as_of: letter.updated_at,
    };
    assert_eq!(ExportRows::new(app.pool.clone(), early).count(), 3);
}

#[actix_web::test]
async fn rows_stored_without_a_sort_key_get_one() {
    use diesel::prelude::*;
    use undersigned::db::schema::signatures;
    let app = fixture_app().await;
    app.with_conn(|c| {
        diesel::update(signatures::table)
            .set(signatures::sort_key.eq(""))
            .execute(c)
    })
    .expect("clear keys");
    let filled = app
        .with_conn(|c| undersigned::db::sort_keys::backfill(c))
        .expect("backfill");
    assert_eq!(filled, 10, "the fixture letter and the example letter");
    let key: String = app
        .with_conn(|c| {
            signatures::table
                .filter(signatures::name.eq("Zoé Éthier"))
                .select(signatures::sort_key)
                .first(c)
        })
        .expect("key");
    assert_eq!(key, "ethier zoe ethier");
}

/// A confirmation time no format reads stops the export with an error that
/// quotes it, and leaves no file behind: the next page's start would be a
/// guess. SQLite only, where a time is stored as text; PostgreSQL's column
/// type refuses such a value.
#[actix_web::test]
async fn an_unreadable_confirmation_time_stops_the_export_and_leaves_no_file() {
    let app = fixture_app().await;
    if !app.db_url().starts_with("sqlite") {
        return;
    }
    {
        use diesel::prelude::*;
        use undersigned::db::schema::signatures as s;
        let bad = "2025-13-45 09:00:00";
        app.with_conn(|c| {
            diesel::sql_query(format!(
                "UPDATE signatures SET confirmed_at = '{bad}' WHERE email = '{}'",
                PUBLIC[1].1
            ))
            .execute(c)
            .unwrap();
            let stored: Option<String> = s::table
                .filter(s::email.eq(PUBLIC[1].1))
                .select(diesel::dsl::sql::<
                    diesel::sql_types::Nullable<diesel::sql_types::Text>,
                >("confirmed_at"))
                .first(c)
                .unwrap();
            assert_eq!(stored.as_deref(), Some(bad));
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("liste.csv");
    let out = export(
        &app,
        &[SLUG, "--format", "csv", "--output", path.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("unreadable confirmation time \"2025-13-45 09:00:00\""),
        "{stderr}"
    );
    assert!(!path.exists(), "no file under the name asked for");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nor a partial one"
    );
}

/// The CSV's `title_N` columns go as far as the most lines of anyone the
/// export lists, and no further: a count-only signer's titles never widen
/// the public list's header. SQLite reads the count from an index, the
/// other backend from the rows; both must agree, and a row edited by hand
/// into something that is not JSON stops neither.
#[actix_web::test]
async fn the_title_columns_follow_the_rows_listed() {
    use diesel::prelude::*;
    use undersigned::db::schema::signatures as s;
    let app = fixture_app().await;
    let six: Vec<String> = (1..=6).map(|i| format!("Ligne {i}")).collect();
    app.with_conn(|c| {
        diesel::update(s::table.filter(s::email.eq(COUNT_ONLY.1)))
            .set(s::titles.eq(undersigned::db::signatures::encode_titles(&six)))
            .execute(c)?;
        diesel::update(s::table.filter(s::email.eq("zoe.ethier@example.org")))
            .set(s::titles.eq("pas du JSON"))
            .execute(c)
    })
    .expect("edit titles by hand");
    let header = |who: &str| {
        let csv = export_text(&app, &[SLUG, "--format", "csv", "--who", who, "--no-stamp"]);
        let first = csv.lines().next().unwrap_or_default().to_string();
        first
            .split(',')
            .filter(|c| c.starts_with("title_"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(header("public"), ["title_1", "title_2", "title_3", "title_4"]);
    assert_eq!(
        header("all"),
        ["title_1", "title_2", "title_3", "title_4", "title_5", "title_6"]
    );
}
