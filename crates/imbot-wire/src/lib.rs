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

/// A closed set of strings as an enum: `ALL`, `as_str`, `parse_exact` (case-sensitive), `parse_ci`
/// (ASCII-case-insensitive, surrounding spaces ignored), `parse` (whichever of the two the invocation names:
/// the v2 API matches its codes exactly, v1 and event names in any case) and `Display`. The one definition of
/// every string enum of the crate (rich-message fields, v2 enumerations, v2 event names).
macro_rules! string_enum {
    ($parse:ident: $(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $var),+ }

        impl $name {
            /// Every value, in declaration (the documentation's) order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];

            /// The canonical spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }

            /// Exact (case-sensitive) match.
            pub fn parse_exact(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$var),)+ _ => None }
            }

            /// ASCII-case-insensitive match, surrounding spaces ignored.
            pub fn parse_ci(s: &str) -> Option<Self> {
                let s = s.trim();
                $( if s.eq_ignore_ascii_case($s) { return Some($name::$var); } )+
                None
            }

            #[doc = concat!("Reads a value (`", stringify!($parse), "`).")]
            pub fn parse(s: &str) -> Option<Self> {
                Self::$parse(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

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
