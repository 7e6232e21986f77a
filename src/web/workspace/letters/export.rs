//! Downloads of a letter and its signatories.

use crate::db;
use crate::db::export_rows::{Order, Selection, Who};
use crate::export::{Format, Options, Stylesheet};
use crate::web::error::ErrorKind;
use crate::web::query::empty_is_default;
use crate::web::workspace::extract::{act, LetterAccess};
use crate::web::workspace::session::WsError;
use crate::web::{AppState, Ctx};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::de::{Error as _, Unexpected};
use serde::{Deserialize, Deserializer};

/// The dashboard's export form. Keys it does not know are ignored, as they
/// always were; a word it does not know in a key it knows is a 400.
#[derive(Debug, Deserialize)]
struct ExportQuery {
    format: Format,
    #[serde(default, deserialize_with = "empty_is_default")]
    who: Who,
    #[serde(default, deserialize_with = "empty_is_default")]
    order: Order,
    #[serde(default = "one_column", deserialize_with = "columns")]
    columns: u8,
    #[serde(default, deserialize_with = "checkbox")]
    mixed: bool,
    #[serde(default, deserialize_with = "checkbox")]
    list_only: bool,
    #[serde(default, deserialize_with = "checkbox")]
    numbered: bool,
    #[serde(default, deserialize_with = "checkbox")]
    no_stamp: bool,
    #[serde(default, deserialize_with = "checkbox")]
    bom: bool,
}

fn one_column() -> u8 {
    1
}

/// Exactly the form's `1` and `2`: `01` or `+2` would parse as numbers, but
/// were never accepted.
fn columns<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    match String::deserialize(d)?.as_str() {
        "" | "1" => Ok(1),
        "2" => Ok(2),
        other => Err(D::Error::invalid_value(Unexpected::Str(other), &"1 or 2")),
    }
}

/// A checkbox is ticked by any of these words; any other value leaves it
/// off, as an unticked box sends nothing, rather than refusing the export.
fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(matches!(
        String::deserialize(d)?.as_str(),
        "1" | "yes" | "on" | "true"
    ))
}

/// Every export format and option, for the letter's organizers. A GET, so
/// the browser downloads it; it changes nothing but the audit log.
pub async fn export(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
    req: HttpRequest,
) -> Result<HttpResponse, WsError> {
    state.limit(&ctx, crate::web::limits::Action::Export).await?;
    // Parsed here rather than as an extractor, whose refusal would be
    // actix's plain text instead of our page in the reader's language.
    let q = web::Query::<ExportQuery>::from_query(req.query_string())
        .map_err(|_| WsError::Page(ctx.error(ErrorKind::BadRequest)))?
        .into_inner();
    let (format, who) = (q.format, q.who);
    let now = db::now();
    let options = Options {
        who,
        list_only: q.list_only,
        stamp: !q.no_stamp,
        bom: q.bom,
        columns: q.columns,
        numbered: q.numbered,
        // The site's CSP refuses inline styles; a saved page links back here.
        stylesheet: Stylesheet::Link(state.url("/static/print.css")),
    };
    let selection = Selection {
        letter_id: access.letter.id.clone(),
        who,
        order: q.order,
        initial_first: !q.mixed,
        as_of: now,
    };
    let (actor, id) = (access.actor(), access.id().clone());
    let (format_word, list) = (format.to_string(), format!("{who:?}").to_lowercase());
    // Every signer's email address leaves the site: owners only, which
    // the use case checks.
    let with_emails = who == Who::All;
    act(&ctx, &state, move |tx| {
        crate::actions::letters::export(tx, &actor, &id, with_emails, (&format_word, &list), now)
    })
    .await?;
    let letter = access.letter;
    let ctx = ctx.for_letter(letter.language);
    Ok(crate::web::exports::stream(&ctx, &state, letter, format, options, selection, now).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Option<ExportQuery> {
        web::Query::<ExportQuery>::from_query(query)
            .ok()
            .map(web::Query::into_inner)
    }

    fn format(word: &str) -> Option<Format> {
        parse(&format!("format={word}")).map(|q| q.format)
    }

    #[test]
    fn every_format_word_the_form_ever_took() {
        for (word, want) in [
            ("text", Format::Text),
            ("txt", Format::Text),
            ("markdown", Format::Markdown),
            ("md", Format::Markdown),
            ("csv", Format::Csv),
            ("json", Format::Json),
            ("html", Format::Html),
            ("pdf", Format::Pdf),
        ] {
            assert_eq!(format(word), Some(want), "{word}");
        }
        // There is no default format: the form always sends one.
        for word in ["", "docx", "Text", "PDF", "csv%20"] {
            assert_eq!(format(word), None, "{word:?}");
        }
        assert!(parse("who=public").is_none());
    }

    #[test]
    fn who_and_order_by_word_and_empty_or_missing_is_the_default() {
        let q = |rest: &str| parse(&format!("format=csv&{rest}"));
        let who = |w: &str| q(&format!("who={w}")).map(|q| q.who);
        assert_eq!(who("initial"), Some(Who::Initial));
        assert_eq!(who("public"), Some(Who::Public));
        assert_eq!(who("all"), Some(Who::All));
        assert_eq!(who(""), Some(Who::Public));
        assert_eq!(who("everyone"), None);
        let order = |o: &str| q(&format!("order={o}")).map(|q| q.order);
        assert_eq!(order("list"), Some(Order::List));
        assert_eq!(order("surname"), Some(Order::Surname));
        assert_eq!(order(""), Some(Order::List));
        assert_eq!(order("prenom"), None);
        let bare = q("").map(|q| (q.who, q.order, q.columns));
        assert_eq!(bare, Some((Who::Public, Order::List, 1)));
    }

    #[test]
    fn one_or_two_columns_and_nothing_else() {
        let columns = |c: &str| parse(&format!("format=pdf&columns={c}")).map(|q| q.columns);
        assert_eq!(columns("1"), Some(1));
        assert_eq!(columns("2"), Some(2));
        assert_eq!(columns(""), Some(1));
        for word in ["0", "3", "01", "+2", "two"] {
            assert_eq!(columns(word), None, "{word:?}");
        }
    }

    #[test]
    fn checkboxes_tick_on_their_words_and_never_refuse() {
        let flags = |v: &str| {
            let q = parse(&format!(
                "format=html&mixed={v}&list_only={v}&numbered={v}&no_stamp={v}&bom={v}"
            ));
            q.map(|q| [q.mixed, q.list_only, q.numbered, q.no_stamp, q.bom])
        };
        for word in ["1", "yes", "on", "true"] {
            assert_eq!(flags(word), Some([true; 5]), "{word}");
        }
        for word in ["", "0", "no", "off", "false", "TRUE", "x"] {
            assert_eq!(flags(word), Some([false; 5]), "{word:?}");
        }
        let q = parse("format=html").map(|q| [q.mixed, q.list_only, q.numbered, q.no_stamp, q.bom]);
        assert_eq!(q, Some([false; 5]));
    }

    #[test]
    fn unknown_keys_are_ignored_and_a_repeated_one_refused() {
        assert!(parse("format=csv&utm_source=x&lang=en").is_some());
        // The hand-rolled parser took the first of a repeated key; serde
        // refuses the ambiguity, and the form never repeats one.
        assert!(parse("format=csv&format=pdf").is_none());
    }
}
