//! `imbot.v2.Chat.update` — title, description, colour and avatar of a group chat in one call, with the chat's
//! `manage_ui` right; `{"result": true}` (docs/v2.md §3.2). An empty `fields` changes nothing (§9 C14). The avatar
//! must be an image (then it is accepted and not kept: chats show no avatar yet).

use super::{bot_call, bot_group_chat, check_avatar, obj, refused, v2_spec};
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, Output};
use imbot_wire::v2::requests::ChatUpdate;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.update", "imbot.v2__chats__chat-update", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = ChatUpdate::parse(&obj(&p))?;
    let bc = bot_group_chat(ctx, &c, r.dialog_id).await?;
    if r.is_empty() {
        return Ok(imbot_wire::v2::results::ok().into());
    }
    if let Some(a) = &r.avatar {
        check_avatar(a).map_err(|_| {
            Error::api(
                imbot_wire::ErrorCode::ERROR_ARGUMENT,
                "fields.avatar must be a Base64 image of at most 5000×5000",
            )
        })?;
    }
    let color = r.color.map(crate::messenger::render::v1_color_name);
    messenger::update_look(&ctx.state, &c.me, bc.chat.id, r.title.as_deref(), r.description.as_deref(), color)
        .await
        .map_err(refused)?;
    Ok(imbot_wire::v2::results::ok().into())
}
