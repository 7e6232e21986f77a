//! The PNG share cards this process has drawn, by the digest of the SVG
//! they were drawn from. The SVG holds everything the picture shows
//! (title, count step, language), so a changed title or a new count step
//! is a new key and a stale picture is never served; drawing (tens of
//! milliseconds) happens once per letter and step.

use super::ErrorKind;
use crate::views::card_png::CardPainter;
use actix_web::web::{self, Bytes};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// At most this many bytes of PNG are kept (a card weighs 30–80 KB).
const MAX_BYTES: u64 = 32 * 1024 * 1024;

pub struct CardCache {
    painter: Arc<CardPainter>,
    pngs: moka::sync::Cache<[u8; 32], Bytes>,
}

impl Default for CardCache {
    fn default() -> Self {
        Self::new()
    }
}

impl CardCache {
    pub fn new() -> CardCache {
        CardCache {
            painter: Arc::new(CardPainter::new()),
            pngs: moka::sync::Cache::builder()
                .max_capacity(MAX_BYTES)
                .weigher(|_, png: &Bytes| u32::try_from(png.len()).unwrap_or(u32::MAX))
                .build(),
        }
    }

    /// The PNG of `svg` and its digest: from memory, or drawn on the
    /// blocking pool, never on an async worker.
    pub async fn png(&self, svg: String) -> Result<(Bytes, [u8; 32]), ErrorKind> {
        let key: [u8; 32] = Sha256::digest(svg.as_bytes()).into();
        if let Some(png) = self.pngs.get(&key) {
            return Ok((png, key));
        }
        let painter = self.painter.clone();
        let drawn = web::block(move || painter.png(&svg)).await;
        match drawn {
            Ok(Ok(png)) => {
                let png = Bytes::from(png);
                self.pngs.insert(key, png.clone());
                Ok((png, key))
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "share card not drawn");
                Err(ErrorKind::Internal)
            }
            Err(e) => {
                tracing::error!(error = %e, "blocking task failed");
                Err(ErrorKind::Internal)
            }
        }
    }
}
