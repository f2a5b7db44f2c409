//! `Application::build(config)`: open the store, prepare TLS, bind the listeners, start serving, and hand back
//! the bound addresses so tests (port 0) and the CLI know where the server is.
//!
//! The parts — the REST API over HTTP and over HTTPS — are started here and stopped together by
//! [`Application::shutdown`], which lets in-flight requests finish within `shutdown_grace`. The endpoints file
//! `DATA_DIR/run/endpoints.json` tells the admin CLI the live URLs while the server runs.
//!
//! Failure modes: a port in use, an unreadable certificate or an unusable database fail `build` with a
//! `StartError` naming the cause; nothing is left half-started.

use crate::config::Config;
use crate::domain::Clock;
use crate::limits::Limits;
use crate::metrics::Metrics;
use crate::store::{portal, Store, StoreError};
use crate::tls::{self, TlsFiles};
use axum_server::tls_rustls::RustlsConfig;
use axum_server::Handle;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Shared state of a running server.
#[derive(Debug)]
pub struct AppState {
    pub config: Config,
    pub store: Store,
    pub clock: Clock,
    pub limits: Limits,
    pub metrics: Metrics,
    pub member_id: String,
    pub urls: PublicUrls,
    /// Ephemeral live events (typing); subscribers are the live views of the web chat.
    pub live: tokio::sync::broadcast::Sender<crate::messenger::Live>,
    /// Wakes the delivery worker after a transaction that wrote outbox events committed.
    pub outbox_signal: tokio::sync::Notify,
    /// This process's random id: tags what it tells other instances (`store::notify`), so it skips its own.
    pub instance: String,
}

/// The URLs the server hands out.
#[derive(Debug, Clone)]
pub struct PublicUrls {
    /// Base for handed-out URLs, without trailing slash (`https://127.0.0.1:8443`).
    pub base: String,
    pub http: String,
    pub https: Option<String>,
}

impl PublicUrls {
    /// `client_endpoint`: `{base}/rest/`.
    pub fn client_endpoint(&self) -> String {
        format!("{}/rest/", self.base)
    }

    /// `server_endpoint`: the REST root of the authorization server, which is this server too.
    pub fn server_endpoint(&self) -> String {
        format!("{}/rest/", self.base)
    }

    /// `domain`: host[:port] of the base.
    pub fn domain(&self) -> String {
        url::Url::parse(&self.base)
            .ok()
            .and_then(|u| {
                u.host_str().map(|h| match u.port() {
                    Some(p) => format!("{h}:{p}"),
                    None => h.to_owned(),
                })
            })
            .unwrap_or_else(|| self.base.clone())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Tls(#[from] tls::TlsError),
    #[error("cannot load the TLS certificate {path}: {source}")]
    TlsLoad { path: String, source: std::io::Error },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Io { path: String, source: std::io::Error },
}

impl AppState {
    /// The portal's default language, `LANGUAGE` of bot events (SPEC-NOTES §4: lower-case, fallback `en`).
    pub fn default_language(&self) -> &'static str {
        "en"
    }

    /// State for tools that use the messenger rules without serving (the CLI): no listeners, limits off.
    pub async fn offline(config: Config, store: Store, clock: Clock) -> Result<AppState, StoreError> {
        let member_id = portal::member_id(&store).await?;
        let http = format!("http://{}", config.listen);
        let urls = PublicUrls { base: config.public_url.clone().unwrap_or_else(|| http.clone()), http, https: None };
        let limits = Limits::new(crate::config::RateLimit::Off, 0.0, clock.clone());
        let (live, _) = tokio::sync::broadcast::channel(16);
        let outbox_signal = tokio::sync::Notify::new();
        let instance = crate::domain::secret::hex_token(8);
        Ok(AppState {
            config,
            store,
            clock,
            limits,
            metrics: Metrics::default(),
            member_id,
            urls,
            live,
            outbox_signal,
            instance,
        })
    }
}

pub struct Application {
    state: Arc<AppState>,
    http_addr: SocketAddr,
    https_addr: Option<SocketAddr>,
    tls_files: Option<TlsFiles>,
    handles: Vec<Handle>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
    stop_workers: tokio::sync::watch::Sender<bool>,
    worker: Option<JoinHandle<()>>,
    /// PostgreSQL: what other instances announce, fed into this one's live views.
    fanout: Option<JoinHandle<()>>,
}

fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, StartError> {
    let l = std::net::TcpListener::bind(addr).map_err(|source| StartError::Bind { addr, source })?;
    l.set_nonblocking(true).map_err(|source| StartError::Bind { addr, source })?;
    Ok(l)
}

/// This instance's id, made at its first start and kept in `DATA_DIR/instance-id`: it names the instance's
/// delivery claims (so a restart takes its own back at once) and what it announces to other instances. Two
/// instances never share a data dir.
fn instance_id(data_dir: &std::path::Path) -> Result<String, StartError> {
    let path = data_dir.join("instance-id");
    let io = |source| StartError::Io { path: path.display().to_string(), source };
    match std::fs::read_to_string(&path) {
        Ok(s) if !s.trim().is_empty() => return Ok(s.trim().to_owned()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    let id = crate::domain::secret::hex_token(8);
    std::fs::write(&path, &id).map_err(io)?;
    Ok(id)
}

/// Install rustls' crypto provider once per process.
fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn display_addr(a: SocketAddr) -> String {
    if a.ip().is_unspecified() {
        format!("127.0.0.1:{}", a.port())
    } else {
        a.to_string()
    }
}

impl Application {
    pub async fn build(config: Config) -> Result<Application, StartError> {
        Self::build_with_clock(config, Clock::system()).await
    }

    /// `build` with an injected clock (tests move it forward).
    pub async fn build_with_clock(config: Config, clock: Clock) -> Result<Application, StartError> {
        install_crypto_provider();
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|source| StartError::Io { path: config.data_dir.display().to_string(), source })?;
        let sizes = crate::store::PoolSizes { max_connections: config.database_pool };
        let store = Store::open_with(&config.effective_database_url(), clock.unix(), sizes).await?;
        let member_id = portal::member_id(&store).await?;

        let http_listener = bind(config.listen)?;
        let http_addr =
            http_listener.local_addr().map_err(|source| StartError::Bind { addr: config.listen, source })?;
        let (https_listener, tls_files) = match config.tls_listen {
            Some(addr) => {
                let files = tls::ensure(&config.data_dir, config.tls_cert.as_deref(), config.tls_key.as_deref())?;
                (Some(bind(addr)?), Some(files))
            }
            None => (None, None),
        };
        let https_addr = match &https_listener {
            Some(l) => Some(l.local_addr().map_err(|source| StartError::Bind { addr: config.listen, source })?),
            None => None,
        };
        let http_url = format!("http://{}", display_addr(http_addr));
        let https_url = https_addr.map(|a| format!("https://{}", display_addr(a)));
        let base = config.public_url.clone().or_else(|| https_url.clone()).unwrap_or_else(|| http_url.clone());
        let urls = PublicUrls { base, http: http_url, https: https_url };

        let instance = instance_id(&config.data_dir)?;
        match crate::store::blobs::sweep_temp(&config.file_dir, Duration::from_secs(3600)) {
            Ok(n) if n > 0 => tracing::info!(files = n, "removed partial uploads an earlier run left behind"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot sweep partial uploads"),
        }
        let limits = Limits::new(config.rate_limit, config.operating_limit, clock.clone()).shared_through(&store);
        let (live, _) = tokio::sync::broadcast::channel(1024);
        let outbox_signal = tokio::sync::Notify::new();
        let state = Arc::new(AppState {
            config,
            store,
            clock,
            limits,
            metrics: Metrics::default(),
            member_id,
            urls,
            live,
            outbox_signal,
            instance,
        });
        let (stop_workers, stop_rx) = tokio::sync::watch::channel(false);
        {
            // Contents an interrupted upload left without a file row; in the background, start-up is not delayed.
            let (store, root) = (state.store.clone(), state.config.file_dir.clone());
            tokio::spawn(async move {
                match crate::store::files::sweep_orphans(&store, &root, Duration::from_secs(3600)).await {
                    Ok(n) if n > 0 => tracing::info!(files = n, "removed file contents no file refers to"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot sweep unreferenced file contents"),
                }
            });
        }
        let worker = state.config.delivery_enabled.then(|| crate::delivery::spawn(state.clone(), stop_rx));
        let fanout = crate::messenger::follow_other_instances(state.clone());

        let mut handles = Vec::new();
        let mut tasks = Vec::new();
        let handle = Handle::new();
        let router = crate::http::router(state.clone(), crate::http::Scheme::Http);
        let mut server = axum_server::from_tcp(http_listener).handle(handle.clone());
        limit_headers(server.http_builder(), &state.config);
        tasks.push(tokio::spawn(server.serve(router.into_make_service())));
        handles.push(handle);

        if let (Some(listener), Some(files)) = (https_listener, &tls_files) {
            let rustls = RustlsConfig::from_pem_file(&files.cert, &files.key)
                .await
                .map_err(|source| StartError::TlsLoad { path: files.cert.display().to_string(), source })?;
            let handle = Handle::new();
            let router = crate::http::router(state.clone(), crate::http::Scheme::Https);
            let mut server = axum_server::from_tcp_rustls(listener, rustls).handle(handle.clone());
            limit_headers(server.http_builder(), &state.config);
            tasks.push(tokio::spawn(server.serve(router.into_make_service())));
            handles.push(handle);
        }

        let app = Application { state, http_addr, https_addr, tls_files, handles, tasks, stop_workers, worker, fanout };
        app.write_endpoints()?;
        Ok(app)
    }

    fn endpoints_path(&self) -> std::path::PathBuf {
        self.state.config.data_dir.join("run").join("endpoints.json")
    }

    fn write_endpoints(&self) -> Result<(), StartError> {
        let path = self.endpoints_path();
        let io = |source| StartError::Io { path: path.display().to_string(), source };
        std::fs::create_dir_all(path.parent().expect("has a parent")).map_err(io)?;
        let v = serde_json::json!({
            "http": self.state.urls.http,
            "https": self.state.urls.https,
            "public": self.state.urls.base,
            "pid": std::process::id(),
        });
        std::fs::write(&path, v.to_string()).map_err(io)
    }

    pub fn state(&self) -> &Arc<AppState> {
        &self.state
    }

    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    pub fn https_addr(&self) -> Option<SocketAddr> {
        self.https_addr
    }

    pub fn tls_files(&self) -> Option<&TlsFiles> {
        self.tls_files.as_ref()
    }

    /// Serve until a listener fails or `shutdown` is requested from elsewhere.
    pub async fn run_until(self, signal: impl std::future::Future<Output = ()>) -> std::io::Result<()> {
        let Application { state, handles, tasks, stop_workers, worker, fanout, .. } = self;
        signal.await;
        tracing::info!("shutting down: finishing in-flight requests");
        let grace = Duration::from_secs(state.config.shutdown_grace);
        for h in &handles {
            h.graceful_shutdown(Some(grace));
        }
        let mut result = Ok(());
        for t in tasks {
            match t.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => result = Err(e),
                Err(e) => result = Err(std::io::Error::other(e)),
            }
        }
        let _ = stop_workers.send(true);
        if let Some(w) = worker {
            let _ = w.await;
        }
        if let Some(f) = fanout {
            f.abort();
        }
        let _ = std::fs::remove_file(state.config.data_dir.join("run").join("endpoints.json"));
        state.store.close().await;
        result
    }

    /// Stop now, letting in-flight requests finish.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.run_until(async {}).await
    }
}

/// Slow-loris protection: a client that does not finish its request headers within `header_timeout`
/// seconds is disconnected (hyper needs a timer for the timeout to take effect).
fn limit_headers(b: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>, config: &Config) {
    b.http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(std::time::Duration::from_secs(config.header_timeout));
}
