//! Affiliations verified by email domain.

use super::schema::{affiliation_domains as a, collected_signatures, signatures};
use super::{new_id, DbConn, DbError};
use crate::domain::fold::fold;
use crate::domain::EmailDomain;
use crate::model::LetterId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub id: String,
    pub affiliation: String,
    pub domain: EmailDomain,
}

pub fn list(conn: &mut DbConn, letter_id: &LetterId) -> Result<Vec<Mapping>, DbError> {
    let query = a::table
        .filter(a::letter_id.eq(letter_id))
        .order((a::affiliation.asc(), a::domain.asc()))
        .select((a::id, a::affiliation, a::domain));
    // Read at every confirmation with an address.
    let rows: Vec<(String, String, String)> = super::on_backend!(conn, c => query.load(c))?;
    Ok(rows
        .into_iter()
        .map(|(id, affiliation, domain)| Mapping {
            id,
            affiliation,
            domain: EmailDomain::from_stored(domain),
        })
        .collect())
}

pub fn add(
    conn: &mut DbConn,
    letter_id: &LetterId,
    affiliation: &str,
    domain: &EmailDomain,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(a::table)
        .values((
            a::id.eq(new_id()),
            a::letter_id.eq(letter_id),
            a::affiliation.eq(affiliation),
            a::domain.eq(domain.as_str()),
            a::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove(conn: &mut DbConn, letter_id: &LetterId, id: &str) -> Result<bool, DbError> {
    Ok(diesel::delete(a::table.filter(a::letter_id.eq(letter_id)).filter(a::id.eq(id))).execute(conn)? > 0)
}

/// True when `email_domain` is `domain` or one of its subdomains.
pub fn domain_matches(email_domain: &str, domain: &str) -> bool {
    email_domain == domain || email_domain.ends_with(&format!(".{domain}"))
}

/// The title lines a signer's address vouches for.
pub fn verified_lines(mappings: &[Mapping], email: &str, titles: &[String]) -> Vec<usize> {
    let email_domain = email.rsplit('@').next().unwrap_or("");
    let vouched: Vec<String> = mappings
        .iter()
        .filter(|m| domain_matches(email_domain, m.domain.as_str()))
        .map(|m| fold(&m.affiliation))
        .filter(|f| !f.is_empty())
        .collect();
    titles
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            let line = fold(t);
            vouched.iter().any(|aff| line.contains(aff.as_str()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The stored form of the lines `email` vouches for among `titles`, given
/// the letter's mappings: `None` when it vouches for none.
pub fn stored_lines(mappings: &[Mapping], email: Option<&str>, titles: &[String]) -> Option<String> {
    let lines = verified_lines(mappings, email?, titles);
    (!lines.is_empty()).then(|| serde_json::to_string(&lines).unwrap_or_default())
}

/// The stored verified lines for a signature with this address and these
/// titles on this letter. Run on every change of the lines, so that a mark
/// never outlives the text it vouched for.
pub fn lines_for(
    conn: &mut DbConn,
    letter_id: &LetterId,
    email: Option<&str>,
    titles: &[String],
) -> Result<Option<String>, DbError> {
    if email.is_none() {
        return Ok(None);
    }
    let mappings = list(conn, letter_id)?;
    Ok(stored_lines(&mappings, email, titles))
}

/// Computes the marks again for the confirmed signatures of a letter whose
/// address is in `domain` or a subdomain: after a mapping for that domain
/// was added or removed. Returns how many rows changed.
pub fn recompute_domain(
    conn: &mut DbConn,
    letter_id: &LetterId,
    domain: &EmailDomain,
) -> Result<usize, DbError> {
    let mappings = list(conn, letter_id)?;
    // An EmailDomain holds no LIKE wildcard.
    let rows: Vec<(String, Option<String>, String, Option<String>)> = signatures::table
        .filter(signatures::letter_id.eq(letter_id))
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(
            signatures::email
                .like(format!("%@{domain}"))
                .or(signatures::email.like(format!("%.{domain}")))
                // Rows whose address is gone (anonymised) keep no mark a
                // mapping no longer vouches for.
                .or(signatures::verified_lines.is_not_null()),
        )
        .select((
            signatures::id,
            signatures::email,
            signatures::titles,
            signatures::verified_lines,
        ))
        .load(conn)?;
    // A signature collected in person carries the address the organizer
    // typed up, which no email ever proved: it earns no mark by email.
    let in_person: std::collections::HashSet<String> = collected_signatures::table
        .filter(collected_signatures::letter_id.eq(letter_id))
        .select(collected_signatures::signature_id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut changed = 0;
    for (id, email, titles, stored) in rows {
        let lines = match in_person.contains(&id) {
            true => None,
            false => stored_lines(
                &mappings,
                email.as_deref(),
                &super::signatures::decode_titles(&titles),
            ),
        };
        if lines != stored {
            diesel::update(signatures::table.find(&id))
                .set(signatures::verified_lines.eq(lines))
                .execute(conn)?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The domain of one mapping of a letter, before it is removed.
pub fn domain_of(conn: &mut DbConn, letter_id: &LetterId, id: &str) -> Result<Option<EmailDomain>, DbError> {
    Ok(a::table
        .filter(a::letter_id.eq(letter_id))
        .filter(a::id.eq(id))
        .select(a::domain)
        .get_result(conn)
        .optional()?
        .map(EmailDomain::from_stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(aff: &str, domain: &str) -> Mapping {
        Mapping {
            id: String::new(),
            affiliation: aff.into(),
            domain: EmailDomain::parse(domain).expect("a test domain"),
        }
    }

    #[test]
    fn marks_lines_naming_the_affiliation_from_its_domain() {
        let maps = [m("Université Laval", "ulaval.ca")];
        let titles = vec![
            "Professeure, Département de sociologie, UNIVERSITE LAVAL".to_string(),
            "Membre de l’Ordre du Canada".to_string(),
        ];
        assert_eq!(verified_lines(&maps, "a@ulaval.ca", &titles), vec![0]);
        assert_eq!(
            verified_lines(&maps, "a@fsa.ulaval.ca", &titles),
            vec![0],
            "subdomains count"
        );
        assert!(verified_lines(&maps, "a@gmail.com", &titles).is_empty());
        assert!(verified_lines(&maps, "a@notulaval.ca", &titles).is_empty());
    }
}
