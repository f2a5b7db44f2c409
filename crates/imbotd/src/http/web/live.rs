//! `GET /web/live`: Server-Sent Events for one signed-in user, fed by the change feed.
//!
//! The stream follows `change_feed.seq` from where the page connected (or from `Last-Event-ID` after a
//! reconnect, so nothing committed in between is missed), keeps only changes of chats the user is a member of,
//! and turns each into one event the page renders at once: `message`, `message_update`, `message_delete`,
//! `like`, `counter` (the user's unread count of a dialog), `dialog` (a dialog appeared or changed), and
//! `typing` from the ephemeral live channel. It wakes on every messenger commit in this process and polls the
//! feed once a second for writes from elsewhere (the admin CLI, other instances). A session that ends closes
//! the stream at its next minute check. Read errors are logged and retried on the next tick.

use super::{session, web_error, Ctx};
use crate::domain::{ChatId, MessageId, UserId};
use crate::messenger::{render, Live};
use crate::store::chats::{self, ChatType};
use crate::store::feed::{self, Change, ChangeKind};
use crate::store::users::User;
use crate::store::{messages, users, web as wstore, StoreError};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// How far back a reconnecting page may ask to be replayed.
const MAX_REPLAY: i64 = 10_000;

struct Follower {
    ctx: Ctx,
    me: User,
    session_id: i64,
    last_seq: i64,
    chats: HashSet<ChatId>,
    kinds: HashMap<ChatId, ChatType>,
    rx: tokio::sync::broadcast::Receiver<Live>,
    queue: VecDeque<Event>,
    checked_at: Instant,
}

pub async fn stream(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    let (s, me) = match session::current(&ctx.state, &headers).await {
        Ok(Some(x)) => x,
        Ok(None) => return web_error(401, "UNAUTHORIZED", "Not signed in"),
        Err(e) => return super::internal(e),
    };
    let rx = ctx.state.live.subscribe();
    let store = &ctx.state.store;
    let (head, chats) = match (feed::head(store).await, wstore::chat_ids(store, me.id).await) {
        (Ok(h), Ok(c)) => (h, c),
        (Err(e), _) | (_, Err(e)) => return super::internal(e),
    };
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|s| *s <= head && head - *s <= MAX_REPLAY);
    let f = Follower {
        ctx,
        me,
        session_id: s.id,
        last_seq: resume.unwrap_or(head),
        chats: chats.into_iter().collect(),
        kinds: HashMap::new(),
        rx,
        queue: VecDeque::new(),
        checked_at: Instant::now(),
    };
    let events = futures_util::stream::unfold(f, |mut f| async move {
        loop {
            if let Some(e) = f.queue.pop_front() {
                return Some((Ok::<Event, Infallible>(e), f));
            }
            if f.checked_at.elapsed() > Duration::from_secs(60) {
                f.checked_at = Instant::now();
                if !f.session_alive().await {
                    return None;
                }
            }
            tokio::select! {
                msg = f.rx.recv() => match msg {
                    Ok(Live::Typing { chat, user, .. }) => f.typing(chat, user).await,
                    Ok(Live::Changed) | Err(RecvError::Lagged(_)) => f.catch_up().await,
                    Err(RecvError::Closed) => return None,
                },
                _ = tokio::time::sleep(Duration::from_secs(1)) => f.catch_up().await,
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))).into_response()
}

impl Follower {
    async fn session_alive(&self) -> bool {
        let state = &self.ctx.state;
        // A read error keeps the stream: the next check decides.
        wstore::is_open(&state.store, self.session_id, state.clock.unix()).await.unwrap_or(true)
    }

    fn push(&mut self, name: &str, data: Value, id: Option<i64>) {
        let mut e = Event::default().event(name).data(data.to_string());
        if let Some(id) = id {
            e = e.id(id.to_string());
        }
        self.queue.push_back(e);
    }

    async fn kind(&mut self, chat: ChatId) -> Result<Option<ChatType>, StoreError> {
        if let Some(k) = self.kinds.get(&chat) {
            return Ok(Some(*k));
        }
        let k = chats::get(&self.ctx.state.store, chat).await?.map(|c| c.kind);
        if let Some(k) = k {
            self.kinds.insert(chat, k);
        }
        Ok(k)
    }

    /// The dialog id of `chat` as this user sees it.
    async fn dialog_id(&mut self, chat: ChatId) -> Result<String, StoreError> {
        let private = self.kind(chat).await? == Some(ChatType::Private);
        super::api::dialog_id_for(&self.ctx.state.store, chat, private, self.me.id).await
    }

    async fn typing(&mut self, chat: ChatId, user: UserId) {
        if user == self.me.id || !self.chats.contains(&chat) {
            return;
        }
        let r: Result<(), StoreError> = async {
            let dialog = self.dialog_id(chat).await?;
            let name =
                users::get(&self.ctx.state.store, user).await?.map(|u| render::full_name(&u)).unwrap_or_default();
            self.push(
                "typing",
                json!({"dialog_id": dialog, "chat_id": chat.0, "user_id": user.0, "user_name": name}),
                None,
            );
            Ok(())
        }
        .await;
        if let Err(e) = r {
            tracing::warn!(error = %e, "live: cannot show typing");
        }
    }

    /// Read every feed record after `last_seq` and queue the events for this user.
    async fn catch_up(&mut self) {
        loop {
            let batch = match feed::read(&self.ctx.state.store, self.last_seq, 200).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(error = %e, "live: cannot read the change feed");
                    return;
                }
            };
            if batch.is_empty() {
                return;
            }
            for c in batch {
                if let Err(e) = self.apply(&c).await {
                    tracing::warn!(error = %e, seq = c.seq, "live: cannot render a change");
                }
                self.last_seq = c.seq;
            }
        }
    }

    async fn apply(&mut self, c: &Change) -> Result<(), StoreError> {
        let store = self.ctx.state.store.clone();
        if matches!(c.kind, ChangeKind::ChatAdd | ChangeKind::MemberAdd | ChangeKind::MemberRemove) {
            let was = self.chats.contains(&c.chat_id);
            self.chats = wstore::chat_ids(&store, self.me.id).await?.into_iter().collect();
            if was || self.chats.contains(&c.chat_id) {
                let dialog = self.dialog_id(c.chat_id).await?;
                self.push("dialog", json!({"dialog_id": dialog, "chat_id": c.chat_id.0}), Some(c.seq));
            }
            return Ok(());
        }
        if !self.chats.contains(&c.chat_id) {
            return Ok(());
        }
        let dialog = self.dialog_id(c.chat_id).await?;
        let tz = self.ctx.state.config.timezone;
        match c.kind {
            ChangeKind::ChatUpdate => {
                self.push("dialog", json!({"dialog_id": dialog, "chat_id": c.chat_id.0}), Some(c.seq));
            }
            ChangeKind::MessageAdd | ChangeKind::MessageUpdate => {
                let Some(m) = messages::get(&store, c.message_id).await? else { return Ok(()) };
                let likes = self.likes(c.message_id).await?;
                let mine = m.author_id == self.me.id;
                let msg = render::message(&m, &likes, !mine, tz);
                if c.kind == ChangeKind::MessageAdd {
                    let author = users::get(&store, render::shown_author(&m)).await?.map(|u| render::user(&u, tz));
                    self.push(
                        "message",
                        json!({"dialog_id": dialog, "chat_id": c.chat_id.0, "message": msg, "user": author}),
                        Some(c.seq),
                    );
                    self.counter(&dialog, c.chat_id, c.seq).await?;
                } else {
                    self.push(
                        "message_update",
                        json!({"dialog_id": dialog, "chat_id": c.chat_id.0, "message": msg}),
                        Some(c.seq),
                    );
                }
            }
            ChangeKind::MessageDelete => {
                self.push(
                    "message_delete",
                    json!({"dialog_id": dialog, "chat_id": c.chat_id.0, "message_id": c.message_id.0}),
                    Some(c.seq),
                );
                self.counter(&dialog, c.chat_id, c.seq).await?;
            }
            ChangeKind::MessageLike => {
                let likes: Vec<i64> = self.likes(c.message_id).await?.iter().map(|u| u.0).collect();
                self.push(
                    "like",
                    json!({"dialog_id": dialog, "chat_id": c.chat_id.0, "message_id": c.message_id.0, "likes": likes}),
                    Some(c.seq),
                );
            }
            ChangeKind::Read | ChangeKind::Unread if c.user_id == self.me.id => {
                self.counter(&dialog, c.chat_id, c.seq).await?;
            }
            _ => {}
        }
        Ok(())
    }

    async fn likes(&self, id: MessageId) -> Result<Vec<UserId>, StoreError> {
        Ok(messages::likes_of(&self.ctx.state.store, &[id]).await?.into_iter().map(|(_, u)| u).collect())
    }

    async fn counter(&mut self, dialog: &str, chat: ChatId, seq: i64) -> Result<(), StoreError> {
        let n = chats::unread_count(&self.ctx.state.store, chat, self.me.id).await?;
        self.push("counter", json!({"dialog_id": dialog, "chat_id": chat.0, "counter": n}), Some(seq));
        Ok(())
    }
}
