//! A cached page kept gzip-compressed as well, with its form token still to
//! be filled in per response.
//!
//! Every browser asks for gzip, and a letter page shrinks to about a third,
//! which matters on a phone and for the server, whose time serving a cached
//! page goes mostly to the kernel sending its bytes. Compressing each
//! response would cost far more than sending it, so the page is compressed
//! once, around its token: the part before the token as deflate blocks that
//! end on a byte boundary (a sync flush), the part after as a second deflate
//! stream that ends the data. A response is then the gzip header, the first
//! part, the token in a stored (uncompressed) block, the second part, and
//! the trailer. Deflate lets blocks follow one another this way (RFC 1951
//! §3.2.3), and each part's back-references stay within its own bytes.
//!
//! The trailer's CRC-32 covers the whole uncompressed page; the two parts'
//! CRCs are kept and joined with the token's (`super::crc_shift`: four table
//! lookups, the part after the token having a known length), so no response
//! reads the page's bytes again.

use super::crc_shift::CrcShift;
use crate::web::http_cache::Pieces;
use actix_web::web::Bytes;
use flate2::{Compress, Compression, FlushCompress, Status};

/// Gzip's fixed header: magic, deflate, no flags, no time, no extra flags,
/// unknown OS (RFC 1952 §2.3).
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// The most a stored block holds (RFC 1951 §3.2.4).
const STORED_MAX: usize = 0xffff;

pub struct GzipPage {
    /// The gzip header, then the part before the token.
    before: Bytes,
    after: Bytes,
    crc_before: crc32fast::Hasher,
    crc_after: u32,
    /// Joins a CRC to the part after the token.
    past_after: CrcShift,
    /// Uncompressed length of both parts.
    plain_len: u64,
}

impl GzipPage {
    /// `None` only if the compressor fails, which it does not on memory it
    /// was given; the page is then served plain.
    pub fn new(before: &[u8], after: &[u8]) -> Option<GzipPage> {
        let mut crc_before = crc32fast::Hasher::new();
        crc_before.update(before);
        let mut headed = HEADER.to_vec();
        headed.extend_from_slice(&deflate(before, FlushCompress::Sync)?);
        Some(GzipPage {
            before: Bytes::from(headed),
            after: Bytes::from(deflate(after, FlushCompress::Finish)?),
            crc_before,
            crc_after: crc32fast::hash(after),
            past_after: CrcShift::over(after.len() as u64),
            plain_len: (before.len() + after.len()) as u64,
        })
    }

    /// The gzip member for the page with `token` in its hole: the kept
    /// parts shared, the token's stored blocks and the trailer made anew.
    pub fn with_token(&self, token: &[u8]) -> Pieces {
        let blocks = token.len().div_ceil(STORED_MAX);
        let mut middle = Vec::with_capacity(blocks * 5 + token.len());
        for chunk in token.chunks(STORED_MAX) {
            // Not the last block, stored; the sync flush left us on a byte
            // boundary, so the block's header bits fill one byte.
            let len = chunk.len() as u16;
            middle.push(0);
            middle.extend_from_slice(&len.to_le_bytes());
            middle.extend_from_slice(&(!len).to_le_bytes());
            middle.extend_from_slice(chunk);
        }
        let mut crc = self.crc_before.clone();
        crc.update(token);
        let crc = self.past_after.join(crc.finalize(), self.crc_after);
        let size = self.plain_len + token.len() as u64;
        let mut trailer = [0u8; 8];
        trailer[..4].copy_from_slice(&crc.to_le_bytes());
        // ISIZE is the length modulo 2^32.
        trailer[4..].copy_from_slice(&(size as u32).to_le_bytes());
        Pieces::new([
            self.before.clone(),
            Bytes::from(middle),
            self.after.clone(),
            Bytes::copy_from_slice(&trailer),
        ])
    }

    /// A copy in memory of its own (see `CachedPage::own_copy`).
    pub fn own_copy(&self) -> GzipPage {
        GzipPage {
            before: Bytes::copy_from_slice(&self.before),
            after: Bytes::copy_from_slice(&self.after),
            crc_before: self.crc_before.clone(),
            crc_after: self.crc_after,
            past_after: self.past_after.clone(),
            plain_len: self.plain_len,
        }
    }

    /// Bytes held, for the cache's budget.
    pub fn len(&self) -> usize {
        self.before.len() + self.after.len() + CrcShift::SIZE
    }
}

/// `input` as raw deflate, ended by `flush`: `Sync` leaves the stream open on
/// a byte boundary, `Finish` closes it with a final block.
fn deflate(input: &[u8], flush: FlushCompress) -> Option<Vec<u8>> {
    let mut compress = Compress::new(Compression::default(), false);
    let mut out = Vec::with_capacity(input.len() / 2 + 64);
    loop {
        let read = compress.total_in() as usize;
        if out.len() == out.capacity() {
            out.reserve(out.capacity().max(64));
        }
        let status = compress.compress_vec(&input[read..], &mut out, flush).ok()?;
        let done = compress.total_in() as usize == input.len() && out.len() < out.capacity();
        // The cache weighs a page by its length: keep no spare capacity.
        match status {
            Status::StreamEnd => return Some(shrunk(out)),
            // A sync flush is complete once all input is in and the output
            // had room to spare (zlib's own test for a finished flush).
            Status::Ok | Status::BufError if done && matches!(flush, FlushCompress::Sync) => {
                return Some(shrunk(out))
            }
            Status::Ok | Status::BufError => {}
        }
    }
}

fn shrunk(mut out: Vec<u8>) -> Vec<u8> {
    out.shrink_to_fit();
    out
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Read;

    /// The one gzip member `bytes` holds, decompressed.
    pub(in crate::web::page_cache) fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut decoder = flate2::read::GzDecoder::new(bytes);
        decoder.read_to_end(&mut out).expect("a valid gzip member");
        // Nothing may follow the member.
        assert_eq!(decoder.into_inner().len(), 0, "trailing bytes");
        out
    }

    #[test]
    fn a_page_reads_back_whole_with_each_token() {
        let before = "<html><body><p>Une lettre ouverte : « signez ».</p>".repeat(40);
        let after = "</form><footer>Pied de page</footer></body></html>".repeat(30);
        let page = GzipPage::new(before.as_bytes(), after.as_bytes()).expect("compressed");
        for token in ["1764620000000.abcdef", "", "T"] {
            let plain = gunzip(&page.with_token(token.as_bytes()).to_vec());
            assert_eq!(plain, format!("{before}{token}{after}").into_bytes());
        }
        assert!(
            (page.len() - CrcShift::SIZE) * 5 < before.len() + after.len(),
            "repetitive text compresses"
        );
    }

    #[test]
    fn a_token_longer_than_a_stored_block_is_split() {
        let token = vec![b'x'; STORED_MAX * 2 + 3];
        let page = GzipPage::new(b"a", b"b").expect("compressed");
        let plain = gunzip(&page.with_token(&token).to_vec());
        assert_eq!(plain.len(), token.len() + 2);
        assert_eq!(plain[0], b'a');
        assert_eq!(plain[plain.len() - 1], b'b');
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_page_and_token_read_back_exactly(
            before in proptest::collection::vec(any::<u8>(), 0..20_000),
            after in proptest::collection::vec(any::<u8>(), 0..20_000),
            token in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let page = GzipPage::new(&before, &after).expect("compressed");
            let plain = gunzip(&page.with_token(&token).to_vec());
            let expected: Vec<u8> = [&before[..], &token[..], &after[..]].concat();
            prop_assert_eq!(plain, expected);
        }
    }
}
