//! The rows of an uploaded CSV file as signatures: which column holds what
//! (`Mapping`), how they come in (`Mode`, with the organizer's `Evidence`
//! for signatures collected in person), and what each row would become
//! (`plan`): a new signature, a duplicate, or a row with problems.

use super::csv_file::{CsvFile, Record};
use super::email::EmailError;
use super::signer::{NameError, TitlesError};
use super::text::{clean_line, TextError};
use super::{sort_key, City, Email, EmailRules, SignerName, TitleLines};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// Which column holds what, by position in the header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mapping {
    pub name: usize,
    /// One column or several; each cell may hold several lines.
    pub titles: Vec<usize>,
    pub email: Option<usize>,
    pub city: Option<usize>,
}

/// A mapping that names a column the file does not have (a forged form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("no such column")]
pub struct NoSuchColumn;

impl Mapping {
    /// A first guess from the header's names, in French or English.
    pub fn guess(columns: &[String]) -> Mapping {
        let folded: Vec<String> = columns.iter().map(|c| super::fold::fold(c)).collect();
        let find = |words: &[&str]| {
            folded
                .iter()
                .position(|c| words.iter().any(|w| c.split(' ').any(|part| part.starts_with(w))))
        };
        let email = find(&["courriel", "email", "e mail", "mail", "adresse"]);
        let city = find(&["ville", "city", "municipalite", "town"]);
        let name = find(&["nom", "name", "signataire"])
            .filter(|i| Some(*i) != email)
            .unwrap_or(0);
        let titles = folded
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                *i != name
                    && [
                        "titre",
                        "title",
                        "fonction",
                        "affiliation",
                        "organisation",
                        "organization",
                    ]
                    .iter()
                    .any(|w| c.contains(w))
            })
            .map(|(i, _)| i)
            .collect();
        Mapping {
            name,
            titles,
            email,
            city,
        }
    }

    /// Checks every column named exists among `columns`, and no title
    /// column is named twice: a forged form repeating one a hundred
    /// thousand times would have every row walk them all.
    pub fn check(&self, columns: usize) -> Result<(), NoSuchColumn> {
        let all = std::iter::once(self.name)
            .chain(self.titles.iter().copied())
            .chain(self.email)
            .chain(self.city);
        for i in all {
            if i >= columns {
                return Err(NoSuchColumn);
            }
        }
        let mut seen = vec![false; columns];
        for &i in &self.titles {
            if std::mem::replace(&mut seen[i], true) {
                return Err(NoSuchColumn);
            }
        }
        Ok(())
    }
}

/// How the imported people come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Each gets a confirmation email and counts once they confirm, as if
    /// they had signed on the site. Every row needs an address.
    Confirm,
    /// Collected on paper or at an event: they count at once, with the
    /// organizer's evidence kept beside them.
    InPerson,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Confirm => "confirm",
            Mode::InPerson => "in-person",
        }
    }
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "confirm" => Some(Mode::Confirm),
            "in-person" => Some(Mode::InPerson),
            _ => None,
        }
    }
}

/// Who collected signatures in person, on what day, and how ("paper
/// sheet, congress of 12 May").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub by: String,
    pub on: NaiveDate,
    pub how: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceProblem {
    By(TextError),
    How(TextError),
    /// Not a date (YYYY-MM-DD).
    Date,
    /// After today: nobody has collected it yet.
    Future,
}

impl Evidence {
    /// Parses the three fields; `today` is the date on the site's clock.
    pub fn parse(by: &str, on: &str, how: &str, today: NaiveDate) -> Result<Evidence, Vec<EvidenceProblem>> {
        let mut problems = Vec::new();
        let by = clean_line(by, 200)
            .map_err(|e| problems.push(EvidenceProblem::By(e)))
            .ok();
        let on = match NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                problems.push(EvidenceProblem::Future);
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                problems.push(EvidenceProblem::Date);
                None
            }
        };
        let how = clean_line(how, 300)
            .map_err(|e| problems.push(EvidenceProblem::How(e)))
            .ok();
        match (by, on, how) {
            (Some(by), Some(on), Some(how)) => Ok(Evidence { by, on, how }),
            _ => Err(problems),
        }
    }
}

/// A row that would become a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: SignerName,
    pub titles: TitleLines,
    pub email: Option<Email>,
    /// The address's canonical key (see `EmailRules`), for duplicates.
    pub email_key: Option<String>,
    pub city: Option<City>,
}

impl Person {
    /// What makes two rows the same person: the address when there is
    /// one, else the name and city, case, accents and spacing aside.
    pub fn key(&self) -> PersonKey {
        match &self.email_key {
            Some(k) => PersonKey::Email(k.clone()),
            None => PersonKey::Name(
                sort_key(self.name.as_str()),
                self.city.as_ref().map(|c| super::fold::fold(c.as_str())),
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PersonKey {
    Email(String),
    Name(String, Option<String>),
}

/// What is wrong with a row, field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    Name(NameError),
    Titles(TitlesError),
    Email(EmailError),
    /// A row without an address, when each must receive a confirmation.
    EmailRequired,
    City(TextError),
}

/// What one row would become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    New(Person),
    /// The same person as the row on this earlier line.
    TwiceInFile(Person, usize),
    /// Already a signature of the letter.
    OnLetter(Person),
    Invalid(Vec<RowProblem>),
}

/// Every row's fate, in file order, with its line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub rows: Vec<(usize, Fate)>,
}

impl Plan {
    pub fn new_people(&self) -> impl Iterator<Item = &Person> {
        self.rows.iter().filter_map(|(_, f)| match f {
            Fate::New(p) => Some(p),
            _ => None,
        })
    }
    /// (new, duplicates, invalid)
    pub fn tally(&self) -> (usize, usize, usize) {
        let mut t = (0, 0, 0);
        for (_, fate) in &self.rows {
            match fate {
                Fate::New(_) => t.0 += 1,
                Fate::TwiceInFile(..) | Fate::OnLetter(_) => t.1 += 1,
                Fate::Invalid(_) => t.2 += 1,
            }
        }
        t
    }
}

/// Parses one row through the same types as the signing form.
pub fn person(
    record: &Record,
    m: &Mapping,
    mode: Mode,
    rules: &EmailRules,
) -> Result<Person, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let name = SignerName::parse_public(record.cell(m.name))
        .map_err(|e| problems.push(RowProblem::Name(e)))
        .ok();
    let lines: Vec<&str> = m
        .titles
        .iter()
        .flat_map(|i| record.cell(*i).lines())
        .filter(|l| !l.trim().is_empty())
        .map(without_verified_mark)
        .collect();
    let titles = TitleLines::parse_lines(&lines)
        .map_err(|e| problems.push(RowProblem::Titles(e)))
        .ok();
    let typed = m.email.map(|i| record.cell(i)).unwrap_or("");
    let email = match Email::parse(typed) {
        Ok(e) => Some(Some(e)),
        Err(EmailError::Empty) if mode == Mode::Confirm => {
            problems.push(RowProblem::EmailRequired);
            None
        }
        Err(EmailError::Empty) => Some(None),
        Err(e) => {
            problems.push(RowProblem::Email(e));
            None
        }
    };
    let city = City::parse_optional(m.city.map(|i| record.cell(i)).unwrap_or(""))
        .map_err(|e| problems.push(RowProblem::City(e)))
        .ok();
    match (name, titles, email, city) {
        (Some(name), Some(titles), Some(email), Some(city)) if problems.is_empty() => Ok(Person {
            name,
            titles,
            email_key: email.as_ref().map(|e| rules.canonical(e)),
            email,
            city,
        }),
        _ => Err(problems),
    }
}

/// A row parsed, with its key, or its problems.
type Parsed = Result<(Person, PersonKey), Vec<RowProblem>>;

/// The fate of every row of `file`. `on_letter` says which of the given
/// keys the letter already has: it is asked once, with every valid row's
/// key, so the caller can look them up in a few queries.
pub fn plan(
    file: &CsvFile,
    m: &Mapping,
    mode: Mode,
    rules: &EmailRules,
    on_letter: impl FnOnce(&[&PersonKey]) -> HashSet<PersonKey>,
) -> Plan {
    let parsed: Vec<(usize, Parsed)> = file
        .rows
        .iter()
        .map(|r| {
            let p = person(r, m, mode, rules).map(|p| {
                let k = p.key();
                (p, k)
            });
            (r.line, p)
        })
        .collect();
    let keys: Vec<&PersonKey> = parsed
        .iter()
        .filter_map(|(_, p)| p.as_ref().ok().map(|(_, k)| k))
        .collect();
    let known = on_letter(&keys);
    let mut first_seen: HashMap<PersonKey, usize> = HashMap::new();
    let rows = parsed
        .into_iter()
        .map(|(line, parsed)| {
            let fate = match parsed {
                Err(problems) => Fate::Invalid(problems),
                Ok((p, k)) if known.contains(&k) => Fate::OnLetter(p),
                Ok((p, k)) => match first_seen.get(&k) {
                    Some(first) => Fate::TwiceInFile(p, *first),
                    None => {
                        first_seen.insert(k, line);
                        Fate::New(p)
                    }
                },
            };
            (line, fate)
        })
        .collect();
    Plan { rows }
}

/// A title line as our exports print it when verified by email domain
/// ("Université Laval ✓ (vérifié par courriel)"), without its mark: an
/// export read back in would otherwise be refused, since no one may type
/// the mark. The mark is computed again from the address, never taken
/// from the file.
fn without_verified_mark(line: &str) -> &str {
    // The mark's words in each language ("verified-by-email" in the
    // locales); any other text after a ✓ is refused as typed.
    const MARKS: [&str; 2] = ["vérifié par courriel)", "verified by email)"];
    match line.trim_end().rsplit_once(" \u{2713} (") {
        Some((title, mark)) if MARKS.contains(&mark) => title,
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::super::csv_file::read;
    use super::*;

    fn columns(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn guesses_columns_in_both_languages() {
        let m = Mapping::guess(&columns(&[
            "Horodateur",
            "Nom complet",
            "Adresse courriel",
            "Titre ou fonction",
            "Ville",
        ]));
        assert_eq!((m.name, m.email, m.city), (1, Some(2), Some(4)));
        assert_eq!(m.titles, [3]);
        let m = Mapping::guess(&columns(&[
            "Timestamp",
            "Email address",
            "Full name",
            "Title",
            "Organization",
        ]));
        assert_eq!((m.name, m.email, m.city), (2, Some(1), None));
        assert_eq!(m.titles, [3, 4]);
        assert!(m.check(5).is_ok());
        assert_eq!(m.check(4), Err(NoSuchColumn));
        let repeated = Mapping {
            titles: vec![3, 4, 3],
            ..m
        };
        assert_eq!(repeated.check(5), Err(NoSuchColumn), "a title column twice");
    }

    #[test]
    fn an_exported_title_comes_back_without_its_verified_mark() {
        let text = "Nom;Courriel;Titre\n\
            Marie Tremblay;marie@ulaval.ca;\"Professeure, Université Laval \u{2713} (vérifié par courriel)\nOfficière\"\n\
            Ana Roy;ana@example.org;Chercheuse \u{2713} (verified by email)\n\
            Jean Côté;jean@example.org;Typed \u{2713} mark\n\
            Luc Roy;luc@example.org;Membre \u{2713} (fondateur)\n";
        let file = read(text).unwrap();
        let m = Mapping::guess(&file.columns);
        let plan = plan(&file, &m, Mode::Confirm, &EmailRules::default(), |_| {
            HashSet::new()
        });
        let Fate::New(marie) = &plan.rows[0].1 else {
            panic!("{:?}", plan.rows[0])
        };
        assert_eq!(
            marie.titles.to_vec(),
            ["Professeure, Université Laval", "Officière"]
        );
        let Fate::New(ana) = &plan.rows[1].1 else {
            panic!("{:?}", plan.rows[1])
        };
        assert_eq!(ana.titles.to_vec(), ["Chercheuse"]);
        assert!(
            matches!(plan.rows[2].1, Fate::Invalid(_)),
            "a mark typed elsewhere is refused"
        );
        assert!(
            matches!(plan.rows[3].1, Fate::Invalid(_)),
            "so is a mark with other words"
        );
    }

    #[test]
    fn rows_become_people_duplicates_or_problems() {
        let text = "Nom;Courriel;Titre;Ville\n\
            Marie Tremblay;Marie@Example.org;\"Présidente\nOfficière\";Lévis\n\
            Jean Côté;;;\n\
            =HYPERLINK(1);pas-une-adresse;;\n\
            MARIE TREMBLAY;marie@example.org;;\n\
            Ana Roy;ana@example.org;;\n";
        let file = read(text).unwrap();
        let m = Mapping::guess(&file.columns);
        let rules = EmailRules::default();
        let plan = plan(&file, &m, Mode::Confirm, &rules, |keys| {
            assert_eq!(keys.len(), 3, "only valid rows are looked up");
            HashSet::from([PersonKey::Email("ana@example.org".into())])
        });
        let fates: Vec<_> = plan.rows.iter().map(|(l, f)| (*l, f)).collect();
        let Fate::New(marie) = fates[0].1 else { panic!() };
        assert_eq!(marie.titles.to_vec(), ["Présidente", "Officière"]);
        assert_eq!(marie.email.as_ref().unwrap().as_str(), "marie@example.org");
        assert_eq!(fates[1].1, &Fate::Invalid(vec![RowProblem::EmailRequired]));
        let Fate::Invalid(problems) = fates[2].1 else {
            panic!()
        };
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(matches!(fates[3], (6, Fate::TwiceInFile(_, 2))));
        assert!(matches!(fates[4].1, Fate::OnLetter(_)));
        assert_eq!(plan.tally(), (1, 2, 2));
    }

    #[test]
    fn in_person_rows_need_no_address_and_match_by_name_and_city() {
        let file = read("Nom,Ville\nJean Côté,Lévis\njean  cote,LÉVIS\nJean Côté,Québec\n").unwrap();
        let m = Mapping::guess(&file.columns);
        let plan = plan(&file, &m, Mode::InPerson, &EmailRules::default(), |_| {
            HashSet::new()
        });
        assert!(matches!(plan.rows[1].1, Fate::TwiceInFile(_, 2)));
        assert_eq!(plan.tally(), (2, 1, 0));
    }

    #[test]
    fn evidence_needs_who_a_past_date_and_how() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let e = Evidence::parse(
            " Louise Béland ",
            "2026-05-12",
            "Feuille papier, congrès du 12 mai",
            today,
        )
        .unwrap();
        assert_eq!(e.by, "Louise Béland");
        assert_eq!(
            Evidence::parse("", "2026-07-01", "", today),
            Err(vec![
                EvidenceProblem::By(TextError::Empty),
                EvidenceProblem::Future,
                EvidenceProblem::How(TextError::Empty)
            ])
        );
        assert_eq!(
            Evidence::parse("x", "12 mai", "y", today),
            Err(vec![EvidenceProblem::Date])
        );
    }
}
