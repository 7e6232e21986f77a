//! The canonical form of an address, for finding duplicates. Some providers
//! deliver `Jean.Tremblay+petition@gmail.com` to `jeantremblay@gmail.com`;
//! without this, one person could sign many times.

use super::Email;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainRule {
    /// Dots in the local part are ignored by the provider.
    #[serde(default)]
    pub strip_dots: bool,
    /// Everything from the first `+` in the local part is ignored.
    #[serde(default)]
    pub strip_plus: bool,
    /// Another domain that delivers to the same mailboxes.
    #[serde(default)]
    pub same_as: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailRules {
    rules: BTreeMap<String, DomainRule>,
}

impl Default for EmailRules {
    /// Well-known providers whose behaviour is documented.
    fn default() -> Self {
        let mut rules = BTreeMap::new();
        let plus = DomainRule {
            strip_plus: true,
            ..Default::default()
        };
        rules.insert(
            "gmail.com".into(),
            DomainRule {
                strip_dots: true,
                strip_plus: true,
                same_as: None,
            },
        );
        rules.insert(
            "googlemail.com".into(),
            DomainRule {
                strip_dots: true,
                strip_plus: true,
                same_as: Some("gmail.com".into()),
            },
        );
        for domain in [
            "outlook.com",
            "hotmail.com",
            "live.com",
            "icloud.com",
            "me.com",
            "proton.me",
            "protonmail.com",
            "fastmail.com",
        ] {
            rules.insert(domain.into(), plus.clone());
        }
        EmailRules { rules }
    }
}

impl EmailRules {
    pub fn none() -> EmailRules {
        EmailRules {
            rules: BTreeMap::new(),
        }
    }

    /// Adds or replaces rules, for example from the configuration file.
    pub fn with(mut self, extra: BTreeMap<String, DomainRule>) -> EmailRules {
        for (domain, rule) in extra {
            self.rules.insert(domain.to_ascii_lowercase(), rule);
        }
        self
    }

    /// The key two addresses share when they reach the same mailbox.
    pub fn canonical(&self, email: &Email) -> String {
        let address = email.as_str();
        let Some((local, domain)) = address.rsplit_once('@') else {
            return address.to_string();
        };
        let Some(rule) = self.rules.get(domain) else {
            return address.to_string();
        };
        let mut local = local.to_string();
        if rule.strip_plus {
            if let Some(i) = local.find('+') {
                // Keep the address whole when nothing precedes the tag.
                if i > 0 {
                    local.truncate(i);
                }
            }
        }
        if rule.strip_dots {
            let stripped: String = local.chars().filter(|c| *c != '.').collect();
            if !stripped.is_empty() {
                local = stripped;
            }
        }
        let domain = rule.same_as.as_deref().unwrap_or(domain);
        format!("{local}@{domain}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(rules: &EmailRules, s: &str) -> String {
        rules.canonical(&Email::parse(s).unwrap())
    }

    #[test]
    fn default_providers() {
        let r = EmailRules::default();
        assert_eq!(
            canon(&r, "Jean.Tremblay+lettre@gmail.com"),
            "jeantremblay@gmail.com"
        );
        assert_eq!(canon(&r, "j.e.a.n@googlemail.com"), "jean@gmail.com");
        assert_eq!(canon(&r, "marie+x@outlook.com"), "marie@outlook.com");
        assert_eq!(
            canon(&r, "ma.rie@outlook.com"),
            "ma.rie@outlook.com",
            "dots matter at outlook"
        );
        assert_eq!(
            canon(&r, "jean.tremblay+x@ulaval.ca"),
            "jean.tremblay+x@ulaval.ca",
            "unknown domains untouched"
        );
        assert_eq!(canon(&r, "+tag@gmail.com"), "+tag@gmail.com");
    }

    #[test]
    fn configured_rules() {
        let mut extra = BTreeMap::new();
        extra.insert(
            "Coop.QC.ca".to_string(),
            DomainRule {
                strip_plus: true,
                ..Default::default()
            },
        );
        let r = EmailRules::none().with(extra);
        assert_eq!(canon(&r, "a+b@coop.qc.ca"), "a@coop.qc.ca");
        assert_eq!(canon(&r, "a+b@gmail.com"), "a+b@gmail.com");
    }
}
