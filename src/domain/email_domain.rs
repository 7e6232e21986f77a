use std::fmt;

/// An email domain as an organizer types it in the workspace (`@coop.ca` or
/// `coop.ca`), normalised as [`crate::domain::Email`] normalises addresses:
/// trimmed and lower-cased, so that it compares equal to the part after the
/// `@` of a stored address.
///
/// Only letters, digits, dots and hyphens get through, so a domain can go
/// into a SQL `LIKE` pattern as it is: it never holds `%` or `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailDomain(String);

/// The longest domain DNS allows (RFC 1035), and its longest label.
const DOMAIN_MAX: usize = 253;
const LABEL_MAX: usize = 63;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailDomainError {
    #[error("the domain is missing")]
    Empty,
    #[error("not a valid email domain")]
    Invalid,
}

impl EmailDomain {
    pub fn parse(input: &str) -> Result<EmailDomain, EmailDomainError> {
        let domain = input.trim().trim_start_matches('@').to_lowercase();
        if domain.is_empty() {
            return Err(EmailDomainError::Empty);
        }
        let labels: Vec<&str> = domain.split('.').collect();
        // A dotless domain is legal but never what an organizer meant, as
        // for signers' addresses.
        let valid = domain.len() <= DOMAIN_MAX
            && labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= LABEL_MAX
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !valid {
            return Err(EmailDomainError::Invalid);
        }
        Ok(EmailDomain(domain))
    }

    /// A domain read back from the database, where only parsed domains are
    /// written.
    pub fn from_stored(value: String) -> EmailDomain {
        EmailDomain(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_a_domain_with_or_without_its_at_sign() {
        for raw in [
            "coop.ca",
            "@coop.ca",
            "  @Coop.CA ",
            "mail.coop-quebec.qc.ca",
            "école.ca",
        ] {
            let parsed = EmailDomain::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(parsed.as_str(), raw.trim().trim_start_matches('@').to_lowercase());
        }
    }

    #[test]
    fn refuses_what_no_address_ends_with() {
        assert_eq!(EmailDomain::parse(" @ "), Err(EmailDomainError::Empty));
        for raw in [
            "coop",
            ".coop.ca",
            "coop.ca.",
            "coop..ca",
            "-coop.ca",
            "coop-.ca",
            "co op.ca",
            "co%op.ca",
            "co_op.ca",
            "a@coop.ca",
            &format!("{}.ca", "a".repeat(64)),
            &format!("{}ca", "a.".repeat(130)),
        ] {
            assert_eq!(EmailDomain::parse(raw), Err(EmailDomainError::Invalid), "{raw}");
        }
    }
}
