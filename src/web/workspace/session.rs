//! Who is signed in, and the CSRF token of their forms. The session lives in
//! a signed, encrypted cookie; idle expiry is checked here, on the server's
//! clock, so a copied cookie does not outlive it.

use crate::db::organizers::{self, Organizer};
use crate::web::error::{ErrorKind, PageError};
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse, ResponseError};
use std::fmt;
use subtle::ConstantTimeEq;

const ORGANIZER: &str = "oid";
const SEEN: &str = "seen";
const CSRF: &str = "csrf";

pub struct Current {
    pub organizer: Organizer,
    pub csrf: String,
}

/// A workspace answer other than the page: back to sign-in, or an error page.
pub enum WsError {
    SignIn,
    Page(PageError),
}

impl From<PageError> for WsError {
    fn from(e: PageError) -> WsError {
        WsError::Page(e)
    }
}

impl fmt::Debug for WsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WsError::SignIn => f.write_str("SignIn"),
            WsError::Page(p) => write!(f, "{p:?}"),
        }
    }
}

impl fmt::Display for WsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl ResponseError for WsError {
    fn status_code(&self) -> StatusCode {
        match self {
            WsError::SignIn => StatusCode::SEE_OTHER,
            WsError::Page(p) => p.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            WsError::SignIn => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/workspace/sign-in"))
                .finish(),
            WsError::Page(p) => p.error_response(),
        }
    }
}

/// The session's CSRF token, created on first use (signed in or not, so
/// the sign-in form is protected too).
pub fn csrf_token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(CSRF) {
        return t;
    }
    let token = crate::domain::Token::generate().as_str().to_string();
    let _ = session.insert(CSRF, &token);
    token
}

/// True when a submitted form carries this session's token.
pub fn csrf_ok(session: &Session, submitted: Option<&str>) -> bool {
    match (session.get::<String>(CSRF), submitted) {
        (Ok(Some(expected)), Some(given)) if !given.is_empty() => {
            expected.as_bytes().ct_eq(given.as_bytes()).into()
        }
        _ => false,
    }
}

pub fn sign_in(session: &Session, organizer_id: &str) {
    // A new session on sign-in: a session fixed before it is worth nothing.
    session.clear();
    session.renew();
    let _ = session.insert(ORGANIZER, organizer_id);
    let _ = session.insert(SEEN, chrono::Utc::now().timestamp());
    csrf_token(session);
}

pub fn sign_out(session: &Session) {
    session.purge();
}

/// The signed-in organizer, or a redirect to sign-in.
pub async fn require(ctx: &Ctx, state: &web::Data<AppState>, session: &Session) -> Result<Current, WsError> {
    let Ok(Some(id)) = session.get::<String>(ORGANIZER) else {
        return Err(WsError::SignIn);
    };
    let now = chrono::Utc::now().timestamp();
    let seen = session.get::<i64>(SEEN).ok().flatten().unwrap_or(0);
    if now - seen >= state.session_idle.as_secs() as i64 {
        session.purge();
        return Err(WsError::SignIn);
    }
    let organizer = run_db(state, move |conn| organizers::find(conn, &id))
        .await
        .map_err(|k| ctx.error(k))?;
    match organizer {
        Some(o) if !o.disabled && o.password_hash.is_some() => {
            let _ = session.insert(SEEN, now);
            Ok(Current {
                csrf: csrf_token(session),
                organizer: o,
            })
        }
        _ => {
            session.purge();
            Err(WsError::SignIn)
        }
    }
}

/// Refuses a state-changing form without this session's CSRF token.
pub fn check_csrf(ctx: &Ctx, session: &Session, pairs: &[(String, String)]) -> Result<(), WsError> {
    if csrf_ok(session, crate::web::body::first(pairs, "csrf")) {
        Ok(())
    } else {
        Err(WsError::Page(ctx.error(ErrorKind::Forbidden)))
    }
}
