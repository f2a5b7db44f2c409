//! `imbot.dialog.get` — the full chat object of `DIALOG_ID` plus `dialog_id`; access is evaluated for the
//! calling user, not the bot (SPEC-NOTES §9).

use crate::error::Error;
use crate::methods::im::dialog_get::dialog_object;
use crate::methods::im::{dialog_id, me};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::Params;

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.dialog.get",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__chats__imbot-dialog-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let dialog = dialog_id(&p)?;
    let user = me(ctx).await?;
    Ok(dialog_object(&ctx.state, &user, dialog).await?.into())
}
