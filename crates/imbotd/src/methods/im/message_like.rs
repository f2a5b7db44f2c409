//! `im.message.like` — like (`plus`), unlike (`minus`) or toggle (`auto`, the default) a message; `true`.
//! A `plus`/`minus` that changes nothing → `400 WITHOUT_CHANGES`.

use super::{me, message_id};
use crate::error::Error;
use crate::messenger::{self, LikeAction};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::params::scalar_string;
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.message.like",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__messages__im-message-like.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let id = message_id(&p)?;
    let action = match p.get("ACTION").and_then(scalar_string).unwrap_or_default().to_ascii_lowercase().as_str() {
        "plus" => LikeAction::Plus,
        "minus" => LikeAction::Minus,
        _ => LikeAction::Auto,
    };
    let user = me(ctx).await?;
    if !messenger::like(&ctx.state, &user, id, action).await? {
        return Err(Error::api(ErrorCode::WITHOUT_CHANGES, "Action completed without changes"));
    }
    Ok(Value::Bool(true).into())
}
