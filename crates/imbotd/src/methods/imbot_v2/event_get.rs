//! `imbot.v2.Event.get` — events of a fetch-mode bot: acknowledges every event below `offset`, then hands out up
//! to `limit` (1–1000, default 100) waiting ones, oldest first; `{events, nextOffset, hasMore}` (docs/v2.md
//! §3.6, §5.4). At-least-once: what is not acknowledged comes again. The queue is the outbox (rows in status
//! `fetch`), so fetched events show in the delivery log beside pushed ones.
//!
//! A bot that was unregistered can still fetch what is left for it (ending with ONIMBOTV2DELETE) by its owner;
//! a webhook-mode or v1 bot has nothing queued.

use super::{auth_kind, caller_app, obj, v2_spec};
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger::render_v2;
use crate::methods::{CallCtx, Output};
use crate::store::{bots, outbox};
use imbot_wire::v2::errors;
use imbot_wire::v2::events::{event_get, next_offset, QueuedEvent};
use imbot_wire::v2::params::BotRef;
use imbot_wire::v2::requests::EventGet;
use imbot_wire::Params;

v2_spec!("imbot.v2.event.get", "imbot.v2__events__event-get", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let o = obj(&p);
    let r = BotRef::parse(&o, auth_kind(ctx)?)?;
    let q = EventGet::parse(&o)?;
    let state = &ctx.state;
    let bot = UserId(r.bot_id);
    let app = caller_app(ctx, r.bot_token.as_deref(), false).await?;
    match bots::get(&state.store, bot).await? {
        Some(b) if app.as_ref().is_some_and(|a| a.id == b.app_id) => {}
        Some(_) => return Err(errors::BOT_OWNERSHIP_ERROR.into()),
        // Unregistered: its owner may still drain what was left for it.
        None => match &app {
            Some(a) if outbox::fetch_owner(&state.store, bot).await? == Some(a.id) => {}
            _ => return Err(errors::BOT_NOT_FOUND.into()),
        },
    }
    // `withUserEvents`: the calling user's im.v2 queue too, under the same offset (docs/v2.md §3.6).
    let mut owners = vec![bot];
    if q.with_user_events {
        if !ctx.caller.scopes.allows(crate::domain::Scope::Im) {
            return Err(Error::api(errors::SCOPE_ERROR, "withUserEvents needs the scope im"));
        }
        let user = ctx.caller.user_id;
        if !crate::store::subscriptions::is_subscribed(&state.store, user).await? {
            return Err(Error::api(
                errors::USER_NOT_SUBSCRIBED,
                "The user is not subscribed to events: call im.v2.Event.subscribe first",
            ));
        }
        owners.push(user);
    }
    let now = state.clock.unix();
    let (events, more) = outbox::fetch(&state.store, &owners, q.offset, q.limit, now).await?;
    let queued = queued(events, state.config.timezone);
    let mut acked = 0;
    for o in &owners {
        acked = acked.max(outbox::fetch_acked_up_to(&state.store, *o).await?);
    }
    let next = next_offset(q.offset, queued.last().map(|e| e.event_id), acked);
    Ok(event_get(&queued, next, more).into())
}

/// Queued rows as `Event.get` lists them.
pub fn queued(events: Vec<outbox::FetchEvent>, tz: chrono::FixedOffset) -> Vec<QueuedEvent> {
    events
        .into_iter()
        .filter_map(|e| {
            Some(QueuedEvent {
                event_id: e.id,
                event_type: e.event,
                date: render_v2::at(e.created_at, tz)?,
                data: e.data,
            })
        })
        .collect()
}
