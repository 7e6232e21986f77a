use super::GlobalArgs;
use crate::app::open_database;
use crate::config::Settings;
use crate::db::organizers::{self, CreateOutcome};
use crate::domain::Email;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum OrganizerCommand {
    /// Create an organizer account and print a one-time link, valid for 24
    /// hours, where the person chooses a password.
    Create {
        email: String,
        /// Admins manage organizer accounts and see every letter.
        #[arg(long)]
        admin: bool,
        /// Public base URL for the link (environment: UNDERSIGNED_BASE_URL).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
}

pub fn run(global: &GlobalArgs, cmd: OrganizerCommand) -> anyhow::Result<()> {
    match cmd {
        OrganizerCommand::Create {
            email,
            admin,
            base_url,
        } => {
            let mut overrides = global.overrides();
            overrides.base_url = base_url;
            let settings = Settings::load(&overrides)?;
            crate::telemetry::init(settings.log_format);
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("{email:?}: {e}"))?;
            let pool = open_database(&settings)?;
            let mut conn = pool.get()?;
            let created = crate::db::write_tx(&mut conn, |tx| {
                organizers::create(tx, email.as_str(), admin, crate::db::now())
            })?;
            match created {
                CreateOutcome::Created { setup, .. } => {
                    let role = if admin { "admin" } else { "organizer" };
                    println!("created {role} {email}; to choose a password (valid 24 hours):");
                    println!("{}/workspace/setup/{}", base_url_of(&settings), setup.as_str());
                    Ok(())
                }
                CreateOutcome::AlreadyExists => {
                    anyhow::bail!("an organizer with the address {email} already exists")
                }
            }
        }
    }
}

pub fn base_url_of(settings: &Settings) -> String {
    settings
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.bind))
}

/// With no organizer yet, makes a first admin and returns its setup link,
/// so a fresh install can be taken in hand from the browser. Until someone
/// uses it, every start issues a fresh link, and the links of earlier
/// starts stop working: only the latest one printed is valid.
pub fn bootstrap_admin(conn: &mut crate::db::PooledConn, base_url: &str) -> anyhow::Result<Option<String>> {
    let token = crate::db::write_tx(conn, |tx| {
        let all = organizers::list(tx)?;
        if all.iter().any(|o| o.password_hash.is_some()) {
            return Ok(None);
        }
        let now = crate::db::now();
        Ok::<_, crate::db::DbError>(match all.iter().find(|o| o.is_admin) {
            Some(admin) => Some(organizers::reissue_link(
                tx,
                &admin.id,
                crate::db::tokens::Purpose::Setup,
                now,
            )?),
            None => match organizers::create(tx, FIRST_ADMIN_EMAIL, true, now)? {
                CreateOutcome::Created { setup, .. } => Some(setup),
                CreateOutcome::AlreadyExists => None,
            },
        })
    })?;
    Ok(token.map(|t| format!("{base_url}/workspace/setup/{}", t.as_str())))
}

/// The first admin's address until they set their own on the setup page.
pub const FIRST_ADMIN_EMAIL: &str = "admin@localhost.invalid";
