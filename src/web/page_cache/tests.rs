use super::*;
use crate::domain::Lang;
use actix_web::web::Bytes;
use std::cell::{Cell, RefCell};
use std::pin::{pin, Pin};
use std::task::{Context, Poll, Waker};

pub(super) fn key(slug: &str) -> PageKey {
    PageKey::page(slug.to_string(), PageKind::Letter, None, None)
}

pub(super) fn poll<F: Future + ?Sized>(fut: Pin<&mut F>) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(Waker::noop()))
}

/// Polls until done: nothing here waits on anything but other futures
/// of the test, which the test has let go on.
pub(super) fn finish<F: Future + ?Sized>(mut fut: Pin<&mut F>) -> F::Output {
    for _ in 0..1000 {
        if let Poll::Ready(out) = poll(fut.as_mut()) {
            return out;
        }
    }
    panic!("still pending");
}

/// A future that is pending until `open` is set.
pub(super) fn gate(open: &Cell<bool>) -> impl Future<Output = ()> + '_ {
    std::future::poll_fn(|_| {
        if open.get() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
}

/// The page for `key`, rendered as `html` of letter `letter_id` on a miss;
/// counts renders in `renders`.
pub(super) async fn page_of(
    cache: &PageCache,
    key: &PageKey,
    letter_id: &str,
    html: &str,
    renders: &Cell<usize>,
) -> Arc<CachedPage> {
    let rendered = cache
        .get_or_render(
            key,
            || async { Ok::<_, ()>(()) },
            |()| async {
                renders.set(renders.get() + 1);
                Ok(CachedPage::new(letter_id.into(), html, "p"))
            },
        )
        .await;
    rendered.expect("rendered")
}

#[test]
fn splices_a_fresh_token_and_keeps_one_etag() {
    let cache = PageCache::new(Duration::from_secs(60));
    let html = format!("<form><input value=\"{}\"></form>", cache.placeholder());
    let page = CachedPage::new("l1".into(), &html, cache.placeholder());
    assert_eq!(
        page.with_token("T1").to_vec(),
        b"<form><input value=\"T1\"></form>"
    );
    assert_eq!(
        page.with_token("T2").to_vec(),
        b"<form><input value=\"T2\"></form>"
    );
}

#[test]
fn a_page_with_a_form_is_tagged_weakly_with_the_hour_and_a_list_strongly() {
    let page = CachedPage::new("l1".into(), "<form>HOLE</form>", "HOLE");
    let now = crate::web::AppState::now_ms();
    let hour = now / 3_600_000;
    let tag = |at: i64| page.tags_at(at).of(false).to_str().expect("ASCII").to_string();
    assert!(tag(now).starts_with("W/\""), "{}", tag(now));
    assert!(tag(now).ends_with(&format!("-{hour}\"")), "{}", tag(now));
    assert_eq!(tag(now), tag(now));
    // A copy kept across the hour is tagged with the new one.
    assert!(tag(now + 3_600_000).ends_with(&format!("-{}\"", hour + 1)));
    let list = CachedPage::whole("l1".into(), "<p>list</p>".into());
    assert_eq!(*list.tags_at(now), *list.tags_at(now + 3_600_000));
    assert!(list.tags_at(now).of(false).as_bytes().starts_with(b"\""));
}

#[test]
fn a_page_without_a_form_is_served_whole() {
    let page = CachedPage::new("l1".into(), "<p>closed</p>", "form-token-x");
    assert_eq!(page.with_token("T").to_vec(), b"<p>closed</p>");
}

#[test]
fn a_page_without_a_form_is_kept_by_shared_caches_no_longer_than_it_holds() {
    let control = crate::web::http_cache::PublicCacheControl::new(30);
    let req = actix_web::test::TestRequest::default().to_http_request();
    let said = |page: &CachedPage| {
        let res = page.response(&req, &control);
        let value = res.headers().get(actix_web::http::header::CACHE_CONTROL).cloned();
        value
            .expect("a Cache-Control")
            .to_str()
            .expect("ASCII")
            .to_string()
    };
    let list = CachedPage::whole("l1".into(), "<p>list</p>".into());
    assert_eq!(said(&list), "public, max-age=0, s-maxage=30, must-revalidate");
    let ends = list.good_until(Some(std::time::Instant::now() + Duration::from_millis(4_500)));
    assert_eq!(said(&ends), "public, max-age=0, s-maxage=4, must-revalidate");
}

#[test]
fn invalidating_a_letter_drops_every_variant_of_it_and_nothing_else() {
    let cache = PageCache::new(Duration::from_secs(60));
    let renders = Cell::new(0);
    let variants: Vec<PageKey> = vec![
        key("one"),
        PageKey::page("one".into(), PageKind::Letter, None, Some(Lang::EN)),
        PageKey::page("one".into(), PageKind::Letter, Some(Lang::FR), Some(Lang::FR)),
        PageKey::page("one".into(), PageKind::Letter, Some(Lang::EN), Some(Lang::EN)),
        PageKey::page("one".into(), PageKind::FirstSignatories, Some(Lang::EN), None),
        PageKey::any_language("one".into(), PageKind::LetterJson),
    ];
    let other = key("two");
    let read_all = |html: &'static str| {
        for k in &variants {
            finish(pin!(page_of(&cache, k, "l1", html, &renders)));
        }
        finish(pin!(page_of(&cache, &other, "l2", html, &renders)))
    };
    read_all("old");
    let all = variants.len() + 1;
    assert_eq!(renders.get(), all);
    read_all("old");
    assert_eq!(renders.get(), all, "all kept");

    cache.invalidate(&"l2-not-this".into(), Change::Altered);
    read_all("old");
    assert_eq!(renders.get(), all, "another letter's invalidation drops nothing");

    cache.invalidate(&"l1".into(), Change::Altered);
    let two = read_all("new");
    assert_eq!(
        renders.get(),
        all + variants.len(),
        "every variant of l1 rendered again"
    );
    assert_eq!(two.before_token, "old", "l2 kept");
    for k in &variants {
        let page = finish(pin!(page_of(&cache, k, "l1", "newer", &renders)));
        assert_eq!(page.before_token, "new");
    }
}

#[test]
fn a_stale_page_is_rendered_again_by_one_caller_while_the_others_get_it() {
    // Stale at once, served stale for a second.
    let cache = PageCache::new(Duration::ZERO);
    let k = key("slug");
    let renders = Cell::new(0);
    finish(pin!(page_of(&cache, &k, "l1", "x", &renders)));

    let open = Cell::new(false);
    let mut first = pin!(cache.get_or_render(
        &k,
        || async { Ok::<_, ()>(()) },
        |()| async {
            gate(&open).await;
            Ok(CachedPage::new("l1".into(), "y", "p"))
        }
    ));
    assert!(poll(first.as_mut()).is_pending(), "the first caller renders");
    let second = finish(pin!(page_of(&cache, &k, "l1", "unused", &renders)));
    assert_eq!(second.before_token, "x", "the others get the old page meanwhile");
    assert_eq!(renders.get(), 1);

    open.set(true);
    assert_eq!(finish(first).map(|p| p.before_token.clone()), Ok("y".into()));
    let third = finish(pin!(page_of(&cache, &k, "l1", "z", &renders)));
    assert_eq!(
        third.before_token, "z",
        "the new page is stale too, and rendered again"
    );
}

#[test]
fn callers_missing_one_page_look_the_letter_up_then_share_one_render() {
    const CALLERS: usize = 8;
    let cache = PageCache::new(Duration::from_secs(60));
    let k = key("letter");
    let log = RefCell::new(Vec::new());
    let open = Cell::new(false);
    let caller = |who: usize| {
        let (log, open) = (&log, &open);
        cache.get_or_render(
            &k,
            move || async move {
                log.borrow_mut().push(format!("{who} finds"));
                Ok::<_, ()>(who)
            },
            move |who| async move {
                log.borrow_mut().push(format!("{who} renders"));
                gate(open).await;
                Ok(CachedPage::new("l1".into(), &who.to_string(), "p"))
            },
        )
    };
    let mut callers: Vec<_> = (0..CALLERS).map(|who| Box::pin(caller(who))).collect();
    for c in &mut callers {
        assert!(poll(c.as_mut()).is_pending());
    }
    let finds: Vec<_> = (0..CALLERS).map(|who| format!("{who} finds")).collect();
    let mut expected = finds.clone();
    expected.insert(1, "0 renders".into());
    assert_eq!(*log.borrow(), expected, "each looked the letter up, one renders");

    open.set(true);
    for c in &mut callers {
        assert_eq!(finish(c.as_mut()).map(|p| p.before_token.clone()), Ok("0".into()));
    }
    assert_eq!(log.borrow().iter().filter(|l| l.ends_with("renders")).count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn threads_missing_one_page_render_it_once() {
    const TASKS: usize = 16;
    let cache = Arc::new(PageCache::new(Duration::from_secs(60)));
    let renders = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Arc::new(tokio::sync::Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (cache, renders, start) = (cache.clone(), renders.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                let page = cache
                    .get_or_render(
                        &key("letter"),
                        || async { Ok::<_, ()>(()) },
                        |()| async {
                            renders.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            tokio::time::sleep(Duration::from_millis(100)).await;
                            Ok(CachedPage::new("l1".into(), "x", "p"))
                        },
                    )
                    .await;
                page.map(|p| p.before_token.clone())
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("no panic"), Ok(Bytes::from("x")));
    }
    assert_eq!(renders.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn a_failed_render_is_shared_and_not_kept() {
    let cache = PageCache::new(Duration::from_secs(60));
    let k = key("letter");
    let open = Cell::new(false);
    let failing = |_| async {
        gate(&open).await;
        Err::<CachedPage, _>("render failed")
    };
    let mut first = pin!(cache.get_or_render(&k, || async { Ok(()) }, failing));
    let mut second = pin!(cache.get_or_render(
        &k,
        || async { Ok::<_, &str>(()) },
        |()| async { panic!("the second caller waits for the first render") }
    ));
    assert!(poll(first.as_mut()).is_pending());
    assert!(poll(second.as_mut()).is_pending());
    open.set(true);
    assert!(matches!(finish(first), Err("render failed")));
    assert!(matches!(finish(second), Err("render failed")));
    let renders = Cell::new(0);
    finish(pin!(page_of(&cache, &k, "l1", "x", &renders)));
    assert_eq!(renders.get(), 1, "the failure was not kept");
}

#[test]
fn an_unknown_page_waits_on_no_render() {
    let cache = PageCache::new(Duration::from_secs(60));
    // A popular letter's page is being rendered.
    let open = Cell::new(false);
    let (letter, unknown) = (key("letter"), key("no-such-letter"));
    let mut busy = pin!(cache.get_or_render(
        &letter,
        || async { Ok::<_, ()>(()) },
        |()| async {
            gate(&open).await;
            Ok(CachedPage::new("l1".into(), "x", "p"))
        }
    ));
    assert!(poll(busy.as_mut()).is_pending());

    let rendered = Cell::new(false);
    let unknown = pin!(cache.get_or_render(
        &unknown,
        || async { Err::<(), _>(()) },
        |()| async {
            rendered.set(true);
            Ok(CachedPage::new("l1".into(), "x", "p"))
        },
    ));
    assert!(
        matches!(poll(unknown), Poll::Ready(Err(()))),
        "answered at once, without waiting for the render"
    );
    assert!(!rendered.get());
    let renders = Cell::new(0);
    let other = finish(pin!(page_of(&cache, &key("other"), "l2", "o", &renders)));
    assert_eq!(other.before_token, "o", "nor does another letter's page");
    open.set(true);
    assert!(finish(busy).is_ok());
}

/// A page of letter `l1` reading `html`, whose render waits on `open`.
pub(super) async fn gated_page(
    cache: &PageCache,
    key: &PageKey,
    html: &'static str,
    open: &Cell<bool>,
) -> Arc<CachedPage> {
    let rendered = cache
        .get_or_render(
            key,
            || async { Ok::<_, ()>(()) },
            |()| async {
                gate(open).await;
                Ok(CachedPage::new("l1".into(), html, "p"))
            },
        )
        .await;
    rendered.expect("rendered")
}

#[test]
fn a_render_under_way_when_a_name_is_taken_away_is_not_kept() {
    let cache = PageCache::new(Duration::from_secs(60));
    let k = key("letter");
    let renders = Cell::new(0);
    let open = Cell::new(false);
    let mut before = pin!(gated_page(&cache, &k, "with the name", &open));
    assert!(poll(before.as_mut()).is_pending(), "reading the database");
    cache.invalidate(&"l1".into(), Change::Altered);
    open.set(true);
    let page = finish(before);
    assert_eq!(page.before_token, "with the name", "its own caller came first");

    let after = finish(pin!(page_of(&cache, &k, "l1", "without", &renders)));
    assert_eq!(after.before_token, "without");
    assert_eq!(renders.get(), 1, "the earlier render was not served again");
}

/// The letter is read before the render begins: a change between the two
/// must keep the render from passing as current.
#[test]
fn a_letter_read_before_a_change_is_not_kept_as_current() {
    let cache = PageCache::new(Duration::from_secs(60));
    let k = key("letter");
    let open = Cell::new(false);
    let mut before = pin!(cache.get_or_render(
        &k,
        || async {
            let read = "the old text";
            gate(&open).await;
            Ok::<_, ()>(read)
        },
        |read| async move { Ok(CachedPage::new("l1".into(), read, "p")) },
    ));
    assert!(poll(before.as_mut()).is_pending(), "reading the letter");
    cache.invalidate(&"l1".into(), Change::Altered);
    open.set(true);
    assert_eq!(finish(before).unwrap().before_token, "the old text");

    let renders = Cell::new(0);
    let after = finish(pin!(page_of(&cache, &k, "l1", "the new text", &renders)));
    assert_eq!(after.before_token, "the new text");
    assert_eq!(renders.get(), 1);
}

#[test]
fn a_render_under_way_when_a_name_is_added_is_kept() {
    let cache = PageCache::new(Duration::from_secs(60));
    let k = key("letter");
    let renders = Cell::new(0);
    let open = Cell::new(false);
    let mut before = pin!(gated_page(&cache, &k, "without the new name", &open));
    assert!(poll(before.as_mut()).is_pending());
    cache.invalidate(&"l1".into(), Change::Added);
    open.set(true);
    finish(before);

    let after = finish(pin!(page_of(&cache, &k, "l1", "unused", &renders)));
    assert_eq!(after.before_token, "without the new name");
    assert_eq!(renders.get(), 0, "kept until it expires or the next change");
}

#[test]
fn a_request_after_a_name_is_taken_away_does_not_share_a_render_begun_before() {
    let cache = PageCache::new(Duration::from_secs(60));
    let k = key("letter");
    let open = Cell::new(false);
    let mut before = pin!(gated_page(&cache, &k, "with the name", &open));
    assert!(poll(before.as_mut()).is_pending());
    cache.invalidate(&"l1".into(), Change::Altered);
    // Arrives after the change, while the render that began before it is
    // still under way, and waits on it.
    let mut later = pin!(gated_page(&cache, &k, "without", &open));
    assert!(poll(later.as_mut()).is_pending());
    open.set(true);
    assert_eq!(finish(before).before_token, "with the name");
    assert_eq!(finish(later).before_token, "without");

    let renders = Cell::new(0);
    let kept = finish(pin!(page_of(&cache, &k, "l1", "unused", &renders)));
    assert_eq!(kept.before_token, "without", "the later render is the one kept");
    assert_eq!(renders.get(), 0);
}

#[derive(Debug, Clone)]
enum Step {
    /// A reader asks for the page (the render, if this request does one,
    /// reads the database when it starts and then waits to be let go),
    /// through the worker's own copies (`true`, as the letter page does)
    /// or the shared cache alone.
    Ask(bool),
    /// A signature is confirmed: something is added.
    Add,
    /// A name is hidden or withdrawn: something is taken away.
    TakeAway,
    /// The render of the request with this index (modulo those asked)
    /// finishes.
    Finish(usize),
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        3 => any::<bool>().prop_map(Step::Ask),
        1 => Just(Step::Add),
        1 => Just(Step::TakeAway),
        3 => (0..16usize).prop_map(Step::Finish),
    ]
}

proptest::proptest! {
    /// Whatever the interleaving of readers, confirmations and removals, no
    /// reader is served a page read from the database before a removal that
    /// came before the reader asked.
    #[test]
    fn no_reader_sees_what_was_taken_away_before_they_asked(
        steps in proptest::collection::vec(step(), 1..40)
    ) {
        let cache = PageCache::new(Duration::from_secs(60));
        let k = key("letter");
        // The database's state, and the state as of the last removal.
        let state = Cell::new(0u64);
        let removed_at = Cell::new(0u64);
        let gates: Vec<Cell<bool>> = (0..steps.len()).map(|_| Cell::new(false)).collect();
        let (cache_ref, k_ref) = (&cache, &k);
        let ask = |i: usize, here: bool| -> Pin<Box<dyn Future<Output = Result<Bytes, ()>> + '_>> {
            let (state, gate_i, cache, k) = (&state, &gates[i], cache_ref, k_ref);
            let render = move |()| async move {
                let read = state.get();
                gate(gate_i).await;
                Ok(CachedPage::new("l1".into(), &read.to_string(), "p"))
            };
            let find = || async { Ok::<_, ()>(()) };
            if here {
                Box::pin(async move {
                    let page = cache.get_or_render_here(k, find, render).await?;
                    Ok(page.before_token.clone())
                })
            } else {
                Box::pin(async move {
                    let page = cache.get_or_render(k, find, render).await?;
                    Ok(page.before_token.clone())
                })
            }
        };
        let mut asked = Vec::new();
        let check = |page: Bytes, must_see: u64| {
            let read: u64 = std::str::from_utf8(&page).unwrap().parse().unwrap();
            assert!(read >= must_see, "served a page read at {read}, asked after the removal at {must_see}");
        };
        for s in &steps {
            match s {
                Step::Ask(here) => {
                    let mut fut = ask(asked.len(), *here);
                    match poll(fut.as_mut()) {
                        Poll::Ready(page) => {
                            check(page.unwrap(), removed_at.get());
                            asked.push((None, 0));
                        }
                        Poll::Pending => asked.push((Some(fut), removed_at.get())),
                    }
                }
                Step::Add => {
                    state.set(state.get() + 1);
                    cache.invalidate(&"l1".into(), Change::Added);
                }
                Step::TakeAway => {
                    state.set(state.get() + 1);
                    removed_at.set(state.get());
                    cache.invalidate(&"l1".into(), Change::Altered);
                }
                Step::Finish(n) => {
                    if !asked.is_empty() {
                        gates[n % asked.len()].set(true);
                    }
                }
            }
            // Everything that can go on does.
            for (fut, must_see) in &mut asked {
                if let Some(f) = fut {
                    if let Poll::Ready(page) = poll(f.as_mut()) {
                        check(page.unwrap(), *must_see);
                        *fut = None;
                    }
                }
            }
        }
        for g in &gates {
            g.set(true);
        }
        for (fut, must_see) in asked {
            if let Some(mut f) = fut {
                check(finish(f.as_mut()).unwrap(), must_see);
            }
        }
    }
}

fn body(page: &CachedPage) -> Vec<u8> {
    page.with_token("").to_vec()
}

/// A search's page: kept while fresh; not kept when a change that took
/// something away came during its render; never served after a change.
#[test]
fn kept_searches_follow_the_same_rules_as_rendered_pages() {
    let cache = PageCache::new(Duration::from_secs(60));
    let julien = PageKey::search("one".into(), None, None, "julien", "");
    let typed = PageKey::search("one".into(), None, None, "Julien", "");
    let further = PageKey::search("one".into(), None, None, "julien", "cursor");
    assert!(julien != typed && julien != further && julien != key("one"));
    finish(pin!(async {
        assert!(cache.fresh(&julien).await.is_none(), "nothing kept yet");
        let began = cache.mark();
        let page = CachedPage::whole("l1".into(), "<p>Pauline</p>".into());
        cache.keep(julien.clone(), page, began).await;
        let kept = cache.fresh(&julien).await.expect("kept");
        assert_eq!(body(&kept), b"<p>Pauline</p>");
        assert!(cache.fresh(&typed).await.is_none(), "another search as typed");
        assert!(cache.fresh(&further).await.is_none(), "another page of it");

        // A confirmation drops it as it drops the letter's pages.
        cache.invalidate(&"l1".into(), Change::Added);
        assert!(cache.fresh(&julien).await.is_none(), "outdated by a change");

        // A render under way when a withdrawal comes: this request gets
        // its answer, the next one does not get it from memory.
        let began = cache.mark();
        cache.invalidate(&"l1".into(), Change::Altered);
        let page = CachedPage::whole("l1".into(), "<p>Pauline</p>".into());
        let answered = cache.keep(julien.clone(), page, began).await;
        assert_eq!(body(&answered), b"<p>Pauline</p>");
        assert!(cache.fresh(&julien).await.is_none(), "not kept past a removal");

        // A confirmation during a render does not hold it back.
        let began = cache.mark();
        cache.invalidate(&"l1".into(), Change::Added);
        let page = CachedPage::whole("l1".into(), "<p>Paul</p>".into());
        cache.keep(julien.clone(), page, began).await;
        let kept = cache.fresh(&julien).await.expect("kept past an addition");
        assert_eq!(body(&kept), b"<p>Paul</p>");
    }));
}

#[test]
fn a_stale_search_page_is_not_served() {
    let cache = PageCache::new(Duration::ZERO);
    let julien = PageKey::search("one".into(), None, None, "julien", "");
    finish(pin!(async {
        let began = cache.mark();
        let page = CachedPage::whole("l1".into(), "<p>Pauline</p>".into());
        cache.keep(julien.clone(), page, began).await;
        assert!(cache.fresh(&julien).await.is_none(), "past its freshness");
    }));
}

/// Search pages have a budget of their own: however many spellings a
/// stranger cycles through, and however often each is read, the letter
/// page stays kept.
#[test]
fn searches_never_evict_a_letter_page() {
    let cache = PageCache::with_budgets(Duration::from_secs(60), 64 * 1024, 64 * 1024);
    let renders = Cell::new(0);
    let letter = "x".repeat(16 * 1024);
    finish(pin!(page_of(&cache, &key("letter"), "l1", &letter, &renders)));
    let results = "r".repeat(8 * 1024);
    for i in 0..200 {
        let k = PageKey::search("letter".into(), None, None, &format!("julien {i}"), "");
        // Read often, so that the cache's admission policy takes them.
        for _ in 0..4 {
            if finish(pin!(cache.fresh(&k))).is_none() {
                let page = CachedPage::whole("l1".into(), results.clone());
                finish(pin!(cache.keep(k.clone(), page, cache.mark())));
            }
        }
    }
    finish(pin!(cache.pages.run_pending_tasks()));
    finish(pin!(cache.searches.run_pending_tasks()));
    let again = finish(pin!(page_of(&cache, &key("letter"), "l1", "unused", &renders)));
    assert_eq!(again.before_token, letter.as_bytes());
    assert_eq!(renders.get(), 1, "the letter page was kept");
}
