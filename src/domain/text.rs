use unicode_normalization::UnicodeNormalization;

/// Why a line of free text was refused. Each variant maps to one translated
/// message, so the reader learns exactly what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("this field is required")]
    Empty,
    #[error("longer than {max} characters")]
    TooLong { max: usize },
    #[error("contains a control character")]
    ControlCharacter,
    #[error("contains a bidirectional override character")]
    BidiOverride,
    #[error("contains bytes that are not valid text")]
    InvalidEncoding,
    #[error("contains a check mark, kept for verified titles")]
    CheckMark,
}

impl TextError {
    /// The i18n message id for this error.
    pub fn message_id(&self) -> &'static str {
        match self {
            TextError::Empty => "error-required",
            TextError::TooLong { .. } => "error-too-long",
            TextError::ControlCharacter => "error-control-character",
            TextError::BidiOverride => "error-bidi-override",
            TextError::InvalidEncoding => "error-invalid-encoding",
            TextError::CheckMark => "error-check-mark",
        }
    }
}

/// Embedding and override controls (U+202A–U+202E) and isolates
/// (U+2066–U+2069) can make a name display as something else entirely.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Cleans one line typed by a person: trims surrounding white space, puts
/// it in NFC so that the same name typed on two keyboards compares equal, and
/// refuses what no name or title needs. Everything else, typographic quotes
/// and no-break spaces included, is kept as typed.
pub fn clean_line(input: &str, max_chars: usize) -> Result<String, TextError> {
    let trimmed = input.trim();
    if is_blank(trimmed) {
        return Err(TextError::Empty);
    }
    check_chars(trimmed)?;
    // The lists print "✓ (vérifié par courriel)" after a title verified by
    // email domain; typed into a name, title or city, the same mark would
    // read as verified in the text and PDF exports, which carry no markup
    // to tell them apart.
    if trimmed.contains(is_check_mark) {
        return Err(TextError::CheckMark);
    }
    // Hangul fillers: name comparisons drop them as invisible, but fonts
    // draw them as a blank, so one between two words passed for a space
    // ("Gilles\u{3164}Vigneault" compared as one word). Modern Hangul
    // writes names without them.
    if trimmed.contains(is_hangul_filler) {
        return Err(TextError::ControlCharacter);
    }
    let normalized: String = trimmed.nfc().collect();
    if normalized.chars().count() > max_chars {
        return Err(TextError::TooLong { max: max_chars });
    }
    Ok(normalized)
}

/// True when `text` would print as nothing: white space, invisible
/// characters (zero-width spaces...) and accents with no letter under them.
/// A name made of these alone is no name, and would list as a blank line.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || is_invisible(c)
            || unicode_normalization::char::is_combining_mark(c)
            // The braille blank: a letter-wide blank that is no white space.
            || c == '\u{2800}'
    })
}

/// Check marks and their look-alikes (✓ ✔ ✅ ☑ 🗸 🗹 🮱 𐄂 √).
pub fn is_check_mark(c: char) -> bool {
    matches!(
        c,
        '\u{2713}'
            | '\u{2714}'
            | '\u{2705}'
            | '\u{2611}'
            | '\u{1F5F8}'
            | '\u{1F5F9}'
            | '\u{1FBB1}'
            | '\u{10102}'
            | '\u{221A}'
    )
}

/// Refuses control characters, bidi controls and the replacement character
/// that lossy decoding leaves in place of invalid UTF-8.
pub fn check_chars(text: &str) -> Result<(), TextError> {
    for c in text.chars() {
        if c.is_control() {
            return Err(TextError::ControlCharacter);
        }
        if is_bidi_control(c) {
            return Err(TextError::BidiOverride);
        }
        if c == '\u{FFFD}' {
            return Err(TextError::InvalidEncoding);
        }
    }
    Ok(())
}

/// Default-ignorable code points (Unicode's Default_Ignorable_Code_Point):
/// zero-width spaces and joiners, direction marks, word joiners, variation
/// selectors, the soft hyphen, the BOM, Hangul fillers, tags. They print as
/// nothing: the PDF leaves them out, and name comparisons ignore them, so
/// "Gilles Vigne\u{AD}ault" is the protected "Gilles Vigneault".
pub fn is_invisible(c: char) -> bool {
    is_hangul_filler(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{17B4}'..='\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

/// Hangul fillers: invisible to comparisons, yet fonts draw them as a
/// blank the width of a letter.
pub fn is_hangul_filler(c: char) -> bool {
    matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_typography() {
        let s = "Jean-François L’Heureux,\u{a0}fils";
        assert_eq!(clean_line(s, 100).unwrap(), s);
    }

    #[test]
    fn trims_and_normalizes() {
        // "e" + combining acute becomes the single "é".
        assert_eq!(clean_line("  Be\u{301}land ", 100).unwrap(), "Béland");
    }

    #[test]
    fn refuses_bad_characters() {
        assert_eq!(clean_line("", 10), Err(TextError::Empty));
        assert_eq!(clean_line("   ", 10), Err(TextError::Empty));
        assert_eq!(clean_line("a\nb", 10), Err(TextError::ControlCharacter));
        assert_eq!(clean_line("a\0b", 10), Err(TextError::ControlCharacter));
        assert_eq!(clean_line("a\tb", 10), Err(TextError::ControlCharacter));
        assert_eq!(clean_line("a\u{202E}b", 10), Err(TextError::BidiOverride));
        assert_eq!(clean_line("a\u{2066}b", 10), Err(TextError::BidiOverride));
        assert_eq!(clean_line("a\u{FFFD}b", 10), Err(TextError::InvalidEncoding));
        assert_eq!(clean_line("abcdefghijk", 10), Err(TextError::TooLong { max: 10 }));
        assert_eq!(
            clean_line("Gilles\u{3164}Vigneault", 30),
            Err(TextError::ControlCharacter)
        );
        for mark in ["Laval ✓ (vérifié)", "Laval ✔", "√ Laval"] {
            assert_eq!(clean_line(mark, 30), Err(TextError::CheckMark), "{mark}");
        }
    }

    #[test]
    fn a_line_that_prints_as_nothing_is_empty() {
        for blank in [
            "\u{200B}\u{200B}",
            " \u{FEFF} \u{2060}",
            "\u{301}\u{301}\u{301}",
            "\u{FFF9}",
        ] {
            assert_eq!(clean_line(blank, 10), Err(TextError::Empty), "{blank:?}");
        }
        assert_eq!(
            clean_line("\u{200B}Zoé\u{200B}", 10).as_deref(),
            Ok("\u{200B}Zoé\u{200B}")
        );
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(clean_line(&"é".repeat(10), 10).is_ok());
    }
}
