//! `imbot.chat.setOwner`, `imbot.chat.setManager`, `imbot.chat.updateTitle`, `imbot.chat.updateColor`,
//! `imbot.chat.updateAvatar` — the bot changes a chat's settings; each `true`.
//!
//! They share one implementation (`messenger::change_chat`) and differ only in how they read their parameter,
//! so they live in one file with one `SPEC` each. Avatars are validated as base64 images (PNG, JPEG, GIF, WebP)
//! of at most 5000×5000 pixels and not stored yet.

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

spec!(
    SET_OWNER,
    "imbot.chat.setowner",
    "api-reference__chat-bots__outdated__chats__imbot-chat-set-owner.md",
    set_owner
);
spec!(
    SET_MANAGER,
    "imbot.chat.setmanager",
    "api-reference__chat-bots__outdated__chats__imbot-chat-set-manager.md",
    set_manager
);
spec!(
    UPDATE_TITLE,
    "imbot.chat.updatetitle",
    "api-reference__chat-bots__outdated__chats__imbot-chat-update-title.md",
    update_title
);
spec!(
    UPDATE_COLOR,
    "imbot.chat.updatecolor",
    "api-reference__chat-bots__outdated__chats__imbot-chat-update-color.md",
    update_color
);
spec!(
    UPDATE_AVATAR,
    "imbot.chat.updateavatar",
    "api-reference__chat-bots__outdated__chats__imbot-chat-update-avatar.md",
    update_avatar
);

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
pub(crate) fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG\r\n\x1a\n")
        || bytes.starts_with(b"\xff\xd8\xff")
        || bytes.starts_with(b"GIF8")
        || (bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP")
}

/// Width and height of a PNG, GIF, JPEG or WebP image from its header, if readable.
pub(crate) fn image_size(b: &[u8]) -> Option<(u32, u32)> {
    let be16 = |i: usize| Some(u16::from_be_bytes(b.get(i..i + 2)?.try_into().ok()?) as u32);
    let le16 = |i: usize| Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?) as u32);
    let le24 = |i: usize| Some(u32::from_le_bytes([*b.get(i)?, *b.get(i + 1)?, *b.get(i + 2)?, 0]));
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        if b.get(12..16)? != b"IHDR" {
            return None;
        }
        let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
        let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
        return Some((w, h));
    }
    if b.starts_with(b"GIF8") {
        return Some((le16(6)?, le16(8)?));
    }
    if b.starts_with(b"\xff\xd8") {
        // Walk the segments to the first start-of-frame marker (SOF0..SOF15 except DHT, JPG, DAC).
        let mut i = 2;
        while i + 3 < b.len() {
            if b[i] != 0xff {
                return None;
            }
            let marker = b[i + 1];
            match marker {
                0xff => i += 1,
                0x01 | 0xd0..=0xd8 => i += 2,
                0xc0..=0xcf if !matches!(marker, 0xc4 | 0xc8 | 0xcc) => return Some((be16(i + 7)?, be16(i + 5)?)),
                0xd9 | 0xda => return None,
                _ => i += 2 + be16(i + 2)? as usize,
            }
        }
        return None;
    }
    if b.len() >= 30 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return match &b[12..16] {
            b"VP8X" => Some((le24(24)? + 1, le24(27)? + 1)),
            b"VP8L" => {
                let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
                Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
            }
            b"VP8 " => Some((le16(26)? & 0x3fff, le16(28)? & 0x3fff)),
            _ => None,
        };
    }
    None
}

async fn update_avatar(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let chat = chat_id(&p)?;
    let raw = p.get("AVATAR").and_then(scalar_string).unwrap_or_default();
    let data = raw.split_once("base64,").map(|(_, d)| d).unwrap_or(&raw).trim().to_owned();
    let bytes = base64::engine::general_purpose::STANDARD.decode(data.as_bytes()).unwrap_or_default();
    if !is_image(&bytes) {
        return Err(Error::api(ErrorCode::AVATAR_ERROR, "Avatar incorrect type"));
    }
    if !image_size(&bytes).is_some_and(|(w, h)| (1..=5000).contains(&w) && (1..=5000).contains(&h)) {
        return Err(Error::api(ErrorCode::AVATAR_ERROR, "Avatar incorrect size (max 5000x5000)"));
    }
    let (_, me) = acting(ctx, &p).await?;
    messenger::change_chat(&ctx.state, &me, chat, ChatChange::Avatar).await?;
    Ok(Value::Bool(true).into())
}
