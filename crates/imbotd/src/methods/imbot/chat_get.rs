//! `imbot.chat.get` — `{"ID": n}` of the chat bound to `ENTITY_TYPE` + `ENTITY_ID`, or `null`; with
//! `DIALOG_ID` instead, the full chat object (the shared implementation's undocumented form, SPEC-NOTES §12.4).
//!
//! Like Bitrix's `chatGet` (shared with `im.chat.get`) it acts for the calling user, not a bot: the page lists
//! neither `BOT_ID` nor `CLIENT_ID` and its webhook example sends none. The entity lookup covers every chat of
//! the portal (the first one bound to the pair), as Bitrix's `ChatTable::getList` filter does.

use crate::error::Error;
use crate::methods::im::dialog_get::dialog_object;
use crate::methods::im::{dialog_id, me};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::params::scalar_string;
use imbot_wire::Params;
use serde_json::{json, Value};

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.chat.get",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-chat-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let user = me(ctx).await?;
    if p.get("DIALOG_ID").is_some() {
        // Present but not a dialog id → `DIALOG_ID_EMPTY`, as Bitrix's `isDialogId` check.
        let d = dialog_id(&p)?;
        return Ok(dialog_object(&ctx.state, &user, d).await?.into());
    }
    let et = p.get("ENTITY_TYPE").and_then(scalar_string).unwrap_or_default();
    let ei = p.get("ENTITY_ID").and_then(scalar_string).unwrap_or_default();
    // PHP `empty()`: "" and "0" count as missing.
    if et.is_empty() || ei.is_empty() || et == "0" || ei == "0" {
        return Ok(Value::Null.into());
    }
    let id = crate::store::chats::first_by_entity(&ctx.state.store, &et, &ei).await?;
    Ok(match id {
        Some(id) => json!({"ID": id.0}),
        None => Value::Null,
    }
    .into())
}
