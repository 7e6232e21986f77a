//! What every request shares, in three parts: the site's settings (read
//! once at start), the services a request talks to, and this process's
//! caches. No configuration lives in statics: each server, and each test,
//! builds its own.

use super::{counts, form_token, letter_cache, limits, metrics, page_cache, Ctx, ErrorKind, PageError};
use crate::db::group_commit::GroupWriter;
use crate::db::Pool;
use crate::i18n::I18n;
use crate::mail::Waker;
use crate::model::LetterId;
pub use page_cache::Change;
use std::sync::Arc;
use std::time::Duration;

pub struct AppState {
    pub settings: SiteSettings,
    pub services: Services,
    pub caches: Caches,
}

/// How the site behaves, from `config::Settings`.
pub struct SiteSettings {
    pub base_url: String,
    /// When mail goes to files, the confirmation link is also logged, so a
    /// local trial needs no mail setup.
    pub log_links: bool,
    pub confirm_ttl: Duration,
    pub max_sends_per_address: i32,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub email_rules: crate::domain::EmailRules,
    pub min_fill: Duration,
    pub privacy_dir: std::path::PathBuf,
    /// Send HSTS: only when the public base URL is https.
    pub hsts: bool,
    /// A workspace session ends after this long without a request.
    pub session_idle: Duration,
    /// A workspace session ends this long after sign-in, however busy.
    pub session_lifetime: Duration,
    /// At most one round of "the text changed" emails per letter in this
    /// long; zero for no limit.
    pub notify_interval: Duration,
    /// How long a shared cache (CDN) may serve a public page: as long as the
    /// count may lag in memory here.
    pub shared_cache: super::http_cache::PublicCacheControl,
    /// Bearer token for `/metrics`; `None` turns the endpoint off.
    pub metrics_token: Option<String>,
    /// The site's person responsible for personal information, for the
    /// letters that name none.
    pub privacy_officer: crate::domain::contacts::Person,
    /// The time between two emails of a bulk sending (an import's
    /// confirmations): `mailing_per_minute` as a gap.
    pub bulk_pace: chrono::Duration,
}

/// What a request talks to.
pub struct Services {
    pub pool: Pool,
    /// Checkouts from `pool` that replace connections an outage killed.
    pub checkout: Arc<crate::db::reconnect::Checkout>,
    /// Group commit: every write on SQLite, signing and confirming on
    /// PostgreSQL (see `db::group_commit`).
    pub writer: Option<GroupWriter>,
    pub i18n: Arc<I18n>,
    /// Wakes the outbox worker after a transaction queued mail.
    pub waker: Waker,
    pub limits: limits::RateLimits,
    pub forms: form_token::FormSigner,
    /// Derives a confirmation email's manage and withdrawal links from its
    /// confirmation link.
    pub links: crate::domain::LinkKey,
    pub metrics: Arc<metrics::Metrics>,
    pub access_log: super::access_log::AccessLog,
    /// Seals the search's paging cursors.
    pub cursors: super::cursor_seal::CursorSeal,
}

/// What this process keeps in memory about letters. Each process has its
/// own; they agree within the caches' lifetime.
pub struct Caches {
    pub letters: letter_cache::LetterCache,
    pub counts: counts::CountCache,
    pub pages: page_cache::PageCache,
    /// The PNG share cards drawn so far.
    pub cards: super::card_cache::CardCache,
    pub figures: super::figures::FigureCache,
    pub searches: super::search_cache::SearchCache,
    /// The share blocks, without their count.
    pub shares: super::share_cache::ShareCache,
}

impl AppState {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.settings.base_url, path)
    }

    /// Checks a rate limit; `Err` carries the page to answer with.
    pub async fn limit(&self, ctx: &Ctx, action: limits::Action) -> Result<(), PageError> {
        self.retry_after(ctx, action)
            .await
            .map_err(|retry_after| ctx.error(ErrorKind::TooManyRequests { retry_after }))
    }

    /// Checks a rate limit; `Err` carries the whole seconds to wait, for
    /// answers that are not pages (the API's).
    pub async fn retry_after(&self, ctx: &Ctx, action: limits::Action) -> Result<(), u64> {
        self.services
            .limits
            .check(action, ctx.client)
            .await
            .map_err(|wait| wait.as_secs() + 1)
    }

    /// Updates what this process holds in memory about a letter's
    /// signatures after it changed them: the count moves by `count_delta`
    /// and the rendered pages go, so the signer sees the change on the next
    /// load. The count is adjusted rather than dropped: recounting a letter
    /// of a million signatures for every confirmation would cost more than
    /// everything else the confirmation does. `change` says whether a
    /// signature was only added (a confirmation), or one may have left the
    /// pages or changed on them, which no page rendered before may hide.
    pub fn signatures_changed(&self, letter_id: &LetterId, count_delta: i64, change: Change) {
        self.caches.counts.adjust(letter_id, count_delta);
        self.caches.figures.signatures_changed(letter_id);
        self.caches.searches.letter_changed(letter_id);
        // Last: a render that begins after this tick must find every other
        // cache already changed, or it could read search results from
        // before a withdrawal and be kept as if rendered after it.
        self.caches.pages.invalidate(letter_id, change);
    }

    /// After an organizer changed a letter, its list or its moderation: the
    /// count is read again and the cached pages are dropped.
    pub fn letter_changed(&self, letter_id: &LetterId) {
        self.caches.letters.invalidate(letter_id);
        self.caches.counts.invalidate(letter_id);
        self.caches.figures.invalidate(letter_id);
        self.caches.searches.letter_changed(letter_id);
        // Last, as in `signatures_changed`.
        self.caches.pages.invalidate(letter_id, Change::Altered);
    }

    /// Milliseconds since the Unix epoch, as the form tokens count them.
    /// Read from the system clock directly: chrono's `Utc::now` also works
    /// out the calendar date, on every letter page.
    pub fn now_ms() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
    }
}
