use std::fmt;
use std::str::FromStr;

/// An interface language. The list is not written here: each folder under
/// `src/i18n/locales/` is a language, found when the crate is built, and
/// `Lang::FR`, `Lang::EN`… are made from the folders' names. French comes
/// first: it is the language of the first users and the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lang(u8);

include!(concat!(env!("OUT_DIR"), "/languages.rs"));

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: use one of {list}", list = CODES.join(", "))]
pub struct UnknownLang(pub String);

impl Default for Lang {
    fn default() -> Lang {
        Lang::FR
    }
}

impl Lang {
    /// Every interface language, the default first.
    pub fn all() -> impl ExactSizeIterator<Item = Lang> + Clone {
        (0..CODES.len()).map(|i| Lang(i as u8))
    }

    pub fn code(self) -> &'static str {
        CODES[self.0 as usize]
    }

    /// The position of this language in `Lang::all()`, to index tables
    /// built in the same order.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// Picks the first supported language of an `Accept-Language` header,
    /// honouring q-values. Unknown or malformed entries are skipped.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (index, part) in header.split(',').enumerate() {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let quality = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            let Ok(lang) = primary.parse::<Lang>() else {
                continue;
            };
            if quality <= 0.0 {
                continue;
            }
            let better = match best {
                None => true,
                Some((q, i, _)) => quality > q || (quality == q && index < i),
            };
            if better {
                best = Some((quality, index, lang));
            }
        }
        best.map(|(_, _, lang)| lang)
    }
}

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Lang::all()
            .find(|l| l.code().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownLang(s.to_string()))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        let code = String::deserialize(d)?;
        code.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adding a folder is adding a language: the list is the folders.
    #[test]
    fn the_languages_are_the_locale_folders() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n/locales");
        let mut folders: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().into_string().unwrap())
            .collect();
        folders.sort();
        let mut codes: Vec<&str> = Lang::all().map(Lang::code).collect();
        assert_eq!(codes[0], "fr", "French is the default and comes first");
        assert_eq!(Lang::default(), Lang::FR);
        codes.sort();
        assert_eq!(codes, folders);
    }

    #[test]
    fn serde_uses_the_code() {
        assert_eq!(serde_json::to_string(&Lang::EN).unwrap(), "\"en\"");
        assert_eq!(serde_json::from_str::<Lang>("\"fr\"").unwrap(), Lang::FR);
        assert!(serde_json::from_str::<Lang>("\"xx\"").is_err());
    }

    #[test]
    fn parses_codes() {
        assert_eq!("fr".parse::<Lang>().unwrap(), Lang::FR);
        assert_eq!("EN".parse::<Lang>().unwrap(), Lang::EN);
        assert!("de".parse::<Lang>().is_err());
    }

    #[test]
    fn negotiates_accept_language() {
        assert_eq!(
            Lang::from_accept_language("en-CA,en;q=0.9,fr;q=0.8"),
            Some(Lang::EN)
        );
        assert_eq!(Lang::from_accept_language("zz-ZZ, fr-CA;q=0.5"), Some(Lang::FR));
        assert_eq!(Lang::from_accept_language("fr;q=0.4, en;q=0.9"), Some(Lang::EN));
        assert_eq!(Lang::from_accept_language("zz, qq"), None);
        assert_eq!(Lang::from_accept_language("en;q=0, fr"), Some(Lang::FR));
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
