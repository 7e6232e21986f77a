//! Finding a signatory by name or title: the words a signature can be found
//! by, and a reader's query parsed once. Both sides fold the same way
//! (`domain::fold`, plus the ligatures French spells out), so "beland"
//! finds "Béland" and "coeur" finds "Cœur".

use super::fold::fold;

/// Shortest query, in folded characters: one letter would match a large
/// part of any list and tell nobody anything.
pub const MIN_QUERY_CHARS: usize = 2;
/// Longest query, in characters as typed.
pub const MAX_QUERY_CHARS: usize = 100;
/// Most words in a query; each one more is one more index lookup.
pub const MAX_QUERY_WORDS: usize = 6;
/// Longest word kept: beyond it a word is cut, on both sides alike, so a
/// pasted run of letters never makes an oversized index entry.
const MAX_WORD_CHARS: usize = 40;

/// Folds a text into its searchable words, in order, without repeats.
fn words_of(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let spelled = w.replace('œ', "oe").replace('æ', "ae").replace('ß', "ss");
            spelled.chars().take(MAX_WORD_CHARS).collect()
        })
        .collect()
}

/// The words a signature is found by: its name's and its title lines'.
pub fn search_words(name: &str, titles: &[String]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in std::iter::once(name)
        .chain(titles.iter().map(String::as_str))
        .flat_map(words_of)
    {
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

/// Why a query was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the search needs at least {MIN_QUERY_CHARS} letters or digits")]
    TooShort,
    #[error("the search is longer than {MAX_QUERY_CHARS} characters or {MAX_QUERY_WORDS} words")]
    TooLong,
}

impl QueryError {
    /// The API's error code.
    pub fn code(self) -> &'static str {
        match self {
            QueryError::TooShort => "query_too_short",
            QueryError::TooLong => "query_too_long",
        }
    }
}

/// A query that can be run: folded words, each matched against the start of
/// a signature's words. A signature matches when every word of the query
/// starts one of its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    typed: String,
    /// Longest first: the longest word is likely the rarest, so it drives
    /// the index scan and the others only check.
    terms: Vec<String>,
}

impl SearchQuery {
    pub fn parse(raw: &str) -> Result<SearchQuery, QueryError> {
        let typed = raw.trim();
        if typed.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong);
        }
        let mut terms: Vec<String> = Vec::new();
        for w in words_of(typed) {
            if !terms.contains(&w) {
                terms.push(w);
            }
        }
        if terms.len() > MAX_QUERY_WORDS {
            return Err(QueryError::TooLong);
        }
        if terms.iter().map(|t| t.chars().count()).sum::<usize>() < MIN_QUERY_CHARS {
            return Err(QueryError::TooShort);
        }
        terms.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        Ok(SearchQuery {
            typed: typed.to_string(),
            terms,
        })
    }

    /// What the reader typed, trimmed: the search box shows it again.
    pub fn typed(&self) -> &str {
        &self.typed
    }

    /// The folded words, the one to scan the index with first.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }
}

/// The half-open range of words that start with `prefix`, in byte order
/// (SQLite's and the "C" collation's): `[prefix, prefix + U+10FFFF)`.
/// U+10FFFF is the greatest character, so no word starting with `prefix`
/// reaches the upper end.
pub fn prefix_range(prefix: &str) -> (String, String) {
    let mut upper = prefix.to_string();
    upper.push(char::MAX);
    (prefix.to_string(), upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_case_accents_and_ligatures() {
        let titles = vec!["Université Laval".to_string(), "Cœur de l'Estrie".to_string()];
        assert_eq!(
            search_words("Louise Béland-Côté", &titles),
            [
                "louise",
                "beland",
                "cote",
                "universite",
                "laval",
                "coeur",
                "de",
                "l",
                "estrie"
            ]
        );
        assert_eq!(search_words("Anne Anne", &[]), ["anne"]);
    }

    #[test]
    fn queries_fold_like_the_words() {
        let q = SearchQuery::parse("  Universite LAVAL ").unwrap();
        assert_eq!(q.terms(), ["universite", "laval"]);
        assert_eq!(q.typed(), "Universite LAVAL");
        assert_eq!(SearchQuery::parse("béland").unwrap().terms(), ["beland"]);
        assert_eq!(SearchQuery::parse("coeur").unwrap().terms(), ["coeur"]);
        assert_eq!(SearchQuery::parse("Cœur").unwrap().terms(), ["coeur"]);
    }

    #[test]
    fn too_short_and_too_long_are_refused() {
        assert_eq!(SearchQuery::parse("b"), Err(QueryError::TooShort));
        assert_eq!(SearchQuery::parse("  "), Err(QueryError::TooShort));
        assert_eq!(SearchQuery::parse("!?"), Err(QueryError::TooShort));
        assert!(SearchQuery::parse("be").is_ok());
        assert!(SearchQuery::parse("a b").is_ok());
        assert_eq!(SearchQuery::parse(&"x".repeat(101)), Err(QueryError::TooLong));
        assert_eq!(SearchQuery::parse("a b c d e f g"), Err(QueryError::TooLong));
    }

    #[test]
    fn the_prefix_range_holds_exactly_the_words_that_start_with_it() {
        let (lo, hi) = prefix_range("bel");
        for w in ["bel", "beland", "belzébuth", "bel\u{10FFFE}"] {
            assert!(lo.as_str() <= w && w < hi.as_str(), "{w}");
        }
        for w in ["be", "bem", "bek", "abel"] {
            assert!(!(lo.as_str() <= w && w < hi.as_str()), "{w}");
        }
    }
}
