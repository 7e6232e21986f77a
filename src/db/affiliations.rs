//! Affiliations verified by email domain.

use super::schema::{affiliation_domains as a, signatures};
use super::{new_id, DbConn, DbError};
use crate::domain::fold::fold;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub id: String,
    pub affiliation: String,
    pub domain: String,
}

pub fn list(conn: &mut DbConn, letter_id: &str) -> Result<Vec<Mapping>, DbError> {
    Ok(a::table
        .filter(a::letter_id.eq(letter_id))
        .order((a::affiliation.asc(), a::domain.asc()))
        .select((a::id, a::affiliation, a::domain))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, affiliation, domain)| Mapping {
            id,
            affiliation,
            domain,
        })
        .collect())
}

pub fn add(
    conn: &mut DbConn,
    letter_id: &str,
    affiliation: &str,
    domain: &str,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    diesel::insert_into(a::table)
        .values((
            a::id.eq(new_id()),
            a::letter_id.eq(letter_id),
            a::affiliation.eq(affiliation),
            a::domain.eq(domain),
            a::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove(conn: &mut DbConn, letter_id: &str, id: &str) -> Result<bool, DbError> {
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
        .filter(|m| domain_matches(email_domain, &m.domain))
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

/// Marks the verified lines of a signature at confirmation.
pub fn mark_on_confirm(conn: &mut DbConn, letter_id: &str, signature_id: &str) -> Result<(), DbError> {
    let mappings = list(conn, letter_id)?;
    if mappings.is_empty() {
        return Ok(());
    }
    let (email, titles): (Option<String>, String) = signatures::table
        .find(signature_id)
        .select((signatures::email, signatures::titles))
        .get_result(conn)?;
    let Some(email) = email else {
        return Ok(());
    };
    let lines = verified_lines(&mappings, &email, &super::signatures::decode_titles(&titles));
    let stored = (!lines.is_empty()).then(|| serde_json::to_string(&lines).unwrap_or_default());
    diesel::update(signatures::table.find(signature_id))
        .set(signatures::verified_lines.eq(stored))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(aff: &str, domain: &str) -> Mapping {
        Mapping {
            id: String::new(),
            affiliation: aff.into(),
            domain: domain.into(),
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
