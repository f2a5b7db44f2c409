//! The command line: `serve` and the admin commands.
//!
//! Admin commands open the same database as `serve` (and may run while it does: SQLite WAL with a busy
//! timeout). Their stdout carries only the stated output, so scripts can capture it; messages and errors go to
//! stderr, and a failure exits with a non-zero code.

pub mod admin;
pub mod deliveries;
pub mod dev;
pub mod serve;

use crate::config::{Config, ConfigError, RawConfig, RawRateLimit};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(name = "imbotd", version, about = "A self-hosted server speaking the Bitrix24 chat-bot REST API")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args, Default)]
pub struct GlobalArgs {
    /// A TOML config file laid over the built-in defaults (see imbotd.defaults.toml).
    #[arg(long, env = "IMBOTD_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Where imbotd keeps its state [default: ./imbotd-data].
    #[arg(long, env = "IMBOTD_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database URL [default: sqlite://DATA_DIR/imbotd.db].
    #[arg(long, env = "IMBOTD_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Base of the URLs the server hands out (webhook URLs, client_endpoint).
    #[arg(long, env = "IMBOTD_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(serve::ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        cmd: admin::UserCmd,
    },
    /// Manage incoming webhooks.
    Webhook {
        #[command(subcommand)]
        cmd: admin::WebhookCmd,
    },
    /// Manage local OAuth applications.
    App {
        #[command(subcommand)]
        cmd: admin::AppCmd,
    },
    /// The event delivery log: list, show, resend, recover.
    Deliveries {
        #[command(subcommand)]
        cmd: deliveries::DeliveriesCmd,
    },
    /// Developer tools (seeding data for benchmarks).
    Dev {
        #[command(subcommand)]
        cmd: dev::DevCmd,
    },
}

impl GlobalArgs {
    fn raw(&self) -> RawConfig {
        RawConfig {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            public_url: self.public_url.clone(),
            rate_limit: RawRateLimit::default(),
            ..RawConfig::default()
        }
    }

    /// Defaults, then the config file, then these flags (and `extra`, the serve flags).
    pub fn load(&self, extra: Option<&RawConfig>) -> Result<Config, ConfigError> {
        let mut raw = RawConfig::defaults();
        if let Some(path) = &self.config {
            raw = raw.overlay(&RawConfig::from_file(path)?);
        }
        raw = raw.overlay(&self.raw());
        if let Some(e) = extra {
            raw = raw.overlay(e);
        }
        raw.build()
    }
}

/// Run the parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("imbotd: cannot start the async runtime: {e}");
            return 1;
        }
    };
    let result = rt.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve::run(&cli.global, args).await,
            Command::Migrate => admin::migrate(&cli.global).await,
            Command::User { cmd } => admin::user(&cli.global, cmd).await,
            Command::Webhook { cmd } => admin::webhook(&cli.global, cmd).await,
            Command::App { cmd } => admin::app(&cli.global, cmd).await,
            Command::Dev { cmd } => dev::dev(&cli.global, cmd).await,
            Command::Deliveries { cmd } => deliveries::deliveries(&cli.global, cmd).await,
        }
    });
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("imbotd: {e}");
            1
        }
    }
}
