//! The service's vocabulary of states, in one place: each is an enum that
//! the database stores as text and reads back strictly. A stored value this
//! build does not know fails the query loudly instead of being read as some
//! default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

mod ids;
pub use ids::{LetterId, MailingId, OrganizerId, SignatureId};

/// A stored state this build does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// Declares a state enum stored as text: `as_str`, strict `FromStr`,
/// `Display`, `ALL`, and diesel's `ToSql`/`FromSql` for every backend.
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident as $kind:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<$name, UnknownValue> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(UnknownValue { kind: $kind, value: other.to_string() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl<DB> ToSql<Text, DB> for $name
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = <String as FromSql<Text, DB>>::from_sql(bytes)?;
                Ok(text.parse::<$name>()?)
            }
        }
    };
}

stored_enum! {
    /// Where a signature stands with its signer.
    SignatureStatus as "signature status" {
        /// Submitted; nobody has confirmed from the address yet.
        Pending = "pending",
        Confirmed = "confirmed",
        /// Withdrawn: only an anonymous tombstone is left.
        Withdrawn = "withdrawn",
    }
}

stored_enum! {
    /// Who put a signature on the list.
    Tier as "tier" {
        /// Entered by organizers: the letter's first signatories.
        Initial = "initial",
        /// Signed through the public form.
        Public = "public",
    }
}

stored_enum! {
    /// A confirmed signature's standing with the public (see
    /// `domain::visibility`). Only `Shown` rows that are public are listed.
    Moderation as "moderation state" {
        Shown = "shown",
        /// Waiting for an organizer's review.
        Queued = "queued",
        /// An organizer hid it.
        Hidden = "hidden",
    }
}

stored_enum! {
    /// Whether a letter lists public names at once or after review.
    ModerationMode as "moderation mode" {
        Immediate = "immediate",
        Review = "review",
    }
}

stored_enum! {
    /// A letter's life cycle.
    LetterStatus as "letter status" {
        Draft = "draft",
        Published = "published",
        Closed = "closed",
    }
}

stored_enum! {
    /// What an organizer may do on a letter.
    Role as "role" {
        /// Everything, including sharing, anonymising and emailing signers.
        Owner = "owner",
        /// Writing, publishing, closing, moderating, public exports.
        Editor = "editor",
    }
}

stored_enum! {
    /// What an emailed link is for.
    TokenPurpose as "token purpose" {
        Confirm = "confirm",
        Withdraw = "withdraw",
        /// The "manage my signature" link: reusable while the signature
        /// exists.
        Manage = "manage",
        /// "No more news", in a message of news: stops the news and can do
        /// nothing else, so a mail provider acting on the header holds no
        /// more than that.
        Unsubscribe = "unsubscribe",
        /// An organizer's first password.
        Setup = "setup",
        /// An organizer's forgotten password.
        Reset = "reset",
    }
}

stored_enum! {
    /// Where an email stands in the outbox.
    OutboxStatus as "outbox status" {
        /// Waiting to be sent, or to be tried again.
        Pending = "pending",
        Sent = "sent",
        /// Given up on after its last try.
        Failed = "failed",
    }
}

stored_enum! {
    /// Where a message to a letter's signers stands.
    MailingStatus as "mailing status" {
        /// Being written: it can be changed, previewed and tried.
        Draft = "draft",
        /// Being queued for its recipients, a batch at a time.
        Sending = "sending",
        /// Queued for every recipient; the outbox delivers the rest.
        Sent = "sent",
        /// Stopped before the end: by an owner, or because its author may
        /// no longer send it or none of its texts can be. Its emails still
        /// waiting in the outbox were withdrawn.
        Cancelled = "cancelled",
    }
}

stored_enum! {
    /// What an organizer did, as the audit log records it. The log's page
    /// shows the message `audit-<value>`.
    AuditAction as "audit action" {
        LetterCreated = "letter-created",
        LetterEdited = "letter-edited",
        LetterPublished = "letter-published",
        LetterClosed = "letter-close",
        LetterReopened = "letter-reopen",
        CloseScheduled = "letter-schedule",
        CloseScheduleCancelled = "letter-schedule-cancel",
        PublicationScheduled = "letter-publish-schedule",
        PublicationScheduleCancelled = "letter-publish-schedule-cancel",
        LetterArchived = "letter-archive",
        LetterUnarchived = "letter-unarchive",
        LetterAnonymised = "letter-anonymise",
        LetterExported = "letter-exported",
        EditorAdded = "editor-added",
        /// An owner took a co-editor (or another owner) off the letter.
        EditorRemoved = "editor-removed",
        /// An owner made a member owner or co-editor.
        EditorRoleChanged = "editor-role",
        /// One member became the letter's only owner; the others co-editors.
        OwnershipTransferred = "owner-transferred",
        SignatoryAdded = "signatory-added",
        SignatoryEdited = "signatory-save",
        SignatoryRemoved = "signatory-delete",
        SignatoryMovedUp = "signatory-up",
        SignatoryMovedDown = "signatory-down",
        SignatoryVerified = "signatory-verify",
        SignatoriesImported = "signatories-imported",
        CsvImported = "csv-imported",
        OrganizerCreated = "organizer-created",
        OrganizerDisabled = "organizer-disabled",
        OrganizerEnabled = "organizer-enabled",
        PasswordSet = "password-set",
        /// A signer corrected their name from their manage link.
        SignatureRenamed = "signature-renamed",
        Approved = "moderation-approve",
        Hidden = "moderation-hide",
        HiddenAndExcluded = "moderation-hideandexclude",
        Included = "moderation-include",
        ModerationModeSet = "moderation-mode",
        BulkHidden = "moderation-bulk-hide",
        ProtectedAdded = "protected-added",
        ProtectedRemoved = "protected-removed",
        SignersNotified = "signers-notified",
        TranslationSaved = "translation-saved",
        TranslationDeleted = "translation-deleted",
        AffiliationAdded = "affiliation-added",
        AffiliationRemoved = "affiliation-removed",
        MailingTested = "mailing-tested",
        MailingStarted = "mailing-started",
        MailingFinished = "mailing-finished",
        /// An owner or an admin stopped a message being sent.
        MailingCancelled = "mailing-cancelled",
        /// A message being sent stopped without anyone asking: its author
        /// may no longer send it, or none of its texts can be sent.
        MailingStopped = "mailing-stopped",
        LogoChanged = "logo-changed",
        LogoRemoved = "logo-removed",
    }
}

impl AuditAction {
    /// The short label of this action, for rows written before their
    /// details were recorded as arguments.
    pub fn message_id(self) -> String {
        format!("audit-{}", self.as_str())
    }

    /// The sentence that tells this action on the audit log's page, with
    /// `$who` and the row's arguments.
    pub fn sentence_id(self) -> String {
        format!("audit-line-{}", self.as_str())
    }
}

/// One named value of an audit row, as its sentence shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditValue {
    Text(String),
    Num(i64),
    /// A stored (UTC) instant, shown on the site's clock when read.
    Time(chrono::NaiveDateTime),
}

/// What an audit row says beyond its action: the names, counts and times
/// its sentence needs, stored as JSON so that the log reads in the
/// reader's language and time zone, whenever it is read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct AuditArgs(pub std::collections::BTreeMap<String, AuditValue>);

impl AuditArgs {
    pub fn new() -> AuditArgs {
        AuditArgs::default()
    }

    pub fn text(mut self, name: &str, value: impl Into<String>) -> AuditArgs {
        self.0.insert(name.to_string(), AuditValue::Text(value.into()));
        self
    }

    pub fn num(mut self, name: &str, value: impl TryInto<i64>) -> AuditArgs {
        let n = value.try_into().unwrap_or(i64::MAX);
        self.0.insert(name.to_string(), AuditValue::Num(n));
        self
    }

    pub fn time(mut self, name: &str, value: chrono::NaiveDateTime) -> AuditArgs {
        self.0.insert(name.to_string(), AuditValue::Time(value));
        self
    }

    /// The values in plain text, for the `detail` column that older
    /// readers of the table (and `psql`) still see.
    pub fn plain(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| match v {
                AuditValue::Text(t) => format!("{k}={t}"),
                AuditValue::Num(n) => format!("{k}={n}"),
                AuditValue::Time(t) => format!("{k}={} UTC", t.format("%Y-%m-%d %H:%M")),
            })
            .collect();
        parts.join(" · ")
    }

    pub fn to_json(&self) -> String {
        // A map of strings, numbers and times always serializes.
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    #[test]
    fn every_value_round_trips_and_unknown_ones_fail() {
        for s in SignatureStatus::ALL {
            assert_eq!(s.as_str().parse::<SignatureStatus>(), Ok(*s));
        }
        for m in Moderation::ALL {
            assert_eq!(m.to_string().parse::<Moderation>(), Ok(*m));
        }
        for a in AuditAction::ALL {
            let i18n = crate::i18n::I18n::new().unwrap();
            for lang in crate::domain::Lang::all() {
                assert!(i18n.has(lang, &a.message_id()), "{a} has no message in {lang:?}");
                assert!(
                    i18n.has(lang, &a.sentence_id()),
                    "{a} has no sentence in {lang:?}"
                );
            }
        }
        let e = "archived".parse::<LetterStatus>().unwrap_err();
        assert_eq!(e.to_string(), "unknown letter status \"archived\"");
    }

    diesel::table! {
        states (id) {
            id -> Integer,
            status -> Text,
        }
    }

    #[test]
    fn the_database_stores_text_and_refuses_an_unknown_value() {
        let mut conn = crate::db::DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        conn.batch_execute("CREATE TABLE states (id INTEGER PRIMARY KEY, status TEXT NOT NULL)")
            .unwrap();
        diesel::insert_into(states::table)
            .values((states::id.eq(1), states::status.eq(SignatureStatus::Confirmed)))
            .execute(&mut conn)
            .unwrap();
        let stored: String = states::table.select(states::status).first(&mut conn).unwrap();
        assert_eq!(stored, "confirmed");
        let read: SignatureStatus = states::table
            .filter(states::status.eq(SignatureStatus::Confirmed))
            .select(states::status)
            .first(&mut conn)
            .unwrap();
        assert_eq!(read, SignatureStatus::Confirmed);
        conn.batch_execute("INSERT INTO states VALUES (2, 'maybe')")
            .unwrap();
        let all: Result<Vec<SignatureStatus>, _> = states::table.select(states::status).load(&mut conn);
        assert!(all.is_err(), "an unknown state fails the query");
    }
}
