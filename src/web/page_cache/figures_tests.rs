//! The figures page's own rule (`Change`): a confirmation leaves it, new
//! figures take it away, and a removal takes it away as any page.

use super::tests::{finish, gated_page, page_of, poll};
use super::*;
use std::cell::Cell;
use std::pin::pin;

fn figures(slug: &str) -> PageKey {
    PageKey::page(slug.to_string(), PageKind::Figures, None, None)
}

#[test]
fn a_figures_page_outlives_a_confirmation_and_goes_with_new_figures() {
    let cache = PageCache::new(Duration::from_secs(60));
    let (stats, letter) = (figures("one"), super::tests::key("one"));
    let list = PageKey::page("one".into(), PageKind::FirstSignatories, None, None);
    let renders = Cell::new(0);
    let read = |key: &PageKey, html: &'static str| {
        let page = finish(pin!(page_of(&cache, key, "l1", html, &renders)));
        String::from_utf8(page.before_token.to_vec()).expect("UTF-8")
    };
    let first = [
        read(&stats, "figures 1"),
        read(&letter, "letter 1"),
        read(&list, "list 1"),
    ];
    assert_eq!(first, ["figures 1", "letter 1", "list 1"]);

    cache.invalidate(&"l1".into(), Change::Added);
    assert_eq!(read(&stats, "figures 2"), "figures 1", "a confirmation leaves it");
    assert_eq!(read(&letter, "letter 2"), "letter 2", "and drops the letter page");
    assert_eq!(read(&list, "list 2"), "list 2", "and the list");

    cache.invalidate(&"l1".into(), Change::Figures);
    assert_eq!(read(&stats, "figures 3"), "figures 3", "new figures drop it");
    assert_eq!(
        read(&list, "list 3"),
        "list 3",
        "and the list, which says how many are listed"
    );
    assert_eq!(
        read(&letter, "letter 3"),
        "letter 2",
        "not the letter page, which shows none"
    );

    cache.invalidate(&"l1".into(), Change::Altered);
    assert_eq!(read(&stats, "figures 4"), "figures 4", "a removal drops it");
    assert_eq!(read(&letter, "letter 4"), "letter 4");
    assert_eq!(read(&list, "list 4"), "list 4");
    assert_eq!(renders.get(), 10);
}

#[test]
fn a_figures_page_rendered_while_new_figures_land_is_not_kept() {
    let cache = PageCache::new(Duration::from_secs(60));
    let stats = figures("letter");
    let open = Cell::new(false);
    let mut before = pin!(gated_page(&cache, &stats, "older figures", &open));
    assert!(poll(before.as_mut()).is_pending(), "reading the figures");
    cache.invalidate(&"l1".into(), Change::Figures);
    open.set(true);
    assert_eq!(finish(before).before_token, "older figures", "its own caller's");

    let renders = Cell::new(0);
    let after = finish(pin!(page_of(&cache, &stats, "l1", "new figures", &renders)));
    assert_eq!(after.before_token, "new figures");
    assert_eq!(renders.get(), 1, "the render begun before was not kept");
}
