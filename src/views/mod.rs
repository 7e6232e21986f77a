//! Pages as small functions returning `maud::Markup`. Views receive plain
//! data and a translator; they never touch the database.

pub mod behind;
pub mod card_png;
pub mod check_email;
pub mod components;
pub mod embed;
pub mod home;
pub mod layout;
pub mod letter;
pub mod links;
pub mod manage;
pub mod markdown;
pub mod message;
pub mod press;
pub mod proposal;
pub mod share;
pub mod share_links;
pub mod sign_form;
pub mod signatories;
pub mod stats;
pub mod versions;
pub mod workspace;

pub const STYLE_CSS: &str = include_str!("style.css");
/// The share block's progressive enhancement (`share_links`).
pub const SHARE_JS: &str = include_str!("share.js");
