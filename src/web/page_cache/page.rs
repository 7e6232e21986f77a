//! One kept page: the render around its form token's hole, its gzip twin,
//! and the clock readings that decide whether it may still be served.

use super::gzip;
use super::PageKind;
use crate::model::LetterId;
use crate::web::http_cache::{self, etag_of, Body, Pieces, PublicCacheControl, Tags};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use std::borrow::Cow;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a kept page shows of its letter besides the letter itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    /// Its signatures and count (the letter page, its JSON).
    Signatures,
    /// Its signatures and its figures (a list's first page, a search page:
    /// how many are listed, how many counted only).
    SignaturesAndFigures,
    /// Only its figures, computed apart (the figures page).
    Figures,
}

impl Shows {
    pub fn of(kind: PageKind) -> Shows {
        match kind {
            PageKind::Letter | PageKind::LetterJson => Shows::Signatures,
            PageKind::FirstSignatories | PageKind::Search => Shows::SignaturesAndFigures,
            PageKind::Figures => Shows::Figures,
        }
    }
}

/// A rendered page with a hole where the form token goes.
pub struct CachedPage {
    pub letter_id: LetterId,
    /// Shared with every response that sends it (`http_cache::Pieces`).
    pub before_token: Bytes,
    pub after_token: Bytes,
    /// Validator of everything but the token.
    etag: String,
    /// The tags sent with it: `etag` itself, or for a page with a form
    /// token, weak tags naming the period they were made in.
    tags: Tags,
    /// For a page with a form token, the period its `tags` name.
    period: Option<i64>,
    /// The same page compressed, for clients that take gzip.
    pub(super) gzip: Option<gzip::GzipPage>,
    pub(super) rendered_at: Instant,
    /// When the page stops being true by itself (a scheduled closing takes
    /// its form away): past it, nobody is served this copy.
    pub(super) good_until: Option<Instant>,
    /// The invalidation clock's reading when this page was stored.
    pub(super) generation: u64,
    /// The clock's reading when its render began: a change that takes
    /// something away after it makes the page unfit to serve.
    pub(super) began: u64,
    /// What it shows, which decides the changes that drop it (`Change`).
    pub(super) shows: Shows,
    /// When a request set out to render this page again, if one did.
    pub(super) refreshing_since: Mutex<Option<Instant>>,
}

impl CachedPage {
    /// Splits `html` at `placeholder`; `None` if it is missing (a closed
    /// letter has no form), in which case the whole page is `before_token`.
    pub fn new(letter_id: LetterId, html: &str, placeholder: &str) -> CachedPage {
        let (before, after) = html.split_once(placeholder).unwrap_or((html, ""));
        let etag = etag_of(&[before.as_bytes(), after.as_bytes()]);
        let period = token_tag_period(crate::web::AppState::now_ms());
        CachedPage {
            letter_id,
            tags: Tags::weak(&etag, period),
            period: Some(period),
            etag,
            gzip: gzip::GzipPage::new(before.as_bytes(), after.as_bytes()),
            before_token: Bytes::copy_from_slice(before.as_bytes()),
            after_token: Bytes::copy_from_slice(after.as_bytes()),
            rendered_at: Instant::now(),
            good_until: None,
            generation: 0,
            began: 0,
            shows: Shows::Signatures,
            refreshing_since: Mutex::new(None),
        }
    }

    /// The same page in memory of its own, for one HTTP worker to serve
    /// (`super::front`): every response clones the page's `Bytes`, and a
    /// clone writes their reference count, a cache line that two workers
    /// sharing one copy would pass back and forth on every request.
    pub fn own_copy(&self) -> CachedPage {
        CachedPage {
            letter_id: self.letter_id.clone(),
            before_token: Bytes::copy_from_slice(&self.before_token),
            after_token: Bytes::copy_from_slice(&self.after_token),
            etag: self.etag.clone(),
            tags: self.tags.own_copy(),
            period: self.period,
            gzip: self.gzip.as_ref().map(gzip::GzipPage::own_copy),
            rendered_at: self.rendered_at,
            good_until: self.good_until,
            generation: self.generation,
            began: self.began,
            shows: self.shows,
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

    pub(super) fn expired(&self) -> bool {
        self.good_until.is_some_and(|t| Instant::now() >= t)
    }

    /// A rendering with no form token in it (a list, a JSON document).
    pub fn whole(letter_id: LetterId, body: String) -> CachedPage {
        let etag = etag_of(&[body.as_bytes()]);
        CachedPage {
            letter_id,
            tags: Tags::new(&etag),
            period: None,
            etag,
            gzip: gzip::GzipPage::new(body.as_bytes(), b""),
            before_token: Bytes::from(body),
            after_token: Bytes::new(),
            rendered_at: Instant::now(),
            good_until: None,
            generation: 0,
            began: 0,
            shows: Shows::Signatures,
            refreshing_since: Mutex::new(None),
        }
    }

    /// The tags to send with the page at `now_ms`. A page with a form token
    /// differs from one response to the next only by its token, hence weak
    /// tags; the hour in them keeps a revalidated copy's token well within
    /// its lifetime.
    pub fn tags_at(&self, now_ms: i64) -> Cow<'_, Tags> {
        match self.period {
            Some(made_in) if made_in != token_tag_period(now_ms) => {
                Cow::Owned(Tags::weak(&self.etag, token_tag_period(now_ms)))
            }
            _ => Cow::Borrowed(&self.tags),
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
        if self.has_token_hole() {
            token
        } else {
            ""
        }
    }

    /// Whether the page has a hole for a form token (a closed letter's page
    /// has no form; a list has none).
    pub fn has_token_hole(&self) -> bool {
        !self.after_token.is_empty()
    }

    /// The body for a client that does (`gzip`) or does not take gzip.
    pub fn encoded(&self, gzip: bool, token: &str) -> Body {
        let (body, gzip) = self.pieces(gzip, token);
        Body::Negotiated { body, gzip }
    }

    /// The pieces of [`encoded`](Self::encoded)'s body, and whether they
    /// are gzip (a page that could not be compressed goes plain).
    pub(super) fn pieces(&self, gzip: bool, token: &str) -> (Pieces, bool) {
        match gzip.then(|| self.gzip_with_token(token)).flatten() {
            Some(body) => (body, true),
            None => (self.with_token(token), false),
        }
    }

    /// The page as the response to `req`, compressed for clients that take
    /// it. For a page without a form token (a list, the figures). Shared
    /// caches keep it no longer than it holds here, as the letter page.
    pub fn response(&self, req: &HttpRequest, cache_control: &PublicCacheControl) -> HttpResponse {
        http_cache::respond(
            req,
            http_cache::HTML,
            self.encoded(http_cache::accepts_gzip(req), ""),
            &self.tags_at(crate::web::AppState::now_ms()),
            cache_control.at_most(self.holds_for()),
        )
    }

    /// Its share of the cache's byte budget.
    pub(super) fn weight(&self) -> u32 {
        let bytes = self.before_token.len()
            + self.after_token.len()
            + self.gzip.as_ref().map_or(0, gzip::GzipPage::len)
            + self.etag.len()
            + self.tags.bytes()
            + self.letter_id.len();
        u32::try_from(bytes).unwrap_or(u32::MAX)
    }

    /// Whether the caller should render this stale page again: true for the
    /// first caller to ask, and again if its render has not landed within
    /// `retry_after` (it failed, or is stuck).
    pub(super) fn claim_refresh(&self, retry_after: Duration) -> bool {
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

/// The hour `now_ms` falls in, as the weak tags of pages with a form token
/// name it.
fn token_tag_period(now_ms: i64) -> i64 {
    now_ms / 3_600_000
}

/// The moment of this process's clock when UTC `at` comes (now, if past).
pub fn instant_at(at: chrono::NaiveDateTime) -> Instant {
    Instant::now() + (at - crate::db::now()).to_std().unwrap_or_default()
}
