//! What a submission asks to publish, kept with its confirmation link so
//! that the link confirms that content and nothing else. A later submission
//! for the same address never rewrites a pending signature: it makes a new
//! proposal with a new link, and links to other content stop working.

use super::{Lang, NewSignature};

/// The content a confirmation link confirms: everything the public would
/// see, and the choices only its owner may make (news, language).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Proposal {
    pub name: String,
    pub titles: Vec<String>,
    pub city: Option<String>,
    pub is_public: bool,
    pub wants_updates: bool,
    pub language: Lang,
    /// The consent text agreed to beside the form.
    pub consent_version: String,
    /// The letter version read when submitting; `None` when the signature
    /// row, written by the same statement, holds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter_version: Option<i32>,
}

/// A stored proposal that does not parse: refused loudly, never confirmed
/// as some default.
#[derive(Debug, thiserror::Error)]
#[error("a stored proposal does not parse: {0}")]
pub struct ProposalError(#[from] serde_json::Error);

impl Proposal {
    pub fn of(sig: &NewSignature, consent_version: &str, letter_version: Option<i32>) -> Proposal {
        Proposal {
            name: sig.name.as_str().to_string(),
            titles: sig.titles.to_vec(),
            city: sig.city.as_ref().map(|c| c.as_str().to_string()),
            is_public: sig.is_public,
            wants_updates: sig.wants_updates,
            language: sig.language,
            consent_version: consent_version.to_string(),
            letter_version,
        }
    }

    /// Same content for the signer: the letter version read is not part of
    /// it, so signing again after a new version does not void a link.
    pub fn same_content(&self, other: &Proposal) -> bool {
        self.name == other.name
            && self.titles == other.titles
            && self.city == other.city
            && self.is_public == other.is_public
            && self.wants_updates == other.wants_updates
            && self.language == other.language
            && self.consent_version == other.consent_version
    }

    pub fn to_stored(&self) -> String {
        // Strings, bools and an integer: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_stored(stored: &str) -> Result<Proposal, ProposalError> {
        Ok(serde_json::from_str(stored)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposal() -> Proposal {
        Proposal {
            name: "Zoé L’Heureux".into(),
            titles: vec!["Présidente (1998-2006)".into()],
            city: Some("Sherbrooke".into()),
            is_public: true,
            wants_updates: false,
            language: Lang::FR,
            consent_version: "v1".into(),
            letter_version: Some(2),
        }
    }

    #[test]
    fn round_trips_and_refuses_garbage() {
        let p = proposal();
        assert_eq!(Proposal::from_stored(&p.to_stored()).unwrap(), p);
        assert!(Proposal::from_stored("{\"name\":1}").is_err());
    }

    #[test]
    fn content_ignores_the_letter_version_but_nothing_else() {
        let p = proposal();
        assert!(p.same_content(&Proposal {
            letter_version: None,
            ..p.clone()
        }));
        assert!(!p.same_content(&Proposal {
            is_public: false,
            ..p.clone()
        }));
        assert!(!p.same_content(&Proposal {
            wants_updates: true,
            ..p.clone()
        }));
        assert!(!p.same_content(&Proposal {
            titles: vec!["Recteur".into()],
            ..p.clone()
        }));
    }
}
