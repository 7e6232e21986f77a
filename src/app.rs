//! Builds the running service from `Settings`: pool, migrations, outbox
//! worker and HTTP server, bound to a listener so tests can use port 0.

use crate::config::Settings;
use crate::db::{self, migrations, Pool};
use crate::i18n::{I18n, I18nError};
use crate::jobs::{spawn_mailings, spawn_maintenance, spawn_schedule, MaintenanceHandle};
use crate::mail::{Mailer, MailerError, OutboxWorker, WorkerConfig, WorkerHandle};
use crate::web::form_token::FormSigner;
use crate::web::limits::{KeyHasher, LimitStore, RateLimits, SharedLimits};
use crate::web::{
    self, counts::CountCache, middleware as mw, page_cache::PageCache, AppState, Caches, Services,
    SiteSettings,
};
use actix_session::config::PersistentSession;
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error(transparent)]
    Mail(#[from] MailerError),
    #[error(transparent)]
    I18n(#[from] I18nError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("cannot start: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Config(String),
}

pub struct Application {
    server: Server,
    addr: SocketAddr,
    base_url: String,
    pool: Pool,
    worker: WorkerHandle,
    jobs: MaintenanceHandle,
    schedule: MaintenanceHandle,
    mailings: MaintenanceHandle,
    checkpoints: Option<db::checkpoint::CheckpointHandle>,
    shutdown_timeout: Duration,
}

/// Forgets idle rate-limit keys every minute, for as long as the state
/// lives: in memory, or the shared store's rows whose quotas are full again.
fn spawn_limit_sweeper(state: &actix_web::web::Data<AppState>) {
    let weak = std::sync::Arc::downgrade(&state.clone().into_inner());
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            match weak.upgrade() {
                Some(state) => state.services.limits.sweep().await,
                None => break,
            }
        }
    });
}

/// The rate limits in the store the settings name.
fn rate_limits(
    settings: &Settings,
    pool: &Pool,
    checkout: &Arc<db::reconnect::Checkout>,
    secret: &[u8],
    metrics: &Arc<crate::web::metrics::Metrics>,
) -> RateLimits {
    match settings.rate_limit_store {
        LimitStore::Process => RateLimits::new(settings.rate_limits_enabled, &settings.limits),
        LimitStore::Database => {
            if matches!(settings.database_url, db::DatabaseUrl::Sqlite(_)) {
                tracing::info!(
                    "rate limits are counted in the database; on SQLite, a single node, \
                     the process store counts as exactly without a write per check"
                );
            }
            let store = SharedLimits::new(
                pool.clone(),
                checkout.clone(),
                KeyHasher::new(secret),
                &settings.limits,
                metrics.clone(),
            );
            RateLimits::shared(settings.rate_limits_enabled, store)
        }
    }
}

/// How a slow count is taken again behind its readers: on a connection of
/// its own from the pool, so no request waits on it (see `web::counts`).
fn recount(pool: &Pool, checkout: &Arc<db::reconnect::Checkout>) -> crate::web::counts::Recount {
    let (pool, checkout) = (pool.clone(), checkout.clone());
    Arc::new(move |letter_id, reading| {
        let mut conn = checkout.get(&pool)?;
        reading();
        let counted = db::signatures::count_confirmed(&mut conn, letter_id);
        if let Err(e) = &counted {
            checkout.saw(e);
        }
        counted
    })
}

/// Opens the pool and brings the schema up to date.
pub fn open_database(settings: &Settings) -> Result<Pool, db::DbError> {
    let pool = db::connect_with(&settings.database_url, &settings.database, settings.pool_size)?;
    let mut conn = pool.get()?;
    let applied = migrations::run(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    // A database that answers reads but refuses writes (a read-only file or
    // folder, a full disk, a standby) would take every signature to a 500.
    db::health::write(&mut conn, db::now()).map_err(|source| db::DbError::NoWrites {
        database: settings.database_url.redacted(),
        source: Box::new(source),
    })?;
    Ok(pool)
}

impl Application {
    pub fn build(settings: &Settings) -> Result<Application, StartError> {
        let pool = open_database(settings)?;
        Self::build_with_pool(settings, pool)
    }

    pub fn build_with_pool(settings: &Settings, pool: Pool) -> Result<Application, StartError> {
        let listener = TcpListener::bind(&settings.bind).map_err(|source| StartError::Bind {
            addr: settings.bind.clone(),
            source,
        })?;
        let addr = listener.local_addr()?;
        let base_url = settings
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));

        let mailer = match &settings.smtp_url {
            Some(url) => Mailer::smtp(url, Duration::from_secs(15), settings.smtp_connections)?,
            None => Mailer::file(&settings.outbox_dir())?,
        };
        let log_links = mailer.is_file();
        let secret = settings
            .load_secret()
            .map_err(|e| StartError::Config(e.to_string()))?;
        let metrics = std::sync::Arc::new(crate::web::metrics::Metrics::default());
        let i18n = Arc::new(I18n::new()?.with_zone(settings.time_zone));
        let mut worker_config = WorkerConfig::new(settings.mail_from.clone());
        worker_config.deferred = Some(Arc::new(crate::mail::deferred::Deferred {
            i18n: i18n.clone(),
            base_url: base_url.clone(),
            valid_days: (settings.confirm_ttl.as_secs() / 86_400).max(1) as i64,
        }));
        worker_config.failures = metrics.email_failures.clone();
        worker_config.sent = metrics.emails_sent.clone();
        worker_config.unrecorded = metrics.deliveries_unrecorded.clone();
        worker_config.dkim = settings.dkim.clone();
        worker_config.retry_base = settings.outbox_retry_base;
        worker_config.retry_max = settings.outbox_retry_max;
        worker_config.poll = settings.outbox_poll;
        worker_config.lease = settings.outbox_lease;
        worker_config.connections = settings.smtp_connections;
        let checkout = Arc::new(db::reconnect::Checkout::new(
            &settings.database_url,
            &settings.database,
        ));
        let writer = db::group_commit::GroupWriter::spawn_beside(
            &settings.database_url,
            &settings.database,
            Some(db::group_commit::PoolHealth {
                pool: pool.clone(),
                checkout: checkout.clone(),
            }),
        )?;
        worker_config.writer = writer.clone().filter(|w| w.takes_all());
        let worker = OutboxWorker::new(pool.clone(), mailer, worker_config).spawn()?;
        let state = actix_web::web::Data::new(AppState {
            settings: SiteSettings {
                base_url: base_url.clone(),
                log_links,
                confirm_ttl: settings.confirm_ttl,
                max_sends_per_address: settings.max_sends_per_address,
                trusted_proxies: settings.trusted_proxies.clone(),
                email_rules: settings.email_rules.clone(),
                min_fill: settings.min_fill,
                privacy_dir: settings.privacy_dir(),
                hsts: base_url.starts_with("https://"),
                session_idle: settings.session_idle,
                session_lifetime: settings.session_lifetime,
                notify_interval: settings.notify_interval,
                shared_cache: web::http_cache::PublicCacheControl::new(settings.count_cache_ttl.as_secs()),
                metrics_token: settings.metrics_token.clone(),
                privacy_officer: settings.privacy_officer.clone(),
                bulk_pace: chrono::Duration::microseconds(
                    60_000_000 / i64::from(settings.mailing_per_minute.max(1)),
                ),
            },
            services: Services {
                pool: pool.clone(),
                checkout: checkout.clone(),
                writer,
                i18n,
                waker: worker.waker(),
                limits: rate_limits(settings, &pool, &checkout, &secret, &metrics),
                forms: FormSigner::new(&secret),
                links: crate::domain::LinkKey::new(&secret),
                cursors: crate::web::cursor_seal::CursorSeal::new(&secret),
                metrics,
                access_log: crate::web::access_log::AccessLog::new(settings.access_log_every),
            },
            caches: Caches {
                letters: crate::web::letter_cache::LetterCache::new(settings.count_cache_ttl),
                counts: CountCache::new(settings.count_cache_ttl).with_recount(recount(&pool, &checkout)),
                pages: PageCache::new(settings.count_cache_ttl),
                cards: crate::web::card_cache::CardCache::new(),
                figures: crate::web::figures::FigureCache::new(
                    crate::web::figures::FIGURES_TTL.max(settings.count_cache_ttl),
                    settings.count_cache_ttl,
                    settings.time_zone,
                ),
                searches: crate::web::search_cache::SearchCache::new(settings.count_cache_ttl),
                shares: crate::web::share_cache::ShareCache::new(),
            },
        });
        let session_key = actix_web::cookie::Key::derive_from(&secret);
        // The browser may forget the cookie when the session ends anyway;
        // the server's row is what decides (see `web::workspace::session`).
        // Browsers cap a cookie's life at 400 days.
        let cookie_ttl = actix_web::cookie::time::Duration::seconds(
            settings.session_lifetime.as_secs().min(400 * 24 * 3600) as i64,
        );
        let secure_cookie = base_url.starts_with("https://");
        if !settings.rate_limits_enabled {
            tracing::warn!(
                "RATE LIMITS ARE OFF (UNDERSIGNED_RATE_LIMITS=off): for load tests only, never in production"
            );
        }
        spawn_limit_sweeper(&state);
        let jobs = {
            let state = state.clone();
            spawn_maintenance(pool.clone(), settings, move |letter| state.letter_changed(letter))?
        };
        let schedule = {
            let state = state.clone();
            spawn_schedule(pool.clone(), move |letter| state.letter_changed(letter))?
        };
        let mailings = {
            let composer = crate::mail::to_signers::Composer {
                i18n: state.services.i18n.clone(),
                base_url: base_url.clone(),
            };
            let throttle = crate::jobs::Throttle::per_minute(settings.mailing_per_minute);
            let waker = state.services.waker.clone();
            spawn_mailings(pool.clone(), composer, throttle, move || waker.wake())?
        };
        let checkpoints =
            db::checkpoint::spawn(pool.clone(), &settings.database_url, Duration::from_millis(500))?;
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(web::ctx::WorkerTexts::like(&state.services.i18n))
                .app_data(state.clone())
                .wrap(from_fn(mw::head_as_get))
                .wrap(from_fn(mw::remember_language))
                .wrap(from_fn(mw::security_headers))
                .wrap(from_fn(mw::log_request))
                // The letters' pages first, the busiest by far: actix tries
                // routes in order (see `web::letters`).
                .configure(web::letters)
                .service(
                    actix_web::web::scope("/workspace")
                        .wrap(
                            SessionMiddleware::builder(CookieSessionStore::default(), session_key.clone())
                                .cookie_name("undersigned_session".into())
                                .cookie_secure(secure_cookie)
                                .cookie_http_only(true)
                                .cookie_same_site(actix_web::cookie::SameSite::Lax)
                                .session_lifecycle(PersistentSession::default().session_ttl(cookie_ttl))
                                .build(),
                        )
                        .configure(web::workspace::configure),
                )
                .configure(web::configure)
        })
        .shutdown_timeout(settings.shutdown_timeout.as_secs())
        // Blocking work is nearly all database work, which the pool's
        // connections bound anyway: past them a thread only waits. Without
        // a bound each worker grew a thread per waiting request (64 under
        // the benchmark's 64 connections), and their stacks and allocator
        // caches were half the server's peak memory.
        .worker_max_blocking_threads(settings.pool_size as usize)
        .listen(listener)?;
        if settings.http_workers > 0 {
            server = server.workers(settings.http_workers);
        }
        Ok(Application {
            server: server.run(),
            addr,
            base_url,
            pool,
            worker,
            jobs,
            schedule,
            mailings,
            checkpoints,
            shutdown_timeout: settings.shutdown_timeout,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped (SIGINT, SIGTERM or the handle),
    /// then lets the outbox worker finish the message in hand.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        // The worker hears the stop signal when the HTTP drain starts, not
        // after it: a round in progress then ends with its messages in
        // hand while requests finish.
        let stopper = self.worker.stopper();
        let limit = stop_limit(self.shutdown_timeout);
        let listener = actix_web::rt::spawn(async move {
            stop_signal().await;
            tracing::info!("stop signal: the outbox worker stops while requests drain");
            stopper.stop();
            exit_after(limit);
        });
        let result = self.server.await;
        listener.abort();
        let worker = self.worker;
        let jobs = self.jobs;
        let schedule = self.schedule;
        let mailings = self.mailings;
        let checkpoints = self.checkpoints;
        // Joining blocks; keep it off the async runtime.
        let _ = actix_web::rt::task::spawn_blocking(move || {
            worker.shutdown(crate::mail::STOP_WAIT);
            jobs.shutdown();
            schedule.shutdown();
            mailings.shutdown();
            if let Some(c) = checkpoints {
                c.shutdown();
            }
        })
        .await;
        result
    }
}

/// The longest a stop may take: the HTTP drain, the outbox worker's wait,
/// and a margin for the rest. 37 s by default, within the systemd unit's
/// `TimeoutStopSec=40`.
pub fn stop_limit(drain: Duration) -> Duration {
    drain + crate::mail::STOP_WAIT + Duration::from_secs(2)
}

/// Ends the process once `limit` has passed, should the stop still be
/// under way. Each wait of the stop is bounded on its own, but a thread
/// blocked on a database that stopped answering cannot be interrupted,
/// and the runtime waits for its blocking threads before it lets the
/// process exit.
fn exit_after(limit: Duration) {
    let started = std::thread::Builder::new()
        .name("stop-deadline".into())
        .spawn(move || {
            std::thread::sleep(limit);
            tracing::error!(
                ?limit,
                "the stop took too long, most likely waiting on the database; exiting now"
            );
            std::process::exit(1);
        });
    if let Err(e) = started {
        tracing::warn!(error = %e, "cannot bound the stop");
    }
}

/// Resolves on SIGTERM or SIGINT, the signals actix-web drains on.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM; the worker stops after the drain");
                std::future::pending::<()>().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
