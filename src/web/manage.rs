//! The "manage my signature" page: what is stored, as a page and as JSON,
//! changes to titles, city and display choice, and withdrawal.

use super::body::{first, form_pairs, read_limited};
use super::confirm::{link_error, no_referrer};
use super::error::{ErrorKind, PageError};
use super::limits::Action;
use super::public::signer_version;
use super::{run_db, run_write, AppState, Change, Ctx};
use crate::db::letters::{self, Letter};
use crate::db::signatures::{self, DetailsUpdate, SignatureDetails};
use crate::db::tokens::Purpose;
use crate::domain::SignerName;
use crate::domain::{City, TitleLines, TokenHash};
use crate::i18n::Tr;
use crate::views::links;
use crate::views::manage::{self as view, ManageFormValues};
use crate::views::sign_form::FieldErrors;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use super::confirm::parse;

/// The language the signer signed in; rows are checked when written, so a
/// value that does not parse cannot come from us.
fn signed_in(details: &SignatureDetails) -> crate::domain::Lang {
    details.language.parse().unwrap_or_default()
}

/// The signature and letter behind a manage link.
async fn load(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    hash: TokenHash,
) -> Result<(SignatureDetails, Letter), PageError> {
    let found = run_db(state, move |conn| {
        let target = match signatures::lookup_link(conn, &hash, Purpose::Manage, crate::db::now())? {
            Ok(t) => t,
            Err(e) => return Ok(Err(e)),
        };
        let details = signatures::details(conn, &target.signature_id)?;
        let letter = letters::find_by_id(conn, &target.letter_id)?;
        Ok(Ok(details.zip(letter)))
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match found {
        Ok(Some(pair)) => Ok(pair),
        Ok(None) => Err(ctx.error(ErrorKind::LinkUnknown)),
        Err(e) => Err(link_error(ctx.clone(), state, e).await),
    }
}

pub async fn page(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    let hash = parse(&ctx, &path)?;
    let (details, letter) = load(&ctx, &state, hash).await?;
    let (ctx, letter) = signer_version(ctx, &state, letter, signed_in(&details)).await?;
    let saved = req.query_string().split('&').any(|p| p == "saved=1");
    let form = ManageFormValues::from_details(&details);
    let markup = view::render(
        &ctx.tr(),
        &view::ManagePage {
            token: &path,
            letter: &letter,
            details: &details,
            form: &form,
            errors: &FieldErrors::default(),
            saved,
        },
    );
    Ok(no_referrer(HttpResponse::Ok()).body(markup.into_string()))
}

#[derive(serde::Serialize)]
struct DataExport<'a> {
    letter: LetterRef<'a>,
    signature: &'a SignatureDetails,
    titles: Vec<String>,
}

#[derive(serde::Serialize)]
struct LetterRef<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
}

pub async fn data_json(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let hash = parse(&ctx, &path)?;
    let (details, letter) = load(&ctx, &state, hash).await?;
    let export = DataExport {
        letter: LetterRef {
            slug: &letter.slug,
            title: &letter.title,
            url: state.url(&links::letter(&letter.slug)),
        },
        titles: details.title_lines(),
        signature: &details,
    };
    let body = serde_json::to_string_pretty(&export).map_err(|_| ctx.error(ErrorKind::Internal))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"undersigned-signature.json\"",
        ))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// The manage form's fields, or one translated message per field to fix.
fn parse_update(tr: &Tr, form: &ManageFormValues) -> Result<DetailsUpdate, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = SignerName::parse_public(&form.name)
        .map_err(|e| errors.add("name", super::form_errors::name_error(tr, &e)))
        .ok();
    let titles = TitleLines::parse_text(&form.titles)
        .map_err(|e| errors.add("titles", super::form_errors::titles_error(tr, &e)))
        .ok();
    let city = City::parse_optional(&form.city)
        .map_err(|e| errors.add("city", super::form_errors::text_error(tr, &e)))
        .ok();
    let is_public = match form.visibility.as_str() {
        "public" => Some(true),
        "count-only" => Some(false),
        _ => {
            errors.add("visibility", tr.t("error-visibility"));
            None
        }
    };
    match (name, titles, city, is_public) {
        (Some(name), Some(titles), Some(city), Some(is_public)) => Ok(DetailsUpdate {
            name: name.as_str().to_string(),
            wants_updates: form.updates,
            titles: titles.to_vec(),
            city: city.map(|c| c.as_str().to_string()),
            is_public,
        }),
        _ => Err(errors),
    }
}

pub async fn update(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    state.limit(&ctx, Action::Manage).await?;
    let body = read_limited(payload).await.map_err(|e| ctx.error(e.kind()))?;
    let hash = parse(&ctx, &path)?;
    let (details, letter) = load(&ctx, &state, hash.clone()).await?;
    let (ctx, letter) = signer_version(ctx, &state, letter, signed_in(&details)).await?;
    let tr = ctx.tr();
    let pairs = form_pairs(&body);
    let form = ManageFormValues {
        // A form from before these fields existed leaves them as they are.
        name: first(&pairs, "name").map_or_else(|| details.name.clone(), str::to_string),
        // The form sends `no` from a hidden field, then `yes` when the box
        // is ticked: the last one says.
        updates: pairs
            .iter()
            .rev()
            .find(|(k, _)| k == "updates")
            .map_or(details.wants_updates, |(_, v)| v == "yes"),
        titles: first(&pairs, "titles").unwrap_or("").to_string(),
        city: first(&pairs, "city").unwrap_or("").to_string(),
        visibility: first(&pairs, "visibility").unwrap_or("").to_string(),
    };
    let update = match parse_update(&tr, &form) {
        Ok(update) => update,
        Err(errors) => {
            let page = view::ManagePage {
                token: &path,
                letter: &letter,
                details: &details,
                form: &form,
                errors: &errors,
                saved: false,
            };
            let markup = view::render(&tr, &page).into_string();
            return Ok(no_referrer(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)).body(markup));
        }
    };
    let result = run_write(&state, move |tx| {
        crate::actions::signing::edit(tx, &hash, &update, crate::db::now())
    })
    .await
    .map_err(|k| ctx.error(k))?;
    match result {
        Ok(saved) => {
            // The display choice changes the list, not the count.
            state.signatures_changed(&saved.letter_id, 0, Change::Altered);
            tracing::info!(changed = saved.changed, moderation = %saved.moderation, "signature details saved");
            Ok(HttpResponse::SeeOther()
                .insert_header((header::LOCATION, format!("{}?saved=1", links::manage(&path))))
                .insert_header((header::REFERRER_POLICY, "no-referrer"))
                .finish())
        }
        Err(e) => Err(link_error(ctx, &state, e).await),
    }
}

pub async fn withdraw(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    super::confirm::withdraw_through(ctx, &state, &path, Purpose::Manage).await
}
