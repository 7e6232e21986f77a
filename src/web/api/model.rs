//! The JSON shapes of the API. They are the public contract: add fields,
//! never rename or remove one.

use crate::db::letters::Letter;
use crate::db::signatures::PublicSignatory;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// A published (or closed) letter with its count.
#[derive(Serialize, ToSchema)]
pub struct LetterJson {
    #[schema(example = "avenir-cooperatives-habitation")]
    pub slug: String,
    pub title: String,
    /// `fr` or `en`.
    #[schema(example = "fr")]
    pub language: String,
    /// `published` or `closed`.
    #[schema(example = "published")]
    pub status: String,
    /// Confirmed signatures, initial ones included: the figure the pages show.
    pub signature_count: i64,
    pub goal: Option<i64>,
    pub place: String,
    /// The date the letter bears, `YYYY-MM-DD`.
    #[schema(example = "2026-03-03")]
    pub date: String,
    pub addressees: String,
    /// The letter's public page.
    pub url: String,
    /// The letter's versions, oldest first. In the list of letters, only the
    /// current version is given.
    pub versions: Vec<VersionJson>,
}

/// One version of a letter's text.
#[derive(Serialize, ToSchema)]
pub struct VersionJson {
    /// Starts at 1.
    pub number: i32,
    /// When this version was published (RFC 3339, UTC).
    pub published_at: Option<DateTime<Utc>>,
}

/// The public letters, most recently published first.
#[derive(Serialize, ToSchema)]
pub struct LetterListJson {
    pub letters: Vec<LetterJson>,
}

/// A page of public signatories.
#[derive(Serialize, ToSchema)]
pub struct SignatoriesJson {
    /// On the first page, the initial signatories in their set order, then
    /// the others in signing order; later pages hold only the others.
    pub signatories: Vec<SignatoryJson>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next: Option<String>,
}

/// A signatory as the public sees them: never an email address.
#[derive(Serialize, ToSchema)]
pub struct SignatoryJson {
    pub name: String,
    /// One line per title, in the signer's order.
    pub titles: Vec<String>,
    pub city: Option<String>,
    /// Among the letter's first signatories, set by its organizers.
    pub initial: bool,
}

/// Who signed, at a glance: confirmed, counted signatures (names listed or
/// not) by region and by day. The parts add up to `total`.
#[derive(Serialize, ToSchema)]
pub struct StatsJson {
    pub slug: String,
    /// The sum of `regions`, `other` and `not_given`, and of `earlier`
    /// and `days`: the count as of `as_of`.
    pub total: i64,
    /// When the figures were computed (RFC 3339, UTC); they may be up to
    /// 30 seconds old.
    pub as_of: DateTime<Utc>,
    /// Quebec's 17 administrative regions, in official order, zeros
    /// included, matched from the signer's city or region.
    pub regions: Vec<RegionCountJson>,
    /// A city or region given that is not matched to one of the 17.
    pub other: i64,
    /// No city or region given.
    pub not_given: i64,
    /// Signatures before the first day listed (when a letter was signed
    /// over more than 400 days).
    pub earlier: i64,
    /// Each day in the site's time zone (America/Toronto unless set),
    /// from the first signature to the last.
    pub days: Vec<DayCountJson>,
}

#[derive(Serialize, ToSchema)]
pub struct RegionCountJson {
    /// The official number, two digits.
    #[schema(example = "05")]
    pub code: String,
    /// The official (French) name.
    #[schema(example = "Estrie")]
    pub name: String,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DayCountJson {
    /// `YYYY-MM-DD`.
    #[schema(example = "2026-03-03")]
    pub date: String,
    pub count: i64,
}

/// The count alone, cheap and cacheable for a few seconds.
#[derive(Serialize, ToSchema)]
pub struct CountJson {
    pub slug: String,
    pub signature_count: i64,
    pub goal: Option<i64>,
}

impl LetterJson {
    pub fn new(letter: Letter, count: i64, url: String) -> LetterJson {
        let status = letter.status();
        LetterJson {
            versions: vec![VersionJson {
                number: letter.current_version,
                published_at: letter.modified_at.or(letter.published_at).map(|t| t.and_utc()),
            }],
            url,
            slug: letter.slug,
            title: letter.title,
            language: letter.language.code().to_string(),
            status: status.as_str().to_string(),
            signature_count: count,
            goal: letter.goal,
            place: letter.place,
            date: letter.date.to_string(),
            addressees: letter.addressees,
        }
    }
}

impl SignatoryJson {
    pub fn new(s: PublicSignatory, initial: bool) -> SignatoryJson {
        SignatoryJson {
            name: s.name,
            titles: s.titles,
            city: s.city,
            initial,
        }
    }
}
