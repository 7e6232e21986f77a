//! Types that parse user input once. Past their constructors they cannot hold
//! invalid data, so the rest of the code never re-validates.

pub mod contacts;
pub mod csv_file;
pub mod csv_rows;
pub mod email;
pub mod email_domain;
pub mod email_rules;
pub mod fold;
pub mod lang;
pub mod letter_file;
pub mod letter_form;
pub mod link_key;
pub mod logo;
pub mod mailing;
pub mod paste;
pub mod proposal;
pub mod protected;
pub mod regions;
pub mod search;
pub mod signer;
pub mod slug;
pub mod sort_key;
pub mod text;
pub mod token;
pub mod visibility;
pub mod zone;

pub use email::Email;
pub use email_domain::{EmailDomain, EmailDomainError};
pub use email_rules::EmailRules;
pub use lang::Lang;
pub use letter_file::{LetterFile, LetterFileError};
pub use link_key::LinkKey;
pub use proposal::Proposal;
pub use signer::{City, NewSignature, SignerName, TitleLine, TitleLines};
pub use slug::Slug;
pub use sort_key::sort_key;
pub use text::TextError;
pub use token::{Token, TokenHash};
pub use visibility::Moderation;
pub use zone::SiteZone;
