//! The rendered letter page, kept in memory briefly. Rendering it (Markdown,
//! signatories, translations) costs far more than serving it, and on a busy
//! day thousands of readers ask for the same page every second.
//!
//! What is kept is the page split around its form token: each response still
//! gets a freshly signed token, so the minimum filling time keeps measuring
//! from when this reader got the form. Entries are fresh as long as the count
//! may lag (`count_cache_ms`), and a confirmation or withdrawal made through
//! this process drops its letter's pages at once.
//!
//! A `moka::future::Cache`: rendering awaits the database, so requests that
//! miss one page at once wait for the one render as futures, without holding
//! a worker thread. The letter is looked up before that, so a made-up slug
//! answers "not found" without waiting on anything a real letter's readers
//! wait on; and moka coalesces per key, so no page waits on another's render.
//!
//! When a page is past its freshness, one request renders it again while the
//! others keep getting the previous copy for that short while, rather than
//! all of them waiting on a render that may include recounting a million
//! signatures. moka has no refresh-after-write, so this is done here: an
//! entry outlives its freshness by `stale_for`, and the first request to find
//! it stale claims the render.
//!
//! Dropping a letter's pages: pages are keyed by slug and languages, which a
//! confirmation does not know, so the letter is dropped by generation. Each
//! invalidation takes a number from a clock and records it for the letter;
//! each page carries the clock's reading from when it was stored, and is
//! served only if that is not older than its letter's last invalidation.
//! moka's other way, an invalidation closure matched against every page, was
//! measured and lost: while closures are pending every read walks all of
//! them (cloning each), and a wave of confirmations keeps many pending.
//! Reading the letter page while confirming, in alternating runs against
//! the map this replaced, it served 3,700–24,000 reads a second (7,700 in
//! the middle run) where the map served 20,000–26,000; generations serve
//! as many as the map (see `bench/RESULTS.md`, 2026-11-30). A generation costs a read one atomic
//! load, and one more lookup only if some letter was invalidated since the
//! page was stored; an invalidation costs one insert.
//!
//! Two kinds of change, two rules. A change that adds to what a page shows
//! (a confirmation) lets a render that was under way when it committed be
//! kept: that page lacks the new signature until it expires or the next
//! change. Holding such renders back too was measured: under a wave of
//! confirmations almost every render is outdated on arrival and serves only
//! the requests that waited on it, about a tenth fewer reads a second in
//! alternating runs. A change that takes something away (a withdrawal, a
//! moderator hiding a name, an organizer's edit) is a promise to the person
//! concerned, so it gets the strict rule: a page whose render began before
//! it is never served to a request that came after it, whether kept or
//! shared by a render still under way. Such changes are rare enough that
//! the renders they cost do not show.

use super::http_cache::{Body, Pieces};
use crate::model::LetterId;
use actix_web::web::Bytes;
use moka::future::Cache;
use moka::ops::compute::Op;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A rendered page with a hole where the form token goes.
pub struct CachedPage {
    pub letter_id: LetterId,
    /// Shared with every response that sends it (`http_cache::Pieces`).
    pub before_token: Bytes,
    pub after_token: Bytes,
    /// Validator of everything but the token.
    pub etag: String,
    /// The same page compressed, for clients that take gzip.
    gzip: Option<gzip::GzipPage>,
    rendered_at: Instant,
    /// When the page stops being true by itself (a scheduled closing takes
    /// its form away): past it, nobody is served this copy.
    good_until: Option<Instant>,
    /// The invalidation clock's reading when this page was stored.
    generation: u64,
    /// The clock's reading when its render began: a change that takes
    /// something away after it makes the page unfit to serve.
    began: u64,
    /// When a request set out to render this page again, if one did.
    refreshing_since: Mutex<Option<Instant>>,
}

impl CachedPage {
    /// Splits `html` at `placeholder`; `None` if it is missing (a closed
    /// letter has no form), in which case the whole page is `before_token`.
    pub fn new(letter_id: LetterId, html: &str, placeholder: &str) -> CachedPage {
        let (before, after) = html.split_once(placeholder).unwrap_or((html, ""));
        CachedPage {
            letter_id,
            etag: super::http_cache::etag_of(&[before.as_bytes(), after.as_bytes()]),
            gzip: gzip::GzipPage::new(before.as_bytes(), after.as_bytes()),
            before_token: Bytes::copy_from_slice(before.as_bytes()),
            after_token: Bytes::copy_from_slice(after.as_bytes()),
            rendered_at: Instant::now(),
            good_until: None,
            generation: 0,
            began: 0,
            refreshing_since: Mutex::new(None),
        }
    }

    /// The page holds until `until` at most.
    pub fn good_until(mut self, until: Option<Instant>) -> CachedPage {
        self.good_until = until;
        self
    }

    /// How long the page still holds by itself, if it ends.
    pub fn holds_for(&self) -> Option<Duration> {
        self.good_until
            .map(|t| t.saturating_duration_since(Instant::now()))
    }

    fn expired(&self) -> bool {
        self.good_until.is_some_and(|t| Instant::now() >= t)
    }

    /// A rendering with no form token in it (a list, a JSON document).
    pub fn whole(letter_id: LetterId, body: String) -> CachedPage {
        CachedPage {
            letter_id,
            etag: super::http_cache::etag_of(&[body.as_bytes()]),
            gzip: gzip::GzipPage::new(body.as_bytes(), b""),
            before_token: Bytes::from(body),
            after_token: Bytes::new(),
            rendered_at: Instant::now(),
            good_until: None,
            generation: 0,
            began: 0,
            refreshing_since: Mutex::new(None),
        }
    }

    /// The page with `token` in its hole. A page without a hole (a closed
    /// letter's, a list) ignores the token.
    pub fn with_token(&self, token: &str) -> Pieces {
        let token = self.filling(token);
        Pieces::new([
            self.before_token.clone(),
            Bytes::copy_from_slice(token.as_bytes()),
            self.after_token.clone(),
            Bytes::new(),
        ])
    }

    /// The page with `token` in its hole, as a gzip member, if it could be
    /// compressed. A page without a hole ignores the token, as
    /// [`with_token`](Self::with_token) does.
    pub fn gzip_with_token(&self, token: &str) -> Option<Pieces> {
        let token = self.filling(token);
        self.gzip.as_ref().map(|g| g.with_token(token.as_bytes()))
    }

    /// What goes in the hole: `token`, or nothing for a page without one.
    fn filling<'a>(&self, token: &'a str) -> &'a str {
        if self.after_token.is_empty() {
            ""
        } else {
            token
        }
    }

    /// The body for a client that does (`gzip`) or does not take gzip.
    pub fn encoded(&self, gzip: bool, token: &str) -> Body {
        let compressed = if gzip { self.gzip_with_token(token) } else { None };
        match compressed {
            Some(body) => Body::Negotiated { body, gzip: true },
            None => Body::Negotiated {
                body: self.with_token(token),
                gzip: false,
            },
        }
    }

    /// Its share of the cache's byte budget.
    fn weight(&self) -> u32 {
        let bytes = self.before_token.len()
            + self.after_token.len()
            + self.gzip.as_ref().map_or(0, gzip::GzipPage::len)
            + self.etag.len()
            + self.letter_id.len();
        u32::try_from(bytes).unwrap_or(u32::MAX)
    }

    /// Whether the caller should render this stale page again: true for the
    /// first caller to ask, and again if its render has not landed within
    /// `retry_after` (it failed, or is stuck).
    fn claim_refresh(&self, retry_after: Duration) -> bool {
        let Ok(mut since) = self.refreshing_since.lock() else {
            return false;
        };
        match *since {
            Some(started) if started.elapsed() < retry_after => false,
            _ => {
                *since = Some(Instant::now());
                true
            }
        }
    }
}

/// The moment of this process's clock when UTC `at` comes (now, if past).
pub fn instant_at(at: chrono::NaiveDateTime) -> Instant {
    Instant::now() + (at - crate::db::now()).to_std().unwrap_or_default()
}

/// Bytes of rendered pages kept; a letter page weighs tens of kilobytes, so
/// this holds thousands of pages and bounds what a crawl of every letter in
/// every language can take.
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Letters whose last invalidation is remembered at once. Only letters
/// changed within the last few seconds (see `PageCache::new`) have one.
const MAX_INVALIDATED_LETTERS: u64 = 100_000;

pub struct PageCache {
    ttl: Duration,
    /// Marks the token's place in a render; random, so no letter text can
    /// contain it by accident.
    placeholder: String,
    entries: Cache<PageKey, Arc<CachedPage>>,
    /// Ticks once per invalidation.
    clock: AtomicU64,
    /// By letter id, the clock's values at its last invalidations. Pages
    /// stored before them are no longer served.
    invalidated: moka::sync::Cache<String, Ticks>,
}

/// A letter's last invalidations, as readings of the clock.
#[derive(Debug, Clone, Copy, Default)]
struct Ticks {
    /// The last change of any kind: a page stored before it is outdated.
    any: u64,
    /// The last change that took something away: a page whose render began
    /// before it may still show what was taken away.
    removal: u64,
}

/// The invalidation clock's reading when a render began.
#[derive(Debug, Clone, Copy)]
pub struct RenderMark(u64);

/// What a change did to a letter's pages (see the module's comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Only added to what they show (a confirmation).
    Added,
    /// May have taken something away or altered it.
    Altered,
}

/// What the cache held for a page that cannot be served as it is.
enum Held {
    Nothing,
    /// Expired, or outdated by a change of its letter.
    Unfit(Arc<CachedPage>),
    /// Stale, and this request claimed rendering it again.
    RefreshClaimed,
}

/// How long a page past its freshness may still be served while one request
/// renders it again, and how long that request has before another tries.
fn stale_for(ttl: Duration) -> Duration {
    ttl.max(Duration::from_secs(1))
}

impl PageCache {
    pub fn new(ttl: Duration) -> PageCache {
        let page_life = ttl.saturating_add(stale_for(ttl));
        PageCache {
            ttl,
            placeholder: format!("form-token-{}", uuid::Uuid::new_v4().simple()),
            entries: Cache::builder()
                .max_capacity(MAX_BYTES)
                .weigher(|_, page: &Arc<CachedPage>| page.weight())
                .time_to_live(page_life)
                .build(),
            clock: AtomicU64::new(0),
            // An invalidation needs remembering while a page stored before
            // it may be alive, `page_life` at most; twice that is a margin.
            invalidated: moka::sync::Cache::builder()
                .max_capacity(MAX_INVALIDATED_LETTERS)
                .time_to_live(page_life.saturating_mul(2))
                .build(),
        }
    }

    pub fn placeholder(&self) -> &str {
        &self.placeholder
    }

    fn now(&self) -> u64 {
        self.clock.load(Ordering::SeqCst)
    }

    /// Whether no change of its letter makes `page` unfit: none of any kind
    /// since it was stored, none taking something away since its render
    /// began.
    fn is_current(&self, page: &CachedPage) -> bool {
        // No invalidation of any letter since the render began: nothing to
        // look up. This keeps the lookup, and the clock reading moka takes
        // with it, off the read path between changes.
        if page.began >= self.now() {
            return true;
        }
        self.invalidated
            .get(page.letter_id.as_str())
            .is_none_or(|at| page.generation >= at.any && page.began >= at.removal)
    }

    /// The page for `key`, from the cache or rendered by `render` from what
    /// `find` returns (the letter). `find` runs before waiting on any other
    /// request, so a slug that names no public letter is answered at once.
    /// Callers missing the same page at once share one render, and its
    /// error if it fails.
    pub async fn get_or_render<T, E, FindFut, Fut>(
        &self,
        key: &PageKey,
        find: impl FnOnce() -> FindFut,
        render: impl Fn(T) -> Fut,
    ) -> Result<Arc<CachedPage>, E>
    where
        T: Clone,
        FindFut: Future<Output = Result<T, E>>,
        Fut: Future<Output = Result<CachedPage, E>>,
        E: Clone + Send + Sync + 'static,
    {
        let arrived = self.now();
        let held = match self.entries.get(key).await {
            None => Held::Nothing,
            Some(page) if self.unfit(&page) => Held::Unfit(page),
            Some(page)
                if page.rendered_at.elapsed() < self.ttl || !page.claim_refresh(stale_for(self.ttl)) =>
            {
                return Ok(page);
            }
            Some(_) => Held::RefreshClaimed,
        };
        // Boxed, and `find` a closure rather than a future: an async fn's
        // future is as large as its largest state, and this path's (the
        // letter's lookup, the render, moka's loader) made the hit's future,
        // moved into a box on every request, some 13 KB (a fifth of the
        // letter page's instructions under callgrind went to copying it).
        Box::pin(self.miss(key, arrived, held, find, render)).await
    }

    /// `get_or_render` when no fit copy was there to serve.
    async fn miss<T, E, FindFut, Fut>(
        &self,
        key: &PageKey,
        arrived: u64,
        held: Held,
        find: impl FnOnce() -> FindFut,
        render: impl Fn(T) -> Fut,
    ) -> Result<Arc<CachedPage>, E>
    where
        T: Clone,
        FindFut: Future<Output = Result<T, E>>,
        Fut: Future<Output = Result<CachedPage, E>>,
        E: Clone + Send + Sync + 'static,
    {
        // Marked before the letter is read: a change that comes after this
        // keeps a render of what was read from passing as current.
        let began = self.mark();
        match held {
            Held::Unfit(page) => self.drop_copy(key, &page).await,
            // This caller renders the page again; the others are served
            // the stale copy until it lands.
            Held::RefreshClaimed => return self.render_and_keep(key, began, render(find().await?)).await,
            Held::Nothing => {}
        }
        let found = find().await?;
        let shared = self
            .entries
            .try_get_with_by_ref(key, self.rendered(began, render(found.clone())))
            .await
            .map_err(Arc::unwrap_or_clone)?;
        // A render this request joined may have begun before a change that
        // took something away and came before this request: it is not
        // served, and one from what this request read takes its place.
        if shared.began < arrived && !self.is_current(&shared) {
            self.drop_copy(key, &shared).await;
            return self.render_and_keep(key, began, render(found)).await;
        }
        Ok(shared)
    }

    /// A render, stamped with the clock's readings from before its letter
    /// was read and from after.
    async fn rendered<E>(
        &self,
        began: RenderMark,
        render: impl Future<Output = Result<CachedPage, E>>,
    ) -> Result<Arc<CachedPage>, E> {
        Ok(self.stamped(render.await?, began))
    }

    /// A rendered page with the clock's readings from when its render began
    /// and from now, which decide whether it may be served (`is_current`).
    fn stamped(&self, mut page: CachedPage, began: RenderMark) -> Arc<CachedPage> {
        page.began = began.0;
        page.generation = self.now();
        Arc::new(page)
    }

    /// Whether `page` may no longer be served at all: past its scheduled
    /// end, or outdated by a change of its letter.
    fn unfit(&self, page: &CachedPage) -> bool {
        page.expired() || !self.is_current(page)
    }

    async fn render_and_keep<E>(
        &self,
        key: &PageKey,
        began: RenderMark,
        render: impl Future<Output = Result<CachedPage, E>>,
    ) -> Result<Arc<CachedPage>, E> {
        let page = self.rendered(began, render).await?;
        self.entries.insert(key.clone(), page.clone()).await;
        Ok(page)
    }

    /// Removes `page` from under `key`, unless another request has already
    /// stored a newer page there.
    async fn drop_copy(&self, key: &PageKey, page: &Arc<CachedPage>) {
        self.entries
            .entry_by_ref(key)
            .and_compute_with(|stored| async move {
                match stored {
                    Some(stored) if Arc::ptr_eq(stored.value(), page) => Op::Remove,
                    _ => Op::Nop,
                }
            })
            .await;
    }

    /// The page kept for `key` if it may be served as it is (fresh, and no
    /// change since), for a caller that renders on its own terms: a search
    /// may be refused, and a refusal is this reader's alone. A stale copy
    /// is not served here, since nothing renders it again meanwhile.
    pub async fn fresh(&self, key: &PageKey) -> Option<Arc<CachedPage>> {
        let page = self.entries.get(key).await?;
        let fit = page.rendered_at.elapsed() < self.ttl && !self.unfit(&page);
        fit.then_some(page)
    }

    /// The moment a render begins, for [`keep`](Self::keep).
    pub fn mark(&self) -> RenderMark {
        RenderMark(self.now())
    }

    /// Keeps a page whose render began at `began`, unless a change that
    /// took something away came since: the page is still this request's
    /// answer (it arrived before the change), but no later one's.
    pub async fn keep(&self, key: PageKey, page: CachedPage, began: RenderMark) -> Arc<CachedPage> {
        let page = self.stamped(page, began);
        // With no time to live, nothing kept would ever be served.
        if !self.ttl.is_zero() && self.is_current(&page) {
            self.entries.insert(key, page.clone()).await;
        }
        page
    }

    /// Drops every page of a letter after this process changed its
    /// signatures or the letter, so the change shows on the next load.
    pub fn invalidate(&self, letter_id: &LetterId, change: Change) {
        // Ticking inside the per-key update keeps a letter's recorded values
        // rising even when two invalidations of it race.
        self.invalidated
            .entry_by_ref(letter_id.as_str())
            .and_upsert_with(|last| {
                let last = last.map(|e| e.into_value()).unwrap_or_default();
                let tick = self.clock.fetch_add(1, Ordering::SeqCst) + 1;
                Ticks {
                    any: tick,
                    removal: if change == Change::Added {
                        last.removal
                    } else {
                        tick
                    },
                }
            });
    }
}

mod crc_shift;
mod key;
pub use key::{PageKey, PageKind};
mod gzip;
#[cfg(test)]
mod tests;
