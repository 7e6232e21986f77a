//! The optional TOML file, one layer of the settings.

use super::{ConfigError, LogFormat};
use crate::domain::email_rules::DomainRule;
use crate::web::limits::LimitSettings;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The optional TOML file. Unknown keys are refused, so a typo is an error
/// rather than a silently ignored setting.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSettings {
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub bind: Option<String>,
    pub base_url: Option<String>,
    pub smtp_url: Option<String>,
    pub smtp_connections: Option<usize>,
    pub mail_from: Option<String>,
    pub log_format: Option<LogFormat>,
    pub confirm_ttl_hours: Option<u64>,
    pub max_sends_per_address: Option<i32>,
    pub pool_size: Option<u32>,
    pub http_workers: Option<usize>,
    pub outbox_retry_base_ms: Option<u64>,
    pub outbox_retry_max_ms: Option<u64>,
    pub outbox_poll_ms: Option<u64>,
    pub outbox_lease_ms: Option<u64>,
    pub count_cache_ms: Option<u64>,
    pub secret_key: Option<String>,
    pub rate_limits: Option<String>,
    pub rate_limit_store: Option<String>,
    pub limits: Option<LimitSettings>,
    pub trusted_proxies: Option<Vec<String>>,
    pub email_rules: Option<BTreeMap<String, DomainRule>>,
    pub min_fill_ms: Option<u64>,
    pub purge_interval_s: Option<u64>,
    pub anonymise_after_days: Option<u32>,
    pub session_idle_minutes: Option<u64>,
    pub notify_interval_hours: Option<u64>,
    pub mailing_per_minute: Option<u32>,
    pub access_log_every: Option<u32>,
    pub dkim_key_file: Option<String>,
    pub dkim_selector: Option<String>,
    pub dkim_domain: Option<String>,
    pub dkim_algorithm: Option<String>,
    pub session_lifetime_hours: Option<u64>,
    pub metrics_token: Option<String>,
    pub database_connect_timeout_s: Option<u64>,
    pub database_statement_timeout_s: Option<u64>,
    pub database_lock_timeout_s: Option<u64>,
    pub sqlite_synchronous: Option<String>,
    pub sqlite_cache_mib: Option<u32>,
    pub pg_writers: Option<u32>,
    pub shutdown_timeout_s: Option<u64>,
    pub time_zone: Option<String>,
    pub privacy_officer_name: Option<String>,
    pub privacy_officer_email: Option<String>,
}

pub(super) fn read(path: &Path) -> Result<FileSettings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::ReadFile {
        path: path.display().to_string(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::ParseFile {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}
