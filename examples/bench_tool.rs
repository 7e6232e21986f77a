//! Helpers for `bench/run`: the parts of a load test that wrk cannot do.
//!
//! Every subcommand takes `--database-url` and speaks to the database through
//! the library, so what it measures or prepares is what the server does.
//! Figures go to standard output as `key value` lines for the script.

#[path = "bench_tool/csv_import.rs"]
mod csv_import;
#[path = "bench_tool/rate_limit.rs"]
mod rate_limit;

use clap::{Parser, Subcommand};
use diesel::connection::SimpleConnection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use undersigned::db::signatures::{self, EmailPlan, SubmitPolicy};
use undersigned::db::{self, letters, outbox, DatabaseUrl, DbConn, Pool};
use undersigned::domain::{Email, Lang, LetterFile, NewSignature, SignerName, TitleLines};
use undersigned::mail::{Mailer, OutboxWorker, WorkerConfig};

#[derive(Parser)]
struct Cli {
    #[arg(long, global = true, default_value = "")]
    database_url: String,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Publish a letter and give it N confirmed public signatories, in bulk.
    Seed {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        signatories: u64,
    },
    /// Store N pending signatures through the library and print their
    /// confirmation tokens, one a line.
    Tokens {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        count: u64,
        /// The server's `secret_key`: links derived with it are the ones
        /// the server finds derived, as a signing form's would be.
        #[arg(long, env = "UNDERSIGNED_SECRET_KEY")]
        secret_key: String,
    },
    /// Single-row insert transactions per second on this database, from
    /// `threads` threads for `seconds`: the ceiling any write path works under.
    InsertBaseline {
        #[arg(long, default_value_t = 16)]
        threads: u32,
        #[arg(long, default_value_t = 3)]
        seconds: u64,
    },
    /// Queue N messages, then let the real outbox worker deliver them to an
    /// SMTP sink on loopback and time it.
    OutboxDrain {
        #[arg(long, default_value_t = 20_000)]
        count: u64,
        /// SMTP connections (the server's `smtp_connections`).
        #[arg(long, default_value_t = undersigned::mail::DEFAULT_SMTP_CONNECTIONS)]
        connections: usize,
    },
    /// Upload and import a CSV file of N rows through the workspace's use
    /// cases (in one transaction), timed.
    CsvImport {
        #[arg(long)]
        slug: String,
        #[arg(long, default_value_t = 100_000)]
        rows: u64,
        /// `confirm` (an email each) or `in-person`.
        #[arg(long, default_value = "confirm")]
        mode: String,
    },
    /// Checks a second of the shared rate-limit store (`rate_limit_store =
    /// "database"`): one upsert each, from `threads` threads over `clients`
    /// clients in turn for `seconds`; and the process store's, for scale.
    RateLimit {
        #[arg(long, default_value_t = 8)]
        threads: u32,
        #[arg(long, default_value_t = 3)]
        seconds: u64,
        #[arg(long, default_value_t = 10_000)]
        clients: u32,
    },
    /// Count confirmed, pending signatures and outbox rows by status.
    Counts,
    /// An SMTP server on loopback that accepts everything, until killed.
    SmtpSink {
        #[arg(long)]
        port: u16,
        /// Append each accepted message's recipients to this file, one a
        /// line, so a script can count deliveries and repeats.
        #[arg(long)]
        recipients: Option<std::path::PathBuf>,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Cmd::SmtpSink { port, recipients } = cli.command {
        return smtp_sink(port, recipients.as_deref());
    }
    let url = DatabaseUrl::parse(&cli.database_url)?;
    // The same durability as the server under test, so that the raw
    // insert baseline pays the same fsyncs.
    // Seeding a million rows is one statement, which outlasts the server's
    // 20 s guard against runaway queries on a slow machine.
    let mut options = db::DbOptions {
        statement_timeout: std::time::Duration::from_secs(600),
        ..db::DbOptions::default()
    };
    if let Some(sync) = std::env::var("UNDERSIGNED_SQLITE_SYNCHRONOUS")
        .ok()
        .and_then(|v| db::SqliteSync::parse(&v))
    {
        options.sqlite_sync = sync;
    }
    let pool = db::connect_with(&url, &options, 20)?;
    {
        let mut conn = pool.get()?;
        db::migrations::run(&mut conn)?;
    }
    match cli.command {
        Cmd::Seed { slug, signatories } => seed(&pool, &slug, signatories),
        Cmd::Tokens {
            slug,
            count,
            secret_key,
        } => tokens(&pool, &slug, count, &secret_key),
        Cmd::InsertBaseline { threads, seconds } => insert_baseline(&pool, threads, seconds),
        Cmd::OutboxDrain { count, connections } => outbox_drain(&pool, count, connections),
        Cmd::CsvImport { slug, rows, mode } => csv_import::run(&pool, &slug, rows, &mode),
        Cmd::RateLimit {
            threads,
            seconds,
            clients,
        } => rate_limit::run(&pool, threads, seconds, clients),
        Cmd::Counts => counts(&pool),
        Cmd::SmtpSink { .. } => Ok(()),
    }
}

fn letter_file(slug: &str) -> anyhow::Result<LetterFile> {
    let example = undersigned::example::EXAMPLE_LETTER;
    let original = undersigned::example::letter();
    let source = example.replacen(
        &format!("slug = \"{}\"", original.slug.as_str()),
        &format!("slug = \"{slug}\""),
        1,
    );
    Ok(LetterFile::parse(&source)?)
}

fn seed(pool: &Pool, slug: &str, n: u64) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    let file = letter_file(slug)?;
    let (letter, _) = db::write_tx(&mut conn, |tx| letters::publish_file(tx, &file, db::now()))?;
    let started = Instant::now();
    // One statement in one transaction: row-by-row inserts from a client
    // would take minutes for a million rows. The search words are those
    // `domain::search::search_words` gives these names and titles.
    let id = &letter.id;
    let sql = match &mut *conn {
        DbConn::Sqlite(_) => format!(
            "BEGIN IMMEDIATE;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
             INSERT INTO signatures (id, letter_id, name, titles, email, email_key, city, is_public, tier,
                 position, status, language, consent_version, wants_updates, confirmation_sends,
                 created_at, updated_at, confirmed_at, consent_at, consent_letter_version)
             SELECT '{id}-' || i, '{id}', 'Signataire ' || i, '[\"Membre de la coopérative\"]',
                 'seed' || i || '@example.org', 'seed' || i || '@example.org', 'Sherbrooke', 1, 'public',
                 NULL, 'confirmed', 'fr', '{cv}', 0, 1,
                 strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || i || ' seconds'),
                 strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || i || ' seconds'),
                 strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || i || ' seconds'),
                 strftime('%Y-%m-%d %H:%M:%f', '2026-01-01', '+' || i || ' seconds'), 1
             FROM n;
             INSERT INTO signature_words (signature_id, letter_id, word)
             SELECT s.id, s.letter_id, w.word FROM signatures s,
                 (SELECT 'signataire' AS word UNION ALL SELECT 'membre' UNION ALL SELECT 'de'
                  UNION ALL SELECT 'la' UNION ALL SELECT 'cooperative') w
             WHERE s.letter_id = '{id}' AND s.tier = 'public'
             UNION ALL
             SELECT id, letter_id, substr(name, 12) FROM signatures WHERE letter_id = '{id}' AND tier = 'public';
             COMMIT;",
            cv = signatures::CONSENT_VERSION
        ),
        DbConn::Pg(_) => format!(
            "BEGIN;
             INSERT INTO signatures (id, letter_id, name, titles, email, email_key, city, is_public, tier,
                 position, status, language, consent_version, wants_updates, confirmation_sends,
                 created_at, updated_at, confirmed_at, consent_at, consent_letter_version)
             SELECT '{id}-' || i, '{id}', 'Signataire ' || i, '[\"Membre de la coopérative\"]',
                 'seed' || i || '@example.org', 'seed' || i || '@example.org', 'Sherbrooke', true, 'public',
                 NULL, 'confirmed', 'fr', '{cv}', false, 1,
                 timestamp '2026-01-01' + i * interval '1 second',
                 timestamp '2026-01-01' + i * interval '1 second',
                 timestamp '2026-01-01' + i * interval '1 second',
                 timestamp '2026-01-01' + i * interval '1 second', 1
             FROM generate_series(1, {n}) AS i;
             INSERT INTO signature_words (signature_id, letter_id, word)
             SELECT s.id, s.letter_id, w.word FROM signatures s,
                 (SELECT 'signataire' AS word UNION ALL SELECT 'membre' UNION ALL SELECT 'de'
                  UNION ALL SELECT 'la' UNION ALL SELECT 'cooperative') w
             WHERE s.letter_id = '{id}' AND s.tier = 'public'
             UNION ALL
             SELECT id, letter_id, substr(name, 12) FROM signatures WHERE letter_id = '{id}' AND tier = 'public';
             COMMIT;
             ANALYZE signatures;
             ANALYZE signature_words;",
            cv = signatures::CONSENT_VERSION
        ),
    };
    conn.batch_execute(&sql)?;
    println!("seeded {n} {:.1}", started.elapsed().as_secs_f64());
    Ok(())
}

fn tokens(pool: &Pool, slug: &str, count: u64, secret_key: &str) -> anyhow::Result<()> {
    let key = undersigned::domain::LinkKey::new(secret_key.as_bytes());
    let letter = {
        let mut conn = pool.get()?;
        match letters::find_by_slug(&mut conn, slug)? {
            Some(l) => l,
            None => {
                let file = letter_file(slug)?;
                db::write_tx(&mut conn, |tx| letters::publish_file(tx, &file, db::now()))?.0
            }
        }
    };
    let policy = SubmitPolicy {
        confirm_ttl: chrono::Duration::days(7),
        max_sends: 3,
    };
    // A few threads, because on PostgreSQL each commit waits for the disk.
    let threads = 4u64;
    let out = Arc::new(Mutex::new(Vec::with_capacity(count as usize)));
    let run = std::process::id();
    std::thread::scope(|s| -> anyhow::Result<()> {
        let mut handles = Vec::new();
        for t in 0..threads {
            let (pool, letter, policy, out, key) = (
                pool.clone(),
                letter.clone(),
                policy.clone(),
                out.clone(),
                key.clone(),
            );
            handles.push(s.spawn(move || -> anyhow::Result<()> {
                let mut conn = pool.get()?;
                let mut i = t;
                while i < count {
                    let email = Email::parse(&format!("pending-{run}-{i}@example.org"))?;
                    let sig = NewSignature {
                        name: SignerName::parse(&format!("Signataire en attente {i}"))?,
                        titles: TitleLines::parse_text("Membre")?,
                        email_key: email.as_str().to_string(),
                        email,
                        city: None,
                        is_public: true,
                        wants_updates: false,
                        language: Lang::FR,
                    };
                    let prepared = signatures::PreparedConfirmation::new(&sig, &key);
                    let render = |_: &EmailPlan| outbox::NewEmail {
                        kind: "already_signed",
                        recipient: sig.email.as_str().to_string(),
                        subject: "bench".into(),
                        text: "bench".into(),
                        html: "<p>bench</p>".into(),
                        unsubscribe: None,
                        sender_name: None,
                        reply_to: None,
                    };
                    let outcome = signatures::submit(
                        &mut conn,
                        &letter.id,
                        &sig,
                        &policy,
                        db::now(),
                        &prepared,
                        &render,
                    )?;
                    if outcome == signatures::SubmitOutcome::Created {
                        if let Ok(mut out) = out.lock() {
                            out.push(prepared.confirm_token().as_str().to_string());
                        }
                    }
                    i += threads;
                }
                Ok(())
            }));
        }
        for h in handles {
            h.join().map_err(|_| anyhow::anyhow!("a thread panicked"))??;
        }
        Ok(())
    })?;
    // The confirmation emails of these are not part of any figure.
    pool.get()?.batch_execute("DELETE FROM outbox")?;
    let out = out.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    for token in out.iter() {
        use std::io::Write;
        writeln!(stdout, "{token}")?;
    }
    Ok(())
}

fn insert_baseline(pool: &Pool, threads: u32, seconds: u64) -> anyhow::Result<()> {
    pool.get()?.batch_execute(
        "DROP TABLE IF EXISTS bench_baseline; CREATE TABLE bench_baseline (id TEXT PRIMARY KEY NOT NULL, v TEXT NOT NULL)",
    )?;
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    std::thread::scope(|s| -> anyhow::Result<()> {
        let mut handles = Vec::new();
        for _ in 0..threads {
            let (pool, done) = (pool.clone(), done.clone());
            handles.push(s.spawn(move || -> anyhow::Result<()> {
                let mut conn = pool.get()?;
                while Instant::now() < deadline {
                    let id = db::new_id();
                    db::write_tx(&mut conn, |c| -> Result<(), db::DbError> {
                        c.batch_execute(&format!(
                            "INSERT INTO bench_baseline (id, v) VALUES ('{id}', 'x')"
                        ))?;
                        Ok(())
                    })?;
                    done.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            }));
        }
        for h in handles {
            h.join().map_err(|_| anyhow::anyhow!("a thread panicked"))??;
        }
        Ok(())
    })?;
    pool.get()?.batch_execute("DROP TABLE bench_baseline")?;
    println!(
        "insert_tx_per_s {:.0}",
        done.load(Ordering::Relaxed) as f64 / seconds as f64
    );
    Ok(())
}

/// The sink serves one connection per thread and the outbox worker keeps
/// up to `smtp_connections` open (the server's, in the `smtp-sink` case).
const SINK_THREADS: u32 = 128;

#[derive(Clone)]
struct CountingSink {
    received: Arc<AtomicU64>,
    recipients: Option<Arc<Mutex<std::fs::File>>>,
    /// The current message's recipients (the handler is cloned per
    /// connection, so this is one connection's message).
    to: Vec<String>,
}

impl CountingSink {
    fn new(received: Arc<AtomicU64>, recipients: Option<std::fs::File>) -> Self {
        CountingSink {
            received,
            recipients: recipients.map(|f| Arc::new(Mutex::new(f))),
            to: Vec::new(),
        }
    }

    fn record(&self) -> std::io::Result<()> {
        use std::io::Write;
        let Some(file) = &self.recipients else {
            return Ok(());
        };
        let lines: String = self.to.iter().map(|t| format!("{t}\n")).collect();
        let mut file = file
            .lock()
            .map_err(|_| std::io::Error::other("recipients file lock poisoned"))?;
        file.write_all(lines.as_bytes())
    }
}

impl mailin_embedded::Handler for CountingSink {
    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.to = to.to_vec();
        mailin_embedded::response::OK
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        // Written before the 250: a message the outbox records as sent is
        // already in the file. A write that fails answers 451, so the
        // sender retries rather than believing it delivered.
        if let Err(e) = self.record() {
            eprintln!("SMTP sink: recipients file: {e}");
            return mailin_embedded::response::INTERNAL_ERROR;
        }
        self.received.fetch_add(1, Ordering::Relaxed);
        mailin_embedded::response::OK
    }
}

fn smtp_sink(port: u16, recipients: Option<&std::path::Path>) -> anyhow::Result<()> {
    let file = recipients
        .map(|p| std::fs::OpenOptions::new().create(true).append(true).open(p))
        .transpose()?;
    let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
    let mut server = mailin_embedded::Server::new(CountingSink::new(Arc::new(AtomicU64::new(0)), file));
    server
        .with_name("sink.bench")
        .with_num_threads(SINK_THREADS)
        .with_tcp_listener(listener);
    server.serve().map_err(|e| anyhow::anyhow!("SMTP sink: {e}"))
}

fn outbox_drain(pool: &Pool, count: u64, connections: usize) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=SINK_THREADS as usize).contains(&connections),
        "--connections must be between 1 and {SINK_THREADS}, the sink's threads"
    );
    let received = Arc::new(AtomicU64::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let mut server = mailin_embedded::Server::new(CountingSink::new(received.clone(), None));
    server
        .with_name("sink.bench")
        .with_num_threads(SINK_THREADS)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });

    let mut conn = pool.get()?;
    let now = db::now();
    db::write_tx(&mut conn, |c| -> Result<(), db::DbError> {
        for i in 0..count {
            outbox::insert(
                c,
                &outbox::NewEmail {
                    kind: "confirm",
                    recipient: format!("drain-{i}@example.org"),
                    subject: "Confirmez votre signature".into(),
                    text: "Bonjour,\n\nConfirmez : http://127.0.0.1/confirm/xyz\n".repeat(8),
                    html: "<p>Bonjour,</p><p><a href=\"http://127.0.0.1/confirm/xyz\">Confirmer</a></p>"
                        .repeat(8),
                    unsubscribe: None,
                    sender_name: None,
                    reply_to: None,
                },
                now,
            )?;
        }
        Ok(())
    })?;
    drop(conn);

    let mailer = Mailer::smtp(
        &format!("smtp://127.0.0.1:{port}"),
        Duration::from_secs(15),
        connections,
    )?;
    let mut config = WorkerConfig::new("bench <noreply@localhost>".parse()?);
    config.connections = connections;
    let started = Instant::now();
    let worker = OutboxWorker::new(pool.clone(), mailer, config).spawn()?;
    worker.waker().wake();
    let mut conn = pool.get()?;
    let deadline = started + Duration::from_secs(600);
    loop {
        let (pending, _) = outbox::depth(&mut conn)?;
        if pending == 0 {
            break;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the outbox did not drain in 10 minutes"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let elapsed = started.elapsed().as_secs_f64();
    worker.shutdown(undersigned::mail::STOP_WAIT);
    println!("delivered {}", received.load(Ordering::Relaxed));
    println!("connections {connections}");
    println!("outbox_per_s {:.0}", count as f64 / elapsed);
    Ok(())
}

fn counts(pool: &Pool) -> anyhow::Result<()> {
    use diesel::prelude::*;
    use undersigned::db::schema::{outbox as ob, signatures as s};
    use undersigned::model::OutboxStatus;
    let mut conn = pool.get()?;
    let confirmed: i64 = s::table
        .filter(s::status.eq(undersigned::model::SignatureStatus::Confirmed))
        .count()
        .get_result(&mut *conn)?;
    let pending: i64 = s::table
        .filter(s::status.eq(undersigned::model::SignatureStatus::Pending))
        .count()
        .get_result(&mut *conn)?;
    let outbox_rows: i64 = ob::table.count().get_result(&mut *conn)?;
    println!("confirmed {confirmed}");
    println!("pending {pending}");
    println!("outbox {outbox_rows}");
    for status in OutboxStatus::ALL {
        let n: i64 = ob::table
            .filter(ob::status.eq(*status))
            .count()
            .get_result(&mut *conn)?;
        println!("outbox_{} {n}", status.as_str());
    }
    Ok(())
}
