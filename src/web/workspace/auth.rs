//! Sign-in, sign-out, first password and forgotten password.

use super::access::{html, see};
use super::extract::{Empty, Form};
use super::password;
use super::session::{self, csrf_token, WsError};
use crate::actions::organizers as actions;
use crate::cli::organizer::FIRST_ADMIN_EMAIL;
use crate::db;
use crate::db::organizers::{self, LinkState, Organizer, SetupRefused};
use crate::domain::{Email, Token};
use crate::i18n::Arg;
use crate::views::workspace::auth as view;
use crate::web::error::ErrorKind;
use crate::web::limits::{AccountKey, Action};
use crate::web::{run_db, run_write, AppState, Ctx};
use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

pub async fn sign_in_page(ctx: Ctx, session: Session) -> HttpResponse {
    html(
        StatusCode::OK,
        view::sign_in(&ctx.tr(), &csrf_token(&session), "", &[]),
    )
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn sign_in(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    Form(form): Form<SignInForm>,
) -> Result<HttpResponse, WsError> {
    // Normalised as the account lookup does, so that every spelling of one
    // address counts against one account.
    let email = form.email.trim().to_lowercase();
    let limits = &state.services.limits;
    let limited = match limits.check(Action::SignIn, ctx.client).await {
        Ok(()) => limits.check_sign_in_account(AccountKey::of(&email)).await,
        refused => refused,
    };
    if let Err(wait) = limited {
        return Ok(throttled(&ctx, &session, &email, wait));
    }
    let given = form.password;
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
    _: Form<Empty>,
) -> Result<HttpResponse, WsError> {
    session::sign_out(&ctx, &state, &session).await?;
    Ok(see("/workspace/sign-in"))
}

pub async fn forgot_page(ctx: Ctx, session: Session) -> HttpResponse {
    html(
        StatusCode::OK,
        view::forgot(&ctx.tr(), &csrf_token(&session), false),
    )
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// Sends a reset link when the account exists; the page is the same either
/// way, so nobody learns who has an account.
pub async fn forgot(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    Form(form): Form<EmailForm>,
) -> Result<HttpResponse, WsError> {
    state.limit(&ctx, Action::PasswordReset).await?;
    if let Ok(email) = Email::parse(&form.email) {
        let (i18n, base, lang) = (
            state.services.i18n.clone(),
            state.settings.base_url.clone(),
            ctx.lang,
        );
        run_write(&state, move |tx| {
            let mail = |o: &Organizer, token: &Token| actions::reset_mail(&i18n.tr(lang), &base, o, token);
            actions::request_reset(tx, email.as_str(), &mail, db::now())
        })
        .await
        .map_err(|k| ctx.error(k))?;
        state.services.waker.wake();
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

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
    #[serde(default)]
    email: String,
}

/// The new password (and, for the first admin, the address) when the form
/// is right, or the messages saying what to fix.
fn checked(
    tr: &crate::i18n::Tr,
    form: &SetupForm,
    ask_email: bool,
) -> Result<(String, Option<Email>), Vec<String>> {
    let mut errors = Vec::new();
    let email = match ask_email.then(|| Email::parse(&form.email)) {
        Some(Ok(e)) => Some(e),
        Some(Err(e)) => {
            errors.push(tr.t(e.message_id()));
            None
        }
        None => None,
    };
    let length = form.password.chars().count();
    if !(password::MIN_LEN..=password::MAX_LEN).contains(&length) {
        let (min, max) = (password::MIN_LEN as i64, password::MAX_LEN as i64);
        errors.push(tr.ta("ws-password-length", &[("min", min.into()), ("max", max.into())]));
    } else if form.password != form.password2 {
        errors.push(tr.t("ws-password-mismatch"));
    }
    if errors.is_empty() {
        Ok((form.password.clone(), email))
    } else {
        Err(errors)
    }
}

pub async fn setup(
    ctx: Ctx,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    Form(form): Form<SetupForm>,
) -> Result<HttpResponse, WsError> {
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
    let (tr, ask) = (ctx.tr(), o.email == FIRST_ADMIN_EMAIL);
    let again = |errors: &[String]| {
        let markup = view::set_password(&tr, &csrf_token(&session), &path, &o.email, ask, errors);
        html(StatusCode::UNPROCESSABLE_ENTITY, markup)
    };
    let (new, email) = match checked(&tr, &form, ask) {
        Ok(ok) => ok,
        Err(errors) => return Ok(again(&errors)),
    };
    let hashed = web::block(move || password::hash(&new))
        .await
        .map_err(|_| ctx.error(ErrorKind::Internal))?
        .map_err(|_| ctx.error(ErrorKind::Internal))?;
    let email = email.map(|e| e.as_str().to_string());
    let result = run_write(&state, move |tx| {
        actions::complete_setup(tx, &hash, email.as_deref(), &hashed, db::now())
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
        Err(SetupRefused::EmailTaken) => Ok(again(&[tr.t("ws-organizer-exists")])),
        Err(SetupRefused::Link(state)) => Err(link_error(&ctx, state)),
    }
}
