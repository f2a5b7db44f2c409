//! `imbot.v2.Chat.Message.send` — a message of the bot into a dialog it takes part in; `{id, uuidMap}`
//! (docs/v2.md §3.3). `fields.forwardIds` (`{uuid: messageId}`, ≤ 100, from chats the bot is in) posts a copy
//! of each message after it, and `uuidMap` maps each uuid to its copy.

use super::{bot_call, denied, obj, v2_spec};
use crate::domain::MessageId;
use crate::error::Error;
use crate::messenger::{self, Post};
use crate::methods::{CallCtx, Output};
use crate::store::{chats, messages};
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::{MessageContent, MessageSend};
use imbot_wire::Params;
use serde_json::Map;

v2_spec!("imbot.v2.chat.message.send", "imbot.v2__messages__chat-message-send", call);

/// A v2 message body as the messenger posts it (ATTACH and KEYBOARD in the v1 stored shape).
pub fn post_of(c: &MessageContent) -> Post {
    let mut params = Map::new();
    if let Some(a) = &c.attach {
        params.insert("ATTACH".into(), a.to_value());
    }
    if let Some(k) = &c.keyboard {
        params.insert("KEYBOARD".into(), k.to_value());
    }
    Post {
        text: c.message.clone().unwrap_or_default(),
        params,
        is_system: c.system,
        url_preview: c.url_preview,
        reply_id: None,
        uuid: None,
    }
}

/// The messenger's refusals (not a member, no right to post, no such dialog) are `ACCESS_DENIED` in v2.
pub fn as_denied(e: Error) -> Error {
    match e {
        Error::Api(a) if a.status == 403 || a.status == 400 => {
            Error::api(errors::ACCESS_DENIED, format!("Access denied: {}", a.description))
        }
        other => other,
    }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = MessageSend::parse(&obj(&p), c.bot.id.0)?;
    let state = &ctx.state;
    // Forwarded messages must come from chats the bot is in.
    let mut forwards = Vec::new();
    for (uuid, id) in &r.forward_ids {
        let m = messages::get(&state.store, MessageId(*id)).await?.filter(|m| !m.deleted).ok_or_else(denied)?;
        let member = chats::member(&state.store, m.chat_id, c.bot.id).await?;
        if member.is_none_or(|mem| m.id < mem.start_id) {
            return Err(Error::api(
                imbot_wire::ErrorCode::ERROR_ARGUMENT,
                format!("Message {id} of fields.forwardIds is not in a chat of the bot"),
            ));
        }
        forwards.push((uuid.clone(), m));
    }
    let mut first = None;
    if r.content.message.is_some() || r.content.attach.is_some() {
        let mut post = post_of(&r.content);
        post.reply_id = r.reply_id.map(MessageId);
        post.uuid = r.template_id.clone();
        let (_, id) = messenger::post(state, &c.me, r.dialog_id, post).await.map_err(as_denied)?;
        first = Some(id.0);
    }
    let mut uuid_map = Vec::new();
    for (uuid, m) in forwards {
        let copy = Post {
            text: m.text.clone(),
            params: m.params.clone(),
            is_system: false,
            url_preview: m.url_preview,
            reply_id: None,
            uuid: Some(uuid.clone()),
        };
        let (_, id) = messenger::post(state, &c.me, r.dialog_id, copy).await.map_err(as_denied)?;
        first.get_or_insert(id.0);
        uuid_map.push((uuid, id.0));
    }
    let id = first.ok_or(errors::SENDING_FAILED)?;
    Ok(imbot_wire::v2::results::message_send(id, &uuid_map).into())
}
