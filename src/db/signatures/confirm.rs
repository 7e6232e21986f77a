//! Confirming a signature through its emailed link.

use super::{encode_titles, LinkError, TokenTarget};
use crate::db::cached::{ConfirmManyOnPg, ConfirmSignature, ConfirmedRow};
use crate::db::tokens::{self as token_store, Purpose};
use crate::db::{write_tx, DbConn, DbError, PooledConn, Tx};
use crate::domain::search::search_words;
use crate::domain::{sort_key, LinkKey, Proposal, Token, TokenHash};
use crate::model::{Moderation, SignatureStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashSet;

#[derive(Debug, Clone)]
pub struct Confirmed {
    pub letter_id: crate::model::LetterId,
    /// What was confirmed: exactly what the confirmation page showed.
    pub content: Proposal,
    /// Where the signature stands now: shown, or held for review.
    pub moderation: Moderation,
    /// False when an earlier link had already confirmed this signature.
    pub newly_confirmed: bool,
    pub withdraw: Token,
    pub manage: Token,
}

/// Confirms the signature a confirmation token points to, uses the token up,
/// and gives the manage and withdrawal links for the page that follows.
pub fn confirm(
    conn: &mut PooledConn,
    token: &Token,
    key: &LinkKey,
    now: NaiveDateTime,
) -> Result<Result<Confirmed, LinkError>, DbError> {
    write_tx(conn, |tx| confirm_in_tx(tx, token, key, now))
}

/// [`confirm`] inside a transaction the caller opened. The signature takes
/// the content its link was issued for, and that content goes through the
/// one visibility rule.
pub fn confirm_in_tx(
    tx: &mut Tx<'_>,
    token: &Token,
    key: &LinkKey,
    now: NaiveDateTime,
) -> Result<Result<Confirmed, LinkError>, DbError> {
    let request = ConfirmRequest { token, key, now };
    let mut outcomes = confirm_many(tx, std::slice::from_ref(&request))?;
    outcomes
        .pop()
        .ok_or_else(|| DbError::Corrupt("a confirmation came back without its outcome".into()))
}

/// One confirmation link followed, at `now`, and the key its manage and
/// withdrawal links are derived with.
#[derive(Clone, Copy)]
pub struct ConfirmRequest<'a> {
    pub token: &'a Token,
    pub key: &'a LinkKey,
    pub now: NaiveDateTime,
}

/// Several confirmations in one transaction, with the outcome of each in
/// the order given: exactly what [`confirm_in_tx`] would have done to
/// each, one after the other. On PostgreSQL the links are read in one
/// statement and the signatures written in another, whatever their
/// number (the group writer hands a whole batch here); a statement there
/// is a round trip and a plan. Two requests for one link or one signature
/// never share a round: the later waits for the next, and reads what the
/// earlier wrote, as it would have one after the other.
pub fn confirm_many(
    tx: &mut Tx<'_>,
    requests: &[ConfirmRequest<'_>],
) -> Result<Vec<Result<Confirmed, LinkError>>, DbError> {
    let conn: &mut DbConn = tx;
    let hashes: Vec<TokenHash> = requests.iter().map(|r| r.token.hash()).collect();
    let mut outcomes: Vec<Option<Result<Confirmed, LinkError>>> = requests.iter().map(|_| None).collect();
    let mut todo: Vec<usize> = (0..requests.len()).collect();
    while !todo.is_empty() {
        let (round, mut later) = one_per_link(&todo, &hashes);
        let links: Vec<(&TokenHash, NaiveDateTime)> =
            round.iter().map(|&i| (&hashes[i], requests[i].now)).collect();
        let targets = super::lookup_links(conn, &links, Purpose::Confirm)?;
        let mut writes: Vec<Write> = Vec::new();
        let mut signatures = HashSet::new();
        for (i, target) in round.into_iter().zip(targets) {
            let target = match target {
                Ok(t) if t.letter_open => t,
                Ok(t) => {
                    outcomes[i] = Some(Err(LinkError::LetterClosed {
                        letter_id: t.letter_id,
                    }));
                    continue;
                }
                Err(e) => {
                    outcomes[i] = Some(Err(e));
                    continue;
                }
            };
            if !signatures.insert(target.signature_id.clone()) {
                later.push(i);
                continue;
            }
            if target.signature_status == SignatureStatus::Pending {
                writes.push(prepare(conn, i, requests[i].now, target)?);
            } else {
                // Confirmed already, through another link: this one is
                // spent, and the page says so.
                let request = &requests[i];
                token_store::mark_used(conn, &hashes[i], request.now)?;
                let moderation = target.moderation;
                outcomes[i] = Some(Ok(finish(conn, request, target, moderation, false)?));
            }
        }
        // In one order, whoever writes: two PostgreSQL writers confirming
        // the same signatures (two links of each, followed at once) then
        // take their rows one after the other instead of crosswise, where
        // each would wait on the other until the deadlock check (a
        // second) rolls one back.
        writes.sort_by(|a, b| a.target.signature_id.as_str().cmp(b.target.signature_id.as_str()));
        let written = write_confirmations(conn, &writes, &hashes)?;
        for (write, stored) in writes.into_iter().zip(written) {
            let request = &requests[write.request];
            outcomes[write.request] = Some(if stored {
                Ok(finish(conn, request, write.target, write.moderation, true)?)
            } else {
                // Withdrawn (or confirmed) by a transaction that committed
                // after this one read the row.
                Err(LinkError::Used)
            });
        }
        later.sort_unstable();
        todo = later;
    }
    outcomes
        .into_iter()
        .map(|o| o.ok_or_else(|| DbError::Corrupt("a confirmation was left without an outcome".into())))
        .collect()
}

/// The requests of `todo` whose link is the first of its kind there, and
/// the others, for a later round.
fn one_per_link(todo: &[usize], hashes: &[TokenHash]) -> (Vec<usize>, Vec<usize>) {
    let mut seen = HashSet::new();
    todo.iter().partition(|&&i| seen.insert(hashes[i].as_str()))
}

/// A pending signature about to be confirmed: the request it answers, what
/// its link said, and what the signature becomes.
struct Write {
    request: usize,
    target: TokenTarget,
    moderation: Moderation,
    verified: Option<String>,
    sort_key: String,
    titles: String,
    at: NaiveDateTime,
}

impl Write {
    fn update(&self) -> ConfirmSignature<'_> {
        let content = &self.target.content;
        ConfirmSignature {
            id: self.target.signature_id.as_str(),
            at: self.at,
            moderation: self.moderation.as_str(),
            name: &content.name,
            sort_key: &self.sort_key,
            titles: &self.titles,
            city: content.city.as_deref(),
            is_public: content.is_public,
            wants_updates: content.wants_updates,
            language: content.language.code(),
            consent_version: &content.consent_version,
            consent_at: self.target.proposed_at.unwrap_or(self.at),
            consent_letter_version: content.letter_version.or(self.target.stored_letter_version),
            verified_lines: self.verified.as_deref(),
        }
    }
}

/// Where the confirmed content places the signature (the one visibility
/// rule), and its verified affiliation lines.
fn prepare(
    conn: &mut DbConn,
    request: usize,
    at: NaiveDateTime,
    target: TokenTarget,
) -> Result<Write, DbError> {
    let content = &target.content;
    let moderation = crate::db::visibility::place_signature(
        conn,
        &target.letter_id,
        target.rules,
        &content.name,
        content.is_public,
        None,
        false,
    )?;
    let verified = if target.any_affiliation {
        crate::db::affiliations::lines_for(conn, &target.letter_id, target.email.as_deref(), &content.titles)?
    } else {
        None
    };
    Ok(Write {
        request,
        sort_key: sort_key(&content.name),
        titles: encode_titles(&content.titles),
        moderation,
        verified,
        at,
        target,
    })
}

/// The outcome the page shows, with the signer's links.
fn finish(
    conn: &mut DbConn,
    request: &ConfirmRequest<'_>,
    target: TokenTarget,
    moderation: Moderation,
    newly_confirmed: bool,
) -> Result<Confirmed, DbError> {
    let (manage, withdraw) = match links_of(request.token, request.key, target.links_key) {
        Some(pair) => pair,
        None => token_store::issue_links(conn, &target.signature_id, request.now)?,
    };
    Ok(Confirmed {
        letter_id: target.letter_id,
        content: target.content,
        moderation,
        newly_confirmed,
        withdraw,
        manage,
    })
}

/// Writes newly confirmed signatures, the search words of what was
/// confirmed (a pending signature has none yet to replace), and spends
/// their links; says for each whether it was written. A signature no
/// longer pending gets nothing written. On PostgreSQL one statement does
/// it all for every signature (each statement is a round trip there); on
/// SQLite cached statements are function calls.
fn write_confirmations(
    conn: &mut DbConn,
    writes: &[Write],
    hashes: &[TokenHash],
) -> Result<Vec<bool>, DbError> {
    if writes.is_empty() {
        return Ok(Vec::new());
    }
    if let DbConn::Pg(c) = conn {
        let rows: Vec<ConfirmedRow<'_>> = writes
            .iter()
            .map(|w| ConfirmedRow {
                update: w.update(),
                words: search_words(&w.target.content.name, &w.target.content.titles),
                hash: hashes[w.request].as_str(),
            })
            .collect();
        let stored: HashSet<String> = ConfirmManyOnPg::new(&rows)
            .load::<String>(c)?
            .into_iter()
            .collect();
        return Ok(writes
            .iter()
            .map(|w| stored.contains(w.target.signature_id.as_str()))
            .collect());
    }
    writes
        .iter()
        .map(|w| {
            let update = w.update();
            let updated = update.run(conn, w.target.moderation.as_str())?;
            if updated == 0 {
                return Ok(false);
            }
            let content = &w.target.content;
            super::search::index_new(
                conn,
                update.id,
                &w.target.letter_id,
                &content.name,
                &content.titles,
            )?;
            token_store::mark_used(conn, &hashes[w.request], w.at)?;
            Ok(true)
        })
        .collect()
}

/// The pair stored with the confirmation link at signing, when this key
/// derived it: then the page shows the email's own links and stores none.
/// Otherwise (links from before derivation, or a secret changed since) the
/// caller issues a fresh pair.
fn links_of(token: &Token, key: &LinkKey, derived_by: Option<i64>) -> Option<(Token, Token)> {
    if derived_by == Some(key.id()) {
        key.pair(token)
    } else {
        None
    }
}
