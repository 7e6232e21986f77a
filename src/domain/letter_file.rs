//! The letter file: TOML front matter between `+++` lines, then the Markdown
//! body. Text is kept byte for byte: French typography (’ « » and the
//! no-break spaces before `:`) must reach the page exactly as written.

use super::contacts::{Contacts, Person, PersonError};
use super::lang::Lang;
use super::signer::{NAME_MAX, TITLES_MAX, TITLE_MAX};
use super::slug::Slug;
use super::text::{is_bidi_control, TextError};
use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialSignatory {
    pub name: String,
    pub titles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterFile {
    pub slug: Slug,
    pub language: Lang,
    pub title: String,
    pub place: String,
    pub date: NaiveDate,
    pub addressees: String,
    pub preamble: String,
    pub goal: Option<i64>,
    /// Who is behind the letter ("La Coalition des coopératives…"); its
    /// emails are signed with it. Empty when not given.
    pub organized_by: String,
    /// Who to write to, and who answers for personal information.
    pub contacts: Contacts,
    /// One sentence for link previews (`og:description`); empty when not
    /// given, and the first paragraph of the body that says something is
    /// used instead.
    pub share_summary: String,
    /// Erase the signers' addresses this many days after the letter closes.
    pub anonymise_after_days: Option<i32>,
    pub signatories: Vec<InitialSignatory>,
    pub body: String,
}

/// A problem in a letter file, with the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct LetterFileError {
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    slug: Spanned<String>,
    language: Spanned<String>,
    title: Spanned<String>,
    place: Spanned<String>,
    date: Spanned<toml::Value>,
    addressees: Spanned<String>,
    preamble: Spanned<String>,
    goal: Option<Spanned<i64>>,
    organized_by: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    contact_name: Option<Spanned<String>>,
    contact_email: Option<Spanned<String>>,
    privacy_officer_name: Option<Spanned<String>>,
    privacy_officer_email: Option<Spanned<String>>,
    anonymise_after_days: Option<Spanned<i64>>,
    #[serde(default)]
    signatories: Vec<Spanned<RawSignatory>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignatory {
    name: Spanned<String>,
    #[serde(default)]
    titles: Vec<Spanned<String>>,
}

const TITLE_FIELD_MAX: usize = 500;
const LINE_FIELD_MAX: usize = 1000;
/// A share summary is one sentence: previews cut near 200 characters.
pub const SUMMARY_MAX: usize = 300;

impl LetterFile {
    pub fn parse(source: &str) -> Result<LetterFile, LetterFileError> {
        let source = source.strip_prefix('\u{FEFF}').unwrap_or(source);
        let err = |line: usize, message: &str| LetterFileError {
            line,
            message: message.to_string(),
        };

        // Split on lines but keep byte offsets, so the body is a slice of the
        // source and survives untouched.
        let mut offset = 0;
        let mut fences = Vec::new();
        for (index, line) in source.split_inclusive('\n').enumerate() {
            if line.trim_end() == "+++" {
                fences.push((index + 1, offset, offset + line.len()));
                if fences.len() == 2 {
                    break;
                }
            } else if index == 0 {
                return Err(err(1, "the file must start with a line holding only +++"));
            }
            offset += line.len();
        }
        let (open_line, _, front_start) = *fences
            .first()
            .ok_or_else(|| err(1, "the file must start with a line holding only +++"))?;
        let (_, front_end, body_start) = *fences.get(1).ok_or_else(|| {
            err(
                open_line,
                "the front matter opened here is never closed by a +++ line",
            )
        })?;
        let front = &source[front_start..front_end];
        let first_front_line = open_line + 1;
        let line_of = |pos: usize| first_front_line + front[..pos.min(front.len())].matches('\n').count();

        let raw: RawFront = toml::from_str(front).map_err(|e| LetterFileError {
            line: e.span().map(|s| line_of(s.start)).unwrap_or(first_front_line),
            message: e.message().trim().replace('\n', ": "),
        })?;
        let at = |span: std::ops::Range<usize>, message: String| LetterFileError {
            line: line_of(span.start),
            message,
        };

        let slug = Slug::parse(raw.slug.get_ref()).map_err(|e| at(raw.slug.span(), format!("slug: {e}")))?;
        let language = raw
            .language
            .get_ref()
            .parse::<Lang>()
            .map_err(|e| at(raw.language.span(), format!("language: {e}")))?;
        let field = |name: &str, value: &Spanned<String>, max: usize| -> Result<String, LetterFileError> {
            check_field(value.get_ref(), max).map_err(|e| at(value.span(), format!("{name}: {e}")))
        };
        let title = field("title", &raw.title, TITLE_FIELD_MAX)?;
        let place = field("place", &raw.place, LINE_FIELD_MAX)?;
        let addressees = field("addressees", &raw.addressees, LINE_FIELD_MAX)?;
        let preamble = field("preamble", &raw.preamble, LINE_FIELD_MAX)?;
        let organized_by = match &raw.organized_by {
            Some(o) => field("organized_by", o, LINE_FIELD_MAX)?,
            None => String::new(),
        };
        let share_summary = match &raw.summary {
            Some(o) => field("summary", o, SUMMARY_MAX)?,
            None => String::new(),
        };
        let person = |prefix: &str, name: &Option<Spanned<String>>, email: &Option<Spanned<String>>| {
            fn text(v: &Option<Spanned<String>>) -> &str {
                v.as_ref().map(|v| v.get_ref().as_str()).unwrap_or("")
            }
            Person::parse(text(name), text(email)).map_err(|e: PersonError| {
                let (key, span, message) = match (e.name, e.email) {
                    (Some(n), _) => ("name", name.as_ref().map(|v| v.span()), n.to_string()),
                    (None, e) => (
                        "email",
                        email.as_ref().map(|v| v.span()),
                        e.map(|e| e.to_string()).unwrap_or_default(),
                    ),
                };
                at(span.unwrap_or(0..0), format!("{prefix}_{key}: {message}"))
            })
        };
        let contacts = Contacts {
            contact: person("contact", &raw.contact_name, &raw.contact_email)?,
            privacy_officer: person(
                "privacy_officer",
                &raw.privacy_officer_name,
                &raw.privacy_officer_email,
            )?,
        };
        let date = parse_date(raw.date.get_ref()).map_err(|m| at(raw.date.span(), m))?;
        let goal = match raw.goal {
            Some(g) if *g.get_ref() <= 0 => {
                return Err(at(
                    g.span(),
                    "goal: must be a positive number of signatures".into(),
                ))
            }
            Some(g) => Some(*g.get_ref()),
            None => None,
        };
        let anonymise_after_days = match raw.anonymise_after_days {
            Some(d) if !(0..=36_500).contains(d.get_ref()) => {
                return Err(at(
                    d.span(),
                    "anonymise_after_days: must be a number of days from 0 to 36500".into(),
                ))
            }
            Some(d) => Some(*d.get_ref() as i32),
            None => None,
        };
        let mut signatories = Vec::with_capacity(raw.signatories.len());
        for entry in &raw.signatories {
            let s = entry.get_ref();
            let name = field("signatory name", &s.name, NAME_MAX)?;
            if s.titles.len() > TITLES_MAX {
                return Err(at(
                    entry.span(),
                    format!("signatory {name}: more than {TITLES_MAX} title lines"),
                ));
            }
            let titles = s
                .titles
                .iter()
                .map(|t| field("signatory title", t, TITLE_MAX))
                .collect::<Result<Vec<_>, _>>()?;
            signatories.push(InitialSignatory { name, titles });
        }

        let body = source[body_start..].trim_start_matches(['\r', '\n']).trim_end();
        if body.is_empty() {
            return Err(err(fences[1].0, "the letter has no body after the closing +++"));
        }
        if body.contains('\0') {
            return Err(err(fences[1].0 + 1, "the body contains a NUL character"));
        }
        Ok(LetterFile {
            slug,
            language,
            title,
            place,
            date,
            addressees,
            preamble,
            goal,
            organized_by,
            contacts,
            share_summary,
            anonymise_after_days,
            signatories,
            body: body.to_string(),
        })
    }
}

/// One-line fields keep every character but must not be blank, break the
/// line, or hide bidi controls.
fn check_field(value: &str, max: usize) -> Result<String, TextError> {
    if value.trim().is_empty() {
        return Err(TextError::Empty);
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(TextError::ControlCharacter);
    }
    if value.chars().any(is_bidi_control) {
        return Err(TextError::BidiOverride);
    }
    if value.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    Ok(value.to_string())
}

fn parse_date(value: &toml::Value) -> Result<NaiveDate, String> {
    let text = match value {
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.to_string(),
        toml::Value::String(s) => s.clone(),
        _ => return Err("date: write a date like 2026-03-03".into()),
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| format!("date: {text:?} is not a date like 2026-03-03"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "+++\nslug = \"avenir-cooperatives-habitation\"\nlanguage = \"fr\"\ntitle = \"Lettre ouverte sur l’avenir des coopératives d’habitation\"\nplace = \"Sherbrooke\"\ndate = 2026-03-03\naddressees = \"Lettre ouverte à la ministre responsable de l’Habitation\"\npreamble = \"Nous soussignés appuyons les propositions suivantes\u{a0}:\"\ngoal = 1000\n\n[[signatories]]\nname = \"Marie Tremblay,\"\ntitles = [\"Présidente de la Fédération (1998-2006)\", \"Officière de l’Ordre national du Québec\"]\n+++\n« Nous demandons\u{202f}: du logement. »\n\nDeuxième paragraphe.\n";

    #[test]
    fn parses_and_keeps_typography() {
        let l = LetterFile::parse(SAMPLE).unwrap();
        assert_eq!(l.slug.as_str(), "avenir-cooperatives-habitation");
        assert_eq!(l.language, Lang::FR);
        assert_eq!(
            l.title,
            "Lettre ouverte sur l’avenir des coopératives d’habitation"
        );
        assert_eq!(
            l.preamble,
            "Nous soussignés appuyons les propositions suivantes\u{a0}:"
        );
        assert_eq!(l.date, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
        assert_eq!(l.goal, Some(1000));
        assert_eq!(l.signatories[0].name, "Marie Tremblay,");
        assert_eq!(l.signatories[0].titles.len(), 2);
        assert_eq!(
            l.body,
            "« Nous demandons\u{202f}: du logement. »\n\nDeuxième paragraphe."
        );
    }

    #[test]
    fn accepts_crlf_and_a_string_date() {
        let src = SAMPLE
            .replace('\n', "\r\n")
            .replace("2026-03-03", "\"2026-03-03\"");
        let l = LetterFile::parse(&src).unwrap();
        assert_eq!(l.date, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
        assert!(l.body.starts_with('«'));
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "slug = \"avenir-cooperatives-habitation\"",
                "slug = \"Bad Slug\"",
                2,
                "slug",
            ),
            ("language = \"fr\"", "language = \"de\"", 3, "language"),
            ("date = 2026-03-03", "date = 2026-02-30", 6, "date"),
            ("goal = 1000", "goal = -5", 9, "goal"),
            ("goal = 1000", "goal = 1000\ncolour = \"red\"", 10, "colour"),
            ("place = \"Sherbrooke\"", "place = \"Sherbrooke", 5, ""),
            (
                "name = \"Marie Tremblay,\"",
                "name = \"  \"",
                12,
                "signatory name",
            ),
        ];
        for (from, to, line, needle) in cases {
            let src = SAMPLE.replace(from, to);
            let e = LetterFile::parse(&src).unwrap_err();
            assert_eq!(e.line, line, "{to}: {e}");
            assert!(e.to_string().contains(needle), "{to}: {e}");
        }
    }

    #[test]
    fn missing_fences_and_body() {
        assert_eq!(LetterFile::parse("slug = 1\n").unwrap_err().line, 1);
        assert_eq!(LetterFile::parse("+++\nslug = \"a\"\n").unwrap_err().line, 1);
        let no_body = SAMPLE.split("+++\n«").next().unwrap().to_string() + "+++\n\n";
        assert!(LetterFile::parse(&no_body)
            .unwrap_err()
            .message
            .contains("no body"));
        let missing = SAMPLE.replace("place = \"Sherbrooke\"\n", "");
        assert!(LetterFile::parse(&missing).unwrap_err().message.contains("place"));
    }

    #[test]
    fn contact_and_privacy_officer_keys() {
        let with = SAMPLE.replace(
            "goal = 1000\n",
            "goal = 1000\ncontact_name = \"Julie Côté\"\ncontact_email = \"presse@coop.qc.ca\"\nprivacy_officer_name = \"Marc Roy\"\nprivacy_officer_email = \"vie.privee@coop.qc.ca\"\n",
        );
        let l = LetterFile::parse(&with).unwrap();
        assert_eq!(l.contacts.contact.name(), "Julie Côté");
        assert_eq!(l.contacts.privacy_officer.email(), "vie.privee@coop.qc.ca");
        assert!(LetterFile::parse(SAMPLE).unwrap().contacts.contact.is_empty());
        let bad = SAMPLE.replace("goal = 1000\n", "goal = 1000\ncontact_email = \"presse@\"\n");
        let e = LetterFile::parse(&bad).unwrap_err();
        assert!(e.message.starts_with("contact_email:"), "{e}");
        assert_eq!(e.line, 10);
    }
}
