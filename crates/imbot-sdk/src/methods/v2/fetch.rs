//! Fetch mode: `imbot.v2.Event.get`, the `im.v2.Event.*` user queue, and [`EventPoller`], the polling loop
//! (docs/v2.md §3.6, §3.7, §5.4).
//!
//! The queue protocol: every event has a strictly increasing `eventId`; a call with `offset = N` first
//! **acknowledges** (deletes) every event below `N`, then answers up to `limit` of the rest, oldest first, with
//! `nextOffset` (one past the last one answered) and `hasMore`. Without `offset` nothing is acknowledged, so the
//! same events come again — delivery is at least once, and a bot must tolerate seeing an event twice.

use super::{bot_params, decode, ok_result};
use crate::client::Client;
use crate::error::Result;
use crate::events::{EventError, V2Event};
use crate::serde_util::de;
use futures_util::Stream;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::VecDeque;
use std::time::Duration;

/// One event of an `Event.get` answer: `{eventId, type, date, data}`; `data` is the fetch form (the full bot
/// object first for bot events, typed values). [`QueuedEvent::event`] parses it.
///
/// ```
/// use imbot_sdk::events::V2Event;
/// use imbot_sdk::methods::v2::QueuedEvent;
/// let q: QueuedEvent = serde_json::from_value(serde_json::json!({
///     "eventId": 1001, "type": "ONIMBOTV2JOINCHAT", "date": "2025-01-15T10:30:00+02:00",
///     "data": {"bot": {"id": 456, "code": "support_bot", "type": "bot"}, "dialogId": "chat5",
///              "chat": {"id": 5, "dialogId": "chat5"}, "user": {"id": 1}, "language": "en"}
/// })).unwrap();
/// let V2Event::JoinChat(j) = q.event().unwrap() else { panic!() };
/// assert_eq!((j.meta.event_id, j.dialog_id, j.bot.unwrap().id), (Some(1001), Some(imbot_sdk::DialogId::Chat(5)), 456));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct QueuedEvent {
    /// `eventId`.
    #[serde(default, deserialize_with = "de::int")]
    pub event_id: i64,
    /// `type`: `ONIMBOTV2…` (bot events) or `ONIMV2…` (user events).
    #[serde(default, rename = "type", deserialize_with = "de::string")]
    pub kind: String,
    /// `date`: when it happened, ISO 8601.
    #[serde(default, deserialize_with = "de::string")]
    pub date: String,
    /// `data`, as sent.
    #[serde(default)]
    pub data: Value,
}

impl QueuedEvent {
    /// The typed event (its `meta` carries `event_id` and `date`).
    ///
    /// Errors: [`EventError::Malformed`] when `data` lacks what the event needs (`bot.id`, `message.id`, …).
    ///
    /// ```
    /// let q: imbot_sdk::methods::v2::QueuedEvent =
    ///     serde_json::from_value(serde_json::json!({"eventId": 1, "type": "ONIMBOTV2MESSAGEADD", "data": {}})).unwrap();
    /// assert!(q.event().is_err());
    /// ```
    pub fn event(&self) -> std::result::Result<V2Event, EventError> {
        V2Event::from_fetch(&self.kind, self.data.clone(), Some(self.event_id), Some(self.date.clone()))
    }
}

/// An `Event.get` answer.
///
/// ```
/// let p: imbot_sdk::methods::v2::EventPage = serde_json::from_value(serde_json::json!(
///     {"events": [{"eventId": 1001, "type": "ONIMBOTV2DELETE", "date": "", "data": {"bot": {"id": 1}}}], "nextOffset": 1002, "hasMore": false}
/// )).unwrap();
/// assert_eq!((p.events[0].event_id, p.next_offset, p.has_more), (1001, 1002, false));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EventPage {
    /// `events`, oldest first.
    #[serde(default, deserialize_with = "de::list")]
    pub events: Vec<QueuedEvent>,
    /// `nextOffset`: send it as `offset` once these events are handled (kept also when `events` is empty).
    #[serde(default, deserialize_with = "de::int")]
    pub next_offset: i64,
    /// `hasMore`: more events wait beyond these.
    #[serde(default, deserialize_with = "de::flag")]
    pub has_more: bool,
}

fn event_params(mut p: Map<String, Value>, offset: Option<i64>, limit: Option<u32>) -> Value {
    if let Some(o) = offset {
        p.insert("offset".into(), o.into());
    }
    if let Some(l) = limit {
        p.insert("limit".into(), l.into());
    }
    Value::Object(p)
}

impl Client {
    /// `imbot.v2.Event.get`: the fetch-mode bot's events. `offset` acknowledges every event below it; `limit`
    /// is 1–1000 (default 100); `with_user_events` adds the calling user's `ONIMV2*` events (needs scope `im`
    /// and `im.v2.Event.subscribe`), acknowledged by the same offset. For a loop, use [`EventPoller`].
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let page = client.imbot_v2_event_get(456, None, Some(50), false).await?;
    /// for e in &page.events {
    ///     println!("{} {}", e.event_id, e.kind);
    /// }
    /// // Handled: acknowledge them with the next call.
    /// client.imbot_v2_event_get(456, Some(page.next_offset), Some(50), false).await?;
    /// # Ok(()) }
    /// ```
    pub async fn imbot_v2_event_get(
        &self,
        bot_id: i64,
        offset: Option<i64>,
        limit: Option<u32>,
        with_user_events: bool,
    ) -> Result<EventPage> {
        const M: &str = "imbot.v2.Event.get";
        let mut p = bot_params(bot_id);
        if with_user_events {
            p.insert("withUserEvents".into(), true.into());
        }
        decode(M, self.call(M, event_params(p, offset, limit)).await?)
    }

    /// `im.v2.Event.subscribe`: from now on the calling user's message, reaction and join events are recorded
    /// (kept 24 hours) for `im.v2.Event.get`. Idempotent.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_v2_event_subscribe().await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_v2_event_subscribe(&self) -> Result<bool> {
        Ok(ok_result(&self.call("im.v2.Event.subscribe", Value::Object(Map::new())).await?))
    }

    /// `im.v2.Event.unsubscribe`: recording stops; what was recorded stays until acknowledged or expired.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// client.im_v2_event_unsubscribe().await?;
    /// # Ok(()) }
    /// ```
    pub async fn im_v2_event_unsubscribe(&self) -> Result<bool> {
        Ok(ok_result(&self.call("im.v2.Event.unsubscribe", Value::Object(Map::new())).await?))
    }

    /// `im.v2.Event.get`: the calling user's recorded events (`ONIMV2*`, no `bot`); an unsubscribed user gets
    /// none. The queue is per user: an `offset` from any application acknowledges for all.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let page = client.im_v2_event_get(None, None).await?;
    /// # let _ = page; Ok(()) }
    /// ```
    pub async fn im_v2_event_get(&self, offset: Option<i64>, limit: Option<u32>) -> Result<EventPage> {
        const M: &str = "im.v2.Event.get";
        decode(M, self.call(M, event_params(Map::new(), offset, limit)).await?)
    }
}

#[derive(Debug, Clone, Copy)]
enum Source {
    Bot { bot_id: i64, with_user_events: bool },
    User,
}

/// The fetch loop: polls `Event.get`, hands out the events, acknowledges them, backs off while idle.
///
/// **Acknowledgement.** A batch is acknowledged by the *next* request (it carries the batch's `nextOffset`),
/// which [`EventPoller::next_batch`] sends only when you ask for more — so ask after handling the previous
/// batch. Until then the server keeps the events; if the process dies mid-batch, the whole batch comes again.
/// That is **at-least-once** delivery: make handlers idempotent (or remember `eventId`s). Persist
/// [`EventPoller::cursor`] after handling a batch to resume with [`EventPoller::resume_at`] without
/// re-handling; [`EventPoller::acknowledge`] sends the acknowledgement at once (before shutting down).
///
/// **Pacing.** When a poll returns nothing, the next one waits `idle_min`, doubling up to `idle_max` (defaults 2
/// and 30 seconds; the docs advise 5–30 s when idle); when the server says `hasMore`, the next poll waits
/// `busy_pause` (default 2 s, the documented minimum; 0 against imbotd is fine). Any answer with events resets
/// the idle wait. An error is returned as it is; the next call retries (after the current idle wait).
///
/// ```no_run
/// use imbot_sdk::events::V2Event;
/// use imbot_sdk::methods::v2::EventPoller;
///
/// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
/// let mut poller = EventPoller::bot(client.clone(), 456);
/// loop {
///     for queued in poller.next_batch().await? {
///         match queued.event() {
///             Ok(V2Event::CommandAdd(c)) => {
///                 client.imbot_v2_command_answer(c.bot_id(), &c.answer("Pong")).await?;
///             }
///             Ok(V2Event::Delete(_)) => return Ok(()),
///             Ok(other) => println!("{}", other.name()),
///             Err(e) => eprintln!("event {}: {e}", queued.event_id),
///         }
///     }
///     // Asking for the next batch acknowledges this one.
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct EventPoller {
    client: Client,
    source: Source,
    limit: Option<u32>,
    cursor: Option<i64>,
    idle_min: Duration,
    idle_max: Duration,
    busy_pause: Duration,
    idle: Option<Duration>,
    busy: bool,
}

impl EventPoller {
    /// The poller of fetch-mode bot `bot_id` (`imbot.v2.Event.get`).
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// let p = imbot_sdk::methods::v2::EventPoller::bot(client, 456);
    /// assert_eq!(p.cursor(), None);
    /// ```
    pub fn bot(client: Client, bot_id: i64) -> Self {
        Self::new(client, Source::Bot { bot_id, with_user_events: false })
    }

    /// The poller of the calling user's queue (`im.v2.Event.get`; subscribe first).
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// let p = imbot_sdk::methods::v2::EventPoller::user(client);
    /// # let _ = p;
    /// ```
    pub fn user(client: Client) -> Self {
        Self::new(client, Source::User)
    }

    fn new(client: Client, source: Source) -> Self {
        EventPoller {
            client,
            source,
            limit: None,
            cursor: None,
            idle_min: Duration::from_secs(2),
            idle_max: Duration::from_secs(30),
            busy_pause: Duration::from_secs(2),
            idle: None,
            busy: false,
        }
    }

    /// Also the calling user's events (`withUserEvents`; bot pollers only).
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// let p = imbot_sdk::methods::v2::EventPoller::bot(client, 456).with_user_events(true);
    /// # let _ = p;
    /// ```
    pub fn with_user_events(mut self, on: bool) -> Self {
        if let Source::Bot { with_user_events, .. } = &mut self.source {
            *with_user_events = on;
        }
        self
    }

    /// Events per request, 1–1000 (the server's default is 100).
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// let p = imbot_sdk::methods::v2::EventPoller::bot(client, 456).limit(20);
    /// # let _ = p;
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The idle back-off: the first wait after an empty answer, and the longest.
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// use std::time::Duration;
    /// let p = imbot_sdk::methods::v2::EventPoller::bot(client, 456).idle_backoff(Duration::from_secs(5), Duration::from_secs(30));
    /// # let _ = p;
    /// ```
    pub fn idle_backoff(mut self, min: Duration, max: Duration) -> Self {
        self.idle_min = min;
        self.idle_max = max.max(min);
        self
    }

    /// The pause before the next request when the server said `hasMore`.
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// let p = imbot_sdk::methods::v2::EventPoller::bot(client, 456).busy_pause(std::time::Duration::ZERO);
    /// # let _ = p;
    /// ```
    pub fn busy_pause(mut self, pause: Duration) -> Self {
        self.busy_pause = pause;
        self
    }

    /// Starts from a saved [`cursor`](EventPoller::cursor): the first request acknowledges everything below it.
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// let p = imbot_sdk::methods::v2::EventPoller::bot(client, 456).resume_at(1002);
    /// assert_eq!(p.cursor(), Some(1002));
    /// ```
    pub fn resume_at(mut self, offset: i64) -> Self {
        self.cursor = Some(offset);
        self
    }

    /// The `offset` the next request sends: one past every event handed out so far (`None` before the first
    /// answer). Safe to persist once the last batch is handled.
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// assert!(imbot_sdk::methods::v2::EventPoller::user(client).cursor().is_none());
    /// ```
    pub fn cursor(&self) -> Option<i64> {
        self.cursor
    }

    async fn request(&self, offset: Option<i64>, limit: Option<u32>) -> Result<EventPage> {
        match self.source {
            Source::Bot { bot_id, with_user_events } => {
                self.client.imbot_v2_event_get(bot_id, offset, limit, with_user_events).await
            }
            Source::User => self.client.im_v2_event_get(offset, limit).await,
        }
    }

    /// One request, no waiting: acknowledges what was handed out before (by sending the cursor) and answers
    /// the next page; the cursor moves to its `nextOffset`.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let mut p = imbot_sdk::methods::v2::EventPoller::bot(client, 456);
    /// let page = p.poll().await?;
    /// println!("{} events, more: {}", page.events.len(), page.has_more);
    /// # Ok(()) }
    /// ```
    pub async fn poll(&mut self) -> Result<EventPage> {
        let page = self.request(self.cursor, self.limit).await?;
        // The server never moves the cursor back; keep ours if it somehow would.
        self.cursor = Some(self.cursor.map_or(page.next_offset, |c| c.max(page.next_offset)));
        self.busy = page.has_more;
        Ok(page)
    }

    /// The next non-empty batch of events, waiting (with the back-off) while there are none. Calling it
    /// acknowledges the previous batch.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let mut p = imbot_sdk::methods::v2::EventPoller::user(client);
    /// for e in p.next_batch().await? {
    ///     println!("{} {}", e.event_id, e.kind);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn next_batch(&mut self) -> Result<Vec<QueuedEvent>> {
        loop {
            if self.busy && !self.busy_pause.is_zero() {
                tokio::time::sleep(self.busy_pause).await;
            } else if let Some(wait) = self.idle {
                tokio::time::sleep(wait).await;
            }
            match self.poll().await {
                Ok(page) if !page.events.is_empty() => {
                    self.idle = None;
                    return Ok(page.events);
                }
                Ok(_) => self.idle = Some(self.idle.map_or(self.idle_min, |w| (w * 2).min(self.idle_max))),
                Err(e) => {
                    self.busy = false;
                    self.idle = Some(self.idle.unwrap_or(self.idle_min));
                    return Err(e);
                }
            }
        }
    }

    /// Acknowledges everything handed out so far now, instead of with the next batch (e.g. before shutting
    /// down). The events this request answers are not handed out (they come again later).
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let mut p = imbot_sdk::methods::v2::EventPoller::bot(client, 456);
    /// let batch = p.next_batch().await?;
    /// // … handle batch …
    /// p.acknowledge().await?;
    /// # let _ = batch; Ok(()) }
    /// ```
    pub async fn acknowledge(&mut self) -> Result<()> {
        if let Some(offset) = self.cursor {
            self.request(Some(offset), Some(1)).await?;
        }
        Ok(())
    }

    /// The events one by one as a [`Stream`]. A batch is acknowledged when the stream is polled past its last
    /// event — that is, when you ask for the next one after handling it (at least once, as above). An error is
    /// yielded and the stream goes on (after the idle wait); stop consuming to end it.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use futures_util::StreamExt;
    /// let mut events = std::pin::pin!(imbot_sdk::methods::v2::EventPoller::bot(client, 456).into_stream());
    /// while let Some(queued) = events.next().await {
    ///     let queued = queued?;
    ///     println!("{} {}", queued.event_id, queued.kind);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> impl Stream<Item = Result<QueuedEvent>> + Send + 'static {
        futures_util::stream::unfold((self, VecDeque::new()), |(mut poller, mut buffer)| async move {
            loop {
                if let Some(e) = buffer.pop_front() {
                    return Some((Ok(e), (poller, buffer)));
                }
                match poller.next_batch().await {
                    Ok(batch) => buffer.extend(batch),
                    Err(e) => return Some((Err(e), (poller, buffer))),
                }
            }
        })
    }
}
