//! Outgoing bot events: the form body Bitrix24 POSTs to a handler (SPEC-NOTES §3.2–3.4, COMPAT R24–R26).
//!
//! The body is PHP `http_build_query` of `{event, event_handler_id, data, ts, auth}` in that key order. Token
//! blocks have two shapes: the bot's own (inside `data[BOT][id]` / `data[COMMAND][id]`, with `client_id`,
//! repeated under `AUTH`) and the top-level `auth` of the user who caused the event. Key orders follow the
//! documentation's examples. Values are printed as strings by the encoder; nulls and empty arrays vanish, as
//! with PHP.

use crate::form::http_build_query;
use serde_json::{Map, Value};

/// The OAuth fields of one token set in an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthBlock {
    pub access_token: String,
    pub expires: i64,
    pub expires_in: i64,
    pub scope: String,
    pub domain: String,
    pub server_endpoint: String,
    /// App status letter (`L` local, `F` free, …).
    pub status: String,
    pub client_endpoint: String,
    pub member_id: String,
    pub user_id: i64,
    /// Absent for events that carry no refresh token (ONIMBOTJOINCHAT, ONIMBOTDELETE).
    pub refresh_token: Option<String>,
    pub client_id: String,
    pub application_token: String,
}

fn s(v: impl ToString) -> Value {
    Value::String(v.to_string())
}

impl AuthBlock {
    /// The fields both shapes start with: `access_token … member_id`.
    fn head(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("access_token".into(), s(&self.access_token));
        m.insert("expires".into(), s(self.expires));
        m.insert("expires_in".into(), s(self.expires_in));
        m.insert("scope".into(), s(&self.scope));
        m.insert("domain".into(), s(&self.domain));
        m.insert("server_endpoint".into(), s(&self.server_endpoint));
        m.insert("status".into(), s(&self.status));
        m.insert("client_endpoint".into(), s(&self.client_endpoint));
        m.insert("member_id".into(), s(&self.member_id));
        m
    }

    /// The bot's block: `access_token … member_id, refresh_token, user_id, client_id, application_token`.
    pub fn bot_fields(&self) -> Map<String, Value> {
        let mut m = self.head();
        if let Some(r) = &self.refresh_token {
            m.insert("refresh_token".into(), s(r));
        }
        m.insert("user_id".into(), s(self.user_id));
        m.insert("client_id".into(), s(&self.client_id));
        m.insert("application_token".into(), s(&self.application_token));
        m
    }

    /// The top-level `auth`: `access_token … member_id, user_id, refresh_token, application_token`.
    pub fn top_level(&self) -> Map<String, Value> {
        let mut m = self.head();
        m.insert("user_id".into(), s(self.user_id));
        if let Some(r) = &self.refresh_token {
            m.insert("refresh_token".into(), s(r));
        }
        m.insert("application_token".into(), s(&self.application_token));
        m
    }
}

/// A bot entry of `data[BOT]` / `data[COMMAND]`: the bot's token fields, the same under `AUTH`, then `rest`
/// (`BOT_ID`, `BOT_CODE`, and for commands `COMMAND`, `COMMAND_ID`, …).
pub fn bot_entry(auth: Option<&AuthBlock>, rest: Map<String, Value>) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(a) = auth {
        m.extend(a.bot_fields());
        m.insert("AUTH".into(), Value::Object(a.bot_fields()));
    }
    m.extend(rest);
    m
}

/// The whole event as an ordered map: `event`, `event_handler_id`, `data`, `ts`, `auth`.
pub fn event_map(
    event: &str,
    handler_id: i64,
    data: Map<String, Value>,
    ts: i64,
    auth: Option<Map<String, Value>>,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("event".into(), s(event));
    m.insert("event_handler_id".into(), s(handler_id));
    m.insert("data".into(), Value::Object(data));
    m.insert("ts".into(), s(ts));
    if let Some(a) = auth {
        m.insert("auth".into(), Value::Object(a));
    }
    m
}

/// The form body to POST.
pub fn event_body(
    event: &str,
    handler_id: i64,
    data: Map<String, Value>,
    ts: i64,
    auth: Option<Map<String, Value>>,
) -> String {
    http_build_query(&event_map(event, handler_id, data, ts, auth))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::parse_str;
    use serde_json::json;

    fn auth(refresh: bool) -> AuthBlock {
        AuthBlock {
            access_token: "AT".into(),
            expires: 1772113086,
            expires_in: 3600,
            scope: "imbot".into(),
            domain: "some-domain.bitrix24.com".into(),
            server_endpoint: "https://oauth.bitrix.info/rest/".into(),
            status: "F".into(),
            client_endpoint: "https://some-domain.bitrix24.com/rest/".into(),
            member_id: "d897".into(),
            user_id: 1291,
            refresh_token: refresh.then(|| "RT".to_owned()),
            client_id: "a7ef".into(),
            application_token: "8e3a".into(),
        }
    }

    #[test]
    fn key_order_and_encoding_match_the_documented_example() {
        let mut rest = Map::new();
        rest.insert("BOT_ID".into(), json!(1291));
        rest.insert("BOT_CODE".into(), json!("BOT_GM"));
        let mut command = Map::new();
        command.insert("103".into(), Value::Object(bot_entry(Some(&auth(true)), rest)));
        let mut data = Map::new();
        data.insert("COMMAND".into(), Value::Object(command));
        let body = event_body("ONIMCOMMANDADD", 1045, data, 1772109486, Some(auth(true).top_level()));
        assert!(
            body.starts_with(
                "event=ONIMCOMMANDADD&event_handler_id=1045&data%5BCOMMAND%5D%5B103%5D%5Baccess_token%5D=AT&"
            ),
            "{body}"
        );
        assert!(body.contains("&data%5BCOMMAND%5D%5B103%5D%5BAUTH%5D%5Bapplication_token%5D=8e3a&data%5BCOMMAND%5D%5B103%5D%5BBOT_ID%5D=1291&"));
        assert!(body.contains("&ts=1772109486&auth%5Baccess_token%5D=AT&"));
        assert!(body.contains("server_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F"));
        let back = parse_str(&body);
        let keys: Vec<_> = back.keys().cloned().collect();
        assert_eq!(keys, ["event", "event_handler_id", "data", "ts", "auth"]);
        let bot_keys: Vec<_> = back["data"]["COMMAND"]["103"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            bot_keys,
            [
                "access_token",
                "expires",
                "expires_in",
                "scope",
                "domain",
                "server_endpoint",
                "status",
                "client_endpoint",
                "member_id",
                "refresh_token",
                "user_id",
                "client_id",
                "application_token",
                "AUTH",
                "BOT_ID",
                "BOT_CODE"
            ]
        );
        let auth_keys: Vec<_> = back["auth"].as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            auth_keys,
            [
                "access_token",
                "expires",
                "expires_in",
                "scope",
                "domain",
                "server_endpoint",
                "status",
                "client_endpoint",
                "member_id",
                "user_id",
                "refresh_token",
                "application_token"
            ]
        );
    }

    #[test]
    fn no_refresh_token_when_absent() {
        let top = auth(false).top_level();
        assert!(!top.contains_key("refresh_token"));
        assert_eq!(top["user_id"], "1291");
    }
}
