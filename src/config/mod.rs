//! Settings come from defaults, then an optional TOML file, then environment
//! variables, then command-line flags; each layer overrides the one before.
//! Nothing here is global: the server and the tests build their own.

mod database;
mod dkim;
mod file;
mod limits;
mod privacy;
mod secret;
mod zone;

pub use dkim::DkimSigner;

pub use file::FileSettings;

use crate::db::{redact_url, DatabaseUrl, DbError, DbOptions};
use crate::domain::email_rules::EmailRules;
use crate::domain::SiteZone;
use crate::web::limits::{LimitSettings, LimitStore};
use ipnet::IpNet;
use lettre::message::Mailbox;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use {database::database_options, zone::time_zone};

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    /// Timeouts of PostgreSQL connections, SQLite's durability.
    pub database: DbOptions,
    pub data_dir: PathBuf,
    pub bind: String,
    /// Public base URL used in emails, without a trailing slash. When unset,
    /// it is `http://` and the address the server actually bound.
    pub base_url: Option<String>,
    /// `smtp://` or `smtps://` URL, possibly with credentials: never logged.
    pub smtp_url: Option<String>,
    /// SMTP connections the outbox worker sends from in parallel.
    pub smtp_connections: usize,
    pub mail_from: Mailbox,
    pub log_format: LogFormat,
    pub confirm_ttl: Duration,
    /// Emails one address can receive for one letter (confirmation resends
    /// and "already signed" notices together).
    pub max_sends_per_address: i32,
    pub pool_size: u32,
    /// HTTP worker threads; 0 means one per core.
    pub http_workers: usize,
    pub outbox_retry_base: Duration,
    pub outbox_retry_max: Duration,
    pub outbox_poll: Duration,
    /// How long a worker's claim on a message holds: after a crash, the
    /// messages it held go out from another node (or after a restart)
    /// once it runs out.
    pub outbox_lease: Duration,
    /// How long the signature count may be served from memory.
    pub count_cache_ttl: Duration,
    /// Key for signed form fields. When unset, one is generated and kept in
    /// `<data-dir>/secret.key`; servers sharing a database must share it.
    pub secret_key: Option<String>,
    pub rate_limits_enabled: bool,
    /// Where the rate limits count: this process, or the database shared
    /// by every server on it.
    pub rate_limit_store: LimitStore,
    pub limits: LimitSettings,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    pub email_rules: EmailRules,
    /// A signing form posted sooner than this after it was served is a bot's.
    pub min_fill: Duration,
    /// How often expired pending signatures are purged and due letters
    /// anonymised.
    pub purge_interval: Duration,
    /// Anonymise closed letters this many days after closing, unless the
    /// letter file says otherwise. None: only on request.
    pub anonymise_after_days: Option<u32>,
    /// A workspace session ends after this long without a request.
    pub session_idle: Duration,
    /// Signers of one letter are emailed about a changed text at most once
    /// in this long, so an edit war cannot flood their inboxes. Zero: no
    /// limit.
    pub notify_interval: Duration,
    /// Emails of messages to signers queued a minute, all letters together.
    pub mailing_per_minute: u32,
    /// One successful GET or HEAD in this many gets a log line (1: all,
    /// 0: none); changes and errors always do.
    pub access_log_every: u32,
    /// Signs every email when a key is configured (`config::dkim`).
    pub dkim: Option<DkimSigner>,
    /// A workspace session ends this long after sign-in, however busy.
    pub session_lifetime: Duration,
    /// Bearer token that opens `/metrics`; unset, the endpoint is off.
    pub metrics_token: Option<String>,
    /// How long a stop waits for requests in progress; the whole stop is
    /// bounded by this plus the outbox worker's wait and a margin.
    pub shutdown_timeout: Duration,
    pub time_zone: SiteZone,
    /// The site's person responsible for personal information, for the
    /// letters that name none (see `privacy.rs`).
    pub privacy_officer: crate::domain::contacts::Person,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    ReadFile { path: String, source: std::io::Error },
    #[error("configuration file {path}: {message}")]
    ParseFile { path: String, message: String },
    #[error("{0}")]
    Database(#[from] DbError),
    #[error("{setting}: {message}")]
    Invalid { setting: &'static str, message: String },
}

/// Values given on the command line; `None` means not given.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config: Option<PathBuf>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub bind: Option<String>,
    pub base_url: Option<String>,
}

pub const DEFAULT_DATA_DIR: &str = "./undersigned-data";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_MAIL_FROM: &str = "undersigned <noreply@localhost>";

impl Settings {
    /// Reads the environment of this process.
    pub fn load(overrides: &Overrides) -> Result<Settings, ConfigError> {
        Self::resolve(overrides, |name| {
            std::env::var(name).ok().filter(|v| !v.is_empty())
        })
    }

    /// Layers the sources. `env` is injectable so tests never touch the
    /// process environment.
    pub fn resolve(
        overrides: &Overrides,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, ConfigError> {
        let config_path = overrides
            .config
            .clone()
            .or_else(|| env("UNDERSIGNED_CONFIG").map(PathBuf::from));
        let file = match &config_path {
            Some(path) => file::read(path)?,
            None => FileSettings::default(),
        };
        let (database, zone) = (database_options(&file, &env)?, time_zone(&file, &env)?);
        let dkim_file = dkim::DkimFile::of(&file);
        let privacy_officer = privacy::privacy_officer(&file, &env)?;
        let rate_limits_enabled = limits::rate_limits_enabled(&file, &env)?;
        let rate_limit_store = limits::rate_limit_store(&file, &env)?;
        let num = |name: &'static str, v: Option<String>| -> Result<Option<u64>, ConfigError> {
            v.map(|s| {
                s.trim().parse::<u64>().map_err(|_| ConfigError::Invalid {
                    setting: name,
                    message: format!("{s:?} is not a whole number"),
                })
            })
            .transpose()
        };
        let data_dir = overrides
            .data_dir
            .clone()
            .or_else(|| env("UNDERSIGNED_DATA_DIR").map(PathBuf::from))
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = overrides
            .database_url
            .clone()
            .or_else(|| env("UNDERSIGNED_DATABASE_URL"))
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("undersigned.db").display()));
        let database_url = DatabaseUrl::parse(&database_url)?;
        let bind = overrides
            .bind
            .clone()
            .or_else(|| env("UNDERSIGNED_BIND"))
            .or(file.bind)
            .unwrap_or_else(|| DEFAULT_BIND.to_string());
        let base_url = overrides
            .base_url
            .clone()
            .or_else(|| env("UNDERSIGNED_BASE_URL"))
            .or(file.base_url)
            .map(|u| parse_base_url(&u))
            .transpose()?;
        let smtp_url = env("UNDERSIGNED_SMTP_URL").or(file.smtp_url);
        if let Some(url) = &smtp_url {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return Err(ConfigError::Invalid {
                    setting: "UNDERSIGNED_SMTP_URL",
                    message: format!("{} must start with smtp:// or smtps://", redact_url(url)),
                });
            }
        }
        let mail_from_text = env("UNDERSIGNED_MAIL_FROM")
            .or(file.mail_from)
            .unwrap_or_else(|| DEFAULT_MAIL_FROM.to_string());
        let mail_from: Mailbox = mail_from_text.parse().map_err(|e| ConfigError::Invalid {
            setting: "UNDERSIGNED_MAIL_FROM",
            message: format!("{mail_from_text:?} is not an address like \"Name <noreply@example.org>\": {e}"),
        })?;
        let signing = dkim::dkim(&dkim_file, &env, &mail_from)?;
        let log_format = match env("UNDERSIGNED_LOG_FORMAT") {
            Some(v) if v.eq_ignore_ascii_case("json") => LogFormat::Json,
            Some(v) if v.eq_ignore_ascii_case("text") => LogFormat::Text,
            Some(v) => {
                return Err(ConfigError::Invalid {
                    setting: "UNDERSIGNED_LOG_FORMAT",
                    message: format!("{v:?}: use text or json"),
                })
            }
            None => file.log_format.unwrap_or(LogFormat::Text),
        };
        let pool_size = num("UNDERSIGNED_POOL_SIZE", env("UNDERSIGNED_POOL_SIZE"))?
            .map(|n| n as u32)
            .or(file.pool_size)
            .unwrap_or(match database_url {
                DatabaseUrl::Sqlite(_) => 8,
                DatabaseUrl::Postgres(_) => 16,
            });
        if pool_size == 0 {
            return Err(ConfigError::Invalid {
                setting: "pool_size",
                message: "must be at least 1".into(),
            });
        }
        let smtp_connections = num(
            "UNDERSIGNED_SMTP_CONNECTIONS",
            env("UNDERSIGNED_SMTP_CONNECTIONS"),
        )?
        .map(|n| n as usize)
        .or(file.smtp_connections)
        .unwrap_or(crate::mail::DEFAULT_SMTP_CONNECTIONS);
        if smtp_connections == 0 {
            return Err(ConfigError::Invalid {
                setting: "smtp_connections",
                message: "must be at least 1".into(),
            });
        }
        let proxies: Vec<String> = match env("UNDERSIGNED_TRUSTED_PROXIES") {
            Some(list) => list
                .split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
            None => file.trusted_proxies.unwrap_or_default(),
        };
        let trusted_proxies = proxies
            .iter()
            .map(|p| {
                p.parse::<IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(IpNet::from))
                    .map_err(|_| ConfigError::Invalid {
                        setting: "trusted_proxies",
                        message: format!("{p:?} is not an address or network like 10.0.0.0/8"),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let secret_key = env("UNDERSIGNED_SECRET_KEY").or(file.secret_key);
        if secret_key.as_ref().is_some_and(|k| k.len() < 32) {
            return Err(ConfigError::Invalid {
                setting: "UNDERSIGNED_SECRET_KEY",
                message: "must be at least 32 characters".into(),
            });
        }
        let ms = Duration::from_millis;
        Ok(Settings {
            database,
            shutdown_timeout: Duration::from_secs(file.shutdown_timeout_s.unwrap_or(30)),
            time_zone: zone,
            privacy_officer,
            secret_key,
            rate_limits_enabled,
            rate_limit_store,
            limits: file.limits.unwrap_or_default(),
            trusted_proxies,
            email_rules: EmailRules::default().with(file.email_rules.unwrap_or_default()),
            min_fill: ms(file.min_fill_ms.unwrap_or(3_000)),
            purge_interval: Duration::from_secs(file.purge_interval_s.unwrap_or(3600).max(1)),
            anonymise_after_days: file.anonymise_after_days,
            session_idle: Duration::from_secs(file.session_idle_minutes.unwrap_or(120).max(1) * 60),
            notify_interval: Duration::from_secs(
                file.notify_interval_hours.unwrap_or(24).saturating_mul(3600),
            ),
            dkim: signing,
            mailing_per_minute: file.mailing_per_minute.unwrap_or(600).max(1),
            access_log_every: match env("UNDERSIGNED_ACCESS_LOG_EVERY") {
                Some(v) => v.parse().map_err(|_| ConfigError::Invalid {
                    setting: "UNDERSIGNED_ACCESS_LOG_EVERY",
                    message: format!("{v:?} is not a whole number (1: every request, 0: none)"),
                })?,
                None => file.access_log_every.unwrap_or(100),
            },
            session_lifetime: Duration::from_secs(file.session_lifetime_hours.unwrap_or(12).max(1) * 3600),
            metrics_token: env("UNDERSIGNED_METRICS_TOKEN").or(file.metrics_token),
            database_url,
            data_dir,
            bind,
            base_url,
            smtp_url,
            smtp_connections,
            mail_from,
            log_format,
            confirm_ttl: Duration::from_secs(file.confirm_ttl_hours.unwrap_or(7 * 24) * 3600),
            max_sends_per_address: file.max_sends_per_address.unwrap_or(3).max(1),
            pool_size,
            http_workers: num("UNDERSIGNED_HTTP_WORKERS", env("UNDERSIGNED_HTTP_WORKERS"))?
                .map(|n| n as usize)
                .or(file.http_workers)
                .unwrap_or(0),
            outbox_retry_base: ms(file.outbox_retry_base_ms.unwrap_or(10_000)),
            outbox_retry_max: ms(file.outbox_retry_max_ms.unwrap_or(30 * 60 * 1000)),
            outbox_poll: ms(file.outbox_poll_ms.unwrap_or(5_000)),
            outbox_lease: ms(file.outbox_lease_ms.unwrap_or(120_000).max(1_000)),
            count_cache_ttl: ms(file.count_cache_ms.unwrap_or(2_000)),
        })
    }

    /// Defaults for a given data folder, ignoring the environment; used by
    /// tests and embedders.
    pub fn for_data_dir(data_dir: &Path) -> Settings {
        let overrides = Overrides {
            data_dir: Some(data_dir.to_path_buf()),
            ..Default::default()
        };
        Self::resolve(&overrides, |_| None).expect("the defaults are valid")
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// Where organizers may put `privacy.fr.md` and `privacy.en.md` to
    /// replace the built-in privacy page.
    pub fn privacy_dir(&self) -> PathBuf {
        self.data_dir.clone()
    }
}

fn parse_base_url(url: &str) -> Result<String, ConfigError> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"))
        .ok_or_else(|| ConfigError::Invalid {
            setting: "base_url",
            message: format!("{url:?} must start with http:// or https://"),
        })?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err(ConfigError::Invalid {
            setting: "base_url",
            message: format!("{url:?} has no host"),
        });
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults() {
        let s = Settings::resolve(&Overrides::default(), env(&[])).unwrap();
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.data_dir, PathBuf::from("./undersigned-data"));
        assert_eq!(
            s.database_url,
            DatabaseUrl::Sqlite(PathBuf::from("./undersigned-data/undersigned.db"))
        );
        assert!(s.smtp_url.is_none());
        assert_eq!(s.smtp_connections, crate::mail::DEFAULT_SMTP_CONNECTIONS);
        assert_eq!(s.base_url, None);
        assert_eq!(s.confirm_ttl, Duration::from_secs(7 * 24 * 3600));
        assert_eq!(s.access_log_every, 100);
        let every = |v: &str| {
            Settings::resolve(&Overrides::default(), env(&[("UNDERSIGNED_ACCESS_LOG_EVERY", v)]))
                .map(|s| s.access_log_every)
        };
        assert_eq!(every("1").unwrap(), 1);
        assert!(every("souvent").is_err());
    }

    #[test]
    fn layers_override_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("u.toml");
        std::fs::write(
            &file,
            "bind = \"127.0.0.1:1\"\ndata_dir = \"/from-file\"\nbase_url = \"https://file.example/\"\n",
        )
        .unwrap();
        let overrides = Overrides {
            config: Some(file.clone()),
            ..Default::default()
        };
        let s = Settings::resolve(&overrides, env(&[("UNDERSIGNED_BIND", "127.0.0.1:2")])).unwrap();
        assert_eq!(s.bind, "127.0.0.1:2", "environment beats file");
        assert_eq!(s.data_dir, PathBuf::from("/from-file"));
        assert_eq!(s.base_url.as_deref(), Some("https://file.example"));
        let overrides = Overrides {
            config: Some(file),
            bind: Some("127.0.0.1:3".into()),
            ..Default::default()
        };
        let s = Settings::resolve(&overrides, env(&[("UNDERSIGNED_BIND", "127.0.0.1:2")])).unwrap();
        assert_eq!(s.bind, "127.0.0.1:3", "flag beats environment");
    }

    #[test]
    fn refuses_bad_values_with_clear_messages() {
        let bad = |pairs: &[(&str, &str)]| {
            Settings::resolve(&Overrides::default(), env(pairs))
                .unwrap_err()
                .to_string()
        };
        assert!(bad(&[("UNDERSIGNED_DATABASE_URL", "mysql://x")]).contains("unsupported database URL"));
        let e = bad(&[("UNDERSIGNED_SMTP_URL", "http://user:hunter2@mail")]);
        assert!(e.contains("smtp://") && !e.contains("hunter2"), "{e}");
        assert!(bad(&[("UNDERSIGNED_MAIL_FROM", "not an address")]).contains("UNDERSIGNED_MAIL_FROM"));
        assert!(bad(&[("UNDERSIGNED_BASE_URL", "example.org")]).contains("base_url"));
        assert!(bad(&[("UNDERSIGNED_LOG_FORMAT", "xml")]).contains("text or json"));
        assert!(bad(&[("UNDERSIGNED_RATE_LIMITS", "maybe")]).contains("on or off"));
        assert!(bad(&[("UNDERSIGNED_RATE_LIMIT_STORE", "redis")]).contains("process or database"));
        assert!(bad(&[("UNDERSIGNED_TRUSTED_PROXIES", "10.0.0.0/99")]).contains("trusted_proxies"));
        assert!(bad(&[("UNDERSIGNED_SECRET_KEY", "short")]).contains("32"));
        assert!(bad(&[("UNDERSIGNED_SMTP_CONNECTIONS", "0")]).contains("smtp_connections"));
        assert!(bad(&[("UNDERSIGNED_SMTP_CONNECTIONS", "many")]).contains("whole number"));
    }

    #[test]
    fn limits_proxies_and_secret() {
        let s = Settings::resolve(
            &Overrides::default(),
            env(&[
                ("UNDERSIGNED_RATE_LIMITS", "off"),
                ("UNDERSIGNED_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1"),
            ]),
        )
        .unwrap();
        assert!(!s.rate_limits_enabled);
        assert_eq!(s.trusted_proxies.len(), 2);
        let dir = tempfile::tempdir().unwrap();
        let s = Settings::for_data_dir(dir.path());
        let first = s.load_secret().unwrap();
        assert!(first.len() >= 32);
        assert_eq!(s.load_secret().unwrap(), first, "the generated key is kept");
    }

    #[test]
    fn unknown_file_keys_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("u.toml");
        std::fs::write(&file, "bnd = \"x\"\n").unwrap();
        let overrides = Overrides {
            config: Some(file),
            ..Default::default()
        };
        let e = Settings::resolve(&overrides, env(&[])).unwrap_err().to_string();
        assert!(e.contains("bnd"), "{e}");
    }
}
