//! `imbot.v2.Bot.list` — the calling app's bots (extended form), `{bots, users, hasNextPage}`; an app with no
//! bots, or an unknown `filter.type`, gets an empty list, never an error (docs/v2.md §3.1).

use super::{bot_entity, caller_app, obj, user_entity, v2_spec};
use crate::error::Error;
use crate::messenger::render_v2;
use crate::methods::{CallCtx, Output};
use crate::store::{bots, users};
use imbot_wire::v2::params::webhook_token;
use imbot_wire::v2::requests::{BotList, BotTypeFilter};
use imbot_wire::Params;

v2_spec!("imbot.v2.bot.list", "imbot.v2__bots__bot-list", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let o = obj(&p);
    let token = webhook_token(&o, super::auth_kind(ctx)?)?;
    let q = BotList::parse(&o)?;
    let store = &ctx.state.store;
    let mine = match caller_app(ctx, token.as_deref(), false).await? {
        Some(app) => bots::of_app(store, app.id).await?,
        None => Vec::new(),
    };
    let matching: Vec<_> = mine
        .into_iter()
        .filter(|b| match q.filter {
            BotTypeFilter::All => true,
            BotTypeFilter::Only(t) => render_v2::bot_type(b) == t,
            BotTypeFilter::Nothing => false,
        })
        .collect();
    let page: Vec<_> = matching.iter().skip(q.offset as usize).take(q.limit as usize).collect();
    let has_next = (q.offset + q.limit) < matching.len() as i64;
    let (mut entities, mut people) = (Vec::new(), Vec::new());
    for b in page {
        entities.push(bot_entity(ctx, b).await?);
        if let Some(u) = users::get(store, b.id).await? {
            people.push(user_entity(ctx, &u));
        }
    }
    Ok(imbot_wire::v2::results::bot_list(&entities, &people, has_next).into())
}
