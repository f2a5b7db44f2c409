//! `im.chat.user.add` — add `USERS` to chat `CHAT_ID`; `true`. `HIDE_HISTORY` defaults to `Y` (the doc):
//! new members see only messages posted after they joined. Unknown or inactive ids are skipped.

use super::{chat_id, flag, me, user_ids};
use crate::error::Error;
use crate::messenger;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.chat.user.add",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__chat-users__im-chat-user-add.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    let users = user_ids(p.get("USERS"));
    if users.is_empty() {
        return Err(Error::api(ErrorCode::USER_ID_EMPTY, "User ID can't be empty"));
    }
    let actor = me(ctx).await?;
    messenger::add_users(&ctx.state, &actor, chat, &users, flag(&p, "HIDE_HISTORY", true)).await?;
    Ok(Value::Bool(true).into())
}
