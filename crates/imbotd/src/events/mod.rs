//! Event selection: which bot events a change causes, written to the outbox in the change's transaction.
//!
//! * A message from a human (never from a bot, never a system message) is scanned line by line for commands
//!   (`^/(\S*) ?(.*)$`); each registered command of that name whose COMMON / membership / EXTRANET_SUPPORT rules
//!   allow it becomes an entry of one `ONIMCOMMANDADD` per owning app (SPEC-NOTES §5.11), and opens the bot's
//!   10-minute answer window in that chat.
//! * `ONIMBOTMESSAGEADD` goes to the bot of a private dialog, and in group chats to the bots mentioned with
//!   `[USER=id]` that are members plus every supervisor (`S`) bot in the chat; one event per app, listing its
//!   bots under `data[BOT]` (§5.12). Group-chat events carry the text with mentions stripped and the original in
//!   `MESSAGE_ORIGINAL`.
//! * `ONIMBOTJOINCHAT` when a bot is added to a chat or a user opens a private dialog with it.
//!
//! Payloads hold no tokens: the delivery worker mints the bots' and the user's tokens when it sends. Handlers are
//! the owning app's URLs; an app without the handler gets no event.

pub mod generic;
pub mod payload;
pub mod user_v2;
pub mod v2;

pub use imbot_wire::text::{mentions, parse_commands, strip_mentions};

use crate::app::AppState;
use crate::domain::{AppId, ChatId, MessageId, UserId};
use crate::error::Error;
use crate::store::bots::{self, Bot, BotType};
use crate::store::chats::{Chat, ChatType};
use crate::store::outbox::{self, NewEvent};
use crate::store::users::User;
use crate::store::{apps, chats, Tx};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// How long `imbot.command.answer` may post after a command (SPEC-NOTES §5.11).
pub const ANSWER_WINDOW_SECONDS: i64 = 600;

/// Where a command came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandContext {
    Textarea,
    Keyboard,
    Menu,
}

impl CommandContext {
    pub fn as_str(self) -> &'static str {
        match self {
            CommandContext::Textarea => "TEXTAREA",
            CommandContext::Keyboard => "KEYBOARD",
            CommandContext::Menu => "MENU",
        }
    }
}

/// The message an event is about.
pub struct MessageFacts<'a> {
    pub chat: &'a Chat,
    pub author: &'a User,
    pub id: MessageId,
    pub text: &'a str,
    pub uuid: Option<&'a str>,
    pub is_system: bool,
    /// The other member of a private dialog (from the author's side).
    pub partner: Option<&'a User>,
    /// When the message was posted (unix seconds).
    pub created_at: i64,
}

/// Stable `event_handler_id` of an app's subscription to an event.
pub fn handler_id(app: AppId, event: &str) -> i64 {
    let ordinal = match event {
        "ONIMBOTMESSAGEADD" => 1,
        "ONIMBOTMESSAGEUPDATE" => 2,
        "ONIMBOTMESSAGEDELETE" => 3,
        "ONIMBOTJOINCHAT" => 4,
        "ONIMBOTDELETE" => 5,
        "ONIMCOMMANDADD" => 6,
        _ => 9,
    };
    app.0 * 10 + ordinal
}

fn fifo_key(url: &str, chat: ChatId) -> String {
    format!("{url}|{}", chat.0)
}

async fn app_of(tx: &mut Tx, app: AppId) -> Result<Option<apps::App>, Error> {
    Ok(apps::by_id_tx(tx, app).await?)
}

/// What the events of a new message depend on besides the message itself: the bots and member count of its
/// chat, the commands its text names with their bots, and the apps (with their handlers) of every bot that
/// may get an event. All settled facts, read through the pool *before* the message's write transaction
/// ([`route`]), so the store's single writer is held for the writes alone. They are as of the last commit:
/// a bot that joins while the message is being posted may or may not see it, as if the two had been sent in
/// either order; every change acknowledged before the post began is seen.
pub struct Route {
    bots_in_chat: Vec<Bot>,
    user_count: i64,
    /// The bot of a private dialog.
    partner_bot: Option<Bot>,
    /// Each command line of the text, in order: the name's registered commands with their bots, and params.
    commands: Vec<(Vec<(bots::Command, Bot)>, String)>,
    apps: BTreeMap<i64, (apps::App, bots::Handlers)>,
}

/// Read the [`Route`] of a message by `author` with `text`, into `chat` (`None`: a private dialog with
/// `partner` that this message creates, whose members are the two of them). `None` when the message causes no
/// bot events at all (from a bot or the system).
pub async fn route(
    state: &AppState,
    chat: Option<ChatId>,
    author: &User,
    partner: Option<&User>,
    text: &str,
    is_system: bool,
) -> Result<Option<Route>, Error> {
    if author.is_bot || author.id.0 == 0 {
        return Ok(None);
    }
    let store = &state.store;
    let partner_bot = match partner {
        Some(p) if p.is_bot => bots::get(store, p.id).await?,
        _ => None,
    };
    let (bots_in_chat, user_count) = match chat {
        Some(id) => (bots::in_chat(store, id).await?, bots::member_count(store, id).await?),
        None => {
            let others = i64::from(partner.is_some_and(|p| p.id != author.id));
            (partner_bot.iter().cloned().collect(), 1 + others)
        }
    };
    let mut commands = Vec::new();
    if !is_system {
        for (name, params) in parse_commands(text) {
            let mut named = Vec::new();
            for c in bots::commands_named(store, &name).await? {
                if let Some(bot) = bots::get(store, c.bot_id).await? {
                    named.push((c, bot));
                }
            }
            commands.push((named, params));
        }
    }
    let mut app_ids: Vec<i64> = commands.iter().flat_map(|(n, _)| n.iter().map(|(_, b)| b.app_id.0)).collect();
    app_ids.extend(bots_in_chat.iter().chain(partner_bot.iter()).map(|b| b.app_id.0));
    app_ids.sort_unstable();
    app_ids.dedup();
    let mut apps_of = BTreeMap::new();
    for id in app_ids {
        if let Some(app) = apps::by_id(store, AppId(id)).await? {
            apps_of.insert(id, (app, bots::handlers(store, AppId(id)).await?));
        }
    }
    Ok(Some(Route { bots_in_chat, user_count, partner_bot, commands, apps: apps_of }))
}

/// Select and enqueue the events of a newly posted message, along its [`Route`]. Returns the bots whose
/// "typing…" indicator starts, as Bitrix starts it when it dispatches a message or a typed command to a bot
/// (all types but the supervisor, SPEC-NOTES §5.9).
pub async fn message_added(
    tx: &mut Tx,
    state: &AppState,
    m: &MessageFacts<'_>,
    route: Option<&Route>,
) -> Result<Vec<UserId>, Error> {
    // No route: the message is a bot's or the system's, and causes no bot events ([`route`]).
    let Some(route) = route else { return Ok(Vec::new()) };
    let mut typing: Vec<UserId> = Vec::new();
    let mut starts_typing = |b: &Bot| {
        if b.kind != BotType::Supervisor && !typing.contains(&b.id) {
            typing.push(b.id);
        }
    };
    let now = state.clock.unix();
    let bots_in_chat = &route.bots_in_chat;
    let user_count = route.user_count;

    // Commands.
    if !m.is_system {
        let mut per_app: BTreeMap<i64, Vec<(bots::Command, Bot, String)>> = BTreeMap::new();
        let mut for_v2: Vec<(bots::Command, Bot, String)> = Vec::new();
        for (named, params) in &route.commands {
            for (c, bot) in named {
                if m.author.is_extranet && !c.extranet_support {
                    continue;
                }
                let private_with_bot = m.chat.kind == ChatType::Private && m.partner.is_some_and(|p| p.id == bot.id);
                let bot_in_chat = bots_in_chat.iter().any(|b| b.id == bot.id);
                if !c.common && !private_with_bot && !bot_in_chat {
                    continue;
                }
                if bot.is_v2() {
                    // One ONIMBOTV2COMMANDADD per command of the message (docs/v2.md §5.1).
                    for_v2.push((c.clone(), bot.clone(), params.clone()));
                    continue;
                }
                let entries = per_app.entry(bot.app_id.0).or_default();
                entries.retain(|(e, _, _)| e.id != c.id);
                entries.push((c.clone(), bot.clone(), params.clone()));
            }
        }
        if !for_v2.is_empty() {
            let message = message_of(tx, m).await?;
            for (c, bot, params) in &for_v2 {
                bots::grant(tx, bot.id, m.chat.id, now + ANSWER_WINDOW_SECONDS).await?;
                let call = v2_call(c, params, imbot_wire::v2::enums::CommandContext::Textarea);
                v2::command(tx, state, bot, &call, m.chat, &message, m.author).await?;
            }
        }
        for (app_id, entries) in per_app {
            let Some((app, _)) = route.apps.get(&app_id) else { continue };
            let url = entries[0].0.handler_url.clone();
            // A command registered through v2 for a v1 bot has no handler of its own: nowhere to send it.
            if url.is_empty() {
                continue;
            }
            let mut commands = Map::new();
            for (c, bot, params) in &entries {
                commands.insert(
                    c.id.to_string(),
                    Value::Object(payload::command_entry(bot, c, params, CommandContext::Textarea, m.id)),
                );
                bots::grant(tx, bot.id, m.chat.id, now + ANSWER_WINDOW_SECONDS).await?;
                starts_typing(bot);
            }
            let mut data = Map::new();
            data.insert("COMMAND".into(), Value::Object(commands));
            let bot_ids: Vec<UserId> = bots_in_chat.iter().map(|b| b.id).collect();
            data.insert(
                "PARAMS".into(),
                Value::Object(payload::message_params(state, m, None, &bot_ids, true, user_count)),
            );
            data.insert("USER".into(), Value::Object(payload::user_short(m.author)));
            enqueue(tx, app, "ONIMCOMMANDADD", url, m.chat.id, data, m.author.id, true, now).await?;
        }
    }

    // Messages to bots.
    let (targets, v2_targets) = split_v2(targets_of(m, bots_in_chat, route.partner_bot.as_ref()));
    if !v2_targets.is_empty() {
        let message = message_of(tx, m).await?;
        for b in &v2_targets {
            v2::message(tx, state, b, imbot_wire::v2::events::BotEvent::MessageAdd, m.chat, &message, m.author).await?;
        }
    }
    for (app_id, list) in targets {
        let Some((app, handlers)) = route.apps.get(&app_id) else { continue };
        if handlers.message_add.is_empty() {
            continue;
        }
        let mut entries = Map::new();
        for b in &list {
            entries.insert(b.id.0.to_string(), Value::Object(payload::bot_entry(b)));
            starts_typing(b);
        }
        let mut data = Map::new();
        data.insert("BOT".into(), Value::Object(entries));
        let to = list.first().map(|b| b.id);
        let bot_ids: Vec<UserId> = bots_in_chat.iter().map(|b| b.id).collect();
        data.insert("PARAMS".into(), Value::Object(payload::message_params(state, m, to, &bot_ids, false, user_count)));
        data.insert("USER".into(), Value::Object(payload::user_full(m.author)));
        let url = handlers.message_add.clone();
        enqueue(tx, app, "ONIMBOTMESSAGEADD", url, m.chat.id, data, m.author.id, true, now).await?;
    }
    Ok(typing)
}

/// The stored message an event is about.
async fn message_of(tx: &mut Tx, m: &MessageFacts<'_>) -> Result<crate::store::messages::Message, Error> {
    crate::store::messages::get_tx(tx, m.id)
        .await?
        .ok_or_else(|| Error::Internal(format!("message {} of an event is gone", m.id.0)))
}

/// A command as ONIMBOTV2COMMANDADD carries it.
fn v2_call(
    c: &bots::Command,
    params: &str,
    context: imbot_wire::v2::enums::CommandContext,
) -> imbot_wire::v2::CommandCall {
    imbot_wire::v2::CommandCall {
        id: c.id,
        command: imbot_wire::v2::entities::slash(&c.command),
        params: params.to_owned(),
        context,
    }
}

/// Targets grouped by app, with the bots registered through v2 taken out (each gets its own v2 event).
fn split_v2(targets: BTreeMap<i64, Vec<Bot>>) -> (BTreeMap<i64, Vec<Bot>>, Vec<Bot>) {
    let mut v2 = Vec::new();
    let mut v1 = BTreeMap::new();
    for (app, list) in targets {
        let (new, old): (Vec<Bot>, Vec<Bot>) = list.into_iter().partition(Bot::is_v2);
        v2.extend(new);
        if !old.is_empty() {
            v1.insert(app, old);
        }
    }
    (v1, v2)
}

/// The bots a message concerns (SPEC-NOTES §5.12): the bot of a private dialog; in group chats the mentioned
/// member bots and every supervisor bot. Grouped by owning app.
async fn message_targets(
    tx: &mut Tx,
    m: &MessageFacts<'_>,
    bots_in_chat: &[Bot],
) -> Result<BTreeMap<i64, Vec<Bot>>, Error> {
    let partner_bot = match m.partner {
        Some(p) if p.is_bot && m.chat.kind == ChatType::Private => bots::get_tx(tx, p.id).await?,
        _ => None,
    };
    Ok(targets_of(m, bots_in_chat, partner_bot.as_ref()))
}

/// [`message_targets`] with the private dialog's bot at hand.
fn targets_of(m: &MessageFacts<'_>, bots_in_chat: &[Bot], partner_bot: Option<&Bot>) -> BTreeMap<i64, Vec<Bot>> {
    let targets: Vec<Bot> = match m.chat.kind {
        ChatType::Private => partner_bot.into_iter().cloned().collect(),
        _ => {
            let mentioned = mentions(m.text);
            bots_in_chat
                .iter()
                .filter(|b| b.kind == BotType::Supervisor || mentioned.contains(&b.id.0))
                .cloned()
                .collect()
        }
    };
    let mut per_app: BTreeMap<i64, Vec<Bot>> = BTreeMap::new();
    for b in targets {
        per_app.entry(b.app_id.0).or_default().push(b);
    }
    per_app
}

/// `ONIMBOTMESSAGEUPDATE` / `ONIMBOTMESSAGEDELETE` for a human's message that was edited or deleted, to the
/// apps whose bots it concerns and that bound the handler.
pub async fn message_changed(tx: &mut Tx, state: &AppState, m: &MessageFacts<'_>, deleted: bool) -> Result<(), Error> {
    if m.author.is_bot || m.author.id.0 == 0 {
        return Ok(());
    }
    let now = state.clock.unix();
    let bots_in_chat = bots::in_chat_tx(tx, m.chat.id).await?;
    let user_count = bots::member_count_tx(tx, m.chat.id).await?;
    let event = if deleted { "ONIMBOTMESSAGEDELETE" } else { "ONIMBOTMESSAGEUPDATE" };
    let (targets, v2_targets) = split_v2(message_targets(tx, m, &bots_in_chat).await?);
    for b in &v2_targets {
        if deleted {
            v2::message_deleted(tx, state, b, m.chat, m.id.0, m.author).await?;
        } else {
            let message = message_of(tx, m).await?;
            v2::message(tx, state, b, imbot_wire::v2::events::BotEvent::MessageUpdate, m.chat, &message, m.author)
                .await?;
        }
    }
    for (app_id, list) in targets {
        let handlers = bots::handlers_tx(tx, AppId(app_id)).await?;
        let url = if deleted { handlers.message_delete } else { handlers.message_update };
        if url.is_empty() {
            continue;
        }
        let Some(app) = app_of(tx, AppId(app_id)).await? else { continue };
        let mut entries = Map::new();
        for b in &list {
            entries.insert(b.id.0.to_string(), Value::Object(payload::bot_entry(b)));
        }
        let mut data = Map::new();
        data.insert("BOT".into(), Value::Object(entries));
        data.insert(
            "PARAMS".into(),
            Value::Object(payload::change_params(state, m, list.first().map(|b| b.id), deleted, user_count)),
        );
        // `USER` comes from `FROM_USER_ID`, which only private-dialog changes carry: the documented group
        // examples have no `USER`.
        if m.chat.kind == ChatType::Private {
            data.insert("USER".into(), Value::Object(payload::user_full(m.author)));
        }
        enqueue(tx, &app, event, url, m.chat.id, data, m.author.id, true, now).await?;
    }
    Ok(())
}

/// A command run "in the context of a message" (`im.message.command`: a keyboard button or menu item).
#[allow(clippy::too_many_arguments)]
pub async fn command_in_context(
    tx: &mut Tx,
    state: &AppState,
    m: &MessageFacts<'_>,
    invoker: &User,
    bot: &Bot,
    command: &bots::Command,
    params: &str,
    context: CommandContext,
) -> Result<(), Error> {
    let now = state.clock.unix();
    if bot.is_v2() {
        bots::grant(tx, bot.id, m.chat.id, now + ANSWER_WINDOW_SECONDS).await?;
        let context = match context {
            CommandContext::Textarea => imbot_wire::v2::enums::CommandContext::Textarea,
            CommandContext::Keyboard => imbot_wire::v2::enums::CommandContext::Keyboard,
            CommandContext::Menu => imbot_wire::v2::enums::CommandContext::Menu,
        };
        let message = message_of(tx, m).await?;
        return v2::command(tx, state, bot, &v2_call(command, params, context), m.chat, &message, invoker).await;
    }
    let Some(app) = app_of(tx, bot.app_id).await? else { return Ok(()) };
    let mut commands = Map::new();
    commands.insert(command.id.to_string(), Value::Object(payload::command_entry(bot, command, params, context, m.id)));
    bots::grant(tx, bot.id, m.chat.id, now + ANSWER_WINDOW_SECONDS).await?;
    let bots_in_chat: Vec<UserId> = bots::in_chat_tx(tx, m.chat.id).await?.iter().map(|b| b.id).collect();
    let mut data = Map::new();
    data.insert("COMMAND".into(), Value::Object(commands));
    let facts = MessageFacts { author: invoker, ..*m };
    let mut params_map = payload::message_params(
        state,
        &facts,
        Some(bot.id),
        &bots_in_chat,
        true,
        bots::member_count_tx(tx, m.chat.id).await?,
    );
    params_map.insert("COMMAND_CONTEXT".into(), Value::String(context.as_str().into()));
    data.insert("PARAMS".into(), Value::Object(params_map));
    data.insert("USER".into(), Value::Object(payload::user_short(invoker)));
    enqueue(tx, &app, "ONIMCOMMANDADD", command.handler_url.clone(), m.chat.id, data, invoker.id, true, now).await?;
    Ok(())
}

/// `ONIMBOTJOINCHAT` for `bot` joining `chat` (added by `by`, or a private dialog `by` opened with it).
pub async fn bot_joined(tx: &mut Tx, state: &AppState, chat: &Chat, bot: &Bot, by: &User) -> Result<(), Error> {
    if bot.is_v2() {
        return v2::joined(tx, state, bot, chat, by).await;
    }
    let handlers = bots::handlers_tx(tx, bot.app_id).await?;
    if handlers.welcome_message.is_empty() {
        return Ok(());
    }
    let Some(app) = app_of(tx, bot.app_id).await? else { return Ok(()) };
    let member = chats::member_tx(tx, chat.id, bot.id).await?;
    let mut entries = Map::new();
    entries.insert(bot.id.0.to_string(), Value::Object(payload::bot_entry(bot)));
    let mut data = Map::new();
    data.insert("BOT".into(), Value::Object(entries));
    data.insert(
        "PARAMS".into(),
        Value::Object(payload::join_params(state, chat, bot, by, member.map(|m| m.start_id.0 == 0).unwrap_or(true))),
    );
    data.insert("USER".into(), Value::Object(payload::user_short_with_position(by)));
    enqueue(tx, &app, "ONIMBOTJOINCHAT", handlers.welcome_message, chat.id, data, by.id, false, state.clock.unix())
        .await
}

/// `ONIMBOTDELETE` to the bot's app; `auth` holds the tokens of `by`, the user whose call deleted it (doc example).
pub async fn bot_deleted(tx: &mut Tx, state: &AppState, bot: &Bot, by: UserId) -> Result<(), Error> {
    if bot.is_v2() {
        return v2::deleted(tx, state, bot).await;
    }
    let handlers = bots::handlers_tx(tx, bot.app_id).await?;
    if handlers.bot_delete.is_empty() {
        return Ok(());
    }
    let Some(app) = app_of(tx, bot.app_id).await? else { return Ok(()) };
    let mut data = Map::new();
    data.insert("BOT_ID".into(), Value::String(bot.id.0.to_string()));
    data.insert("BOT_CODE".into(), Value::String(bot.code.clone()));
    enqueue(tx, &app, "ONIMBOTDELETE", handlers.bot_delete, ChatId(0), data, by, false, state.clock.unix()).await
}

#[allow(clippy::too_many_arguments)]
async fn enqueue(
    tx: &mut Tx,
    app: &apps::App,
    event: &'static str,
    url: String,
    chat: ChatId,
    data: Map<String, Value>,
    auth_user: UserId,
    with_refresh: bool,
    now: i64,
) -> Result<(), Error> {
    let e = NewEvent {
        app_id: app.id,
        event,
        fifo_key: fifo_key(&url, chat),
        handler_url: url,
        data,
        auth_user,
        with_refresh,
        handler_id: None,
    };
    outbox::enqueue(tx, &e, now).await?;
    Ok(())
}

/// `ONAPPINSTALL` to an app's handler, sent when a local app with a handler URL is installed: the first
/// time the app learns its `application_token` (SPEC-NOTES §2.1). `installer` is the installing user.
pub async fn app_installed(tx: &mut Tx, state: &AppState, app: &apps::App, installer: UserId) -> Result<(), Error> {
    if app.handler_url.is_empty() {
        return Ok(());
    }
    let mut data = Map::new();
    data.insert("VERSION".into(), Value::String(app.version.to_string()));
    data.insert("ACTIVE".into(), Value::String("Y".into()));
    data.insert("INSTALLED".into(), Value::String("Y".into()));
    data.insert("LANGUAGE_ID".into(), Value::String(state.default_language().into()));
    enqueue(tx, app, "ONAPPINSTALL", app.handler_url.clone(), ChatId(0), data, installer, true, state.clock.unix())
        .await
}
