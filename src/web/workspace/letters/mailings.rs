//! Writing to the signers who asked for news, for the letter's owners: the
//! list of messages, the form with its preview and test copy, and a sent
//! message's progress, with the button that stops it. The rules live in
//! `actions::mailings`.

use crate::actions::mailings as actions;
use crate::db::{self, mailings};
use crate::domain::mailing::{Draft, DraftError, FieldError, Text};
use crate::domain::Lang;
use crate::i18n::{Arg, Tr};
use crate::mail::to_signers::Composer;
use crate::model::{MailingId, MailingStatus};
use crate::views::workspace::mailings as view;
use crate::web::error::ErrorKind;
use crate::web::workspace::access::{html, see};
use crate::web::workspace::extract::{act, LetterAccess, Query, WithForm};
use crate::web::workspace::session::WsError;
use crate::web::{run_db, AppState, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct MailingForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    lang: Vec<String>,
    #[serde(default)]
    subject: Vec<String>,
    #[serde(default)]
    body: Vec<String>,
    #[serde(default)]
    confirm: String,
}

#[derive(Deserialize)]
pub struct Done {
    saved: Option<u8>,
    tested: Option<i64>,
}

/// Messages go out in the owners' name: a co-editor is shown the door, as
/// the use cases would refuse them anyway.
fn owner(ctx: &Ctx, access: &LetterAccess) -> Result<(), WsError> {
    match access.owns() {
        true => Ok(()),
        false => Err(WsError::Page(ctx.error(ErrorKind::Forbidden))),
    }
}

/// The letter's languages and how many signers a message would reach.
async fn audience(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    access: &LetterAccess,
) -> Result<(Vec<Lang>, i64), WsError> {
    let letter = access.letter.clone();
    let found = run_db(state, move |conn| {
        Ok((
            actions::languages(conn, &letter)?,
            mailings::subscribers(conn, &letter.id)?,
        ))
    });
    found.await.map_err(|k| WsError::Page(ctx.error(k)))
}

pub async fn list(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
) -> Result<HttpResponse, WsError> {
    owner(&ctx, &access)?;
    let id = access.id().clone();
    let all = run_db(&state, move |conn| {
        let mut out = Vec::new();
        for m in mailings::for_letter(conn, &id)? {
            let subject = mailings::texts(conn, &m.id)?
                .into_iter()
                .next()
                .map(|t| t.subject);
            out.push((m, subject));
        }
        Ok(out)
    })
    .await
    .map_err(|k| ctx.error(k))?;
    let (_, subscribers) = audience(&ctx, &state, &access).await?;
    let page = view::list(&ctx.tr(), access.who(), &access.letter, subscribers, &all);
    Ok(html(StatusCode::OK, page))
}

pub async fn new_page(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
) -> Result<HttpResponse, WsError> {
    owner(&ctx, &access)?;
    let (languages, subscribers) = audience(&ctx, &state, &access).await?;
    let page = view::compose(
        &ctx.tr(),
        access.who(),
        &view::Compose {
            letter: &access.letter,
            id: None,
            languages: &languages,
            typed: &[],
            errors: &[],
            subscribers,
            notice: None,
            saved: &[],
        },
    );
    Ok(html(StatusCode::OK, page))
}

/// A draft, to go on writing; a sent message, with its progress.
pub async fn show(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
    path: web::Path<(String, String)>,
    Query(done): Query<Done>,
) -> Result<HttpResponse, WsError> {
    owner(&ctx, &access)?;
    let (letter, id) = (access.id().clone(), MailingId::from_raw(path.into_inner().1));
    let found = run_db(&state, move |conn| {
        let Some(m) = mailings::find(conn, &letter, &id)? else {
            return Ok(None);
        };
        let texts = mailings::texts(conn, &m.id)?;
        Ok(Some((m, texts)))
    });
    let Some((m, texts)) = found.await.map_err(|k| ctx.error(k))? else {
        return Err(WsError::Page(ctx.error(ErrorKind::NotFound)));
    };
    let tr = ctx.tr();
    if m.status != MailingStatus::Draft {
        return Ok(html(
            StatusCode::OK,
            view::sent(&tr, access.who(), &access.letter, &m, &texts),
        ));
    }
    let (languages, subscribers) = audience(&ctx, &state, &access).await?;
    let typed: Vec<Text> = texts
        .iter()
        .map(|t| text(&t.language, &t.subject, &t.body))
        .collect();
    let notice = match (done.saved, done.tested) {
        (_, Some(n)) => Some(tr.ta(
            "ws-mailing-tested",
            &[
                ("n", Arg::Num(n)),
                ("email", access.current.organizer.email.as_str().into()),
            ],
        )),
        (Some(_), None) => Some(tr.t("ws-mailing-saved")),
        (None, None) => None,
    };
    let page = view::Compose {
        letter: &access.letter,
        id: Some(&m.id),
        languages: &languages,
        typed: &typed,
        errors: &[],
        subscribers,
        notice,
        saved: &texts,
    };
    Ok(html(StatusCode::OK, view::compose(&tr, access.who(), &page)))
}

fn text(lang: &str, subject: &str, body: &str) -> Text {
    Text {
        lang: lang.parse().ok(),
        subject: subject.to_string(),
        body: body.to_string(),
    }
}

pub async fn create(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, MailingForm>,
) -> Result<HttpResponse, WsError> {
    submit(ctx, state, access, None, form).await
}

pub async fn update(
    ctx: Ctx,
    state: web::Data<AppState>,
    WithForm { who: access, form }: WithForm<LetterAccess, MailingForm>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WsError> {
    let id = MailingId::from_raw(path.into_inner().1);
    if form.action == "cancel" {
        return cancel(ctx, state, access, id).await;
    }
    submit(ctx, state, access, Some(id), form).await
}

/// "Stop sending": nobody else gets the message.
async fn cancel(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
    id: MailingId,
) -> Result<HttpResponse, WsError> {
    owner(&ctx, &access)?;
    let to = view::of(&access.letter, &id);
    let (actor, letter) = (access.actor(), access.id().clone());
    act(&ctx, &state, move |tx| {
        actions::cancel(tx, &actor, &letter, &id, db::now())
    })
    .await?;
    Ok(see(to))
}

/// Why each refused field was refused, by the field's id on the form.
fn field_errors(tr: &Tr, errors: &[(&'static str, Lang, FieldError)]) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|(field, lang, e)| {
            let message = match e {
                FieldError::Text(t) => crate::web::form_errors::text_error(tr, t),
                FieldError::SubjectLines => tr.t("ws-mailing-subject-lines"),
            };
            (view::field_id(field, *lang), message)
        })
        .collect()
}

/// Saves what was typed (always, so nothing is lost), then tries it, or
/// sends it (`send`) as the button asked.
async fn submit(
    ctx: Ctx,
    state: web::Data<AppState>,
    access: LetterAccess,
    id: Option<MailingId>,
    form: MailingForm,
) -> Result<HttpResponse, WsError> {
    owner(&ctx, &access)?;
    let same_length = form.lang.len() == form.subject.len() && form.lang.len() == form.body.len();
    if !matches!(form.action.as_str(), "save" | "test" | "send") || !same_length {
        return Err(WsError::Page(ctx.error(ErrorKind::BadRequest)));
    }
    let typed: Vec<Text> = (0..form.lang.len())
        .map(|i| text(&form.lang[i], &form.subject[i], &form.body[i]))
        .collect();
    let (languages, subscribers) = audience(&ctx, &state, &access).await?;
    let mut refusal = Refusal {
        access: &access,
        id: id.clone(),
        languages: &languages,
        typed: &typed,
        subscribers,
        errors: Vec::new(),
    };
    if form.action == "send" {
        return send(&ctx, &state, refusal, typed.clone(), form.confirm == "yes").await;
    }
    let draft = match Draft::parse(&languages, &typed, false) {
        Ok(d) => d,
        Err(DraftError::Language) => return Err(WsError::Page(ctx.error(ErrorKind::BadRequest))),
        Err(DraftError::Fields(e)) => {
            refusal.errors = field_errors(&ctx.tr(), &e);
            return Ok(refusal.page(&ctx));
        }
    };
    let (actor, letter) = (access.actor(), access.id().clone());
    let saved = act(&ctx, &state, move |tx| {
        actions::save(tx, &actor, &letter, id.as_ref(), &draft, db::now())
    })
    .await?;
    refusal.id = Some(saved.clone());
    let to = view::of(&access.letter, &saved);
    if form.action != "test" {
        return Ok(see(format!("{to}?saved=1#preview")));
    }
    // A test needs every field of the letter's language.
    if let Err(DraftError::Fields(e)) = Draft::parse(&languages, &typed, true) {
        refusal.errors = field_errors(&ctx.tr(), &e);
        return Ok(refusal.page(&ctx));
    }
    test(&ctx, &state, &access, saved)
        .await
        .map(|n| see(format!("{to}?tested={n}")))
}

/// "Send the message": one use case saves what was typed and, complete
/// and confirmed, sends exactly that; otherwise the form comes back with
/// what is missing, the draft saved.
async fn send(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    mut refusal: Refusal<'_>,
    typed: Vec<Text>,
    confirmed: bool,
) -> Result<HttpResponse, WsError> {
    let (actor, letter, id) = (
        refusal.access.actor(),
        refusal.access.id().clone(),
        refusal.id.clone(),
    );
    let done = act(ctx, state, move |tx| {
        actions::send(tx, &actor, &letter, id.as_ref(), &typed, confirmed, db::now())
    })
    .await?;
    let kept = match done {
        actions::Sending::Started { id, .. } => return Ok(see(view::of(&refusal.access.letter, &id))),
        actions::Sending::Kept(kept) => kept,
    };
    let tr = ctx.tr();
    refusal.id = kept.id;
    refusal.errors = field_errors(&tr, &kept.errors);
    if kept.unconfirmed {
        refusal
            .errors
            .push(("confirm".into(), tr.t("ws-mailing-confirm-needed")));
    }
    Ok(refusal.page(ctx))
}

async fn test(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    access: &LetterAccess,
    id: MailingId,
) -> Result<usize, WsError> {
    let composer = Composer {
        i18n: state.services.i18n.clone(),
        base_url: state.settings.base_url.clone(),
    };
    let (actor, letter) = (access.actor(), access.id().clone());
    let n = act(ctx, state, move |tx| {
        let compose = |o: &actions::Outgoing| composer.email(o);
        actions::test(tx, &actor, &letter, &id, &compose, db::now())
    })
    .await?;
    state.services.waker.wake();
    Ok(n)
}

/// The form again, as typed, with why it was refused.
struct Refusal<'a> {
    access: &'a LetterAccess,
    id: Option<MailingId>,
    languages: &'a [Lang],
    typed: &'a [Text],
    subscribers: i64,
    errors: Vec<(String, String)>,
}

impl Refusal<'_> {
    fn page(&self, ctx: &Ctx) -> HttpResponse {
        let page = view::Compose {
            letter: &self.access.letter,
            id: self.id.as_ref(),
            languages: self.languages,
            typed: self.typed,
            errors: &self.errors,
            subscribers: self.subscribers,
            notice: None,
            saved: &[],
        };
        html(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::compose(&ctx.tr(), self.access.who(), &page),
        )
    }
}
