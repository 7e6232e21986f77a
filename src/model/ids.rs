//! Row ids as types of their own, so that a letter's id cannot be passed
//! where an organizer's is expected. An id is opaque text (a UUID v7 when
//! this build made it); one read from a URL is only a candidate until a
//! lookup finds its row.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

macro_rules! stored_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            diesel::AsExpression, diesel::FromSqlRow,
            serde::Serialize, serde::Deserialize,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new id: time-ordered, so rows inserted together stay
            /// together in the index.
            pub fn generate() -> $name {
                $name(uuid::Uuid::now_v7().to_string())
            }

            /// An id as it arrived (a URL path, a form, a stored column):
            /// whether a row has it is for a lookup to say.
            pub fn from_raw(raw: impl Into<String>) -> $name {
                $name(raw.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        // Storage functions still take `&str`; the type guards what a use
        // case is handed, and reading an id as text is always safe.
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(raw: &str) -> $name {
                $name(raw.to_string())
            }
        }

        impl From<String> for $name {
            fn from(raw: String) -> $name {
                $name(raw)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl<DB> ToSql<Text, DB> for $name
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(&self.0, out)
            }
        }

        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                Ok($name(<String as FromSql<Text, DB>>::from_sql(bytes)?))
            }
        }
    };
}

stored_id! {
    /// A letter's id.
    LetterId
}

stored_id! {
    /// A signature's id (public signers and initial signatories alike).
    SignatureId
}

stored_id! {
    /// An organizer account's id.
    OrganizerId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_distinct_uuids() {
        let a = LetterId::generate();
        let b = LetterId::generate();
        assert_ne!(a, b);
        assert!(uuid::Uuid::parse_str(a.as_str()).is_ok());
        assert_eq!(LetterId::from_raw(a.to_string()), a);
    }

    #[test]
    fn ids_serialize_as_plain_text() {
        let id = SignatureId::from_raw("abc");
        assert_eq!(serde_json::to_string(&id).unwrap(), "\"abc\"");
    }
}

stored_id! {
    /// A message to a letter's signers.
    MailingId
}
