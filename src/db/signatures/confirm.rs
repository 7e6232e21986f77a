//! Confirming a signature through its emailed link.

use super::{encode_titles, lookup_link, LinkError};
use crate::db::cached::{ConfirmOnPg, ConfirmSignature, SpendToken};
use crate::db::tokens::{self as token_store, Purpose};
use crate::db::{write_tx, DbConn, DbError, PooledConn, Tx};
use crate::domain::search::search_words;
use crate::domain::{sort_key, LinkKey, Proposal, Token, TokenHash};
use crate::model::LetterId;
use crate::model::{Moderation, SignatureStatus};
use chrono::NaiveDateTime;
use diesel::prelude::*;

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
    let conn: &mut DbConn = tx;
    let hash = &token.hash();
    let target = match lookup_link(conn, hash, Purpose::Confirm, now)? {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    if !target.letter_open {
        return Ok(Err(LinkError::LetterClosed {
            letter_id: target.letter_id,
        }));
    }
    let newly_confirmed = target.signature_status == SignatureStatus::Pending;
    let mut moderation = target.moderation;
    let content = target.content;
    if newly_confirmed {
        moderation = crate::db::visibility::place_signature(
            conn,
            &target.letter_id,
            target.rules,
            &content.name,
            content.is_public,
            None,
            false,
        )?;
        let verified = if target.any_affiliation {
            crate::db::affiliations::lines_for(
                conn,
                &target.letter_id,
                target.email.as_deref(),
                &content.titles,
            )?
        } else {
            None
        };
        let update = ConfirmSignature {
            id: &target.signature_id,
            at: now,
            moderation: moderation.as_str(),
            name: &content.name,
            sort_key: &sort_key(&content.name),
            titles: &encode_titles(&content.titles),
            city: content.city.as_deref(),
            is_public: content.is_public,
            wants_updates: content.wants_updates,
            language: content.language.code(),
            consent_version: &content.consent_version,
            consent_at: target.proposed_at.unwrap_or(now),
            consent_letter_version: content.letter_version.or(target.stored_letter_version),
            verified_lines: verified.as_deref(),
        };
        if !write_confirmation(conn, update, &target.letter_id, &content, hash, now)? {
            // Withdrawn (or confirmed) by a transaction that committed
            // after this one read the row.
            return Ok(Err(LinkError::Used));
        }
    } else {
        token_store::mark_used(conn, hash, now)?;
    }
    let (manage, withdraw) = match links_of(token, key, target.links_key) {
        Some(pair) => pair,
        None => token_store::issue_links(conn, &target.signature_id, now)?,
    };
    Ok(Ok(Confirmed {
        letter_id: target.letter_id,
        content,
        moderation,
        newly_confirmed,
        withdraw,
        manage,
    }))
}

/// Writes a newly confirmed signature, the search words of what was
/// confirmed (a pending signature has none yet to replace), and spends its
/// link. False, with nothing written, when the row was no longer pending.
/// On PostgreSQL one statement does all three (each statement is a round
/// trip there); on SQLite a cached statement is a function call.
fn write_confirmation(
    conn: &mut DbConn,
    update: ConfirmSignature<'_>,
    letter_id: &LetterId,
    content: &Proposal,
    hash: &TokenHash,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    if let DbConn::Pg(c) = conn {
        let words = search_words(&content.name, &content.titles);
        let write = ConfirmOnPg {
            update,
            letter_id: letter_id.as_str(),
            words: &words,
            spend: SpendToken {
                hash: hash.as_str(),
                at: now,
            },
        };
        return Ok(write.get_result::<i64>(c)? > 0);
    }
    let updated = crate::db::on_backend!(conn, c => update.execute(c))?;
    if updated == 0 {
        return Ok(false);
    }
    super::search::index_new(conn, update.id, letter_id, &content.name, &content.titles)?;
    token_store::mark_used(conn, hash, now)?;
    Ok(true)
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
