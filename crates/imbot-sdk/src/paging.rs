//! Paging as a [`Stream`]: list methods that answer 50 items at a time with `next`/`total`.
//!
//! [`Client::list`] calls the method with `start = 0`, yields the items, and calls again with `start = next`
//! while the server says there is a next page, only when the consumer wants more. An error ends the stream
//! after it is yielded.

use crate::client::Client;
use crate::error::Result;
use crate::methods::users::Page;
use futures_util::Stream;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::VecDeque;

struct State<T> {
    client: Client,
    method: String,
    params: Value,
    start: u64,
    buffer: VecDeque<T>,
    done: bool,
}

impl Client {
    /// Every item of list method `method` (`user.get`, `im.dialog.users.list`, …) with `params`, page by page.
    ///
    /// ```no_run
    /// # async fn run(client: imbot_sdk::Client) -> imbot_sdk::Result<()> {
    /// use futures_util::StreamExt;
    /// use serde_json::json;
    ///
    /// let mut users = std::pin::pin!(client.list::<serde_json::Value>("user.get", json!({"FILTER": {"ACTIVE": true}})));
    /// while let Some(user) = users.next().await {
    ///     println!("{}", user?["NAME"]);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list<T>(&self, method: &str, params: Value) -> impl Stream<Item = Result<T>> + Send + 'static
    where
        T: DeserializeOwned + Send + 'static,
    {
        let params = if params.is_null() { Value::Object(Default::default()) } else { params };
        let state = State {
            client: self.clone(),
            method: method.to_owned(),
            params,
            start: 0,
            buffer: VecDeque::new(),
            done: false,
        };
        futures_util::stream::unfold(state, |mut s| async move {
            loop {
                if let Some(item) = s.buffer.pop_front() {
                    return Some((Ok(item), s));
                }
                if s.done {
                    return None;
                }
                let mut params = s.params.clone();
                if let Value::Object(m) = &mut params {
                    m.insert("start".into(), s.start.into());
                }
                let page = match s.client.call_envelope(&s.method, params).await {
                    Ok(e) => Page::<T>::from_envelope(&s.method, e),
                    Err(e) => Err(e),
                };
                match page {
                    Err(e) => {
                        s.done = true;
                        return Some((Err(e), s));
                    }
                    Ok(page) => {
                        // Stop unless the server points strictly forward and gave something.
                        match page.next {
                            Some(n) if n > s.start && !page.items.is_empty() => s.start = n,
                            _ => s.done = true,
                        }
                        s.buffer.extend(page.items);
                    }
                }
            }
        })
    }
}
