//! The share blocks this process has written, without their count (see
//! `views::share_links::ShareFrame`): shown after every signature and
//! every confirmation, and the same for every reader of a letter in one
//! language. Keyed by everything a frame shows (language, slug, title), so
//! a renamed letter is a new key and a stale frame is never served.

use crate::db::letters::Letter;
use crate::i18n::Tr;
use crate::views::share_links::ShareFrame;
use maud::Markup;
use std::sync::Arc;

/// At most this many bytes of frames are kept (a frame weighs about 3 KB).
const MAX_BYTES: u64 = 8 * 1024 * 1024;

pub struct ShareCache {
    frames: moka::sync::Cache<String, Arc<ShareFrame>>,
}

impl Default for ShareCache {
    fn default() -> Self {
        Self::new()
    }
}

impl ShareCache {
    pub fn new() -> ShareCache {
        ShareCache {
            frames: moka::sync::Cache::builder()
                .max_capacity(MAX_BYTES)
                .weigher(|key: &String, frame: &Arc<ShareFrame>| {
                    u32::try_from(key.len() + frame.weight()).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }

    /// The share block of `letter` with `count` signatures.
    pub fn block(&self, tr: &Tr, letter: &Letter, count: i64, base_url: &str) -> Markup {
        let key = format!(
            "{}\u{1}{}\u{1}{}",
            tr.lang.code(),
            letter.slug,
            letter.title.as_str()
        );
        let frame = self
            .frames
            .get_with(key, || Arc::new(ShareFrame::render(tr, letter, base_url)));
        frame.with_count(tr, count, letter.goal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::I18n;

    #[test]
    fn a_renamed_letter_or_another_language_gets_its_own_frame() {
        let i18n = I18n::new().unwrap();
        let (fr, en) = (i18n.tr(crate::domain::Lang::FR), i18n.tr(crate::domain::Lang::EN));
        let cache = ShareCache::new();
        let before = crate::views::share::tests_support::letter("Premier titre");
        let mut renamed = before.clone();
        renamed.title = crate::views::share::tests_support::letter("Second titre").title;
        let first = cache.block(&fr, &before, 7, "https://ex.org").into_string();
        assert!(first.contains("Premier%20titre"), "{first}");
        let second = cache.block(&fr, &renamed, 8, "https://ex.org").into_string();
        assert!(
            second.contains("Second%20titre") && !second.contains("Premier"),
            "{second}"
        );
        let english = cache.block(&en, &renamed, 8, "https://ex.org").into_string();
        assert_ne!(english, second);
        assert_eq!(
            english,
            ShareFrame::render(&en, &renamed, "https://ex.org")
                .with_count(&en, 8, renamed.goal)
                .into_string()
        );
        // The same letter again: the kept frame, with the new count.
        assert_eq!(
            cache.block(&fr, &before, 9, "https://ex.org").into_string(),
            ShareFrame::render(&fr, &before, "https://ex.org")
                .with_count(&fr, 9, before.goal)
                .into_string()
        );
    }
}
