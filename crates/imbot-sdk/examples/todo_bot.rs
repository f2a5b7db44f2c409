//! A to-do bot: `/add X`, `/list`, `/done N`, with keyboards and a context menu, in a group chat it creates.
//!
//! On start it registers the bot and its three commands, and creates (once: it finds it again by entity) a
//! group chat "Team to-do" with the users in `IMBOT_TODO_USERS`. Each dialog has its own list, kept in memory.
//! Every answer is an `imbot.command.answer`:
//! * `/add X` adds a task and offers a "Show the list" button;
//! * `/list` shows the list as an ATTACH grid, a "Done #N" button per open task, and a context menu with
//!   "Refresh" (the `list` command) and "Add a task" (puts `/add ` into the input field);
//! * `/done N` (typed, or the button) marks task N done.
//!
//! ```text
//! cargo run -p imbot-sdk --example todo_bot -- http://127.0.0.1:8080/rest/1/yourwebhookcode/
//! ```
//!
//! Environment as for `echo_bot` (`IMBOT_WEBHOOK`, `IMBOT_CLIENT_ID` default `todo_bot`, `IMBOT_LISTEN` default
//! `127.0.0.1:8091`, `IMBOT_HANDLER_URL`), plus `IMBOT_TODO_USERS`: comma-separated user ids for the chat
//! (default `1`).

use imbot_sdk::events::CommandEntry;
use imbot_sdk::methods::NewChat;
use imbot_sdk::methods::bots::{
    BotMessage, CommandAnswer, CommandFields, RegisterBot, RegisterCommand, UpdateBotFields,
};
use imbot_sdk::receiver::{Receiver, ReceiverConfig, router};
use imbot_sdk::rich::attach::GridItem;
use imbot_sdk::rich::{Attach, Button, ButtonDisplay, ColorToken, Keyboard, Menu, MenuItem};
use imbot_sdk::{Client, DialogId, Event, LocalLimit};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
struct Task {
    text: String,
    done: bool,
}

/// Lists per dialog (`chat5`, `27`): the bot's whole state, owned by the handler.
type Lists = Arc<Mutex<HashMap<String, Vec<Task>>>>;

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The answer to one command: text, and optionally ATTACH, KEYBOARD, MENU.
struct Reply {
    text: String,
    attach: Option<serde_json::Value>,
    keyboard: Option<serde_json::Value>,
    menu: Option<serde_json::Value>,
}

fn list_reply(tasks: &[Task], bot: i64) -> imbot_sdk::Result<Reply> {
    let menu = Menu::for_bot(bot)
        .item(MenuItem::command("Refresh", "list", ""))
        .item(MenuItem::put("Add a task", "/add "))
        .build()?;
    if tasks.is_empty() {
        let keyboard = Keyboard::new().button(Button::put("Add a task", "/add ")).build()?;
        return Ok(Reply {
            text: "The list is empty.".into(),
            attach: None,
            keyboard: Some(keyboard),
            menu: Some(menu),
        });
    }
    let grid = tasks.iter().enumerate().map(|(i, t)| {
        let item =
            GridItem::row(format!("#{}", i + 1), if t.done { format!("[S]{}[/S]", t.text) } else { t.text.clone() });
        if t.done { item.color_token(ColorToken::Secondary) } else { item }
    });
    let open = tasks.iter().filter(|t| !t.done).count();
    let attach =
        Attach::new().color_token(ColorToken::Primary).message(format!("[B]{open} open[/B]")).grid(grid).build()?;
    let mut keyboard = Keyboard::for_bot(bot);
    for (i, _) in tasks.iter().enumerate().filter(|(_, t)| !t.done) {
        keyboard = keyboard.button(
            Button::command(format!("Done #{}", i + 1), "done", (i + 1).to_string()).display(ButtonDisplay::Line),
        );
    }
    let keyboard = if keyboard.is_empty() { None } else { Some(keyboard.build()?) };
    Ok(Reply { text: format!("{} tasks", tasks.len()), attach: Some(attach), keyboard, menu: Some(menu) })
}

fn reply_to(lists: &Lists, dialog: &str, cmd: &CommandEntry) -> imbot_sdk::Result<Reply> {
    let mut lists = lists.lock().expect("lists");
    let tasks = lists.entry(dialog.to_owned()).or_default();
    let bot = cmd.bot_id;
    match cmd.command.as_str() {
        "add" if !cmd.params.trim().is_empty() => {
            tasks.push(Task { text: cmd.params.trim().to_owned(), done: false });
            let keyboard = Keyboard::for_bot(bot).button(Button::command("Show the list", "list", "")).build()?;
            Ok(Reply {
                text: format!("Added #{}: {}", tasks.len(), cmd.params.trim()),
                attach: None,
                keyboard: Some(keyboard),
                menu: None,
            })
        }
        "add" => Ok(Reply {
            text: "What should I add? [B]/add buy milk[/B]".into(),
            attach: None,
            keyboard: None,
            menu: None,
        }),
        "done" => {
            let n: usize = cmd.params.trim().trim_start_matches('#').parse().unwrap_or(0);
            let Some(task) = n.checked_sub(1).and_then(|i| tasks.get_mut(i)) else {
                let text = format!("There is no task #{}.", cmd.params.trim());
                return Ok(Reply { text, attach: None, keyboard: None, menu: None });
            };
            task.done = true;
            let text = format!("Done: {}", task.text);
            Ok(Reply { text, ..list_reply(tasks, bot)? })
        }
        _ => list_reply(tasks, bot),
    }
}

async fn handle(lists: Lists, event: Event, client: Client) -> imbot_sdk::Result<()> {
    match event {
        Event::CommandAdd(c) => {
            let dialog = c.params.reply_to().map(|d| d.to_string()).unwrap_or_default();
            for cmd in &c.commands {
                let r = reply_to(&lists, &dialog, cmd)?;
                let answer = CommandAnswer {
                    attach: r.attach,
                    keyboard: r.keyboard,
                    menu: r.menu,
                    ..CommandAnswer::new(cmd.command_id, cmd.message_id, r.text)
                };
                client.imbot_command_answer(&answer).await?;
            }
        }
        Event::JoinChat(j) => {
            if let (Some(bot), Some(dialog)) = (j.bots.first(), j.dialog_id) {
                let keyboard = Keyboard::new().button(Button::put("Add a task", "/add ")).build()?;
                let hello = BotMessage {
                    bot_id: Some(bot.bot_id),
                    keyboard: Some(keyboard),
                    ..BotMessage::new(dialog, "I keep a to-do list: [B]/add[/B], [B]/list[/B], [B]/done N[/B].")
                };
                client.imbot_message_add(&hello).await?;
            }
        }
        _ => {}
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::new("imbot_sdk=info")).init();
    let webhook = std::env::args()
        .nth(1)
        .or_else(|| env("IMBOT_WEBHOOK"))
        .ok_or("give the webhook URL as the first argument or in IMBOT_WEBHOOK")?;
    let client_id = env("IMBOT_CLIENT_ID").unwrap_or_else(|| "todo_bot".into());
    let listen = env("IMBOT_LISTEN").unwrap_or_else(|| "127.0.0.1:8091".into());
    let users: Vec<i64> = env("IMBOT_TODO_USERS")
        .unwrap_or_else(|| "1".into())
        .split(',')
        .filter_map(|u| u.trim().parse().ok())
        .collect();

    let client = Client::webhook(webhook).client_id(&client_id).local_limit(LocalLimit::BITRIX).build()?;
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    let handler = env("IMBOT_HANDLER_URL").unwrap_or_else(|| format!("http://{}/", listener.local_addr().unwrap()));

    // Serve first, so events that follow registration (the chat's ONIMBOTJOINCHAT) are received.
    let lists: Lists = Arc::default();
    let receiver = Receiver::new(ReceiverConfig::new().application_token(client_id));
    let app = router(receiver, client.clone(), move |event, client| handle(lists.clone(), event, client));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let mut reg = RegisterBot::new("todo_bot", "To-do", &handler);
    reg.properties.color = Some("LIME".into());
    let bot = client.imbot_register(&reg).await?;
    // An existing bot keeps its old handlers on register: point them (and the commands') at this address.
    let handlers = UpdateBotFields {
        event_message_add: reg.event_message_add.clone(),
        event_welcome_message: reg.event_welcome_message.clone(),
        event_bot_delete: reg.event_bot_delete.clone(),
        ..Default::default()
    };
    client.imbot_update(bot, &handlers).await?;
    for (command, title, params) in
        [("add", "Add a task", "text"), ("list", "Show the list", ""), ("done", "Mark a task done", "number")]
    {
        let id = client
            .imbot_command_register(&RegisterCommand::new(bot, command, &handler).title("en", title, params))
            .await?;
        let fields = CommandFields { event_command_add: Some(handler.clone()), ..Default::default() };
        client.imbot_command_update(id, &fields).await?;
    }
    let chat = match client.imbot_chat_get("TODO_BOT", "team").await? {
        Some(chat) => chat,
        None => {
            let chat = NewChat {
                users,
                description: Some("Tasks of the team, kept by the to-do bot".into()),
                entity_type: Some("TODO_BOT".into()),
                entity_id: Some("team".into()),
                ..NewChat::titled("Team to-do")
            };
            client.imbot_chat_add(Some(bot), &chat).await?
        }
    };
    let intro = BotMessage {
        bot_id: Some(bot),
        ..BotMessage::new(DialogId::Chat(chat), "Ready: try [B]/add write the report[/B]")
    };
    client.imbot_message_add(&intro).await?;
    println!("to-do bot {bot} is up in chat{chat}; events go to {handler}; Ctrl-C stops it");

    tokio::select! {
        r = server => r??,
        r = tokio::signal::ctrl_c() => r?,
    }
    Ok(())
}
