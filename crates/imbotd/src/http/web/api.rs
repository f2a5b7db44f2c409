//! The web chat's read models and the delivery log for a bot's owner: what the page needs that no REST method
//! gives (the dialog list with unread counts, the people one may talk to, the commands one may run here).
//! Each handler needs a signed-in session; `POST`s also need the CSRF token.

use super::{internal, session, web_error, Ctx};
use crate::domain::{AppId, ChatId, UserId};
use crate::messenger::{self, render, rules};
use crate::store::bots::{self, Bot, Command};
use crate::store::users::User;
use crate::store::{apps, messages, outbox, users, web as wstore};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use imbot_wire::DialogId;
use serde_json::{json, Value};
use std::collections::HashMap;

use crate::http::json_response;

/// The signed-in user, or the 401 answer.
async fn me(ctx: &Ctx, headers: &HeaderMap) -> Result<(crate::store::web::Session, User), Response> {
    match session::current(&ctx.state, headers).await {
        Ok(Some(x)) => Ok(x),
        Ok(None) => Err(web_error(401, "UNAUTHORIZED", "Not signed in")),
        Err(e) => Err(internal(e)),
    }
}

fn date(ctx: &Ctx, ts: i64) -> String {
    render::date(ts, ctx.state.config.timezone)
}

pub async fn dialogs(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    let (_, me) = match me(&ctx, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match dialog_list(&ctx, &me).await {
        Ok(v) => json_response(200, &v),
        Err(e) => internal(e),
    }
}

async fn dialog_list(ctx: &Ctx, me: &User) -> Result<Value, crate::store::StoreError> {
    let store = &ctx.state.store;
    let mut out = Vec::new();
    for d in wstore::dialogs(store, me.id, 500).await? {
        let (dialog_id, title, color, bot) = match d.partner {
            Some(p) => {
                let Some(u) = users::get(store, p).await? else { continue };
                (p.0.to_string(), render::full_name(&u), render::user_color(&u).to_owned(), u.is_bot)
            }
            None => {
                let color = render::color_hex(&d.color).unwrap_or(render::color_for(d.chat_id.0)).to_owned();
                (format!("chat{}", d.chat_id.0), d.title.clone(), color, false)
            }
        };
        if d.kind == "P" && d.partner.is_none() {
            continue;
        }
        let last = match d.last_message_id.0 {
            0 => Value::Null,
            _ => match messages::get(store, d.last_message_id).await? {
                Some(m) => json!({
                    "id": m.id.0, "author_id": render::shown_author(&m).0, "text": m.text, "date": date(ctx, m.created_at),
                }),
                None => Value::Null,
            },
        };
        let kind = match d.kind.as_str() {
            "P" => "private",
            "O" => "open",
            _ => "chat",
        };
        out.push(json!({
            "dialog_id": dialog_id, "chat_id": d.chat_id.0, "type": kind, "title": title, "color": color, "avatar": "",
            "bot": bot, "counter": d.unread, "last_message": last, "text_field": d.text_field,
        }));
    }
    Ok(Value::Array(out))
}

pub async fn people(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    let (_, me) = match me(&ctx, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let all = match users::all_active(&ctx.state.store, me.id).await {
        Ok(a) => a,
        Err(e) => return internal(e),
    };
    let mut out = Vec::new();
    for u in all {
        // Extranet users reach only people they share a chat with (the messenger's rule).
        match rules::may_open_private(&ctx.state, &me, &u).await {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => return internal(e),
        }
        out.push(
            json!({"id": u.id.0, "name": render::full_name(&u), "bot": u.is_bot, "color": render::user_color(&u)}),
        );
    }
    json_response(200, &Value::Array(out))
}

#[derive(serde::Deserialize)]
pub struct CommandsQuery {
    dialog_id: String,
}

/// The title and hint of a command in `lang`, else English, else the first translation.
pub fn command_text(c: &Command, lang: &str) -> (String, String) {
    let entries: Vec<&Value> = match &c.lang {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => m.values().collect(),
        _ => Vec::new(),
    };
    let of = |e: &Value, k: &str| e.get(k).and_then(imbot_wire::params::scalar_string).unwrap_or_default();
    let pick = entries
        .iter()
        .find(|e| of(e, "LANGUAGE_ID").eq_ignore_ascii_case(lang))
        .or_else(|| entries.iter().find(|e| of(e, "LANGUAGE_ID").eq_ignore_ascii_case("en")))
        .or_else(|| entries.first());
    pick.map(|e| (of(e, "TITLE"), of(e, "PARAMS"))).unwrap_or_default()
}

pub async fn commands(State(ctx): State<Ctx>, headers: HeaderMap, Query(q): Query<CommandsQuery>) -> Response {
    let (_, me) = match me(&ctx, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(dialog) = DialogId::parse(&q.dialog_id) else {
        return web_error(400, "DIALOG_ID_EMPTY", "dialog_id must be a user id or chatN");
    };
    let view = match messenger::open_for_read(&ctx.state, &me, dialog).await {
        Ok(v) => v,
        Err(e) => {
            let api = e.to_api();
            return web_error(api.status, &api.code, &api.description);
        }
    };
    match runnable(&ctx, &me, &view).await {
        Ok(v) => json_response(200, &v),
        Err(e) => internal(e),
    }
}

/// The commands `me` may run in `view`, as the command dispatcher decides (COMMON, membership, a private
/// dialog with the bot, EXTRANET_SUPPORT); HIDDEN ones are not offered.
async fn runnable(ctx: &Ctx, me: &User, view: &messenger::DialogView) -> Result<Value, crate::store::StoreError> {
    let store = &ctx.state.store;
    let in_chat: Vec<UserId> = match &view.chat {
        Some(c) => crate::store::chats::members(store, c.id).await?.into_iter().map(|m| m.user_id).collect(),
        None => Vec::new(),
    };
    let partner = view.partner.as_ref().map(|p| p.id);
    let mut out = Vec::new();
    for bot in bots::all(store).await? {
        let here = in_chat.contains(&bot.id) || partner == Some(bot.id);
        for c in bots::commands_of(store, bot.id).await? {
            if c.hidden || (me.is_extranet && !c.extranet_support) || !(c.common || here) {
                continue;
            }
            let (title, params) = command_text(&c, &me.language_id);
            out.push(json!({
                "bot_id": bot.id.0, "bot_name": bot.name, "command": c.command, "title": title, "params": params,
            }));
        }
    }
    Ok(Value::Array(out))
}

/// The bots `me` may manage: those of apps they own (their webhooks' bots); an administrator manages all.
async fn my_bots(ctx: &Ctx, me: &User) -> Result<Vec<Bot>, crate::store::StoreError> {
    let store = &ctx.state.store;
    let mut owners: HashMap<AppId, UserId> = HashMap::new();
    let mut out = Vec::new();
    for b in bots::all(store).await? {
        let owner = match owners.get(&b.app_id) {
            Some(o) => *o,
            None => {
                let o = apps::owner_user(store, b.app_id).await?;
                owners.insert(b.app_id, o);
                o
            }
        };
        if me.is_admin || owner == me.id {
            out.push(b);
        }
    }
    Ok(out)
}

fn opt_date(ctx: &Ctx, t: Option<i64>) -> Value {
    t.map(|t| Value::String(date(ctx, t))).unwrap_or(Value::Null)
}

pub async fn bots(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    let (_, me) = match me(&ctx, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let result: Result<Value, crate::store::StoreError> = async {
        let store = &ctx.state.store;
        let mut out = Vec::new();
        for b in my_bots(&ctx, &me).await? {
            let commands: Vec<Value> = bots::commands_of(store, b.id)
                .await?
                .iter()
                .map(|c| {
                    let (title, params) = command_text(c, &me.language_id);
                    json!({"command": c.command, "common": c.common, "hidden": c.hidden, "title": title, "params": params,
                           "handler": c.handler_url})
                })
                .collect();
            let mut handlers: Vec<Value> = Vec::new();
            for h in outbox::handler_status_of(store, None, Some(b.app_id)).await? {
                let failing = outbox::failing_since(store, &h.handler_url).await?;
                handlers.push(json!({
                    "url": h.handler_url, "pending": h.pending, "failed": h.failed, "delivered": h.delivered,
                    "disabled": h.disabled_at.is_some(), "failing_since": opt_date(&ctx, failing),
                    "last_error": h.last_error, "last_error_at": opt_date(&ctx, h.last_error_at),
                    "last_success": opt_date(&ctx, h.last_success_at), "next_attempt": opt_date(&ctx, h.next_attempt_at),
                }));
            }
            out.push(json!({
                "id": b.id.0, "code": b.code, "name": b.name, "type": b.kind.letter(), "app_id": b.app_id.0,
                "commands": commands, "handlers": handlers,
            }));
        }
        Ok(Value::Array(out))
    }
    .await;
    match result {
        Ok(v) => json_response(200, &v),
        Err(e) => internal(e),
    }
}

#[derive(serde::Deserialize)]
pub struct DeliveriesQuery {
    bot_id: i64,
    limit: Option<i64>,
}

fn summary_json(ctx: &Ctx, e: &outbox::Summary) -> Value {
    let status = match e.status.as_str() {
        "failed" => "dead",
        "sending" => "pending",
        s => s,
    };
    json!({
        "id": e.id, "event": e.event, "url": e.handler_url, "status": status, "attempts": e.attempts,
        "created": date(ctx, e.created_at), "delivered": opt_date(ctx, e.delivered_at), "last_status": e.last_status,
        "last_error": e.last_error,
        "next_attempt": if e.status == "pending" { Value::String(date(ctx, e.next_attempt_at)) } else { Value::Null },
    })
}

/// The app of a bot `me` manages, or the 404 answer.
async fn managed_app(ctx: &Ctx, me: &User, bot: i64) -> Result<AppId, Response> {
    match my_bots(ctx, me).await {
        Ok(list) => list
            .iter()
            .find(|b| b.id.0 == bot)
            .map(|b| b.app_id)
            .ok_or_else(|| web_error(404, "NOT_FOUND", "No such bot of yours")),
        Err(e) => Err(internal(e)),
    }
}

pub async fn deliveries(State(ctx): State<Ctx>, headers: HeaderMap, Query(q): Query<DeliveriesQuery>) -> Response {
    let (_, me) = match me(&ctx, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let app = match managed_app(&ctx, &me, q.bot_id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let f = outbox::Filter {
        app: Some(app),
        status: None,
        event: None,
        since: None,
        until: None,
        limit: q.limit.unwrap_or(50).clamp(1, 200),
    };
    match outbox::list(&ctx.state.store, &f).await {
        Ok(rows) => json_response(200, &Value::Array(rows.iter().map(|e| summary_json(&ctx, e)).collect())),
        Err(e) => internal(e),
    }
}

/// An event of an app `me` manages, or the 404 answer.
async fn managed_event(ctx: &Ctx, me: &User, id: i64) -> Result<outbox::Summary, Response> {
    let not_found = || web_error(404, "NOT_FOUND", "Event not found");
    let e = outbox::summary(&ctx.state.store, id).await.map_err(internal)?.ok_or_else(not_found)?;
    let mine = my_bots(ctx, me).await.map_err(internal)?.iter().any(|b| b.app_id == e.app_id);
    if mine {
        Ok(e)
    } else {
        Err(not_found())
    }
}

pub async fn delivery(State(ctx): State<Ctx>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let (_, me) = match me(&ctx, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let e = match managed_event(&ctx, &me, id).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let store = &ctx.state.store;
    let (attempts, data) = match (outbox::attempts(store, id).await, outbox::data(store, id).await) {
        (Ok(a), Ok(d)) => (a, d),
        (Err(e), _) | (_, Err(e)) => return internal(e),
    };
    let mut v = summary_json(&ctx, &e);
    v["attempts_log"] = Value::Array(
        attempts
            .iter()
            .map(|a| {
                json!({
                    "attempt": a.attempt, "at": date(&ctx, a.started_at), "url": a.url, "status": a.http_status,
                    "latency_ms": a.duration_ms, "error": a.error, "response": a.response,
                    "next_attempt": opt_date(&ctx, a.next_attempt_at),
                })
            })
            .collect(),
    );
    v["data"] = data.unwrap_or(Value::Null);
    json_response(200, &v)
}

pub async fn resend(State(ctx): State<Ctx>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let (s, me) = match me(&ctx, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !session::csrf_ok(&headers, &s) {
        return web_error(403, "CSRF", "Missing or wrong X-Bitrix-Csrf-Token");
    }
    if let Err(r) = managed_event(&ctx, &me, id).await {
        return r;
    }
    match outbox::resend(&ctx.state.store, id, ctx.state.clock.unix()).await {
        Ok(_) => {
            ctx.state.outbox_signal.notify_one();
            json_response(200, &json!({"result": true}))
        }
        Err(e) => internal(e),
    }
}

/// A dialog id as the user `viewer` sees chat `chat`: the partner's id for a private dialog, else `chatN`.
pub async fn dialog_id_for(
    store: &crate::store::Store,
    chat: ChatId,
    kind_private: bool,
    viewer: UserId,
) -> Result<String, crate::store::StoreError> {
    if kind_private {
        if let Some(p) = crate::store::chats::private_partner(store, chat, viewer).await? {
            return Ok(p.0.to_string());
        }
    }
    Ok(format!("chat{}", chat.0))
}
