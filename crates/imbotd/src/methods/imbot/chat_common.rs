//! What the `imbot.chat.*` methods share: the acting bot and its user, resolved once.

use super::{bot, bot_user, owner};
use crate::error::Error;
use crate::methods::CallCtx;
use crate::store::bots::Bot;
use crate::store::users::User;
use imbot_wire::Params;

/// The bot a chat method acts as (`BOT_ID`, or the app's first bot) and its user.
pub async fn acting(ctx: &CallCtx, p: &Params) -> Result<(Bot, User), Error> {
    let app = owner(ctx, p).await?;
    let b = bot(ctx, p, &app, false).await?;
    let u = bot_user(ctx, &b).await?;
    Ok((b, u))
}
