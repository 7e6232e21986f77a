//! The command line: one file per command.

pub mod export;
pub mod letter;
pub mod migrate;
pub mod organizer;
pub mod serve;

use crate::config::Overrides;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "undersigned",
    version,
    about = "Open letters and petitions: sign, confirm by email, export for the press."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// TOML configuration file (environment: UNDERSIGNED_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// sqlite://PATH or postgres://… (environment: UNDERSIGNED_DATABASE_URL).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Folder for the SQLite database and the file outbox (environment: UNDERSIGNED_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web service (the default).
    Serve(serve::ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Publish and list letters.
    #[command(subcommand)]
    Letter(letter::LetterCommand),
    /// Manage organizer accounts.
    #[command(subcommand)]
    Organizer(organizer::OrganizerCommand),
    /// Export a letter and its signatories for the press.
    Export(export::ExportArgs),
}

impl GlobalArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            config: self.config.clone(),
            database_url: self.database_url.clone(),
            data_dir: self.data_dir.clone(),
            bind: None,
            base_url: None,
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => serve::run(&cli.global, serve::ServeArgs::default()),
        Some(Command::Serve(args)) => serve::run(&cli.global, args),
        Some(Command::Migrate) => migrate::run(&cli.global),
        Some(Command::Letter(cmd)) => letter::run(&cli.global, cmd),
        Some(Command::Organizer(cmd)) => organizer::run(&cli.global, cmd),
        Some(Command::Export(args)) => export::run(&cli.global, args),
    }
}
