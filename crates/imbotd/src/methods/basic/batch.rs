//! `batch` — up to 50 calls in one request (`settings__how-to-call-rest-api__batch.md`, COMPAT R13–R15).
//!
//! `cmd` is an object (`{key: "method?query"}`) or an array; `halt` (PHP truthiness) stops at the first failing
//! sub-call. Each query is decoded with `parse_str`; a parameter value that is exactly a reference
//! `$result[key][field]…` (or `$result_total[...]`, `$result_next`, `$result_error`, `$result_time`) is replaced by
//! the referenced value, which may be an array; a reference inside a longer string is replaced by the scalar's
//! text. An unresolved reference is left as written. Sub-calls run in order with the caller's credentials, each
//! scope-checked and counted against its method's operating budget. The answer is always HTTP 200 and always
//! carries `result`, `result_error`, `result_total`, `result_next`, `result_time`, each a PHP array (`[]` when
//! empty, a JSON list for keys 0..n-1). Nested `batch` is refused per command with
//! `ERROR_BATCH_METHOD_NOT_ALLOWED`; more than 50 commands refuse the whole call with
//! `ERROR_BATCH_LENGTH_EXCEEDED`.

use crate::error::Error;
use crate::methods::dispatch::invoke;
use crate::methods::{find, CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::form::parse_str;
use imbot_wire::json::php_array;
use imbot_wire::params::{php_truthy, scalar_string};
use imbot_wire::{ApiError, ErrorCode, Params};
use serde_json::{Map, Value};

pub const MAX_COMMANDS: usize = 50;

pub static SPEC: MethodSpec = MethodSpec {
    name: "batch",
    scopes: &[],
    doc: "settings__how-to-call-rest-api__batch.md",
    case: ParamCase::AsSent,
    batchable: false,
    handler: crate::handler!(call),
};

/// The `cmd` parameter as ordered (key, command) pairs.
fn commands(p: &Params) -> Result<Vec<(String, String)>, Error> {
    let Some(cmd) = p.get_ci("cmd") else {
        return Ok(Vec::new());
    };
    let pairs: Vec<(String, &Value)> = match cmd {
        Value::Array(a) => a.iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::String(s) if s.is_empty() => Vec::new(),
        Value::Null => Vec::new(),
        _ => return Err(Error::api(ErrorCode::ERROR_ARGUMENT, "cmd must be an array or an object of commands")),
    };
    pairs
        .into_iter()
        .map(|(k, v)| match scalar_string(v) {
            Some(s) => Ok((k, s)),
            None => Err(Error::api(ErrorCode::ERROR_ARGUMENT, format!("cmd[{k}] must be a string \"method?query\""))),
        })
        .collect()
}

struct Results {
    result: Map<String, Value>,
    error: Map<String, Value>,
    total: Map<String, Value>,
    next: Map<String, Value>,
    time: Map<String, Value>,
}

impl Results {
    fn table(&self, name: &str) -> Option<&Map<String, Value>> {
        Some(match name {
            "result" => &self.result,
            "result_error" => &self.error,
            "result_total" => &self.total,
            "result_next" => &self.next,
            "result_time" => &self.time,
            _ => return None,
        })
    }

    /// Resolve `$result[a][b]…` (the whole string) to a value.
    fn resolve(&self, reference: &str) -> Option<Value> {
        let rest = reference.strip_prefix('$')?;
        let open = rest.find('[')?;
        let table = self.table(&rest[..open].to_ascii_lowercase())?;
        let mut path = Vec::new();
        let mut s = &rest[open..];
        while !s.is_empty() {
            let inner = s.strip_prefix('[')?;
            let close = inner.find(']')?;
            path.push(&inner[..close]);
            s = &inner[close + 1..];
        }
        let (first, more) = path.split_first()?;
        let mut cur = table.get(*first)?;
        for seg in more {
            cur = match cur {
                Value::Object(m) => m.get(*seg)?,
                Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(cur.clone())
    }

    /// Substitute references in one parameter value.
    fn substitute(&self, v: &mut Value) {
        match v {
            Value::Object(m) => m.values_mut().for_each(|v| self.substitute(v)),
            Value::Array(a) => a.iter_mut().for_each(|v| self.substitute(v)),
            Value::String(s) if s.contains('$') => {
                if let Some(found) = self.resolve(s) {
                    *v = found;
                } else {
                    *s = self.substitute_inline(s);
                }
            }
            _ => {}
        }
    }

    /// Replace every resolvable `$result[…]…` inside a longer string by its scalar text.
    fn substitute_inline(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(pos) = rest.find('$') {
            out.push_str(&rest[..pos]);
            let tail = &rest[pos..];
            // Longest run of `$name[..][..]`.
            let mut end = tail.find('[').unwrap_or(tail.len());
            let name_ok = end > 1 && tail[1..end].chars().all(|c| c.is_ascii_alphabetic() || c == '_');
            if name_ok {
                while tail[end..].starts_with('[') {
                    match tail[end..].find(']') {
                        Some(c) => end += c + 1,
                        None => break,
                    }
                }
            }
            match self.resolve(&tail[..end]).as_ref().and_then(scalar_string).filter(|_| name_ok) {
                Some(text) => {
                    out.push_str(&text);
                    rest = &tail[end..];
                }
                None => {
                    out.push('$');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

async fn call(ctx: &CallCtx, p: Params) -> Result<Output, Error> {
    let cmds = commands(&p)?;
    if cmds.len() > MAX_COMMANDS {
        return Err(Error::api(
            ErrorCode::ERROR_BATCH_LENGTH_EXCEEDED,
            format!("Max batch length exceeded: {} commands, at most {MAX_COMMANDS}", cmds.len()),
        ));
    }
    let halt = p.get_ci("halt").is_some_and(php_truthy);
    let mut r =
        Results { result: Map::new(), error: Map::new(), total: Map::new(), next: Map::new(), time: Map::new() };
    for (key, line) in cmds {
        let started = ctx.state.clock.now();
        let (method, query) = line.split_once('?').unwrap_or((line.as_str(), ""));
        let method = method.trim().trim_matches('/');
        let method = method.strip_suffix(".json").unwrap_or(method);
        let failed: Option<ApiError> = match find(method) {
            None => Some(ApiError::with(ErrorCode::ERROR_METHOD_NOT_FOUND, "Method not found!")),
            Some(spec) if !spec.batchable => Some(ApiError::new(ErrorCode::ERROR_BATCH_METHOD_NOT_ALLOWED)),
            Some(spec) => {
                let mut params = parse_str(query);
                params.shift_remove("auth");
                for v in params.values_mut() {
                    r.substitute(v);
                }
                let mut sub = ctx.clone();
                sub.depth = ctx.depth + 1;
                let inv = invoke(&sub, spec, Params::from_map(params), started).await;
                match inv.outcome {
                    Ok(out) => {
                        r.result.insert(key.clone(), out.result);
                        if let Some(t) = out.total {
                            r.total.insert(key.clone(), Value::from(t));
                        }
                        if let Some(n) = out.next {
                            r.next.insert(key.clone(), Value::from(n));
                        }
                        r.time.insert(key.clone(), inv.time.to_value());
                        None
                    }
                    Err(e) => Some(e.to_api()),
                }
            }
        };
        if let Some(e) = failed {
            r.error.insert(key, e.to_value());
            if halt {
                break;
            }
        }
    }
    let mut out = Map::new();
    out.insert("result".into(), php_array(r.result));
    out.insert("result_error".into(), php_array(r.error));
    out.insert("result_total".into(), php_array(r.total));
    out.insert("result_next".into(), php_array(r.next));
    out.insert("result_time".into(), php_array(r.time));
    Ok(Value::Object(out).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn results() -> Results {
        let mut result = Map::new();
        result.insert("users".into(), json!([{"ID": "7", "NAME": "Ann"}, {"ID": "9"}]));
        result.insert("one".into(), json!({"ID": "3"}));
        let mut total = Map::new();
        total.insert("users".into(), json!(120));
        Results { result, error: Map::new(), total, next: Map::new(), time: Map::new() }
    }

    #[test]
    fn whole_value_references_keep_their_type() {
        let r = results();
        assert_eq!(r.resolve("$result[users][1][ID]"), Some(json!("9")));
        assert_eq!(r.resolve("$result[users]").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(r.resolve("$result_total[users]"), Some(json!(120)));
        assert_eq!(r.resolve("$result[missing][ID]"), None);
        assert_eq!(r.resolve("$nope[users]"), None);
    }

    #[test]
    fn inline_references_and_unresolved_text() {
        let r = results();
        assert_eq!(r.substitute_inline("id-$result[one][ID]-x"), "id-3-x");
        assert_eq!(r.substitute_inline("cost $5"), "cost $5");
        assert_eq!(r.substitute_inline("$result[zz][ID]"), "$result[zz][ID]");
        let mut v = json!({"FILTER": {">ID": "$result[users][1][ID]"}, "IDS": "$result[users]"});
        r.substitute(&mut v);
        assert_eq!(v["FILTER"][">ID"], json!("9"));
        assert!(v["IDS"].is_array());
    }
}
