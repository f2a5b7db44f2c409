//! The echo bot: `/echo X` → `X`, with an ATTACH card and a "Repeat" button (COMMAND `echo`, COMMAND_PARAMS `X`).
//!
//! Everything the bot needs is in its [`EchoConfig`] and the [`EchoBot`] handle: no globals, any number of echo
//! bots (with different codes) can run in one process.
//!
//! * [`EchoBot::start`] serves the event receiver on a given listener, registers the bot and its `/echo` command
//!   with that listener's URL as handler, and returns a handle; [`EchoBot::stop`] stops serving (and
//!   [`EchoBot::unregister`] deletes the bot).
//! * [`register`], [`handle`] and [`reply`] are the pieces, for a bot that serves events its own way.
//!
//! ```no_run
//! use imbot_sdk::Client;
//! use imbot_sdk::demo::echo::{EchoBot, EchoConfig};
//!
//! # async fn run() -> imbot_sdk::Result<()> {
//! let client = Client::webhook("http://127.0.0.1:8080/rest/1/abcdef/").client_id("echo_demo").build()?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(imbot_sdk::Error::other)?;
//! let bot = EchoBot::start(listener, EchoConfig::new(client)).await?;
//! println!("echo bot {} listening on {}", bot.bot_id(), bot.handler_url());
//! // … later
//! bot.stop().await?;
//! # Ok(()) }
//! ```

use crate::client::Client;
use crate::error::{Error, Result};
use crate::events::Event;
use crate::methods::bots::{BotMessage, CommandAnswer, CommandFields, RegisterBot, RegisterCommand, UpdateBotFields};
use crate::receiver::{Receiver, ReceiverConfig, router};
use crate::rich::attach::GridItem;
use crate::rich::{Attach, Button, ColorToken, Keyboard};
use serde_json::Value;
use std::net::SocketAddr;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The command the bot answers.
pub const COMMAND: &str = "echo";

/// What [`EchoBot::start`] needs.
///
/// ```
/// use imbot_sdk::Client;
/// use imbot_sdk::demo::echo::EchoConfig;
/// let client = Client::webhook("http://127.0.0.1:8080/rest/1/abc/").client_id("echo_demo").build().unwrap();
/// let config = EchoConfig { code: "echo_2".into(), ..EchoConfig::new(client) };
/// // Events of a webhook bot carry its CLIENT_ID as application_token: checked by default.
/// assert_eq!(config.application_token.as_deref(), Some("echo_demo"));
/// ```
#[derive(Debug, Clone)]
pub struct EchoConfig {
    /// Calls the portal (a webhook with `CLIENT_ID`, or OAuth).
    pub client: Client,
    /// The bot's `CODE` (default `echo_bot`).
    pub code: String,
    /// The bot's name (default `Echo`).
    pub name: String,
    /// Where the portal sends events. Default: `http://{listener address}/` (a wildcard address becomes
    /// `127.0.0.1`), right for a server on the same machine; set it when the bot is reached through a proxy.
    pub handler_url: Option<String>,
    /// Accept only events with this `application_token` (default: the client's `CLIENT_ID`, which is what events
    /// of webhook bots carry; `None` accepts any).
    pub application_token: Option<String>,
    /// Require Standard Webhooks signatures by one of these `whsec_…` secrets (none: not checked).
    pub signing_secrets: Vec<String>,
}

impl EchoConfig {
    /// The defaults for `client`.
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// let c = imbot_sdk::demo::echo::EchoConfig::new(client);
    /// assert_eq!((c.code.as_str(), c.name.as_str()), ("echo_bot", "Echo"));
    /// ```
    pub fn new(client: Client) -> Self {
        EchoConfig {
            application_token: client.client_id().map(str::to_owned),
            client,
            code: "echo_bot".into(),
            name: "Echo".into(),
            handler_url: None,
            signing_secrets: Vec::new(),
        }
    }
}

/// The ids [`register`] got.
///
/// ```
/// let r = imbot_sdk::demo::echo::Registration { bot_id: 5, command_id: 7 };
/// assert_eq!(r.bot_id, 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registration {
    /// `BOT_ID`.
    pub bot_id: i64,
    /// `COMMAND_ID` of `/echo`.
    pub command_id: i64,
}

/// Registers bot `code` named `name` and its `/echo` command, all events going to `handler_url`. Idempotent:
/// an existing bot with that code keeps its id, and its handlers are pointed at `handler_url` (registering an
/// existing code or command changes nothing by itself, so a bot restarted on another address would otherwise
/// keep receiving events at the old one).
///
/// ```no_run
/// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
/// let r = imbot_sdk::demo::echo::register(&client, "https://bot.example.com/", "echo_bot", "Echo").await?;
/// # Ok(()) }
/// ```
pub async fn register(client: &Client, handler_url: &str, code: &str, name: &str) -> Result<Registration> {
    let mut bot = RegisterBot::new(code, name, handler_url);
    bot.properties.color = Some("AQUA".into());
    bot.properties.work_position = Some("Repeats what you say".into());
    let bot_id = client.imbot_register(&bot).await?;
    let handlers = UpdateBotFields {
        event_message_add: bot.event_message_add.clone(),
        event_welcome_message: bot.event_welcome_message.clone(),
        event_bot_delete: bot.event_bot_delete.clone(),
        ..Default::default()
    };
    client.imbot_update(bot_id, &handlers).await?;
    let command = RegisterCommand::new(bot_id, COMMAND, handler_url)
        .title("en", "Repeat the text", "text")
        .title("de", "Text wiederholen", "Text")
        .title("ru", "Повторить текст", "текст");
    let command_id = client.imbot_command_register(&command).await?;
    let command_handler = CommandFields { event_command_add: Some(handler_url.to_owned()), ..Default::default() };
    client.imbot_command_update(command_id, &command_handler).await?;
    Ok(Registration { bot_id, command_id })
}

/// The answer to `/echo {text}` from bot `bot_id`: the message text, the ATTACH, and the KEYBOARD with a
/// "Repeat" button (none when there is nothing to repeat).
///
/// ```
/// let (message, attach, keyboard) = imbot_sdk::demo::echo::reply("hi", 567).unwrap();
/// assert_eq!(message, "hi");
/// assert_eq!(attach["BLOCKS"][1]["GRID"][0]["VALUE"], "hi");
/// let keyboard = keyboard.unwrap();
/// assert_eq!(keyboard["BUTTONS"][0]["COMMAND"], "echo");
/// assert_eq!(keyboard["BUTTONS"][0]["COMMAND_PARAMS"], "hi");
/// assert!(imbot_sdk::demo::echo::reply("  ", 567).unwrap().2.is_none());
/// ```
pub fn reply(text: &str, bot_id: i64) -> Result<(String, Value, Option<Value>)> {
    let said = text.trim();
    if said.is_empty() {
        let attach = Attach::new()
            .color_token(ColorToken::Alert)
            .message("Nothing to echo: type [B]/echo[/B] and some text.")
            .build()?;
        return Ok(("Nothing to echo.".into(), attach, None));
    }
    let attach = Attach::new()
        .color_token(ColorToken::Primary)
        .message("[B]Echo[/B]")
        .grid([GridItem::row("You said", said), GridItem::row("Length", said.chars().count().to_string())])
        .build()?;
    let keyboard = Keyboard::for_bot(bot_id)
        .button(Button::command("Repeat", COMMAND, said).bg_color_token(ColorToken::Primary))
        .build()?;
    Ok((said.to_owned(), attach, Some(keyboard)))
}

/// The bot's event handler: answers each `/echo X` (typed, or the "Repeat" button) with
/// `imbot.command.answer`; answers other private messages with a hint and greets chats it joins.
///
/// ```no_run
/// use imbot_sdk::receiver::{Receiver, ReceiverConfig, router};
/// # fn run(client: imbot_sdk::Client) {
/// let app = router(Receiver::new(ReceiverConfig::new()), client, imbot_sdk::demo::echo::handle);
/// # let _ = app; }
/// ```
pub async fn handle(event: Event, client: Client) -> Result<()> {
    match event {
        Event::CommandAdd(c) => {
            for cmd in c.commands.iter().filter(|c| c.command.eq_ignore_ascii_case(COMMAND)) {
                let (message, attach, keyboard) = reply(&cmd.params, cmd.bot_id)?;
                let answer = CommandAnswer {
                    attach: Some(attach),
                    keyboard,
                    ..CommandAnswer::new(cmd.command_id, cmd.message_id, message)
                };
                client.imbot_command_answer(&answer).await?;
            }
        }
        Event::MessageAdd(m) if m.params.is_private() && !m.params.message.trim_start().starts_with('/') => {
            if let (Some(bot), Some(dialog)) = (m.bots.first(), m.params.reply_to()) {
                let hint = BotMessage {
                    bot_id: Some(bot.bot_id),
                    ..BotMessage::new(dialog, "Send [B]/echo[/B] followed by some text, and I will repeat it.")
                };
                client.imbot_message_add(&hint).await?;
            }
        }
        Event::JoinChat(j) => {
            if let (Some(bot), Some(dialog)) = (j.bots.first(), j.dialog_id) {
                let hello =
                    BotMessage { bot_id: Some(bot.bot_id), ..BotMessage::new(dialog, "Hi! Try [B]/echo hello[/B].") };
                client.imbot_message_add(&hello).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// A running echo bot. Dropping it leaves the server running; call [`EchoBot::stop`].
///
/// ```no_run
/// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
/// use imbot_sdk::demo::echo::{EchoBot, EchoConfig};
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(imbot_sdk::Error::other)?;
/// let bot = EchoBot::start(listener, EchoConfig::new(client)).await?;
/// bot.unregister().await?;
/// bot.stop().await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct EchoBot {
    registration: Registration,
    handler_url: String,
    local_addr: SocketAddr,
    client: Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

/// `http://addr/`, with a wildcard address replaced by loopback.
fn url_of(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => std::net::Ipv4Addr::LOCALHOST.into(),
        ip if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

impl EchoBot {
    /// Serves events on `listener`, then registers the bot and `/echo` (handler: [`EchoConfig::handler_url`],
    /// default the listener's URL). If registration fails, the server is stopped and the error returned.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use imbot_sdk::demo::echo::{EchoBot, EchoConfig};
    /// let listener = tokio::net::TcpListener::bind("127.0.0.1:8090").await.map_err(imbot_sdk::Error::other)?;
    /// let bot = EchoBot::start(listener, EchoConfig::new(client)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn start(listener: TcpListener, config: EchoConfig) -> Result<EchoBot> {
        let local_addr = listener.local_addr().map_err(Error::other)?;
        let handler_url = config.handler_url.clone().unwrap_or_else(|| url_of(local_addr));
        let mut rc = ReceiverConfig::new();
        if let Some(t) = &config.application_token {
            rc = rc.application_token(t.clone());
        }
        for s in &config.signing_secrets {
            rc = rc.signing_secret(s)?;
        }
        let app = router(Receiver::new(rc), config.client.clone(), handle);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await
        });
        match register(&config.client, &handler_url, &config.code, &config.name).await {
            Ok(registration) => {
                Ok(EchoBot { registration, handler_url, local_addr, client: config.client, shutdown: Some(tx), task })
            }
            Err(e) => {
                let _ = tx.send(());
                let _ = task.await;
                Err(e)
            }
        }
    }

    /// `BOT_ID`.
    ///
    /// ```no_run
    /// # fn f(bot: &imbot_sdk::demo::echo::EchoBot) {
    /// println!("bot {}", bot.bot_id());
    /// # }
    /// ```
    pub fn bot_id(&self) -> i64 {
        self.registration.bot_id
    }

    /// `COMMAND_ID` of `/echo`.
    ///
    /// ```no_run
    /// # fn f(bot: &imbot_sdk::demo::echo::EchoBot) {
    /// println!("command {}", bot.command_id());
    /// # }
    /// ```
    pub fn command_id(&self) -> i64 {
        self.registration.command_id
    }

    /// The URL registered as the bot's event handler.
    ///
    /// ```no_run
    /// # fn f(bot: &imbot_sdk::demo::echo::EchoBot) {
    /// println!("events go to {}", bot.handler_url());
    /// # }
    /// ```
    pub fn handler_url(&self) -> &str {
        &self.handler_url
    }

    /// The address the bot listens on.
    ///
    /// ```no_run
    /// # fn f(bot: &imbot_sdk::demo::echo::EchoBot) {
    /// println!("listening on {}", bot.local_addr());
    /// # }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Deletes the bot from the portal (`imbot.unregister`); the server keeps running until [`EchoBot::stop`].
    ///
    /// ```no_run
    /// # async fn f(bot: imbot_sdk::demo::echo::EchoBot) -> imbot_sdk::Result<()> {
    /// bot.unregister().await?;
    /// # Ok(()) }
    /// ```
    pub async fn unregister(&self) -> Result<bool> {
        self.client.imbot_unregister(self.registration.bot_id).await
    }

    /// Stops accepting events and waits for the server to finish the requests in flight.
    ///
    /// ```no_run
    /// # async fn f(bot: imbot_sdk::demo::echo::EchoBot) -> imbot_sdk::Result<()> {
    /// bot.stop().await?;
    /// # Ok(()) }
    /// ```
    pub async fn stop(mut self) -> Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match (&mut self.task).await {
            Ok(r) => r.map_err(Error::other),
            Err(e) => Err(Error::other(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_listeners_register_loopback_urls() {
        assert_eq!(url_of("0.0.0.0:8090".parse().unwrap()), "http://127.0.0.1:8090/");
        assert_eq!(url_of("[::]:8090".parse().unwrap()), "http://[::1]:8090/");
        assert_eq!(url_of("10.0.0.5:80".parse().unwrap()), "http://10.0.0.5:80/");
    }
}
