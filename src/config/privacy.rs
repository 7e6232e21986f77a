//! The site's person responsible for personal information (Quebec's Law
//! 25): `UNDERSIGNED_PRIVACY_OFFICER_NAME` and `_EMAIL`, then the file's
//! `privacy_officer_name` and `privacy_officer_email`. Each letter may name
//! its own, since its organizers are the organization that collects the
//! signatures; this one stands for the letters that do not, and for the
//! site itself. A bad address stops the start rather than printing it.

use super::{ConfigError, FileSettings};
use crate::domain::contacts::Person;

pub(super) fn privacy_officer(
    file: &FileSettings,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Person, ConfigError> {
    let name = env("UNDERSIGNED_PRIVACY_OFFICER_NAME")
        .or_else(|| file.privacy_officer_name.clone())
        .unwrap_or_default();
    let email = env("UNDERSIGNED_PRIVACY_OFFICER_EMAIL")
        .or_else(|| file.privacy_officer_email.clone())
        .unwrap_or_default();
    Person::parse(&name, &email).map_err(|e| match e.email {
        Some(e) => ConfigError::Invalid {
            setting: "UNDERSIGNED_PRIVACY_OFFICER_EMAIL",
            message: format!("{email:?}: {e}"),
        },
        None => ConfigError::Invalid {
            setting: "UNDERSIGNED_PRIVACY_OFFICER_NAME",
            message: e.name.map(|e| e.to_string()).unwrap_or_default(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_unless_told_and_the_environment_first() {
        let file = FileSettings::default();
        assert!(privacy_officer(&file, &|_| None).unwrap().is_empty());
        let file = FileSettings {
            privacy_officer_name: Some("Marc Roy".into()),
            privacy_officer_email: Some("dpo@example.org".into()),
            ..FileSettings::default()
        };
        let p = privacy_officer(&file, &|_| None).unwrap();
        assert_eq!((p.name(), p.email()), ("Marc Roy", "dpo@example.org"));
        let env = |k: &str| (k == "UNDERSIGNED_PRIVACY_OFFICER_EMAIL").then(|| "vp@example.org".to_string());
        assert_eq!(privacy_officer(&file, &env).unwrap().email(), "vp@example.org");
        let bad = |k: &str| (k == "UNDERSIGNED_PRIVACY_OFFICER_EMAIL").then(|| "vp@".to_string());
        let err = privacy_officer(&file, &bad).unwrap_err().to_string();
        assert!(err.contains("UNDERSIGNED_PRIVACY_OFFICER_EMAIL"), "{err}");
    }
}
