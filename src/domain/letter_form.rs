//! The letter editor's fields, parsed into the same `LetterFile` a letter
//! file gives, so the web and the command line share one definition.

use super::contacts::{Contacts, Person};
use super::email::EmailError;
use super::lang::Lang;
use super::letter_file::LetterFile;
use super::slug::Slug;
use super::text::{is_bidi_control, TextError};
use chrono::NaiveDate;

/// The editor's fields as typed. A field the form leaves out is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct LetterFields {
    pub slug: String,
    pub language: String,
    pub title: String,
    pub place: String,
    pub date: String,
    pub addressees: String,
    pub preamble: String,
    pub body: String,
    pub goal: String,
    pub organized_by: String,
    pub share_summary: String,
    pub contact_name: String,
    pub contact_email: String,
    pub privacy_officer_name: String,
    pub privacy_officer_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    Text(TextError),
    Slug,
    Language,
    Date,
    Goal,
    Email(EmailError),
}

impl FieldError {
    pub fn message_id(&self) -> &'static str {
        match self {
            FieldError::Text(t) => t.message_id(),
            FieldError::Slug => "error-slug",
            FieldError::Language => "error-language",
            FieldError::Date => "error-date",
            FieldError::Goal => "error-goal",
            FieldError::Email(e) => e.message_id(),
        }
    }
}

fn line(value: &str, max: usize) -> Result<String, FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::Text(TextError::Empty));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::Text(TextError::ControlCharacter));
    }
    if value.chars().any(is_bidi_control) {
        return Err(FieldError::Text(TextError::BidiOverride));
    }
    if value.chars().count() > max {
        return Err(FieldError::Text(TextError::TooLong { max }));
    }
    // Typography is the author's: no trimming inside, no normalisation.
    Ok(value.trim().to_string())
}

pub const BODY_MAX: usize = 100_000;

impl LetterFields {
    /// Every field's error at once, in the order of the form.
    pub fn parse(&self) -> Result<LetterFile, Vec<(&'static str, FieldError)>> {
        let mut errors = Vec::new();
        let mut check = |name: &'static str, r: Result<String, FieldError>| match r {
            Ok(v) => Some(v),
            Err(e) => {
                errors.push((name, e));
                None
            }
        };
        let slug = check(
            "slug",
            Slug::parse(self.slug.trim())
                .map(|s| s.to_string())
                .map_err(|_| FieldError::Slug),
        );
        let language = check(
            "language",
            self.language
                .parse::<Lang>()
                .map(|l| l.code().to_string())
                .map_err(|_| FieldError::Language),
        );
        let title = check("title", line(&self.title, 500));
        let place = check("place", line(&self.place, 1000));
        let date = check(
            "date",
            NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
                .map(|d| d.to_string())
                .map_err(|_| FieldError::Date),
        );
        let addressees = check("addressees", line(&self.addressees, 1000));
        let preamble = check("preamble", line(&self.preamble, 1000));
        let body = check(
            "body",
            if self.body.trim().is_empty() {
                Err(FieldError::Text(TextError::Empty))
            } else if self.body.contains('\0') {
                Err(FieldError::Text(TextError::ControlCharacter))
            } else if self.body.chars().count() > BODY_MAX {
                Err(FieldError::Text(TextError::TooLong { max: BODY_MAX }))
            } else {
                Ok(self.body.replace("\r\n", "\n").trim_end().to_string())
            },
        );
        let organized_by = check(
            "organized_by",
            match self.organized_by.trim() {
                "" => Ok(String::new()),
                _ => line(&self.organized_by, 300),
            },
        );
        let share_summary = check(
            "share_summary",
            match self.share_summary.trim() {
                "" => Ok(String::new()),
                _ => line(&self.share_summary, super::letter_file::SUMMARY_MAX),
            },
        );
        let goal = check(
            "goal",
            match self.goal.trim() {
                "" => Ok(String::new()),
                g => match g.parse::<i64>() {
                    Ok(n) if n > 0 => Ok(n.to_string()),
                    _ => Err(FieldError::Goal),
                },
            },
        );
        let mut person = |prefix: &'static str, name: &str, email: &str| match Person::parse(name, email) {
            Ok(p) => Some(p),
            Err(e) => {
                let [name_field, email_field] = match prefix {
                    "contact" => ["contact_name", "contact_email"],
                    _ => ["privacy_officer_name", "privacy_officer_email"],
                };
                errors.extend(e.name.map(|n| (name_field, FieldError::Text(n))));
                errors.extend(e.email.map(|m| (email_field, FieldError::Email(m))));
                None
            }
        };
        let contact = person("contact", &self.contact_name, &self.contact_email);
        let privacy_officer = person(
            "privacy_officer",
            &self.privacy_officer_name,
            &self.privacy_officer_email,
        );
        let contacts = contact
            .zip(privacy_officer)
            .map(|(contact, privacy_officer)| Contacts {
                contact,
                privacy_officer,
            });
        match (
            slug,
            language,
            title,
            place,
            date,
            addressees,
            preamble,
            body,
            (goal, organized_by, contacts, share_summary),
        ) {
            (
                Some(slug),
                Some(language),
                Some(title),
                Some(place),
                Some(date),
                Some(addressees),
                Some(preamble),
                Some(body),
                (Some(goal), Some(organized_by), Some(contacts), Some(share_summary)),
            ) if errors.is_empty() => Ok(LetterFile {
                slug: Slug::parse(&slug).map_err(|_| vec![("slug", FieldError::Slug)])?,
                language: language.parse().unwrap_or_default(),
                title,
                place,
                date: NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                    .map_err(|_| vec![("date", FieldError::Date)])?,
                addressees,
                preamble,
                goal: goal.parse().ok(),
                organized_by,
                contacts,
                share_summary,
                anonymise_after_days: None,
                signatories: Vec::new(),
                body,
            }),
            _ => Err(errors),
        }
    }

    pub fn from_letter(l: &crate::db::letters::Letter) -> LetterFields {
        LetterFields {
            slug: l.slug.clone(),
            language: l.language.code().to_string(),
            title: l.title.clone(),
            place: l.place.clone(),
            date: l.date.to_string(),
            addressees: l.addressees.clone(),
            preamble: l.preamble.clone(),
            body: l.body_markdown.clone(),
            goal: l.goal.map(|g| g.to_string()).unwrap_or_default(),
            organized_by: l.organized_by.clone(),
            share_summary: l.share_summary.clone(),
            contact_name: l.contacts.contact.name().to_string(),
            contact_email: l.contacts.contact.email().to_string(),
            privacy_officer_name: l.contacts.privacy_officer.name().to_string(),
            privacy_officer_email: l.contacts.privacy_officer.email().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> LetterFields {
        LetterFields {
            slug: "lettre".into(),
            language: "fr".into(),
            title: "« L’été »".into(),
            place: "Québec".into(),
            date: "2026-06-01".into(),
            addressees: "Au ministre".into(),
            preamble: "Nous soussignés\u{a0}:".into(),
            body: "Texte\u{202f}: oui.\r\n".into(),
            goal: "".into(),
            organized_by: "La Coalition des coopératives".into(),
            ..Default::default()
        }
    }

    #[test]
    fn parses_and_keeps_typography() {
        let l = valid().parse().unwrap();
        assert_eq!(l.title, "« L’été »");
        assert_eq!(l.preamble, "Nous soussignés\u{a0}:");
        assert_eq!(l.body, "Texte\u{202f}: oui.");
        assert_eq!(l.goal, None);
    }

    #[test]
    fn reports_every_bad_field() {
        let f = LetterFields {
            slug: "Bad Slug".into(),
            language: "de".into(),
            title: "".into(),
            date: "2026-02-30".into(),
            goal: "-3".into(),
            ..valid()
        };
        let fields: Vec<_> = f.parse().unwrap_err().into_iter().map(|(n, _)| n).collect();
        assert_eq!(fields, ["slug", "language", "title", "date", "goal"]);
    }

    #[test]
    fn contacts_are_optional_and_each_bad_one_is_named() {
        let l = valid().parse().unwrap();
        assert!(l.contacts.contact.is_empty() && l.contacts.privacy_officer.is_empty());
        let f = LetterFields {
            contact_name: "Julie Côté".into(),
            contact_email: "presse@coop".into(),
            privacy_officer_name: "a\u{7}".into(),
            privacy_officer_email: "dpo@coop.qc.ca".into(),
            ..valid()
        };
        let fields: Vec<_> = f.parse().unwrap_err().into_iter().map(|(n, _)| n).collect();
        assert_eq!(fields, ["contact_email", "privacy_officer_name"]);
        let f = LetterFields {
            contact_email: "Presse@Coop.qc.ca".into(),
            ..valid()
        };
        assert_eq!(f.parse().unwrap().contacts.contact.email(), "presse@coop.qc.ca");
    }
}
