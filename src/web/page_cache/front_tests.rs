//! The workers' own copies (`front`): served only while the shared page
//! they copy would be.

use super::tests::{finish, key};
use super::*;
use std::cell::Cell;
use std::pin::pin;
use std::time::Instant;

/// The page for `key` through this worker's copies, rendered as `html` on
/// a miss; whether it came from a copy, and its text.
fn read(cache: &PageCache, key: &PageKey, html: &str, renders: &Cell<usize>) -> (bool, String) {
    read_until(cache, key, html, None, renders)
}

/// [`read`], the page rendered to hold until `until`.
fn read_until(
    cache: &PageCache,
    key: &PageKey,
    html: &str,
    until: Option<Instant>,
    renders: &Cell<usize>,
) -> (bool, String) {
    let served = finish(pin!(cache.get_or_render_here(
        key,
        || async { Ok::<_, ()>(()) },
        |()| async {
            renders.set(renders.get() + 1);
            Ok(CachedPage::new("l1".into(), html, "HOLE").good_until(until))
        },
    )))
    .expect("rendered");
    let text = String::from_utf8(served.before_token.to_vec()).expect("UTF-8");
    (matches!(served, Served::Own(_)), text)
}

#[test]
fn a_page_read_again_is_copied_and_served_until_its_letter_changes() {
    let cache = PageCache::new(Duration::from_secs(60));
    let k = key("letter");
    let renders = Cell::new(0);
    assert_eq!(
        read(&cache, &k, "v1", &renders),
        (false, "v1".into()),
        "first miss: shared"
    );
    assert_eq!(
        read(&cache, &k, "x", &renders),
        (true, "v1".into()),
        "second: copied"
    );
    assert_eq!(
        read(&cache, &k, "x", &renders),
        (true, "v1".into()),
        "then served from the copy"
    );
    assert_eq!(renders.get(), 1);
    assert_eq!(front::held(cache.id).0, 1);

    for (change, html) in [(Change::Added, "v2"), (Change::Altered, "v3")] {
        cache.invalidate(&"l1".into(), change);
        let (_, text) = read(&cache, &k, html, &renders);
        assert_eq!(text, html, "{change:?}: the copy is not served after it");
        assert_eq!(read(&cache, &k, "x", &renders).1, html);
    }
    assert_eq!(renders.get(), 3);
}

#[test]
fn another_letters_change_keeps_the_copy() {
    let cache = PageCache::new(Duration::from_secs(60));
    let k = key("letter");
    let renders = Cell::new(0);
    read(&cache, &k, "v1", &renders);
    read(&cache, &k, "v1", &renders);
    cache.invalidate(&"l2".into(), Change::Altered);
    assert_eq!(read(&cache, &k, "x", &renders), (true, "v1".into()));
    assert_eq!(renders.get(), 1);
}

#[test]
fn a_stale_page_is_not_served_from_a_copy() {
    // Stale at once: every read after the first goes to the shared cache,
    // which serves the stale page while one request renders it again.
    let cache = PageCache::new(Duration::ZERO);
    let k = key("letter");
    let renders = Cell::new(0);
    for html in ["v1", "v2", "v3"] {
        assert!(!read(&cache, &k, html, &renders).0, "never from a copy");
    }
    assert_eq!(front::held(cache.id).0, 0);
}

#[test]
fn a_worker_keeps_a_bounded_number_of_copies() {
    let cache = PageCache::new(Duration::from_secs(60));
    let renders = Cell::new(0);
    for n in 0..40 {
        let k = key(&format!("letter-{n}"));
        read(&cache, &k, "page", &renders);
        assert!(read(&cache, &k, "page", &renders).0, "copied on the second read");
    }
    assert_eq!(front::held(cache.id).0, 16);
    assert_eq!(renders.get(), 40);
}

#[test]
fn a_worker_keeps_a_bounded_number_of_bytes() {
    let cache = PageCache::new(Duration::from_secs(60));
    let renders = Cell::new(0);
    // Each copy weighs more than these 200,000 bytes (its gzip twin besides).
    let html: String = (0..200_000u32)
        .map(|n| char::from(b'a' + (n.wrapping_mul(2_654_435_761) >> 27) as u8 % 26))
        .collect();
    for n in 0..12 {
        let k = key(&format!("long-{n}"));
        read(&cache, &k, &html, &renders);
        assert!(read(&cache, &k, &html, &renders).0, "copied on the second read");
    }
    let (copies, bytes) = front::held(cache.id);
    assert!(bytes <= 2 * 1024 * 1024, "{bytes} bytes held");
    assert!((1..12).contains(&copies), "{copies} copies");
}

#[test]
fn a_copy_is_not_served_past_its_end() {
    let cache = PageCache::new(Duration::from_secs(60));
    let k = key("closing");
    let end = Instant::now() + Duration::from_millis(50);
    let renders = Cell::new(0);
    let read_closing = |html| read_until(&cache, &k, html, Some(end), &renders);
    read_closing("open");
    assert_eq!(read_closing("x"), (true, "open".into()));
    // The closing time itself is what is awaited.
    while Instant::now() < end {
        std::thread::yield_now();
    }
    let (own, text) = read_closing("closed");
    assert_eq!(text, "closed", "past its end, the page is rendered again");
    assert!(!own);
}

#[test]
fn one_caches_copies_are_not_served_for_another() {
    let (one, two) = (
        PageCache::new(Duration::from_secs(60)),
        PageCache::new(Duration::from_secs(60)),
    );
    let k = key("letter");
    let renders = Cell::new(0);
    for _ in 0..2 {
        read(&one, &k, "one", &renders);
    }
    assert_eq!(read(&two, &k, "two", &renders).1, "two");
    assert_eq!(read(&two, &k, "x", &renders), (true, "two".into()));
    assert_eq!(read(&one, &k, "x", &renders), (true, "one".into()));
}

#[test]
fn a_copy_is_a_page_of_its_own_with_the_same_answers() {
    let page = CachedPage::new("l1".into(), "<form>HOLE</form>", "HOLE");
    let copy = page.own_copy();
    assert_eq!(copy.with_token("T").to_vec(), page.with_token("T").to_vec());
    assert_eq!(
        copy.gzip_with_token("T").map(|p| p.to_vec()),
        page.gzip_with_token("T").map(|p| p.to_vec())
    );
    let now = crate::web::AppState::now_ms();
    for gzip in [false, true] {
        assert_eq!(copy.tags_at(now).of(gzip), page.tags_at(now).of(gzip));
    }
    assert_ne!(
        copy.before_token.as_ptr(),
        page.before_token.as_ptr(),
        "its own bytes"
    );
    assert_eq!(
        (copy.generation, copy.began, copy.rendered_at),
        (page.generation, page.began, page.rendered_at)
    );
}
