use super::GlobalArgs;
use crate::app::{open_database, Application};
use crate::config::Settings;
use crate::db::{letters, DatabaseUrl};
use clap::Args;

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on (environment: UNDERSIGNED_BIND).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
    /// Public base URL used in emails, e.g. https://lettres.example.org (environment: UNDERSIGNED_BASE_URL).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Publish the built-in example letter if it is not there yet.
    #[arg(long)]
    pub example: bool,
}

pub fn run(global: &GlobalArgs, args: ServeArgs) -> anyhow::Result<()> {
    let mut overrides = global.overrides();
    overrides.bind = args.bind;
    overrides.base_url = args.base_url;
    let settings = Settings::load(&overrides)?;
    crate::telemetry::init(settings.log_format);
    tracing::info!(database = %settings.database_url.redacted(), "starting");
    if let DatabaseUrl::Sqlite(path) = &settings.database_url {
        tracing::info!(path = %path.display(), "using the embedded SQLite database");
    }
    let pool = open_database(&settings)?;
    if args.example {
        let mut conn = pool.get()?;
        let example = crate::example::letter();
        if letters::find_by_slug(&mut conn, example.slug.as_str())?.is_none() {
            crate::db::write_tx(&mut conn, |tx| {
                letters::publish_file(tx, &example, crate::db::now())
            })?;
            tracing::info!(slug = %example.slug, "example letter published");
        }
    }
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build_with_pool(&settings, pool)?;
        if settings.smtp_url.is_none() {
            tracing::info!(folder = %settings.outbox_dir().display(), "no SMTP server configured: emails are written as .eml files");
        }
        println!("undersigned is running at {}/", app.base_url());
        let mut conn = app.pool().get()?;
        if let Some(link) = super::organizer::bootstrap_admin(&mut conn, app.base_url())? {
            println!("no organizer yet: open this link within 24 hours to set up the first admin account:");
            println!("{link}");
        }
        drop(conn);
        if args.example {
            println!("example letter: {}/letters/{}", app.base_url(), crate::example::letter().slug);
        }
        app.run_until_stopped().await?;
        anyhow::Ok(())
    })
}
