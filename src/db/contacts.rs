//! Who is behind a letter: the contact person and the privacy officer,
//! four columns of `letters` read and written with the rest of the letter
//! (embedded in its row and in what the editor writes).

use super::schema::letters;
use super::{DbConn, DbError};
use crate::domain::contacts::{Contacts, Person};
use crate::model::LetterStatus;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = letters)]
pub(super) struct ContactColumns {
    contact_name: String,
    contact_email: String,
    privacy_officer_name: String,
    privacy_officer_email: String,
}

impl From<&Contacts> for ContactColumns {
    fn from(c: &Contacts) -> ContactColumns {
        ContactColumns {
            contact_name: c.contact.name().to_string(),
            contact_email: c.contact.email().to_string(),
            privacy_officer_name: c.privacy_officer.name().to_string(),
            privacy_officer_email: c.privacy_officer.email().to_string(),
        }
    }
}

impl From<ContactColumns> for Contacts {
    fn from(c: ContactColumns) -> Contacts {
        Contacts {
            contact: Person::from_stored(c.contact_name, c.contact_email),
            privacy_officer: Person::from_stored(c.privacy_officer_name, c.privacy_officer_email),
        }
    }
}

/// A public letter that names its own privacy officer, for the privacy
/// page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterOfficer {
    pub slug: String,
    pub title: String,
    pub officer: Person,
}

/// The public letters (archived ones included: their lists stay online)
/// that name their own privacy officer, by title.
pub fn public_officers(conn: &mut DbConn) -> Result<Vec<LetterOfficer>, DbError> {
    let rows: Vec<(String, String, String, String)> = letters::table
        .filter(letters::status.eq_any([LetterStatus::Published.as_str(), LetterStatus::Closed.as_str()]))
        .filter(
            letters::privacy_officer_name
                .ne("")
                .or(letters::privacy_officer_email.ne("")),
        )
        .order((letters::title.asc(), letters::id.asc()))
        .select((
            letters::slug,
            letters::title,
            letters::privacy_officer_name,
            letters::privacy_officer_email,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(slug, title, name, email)| LetterOfficer {
            slug,
            title,
            officer: Person::from_stored(name, email),
        })
        .collect())
}
