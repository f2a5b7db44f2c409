//! `imbotd dev …`: developer tools. `dev seed` fills a chat with many messages (for history benchmarks).

use super::GlobalArgs;
use crate::domain::{ChatId, Clock, UserId};
use crate::messenger::{self, ChatSpec};
use crate::store::{chats, messages, users, Store};
use clap::Subcommand;
use std::sync::Arc;

#[derive(Debug, Subcommand)]
pub enum DevCmd {
    /// Fill a chat with messages; prints the chat id. Creates a chat (and users) unless --chat is given.
    Seed {
        /// How many messages to add.
        #[arg(long)]
        messages: u64,
        /// An existing group chat to fill (its members take turns as authors).
        #[arg(long)]
        chat: Option<i64>,
        /// Members of a new chat (besides the admin); created as "Seed User N".
        #[arg(long, default_value_t = 3)]
        users: u32,
        /// Messages per transaction.
        #[arg(long, default_value_t = 10_000)]
        batch: u64,
    },
}

pub async fn dev(global: &GlobalArgs, cmd: DevCmd) -> Result<(), Box<dyn std::error::Error>> {
    let config = global.load(None)?;
    std::fs::create_dir_all(&config.data_dir)?;
    let clock = Clock::system();
    let store = Store::open(&config.effective_database_url(), clock.unix()).await?;
    match cmd {
        DevCmd::Seed { messages: count, chat, users: n_users, batch } => {
            let chat_id = match chat {
                Some(id) => {
                    let c = chats::get(&store, ChatId(id)).await?.ok_or_else(|| format!("no chat with ID {id}"))?;
                    c.id
                }
                None => {
                    let mut ids = Vec::new();
                    for i in 1..=n_users {
                        let u = users::NewUser {
                            name: "Seed".into(),
                            last_name: format!("User {i}"),
                            language_id: "en".into(),
                            ..Default::default()
                        };
                        ids.push(crate::directory::add_user(&store, &u, config.timezone, clock.unix()).await?);
                    }
                    let state = crate::app::AppState::offline(config.clone(), store.clone(), clock.clone()).await?;
                    let state = Arc::new(state);
                    let admin = messenger::active_user(&state, UserId(1)).await.map_err(|e| e.to_api().to_string())?;
                    let spec = ChatSpec { title: Some("Seed chat".into()), users: ids, ..Default::default() };
                    messenger::create_chat(&state, &admin, spec).await.map_err(|e| e.to_api().to_string())?
                }
            };
            let authors: Vec<UserId> = chats::members(&store, chat_id).await?.into_iter().map(|m| m.user_id).collect();
            if authors.is_empty() {
                return Err("the chat has no members to post as".into());
            }
            let started = std::time::Instant::now();
            messages::bulk_insert(&store, chat_id, &authors, count, batch.max(1), clock.unix()).await?;
            eprintln!(
                "imbotd: seeded {count} messages into chat {chat_id} in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            println!("{chat_id}");
        }
    }
    store.close().await;
    Ok(())
}
