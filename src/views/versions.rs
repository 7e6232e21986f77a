use super::{layout, links};
use crate::db::letters::Letter;
use crate::db::versions::FullVersion;
use crate::i18n::{Arg, Tr};
use maud::{html, Markup};
use similar::{ChangeTag, TextDiff};

/// What changed between two texts, line by line, marked up with `<del>`
/// and `<ins>` so it reads without colour too.
pub fn diff(a: &str, b: &str, lang: &str) -> Markup {
    let d = TextDiff::from_lines(a, b);
    // The lines are the letter's words: in their language, whatever the
    // page's.
    html! {
        div.diff lang=(lang) {
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

/// The changes from `old` to `new` in each language: the original first,
/// then each other language, a text added or removed shown whole.
fn changes(tr: &Tr, old: &FullVersion, new: &FullVersion) -> Markup {
    let mut languages: Vec<&str> = old
        .translations
        .iter()
        .chain(&new.translations)
        .map(|t| t.language.as_str())
        .filter(|l| *l != new.original.language)
        .collect();
    languages.sort_unstable();
    languages.dedup();
    let name = |code: &str| match code.parse::<crate::domain::Lang>() {
        Ok(lang) => tr.i18n.name(lang),
        Err(_) => code.to_string(),
    };
    let text = |v: &FullVersion, code: &str| {
        if v.original.language == code {
            v.original.as_text()
        } else {
            v.translation(code)
                .map(|t| t.as_text(v.original.letter_date))
                .unwrap_or_default()
        }
    };
    html! {
        @if !languages.is_empty() { h3 lang=(new.original.language) { (name(&new.original.language)) } }
        (diff(&text(old, &new.original.language), &new.original.as_text(), &new.original.language))
        @for code in &languages {
            h3 lang=(code) { (name(code)) }
            (diff(&text(old, code), &text(new, code), code))
        }
    }
}

pub fn render(tr: &Tr, letter: &Letter, versions: &[FullVersion]) -> Markup {
    let path = format!("{}/versions", links::letter(&letter.slug));
    let content = html! {
        p { a href=(links::letter(&letter.slug)) { "← " (letter.title) } }
        h1 { (tr.t("versions-heading")) }
        ol.versions reversed {
            @for (i, v) in versions.iter().enumerate().rev() {
                li {
                    h2 { (tr.ta("version-label", &[("n", Arg::Num(v.original.number as i64)), ("date", tr.date(v.original.created_at.date()).into())])) }
                    @if i == 0 {
                        p { (tr.t("version-first")) }
                    } @else {
                        (changes(tr, &versions[i - 1], v))
                    }
                }
            }
        }
    };
    layout::page(tr, &tr.t("versions-heading"), &path, content)
}
