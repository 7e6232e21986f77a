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

    #[test]
    fn other_cells_stay() {
        for c in ["", "Marie Tremblay,", "« Zoé »", "a=b", "'déjà"] {
            assert_eq!(guard(c), c);
        }
    }
}
