//! Who is calling: the result of authentication, passed to every method.

use super::{AppId, ScopeSet, UserId, WebhookId};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallerKind {
    /// An incoming webhook `/rest/{user}/{code}/…`.
    Webhook { id: WebhookId },
    /// An OAuth access token of a local app.
    OAuth { app_id: AppId, client_id: String, token_id: i64 },
    /// A signed-in web chat user (session cookie + `X-Bitrix-Csrf-Token`), SPEC-NOTES §2.3.
    Session { session_id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: UserId,
    pub is_admin: bool,
    pub scopes: ScopeSet,
    pub kind: CallerKind,
}

impl Caller {
    /// The key limits are accounted under: one bucket per webhook or app (SPEC-NOTES §1.4).
    pub fn limit_key(&self) -> String {
        match &self.kind {
            CallerKind::Webhook { id } => format!("webhook:{id}"),
            CallerKind::OAuth { app_id, .. } => format!("app:{app_id}"),
            CallerKind::Session { .. } => format!("session:{}", self.user_id),
        }
    }

    /// Short text for logs: `webhook:3/user:1`.
    pub fn subject(&self) -> String {
        format!("{}/user:{}", self.limit_key(), self.user_id)
    }
}
