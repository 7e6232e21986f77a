//! A signer's title lines as stored: one JSON array of strings per row.
//! Every list and export reads them, a million rows at a time for the
//! press, so the array that `encode` writes is split by hand; anything else
//! (escapes, spaces, a hand-edited row) goes through serde_json.

/// The stored form of title lines: a compact JSON array.
pub fn encode(titles: &[String]) -> String {
    serde_json::to_string(titles).unwrap_or_else(|_| "[]".to_string())
}

/// The title lines of a stored array; none for text that is not one.
pub fn decode(stored: &str) -> Vec<String> {
    let mut lines = Vec::new();
    match each_compact_line(stored, |line| lines.push(line.to_owned())) {
        Some(()) => lines,
        None => serde_json::from_str(stored).unwrap_or_default(),
    }
}

/// How many lines a stored array holds, without building them.
pub fn count(stored: &str) -> usize {
    let mut lines = 0;
    match each_compact_line(stored, |_| lines += 1) {
        Some(()) => lines,
        None => serde_json::from_str::<Vec<String>>(stored).map_or(0, |v| v.len()),
    }
}

/// Hands each line of an array written exactly as `encode` writes plain
/// strings (`["a","b"]`) to `line`, in one pass over the bytes. Without a
/// backslash no quote is escaped, so every quote is a delimiter and must
/// be part of a `","` between two lines. `None`, possibly after some lines,
/// for any other shape, which the caller hands to a real JSON parser.
fn each_compact_line<'s>(stored: &'s str, mut line: impl FnMut(&'s str)) -> Option<()> {
    if stored == "[]" {
        return Some(());
    }
    let inner = stored.strip_prefix("[\"")?.strip_suffix("\"]")?;
    let bytes = inner.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            // JSON escapes control characters; a raw one is not JSON.
            b'\\' | 0..=0x1f => return None,
            b'"' if bytes.get(i + 1..i + 3) == Some(b",\"") => {
                line(inner.get(start..i)?);
                i += 3;
                start = i;
            }
            b'"' => return None,
            _ => i += 1,
        }
    }
    line(inner.get(start..)?);
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_stored_shapes() {
        assert_eq!(decode("[]"), Vec::<String>::new());
        assert_eq!(decode("[\"\"]"), [""]);
        assert_eq!(decode("[\",\"]"), [","]);
        assert_eq!(decode("[\"a\",\"b\"]"), ["a", "b"]);
        // Other spellings of the same array go through the parser.
        assert_eq!(decode("[ \"a\" , \"b\" ]"), ["a", "b"]);
        assert_eq!(decode("[\"a\\\",\\\"b\"]"), ["a\",\"b"]);
        // Not an array of strings: no lines, as before.
        for bad in [
            "",
            "[",
            "[\"a\"",
            "[\"\"\",\"]",
            "[\"a\",\"]",
            "{}",
            "[1]",
            "[\"a\nb\"]",
        ] {
            assert_eq!(decode(bad), Vec::<String>::new(), "{bad:?}");
            assert_eq!(count(bad), 0, "{bad:?}");
        }
        assert_eq!(count("[\"a\",\"b\",\"c\"]"), 3);
    }

    proptest! {
        /// Whatever the lines, they come back as they went in, and the
        /// count agrees.
        #[test]
        fn decode_reverses_encode(titles in proptest::collection::vec(any::<String>(), 0..5)) {
            let stored = encode(&titles);
            prop_assert_eq!(decode(&stored), titles.clone());
            prop_assert_eq!(count(&stored), titles.len());
        }

        /// On any text at all, the hand split agrees with serde_json.
        #[test]
        fn the_fast_path_agrees_with_serde_json(stored in "\\[(\"[a-z,\\\\\" ]{0,6}\",?){0,4}\\]") {
            let parsed: Vec<String> = serde_json::from_str(&stored).unwrap_or_default();
            prop_assert_eq!(decode(&stored), parsed.clone());
            prop_assert_eq!(count(&stored), parsed.len());
        }
    }
}
