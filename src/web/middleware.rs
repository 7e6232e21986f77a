use super::ctx::{query_lang, LANG_COOKIE};
use actix_web::body::MessageBody;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::Error;
use std::time::Instant;

/// Remembers an explicit language choice (`?lang=en`) in a cookie, so the
/// next pages keep it.
pub async fn remember_language(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let chosen = query_lang(req.request());
    let mut res = next.call(req).await?;
    if let Some(lang) = chosen {
        let cookie = Cookie::build(LANG_COOKIE, lang.code())
            .path("/")
            .max_age(CookieDuration::days(365))
            .same_site(SameSite::Lax)
            .http_only(true)
            .finish();
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            res.headers_mut().append(header::SET_COOKIE, value);
            // A response that sets this reader's cookie is theirs alone.
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            );
        }
    }
    Ok(res)
}

/// Answers `HEAD` wherever `GET` is answered: the request is routed as a
/// `GET`, and the connection, which still knows it was a `HEAD`, sends the
/// headers (`Content-Length` included) without the body. Link checkers,
/// monitors and crawlers ask with `HEAD`.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    next.call(req).await
}

/// One log line per request. It logs the route pattern, not the path,
/// because paths of emailed links carry secret tokens.
pub async fn log_request(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let start = Instant::now();
    let method = req.method().clone();
    let res = next.call(req).await?;
    // Read after routing, the pattern is looked up by the resource the
    // router chose; asked before, it walked every route again (regexes
    // included), a fortieth of the letter page's time.
    let route = res
        .request()
        .match_pattern()
        .unwrap_or_else(|| "(unmatched)".to_string());
    let status = res.status().as_u16();
    if let Some(state) = res.request().app_data::<actix_web::web::Data<super::AppState>>() {
        state.services.metrics.request(&route, status);
        if !state.services.access_log.should_log(&method, res.status()) {
            return Ok(res);
        }
    }
    let latency_ms = start.elapsed().as_secs_f64() * 1000.0;
    if res.status().is_server_error() {
        tracing::error!(%method, %route, status, latency_ms, "request");
    } else {
        tracing::info!(%method, %route, status, latency_ms, "request");
    }
    Ok(res)
}

/// The headers every response carries unless its handler set its own.
/// Constants, so that their bytes are checked once, when compiling:
/// `HeaderValue::from_static` called at run time walks its text on every
/// response (about a tenth of `/healthz`'s instructions under callgrind).
const DEFAULT_HEADERS: [(header::HeaderName, HeaderValue); 3] = [
    (
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ),
    (
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    ),
    (
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    ),
];

const HSTS: HeaderValue = HeaderValue::from_static("max-age=31536000; includeSubDomains");

/// Headers every response carries.
pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let hsts = req
        .app_data::<actix_web::web::Data<super::AppState>>()
        .is_some_and(|s| s.settings.hsts);
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    if hsts {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    for (name, value) in DEFAULT_HEADERS {
        if !headers.contains_key(&name) {
            headers.insert(name, value);
        }
    }
    Ok(res)
}
