//! [`domain::visibility::place`](crate::domain::visibility::place) with what
//! it needs read from the database. Every write that confirms a signature or
//! changes what the public would see of it calls [`place_signature`]; the
//! property test in `tests/api/trust_property.rs` checks that the public list and
//! exports never hold anything else.

use super::schema::signatures;
use super::{DbConn, DbError};
use crate::domain::protected::{name_words, ProtectedName};
use crate::domain::visibility::{place, Review};
use crate::domain::Moderation;
use crate::model::{LetterId, Tier};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;

/// What a letter's moderation asks of a signature, read in the same
/// transaction as the signature (with the link, by
/// `signatures::lookup_link`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LetterRules {
    pub mode: super::moderation::Mode,
    /// Some protected name applies to the letter (its own or the site's):
    /// without one, no name needs checking.
    pub any_protected_name: bool,
}

/// The moderation state of a confirmed signature with this content.
/// `current` is its state before the change (`None` when it is being
/// confirmed); `approved` says whether an organizer approved this very
/// content.
pub fn place_signature(
    conn: &mut DbConn,
    letter_id: &LetterId,
    rules: LetterRules,
    name: &str,
    is_public: bool,
    current: Option<Moderation>,
    approved: bool,
) -> Result<Moderation, DbError> {
    let settled = !is_public || approved || current == Some(Moderation::Hidden);
    // Most confirmations are count-only or on letters without review or
    // protected names: the lookup runs only when its answer can matter.
    let (review_mode, protected) = if settled {
        (false, false)
    } else {
        let review_mode = rules.mode == super::moderation::Mode::Review;
        let protected = !review_mode
            && rules.any_protected_name
            && super::moderation::is_protected(conn, letter_id, name)?;
        (review_mode, protected)
    };
    Ok(place(Review {
        is_public,
        review_mode,
        protected,
        current,
        approved,
    }))
}

/// Public, shown and confirmed rows of one letter (or of every letter) that
/// no organizer approved, a page at a time after `after`: the rows a newly
/// protected name may have to take off the list.
pub fn unapproved_shown_page(
    conn: &mut DbConn,
    letter_id: Option<&LetterId>,
    after: &str,
    limit: i64,
) -> Result<Vec<(String, LetterId, String)>, DbError> {
    let mut q = signatures::table
        .filter(crate::db::confirmed::CONFIRMED)
        .filter(signatures::tier.eq(Tier::Public))
        .filter(signatures::is_public.eq(true))
        .filter(signatures::moderation.eq(Moderation::Shown.as_str()))
        .filter(signatures::approved_at.is_null())
        .filter(signatures::id.gt(after.to_string()))
        .into_boxed();
    if let Some(letter_id) = letter_id {
        q = q.filter(signatures::letter_id.eq(letter_id.clone()));
    }
    Ok(q.order(signatures::id.asc())
        .limit(limit)
        .select((signatures::id, signatures::letter_id, signatures::name))
        .load(conn)?)
}

/// After a name was protected: every listed signature that now matches a
/// protected name, and that no organizer approved, goes back to the review
/// queue. Returns the letters whose list changed, for the caches.
pub fn hold_protected(
    conn: &mut DbConn,
    letter_id: Option<&LetterId>,
    now: NaiveDateTime,
) -> Result<Vec<LetterId>, DbError> {
    let mut after = String::new();
    let mut changed: Vec<LetterId> = Vec::new();
    // Each letter's list (its own names and the site's), read once.
    let mut lists: HashMap<LetterId, Vec<ProtectedName>> = HashMap::new();
    loop {
        let page = unapproved_shown_page(conn, letter_id, &after, 1000)?;
        let Some((last, _, _)) = page.last() else {
            return Ok(changed);
        };
        after = last.clone();
        for (id, letter, name) in &page {
            if !lists.contains_key(letter) {
                let names = super::moderation::protected_for(conn, letter)?;
                lists.insert(
                    letter.clone(),
                    names.iter().map(|n| ProtectedName::new(n)).collect(),
                );
            }
            let words = name_words(name);
            let held = lists
                .get(letter)
                .is_some_and(|list| list.iter().any(|p| p.holds(&words)));
            if held {
                diesel::update(signatures::table.find(id))
                    .set((
                        signatures::moderation.eq(Moderation::Queued.as_str()),
                        signatures::updated_at.eq(now),
                    ))
                    .execute(conn)?;
                if !changed.iter().any(|c| c == letter) {
                    changed.push(letter.clone());
                }
            }
        }
    }
}

/// [`place_signature`] for many first confirmations on one letter (an
/// import): the letter's mode and protected names are read once, then
/// every name goes through the same rule.
pub struct Placer {
    review_mode: bool,
    protected: Vec<ProtectedName>,
}

impl Placer {
    pub fn for_letter(conn: &mut DbConn, letter_id: &LetterId) -> Result<Placer, DbError> {
        let review_mode = super::moderation::mode_of(conn, letter_id)? == super::moderation::Mode::Review;
        let protected = super::moderation::protected_for(conn, letter_id)?
            .iter()
            .map(|n| ProtectedName::new(n))
            .collect();
        Ok(Placer {
            review_mode,
            protected,
        })
    }

    /// Where a signature with this name, confirmed now, goes.
    pub fn place(&self, name: &str, is_public: bool) -> Moderation {
        let protected = is_public && !self.review_mode && !self.protected.is_empty() && {
            let words = name_words(name);
            self.protected.iter().any(|p| p.holds(&words))
        };
        place(Review {
            is_public,
            review_mode: self.review_mode,
            protected,
            current: None,
            approved: false,
        })
    }
}
