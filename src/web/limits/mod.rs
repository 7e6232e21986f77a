//! Per-client rate limits, held in application state so every server and
//! every test has its own. Sign-in is also limited per account tried, so
//! that guessing one account's password from many addresses is slow too.
//!
//! Two stores keep the count, with one rule (governor's GCRA): this
//! process's memory (`process`, the default: free, but a client spread over
//! N servers gets N quotas) or the database (`shared`: one exact quota over
//! every server, for one statement per check). Every check goes through
//! [`RateLimits::check`] or [`RateLimits::check_sign_in_account`].

mod process;
mod shared;

pub use process::ProcessLimits;
pub use shared::{KeyHasher, SharedLimits};

use super::client_ip::IpKey;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Sign,
    Confirm,
    Withdraw,
    Manage,
    Export,
    SignIn,
    PasswordReset,
    /// A search of a letter's signatories (page or API): each one that
    /// misses the cache costs a database query, so one client must not
    /// be able to keep the pool busy with made-up words.
    Search,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Sign,
        Action::Confirm,
        Action::Withdraw,
        Action::Manage,
        Action::Export,
        Action::SignIn,
        Action::PasswordReset,
        Action::Search,
    ];

    /// The action's name in the `[limits]` table, and in the shared store.
    pub fn name(self) -> &'static str {
        match self {
            Action::Sign => "sign",
            Action::Confirm => "confirm",
            Action::Withdraw => "withdraw",
            Action::Manage => "manage",
            Action::Export => "export",
            Action::SignIn => "sign_in",
            Action::PasswordReset => "password_reset",
            Action::Search => "search",
        }
    }
}

/// The shared store's name for sign-in attempts at one account.
pub const SIGN_IN_ACCOUNT: &str = "sign_in_account";

/// A burst, then a sustained rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    pub burst: u32,
    pub per_minute: u32,
}

/// The quota of each action, from the `[limits]` table of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitSettings {
    pub sign: Limit,
    pub confirm: Limit,
    pub withdraw: Limit,
    pub manage: Limit,
    pub export: Limit,
    pub sign_in: Limit,
    /// Sign-in attempts at one account (the address typed, whether or not
    /// it has an account), counted over every client together.
    pub sign_in_account: Limit,
    pub password_reset: Limit,
    pub search: Limit,
}

impl Default for LimitSettings {
    fn default() -> Self {
        let l = |burst, per_minute| Limit { burst, per_minute };
        LimitSettings {
            sign: l(10, 6),
            confirm: l(20, 20),
            withdraw: l(10, 10),
            manage: l(30, 30),
            export: l(10, 10),
            sign_in: l(10, 5),
            sign_in_account: l(10, 1),
            password_reset: l(5, 2),
            // A person searches a few times a minute; this leaves room for
            // a class behind one address, and none for a crawler.
            search: l(30, 60),
        }
    }
}

impl LimitSettings {
    fn get(&self, action: Action) -> Limit {
        match action {
            Action::Sign => self.sign,
            Action::Confirm => self.confirm,
            Action::Withdraw => self.withdraw,
            Action::Manage => self.manage,
            Action::Export => self.export,
            Action::SignIn => self.sign_in,
            Action::PasswordReset => self.password_reset,
            Action::Search => self.search,
        }
    }
}

/// Where the counts live (`rate_limit_store`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LimitStore {
    /// In this process: each server counts on its own.
    #[default]
    Process,
    /// In the database: every server on it counts together.
    Database,
}

impl LimitStore {
    pub fn parse(text: &str) -> Option<LimitStore> {
        match text.trim().to_ascii_lowercase().as_str() {
            "process" => Some(LimitStore::Process),
            "database" => Some(LimitStore::Database),
            _ => None,
        }
    }
}

/// An account tried at sign-in: the first 128 bits of the SHA-256 of the
/// address as typed, once normalised. Fixed in size whatever is typed, and
/// no address is kept in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccountKey([u8; 16]);

impl AccountKey {
    pub fn of(normalised_email: &str) -> AccountKey {
        let digest = Sha256::digest(normalised_email.as_bytes());
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        AccountKey(key)
    }

    pub(crate) fn bytes(&self) -> &[u8; 16] {
        &self.0
    }
}

enum Store {
    Process(ProcessLimits),
    Database(SharedLimits),
}

pub struct RateLimits {
    enabled: bool,
    store: Store,
}

impl RateLimits {
    /// Limits counted in this process.
    pub fn new(enabled: bool, settings: &LimitSettings) -> Self {
        RateLimits {
            enabled,
            store: Store::Process(ProcessLimits::new(settings)),
        }
    }

    /// Limits counted in the database, with every server on it.
    pub fn shared(enabled: bool, store: SharedLimits) -> Self {
        RateLimits {
            enabled,
            store: Store::Database(store),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// `Err(wait)` when the client must wait before trying again.
    pub async fn check(&self, action: Action, key: IpKey) -> Result<(), Duration> {
        if !self.enabled {
            return Ok(());
        }
        match &self.store {
            Store::Process(p) => p.check(action, key),
            Store::Database(s) => s.check(action, key).await,
        }
    }

    /// Like [`check`](Self::check), for sign-in attempts at one account,
    /// from whatever address they come.
    pub async fn check_sign_in_account(&self, key: AccountKey) -> Result<(), Duration> {
        if !self.enabled {
            return Ok(());
        }
        match &self.store {
            Store::Process(p) => p.check_sign_in_account(key),
            Store::Database(s) => s.check_sign_in_account(key).await,
        }
    }

    /// Forgets clients whose quota is full again, so a flood of distinct
    /// addresses cannot grow memory, or the shared table, without bound.
    pub async fn sweep(&self) {
        match &self.store {
            Store::Process(p) => p.sweep(),
            Store::Database(s) => s.purge().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    #[actix_web::test]
    async fn disabled_limits_never_refuse() {
        let settings = LimitSettings {
            sign: Limit {
                burst: 1,
                per_minute: 1,
            },
            ..Default::default()
        };
        let limits = RateLimits::new(false, &settings);
        let key = IpKey::from(IpAddr::V4(Ipv4Addr::LOCALHOST));
        for _ in 0..100 {
            assert!(limits.check(Action::Sign, key).await.is_ok());
        }
        let on = RateLimits::new(true, &settings);
        assert!(on.check(Action::Sign, key).await.is_ok());
        assert!(on.check(Action::Sign, key).await.is_err(), "the same limits, on");
    }

    #[test]
    fn stores_by_name() {
        assert_eq!(LimitStore::parse(" Database "), Some(LimitStore::Database));
        assert_eq!(LimitStore::parse("process"), Some(LimitStore::Process));
        assert_eq!(LimitStore::parse("redis"), None);
        assert_eq!(LimitStore::default(), LimitStore::Process);
    }
}
