//! `im.revision.get` — API revisions: `{rest, web, mobile, desktop, im_revision_mobile}`. imbotd implements
//! the REST revision the docs describe (32); the client revisions are the doc example's values.

use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::Params;
use serde_json::json;

pub const REST_REVISION: i64 = 32;

pub static SPEC: MethodSpec = MethodSpec {
    name: "im.revision.get",
    scopes: &[crate::domain::Scope::Im],
    doc: "api-reference__chats__im-revision-get.md",
    case: ParamCase::Upper,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(_: &CallCtx, _: Params) -> Result<Output, Error> {
    Ok(json!({"rest": REST_REVISION, "web": 130, "mobile": 22, "desktop": 6, "im_revision_mobile": 22}).into())
}
