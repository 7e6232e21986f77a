//! Public downloads of a letter's list: PDF, print page, text, CSV and
//! JSON, streamed. A
//! blocking task reads keyset pages and writes the export into a bounded
//! channel; the response body drains it, so a slow client slows the reads
//! instead of filling memory. Public routes list only what the public list
//! shows: never an email address, never a count-only signer.

use super::error::{ErrorKind, PageError};
use super::public::public_letter_in_its_language;
use super::query::choice;
use super::{run_db, AppState, Ctx};
use crate::db::export_rows::{self, ExportRows, Order, Selection, Who};
use crate::export::{self, Export, Format, Options, Rows, Stamp, Stylesheet};
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use std::io::Write;
use tokio::sync::mpsc;

/// How much of an export waits in the channel: a few chunks of
/// `CHUNK` bytes, whatever the size of the list.
const CHANNEL_CHUNKS: usize = 4;
const CHUNK: usize = 32 * 1024;

pub async fn print_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(export::PRINT_CSS)
}

/// The formats the public may download (the press kit links them all).
/// The address names a file, so the word is the format's extension
/// (`export.txt`, never `export.text`).
const PUBLIC_FORMATS: [Format; 5] = [Format::Pdf, Format::Html, Format::Text, Format::Csv, Format::Json];

fn public_format(extension: &str) -> Option<Format> {
    PUBLIC_FORMATS.into_iter().find(|f| f.extension() == extension)
}

pub async fn download(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let (slug, extension) = path.into_inner();
    let format = public_format(&extension).ok_or_else(|| ctx.error(ErrorKind::NotFound))?;
    state.limit(&ctx, crate::web::limits::Action::Export).await?;
    let (ctx, letter) = public_letter_in_its_language(ctx, &state, &slug).await?;
    let order: Order =
        choice(&query(&req, "order").unwrap_or_default()).map_err(|_| ctx.error(ErrorKind::BadRequest))?;
    // Excel reads a UTF-8 CSV as UTF-8 only when it starts with a BOM.
    let bom = matches!(query(&req, "bom").as_deref(), Some("1" | "true"));
    let now = crate::db::now();
    let selection = Selection {
        letter_id: letter.id.clone(),
        // Fixed here, whatever the request says: the public gets the public list.
        who: Who::Public,
        order,
        initial_first: true,
        as_of: now,
    };
    let options = Options {
        who: Who::Public,
        bom,
        // The site's CSP refuses inline styles; a saved page links back here.
        stylesheet: Stylesheet::Link(state.url("/static/print.css")),
        ..Options::default()
    };
    stream(&ctx, &state, letter, format, options, selection, now).await
}

/// Streams an export of `letter` as `format`: the public downloads and the
/// organizers' workspace both answer through here.
pub async fn stream(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    letter: crate::db::letters::Letter,
    format: Format,
    options: Options,
    selection: Selection,
    now: chrono::NaiveDateTime,
) -> Result<HttpResponse, PageError> {
    let max_titles = if format == Format::Csv {
        let sel = selection.clone();
        run_db(state, move |conn| export_rows::max_titles(conn, &sel))
            .await
            .map_err(|k| ctx.error(k))?
    } else {
        0
    };

    let (tx, mut rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(CHANNEL_CHUNKS);
    let pool = state.services.pool.clone();
    let i18n = state.services.i18n.clone();
    let filename = format!("{}.{}", letter.slug, format.extension());
    // A thread of its own, not the blocking pool: the export waits on its
    // reader as long as the reader takes, and the pool's few threads (as
    // many per worker as the database pool has connections) would be held
    // by a handful of slow downloads while every page's reads queued.
    let writer = std::thread::Builder::new().name("export".into());
    let started = writer.spawn(move || {
        let ex = Export {
            tr: i18n.tr(letter.language),
            letter: &letter,
            options,
            stamp: Stamp::new(&letter, now.and_utc()),
            max_titles,
        };
        let mut out = ChannelWriter::new(tx.clone());
        let mut source = || -> Rows<'static> { Box::new(ExportRows::new(pool.clone(), selection.clone())) };
        match export::write(format, &ex, &mut source, &mut out, &mut |_| {}) {
            Ok(count) => {
                tracing::info!(slug = %letter.slug, format = format.extension(), count, "export sent")
            }
            Err(e) => {
                // The status line is gone already: ending the body with an
                // error makes the client see a broken download, not a short one.
                tracing::warn!(slug = %letter.slug, error = %e, "export stopped");
                let _ = tx.blocking_send(Err(std::io::Error::other("export stopped")));
            }
        }
    });
    if let Err(e) = started {
        tracing::error!(error = %e, "export: no thread to write it");
        return Err(ctx.error(ErrorKind::Unavailable));
    }
    let body = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .streaming(body))
}

fn query(req: &HttpRequest, key: &str) -> Option<String> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// Collects writes into chunks and hands each to the response body. A
/// client that went away closes the channel, which stops the export.
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn new(tx: mpsc::Sender<Result<Bytes, std::io::Error>>) -> Self {
        ChannelWriter {
            tx,
            buffer: Vec::with_capacity(CHUNK),
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_downloads_every_press_format_by_extension() {
        assert_eq!(public_format("pdf"), Some(Format::Pdf));
        assert_eq!(public_format("html"), Some(Format::Html));
        assert_eq!(public_format("txt"), Some(Format::Text));
        assert_eq!(public_format("csv"), Some(Format::Csv));
        assert_eq!(public_format("json"), Some(Format::Json));
        // Markdown stays the organizers', and the format names that are not
        // extensions, stay 404 as they always were.
        for word in ["text", "md", "markdown", "xlsx", "", "CSV", "PDF"] {
            assert_eq!(public_format(word), None, "{word:?}");
        }
    }
}
