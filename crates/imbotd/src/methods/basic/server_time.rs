//! `server.time` — the server's current time as `YYYY-MM-DDThh:mm:ss±hh:mm`.

use crate::error::Error;
use crate::methods::{CallCtx, MethodSpec, Output, ParamCase};
use imbot_wire::envelope::php_date_c;
use imbot_wire::Params;

pub static SPEC: MethodSpec = MethodSpec {
    name: "server.time",
    scopes: &[],
    doc: "api-reference__common__system__server-time.md",
    case: ParamCase::AsSent,
    batchable: true,
    handler: crate::handler!(call),
};

async fn call(ctx: &CallCtx, _: Params) -> Result<Output, Error> {
    Ok(php_date_c(ctx.now, ctx.state.config.timezone).into())
}
