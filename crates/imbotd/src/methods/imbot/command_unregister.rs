//! `imbot.command.unregister` — delete a command of one of the app's bots; `true`.

use super::command_update::owned_command;
use super::owner;
use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bots;
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.command.unregister",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__commands__imbot-command-unregister.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let app = owner(ctx, &p).await?;
    let c = owned_command(ctx, &p, &app).await?;
    bots::delete_command(&ctx.state.store, c.id).await?;
    Ok(Value::Bool(true).into())
}
