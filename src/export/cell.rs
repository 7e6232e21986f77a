//! Spreadsheet cells that a person opens in Excel or LibreOffice.

/// Neutralises formula injection: a cell that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be run as a formula by a
/// spreadsheet, so it gets a leading apostrophe, which spreadsheets show as
/// text. Every other cell is returned as is.
pub fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(
            guard("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for c in ["+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(guard(c), format!("'{c}"));
        }
    }

    proptest::proptest! {
        /// Whatever a signer typed, no guarded cell starts like a formula,
        /// and the text after the guard is exactly what was typed.
        #[test]
        fn no_cell_ever_starts_a_formula(cell in proptest::prelude::any::<String>()) {
            let guarded = guard(&cell);
            let first = guarded.chars().next();
            proptest::prop_assert!(!matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')));
            let original = match guarded.strip_prefix('\'') {
                Some(rest) if guarded.len() == cell.len() + 1 => rest,
                _ => &guarded,
            };
            proptest::prop_assert_eq!(original, cell.as_str());
        }

        /// A guarded cell survives CSV quoting and reading back unchanged.
        #[test]
        fn csv_round_trip(cells in proptest::collection::vec(proptest::prelude::any::<String>(), 1..5)) {
            let mut w = ::csv::Writer::from_writer(Vec::new());
            let guarded: Vec<String> = cells.iter().map(|c| guard(c).into_owned()).collect();
            w.write_record(&guarded).unwrap();
            let bytes = w.into_inner().unwrap();
            let mut r = ::csv::ReaderBuilder::new().has_headers(false).from_reader(bytes.as_slice());
            let back: Vec<String> = r.records().next().unwrap().unwrap().iter().map(str::to_string).collect();
            proptest::prop_assert_eq!(back, guarded);
        }
    }

    #[test]
    fn other_cells_stay() {
        for c in ["", "Marie Tremblay,", "« Zoé »", "a=b", "'déjà"] {
            assert_eq!(guard(c), c);
        }
    }
}
