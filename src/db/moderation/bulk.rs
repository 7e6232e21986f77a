//! Hiding many signatures at once: by the domain of their addresses, by
//! when they were made, or both, seen by the organizer before it applies.

use super::{decide, Decision, Moderation, Selected};
use crate::db::schema::signatures;
use crate::db::{DbConn, DbError, Tx};
use crate::domain::zone::LocalTimeError;
use crate::domain::SiteZone;
use crate::domain::{EmailDomain, EmailDomainError};
use crate::model::{LetterId, OrganizerId, SignatureId, Tier};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What a bulk hide selects: an email domain, a time window, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bulk {
    pub domain: Option<EmailDomain>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

/// Why a bulk-hide form selects nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkProblem {
    /// Fields that do not parse, each with its reason, for the form to
    /// show beside them.
    Invalid {
        domain: bool,
        from: Option<LocalTimeError>,
        to: Option<LocalTimeError>,
    },
    /// No criterion at all: it would hide every signature.
    Empty,
}

/// The criteria as the audit log records them.
impl std::fmt::Display for Bulk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if let Some(d) = &self.domain {
            parts.push(format!("@{d}"));
        }
        match (self.from, self.to) {
            (None, None) => {}
            (from, to) => {
                let at = |t: Option<NaiveDateTime>| {
                    t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                        .unwrap_or_default()
                };
                parts.push(format!("{} – {}", at(from), at(to)).trim().to_string());
            }
        }
        f.write_str(&parts.join(" · "))
    }
}

impl Bulk {
    /// The criteria as typed in the form: a domain (with or without its
    /// `@`), and times as the browser's `datetime-local` sends them, on
    /// the site's clock.
    pub fn parse(domain: &str, from: &str, to: &str, zone: SiteZone) -> Result<Bulk, BulkProblem> {
        let domain = match EmailDomain::parse(domain) {
            Ok(d) => Ok(Some(d)),
            Err(EmailDomainError::Empty) => Ok(None),
            Err(EmailDomainError::Invalid) => Err(()),
        };
        let time = |raw: &str| match raw.trim() {
            "" => Ok(None),
            t => zone.parse_input(t).map(Some),
        };
        let (domain, from, to) = match (domain, time(from), time(to)) {
            (Ok(d), Ok(f), Ok(t)) => (d, f, t),
            (d, f, t) => {
                return Err(BulkProblem::Invalid {
                    domain: d.is_err(),
                    from: f.err(),
                    to: t.err(),
                })
            }
        };
        if domain.is_none() && from.is_none() && to.is_none() {
            return Err(BulkProblem::Empty);
        }
        Ok(Bulk { domain, from, to })
    }
}

fn bulk_query<'a>(letter_id: &'a str, b: &'a Bulk) -> signatures::BoxedQuery<'a, crate::db::MultiBackend> {
    let mut q = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(signatures::tier.eq(Tier::Public))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::moderation.ne(Moderation::Hidden))
        .into_boxed();
    if let Some(d) = &b.domain {
        // An EmailDomain holds no LIKE wildcard. Its subdomains go with it:
        // "spam.example" takes "x@mail.spam.example", never
        // "x@notspam.example".
        q = q.filter(
            signatures::email
                .like(format!("%@{d}"))
                .or(signatures::email.like(format!("%.{d}"))),
        );
    }
    if let Some(from) = b.from {
        q = q.filter(signatures::created_at.ge(from));
    }
    if let Some(to) = b.to {
        q = q.filter(signatures::created_at.lt(to));
    }
    q
}

pub fn bulk_count(conn: &mut DbConn, letter_id: &LetterId, b: &Bulk) -> Result<i64, DbError> {
    Ok(bulk_query(letter_id, b).count().get_result(conn)?)
}

/// The first `limit` names a bulk hide would take, in list order, for the
/// organizer to see before applying it.
pub fn bulk_names(
    conn: &mut DbConn,
    letter_id: &LetterId,
    b: &Bulk,
    limit: i64,
) -> Result<Vec<String>, DbError> {
    Ok(bulk_query(letter_id, b)
        .order(signatures::sort_key.asc())
        .select(signatures::name)
        .limit(limit)
        .load(conn)?)
}

pub fn bulk_hide(
    tx: &mut Tx<'_>,
    letter_id: &LetterId,
    b: &Bulk,
    exclude: bool,
    by: &OrganizerId,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let conn: &mut DbConn = tx;
    let ids: Vec<SignatureId> = bulk_query(letter_id, b).select(signatures::id).load(conn)?;
    let decision = if exclude {
        Decision::HideAndExclude
    } else {
        Decision::Hide
    };
    let mut changed = 0;
    for chunk in ids.chunks(500) {
        let chunk: Vec<Selected> = chunk
            .iter()
            .map(|id| Selected {
                id: id.clone(),
                seen: None,
            })
            .collect();
        changed += decide(conn, letter_id, &chunk, decision, by, now)?;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_criteria_parse_once_and_read_back_for_the_audit_log() {
        let z = SiteZone::default();
        // Typed on Quebec's clock (UTC−5 in March), stored and logged in UTC.
        let b = Bulk::parse(" @Spam.EXAMPLE ", "2026-03-01T10:00", "", z).expect("valid criteria");
        assert_eq!(b.domain.as_ref().map(|d| d.as_str()), Some("spam.example"));
        assert_eq!(b.to_string(), "@spam.example · 2026-03-01 15:00 UTC –");
        assert_eq!(Bulk::parse("", "", "", z), Err(BulkProblem::Empty));
        let invalid = |domain, from, to| Err(BulkProblem::Invalid { domain, from, to });
        assert_eq!(Bulk::parse("spam", "", "", z), invalid(true, None, None));
        assert_eq!(Bulk::parse("sp%m.example", "", "", z), invalid(true, None, None));
        let malformed = Some(LocalTimeError::Malformed);
        assert_eq!(
            Bulk::parse("", "yesterday", "", z),
            invalid(false, malformed, None)
        );
        assert_eq!(
            Bulk::parse("spam", "2026-03-01T10:00", "2026-03-08T02:30", z),
            invalid(true, None, Some(LocalTimeError::Skipped))
        );
    }
}
