//! `imbot.v2.Chat.TextField.enabled` — switch a dialog's input field off (`enabled: false`: users answer with
//! keyboard buttons) or on; any participant bot, private dialogs included; `{"result": true}` (docs/v2.md
//! §3.5). The state shows as `chat.textFieldEnabled` (`"Y"`/`"N"`) in every Chat object.

use super::{bot_call, bot_chat, obj, v2_spec};
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, Output};
use imbot_wire::v2::requests::TextFieldEnabled;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.textfield.enabled", "imbot.v2__ui__chat-text-field-enabled", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = TextFieldEnabled::parse(&obj(&p))?;
    let bc = bot_chat(ctx, &c, r.dialog_id).await?;
    messenger::set_text_field(&ctx.state, &c.me, bc.chat.id, r.enabled).await?;
    Ok(imbot_wire::v2::results::ok().into())
}
