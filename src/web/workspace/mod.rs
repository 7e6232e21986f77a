//! The organizers' workspace: accounts, letters, initial signatories.
//! Every route here needs a signed-in organizer, and every POST a CSRF token.

pub mod access;
pub mod admin;
pub mod auth;
pub mod csv_import;
pub mod extract;
pub mod letters;
pub mod moderation;
pub mod password;
pub mod session;
pub mod signatories;

use crate::web::page;
use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page("").route(web::get().to(letters::list::index)))
        .service(page("/").route(web::get().to(letters::list::index)))
        .configure(account_routes)
        .configure(moderation_routes)
        .configure(letter_routes)
        .configure(signatory_routes);
}

/// Signing in and out, passwords, and the admins' pages.
fn account_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        page("/sign-in")
            .route(web::get().to(auth::sign_in_page))
            .route(web::post().to(auth::sign_in)),
    )
    .service(page("/sign-out").route(web::post().to(auth::sign_out)))
    .service(
        page("/forgot")
            .route(web::get().to(auth::forgot_page))
            .route(web::post().to(auth::forgot)),
    )
    .service(
        page("/setup/{token}")
            .route(web::get().to(auth::setup_page))
            .route(web::post().to(auth::setup)),
    )
    .service(
        page("/organizers")
            .route(web::get().to(admin::list))
            .route(web::post().to(admin::create)),
    )
    .service(page("/organizers/{id}").route(web::post().to(admin::update)))
    .service(
        page("/protected")
            .route(web::get().to(moderation::site_page))
            .route(web::post().to(moderation::site_change)),
    );
}

fn moderation_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        page("/letters/{id}/moderation")
            .route(web::get().to(moderation::page))
            .route(web::post().to(moderation::decide)),
    )
    .service(page("/letters/{id}/moderation/mode").route(web::post().to(moderation::mode)))
    .service(page("/letters/{id}/moderation/bulk").route(web::post().to(moderation::bulk)))
    .service(page("/letters/{id}/protected").route(web::post().to(moderation::protected)));
}

/// Writing a letter and its life cycle. `/letters/new` comes before
/// `/letters/{id}`, which would take it.
fn letter_routes(cfg: &mut web::ServiceConfig) {
    use letters::{affiliations, dashboard, editor, export, lifecycle, logo, sharing, translation};
    cfg.service(
        page("/letters/new")
            .route(web::get().to(editor::new_page))
            .route(web::post().to(editor::create)),
    )
    .service(page("/letters/{id}").route(web::get().to(dashboard::dashboard)))
    .service(
        page("/letters/{id}/edit")
            .route(web::get().to(editor::edit_page))
            .route(web::post().to(editor::update)),
    )
    .service(page("/letters/{id}/preview").route(web::get().to(editor::preview)))
    .service(
        page("/letters/{id}/logo")
            .route(web::get().to(logo::show))
            .route(web::post().to(logo::upload)),
    )
    .service(page("/letters/{id}/logo/remove").route(web::post().to(logo::remove)))
    .service(
        page("/letters/{id}/publish")
            .route(web::get().to(lifecycle::publish_page))
            .route(web::post().to(lifecycle::publish)),
    )
    .service(page("/letters/{id}/status").route(web::post().to(lifecycle::status)))
    .service(page("/letters/{id}/editors").route(web::post().to(sharing::add_editor)))
    .service(page("/letters/{id}/editors/{oid}").route(web::post().to(sharing::change_member)))
    .service(page("/letters/{id}/audit").route(web::get().to(sharing::audit)))
    .configure(mailing_routes)
    .service(page("/letters/{id}/export").route(web::get().to(export::export)))
    .service(page("/letters/{id}/affiliations").route(web::post().to(affiliations::affiliations)))
    .service(
        page("/letters/{id}/translation")
            .route(web::get().to(translation::translation_page))
            .route(web::post().to(translation::translation)),
    );
}

/// Messages to signers. `/messages/new` comes before `/messages/{mid}`.
fn mailing_routes(cfg: &mut web::ServiceConfig) {
    use letters::mailings;
    cfg.service(page("/letters/{id}/messages").route(web::get().to(mailings::list)))
        .service(
            page("/letters/{id}/messages/new")
                .route(web::get().to(mailings::new_page))
                .route(web::post().to(mailings::create)),
        )
        .service(
            page("/letters/{id}/messages/{mid}")
                .route(web::get().to(mailings::show))
                .route(web::post().to(mailings::update)),
        );
}

fn signatory_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        page("/letters/{id}/signatories")
            .route(web::get().to(signatories::list))
            .route(web::post().to(signatories::add)),
    )
    .service(page("/letters/{id}/signatories/{sid}").route(web::post().to(signatories::change)))
    .service(
        page("/letters/{id}/import")
            .route(web::get().to(signatories::import_page))
            .route(web::post().to(signatories::import)),
    )
    .service(
        page("/letters/{id}/import/csv")
            .route(web::get().to(csv_import::upload_page))
            .route(web::post().to(csv_import::upload)),
    )
    .service(
        page("/letters/{id}/import/csv/{hash}")
            .route(web::get().to(csv_import::preview_page))
            .route(web::post().to(csv_import::choose)),
    );
}
