//! The `imbotd` binary: parse the command line, run it, exit with its code.

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = imbotd::cli::Cli::parse();
    std::process::exit(imbotd::cli::run(cli));
}
