//! Telling subscribed signers that a letter's text changed, at most once
//! per notify interval.

use crate::actions::{letters as actions, Actor};
use crate::db::letters::Letter;
use crate::db::{self, versions};
use crate::model::{LetterId, SignatureId};
use crate::web::error::ErrorKind;
use crate::web::workspace::extract::{act, write};
use crate::web::workspace::session::WsError;
use crate::web::{run_db, run_write, AppState, Ctx};
use actix_web::web;
use chrono::{Duration, NaiveDateTime};

fn notify_interval(state: &AppState) -> Duration {
    // Beyond chrono's range is "forever"; versions::next_round caps it.
    Duration::from_std(state.settings.notify_interval).unwrap_or(Duration::MAX)
}

/// Why signers cannot be emailed now, and from when they can.
fn notify_refused(ctx: &Ctx, state: &AppState, next: NaiveDateTime) -> String {
    let hours = i64::try_from(state.settings.notify_interval.as_secs() / 3600).unwrap_or(i64::MAX);
    ctx.tr().ta(
        "ws-notify-limited",
        &[
            ("hours", crate::i18n::Arg::Num(hours)),
            ("next", ctx.tr().time(next).into()),
        ],
    )
}

/// The message saying why the letter's signers cannot be emailed yet, if
/// they cannot.
pub(super) async fn notify_blocked(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    letter: &LetterId,
) -> Result<Option<String>, WsError> {
    let id = letter.clone();
    let last = run_db(state, move |conn| versions::last_notified(conn, &id))
        .await
        .map_err(|k| ctx.error(k))?;
    let next = versions::next_round(last, notify_interval(state), db::now());
    Ok(next.map(|next| notify_refused(ctx, state, next)))
}

/// After a saved edit made `version`: claims this interval's round, emails
/// the subscribers and records it. Returns the query to append to the
/// dashboard's address, saying how it went.
pub(super) async fn notify_after_edit(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    actor: &Actor,
    letter: &Letter,
    version: i32,
) -> Result<String, WsError> {
    let (owner, id, interval) = (actor.clone(), letter.id.clone(), notify_interval(state));
    let claimed = act(ctx, state, move |tx| {
        actions::claim_notice_round(tx, &owner, &id, interval, db::now())
    })
    .await?;
    if !claimed {
        // Another save took this round between the check before saving and
        // now: the text is saved, nobody is emailed.
        return Ok("?notify_limited=1".to_string());
    }
    let sent = notify_signers(state, letter, version)
        .await
        .map_err(|k| ctx.error(k))?;
    let (actor, id) = (actor.clone(), letter.id.clone());
    write(ctx, state, move |tx| {
        actions::record_notified(tx, &actor, &id, sent, db::now())
    })
    .await?;
    state.services.waker.wake();
    Ok(format!("?notified={sent}"))
}

/// Tells the confirmed signers who opted in to news that the text changed,
/// through the outbox, a page of signers at a time (one transaction each,
/// so a letter of a million signers never holds the write lock for long).
/// Returns how many.
async fn notify_signers(
    state: &web::Data<AppState>,
    letter: &Letter,
    version: i32,
) -> Result<usize, ErrorKind> {
    let mut after: Option<SignatureId> = None;
    let mut sent = 0;
    // Each signer reads the title in the language they signed in.
    let id = letter.id.clone();
    let translated = run_db(state, move |conn| crate::db::translations::all(conn, &id)).await?;
    loop {
        let (i18n, base, l, cursor, translated) = (
            state.services.i18n.clone(),
            state.settings.base_url.clone(),
            letter.clone(),
            after.clone(),
            translated.clone(),
        );
        let sender = crate::mail::messages::LetterSender::of(letter);
        let (count, last) = run_write(state, move |tx| {
            let mail = |email: &str,
                        lang: &str,
                        manage: &crate::domain::Token,
                        unsubscribe: &crate::domain::Token| {
                let title = translated
                    .iter()
                    .find(|t| t.language == lang)
                    .map_or(l.title.as_str(), |t| t.title.as_str());
                crate::mail::messages::letter_updated(
                    &i18n.tr(lang.parse().unwrap_or_default()),
                    &crate::mail::messages::LetterUpdated {
                        recipient: email,
                        letter_title: title,
                        sender: &sender,
                        version,
                        versions_url: &format!("{base}/letters/{}/versions", l.slug),
                        manage_url: &format!("{base}{}", crate::views::links::manage(manage.as_str())),
                        unsubscribe_url: &format!(
                            "{base}{}",
                            crate::views::links::unsubscribe(unsubscribe.as_str())
                        ),
                    },
                )
            };
            actions::notify_page(tx, &l.id, cursor.as_ref(), 500, &mail, db::now())
        })
        .await?;
        sent += count;
        match last {
            Some(id) if count == 500 => after = Some(id),
            _ => return Ok(sent),
        }
    }
}
