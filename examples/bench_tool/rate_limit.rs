//! `rate-limit`: checks a second of the shared rate-limit store, each one
//! what a request pays with `rate_limit_store = "database"`: the client's
//! keyed hash and the one upsert (`db::rate_limits::check`), on a pooled
//! connection; and, for scale, the process store's check on this machine.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use undersigned::db::rate_limits::{self, Gcra, Verdict};
use undersigned::db::Pool;
use undersigned::web::client_ip::IpKey;
use undersigned::web::limits::{Action, KeyHasher, LimitSettings, ProcessLimits};

pub fn run(pool: &Pool, threads: u32, seconds: u64, clients: u32) -> anyhow::Result<()> {
    anyhow::ensure!(clients > 0, "--clients must be at least 1");
    let keys = KeyHasher::new(b"bench rate-limit key, thirty-two bytes or more");
    let sign = LimitSettings::default().sign;
    let gcra = Gcra::new(sign.burst, sign.per_minute);
    let forget = || -> anyhow::Result<()> {
        let mut conn = pool.get()?;
        rate_limits::purge(&mut conn, i64::MAX)?;
        Ok(())
    };
    forget()?;
    let (next, allowed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    std::thread::scope(|s| -> anyhow::Result<()> {
        let mut handles = Vec::new();
        for _ in 0..threads {
            let (pool, keys, next, allowed) = (pool.clone(), keys.clone(), next.clone(), allowed.clone());
            handles.push(s.spawn(move || -> anyhow::Result<()> {
                let mut conn = pool.get()?;
                while Instant::now() < deadline {
                    // Clients in turn, so most checks find their row, as
                    // a client's second request does.
                    let client = (next.fetch_add(1, Ordering::Relaxed) % u64::from(clients)) as u32;
                    let hash = keys.ip(IpKey::V4(client));
                    let verdict = rate_limits::check(
                        &mut conn,
                        Action::Sign.name(),
                        &hash,
                        gcra,
                        rate_limits::now_us(),
                    )?;
                    if verdict == Verdict::Allowed {
                        allowed.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Ok(())
            }));
        }
        for h in handles {
            h.join().map_err(|_| anyhow::anyhow!("a thread panicked"))??;
        }
        Ok(())
    })?;
    forget()?;
    let checks = next.load(Ordering::Relaxed);
    println!("rate_limit_checks_per_s {:.0}", checks as f64 / seconds as f64);
    println!(
        "rate_limit_allowed_share {:.2}",
        allowed.load(Ordering::Relaxed) as f64 / checks.max(1) as f64
    );
    println!("process_checks_per_s {:.0}", process_rate(clients));
    Ok(())
}

/// The process store's checks a second, on one thread for one second.
fn process_rate(clients: u32) -> f64 {
    let limits = ProcessLimits::new(&LimitSettings::default());
    let started = Instant::now();
    let mut n = 0u64;
    while started.elapsed() < Duration::from_secs(1) {
        for _ in 0..1000 {
            let _ = limits.check(Action::Sign, IpKey::V4((n % u64::from(clients)) as u32));
            n += 1;
        }
    }
    n as f64 / started.elapsed().as_secs_f64()
}
