//! The store in this process's memory (governor's keyed limiters): free,
//! and forgotten at restart; each server counts on its own.

use super::{AccountKey, Action, Limit, LimitSettings};
use crate::web::client_ip::IpKey;
use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::time::Duration;

type Keyed<K, C> = RateLimiter<K, DefaultKeyedStateStore<K>, C, NoOpMiddleware<<C as Clock>::Instant>>;

pub struct ProcessLimits<C: Clock = DefaultClock> {
    clock: C,
    limiters: HashMap<Action, Keyed<IpKey, C>>,
    sign_in_accounts: Keyed<AccountKey, C>,
}

fn quota(limit: Limit) -> Quota {
    let one = NonZeroU32::MIN;
    let per_minute = NonZeroU32::new(limit.per_minute).unwrap_or(one);
    let burst = NonZeroU32::new(limit.burst).unwrap_or(one);
    Quota::per_minute(per_minute).allow_burst(burst)
}

impl ProcessLimits<DefaultClock> {
    pub fn new(settings: &LimitSettings) -> Self {
        Self::with_clock(settings, DefaultClock::default())
    }
}

impl<C: Clock + Clone> ProcessLimits<C> {
    pub fn with_clock(settings: &LimitSettings, clock: C) -> Self {
        let limiters = Action::ALL
            .into_iter()
            .map(|a| {
                (
                    a,
                    RateLimiter::dashmap_with_clock(quota(settings.get(a)), clock.clone()),
                )
            })
            .collect();
        ProcessLimits {
            sign_in_accounts: RateLimiter::dashmap_with_clock(quota(settings.sign_in_account), clock.clone()),
            clock,
            limiters,
        }
    }

    /// `Err(wait)` when the client must wait before trying again.
    pub fn check(&self, action: Action, key: IpKey) -> Result<(), Duration> {
        let Some(limiter) = self.limiters.get(&action) else {
            return Ok(());
        };
        limiter
            .check_key(&key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Like [`check`](Self::check), for sign-in attempts at one account,
    /// from whatever address they come.
    pub fn check_sign_in_account(&self, key: AccountKey) -> Result<(), Duration> {
        self.sign_in_accounts
            .check_key(&key)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Forgets clients whose quota is full again, so a flood of distinct
    /// addresses cannot grow memory without bound.
    pub fn sweep(&self) {
        for limiter in self.limiters.values() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        self.sign_in_accounts.retain_recent();
        self.sign_in_accounts.shrink_to_fit();
    }

    /// How many client keys are tracked, over all actions.
    pub fn tracked(&self) -> usize {
        self.limiters.values().map(|l| l.len()).sum::<usize>() + self.sign_in_accounts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;
    use std::net::{IpAddr, Ipv4Addr};

    fn key(i: u32) -> IpKey {
        IpKey::from(IpAddr::V4(Ipv4Addr::from(i)))
    }

    fn settings(burst: u32, per_minute: u32) -> LimitSettings {
        LimitSettings {
            sign: Limit { burst, per_minute },
            ..Default::default()
        }
    }

    #[test]
    fn burst_then_refusal_then_recovery() {
        let clock = FakeRelativeClock::default();
        let limits = ProcessLimits::with_clock(&settings(3, 60), clock.clone());
        for _ in 0..3 {
            assert!(limits.check(Action::Sign, key(1)).is_ok());
        }
        let wait = limits.check(Action::Sign, key(1)).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        assert!(
            limits.check(Action::Sign, key(2)).is_ok(),
            "other clients are not affected"
        );
        clock.advance(Duration::from_secs(1));
        assert!(limits.check(Action::Sign, key(1)).is_ok());
    }

    #[test]
    fn sign_in_accounts_are_limited_apart_from_addresses() {
        let clock = FakeRelativeClock::default();
        let settings = LimitSettings {
            sign_in_account: Limit {
                burst: 2,
                per_minute: 1,
            },
            ..Default::default()
        };
        let limits = ProcessLimits::with_clock(&settings, clock.clone());
        let ada = AccountKey::of("ada@example.org");
        assert!(limits.check_sign_in_account(ada).is_ok());
        assert!(limits.check_sign_in_account(ada).is_ok());
        let wait = limits.check_sign_in_account(ada).unwrap_err();
        assert!(
            wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert!(limits
            .check_sign_in_account(AccountKey::of("bob@example.org"))
            .is_ok());
        assert!(
            limits.check(Action::SignIn, key(1)).is_ok(),
            "addresses are counted apart"
        );
        clock.advance(Duration::from_secs(60));
        assert!(limits.check_sign_in_account(ada).is_ok());
    }

    #[test]
    fn sweep_bounds_memory_under_a_flood_of_addresses() {
        let clock = FakeRelativeClock::default();
        let limits = ProcessLimits::with_clock(&settings(5, 60), clock.clone());
        for i in 0..10_000 {
            let _ = limits.check(Action::Sign, key(i));
        }
        assert_eq!(limits.tracked(), 10_000);
        limits.sweep();
        assert_eq!(limits.tracked(), 10_000, "recent clients are kept");
        clock.advance(Duration::from_secs(60));
        limits.sweep();
        assert_eq!(limits.tracked(), 0, "clients whose quota refilled are forgotten");
    }
}
