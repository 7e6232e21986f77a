//! Signatures collected elsewhere, from a CSV file: upload it (a file
//! field, so multipart: no script needed), then choose the columns and the
//! way in on its preview, then import. The file is kept between the two,
//! keyed by its hash, so it is uploaded once.

use super::access::{html, see};
use super::extract::{act, LetterAccess, WithForm};
use super::session::{check_csrf, WsError};
use crate::actions::imports::{self, Choices, Done, Links, Seen};
use crate::db;
use crate::db::outbox::NewEmail;
use crate::domain::csv_file::{self, FileError, MAX_ROWS};
use crate::domain::csv_rows::{Evidence, EvidenceProblem, Fate, Mapping, Mode, Person, RowProblem};
use crate::domain::Proposal;
use crate::i18n::{Arg, Tr};
use crate::mail::messages;
use crate::views::links;
use crate::views::workspace::csv_import::{self as view, Typed};
use crate::web::body::BodyError;
use crate::web::error::ErrorKind;
use crate::web::form_errors::{name_error, text_error, titles_error};
use crate::web::{run_db, AppState, Ctx};
use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use std::sync::Arc;

/// Largest file accepted: 100,000 rows of a long form fit well within.
/// This route alone reads so much; other workspace forms stop at 1 MiB.
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

fn forbidden_unless_owner(ctx: &Ctx, access: &LetterAccess) -> Result<(), WsError> {
    if access.owns() {
        Ok(())
    } else {
        Err(WsError::Page(ctx.error(ErrorKind::Forbidden)))
    }
}

pub async fn upload_page(ctx: Ctx, access: LetterAccess) -> Result<HttpResponse, WsError> {
    forbidden_unless_owner(&ctx, &access)?;
    Ok(html(
        StatusCode::OK,
        view::upload(&ctx.tr(), access.who(), &access.letter, &[]),
    ))
}

/// The multipart body's fields that matter: the CSRF token and the file.
#[derive(Default)]
struct Received {
    csrf: String,
    file_name: String,
    file: Option<Vec<u8>>,
}

async fn receive(req: &HttpRequest, payload: web::Payload) -> Result<Received, BodyError> {
    let mut parts = Multipart::new(req.headers(), payload);
    let (mut got, mut total) = (Received::default(), 0usize);
    while let Some(field) = parts.next().await {
        let mut field = field.map_err(|e| BodyError::Read(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or_default()
            .to_string();
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| BodyError::Read(e.to_string()))?;
            total += chunk.len();
            if total > UPLOAD_LIMIT {
                return Err(BodyError::TooLarge);
            }
            data.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => got.csrf = String::from_utf8_lossy(&data).into_owned(),
            "file" => {
                got.file_name = file_name;
                got.file = Some(data);
            }
            _ => {}
        }
    }
    Ok(got)
}

fn file_error(tr: &Tr, e: &FileError) -> String {
    match e {
        FileError::NotUtf8 { line } => tr.ta("csv-error-not-utf8", &[("line", Arg::Num(*line as i64))]),
        FileError::Empty => tr.t("csv-error-empty"),
        FileError::TooManyRows => tr.ta("csv-error-too-many", &[("max", Arg::Num(MAX_ROWS as i64))]),
        FileError::Unreadable { line } => tr.ta("csv-error-unreadable", &[("line", Arg::Num(*line as i64))]),
    }
}

/// Receives a file, checks it reads as CSV, keeps it, and goes to its
/// preview. A file that does not read comes back with why, and is not kept.
pub async fn upload(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
    session: Session,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, WsError> {
    forbidden_unless_owner(&ctx, &access)?;
    let got = receive(&req, payload).await.map_err(|e| ctx.error(e.kind()))?;
    check_csrf(&ctx, &session, &[("csrf".to_string(), got.csrf.clone())])?;
    let tr = ctx.tr();
    let again = |message: String| {
        let page = view::upload(&tr, access.who(), &access.letter, &[message]);
        Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
    };
    let Some(bytes) = got.file.filter(|b| !b.is_empty()) else {
        return again(tr.t("csv-error-no-file"));
    };
    let text = match csv_file::decode(&bytes).and_then(|t| csv_file::read(t).map(|_| t)) {
        Ok(t) => t.to_string(),
        Err(e) => return again(file_error(&tr, &e)),
    };
    let name = csv_file::display_name(&got.file_name);
    let (actor, id) = (access.actor(), access.id().clone());
    let hash = act(&ctx, &state, move |tx| {
        imports::upload(tx, &actor, &id, &name, &text, db::now())
    })
    .await?;
    Ok(see(format!("{}/{hash}", view::base(access.id()))))
}

/// The preview form's fields as posted.
#[derive(Deserialize)]
pub struct ChoicesForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: Vec<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    how: String,
    #[serde(default)]
    step: String,
}

/// The form as the page shows it again, or `None` when a field holds what
/// no page offers (a forged form).
fn typed(form: &ChoicesForm) -> Option<Typed> {
    let column = |s: &str| s.parse::<usize>().ok();
    let optional = |s: &str| {
        if s.is_empty() {
            Some(None)
        } else {
            column(s).map(Some)
        }
    };
    Some(Typed {
        name: column(&form.name)?,
        titles: form.title.iter().map(|t| column(t)).collect::<Option<_>>()?,
        email: optional(&form.email)?,
        city: optional(&form.city)?,
        mode: Some(Mode::parse(&form.mode)?),
        public: match form.visibility.as_str() {
            "public" => true,
            "count-only" => false,
            _ => return None,
        },
        by: form.by.clone(),
        on: form.on.clone(),
        how: form.how.clone(),
    })
}

fn evidence_problem(tr: &Tr, p: &EvidenceProblem) -> String {
    match p {
        EvidenceProblem::By(e) => tr.labelled(&tr.t("csv-collected-by"), &text_error(tr, e)),
        EvidenceProblem::How(e) => tr.labelled(&tr.t("csv-collected-how"), &text_error(tr, e)),
        EvidenceProblem::Date => tr.t("csv-error-date"),
        EvidenceProblem::Future => tr.t("csv-error-future"),
    }
}

/// The choices, and what to fix in the evidence (asked only of an import
/// of signatures collected in person): without it, the choices can be
/// previewed but not imported.
fn choices(tr: &Tr, t: &Typed) -> (Choices, Vec<String>) {
    let mut chosen = Choices {
        mapping: Mapping {
            name: t.name,
            titles: t.titles.clone(),
            email: t.email,
            city: t.city,
        },
        mode: t.mode.unwrap_or(Mode::Confirm),
        evidence: None,
        is_public: t.public,
    };
    let mut errors = Vec::new();
    if chosen.mode == Mode::InPerson {
        let today = tr.zone().local(db::now()).date();
        match Evidence::parse(&t.by, &t.on, &t.how, today) {
            Ok(e) => chosen.evidence = Some(e),
            Err(problems) => errors = problems.iter().map(|p| evidence_problem(tr, p)).collect(),
        }
    }
    (chosen, errors)
}

fn row_problem(tr: &Tr, p: &RowProblem) -> String {
    match p {
        RowProblem::Name(e) => tr.labelled(&tr.t("field-name"), &name_error(tr, e)),
        RowProblem::Titles(e) => tr.labelled(&tr.t("csv-titles"), &titles_error(tr, e)),
        RowProblem::Email(e) => tr.labelled(&tr.t("field-email"), &tr.t(e.message_id())),
        RowProblem::EmailRequired => tr.t("csv-error-email-required"),
        RowProblem::City(e) => tr.labelled(&tr.t("csv-city"), &text_error(tr, e)),
    }
}

fn problems(tr: &Tr, plan: &crate::domain::csv_rows::Plan) -> Vec<String> {
    let invalid = plan.rows.iter().filter_map(|(line, fate)| match fate {
        Fate::Invalid(problems) => Some((line, problems)),
        _ => None,
    });
    invalid
        .take(view::PROBLEMS_SHOWN + 1)
        .flat_map(|(line, problems)| {
            problems.iter().map(move |p| {
                let message = row_problem(tr, p);
                let args = [
                    ("line", Arg::Num(*line as i64)),
                    ("message", tr.after_colon(&message).into()),
                ];
                tr.ta("error-titles-line", &args)
            })
        })
        .collect()
}

/// Choices guessed from the header, as the form shows them.
fn shown(choices: &Choices) -> Typed {
    Typed {
        name: choices.mapping.name,
        titles: choices.mapping.titles.clone(),
        email: choices.mapping.email,
        city: choices.mapping.city,
        mode: Some(choices.mode),
        public: choices.is_public,
        ..Typed::default()
    }
}

/// The preview page with these choices (guessed from the header when
/// none are given).
async fn render(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    access: &LetterAccess,
    hash: String,
    made: Option<(Typed, Choices)>,
    errors: &[String],
) -> Result<HttpResponse, WsError> {
    let (actor, id, rules) = (
        access.actor(),
        access.id().clone(),
        state.settings.email_rules.clone(),
    );
    let (typed, chosen) = made.map_or((None, None), |(t, c)| (Some(t), Some(c)));
    let seen = run_db(state, move |conn| {
        imports::preview(conn, &actor, &id, &hash, chosen, &rules, crate::db::now())
    })
    .await
    .map_err(|k| ctx.error(k))?
    .map_err(|why| super::extract::refused(ctx, why))?;
    let tr = ctx.tr();
    let (upload, file, choices, plan) = match seen {
        Seen::Imported(upload) => {
            return Ok(html(
                StatusCode::OK,
                view::imported(&tr, access.who(), &access.letter, &upload),
            ))
        }
        Seen::File {
            upload,
            file,
            choices,
            plan,
        } => (upload, file, choices, plan),
    };
    let typed = typed.unwrap_or_else(|| shown(&choices));
    let problems = problems(&tr, &plan);
    let preview = view::Preview {
        upload: &upload,
        file: &file,
        plan: &plan,
        problems: &problems,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(html(
        status,
        view::preview(&tr, access.who(), &access.letter, &preview, &typed, errors),
    ))
}

pub async fn preview_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WsError> {
    render(&ctx, &state, &access, path.into_inner().1, None, &[]).await
}

/// The confirmation email of an imported person, in the letter's language.
fn renderer(state: &AppState, letter: &crate::db::letters::Letter, valid_days: i64) -> Arc<imports::Render> {
    let (i18n, base_url, title, sender, lang) = (
        state.services.i18n.clone(),
        state.settings.base_url.clone(),
        letter.title.clone(),
        crate::mail::messages::LetterSender::of(letter),
        letter.language,
    );
    Arc::new(move |p: &Person, content: &Proposal, l: Links<'_>| -> NewEmail {
        let url = |path: String| format!("{base_url}{path}");
        messages::imported_confirmation(
            &i18n.tr(lang),
            &messages::Confirmation {
                recipient: p.email.as_ref().map(|e| e.as_str()).unwrap_or_default(),
                name: p.name.as_str(),
                letter_title: &title,
                sender: &sender,
                confirm_url: &url(links::confirm(l.confirm.as_str())),
                manage_url: &url(links::manage(l.manage.as_str())),
                withdraw_url: &url(links::withdraw(l.withdraw.as_str())),
                valid_days,
                content,
            },
        )
    })
}

/// Step "preview" shows the rows under the chosen columns; step "import"
/// imports them, in one transaction, and shows the file as imported.
pub async fn choose(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, ChoicesForm>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WsError> {
    let hash = path.into_inner().1;
    let tr = ctx.tr();
    let Some(typed) = typed(&form) else {
        return Err(WsError::Page(ctx.error(ErrorKind::BadRequest)));
    };
    let (chosen, errors) = choices(&tr, &typed);
    // Asked to preview, the page need not complain of evidence not yet
    // given; asked to import, it must.
    if form.step == "import" && !errors.is_empty() {
        return render(&ctx, &state, &access, hash, Some((typed, chosen)), &errors).await;
    }
    if form.step != "import" {
        return render(&ctx, &state, &access, hash, Some((typed, chosen)), &[]).await;
    }
    let ttl = chrono::Duration::from_std(state.settings.confirm_ttl).unwrap_or(chrono::Duration::days(7));
    let pace = state.settings.bulk_pace;
    let render_mail = renderer(&state, &access.letter, ttl.num_days().max(1));
    let (actor, id, lang) = (access.actor(), access.id().clone(), access.letter.language);
    let (rules, to) = (state.settings.email_rules.clone(), hash.clone());
    let done = act(&ctx, &state, move |tx| {
        let cx = imports::Context {
            language: lang,
            rules: &rules,
            confirm_ttl: ttl,
            pace,
            render: render_mail.as_ref(),
        };
        imports::import(tx, &actor, &id, &to, &chosen, &cx, db::now())
    })
    .await?;
    if let Done::Imported { added, .. } = done {
        tracing::info!(letter = %access.id(), added, "signatures imported from a CSV file");
        state.letter_changed(access.id());
        state.services.waker.wake();
    }
    Ok(see(format!("{}/{hash}", view::base(access.id()))))
}
