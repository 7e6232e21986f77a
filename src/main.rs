use clap::Parser;

fn main() -> anyhow::Result<()> {
    undersigned::cli::run(undersigned::cli::Cli::parse())
}
