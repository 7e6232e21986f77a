//! Quebec's 17 administrative regions, and the city or region a signer
//! typed placed in one of them. The table below is data: each region's
//! own names and its main municipalities (and a few well-known former
//! towns and boroughs people still write). Matching folds case, accents
//! and punctuation (`domain::fold`), reads "St"/"Ste" as "Saint"/"Sainte",
//! and ignores a trailing province or country ("Sherbrooke, QC"). Anything
//! else is "other"; an empty field is "not given". "Québec" alone is read as
//! the city, as people writing a city field mean.

use super::fold::fold;

/// A region by its official number, 1 to 17.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Region(u8);

impl Region {
    /// All 17, in official order.
    pub fn all() -> impl Iterator<Item = Region> {
        (1..=17).map(Region)
    }

    /// Two digits, as the government numbers them: "05" is Estrie.
    pub fn code(self) -> String {
        format!("{:02}", self.0)
    }

    /// The Fluent message with the region's name.
    pub fn message_id(self) -> &'static str {
        MESSAGE_IDS[usize::from(self.0) - 1]
    }
}

const MESSAGE_IDS: [&str; 17] = [
    "region-01",
    "region-02",
    "region-03",
    "region-04",
    "region-05",
    "region-06",
    "region-07",
    "region-08",
    "region-09",
    "region-10",
    "region-11",
    "region-12",
    "region-13",
    "region-14",
    "region-15",
    "region-16",
    "region-17",
];

/// Where a signature's city field puts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    Region(Region),
    Other,
    NotGiven,
}

/// Each region's names and main municipalities, as people write them:
/// one line a region, `NN name|name|…` (see the file's header).
const TABLE: &str = include_str!("regions.txt");

/// The table's lines as (region number, names).
fn table() -> impl Iterator<Item = (u8, std::str::Split<'static, char>)> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let (n, names) = l.split_once(' ')?;
            Some((n.parse().ok()?, names.split('|')))
        })
}

/// Trailing words that name the province or country, not the place.
const TRAILERS: [&str; 5] = ["qc", "quebec", "canada", "pq", "que"];

/// One name as the table compares it: folded, "st"/"ste" spelled out.
fn key(text: &str) -> String {
    fold(text)
        .split(' ')
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The table folded once, for many lookups (every distinct city of a
/// letter).
pub struct Places(std::collections::HashMap<String, Region>);

impl Default for Places {
    fn default() -> Places {
        let mut map = std::collections::HashMap::new();
        for (n, names) in table() {
            for name in names {
                map.entry(key(name)).or_insert(Region(n));
            }
        }
        Places(map)
    }
}

impl Places {
    fn lookup(&self, k: &str) -> Option<Region> {
        self.0.get(k).copied()
    }

    /// Where a typed city or region falls.
    pub fn place_of(&self, city: Option<&str>) -> Place {
        let Some(text) = city.map(str::trim).filter(|c| !c.is_empty()) else {
            return Place::NotGiven;
        };
        // "Sherbrooke (Québec)", "Gatineau, QC": the part before is the place.
        let head = text.split([',', '(', '/']).next().unwrap_or(text);
        for candidate in [text, head] {
            let mut k = key(candidate);
            if let Some(r) = self.lookup(&k) {
                return Place::Region(r);
            }
            while let Some((rest, last)) = k.rsplit_once(' ') {
                if !TRAILERS.contains(&last) {
                    break;
                }
                k = rest.to_string();
                if let Some(r) = self.lookup(&k) {
                    return Place::Region(r);
                }
            }
        }
        if key(text).is_empty() {
            Place::NotGiven
        } else {
            Place::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place_of(city: Option<&str>) -> Place {
        Places::default().place_of(city)
    }

    fn region(city: &str) -> Option<String> {
        match place_of(Some(city)) {
            Place::Region(r) => Some(r.code()),
            _ => None,
        }
    }

    #[test]
    fn cities_and_regions_fold_into_their_region() {
        assert_eq!(region("Montréal").as_deref(), Some("06"));
        assert_eq!(region("montreal").as_deref(), Some("06"));
        assert_eq!(region("MONTRÉAL ").as_deref(), Some("06"));
        assert_eq!(region("Laval").as_deref(), Some("13"));
        assert_eq!(region("Québec").as_deref(), Some("03"));
        assert_eq!(region("Sherbrooke").as_deref(), Some("05"));
        assert_eq!(region("Rimouski").as_deref(), Some("01"));
        assert_eq!(region("estrie").as_deref(), Some("05"));
        assert_eq!(region("St-Jean-sur-Richelieu").as_deref(), Some("16"));
        assert_eq!(region("Saint-Lin–Laurentides").as_deref(), Some("14"));
        assert_eq!(region("Val-d’Or").as_deref(), Some("08"));
        assert_eq!(region("Sept-Iles").as_deref(), Some("09"));
    }

    #[test]
    fn a_trailing_province_or_a_parenthesis_is_ignored() {
        assert_eq!(region("Sherbrooke, QC").as_deref(), Some("05"));
        assert_eq!(region("Gatineau (Québec)").as_deref(), Some("07"));
        assert_eq!(region("Lévis Québec Canada").as_deref(), Some("12"));
        assert_eq!(region("Québec, Canada").as_deref(), Some("03"));
    }

    #[test]
    fn anything_else_is_other_and_empty_is_not_given() {
        assert_eq!(place_of(Some("Ottawa")), Place::Other);
        assert_eq!(place_of(Some("Paris, France")), Place::Other);
        assert_eq!(place_of(Some("Montréal-Montréal")), Place::Other);
        assert_eq!(place_of(Some("   ")), Place::NotGiven);
        assert_eq!(place_of(Some("—")), Place::NotGiven);
        assert_eq!(place_of(None), Place::NotGiven);
    }

    #[test]
    fn every_region_has_its_names_and_no_name_is_in_two_regions() {
        assert_eq!(Region::all().count(), 17);
        let numbers: Vec<u8> = table().map(|(n, _)| n).collect();
        assert_eq!(
            numbers,
            (1..=17).collect::<Vec<u8>>(),
            "every region once, in order"
        );
        let mut seen: std::collections::HashMap<String, u8> = Default::default();
        for (n, names) in table() {
            for name in names {
                assert!(!key(name).is_empty(), "an empty name in region {n}");
                if let Some(other) = seen.insert(key(name), n) {
                    assert_eq!(other, n, "{name} is in regions {other} and {n}");
                }
            }
        }
        assert_eq!(Region(5).code(), "05");
        assert_eq!(Region(17).message_id(), "region-17");
    }
}
