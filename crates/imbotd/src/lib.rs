//! # imbotd — a self-hosted server speaking the Bitrix24 chat-bot REST API
//!
//! The library holds the whole server; `main.rs` only parses the command line. Tests build an
//! [`app::Application`] on port 0 with a temporary data dir and talk HTTP to it.
//! See `docs/ARCHITECTURE.md` for the map.

pub mod app;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod demo;
pub mod directory;
pub mod domain;
pub mod error;
pub mod events;
pub mod http;
pub mod limits;
pub mod messenger;
pub mod methods;
pub mod metrics;
pub mod store;
pub mod tls;

pub use app::Application;
pub use config::Config;
