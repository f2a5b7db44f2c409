//! `batch` against the real server (SPEC-NOTES §1.5, COMPAT R13–R15): `cmd` forms, `halt`, `$result`
//! references, the five `result_*` members and their PHP shapes, sub-call errors, the 50-command cap.

mod common;
use common::{assert_error, TestServer};
use serde_json::{json, Value};

type Resp = (u16, reqwest::header::HeaderMap, Value);

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap_or_else(|| panic!("an object: {v}")).keys().cloned().collect()
}

/// The inner `result` of a batch answer, after checking the outer envelope and that all five members exist.
fn inner(resp: &Resp) -> &Value {
    assert_eq!(resp.0, 200, "batch is HTTP 200: {}", resp.2);
    assert_eq!(keys(&resp.2), ["result", "time"], "{}", resp.2);
    let r = &resp.2["result"];
    assert_eq!(keys(r), ["result", "result_error", "result_total", "result_next", "result_time"], "{r}");
    r
}

fn is_server_time(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.len() == 25 && &s[10..11] == "T")
}

fn assert_time_object(t: &Value) {
    assert_eq!(
        keys(t),
        ["start", "finish", "duration", "processing", "date_start", "date_finish", "operating_reset_at", "operating"],
        "{t}"
    );
    assert!(t["start"].is_f64() && t["finish"].is_f64() && t["operating_reset_at"].is_i64());
}

#[tokio::test]
async fn cmd_as_object_keeps_keys_and_order() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let body = json!({"cmd": {
        "time": "server.time",
        "me": "profile",
        "f0a8e2b4-8d47-4b43-9c6b-0f7e9a6b1c2d": "method.get?name=user.get",
        "cmd0000000001": "scope",
        "order0000000000": "user.current"
    }});
    let resp = s.post_json(&format!("{hook}batch"), &body).await;
    let r = inner(&resp);
    let expected = ["time", "me", "f0a8e2b4-8d47-4b43-9c6b-0f7e9a6b1c2d", "cmd0000000001", "order0000000000"];
    assert_eq!(keys(&r["result"]), expected);
    assert!(is_server_time(&r["result"]["time"]));
    assert_eq!(r["result"]["me"]["ID"], "1");
    assert_eq!(r["result"]["f0a8e2b4-8d47-4b43-9c6b-0f7e9a6b1c2d"]["isExisting"], true);
    assert!(r["result"]["cmd0000000001"].is_array());
    assert_eq!(r["result"]["order0000000000"]["ID"], "1");
    // Empty members are PHP empty arrays.
    assert_eq!(r["result_error"], json!([]));
    assert_eq!(r["result_total"], json!([]));
    assert_eq!(r["result_next"], json!([]));
    assert_eq!(keys(&r["result_time"]), expected);
    for k in expected {
        assert_time_object(&r["result_time"][k]);
    }
    s.stop().await;
}

#[tokio::test]
async fn cmd_as_json_array_gives_lists() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let resp = s
        .post_json(&format!("{hook}batch"), &json!({"cmd": ["server.time", "profile", "no.such.method", "scope"]}))
        .await;
    let r = inner(&resp);
    // Keys 0, 1, 3: not 0..n-1, so an object; result_time likewise.
    assert_eq!(keys(&r["result"]), ["0", "1", "3"]);
    assert_eq!(keys(&r["result_error"]), ["2"]);
    assert_eq!(r["result_error"]["2"]["error"], "ERROR_METHOD_NOT_FOUND");
    // All succeed: a JSON list.
    let resp = s.post_json(&format!("{hook}batch"), &json!({"cmd": ["server.time", "profile"]})).await;
    let r = inner(&resp);
    let list = r["result"].as_array().unwrap_or_else(|| panic!("a JSON list: {r}"));
    assert_eq!(list.len(), 2);
    assert!(is_server_time(&list[0]));
    assert_eq!(list[1]["ID"], "1");
    assert_eq!(r["result_time"].as_array().map(Vec::len), Some(2));
    // Form `cmd[0]=…&cmd[1]=…` is the same PHP list.
    let resp = s.post_form(&format!("{hook}batch"), "cmd[0]=server.time&cmd[1]=profile").await;
    assert!(inner(&resp)["result"].is_array());
    let resp = s.post_form(&format!("{hook}batch"), "cmd[]=server.time&cmd[]=profile").await;
    assert_eq!(inner(&resp)["result"].as_array().map(Vec::len), Some(2));
    s.stop().await;
}

#[tokio::test]
async fn form_encoded_commands_with_literal_and_encoded_brackets() {
    let s = TestServer::start().await;
    for i in 0..6 {
        s.add_user(&format!("Form{i} Person")).await;
    }
    let hook = s.webhook().await;
    // Each command's own query: `user.get?FILTER[>ID]=5&SORT=ID&ORDER=DESC`, once with literal brackets, once
    // with %5B %5D; then the whole command is form-encoded again as the value of cmd[key].
    let literal = "user.get%3FFILTER%5B%3EID%5D%3D5%26SORT%3DID%26ORDER%3DDESC";
    let encoded = "user.get%3FFILTER%255B%253EID%255D%3D5%26SORT%3DID%26ORDER%3DDESC";
    // `+` and %20 for spaces inside a command.
    let spaces_plus = "user.get%3FFILTER%5BNAME_SEARCH%5D%3Dform1%2Bperson";
    let spaces_pct = "user.get%3FFILTER%5BNAME_SEARCH%5D%3Dform2%2520person";
    let form =
        format!("cmd%5Blit%5D={literal}&cmd[enc]={encoded}&cmd[plus]={spaces_plus}&cmd[pct]={spaces_pct}&halt=0");
    for resp in [s.post_form(&format!("{hook}batch"), &form).await, s.get(&format!("{hook}batch?{form}")).await] {
        let r = inner(&resp);
        assert_eq!(r["result_error"], json!([]), "{r}");
        let ids = |k: &str| -> Vec<String> {
            r["result"][k].as_array().unwrap().iter().map(|u| u["ID"].as_str().unwrap().to_owned()).collect()
        };
        assert_eq!(ids("lit"), ["7", "6"]);
        assert_eq!(ids("enc"), ["7", "6"]);
        assert_eq!(ids("plus"), ["3"]);
        assert_eq!(ids("pct"), ["4"]);
    }
    // JSON body: plain strings with literal brackets.
    let body = json!({"cmd": {"a": "user.get?FILTER[@ID][]=2&FILTER[@ID][]=3", "b": "user.get?filter%5BID%5D=4"}});
    let r = s.post_json(&format!("{hook}batch"), &body).await;
    let r = inner(&r);
    assert_eq!(r["result"]["a"].as_array().unwrap().len(), 2);
    assert_eq!(r["result"]["b"][0]["ID"], "4");
    s.stop().await;
}

fn halt_body(halt: Value) -> Value {
    json!({"cmd": {"a": "server.time", "b": "no.such.method", "c": "profile"}, "halt": halt})
}

#[tokio::test]
async fn halt_in_every_spelling() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let url = format!("{hook}batch");
    let halting = [json!(true), json!(1), json!("1"), json!("Y"), json!("true")];
    let going_on = [json!(false), json!(0), json!("0"), json!(""), Value::Null];
    for h in halting {
        let resp = s.post_json(&url, &halt_body(h.clone())).await;
        let r = inner(&resp);
        assert_eq!(keys(&r["result"]), ["a"], "halt={h}");
        assert_eq!(keys(&r["result_error"]), ["b"], "halt={h}");
        assert_eq!(keys(&r["result_time"]), ["a"], "halt={h}");
        assert!(r["result"].get("c").is_none());
    }
    for h in going_on {
        let resp = s.post_json(&url, &halt_body(h.clone())).await;
        let r = inner(&resp);
        assert_eq!(keys(&r["result"]), ["a", "c"], "halt={h}");
        assert_eq!(keys(&r["result_error"]), ["b"], "halt={h}");
    }
    // Form: halt=1 / halt=0, and no halt at all.
    let cmds = "cmd[a]=server.time&cmd[b]=no.such.method&cmd[c]=profile";
    let r = s.post_form(&url, &format!("{cmds}&halt=1")).await;
    assert_eq!(keys(&inner(&r)["result"]), ["a"]);
    let r = s.post_form(&url, &format!("{cmds}&halt=0")).await;
    assert_eq!(keys(&inner(&r)["result"]), ["a", "c"]);
    let r = s.get(&format!("{url}?{cmds}")).await;
    assert_eq!(keys(&inner(&r)["result"]), ["a", "c"]);
    // halt with nothing failing runs everything.
    let r = s.post_json(&url, &json!({"cmd": {"x": "server.time", "y": "profile"}, "halt": true})).await;
    assert_eq!(keys(&inner(&r)["result"]), ["x", "y"]);
    s.stop().await;
}

#[tokio::test]
async fn result_references() {
    let s = TestServer::start().await;
    for i in 0..5 {
        s.add_user(&format!("Ref{i} Person")).await;
    }
    let hook = s.webhook().await;
    let body = json!({"halt": 0, "cmd": {
        // $result[key][field]
        "me": "profile",
        "same": "user.get?ID=$result[me][ID]",
        // $result[key][0][ID] from a list
        "first": "user.get?FILTER[>ID]=3&SORT=ID",
        "after_first": "user.get?FILTER[>ID]=$result[first][0][ID]&SORT=ID",
        // inside a longer value, and in a nested key
        "check": "method.get?name=user.$result[me][ID]",
        "nested": "user.get?FILTER[@ID][]=$result[first][1][ID]&FILTER[@ID][]=$result[me][ID]",
        // unresolved references stay as written
        "missing": "user.get?FILTER[NAME]=$result[nope][0][ID]",
        // $result_total
        "by_total": "user.get?ID=$result_total[first]"
    }});
    let resp = s.post_json(&format!("{hook}batch"), &body).await;
    let r = inner(&resp);
    assert_eq!(r["result_error"], json!([]), "{r}");
    let ids = |k: &str| -> Vec<String> {
        r["result"][k]
            .as_array()
            .unwrap_or_else(|| panic!("{k}: {r}"))
            .iter()
            .map(|u| u["ID"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("same"), ["1"]);
    assert_eq!(ids("first"), ["4", "5", "6"]);
    assert_eq!(ids("after_first"), ["5", "6"]);
    assert_eq!(r["result"]["check"], json!({"isExisting": false, "isAvailable": false}), "user.1 is no method");
    assert_eq!(ids("nested"), ["1", "5"]);
    assert_eq!(ids("missing"), Vec::<String>::new());
    assert_eq!(r["result_total"]["first"], 3);
    assert_eq!(ids("by_total"), ["3"]);
    s.stop().await;
}

#[tokio::test]
async fn sub_call_errors_and_result_shapes() {
    let s = TestServer::start().await;
    let hook = s.webhook_for(1, "im").await;
    let body = json!({"cmd": {
        "ok": "server.time",
        "scope": "user.get",
        "missing": "nope.nope",
        "nested": "batch?cmd[x]=server.time",
        "app": "app.info"
    }});
    let resp = s.post_json(&format!("{hook}batch"), &body).await;
    let r = inner(&resp);
    assert_eq!(keys(&r["result"]), ["ok"]);
    assert_eq!(keys(&r["result_error"]), ["scope", "missing", "nested", "app"]);
    for (k, code) in [
        ("scope", "insufficient_scope"),
        ("missing", "ERROR_METHOD_NOT_FOUND"),
        ("nested", "ERROR_BATCH_METHOD_NOT_ALLOWED"),
        ("app", "ACCESS_DENIED"),
    ] {
        let e = &r["result_error"][k];
        assert_eq!(keys(e), ["error", "error_description"], "{k}: {e}");
        assert_eq!(e["error"], code, "{k}");
        assert!(e["error_description"].is_string());
    }
    assert_eq!(r["result_total"], json!([]));
    assert_eq!(r["result_next"], json!([]));
    assert_eq!(keys(&r["result_time"]), ["ok"]);
    // All sub-calls failing: still HTTP 200, result is an empty PHP array.
    let resp = s.post_json(&format!("{hook}batch"), &json!({"cmd": {"a": "user.get", "b": "x.y"}})).await;
    let r = inner(&resp);
    assert_eq!(r["result"], json!([]));
    assert_eq!(r["result_time"], json!([]));
    assert_eq!(keys(&r["result_error"]), ["a", "b"]);
    // No commands at all: everything empty.
    for resp in [
        s.post_json(&format!("{hook}batch"), &json!({})).await,
        s.post_json(&format!("{hook}batch"), &json!({"cmd": []})).await,
    ] {
        let r = inner(&resp);
        for k in ["result", "result_error", "result_total", "result_next", "result_time"] {
            assert_eq!(r[k], json!([]), "{k}");
        }
    }
    s.stop().await;
}

#[tokio::test]
async fn fifty_commands_pass_fifty_one_fail() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let cmds = |n: usize| -> Value {
        let m: serde_json::Map<String, Value> = (0..n).map(|i| (format!("c{i}"), json!("server.time"))).collect();
        json!({"cmd": m})
    };
    let resp = s.post_json(&format!("{hook}batch"), &cmds(50)).await;
    assert_eq!(keys(&inner(&resp)["result"]).len(), 50);
    let resp = s.post_json(&format!("{hook}batch"), &cmds(51)).await;
    assert_error(&resp, 400, "ERROR_BATCH_LENGTH_EXCEEDED");
    let list: Vec<&str> = vec!["profile"; 51];
    let resp = s.post_json(&format!("{hook}batch"), &json!({"cmd": list})).await;
    assert_error(&resp, 400, "ERROR_BATCH_LENGTH_EXCEEDED");
    s.stop().await;
}

#[tokio::test]
async fn list_sub_calls_report_total_and_next() {
    let s = TestServer::start().await;
    for i in 0..60 {
        s.add_user(&format!("Many{i} People")).await;
    }
    let hook = s.webhook().await;
    let body = json!({"cmd": {
        "p0": "user.get",
        "p1": "user.get?start=50",
        "few": "user.get?FILTER[<ID]=3",
        "fast": "user.get?start=-1",
        "t": "server.time"
    }});
    let resp = s.post_json(&format!("{hook}batch"), &body).await;
    let r = inner(&resp);
    assert_eq!(r["result"]["p0"].as_array().unwrap().len(), 50);
    assert_eq!(r["result"]["p1"].as_array().unwrap().len(), 11);
    assert_eq!(r["result_total"], json!({"p0": 61, "p1": 61, "few": 2}));
    assert_eq!(keys(&r["result_next"]), ["p0"]);
    assert_eq!(r["result_next"]["p0"], 50);
    assert_eq!(r["result"]["fast"].as_array().unwrap().len(), 50, "start=-1: a full page, neither total nor next");
    // The same through an OAuth token, with the token in the batch body.
    let app = s.oauth_app(1, "user", 3600).await;
    let resp = s
        .post_json(
            &format!("{}/rest/batch", s.http),
            &json!({"auth": app.access_token, "cmd": {"u": "user.get?start=10"}}),
        )
        .await;
    let r = inner(&resp);
    assert_eq!(r["result_total"]["u"], 61);
    assert_eq!(r["result_next"]["u"], 60);
    s.stop().await;
}

#[tokio::test]
async fn batch_over_get_with_everything_in_the_query() {
    let s = TestServer::start().await;
    let hook = s.webhook().await;
    let resp = s.get(&format!("{hook}batch?halt=1&cmd[t]=server.time&cmd[m]=method.get%3Fname%3Dprofile")).await;
    let r = inner(&resp);
    assert!(is_server_time(&r["result"]["t"]));
    assert_eq!(r["result"]["m"]["isExisting"], true);
    s.stop().await;
}
