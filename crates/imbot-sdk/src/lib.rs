//! # imbot-sdk — Bitrix24 chat bots in Rust
//!
//! A bot talks to a Bitrix24 portal (or to imbotd, the self-hosted server that speaks the same API) in two
//! directions: it **calls REST methods** (`imbot.register`, `imbot.command.answer`, …) and it **receives events**
//! (`ONIMCOMMANDADD`, `ONIMBOTMESSAGEADD`, …) that the portal POSTs to its handler URL. This crate does both:
//!
//! * [`Client`] — webhook or OAuth credentials; `CLIENT_ID` for webhook bots (v1) and `botToken` (v2);
//!   automatic token refresh with a [`TokenStore`]; polite under the request limit (retry on
//!   `503 QUERY_LIMIT_EXCEEDED`, optional local [`LocalLimit`]); [`Client::call`] for any method, and typed
//!   methods for the bot loop ([`methods`]).
//! * [`methods::v2`] — the v2 bot API, all 40 `imbot.v2.*` / `im.v2.*` methods typed (bots, commands, chats,
//!   messages, reactions, files, events), and [`EventPoller`](methods::v2::EventPoller): a fetch-mode bot
//!   needs no public address, it polls `imbot.v2.Event.get` and acknowledges by offset (at least once).
//! * [`batch`] — up to 50 calls in one request, with `$result[…]` references; [`Client::list`] — list methods as
//!   a [`Stream`](futures_util::Stream).
//! * [`events`] and [`receiver`] — a framework-free parser of event bodies into typed [`Event`]s (v2 ones into
//!   [`events::V2Event`], also from fetched `data`), verification
//!   (`application_token`, Standard Webhooks signatures with key rotation, duplicate drop) and, with the `axum`
//!   feature (on by default), a ready [`receiver::router`].
//! * [`rich`] — ATTACH, KEYBOARD and MENU builders that only build what the server accepts whole.
//! * [`demo::echo`] — a complete bot, usable as a library.
//!
//! The wire protocol (PHP form codec, `DIALOG_ID`, signatures, the ATTACH/KEYBOARD/MENU rules) comes from
//! [`imbot_wire`], the crate imbotd itself uses, so the SDK and the server cannot disagree on bytes.
//!
//! ## A bot in twenty lines
//!
//! ```no_run
//! use imbot_sdk::methods::bots::{CommandAnswer, RegisterBot, RegisterCommand};
//! use imbot_sdk::receiver::{Receiver, ReceiverConfig, router};
//! use imbot_sdk::{Client, Event};
//!
//! #[tokio::main]
//! async fn main() -> imbot_sdk::Result<()> {
//!     let client = Client::webhook("https://your-portal.bitrix24.com/rest/1/webhookcode/").client_id("ping").build()?;
//!     let url = "https://bot.example.com/";
//!     let bot = client.imbot_register(&RegisterBot::new("ping_bot", "Ping", url)).await?;
//!     client.imbot_command_register(&RegisterCommand::new(bot, "ping", url).title("en", "Ping", "")).await?;
//!
//!     let app = router(Receiver::new(ReceiverConfig::new().application_token("ping")), client, |event, client: Client| async move {
//!         if let Event::CommandAdd(c) = event {
//!             for cmd in &c.commands {
//!                 client.imbot_command_answer(&CommandAnswer::new(cmd.command_id, cmd.message_id, "pong")).await?;
//!             }
//!         }
//!         Ok(())
//!     });
//!     let listener = tokio::net::TcpListener::bind("0.0.0.0:8090").await.map_err(imbot_sdk::Error::other)?;
//!     axum::serve(listener, app).await.map_err(imbot_sdk::Error::other)
//! }
//! ```
//!
//! `docs/tutorial.md` in the repository walks through it against imbotd and then a real portal.
//!
//! ## A v2 bot without a public address
//!
//! ```no_run
//! use imbot_sdk::Client;
//! use imbot_sdk::events::V2Event;
//! use imbot_sdk::methods::v2::{EventPoller, RegisterBotV2, RegisterCommandV2, SendMessage};
//!
//! #[tokio::main]
//! async fn main() -> imbot_sdk::Result<()> {
//!     // Through a webhook, v2 bots are owned by (webhook, botToken): the client adds the token to every call.
//!     let client = Client::webhook("https://your-portal.bitrix24.com/rest/1/webhookcode/").bot_token("ping-7f3a").build()?;
//!     let bot = client.imbot_v2_bot_register(&RegisterBotV2::fetch("ping_v2", "Ping")).await?.bot.id;
//!     client.imbot_v2_command_register(bot, &RegisterCommandV2::new("ping").title("en", "Ping")).await?;
//!
//!     let mut poller = EventPoller::bot(client.clone(), bot);
//!     loop {
//!         for queued in poller.next_batch().await? {
//!             match queued.event()? {
//!                 V2Event::CommandAdd(c) => {
//!                     client.imbot_v2_command_answer(bot, &c.answer("pong")).await?;
//!                 }
//!                 V2Event::MessageAdd(m) => {
//!                     let hint = SendMessage::new(m.chat.dialog().expect("a dialog"), "Try /ping");
//!                     client.imbot_v2_chat_message_send(bot, &hint).await?;
//!                 }
//!                 _ => {}
//!             }
//!         } // the next `next_batch` acknowledges these
//!     }
//! }
//! ```

#![warn(missing_docs)]

pub mod batch;
mod client;
#[cfg(feature = "axum")]
pub mod demo;
mod error;
pub mod events;
pub mod methods;
mod paging;
pub mod receiver;
pub mod rich;
mod serde_util;

pub use client::{
    BITRIX_TOKEN_URL, BoxFuture, Client, ClientBuilder, Envelope, LocalLimit, MemoryTokenStore, OAuthApp, RetryPolicy,
    TokenStore, Tokens,
};
pub use error::{BoxError, Error, Result};
pub use events::{Event, EventAuth, V2Event, parse_event};
/// The wire protocol crate, re-exported (form codec, signatures, the server's ATTACH/KEYBOARD/MENU parsers).
pub use imbot_wire;
pub use imbot_wire::DialogId;
pub use rich::BuildError;
