//! Use cases: one function per thing a person does. Each takes typed input
//! and a `Tx`, makes its change, writes its audit row and queues its mail
//! in that one transaction, and returns a typed outcome for the handler to
//! render. A promise the service makes is kept here, once, whatever route
//! leads to it; handlers only extract, call and render.
//!
//! A `Tx` comes only from the transaction runner (`web::run_write`, or
//! `db::write_tx` in the command line), so a use case cannot open a second
//! transaction inside its own.

pub mod imports;
pub mod letters;
pub mod mailings;
pub mod moderation;
pub mod organizers;
pub mod press;
pub mod schedule;
pub mod signatories;
pub mod signing;
pub mod team;

pub use crate::db::Tx;

use crate::db::audit::{self, Record};
use crate::db::DbError;
use crate::model::{AuditAction, AuditArgs, LetterId, OrganizerId, Role};
use chrono::NaiveDateTime;

/// An organizer acting, with what the access check found.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: OrganizerId,
    pub email: String,
    /// Their role on the letter acted on; `None` for site-wide actions, or
    /// for an admin who is not on the letter.
    pub role: Option<Role>,
    pub admin: bool,
}

impl Actor {
    /// The letter's owner, or an admin: may share, anonymise, export
    /// addresses and email the signers.
    pub fn owns(&self) -> bool {
        self.admin || self.role == Some(Role::Owner)
    }
}

/// Why a use case did nothing. The handler answers each with its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The actor's role does not allow it (403).
    Forbidden,
    /// Not in the letter's current state, or a choice that does not exist
    /// (400).
    NotAllowed,
    /// The row it names is not there, or not on this letter (404).
    NotFound,
    /// A schedule for a time already past (400).
    InThePast,
}

/// What a use case answers: done (with its outcome) or refused, or the
/// database failed.
pub type Outcome<T> = Result<Result<T, Refused>, DbError>;

/// The audit row for `actor`'s action on `letter`, with the names, counts
/// and times its sentence shows.
fn audit(
    tx: &mut Tx<'_>,
    by: &OrganizerId,
    letter: Option<&LetterId>,
    action: AuditAction,
    args: AuditArgs,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    audit::record(tx, Record::new(Some(by), letter, action, args), now)
}
