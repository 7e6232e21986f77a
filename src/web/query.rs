//! Query-string choices read through the domain types' own `Deserialize`,
//! so each accepted word is spelled once, on the type, for the command line
//! and the site alike.

use serde::de::{DeserializeOwned, IntoDeserializer};
use serde::{Deserialize, Deserializer};

/// For `#[serde(default, deserialize_with = ...)]`: a form sends an empty
/// value for a choice left blank, and that means the default, as a missing
/// value does. The domain types keep refusing the empty word themselves.
pub fn empty_is_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let word = String::deserialize(d)?;
    if word.is_empty() {
        return Ok(T::default());
    }
    T::deserialize(IntoDeserializer::<D::Error>::into_deserializer(word))
}

/// One value read alone, as a route that looks at a single key does; empty
/// is the default, as in a whole query.
pub fn choice<T: DeserializeOwned + Default>(value: &str) -> Result<T, serde::de::value::Error> {
    empty_is_default(value.into_deserializer())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::export_rows::{Order, Who};

    #[test]
    fn a_choice_is_read_by_its_word_and_empty_is_the_default() {
        assert_eq!(choice::<Order>("list").ok(), Some(Order::List));
        assert_eq!(choice::<Order>("surname").ok(), Some(Order::Surname));
        assert_eq!(choice::<Order>("").ok(), Some(Order::List));
        assert_eq!(choice::<Who>("initial").ok(), Some(Who::Initial));
        assert_eq!(choice::<Who>("public").ok(), Some(Who::Public));
        assert_eq!(choice::<Who>("all").ok(), Some(Who::All));
        assert_eq!(choice::<Who>("").ok(), Some(Who::Public));
    }

    #[test]
    fn anything_else_is_refused_as_typed() {
        for word in ["prenom", "Surname", "LIST", " list", "list ", "surname\0"] {
            assert!(choice::<Order>(word).is_err(), "{word:?}");
        }
        for word in ["everyone", "All", "0"] {
            assert!(choice::<Who>(word).is_err(), "{word:?}");
        }
    }
}
