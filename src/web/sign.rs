use super::body::{first, form_pairs, read_limited};
use super::error::{ErrorKind, PageError};
use super::form_errors::{text_error, titles_error};
use super::public::{letter_page_data, public_letter};
use super::{run_sign, AppState, Ctx};
use crate::actions;
use crate::db::letters::Letter;
use crate::db::outbox::NewEmail;
use crate::db::signatures::{EmailPlan, PreparedConfirmation, SubmitOutcome, SubmitPolicy};
use crate::domain::{City, Email, EmailRules, Lang, NewSignature, SignerName, TitleLines};
use crate::i18n::{Arg, Tr};
use crate::mail::messages;
use crate::model::LetterId;
use crate::views::letter as letter_view;
use crate::views::links;
use crate::views::sign_form::{FieldErrors, SignFormValues, FORM_ERROR};
use crate::web::form_token::FormTokenError;
use crate::web::limits::Action;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use std::sync::Arc;

pub fn values_from_pairs(pairs: &[(String, String)]) -> SignFormValues {
    let get = |k: &str| first(pairs, k).unwrap_or("").to_string();
    SignFormValues {
        name: get("name"),
        titles: get("titles"),
        email: get("email"),
        city: get("city"),
        visibility: get("visibility"),
        consent: first(pairs, "consent").is_some_and(|v| !v.is_empty()),
        updates: first(pairs, "updates").is_some_and(|v| !v.is_empty()),
        form_token: get("form_token"),
    }
}

/// The purpose a signing form's token is bound to: `sign:<letter id>`.
pub fn form_purpose(letter_id: &LetterId) -> [&str; 2] {
    ["sign:", letter_id.as_str()]
}

/// Parses the form into a signature, or returns one translated message per
/// field that needs fixing.
pub fn validate(
    tr: &Tr,
    v: &SignFormValues,
    language: Lang,
    rules: &EmailRules,
) -> Result<NewSignature, FieldErrors> {
    let mut errors = FieldErrors::default();
    let name = SignerName::parse_public(&v.name)
        .map_err(|e| errors.add("name", super::form_errors::name_error(tr, &e)))
        .ok();
    let titles = TitleLines::parse_text(&v.titles)
        .map_err(|e| errors.add("titles", titles_error(tr, &e)))
        .ok();
    let email = Email::parse(&v.email)
        .map_err(|e| errors.add("email", tr.t(e.message_id())))
        .ok();
    let city = City::parse_optional(&v.city)
        .map_err(|e| errors.add("city", text_error(tr, &e)))
        .ok();
    let is_public = match v.visibility.as_str() {
        "public" => Some(true),
        "count-only" => Some(false),
        _ => {
            errors.add("visibility", tr.t("error-visibility"));
            None
        }
    };
    if !v.consent {
        errors.add("consent", tr.t("error-consent-required"));
    }
    match (name, titles, email, city, is_public) {
        (Some(name), Some(titles), Some(email), Some(city), Some(is_public)) if errors.is_empty() => {
            Ok(NewSignature {
                name,
                titles,
                email_key: rules.canonical(&email),
                email,
                city,
                is_public,
                wants_updates: v.updates,
                language,
            })
        }
        _ => Err(errors),
    }
}

/// A GET on the form's target, after a reload or a shared link: back to the
/// letter rather than an error.
pub async fn redirect_to_form(path: web::Path<String>) -> HttpResponse {
    let target = match crate::domain::Slug::parse(&path) {
        Ok(slug) => format!("{}#sign", links::letter(slug.as_str())),
        Err(_) => "/".to_string(),
    };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .finish()
}

/// What the checks before storing make of a submission.
enum Screened {
    /// A signature to store.
    Sign(NewSignature),
    /// A bot's: it sees the usual page, and nothing is stored or sent.
    Drop,
    /// The form again, with what to fix (and, when limited, when to try
    /// again).
    Again {
        errors: FieldErrors,
        status: StatusCode,
        retry_after: Option<u64>,
    },
}

impl Screened {
    /// The form again for what was sent, with nothing to wait for.
    fn refused(errors: FieldErrors) -> Screened {
        Screened::Again {
            errors,
            status: StatusCode::UNPROCESSABLE_ENTITY,
            retry_after: None,
        }
    }
}

/// Rate limit, honeypot, form token, then the fields, in that order: a
/// limited reader is told so before anything else is judged.
async fn screen(
    ctx: &Ctx,
    state: &AppState,
    letter: &Letter,
    values: &SignFormValues,
    honeypot: bool,
) -> Screened {
    let tr = ctx.tr();
    let again = |message: String, status: StatusCode, retry_after: Option<u64>| {
        let mut errors = FieldErrors::default();
        errors.add(FORM_ERROR, message);
        Screened::Again {
            errors,
            status,
            retry_after,
        }
    };
    if let Err(wait) = state.services.limits.check(Action::Sign, ctx.client).await {
        let seconds = wait.as_secs() + 1;
        let message = tr.ta("too-many-body", &[("seconds", Arg::Num(seconds as i64))]);
        return again(message, StatusCode::TOO_MANY_REQUESTS, Some(seconds));
    }
    if honeypot {
        tracing::info!(letter = %letter.slug, "honeypot filled; submission dropped");
        return Screened::Drop;
    }
    let purpose = form_purpose(&letter.id);
    match state.services.forms.verify(
        &purpose,
        &values.form_token,
        AppState::now_ms(),
        state.settings.min_fill,
    ) {
        Ok(()) => {}
        // A person whose browser filled the form may send it within
        // seconds: told so, with what they typed and any field to fix,
        // rather than shown "check your email" for a signature never
        // stored. The form comes back with its first serve time, so the
        // next send passes once the minimum is over.
        Err(FormTokenError::TooFast) => {
            tracing::info!(letter = %letter.slug, "form sent too fast; shown again");
            let mut errors = FieldErrors::default();
            errors.add(FORM_ERROR, tr.t("error-form-too-fast"));
            if let Err(fields) = validate(&tr, values, ctx.lang, &state.settings.email_rules) {
                errors.0.extend(fields.0);
            }
            return Screened::refused(errors);
        }
        Err(FormTokenError::Invalid | FormTokenError::Expired) => {
            let message = tr.t("error-form-expired");
            return again(message, StatusCode::UNPROCESSABLE_ENTITY, None);
        }
    }
    match validate(&tr, values, ctx.lang, &state.settings.email_rules) {
        Ok(signature) => Screened::Sign(signature),
        Err(errors) => Screened::refused(errors),
    }
}

pub async fn submit(
    ctx: Ctx,
    state: web::Data<AppState>,
    path: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, PageError> {
    let body = read_limited(payload).await.map_err(|e| ctx.error(e.kind()))?;
    let letter = public_letter(&ctx, &state, &path).await?;
    // The form comes back, and the email goes, in the text the signer read.
    let (ctx, letter) = super::public::reader_version(ctx, &state, letter).await?;
    if !letter.is_open_for_signing() {
        return Err(closed(&ctx, &letter));
    }
    let pairs = form_pairs(&body);
    let mut values = values_from_pairs(&pairs);
    let honeypot = first(&pairs, "website").is_some_and(|v| !v.is_empty());
    let signature = match screen(&ctx, &state, &letter, &values, honeypot).await {
        Screened::Sign(signature) => signature,
        Screened::Drop => return Ok(check_email(&letter)),
        Screened::Again {
            errors,
            status,
            retry_after,
        } => {
            let response = form_again(&ctx, &state, &letter, &mut values, &errors, status).await?;
            return Ok(with_retry_after(response, retry_after));
        }
    };
    match store(&state, &letter, signature).await {
        Ok(()) => Ok(check_email(&letter)),
        Err(Refused::Closed) => Err(closed(&ctx, &letter)),
        // The database is away: the form comes back as typed, so that
        // trying again is one click, not the whole form retyped.
        Err(Refused::Failed(ErrorKind::Unavailable)) => {
            let mut errors = FieldErrors::default();
            errors.add(FORM_ERROR, ctx.tr().t("unavailable-form"));
            let status = StatusCode::SERVICE_UNAVAILABLE;
            let response = form_again(&ctx, &state, &letter, &mut values, &errors, status).await?;
            Ok(with_retry_after(response, Some(UNAVAILABLE_RETRY_SECS)))
        }
        Err(Refused::Failed(kind)) => Err(ctx.error(kind)),
    }
}

/// What `Retry-After` says when the database is away: as on error pages.
const UNAVAILABLE_RETRY_SECS: u64 = 5;

fn with_retry_after(mut response: HttpResponse, seconds: Option<u64>) -> HttpResponse {
    if let Some(seconds) = seconds {
        let value = header::HeaderValue::from(seconds);
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Why a screened signature was not stored.
enum Refused {
    Closed,
    Failed(ErrorKind),
}

fn closed(ctx: &Ctx, letter: &Letter) -> PageError {
    ctx.error(ErrorKind::LetterClosed)
        .with_back(links::letter(&letter.slug), letter.title.clone())
}

/// "Check your email": the same page whatever happened, so that nobody
/// learns from it whether an address had signed.
fn check_email(letter: &Letter) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, links::check_email(&letter.slug)))
        .finish()
}

/// The "you have already signed" email, for when the store finds the
/// address confirmed. (A confirmation is written when it leaves:
/// `mail::deferred`.)
fn mail_renderer(
    state: &AppState,
    letter: &Letter,
    signature: Arc<NewSignature>,
) -> impl Fn(&EmailPlan) -> NewEmail + Send + Sync + 'static {
    let (i18n, base_url, title, sender) = (
        state.services.i18n.clone(),
        state.settings.base_url.clone(),
        letter.title.clone(),
        messages::LetterSender::of(letter),
    );
    move |plan: &EmailPlan| {
        let (manage, withdraw) = plan.links();
        messages::already_signed(
            &i18n.tr(signature.language),
            &messages::AlreadySigned {
                recipient: signature.email.as_str(),
                name: signature.name.as_str(),
                letter_title: &title,
                sender: &sender,
                manage_url: &format!("{base_url}{}", links::manage(manage.as_str())),
                withdraw_url: &format!("{base_url}{}", links::withdraw(withdraw.as_str())),
            },
        )
    }
}

/// Runs the signing use case and reports what it did.
async fn store(state: &web::Data<AppState>, letter: &Letter, signature: NewSignature) -> Result<(), Refused> {
    let policy = SubmitPolicy {
        confirm_ttl: chrono::Duration::from_std(state.settings.confirm_ttl)
            .unwrap_or(chrono::Duration::days(7)),
        max_sends: state.settings.max_sends_per_address,
    };
    let signature = Arc::new(signature);
    let render = mail_renderer(state, letter, signature.clone());
    // Made before the transaction, so that hashing and encoding run beside
    // the writer instead of inside its lock.
    let prepared = PreparedConfirmation::new(&signature, &state.services.links);
    // Only logged when mail goes to files: not built on every signature.
    let confirm_link = state.settings.log_links.then(|| {
        format!(
            "{}{}",
            state.settings.base_url,
            links::confirm(prepared.confirm_token().as_str())
        )
    });
    let submission = actions::signing::Submission {
        letter_id: letter.id.clone(),
        sig: signature.clone(),
        policy,
        prepared,
        render: Box::new(render),
    };
    let outcome = run_sign(state, submission).await.map_err(Refused::Failed)?;
    match outcome {
        SubmitOutcome::LetterClosed => return Err(Refused::Closed),
        SubmitOutcome::Capped => tracing::info!(letter = %letter.slug, "email cap reached; nothing sent"),
        SubmitOutcome::Created | SubmitOutcome::Resent | SubmitOutcome::AlreadySigned => {
            tracing::info!(letter = %letter.slug, outcome = ?outcome, "signature submitted");
            crate::web::metrics::Metrics::bump(&state.services.metrics.signatures_submitted);
            state.services.waker.wake();
        }
    }
    let sent = matches!(outcome, SubmitOutcome::Created | SubmitOutcome::Resent);
    if let Some(link) = confirm_link.filter(|_| sent) {
        let recipient = signature.email.as_str();
        tracing::info!(%recipient, %link, "no SMTP server configured: confirmation email written to the outbox folder");
    }
    Ok(())
}

/// The letter page again, with the reader's values, the errors, and a form
/// token that keeps the time the form was first served.
async fn form_again(
    ctx: &Ctx,
    state: &web::Data<AppState>,
    letter: &Letter,
    values: &mut SignFormValues,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let purpose = form_purpose(&letter.id);
    values.form_token = state
        .services
        .forms
        .reissue(&purpose, &values.form_token, AppState::now_ms());
    // In an outage the form still comes back, without the count and lists
    // it could not read.
    let data = letter_page_data(ctx, state, letter).await.ok();
    let page = letter_view::LetterPage {
        letter,
        count: data.as_ref().map(|d| d.count),
        initial: data.as_ref().map_or(&[], |d| &d.initial),
        latest: data.as_ref().map_or(&[], |d| &d.latest),
        form: values,
        errors,
        preview: None,
        base_url: Some(&state.settings.base_url),
        site_officer: &state.settings.privacy_officer,
    };
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(letter_view::render(&ctx.tr(), &page).into_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::signer::TITLES_MAX;
    use crate::i18n::I18n;
    use proptest::prelude::*;

    proptest! {
        /// Whatever arrives in the form, parsing answers instead of panicking,
        /// and what it accepts holds no control or bidi character.
        #[test]
        fn form_parsing_never_panics_and_accepts_only_clean_text(
            name in any::<String>(),
            titles in any::<String>(),
            email in any::<String>(),
            city in any::<String>(),
            visibility in prop_oneof![Just("public".to_string()), Just("count-only".to_string()), any::<String>()],
            consent in any::<bool>(),
        ) {
            let i18n = I18n::new().unwrap();
            let v = SignFormValues { name, titles, email, city, visibility, consent, updates: false, form_token: String::new() };
            let clean = |s: &str| !s.chars().any(|c| c.is_control() || crate::domain::text::is_bidi_control(c));
            match validate(&i18n.tr(Lang::FR), &v, Lang::FR, &EmailRules::default()) {
                Ok(sig) => {
                    prop_assert!(clean(sig.name.as_str()));
                    prop_assert!(sig.titles.iter().all(clean));
                    prop_assert!(sig.titles.iter().count() <= TITLES_MAX);
                    prop_assert!(!sig.email.as_str().contains(['\r', '\n']));
                }
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
        }

        /// Any text a browser encodes comes back exactly as typed.
        #[test]
        fn form_values_round_trip_through_url_encoding(name in any::<String>(), titles in any::<String>()) {
            let body = form_urlencoded::Serializer::new(String::new())
                .append_pair("name", &name)
                .append_pair("titles", &titles)
                .finish();
            let v = values_from_pairs(&form_pairs(body.as_bytes()));
            prop_assert_eq!(v.name, name);
            prop_assert_eq!(v.titles, titles);
        }
    }

    fn valid() -> SignFormValues {
        SignFormValues {
            name: "Marie Tremblay,".into(),
            titles: "Présidente (1998-2006)\nOfficière de l’Ordre".into(),
            email: "Marie@Example.org".into(),
            city: "Sherbrooke".into(),
            visibility: "public".into(),
            consent: true,
            updates: false,
            form_token: String::new(),
        }
    }

    #[test]
    fn valid_form_parses() {
        let i18n = I18n::new().unwrap();
        let s = validate(&i18n.tr(Lang::FR), &valid(), Lang::FR, &EmailRules::default()).unwrap();
        assert_eq!(s.name.as_str(), "Marie Tremblay,");
        assert_eq!(s.titles.to_vec().len(), 2);
        assert_eq!(s.email.as_str(), "marie@example.org");
        assert!(s.is_public);
    }

    #[test]
    fn every_bad_field_gets_its_message() {
        let i18n = I18n::new().unwrap();
        let tr = i18n.tr(Lang::EN);
        let v = SignFormValues {
            name: "".into(),
            titles: (0..9).map(|i| format!("t{i}")).collect::<Vec<_>>().join("\n"),
            email: "nope".into(),
            city: "x\u{202E}".into(),
            visibility: "everyone".into(),
            consent: false,
            updates: false,
            form_token: String::new(),
        };
        let errors = validate(&tr, &v, Lang::EN, &EmailRules::default()).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            ["name", "titles", "email", "city", "visibility", "consent"]
        );
        assert_eq!(errors.get("name"), Some("This field is required."));
        assert!(errors.get("titles").unwrap().contains("at most 8"));
        let long = SignFormValues {
            titles: format!("ok\n{}", "x".repeat(400)),
            ..valid()
        };
        let errors = validate(&tr, &long, Lang::EN, &EmailRules::default()).unwrap_err();
        assert_eq!(
            errors.get("titles"),
            Some("Line 2: This field is longer than 300 characters.")
        );
    }

    #[test]
    fn parses_form_pairs() {
        let pairs = form_pairs(b"name=Zo%C3%A9+L%E2%80%99Heureux&consent=yes&visibility=public&name=second");
        let v = values_from_pairs(&pairs);
        assert_eq!(v.name, "Zoé L’Heureux");
        assert!(v.consent && !v.updates);
        let bad = values_from_pairs(&form_pairs(b"name=%FF%FE"));
        let i18n = I18n::new().unwrap();
        let errors = validate(&i18n.tr(Lang::FR), &bad, Lang::FR, &EmailRules::default()).unwrap_err();
        assert!(errors.get("name").unwrap().contains("illisibles"));
    }
}
