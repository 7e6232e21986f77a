//! Many submissions of the signing form in one transaction: the group
//! writer's batches.

use super::submit::{submit_one, SubmitOutcome, SubmitRequest};
use super::{encode_titles, CONSENT_VERSION};
use crate::db::cached::{FirstSignature, SignManyOnPg};
use crate::db::{new_id, DbConn, DbError, Tx};
use crate::domain::sort_key;
use crate::model::SignatureId;
use diesel::{PgConnection, RunQueryDsl};
use std::collections::HashSet;

/// Several submissions in one transaction, with the outcome of each in the
/// order given: exactly what [`super::submit_in_tx`] would have done to
/// each, one after the other. On PostgreSQL the first submission of each
/// address in the lot is tried in one statement (each took three, and a
/// statement there is a round trip and a plan); what that statement did
/// not store (the address had signed, the letter closed) and any later
/// submission from the same address then take the long way, in order, and
/// read what the statement wrote. Submissions from different addresses
/// touch different rows, so they need no order among themselves.
pub fn submit_many(tx: &mut Tx<'_>, requests: &[SubmitRequest<'_>]) -> Result<Vec<SubmitOutcome>, DbError> {
    let conn: &mut DbConn = tx;
    let stored = match conn {
        DbConn::Pg(pg) => store_firsts(pg, requests)?,
        // SQLite's statements cost no round trip.
        DbConn::Sqlite(_) => return submit_each(tx, requests),
    };
    // The rest take the long way by letter and address, as the statement
    // took the firsts (see `SignManyOnPg`), so that two writers' batches
    // lock the rows they share in one order. The sort is stable: one
    // address's submissions keep their order, and different addresses
    // share nothing a submission reads, so each ends as it would have in
    // the batch's order.
    let mut rest: Vec<usize> = (0..requests.len()).filter(|&i| !stored[i]).collect();
    rest.sort_by_key(|&i| (requests[i].letter_id.as_str(), requests[i].sig.email_key.as_str()));
    let mut outcomes: Vec<Option<SubmitOutcome>> = stored
        .iter()
        .map(|&stored| stored.then_some(SubmitOutcome::Created))
        .collect();
    for i in rest {
        outcomes[i] = Some(submit_one(conn, &requests[i])?);
    }
    outcomes
        .into_iter()
        .map(|o| o.ok_or_else(|| DbError::Corrupt("a submission was left without an outcome".into())))
        .collect()
}

/// Each submission the long way, one after the other, each in statements
/// of its own (the first insert, then whatever follows): what
/// [`submit_many`] does on SQLite, and what it must come to on PostgreSQL.
pub fn submit_each(tx: &mut Tx<'_>, requests: &[SubmitRequest<'_>]) -> Result<Vec<SubmitOutcome>, DbError> {
    let conn: &mut DbConn = tx;
    requests.iter().map(|request| submit_one(conn, request)).collect()
}

/// The first submission of each address (on each letter) among `requests`:
/// whether the one statement stored it, by position. Only the first of an
/// address goes into the statement, so that the one stored is the one
/// that came first, whatever order the plan inserts its rows in.
fn store_firsts(conn: &mut PgConnection, requests: &[SubmitRequest<'_>]) -> Result<Vec<bool>, DbError> {
    let mut addresses = HashSet::new();
    let firsts: Vec<usize> = (0..requests.len())
        .filter(|&i| addresses.insert((requests[i].letter_id.as_str(), requests[i].sig.email_key.as_str())))
        .collect();
    let owned: Vec<Owned> = firsts.iter().map(|&i| Owned::of(&requests[i])).collect();
    let rows: Vec<FirstSignature<'_>> = firsts
        .iter()
        .zip(&owned)
        .map(|(&i, owned)| owned.row(&requests[i]))
        .collect();
    let ids: Vec<String> = SignManyOnPg::new(&rows).load(conn)?;
    let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut stored = vec![false; requests.len()];
    for (&i, owned) in firsts.iter().zip(&owned) {
        stored[i] = ids.contains(owned.id.as_str());
    }
    Ok(stored)
}

/// What a [`FirstSignature`] holds beyond the request's own values.
struct Owned {
    id: SignatureId,
    sort_key: String,
    titles: String,
    confirm_hash: String,
    manage_hash: String,
    withdraw_hash: String,
    outbox_id: String,
    links: String,
}

impl Owned {
    fn of(request: &SubmitRequest<'_>) -> Owned {
        let links = &request.prepared.links;
        Owned {
            id: SignatureId::generate(),
            sort_key: sort_key(request.sig.name.as_str()),
            titles: encode_titles(&request.sig.titles.to_vec()),
            confirm_hash: links.confirm.hash().into_string(),
            manage_hash: links.manage.hash().into_string(),
            withdraw_hash: links.withdraw.hash().into_string(),
            outbox_id: new_id(),
            links: links.to_stored(),
        }
    }

    fn row<'a>(&'a self, request: &SubmitRequest<'a>) -> FirstSignature<'a> {
        let (sig, prepared) = (request.sig, request.prepared);
        FirstSignature {
            id: self.id.as_str(),
            letter_id: request.letter_id.as_str(),
            at: request.now,
            name: sig.name.as_str(),
            sort_key: &self.sort_key,
            titles: &self.titles,
            email: sig.email.as_str(),
            email_key: &sig.email_key,
            city: sig.city.as_ref().map(|c| c.as_str()),
            is_public: sig.is_public,
            wants_updates: sig.wants_updates,
            language: sig.language.code(),
            consent_version: CONSENT_VERSION,
            confirm_hash: &self.confirm_hash,
            confirm_expires: request.now + request.policy.confirm_ttl,
            content: &prepared.content,
            links_key: prepared.links_key,
            manage_hash: &self.manage_hash,
            withdraw_hash: &self.withdraw_hash,
            outbox_id: &self.outbox_id,
            links: &self.links,
        }
    }
}

/// A submission that owns what it needs, as it waits for its batch on a
/// writer thread.
pub struct Submission {
    pub letter_id: crate::model::LetterId,
    pub sig: std::sync::Arc<crate::domain::NewSignature>,
    pub policy: super::SubmitPolicy,
    pub prepared: super::PreparedConfirmation,
    pub render: Box<dyn Fn(&super::EmailPlan) -> crate::db::outbox::NewEmail + Send>,
}

impl Submission {
    /// The submission as made at `now`.
    pub fn at(&self, now: chrono::NaiveDateTime) -> SubmitRequest<'_> {
        SubmitRequest {
            letter_id: &self.letter_id,
            sig: &self.sig,
            policy: &self.policy,
            now,
            prepared: &self.prepared,
            render: &*self.render,
        }
    }
}
