//! Local OAuth applications and their tokens.
//!
//! An app has a public `client_id`, a hashed `client_secret` and a stable `application_token` (sent in clear in
//! every event so handlers can check authenticity, hence not hashed). Tokens are issued per (app, user): the
//! access token lives `access_token_ttl`, the refresh token `refresh_token_ttl`; a refresh rotates both and
//! invalidates the old refresh token. Only digests of tokens are stored.

use super::{Store, StoreError};
use crate::domain::{secret, AppId, ScopeSet, UserId, WebhookId};
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    pub id: AppId,
    pub name: String,
    pub client_id: String,
    pub application_token: String,
    pub scopes: ScopeSet,
    pub handler_url: String,
    pub version: i64,
    pub installed: bool,
    /// For the implicit app of a webhook bot owner: the CLIENT_ID (appended to its handler URLs).
    pub webhook_client_id: Option<String>,
    /// Whether event bodies carry working OAuth tokens (`imbotd app set --event-tokens off` leaves them out).
    pub event_tokens: bool,
}

#[derive(Debug, Clone)]
pub struct NewApp {
    pub name: String,
    pub scopes: ScopeSet,
    pub handler_url: String,
}

/// What `app add` prints, once: the secret is not kept in clear.
#[derive(Debug, Clone)]
pub struct CreatedApp {
    pub app: App,
    pub client_secret: String,
}

/// A freshly issued token pair (clear text, shown once).
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub access_expires_at: i64,
    pub user_id: UserId,
    pub scopes: ScopeSet,
}

/// An access token as found by its digest.
#[derive(Debug, Clone)]
pub struct AccessGrant {
    pub token_id: i64,
    pub app: App,
    pub user_id: UserId,
    pub scopes: ScopeSet,
    pub expires_at: i64,
}

const APP_COLUMNS: &str =
    "a.id, a.name, a.client_id, a.application_token, a.scopes, a.handler_url, a.version, a.installed,
    a.webhook_client_id, a.event_tokens";

fn app_row(r: &sqlx::any::AnyRow) -> App {
    App {
        id: AppId(r.get("id")),
        name: r.get("name"),
        client_id: r.get("client_id"),
        application_token: r.get("application_token"),
        scopes: ScopeSet::from_stored(&r.get::<String, _>("scopes")),
        handler_url: r.get("handler_url"),
        version: r.get("version"),
        installed: r.get::<i64, _>("installed") != 0,
        webhook_client_id: r.get("webhook_client_id"),
        event_tokens: r.get::<i64, _>("event_tokens") != 0,
    }
}

pub async fn create(store: &Store, new: &NewApp, now: i64) -> Result<CreatedApp, StoreError> {
    let client_id = secret::client_id();
    let client_secret = secret::alnum(50);
    let application_token = secret::hex_token(16);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO apps(name, client_id, client_secret_hash, application_token, scopes, handler_url, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&new.name)
    .bind(&client_id)
    .bind(secret::hash(&client_secret))
    .bind(&application_token)
    .bind(new.scopes.to_list())
    .bind(&new.handler_url)
    .bind(now)
    .fetch_one(store.w())
    .await?;
    Ok(CreatedApp {
        app: App {
            id: AppId(id),
            name: new.name.clone(),
            client_id,
            application_token,
            scopes: new.scopes.clone(),
            handler_url: new.handler_url.clone(),
            version: 1,
            installed: true,
            webhook_client_id: None,
            event_tokens: true,
        },
        client_secret,
    })
}

pub async fn by_client_id(store: &Store, client_id: &str) -> Result<Option<App>, StoreError> {
    let r = sqlx::query(&format!("SELECT {APP_COLUMNS} FROM apps a WHERE a.client_id = $1"))
        .bind(client_id)
        .fetch_optional(store.pool())
        .await?;
    Ok(r.as_ref().map(app_row))
}

/// The implicit app of a (webhook, CLIENT_ID) pair, if it exists ([`super::bots::webhook_app`] makes it).
pub async fn of_webhook_client(store: &Store, webhook: WebhookId, client_id: &str) -> Result<Option<App>, StoreError> {
    let r = sqlx::query(&format!(
        "SELECT {APP_COLUMNS} FROM apps a WHERE a.kind = 'webhook' AND a.webhook_id = $1 AND a.webhook_client_id = $2"
    ))
    .bind(webhook.0)
    .bind(client_id)
    .fetch_optional(store.pool())
    .await?;
    Ok(r.as_ref().map(app_row))
}

/// The implicit app of a (webhook, botToken) pair, by the token's digest (v2 bots, docs/v2.md §6).
pub async fn of_bot_token(store: &Store, webhook: WebhookId, token_hash: &str) -> Result<Option<App>, StoreError> {
    let r = sqlx::query(&format!(
        "SELECT {APP_COLUMNS} FROM apps a WHERE a.kind = 'webhook' AND a.webhook_id = $1 AND a.bot_token_hash = $2"
    ))
    .bind(webhook.0)
    .bind(token_hash)
    .fetch_optional(store.pool())
    .await?;
    Ok(r.as_ref().map(app_row))
}

pub async fn by_id(store: &Store, id: AppId) -> Result<Option<App>, StoreError> {
    let r = sqlx::query(&format!("SELECT {APP_COLUMNS} FROM apps a WHERE a.id = $1"))
        .bind(id.0)
        .fetch_optional(store.pool())
        .await?;
    Ok(r.as_ref().map(app_row))
}

/// The app whose client id and secret both match.
pub async fn authenticate_client(
    store: &Store,
    client_id: &str,
    secret_clear: &str,
) -> Result<Option<App>, StoreError> {
    let r =
        sqlx::query(&format!("SELECT {APP_COLUMNS} FROM apps a WHERE a.client_id = $1 AND a.client_secret_hash = $2"))
            .bind(client_id)
            .bind(secret::hash(secret_clear))
            .fetch_optional(store.pool())
            .await?;
    Ok(r.as_ref().map(app_row))
}

pub async fn list(store: &Store) -> Result<Vec<App>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {APP_COLUMNS} FROM apps a ORDER BY a.id")).fetch_all(store.pool()).await?;
    Ok(rows.iter().map(app_row).collect())
}

/// Issue a new token pair for `user` of `app`, with the app's scopes.
pub async fn issue_tokens(
    store: &Store,
    app: &App,
    user: UserId,
    access_ttl: i64,
    refresh_ttl: i64,
    now: i64,
) -> Result<IssuedTokens, StoreError> {
    let mut tx = store.begin().await?;
    let t = issue_tokens_tx(&mut tx, app, user, access_ttl, refresh_ttl, now).await?;
    tx.commit().await?;
    Ok(t)
}

/// [`issue_tokens`] inside `tx` (several pairs, one commit: an event's bot and user tokens).
pub async fn issue_tokens_tx(
    tx: &mut super::Tx,
    app: &App,
    user: UserId,
    access_ttl: i64,
    refresh_ttl: i64,
    now: i64,
) -> Result<IssuedTokens, StoreError> {
    let access_token = secret::hex_token(22);
    let refresh_token = secret::hex_token(16);
    let access_expires_at = now + access_ttl;
    sqlx::query(
        "INSERT INTO oauth_tokens(app_id, user_id, access_hash, access_expires_at, refresh_hash, refresh_expires_at, scopes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(app.id.0)
    .bind(user.0)
    .bind(secret::hash(&access_token))
    .bind(access_expires_at)
    .bind(secret::hash(&refresh_token))
    .bind(now + refresh_ttl)
    .bind(app.scopes.to_list())
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(IssuedTokens { access_token, refresh_token, access_expires_at, user_id: user, scopes: app.scopes.clone() })
}

/// Find the grant behind an access token (expired or not: the caller decides).
pub async fn find_access(store: &Store, access_token: &str) -> Result<Option<AccessGrant>, StoreError> {
    let r = sqlx::query(&format!(
        "SELECT {APP_COLUMNS}, t.id AS token_id, t.user_id, t.scopes AS token_scopes, t.access_expires_at
         FROM oauth_tokens t JOIN apps a ON a.id = t.app_id WHERE t.access_hash = $1"
    ))
    .bind(secret::hash(access_token))
    .fetch_optional(store.pool())
    .await?;
    Ok(r.map(|r| AccessGrant {
        token_id: r.get("token_id"),
        app: app_row(&r),
        user_id: UserId(r.get("user_id")),
        scopes: ScopeSet::from_stored(&r.get::<String, _>("token_scopes")),
        expires_at: r.get("access_expires_at"),
    }))
}

/// Exchange a refresh token of `app` for a new pair; the old refresh token stops working (atomically: two
/// concurrent refreshes with the same token can't both succeed). `None` if the token is unknown, belongs to
/// another app or has expired.
pub async fn refresh(
    store: &Store,
    app: &App,
    refresh_token: &str,
    access_ttl: i64,
    refresh_ttl: i64,
    now: i64,
) -> Result<Option<IssuedTokens>, StoreError> {
    let mut tx = store.begin().await?;
    let row = sqlx::query(
        "UPDATE oauth_tokens SET refresh_hash = NULL
         WHERE app_id = $1 AND refresh_hash = $2 AND refresh_expires_at > $3
         RETURNING user_id",
    )
    .bind(app.id.0)
    .bind(secret::hash(refresh_token))
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let user = UserId(row.get("user_id"));
    let access_token = secret::hex_token(22);
    let new_refresh = secret::hex_token(16);
    sqlx::query(
        "INSERT INTO oauth_tokens(app_id, user_id, access_hash, access_expires_at, refresh_hash, refresh_expires_at, scopes, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(app.id.0)
    .bind(user.0)
    .bind(secret::hash(&access_token))
    .bind(now + access_ttl)
    .bind(secret::hash(&new_refresh))
    .bind(now + refresh_ttl)
    .bind(app.scopes.to_list())
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(IssuedTokens {
        access_token,
        refresh_token: new_refresh,
        access_expires_at: now + access_ttl,
        user_id: user,
        scopes: app.scopes.clone(),
    }))
}

pub async fn by_id_tx(tx: &mut super::Tx, id: AppId) -> Result<Option<App>, StoreError> {
    let r = sqlx::query(&format!("SELECT {APP_COLUMNS} FROM apps a WHERE a.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(r.as_ref().map(app_row))
}

/// Set an app's version inside `tx`; returns the previous one.
pub async fn set_version_tx(tx: &mut super::Tx, id: AppId, version: i64) -> Result<i64, StoreError> {
    let previous: i64 =
        sqlx::query_scalar("SELECT version FROM apps WHERE id = $1").bind(id.0).fetch_one(&mut **tx).await?;
    sqlx::query("UPDATE apps SET version = $1 WHERE id = $2").bind(version).bind(id.0).execute(&mut **tx).await?;
    Ok(previous)
}

/// Turn working tokens in the app's event bodies on or off.
pub async fn set_event_tokens(store: &Store, id: AppId, on: bool) -> Result<(), StoreError> {
    sqlx::query("UPDATE apps SET event_tokens = $1 WHERE id = $2")
        .bind(on as i64)
        .bind(id.0)
        .execute(store.w())
        .await?;
    Ok(())
}

/// The person responsible for an app: the webhook's user for a webhook bot owner, else the portal admin.
pub async fn owner_user(store: &Store, id: AppId) -> Result<UserId, StoreError> {
    let u: Option<i64> =
        sqlx::query_scalar("SELECT w.user_id FROM apps a JOIN webhooks w ON w.id = a.webhook_id WHERE a.id = $1")
            .bind(id.0)
            .fetch_optional(store.pool())
            .await?;
    Ok(UserId(u.unwrap_or(1)))
}

/// Delete tokens that can no longer be used: the access token expired and the refresh token was used
/// (rotated) or expired too. Returns how many went.
pub async fn purge_dead_tokens(store: &Store, now: i64) -> Result<u64, StoreError> {
    let r = sqlx::query(
        "DELETE FROM oauth_tokens WHERE access_expires_at <= $1 AND (refresh_hash IS NULL OR refresh_expires_at <= $2)",
    )
    .bind(now)
    .bind(now)
    .execute(store.w())
    .await?;
    Ok(r.rows_affected())
}
