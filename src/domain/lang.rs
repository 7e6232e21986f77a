use std::fmt;
use std::str::FromStr;

/// The two languages the service speaks. French comes first: it is the
/// language of the first users and the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: use fr or en")]
pub struct UnknownLang(pub String);

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
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
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" => Ok(Lang::Fr),
            "en" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_string())),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes() {
        assert_eq!("fr".parse::<Lang>().unwrap(), Lang::Fr);
        assert_eq!("EN".parse::<Lang>().unwrap(), Lang::En);
        assert!("de".parse::<Lang>().is_err());
    }

    #[test]
    fn negotiates_accept_language() {
        assert_eq!(
            Lang::from_accept_language("en-CA,en;q=0.9,fr;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("de-DE, fr-CA;q=0.5"), Some(Lang::Fr));
        assert_eq!(Lang::from_accept_language("fr;q=0.4, en;q=0.9"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de, es"), None);
        assert_eq!(Lang::from_accept_language("en;q=0, fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
