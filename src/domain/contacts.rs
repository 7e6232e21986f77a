//! Who is behind a letter and how to reach them: a contact person for the
//! press and the public, and the person responsible for the protection of
//! personal information that Quebec's Law 25 requires the organization
//! collecting the signatures to name. Both belong to the letter: its
//! organizers are that organization. A letter that names no officer falls
//! back on the site's (`privacy_officer_name` and `_email` in the settings).

use super::email::{Email, EmailError};
use super::text::{is_bidi_control, TextError};

/// Longest name, in characters: a person, or "Direction des communications".
pub const PERSON_NAME_MAX: usize = 200;

/// A name and an email address, each of which may be empty; an address
/// given is a valid one, lower-cased like every stored address.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    name: String,
    email: String,
}

/// Why a person's fields were refused, field by field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonError {
    pub name: Option<TextError>,
    pub email: Option<EmailError>,
}

impl Person {
    pub fn parse(name: &str, email: &str) -> Result<Person, PersonError> {
        let name = parse_name(name);
        let email = match email.trim() {
            "" => Ok(String::new()),
            e => Email::parse(e).map(|e| e.as_str().to_string()),
        };
        match (name, email) {
            (Ok(name), Ok(email)) => Ok(Person { name, email }),
            (name, email) => Err(PersonError {
                name: name.err(),
                email: email.err(),
            }),
        }
    }

    /// Read back from the database or the settings, where only parsed
    /// values are written.
    pub fn from_stored(name: String, email: String) -> Person {
        Person { name, email }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn email(&self) -> &str {
        &self.email
    }

    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.email.is_empty()
    }

    /// This person, or `fallback` when this one is not named at all.
    pub fn or<'a>(&'a self, fallback: &'a Person) -> &'a Person {
        if self.is_empty() {
            fallback
        } else {
            self
        }
    }
}

/// An optional one-line name: typography kept, surrounding blanks dropped.
fn parse_name(value: &str) -> Result<String, TextError> {
    let value = value.trim();
    if value.chars().any(char::is_control) {
        return Err(TextError::ControlCharacter);
    }
    if value.chars().any(is_bidi_control) {
        return Err(TextError::BidiOverride);
    }
    if value.chars().count() > PERSON_NAME_MAX {
        return Err(TextError::TooLong { max: PERSON_NAME_MAX });
    }
    Ok(value.to_string())
}

/// The people a letter names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contacts {
    /// Whom journalists and readers write to.
    pub contact: Person,
    /// The person responsible for personal information (Law 25).
    pub privacy_officer: Person,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_are_optional_and_trimmed() {
        let p = Person::parse("  Julie Côté ", " Presse@Coop.QC.ca ").unwrap();
        assert_eq!((p.name(), p.email()), ("Julie Côté", "presse@coop.qc.ca"));
        assert!(Person::parse("", "").unwrap().is_empty());
        assert_eq!(Person::parse("Julie", "").unwrap().email(), "");
    }

    #[test]
    fn refuses_each_bad_part() {
        let e = Person::parse("Julie\u{202e}", "not-an-address").unwrap_err();
        assert_eq!(e.name, Some(TextError::BidiOverride));
        assert_eq!(e.email, Some(EmailError::Invalid));
        let e = Person::parse("a\nb", "ok@example.org").unwrap_err();
        assert_eq!((e.name, e.email), (Some(TextError::ControlCharacter), None));
        let long = "x".repeat(PERSON_NAME_MAX + 1);
        assert!(Person::parse(&long, "").is_err());
        assert!(Person::parse("", "nodot@localhost").is_err());
    }

    #[test]
    fn falls_back_only_when_nobody_is_named() {
        let site = Person::parse("Site", "dpo@example.org").unwrap();
        let none = Person::default();
        assert_eq!(none.or(&site), &site);
        let own = Person::parse("", "own@example.org").unwrap();
        assert_eq!(own.or(&site), &own);
    }
}
