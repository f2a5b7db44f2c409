//! `imbot.chat.setOwner`, `imbot.chat.setManager`, `imbot.chat.updateTitle`, `imbot.chat.updateColor`,
//! `imbot.chat.updateAvatar` — the bot changes a chat's settings; each `true`.
//!
//! They share one implementation (`messenger::change_chat`) and differ only in how they read their parameter,
//! so they live in one file with one `SPEC` each. Avatars are validated as base64 images and not stored yet.

use super::chat_common::acting;
use crate::domain::UserId;
use crate::error::Error;
use crate::messenger::{self, render, ChatChange};
use crate::methods::im::{chat_id, flag, positive};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use base64::Engine as _;
use imbot_wire::params::scalar_string;
use imbot_wire::{ErrorCode, Params};
use serde_json::Value;

macro_rules! spec {
    ($name:ident, $wire:literal, $doc:literal, $f:ident) => {
        pub static $name: MethodSpec = MethodSpec {
            name: $wire,
            scopes: &[crate::domain::Scope::Imbot],
            doc: $doc,
            case: ParamCase::Upper,
            batchable: true,
            handler: crate::handler!($f),
        };
    };
}

spec!(SET_OWNER, "imbot.chat.setowner", "api-reference__chat-bots__outdated__chats__imbot-chat-set-owner.md", set_owner);
spec!(SET_MANAGER, "imbot.chat.setmanager", "api-reference__chat-bots__outdated__chats__imbot-chat-set-manager.md", set_manager);
spec!(UPDATE_TITLE, "imbot.chat.updatetitle", "api-reference__chat-bots__outdated__chats__imbot-chat-update-title.md", update_title);
spec!(UPDATE_COLOR, "imbot.chat.updatecolor", "api-reference__chat-bots__outdated__chats__imbot-chat-update-color.md", update_color);
spec!(UPDATE_AVATAR, "imbot.chat.updateavatar", "api-reference__chat-bots__outdated__chats__imbot-chat-update-avatar.md", update_avatar);

fn user_id(p: &Params) -> Result<UserId, Error> {
    positive(p, "USER_ID").map(UserId).ok_or_else(|| Error::api(ErrorCode::USER_ID_EMPTY, "User ID can't be empty"))
}

async fn apply(ctx: &CallCtx, p: &Params, change: impl FnOnce() -> Result<ChatChange, Error>) -> Result<Output, Error> {
    let chat = chat_id(p)?;
    let change = change()?;
    let (_, me) = acting(ctx, p).await?;
    messenger::change_chat(&ctx.state, &me, chat, change).await?;
    Ok(Value::Bool(true).into())
}

async fn set_owner(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    apply(ctx, &p, || Ok(ChatChange::Owner(user_id(&p)?))).await
}

async fn set_manager(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    apply(ctx, &p, || Ok(ChatChange::Manager(user_id(&p)?, flag(&p, "IS_MANAGER", true)))).await
}

async fn update_title(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    apply(ctx, &p, || {
        let t = p.get("TITLE").and_then(scalar_string).map(|s| s.trim().to_owned()).unwrap_or_default();
        if t.is_empty() {
            return Err(Error::api(ErrorCode::TITLE_EMPTY, "Title can't be empty"));
        }
        Ok(ChatChange::Title(t))
    })
    .await
}

async fn update_color(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    apply(ctx, &p, || {
        let c = p.get("COLOR").and_then(scalar_string).map(|s| s.trim().to_ascii_uppercase()).unwrap_or_default();
        if render::color_hex(&c).is_none() {
            return Err(Error::api(ErrorCode::WRONG_COLOR, "This color currently unavailable"));
        }
        Ok(ChatChange::Color(c))
    })
    .await
}

/// Image signatures accepted as avatars: PNG, JPEG, GIF, WebP.
fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(b"\xff\xd8\xff")
        || bytes.starts_with(b"GIF8")
        || (bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP")
}

async fn update_avatar(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    let raw = p.get("AVATAR").and_then(scalar_string).unwrap_or_default();
    let data = raw.split_once("base64,").map(|(_, d)| d).unwrap_or(&raw).trim().to_owned();
    let bytes = base64::engine::general_purpose::STANDARD.decode(data.as_bytes()).unwrap_or_default();
    if !is_image(&bytes) {
        return Err(Error::api(ErrorCode::AVATAR_ERROR, "Avatar incorrect type"));
    }
    let (_, me) = acting(ctx, &p).await?;
    messenger::change_chat(&ctx.state, &me, chat, ChatChange::Avatar).await?;
    Ok(Value::Bool(true).into())
}
