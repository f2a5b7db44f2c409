//! What the `imbot.chat.*` methods share: the acting bot and its user, resolved once, and the error the
//! removal methods answer for whatever `CIMChat::DeleteUser` refuses.

use super::{bot, bot_user, owner};
use crate::error::Error;
use crate::methods::CallCtx;
use crate::store::bots::Bot;
use crate::store::users::User;
use imbot_wire::{ErrorCode, Params};

/// The bot a chat method acts as (`BOT_ID`, or the app's first bot) and its user.
pub async fn acting(ctx: &CallCtx, p: &Params) -> Result<(Bot, User), Error> {
    let app = owner(ctx, p).await?;
    let b = bot(ctx, p, &app, false).await?;
    let u = bot_user(ctx, &b).await?;
    Ok((b, u))
}

/// `messenger::remove_user`'s refusals (no such group chat, actor not a member or without the right, target
/// not a member) as the imbot pages list them: `400 WRONG_REQUEST` with `text`. Other errors pass through.
pub fn removal_refused(e: Error, text: &str) -> Error {
    match &e {
        Error::Api(a)
            if matches!(
                a.code.as_ref(),
                "CHAT_ID_EMPTY" | "ACCESS_ERROR" | "ACCESS_DENIED_KICK" | "USER_NOT_FOUND"
            ) =>
        {
            Error::api(ErrorCode::WRONG_REQUEST, text.to_owned())
        }
        _ => e,
    }
}
