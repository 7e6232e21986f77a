use clap::Parser;

// jemalloc instead of glibc's malloc: see docs/architecture.md for the
// measurements (malloc and free were a tenth of the request threads' time).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> anyhow::Result<()> {
    undersigned::cli::run(undersigned::cli::Cli::parse())
}
