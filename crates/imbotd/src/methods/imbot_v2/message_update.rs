//! `imbot.v2.Chat.Message.update` — change the bot's own message (text, ATTACH, KEYBOARD, link previews);
//! `{"result": true}` (docs/v2.md §3.3). A message that is not the bot's (or a system message) is
//! `ACCESS_DENIED`; an empty text deletes the message, as in v1.

use super::message_send::as_denied;
use super::{bot_call, denied, obj, v2_spec};
use crate::domain::MessageId;
use crate::error::Error;
use crate::messenger::{self, Edit};
use crate::methods::{CallCtx, Output};
use crate::store::messages;
use imbot_wire::rich::Field;
use imbot_wire::v2::requests::MessageUpdate;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.message.update", "imbot.v2__messages__chat-message-update", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let u = MessageUpdate::parse(&obj(&p), c.bot.id.0)?;
    let m =
        messages::get(&ctx.state.store, MessageId(u.message_id)).await?.filter(|m| !m.deleted).ok_or_else(denied)?;
    if m.author_id != c.bot.id || m.is_system {
        return Err(Error::api(
            imbot_wire::v2::errors::ACCESS_DENIED,
            "Message does not belong to the bot or does not exist",
        ));
    }
    let mut params = Vec::new();
    match u.attach {
        Field::Absent => {}
        Field::Clear => params.push(("ATTACH".to_owned(), None)),
        Field::Set(a) => params.push(("ATTACH".to_owned(), Some(a.to_value()))),
    }
    match u.keyboard {
        Field::Absent => {}
        Field::Clear => params.push(("KEYBOARD".to_owned(), None)),
        Field::Set(k) => params.push(("KEYBOARD".to_owned(), Some(k.to_value()))),
    }
    let edit = Edit { text: u.message, params, url_preview: u.url_preview, mark_edited: false };
    messenger::edit(&ctx.state, &c.me, m.id, edit).await.map_err(as_denied)?;
    Ok(imbot_wire::v2::results::ok().into())
}
