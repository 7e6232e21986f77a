//! The command line, run as a real process against the test database.

use crate::helpers::TestDb;
use std::process::{Command, Output};

fn undersigned(db: &TestDb, data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args(args)
        .env_remove("UNDERSIGNED_CONFIG")
        .env("UNDERSIGNED_DATABASE_URL", db.url())
        .env("UNDERSIGNED_DATA_DIR", data_dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run the binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const LETTER: &str = "+++
slug = \"lettre-cli\"
language = \"fr\"
title = \"Lettre ouverte « en ligne de commande »\"
place = \"Montréal\"
date = 2026-03-03
addressees = \"Au premier ministre\"
preamble = \"Nous soussignés\u{a0}:\"
goal = 500

[[signatories]]
name = \"Marie Tremblay,\"
titles = [\"Présidente (1998-2006)\", \"Officière de l’Ordre national du Québec\"]
+++
Corps\u{202f}: « texte ».
";

#[test]
fn publish_update_and_list_letters_from_files() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lettre.md");
    std::fs::write(&file, LETTER).unwrap();

    let out = undersigned(&db, dir.path(), &["migrate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("schema up to date"));

    let out = undersigned(&db, dir.path(), &["letter", "publish", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("created letter lettre-cli"),
        "{}",
        stdout(&out)
    );

    std::fs::write(&file, LETTER.replace("goal = 500", "goal = 800")).unwrap();
    let out = undersigned(&db, dir.path(), &["letter", "publish", file.to_str().unwrap()]);
    assert!(
        stdout(&out).contains("updated letter lettre-cli"),
        "{}",
        stdout(&out)
    );

    let out = undersigned(&db, dir.path(), &["letter", "list"]);
    assert!(out.status.success());
    let list = stdout(&out);
    assert!(list.contains("lettre-cli"), "{list}");
    assert!(list.contains("published"));
    assert!(list.contains("Lettre ouverte « en ligne de commande »"));
    let line = list.lines().find(|l| l.contains("lettre-cli")).unwrap();
    assert!(
        line.split_whitespace().any(|w| w == "1"),
        "one initial signatory counted: {line}"
    );

    // The text reached the database byte for byte.
    let url = undersigned::db::DatabaseUrl::parse(db.url()).unwrap();
    let pool = undersigned::db::connect(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let letter = undersigned::db::letters::find_by_slug(&mut conn, "lettre-cli")
        .unwrap()
        .unwrap();
    assert_eq!(letter.goal, Some(800));
    assert_eq!(letter.preamble, "Nous soussignés\u{a0}:");
    assert_eq!(letter.body_markdown, "Corps\u{202f}: « texte ».");
    let initial = undersigned::db::signatures::initial_signatories(&mut conn, &letter.id).unwrap();
    assert_eq!(initial[0].name, "Marie Tremblay,");
    assert_eq!(
        initial[0].titles,
        [
            "Présidente (1998-2006)",
            "Officière de l’Ordre national du Québec"
        ]
    );
}

#[test]
fn a_malformed_file_names_the_line_and_changes_nothing() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lettre.md");
    std::fs::write(&file, LETTER).unwrap();
    let out = undersigned(&db, dir.path(), &["letter", "publish", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    for (broken, line, needle) in [
        (
            LETTER.replace("date = 2026-03-03", "date = 2026-13-03"),
            6,
            "date",
        ),
        (
            LETTER.replace("language = \"fr\"", "language = \"de\""),
            3,
            "language",
        ),
        (LETTER.replace("goal = 500", "goal = \"beaucoup\""), 9, ""),
        (LETTER.replace("+++\nCorps", "Corps"), 1, "never closed"),
    ] {
        std::fs::write(&file, &broken).unwrap();
        let out = undersigned(&db, dir.path(), &["letter", "publish", file.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains(&format!("lettre.md:{line}:")),
            "expected line {line}: {err}"
        );
        assert!(err.contains(needle), "{err}");
    }
    let out = undersigned(&db, dir.path(), &["letter", "list"]);
    let list = stdout(&out);
    assert_eq!(list.lines().filter(|l| l.contains("lettre-cli")).count(), 1);

    let url = undersigned::db::DatabaseUrl::parse(db.url()).unwrap();
    let pool = undersigned::db::connect(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let letter = undersigned::db::letters::find_by_slug(&mut conn, "lettre-cli")
        .unwrap()
        .unwrap();
    assert_eq!(letter.goal, Some(500), "the valid version is untouched");

    let out = undersigned(&db, dir.path(), &["letter", "publish", "/no/such/file.md"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("cannot read /no/such/file.md"));
}

#[test]
fn a_bad_database_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_undersigned"))
        .args([
            "letter",
            "list",
            "--database-url",
            "mysql://root:secret@localhost/x",
        ])
        .env("UNDERSIGNED_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("unsupported database URL"), "{err}");
    assert!(!err.contains("secret"), "no password in errors: {err}");
}

#[test]
fn close_reopen_and_anonymise_from_the_command_line() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lettre.md");
    std::fs::write(
        &file,
        LETTER.replace("goal = 500", "goal = 500\nanonymise_after_days = 90"),
    )
    .unwrap();
    let run = |args: &[&str]| undersigned(&db, dir.path(), args);
    assert!(run(&["letter", "publish", file.to_str().unwrap()])
        .status
        .success());

    let out = run(&["letter", "anonymise", "lettre-cli"]);
    assert!(!out.status.success(), "an open letter cannot be anonymised");
    assert!(stderr(&out).contains("close it first"), "{}", stderr(&out));

    let out = run(&["letter", "close", "lettre-cli"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&run(&["letter", "list"])).contains("closed"));
    // Closing twice is refused, as in the workspace.
    let out = run(&["letter", "close", "lettre-cli"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("is closed"), "{}", stderr(&out));
    // A letter its schedule closed reopens for good from the command line
    // too: the schedule goes, and the log says who did what.
    {
        use diesel::prelude::*;
        use undersigned::db::schema::letters;
        let url = undersigned::db::DatabaseUrl::parse(db.url()).unwrap();
        let pool = undersigned::db::connect(&url, 1).unwrap();
        let mut conn = pool.get().unwrap();
        diesel::update(letters::table.filter(letters::slug.eq("lettre-cli")))
            .set((
                letters::status.eq("published"),
                letters::close_at.eq(undersigned::db::now() - chrono::Duration::hours(1)),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    assert!(stdout(&run(&["letter", "list"])).contains("closed"));
    assert!(run(&["letter", "reopen", "lettre-cli"]).status.success());
    assert!(stdout(&run(&["letter", "list"])).contains("published"));
    assert!(run(&["letter", "close", "lettre-cli"]).status.success());

    let out = run(&["letter", "anonymise", "lettre-cli"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("anonymised"));
    let out = run(&["letter", "reopen", "lettre-cli"]);
    assert!(!out.status.success(), "an anonymised letter stays closed");

    let out = run(&["letter", "purge"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("purged"));

    let out = run(&["letter", "close", "no-such-letter"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no letter with the slug"));

    let url = undersigned::db::DatabaseUrl::parse(db.url()).unwrap();
    let pool = undersigned::db::connect(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    let letter = undersigned::db::letters::find_by_slug(&mut conn, "lettre-cli")
        .unwrap()
        .unwrap();
    assert_eq!(letter.anonymise_after_days, Some(90));
    assert!(letter.anonymised_at.is_some());
    use diesel::prelude::*;
    use undersigned::db::schema::audit_log as a;
    let logged: Vec<(String, Option<String>, String)> = a::table
        .filter(a::letter_id.eq(letter.id.as_str()))
        .filter(a::action.eq_any(["letter-close", "letter-reopen", "letter-anonymise"]))
        .order(a::created_at)
        .select((a::action, a::organizer_id, a::detail))
        .load(&mut conn)
        .unwrap();
    let by_hand = ("via=command-line".to_string(), None);
    assert_eq!(
        logged
            .iter()
            .map(|(action, by, detail)| (action.as_str(), (detail.clone(), by.clone())))
            .collect::<Vec<_>>(),
        [
            ("letter-close", by_hand.clone()),
            ("letter-reopen", by_hand.clone()),
            ("letter-close", by_hand.clone()),
            ("letter-anonymise", ("n=1 · via=command-line".to_string(), None)),
        ],
    );
}

/// Links the command line prints use the configured public address, from
/// the configuration file or the environment, never the bind address.
#[test]
fn printed_links_use_the_configured_base_url() {
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lettre.md");
    std::fs::write(&file, LETTER).unwrap();
    let config = dir.path().join("undersigned.toml");
    std::fs::write(&config, "base_url = \"https://lettres.example.org\"\n").unwrap();
    let run = |args: &[&str], env: Option<(&str, &std::path::Path)>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_undersigned"));
        cmd.args(args)
            .env_remove("UNDERSIGNED_CONFIG")
            .env_remove("UNDERSIGNED_BASE_URL")
            .env("UNDERSIGNED_DATABASE_URL", db.url())
            .env("UNDERSIGNED_DATA_DIR", dir.path())
            .env("RUST_LOG", "warn");
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        cmd.output().expect("run the binary")
    };
    let by_file = Some(("UNDERSIGNED_CONFIG", config.as_path()));
    let out = run(&["letter", "publish", file.to_str().unwrap()], by_file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("https://lettres.example.org/letters/lettre-cli"),
        "{}",
        stdout(&out)
    );
    let out = run(&["organizer", "create", "lien@example.org"], by_file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("https://lettres.example.org/workspace/setup/"),
        "{}",
        stdout(&out)
    );
    let by_env = Some((
        "UNDERSIGNED_BASE_URL",
        std::path::Path::new("https://autre.example.org"),
    ));
    let out = run(&["organizer", "create", "lien2@example.org"], by_env);
    assert!(
        stdout(&out).contains("https://autre.example.org/workspace/setup/"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("127.0.0.1"), "{}", stdout(&out));
}
