//! `bench_tool csv-import`: a CSV file of N rows, made here, uploaded and
//! imported through the same use cases as the workspace, timed.

use std::time::Instant;
use undersigned::actions::imports::{self, Choices, Context, Done, Links};
use undersigned::actions::Actor;
use undersigned::db::organizers::{self, CreateOutcome};
use undersigned::db::{self, letters, Pool};
use undersigned::domain::csv_rows::{Evidence, Mapping, Mode, Person};
use undersigned::domain::{EmailRules, Proposal};
use undersigned::i18n::I18n;
use undersigned::mail::messages;

/// A Google Forms export: a timestamp, then name, email, title, city,
/// with quoted cells holding commas and, every tenth row, two lines.
fn file(rows: u64, run: u32) -> String {
    let mut csv = String::from("Horodateur,Nom complet,Adresse courriel,Titre ou fonction,Ville\r\n");
    for i in 0..rows {
        let title = if i % 10 == 0 {
            "\"Présidente, syndicat local\nMembre du conseil\""
        } else {
            "Enseignante"
        };
        csv.push_str(&format!(
            "2026/05/12 10:{:02}:00,Personne Importée {i},importee-{run}-{i}@example.org,{title},Québec\r\n",
            i % 60
        ));
    }
    csv
}

pub fn run(pool: &Pool, slug: &str, rows: u64, mode: &str) -> anyhow::Result<()> {
    let mode = Mode::parse(mode).ok_or_else(|| anyhow::anyhow!("mode: confirm or in-person"))?;
    let mut conn = pool.get()?;
    let letter = match letters::find_by_slug(&mut conn, slug)? {
        Some(l) => l,
        None => {
            let file = super::letter_file(slug)?;
            db::write_tx(&mut conn, |tx| letters::publish_file(tx, &file, db::now()))?.0
        }
    };
    let run = std::process::id();
    let email = format!("bench-import-{run}@example.org");
    let organizer = match db::write_tx(&mut conn, |tx| organizers::create(tx, &email, true, db::now()))? {
        CreateOutcome::Created { organizer, .. } => organizer,
        CreateOutcome::AlreadyExists => anyhow::bail!("{email} exists"),
    };
    let actor = Actor {
        id: organizer.id.clone(),
        email,
        role: None,
        admin: true,
    };
    let text = file(rows, run);
    let i18n = I18n::new()?;
    let (title, sender) = (letter.title.clone(), messages::LetterSender::of(&letter));
    let render = move |p: &Person, content: &Proposal, l: Links<'_>| {
        messages::imported_confirmation(
            &i18n.tr(letter.language),
            &messages::Confirmation {
                recipient: p.email.as_ref().map(|e| e.as_str()).unwrap_or_default(),
                name: p.name.as_str(),
                letter_title: &title,
                sender: &sender,
                confirm_url: &format!("https://example.org/confirm/{}", l.confirm.as_str()),
                manage_url: &format!("https://example.org/manage/{}", l.manage.as_str()),
                withdraw_url: &format!("https://example.org/withdraw/{}", l.withdraw.as_str()),
                valid_days: 7,
                content,
            },
        )
    };
    let rules = EmailRules::default();
    let cx = Context {
        language: letter.language,
        rules: &rules,
        confirm_ttl: chrono::Duration::days(7),
        pace: chrono::Duration::milliseconds(100),
        render: &render,
    };
    let choices = Choices {
        mapping: Mapping {
            name: 1,
            titles: vec![3],
            email: Some(2),
            city: Some(4),
        },
        mode,
        evidence: (mode == Mode::InPerson).then(|| Evidence {
            by: "Banc d’essai".into(),
            on: chrono::NaiveDate::from_ymd_opt(2026, 5, 12).unwrap_or_default(),
            how: "Feuille papier".into(),
        }),
        is_public: true,
    };
    let started = Instant::now();
    let hash = db::write_tx(&mut conn, |tx| {
        imports::upload(tx, &actor, &letter.id, "bench.csv", &text, db::now())
    })?
    .map_err(|r| anyhow::anyhow!("upload refused: {r:?}"))?;
    let uploaded = started.elapsed().as_secs_f64();
    let done = db::write_tx(&mut conn, |tx| {
        imports::import(tx, &actor, &letter.id, &hash, &choices, &cx, db::now())
    })?
    .map_err(|r| anyhow::anyhow!("import refused: {r:?}"))?;
    let total = started.elapsed().as_secs_f64();
    let Done::Imported { added, .. } = done else {
        anyhow::bail!("already imported")
    };
    anyhow::ensure!(added as u64 == rows, "imported {added} of {rows}");
    println!("csv_import_upload_s {uploaded:.2}");
    println!("csv_import_s {total:.2}");
    Ok(())
}
