//! Paths of the public site, in one place so views and routes agree.

pub fn letter(slug: &str) -> String {
    format!("/letters/{slug}")
}
pub fn sign(slug: &str) -> String {
    format!("/letters/{slug}/sign")
}
pub fn check_email(slug: &str) -> String {
    format!("/letters/{slug}/check-email")
}
pub fn signatories(slug: &str) -> String {
    format!("/letters/{slug}/signatories")
}
/// A letter's figures: who signed, by region and by day.
pub fn stats(slug: &str) -> String {
    format!("/letters/{slug}/stats")
}
/// A letter's press kit.
pub fn press(slug: &str) -> String {
    format!("/letters/{slug}/press")
}
/// The current logo of a letter's press kit; its digest names the version.
pub fn logo(slug: &str, digest: &str) -> String {
    format!("/letters/{slug}/logo/{digest}")
}
/// A public download of the list; `extension` is pdf, html, txt, csv or
/// json.
pub fn export(slug: &str, extension: &str) -> String {
    format!("/letters/{slug}/export.{extension}")
}
pub fn confirm(token: &str) -> String {
    format!("/confirm/{token}")
}
pub fn withdraw(token: &str) -> String {
    format!("/withdraw/{token}")
}
pub fn manage(token: &str) -> String {
    format!("/manage/{token}")
}
/// The "no more news" link of a message of news.
pub fn unsubscribe(token: &str) -> String {
    format!("/unsubscribe/{token}")
}
pub fn card(slug: &str) -> String {
    format!("/letters/{slug}/card.svg")
}
pub fn card_png(slug: &str) -> String {
    format!("/letters/{slug}/card.png")
}
pub fn embed(slug: &str) -> String {
    format!("/letters/{slug}/embed")
}
