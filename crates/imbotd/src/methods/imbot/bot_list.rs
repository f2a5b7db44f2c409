//! `imbot.bot.list` — every bot of the portal (any app), keyed by BOT_ID: `{"39": {ID, NAME, CODE, OPENLINE}}`,
//! `[]` when there is none (SPEC-NOTES §5.4).

use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::bots;
use imbot_wire::json::php_array;
use imbot_wire::Params;
use serde_json::{json, Map};

pub static SPEC: MethodSpec = MethodSpec {
    name: "imbot.bot.list",
    scopes: &[crate::domain::Scope::Imbot],
    doc: "api-reference__chat-bots__outdated__bots__imbot-bot-list.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, _: Params) -> Result<Output, Error> {
    let mut m = Map::new();
    for b in bots::all(&ctx.state.store).await? {
        m.insert(
            b.id.0.to_string(),
            json!({"ID": b.id.0, "NAME": b.name, "CODE": b.code, "OPENLINE": if b.openline { "Y" } else { "N" }}),
        );
    }
    // Keys are bot ids (never 0..n-1 in order from 0), so this stays an object, `[]` when empty.
    Ok(php_array(m).into())
}
