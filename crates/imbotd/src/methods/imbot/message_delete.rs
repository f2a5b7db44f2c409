//! `imbot.message.delete` — delete a message of the bot (or, as a chat owner/manager, anyone's); `true`.
//! `COMPLETE=Y` is accepted; the message is soft-deleted either way (docs/compat.md).

use super::{bot, bot_user, owner};
use crate::error::Error;
use crate::messenger;
use crate::methods::im::message_id;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.message.delete",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__messages__imbot-message-delete.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let b = bot(ctx, &p, &app, false).await?;
    let id = message_id(&p)?;
    let me = bot_user(ctx, &b).await?;
    messenger::delete(&ctx.state, &me, id).await?;
    Ok(Value::Bool(true).into())
}
