//! `batch`: up to 50 calls in one request (one request against the limit), later calls referring to earlier
//! results with `$result[key]` (`settings__how-to-call-rest-api__batch.md`).
//!
//! Each command is encoded as Bitrix expects, `method?` + PHP `http_build_query(params)` (imbot-wire's encoder,
//! byte for byte), so nested parameters (KEYBOARD, FILTER…) and references survive. With a webhook
//! [`client_id`](crate::ClientBuilder::client_id), v1 `imbot.*` commands get their `CLIENT_ID` too, and with a
//! [`bot_token`](crate::ClientBuilder::bot_token), `imbot.v2.*` commands their `botToken`.
//!
//! ```no_run
//! # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
//! use serde_json::json;
//!
//! let answer = client
//!     .batch()
//!     .add("a", "im.message.add", json!({"DIALOG_ID": "chat5", "MESSAGE": "draft"}))
//!     .add("b", "im.message.update", json!({"MESSAGE_ID": "$result[a]", "MESSAGE": "final"}))
//!     .send()
//!     .await?;
//! let id: i64 = answer.get("a")?;
//! let updated: bool = answer.get("b")?;
//! # Ok(()) }
//! ```

use crate::client::Client;
use crate::error::{Error, Result};
use crate::serde_util::{value_i64, value_map, value_string};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// Bitrix24's limit of commands in one batch.
pub const MAX_COMMANDS: usize = 50;

/// A batch being built; [`Batch::send`] runs it. Made by [`Client::batch`].
///
/// ```
/// use serde_json::json;
/// let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").client_id("bot").build().unwrap();
/// let b = client
///     .batch()
///     .add("bots", "imbot.bot.list", json!({}))
///     .add("me", "user.current", json!(null))
///     .halt(true);
/// assert_eq!(b.len(), 2);
/// assert_eq!(b.commands()["bots"], "imbot.bot.list?CLIENT_ID=bot");
/// assert_eq!(b.commands()["me"], "user.current");
/// ```
#[must_use]
pub struct Batch<'c> {
    client: &'c Client,
    commands: Map<String, Value>,
    halt: bool,
    problem: Option<String>,
}

impl Client {
    /// Starts a [`Batch`].
    ///
    /// ```
    /// let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// assert!(client.batch().is_empty());
    /// ```
    pub fn batch(&self) -> Batch<'_> {
        Batch { client: self, commands: Map::new(), halt: false, problem: None }
    }
}

impl<'c> Batch<'c> {
    /// Adds command `key`: `method` with `params` (an object, or `null`). A string parameter may be or contain
    /// a reference to an earlier command's result: `"$result[a]"`, `"$result[a][ID]"`, `"$result[list][0][ID]"`.
    ///
    /// Keys are letters, digits and `_`, unique; a bad key, bad params or a 51st command make
    /// [`Batch::send`] fail with [`Error::Invalid`] before anything is sent.
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// use serde_json::json;
    /// let b = client.batch().add("msg", "im.message.add", json!({"DIALOG_ID": "chat5", "MESSAGE": "a b"}));
    /// assert_eq!(b.commands()["msg"], "im.message.add?DIALOG_ID=chat5&MESSAGE=a+b");
    /// ```
    pub fn add(mut self, key: &str, method: &str, params: Value) -> Self {
        if self.problem.is_some() {
            return self;
        }
        let params = match params {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            other => {
                self.problem = Some(format!("params of batch command {key:?} must be an object, got {other}"));
                return self;
            }
        };
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.problem = Some(format!("batch key {key:?} must be letters, digits and _"));
        } else if self.commands.contains_key(key) {
            self.problem = Some(format!("batch key {key:?} is used twice"));
        } else if method.is_empty() || method.contains(['?', '&', ' ']) {
            self.problem = Some(format!("{method:?} is not a method name"));
        } else {
            let mut params = params;
            self.client.add_implicit_params(method, &mut params);
            let query = imbot_wire::form::http_build_query(&params);
            let cmd = if query.is_empty() { method.to_owned() } else { format!("{method}?{query}") };
            self.commands.insert(key.to_owned(), Value::String(cmd));
        }
        self
    }

    /// `halt`: stop at the first failing command (later ones are not run). Default `false`.
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// let b = client.batch().halt(true);
    /// # let _ = b;
    /// ```
    pub fn halt(mut self, halt: bool) -> Self {
        self.halt = halt;
        self
    }

    /// How many commands were added.
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// assert_eq!(client.batch().add("t", "server.time", serde_json::json!({})).len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// No command yet?
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// assert!(client.batch().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// The `cmd` map as it will be sent (`key → "method?query"`).
    ///
    /// ```
    /// # let client = imbot_sdk::Client::webhook("http://h/rest/1/abc/").build().unwrap();
    /// let b = client.batch().add("u", "user.get", serde_json::json!({"FILTER": {">ID": 5}}));
    /// assert_eq!(b.commands()["u"], "user.get?FILTER%5B%3EID%5D=5");
    /// ```
    pub fn commands(&self) -> &Map<String, Value> {
        &self.commands
    }

    /// Runs the batch. The call itself fails only as a whole (transport, auth, limits); failing commands are
    /// reported in the [`BatchResult`].
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// let r = client.batch().add("t", "server.time", serde_json::json!({})).send().await?;
    /// let time: String = r.get("t")?;
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<BatchResult> {
        if let Some(p) = self.problem {
            return Err(Error::Invalid(p));
        }
        if self.commands.len() > MAX_COMMANDS {
            return Err(Error::Invalid(format!(
                "a batch holds at most {MAX_COMMANDS} commands, this one {}",
                self.commands.len()
            )));
        }
        let v = self.client.call("batch", json!({"halt": if self.halt { 1 } else { 0 }, "cmd": self.commands})).await?;
        Ok(BatchResult::from_value(v))
    }
}

/// A command that failed inside a batch (`result_error`).
///
/// ```
/// let e = imbot_sdk::batch::CommandError { code: "MESSAGE_EMPTY".into(), description: "Message can't be empty".into() };
/// assert_eq!(e.code, "MESSAGE_EMPTY");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    /// `error`.
    pub code: String,
    /// `error_description`.
    pub description: String,
}

/// The answer of a batch: per key, a result or an error.
///
/// ```
/// use imbot_sdk::batch::BatchResult;
/// use serde_json::json;
///
/// let r = BatchResult::from_value(json!({
///     "result": {"a": 7},
///     "result_error": {"b": {"error": "MESSAGE_EMPTY", "error_description": "Message can't be empty"}},
///     "result_total": [], "result_next": [], "result_time": []
/// }));
/// assert_eq!(r.get::<i64>("a").unwrap(), 7);
/// assert!(r.get::<i64>("b").unwrap_err().is_api("MESSAGE_EMPTY"));
/// assert!(!r.is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BatchResult {
    /// `result`: results by key.
    pub results: Map<String, Value>,
    /// `result_error`: errors by key.
    pub errors: Vec<(String, CommandError)>,
    /// `result_total`: `total` of list commands by key.
    pub totals: Map<String, Value>,
    /// `result_next`: `next` of list commands by key.
    pub nexts: Map<String, Value>,
    /// `result_time`: the `time` object of each successful command.
    pub times: Map<String, Value>,
}

impl BatchResult {
    /// Reads the `result` of a `batch` call (empty maps may come as `[]`, PHP-style).
    ///
    /// ```
    /// let r = imbot_sdk::batch::BatchResult::from_value(serde_json::json!({"result": [], "result_error": []}));
    /// assert!(r.results.is_empty() && r.is_ok());
    /// ```
    pub fn from_value(v: Value) -> BatchResult {
        let mut m = value_map(v);
        let mut take = |k: &str| value_map(m.remove(k).unwrap_or(Value::Null));
        let results = take("result");
        let errors = take("result_error")
            .into_iter()
            .map(|(k, e)| {
                let code = e.get("error").and_then(value_string).unwrap_or_default();
                let description = e.get("error_description").and_then(value_string).unwrap_or_default();
                (k, CommandError { code, description })
            })
            .collect();
        BatchResult {
            results,
            errors,
            totals: take("result_total"),
            nexts: take("result_next"),
            times: take("result_time"),
        }
    }

    /// The result of command `key`, deserialised. Fails with [`Error::Api`] (status 200, the batch's) when the
    /// command failed, [`Error::Invalid`] when there is no such key (e.g. after a `halt`).
    ///
    /// ```
    /// # let r = imbot_sdk::batch::BatchResult::from_value(serde_json::json!({"result": {"a": [1, 2]}}));
    /// let ids: Vec<i64> = r.get("a").unwrap();
    /// assert_eq!(ids, vec![1, 2]);
    /// assert!(r.get::<i64>("nope").is_err());
    /// ```
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<T> {
        if let Some(e) = self.error(key) {
            return Err(Error::Api { code: e.code.clone(), description: e.description.clone(), status: 200 });
        }
        let v = self.results.get(key).ok_or_else(|| Error::Invalid(format!("no result for batch key {key:?}")))?;
        serde_json::from_value(v.clone()).map_err(|source| Error::Decode { method: format!("batch[{key}]"), source })
    }

    /// The raw result of command `key`.
    ///
    /// ```
    /// # let r = imbot_sdk::batch::BatchResult::from_value(serde_json::json!({"result": {"a": true}}));
    /// assert_eq!(r.value("a"), Some(&serde_json::json!(true)));
    /// ```
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.results.get(key)
    }

    /// The error of command `key`, if it failed.
    ///
    /// ```
    /// # let r = imbot_sdk::batch::BatchResult::from_value(serde_json::json!({"result": {"a": true}}));
    /// assert!(r.error("a").is_none());
    /// ```
    pub fn error(&self, key: &str) -> Option<&CommandError> {
        self.errors.iter().find(|(k, _)| k == key).map(|(_, e)| e)
    }

    /// `total` of list command `key`.
    ///
    /// ```
    /// # let r = imbot_sdk::batch::BatchResult::from_value(serde_json::json!({"result_total": {"u": 120}}));
    /// assert_eq!(r.total("u"), Some(120));
    /// ```
    pub fn total(&self, key: &str) -> Option<u64> {
        self.totals.get(key).and_then(value_i64).and_then(|n| u64::try_from(n).ok())
    }

    /// `next` of list command `key`.
    ///
    /// ```
    /// # let r = imbot_sdk::batch::BatchResult::from_value(serde_json::json!({"result_next": {"u": 50}}));
    /// assert_eq!(r.next("u"), Some(50));
    /// ```
    pub fn next(&self, key: &str) -> Option<u64> {
        self.nexts.get(key).and_then(value_i64).and_then(|n| u64::try_from(n).ok())
    }

    /// Did every command succeed?
    ///
    /// ```
    /// # let r = imbot_sdk::batch::BatchResult::from_value(serde_json::json!({"result": {"a": 1}}));
    /// assert!(r.is_ok());
    /// ```
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
}
