//! One `Config`, loaded once: the compiled-in defaults file (`imbotd.defaults.toml`, which documents every
//! knob), then an optional config file, then environment variables and flags (clap gives flags precedence over
//! env). Validation happens here; the rest of the server only sees checked values.
//!
//! Failure modes: an unreadable or malformed file, an unknown key (rejected, so typos don't pass silently) or
//! an invalid value stops start-up with a message naming the setting.

use chrono::FixedOffset;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub const DEFAULTS_TOML: &str = include_str!("../imbotd.defaults.toml");

/// The request-intensity limiter's setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RateLimit {
    Off,
    Bucket { drain_per_second: f64, burst: u32 },
}

#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: SocketAddr,
    pub tls_listen: Option<SocketAddr>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub public_url: Option<String>,
    pub require_https: bool,
    pub timezone: FixedOffset,
    pub max_body_bytes: usize,
    /// The body limit of the two file upload methods (`imbot.v2.File.upload`, `im.v2.File.upload`).
    pub max_upload_bytes: usize,
    /// `[files] dir`: where file contents are kept (default `DATA_DIR/files`).
    pub file_dir: PathBuf,
    /// `[files] max_size`: the largest file content accepted, decoded bytes (docs: 100 MB).
    pub file_max_size: usize,
    /// `[files] download_ttl`: seconds a one-time download link stays valid.
    pub file_download_ttl: i64,
    /// Seconds a client may take to send a request's headers (slow-loris protection).
    pub header_timeout: u64,
    /// Seconds a client may take to send a request's body.
    pub body_timeout: u64,
    pub shutdown_grace: u64,
    pub log_format: LogFormat,
    pub rate_limit: RateLimit,
    /// Seconds; 0 = off.
    pub operating_limit: f64,
    pub access_token_ttl: i64,
    pub refresh_token_ttl: i64,
    pub delivery_enabled: bool,
    /// Seconds per delivery attempt.
    pub delivery_timeout: u64,
    pub delivery_max_attempts: i64,
    /// Seconds before retry 1, 2, … (the last repeats until `delivery_max_attempts`).
    pub delivery_retry_schedule: Vec<i64>,
    /// ± fraction of random jitter on each retry delay (0.2 = ±20 %).
    pub delivery_jitter: f64,
    /// Longest `Retry-After` honoured, in seconds.
    pub delivery_retry_after_max: i64,
    /// Which addresses handler URLs may point at.
    pub outbound: crate::delivery::policy::Policy,
    /// Seconds a handler may fail without a success before it is disabled (0 = never).
    pub delivery_disable_after: i64,
    /// Attempts in flight at once to one handler URL.
    pub delivery_per_handler: i64,
    /// `[delivery] lease_margin`: seconds past the attempt timeout that a claimed event stays claimed; after
    /// that, an instance that died mid-delivery has its events sent by another.
    pub delivery_lease_margin: i64,
    /// `database_pool`: connections the store keeps (SQLite readers; PostgreSQL, all of them).
    pub database_pool: u32,
    /// Bots an app may register (0 = no limit).
    pub bots_per_app: usize,
    /// `[web] session_ttl`: seconds a web chat sign-in lasts without use.
    pub web_session_ttl: i64,
    /// `[web] login_link_ttl`: seconds a one-time login link stays valid.
    pub web_login_link_ttl: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The file form: every key optional, unknown keys rejected.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub database_pool: Option<u32>,
    pub listen: Option<String>,
    pub tls_listen: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub public_url: Option<String>,
    pub require_https: Option<bool>,
    pub timezone: Option<String>,
    pub max_body_bytes: Option<usize>,
    pub max_upload_bytes: Option<usize>,
    pub header_timeout: Option<u64>,
    pub body_timeout: Option<u64>,
    pub shutdown_grace: Option<u64>,
    pub log_format: Option<String>,
    #[serde(default)]
    pub rate_limit: RawRateLimit,
    #[serde(default)]
    pub oauth: RawOauth,
    #[serde(default)]
    pub delivery: RawDelivery,
    #[serde(default)]
    pub bots: RawBots,
    #[serde(default)]
    pub web: RawWeb,
    #[serde(default)]
    pub files: RawFiles,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawFiles {
    pub dir: Option<PathBuf>,
    pub max_size: Option<usize>,
    pub download_ttl: Option<i64>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawWeb {
    pub session_ttl: Option<i64>,
    pub login_link_ttl: Option<i64>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawBots {
    pub per_app: Option<usize>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawDelivery {
    pub enabled: Option<bool>,
    pub attempt_timeout: Option<u64>,
    pub max_attempts: Option<i64>,
    pub retry_schedule: Option<Vec<i64>>,
    pub jitter: Option<f64>,
    pub retry_after_max: Option<i64>,
    pub outbound: Option<String>,
    pub allow: Option<Vec<String>>,
    pub disable_after: Option<i64>,
    pub per_handler: Option<i64>,
    pub lease_margin: Option<i64>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawRateLimit {
    pub mode: Option<String>,
    pub drain_per_second: Option<f64>,
    pub burst: Option<u32>,
    pub operating_limit: Option<f64>,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RawOauth {
    pub access_token_ttl: Option<i64>,
    pub refresh_token_ttl: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path}: {source}")]
    Parse { path: String, source: toml::de::Error },
    #[error("setting `{key}`: {msg}")]
    Invalid { key: &'static str, msg: String },
}

macro_rules! overlay {
    ($dst:expr, $src:expr, $($f:ident),*) => { $( if $src.$f.is_some() { $dst.$f = $src.$f.clone(); } )* };
}

impl RawConfig {
    pub fn parse(text: &str, origin: &str) -> Result<RawConfig, ConfigError> {
        toml::from_str(text).map_err(|source| ConfigError::Parse { path: origin.to_owned(), source })
    }

    pub fn from_file(path: &Path) -> Result<RawConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.into(), source })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The compiled-in defaults.
    pub fn defaults() -> RawConfig {
        Self::parse(DEFAULTS_TOML, "imbotd.defaults.toml").expect("the compiled-in defaults file is valid")
    }

    /// Lay `top` over `self`: every key `top` sets wins.
    pub fn overlay(mut self, top: &RawConfig) -> RawConfig {
        overlay!(self, top, data_dir, database_url, listen, tls_listen, tls_cert, tls_key, public_url);
        overlay!(self, top, require_https, timezone, max_body_bytes, shutdown_grace, log_format);
        overlay!(self, top, header_timeout, body_timeout, database_pool, max_upload_bytes);
        overlay!(self.rate_limit, top.rate_limit, mode, drain_per_second, burst, operating_limit);
        overlay!(self.oauth, top.oauth, access_token_ttl, refresh_token_ttl);
        overlay!(
            self.delivery,
            top.delivery,
            enabled,
            attempt_timeout,
            max_attempts,
            retry_schedule,
            jitter,
            retry_after_max,
            outbound,
            allow,
            disable_after,
            per_handler,
            lease_margin
        );
        overlay!(self.bots, top.bots, per_app);
        overlay!(self.web, top.web, session_ttl, login_link_ttl);
        overlay!(self.files, top.files, dir, max_size, download_ttl);
        self
    }

    /// Validate into a `Config`.
    pub fn build(self) -> Result<Config, ConfigError> {
        let data_dir = self.data_dir.unwrap_or_else(|| PathBuf::from("./imbotd-data"));
        let addr = |key: &'static str, v: &str| -> Result<SocketAddr, ConfigError> {
            v.parse().map_err(|e| ConfigError::Invalid { key, msg: format!("{v:?} is not host:port ({e})") })
        };
        let listen = addr("listen", self.listen.as_deref().unwrap_or("127.0.0.1:8080"))?;
        let tls_listen = match self.tls_listen.as_deref().unwrap_or("127.0.0.1:8443") {
            "" | "off" => None,
            v => Some(addr("tls_listen", v)?),
        };
        let nonempty = |p: Option<PathBuf>| p.filter(|p| !p.as_os_str().is_empty());
        let tls_cert = nonempty(self.tls_cert);
        let tls_key = nonempty(self.tls_key);
        if tls_cert.is_some() != tls_key.is_some() {
            return Err(ConfigError::Invalid { key: "tls_cert", msg: "tls_cert and tls_key go together".into() });
        }
        let public_url = self.public_url.filter(|s| !s.is_empty()).map(|s| s.trim_end_matches('/').to_owned());
        if let Some(u) = &public_url {
            let parsed = url::Url::parse(u)
                .map_err(|e| ConfigError::Invalid { key: "public_url", msg: format!("{u:?}: {e}") })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(ConfigError::Invalid { key: "public_url", msg: "must be an http or https URL".into() });
            }
        }
        let tz = self.timezone.unwrap_or_else(|| "+00:00".into());
        let timezone = parse_offset(&tz).ok_or_else(|| ConfigError::Invalid {
            key: "timezone",
            msg: format!("{tz:?} is not an offset like +02:00"),
        })?;
        let log_format = match self.log_format.as_deref().unwrap_or("text") {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => return Err(ConfigError::Invalid { key: "log_format", msg: format!("{other:?}: text or json") }),
        };
        let rl = self.rate_limit;
        let rate_limit = match rl.mode.as_deref().unwrap_or("cloud") {
            "off" => RateLimit::Off,
            "cloud" => RateLimit::Bucket { drain_per_second: 2.0, burst: 50 },
            "enterprise" => RateLimit::Bucket { drain_per_second: 5.0, burst: 250 },
            "custom" => {
                let drain = rl.drain_per_second.unwrap_or(2.0);
                let burst = rl.burst.unwrap_or(50);
                if !(drain > 0.0 && drain.is_finite()) || burst == 0 {
                    return Err(ConfigError::Invalid {
                        key: "rate_limit",
                        msg: "custom needs drain_per_second > 0 and burst > 0".into(),
                    });
                }
                RateLimit::Bucket { drain_per_second: drain, burst }
            }
            other => {
                return Err(ConfigError::Invalid {
                    key: "rate_limit",
                    msg: format!("{other:?}: one of off, cloud, enterprise, custom"),
                })
            }
        };
        let operating_limit = rl.operating_limit.unwrap_or(480.0);
        if !(operating_limit >= 0.0 && operating_limit.is_finite()) {
            return Err(ConfigError::Invalid { key: "operating_limit", msg: "must be ≥ 0".into() });
        }
        let access_token_ttl = self.oauth.access_token_ttl.unwrap_or(3600);
        let refresh_token_ttl = self.oauth.refresh_token_ttl.unwrap_or(15_552_000);
        if access_token_ttl < 0 || refresh_token_ttl <= 0 {
            return Err(ConfigError::Invalid { key: "oauth", msg: "token lifetimes must be positive".into() });
        }
        let database_url = self.database_url.unwrap_or_default();
        let max_body_bytes = self.max_body_bytes.unwrap_or(32 << 20);
        if max_body_bytes < 1024 {
            return Err(ConfigError::Invalid { key: "max_body_bytes", msg: "must be at least 1024".into() });
        }
        let max_upload_bytes = self.max_upload_bytes.unwrap_or(150_000_000);
        if max_upload_bytes < 1024 {
            return Err(ConfigError::Invalid { key: "max_upload_bytes", msg: "must be at least 1024".into() });
        }
        let file_dir = self.files.dir.filter(|d| !d.as_os_str().is_empty()).unwrap_or_else(|| data_dir.join("files"));
        let file_max_size = self.files.max_size.unwrap_or(imbot_wire::v2::params::MAX_FILE_SIZE);
        if file_max_size == 0 {
            return Err(ConfigError::Invalid { key: "files.max_size", msg: "must be at least 1".into() });
        }
        let file_download_ttl = self.files.download_ttl.unwrap_or(3600);
        if file_download_ttl < 1 {
            return Err(ConfigError::Invalid { key: "files.download_ttl", msg: "must be at least 1 second".into() });
        }
        let delivery_timeout = self.delivery.attempt_timeout.unwrap_or(10);
        let delivery_max_attempts = self.delivery.max_attempts.unwrap_or(9);
        if delivery_timeout == 0 || delivery_max_attempts < 1 {
            return Err(ConfigError::Invalid {
                key: "delivery",
                msg: "attempt_timeout and max_attempts must be ≥ 1".into(),
            });
        }
        let delivery_retry_schedule =
            self.delivery.retry_schedule.unwrap_or_else(|| vec![5, 30, 120, 600, 3600, 10800, 28800, 43200]);
        if delivery_retry_schedule.is_empty() || delivery_retry_schedule.iter().any(|d| *d < 0) {
            return Err(ConfigError::Invalid {
                key: "delivery.retry_schedule",
                msg: "a non-empty list of seconds ≥ 0".into(),
            });
        }
        let delivery_jitter = self.delivery.jitter.unwrap_or(0.2);
        if !(0.0..1.0).contains(&delivery_jitter) {
            return Err(ConfigError::Invalid { key: "delivery.jitter", msg: "a fraction in [0, 1)".into() });
        }
        let delivery_retry_after_max = self.delivery.retry_after_max.unwrap_or(3600).max(1);
        let mode = match self.delivery.outbound.as_deref().unwrap_or("default") {
            "default" => crate::delivery::policy::Mode::Default,
            "strict" => crate::delivery::policy::Mode::Strict,
            other => {
                return Err(ConfigError::Invalid {
                    key: "delivery.outbound",
                    msg: format!("{other:?}: \"default\" or \"strict\""),
                })
            }
        };
        let outbound = crate::delivery::policy::Policy { mode, allow: self.delivery.allow.unwrap_or_default() };
        Ok(Config {
            data_dir,
            database_url,
            listen,
            tls_listen,
            tls_cert,
            tls_key,
            public_url,
            require_https: self.require_https.unwrap_or(false),
            timezone,
            max_body_bytes,
            max_upload_bytes,
            file_dir,
            file_max_size,
            file_download_ttl,
            shutdown_grace: self.shutdown_grace.unwrap_or(30),
            header_timeout: self.header_timeout.unwrap_or(30).max(1),
            body_timeout: self.body_timeout.unwrap_or(60).max(1),
            log_format,
            rate_limit,
            operating_limit,
            access_token_ttl,
            refresh_token_ttl,
            delivery_enabled: self.delivery.enabled.unwrap_or(true),
            delivery_timeout,
            delivery_max_attempts,
            delivery_retry_schedule,
            delivery_jitter,
            delivery_retry_after_max,
            outbound,
            delivery_disable_after: self.delivery.disable_after.unwrap_or(86_400).max(0),
            delivery_per_handler: self.delivery.per_handler.unwrap_or(16).max(1),
            delivery_lease_margin: self.delivery.lease_margin.unwrap_or(30).max(1),
            database_pool: self.database_pool.unwrap_or(8).clamp(1, 1000),
            bots_per_app: self.bots.per_app.unwrap_or(5),
            web_session_ttl: self.web.session_ttl.unwrap_or(1_209_600).max(60),
            web_login_link_ttl: self.web.login_link_ttl.unwrap_or(900).max(10),
        })
    }
}

/// `+02:00`, `-05:30`, `Z`, `UTC`.
pub fn parse_offset(s: &str) -> Option<FixedOffset> {
    let s = s.trim();
    if s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

impl Config {
    /// The defaults alone, with a data dir: what tests start from.
    pub fn for_data_dir(dir: impl Into<PathBuf>) -> Config {
        let mut raw = RawConfig::defaults();
        raw.data_dir = Some(dir.into());
        raw.build().expect("defaults are valid")
    }

    /// A config for tests: temp data dir, ephemeral loopback ports, limits off.
    pub fn for_tests(dir: impl Into<PathBuf>) -> Config {
        let mut c = Config::for_data_dir(dir);
        c.listen = "127.0.0.1:0".parse().expect("valid");
        c.tls_listen = Some("127.0.0.1:0".parse().expect("valid"));
        c.rate_limit = RateLimit::Off;
        c.operating_limit = 0.0;
        c
    }

    /// The store's URL for messages and logs: a PostgreSQL password is shown as `***`.
    pub fn database_display(&self) -> String {
        let url = self.effective_database_url();
        match url::Url::parse(&url) {
            Ok(mut u) if u.password().is_some() => {
                let _ = u.set_password(Some("***"));
                u.to_string()
            }
            _ => url,
        }
    }

    /// `sqlite://…` URL of the store.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}", self.data_dir.join("imbotd.db").display())
        } else {
            self.database_url.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_file_builds_to_documented_values() {
        let c = RawConfig::defaults().build().unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.tls_listen.unwrap().to_string(), "127.0.0.1:8443");
        assert_eq!(c.rate_limit, RateLimit::Bucket { drain_per_second: 2.0, burst: 50 });
        assert_eq!(c.operating_limit, 480.0);
        assert_eq!(c.access_token_ttl, 3600);
        assert_eq!(c.data_dir, PathBuf::from("./imbotd-data"));
        assert_eq!(c.max_upload_bytes, 150_000_000);
        assert_eq!(c.file_max_size, 104_857_600);
        assert_eq!(c.file_download_ttl, 3600);
        assert_eq!(c.file_dir, PathBuf::from("./imbotd-data/files"));
    }

    #[test]
    fn layers_override_in_order() {
        let file = RawConfig::parse("listen = \"127.0.0.1:9000\"\n[rate_limit]\nmode = \"off\"\n", "t").unwrap();
        let c = RawConfig::defaults().overlay(&file).build().unwrap();
        assert_eq!(c.listen.port(), 9000);
        assert_eq!(c.rate_limit, RateLimit::Off);
    }

    #[test]
    fn every_key_of_a_config_file_is_taken() {
        let file = RawConfig::parse(
            "database_pool = 3\nmax_upload_bytes = 4096\n[delivery]\nper_handler = 2\ndisable_after = 60\n\
             lease_margin = 5\noutbound = \"strict\"\nallow = [\"10.0.0.0/8\"]\n[files]\nmax_size = 10\n\
             download_ttl = 60\n",
            "t",
        )
        .unwrap();
        let c = RawConfig::defaults().overlay(&file).build().unwrap();
        assert_eq!(c.database_pool, 3);
        assert_eq!(c.delivery_per_handler, 2);
        assert_eq!(c.delivery_disable_after, 60);
        assert_eq!(c.delivery_lease_margin, 5);
        assert_eq!(c.outbound.mode, crate::delivery::policy::Mode::Strict);
        assert_eq!(c.outbound.allow, vec!["10.0.0.0/8".to_owned()]);
        assert_eq!((c.max_upload_bytes, c.file_max_size, c.file_download_ttl), (4096, 10, 60));
    }

    #[test]
    fn database_passwords_are_not_shown() {
        let mut c = RawConfig::defaults().build().unwrap();
        c.database_url = "postgres://imbotd:s3cret@db.internal:5432/imbotd".into();
        assert_eq!(c.database_display(), "postgres://imbotd:***@db.internal:5432/imbotd");
        c.database_url = "postgres://imbotd@db.internal/imbotd".into();
        assert_eq!(c.database_display(), "postgres://imbotd@db.internal/imbotd");
    }

    #[test]
    fn unknown_keys_and_bad_values_are_rejected() {
        assert!(RawConfig::parse("lisen = \"x\"", "t").is_err());
        let bad = RawConfig::parse("listen = \"nope\"", "t").unwrap();
        let err = RawConfig::defaults().overlay(&bad).build().unwrap_err().to_string();
        assert!(err.contains("listen"), "{err}");
        let bad = RawConfig::parse("[rate_limit]\nmode = \"fast\"", "t").unwrap();
        assert!(RawConfig::defaults().overlay(&bad).build().is_err());
        let bad = RawConfig::parse("[files]\ndownload_ttl = 0", "t").unwrap();
        assert!(RawConfig::defaults().overlay(&bad).build().unwrap_err().to_string().contains("files.download_ttl"));
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+02:00").unwrap().local_minus_utc(), 7200);
        assert_eq!(parse_offset("-05:30").unwrap().local_minus_utc(), -19800);
        assert_eq!(parse_offset("Z").unwrap().local_minus_utc(), 0);
        assert!(parse_offset("2").is_none());
    }
}
