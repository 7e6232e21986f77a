use std::fmt;

/// An email address, checked by lettre's parser and normalised for
/// comparison: trimmed and lower-cased, so that `Marie@Example.org` and
/// `marie@example.org` are the same signer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

pub const EMAIL_MAX: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the email address is missing")]
    Empty,
    #[error("the email address is too long")]
    TooLong,
    #[error("not a valid email address")]
    Invalid,
}

impl EmailError {
    pub fn message_id(&self) -> &'static str {
        match self {
            EmailError::Empty => "error-required",
            EmailError::TooLong => "error-email-too-long",
            EmailError::Invalid => "error-email-invalid",
        }
    }
}

impl Email {
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > EMAIL_MAX {
            return Err(EmailError::TooLong);
        }
        let normalized = trimmed.to_lowercase();
        // lettre's parser is the one that will build the envelope later, so
        // whatever it accepts here can be sent to.
        let address: lettre::Address = normalized.parse().map_err(|_| EmailError::Invalid)?;
        // A dotless domain is legal in RFC 5321 but never what a signer meant.
        if !address.domain().contains('.') || address.domain().ends_with('.') {
            return Err(EmailError::Invalid);
        }
        Ok(Email(normalized))
    }

    /// An address read back from the database, where only parsed addresses
    /// are written.
    pub fn from_stored(value: String) -> Email {
        Email(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit('@').next().unwrap_or("")
    }
}

/// Which part of signers' addresses an organizer sees: owners answer for
/// the list and see it whole; co-editors moderate and see only where an
/// address is from ("…@spam.example"), enough to spot a wave of fakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressView {
    Full,
    DomainOnly,
}

impl AddressView {
    pub fn for_owner(owns: bool) -> AddressView {
        match owns {
            true => AddressView::Full,
            false => AddressView::DomainOnly,
        }
    }

    /// A stored address as this organizer may see it.
    pub fn show(self, address: Option<String>) -> Option<String> {
        match self {
            AddressView::Full => address,
            AddressView::DomainOnly => address.map(|a| match a.rsplit_once('@') {
                Some((_, domain)) => format!("…@{domain}"),
                None => "…".to_string(),
            }),
        }
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        assert_eq!(
            Email::parse(" Marie.Tremblay@Example.ORG ").unwrap().as_str(),
            "marie.tremblay@example.org"
        );
    }

    #[test]
    fn refuses_invalid_addresses() {
        for bad in [
            "",
            "   ",
            "marie",
            "marie@",
            "@example.org",
            "marie@localhost",
            "a b@example.org",
            "marie@example.org\r\nBcc: x@y.z",
            "marie@exa mple.org",
            "marie@example.org.",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(EmailError::TooLong));
    }

    #[test]
    fn domain() {
        assert_eq!(Email::parse("a@ulaval.ca").unwrap().domain(), "ulaval.ca");
    }
}
