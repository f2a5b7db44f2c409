//! The demo bot `imbotd serve` starts (unless `--no-demo`): the SDK's echo bot (`imbot_sdk::demo::echo`),
//! running in this process on a loopback port and talking to this server over HTTP like any bot, so a
//! newcomer who opens the web chat can write `/echo hello` to "Echo" and see the whole loop at once.
//!
//! It belongs to a local OAuth app ("imbotd demo bot") created on first use and remembered in
//! `portal_settings` (`demo_app_id`); each start mints it a fresh access token for the admin (user 1) and
//! re-points the bot's handler at the new port. `--no-demo` unregisters it if it exists, so no events wait for a
//! handler that is not there. Failures are reported to the caller and never stop the server.

use crate::app::AppState;
use crate::domain::{AppId, ScopeSet, UserId};
use crate::store::{apps, bots, portal};
use imbot_sdk::demo::echo::{EchoBot, EchoConfig};

const APP_KEY: &str = "demo_app_id";
/// The demo bot's CODE.
pub const CODE: &str = "imbotd_echo";

/// The demo app, created on first use.
async fn demo_app(state: &AppState) -> Result<apps::App, String> {
    let store = &state.store;
    if let Some(id) = portal::setting(store, APP_KEY).await.map_err(|e| e.to_string())? {
        if let Some(app) = apps::by_id(store, AppId(id.parse().unwrap_or(0))).await.map_err(|e| e.to_string())? {
            return Ok(app);
        }
    }
    let scopes = ScopeSet::parse_list("im,imbot")?;
    let new = apps::NewApp { name: "imbotd demo bot".into(), scopes, handler_url: String::new() };
    let created = apps::create(store, &new, state.clock.unix()).await.map_err(|e| e.to_string())?;
    portal::set_setting(store, APP_KEY, &created.app.id.0.to_string()).await.map_err(|e| e.to_string())?;
    Ok(created.app)
}

/// Start the echo bot against this server (`http` is its plain-HTTP base URL).
pub async fn start(state: &AppState, http: &str) -> Result<EchoBot, String> {
    let app = demo_app(state).await?;
    // A year: the bot lives as long as this process; a restart mints a new token.
    let ttl = 365 * 86_400;
    let tokens = apps::issue_tokens(&state.store, &app, UserId(1), ttl, ttl, state.clock.unix())
        .await
        .map_err(|e| e.to_string())?;
    let client = imbot_sdk::Client::access_token(format!("{http}/rest/"), tokens.access_token)
        .build()
        .map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let config = EchoConfig {
        code: CODE.into(),
        name: "Echo".into(),
        application_token: Some(app.application_token.clone()),
        ..EchoConfig::new(client.clone())
    };
    let bot = EchoBot::start(listener, config).await.map_err(|e| e.to_string())?;
    // Once per portal: a first message to the admin, so the dialog with Echo is in the web chat's list.
    if portal::claim_once(&state.store, "demo_welcome", state.clock.unix()).await.map_err(|e| e.to_string())? {
        let welcome = serde_json::json!({
            "BOT_ID": bot.bot_id(),
            "DIALOG_ID": 1,
            "MESSAGE": "Hi! I am [b]Echo[/b], imbotd's demo bot (built on imbot-sdk). Write [send=/echo hello]/echo hello[/send] \
                        and I answer with an attachment and a button.",
            "KEYBOARD": [{"TEXT": "Try /echo hello", "COMMAND": "echo", "COMMAND_PARAMS": "hello", "BOT_ID": bot.bot_id(),
                          "BG_COLOR_TOKEN": "primary"}],
        });
        if let Err(e) = client.call("imbot.message.add", welcome).await {
            tracing::warn!(error = %e, "the demo bot could not greet the admin");
        }
    }
    Ok(bot)
}

/// `--no-demo`: unregister the demo bot if an earlier start registered it.
pub async fn remove(state: &AppState) -> Result<bool, String> {
    let Some(bot) = bots::by_code(&state.store, CODE).await.map_err(|e| e.to_string())? else { return Ok(false) };
    let fail = |e: crate::error::Error| e.to_api().description.to_string();
    let mut tx = state.store.begin().await.map_err(|e| e.to_string())?;
    bots::delete(&mut tx, bot.id).await.map_err(|e| e.to_string())?;
    crate::messenger::commit(state, tx).await.map_err(fail)?;
    Ok(true)
}
