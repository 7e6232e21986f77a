//! The store in the database (`rate_limit_store = "database"`): every
//! server on one database counts a client once, for one statement per
//! check on the blocking pool (see `db::rate_limits`).
//!
//! Clients are stored as a keyed hash, never as an address: an unkeyed
//! hash of an IPv4 address is undone by hashing all four billion of them,
//! and one of an email address by hashing a list of addresses. The key is
//! derived from the site's secret, which servers sharing a database share
//! already; a server with another secret would count its clients apart.

use super::{AccountKey, Action, Limit, LimitSettings, SIGN_IN_ACCOUNT};
use crate::db::rate_limits::{self, Gcra, Verdict};
use crate::db::reconnect::Checkout;
use crate::db::{DbError, Pool};
use crate::web::client_ip::IpKey;
use crate::web::metrics::Metrics;
use actix_web::web;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

type HmacSha256 = Hmac<Sha256>;

/// Why making an HMAC cannot fail: it takes keys of every length.
const ANY_LENGTH: &str = "HMAC accepts keys of every length";

/// Turns a client into the 128 bits the table keeps.
#[derive(Clone)]
pub struct KeyHasher {
    mac: HmacSha256,
}

impl KeyHasher {
    /// A hasher under a key of its own, derived from the site's secret so
    /// that nothing else signed with that secret can be replayed as one.
    pub fn new(secret: &[u8]) -> KeyHasher {
        let mut derive = HmacSha256::new_from_slice(secret).expect(ANY_LENGTH);
        derive.update(b"undersigned rate-limit keys");
        let key = derive.finalize().into_bytes();
        KeyHasher {
            mac: HmacSha256::new_from_slice(&key).expect(ANY_LENGTH),
        }
    }

    fn hash(&self, kind: u8, bytes: &[u8]) -> [u8; 16] {
        let mut mac = self.mac.clone();
        mac.update(&[kind]);
        mac.update(bytes);
        let digest = mac.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&digest[..16]);
        out
    }

    pub fn ip(&self, key: IpKey) -> [u8; 16] {
        match key {
            IpKey::V4(v4) => self.hash(4, &v4.to_be_bytes()),
            IpKey::V6Prefix(prefix) => self.hash(6, &prefix.to_be_bytes()),
        }
    }

    pub fn account(&self, key: AccountKey) -> [u8; 16] {
        self.hash(b'@', key.bytes())
    }
}

pub struct SharedLimits {
    pool: Pool,
    checkout: Arc<Checkout>,
    keys: KeyHasher,
    settings: LimitSettings,
    metrics: Arc<Metrics>,
}

fn gcra(limit: Limit) -> Gcra {
    Gcra::new(limit.burst, limit.per_minute)
}

impl SharedLimits {
    pub fn new(
        pool: Pool,
        checkout: Arc<Checkout>,
        keys: KeyHasher,
        settings: &LimitSettings,
        metrics: Arc<Metrics>,
    ) -> SharedLimits {
        SharedLimits {
            pool,
            checkout,
            keys,
            settings: settings.clone(),
            metrics,
        }
    }

    pub async fn check(&self, action: Action, key: IpKey) -> Result<(), Duration> {
        let limit = gcra(self.settings.get(action));
        self.run(action.name(), limit, self.keys.ip(key)).await
    }

    pub async fn check_sign_in_account(&self, key: AccountKey) -> Result<(), Duration> {
        let limit = gcra(self.settings.sign_in_account);
        self.run(SIGN_IN_ACCOUNT, limit, self.keys.account(key)).await
    }

    async fn run(&self, quota: &'static str, gcra: Gcra, hash: [u8; 16]) -> Result<(), Duration> {
        let (pool, checkout) = (self.pool.clone(), self.checkout.clone());
        let outcome = web::block(move || {
            let mut conn = checkout.get(&pool)?;
            // Read the clock once a connection is in hand, as close to the
            // statement as can be.
            let verdict = rate_limits::check(&mut conn, quota, &hash, gcra, rate_limits::now_us());
            if let Err(e) = &verdict {
                checkout.saw(e);
            }
            verdict
        })
        .await;
        match outcome {
            Ok(Ok(Verdict::Allowed)) => Ok(()),
            Ok(Ok(Verdict::Wait(wait))) => Err(wait),
            Ok(Err(e)) => self.open(quota, &e),
            Err(e) => self.open(quota, &e),
        }
    }

    /// A check the store could not make lets the request through. Failing
    /// closed would turn a database blip into a refusal of every signature
    /// and sign-in, and the request then needs the same database, so in an
    /// outage it fails on its own (503) anyway; what is lost is a few
    /// seconds of limiting, logged and counted in `/metrics`.
    fn open(&self, quota: &str, error: &dyn std::fmt::Display) -> Result<(), Duration> {
        Metrics::bump(&self.metrics.rate_limits_unchecked);
        tracing::warn!(quota, %error, "rate limit not checked: the shared store failed, request let through");
        Ok(())
    }

    /// Deletes the rows of clients whose quotas are full again.
    pub async fn purge(&self) {
        let (pool, checkout) = (self.pool.clone(), self.checkout.clone());
        let purged = web::block(move || -> Result<usize, DbError> {
            let mut conn = checkout.get(&pool)?;
            rate_limits::purge(&mut conn, rate_limits::now_us())
        })
        .await;
        match purged {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::debug!(purged = n, "idle rate-limit rows purged"),
            Ok(Err(e)) => tracing::warn!(error = %e, "rate-limit purge failed"),
            Err(e) => tracing::warn!(error = %e, "rate-limit purge failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ProcessLimits;
    use super::*;
    use crate::db::{self, DatabaseUrl, DbConn};
    use diesel::{Connection, SqliteConnection};
    use governor::clock::FakeRelativeClock;
    use proptest::prelude::*;
    use std::cell::RefCell;
    use std::net::{IpAddr, Ipv4Addr};
    use std::sync::atomic::Ordering;

    fn ip(i: u32) -> IpKey {
        IpKey::from(IpAddr::V4(Ipv4Addr::from(i)))
    }

    #[test]
    fn keys_are_keyed_hashes_apart_by_kind() {
        let keys = KeyHasher::new(b"a secret of at least thirty-two bytes");
        let other = KeyHasher::new(b"another secret, just as long as it");
        let v4 = ip(0x7f00_0001);
        assert_eq!(keys.ip(v4), keys.ip(v4), "stable");
        assert_ne!(keys.ip(v4), other.ip(v4), "another secret, another hash");
        assert_ne!(keys.ip(v4), keys.ip(ip(0x7f00_0002)));
        assert_ne!(
            keys.ip(IpKey::V4(1)),
            keys.ip(IpKey::V6Prefix(1)),
            "an IPv4 address is not the IPv6 prefix of the same number"
        );
        let raw = 0x7f00_0001u32.to_be_bytes();
        assert!(
            !keys.ip(v4).windows(4).any(|w| w == raw),
            "no address in the clear"
        );
        let ada = AccountKey::of("ada@example.org");
        assert_ne!(
            keys.account(ada)[..],
            ada.bytes()[..],
            "not the plain SHA-256 either"
        );
    }

    const PER_MINUTE: [u32; 6] = [1, 6, 12, 20, 30, 60];
    const T0_US: i64 = 1_800_000_000_000_000;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The statement decides as governor does, and says the same wait,
        /// over random sequences of clients and pauses. The rates divide a
        /// minute into whole microseconds, so both count exactly.
        #[test]
        fn the_database_store_agrees_with_governor(
            burst in 1u32..6,
            rate in 0usize..PER_MINUTE.len(),
            steps in proptest::collection::vec((0u64..15_000, 0u32..3), 1..60),
        ) {
            CONN.with(|conn| {
                let mut conn = conn.borrow_mut();
                diesel::RunQueryDsl::execute(diesel::delete(db::schema::rate_limits::table), &mut *conn).unwrap();
                let limit = Limit { burst, per_minute: PER_MINUTE[rate] };
                let settings = LimitSettings { sign: limit, ..Default::default() };
                let clock = FakeRelativeClock::default();
                let governor = ProcessLimits::with_clock(&settings, clock.clone());
                let mut elapsed_us = 0i64;
                for (pause_ms, client) in steps {
                    clock.advance(Duration::from_millis(pause_ms));
                    elapsed_us += pause_ms as i64 * 1000;
                    let expected = governor.check(Action::Sign, ip(client));
                    let hash = [client as u8; 16];
                    let got = rate_limits::check(&mut conn, "sign", &hash, gcra(limit), T0_US + elapsed_us).unwrap();
                    let got = match got {
                        Verdict::Allowed => Ok(()),
                        Verdict::Wait(wait) => Err(wait),
                    };
                    prop_assert_eq!(got, expected, "after {} µs, client {}", elapsed_us, client);
                }
                Ok(())
            })?;
        }
    }

    thread_local! {
        static CONN: RefCell<DbConn> = RefCell::new({
            let mut conn = DbConn::Sqlite(SqliteConnection::establish(":memory:").unwrap());
            db::migrations::run(&mut conn).unwrap();
            conn
        });
    }

    #[actix_web::test]
    async fn a_store_that_fails_lets_requests_through_and_counts_them() {
        let dir = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(dir.path().join("limits.db"));
        let pool = db::connect(&url, 2).unwrap();
        db::migrations::run(&mut pool.get().unwrap()).unwrap();
        let metrics = Arc::new(Metrics::default());
        let checkout = Arc::new(Checkout::new(&url, &db::DbOptions::default()));
        let settings = LimitSettings {
            confirm: Limit {
                burst: 1,
                per_minute: 1,
            },
            ..Default::default()
        };
        let keys = KeyHasher::new(b"a secret of at least thirty-two bytes");
        let store = SharedLimits::new(pool.clone(), checkout, keys, &settings, metrics.clone());
        assert!(store.check(Action::Confirm, ip(1)).await.is_ok());
        let wait = store.check(Action::Confirm, ip(1)).await.unwrap_err();
        assert!(
            wait > Duration::from_secs(58) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert_eq!(metrics.rate_limits_unchecked.load(Ordering::Relaxed), 0);

        diesel::connection::SimpleConnection::batch_execute(
            &mut *pool.get().unwrap(),
            "DROP TABLE rate_limits",
        )
        .unwrap();
        assert!(store.check(Action::Confirm, ip(1)).await.is_ok(), "fails open");
        assert_eq!(metrics.rate_limits_unchecked.load(Ordering::Relaxed), 1);
        store.purge().await;
    }
}
