//! Telling subscribed signers that a letter's text changed, at most once
//! per notify interval.

use crate::db;
use crate::web::error::ErrorKind;
use crate::web::{run_db, AppState, Ctx};
use actix_web::web;
use chrono::{Duration, NaiveDateTime};

pub(super) fn notify_interval(state: &AppState) -> Duration {
    // Beyond chrono's range is "forever"; versions::next_round caps it.
    Duration::from_std(state.notify_interval).unwrap_or(Duration::MAX)
}

/// Why signers cannot be emailed now, and from when they can.
pub(super) fn notify_refused(ctx: &Ctx, state: &AppState, next: NaiveDateTime) -> String {
    let hours = i64::try_from(state.notify_interval.as_secs() / 3600).unwrap_or(i64::MAX);
    ctx.tr().ta(
        "ws-notify-limited",
        &[
            ("hours", crate::i18n::Arg::Num(hours)),
            ("next", next.format("%Y-%m-%d %H:%M").to_string().into()),
        ],
    )
}

/// Tells the confirmed signers who opted in to news that the text changed,
/// through the outbox, a page of signers at a time. Returns how many.
pub(super) async fn notify_signers(
    state: &web::Data<AppState>,
    letter: &crate::db::letters::Letter,
    version: i32,
) -> Result<usize, ErrorKind> {
    let mut after: Option<String> = None;
    let mut sent = 0;
    loop {
        let (i18n, base, l, cursor) = (
            state.i18n.clone(),
            state.base_url.clone(),
            letter.clone(),
            after.clone(),
        );
        let (count, last) = run_db(state, move |conn| {
            let page = crate::db::versions::subscribers_page(conn, &l.id, cursor.as_deref(), 500)?;
            let last = page.last().map(|(id, _, _)| id.clone());
            let n = page.len();
            db::write_tx(conn, |conn| {
                let now = db::now();
                for (signature_id, email, lang) in &page {
                    let manage = crate::domain::Token::generate();
                    crate::db::tokens::insert(
                        conn,
                        &manage,
                        signature_id,
                        crate::db::tokens::Purpose::Manage,
                        None,
                        now,
                    )?;
                    let tr = i18n.tr(lang.parse().unwrap_or_default());
                    let mail = crate::mail::messages::letter_updated(
                        &tr,
                        &crate::mail::messages::LetterUpdated {
                            recipient: email,
                            letter_title: &l.title,
                            version,
                            versions_url: &format!("{base}/letters/{}/versions", l.slug),
                            manage_url: &format!("{base}{}", crate::views::links::manage(manage.as_str())),
                        },
                    );
                    crate::db::outbox::insert_about(conn, &mail, Some(signature_id), now)?;
                }
                Ok::<_, crate::db::DbError>(())
            })?;
            Ok((n, last))
        })
        .await?;
        sent += count;
        match last {
            Some(id) if count == 500 => after = Some(id),
            _ => return Ok(sent),
        }
    }
}
