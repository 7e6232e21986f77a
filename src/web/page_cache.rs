//! The rendered letter page, kept in memory briefly. Rendering it (Markdown,
//! signatories, translations) costs far more than serving it, and on a busy
//! day thousands of readers ask for the same page every second.
//!
//! What is kept is the page split around its form token: each response still
//! gets a freshly signed token, so the minimum filling time keeps measuring
//! from when this reader got the form. Entries live as long as the count may
//! lag (`count_cache_ms`), and a confirmation or withdrawal made through this
//! process drops its letter's pages at once.
//!
//! When an entry expires, one request renders it again while the others keep
//! getting the expired copy for that short while, rather than all of them
//! rendering the same page at once. When there is no copy at all (start-up,
//! or just after a confirmation), renders of one page queue on a lock, and
//! the requests after the first find the page it stored. The letter is looked
//! up before that lock is taken, so made-up slugs never queue on it.

use crate::domain::Lang;
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A rendered page with a hole where the form token goes.
pub struct CachedPage {
    pub letter_id: String,
    pub before_token: String,
    pub after_token: String,
    /// Validator of everything but the token.
    pub etag: String,
    rendered_at: Instant,
    /// When a request set out to render this page again, if one did.
    refreshing_since: Mutex<Option<Instant>>,
}

impl CachedPage {
    /// Splits `html` at `placeholder`; `None` if it is missing (a closed
    /// letter has no form), in which case the whole page is `before_token`.
    pub fn new(letter_id: String, html: &str, placeholder: &str) -> CachedPage {
        let (before, after) = html.split_once(placeholder).unwrap_or((html, ""));
        CachedPage {
            letter_id,
            etag: super::http_cache::etag_of(&[before.as_bytes(), after.as_bytes()]),
            before_token: before.to_string(),
            after_token: after.to_string(),
            rendered_at: Instant::now(),
            refreshing_since: Mutex::new(None),
        }
    }

    pub fn with_token(&self, token: &str) -> String {
        let mut page = String::with_capacity(self.before_token.len() + token.len() + self.after_token.len());
        page.push_str(&self.before_token);
        if !self.after_token.is_empty() {
            page.push_str(token);
        }
        page.push_str(&self.after_token);
        page
    }
}

/// Pages by slug and the reader's explicit language choice (none: the
/// letter's own language).
/// The slug, the language chosen by switch, and the language asked for by
/// switch or browser: together they decide which page is rendered.
pub type PageKey = (String, Option<Lang>, Option<Lang>);

/// Render locks, shared by pages whose keys hash alike: a fixed number, so
/// requests for made-up slugs cannot grow a map of locks (they take none
/// anyway: see `get_or_render`).
const RENDER_LOCKS: usize = 16;

pub struct PageCache {
    ttl: Duration,
    render_locks: [tokio::sync::Mutex<()>; RENDER_LOCKS],
    /// Picks a page's render lock. Seeded at random, so that which pages
    /// share a lock cannot be worked out from outside; fixed for the life
    /// of the cache, so one page always maps to one lock.
    lock_hasher: RandomState,
    /// Marks the token's place in a render; random, so no letter text can
    /// contain it by accident.
    placeholder: String,
    entries: Mutex<HashMap<PageKey, Arc<CachedPage>>>,
}

impl PageCache {
    pub fn new(ttl: Duration) -> PageCache {
        PageCache {
            ttl,
            render_locks: std::array::from_fn(|_| tokio::sync::Mutex::new(())),
            lock_hasher: RandomState::new(),
            placeholder: format!("form-token-{}", uuid::Uuid::new_v4().simple()),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// Held while rendering `key` when no copy of it exists.
    fn render_lock(&self, key: &PageKey) -> &tokio::sync::Mutex<()> {
        use std::hash::BuildHasher;
        &self.render_locks[(self.lock_hasher.hash_one(key) as usize) % RENDER_LOCKS]
    }

    /// Whether a copy of `key` exists, fresh or not.
    fn has(&self, key: &PageKey) -> bool {
        self.entries.lock().is_ok_and(|e| e.contains_key(key))
    }

    pub fn placeholder(&self) -> &str {
        &self.placeholder
    }

    /// A page to serve, or `None` when the caller should render it (and
    /// `put` it). Past its time, a page is handed to one caller to render and
    /// served as it was to the others until that render lands, or until
    /// another `ttl` passes should that render have failed.
    pub fn get(&self, key: &PageKey) -> Option<Arc<CachedPage>> {
        let page = self.entries.lock().ok()?.get(key)?.clone();
        if page.rendered_at.elapsed() < self.ttl {
            return Some(page);
        }
        let mut since = page.refreshing_since.lock().ok()?;
        match *since {
            Some(started) if started.elapsed() < self.ttl.max(Duration::from_secs(1)) => Some(page.clone()),
            _ => {
                *since = Some(Instant::now());
                None
            }
        }
    }

    /// The page for `key`, from the cache or rendered by `render` from what
    /// `find` returns (the letter). `find` runs before any lock is taken,
    /// so a slug that names no public letter is answered without waiting
    /// on, or holding, a lock a real letter's readers may need.
    pub async fn get_or_render<T, E, Fut>(
        &self,
        key: &PageKey,
        find: impl Future<Output = Result<T, E>>,
        render: impl FnOnce(T) -> Fut,
    ) -> Result<Arc<CachedPage>, E>
    where
        Fut: Future<Output = Result<CachedPage, E>>,
    {
        if let Some(page) = self.get(key) {
            return Ok(page);
        }
        let found = find.await?;
        // With no copy at all, queue behind whoever is rendering this page
        // and take what it stored, instead of rendering it once per request.
        // With an expired copy, `get` chose this caller to render it while
        // the others are served that copy: no queue.
        let _render_guard = if self.has(key) {
            None
        } else {
            let guard = self.render_lock(key).lock().await;
            if let Some(page) = self.get(key) {
                return Ok(page);
            }
            Some(guard)
        };
        let page = render(found).await?;
        Ok(self.put(key.clone(), page))
    }

    pub fn put(&self, key: PageKey, page: CachedPage) -> Arc<CachedPage> {
        let page = Arc::new(page);
        if let Ok(mut entries) = self.entries.lock() {
            // Stale entries of other letters go when a page is stored, so the
            // map never outgrows the letters actually read.
            let ttl = self.ttl;
            entries.retain(|_, p| p.rendered_at.elapsed() < ttl);
            entries.insert(key, page.clone());
        }
        page
    }

    /// Drops every page of a letter after this process changed its
    /// signatures, so the signer sees the change on the next load.
    pub fn invalidate(&self, letter_id: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, p| p.letter_id != letter_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_a_fresh_token_and_keeps_one_etag() {
        let cache = PageCache::new(Duration::from_secs(60));
        let html = format!("<form><input value=\"{}\"></form>", cache.placeholder());
        let page = CachedPage::new("l1".into(), &html, cache.placeholder());
        assert_eq!(page.with_token("T1"), "<form><input value=\"T1\"></form>");
        assert_eq!(page.with_token("T2"), "<form><input value=\"T2\"></form>");
        let key = ("slug".to_string(), None, None);
        cache.put(key.clone(), page);
        assert!(cache.get(&key).is_some());
        cache.invalidate("other");
        assert!(cache.get(&key).is_some());
        cache.invalidate("l1");
        assert!(cache.get(&key).is_none());
    }

    #[test]
    fn one_page_always_maps_to_one_render_lock() {
        let cache = PageCache::new(Duration::from_secs(1));
        let key = ("slug".to_string(), Some(Lang::En), Some(Lang::En));
        assert!(std::ptr::eq(
            cache.render_lock(&key),
            cache.render_lock(&key.clone())
        ));
    }

    #[test]
    fn a_page_without_a_form_is_served_whole() {
        let page = CachedPage::new("l1".into(), "<p>closed</p>", "form-token-x");
        assert_eq!(page.with_token("T"), "<p>closed</p>");
    }

    #[test]
    fn an_expired_entry_is_rendered_again_by_one_caller() {
        let cache = PageCache::new(Duration::ZERO);
        let key = ("slug".to_string(), None, None);
        cache.put(key.clone(), CachedPage::new("l1".into(), "x", "p"));
        assert!(cache.get(&key).is_none(), "the first caller renders");
        assert!(cache.get(&key).is_some(), "the others get the old page meanwhile");
        cache.put(key.clone(), CachedPage::new("l1".into(), "y", "p"));
        assert!(cache.get(&key).is_none(), "the new page has expired too");
    }

    fn key(slug: &str) -> PageKey {
        (slug.to_string(), None, None)
    }

    fn poll<F: Future>(fut: std::pin::Pin<&mut F>) -> std::task::Poll<F::Output> {
        fut.poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
    }

    #[test]
    fn an_unknown_page_takes_no_lock() {
        let cache = PageCache::new(Duration::from_secs(60));
        // Every render lock is busy, as with a popular letter being rendered.
        let _busy: Vec<_> = cache
            .render_locks
            .iter()
            .map(|l| l.try_lock().expect("free"))
            .collect();
        let rendered = std::cell::Cell::new(false);
        let unknown = key("no-such-letter");
        let answer =
            std::pin::pin!(
                cache.get_or_render(&unknown, async { Err::<(), _>("not found") }, |()| async {
                    rendered.set(true);
                    Ok(CachedPage::new("l1".into(), "x", "p"))
                },)
            );
        assert!(
            matches!(poll(answer), std::task::Poll::Ready(Err("not found"))),
            "answered at once, without waiting for a lock"
        );
        assert!(!rendered.get());
    }

    #[test]
    fn the_letter_is_looked_up_before_the_lock_and_the_first_render_is_shared() {
        let cache = PageCache::new(Duration::from_secs(60));
        let k = key("letter");
        let log = std::cell::RefCell::new(Vec::new());
        let caller = |who: &'static str| {
            let log = &log;
            cache.get_or_render(
                &k,
                async move {
                    log.borrow_mut().push(format!("{who} finds"));
                    Ok::<_, ()>(who)
                },
                move |who| async move {
                    log.borrow_mut().push(format!("{who} renders"));
                    Ok(CachedPage::new("l1".into(), who, "p"))
                },
            )
        };
        let held = cache.render_lock(&k).try_lock().expect("free");
        let mut first = std::pin::pin!(caller("first"));
        let mut second = std::pin::pin!(caller("second"));
        assert!(poll(first.as_mut()).is_pending());
        assert!(poll(second.as_mut()).is_pending());
        assert_eq!(
            *log.borrow(),
            ["first finds", "second finds"],
            "both looked up, neither renders yet"
        );
        drop(held);
        let std::task::Poll::Ready(Ok(page)) = poll(first.as_mut()) else {
            panic!("the first caller renders once the lock is free");
        };
        assert_eq!(page.before_token, "first");
        let std::task::Poll::Ready(Ok(page)) = poll(second.as_mut()) else {
            panic!("the second caller takes the stored page");
        };
        assert_eq!(page.before_token, "first");
        assert_eq!(*log.borrow(), ["first finds", "second finds", "first renders"]);
    }

    #[test]
    fn render_locks_are_chosen_by_a_randomly_seeded_hasher() {
        // Two caches spread the same pages over their locks differently, so
        // nobody can work out slugs that share a letter's lock.
        let (a, b) = (PageCache::new(Duration::ZERO), PageCache::new(Duration::ZERO));
        let index = |cache: &PageCache, k: &PageKey| {
            let lock = cache.render_lock(k) as *const _;
            cache.render_locks.iter().position(|l| std::ptr::eq(l, lock))
        };
        let keys: Vec<PageKey> = (0..64).map(|i| key(&format!("slug-{i}"))).collect();
        let spread_a: Vec<_> = keys.iter().map(|k| index(&a, k)).collect();
        let spread_b: Vec<_> = keys.iter().map(|k| index(&b, k)).collect();
        assert_ne!(spread_a, spread_b);
    }
}
