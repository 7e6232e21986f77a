//! Every string a person reads comes from here, in French or English, from
//! the Fluent resources under `locales/`.

use crate::domain::{Lang, SiteZone};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;

// `SOURCES[lang.index()]`: every `(file name, text)` of a language's
// folder, found by build.rs.
include!(concat!(env!("OUT_DIR"), "/locale_sources.rs"));

/// The texts of `lang`'s folder.
pub(crate) fn sources(lang: Lang) -> impl Iterator<Item = &'static str> {
    SOURCES[lang.index()].iter().map(|(_, text)| *text)
}

#[derive(Debug, thiserror::Error)]
pub enum I18nError {
    #[error("translation resource for {lang} does not parse: {detail}")]
    Parse { lang: Lang, detail: String },
}

pub struct I18n {
    /// One bundle a language, in `Lang::all()` order.
    bundles: Vec<FluentBundle<FluentResource>>,
    /// Times are read and typed in the site's zone, whatever the language.
    zone: SiteZone,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

fn bundle<'s>(
    lang: Lang,
    sources: impl Iterator<Item = &'s str>,
) -> Result<FluentBundle<FluentResource>, I18nError> {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().map_err(|_| I18nError::Parse {
        lang,
        detail: "bad language identifier".into(),
    })?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks around arguments would end up inside names in emails
    // and exports; the views escape and place arguments themselves.
    bundle.set_use_isolating(false);
    for source in sources {
        let resource =
            FluentResource::try_new(source.to_string()).map_err(|(_, errors)| I18nError::Parse {
                lang,
                detail: format!("{errors:?}"),
            })?;
        bundle.add_resource(resource).map_err(|errors| I18nError::Parse {
            lang,
            detail: format!("{errors:?}"),
        })?;
    }
    Ok(bundle)
}

impl I18n {
    pub fn new() -> Result<I18n, I18nError> {
        Ok(I18n {
            bundles: Lang::all()
                .map(|lang| bundle(lang, sources(lang)))
                .collect::<Result<_, _>>()?,
            zone: SiteZone::default(),
        })
    }

    /// The same texts, with times in `zone`.
    pub fn with_zone(mut self, zone: SiteZone) -> I18n {
        self.zone = zone;
        self
    }

    /// The same texts and zone, made anew (a bundle cannot be cloned).
    pub fn remade(&self) -> Result<I18n, I18nError> {
        Ok(I18n::new()?.with_zone(self.zone))
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        &self.bundles[lang.index()]
    }

    /// The message `id` in `lang`. A missing message is a bug caught by the
    /// tests below; at run time it shows its id rather than failing the page.
    pub fn message(&self, lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, %lang, "missing translation");
            return id.to_string();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(id, %lang, ?errors, "translation formatting error");
        }
        text.into_owned()
    }

    pub fn has(&self, lang: Lang, id: &str) -> bool {
        self.bundle(lang).has_message(id)
    }

    /// The language's name in itself ("Français", "English"), as language
    /// switches show it.
    pub fn name(&self, lang: Lang) -> String {
        self.message(lang, "language-name", None)
    }

    pub fn tr(&self, lang: Lang) -> Tr<'_> {
        Tr { i18n: self, lang }
    }
}

/// The translator for one language, handed to views and email builders.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub i18n: &'a I18n,
    pub lang: Lang,
}

impl<'a> Tr<'a> {
    pub fn t(&self, id: &str) -> String {
        self.i18n.message(self.lang, id, None)
    }

    pub fn ta(&self, id: &str, args: &[(&str, Arg)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            let v: FluentValue = match value {
                Arg::Str(s) => FluentValue::String(Cow::Owned(s.clone())),
                Arg::Num(n) => FluentValue::from(*n),
            };
            fluent.set(name.to_string(), v);
        }
        self.i18n.message(self.lang, id, Some(&fluent))
    }

    /// A date written out in the language: "3 mars 2026", "1er juin 2026",
    /// "March 3, 2026".
    pub fn date(&self, date: NaiveDate) -> String {
        self.ta(
            "date-long",
            &[
                ("day", Arg::Num(date.day() as i64)),
                ("month", Arg::Num(date.month() as i64)),
                ("year", Arg::Str(date.year().to_string())),
            ],
        )
    }

    pub fn zone(&self) -> SiteZone {
        self.i18n.zone
    }

    /// A stored (UTC) time as the site's clock shows it: "2026-06-01 06:00".
    pub fn time(&self, utc: NaiveDateTime) -> String {
        self.i18n.zone.show(utc)
    }

    /// A stored time to the second with its offset, for stamps.
    pub fn time_exact(&self, utc: NaiveDateTime) -> String {
        self.i18n.zone.show_exact(utc)
    }

    /// A stored time as a `datetime-local` field's value.
    pub fn time_input(&self, utc: NaiveDateTime) -> String {
        self.i18n.zone.input_value(utc)
    }

    /// "Label : text", as one sentence: French goes on in lower case after
    /// the colon ("Ligne 1 : ce champ est obligatoire."), English keeps the
    /// capital of a whole sentence.
    pub fn labelled(&self, label: &str, text: &str) -> String {
        self.ta(
            "labelled",
            &[("label", label.into()), ("text", self.after_colon(text).into())],
        )
    }

    /// `text` as it continues after a colon in this language.
    pub fn after_colon(&self, text: &str) -> String {
        let mut chars = text.chars();
        match (self.lang, chars.next()) {
            (Lang::FR, Some(first))
                if first.is_uppercase() && !chars.clone().next().is_some_and(char::is_uppercase) =>
            {
                first.to_lowercase().chain(chars).collect()
            }
            _ => text.to_string(),
        }
    }

    /// A count with the language's digit grouping: "12 345" with a narrow
    /// no-break space in French, "12,345" in English.
    pub fn count(&self, n: i64) -> String {
        let digits = n.unsigned_abs().to_string();
        let sep = self.t("digit-group-separator");
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(&sep);
            }
            out.push(c);
        }
        if n < 0 {
            out.insert(0, '-');
        }
        out
    }
}

pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Num(n)
    }
}

pub mod typography;

#[cfg(test)]
mod checks;
#[cfg(test)]
mod usage;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(lang: Lang) -> BTreeSet<String> {
        sources(lang)
            .flat_map(|s| {
                s.lines()
                    .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
                    .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim().to_string()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn every_language_has_the_same_files_and_messages() {
        let files =
            |lang: Lang| -> Vec<&str> { SOURCES[lang.index()].iter().map(|(name, _)| *name).collect() };
        let fr = ids(Lang::FR);
        assert!(!fr.is_empty());
        assert!(Lang::all().len() >= 2);
        let i18n = I18n::new().unwrap();
        for lang in Lang::all() {
            assert_eq!(files(lang), files(Lang::FR), "{lang}: the same .ftl files as fr");
            let other = ids(lang);
            let only_fr: Vec<_> = fr.difference(&other).collect();
            let only_other: Vec<_> = other.difference(&fr).collect();
            assert!(
                only_fr.is_empty() && only_other.is_empty(),
                "{lang}: missing {only_fr:?}, extra {only_other:?}"
            );
            for id in &fr {
                assert!(i18n.has(lang, id), "{lang} {id}");
            }
        }
    }

    #[test]
    fn remade_texts_keep_the_sites_zone() {
        let paris: SiteZone = "Europe/Paris".parse().unwrap();
        let i18n = I18n::new().unwrap().with_zone(paris);
        let remade = i18n.remade().unwrap();
        assert_eq!(remade.tr(Lang::FR).zone(), paris);
        assert_eq!(
            remade.message(Lang::EN, "stats-link", None),
            i18n.message(Lang::EN, "stats-link", None)
        );
    }

    #[test]
    fn dates_in_both_languages() {
        let i18n = I18n::new().unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(i18n.tr(Lang::FR).date(d(2026, 3, 3)), "3 mars 2026");
        assert_eq!(i18n.tr(Lang::FR).date(d(2026, 6, 1)), "1er juin 2026");
        assert_eq!(i18n.tr(Lang::FR).date(d(2015, 5, 26)), "26 mai 2015");
        assert_eq!(i18n.tr(Lang::EN).date(d(2026, 3, 3)), "March 3, 2026");
        assert_eq!(i18n.tr(Lang::FR).date(d(2026, 12, 31)), "31 décembre 2026");
    }

    #[test]
    fn place_and_date_line() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(Lang::FR);
        let date = tr.date(NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
        assert_eq!(
            tr.ta(
                "place-date",
                &[("place", "Sherbrooke".into()), ("date", date.into())]
            ),
            "Sherbrooke, le 3 mars 2026"
        );
        let tr = i18n.tr(Lang::EN);
        let date = tr.date(NaiveDate::from_ymd_opt(2026, 3, 3).unwrap());
        assert_eq!(
            tr.ta(
                "place-date",
                &[("place", "Sherbrooke".into()), ("date", date.into())]
            ),
            "Sherbrooke, March 3, 2026"
        );
    }

    #[test]
    fn text_after_a_colon() {
        let i18n = I18n::new().unwrap();
        assert_eq!(
            i18n.tr(Lang::FR).labelled("Ligne 1", "Ce champ est obligatoire."),
            "Ligne 1\u{a0}: ce champ est obligatoire."
        );
        assert_eq!(i18n.tr(Lang::FR).after_colon("URL invalide"), "URL invalide");
        assert_eq!(
            i18n.tr(Lang::EN).labelled("Full name", "This field is required."),
            "Full name: This field is required."
        );
    }

    #[test]
    fn counts_are_grouped() {
        let i18n = I18n::new().unwrap();
        assert_eq!(i18n.tr(Lang::FR).count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(i18n.tr(Lang::EN).count(1234567), "1,234,567");
        assert_eq!(i18n.tr(Lang::EN).count(999), "999");
        assert_eq!(i18n.tr(Lang::EN).count(0), "0");
    }
}
