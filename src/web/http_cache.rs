//! Validators and cache headers for public GETs, so a CDN or a browser can
//! keep a page and ask "has it changed?" instead of fetching it again.

use actix_web::body::{BodySize, MessageBody};
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use std::pin::Pin;
use std::task::{Context, Poll};

/// A short hash of the parts of a body, as a quoted entity tag.
pub fn etag_of(parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    format!("\"{}\"", hex::encode(&hasher.finalize()[..12]))
}

/// Whether the request's `If-None-Match` names `etag`. Comparison is weak
/// (RFC 9110 §13.1.2): `W/` prefixes are ignored on both sides. Read as
/// bytes: a value that is not visible ASCII matches no tag of ours anyway.
pub fn matches(req: &HttpRequest, etag: &HeaderValue) -> bool {
    let ours = strong(etag.as_bytes());
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .flat_map(|v| v.as_bytes().split(|&b| b == b','))
        .map(<[u8]>::trim_ascii)
        .any(|theirs| theirs == b"*" || strong(theirs) == ours)
}

/// A tag without its weakness mark.
fn strong(tag: &[u8]) -> &[u8] {
    tag.strip_prefix(b"W/").unwrap_or(tag)
}

/// An entity tag as sent, for each of a page's two representations: the
/// gzip one has a tag of its own, since its bytes differ (RFC 9110 §8.8.3).
/// Made once per kept page: formatted and checked on every response, the
/// tags were a twentieth of the letter page's instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags {
    plain: HeaderValue,
    gzip: HeaderValue,
}

impl Tags {
    /// The tags of `etag`, a quoted tag (`"…"` or `W/"…"`).
    pub fn new(etag: &str) -> Tags {
        Tags {
            plain: tag_value(etag.to_string()),
            gzip: tag_value(gzip_tag(etag)),
        }
    }

    /// Weak tags for a page whose responses differ only by something
    /// that does not change what it means (a form token): `etag` with
    /// `period` in it.
    pub fn weak(etag: &str, period: i64) -> Tags {
        Tags::new(&format!("W/\"{}-{period}\"", etag.trim_matches('"')))
    }

    /// A copy in memory of its own: a cloned `HeaderValue` shares its
    /// bytes, and their reference count, with the original.
    pub fn own_copy(&self) -> Tags {
        let copy =
            |value: &HeaderValue| HeaderValue::from_bytes(value.as_bytes()).unwrap_or_else(|_| value.clone());
        Tags {
            plain: copy(&self.plain),
            gzip: copy(&self.gzip),
        }
    }

    /// The tags of a page sent only plain (`Body::Fixed`): its gzip tag
    /// is never asked for, so it is not formatted.
    pub fn plain(etag: &str) -> Tags {
        let plain = tag_value(etag.to_string());
        Tags {
            gzip: plain.clone(),
            plain,
        }
    }

    /// Bytes held by the tags' texts, for a cache's weigher.
    pub fn bytes(&self) -> usize {
        self.plain.len() + self.gzip.len()
    }

    /// The tag of the gzip (`true`) or the plain representation.
    pub fn of(&self, gzip: bool) -> &HeaderValue {
        if gzip {
            &self.gzip
        } else {
            &self.plain
        }
    }
}

/// A tag of ours as a header value: hex digits, quotes and `W/`, so always
/// a valid one.
pub fn tag_value(tag: String) -> HeaderValue {
    HeaderValue::try_from(tag).unwrap_or(HeaderValue::from_static("\"\""))
}

/// `Cache-Control` for a public page: browsers revalidate every time, shared
/// caches may serve it for `shared_secs` (the time the count may lag anyway).
/// Made once, when the site starts, rather than formatted per response.
#[derive(Clone)]
pub struct PublicCacheControl {
    secs: u64,
    value: HeaderValue,
}

impl PublicCacheControl {
    pub fn new(shared_secs: u64) -> PublicCacheControl {
        PublicCacheControl {
            secs: shared_secs,
            value: static_cache_control(shared_secs),
        }
    }

    /// The header for any page.
    pub fn value(&self) -> HeaderValue {
        self.value.clone()
    }

    /// The header for a page that stops holding in `holds_for`, if it does:
    /// shared caches keep it no longer than that.
    pub fn at_most(&self, holds_for: Option<std::time::Duration>) -> HeaderValue {
        match holds_for.map(|d| d.as_secs()) {
            Some(secs) if secs < self.secs => cache_control_value(secs),
            _ => self.value(),
        }
    }
}

fn cache_control_value(shared_secs: u64) -> HeaderValue {
    HeaderValue::try_from(cache_control_text(shared_secs)).unwrap_or(HeaderValue::from_static("no-cache"))
}

fn cache_control_text(shared_secs: u64) -> String {
    format!("public, max-age=0, s-maxage={shared_secs}, must-revalidate")
}

/// The setting's header, made once for the process's life. Static, so a
/// response takes a copy of the pointer: a value made at run time is
/// shared through a reference count, which both HTTP workers would write
/// on every letter page. Its text is leaked once per distinct setting, not
/// per site started (the tests start hundreds in one process).
fn static_cache_control(shared_secs: u64) -> HeaderValue {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static MADE: OnceLock<Mutex<HashMap<u64, &'static str>>> = OnceLock::new();
    let mut made = MADE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let text: &'static str = made
        .entry(shared_secs)
        .or_insert_with(|| Box::leak(cache_control_text(shared_secs).into_boxed_str()));
    // Digits and ASCII letters only: always a valid value.
    HeaderValue::from_static(text)
}

/// The content type of every page.
pub const HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");

/// What a response carries.
pub enum Body {
    /// The one representation there is.
    Fixed(String),
    /// One of the page's two representations, picked by the client's
    /// `Accept-Encoding`: gzip-compressed or not.
    Negotiated { body: Pieces, gzip: bool },
}

/// A body sent as a few pieces, most of them shared with the page cache
/// (a page around its form token). The connection copies each piece into
/// its buffer; assembling the page first was a second copy of every byte,
/// and a page-sized allocation, on each response of the busiest page.
pub struct Pieces {
    parts: [Bytes; 4],
    next: usize,
}

impl Pieces {
    pub fn new(parts: [Bytes; 4]) -> Pieces {
        Pieces { parts, next: 0 }
    }

    /// A body in one piece.
    pub fn whole(body: Bytes) -> Pieces {
        Pieces::new([body, Bytes::new(), Bytes::new(), Bytes::new()])
    }

    /// The pieces still to send, in one buffer: the one piece itself if
    /// the others are empty.
    pub fn into_bytes(self) -> Bytes {
        match self.try_into_bytes() {
            Ok(only) => only,
            Err(pieces) => {
                let mut whole = actix_web::web::BytesMut::with_capacity(pieces.remaining());
                for part in &pieces.parts[pieces.next..] {
                    whole.extend_from_slice(part);
                }
                whole.freeze()
            }
        }
    }

    /// Bytes still to send.
    fn remaining(&self) -> usize {
        self.parts[self.next..].iter().map(Bytes::len).sum()
    }

    /// The whole body in one buffer, for tests.
    #[cfg(test)]
    pub fn to_vec(&self) -> Vec<u8> {
        self.parts[self.next..].concat()
    }
}

impl MessageBody for Pieces {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.remaining() as u64)
    }

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Bytes, Self::Error>>> {
        while self.next < self.parts.len() {
            let at = self.next;
            self.next += 1;
            let part = std::mem::take(&mut self.parts[at]);
            if !part.is_empty() {
                return Poll::Ready(Some(Ok(part)));
            }
        }
        Poll::Ready(None)
    }

    /// A body in one piece (a worker's kept body, most letter pages under
    /// load) goes as plain bytes: actix then neither boxes it (an
    /// allocation) nor polls it through a `dyn` call.
    fn try_into_bytes(mut self) -> Result<Bytes, Self> {
        let (first, second) = {
            let mut filled = (self.next..self.parts.len()).filter(|&at| !self.parts[at].is_empty());
            (filled.next(), filled.next())
        };
        match (first, second) {
            (Some(only), None) => Ok(std::mem::take(&mut self.parts[only])),
            (None, _) => Ok(Bytes::new()),
            _ => Err(self),
        }
    }
}

/// Whether the client takes gzip (`Accept-Encoding`, RFC 9110 §12.5.3). No
/// header, or one we cannot read, means the plain page.
pub fn accepts_gzip(req: &HttpRequest) -> bool {
    // Most clients that send nothing are scripts and probes: skip the parse.
    if !req.headers().contains_key(header::ACCEPT_ENCODING) {
        return false;
    }
    if let Some(plain) = unweighted_choice(req) {
        return plain;
    }
    let offered = [header::Encoding::gzip(), header::Encoding::identity()];
    <header::AcceptEncoding as header::Header>::parse(req)
        .ok()
        .and_then(|accept| accept.negotiate(offered.iter()))
        .is_some_and(|chosen| chosen == header::Encoding::gzip())
}

/// The answer for a header without weights (no `;q=`), which is what
/// browsers send ("gzip, deflate, br, zstd"), read without the full parse
/// (a tenth of a gzip letter page's instructions): every coding then has
/// the same weight, and actix's `negotiate` ranks gzip above identity
/// among equals, so gzip listed anywhere wins. `None` for anything else,
/// which the full parse decides.
fn unweighted_choice(req: &HttpRequest) -> Option<bool> {
    let mut gzip = false;
    for value in req.headers().get_all(header::ACCEPT_ENCODING) {
        let text = value.to_str().ok()?;
        if text.contains(';') {
            return None;
        }
        gzip |= text
            .split(',')
            .any(|coding| coding.trim().eq_ignore_ascii_case("gzip"));
    }
    Some(gzip)
}

/// The tag of the gzip representation: another tag, since its bytes differ
/// (RFC 9110 §8.8.3).
fn gzip_tag(etag: &str) -> String {
    match etag.strip_suffix('"') {
        Some(open) => format!("{open}-gz\""),
        None => format!("{etag}-gz"),
    }
}

// Constants, as in `middleware::security_headers`: `HeaderValue::from_static`
// called at run time checks its text on every response.
const VARY_PAGE: HeaderValue = HeaderValue::from_static("Cookie, Accept-Language");
const VARY_NEGOTIATED_PAGE: HeaderValue =
    HeaderValue::from_static("Cookie, Accept-Language, Accept-Encoding");
const VARY_ENCODING: HeaderValue = HeaderValue::from_static("Accept-Encoding");
const GZIP: HeaderValue = HeaderValue::from_static("gzip");

/// A 200 with validators, or a 304 when the client already holds it.
pub fn respond(
    req: &HttpRequest,
    content_type: HeaderValue,
    body: Body,
    tags: &Tags,
    cache_control: HeaderValue,
) -> HttpResponse {
    let (gzip, vary) = match &body {
        Body::Fixed(_) => (false, VARY_PAGE),
        Body::Negotiated { gzip, .. } => (*gzip, VARY_NEGOTIATED_PAGE),
    };
    let etag = tags.of(gzip);
    let fresh = matches(req, etag);
    let mut builder = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    builder
        .insert_header((header::ETAG, etag.clone()))
        .insert_header((header::CACHE_CONTROL, cache_control))
        // The language cookie and header can change the page, and so may
        // the encodings the client takes.
        .insert_header((header::VARY, vary));
    if fresh {
        return builder.finish();
    }
    mark_gzip(&mut builder, gzip);
    builder.insert_header((header::CONTENT_TYPE, content_type));
    match body {
        Body::Fixed(text) => builder.body(text),
        Body::Negotiated { body, .. } => builder.body(body),
    }
}

/// Names the encoding of a gzip body; a plain body needs nothing.
fn mark_gzip(builder: &mut actix_web::HttpResponseBuilder, gzip: bool) {
    if gzip {
        builder.insert_header((header::CONTENT_ENCODING, GZIP));
    }
}

/// A 200 without validators, for documents that have none (the API's).
pub fn unvalidated(content_type: &'static str, body: Body) -> HttpResponse {
    let mut builder = HttpResponse::Ok();
    builder.content_type(content_type);
    match body {
        Body::Fixed(text) => builder.body(text),
        Body::Negotiated { body, gzip } => {
            builder.insert_header((header::VARY, VARY_ENCODING));
            mark_gzip(&mut builder, gzip);
            builder.body(body)
        }
    }
}

/// A public HTML page whose body is the same for everyone who asks.
pub fn public_html(req: &HttpRequest, body: String, cache_control: &PublicCacheControl) -> HttpResponse {
    let tags = Tags::plain(&etag_of(&[body.as_bytes()]));
    respond(req, HTML, Body::Fixed(body), &tags, cache_control.value())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn weak_and_strong_tags_match_and_lists_are_read() {
        let tag = etag_of(&[b"page"]);
        let value = |t: &str| HeaderValue::try_from(t).expect("a tag");
        let req = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, format!("\"other\", W/{tag}")))
            .to_http_request();
        assert!(matches(&req, &value(&tag)));
        assert!(matches(&req, &value(&format!("W/{tag}"))));
        let req = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "\"other\""))
            .to_http_request();
        assert!(!matches(&req, &value(&tag)));
        assert!(!matches(&TestRequest::default().to_http_request(), &value(&tag)));
        let req = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "*"))
            .to_http_request();
        assert!(matches(&req, &value(&tag)));
    }

    #[actix_web::test]
    async fn pieces_send_every_byte_once_in_order_and_say_their_size() {
        let body = Pieces::new([
            Bytes::from_static(b"<p>"),
            Bytes::new(),
            Bytes::from_static(b"token"),
            Bytes::from_static(b"</p>"),
        ]);
        assert_eq!(body.size(), BodySize::Sized(12));
        let sent = actix_web::body::to_bytes(body).await.expect("infallible");
        assert_eq!(&sent[..], b"<p>token</p>");
    }

    #[test]
    fn a_body_in_one_piece_goes_as_plain_bytes_and_pieces_stay_pieces() {
        let whole = Pieces::whole(Bytes::from_static(b"<p>page</p>"));
        let boxed = actix_web::body::BoxBody::new(whole);
        assert_eq!(boxed.try_into_bytes().ok().as_deref(), Some(&b"<p>page</p>"[..]));
        let split = Pieces::new([
            Bytes::from_static(b"<p>"),
            Bytes::from_static(b"token"),
            Bytes::from_static(b"</p>"),
            Bytes::new(),
        ]);
        let split = split.try_into_bytes().expect_err("three pieces are not one");
        assert_eq!(split.into_bytes(), Bytes::from_static(b"<p>token</p>"));
        assert_eq!(
            Pieces::whole(Bytes::new()).try_into_bytes().ok(),
            Some(Bytes::new())
        );
    }

    /// What actix's own parse and negotiation choose, without the shortcut.
    fn negotiated(req: &HttpRequest) -> bool {
        let offered = [header::Encoding::gzip(), header::Encoding::identity()];
        <header::AcceptEncoding as header::Header>::parse(req)
            .ok()
            .and_then(|accept| accept.negotiate(offered.iter()))
            .is_some_and(|chosen| chosen == header::Encoding::gzip())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn the_shortcut_chooses_as_the_full_negotiation(
            lines in proptest::collection::vec(
                proptest::collection::vec(
                    (
                        proptest::sample::select(vec![
                            "gzip", "GZip", "identity", "br", "deflate", "zstd", "*", "x-gzip", "",
                        ]),
                        proptest::sample::select(vec!["", " ", ";q=0", ";q=0.5", " ;q=1"]),
                    ),
                    0..5,
                ),
                1..3,
            ),
        ) {
            let mut req = TestRequest::default();
            for line in &lines {
                let text: Vec<String> = line.iter().map(|(c, w)| format!(" {c}{w}")).collect();
                req = req.append_header((header::ACCEPT_ENCODING, text.join(",")));
            }
            let req = req.to_http_request();
            proptest::prop_assert_eq!(accepts_gzip(&req), negotiated(&req), "{:?}", lines);
        }
    }

    #[test]
    fn browsers_headers_take_gzip_and_a_refusal_does_not() {
        for (value, gzip) in [
            ("gzip, deflate, br, zstd", true),
            ("br, gzip", true),
            ("identity, gzip", true),
            ("gzip;q=0, identity", false),
            ("br", false),
        ] {
            let req = TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, value))
                .to_http_request();
            assert_eq!(accepts_gzip(&req), gzip, "{value}");
        }
    }

    #[test]
    fn tags_name_each_representation_and_weak_ones_their_period() {
        let tags = Tags::new("\"abc\"");
        assert_eq!(tags.of(false), "\"abc\"");
        assert_eq!(tags.of(true), "\"abc-gz\"");
        let weak = Tags::weak("\"abc\"", 7);
        assert_eq!(weak.of(false), "W/\"abc-7\"");
        assert_eq!(weak.of(true), "W/\"abc-7-gz\"");
        let plain = Tags::plain("\"abc\"");
        assert_eq!(plain.of(false), "\"abc\"");
        assert_eq!(plain.bytes(), 10);
    }

    #[test]
    fn a_setting_is_made_static_once_however_many_sites_start() {
        let first = PublicCacheControl::new(31).value();
        let again = PublicCacheControl::new(31).value();
        assert_eq!(first, "public, max-age=0, s-maxage=31, must-revalidate");
        assert_eq!(first.as_bytes().as_ptr(), again.as_bytes().as_ptr());
        assert_eq!(
            PublicCacheControl::new(32).value(),
            "public, max-age=0, s-maxage=32, must-revalidate"
        );
    }

    #[test]
    fn shared_caches_keep_a_page_no_longer_than_it_holds() {
        let control = PublicCacheControl::new(30);
        let says = |v: HeaderValue| v.to_str().expect("ASCII").to_string();
        assert_eq!(
            says(control.value()),
            "public, max-age=0, s-maxage=30, must-revalidate"
        );
        assert_eq!(says(control.at_most(None)), says(control.value()));
        assert_eq!(
            says(control.at_most(Some(std::time::Duration::from_secs(90)))),
            says(control.value())
        );
        assert_eq!(
            says(control.at_most(Some(std::time::Duration::from_millis(4_500)))),
            "public, max-age=0, s-maxage=4, must-revalidate"
        );
    }

    #[test]
    fn tags_differ_with_content() {
        assert_ne!(etag_of(&[b"a"]), etag_of(&[b"b"]));
        assert_eq!(etag_of(&[b"ab"]), etag_of(&[b"a", b"b"]));
    }
}
