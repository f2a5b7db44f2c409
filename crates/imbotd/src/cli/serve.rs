//! `imbotd serve`: start the server, print where it is, stop gracefully on SIGINT/SIGTERM.

use super::GlobalArgs;
use crate::app::Application;
use crate::config::{LogFormat, RawConfig};
use crate::domain::{secret, ScopeSet, UserId};
use crate::store::{portal, webhooks};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Plain-HTTP listener [default: 127.0.0.1:8080].
    #[arg(long, env = "IMBOTD_LISTEN")]
    pub listen: Option<String>,
    /// HTTPS listener, or "off" [default: 127.0.0.1:8443].
    #[arg(long, env = "IMBOTD_TLS_LISTEN")]
    pub tls_listen: Option<String>,
    /// PEM certificate chain for HTTPS [default: generated into DATA_DIR/tls/].
    #[arg(long, env = "IMBOTD_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for HTTPS.
    #[arg(long, env = "IMBOTD_TLS_KEY")]
    pub tls_key: Option<PathBuf>,
    /// Request-intensity limit: off, cloud, enterprise or custom [default: cloud].
    #[arg(long, env = "IMBOTD_RATE_LIMIT")]
    pub rate_limit: Option<String>,
    /// Seconds of method time per 10 minutes before 429 OPERATION_TIME_LIMIT; 0 = off [default: 480].
    #[arg(long, env = "IMBOTD_OPERATING_LIMIT")]
    pub operating_limit: Option<f64>,
    /// Answer REST calls over plain HTTP with 400 INVALID_REQUEST, as the cloud does.
    #[arg(long, env = "IMBOTD_REQUIRE_HTTPS", num_args = 0..=1, default_missing_value = "true")]
    pub require_https: Option<bool>,
    /// The portal's UTC offset, e.g. +02:00 [default: +00:00].
    #[arg(long, env = "IMBOTD_TIMEZONE")]
    pub timezone: Option<String>,
    /// Largest accepted request body in bytes [default: 33554432].
    #[arg(long, env = "IMBOTD_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Body limit of the two file upload methods in bytes [default: 150000000].
    #[arg(long, env = "IMBOTD_MAX_UPLOAD_BYTES")]
    pub max_upload_bytes: Option<usize>,
    /// Log format: text or json [default: text]. The level comes from RUST_LOG.
    #[arg(long, env = "IMBOTD_LOG_FORMAT")]
    pub log_format: Option<String>,
    /// Do not start the demo echo bot (and unregister it if an earlier start registered it).
    #[arg(long, env = "IMBOTD_NO_DEMO")]
    pub no_demo: bool,
}

impl ServeArgs {
    fn raw(&self) -> RawConfig {
        let mut r = RawConfig {
            listen: self.listen.clone(),
            tls_listen: self.tls_listen.clone(),
            tls_cert: self.tls_cert.clone(),
            tls_key: self.tls_key.clone(),
            require_https: self.require_https,
            timezone: self.timezone.clone(),
            max_body_bytes: self.max_body_bytes,
            max_upload_bytes: self.max_upload_bytes,
            log_format: self.log_format.clone(),
            ..RawConfig::default()
        };
        r.rate_limit.mode = self.rate_limit.clone();
        r.rate_limit.operating_limit = self.operating_limit;
        r
    }
}

fn init_logging(format: LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    let _ = match format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

/// SIGINT or SIGTERM. The handlers are installed when this is called, not when it is first awaited, so a
/// signal that arrives while the server is still starting (printing its banner, starting the demo bot) is
/// kept and stops it cleanly, instead of killing the process.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let term = signal(SignalKind::terminate());
        let int = signal(SignalKind::interrupt());
        async move {
            match (term, int) {
                (Ok(mut t), Ok(mut i)) => {
                    tokio::select! { _ = t.recv() => {}, _ = i.recv() => {} }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Print a banner line; a closed stdout (the reader went away) is ignored, never a panic: the server must
/// keep serving whoever started it.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub async fn run(global: &GlobalArgs, args: ServeArgs) -> Result<(), Box<dyn std::error::Error>> {
    let config = global.load(Some(&args.raw()))?;
    init_logging(config.log_format);
    let stop = shutdown_signal();
    let app = Application::build(config).await?;
    let state = app.state().clone();
    let urls = &state.urls;
    say!("imbotd {} is running (data: {})", env!("CARGO_PKG_VERSION"), state.config.data_dir.display());
    say!("  http:   {}", urls.http);
    if let Some(https) = &urls.https {
        say!("  https:  {https}");
    }
    if let Some(files) = app.tls_files() {
        say!("  certificate to trust: {}", files.trust.display());
        say!("    (REQUESTS_CA_BUNDLE={0} / NODE_EXTRA_CA_CERTS={0})", files.trust.display());
    }
    if portal::claim_once(&state.store, "admin_webhook", state.clock.unix()).await? {
        let code = secret::lower_alnum(16);
        webhooks::create(&state.store, UserId(1), &code, &ScopeSet::all(), state.clock.unix()).await?;
        say!("  admin webhook (user 1, all scopes; shown once, the server keeps only its hash):");
        say!("    {}/rest/1/{code}/", urls.http);
        if let Some(https) = &urls.https {
            say!("    {https}/rest/1/{code}/");
        }
    } else {
        say!("  webhooks: `imbotd webhook add --user 1` creates one; `imbotd webhook list` lists them");
    }
    say!("  web chat: {}/", urls.http);
    let ttl = state.config.web_login_link_ttl;
    if let Some(token) = crate::store::web::new_login_link(&state.store, UserId(1), ttl, state.clock.unix()).await? {
        say!("    sign in as the admin (one-time link, valid {} min): {}/login/{token}", ttl / 60, urls.http);
        say!("    later: `imbotd user login-link 1`, or set a password with `imbotd user passwd 1`");
    }
    let demo = if args.no_demo {
        match crate::demo::remove(&state).await {
            Ok(true) => say!("  demo bot: removed (--no-demo)"),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "cannot remove the demo bot"),
        }
        None
    } else if state.store.backend() == crate::store::Backend::Postgres {
        // Instances sharing a database are one portal: a demo bot whose handler lives in one of them would
        // stop answering with it. A cluster runs bots of its own.
        say!("  demo bot: not started on PostgreSQL (instances share one portal); run a bot of your own");
        None
    } else {
        match crate::demo::start(&state, &urls.http).await {
            Ok(bot) => {
                say!("  demo bot: \"Echo\" (ID {}) answers /echo TEXT — open its dialog in the web chat", bot.bot_id());
                Some(bot)
            }
            Err(e) => {
                tracing::warn!(error = %e, "the demo bot did not start");
                None
            }
        }
    };
    tracing::info!(http = %urls.http, https = ?urls.https, "listening");
    app.run_until(stop).await?;
    if let Some(bot) = demo {
        let _ = bot.stop().await;
    }
    tracing::info!("stopped");
    Ok(())
}
