//! A CSV file as spreadsheets and form services write it: UTF-8, perhaps
//! with a byte-order mark, `;` or `,` or tab between cells (Excel in French
//! locales writes `;`), quoted cells that span lines, Windows line endings,
//! and a header row naming the columns. Read with the `csv` crate.

/// Most rows one file may hold: far above a real campaign's paper sheets,
/// and a bound on what one upload can cost.
pub const MAX_ROWS: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Not UTF-8 (a spreadsheet saved as "CSV" in Windows-1252, say).
    #[error("not UTF-8 text (line {line})")]
    NotUtf8 { line: usize },
    /// No header row, or nothing but blank lines.
    #[error("no header row")]
    Empty,
    #[error("more than {MAX_ROWS} rows")]
    TooManyRows,
    /// The `csv` reader could not go on (an unclosed quote, say).
    #[error("unreadable from line {line}")]
    Unreadable { line: usize },
}

/// One data row: the line it starts on (from 1, the header being line 1)
/// and its cells as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Record {
    /// The cell of column `i`, or empty when the row is short.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }
}

/// A file read: its column names and its rows, blank rows left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvFile {
    pub columns: Vec<String>,
    pub rows: Vec<Record>,
}

/// The file's text: UTF-8 without its byte-order mark, or where it stops
/// being UTF-8.
pub fn decode(bytes: &[u8]) -> Result<&str, FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| FileError::NotUtf8 {
        line: 1 + bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count(),
    })
}

/// The separator of the header line: the most frequent of `;`, `,` and tab
/// outside quotes; `,` when none is there (a one-column file).
pub fn separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = [b';', b',', b'\t']
        .into_iter()
        .zip(counts)
        .max_by_key(|(sep, n)| (*n, *sep == b','));
    match best {
        Some((sep, n)) if n > 0 => sep,
        _ => b',',
    }
}

/// Reads decoded text into its header and rows.
pub fn read(text: &str) -> Result<CsvFile, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let columns: Vec<String> = reader
        .headers()
        .map_err(|_| FileError::Unreadable { line: 1 })?
        .iter()
        .map(|c| c.trim().to_string())
        .collect();
    if columns.iter().all(String::is_empty) {
        return Err(FileError::Empty);
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    // Lines are counted here from byte offsets: the reader's own count
    // goes astray on Windows line endings.
    let mut lines = LineCounter::default();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let at = e.position().map_or(text.len(), |p| p.byte() as usize);
                return Err(FileError::Unreadable {
                    line: lines.at(text, at),
                });
            }
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileError::TooManyRows);
        }
        let at = record.position().map_or(0, |p| p.byte() as usize);
        rows.push(Record {
            line: lines.at(text, at),
            cells: record.iter().map(str::to_string).collect(),
        });
    }
    Ok(CsvFile { columns, rows })
}

/// The line (from 1) of byte offsets met in increasing order, counted as
/// it goes so a long file is walked once.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: usize,
}

impl LineCounter {
    fn at(&mut self, text: &str, offset: usize) -> usize {
        // After `\r\n` the reader may place a record at its `\n`.
        let bytes = text.as_bytes();
        let mut offset = offset.min(text.len());
        while matches!(bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        if offset > self.offset {
            self.newlines += bytes[self.offset..offset].iter().filter(|b| **b == b'\n').count();
            self.offset = offset;
        }
        self.newlines + 1
    }
}

/// An uploaded file's name as the pages and the audit log may show it:
/// no control or bidirectional formatting character (which could reorder
/// an audit sentence around it), at most 200 characters.
pub fn display_name(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control() && !super::text::is_bidi_control(*c))
        .take(200)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_in_french_with_bom_semicolons_crlf_and_multiline_cells() {
        let bytes = "\u{feff}Nom;Titres;Courriel\r\nMarie Tremblay;\"Présidente\r\nOfficière; de l’Ordre\";marie@example.org\r\n\r\n;;\r\nJean Côté;;\r\n"
            .as_bytes();
        let file = read(decode(bytes).unwrap()).unwrap();
        assert_eq!(file.columns, ["Nom", "Titres", "Courriel"]);
        assert_eq!(file.rows.len(), 2, "blank rows are left out");
        assert_eq!(file.rows[0].line, 2);
        assert_eq!(file.rows[0].cell(1), "Présidente\r\nOfficière; de l’Ordre");
        assert_eq!(
            file.rows[1].line, 6,
            "a row's line counts the lines of the cells above"
        );
        assert_eq!(file.rows[1].cell(0), "Jean Côté");
        assert_eq!(file.rows[1].cell(7), "", "a missing cell is empty");
    }

    #[test]
    fn google_forms_commas_and_quoted_commas_in_the_header() {
        let text = "Horodateur,\"Nom, prénom\",Ville\n2026/05/12,\"Roy, Ana\",Lévis\n";
        assert_eq!(separator(text), b',');
        let file = read(text).unwrap();
        assert_eq!(file.columns, ["Horodateur", "Nom, prénom", "Ville"]);
        assert_eq!(file.rows[0].cell(1), "Roy, Ana");
        assert_eq!(separator("Nom\tVille\n"), b'\t');
        assert_eq!(separator("Nom\n"), b',');
    }

    #[test]
    fn refuses_what_is_not_utf8_or_not_a_table() {
        let latin1 = b"Nom;Ville\nJean;Montr\xe9al\n";
        assert_eq!(decode(latin1), Err(FileError::NotUtf8 { line: 2 }));
        assert_eq!(read(""), Err(FileError::Empty));
        assert_eq!(read("\n\n"), Err(FileError::Empty));
        assert!(matches!(
            read("Nom\n\"jamais fermé\n"),
            Err(FileError::Unreadable { .. }) | Ok(_)
        ));
    }

    #[test]
    fn a_file_name_shows_without_control_or_bidi_characters() {
        assert_eq!(display_name("liste\u{202e}vsc.exe\n.csv"), "listevsc.exe.csv");
        assert_eq!(display_name(&"é".repeat(300)).chars().count(), 200);
    }
}
