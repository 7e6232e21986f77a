use super::ctx::Ctx;
use crate::views::message;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use maud::html;
use std::fmt;

/// Everything a page route can answer besides success, each with its status
/// and a translated page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    MethodNotAllowed,
    LinkUnknown,
    LinkUsed,
    LinkExpired,
    /// A later submission for the same address replaced this link.
    LinkReplaced,
    /// The manage page changes only a confirmed signature.
    NotConfirmedYet,
    LetterClosed,
    PayloadTooLarge,
    BadRequest,
    /// A date and time typed in a workspace form that cannot be used.
    BadTime(BadTime),
    Forbidden,
    TooManyRequests {
        retry_after: u64,
    },
    Unavailable,
    Internal,
}

/// Why a typed time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadTime {
    Malformed,
    /// In the hour the clocks skip.
    Skipped,
    /// Already past: a schedule must be in the future.
    Past,
}

impl BadTime {
    pub fn message_id(self) -> &'static str {
        match self {
            BadTime::Malformed => "bad-time-malformed",
            BadTime::Skipped => "bad-time-skipped",
            BadTime::Past => "bad-time-past",
        }
    }
}

impl From<crate::domain::zone::LocalTimeError> for BadTime {
    fn from(e: crate::domain::zone::LocalTimeError) -> BadTime {
        match e {
            crate::domain::zone::LocalTimeError::Malformed => BadTime::Malformed,
            crate::domain::zone::LocalTimeError::Skipped => BadTime::Skipped,
        }
    }
}

impl ErrorKind {
    pub fn status(self) -> StatusCode {
        match self {
            ErrorKind::NotFound | ErrorKind::LinkUnknown => StatusCode::NOT_FOUND,
            ErrorKind::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorKind::LinkUsed | ErrorKind::LinkExpired | ErrorKind::LinkReplaced => StatusCode::GONE,
            ErrorKind::LetterClosed | ErrorKind::NotConfirmedYet => StatusCode::CONFLICT,
            ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::BadRequest | ErrorKind::BadTime(_) => StatusCode::BAD_REQUEST,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message_ids(self) -> (&'static str, &'static str) {
        match self {
            ErrorKind::NotFound => ("not-found-heading", "not-found-body"),
            ErrorKind::MethodNotAllowed => ("method-not-allowed-heading", "method-not-allowed-body"),
            ErrorKind::LinkUnknown => ("link-unknown-heading", "link-unknown-body"),
            ErrorKind::LinkUsed => ("link-used-heading", "link-used-body"),
            ErrorKind::LinkExpired => ("link-expired-heading", "link-expired-body"),
            ErrorKind::LinkReplaced => ("link-replaced-heading", "link-replaced-body"),
            ErrorKind::NotConfirmedYet => ("not-confirmed-heading", "not-confirmed-body"),
            ErrorKind::LetterClosed => ("letter-closed-heading", "letter-closed-body"),
            ErrorKind::PayloadTooLarge => ("payload-too-large-heading", "payload-too-large-body"),
            ErrorKind::BadRequest => ("bad-request-heading", "bad-request-body"),
            ErrorKind::BadTime(why) => ("bad-time-heading", why.message_id()),
            ErrorKind::Forbidden => ("forbidden-heading", "forbidden-body"),
            ErrorKind::TooManyRequests { .. } => ("too-many-heading", "too-many-body"),
            ErrorKind::Unavailable => ("unavailable-heading", "unavailable-body"),
            ErrorKind::Internal => ("server-error-heading", "server-error-body"),
        }
    }
}

/// `Clone` because requests waiting on one page render share its failure.
#[derive(Clone)]
pub struct PageError {
    ctx: Ctx,
    kind: ErrorKind,
    back: Option<(String, String)>,
}

impl PageError {
    pub fn new(ctx: Ctx, kind: ErrorKind) -> PageError {
        PageError {
            ctx,
            kind,
            back: None,
        }
    }

    /// Adds a link back, for example to the letter a closed link belonged to.
    pub fn with_back(mut self, href: String, label: String) -> PageError {
        self.back = Some((href, label));
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl fmt::Debug for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PageError({:?})", self.kind)
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.kind)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.kind.status()
    }

    fn error_response(&self) -> HttpResponse {
        let tr = self.ctx.tr();
        let (heading, body) = self.kind.message_ids();
        let extra = html! {
            @if let Some((href, label)) = &self.back {
                p { a href=(href) { "← " (label) } }
            }
        };
        let body = match self.kind {
            ErrorKind::TooManyRequests { retry_after } => {
                tr.ta(body, &[("seconds", crate::i18n::Arg::Num(retry_after as i64))])
            }
            _ => tr.t(body),
        };
        let page = message::render(&tr, &self.ctx.path, &tr.t(heading), &body, extra);
        let mut response = HttpResponse::build(self.status_code());
        response.content_type("text/html; charset=utf-8");
        match self.kind {
            ErrorKind::Unavailable => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            ErrorKind::TooManyRequests { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            _ => {}
        }
        response.body(page.into_string())
    }
}

pub async fn not_found(ctx: Ctx) -> Result<HttpResponse, PageError> {
    Err(ctx.error(ErrorKind::NotFound))
}

pub async fn method_not_allowed(ctx: Ctx) -> Result<HttpResponse, PageError> {
    Err(ctx.error(ErrorKind::MethodNotAllowed))
}
