//! The messenger: the rules of dialogs, chats and messages, over the store.
//!
//! Methods (and later bots and the web chat) call these functions instead of the store, so every path obeys
//! the same rules:
//! * a private dialog exists between any two active users, created on first message;
//! * only members read or post in a group chat (open chats are readable by every non-extranet user);
//! * extranet users reach only people they share a chat with;
//! * `can_post` and the `manage_*` rights are enforced by role;
//! * only the author edits a message, within the edit window; the author (within the window) or a chat
//!   owner/manager deletes it;
//! * every change writes its change-feed record in the same transaction.
//!
//! Every refusal is an `Error::Api` with the documented code and status; nothing here panics on input.

pub mod files;
pub mod render;
pub mod render_v2;
pub mod rules;

use crate::app::AppState;
use crate::domain::{ChatId, MessageId, UserId};
use crate::error::Error;
use crate::events;
use crate::store::bots;
use crate::store::chats::{self, Chat, ChatType, Member, NewChat, Role};
use crate::store::feed::{self, ChangeKind};
use crate::store::messages::{self, Message, NewMessage};
use crate::store::users::{self, User};
use imbot_wire::v2::enums::{Reaction, ReactionAction};
use imbot_wire::v2::events::UserEvent;
use imbot_wire::{DialogId, ErrorCode};
use serde_json::{json, Map, Value};

pub use rules::EDIT_WINDOW_SECONDS;

/// Text a deleted message keeps (Bitrix `IM_MESSAGE_DELETED`).
pub const DELETED_TEXT: &str = "This message was deleted.";

/// A dialog as seen by one user.
#[derive(Debug, Clone)]
pub struct DialogView {
    pub dialog: DialogId,
    /// `None` for a private dialog that has no message yet.
    pub chat: Option<Chat>,
    /// The viewer's membership (`None` when reading an open chat as a non-member).
    pub member: Option<Member>,
    /// For private dialogs: the other user.
    pub partner: Option<User>,
}

impl DialogView {
    pub fn chat_id(&self) -> ChatId {
        self.chat.as_ref().map(|c| c.id).unwrap_or(ChatId(0))
    }
}

/// An active user, or `USER_NOT_FOUND`.
pub async fn active_user(state: &AppState, id: UserId) -> Result<User, Error> {
    users::get(&state.store, id)
        .await?
        .filter(|u| u.active)
        .ok_or_else(|| Error::api(ErrorCode::USER_NOT_FOUND, "User not found"))
}

fn access_error() -> Error {
    Error::api(ErrorCode::ACCESS_ERROR, "You do not have access to the specified dialog")
}

/// Resolve `dialog` for reading by `me` (history, dialog info, members).
pub async fn open_for_read(state: &AppState, me: &User, dialog: DialogId) -> Result<DialogView, Error> {
    match dialog {
        DialogId::User(uid) => {
            let partner = users::get(&state.store, UserId(uid)).await?.ok_or_else(access_error)?;
            let chat_id = chats::private_between(&state.store, me.id, partner.id).await?;
            if chat_id.is_none() && !rules::may_open_private(state, me, &partner).await? {
                return Err(access_error());
            }
            let (chat, member) = match chat_id {
                Some(id) => (chats::get(&state.store, id).await?, chats::member(&state.store, id, me.id).await?),
                None => (None, None),
            };
            Ok(DialogView { dialog, chat, member, partner: Some(partner) })
        }
        DialogId::Chat(cid) => {
            let chat = chats::get(&state.store, ChatId(cid)).await?.filter(|c| c.kind != ChatType::Private);
            let Some(chat) = chat else { return Err(access_error()) };
            let member = chats::member(&state.store, chat.id, me.id).await?;
            // Non-members read only open chats, and only from the intranet.
            if member.is_none() && (chat.kind != ChatType::Open || me.is_extranet) {
                return Err(access_error());
            }
            Ok(DialogView { dialog, chat: Some(chat), member, partner: None })
        }
        // This portal has no workgroups, hence no workgroup chats.
        DialogId::SonetGroup(_) => Err(access_error()),
    }
}

/// A message to post.
#[derive(Debug, Clone, Default)]
pub struct Post {
    pub text: String,
    pub params: Map<String, Value>,
    pub is_system: bool,
    pub url_preview: bool,
    pub reply_id: Option<MessageId>,
    pub uuid: Option<String>,
}

/// Post `post` as `author` into `dialog`, creating a private dialog on first message. Returns the message.
pub async fn post(state: &AppState, author: &User, dialog: DialogId, post: Post) -> Result<(ChatId, MessageId), Error> {
    post_with_files(state, author, dialog, post, &[]).await.map(|(chat, id, _)| (chat, id))
}

/// [`post`] a message that carries `files` (their contents already on disk): the file rows are written in the
/// message's transaction, in the chat it lands in, and the message's params get `FILE_ID: [ids]` (as v1
/// stores them). Returns the chat, the message and the file ids in the order of `files`.
pub async fn post_with_files(
    state: &AppState,
    author: &User,
    dialog: DialogId,
    mut post: Post,
    files: &[crate::store::files::NewFile],
) -> Result<(ChatId, MessageId, Vec<i64>), Error> {
    let now = state.clock.unix();
    // Checks that only read settled facts (the partner, whether the dialog may be opened) run before the write
    // transaction, so the writer, which every write of the process shares, is held for the writes alone.
    // A private dialog that exists is one too (they are never deleted), and so is its chat row apart from the
    // counters this post moves, which come back from the insert.
    let mut existing_private = None;
    let partner = match dialog {
        DialogId::User(uid) => {
            let to = users::get(&state.store, UserId(uid))
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| Error::api(ErrorCode::USER_NOT_FOUND, "User not found"))?;
            match chats::private_between(&state.store, author.id, to.id).await? {
                Some(id) => existing_private = chats::get(&state.store, id).await?,
                None if !rules::may_open_private(state, author, &to).await? => {
                    return Err(Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"))
                }
                None => {}
            }
            Some(to)
        }
        DialogId::Chat(_) => None,
        DialogId::SonetGroup(_) => return Err(Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable")),
    };
    let route_chat = match dialog {
        DialogId::Chat(cid) => Some(ChatId(cid)),
        _ => existing_private.as_ref().map(|c| c.id),
    };
    let route = events::route(state, route_chat, author, partner.as_ref(), &post.text, post.is_system).await?;
    let mut tx = state.store.begin().await?;
    // The chat as it was before this post (when read), and its id.
    let (before, chat_id) = match (dialog, partner.as_ref()) {
        (DialogId::Chat(cid), _) => {
            let chat = chats::get_tx(&mut tx, ChatId(cid))
                .await?
                .filter(|c| c.kind != ChatType::Private)
                .ok_or_else(|| Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"))?;
            let member = chats::member_tx(&mut tx, chat.id, author.id).await?;
            let Some(member) = member else {
                return Err(Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"));
            };
            if !chat.can_post.allows(member.role) {
                return Err(Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"));
            }
            let id = chat.id;
            (Some(chat), id)
        }
        // A private dialog: `partner` is resolved above for every other kind of dialog.
        (_, to) => match (existing_private, to) {
            (Some(chat), _) => {
                let id = chat.id;
                (Some(chat), id)
            }
            (None, Some(to)) => (None, open_private_tx(&mut tx, state, author, to, now).await?),
            (None, None) => return Err(Error::Internal("a private dialog without its partner".into())),
        },
    };
    if let Some(reply) = post.reply_id {
        // A message the author cannot see (unknown, in a chat they are not in, or before they joined) is
        // `REPLY_ACCESS_ERROR`; one they can see in another chat is `REPLY_FROM_OTHER_CHAT_ERROR`.
        let no_access = || Error::api(ErrorCode::REPLY_ACCESS_ERROR, "Action unavailable");
        let m = messages::get_tx(&mut tx, reply).await?.ok_or_else(no_access)?;
        let seen = chats::member_tx(&mut tx, m.chat_id, author.id).await?.is_some_and(|mem| m.id >= mem.start_id);
        if !seen {
            return Err(no_access());
        }
        if m.chat_id != chat_id {
            return Err(Error::api(
                ErrorCode::REPLY_FROM_OTHER_CHAT_ERROR,
                "You can only reply to a message within the same chat",
            ));
        }
    }
    let mut file_ids = Vec::with_capacity(files.len());
    for f in files {
        file_ids.push(crate::store::files::insert(&mut tx, f, chat_id, now).await?);
    }
    if !file_ids.is_empty() {
        post.params.insert("FILE_ID".into(), json!(file_ids));
    }
    let uuid = post.uuid.clone();
    let (id, message_count) = insert_message(
        &mut tx,
        chat_id,
        author.id,
        &post.text,
        post.params,
        post.is_system,
        post.url_preview,
        post.reply_id,
        post.uuid,
        now,
    )
    .await?;
    crate::store::files::link_message(&mut tx, &file_ids, id).await?;
    let chat = match before {
        Some(chat) => Chat { last_message_id: id, message_count, ..chat },
        None => {
            chats::get_tx(&mut tx, chat_id).await?.ok_or_else(|| Error::Internal(format!("chat {chat_id} vanished")))?
        }
    };
    let facts = events::MessageFacts {
        chat: &chat,
        author,
        id,
        text: &post.text,
        uuid: uuid.as_deref(),
        is_system: post.is_system,
        partner: partner.as_ref(),
        created_at: now,
    };
    let typing = events::message_added(&mut tx, state, &facts, route.as_ref()).await?;
    events::user_v2::message(&mut tx, state, UserEvent::MessageAdd, &chat, id, author).await?;
    commit(state, tx).await?;
    for bot in typing {
        publish_typing(state, chat_id, dialog.to_string(), bot);
    }
    Ok((chat_id, id, file_ids))
}

/// Commit a write transaction; wake the delivery worker if it queued events.
pub async fn commit(state: &AppState, tx: crate::store::Tx) -> Result<(), Error> {
    if tx.commit().await?.queued_events {
        state.outbox_signal.notify_one();
    }
    let _ = state.live.send(Live::Changed);
    Ok(())
}

/// The private dialog of `user` and `partner` inside `tx`, created when missing; opening one with a bot
/// sends the bot `ONIMBOTJOINCHAT`.
async fn open_private_tx(
    tx: &mut crate::store::Tx,
    state: &AppState,
    user: &User,
    partner: &User,
    now: i64,
) -> Result<ChatId, Error> {
    let (id, created) = chats::private_get_or_create(tx, user.id, partner.id, now).await?;
    if created {
        feed::append(tx, ChangeKind::ChatAdd, id, MessageId(0), user.id, &json!({"type": "P"}), now).await?;
        if partner.is_bot {
            if let (Some(bot), Some(chat)) = (bots::get_tx(tx, partner.id).await?, chats::get_tx(tx, id).await?) {
                events::bot_joined(tx, state, &chat, &bot, user).await?;
            }
        }
    }
    Ok(id)
}

/// Insert a message (see [`messages::insert`]); returns it and the chat's message count after it.
#[allow(clippy::too_many_arguments)]
async fn insert_message(
    tx: &mut crate::store::Tx,
    chat: ChatId,
    author: UserId,
    text: &str,
    params: Map<String, Value>,
    is_system: bool,
    url_preview: bool,
    reply: Option<MessageId>,
    uuid: Option<String>,
    now: i64,
) -> Result<(MessageId, i64), Error> {
    let m = NewMessage {
        chat_id: chat.0,
        author_id: author.0,
        text: text.to_owned(),
        is_system,
        url_preview,
        params,
        uuid,
        reply_id: reply.map(|r| r.0).unwrap_or(0),
    };
    Ok(messages::insert(tx, &m, &json!({"system": is_system}), now).await?)
}

/// A system message (author 0) with `params`, inside `tx`. The `actor` who caused it has read it (Bitrix moves the
/// sender's read mark for system messages too), so it never counts as unread for them.
async fn system_message(
    tx: &mut crate::store::Tx,
    chat: ChatId,
    actor: UserId,
    text: String,
    params: Map<String, Value>,
    now: i64,
) -> Result<MessageId, Error> {
    let (id, _) = insert_message(tx, chat, UserId(0), &text, params, true, false, None, None, now).await?;
    chats::set_read(tx, chat, actor, id, false).await?;
    Ok(id)
}

fn mention(u: &User) -> String {
    format!("[USER={} REPLACE]{}[/USER]", u.id, render::full_name(u))
}

/// What to change in a message; `None` fields stay.
#[derive(Debug, Clone, Default)]
pub struct Edit {
    pub text: Option<String>,
    /// Params to set (`Some(Some(v))`) or remove (`Some(None)`), by name.
    pub params: Vec<(String, Option<Value>)>,
    pub url_preview: Option<bool>,
    pub mark_edited: bool,
}

/// The message and whether `editor` may change it (author, within the window).
async fn editable(state: &AppState, editor: &User, id: MessageId, for_delete: bool) -> Result<(Message, Chat), Error> {
    let cant =
        || Error::api(ErrorCode::CANT_EDIT_MESSAGE, "Time has expired for modification or you don't have access");
    let m = messages::get(&state.store, id).await?.filter(|m| !m.deleted).ok_or_else(cant)?;
    let chat = chats::get(&state.store, m.chat_id).await?.ok_or_else(cant)?;
    let member = chats::member(&state.store, chat.id, editor.id).await?.ok_or_else(cant)?;
    let within = state.clock.unix() - m.created_at <= EDIT_WINDOW_SECONDS;
    let is_author = m.author_id == editor.id && !m.is_system;
    let ok = if for_delete {
        (is_author && within) || (chat.kind != ChatType::Private && member.role >= Role::Manager)
    } else {
        is_author && within
    };
    if ok {
        Ok((m, chat))
    } else {
        Err(cant())
    }
}

/// Edit a message. An empty new text deletes it (as Bitrix does).
pub async fn edit(state: &AppState, editor: &User, id: MessageId, edit: Edit) -> Result<(), Error> {
    if edit.text.as_deref().is_some_and(|t| t.trim().is_empty()) {
        return delete(state, editor, id).await;
    }
    let (m, chat) = editable(state, editor, id, false).await?;
    let now = state.clock.unix();
    let mut params = m.params.clone();
    for (k, v) in edit.params {
        match v {
            Some(v) => {
                params.insert(k, v);
            }
            None => {
                params.shift_remove(&k);
            }
        }
    }
    let text = edit.text.unwrap_or(m.text.clone());
    if edit.mark_edited || text != m.text {
        params.insert("IS_EDITED".into(), Value::String("Y".into()));
    }
    let mut tx = state.store.begin().await?;
    messages::update(&mut tx, id, &text, &params, edit.url_preview.unwrap_or(m.url_preview), now).await?;
    feed::append(&mut tx, ChangeKind::MessageUpdate, chat.id, id, editor.id, &json!({}), now).await?;
    let edited = Message { text: text.clone(), ..m.clone() };
    notify_bots_changed(&mut tx, state, &chat, &edited, false).await?;
    commit(state, tx).await?;
    Ok(())
}

/// Delete a message: it stays in history as "This message was deleted." with params `{"IS_DELETED":"Y"}`.
pub async fn delete(state: &AppState, editor: &User, id: MessageId) -> Result<(), Error> {
    let (m, chat) = editable(state, editor, id, true).await?;
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    messages::mark_deleted(&mut tx, id, DELETED_TEXT, now).await?;
    feed::append(&mut tx, ChangeKind::MessageDelete, chat.id, id, editor.id, &json!({}), now).await?;
    notify_bots_changed(&mut tx, state, &chat, &m, true).await?;
    commit(state, tx).await?;
    Ok(())
}

/// How to change a like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LikeAction {
    Auto,
    Plus,
    Minus,
}

/// Like or unlike a message the user can see. `Ok(false)` when nothing changed (`WITHOUT_CHANGES`).
pub async fn like(state: &AppState, user: &User, id: MessageId, action: LikeAction) -> Result<bool, Error> {
    let not_found = || Error::api(ErrorCode::MESSAGE_ID_ERROR, "Message ID can't be empty");
    let m = messages::get(&state.store, id).await?.filter(|m| !m.deleted).ok_or_else(not_found)?;
    let member = chats::member(&state.store, m.chat_id, user.id).await?;
    if member.is_none_or(|mem| m.id < mem.start_id) {
        return Err(not_found());
    }
    react_on(state, user, &m, Reaction::Like, action).await
}

/// Set (`Plus`), remove (`Minus`) or toggle (`Auto`, decided in the transaction) a reaction of `user` on `m`, a
/// message they can see; `Ok(false)` when nothing changed.
/// A change is in the feed (live views), and reaches the message's author if it is a v2 bot
/// (ONIMBOTV2REACTIONCHANGE, not for its own reactions) and the chat's subscribed users (ONIMV2REACTIONCHANGE).
pub async fn react_on(
    state: &AppState,
    user: &User,
    m: &Message,
    reaction: Reaction,
    action: LikeAction,
) -> Result<bool, Error> {
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    let on = match action {
        LikeAction::Auto => !messages::has_reaction_tx(&mut tx, m.id, user.id, reaction.as_str()).await?,
        LikeAction::Plus => true,
        LikeAction::Minus => false,
    };
    let changed = messages::set_reaction(&mut tx, m.id, user.id, reaction.as_str(), on, now).await?;
    if changed {
        let data = if reaction == Reaction::Like {
            json!({"like": on})
        } else {
            json!({"reaction": reaction.as_str(), "on": on})
        };
        feed::append(&mut tx, ChangeKind::MessageLike, m.chat_id, m.id, user.id, &data, now).await?;
        let action = if on { ReactionAction::Add } else { ReactionAction::Delete };
        if let Some(chat) = chats::get_tx(&mut tx, m.chat_id).await? {
            if m.author_id != user.id {
                if let Some(bot) = bots::get_tx(&mut tx, m.author_id).await?.filter(|b| b.is_v2()) {
                    events::v2::reaction(&mut tx, state, &bot, &chat, m, reaction, action, user).await?;
                }
            }
            events::user_v2::reaction(&mut tx, state, &chat, m, reaction, action, user).await?;
        }
    }
    commit(state, tx).await?;
    Ok(changed)
}

/// Title, description and colour (a v1 colour name) of a group chat at once (`imbot.v2.Chat.update`): the
/// actor needs the `manage_ui` right. Nothing given changes nothing.
pub async fn update_look(
    state: &AppState,
    actor: &User,
    chat: ChatId,
    title: Option<&str>,
    description: Option<&str>,
    color: Option<&str>,
) -> Result<(), Error> {
    let chat = group_chat_or_empty(chats::get(&state.store, chat).await?)?;
    let member = chats::member(&state.store, chat.id, actor.id).await?;
    if !member.as_ref().is_some_and(|m| chat.manage_ui.allows(m.role)) {
        return Err(Error::api(ErrorCode::ACCESS_ERROR, "Not enough rights to change the chat"));
    }
    if title.is_none() && description.is_none() && color.is_none() {
        return Ok(());
    }
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    if let Some(t) = title.filter(|t| !t.trim().is_empty()) {
        chats::set_title(&mut tx, chat.id, t.trim()).await?;
    }
    if let Some(d) = description {
        chats::set_description(&mut tx, chat.id, d).await?;
    }
    if let Some(c) = color {
        chats::set_color(&mut tx, chat.id, c).await?;
    }
    feed::append(&mut tx, ChangeKind::ChatUpdate, chat.id, MessageId(0), actor.id, &json!({}), now).await?;
    commit(state, tx).await
}

/// Switch a chat's input field on or off (`imbot.v2.Chat.TextField.enabled`); the caller checked membership.
pub async fn set_text_field(state: &AppState, actor: &User, chat: ChatId, enabled: bool) -> Result<(), Error> {
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    if chats::set_text_field(&mut tx, chat, enabled).await? {
        feed::append(
            &mut tx,
            ChangeKind::ChatUpdate,
            chat,
            MessageId(0),
            actor.id,
            &json!({"textField": enabled}),
            now,
        )
        .await?;
    }
    commit(state, tx).await
}

/// Options of a new group chat.
#[derive(Debug, Clone, Default)]
pub struct ChatSpec {
    pub open: bool,
    pub title: Option<String>,
    pub description: String,
    pub color: String,
    pub users: Vec<UserId>,
    pub message: Option<String>,
    pub entity_type: String,
    pub entity_id: String,
}

/// Create a group chat owned by `owner` with `spec.users` (unknown or inactive ids are skipped).
pub async fn create_chat(state: &AppState, owner: &User, spec: ChatSpec) -> Result<ChatId, Error> {
    let now = state.clock.unix();
    let mut members = Vec::new();
    for uid in spec.users.iter().filter(|u| **u != owner.id) {
        if let Some(u) = users::get(&state.store, *uid).await?.filter(|u| u.active) {
            if !members.iter().any(|m: &User| m.id == u.id) {
                members.push(u);
            }
        }
    }
    let title = match spec.title.filter(|t| !t.trim().is_empty()) {
        Some(t) => t,
        None => {
            let mut names: Vec<String> = vec![render::full_name(owner)];
            names.extend(members.iter().map(render::full_name));
            format!("Chat with {}", names.join(", "))
        }
    };
    let mut tx = state.store.begin().await?;
    let chat = chats::create(
        &mut tx,
        &NewChat {
            kind: if spec.open { ChatType::Open } else { ChatType::Closed },
            title,
            description: spec.description,
            color: spec.color,
            owner: owner.id,
            entity_type: spec.entity_type,
            entity_id: spec.entity_id,
        },
        now,
    )
    .await?;
    chats::add_member(&mut tx, chat, owner.id, Role::Owner, MessageId(0), now).await?;
    feed::append(
        &mut tx,
        ChangeKind::ChatAdd,
        chat,
        MessageId(0),
        owner.id,
        &json!({"type": if spec.open {"O"} else {"C"}}),
        now,
    )
    .await?;
    feed::append(&mut tx, ChangeKind::MemberAdd, chat, MessageId(0), owner.id, &json!({"by": owner.id.0}), now).await?;
    for u in &members {
        chats::add_member(&mut tx, chat, u.id, Role::Member, MessageId(0), now).await?;
        feed::append(&mut tx, ChangeKind::MemberAdd, chat, MessageId(0), u.id, &json!({"by": owner.id.0}), now).await?;
    }
    notify_bots_joined(&mut tx, state, chat, &members, owner).await?;
    if !members.is_empty() {
        let text = format!(
            "{} invited {} to the chat",
            mention(owner),
            members.iter().map(mention).collect::<Vec<_>>().join(", ")
        );
        system_message(&mut tx, chat, owner.id, text, join_params(), now).await?;
    }
    if let Some(text) = spec.message.filter(|m| !m.trim().is_empty()) {
        insert_message(&mut tx, chat, owner.id, text.trim(), Map::new(), false, true, None, None, now).await?;
    }
    commit(state, tx).await?;
    Ok(chat)
}

/// `ONIMBOTMESSAGEUPDATE` / `ONIMBOTMESSAGEDELETE` for the bots a changed message concerns.
async fn notify_bots_changed(
    tx: &mut crate::store::Tx,
    state: &AppState,
    chat: &Chat,
    m: &Message,
    deleted: bool,
) -> Result<(), Error> {
    let Some(author) = users::get(&state.store, m.author_id).await? else { return Ok(()) };
    let partner = match chat.kind {
        ChatType::Private => match chats::private_partner(&state.store, chat.id, author.id).await? {
            Some(p) => users::get(&state.store, p).await?,
            None => None,
        },
        _ => None,
    };
    let facts = events::MessageFacts {
        chat,
        author: &author,
        id: m.id,
        text: &m.text,
        uuid: m.uuid.as_deref(),
        is_system: m.is_system,
        partner: partner.as_ref(),
        created_at: m.created_at,
    };
    events::message_changed(tx, state, &facts, deleted).await?;
    if deleted {
        events::user_v2::message_deleted(tx, state, chat, m.id.0, &author).await
    } else {
        events::user_v2::message(tx, state, UserEvent::MessageUpdate, chat, m.id, &author).await
    }
}

/// `ONIMBOTJOINCHAT` for each bot among `joined`.
async fn notify_bots_joined(
    tx: &mut crate::store::Tx,
    state: &AppState,
    chat: ChatId,
    joined: &[User],
    by: &User,
) -> Result<(), Error> {
    let Some(c) = chats::get_tx(tx, chat).await? else { return Ok(()) };
    events::user_v2::joined(tx, state, &c, joined).await?;
    for u in joined.iter().filter(|u| u.is_bot) {
        if let Some(bot) = bots::get_tx(tx, u.id).await? {
            events::bot_joined(tx, state, &c, &bot, by).await?;
        }
    }
    Ok(())
}

fn join_params() -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("CODE".into(), json!(["CHAT_JOIN"]));
    p.insert("NOTIFY".into(), json!("N"));
    p
}

fn group_chat_or_empty(chat: Option<Chat>) -> Result<Chat, Error> {
    chat.filter(|c| c.kind != ChatType::Private)
        .ok_or_else(|| Error::api(ErrorCode::CHAT_ID_EMPTY, "Chat ID can't be empty"))
}

/// Add users to a chat as `actor`. `hide_history`: new members see only messages from now on.
/// Returns the ids actually added.
pub async fn add_users(
    state: &AppState,
    actor: &User,
    chat: ChatId,
    ids: &[UserId],
    hide_history: bool,
) -> Result<Vec<UserId>, Error> {
    let chat = group_chat_or_empty(chats::get(&state.store, chat).await?)?;
    let member = chats::member(&state.store, chat.id, actor.id)
        .await?
        .ok_or_else(|| Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"))?;
    if !chat.manage_users_add.allows(member.role) {
        return Err(Error::api(
            ErrorCode::ACCESS_DENIED_EXTEND,
            "Insufficient permissions to add participants to the chat",
        ));
    }
    let now = state.clock.unix();
    let mut new = Vec::new();
    for id in ids {
        if let Some(u) = users::get(&state.store, *id).await?.filter(|u| u.active) {
            if chats::member(&state.store, chat.id, u.id).await?.is_none() && !new.iter().any(|n: &User| n.id == u.id) {
                new.push(u);
            }
        }
    }
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = state.store.begin().await?;
    let start = if hide_history {
        MessageId(chats::get_tx(&mut tx, chat.id).await?.map(|c| c.last_message_id.0 + 1).unwrap_or(0))
    } else {
        MessageId(0)
    };
    for u in &new {
        chats::add_member(&mut tx, chat.id, u.id, Role::Member, start, now).await?;
        feed::append(&mut tx, ChangeKind::MemberAdd, chat.id, MessageId(0), u.id, &json!({"by": actor.id.0}), now)
            .await?;
    }
    notify_bots_joined(&mut tx, state, chat.id, &new, actor).await?;
    let text =
        format!("{} invited {} to the chat", mention(actor), new.iter().map(mention).collect::<Vec<_>>().join(", "));
    system_message(&mut tx, chat.id, actor.id, text, join_params(), now).await?;
    commit(state, tx).await?;
    Ok(new.iter().map(|u| u.id).collect())
}

/// Remove `target` from a chat as `actor` (leaving when they are the same).
pub async fn remove_user(state: &AppState, actor: &User, chat: ChatId, target: UserId) -> Result<(), Error> {
    let chat = group_chat_or_empty(chats::get(&state.store, chat).await?)?;
    let leaving = actor.id == target;
    let actor_member = chats::member(&state.store, chat.id, actor.id).await?;
    let Some(actor_member) = actor_member else {
        return Err(if leaving {
            Error::api(ErrorCode::ACCESS_DENIED_KICK, "Access denied to kick user from chat")
        } else {
            Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable")
        });
    };
    let target_member = chats::member(&state.store, chat.id, target)
        .await?
        .ok_or_else(|| Error::api(ErrorCode::USER_NOT_FOUND, "The specified user is not in the chat"))?;
    if !leaving && (!chat.manage_users_delete.allows(actor_member.role) || target_member.role >= actor_member.role) {
        return Err(Error::api(
            ErrorCode::ACCESS_DENIED_KICK,
            "Insufficient rights to exclude participants from the chat",
        ));
    }
    let target_user = users::get(&state.store, target).await?;
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    chats::remove_member(&mut tx, chat.id, target).await?;
    feed::append(&mut tx, ChangeKind::MemberRemove, chat.id, MessageId(0), target, &json!({"by": actor.id.0}), now)
        .await?;
    // An owner who leaves hands the chat to the longest-standing remaining member.
    if chat.owner_id == target {
        let next: Option<i64> = {
            let rest = chats::members(&state.store, chat.id).await?;
            rest.into_iter().find(|m| m.user_id != target).map(|m| m.user_id.0)
        };
        if let Some(next) = next {
            chats::set_owner(&mut tx, chat.id, UserId(next)).await?;
        }
    }
    if let Some(u) = target_user {
        let text = if leaving {
            format!("{} left the chat", mention(&u))
        } else {
            format!("{} removed {} from the chat", mention(actor), mention(&u))
        };
        let mut p = Map::new();
        p.insert("CODE".into(), json!(["CHAT_LEAVE"]));
        p.insert("NOTIFY".into(), json!("N"));
        system_message(&mut tx, chat.id, actor.id, text, p, now).await?;
    }
    commit(state, tx).await?;
    Ok(())
}

/// Mark read up to `upto` (or everything) in a dialog; returns (chat, new read mark, unread counter).
pub async fn read(
    state: &AppState,
    user: &User,
    view: &DialogView,
    upto: Option<MessageId>,
) -> Result<(MessageId, i64), Error> {
    let (Some(chat), Some(_)) = (&view.chat, &view.member) else {
        return Ok((MessageId(0), 0));
    };
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    // Never past the newest message: a mark beyond it would swallow messages not written yet.
    let last = chats::get_tx(&mut tx, chat.id).await?.map_or(chat.last_message_id, |c| c.last_message_id);
    let target = upto.map_or(last, |u| u.min(last));
    let mark = chats::set_read(&mut tx, chat.id, user.id, target, false).await?;
    feed::append(&mut tx, ChangeKind::Read, chat.id, mark, user.id, &json!({}), now).await?;
    commit(state, tx).await?;
    let counter = chats::unread_count(&state.store, chat.id, user.id).await?;
    Ok((mark, counter))
}

/// Mark unread from `from` on (the read mark moves to just before it).
pub async fn unread(state: &AppState, user: &User, view: &DialogView, from: MessageId) -> Result<(), Error> {
    let (Some(chat), Some(_)) = (&view.chat, &view.member) else {
        return Ok(());
    };
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    let last = chats::get_tx(&mut tx, chat.id).await?.map_or(chat.last_message_id, |c| c.last_message_id);
    let mark = chats::set_read(&mut tx, chat.id, user.id, MessageId((from.0 - 1).min(last.0)), true).await?;
    feed::append(&mut tx, ChangeKind::Unread, chat.id, mark, user.id, &json!({}), now).await?;
    commit(state, tx).await?;
    Ok(())
}

/// Make sure the private dialog between `user` and `partner` exists.
pub async fn ensure_private(state: &AppState, user: &User, partner: &User) -> Result<ChatId, Error> {
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    let id = open_private_tx(&mut tx, state, user, partner, now).await?;
    commit(state, tx).await?;
    Ok(id)
}

/// Ephemeral events for live listeners (the web chat); never stored. Sending with no listener is fine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    Typing {
        chat: ChatId,
        dialog: String,
        user: UserId,
    },
    /// The change feed grew: live views read it from where they are.
    Changed,
}

/// Publish "typing" in a dialog.
pub fn typing(state: &AppState, user: &User, view: &DialogView) {
    publish_typing(state, view.chat_id(), view.dialog.to_string(), user.id);
}

/// "`user` is typing in `chat`", to this instance's live views and (PostgreSQL) every other instance's.
fn publish_typing(state: &AppState, chat: ChatId, dialog: String, user: UserId) {
    if state.store.backend() == crate::store::Backend::Postgres {
        let payload = json!({"origin": state.instance, "typing": {"chat": chat.0, "dialog": dialog, "user": user.0}});
        let store = state.store.clone();
        tokio::spawn(async move {
            if let Err(e) = crate::store::notify::publish(&store, &payload).await {
                tracing::warn!(error = %e, "cannot tell other instances about typing");
            }
        });
    }
    let _ = state.live.send(Live::Typing { chat, dialog, user });
}

/// On PostgreSQL, follow what other instances announce (`store::notify`) and feed it to this instance's live
/// views: a feed that grew elsewhere wakes them as a local commit does, typing elsewhere is typing here. `None`
/// on SQLite (one process).
pub fn follow_other_instances(state: std::sync::Arc<AppState>) -> Option<tokio::task::JoinHandle<()>> {
    if state.store.backend() != crate::store::Backend::Postgres {
        return None;
    }
    let (tx, mut rx) = tokio::sync::mpsc::channel(256);
    Some(tokio::spawn(async move {
        let forward = async {
            while let Some(notice) = rx.recv().await {
                match notice {
                    crate::store::notify::Notice::FeedGrew => {
                        let _ = state.live.send(Live::Changed);
                    }
                    crate::store::notify::Notice::Live(v) => {
                        if v["origin"].as_str() == Some(state.instance.as_str()) {
                            continue;
                        }
                        let t = &v["typing"];
                        if let (Some(chat), Some(dialog), Some(user)) =
                            (t["chat"].as_i64(), t["dialog"].as_str(), t["user"].as_i64())
                        {
                            let typing =
                                Live::Typing { chat: ChatId(chat), dialog: dialog.to_owned(), user: UserId(user) };
                            let _ = state.live.send(typing);
                        }
                    }
                }
            }
        };
        // One task: aborting it drops the LISTEN connection too.
        tokio::join!(crate::store::notify::listen(state.store.clone(), tx), forward);
    }))
}

/// Post into `chat` without membership or rights checks: for answers the caller has already authorised
/// (a bot's command answer through its 10-minute window). Bot authors cause no bot events.
pub async fn post_unchecked(state: &AppState, author: &User, chat: ChatId, post: Post) -> Result<MessageId, Error> {
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    let (id, _) = insert_message(
        &mut tx,
        chat,
        author.id,
        &post.text,
        post.params,
        post.is_system,
        post.url_preview,
        None,
        post.uuid,
        now,
    )
    .await?;
    commit(state, tx).await?;
    Ok(id)
}

/// The dialog id of `chat` as seen by `viewer` (`chatN`, or the other user's id for a private dialog).
pub async fn dialog_of(state: &AppState, chat: &Chat, viewer: UserId) -> Result<DialogId, Error> {
    Ok(match chat.kind {
        ChatType::Private => match chats::private_partner(&state.store, chat.id, viewer).await? {
            Some(u) => DialogId::User(u.0),
            None => DialogId::Chat(chat.id.0),
        },
        _ => DialogId::Chat(chat.id.0),
    })
}

/// Run a bot command in the context of `message` (a keyboard button or menu item pressed by `invoker`):
/// `ONIMCOMMANDADD` with `COMMAND_CONTEXT` KEYBOARD or MENU. The invoker must be able to read the message.
pub async fn command_on_message(
    state: &AppState,
    invoker: &User,
    message: &Message,
    bot: &bots::Bot,
    command: &bots::Command,
    params: &str,
    context: events::CommandContext,
) -> Result<(), Error> {
    let chat = chats::get(&state.store, message.chat_id)
        .await?
        .ok_or_else(|| Error::api(ErrorCode::MESSAGE_ID_ERROR, "Message not found"))?;
    let member = chats::member(&state.store, chat.id, invoker.id).await?;
    if member.is_none_or(|m| message.id < m.start_id) {
        return Err(Error::api(ErrorCode::MESSAGE_ID_ERROR, "Message not found"));
    }
    let author = users::get(&state.store, message.author_id).await?;
    let partner = match chat.kind {
        ChatType::Private => chats::private_partner(&state.store, chat.id, invoker.id).await?,
        _ => None,
    };
    let partner_user = match partner {
        Some(p) => users::get(&state.store, p).await?,
        None => None,
    };
    let author = author.unwrap_or_else(|| invoker.clone());
    let facts = events::MessageFacts {
        chat: &chat,
        author: &author,
        id: message.id,
        text: &message.text,
        uuid: message.uuid.as_deref(),
        is_system: message.is_system,
        partner: partner_user.as_ref(),
        created_at: message.created_at,
    };
    let mut tx = state.store.begin().await?;
    events::command_in_context(&mut tx, state, &facts, invoker, bot, command, params, context).await?;
    commit(state, tx).await
}

/// A change to a group chat's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatChange {
    Title(String),
    /// One of the 16 colour names.
    Color(String),
    Owner(UserId),
    Manager(UserId, bool),
    /// A new avatar image (validated by the caller; files are not stored yet, so only rights are checked).
    Avatar,
}

/// Change a group chat as `actor`: title and colour need the `manage_ui` right; owner and managers can be
/// changed only by the owner and only to members. Errors as the imbot.chat.* pages list them: a chat that does
/// not exist is `ACCESS_ERROR` for the title and `WRONG_REQUEST` otherwise ("This color currently set or chat
/// doesn't exist", "Chat doesn't exist", "Change … can only owner …"); a private dialog, or a chat whose look
/// nobody may change, "cannot be renamed" / its avatar "cannot be changed" (`403 ACCESS_ERROR`).
pub async fn change_chat(state: &AppState, actor: &User, chat: ChatId, change: ChatChange) -> Result<(), Error> {
    let only_owner = |what: &str| {
        Error::api(ErrorCode::WRONG_REQUEST, format!("Change {what} can only owner and user must be member in chat"))
    };
    let refusal = |fixed: bool| match &change {
        ChatChange::Title(_) if fixed => Error::api(ErrorCode::ACCESS_ERROR, "This chat cannot be renamed"),
        ChatChange::Avatar if fixed => Error::api(ErrorCode::ACCESS_ERROR, "The avatar of this chat cannot be changed"),
        ChatChange::Color(_) if fixed => Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"),
        ChatChange::Title(_) => Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"),
        ChatChange::Color(_) => Error::api(ErrorCode::WRONG_REQUEST, "This color currently set or chat doesn't exist"),
        ChatChange::Avatar => Error::api(ErrorCode::WRONG_REQUEST, "Chat doesn't exist"),
        ChatChange::Owner(_) => only_owner("owner"),
        ChatChange::Manager(..) => only_owner("manager"),
    };
    let Some(chat) = chats::get(&state.store, chat).await? else { return Err(refusal(false)) };
    let fixed_look = chat.kind == ChatType::Private || chat.manage_ui == chats::Rights::Nobody;
    match &change {
        ChatChange::Title(_) | ChatChange::Color(_) | ChatChange::Avatar if fixed_look => return Err(refusal(true)),
        ChatChange::Owner(_) | ChatChange::Manager(..) if chat.kind == ChatType::Private => return Err(refusal(true)),
        _ => {}
    }
    let member = chats::member(&state.store, chat.id, actor.id).await?;
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    match &change {
        ChatChange::Avatar => {
            if !member.as_ref().is_some_and(|m| chat.manage_ui.allows(m.role)) {
                return Err(Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"));
            }
        }
        ChatChange::Title(t) | ChatChange::Color(t) => {
            if !member.as_ref().is_some_and(|m| chat.manage_ui.allows(m.role)) {
                return Err(Error::api(ErrorCode::ACCESS_ERROR, "Action unavailable"));
            }
            if let ChatChange::Title(_) = change {
                chats::set_title(&mut tx, chat.id, t).await?;
            } else {
                if chat.color.eq_ignore_ascii_case(t) {
                    return Err(Error::api(ErrorCode::WRONG_REQUEST, "This color currently set or chat doesn't exist"));
                }
                chats::set_color(&mut tx, chat.id, t).await?;
            }
        }
        ChatChange::Owner(u) | ChatChange::Manager(u, _) => {
            let target = chats::member(&state.store, chat.id, *u).await?;
            let is_owner = member.as_ref().is_some_and(|m| m.role == Role::Owner);
            if !is_owner || target.is_none() {
                let what = if matches!(change, ChatChange::Owner(_)) { "owner" } else { "manager" };
                return Err(Error::api(
                    ErrorCode::WRONG_REQUEST,
                    format!("Change {what} can only owner and user must be member in chat"),
                ));
            }
            match change {
                ChatChange::Owner(u) => {
                    chats::set_role(&mut tx, chat.id, actor.id, Role::Manager).await?;
                    chats::set_owner(&mut tx, chat.id, u).await?;
                }
                ChatChange::Manager(u, on) if u != actor.id => {
                    chats::set_role(&mut tx, chat.id, u, if on { Role::Manager } else { Role::Member }).await?;
                }
                _ => {}
            }
        }
    }
    feed::append(&mut tx, ChangeKind::ChatUpdate, chat.id, MessageId(0), actor.id, &json!({}), now).await?;
    commit(state, tx).await
}

/// `user` opened the private dialog with `bot` carrying `context` (a `BOT_CONTEXT` link,
/// `im.v2.Chat.Bot.sendContext`): the dialog exists from now on and a v2 bot gets ONIMBOTV2CONTEXTGET (v1 has
/// no such event).
pub async fn send_bot_context(
    state: &AppState,
    user: &User,
    bot: &bots::Bot,
    bot_user: &User,
    context: Map<String, Value>,
) -> Result<(), Error> {
    let now = state.clock.unix();
    let mut tx = state.store.begin().await?;
    let chat = open_private_tx(&mut tx, state, user, bot_user, now).await?;
    if bot.is_v2() {
        let c = chats::get_tx(&mut tx, chat).await?.ok_or_else(|| Error::Internal(format!("chat {chat} vanished")))?;
        events::v2::context(&mut tx, state, bot, &c, user, context).await?;
    }
    commit(state, tx).await
}
