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
//!
//! The figures page is the exception to the first rule: it shows the
//! letter's figures, computed apart and kept for their own while
//! (`web::figures`), which a confirmation does not change, so it is not
//! dropped for one (under a wave it was drawn again, 50 KB and its gzip,
//! about as often as the letter page). New figures landing (`Change::
//! Figures`) drop it under the strict rule, and the pages that show a
//! figure beside their names (a list's first page, search pages: how many
//! are listed) as after a confirmation; a removal drops it as any page.

use super::cache_copy::drop_copy;
use super::http_cache::Body;
use crate::model::LetterId;
use moka::future::Cache;
use std::future::Future;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Bytes of rendered pages kept (letter pages, first pages of lists, figures
/// pages, JSON);
/// a letter page weighs tens of kilobytes, so this holds thousands of pages
/// and bounds what a crawl of every letter in every language can take.
const PAGE_BYTES: u64 = 48 * 1024 * 1024;

/// Bytes of search pages kept, apart: a search can be spelled endlessly
/// ("julien", "Julien ", "julien julien" are three pages), and results kept
/// by the search cache render without a rate-limit charge, so a stranger
/// cycling spellings may churn this budget but never evict a letter page.
const SEARCH_BYTES: u64 = 16 * 1024 * 1024;

/// Letters whose last invalidation is remembered at once. Only letters
/// changed within the last few seconds (see `PageCache::new`) have one.
const MAX_INVALIDATED_LETTERS: u64 = 100_000;

pub struct PageCache {
    /// Tells this cache's copies in the workers' fronts (`front`) from
    /// another's: tests run several servers in one process.
    id: u64,
    ttl: Duration,
    /// Marks the token's place in a render; random, so no letter text can
    /// contain it by accident.
    placeholder: String,
    pages: Cache<PageKey, Arc<CachedPage>>,
    searches: Cache<PageKey, Arc<CachedPage>>,
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
    /// The last time the letter's figures were computed again.
    figures: u64,
}

impl Ticks {
    /// Whether `page` is still true after these changes of its letter.
    fn keep(&self, page: &CachedPage) -> bool {
        match page.shows {
            // Figures computed apart, which a confirmation does not change;
            // new figures, like a removal, must not be hidden behind a
            // render begun before they came.
            Shows::Figures => page.began >= self.figures.max(self.removal),
            Shows::Signatures => page.generation >= self.any && page.began >= self.removal,
            Shows::SignaturesAndFigures => {
                page.generation >= self.any.max(self.figures) && page.began >= self.removal
            }
        }
    }
}

/// The invalidation clock's reading when a render began.
#[derive(Debug, Clone, Copy)]
pub struct RenderMark(u64);

/// What a change did to a letter's pages (see the module's comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Only added to what they show (a confirmation). The figures page
    /// shows the letter's figures, computed apart and kept for their own
    /// while (`web::figures`), which an addition does not change: it stays.
    Added,
    /// May have taken something away or altered it.
    Altered,
    /// The letter's figures were computed again: the pages that show them
    /// go (the figures page under the strict rule, a list's first page and
    /// search pages as after a confirmation); the letter page and its JSON,
    /// which do not, stay.
    Figures,
}

/// A page as served: this worker's own copy (`front`), or the shared one.
pub enum Served {
    Own(Rc<OwnPage>),
    Shared(Arc<CachedPage>),
}

impl Served {
    /// The body for a client that does (`gzip`) or does not take gzip, with
    /// the form token `issue` signs for `now_ms`: from the worker's own copy
    /// the body it already made in this millisecond, if it made one (see
    /// `own`).
    pub fn body_at(&self, gzip: bool, now_ms: i64, issue: impl FnOnce() -> String) -> Body {
        match self {
            Served::Own(own) => own.body_at(gzip, now_ms, issue),
            Served::Shared(page) => page.encoded(gzip, &issue()),
        }
    }
}

impl std::ops::Deref for Served {
    type Target = CachedPage;

    fn deref(&self) -> &CachedPage {
        match self {
            Served::Own(own) => own,
            Served::Shared(page) => page,
        }
    }
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

/// Pages kept up to `bytes`, each for `life` at most.
fn budget(bytes: u64, life: Duration) -> Cache<PageKey, Arc<CachedPage>> {
    Cache::builder()
        .max_capacity(bytes)
        .weigher(|_, page: &Arc<CachedPage>| page.weight())
        .time_to_live(life)
        .build()
}

impl PageCache {
    pub fn new(ttl: Duration) -> PageCache {
        PageCache::with_budgets(ttl, PAGE_BYTES, SEARCH_BYTES)
    }

    fn with_budgets(ttl: Duration, page_bytes: u64, search_bytes: u64) -> PageCache {
        let page_life = ttl.saturating_add(stale_for(ttl));
        static CACHES: AtomicU64 = AtomicU64::new(0);
        PageCache {
            id: CACHES.fetch_add(1, Ordering::Relaxed),
            ttl,
            placeholder: format!("form-token-{}", uuid::Uuid::new_v4().simple()),
            pages: budget(page_bytes, page_life),
            searches: budget(search_bytes, page_life),
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

    /// The budget `key`'s page is kept in.
    fn entries(&self, key: &PageKey) -> &Cache<PageKey, Arc<CachedPage>> {
        match key.kind {
            PageKind::Search => &self.searches,
            _ => &self.pages,
        }
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
            .is_none_or(|at| at.keep(page))
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
        let held = match self.entries(key).get(key).await {
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

    /// [`get_or_render`](Self::get_or_render) for the pages read most (the
    /// letter page): served from this worker's own copy while it may be,
    /// which writes nothing another worker reads while no letter changes
    /// (see `front`).
    pub async fn get_or_render_here<T, E, FindFut, Fut>(
        &self,
        key: &PageKey,
        find: impl FnOnce() -> FindFut,
        render: impl Fn(T) -> Fut,
    ) -> Result<Served, E>
    where
        T: Clone,
        FindFut: Future<Output = Result<T, E>>,
        Fut: Future<Output = Result<CachedPage, E>>,
        E: Clone + Send + Sync + 'static,
    {
        match front::get(self.id, key) {
            Some(own) if self.servable(&own) => return Ok(Served::Own(own)),
            Some(_) => front::forget(self.id, key),
            None => {}
        }
        let shared = self.get_or_render(key, find, render).await?;
        if shared.weight() <= front::MAX_BYTES && self.servable(&shared) && front::admit(self.id, key) {
            let own = Rc::new(OwnPage::new(shared.own_copy()));
            front::keep(self.id, key, own.clone());
            return Ok(Served::Own(own));
        }
        Ok(Served::Shared(shared))
    }

    /// Whether a kept page may be served as it is, with nothing rendered:
    /// fresh, and fit.
    fn servable(&self, page: &CachedPage) -> bool {
        page.rendered_at.elapsed() < self.ttl && !self.unfit(page)
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
            Held::Unfit(page) => drop_copy(self.entries(key), key, &page).await,
            // This caller renders the page again; the others are served
            // the stale copy until it lands.
            Held::RefreshClaimed => return self.render_and_keep(key, began, render(find().await?)).await,
            Held::Nothing => {}
        }
        let found = find().await?;
        let shared = self
            .entries(key)
            .try_get_with_by_ref(key, self.rendered(key, began, render(found.clone())))
            .await
            .map_err(Arc::unwrap_or_clone)?;
        // A render this request joined may have begun before a change that
        // took something away and came before this request: it is not
        // served, and one from what this request read takes its place.
        if shared.began < arrived && !self.is_current(&shared) {
            drop_copy(self.entries(key), key, &shared).await;
            return self.render_and_keep(key, began, render(found)).await;
        }
        Ok(shared)
    }

    /// A render, stamped with the clock's readings from before its letter
    /// was read and from after.
    async fn rendered<E>(
        &self,
        key: &PageKey,
        began: RenderMark,
        render: impl Future<Output = Result<CachedPage, E>>,
    ) -> Result<Arc<CachedPage>, E> {
        Ok(self.stamped(key, render.await?, began))
    }

    /// A rendered page with the clock's readings from when its render began
    /// and from now, which decide whether it may be served (`is_current`).
    fn stamped(&self, key: &PageKey, mut page: CachedPage, began: RenderMark) -> Arc<CachedPage> {
        page.shows = Shows::of(key.kind);
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
        let page = self.rendered(key, began, render).await?;
        self.entries(key).insert(key.clone(), page.clone()).await;
        Ok(page)
    }

    /// The page kept for `key` if it may be served as it is (fresh, and no
    /// change since), for a caller that renders on its own terms: a search
    /// may be refused, and a refusal is this reader's alone. A stale copy
    /// is not served here, since nothing renders it again meanwhile.
    pub async fn fresh(&self, key: &PageKey) -> Option<Arc<CachedPage>> {
        let page = self.entries(key).get(key).await?;
        self.servable(&page).then_some(page)
    }

    /// The moment a render begins, for [`keep`](Self::keep).
    pub fn mark(&self) -> RenderMark {
        RenderMark(self.now())
    }

    /// Keeps a page whose render began at `began`, unless a change that
    /// took something away came since: the page is still this request's
    /// answer (it arrived before the change), but no later one's.
    pub async fn keep(&self, key: PageKey, page: CachedPage, began: RenderMark) -> Arc<CachedPage> {
        let page = self.stamped(&key, page, began);
        // With no time to live, nothing kept would ever be served.
        if !self.ttl.is_zero() && self.is_current(&page) {
            self.entries(&key).insert(key, page.clone()).await;
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
                let at = |kinds: &[Change], last: u64| if kinds.contains(&change) { tick } else { last };
                Ticks {
                    any: at(&[Change::Added, Change::Altered], last.any),
                    removal: at(&[Change::Altered], last.removal),
                    figures: at(&[Change::Figures], last.figures),
                }
            });
    }
}

mod crc_shift;
mod front;
mod key;
pub use key::{PageKey, PageKind};
mod own;
use own::OwnPage;
mod page;
use page::Shows;
pub use page::{instant_at, CachedPage};
#[cfg(test)]
mod figures_tests;
#[cfg(test)]
mod front_tests;
mod gzip;
#[cfg(test)]
mod tests;
