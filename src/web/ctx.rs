use super::client_ip::{client_ip, IpKey};
use super::error::{ErrorKind, PageError};
use super::AppState;
use crate::domain::Lang;
use crate::i18n::{I18n, Tr};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::{ready, Ready};
use std::sync::Arc;

pub const LANG_COOKIE: &str = "lang";

/// The language a request is answered in, and the path for the language
/// switch. The order: an explicit switch (`?lang=` or its cookie), then
/// `Accept-Language`, then (on a letter's pages) the letter's language,
/// then French. A letter's exports and share card skip the browser's
/// choice: they are the letter's.
#[derive(Clone)]
pub struct Ctx {
    pub i18n: Arc<I18n>,
    pub lang: Lang,
    explicit: Option<Lang>,
    /// From `Accept-Language`.
    accept: Option<Lang>,
    pub path: String,
    /// Who the request counts against for rate limits.
    pub client: IpKey,
}

impl Ctx {
    pub fn tr(&self) -> Tr<'_> {
        self.i18n.tr(self.lang)
    }

    /// Answers in the letter's language unless the reader switched: for
    /// what is the letter's own (its exports, its share card).
    pub fn for_letter(mut self, letter_lang: Lang) -> Ctx {
        if self.explicit.is_none() {
            self.lang = letter_lang;
        }
        self
    }

    /// The language the reader asked for, by switch or by browser.
    pub fn preferred(&self) -> Option<Lang> {
        self.explicit.or(self.accept)
    }

    /// Answers in this language, whatever else was asked.
    pub fn with_lang(mut self, lang: Lang) -> Ctx {
        self.lang = lang;
        self
    }

    /// The language the reader chose, if they chose one.
    pub fn explicit(&self) -> Option<Lang> {
        self.explicit
    }

    pub fn error(&self, kind: ErrorKind) -> PageError {
        PageError::new(self.clone(), kind)
    }
}

/// The `lang` query parameter, if it names a supported language.
pub fn query_lang(req: &HttpRequest) -> Option<Lang> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| v.parse().ok())
}

/// The language chosen earlier, from its cookie. Most requests carry no
/// cookie at all, and asking actix for one parses and stores the (absent)
/// cookies in the request's extensions: a look at the header comes first.
fn cookie_lang(req: &HttpRequest) -> Option<Lang> {
    if !req.headers().contains_key(actix_web::http::header::COOKIE) {
        return None;
    }
    req.cookie(LANG_COOKIE).and_then(|c| c.value().parse().ok())
}

/// An HTTP worker's own texts, for its requests' `Ctx`: every request
/// clones the `Arc` that holds them, and a count both workers wrote moved
/// between the two cores on every request.
pub struct WorkerTexts(Arc<I18n>);

impl WorkerTexts {
    /// Texts like `shared`, made anew for one worker; `shared` itself in
    /// the unlikely case that fails (the same sources made `shared`).
    pub fn like(shared: &Arc<I18n>) -> WorkerTexts {
        WorkerTexts(shared.remade().map_or_else(|_| shared.clone(), Arc::new))
    }
}

impl FromRequest for Ctx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Ctx, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return ready(Err(actix_web::error::ErrorInternalServerError(
                "application state missing",
            )));
        };
        let explicit = query_lang(req).or_else(|| cookie_lang(req));
        let accept = req
            .headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language);
        // Every line of the header, in the order received: a proxy may add its
        // own line rather than append to the client's.
        let forwarded = req
            .headers()
            .get_all(actix_web::http::header::X_FORWARDED_FOR)
            .map(|v| v.as_bytes());
        let client = client_ip(
            req.peer_addr().map(|a| a.ip()),
            forwarded,
            &state.settings.trusted_proxies,
        )
        .map(IpKey::from)
        .unwrap_or_else(IpKey::unknown);
        ready(Ok(Ctx {
            i18n: match req.app_data::<WorkerTexts>() {
                Some(own) => own.0.clone(),
                None => state.services.i18n.clone(),
            },
            lang: explicit.or(accept).unwrap_or_default(),
            explicit,
            accept,
            path: req.path().to_string(),
            client,
        }))
    }
}
