//! Running one method call: the part shared by a direct REST call and a `batch` sub-command.
//!
//! Order of checks, as Bitrix's `CRestServer`: scope (`insufficient_scope`), then the operating-time budget of
//! this method (`OPERATION_TIME_LIMIT`), then the handler. Handler time is measured and added to the budget
//! whatever the outcome; the outer `batch` alone is exempt (its sub-calls are counted one by one). Parameter
//! names are normalised per the method's [`ParamCase`]; the reserved `start` parameter becomes the list offset.

use super::{CallCtx, MethodSpec, Output, ParamCase};
use crate::error::Error;
use chrono::{DateTime, Utc};
use imbot_wire::params::value_int;
use imbot_wire::{ErrorCode, Params, TimeInfo};
use std::time::Instant;

/// A finished call: its answer or error, and the `time` object to report.
pub struct Invocation {
    pub outcome: Result<Output, Error>,
    pub time: TimeInfo,
}

/// Run `spec` for `ctx.caller` with `params`, started at `started`.
pub async fn invoke(ctx: &CallCtx, spec: &'static MethodSpec, params: Params, started: DateTime<Utc>) -> Invocation {
    let state = &ctx.state;
    let key = ctx.caller.limit_key();
    let mut params = params.replace_nul();
    let start_param = params.remove("start").as_ref().and_then(value_int);
    let params = match spec.case {
        ParamCase::Upper => params.upper_keys(),
        ParamCase::AsSent => params,
    };
    let mut ctx = ctx.clone();
    ctx.start = start_param;
    // The outer `batch` is neither limited nor counted; each of its sub-calls is (SPEC-NOTES §1.4).
    let counted = !std::ptr::eq(spec, &super::basic::batch::SPEC);
    let budget = match state.limits.check_operating(&key, spec.name).await {
        Err(op) if !counted => Ok(op),
        other => other,
    };

    let (outcome, processing, operating) = if !spec.allowed_for(&ctx.caller) {
        let op = budget.unwrap_or_else(|op| op);
        (Err(Error::from(ErrorCode::INSUFFICIENT_SCOPE)), 0.0, op)
    } else {
        match budget {
            Err(op) => (
                Err(Error::api(
                    ErrorCode::OPERATION_TIME_LIMIT,
                    format!("Method is blocked due to operation time limit. Reset at {}", op.reset_at),
                )),
                0.0,
                op,
            ),
            Ok(op) => {
                let t0 = Instant::now();
                let out = (spec.handler)(&ctx, params).await;
                let processing = t0.elapsed().as_secs_f64();
                let op = if counted { state.limits.record_operating(&key, spec.name, processing).await } else { op };
                (out, processing, op)
            }
        }
    };
    let time = TimeInfo {
        start: started,
        finish: state.clock.now(),
        processing,
        operating_reset_at: operating.reset_at,
        operating: operating.seconds,
        offset: state.config.timezone,
    };
    Invocation { outcome, time }
}
