//! Whether rate limits apply, and where their counts live.

use super::file::FileSettings;
use super::ConfigError;
use crate::web::limits::LimitStore;

/// `UNDERSIGNED_RATE_LIMITS` or `rate_limits`: on unless turned off.
pub(super) fn rate_limits_enabled(
    file: &FileSettings,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<bool, ConfigError> {
    let Some(v) = env("UNDERSIGNED_RATE_LIMITS").or_else(|| file.rate_limits.clone()) else {
        return Ok(true);
    };
    match v.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "1" => Ok(true),
        "off" | "false" | "0" => Ok(false),
        _ => Err(ConfigError::Invalid {
            setting: "UNDERSIGNED_RATE_LIMITS",
            message: format!("{v:?}: use on or off"),
        }),
    }
}

/// `UNDERSIGNED_RATE_LIMIT_STORE` or `rate_limit_store`: this process's
/// memory unless the database is asked for.
pub(super) fn rate_limit_store(
    file: &FileSettings,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<LimitStore, ConfigError> {
    match env("UNDERSIGNED_RATE_LIMIT_STORE").or_else(|| file.rate_limit_store.clone()) {
        None => Ok(LimitStore::default()),
        Some(v) => LimitStore::parse(&v).ok_or_else(|| ConfigError::Invalid {
            setting: "rate_limit_store",
            message: format!("{v:?}: use process or database"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_is_the_process_unless_the_file_or_environment_says() {
        let none = |_: &str| None;
        let file = FileSettings {
            rate_limit_store: Some("database".into()),
            ..Default::default()
        };
        assert_eq!(
            rate_limit_store(&FileSettings::default(), &none).unwrap(),
            LimitStore::Process
        );
        assert_eq!(rate_limit_store(&file, &none).unwrap(), LimitStore::Database);
        let process = |k: &str| (k == "UNDERSIGNED_RATE_LIMIT_STORE").then(|| "Process".to_string());
        assert_eq!(
            rate_limit_store(&file, &process).unwrap(),
            LimitStore::Process,
            "the environment beats the file"
        );
        let typo = |k: &str| (k == "UNDERSIGNED_RATE_LIMIT_STORE").then(|| "databse".to_string());
        let e = rate_limit_store(&file, &typo).unwrap_err().to_string();
        assert!(
            e.contains("rate_limit_store") && e.contains("process or database"),
            "{e}"
        );
    }
}
