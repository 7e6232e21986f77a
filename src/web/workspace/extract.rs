//! What a workspace handler asks for in its arguments, checked before it
//! runs: a signed-in organizer (`Current`), their access to the letter in
//! the path (`LetterAccess`), a form carrying this session's CSRF token
//! (`Form<T>`). A handler that names them cannot forget the check.

use super::session::{check_csrf, require, Current, WsError};
use crate::actions::{Actor, Outcome, Refused, Tx};
use crate::db::editors;
use crate::db::letters::{self, Letter};
use crate::db::DbError;
use crate::model::{LetterId, Role};
use crate::web::body::{form_pairs, read_limited_to, WORKSPACE_LIMIT};
use crate::web::error::ErrorKind;
use crate::web::{run_db, run_write, AppState, Ctx};
use actix_session::Session;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

/// The request's context, state and session, which every check needs.
fn parts(req: &HttpRequest) -> Result<(Ctx, web::Data<AppState>, Session), WsError> {
    let ctx = Ctx::extract(req).into_inner().map_err(|_| WsError::SignIn)?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| WsError::Page(ctx.error(ErrorKind::Internal)))?;
    let session = Session::extract(req)
        .into_inner()
        .map_err(|_| WsError::Page(ctx.error(ErrorKind::Internal)))?;
    Ok((ctx, state, session))
}

/// An extractor's work, run once the request's parts are at hand.
fn checked<T, F, Fut>(req: &HttpRequest, check: F) -> LocalBoxFuture<'static, Result<T, WsError>>
where
    F: FnOnce(HttpRequest, Ctx, web::Data<AppState>, Session) -> Fut + 'static,
    Fut: std::future::Future<Output = Result<T, WsError>> + 'static,
{
    let req = req.clone();
    Box::pin(async move {
        let (ctx, state, session) = parts(&req)?;
        check(req, ctx, state, session).await
    })
}

impl FromRequest for Current {
    type Error = WsError;
    type Future = LocalBoxFuture<'static, Result<Current, WsError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        checked(req, |_, ctx, state, session| async move {
            require(&ctx, &state, &session).await
        })
    }
}

impl Current {
    /// The organizer as the actor of a site-wide action.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.organizer.id.clone(),
            email: self.organizer.email.clone(),
            role: None,
            admin: self.organizer.is_admin,
        }
    }

    /// Admins only: accounts and site-wide protected names.
    pub fn require_admin(&self, ctx: &Ctx) -> Result<(), WsError> {
        if self.organizer.is_admin {
            Ok(())
        } else {
            Err(WsError::Page(ctx.error(ErrorKind::Forbidden)))
        }
    }
}

/// A signed-in organizer who may work on the letter named `{id}` in the
/// path. Anyone else gets the same 404 as for a letter that does not
/// exist: nothing is revealed.
pub struct LetterAccess {
    pub current: Current,
    pub letter: Letter,
    pub role: Option<Role>,
}

impl LetterAccess {
    pub fn actor(&self) -> Actor {
        Actor {
            role: self.role,
            ..self.current.actor()
        }
    }

    /// The letter's owner, or an admin.
    pub fn owns(&self) -> bool {
        self.actor().owns()
    }

    pub fn id(&self) -> &LetterId {
        &self.letter.id
    }

    /// For the view's header: who is signed in, and the forms' token.
    pub fn who(&self) -> (&crate::db::organizers::Organizer, &str) {
        (&self.current.organizer, &self.current.csrf)
    }
}

impl FromRequest for LetterAccess {
    type Error = WsError;
    type Future = LocalBoxFuture<'static, Result<LetterAccess, WsError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        checked(req, |req, ctx, state, session| async move {
            let current = require(&ctx, &state, &session).await?;
            let id = LetterId::from_raw(req.match_info().get("id").unwrap_or_default());
            let organizer = current.organizer.id.clone();
            let found = run_db(&state, move |conn| {
                let Some(letter) = letters::find_by_id(conn, &id)? else {
                    return Ok(None);
                };
                let role = editors::role_of(conn, &id, &organizer)?;
                Ok(Some((letter, role)))
            })
            .await
            .map_err(|k| ctx.error(k))?;
            match found {
                Some((letter, role)) if role.is_some() || current.organizer.is_admin => Ok(LetterAccess {
                    current,
                    letter,
                    role,
                }),
                _ => Err(WsError::Page(ctx.error(ErrorKind::NotFound))),
            }
        })
    }
}

/// A form with nothing but its CSRF token (publish, sign out).
#[derive(serde::Deserialize)]
pub struct Empty {}

/// A workspace form: the body read within the workspace limit, this
/// session's CSRF token checked, and the fields deserialized into `T`
/// (repeated fields into a `Vec`). A form that does not fit `T` is a 400
/// page in the reader's language.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = WsError;
    type Future = LocalBoxFuture<'static, Result<Form<T>, WsError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = web::Payload::from_request(&req, payload).into_inner();
        Box::pin(async move { read_form(&req, payload).await.map(Form) })
    }
}

async fn read_form<T: DeserializeOwned>(
    req: &HttpRequest,
    payload: Result<web::Payload, actix_web::Error>,
) -> Result<T, WsError> {
    let (ctx, _, session) = parts(req)?;
    let payload = payload.map_err(|_| WsError::Page(ctx.error(ErrorKind::BadRequest)))?;
    let body = read_limited_to(payload, WORKSPACE_LIMIT)
        .await
        .map_err(|e| ctx.error(e.kind()))?;
    check_csrf(&ctx, &session, &form_pairs(&body))?;
    serde_html_form::from_bytes(&body).map_err(|e| {
        tracing::debug!(error = %e, "a workspace form did not fit its fields");
        WsError::Page(ctx.error(ErrorKind::BadRequest))
    })
}

/// Who may post (`Current` or `LetterAccess`), then their form: checked in
/// that order, so a stranger learns nothing from how a form would have
/// failed. (Extractors given as separate arguments are polled together,
/// and the form's answer could come first.)
pub struct WithForm<A, T> {
    pub who: A,
    pub form: T,
}

impl<A, T> FromRequest for WithForm<A, T>
where
    A: FromRequest<Error = WsError> + 'static,
    T: DeserializeOwned + 'static,
{
    type Error = WsError;
    type Future = LocalBoxFuture<'static, Result<WithForm<A, T>, WsError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let who = A::from_request(req, &mut Payload::None);
        let req = req.clone();
        let payload = web::Payload::from_request(&req, payload).into_inner();
        Box::pin(async move {
            let who = who.await?;
            let form = read_form(&req, payload).await?;
            Ok(WithForm { who, form })
        })
    }
}

/// The page for a use case's refusal.
pub fn refused(ctx: &Ctx, why: Refused) -> WsError {
    WsError::Page(ctx.error(match why {
        Refused::Forbidden => ErrorKind::Forbidden,
        Refused::NotAllowed => ErrorKind::BadRequest,
        Refused::NotFound => ErrorKind::NotFound,
        Refused::InThePast => ErrorKind::BadTime(crate::web::error::BadTime::Past),
    }))
}

/// Runs a use case that may refuse, in its transaction.
pub async fn act<T, F>(ctx: &Ctx, state: &web::Data<AppState>, f: F) -> Result<T, WsError>
where
    F: Fn(&mut Tx<'_>) -> Outcome<T> + Send + 'static,
    T: Send + 'static,
{
    run_write(state, f)
        .await
        .map_err(|k| ctx.error(k))?
        .map_err(|why| refused(ctx, why))
}

/// Runs a use case that always goes through, in its transaction.
pub async fn write<T, F>(ctx: &Ctx, state: &web::Data<AppState>, f: F) -> Result<T, WsError>
where
    F: Fn(&mut Tx<'_>) -> Result<T, DbError> + Send + 'static,
    T: Send + 'static,
{
    Ok(run_write(state, f).await.map_err(|k| ctx.error(k))?)
}

/// A workspace page's query string, deserialized into `T`; one that does
/// not fit is a 400 page in the reader's language.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = WsError;
    type Future = std::future::Ready<Result<Query<T>, WsError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            serde_html_form::from_str(req.query_string())
                .map(Query)
                .map_err(|e| {
                    tracing::debug!(error = %e, "a workspace query did not fit its fields");
                    match Ctx::extract(req).into_inner() {
                        Ok(ctx) => WsError::Page(ctx.error(ErrorKind::BadRequest)),
                        Err(_) => WsError::SignIn,
                    }
                }),
        )
    }
}
