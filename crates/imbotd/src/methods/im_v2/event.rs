//! `im.v2.Event.subscribe` / `unsubscribe` / `get` — the calling user's message events (`ONIMV2*`, recorded by
//! `events::user_v2` while subscribed), polled with offset acknowledgement like `imbot.v2.Event.get`
//! (docs/v2.md §3.7). subscribe and unsubscribe are idempotent and answer a bare `true`; recorded events stay
//! readable after unsubscribing until acknowledged or 24 h old; a user who never subscribed gets `events: []`.
//! One queue per user: any app's `offset` acknowledges for all (§9 B15).

use super::{im_v2_spec, refuse_session};
use crate::error::Error;
use crate::methods::imbot_v2::event_get::queued;
use crate::methods::imbot_v2::obj;
use crate::methods::{CallCtx, Output};
use crate::store::outbox;
use imbot_wire::v2::events::{event_get, next_offset};
use imbot_wire::v2::requests::EventGet;
use imbot_wire::Params;

pub mod subscribe {
    super::super::im_v2_spec!("im.v2.event.subscribe", "im.v2__events__event-subscribe", call);
    async fn call(
        ctx: &crate::methods::CallCtx,
        _p: imbot_wire::Params,
    ) -> Result<crate::methods::Output, crate::error::Error> {
        let app = crate::methods::im_v2::calling_app(ctx).await?;
        let now = ctx.state.clock.unix();
        crate::store::subscriptions::subscribe(&ctx.state.store, ctx.caller.user_id, app, now).await?;
        Ok(imbot_wire::v2::results::bare_true().into())
    }
}

pub mod unsubscribe {
    super::super::im_v2_spec!("im.v2.event.unsubscribe", "im.v2__events__event-unsubscribe", call);
    async fn call(
        ctx: &crate::methods::CallCtx,
        _p: imbot_wire::Params,
    ) -> Result<crate::methods::Output, crate::error::Error> {
        super::refuse_session(ctx)?;
        crate::store::subscriptions::unsubscribe(&ctx.state.store, ctx.caller.user_id).await?;
        Ok(imbot_wire::v2::results::bare_true().into())
    }
}

im_v2_spec!("im.v2.event.get", "im.v2__events__event-get", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    refuse_session(ctx)?;
    let q = EventGet::parse_user(&obj(&p))?;
    let state = &ctx.state;
    let user = ctx.caller.user_id;
    let now = state.clock.unix();
    let (events, more) = outbox::fetch(&state.store, &[user], q.offset, q.limit, now).await?;
    let queued = queued(events, state.config.timezone);
    let acked = outbox::fetch_acked_up_to(&state.store, user).await?;
    let next = next_offset(q.offset, queued.last().map(|e| e.event_id), acked);
    Ok(event_get(&queued, next, more).into())
}
