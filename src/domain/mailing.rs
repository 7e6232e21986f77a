//! A message to a letter's signers, as the organizer typed it: a subject
//! and a Markdown body per language of the letter. Parsed once here; the
//! use case then knows every text it stores is one a mail header and a
//! signer's inbox can take.

use super::text::{check_chars, TextError};
use super::Lang;

pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;

/// One language's text, as typed (a draft may be incomplete).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub lang: Option<Lang>,
    pub subject: String,
    pub body: String,
}

/// Why one field of the message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error(transparent)]
    Text(#[from] TextError),
    /// The subject ends at a line break: a mail header cannot hold one.
    #[error("the subject is one line")]
    SubjectLines,
}

/// Why a message as typed cannot be stored or sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    /// A language the letter does not speak, or named twice: only a forged
    /// form does that.
    #[error("a language this letter is not written in")]
    Language,
    /// Each refused field: (`subject` or `body`, its language, why).
    #[error("{} fields refused", .0.len())]
    Fields(Vec<(&'static str, Lang, FieldError)>),
}

/// The message's texts, each in one of the letter's languages, the letter's
/// own first. A language left wholly empty is not there: its signers get
/// the letter's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub texts: Vec<(Lang, String, String)>,
}

fn subject(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim();
    if s.contains(['\r', '\n']) {
        return Err(FieldError::SubjectLines);
    }
    check_chars(s)?;
    if s.chars().count() > SUBJECT_MAX {
        return Err(TextError::TooLong { max: SUBJECT_MAX }.into());
    }
    Ok(s.to_string())
}

fn body(raw: &str) -> Result<String, FieldError> {
    let b = raw.replace("\r\n", "\n");
    let b = b.trim_end();
    // Tabs and line breaks are Markdown's; other controls have no place.
    if b.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(TextError::ControlCharacter.into());
    }
    if b.chars().count() > BODY_MAX {
        return Err(TextError::TooLong { max: BODY_MAX }.into());
    }
    Ok(b.to_string())
}

impl Draft {
    /// The texts typed for `languages` (the letter's, its own first). With
    /// `complete`, the letter's language needs both fields, and any other
    /// language both or neither: what a test or a sending needs. Without
    /// it, what is typed is kept as a draft, gaps and all.
    pub fn parse(languages: &[Lang], typed: &[Text], complete: bool) -> Result<Draft, DraftError> {
        let mut seen = Vec::new();
        for t in typed {
            match t.lang {
                Some(l) if languages.contains(&l) && !seen.contains(&l) => seen.push(l),
                _ => return Err(DraftError::Language),
            }
        }
        let mut errors = Vec::new();
        let mut texts = Vec::new();
        for (i, lang) in languages.iter().enumerate() {
            let Some(t) = typed.iter().find(|t| t.lang == Some(*lang)) else {
                if i == 0 && complete {
                    errors.push(("subject", *lang, TextError::Empty.into()));
                    errors.push(("body", *lang, TextError::Empty.into()));
                }
                continue;
            };
            let s = subject(&t.subject).map_err(|e| errors.push(("subject", *lang, e)));
            let b = body(&t.body).map_err(|e| errors.push(("body", *lang, e)));
            let (Ok(s), Ok(b)) = (s, b) else { continue };
            if s.is_empty() && b.trim().is_empty() && !(i == 0 && complete) {
                continue;
            }
            if complete && s.is_empty() {
                errors.push(("subject", *lang, TextError::Empty.into()));
            }
            if complete && b.trim().is_empty() {
                errors.push(("body", *lang, TextError::Empty.into()));
            }
            texts.push((*lang, s, b));
        }
        if errors.is_empty() {
            Ok(Draft { texts })
        } else {
            Err(DraftError::Fields(errors))
        }
    }

    /// The text a signer who signed in `lang` reads: theirs if written,
    /// else the letter's own.
    pub fn for_reader(&self, lang: Lang) -> Option<&(Lang, String, String)> {
        self.texts
            .iter()
            .find(|(l, _, _)| *l == lang)
            .or_else(|| self.texts.first())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(lang: Lang, subject: &str, body: &str) -> Text {
        Text {
            lang: Some(lang),
            subject: subject.into(),
            body: body.into(),
        }
    }

    const BOTH: [Lang; 2] = [Lang::FR, Lang::EN];

    #[test]
    fn a_complete_message_needs_the_letters_language() {
        let only_en = [typed(Lang::FR, "", ""), typed(Lang::EN, "Hi", "Body")];
        assert!(Draft::parse(&BOTH, &only_en, false).is_ok());
        let Err(DraftError::Fields(errors)) = Draft::parse(&BOTH, &only_en, true) else {
            panic!("an English-only message to a French letter's signers");
        };
        assert_eq!(
            errors.iter().map(|(f, l, _)| (*f, *l)).collect::<Vec<_>>(),
            [("subject", Lang::FR), ("body", Lang::FR)]
        );
    }

    #[test]
    fn an_empty_other_language_falls_back_and_half_of_one_is_refused() {
        let fr_only = [typed(Lang::FR, "Merci\u{a0}!", "Texte"), typed(Lang::EN, " ", "")];
        let draft = Draft::parse(&BOTH, &fr_only, true).unwrap();
        assert_eq!(draft.texts.len(), 1);
        assert_eq!(draft.for_reader(Lang::EN).unwrap().0, Lang::FR);
        let half = [typed(Lang::FR, "Merci", "Texte"), typed(Lang::EN, "Thanks", "")];
        assert!(matches!(
            Draft::parse(&BOTH, &half, true),
            Err(DraftError::Fields(e)) if e == [("body", Lang::EN, TextError::Empty.into())]
        ));
    }

    #[test]
    fn a_subject_is_one_line_and_forged_languages_are_refused() {
        let injected = [typed(Lang::FR, "Objet\r\nBcc: x@example.org", "Texte")];
        assert!(matches!(
            Draft::parse(&BOTH, &injected, false),
            Err(DraftError::Fields(e)) if e[0].2 == FieldError::SubjectLines
        ));
        let other = [typed(Lang::EN, "Hi", "Body")];
        assert_eq!(
            Draft::parse(&[Lang::FR], &other, false),
            Err(DraftError::Language)
        );
        let twice = [typed(Lang::FR, "a", "b"), typed(Lang::FR, "c", "d")];
        assert_eq!(Draft::parse(&BOTH, &twice, false), Err(DraftError::Language));
        let unknown = [Text::default()];
        assert_eq!(Draft::parse(&BOTH, &unknown, false), Err(DraftError::Language));
    }

    #[test]
    fn typography_and_line_breaks_survive() {
        let t = [typed(Lang::FR, "« Merci »", "Ligne\r\n\r\n- point\u{202f}!\n\n")];
        let d = Draft::parse(&[Lang::FR], &t, true).unwrap();
        assert_eq!(d.texts[0].1, "« Merci »");
        assert_eq!(d.texts[0].2, "Ligne\n\n- point\u{202f}!");
    }
}
