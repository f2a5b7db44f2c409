//! `imbotd-bench` — benchmark scenarios against a real imbotd started by the tool.
//!
//! Each scenario starts the release server binary (`--server`, default `target/release/imbotd`) on a fresh
//! temporary data dir with the rate and operating limits off, prepares its data with the server's own CLI,
//! drives it over loopback HTTP with keep-alive connections, and prints a table and JSON lines with throughput
//! and latency percentiles. Bounded in count and time; traffic only to 127.0.0.1.
//!
//! Scenarios (issue 9; results and commands in BENCHMARKS.md):
//! * `message-add` — `imbot.message.add` through a webhook at 64 connections, beside a bare baseline (same HTTP
//!   stack and envelope, no store; `baseline-server`), as a ratio; the server's RSS idle and under this load;
//! * `commands` — the command round trip (user posts `/echo n`, the bot answers with `imbot.command.answer`),
//!   latency from the post to the stored answer, open loop at fixed rates and closed loop at saturation;
//! * `delivery` — event delivery throughput to a fast handler (events queued with delivery off, then drained);
//! * `history` — `im.dialog.messages.get` pages on a chat of 1,000,000 messages;
//! * `footprint` — start-up time to a healthy `/healthz` and idle memory.

mod baseline;
mod harness;
mod scenarios;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "imbotd-bench", about = "Benchmark scenarios for imbotd")]
struct Cli {
    /// The imbotd binary to run (build it with `cargo build --release -p imbotd`).
    #[arg(long, default_value = "target/release/imbotd", global = true)]
    server: PathBuf,
    /// Run on PostgreSQL: the server to make a fresh database on per scenario, e.g.
    /// `postgres://postgres@127.0.0.1:5432` (default: SQLite in the data dir).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// `imbot.message.add` at a fixed concurrency beside the bare baseline; RSS.
    MessageAdd {
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// The command round trip, open loop at fixed rates and at saturation.
    Commands {
        /// Users posting commands (each its own dialog with the bot).
        #[arg(long, default_value_t = 64)]
        users: usize,
        /// Offered rates, commands per second.
        #[arg(long, value_delimiter = ',', default_values_t = vec![100, 1000, 3000])]
        rates: Vec<u64>,
        /// Seconds per rate.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
        /// Concurrent posters at saturation.
        #[arg(long, default_value_t = 128)]
        saturation: usize,
    },
    /// Event delivery throughput to a fast handler.
    Delivery {
        #[arg(long, default_value_t = 64)]
        users: usize,
        #[arg(long, default_value_t = 20_000)]
        events: usize,
        /// The server's `[delivery] per_handler` (attempts in flight to one handler URL); 16 is its default.
        #[arg(long, default_value_t = 16)]
        per_handler: u32,
    },
    /// History pages on a large chat.
    History {
        /// Messages to seed into the large chat.
        #[arg(long, default_value_t = 1_000_000)]
        messages: u64,
        /// Requests per measured case.
        #[arg(long, default_value_t = 2_000)]
        requests: usize,
        /// Concurrent connections.
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
    },
    /// Start-up time and idle memory.
    Footprint {
        #[arg(long, default_value_t = 9)]
        runs: usize,
    },
    /// (internal) the bare baseline server the `message-add` scenario compares against.
    #[command(hide = true)]
    BaselineServer,
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Scenario::BaselineServer = cli.scenario {
        return baseline::serve().await;
    }
    assert!(cli.server.exists(), "{} not found: build it with `cargo build --release -p imbotd`", cli.server.display());
    let bin = cli.server;
    if let Some(url) = &cli.database_url {
        harness::use_postgres(url);
    }
    println!("backend: {}", harness::backend());
    match cli.scenario {
        Scenario::MessageAdd { requests, concurrency } => scenarios::message_add(bin, requests, concurrency).await,
        Scenario::Commands { users, rates, seconds, saturation } => {
            scenarios::commands(bin, users, rates, seconds, saturation).await
        }
        Scenario::Delivery { users, events, per_handler } => scenarios::delivery(bin, users, events, per_handler).await,
        Scenario::History { messages, requests, concurrency } => {
            scenarios::history(bin, messages, requests, concurrency).await
        }
        Scenario::Footprint { runs } => scenarios::footprint(bin, runs).await,
        Scenario::BaselineServer => unreachable!("handled above"),
    }
    harness::drop_databases();
}
