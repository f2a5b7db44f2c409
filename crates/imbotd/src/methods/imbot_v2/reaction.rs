//! `imbot.v2.Chat.Message.Reaction.add` / `.delete` — the bot's reaction on a message of a chat it is in (one of
//! the 48 codes, exact case: `REACTION_NOT_FOUND` otherwise); `{"result": true}` (docs/v2.md §3.3). Adding one
//! already set is `REACTION_ALREADY_SET`; deleting one not set is `true`. `like` is v1's like (`params.LIKE`).
//! A v2 bot whose `isReactionsEnabled` is off takes no reactions on its messages (`ACCESS_DENIED`, §9 B16).

use super::{bot_call, obj, BotCall};
use crate::domain::MessageId;
use crate::error::Error;
use crate::messenger::{self, LikeAction};
use crate::methods::{CallCtx, Output};
use crate::store::{bots, chats, messages};
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::ReactionRequest;
use imbot_wire::Params;

super::v2_variant!(
    mod add("imbot.v2.chat.message.reaction.add", "imbot.v2__messages__chat-message-reaction-add")
    |ctx, p| super::set(ctx, p, true)
);

super::v2_variant!(
    mod delete("imbot.v2.chat.message.reaction.delete", "imbot.v2__messages__chat-message-reaction-delete")
    |ctx, p| super::set(ctx, p, false)
);

async fn set(ctx: &CallCtx, p: Params, on: bool) -> Result<Output, Error> {
    let c: BotCall = bot_call(ctx, &obj(&p)).await?;
    let r = ReactionRequest::parse(&obj(&p))?;
    let store = &ctx.state.store;
    let denied = || Error::api(errors::ACCESS_DENIED, "The bot is not a participant in the chat with this message");
    let m = messages::get(store, MessageId(r.message_id)).await?.filter(|m| !m.deleted).ok_or_else(denied)?;
    let member = chats::member(store, m.chat_id, c.bot.id).await?;
    if member.is_none_or(|mem| m.id < mem.start_id) {
        return Err(denied());
    }
    let code = r.reaction.as_str();
    let set = messages::has_reaction(store, m.id, c.bot.id, code).await?;
    if on && set {
        return Err(Error::api(errors::REACTION_ALREADY_SET, format!("Reaction {code} is already set")));
    }
    if on && bots::get(store, m.author_id).await?.is_some_and(|b| b.is_v2() && !b.v2.reactions_enabled) {
        return Err(Error::api(errors::ACCESS_DENIED, "Reactions are disabled for this bot's messages"));
    }
    let action = if on { LikeAction::Plus } else { LikeAction::Minus };
    messenger::react_on(&ctx.state, &c.me, &m, r.reaction, action).await?;
    Ok(imbot_wire::v2::results::ok().into())
}
