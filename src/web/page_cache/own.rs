//! A worker's own copy of a page (`super::front`), and the last body it
//! made of it.
//!
//! A form token is a function of its letter and of the millisecond it is
//! issued in (`web::form_token`), so every response a worker sends of one
//! page within one millisecond carries the same token. Under a burst a
//! worker answers tens of them in each: signing the token, filling it into
//! the page or its gzip twin (a stored block, a CRC joined, a trailer) and
//! handing actix four pieces to copy was, after the bytes themselves, most
//! of what the letter page cost beyond a static file of its size. So the
//! copy keeps, for each representation, the last body it made whole, and
//! sends it again while its millisecond lasts: the same bytes, the same
//! token, made once. A body is made whole only when asked for a second
//! time in its millisecond, so a quiet site pays no extra copy for it.

use super::CachedPage;
use crate::web::http_cache::{Body, Pieces};
use actix_web::web::Bytes;
use std::cell::RefCell;

/// A worker's own copy of a page, with the last bodies made of it.
pub struct OwnPage {
    page: CachedPage,
    /// The plain representation's, then the gzip one's.
    last: [RefCell<Last>; 2],
}

/// The last body made for one representation.
enum Last {
    Nothing,
    /// Sent in pieces, at this moment.
    Sent(i64),
    /// Made whole: its moment, its bytes, and whether they are gzip.
    Whole {
        at: i64,
        body: Bytes,
        gzip: bool,
    },
}

impl OwnPage {
    pub fn new(page: CachedPage) -> OwnPage {
        OwnPage {
            page,
            last: [RefCell::new(Last::Nothing), RefCell::new(Last::Nothing)],
        }
    }

    /// The body for a client that does (`gzip`) or does not take gzip, at
    /// `now_ms`, with the token `issue` signs for that millisecond; `issue`
    /// is called only if the page has a form and no body of this
    /// millisecond was kept.
    pub fn body_at(&self, gzip: bool, now_ms: i64, issue: impl FnOnce() -> String) -> Body {
        // A page without a form (a closed letter's) is the same whatever
        // the time.
        let hole = self.page.has_token_hole();
        let at = if hole { now_ms } else { 0 };
        let mut last = self.last[usize::from(gzip)].borrow_mut();
        if let Last::Whole { at: made, body, gzip } = &*last {
            if *made == at {
                return Body::Negotiated {
                    body: Pieces::whole(body.clone()),
                    gzip: *gzip,
                };
            }
        }
        let token = if hole { issue() } else { String::new() };
        let (pieces, gzip) = self.page.pieces(gzip, &token);
        if !matches!(*last, Last::Sent(sent) if sent == at) {
            *last = Last::Sent(at);
            return Body::Negotiated { body: pieces, gzip };
        }
        let whole = pieces.into_bytes();
        *last = Last::Whole {
            at,
            body: whole.clone(),
            gzip,
        };
        Body::Negotiated {
            body: Pieces::whole(whole),
            gzip,
        }
    }

    /// Its share of a worker's budget: the page, and the two bodies it may
    /// keep whole, each no larger than the page.
    pub fn weight(&self) -> u64 {
        2 * u64::from(self.page.weight())
    }
}

impl std::ops::Deref for OwnPage {
    type Target = CachedPage;

    fn deref(&self) -> &CachedPage {
        &self.page
    }
}

#[cfg(test)]
mod tests {
    use super::super::gzip::tests::gunzip;
    use super::*;
    use std::cell::Cell;

    fn bytes_of(body: Body) -> (Vec<u8>, bool) {
        match body {
            Body::Negotiated { body, gzip } => (body.to_vec(), gzip),
            Body::Fixed(text) => (text.into_bytes(), false),
        }
    }

    /// `own`'s body at `ms`, counting the tokens signed.
    fn body(own: &OwnPage, gzip: bool, ms: i64, signed: &Cell<u32>) -> String {
        let (bytes, gzipped) = bytes_of(own.body_at(gzip, ms, || {
            signed.set(signed.get() + 1);
            format!("T{ms}")
        }));
        assert_eq!(gzipped, gzip, "the representation asked for");
        String::from_utf8(if gzip { gunzip(&bytes) } else { bytes }).expect("UTF-8")
    }

    #[test]
    fn each_response_carries_the_token_of_its_own_millisecond() {
        let own = OwnPage::new(CachedPage::new("l1".into(), "<form>HOLE</form>", "HOLE"));
        let signed = Cell::new(0);
        for gzip in [false, true] {
            signed.set(0);
            // Asked for three times in one millisecond: signed once the
            // first two times (the second makes it whole), then kept.
            for _ in 0..3 {
                assert_eq!(body(&own, gzip, 5, &signed), "<form>T5</form>");
            }
            assert_eq!(signed.get(), 2);
            // A new millisecond, a new token; back to an old one, a token
            // signed again for it, never the body kept for another.
            assert_eq!(body(&own, gzip, 6, &signed), "<form>T6</form>");
            assert_eq!(body(&own, gzip, 6, &signed), "<form>T6</form>");
            assert_eq!(body(&own, gzip, 5, &signed), "<form>T5</form>");
            assert_eq!(signed.get(), 5);
        }
    }

    #[test]
    fn the_two_representations_are_kept_apart() {
        let own = OwnPage::new(CachedPage::new("l1".into(), "<p>a</p>HOLE<p>b</p>", "HOLE"));
        let signed = Cell::new(0);
        for _ in 0..2 {
            assert_eq!(body(&own, true, 9, &signed), "<p>a</p>T9<p>b</p>");
            assert_eq!(body(&own, false, 9, &signed), "<p>a</p>T9<p>b</p>");
        }
        let (kept, _) = bytes_of(own.body_at(true, 9, || unreachable!("kept whole")));
        assert_eq!(gunzip(&kept), b"<p>a</p>T9<p>b</p>");
    }

    #[test]
    fn a_page_without_a_form_is_made_whole_once() {
        let own = OwnPage::new(CachedPage::new("l1".into(), "<p>closed</p>", "HOLE"));
        let signed = Cell::new(0);
        for ms in 1..5 {
            assert_eq!(body(&own, false, ms, &signed), "<p>closed</p>");
        }
        assert_eq!(signed.get(), 0, "no token is signed for it");
        let (kept, _) = bytes_of(own.body_at(false, 9, || unreachable!("no form")));
        assert_eq!(kept, b"<p>closed</p>");
    }
}
