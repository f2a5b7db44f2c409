//! `imbot.v2.Bot.register` — register a bot; `{bot, users}` (docs/v2.md §3.1).
//!
//! Idempotent on `fields.code` within the calling app (the existing bot comes back unchanged); a code another
//! app holds is `BOT_CODE_ALREADY_TAKEN`. A webhook call names its app with `fields.botToken` (≤ 40 characters).
//! The bot records API version 2: its events are `ONIMBOTV2*`, by fetch (default) or to `webhookUrl`.

use super::{bot_answer, caller_app, check_avatar, check_callback, obj, v2_spec};
use crate::error::Error;
use crate::messenger::render_v2;
use crate::methods::{CallCtx, Output};
use crate::store::bots::{self, BotUser, V2Settings};
use imbot_wire::v2::enums::{BotType, EventMode};
use imbot_wire::v2::errors;
use imbot_wire::v2::params::MAX_BOTS_PER_APP;
use imbot_wire::v2::requests::BotRegister;
use imbot_wire::Params;

v2_spec!("imbot.v2.bot.register", "imbot.v2__bots__bot-register", call);

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let auth = super::auth_kind(ctx)?;
    let r = BotRegister::parse(&obj(&p), auth)?;
    let state = &ctx.state;
    let app = caller_app(ctx, r.bot_token.as_deref(), true)
        .await?
        .ok_or_else(|| Error::Internal("the calling app is gone".into()))?;
    if let Some(existing) = bots::by_code(&state.store, &r.code).await? {
        if existing.app_id != app.id {
            return Err(errors::BOT_CODE_ALREADY_TAKEN.into());
        }
        return Ok(bot_answer(ctx, &existing, true).await?.into());
    }
    if let Some(url) = r.webhook_url.as_deref().filter(|_| r.event_mode == EventMode::Webhook) {
        check_callback(ctx, url).await?;
    }
    if bots::of_app(&state.store, app.id).await?.len() >= MAX_BOTS_PER_APP {
        return Err(errors::BOT_LIMIT_EXCEEDED.into());
    }
    if let Some(a) = &r.properties.avatar {
        check_avatar(a)?;
    }
    let props = &r.properties;
    let user = BotUser {
        name: props.name.clone().unwrap_or_default(),
        last_name: props.last_name.clone().unwrap_or_default(),
        email: String::new(),
        gender: props.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
        work_position: props.work_position.clone().unwrap_or_else(|| "Chat bot".into()),
        color: props.color.map(|c| crate::messenger::render::v1_color_name(c).to_owned()).unwrap_or_default(),
    };
    let kind = render_v2::letter_of(r.bot_type);
    let openline = r.is_support_openline || r.bot_type == BotType::Openline;
    let settings = V2Settings {
        api_version: 2,
        v2_type: r.bot_type.as_str().into(),
        event_mode: r.event_mode.as_str().into(),
        webhook_url: r.webhook_url.clone().unwrap_or_default(),
        is_hidden: r.is_hidden,
        reactions_enabled: r.is_reactions_enabled,
        background_id: r.background_id.map(|b| b.as_str().to_owned()),
    };
    let mut tx = state.store.begin().await?;
    let id = bots::create(&mut tx, app.id, &r.code, kind, openline, &user, state.clock.unix()).await?;
    bots::set_v2(&mut tx, id, &settings).await?;
    crate::messenger::commit(state, tx).await?;
    let bot = bots::get(&state.store, id).await?.ok_or(errors::BOT_REGISTER_FAILED)?;
    Ok(bot_answer(ctx, &bot, true).await?.into())
}
