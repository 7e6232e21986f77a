use super::*;

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
    let url = db::DatabaseUrl::Sqlite(dir.path().join("outbox.db"));
    let pool = db::connect(&url, 2).expect("pool");
    let mut conn = pool.get().expect("connection");
    db::migrations::run(&mut conn).expect("migrations");
    for i in 0..3 {
        let email = outbox::NewEmail {
            kind: "confirm",
            recipient: format!("r{i}@example.org"),
            subject: "s".into(),
            text: "t".into(),
            html: "h".into(),
            unsubscribe: None,
            sender_name: None,
            reply_to: None,
        };
        outbox::insert(&mut conn, &email, db::now()).expect("queue");
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
