//! `im.dialog.get` — the chat object of `DIALOG_ID` (snake_case, with `dialog_id`), as the doc's example.
//! For a private dialog that has no chat yet, the chat is created (Bitrix creates private chats on access).

use super::{dialog_id, me};
use crate::domain::MessageId;
use crate::error::Error;
use crate::messenger::{self, render};
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use crate::store::chats::{self, Role};
use crate::store::users;
use imbot_wire::{DialogId, Params};

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.dialog.get",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__im-dialog-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let dialog = dialog_id(&p)?;
    let user = me(ctx).await?;
    Ok(dialog_object(&ctx.state, &user, dialog).await?.into())
}

/// The chat object of `dialog` as `user` sees it (shared with `imbot.dialog.get` and `imbot.chat.get`).
pub async fn dialog_object(
    state: &crate::app::AppState,
    user: &crate::store::users::User,
    dialog: DialogId,
) -> Result<serde_json::Value, Error> {
    let mut view = messenger::open_for_read(state, user, dialog).await?;
    if view.chat.is_none() {
        if let (DialogId::User(_), Some(partner)) = (dialog, &view.partner) {
            messenger::ensure_private(state, user, partner).await?;
            view = messenger::open_for_read(state, user, dialog).await?;
        }
    }
    let mut chat = view.chat.clone().expect("a dialog that passed open_for_read has a chat now");
    if let Some(partner) = &view.partner {
        // A private dialog is named after the other person, as in the messenger's list.
        chat.title = render::full_name(partner);
    }
    let members = chats::members(&state.store, chat.id).await?;
    let mut readers = Vec::new();
    // Other members only: the doc example lists everyone but the caller (as Bitrix's `Chat::getById` does).
    for m in members.iter().filter(|m| m.user_id != user.id) {
        if let Some(u) = users::get(&state.store, m.user_id).await? {
            readers.push((u, MessageId(m.last_read_id.0)));
        }
    }
    let managers: Vec<_> = members.iter().filter(|m| m.role >= Role::Manager).map(|m| m.user_id).collect();
    let (unread, unread_id) = match &view.member {
        Some(_) => (
            chats::unread_count(&state.store, chat.id, user.id).await?,
            chats::first_unread(&state.store, chat.id, user.id).await?,
        ),
        None => (0, MessageId(0)),
    };
    Ok(render::chat(
        &chat,
        &dialog.to_string(),
        view.member.as_ref(),
        members.len() as i64,
        unread,
        unread_id,
        &readers,
        &managers,
        state.config.timezone,
    ))
}
