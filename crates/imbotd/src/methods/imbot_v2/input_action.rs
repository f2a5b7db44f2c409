//! `imbot.v2.Chat.InputAction.notify` — the bot's "typing…" (or another `IMBOT_AGENT_ACTION_*` status) in a
//! dialog it takes part in; `{"result": true}` (docs/v2.md §3.5). The live views (web chat, other instances)
//! show the indicator; the status code and duration are accepted and validated (unknown code → typing,
//! duration clamped to 1–600, §9 C20) but the web chat shows every action as "typing…" for its usual time.

use super::{bot_call, bot_chat, obj, v2_spec};
use crate::error::Error;
use crate::messenger::{self, DialogView};
use crate::methods::{CallCtx, Output};
use imbot_wire::v2::requests::InputActionNotify;
use imbot_wire::Params;

v2_spec!("imbot.v2.chat.inputaction.notify", "imbot.v2__ui__chat-input-action-notify", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let r = InputActionNotify::parse(&obj(&p))?;
    let bc = bot_chat(ctx, &c, r.dialog_id).await?;
    let view = DialogView { dialog: r.dialog_id, chat: Some(bc.chat), member: Some(bc.member), partner: None };
    messenger::typing(&ctx.state, &c.me, &view);
    Ok(imbot_wire::v2::results::ok().into())
}
