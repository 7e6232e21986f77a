//! An organizing body's logo, as uploaded: PNG or JPEG only, read from the
//! bytes rather than from what the browser claims. SVG is refused: it is a
//! document that can carry script, and a logo needs none of that.

use sha2::{Digest, Sha256};

/// Largest logo accepted, in bytes.
pub const LOGO_MAX_BYTES: usize = 512 * 1024;
/// Largest side, in pixels: a bigger image is a photo, not a logo, and
/// would only slow the press kit down.
pub const LOGO_MAX_SIDE: usize = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LogoError {
    #[error("no file was chosen")]
    Missing,
    #[error("larger than {LOGO_MAX_BYTES} bytes")]
    TooLarge,
    #[error("neither PNG nor JPEG")]
    Type,
    #[error("not a readable image")]
    Unreadable,
    #[error("larger than {LOGO_MAX_SIDE} pixels a side")]
    Dimensions,
}

impl LogoError {
    pub fn message_id(self) -> &'static str {
        match self {
            LogoError::Missing => "error-logo-missing",
            LogoError::TooLarge => "error-logo-too-large",
            LogoError::Type => "error-logo-type",
            LogoError::Unreadable => "error-logo-unreadable",
            LogoError::Dimensions => "error-logo-dimensions",
        }
    }
}

/// A checked logo: its bytes, their type and size, and a digest that names
/// this version in its address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    content_type: &'static str,
    width: u32,
    height: u32,
    digest: String,
    bytes: Vec<u8>,
}

impl Logo {
    pub fn parse(bytes: Vec<u8>) -> Result<Logo, LogoError> {
        if bytes.is_empty() {
            return Err(LogoError::Missing);
        }
        if bytes.len() > LOGO_MAX_BYTES {
            return Err(LogoError::TooLarge);
        }
        let content_type = match imagesize::image_type(&bytes) {
            Ok(imagesize::ImageType::Png) => "image/png",
            Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
            // SVG, GIF, WebP, HTML…: the formats this build does not read
            // are not recognised at all.
            _ => return Err(LogoError::Type),
        };
        let size = imagesize::blob_size(&bytes).map_err(|_| LogoError::Unreadable)?;
        if size.width == 0 || size.height == 0 {
            return Err(LogoError::Unreadable);
        }
        if size.width > LOGO_MAX_SIDE || size.height > LOGO_MAX_SIDE {
            return Err(LogoError::Dimensions);
        }
        let digest = hex::encode(&Sha256::digest(&bytes)[..8]);
        Ok(Logo {
            content_type,
            // Both are at most LOGO_MAX_SIDE here.
            width: size.width as u32,
            height: size.height as u32,
            digest,
            bytes,
        })
    }

    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    pub fn digest(&self) -> &str {
        &self.digest
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A 2×1 PNG header (signature and IHDR), enough for the size reader.
    pub fn png(width: u32, height: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&width.to_be_bytes());
        b.extend_from_slice(&height.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    #[test]
    fn reads_a_png_by_its_bytes() {
        let logo = Logo::parse(png(2, 1)).unwrap();
        assert_eq!(logo.content_type(), "image/png");
        assert_eq!(logo.size(), (2, 1));
        assert_eq!(logo.digest().len(), 16);
    }

    #[test]
    fn refuses_svg_html_empty_huge_and_broken() {
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        assert_eq!(Logo::parse(svg.to_vec()), Err(LogoError::Type));
        assert_eq!(Logo::parse(b"<html>".to_vec()), Err(LogoError::Type));
        assert_eq!(Logo::parse(b"GIF89a\x01\0\x01\0".to_vec()), Err(LogoError::Type));
        assert_eq!(Logo::parse(Vec::new()), Err(LogoError::Missing));
        let mut big = png(2, 1);
        big.resize(LOGO_MAX_BYTES + 1, 0);
        assert_eq!(Logo::parse(big), Err(LogoError::TooLarge));
        assert_eq!(Logo::parse(png(5000, 10)), Err(LogoError::Dimensions));
        assert_eq!(Logo::parse(png(0, 10)), Err(LogoError::Unreadable));
        let mut broken_jpeg = b"\xff\xd8\xff\xe0".to_vec();
        broken_jpeg.resize(64, 0);
        assert!(Logo::parse(broken_jpeg).is_err());
    }
}
