use super::text::{clean_line, TextError};

pub const NAME_MAX: usize = 200;
pub const TITLE_MAX: usize = 300;
pub const TITLES_MAX: usize = 8;
pub const CITY_MAX: usize = 100;

/// A signer's full name as they want it printed, trailing comma included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerName(String);

/// Why a name typed in the public form is refused beyond the text rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error(transparent)]
    Text(#[from] TextError),
    #[error("a name cannot contain < or >")]
    Markup,
    #[error("a name cannot start with = + - or @")]
    FormulaLike,
}

impl SignerName {
    pub fn parse(input: &str) -> Result<SignerName, TextError> {
        clean_line(input, NAME_MAX).map(SignerName)
    }

    /// The stricter rule for names typed by the public: no markup, and no
    /// leading character that a spreadsheet would run as a formula. No
    /// one's name needs them, and every script people write names in passes.
    pub fn parse_public(input: &str) -> Result<SignerName, NameError> {
        let name = Self::parse(input)?;
        if name.0.contains(['<', '>']) {
            return Err(NameError::Markup);
        }
        if name.0.starts_with(['=', '+', '-', '@']) {
            return Err(NameError::FormulaLike);
        }
        Ok(name)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

/// One line under a name: a title or an affiliation, for example
/// "Présidente de la Fédération des coopératives d'habitation (1998-2006)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleLine(String);

impl TitleLine {
    pub fn parse(input: &str) -> Result<TitleLine, TextError> {
        clean_line(input, TITLE_MAX).map(TitleLine)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a line of the titles field went wrong, counted from 1 as the
/// reader sees the lines.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TitlesError {
    #[error("line {line}: {error}")]
    Line { line: usize, error: TextError },
    #[error("more than {TITLES_MAX} lines")]
    TooMany,
}

/// The ordered title lines of one signer, at most [`TITLES_MAX`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TitleLines(Vec<TitleLine>);

impl TitleLines {
    /// Parses the free text of a form's textarea: one title per line, blank
    /// lines ignored.
    pub fn parse_text(input: &str) -> Result<TitleLines, TitlesError> {
        let lines: Vec<&str> = input.lines().filter(|l| !super::text::is_blank(l)).collect();
        Self::parse_lines(&lines)
    }

    pub fn parse_lines<S: AsRef<str>>(lines: &[S]) -> Result<TitleLines, TitlesError> {
        if lines.len() > TITLES_MAX {
            return Err(TitlesError::TooMany);
        }
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                TitleLine::parse(l.as_ref()).map_err(|error| TitlesError::Line { line: i + 1, error })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TitleLines)
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|t| t.as_str())
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An optional city or region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct City(String);

impl City {
    /// An empty field is no city, not an error.
    pub fn parse_optional(input: &str) -> Result<Option<City>, TextError> {
        match clean_line(input, CITY_MAX) {
            Ok(c) => Ok(Some(City(c))),
            Err(TextError::Empty) => Ok(None),
            Err(e) => Err(e),
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keeps_trailing_comma() {
        assert_eq!(
            SignerName::parse("Jacques Parizeau,").unwrap().as_str(),
            "Jacques Parizeau,"
        );
    }

    #[test]
    fn public_names_refuse_markup_and_formulas_but_not_scripts() {
        for ok in [
            "Zoë Saint-Amour",
            "Nguyễn Thị Minh",
            "Ἀριστοτέλης",
            "محمد الأمين",
            "李小龍",
            "O’Brien-Lévesque,",
        ] {
            assert!(SignerName::parse_public(ok).is_ok(), "{ok}");
        }
        assert_eq!(SignerName::parse_public("<b>x</b>"), Err(NameError::Markup));
        assert_eq!(
            SignerName::parse_public("=HYPERLINK(\"http://x\",\"y\")"),
            Err(NameError::FormulaLike)
        );
        assert_eq!(SignerName::parse_public("@me"), Err(NameError::FormulaLike));
        assert!(
            SignerName::parse("=SUM(A1)").is_ok(),
            "organizers' lists are escaped at export instead"
        );
    }

    #[test]
    fn titles_from_text() {
        let t =
            TitleLines::parse_text("Président du Mouvement X (1987-2000)\r\n\r\nGrand Officier du Québec\n")
                .unwrap();
        assert_eq!(
            t.to_vec(),
            vec!["Président du Mouvement X (1987-2000)", "Grand Officier du Québec"]
        );
        assert!(TitleLines::parse_text("").unwrap().is_empty());
    }

    #[test]
    fn titles_limits() {
        let nine = (1..=9)
            .map(|i| format!("Titre {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(TitleLines::parse_text(&nine), Err(TitlesError::TooMany));
        let long = format!("ok\n{}", "x".repeat(301));
        assert_eq!(
            TitleLines::parse_text(&long),
            Err(TitlesError::Line {
                line: 2,
                error: TextError::TooLong { max: 300 }
            })
        );
        assert!(matches!(
            TitleLines::parse_lines(&["a\u{202E}b"]),
            Err(TitlesError::Line {
                line: 1,
                error: TextError::BidiOverride
            })
        ));
    }

    #[test]
    fn city_is_optional() {
        assert_eq!(City::parse_optional("  ").unwrap(), None);
        assert_eq!(
            City::parse_optional("Trois-Rivières").unwrap().unwrap().as_str(),
            "Trois-Rivières"
        );
        assert!(City::parse_optional("a\u{7}").is_err());
    }
}

/// A signature as submitted through the public form, fully parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSignature {
    pub name: SignerName,
    pub titles: TitleLines,
    pub email: super::Email,
    /// The canonical form used to find duplicates (see `EmailRules`).
    pub email_key: String,
    pub city: Option<City>,
    pub is_public: bool,
    pub wants_updates: bool,
    pub language: super::Lang,
}
