//! `im.dialog.users.list` — the members of a dialog as `im` user objects, `total` in the envelope.
//! Paging: `LIMIT` (default 50, max 200) with `OFFSET` (or the standard `start`), answering `next` (the offset of
//! the next page) while more users remain, as the page documents; or `LAST_ID` (users with a larger id, no
//! `next`: the client continues from the last id it got). `SKIP_EXTERNAL=Y`
//! drops bots unless `SKIP_EXTERNAL_EXCEPT_TYPES` lists `bot`. A private dialog lists both users.

use super::{dialog_id, flag, me, positive};
use crate::error::Error;
use crate::messenger::{self, render};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::{chats, users};
use imbot_wire::params::{scalar_string, value_int};
use imbot_wire::Params;
use serde_json::Value;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.dialog.users.list",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__chat-users__im-dialog-users-list.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let dialog = dialog_id(&p)?;
    let user = me(ctx).await?;
    let state = &ctx.state;
    let view = messenger::open_for_read(state, &user, dialog).await?;
    let mut ids: Vec<_> = match (&view.chat, &view.partner) {
        (Some(c), _) => chats::members(&state.store, c.id).await?.into_iter().map(|m| m.user_id).collect(),
        (None, Some(partner)) => vec![user.id, partner.id],
        (None, None) => Vec::new(),
    };
    ids.sort();
    ids.dedup();
    let skip_external = flag(&p, "SKIP_EXTERNAL", false);
    let keep_bots = p
        .get("SKIP_EXTERNAL_EXCEPT_TYPES")
        .and_then(scalar_string)
        .is_some_and(|s| s.split(',').any(|t| t.trim().eq_ignore_ascii_case("bot")));
    let mut all = Vec::new();
    for id in ids {
        if let Some(u) = users::get(&state.store, id).await? {
            if skip_external && u.is_bot && !keep_bots {
                continue;
            }
            all.push(u);
        }
    }
    let total = all.len() as u64;
    let limit = p.get("LIMIT").and_then(value_int).filter(|l| *l > 0).unwrap_or(50).min(200) as usize;
    let offset =
        ctx.start.filter(|s| *s > 0).or_else(|| p.get("OFFSET").and_then(value_int).filter(|o| *o > 0)).unwrap_or(0)
            as usize;
    let after = positive(&p, "LAST_ID");
    let tz = state.config.timezone;
    let rest: Vec<&users::User> = all.iter().filter(|u| u.id.0 > after.unwrap_or(0)).collect();
    let page: Vec<Value> = rest.iter().skip(offset).take(limit).map(|u| render::user(u, tz)).collect();
    let end = offset + page.len();
    let next = (after.is_none() && end < rest.len()).then_some(end as u64);
    Ok(Output { result: Value::Array(page), next, total: Some(total) })
}
