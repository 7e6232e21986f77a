//! Who is signed in, and the CSRF token of their forms. The signed,
//! encrypted cookie carries the CSRF token and a session token; the session
//! itself is a row on the server (`db::sessions`), so it can be ended there,
//! and its idle and absolute lifetimes are judged on the server's clock: a
//! copied cookie is worth no more than the session it came from.

use crate::db::organizers::Organizer;
use crate::db::sessions::{self, Lifetimes, Verdict};
use crate::domain::Token;
use crate::model::OrganizerId;
use crate::web::error::{ErrorKind, PageError};
use crate::web::{run_db, AppState, Ctx};
use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse, ResponseError};
use std::fmt;
use subtle::ConstantTimeEq;

const SESSION: &str = "sid";
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

fn lifetimes(state: &AppState) -> Lifetimes {
    Lifetimes::from_std(state.settings.session_idle, state.settings.session_lifetime)
}

/// The session token this cookie carries, if it is well formed.
fn token(session: &Session) -> Option<Token> {
    let text = session.get::<String>(SESSION).ok().flatten()?;
    Token::parse(&text).ok()
}

/// Opens a new session for the organizer, on the server and in the cookie.
pub async fn sign_in(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    session: &Session,
    organizer_id: &OrganizerId,
) -> Result<(), WsError> {
    let id = organizer_id.clone();
    let life = lifetimes(state);
    let token = run_db(state, move |conn| {
        sessions::start(conn, &id, crate::db::now(), life)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    // A new cookie on sign-in: a session fixed before it is worth nothing.
    session.clear();
    session.renew();
    let _ = session.insert(SESSION, token.as_str());
    csrf_token(session);
    Ok(())
}

/// Ends this session on the server, then forgets the cookie.
pub async fn sign_out(ctx: &Ctx, state: &web::Data<AppState>, session: &Session) -> Result<(), WsError> {
    if let Some(token) = token(session) {
        let hash = token.hash();
        run_db(state, move |conn| sessions::end(conn, &hash, crate::db::now()))
            .await
            .map_err(|k| ctx.error(k))?;
    }
    session.purge();
    Ok(())
}

/// The signed-in organizer, or a redirect to sign-in.
pub async fn require(ctx: &Ctx, state: &web::Data<AppState>, session: &Session) -> Result<Current, WsError> {
    let Some(token) = token(session) else {
        return Err(WsError::SignIn);
    };
    let hash = token.hash();
    let life = lifetimes(state);
    let found = run_db(state, move |conn| {
        let Some((row, organizer)) = sessions::find(conn, &hash)? else {
            return Ok(None);
        };
        let now = crate::db::now();
        let verdict = sessions::judge(&row, now, life);
        if verdict == (Verdict::Live { touch: true }) {
            sessions::touch(conn, &hash, now)?;
        }
        Ok(Some((verdict, organizer)))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match found {
        Some((Verdict::Live { .. }, o)) if !o.disabled && o.password_hash.is_some() => Ok(Current {
            csrf: csrf_token(session),
            organizer: o,
        }),
        other => {
            if let Some((Verdict::Ended, o)) = &other {
                // Someone kept a cookie past its sign-out or its password
                // change: worth knowing, since it may be a copy.
                tracing::warn!(organizer = %o.id, "an ended workspace session was presented again");
            }
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
