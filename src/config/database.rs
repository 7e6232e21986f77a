//! The database connection settings: PostgreSQL's timeouts and SQLite's
//! durability, each from the environment or else the file.

use super::file::FileSettings;
use super::ConfigError;
use crate::db::{DbOptions, SqliteSync};
use std::time::Duration;

pub(super) fn database_options(
    file: &FileSettings,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<DbOptions, ConfigError> {
    let defaults = DbOptions::default();
    let seconds = |name: &'static str, from_file: Option<u64>, default: Duration| match env(name) {
        Some(v) => v
            .trim()
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| ConfigError::Invalid {
                setting: name,
                message: format!("{v:?} is not a whole number of seconds"),
            }),
        None => Ok(from_file.map(Duration::from_secs).unwrap_or(default)),
    };
    let sync_text = env("UNDERSIGNED_SQLITE_SYNCHRONOUS").or_else(|| file.sqlite_synchronous.clone());
    let sqlite_sync = match sync_text {
        None => defaults.sqlite_sync,
        Some(v) => SqliteSync::parse(&v).ok_or_else(|| ConfigError::Invalid {
            setting: "sqlite_synchronous",
            message: format!("{v:?}: use full or normal"),
        })?,
    };
    let cache_mib =
        match env("UNDERSIGNED_SQLITE_CACHE_MIB") {
            Some(v) => Some(v.trim().parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                ConfigError::Invalid {
                    setting: "sqlite_cache_mib",
                    message: format!("{v:?} is not a whole number of MiB, at least 1"),
                }
            })?),
            None => file.sqlite_cache_mib.map(|n| n.max(1)),
        };
    let pg_writers = match env("UNDERSIGNED_PG_WRITERS") {
        Some(v) => v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 64)
            .ok_or_else(|| ConfigError::Invalid {
                setting: "pg_writers",
                message: format!("{v:?} is not a whole number from 0 to 64"),
            })?,
        None => file.pg_writers.unwrap_or(defaults.pg_writers).min(64),
    };
    Ok(DbOptions {
        connect_timeout: seconds(
            "UNDERSIGNED_DATABASE_CONNECT_TIMEOUT_S",
            file.database_connect_timeout_s,
            defaults.connect_timeout,
        )?,
        statement_timeout: seconds(
            "UNDERSIGNED_DATABASE_STATEMENT_TIMEOUT_S",
            file.database_statement_timeout_s,
            defaults.statement_timeout,
        )?,
        lock_timeout: seconds(
            "UNDERSIGNED_DATABASE_LOCK_TIMEOUT_S",
            file.database_lock_timeout_s,
            defaults.lock_timeout,
        )?,
        sqlite_sync,
        sqlite_cache_kib: cache_mib.map_or(defaults.sqlite_cache_kib, |m| m.saturating_mul(1024)),
        pg_writers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_over_file_over_defaults() {
        let file = FileSettings {
            database_statement_timeout_s: Some(20),
            database_lock_timeout_s: Some(3),
            sqlite_synchronous: Some("full".into()),
            ..FileSettings::default()
        };
        let env = |name: &str| (name == "UNDERSIGNED_DATABASE_LOCK_TIMEOUT_S").then(|| "4".to_string());
        let o = database_options(&file, &env).expect("valid");
        assert_eq!(o.connect_timeout, DbOptions::default().connect_timeout);
        assert_eq!(o.statement_timeout, Duration::from_secs(20));
        assert_eq!(o.lock_timeout, Duration::from_secs(4));
        assert_eq!(o.sqlite_sync, SqliteSync::Full);
        assert_eq!(o.sqlite_cache_kib, 4 * 1024);
        let small = FileSettings {
            sqlite_cache_mib: Some(16),
            ..FileSettings::default()
        };
        let o = database_options(&small, &|_: &str| None).expect("valid");
        assert_eq!(o.sqlite_cache_kib, 16 * 1024);
        assert!(o.sqlite_pragmas().contains("cache_size = -16384;"));
        let env = |name: &str| (name == "UNDERSIGNED_SQLITE_CACHE_MIB").then(|| "0".to_string());
        let e = database_options(&small, &env).unwrap_err().to_string();
        assert!(e.contains("sqlite_cache_mib"), "{e}");
        let none = database_options(&FileSettings::default(), &|_: &str| None).expect("defaults");
        assert_eq!(none, DbOptions::default());
    }

    #[test]
    fn bad_values_name_their_setting() {
        let env = |name: &str| (name == "UNDERSIGNED_SQLITE_SYNCHRONOUS").then(|| "off".to_string());
        let e = database_options(&FileSettings::default(), &env)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("sqlite_synchronous") && e.contains("full or normal"),
            "{e}"
        );
        let env = |name: &str| (name == "UNDERSIGNED_DATABASE_CONNECT_TIMEOUT_S").then(|| "5s".to_string());
        let e = database_options(&FileSettings::default(), &env)
            .unwrap_err()
            .to_string();
        assert!(e.contains("UNDERSIGNED_DATABASE_CONNECT_TIMEOUT_S"), "{e}");
    }
}
