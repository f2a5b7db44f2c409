//! The echo bot: `/echo X` → `X`, with an ATTACH card and a "Repeat" button.
//!
//! It registers itself and its `/echo` command through an incoming webhook (v1 bots through a webhook need a
//! `CLIENT_ID`: any string you choose), with its own listen address as the event handler, and answers each
//! command with `imbot.command.answer`. The logic is `imbot_sdk::demo::echo`.
//!
//! ```text
//! cargo run -p imbot-sdk --example echo_bot -- http://127.0.0.1:8080/rest/1/yourwebhookcode/
//! ```
//!
//! Arguments / environment:
//! * `IMBOT_WEBHOOK` (or the first argument): the webhook URL, `https://portal/rest/{user}/{code}/`;
//! * `IMBOT_CLIENT_ID` (default `echo_bot`): the CLIENT_ID the bot is registered under;
//! * `IMBOT_LISTEN` (default `127.0.0.1:8090`): where to receive events;
//! * `IMBOT_HANDLER_URL`: the URL the portal posts events to, when it is not `http://{IMBOT_LISTEN}/` (a public
//!   address or tunnel for a cloud portal);
//! * `IMBOT_SIGNING_SECRET`: verify imbotd's Standard Webhooks signatures with this `whsec_…` secret;
//! * `IMBOT_UNREGISTER=1`: delete the bot on Ctrl-C.

use imbot_sdk::demo::echo::{EchoBot, EchoConfig};
use imbot_sdk::{Client, LocalLimit};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new("imbot_sdk=info")).init();
    let webhook = std::env::args()
        .nth(1)
        .or_else(|| env("IMBOT_WEBHOOK"))
        .ok_or("give the webhook URL as the first argument or in IMBOT_WEBHOOK")?;
    let client_id = env("IMBOT_CLIENT_ID").unwrap_or_else(|| "echo_bot".into());
    let listen = env("IMBOT_LISTEN").unwrap_or_else(|| "127.0.0.1:8090".into());

    let client = Client::webhook(webhook).client_id(client_id).local_limit(LocalLimit::BITRIX).build()?;
    let mut config = EchoConfig::new(client);
    config.handler_url = env("IMBOT_HANDLER_URL");
    config.signing_secrets.extend(env("IMBOT_SIGNING_SECRET"));

    let listener = tokio::net::TcpListener::bind(&listen).await?;
    let bot = EchoBot::start(listener, config).await?;
    println!("echo bot {} is up; events go to {}", bot.bot_id(), bot.handler_url());
    println!("write `/echo hello` to it; Ctrl-C stops it");

    tokio::signal::ctrl_c().await?;
    if env("IMBOT_UNREGISTER").is_some() {
        bot.unregister().await?;
        println!("bot deleted");
    }
    bot.stop().await?;
    Ok(())
}
