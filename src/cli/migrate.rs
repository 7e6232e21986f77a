use super::GlobalArgs;
use crate::config::Settings;
use crate::db;

pub fn run(global: &GlobalArgs) -> anyhow::Result<()> {
    let settings = Settings::load(&global.overrides())?;
    crate::telemetry::init(settings.log_format);
    let pool = db::connect_with(&settings.database_url, &settings.database, 1)?;
    let mut conn = pool.get()?;
    let applied = db::migrations::run(&mut conn)?;
    println!(
        "{}: {} migration(s) applied, schema up to date",
        settings.database_url.redacted(),
        applied
    );
    Ok(())
}
