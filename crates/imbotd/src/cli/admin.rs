//! Admin commands: users, webhooks, OAuth apps, migrations. Output contract (scripts depend on it):
//! `user add` prints the new id; `webhook add` the base URL; `app add` JSON `{client_id, client_secret,
//! application_token}`; `app token` the token JSON of `/oauth/token/`.

use super::GlobalArgs;
use crate::app::PublicUrls;
use crate::config::Config;
use crate::domain::{secret, Clock, ScopeSet, UserId, WebhookId};
use crate::http::oauth::token_json;
use crate::store::{apps, portal, users, webhooks, Store};
use clap::Subcommand;
use serde_json::json;

type CliResult = Result<(), Box<dyn std::error::Error>>;

#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// Create a user; prints its ID.
    Add {
        /// Full name: the first word is NAME, the rest LAST_NAME.
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "en")]
        lang: String,
        /// An extranet (external) user.
        #[arg(long)]
        extranet: bool,
        #[arg(long)]
        email: Option<String>,
        /// A portal administrator.
        #[arg(long)]
        admin: bool,
    },
    /// List users: ID, name, flags (tab-separated).
    List,
    /// Set the password the user signs in to the web chat with: `--password`, else the first line of stdin.
    /// Signs the user out of every open session. `--clear` removes the password (login links still work).
    Passwd {
        id: i64,
        #[arg(long)]
        password: Option<String>,
        #[arg(long, conflicts_with = "password")]
        clear: bool,
    },
    /// Print a one-time web chat login link for the user (valid `[web] login_link_ttl` seconds).
    LoginLink { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCmd {
    /// Create an incoming webhook for a user; prints its base URL.
    Add {
        #[arg(long)]
        user: i64,
        /// Comma-separated scopes [default: all: im,imbot,user,user_brief,user_basic].
        #[arg(long)]
        scope: Option<String>,
        /// The secret code (default: 16 random characters).
        #[arg(long)]
        code: Option<String>,
    },
    /// List webhooks: ID, user, code hint, scopes (tab-separated).
    List,
    /// Remove a webhook by ID.
    Remove { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum AppCmd {
    /// Register and install a local OAuth app; prints JSON {client_id, client_secret, application_token}.
    Add {
        #[arg(long)]
        name: String,
        /// Comma-separated scopes [default: all].
        #[arg(long)]
        scope: Option<String>,
        /// The app's handler URL (installation/event target).
        #[arg(long)]
        handler: Option<String>,
    },
    /// Issue OAuth tokens of an app for a user; prints the token JSON.
    Token {
        #[arg(long)]
        client_id: String,
        #[arg(long)]
        user: i64,
        /// Access-token lifetime in seconds [default: oauth.access_token_ttl]; 0 gives an expired token (tests).
        #[arg(long)]
        expires_in: Option<i64>,
    },
    /// List apps: ID, client_id, name, scopes (tab-separated).
    List,
    /// Change an app's settings.
    Set {
        #[arg(long)]
        client_id: Option<String>,
        #[arg(long)]
        app: Option<i64>,
        /// Put working OAuth tokens into event bodies (`on`, Bitrix's behaviour) or leave them out (`off`).
        #[arg(long, value_parser = ["on", "off"])]
        event_tokens: Option<String>,
        /// Install a new version of the app: sets VERSION and sends ONAPPUPDATE to its subscriptions.
        #[arg(long)]
        version: Option<i64>,
    },
    /// Make (or rotate) the app's Standard Webhooks signing secret; prints it (`whsec_…`).
    Secret {
        /// The app by client_id …
        #[arg(long)]
        client_id: Option<String>,
        /// … or by ID (webhook bots' apps are listed by `imbotd app list` too).
        #[arg(long)]
        app: Option<i64>,
        /// Seconds the previous secrets stay valid.
        #[arg(long, default_value_t = 86_400)]
        grace: i64,
        /// Remove every secret: events go out unsigned.
        #[arg(long)]
        disable: bool,
    },
}

async fn open(config: &Config) -> Result<Store, Box<dyn std::error::Error>> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| format!("cannot create data directory {}: {e}", config.data_dir.display()))?;
    Ok(Store::open(&config.effective_database_url(), Clock::system().unix()).await?)
}

/// The live server's endpoints, if one runs on this data dir.
fn live_endpoints(config: &Config) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(config.data_dir.join("run").join("endpoints.json")).ok()?;
    serde_json::from_str(&text).ok()
}

/// Base URL for webhook URLs: `--public-url`, else the running server's HTTP address, else the configured one.
fn webhook_base(config: &Config) -> String {
    if let Some(u) = &config.public_url {
        return u.clone();
    }
    live_endpoints(config)
        .and_then(|v| v["http"].as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("http://{}", config.listen))
}

/// URLs for OAuth answers: the same base the server itself hands out.
fn oauth_urls(config: &Config) -> PublicUrls {
    let live = live_endpoints(config);
    let http = format!("http://{}", config.listen);
    let https = config.tls_listen.map(|a| format!("https://{a}"));
    let base = config
        .public_url
        .clone()
        .or_else(|| live.as_ref().and_then(|v| v["public"].as_str().map(str::to_owned)))
        .or_else(|| https.clone())
        .unwrap_or_else(|| http.clone());
    PublicUrls { base, http, https }
}

fn scopes(arg: &Option<String>) -> Result<ScopeSet, String> {
    match arg {
        None => Ok(ScopeSet::all()),
        Some(s) => ScopeSet::parse_list(s),
    }
}

/// The app named by exactly one of `--client-id` / `--app`.
async fn find_app(
    store: &Store,
    client_id: Option<String>,
    app: Option<i64>,
) -> Result<apps::App, Box<dyn std::error::Error>> {
    let found = match (client_id, app) {
        (Some(c), None) => apps::by_client_id(store, &c).await?,
        (None, Some(id)) => apps::by_id(store, crate::domain::AppId(id)).await?,
        _ => return Err("give exactly one of --client-id or --app".into()),
    };
    Ok(found.ok_or("no such app")?)
}

pub async fn migrate(global: &GlobalArgs) -> CliResult {
    let config = global.load(None)?;
    let store = open(&config).await?;
    store.close().await;
    eprintln!("imbotd: database is up to date ({})", config.database_display());
    Ok(())
}

pub async fn user(global: &GlobalArgs, cmd: UserCmd) -> CliResult {
    let config = global.load(None)?;
    let store = open(&config).await?;
    match cmd {
        UserCmd::Add { name, lang, extranet, email, admin } => {
            let name = name.trim();
            if name.is_empty() {
                return Err("--name must not be empty".into());
            }
            let (first, last) = name.split_once(' ').unwrap_or((name, ""));
            let new = users::NewUser {
                name: first.to_owned(),
                last_name: last.trim().to_owned(),
                email: email.unwrap_or_default(),
                language_id: lang.to_ascii_lowercase(),
                is_extranet: extranet,
                is_admin: admin,
            };
            let id = crate::directory::add_user(&store, &new, config.timezone, Clock::system().unix()).await?;
            println!("{id}");
        }
        UserCmd::Passwd { id, password, clear } => {
            let hash = if clear {
                None
            } else {
                let password = match password {
                    Some(p) => p,
                    None => {
                        let mut line = String::new();
                        std::io::stdin().read_line(&mut line)?;
                        line.trim_end_matches(['\r', '\n']).to_owned()
                    }
                };
                if password.chars().count() < 8 {
                    return Err("a password needs at least 8 characters".into());
                }
                Some(secret::hash_password(&password)?)
            };
            if !crate::store::web::set_password(&store, UserId(id), hash.as_deref()).await? {
                return Err(format!("no user {id} (bots have no password)").into());
            }
            crate::store::web::close_all(&store, UserId(id)).await?;
        }
        UserCmd::LoginLink { id } => {
            let ttl = config.web_login_link_ttl;
            let token = crate::store::web::new_login_link(&store, UserId(id), ttl, Clock::system().unix())
                .await?
                .ok_or_else(|| format!("no active user {id} (bots cannot sign in)"))?;
            println!("{}/login/{token}", webhook_base(&config));
        }
        UserCmd::List => {
            let q = users::UserQuery {
                conditions: vec![],
                name_search: None,
                sort: users::UserField::Id,
                descending: false,
                offset: 0,
                limit: i64::MAX,
                count_total: false,
            };
            for u in users::list(&store, &q).await?.0 {
                let mut flags = vec![];
                if u.is_admin {
                    flags.push("admin");
                }
                if u.is_extranet {
                    flags.push("extranet");
                }
                if !u.active {
                    flags.push("inactive");
                }
                println!("{}\t{} {}\t{}", u.id, u.name, u.last_name, flags.join(","));
            }
        }
    }
    store.close().await;
    Ok(())
}

pub async fn webhook(global: &GlobalArgs, cmd: WebhookCmd) -> CliResult {
    let config = global.load(None)?;
    let store = open(&config).await?;
    match cmd {
        WebhookCmd::Add { user, scope, code } => {
            let scopes = scopes(&scope)?;
            let user = users::get(&store, UserId(user)).await?.ok_or_else(|| format!("no user with ID {user}"))?;
            let code = match code {
                Some(c)
                    if c.is_empty() || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-') =>
                {
                    return Err("--code may contain only letters, digits, '_' and '-'".into())
                }
                Some(c) => c,
                None => secret::lower_alnum(16),
            };
            webhooks::create(&store, user.id, &code, &scopes, Clock::system().unix())
                .await
                .map_err(|e| format!("cannot create the webhook (is the code already used?): {e}"))?;
            println!("{}/rest/{}/{}/", webhook_base(&config), user.id, code);
        }
        WebhookCmd::List => {
            for w in webhooks::list(&store).await? {
                println!("{}\t{}\t{}…\t{}", w.id, w.user_id, w.code_hint, w.scopes.to_list());
            }
        }
        WebhookCmd::Remove { id } => {
            if !webhooks::remove(&store, WebhookId(id)).await? {
                return Err(format!("no webhook with ID {id}").into());
            }
        }
    }
    store.close().await;
    Ok(())
}

pub async fn app(global: &GlobalArgs, cmd: AppCmd) -> CliResult {
    let config = global.load(None)?;
    let store = open(&config).await?;
    match cmd {
        AppCmd::Add { name, scope, handler } => {
            let handler = handler.unwrap_or_default();
            if !handler.is_empty() && !url::Url::parse(&handler).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
                return Err(format!("--handler {handler:?} is not an http(s) URL").into());
            }
            let new = apps::NewApp { name, scopes: scopes(&scope)?, handler_url: handler };
            let created = apps::create(&store, &new, Clock::system().unix()).await?;
            if !created.app.handler_url.is_empty() {
                // The server's delivery worker sends ONAPPINSTALL (it polls the outbox).
                let state = crate::app::AppState::offline(config.clone(), store.clone(), Clock::system()).await?;
                let mut tx = store.begin().await?;
                crate::events::app_installed(&mut tx, &state, &created.app, crate::domain::UserId(1))
                    .await
                    .map_err(|e| e.to_api().to_string())?;
                tx.commit().await?;
            }
            println!(
                "{}",
                json!({
                    "client_id": created.app.client_id,
                    "client_secret": created.client_secret,
                    "application_token": created.app.application_token,
                })
            );
        }
        AppCmd::Token { client_id, user, expires_in } => {
            let app = apps::by_client_id(&store, &client_id)
                .await?
                .ok_or_else(|| format!("no app with client_id {client_id}"))?;
            let user = users::get(&store, UserId(user)).await?.ok_or_else(|| format!("no user with ID {user}"))?;
            let ttl = expires_in.unwrap_or(config.access_token_ttl);
            if ttl < 0 {
                return Err("--expires-in must be ≥ 0".into());
            }
            let issued =
                apps::issue_tokens(&store, &app, user.id, ttl, config.refresh_token_ttl, Clock::system().unix())
                    .await?;
            let member_id = portal::member_id(&store).await?;
            println!("{}", token_json(&issued, ttl, &oauth_urls(&config), &member_id));
        }
        AppCmd::Set { client_id, app, event_tokens, version } => {
            let found = find_app(&store, client_id, app).await?;
            if event_tokens.is_none() && version.is_none() {
                return Err("nothing to set (--event-tokens on|off, --version N)".into());
            }
            if let Some(v) = event_tokens.as_deref() {
                apps::set_event_tokens(&store, found.id, v == "on").await?;
            }
            if let Some(v) = version {
                if v < 1 {
                    return Err("--version must be ≥ 1".into());
                }
                app_updated(&store, &found, v).await?;
            }
        }
        AppCmd::Secret { client_id, app, grace, disable } => {
            let found = find_app(&store, client_id, app).await?;
            if disable {
                crate::store::signing::disable(&store, found.id).await?;
            } else {
                if grace < 0 {
                    return Err("--grace must be ≥ 0".into());
                }
                println!("{}", crate::store::signing::rotate(&store, found.id, grace, Clock::system().unix()).await?);
            }
        }
        AppCmd::List => {
            for a in apps::list(&store).await? {
                println!("{}\t{}\t{}\t{}", a.id, a.client_id, a.name, a.scopes.to_list());
            }
        }
    }
    store.close().await;
    Ok(())
}

/// Install version `version` of `app`: store it and send `ONAPPUPDATE` (with the app owner's tokens) to the
/// app's subscriptions, in one transaction.
async fn app_updated(store: &Store, app: &apps::App, version: i64) -> Result<(), Box<dyn std::error::Error>> {
    use crate::events::generic::{self, ONAPPUPDATE};
    let owner = apps::owner_user(store, app.id).await?;
    let now = Clock::system().unix();
    let mut tx = store.begin().await?;
    let previous = apps::set_version_tx(&mut tx, app.id, version).await?;
    let mut data = serde_json::Map::new();
    data.insert("VERSION".into(), version.to_string().into());
    data.insert("PREVIOUS_VERSION".into(), previous.to_string().into());
    data.insert("LANGUAGE_ID".into(), "en".into());
    let spec = generic::spec(ONAPPUPDATE).ok_or("ONAPPUPDATE is not in the catalogue")?;
    generic::emit(&mut tx, spec, Some(app.id), data, owner, now).await?;
    tx.commit().await?;
    Ok(())
}
