//! Translated messages for the text checks every form shares: the signing
//! form, the manage page and the workspace's letter and signatory forms.

use crate::domain::signer::{TitlesError, TITLES_MAX};
use crate::domain::TextError;
use crate::i18n::{Arg, Tr};

pub fn text_error(tr: &Tr, e: &TextError) -> String {
    match e {
        TextError::TooLong { max } => tr.ta(e.message_id(), &[("max", Arg::Num(*max as i64))]),
        other => tr.t(other.message_id()),
    }
}

pub fn titles_error(tr: &Tr, e: &TitlesError) -> String {
    match e {
        TitlesError::TooMany => tr.ta("error-titles-too-many", &[("max", Arg::Num(TITLES_MAX as i64))]),
        TitlesError::Line { line, error } => tr.ta(
            "error-titles-line",
            &[
                ("line", Arg::Num(*line as i64)),
                ("message", tr.after_colon(&text_error(tr, error)).into()),
            ],
        ),
    }
}

/// Why a signer's name was refused, at signing or on the manage page.
pub fn name_error(tr: &Tr, e: &crate::domain::signer::NameError) -> String {
    use crate::domain::signer::NameError;
    match e {
        NameError::Text(t) => text_error(tr, t),
        NameError::Markup => tr.t("error-name-markup"),
        NameError::FormulaLike => tr.t("error-name-formula"),
    }
}
