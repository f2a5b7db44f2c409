//! `imbot.v2.Chat.Message.read` — the bot reads a dialog up to and including `messageId` (everything without
//! it); `{chatId, lastId, counter, viewedMessages}` (docs/v2.md §3.3): the new read mark, what stays unread, and
//! the ids newly marked read (at most 1000, oldest first). A `messageId` not in that dialog is
//! `MESSAGE_NOT_FOUND`.

use super::{bot_call, bot_chat, obj, v2_spec};
use crate::domain::MessageId;
use crate::error::Error;
use crate::messenger::{self, DialogView};
use crate::methods::{CallCtx, Output};
use crate::store::messages::{self, Page};
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::MessageRead;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.message.read", "imbot.v2__messages__chat-message-read", call);

/// The most ids `viewedMessages` lists.
const MAX_VIEWED: i64 = 1000;

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = MessageRead::parse(&obj(&p))?;
    let bc = bot_chat(ctx, &c, r.dialog_id).await?;
    let store = &ctx.state.store;
    if let Some(id) = r.message_id {
        let m = messages::get(store, MessageId(id)).await?;
        if !m.is_some_and(|m| m.chat_id == bc.chat.id && m.id >= bc.member.start_id) {
            return Err(Error::api(errors::MESSAGE_NOT_FOUND, format!("Message {id} is not in this dialog")));
        }
    }
    let before = bc.member.last_read_id;
    let chat_id = bc.chat.id;
    let view = DialogView { dialog: r.dialog_id, chat: Some(bc.chat), member: Some(bc.member), partner: None };
    let (mark, counter) = messenger::read(&ctx.state, &c.me, &view, r.message_id.map(MessageId)).await?;
    let viewed: Vec<i64> = if mark > before {
        messages::page(store, chat_id, MessageId(before.0 + 1), Page::After(before), MAX_VIEWED)
            .await?
            .into_iter()
            .filter(|m| m.id <= mark)
            .map(|m| m.id.0)
            .collect()
    } else {
        Vec::new()
    };
    Ok(imbot_wire::v2::results::message_read(chat_id.0, mark.0, counter, &viewed).into())
}
