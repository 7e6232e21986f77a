use super::{layout, letter::place_and_date, links};
use crate::db::letters::{Letter, LetterStatus};
use crate::i18n::{Arg, Tr};
use maud::{html, Markup};

pub fn render(tr: &Tr, letters: &[(Letter, i64)]) -> Markup {
    let content = html! {
        h1 { (tr.t("home-heading")) }
        @if letters.is_empty() {
            p { (tr.t("home-empty")) }
        } @else {
            ul.letter-list {
                @for (letter, count) in letters {
                    li.letter-card lang=[(letter.language != tr.lang).then(|| letter.language.code())] {
                        h2 { a href=(links::letter(&letter.slug)) { (letter.title) } }
                        p.place-date { (place_and_date(tr, letter)) }
                        p.count-figure {
                            (tr.ta("signature-count", &[("count", Arg::Num(*count)), ("display", tr.count(*count).into())]))
                            @if letter.status() == LetterStatus::Closed {
                                " · " span.badge { (tr.t("letter-closed-badge")) }
                            }
                        }
                    }
                }
            }
        }
    };
    layout::page(tr, &tr.t("home-heading"), "/", content)
}
