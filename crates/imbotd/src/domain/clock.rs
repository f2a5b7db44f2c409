//! The server's clock. Production reads the system time; tests can move it forward (token expiry, limit
//! windows) without sleeping.

use chrono::{DateTime, Duration, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    skew_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.skew_ms.load(Ordering::Relaxed))
    }

    /// Unix seconds.
    pub fn unix(&self) -> i64 {
        self.now().timestamp()
    }

    /// Move this clock (and every clone of it) forward.
    pub fn advance(&self, by: std::time::Duration) {
        self.skew_ms.fetch_add(by.as_millis() as i64, Ordering::Relaxed);
    }
}
