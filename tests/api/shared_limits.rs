//! One rate limit over several servers: with `rate_limit_store =
//! "database"` two nodes on one PostgreSQL database count a client once;
//! with the default process store each node counts on its own, so a
//! client spread over N nodes gets N quotas. The two-node tests are
//! ignored unless asked for, as `scale_out` is (two nodes cannot share one
//! SQLite file); the single-node one runs on either backend.

use crate::helpers::{allow_writes, refuse_writes, spawn_app_with, TestApp, EXAMPLE_SLUG, METRICS_TOKEN};
use actix_web::dev::ServerHandle;
use diesel::prelude::*;
use undersigned::app::Application;
use undersigned::config::Settings;
use undersigned::db::schema::rate_limits;
use undersigned::web::limits::{Limit, LimitStore};

const SECRET: &str = "a shared secret key that is long enough for both nodes";

/// Confirmations limited to a burst of 3 and one a minute, so that within
/// the test nothing refills.
fn three_confirmations(store: LimitStore) -> impl FnOnce(&mut Settings) {
    move |s| {
        s.rate_limits_enabled = true;
        s.rate_limit_store = store;
        s.limits.confirm = Limit {
            burst: 3,
            per_minute: 1,
        };
        s.secret_key = Some(SECRET.into());
    }
}

/// A second server on the first one's database and settings, with its own
/// data folder, port and memory.
struct Node {
    address: String,
    handle: ServerHandle,
    _data: tempfile::TempDir,
}

fn second_node(a: &TestApp) -> Node {
    let data = tempfile::tempdir().unwrap();
    let mut settings = a.settings.clone();
    settings.data_dir = data.path().to_path_buf();
    settings.bind = "127.0.0.1:0".into();
    let b = Application::build(&settings).expect("second node starts");
    let node = Node {
        address: format!("http://{}", b.addr()),
        handle: b.handle(),
        _data: data,
    };
    actix_web::rt::spawn(b.run_until_stopped());
    node
}

/// Posts an unknown confirmation link to each node in turn, `n` times, and
/// returns the statuses: 404 when the limit let the request through, 429
/// when it did not.
async fn alternate(a: &TestApp, nodes: [&str; 2], n: usize) -> Vec<u16> {
    let path = format!("/confirm/{}", "ab".repeat(32));
    let mut statuses = Vec::new();
    for i in 0..n {
        let r = a.post(&format!("{}{path}", nodes[i % 2])).await;
        if r.status().as_u16() == 429 {
            let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=61).contains(&retry), "{retry}");
        }
        statuses.push(r.status().as_u16());
    }
    statuses
}

fn needs_postgres() {
    assert!(
        std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()),
        "this test needs TEST_DATABASE_URL pointing at PostgreSQL"
    );
}

#[actix_web::test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL and pass --include-ignored"]
async fn the_database_store_counts_a_client_once_over_two_servers() {
    needs_postgres();
    let a = spawn_app_with(three_confirmations(LimitStore::Database)).await;
    let b = second_node(&a);
    let statuses = alternate(&a, [&a.address, &b.address], 6).await;
    assert_eq!(
        statuses,
        [404, 404, 404, 429, 429, 429],
        "the second node refuses what the first used up, and the other way round"
    );
    let rows: Vec<(String, Vec<u8>)> = a.with_conn(|c| {
        rate_limits::table
            .select((rate_limits::action, rate_limits::key_hash))
            .load(c)
            .unwrap()
    });
    assert_eq!(rows.len(), 1, "one client, one row, whichever node: {rows:?}");
    assert_eq!(rows[0].0, "confirm");
    assert_eq!(rows[0].1.len(), 16);
    b.handle.stop(true).await;
}

#[actix_web::test]
#[ignore = "needs PostgreSQL: set TEST_DATABASE_URL and pass --include-ignored"]
async fn the_process_store_gives_each_server_its_own_quota() {
    needs_postgres();
    let a = spawn_app_with(three_confirmations(LimitStore::Process)).await;
    let b = second_node(&a);
    let statuses = alternate(&a, [&a.address, &b.address], 8).await;
    assert_eq!(
        statuses,
        [404, 404, 404, 404, 404, 404, 429, 429],
        "two nodes, twice the quota"
    );
    let rows = a.with_conn(|c| undersigned::db::rate_limits::tracked(c).unwrap());
    assert_eq!(rows, 0, "nothing in the database");
    b.handle.stop(true).await;
}

#[actix_web::test]
async fn the_database_store_keeps_no_address_and_fails_open() {
    let a = spawn_app_with(|s| {
        three_confirmations(LimitStore::Database)(s);
        s.metrics_token = Some(METRICS_TOKEN.into());
        s.limits.sign = Limit {
            burst: 1,
            per_minute: 1,
        };
    })
    .await;
    let statuses = alternate(&a, [&a.address, &a.address], 4).await;
    assert_eq!(statuses, [404, 404, 404, 429]);
    // Signing goes through the same store: the second form is refused and
    // comes back as typed.
    let fields = [
        ("name", "Limitée Lavoie"),
        ("visibility", "public"),
        ("consent", "yes"),
    ];
    let sign = |email: &'static str| {
        let mut form = fields.to_vec();
        form.push(("email", email));
        let a = &a;
        async move { a.sign(EXAMPLE_SLUG, &form).await }
    };
    assert_eq!(sign("premiere@example.org").await.status().as_u16(), 303);
    let r = sign("seconde@example.org").await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.text().await.unwrap().contains("value=\"seconde@example.org\""));

    let hashes: Vec<Vec<u8>> =
        a.with_conn(|c| rate_limits::table.select(rate_limits::key_hash).load(c).unwrap());
    assert_eq!(hashes.len(), 2, "one row per quota used: {hashes:?}");
    let localhost = [127u8, 0, 0, 1];
    for hash in &hashes {
        assert_eq!(hash.len(), 16);
        assert!(
            !hash.windows(4).any(|w| w == localhost),
            "no address in the clear"
        );
    }

    // The store fails: requests are let through, and counted.
    a.with_conn(|c| refuse_writes(c, "rate_limits", "1 = 1"));
    assert_eq!(sign("troisieme@example.org").await.status().as_u16(), 303);
    assert!(a
        .metrics()
        .await
        .contains("undersigned_rate_limits_unchecked_total 1\n"));
    a.with_conn(|c| allow_writes(c, "rate_limits"));
    assert_eq!(
        sign("quatrieme@example.org").await.status().as_u16(),
        429,
        "limited again once the store works"
    );
}
