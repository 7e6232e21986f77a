use super::{layout, links};
use crate::db::letters::Letter;
use crate::db::versions::Version;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup};
use similar::{ChangeTag, TextDiff};

/// What changed between two versions, line by line, marked up with
/// `<del>` and `<ins>` so it reads without colour too.
pub fn diff(old: &Version, new: &Version) -> Markup {
    let (a, b) = (old.as_text(), new.as_text());
    let d = TextDiff::from_lines(&a, &b);
    html! {
        div.diff {
            @for change in d.iter_all_changes() {
                @let line = change.value().trim_end_matches('\n');
                @match change.tag() {
                    ChangeTag::Delete => { del { "− " (line) } br; }
                    ChangeTag::Insert => { ins { "+ " (line) } br; }
                    ChangeTag::Equal => {}
                }
            }
        }
    }
}

pub fn render(tr: &Tr, letter: &Letter, versions: &[Version]) -> Markup {
    let path = format!("{}/versions", links::letter(&letter.slug));
    let content = html! {
        p { a href=(links::letter(&letter.slug)) { "← " (letter.title) } }
        h1 { (tr.t("versions-heading")) }
        ol.versions reversed {
            @for (i, v) in versions.iter().enumerate().rev() {
                li {
                    h2 { (tr.ta("version-label", &[("n", Arg::Num(v.number as i64)), ("date", tr.date(v.created_at.date()).into())])) }
                    @if i == 0 {
                        p { (tr.t("version-first")) }
                    } @else {
                        (diff(&versions[i - 1], v))
                    }
                }
            }
        }
    };
    layout::page(tr, &tr.t("versions-heading"), &path, content)
}
