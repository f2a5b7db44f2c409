//! Domain types and rules, free of HTTP and SQL: typed ids, scopes, the authenticated caller, secrets, the
//! clock. Values here are valid by construction; parsing from the wire happens once, at the edge.

pub mod caller;
pub mod clock;
pub mod ids;
pub mod scope;
pub mod secret;

pub use caller::{Caller, CallerKind};
pub use clock::Clock;
pub use ids::{AppId, ChatId, MessageId, UserId, WebhookId};
pub use scope::{Scope, ScopeSet};
