//! The site's time zone: `UNDERSIGNED_TIME_ZONE`, then the file's
//! `time_zone`, then America/Toronto. A name the time-zone database does not
//! know stops the start rather than showing times on the wrong clock.

use super::{ConfigError, FileSettings};
use crate::domain::SiteZone;

pub(super) fn time_zone(
    file: &FileSettings,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<SiteZone, ConfigError> {
    match env("UNDERSIGNED_TIME_ZONE").or_else(|| file.time_zone.clone()) {
        None => Ok(SiteZone::default()),
        Some(name) => name
            .parse()
            .map_err(|e: crate::domain::zone::UnknownZone| ConfigError::Invalid {
                setting: "UNDERSIGNED_TIME_ZONE",
                message: e.to_string(),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toronto_unless_told() {
        let file = FileSettings::default();
        assert_eq!(time_zone(&file, &|_| None).unwrap().name(), "America/Toronto");
        let file = FileSettings {
            time_zone: Some("America/Halifax".into()),
            ..FileSettings::default()
        };
        assert_eq!(time_zone(&file, &|_| None).unwrap().name(), "America/Halifax");
        let env = |k: &str| (k == "UNDERSIGNED_TIME_ZONE").then(|| "Europe/Paris".to_string());
        assert_eq!(time_zone(&file, &env).unwrap().name(), "Europe/Paris");
        let bad = |k: &str| (k == "UNDERSIGNED_TIME_ZONE").then(|| "America/Montreal-Nord".to_string());
        let err = time_zone(&file, &bad).unwrap_err().to_string();
        assert!(err.contains("America/Montreal-Nord"), "{err}");
    }
}
