//! # imbot-wire — the Bitrix24 REST wire protocol, without I/O
//!
//! Everything that decides what bytes cross the wire lives here, so the server (`imbotd`) and the bot SDK can
//! never disagree:
//!
//! * [`form`] — PHP's `parse_str` (request decoding) and `http_build_query` (event encoding), byte for byte;
//! * [`params`] — the merged request parameter map with Bitrix's case and truthiness rules;
//! * [`envelope`] — the success envelope (`result`, `next`, `total`, `time`) and the `time` object;
//! * [`events`] — outgoing bot events: token blocks and the `http_build_query` body in Bitrix's key order;
//! * [`error`] — the error-code catalogue: code, HTTP status, default description;
//! * [`ids`] — `DIALOG_ID` (`27`, `chat42`, `sg7`) parsed once into [`DialogId`];
//! * [`signature`] — Standard Webhooks signatures of outgoing events (sign and verify);
//! * [`v2`] — the v2 bot API (`imbot.v2.*`, `im.v2.*`): camelCase requests, entities, results, `ONIMBOTV2*`
//!   events (docs/v2.md);
//! * [`json`] — PHP `json_encode`-compatible serialisation (escaped `/`, `<`, `>`, `&`, `'`, `"`; PHP array shapes).
//!
//! Nothing here allocates sockets, reads clocks implicitly or touches a database: callers pass time in.

pub mod envelope;
pub mod error;
pub mod events;
pub mod form;
pub mod ids;
pub mod json;
pub mod params;
pub mod rich;
pub mod signature;
pub mod text;
pub mod v2;

pub use envelope::{Envelope, TimeInfo};
pub use error::{ApiError, ErrorCode};
pub use ids::DialogId;
pub use params::Params;
