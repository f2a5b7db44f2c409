//! `imbot.v2.Chat.add` — a group chat created by the bot, with `fields.userIds` as participants, owned by the bot
//! or by `fields.ownerId` (a participant then: the bot stays, as a manager); `{chat, users}` (docs/v2.md §3.2).
//! Unknown or inactive users are skipped; an unknown colour is assigned automatically; the avatar is checked
//! as an image and not kept (chats show no avatar yet).

use super::{bot_call, chat_entity, obj, users_of, v2_spec};
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger::render::v1_color_name;
use crate::messenger::{self, ChatChange, ChatSpec};
use crate::methods::{CallCtx, Output};
use crate::store::chats;
use imbot_wire::v2::requests::ChatAdd;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.add", "imbot.v2__chats__chat-add", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = ChatAdd::parse(&obj(&p))?;
    let state = &ctx.state;
    let mut users: Vec<UserId> = r.user_ids.iter().map(|u| UserId(*u)).collect();
    let owner = r.owner_id.map(UserId).filter(|o| *o != c.bot.id);
    if let Some(o) = owner {
        if !users.contains(&o) {
            users.push(o);
        }
    }
    let spec = ChatSpec {
        open: false,
        title: r.title,
        description: r.description.unwrap_or_default(),
        color: r.color.map(|c| v1_color_name(c).to_owned()).unwrap_or_default(),
        users,
        message: r.message,
        entity_type: String::new(),
        entity_id: String::new(),
    };
    let chat_id = messenger::create_chat(state, &c.me, spec).await?;
    if let Some(o) = owner {
        // Only to a participant (an unknown or inactive owner was skipped with the other users).
        if chats::member(&state.store, chat_id, o).await?.is_some() {
            messenger::change_chat(state, &c.me, chat_id, ChatChange::Owner(o)).await?;
        }
    }
    let chat =
        chats::get(&state.store, chat_id).await?.ok_or_else(|| Error::Internal(format!("chat {chat_id} vanished")))?;
    let entity = chat_entity(ctx, &chat, c.bot.id, true).await?;
    let members: Vec<UserId> = chats::members(&state.store, chat_id).await?.into_iter().map(|m| m.user_id).collect();
    let users = users_of(ctx, &members).await?;
    Ok(imbot_wire::v2::results::chat_add(&entity, &users).into())
}
