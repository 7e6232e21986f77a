use clap::Parser;

// mimalloc instead of glibc's malloc: see the commit that brought it for
// the measurements (request threads spent a tenth of their time in malloc
// and free).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    undersigned::cli::run(undersigned::cli::Cli::parse())
}
