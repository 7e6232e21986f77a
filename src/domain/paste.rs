//! Initial signatories pasted in the press layout: a name line, one line per
//! title, and a blank line before the next person.

use super::letter_file::InitialSignatory;
use super::signer::{SignerName, TitleLines, TitlesError, TITLES_MAX};
use super::text::TextError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasteError {
    Name { line: usize, error: TextError },
    Title { line: usize, error: TextError },
    TooManyTitles { line: usize },
}

impl PasteError {
    pub fn line(&self) -> usize {
        match self {
            PasteError::Name { line, .. }
            | PasteError::Title { line, .. }
            | PasteError::TooManyTitles { line } => *line,
        }
    }
}

/// Every block parsed, or every problem with its line number (from 1).
pub fn parse(text: &str) -> Result<Vec<InitialSignatory>, Vec<PasteError>> {
    let mut people = Vec::new();
    let mut errors = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        if raw.trim().is_empty() {
            flush(&mut block, &mut people, &mut errors);
        } else {
            block.push((i + 1, raw));
        }
    }
    flush(&mut block, &mut people, &mut errors);
    if errors.is_empty() {
        Ok(people)
    } else {
        Err(errors)
    }
}

/// Pasted people split into those to add and those already there: a name
/// already on the list (`existing`, by sort key: case, accents and spacing
/// aside), or twice in the paste, is added once. Pasting the same list
/// twice adds nobody the second time.
pub fn without_duplicates(
    existing: &[String],
    people: Vec<InitialSignatory>,
) -> (Vec<InitialSignatory>, Vec<InitialSignatory>) {
    let mut seen: std::collections::HashSet<String> =
        existing.iter().map(|name| super::sort_key(name)).collect();
    people
        .into_iter()
        .partition(|p| seen.insert(super::sort_key(&p.name)))
}

fn flush(block: &mut Vec<(usize, &str)>, people: &mut Vec<InitialSignatory>, errors: &mut Vec<PasteError>) {
    let Some(&(name_line, name)) = block.first() else {
        return;
    };
    let name = SignerName::parse(name)
        .map_err(|error| {
            errors.push(PasteError::Name {
                line: name_line,
                error,
            })
        })
        .ok();
    let title_lines: Vec<&str> = block[1..].iter().map(|(_, l)| *l).collect();
    let titles = match TitleLines::parse_lines(&title_lines) {
        Ok(t) => Some(t),
        Err(TitlesError::TooMany) => {
            errors.push(PasteError::TooManyTitles {
                line: block[TITLES_MAX.min(block.len() - 1)].0,
            });
            None
        }
        Err(TitlesError::Line { line, error }) => {
            errors.push(PasteError::Title {
                line: block[line].0,
                error,
            });
            None
        }
    };
    if let (Some(name), Some(titles)) = (name, titles) {
        people.push(InitialSignatory {
            name: name.into_string(),
            titles: titles.to_vec(),
        });
    }
    block.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_found_on_the_list_and_in_the_paste() {
        let person = |name: &str| InitialSignatory {
            name: name.into(),
            titles: vec![],
        };
        let (new, skipped) = without_duplicates(
            &["Marie Tremblay".into()],
            vec![
                person("MARIE  Trémblay"),
                person("Jean Côté"),
                person("jean cote"),
                person("Ana Roy"),
            ],
        );
        let names = |v: &[InitialSignatory]| v.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&new), ["Jean Côté", "Ana Roy"]);
        assert_eq!(names(&skipped), ["MARIE  Trémblay", "jean cote"]);
    }

    #[test]
    fn parses_the_press_layout() {
        let text = "Marie Tremblay\r\nPrésidente du Mouvement X (1987-2000)\r\nGrande Officière du Québec\r\n\r\n\r\nJean Côté,\n\nLouise Béland\nProfesseure\n";
        let people = parse(text).unwrap();
        assert_eq!(people.len(), 3);
        assert_eq!(
            people[0].titles,
            [
                "Présidente du Mouvement X (1987-2000)",
                "Grande Officière du Québec"
            ]
        );
        assert_eq!(people[1].name, "Jean Côté,");
        assert!(people[1].titles.is_empty());
        assert_eq!(people[2].titles, ["Professeure"]);
    }

    #[test]
    fn reports_lines() {
        let text = format!(
            "Bon Nom\nTitre\n\nMauvais\u{202E}Nom\n\nNom\n{}\n",
            "T".repeat(400)
        );
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.iter().map(PasteError::line).collect::<Vec<_>>(), [4, 7]);
        let nine = format!(
            "Nom\n{}",
            (1..=9).map(|i| format!("T{i}")).collect::<Vec<_>>().join("\n")
        );
        assert!(matches!(
            parse(&nine).unwrap_err()[0],
            PasteError::TooManyTitles { .. }
        ));
        assert!(parse("\n\n").unwrap().is_empty());
    }
}
