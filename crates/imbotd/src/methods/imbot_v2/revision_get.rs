//! `imbot.v2.Revision.get` — the API revision (`rest` is the one to check features against); no bot, no
//! `botToken` (docs/v2.md §3.6).

use super::v2_spec;
use crate::error::Error;
use crate::methods::{CallCtx, Output};
use imbot_wire::v2::entities::Revision;
use imbot_wire::Params;

v2_spec!("imbot.v2.revision.get", "imbot.v2__revision-get", call);

async fn call(_ctx: &CallCtx, _p: Params) -> Result<Output, Error> {
    Ok(imbot_wire::v2::results::revision(&Revision::IMBOTD).into())
}
