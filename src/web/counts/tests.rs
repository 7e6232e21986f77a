use super::*;
use std::sync::atomic::AtomicUsize;
use std::sync::Barrier;

fn cached(cache: &CountCache, letter_id: &str) -> Option<i64> {
    cache.entries.get(letter_id).map(|held| held.value())
}

#[test]
fn adjusts_a_cached_count_and_ignores_an_absent_one() {
    let cache = CountCache::new(Duration::from_secs(60));
    cache.adjust(&"absent".into(), 1);
    assert_eq!(
        cached(&cache, "absent"),
        None,
        "nothing to adjust: the next read counts"
    );
    assert_eq!(cache.get_or_count("l1", || Ok(10)).ok(), Some(10));
    cache.adjust(&"l1".into(), 1);
    assert_eq!(
        cache.get_or_count("l1", || panic!("moved, not dropped")).ok(),
        Some(11)
    );
    cache.adjust(&"l1".into(), -1);
    cache.adjust(&"l1".into(), 0);
    assert_eq!(cached(&cache, "l1"), Some(10));
    cache.adjust(&"l1".into(), -20);
    assert_eq!(cached(&cache, "l1"), Some(0), "never below zero");
    cache.invalidate(&"l1".into());
    assert_eq!(cached(&cache, "l1"), None);
    assert_eq!(
        cache.get_or_count("l1", || Ok(12)).ok(),
        Some(12),
        "counted again"
    );
}

#[test]
fn an_expired_count_is_counted_again() {
    let cache = CountCache::new(Duration::ZERO);
    assert_eq!(cache.get_or_count("l1", || Ok(1)).ok(), Some(1));
    assert_eq!(cache.get_or_count("l1", || Ok(2)).ok(), Some(2));
}

#[test]
fn a_failed_count_is_returned_and_not_kept() {
    let cache = CountCache::new(Duration::from_secs(60));
    let failed = cache.get_or_count("l1", || Err(DbError::Contended("test")));
    assert!(matches!(failed, Err(DbError::Contended(_))));
    assert_eq!(cached(&cache, "l1"), None);
}

#[test]
fn threads_missing_one_count_run_it_once() {
    const THREADS: usize = 8;
    let cache = CountCache::new(Duration::from_secs(60));
    let runs = AtomicUsize::new(0);
    let start = Barrier::new(THREADS);
    let counts: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    cache.get_or_count("l1", || {
                        runs.fetch_add(1, Ordering::SeqCst);
                        // Long enough for every thread to arrive.
                        std::thread::sleep(Duration::from_millis(200));
                        Ok(42)
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("no panic").ok())
            .collect()
    });
    assert_eq!(counts, vec![Some(42); THREADS]);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

#[test]
fn a_waiter_counts_for_itself_when_the_shared_count_failed() {
    let cache = CountCache::new(Duration::from_secs(60));
    let (first_started, go) = (Barrier::new(2), Barrier::new(2));
    std::thread::scope(|s| {
        let failing = s.spawn(|| {
            cache.get_or_count("l1", || {
                first_started.wait();
                go.wait();
                std::thread::sleep(Duration::from_millis(100));
                Err(DbError::Contended("test"))
            })
        });
        first_started.wait();
        let waiting = s.spawn(|| {
            go.wait();
            cache.get_or_count("l1", || Ok(7))
        });
        assert!(failing.join().expect("no panic").is_err());
        assert_eq!(waiting.join().expect("no panic").ok(), Some(7));
    });
}

/// Runs `f` on the blocking pool of a runtime, as `run_db` runs a count.
fn on_pool<T: Send + 'static>(
    runtime: &tokio::runtime::Runtime,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    runtime
        .block_on(runtime.spawn_blocking(f))
        .expect("no panic on the pool")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// "l1"'s count read on the pool, counted with `count` if the reader counts.
fn read_on_pool(
    runtime: &tokio::runtime::Runtime,
    cache: &Arc<CountCache>,
    count: impl FnOnce() -> Result<i64, DbError> + Send + 'static,
) -> Option<i64> {
    let c = cache.clone();
    on_pool(runtime, move || c.get_or_count("l1", count).ok())
}

/// A count slower than `SLOW_COUNT`.
fn slowly(n: i64) -> impl FnOnce() -> Result<i64, DbError> + Send + 'static {
    move || {
        std::thread::sleep(SLOW_COUNT * 2);
        Ok(n)
    }
}

/// Waits (up to ten seconds) until `cache` holds `want` for "l1", fresh or
/// not: on a slow machine a count may land already older than its `ttl`.
fn until_held(cache: &CountCache, want: i64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while cached(cache, "l1") != Some(want) {
        assert!(
            Instant::now() < deadline,
            "never held {want}: {:?}",
            cached(cache, "l1")
        );
        std::thread::yield_now();
    }
}

/// A recount that counts its runs in `runs` and meets `reading` three
/// times: once connected, again before it reads (what moved in between is
/// in the `n` it reads), and once it has read; then `gate` before it
/// answers `n`.
fn gated_recount(n: i64, runs: Arc<AtomicUsize>, reading: Arc<Barrier>, gate: Arc<Barrier>) -> Recount {
    Arc::new(move |_, read| {
        runs.fetch_add(1, Ordering::SeqCst);
        reading.wait();
        reading.wait();
        read();
        reading.wait();
        gate.wait();
        Ok(n)
    })
}

fn barrier() -> Arc<Barrier> {
    Arc::new(Barrier::new(2))
}

/// A cache with a slow count of 100 held for "l1", now stale.
fn stale_slow(runtime: &tokio::runtime::Runtime, ttl: Duration, recount: Recount) -> Arc<CountCache> {
    let cache = Arc::new(CountCache::new(ttl).with_recount(recount));
    assert_eq!(read_on_pool(runtime, &cache, slowly(100)), Some(100));
    std::thread::sleep(ttl * 2);
    cache
}

/// A read on the pool that must not count itself.
fn read_behind(runtime: &tokio::runtime::Runtime, cache: &Arc<CountCache>) -> Option<i64> {
    read_on_pool(runtime, cache, || panic!("the reader does not count"))
}

#[test]
fn a_slow_stale_count_is_taken_again_behind_its_readers() {
    let runtime = runtime();
    let (runs, reading, gate) = (Arc::new(AtomicUsize::new(0)), barrier(), barrier());
    let recount = gated_recount(500, runs.clone(), reading.clone(), gate.clone());
    let cache = stale_slow(&runtime, Duration::from_millis(30), recount);
    assert_eq!(
        cache.held(&"l1".into()),
        None,
        "a stale count is not held as fresh"
    );
    for _ in 0..3 {
        assert_eq!(
            read_behind(&runtime, &cache),
            Some(100),
            "the count as it was, at once"
        );
    }
    // A signature confirmed while the count waited to read is in what it
    // reads, not added again; those confirmed once it has begun reading
    // stay counted.
    reading.wait();
    cache.adjust(&"l1".into(), 2);
    reading.wait();
    reading.wait();
    cache.adjust(&"l1".into(), 3);
    gate.wait();
    until_held(&cache, 503);
    assert_eq!(runs.load(Ordering::SeqCst), 1, "one count behind three readers");
}

#[test]
fn a_fast_stale_count_is_counted_by_its_reader() {
    let runtime = runtime();
    let runs = Arc::new(AtomicUsize::new(0));
    let ttl = Duration::from_millis(30);
    let recount = gated_recount(500, runs.clone(), barrier(), barrier());
    let cache = Arc::new(CountCache::new(ttl).with_recount(recount));
    assert_eq!(read_on_pool(&runtime, &cache, || Ok(10)), Some(10));
    std::thread::sleep(ttl * 2);
    assert_eq!(read_on_pool(&runtime, &cache, || Ok(11)), Some(11));
    assert_eq!(cached(&cache, "l1"), Some(11));
    assert_eq!(runs.load(Ordering::SeqCst), 0);
}

#[test]
fn without_a_runtime_a_slow_count_is_taken_by_its_reader() {
    let ttl = Duration::from_millis(30);
    let recount: Recount = Arc::new(|_, _| panic!("no runtime to count behind the reader"));
    let cache = CountCache::new(ttl).with_recount(recount);
    assert_eq!(cache.get_or_count("l1", slowly(100)).ok(), Some(100));
    std::thread::sleep(ttl * 2);
    assert_eq!(cache.get_or_count("l1", || Ok(101)).ok(), Some(101));
}

#[test]
fn a_count_older_than_its_keep_is_taken_by_its_reader() {
    let runtime = runtime();
    // Every count behind the readers fails, so the figure only ages while
    // reads keep it from being forgotten.
    let recount: Recount = Arc::new(|_, _| Err(DbError::Contended("test")));
    let (ttl, keep) = (Duration::from_millis(10), Duration::from_millis(200));
    let cache = Arc::new(CountCache::with_keep(ttl, keep).with_recount(recount));
    // Before the count lands, not after: its age runs from its landing,
    // and the read returns a while later on a busy machine, which once let
    // the count pass its keep before this test's clock said so.
    let held_since = Instant::now();
    assert_eq!(read_on_pool(&runtime, &cache, slowly(100)), Some(100));
    let deadline = held_since + Duration::from_secs(10);
    loop {
        match read_on_pool(&runtime, &cache, || Ok(7)) {
            Some(100) => assert!(Instant::now() < deadline, "never counted by its reader"),
            Some(7) => break,
            other => panic!("{other:?}"),
        }
        std::thread::sleep(ttl);
    }
    assert!(
        held_since.elapsed() >= keep,
        "counted by its reader only once too old"
    );
}

#[test]
fn a_failed_or_panicking_count_behind_the_readers_keeps_the_figure_and_is_tried_again() {
    let runtime = runtime();
    let runs = Arc::new(AtomicUsize::new(0));
    let r = runs.clone();
    let recount: Recount = Arc::new(move |_, read| {
        read();
        // Slow, so that the figure that lands is taken behind readers too.
        std::thread::sleep(SLOW_COUNT * 2);
        match r.fetch_add(1, Ordering::SeqCst) {
            0 => Err(DbError::Contended("test")),
            1 => panic!("a count that panics gives its claim back"),
            _ => Ok(200),
        }
    });
    let cache = stale_slow(&runtime, Duration::from_millis(30), recount);
    let deadline = Instant::now() + Duration::from_secs(10);
    // Each read finds the count stale until one lands: a run that fails
    // or panics gives the claim back, and a later read starts another.
    while cached(&cache, "l1") != Some(200) {
        let read = read_behind(&runtime, &cache);
        assert!(matches!(read, Some(100 | 200)), "{read:?}");
        assert!(Instant::now() < deadline, "the count was never taken again");
        std::thread::yield_now();
    }
    assert_eq!(runs.load(Ordering::SeqCst), 3);
}

#[test]
fn counts_behind_readers_run_a_few_at_a_time() {
    let runtime = runtime();
    let (runs, reading, gate) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(Barrier::new(MAX_BEHIND + 1)),
        Arc::new(Barrier::new(MAX_BEHIND + 1)),
    );
    let recount = gated_recount(500, runs.clone(), reading.clone(), gate.clone());
    let ttl = Duration::from_millis(30);
    let cache = Arc::new(CountCache::new(ttl).with_recount(recount));
    let letters: Vec<String> = (0..MAX_BEHIND + 2).map(|n| format!("l{n}")).collect();
    for letter in &letters {
        let (c, l) = (cache.clone(), letter.clone());
        on_pool(&runtime, move || c.get_or_count(&l, slowly(100)).ok());
    }
    std::thread::sleep(ttl * 2);
    for letter in &letters {
        let (c, l) = (cache.clone(), letter.clone());
        let read = on_pool(&runtime, move || {
            c.get_or_count(&l, || panic!("the reader does not count")).ok()
        });
        assert_eq!(read, Some(100));
    }
    for _ in 0..3 {
        reading.wait();
    }
    assert_eq!(
        runs.load(Ordering::SeqCst),
        MAX_BEHIND,
        "the others got the count as it was"
    );
    gate.wait();
}

#[test]
fn a_fresh_count_is_asked_for_the_press() {
    let ttl = Duration::from_millis(30);
    let recount: Recount = Arc::new(|_, _| panic!("the press page's reader counts"));
    let cache = CountCache::new(ttl).with_recount(recount);
    assert_eq!(cache.fresh_or_count("l1", slowly(100)).ok(), Some(100));
    assert_eq!(cache.fresh_or_count("l1", || panic!("fresh")).ok(), Some(100));
    std::thread::sleep(ttl * 2);
    cache.adjust(&"l1".into(), 1);
    assert_eq!(cache.fresh_or_count("l1", || Ok(150)).ok(), Some(150));
    assert_eq!(cached(&cache, "l1"), Some(150));
}

#[test]
fn a_stale_count_is_served_while_its_reader_counts_it() {
    let ttl = Duration::from_millis(30);
    let cache = CountCache::new(ttl);
    assert_eq!(cache.get_or_count("l1", || Ok(5)).ok(), Some(5));
    std::thread::sleep(ttl * 2);
    let (counting, go) = (Barrier::new(2), Barrier::new(2));
    std::thread::scope(|s| {
        let first = s.spawn(|| {
            cache.get_or_count("l1", || {
                counting.wait();
                go.wait();
                Ok(6)
            })
        });
        counting.wait();
        let other = cache.get_or_count("l1", || panic!("one reader counts"));
        assert_eq!(other.ok(), Some(5));
        go.wait();
        assert_eq!(first.join().expect("no panic").ok(), Some(6));
    });
    assert_eq!(cached(&cache, "l1"), Some(6));
}

#[derive(Debug, Clone)]
enum Step {
    Confirm,
    Withdraw,
    /// A count begins: it reads the signatures as they stand.
    Begin,
    /// The count under way, if any, lands.
    Land,
}

proptest::proptest! {
    /// Whatever this process confirms or withdraws while counts run and
    /// land, the figure held is the number of signatures.
    #[test]
    fn counts_that_land_keep_every_change_made_while_they_ran(
        steps in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just(Step::Confirm),
                proptest::strategy::Just(Step::Withdraw),
                proptest::strategy::Just(Step::Begin),
                proptest::strategy::Just(Step::Land),
            ],
            0..60,
        )
    ) {
        let held = Held::new(0, Duration::ZERO);
        let (mut signatures, mut under_way) = (0i64, None);
        for step in steps {
            match step {
                Step::Confirm => {
                    signatures += 1;
                    held.adjust(1);
                }
                Step::Withdraw if signatures > 0 => {
                    signatures -= 1;
                    held.adjust(-1);
                }
                Step::Withdraw => {}
                Step::Begin => under_way = Some((held.moves(), signatures)),
                Step::Land => {
                    if let Some((moves_before, read)) = under_way.take() {
                        held.land(read, moves_before, Duration::ZERO);
                    }
                }
            }
            proptest::prop_assert_eq!(held.value(), signatures);
        }
    }
}
