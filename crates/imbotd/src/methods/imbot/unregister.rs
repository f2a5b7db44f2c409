//! `imbot.unregister` — delete a bot of the calling app; `true`. Its commands and memberships go, its messages
//! stay in history, and the app receives `ONIMBOTDELETE`.

use super::{bot, owner};
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bots;
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.unregister",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__bots__imbot-unregister.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let b = bot(ctx, &p, &app, true).await?;
    let state = &ctx.state;
    let mut tx = state.store.begin().await?;
    crate::events::bot_deleted(&mut tx, state, &b, ctx.caller.user_id).await?;
    bots::delete(&mut tx, b.id).await?;
    crate::messenger::commit(state, tx).await?;
    Ok(Value::Bool(true).into())
}
