use super::layout;
use crate::i18n::Tr;
use maud::{html, Markup};

/// A short page with a heading, a paragraph and optional content below: used
/// for errors and for the steps of confirmation and withdrawal.
pub fn render(tr: &Tr, path: &str, heading: &str, body: &str, extra: Markup) -> Markup {
    let content = html! {
        h1 { (heading) }
        p { (body) }
        (extra)
    };
    layout::page(tr, heading, path, content)
}

/// A page whose only action is a POST button: confirmation and withdrawal.
/// Links in email are opened by scanners, so a GET never changes anything.
pub fn action(
    tr: &Tr,
    path: &str,
    heading: &str,
    body: &str,
    button: &str,
    back: Option<(&str, &str)>,
) -> Markup {
    action_with(tr, path, heading, body, html! {}, button, back)
}

/// [`action`] with more to read before the button.
pub fn action_with(
    tr: &Tr,
    path: &str,
    heading: &str,
    body: &str,
    details: Markup,
    button: &str,
    back: Option<(&str, &str)>,
) -> Markup {
    render(
        tr,
        path,
        heading,
        body,
        html! {
            (details)
            form method="post" action=(path) {
                button type="submit" { (button) }
            }
            @if let Some((href, label)) = back {
                p { a href=(href) { "← " (label) } }
            }
        },
    )
}
