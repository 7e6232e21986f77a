use super::*;

/// A pool on a migrated SQLite file in `dir`, and one of its connections.
fn migrated(dir: &tempfile::TempDir) -> (db::Pool, db::PooledConn) {
    let url = db::DatabaseUrl::Sqlite(dir.path().join("outbox.db"));
    let pool = db::connect(&url, 2).expect("pool");
    let mut conn = pool.get().expect("connection");
    db::migrations::run(&mut conn).expect("migrations");
    (pool, conn)
}

/// An email queued already written, as every kind but the signing form's
/// confirmation is.
pub(super) fn written(recipient: &str) -> outbox::NewEmail {
    outbox::NewEmail {
        kind: "already_signed",
        recipient: recipient.to_string(),
        subject: "s".into(),
        text: "t".into(),
        html: "h".into(),
        unsubscribe: None,
        sender_name: None,
        reply_to: None,
    }
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let mut c = WorkerConfig::new("a@example.org".parse().unwrap());
    c.retry_base = Duration::from_secs(10);
    c.retry_max = Duration::from_secs(60);
    assert_eq!(c.backoff(0), Duration::from_secs(10));
    assert_eq!(c.backoff(1), Duration::from_secs(20));
    assert_eq!(c.backoff(2), Duration::from_secs(40));
    assert_eq!(c.backoff(3), Duration::from_secs(60));
    assert_eq!(c.backoff(1000), Duration::from_secs(60));
}

#[test]
fn a_round_asked_to_stop_gives_its_claims_back() {
    use crate::db::schema::outbox as table;
    use diesel::prelude::*;
    let dir = tempfile::tempdir().expect("temp dir");
    let (pool, mut conn) = migrated(&dir);
    for i in 0..3 {
        outbox::insert(&mut conn, &written(&format!("r{i}@example.org")), db::now()).expect("queue");
    }
    let files = dir.path().join("sent");
    let mailer = Mailer::file(&files).expect("mailer");
    let worker = OutboxWorker::new(
        pool.clone(),
        mailer,
        WorkerConfig::new("a@example.org".parse().unwrap()),
    );

    // Stopped before its first message: it claims the round, tries
    // none, and gives every claim back instead of holding it for the
    // lease.
    let stop = AtomicBool::new(true);
    assert!(worker.round(&stop).is_ok());
    let rows: Vec<(String, Option<NaiveDateTime>)> = table::table
        .select((table::status, table::locked_until))
        .load(&mut *conn)
        .expect("rows");
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|(status, locked)| status == "pending" && locked.is_none()),
        "{rows:?}"
    );
    assert_eq!(
        std::fs::read_dir(&files).expect("folder").count(),
        0,
        "nothing sent"
    );
}

/// A confirmation queued as its links is written when it leaves; one with
/// nothing left to write it from (its link gone) is marked failed, never
/// sent empty, and the round's other messages still go.
#[test]
fn a_confirmation_that_cannot_be_written_fails_without_holding_up_the_round() {
    use crate::db::schema::outbox as table;
    use crate::domain::Token;
    use diesel::prelude::*;
    let dir = tempfile::tempdir().expect("temp dir");
    let (pool, mut conn) = migrated(&dir);
    let links = outbox::ConfirmLinks {
        confirm: Token::generate(),
        manage: Token::generate(),
        withdraw: Token::generate(),
    };
    assert_eq!(
        outbox::ConfirmLinks::from_stored(&links.to_stored()),
        Some(links.clone())
    );
    let gone = crate::model::SignatureId::generate();
    outbox::insert_confirmation(&mut conn, "gone@example.org", &gone, &links, db::now()).expect("queue");
    outbox::insert(&mut conn, &written("here@example.org"), db::now()).expect("queue");
    let files = dir.path().join("sent");
    let mut config = WorkerConfig::new("a@example.org".parse().unwrap());
    config.deferred = Some(Arc::new(crate::mail::deferred::Deferred {
        i18n: Arc::new(crate::i18n::I18n::new().expect("words")),
        base_url: "https://example.org".into(),
        valid_days: 7,
    }));
    let worker = OutboxWorker::new(pool.clone(), Mailer::file(&files).expect("mailer"), config);
    assert!(worker.round(&AtomicBool::new(false)).is_ok());
    let mut rows: Vec<(String, String, Option<String>)> = table::table
        .select((table::recipient, table::status, table::last_error))
        .load(&mut *conn)
        .expect("rows");
    rows.sort();
    assert_eq!(rows[0].0, "gone@example.org");
    assert_eq!(rows[0].1, "failed");
    assert!(
        rows[0].2.as_deref().unwrap_or_default().contains("nothing left"),
        "{rows:?}"
    );
    assert_eq!(
        (rows[1].0.as_str(), rows[1].1.as_str()),
        ("here@example.org", "sent")
    );
    assert_eq!(
        std::fs::read_dir(&files).expect("folder").count(),
        1,
        "only the other one"
    );
}
