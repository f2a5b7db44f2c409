//! `imbot.v2.Bot.update` — change a bot's properties, flags, event delivery, or rotate its `botToken`;
//! `{bot, users}` (docs/v2.md §3.1).
//!
//! A new `webhookUrl` / `eventMode` takes effect for the next event (subscriptions are per bot here, so there
//! is nothing else to rebuild). Rotation (`fields.botToken`, authorised with the old token) moves the
//! (webhook, token) app to the new token in one transaction: the old one is `BOT_OWNERSHIP_ERROR` at once, and
//! the app's `application_token` becomes the new token's. A v1 bot keeps its v1 delivery: `eventMode` and
//! `webhookUrl` are ignored for it.

use super::{bot_answer, bot_call, check_avatar, check_callback, obj, v2_spec};
use crate::domain::{secret, CallerKind};
use crate::error::Error;
use crate::messenger::render_v2;
use crate::methods::{CallCtx, Output};
use crate::store::bots::{self, BotUser};
use imbot_wire::v2::enums::EventMode;
use imbot_wire::v2::errors;
use imbot_wire::v2::requests::BotUpdate;
use imbot_wire::Params;

v2_spec!("imbot.v2.bot.update", "imbot.v2__bots__bot-update", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let c = bot_call(ctx, &obj(&p)).await?;
    let u = BotUpdate::parse(&obj(&p))?;
    let state = &ctx.state;
    let mut v2 = c.bot.v2.clone();
    if c.bot.is_v2() {
        if let Some(mode) = u.event_mode {
            v2.event_mode = mode.as_str().into();
        }
        if let Some(url) = &u.webhook_url {
            v2.webhook_url = url.clone();
        }
        if v2.event_mode == EventMode::Webhook.as_str() {
            if v2.webhook_url.is_empty() {
                return Err(errors::BOT_WEBHOOK_URL_REQUIRED.into());
            }
            if u.webhook_url.is_some() || u.event_mode.is_some() {
                check_callback(ctx, &v2.webhook_url).await?;
            }
        }
    }
    if let Some(flag) = u.is_hidden {
        v2.is_hidden = flag;
    }
    if let Some(flag) = u.is_reactions_enabled {
        v2.reactions_enabled = flag;
    }
    if let Some(bg) = u.background_id {
        v2.background_id = bg.map(|b| b.as_str().to_owned());
    }
    if let Some(a) = u.properties.as_ref().and_then(|pr| pr.avatar.as_ref()) {
        check_avatar(a)?;
    }
    let mut tx = state.store.begin().await?;
    if let Some(pr) = &u.properties {
        let current = &c.me;
        let user = BotUser {
            name: pr.name.clone().unwrap_or_else(|| current.name.clone()),
            last_name: pr.last_name.clone().unwrap_or_else(|| current.last_name.clone()),
            email: current.email.clone(),
            gender: pr.gender.map(|g| g.as_str().to_owned()).unwrap_or_else(|| current.gender.clone()),
            work_position: pr.work_position.clone().unwrap_or_else(|| current.work_position.clone()),
            color: pr
                .color
                .map(|c| crate::messenger::render::v1_color_name(c).to_owned())
                .unwrap_or_else(|| current.color.clone()),
        };
        bots::update_user(&mut tx, c.bot.id, &user).await?;
    }
    if let Some(openline) = u.is_support_openline {
        let kind = if c.bot.is_v2() { render_v2::letter_of(render_v2::bot_type(&c.bot)) } else { c.bot.kind };
        bots::set_kind(&mut tx, c.bot.id, kind, openline).await?;
    }
    bots::set_v2(&mut tx, c.bot.id, &v2).await?;
    if let (Some(token), CallerKind::Webhook { id }) = (&u.new_bot_token, &ctx.caller.kind) {
        if !bots::rotate_token(&mut tx, c.app.id, *id, &secret::hash(token)).await? {
            return Err(errors::BOT_TOKEN_ROTATION_FAILED.into());
        }
    }
    tx.commit().await?;
    let bot = bots::get(&state.store, c.bot.id).await?.ok_or(errors::BOT_NOT_FOUND)?;
    Ok(bot_answer(ctx, &bot, true).await?.into())
}
