use super::*;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut DbConn, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

fn insert(conn: &mut DbConn, x: i64) -> Result<(), DbError> {
    diesel::sql_query(format!("INSERT INTO t (x) VALUES ({x})")).execute(conn)?;
    Ok(())
}

fn setup() -> (tempfile::TempDir, DatabaseUrl, DbConn) {
    let dir = tempfile::tempdir().unwrap();
    let url = DatabaseUrl::Sqlite(dir.path().join("g.db"));
    let mut conn = DbManager::new(&url, &DbOptions::default()).connect().unwrap();
    conn.batch_execute("CREATE TABLE t (x INTEGER NOT NULL UNIQUE)")
        .unwrap();
    (dir, url, conn)
}

#[tokio::test]
async fn a_failing_job_is_undone_alone_and_the_rest_commit() {
    let (_dir, _url, mut conn) = setup();
    let mut jobs = Vec::new();
    let mut results = Vec::new();
    for i in 0..10 {
        let (j, rx) = job(move |conn| {
            // Job 7 writes a row, then fails: its row must go too.
            if i == 7 {
                insert(conn, 10_000)?;
                return insert(conn, 3);
            }
            insert(conn, i)
        });
        jobs.push(j);
        results.push(rx);
    }
    assert!(run_batch(&mut conn, jobs).is_ok());
    for (i, rx) in results.into_iter().enumerate() {
        let r = rx.await.expect("every job hears back");
        assert_eq!(r.is_ok(), i != 7, "job {i}: {r:?}");
    }
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM t"), 9);
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM t WHERE x = 10000"), 0);
}

#[tokio::test]
async fn concurrent_writes_all_land() {
    let (_dir, url, mut reader) = setup();
    let writer = GroupWriter::spawn(&url, &DbOptions::default()).unwrap().unwrap();
    let writes = (0..300).map(|i| {
        let writer = writer.clone();
        async move { writer.write(move |conn| insert(conn, i)).await }
    });
    let results = futures_util::future::join_all(writes).await;
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    assert_eq!(count(&mut reader, "SELECT count(*) AS n FROM t"), 300);
}

#[tokio::test]
async fn a_lone_failing_job_leaves_nothing_behind() {
    let (_dir, url, mut reader) = setup();
    let writer = GroupWriter::spawn(&url, &DbOptions::default()).unwrap().unwrap();
    writer.write(|conn| insert(conn, 1)).await.unwrap();
    let failed = writer
        .write(|conn| {
            insert(conn, 2)?;
            insert(conn, 1)
        })
        .await;
    assert!(failed.is_err());
    assert_eq!(count(&mut reader, "SELECT count(*) AS n FROM t"), 1);
    // The writer carries on after a failure.
    writer.write(|conn| insert(conn, 3)).await.unwrap();
    assert_eq!(count(&mut reader, "SELECT count(*) AS n FROM t"), 2);
}

#[test]
fn postgres_without_writers_has_no_group_writer() {
    let url = DatabaseUrl::Postgres("postgres://nobody@127.0.0.1:1/x".into());
    let options = DbOptions {
        pg_writers: 0,
        ..DbOptions::default()
    };
    assert!(GroupWriter::spawn(&url, &options).unwrap().is_none());
}

#[tokio::test]
async fn a_job_that_met_a_unique_index_runs_once_more() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (_dir, _url, mut conn) = setup();
    insert(&mut conn, 1).unwrap();
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let (fine, fine_rx) = job(|conn| insert(conn, 5));
    // Fails in the first pass and in its first savepoint, as if another
    // transaction had committed the same key; the third run succeeds.
    let (flaky, flaky_rx) = job(move |conn| match counted.fetch_add(1, Ordering::SeqCst) {
        0 | 1 => insert(conn, 1),
        _ => insert(conn, 2),
    });
    assert!(run_batch(&mut conn, vec![fine, flaky]).is_ok());
    assert!(fine_rx.await.unwrap().is_ok());
    assert!(flaky_rx.await.unwrap().is_ok());
    assert_eq!(runs.load(Ordering::SeqCst), 3);
    assert_eq!(count(&mut conn, "SELECT count(*) AS n FROM t"), 3);
}
