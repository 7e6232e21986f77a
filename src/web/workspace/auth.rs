//! Sign-in, sign-out, first password and forgotten password.

use super::access::form;
use super::access::{html, see};
use super::password;
use super::session::{self, check_csrf, csrf_token, WsError};
use crate::cli::organizer::FIRST_ADMIN_EMAIL;
use crate::db::organizers::{self, LinkState, SetupRefused};
use crate::db::outbox;
use crate::db::tokens::Purpose;
use crate::db::{self, write_tx};
use crate::domain::{Email, Token};
use crate::i18n::Arg;
use crate::mail::messages;
use crate::views::workspace::auth as view;
use crate::web::body::first;
use crate::web::error::ErrorKind;
use crate::web::limits::{AccountKey, Action};
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};

pub async fn sign_in_page(ctx: Ctx, session: Session) -> HttpResponse {
    html(
        StatusCode::OK,
        view::sign_in(&ctx.tr(), &csrf_token(&session), "", &[]),
    )
}

pub async fn sign_in(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    // Normalised as the account lookup does, so that every spelling of one
    // address counts against one account.
    let email = first(&pairs, "email").unwrap_or("").trim().to_lowercase();
    let limited = state
        .limits
        .check(Action::SignIn, ctx.client)
        .and_then(|()| state.limits.check_sign_in_account(AccountKey::of(&email)));
    if let Err(wait) = limited {
        return Ok(throttled(&ctx, &session, &email, wait));
    }
    let given = first(&pairs, "password").unwrap_or("").to_string();
    let lookup = email.clone();
    let organizer = run_db(&state, move |conn| organizers::find_by_email(conn, &lookup))
        .await
        .map_err(|k| ctx.error(k))?;
    let stored = organizer
        .as_ref()
        .filter(|o| !o.disabled)
        .and_then(|o| o.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    // Verify even for an unknown account, so timing tells nothing.
    let ok = web::block(move || password::verify(&given, &stored))
        .await
        .map_err(|_| ctx.error(ErrorKind::Internal))?;
    match organizer {
        Some(o) if ok && !o.disabled => {
            session::sign_in(&ctx, &state, &session, &o.id).await?;
            tracing::info!(organizer = %o.id, "organizer signed in");
            Ok(see("/workspace"))
        }
        _ => {
            let tr = ctx.tr();
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::sign_in(&tr, &csrf_token(&session), &email, &[tr.t("ws-sign-in-failed")]),
            ))
        }
    }
}

/// The sign-in form again, with the address typed and when to come back.
/// The same answer whether the address or the account is resting, and
/// whether or not the account exists.
fn throttled(ctx: &Ctx, session: &Session, email: &str, wait: std::time::Duration) -> HttpResponse {
    let seconds = wait.as_secs() + 1;
    let tr = ctx.tr();
    let message = tr.ta("ws-sign-in-too-many", &[("seconds", Arg::Num(seconds as i64))]);
    let mut response = html(
        StatusCode::TOO_MANY_REQUESTS,
        view::sign_in(&tr, &csrf_token(session), email, &[message]),
    );
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    response
}

pub async fn sign_out(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    session::sign_out(&ctx, &state, &session).await?;
    Ok(see("/workspace/sign-in"))
}

pub async fn forgot_page(ctx: Ctx, session: Session) -> HttpResponse {
    html(
        StatusCode::OK,
        view::forgot(&ctx.tr(), &csrf_token(&session), false),
    )
}

/// Sends a reset link when the account exists; the page is the same either
/// way, so nobody learns who has an account.
pub async fn forgot(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    state.limit(&ctx, Action::PasswordReset)?;
    let tr_lang = ctx.lang;
    if let Ok(email) = Email::parse(first(&pairs, "email").unwrap_or("")) {
        let i18n = state.i18n.clone();
        let base = state.base_url.clone();
        run_db(&state, move |conn| {
            write_tx(conn, |conn| {
                let Some(o) = organizers::find_by_email(conn, email.as_str())? else {
                    return Ok(());
                };
                if o.disabled {
                    return Ok(());
                }
                let now = db::now();
                let token = organizers::issue_link(conn, &o.id, Purpose::Reset, now)?;
                let url = format!("{base}/workspace/setup/{}", token.as_str());
                let mail = messages::password_reset(&i18n.tr(tr_lang), &o.email, &url);
                outbox::insert(conn, &mail, now)
            })
        })
        .await
        .map_err(|k| ctx.error(k))?;
        state.waker.wake();
    }
    Ok(html(
        StatusCode::OK,
        view::forgot(&ctx.tr(), &csrf_token(&session), true),
    ))
}

fn link_error(ctx: &Ctx, state: LinkState) -> WsError {
    WsError::Page(ctx.error(match state {
        LinkState::Used => ErrorKind::LinkUsed,
        LinkState::Expired => ErrorKind::LinkExpired,
        _ => ErrorKind::LinkUnknown,
    }))
}

pub async fn setup_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> Result<HttpResponse, WsError> {
    let hash = Token::parse(&path)
        .map_err(|_| ctx.error(ErrorKind::LinkUnknown))?
        .hash();
    let found = run_db(&state, move |conn| {
        organizers::lookup_link(conn, &hash, db::now())
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let LinkState::Valid(o) = found else {
        return Err(link_error(&ctx, found));
    };
    let ask = o.email == FIRST_ADMIN_EMAIL;
    let mut r = html(
        StatusCode::OK,
        view::set_password(&ctx.tr(), &csrf_token(&session), &path, &o.email, ask, &[]),
    );
    r.headers_mut().insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    Ok(r)
}

pub async fn setup(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    let pairs = form(&ctx, payload).await?;
    check_csrf(&ctx, &session, &pairs)?;
    let hash = Token::parse(&path)
        .map_err(|_| ctx.error(ErrorKind::LinkUnknown))?
        .hash();
    let lookup = hash.clone();
    let found = run_db(&state, move |conn| {
        organizers::lookup_link(conn, &lookup, db::now())
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let LinkState::Valid(o) = found else {
        return Err(link_error(&ctx, found));
    };
    let tr = ctx.tr();
    let new = first(&pairs, "password").unwrap_or("").to_string();
    let again = first(&pairs, "password2").unwrap_or("");
    let mut errors = Vec::new();
    let ask = o.email == FIRST_ADMIN_EMAIL;
    let new_email = if ask {
        match Email::parse(first(&pairs, "email").unwrap_or("")) {
            Ok(e) => Some(e),
            Err(e) => {
                errors.push(tr.t(e.message_id()));
                None
            }
        }
    } else {
        None
    };
    let length = new.chars().count();
    if !(password::MIN_LEN..=password::MAX_LEN).contains(&length) {
        errors.push(tr.ta(
            "ws-password-length",
            &[
                ("min", (password::MIN_LEN as i64).into()),
                ("max", (password::MAX_LEN as i64).into()),
            ],
        ));
    } else if new != again {
        errors.push(tr.t("ws-password-mismatch"));
    }
    if !errors.is_empty() {
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::set_password(&tr, &csrf_token(&session), &path, &o.email, ask, &errors),
        ));
    }
    let hashed = web::block(move || password::hash(&new))
        .await
        .map_err(|_| ctx.error(ErrorKind::Internal))?
        .map_err(|_| ctx.error(ErrorKind::Internal))?;
    let email = new_email.as_ref().map(|e| e.as_str().to_string());
    let result = run_db(&state, move |conn| {
        let r = organizers::complete_setup(conn, &hash, email.as_deref(), &hashed, db::now())?;
        if let Ok(o) = &r {
            crate::db::audit::record(conn, Some(&o.id), None, "password-set", "", db::now())?;
        }
        Ok(r)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match result {
        // Setting the password ended every session of the account; whoever
        // just proved they hold the link gets a fresh one.
        Ok(o) => {
            session::sign_in(&ctx, &state, &session, &o.id).await?;
            Ok(see("/workspace"))
        }
        Err(SetupRefused::EmailTaken) => Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::set_password(
                &tr,
                &csrf_token(&session),
                &path,
                &o.email,
                ask,
                &[tr.t("ws-organizer-exists")],
            ),
        )),
        Err(SetupRefused::Link(state)) => Err(link_error(&ctx, state)),
    }
}
