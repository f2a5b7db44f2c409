//! Request limits, as Bitrix24's cloud applies them (SPEC-NOTES §1.4, `limits.md`).
//!
//! * Intensity: a leaky bucket per webhook / OAuth app. Each HTTP request adds 1 (a batch is one request); the
//!   level drains at `drain_per_second`; a request that would lift it above `burst` is refused with
//!   `503 QUERY_LIMIT_EXCEEDED` and a `Retry-After` of the seconds until it would fit.
//! * Operating time: per method and webhook/app, seconds of handler time in ten one-minute baskets (a sliding
//!   10-minute window). Before a call, if the sum exceeds the limit, that method alone answers
//!   `429 OPERATION_TIME_LIMIT` until the oldest basket drops (`operating_reset_at`). The outer `batch` is not
//!   counted; its sub-calls are.
//!
//! Where the counts live: on SQLite (one process) in memory; on PostgreSQL in the shared database
//! (`store::limits`, UNLOGGED tables), so the limits hold across every instance. Precision there: each request
//! updates its caller's row atomically, so none is lost or counted twice whatever instance serves it; times
//! come from each instance's clock, so clock skew between instances shifts the drain by the skew (keep them
//! NTP-synced); with `operating_limit = 0` (nothing is ever blocked) the operating seconds reported in `time`
//! are this instance's only, which saves two round trips per call. If the database cannot be reached for a
//! count, the instance counts in its own memory for that request (limits stay on, per instance) and logs it.
//!
//! Time comes from the injectable clock. Memory is bounded by the number of credentials × methods used;
//! empty baskets are pruned as they age (in memory at each use, in the database hourly).

use crate::config::RateLimit;
use crate::domain::Clock;
use crate::store::Store;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

const BASKET_SECONDS: i64 = 60;
const BASKETS: i64 = 10;

#[derive(Debug)]
pub struct Limits {
    rate: RateLimit,
    operating_limit: f64,
    clock: Clock,
    buckets: Mutex<HashMap<String, Bucket>>,
    operating: Mutex<HashMap<(String, String), Baskets>>,
    /// PostgreSQL: the counts are kept there.
    shared: Option<Store>,
}

/// One method's operating time of one caller: (minute, seconds) baskets, oldest first.
type Baskets = VecDeque<(i64, f64)>;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    level: f64,
    at: f64,
}

/// The operating-time figures of one method for one caller, for the `time` object.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operating {
    pub seconds: f64,
    pub reset_at: i64,
}

fn now_f64(clock: &Clock) -> f64 {
    let t = clock.now();
    t.timestamp() as f64 + f64::from(t.timestamp_subsec_micros()) / 1e6
}

impl Limits {
    pub fn new(rate: RateLimit, operating_limit: f64, clock: Clock) -> Limits {
        Limits {
            rate,
            operating_limit,
            clock,
            buckets: Mutex::new(HashMap::new()),
            operating: Mutex::new(HashMap::new()),
            shared: None,
        }
    }

    /// Keep the counts in `store` when it is shared by several instances (PostgreSQL).
    pub fn shared_through(mut self, store: &Store) -> Limits {
        if store.backend() == crate::store::Backend::Postgres {
            self.shared = Some(store.clone());
        }
        self
    }

    /// Count one request against `key`'s bucket. `Err(retry_after_seconds)` when over the limit.
    pub async fn admit(&self, key: &str) -> Result<(), u64> {
        let RateLimit::Bucket { drain_per_second, burst } = self.rate else {
            return Ok(());
        };
        let now = now_f64(&self.clock);
        if let Some(store) = &self.shared {
            match crate::store::limits::bucket_admit(store, key, now, drain_per_second, f64::from(burst)).await {
                Ok((true, _)) => return Ok(()),
                Ok((false, level)) => return Err(retry_after(level, drain_per_second, burst)),
                Err(e) => tracing::warn!(error = %e, "cannot count the request in the shared store; counting locally"),
            }
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let b = buckets.entry(key.to_owned()).or_insert(Bucket { level: 0.0, at: now });
        b.level = (b.level - (now - b.at).max(0.0) * drain_per_second).max(0.0);
        b.at = now;
        if b.level + 1.0 > f64::from(burst) {
            return Err(retry_after(b.level, drain_per_second, burst));
        }
        b.level += 1.0;
        Ok(())
    }

    /// Does the shared store keep the operating time? Only when it can block something.
    fn shared_operating(&self) -> Option<&Store> {
        self.shared.as_ref().filter(|_| self.operating_limit > 0.0)
    }

    /// The baskets of (key, method) from the shared store, or `None` (local counting) when it is not used or
    /// cannot be read.
    async fn shared_baskets(&self, key: &str, method: &str, now: i64) -> Option<Baskets> {
        let store = self.shared_operating()?;
        let after = now.div_euclid(BASKET_SECONDS) - BASKETS;
        match crate::store::limits::operating_window(store, key, method, after).await {
            Ok(rows) => Some(rows.into_iter().collect()),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read operating time from the shared store; counting locally");
                None
            }
        }
    }

    fn current(&self, q: &mut Baskets, now: i64) -> Operating {
        let minute = now.div_euclid(BASKET_SECONDS);
        while q.front().is_some_and(|(m, _)| *m <= minute - BASKETS) {
            q.pop_front();
        }
        let seconds = q.iter().map(|(_, s)| s).sum();
        let reset_at = match q.front() {
            Some((m, _)) => (m + BASKETS) * BASKET_SECONDS,
            None => (minute + BASKETS) * BASKET_SECONDS,
        };
        Operating { seconds, reset_at }
    }

    /// The figures for `method` of `key` now; `Err` with them when the method is blocked.
    pub async fn check_operating(&self, key: &str, method: &str) -> Result<Operating, Operating> {
        let now = self.clock.unix();
        let op = match self.shared_baskets(key, method, now).await {
            Some(mut q) => self.current(&mut q, now),
            None => {
                let mut map = self.operating.lock().unwrap_or_else(|e| e.into_inner());
                match map.get_mut(&(key.to_owned(), method.to_owned())) {
                    Some(q) => self.current(q, now),
                    None => Operating {
                        seconds: 0.0,
                        reset_at: (now.div_euclid(BASKET_SECONDS) + BASKETS) * BASKET_SECONDS,
                    },
                }
            }
        };
        if self.operating_limit > 0.0 && op.seconds > self.operating_limit {
            Err(op)
        } else {
            Ok(op)
        }
    }

    /// Add `seconds` of handler time for `method` of `key`; returns the updated figures.
    pub async fn record_operating(&self, key: &str, method: &str, seconds: f64) -> Operating {
        let now = self.clock.unix();
        let minute = now.div_euclid(BASKET_SECONDS);
        if let Some(store) = self.shared_operating() {
            match crate::store::limits::operating_add(store, key, method, minute, seconds).await {
                Ok(()) => {
                    if let Some(mut q) = self.shared_baskets(key, method, now).await {
                        return self.current(&mut q, now);
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot add operating time in the shared store; counting locally"),
            }
        }
        let mut map = self.operating.lock().unwrap_or_else(|e| e.into_inner());
        let q = map.entry((key.to_owned(), method.to_owned())).or_default();
        match q.back_mut() {
            Some((m, s)) if *m == minute => *s += seconds,
            _ => q.push_back((minute, seconds)),
        }
        self.current(q, now)
    }
}

/// Seconds until a request fits into a bucket at `level`.
fn retry_after(level: f64, drain_per_second: f64, burst: u32) -> u64 {
    let wait = (level + 1.0 - f64::from(burst)) / drain_per_second;
    wait.ceil().max(1.0) as u64
}

/// Hourly: forget shared counts that can no longer matter (PostgreSQL; nothing to do in memory).
pub async fn prune_shared(limits: &Limits) {
    let Some(store) = &limits.shared else { return };
    let now = now_f64(&limits.clock);
    let minute = (now as i64).div_euclid(BASKET_SECONDS) - BASKETS;
    // A bucket idle for longer than it takes to drain a full burst is empty: dropping it changes nothing.
    let idle = match limits.rate {
        RateLimit::Bucket { drain_per_second, burst } => f64::from(burst) / drain_per_second + 60.0,
        RateLimit::Off => 0.0,
    };
    if let Err(e) = crate::store::limits::prune(store, minute, now - idle).await {
        tracing::warn!(error = %e, "cannot prune the shared request counts");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn bucket_admits_burst_then_drains() {
        let clock = Clock::system();
        let l = Limits::new(RateLimit::Bucket { drain_per_second: 2.0, burst: 5 }, 0.0, clock.clone());
        for _ in 0..5 {
            assert!(l.admit("a").await.is_ok());
        }
        let retry = l.admit("a").await.unwrap_err();
        assert!(retry >= 1);
        assert!(l.admit("b").await.is_ok(), "buckets are per key");
        clock.advance(Duration::from_millis(1100));
        assert!(l.admit("a").await.is_ok());
        assert!(l.admit("a").await.is_ok());
        assert!(l.admit("a").await.is_err());
    }

    #[tokio::test]
    async fn off_admits_everything() {
        let l = Limits::new(RateLimit::Off, 0.0, Clock::system());
        for _ in 0..10_000 {
            assert!(l.admit("a").await.is_ok());
        }
    }

    #[tokio::test]
    async fn operating_window_blocks_then_resets() {
        let clock = Clock::system();
        let l = Limits::new(RateLimit::Off, 1.0, clock.clone());
        assert!(l.check_operating("k", "m").await.is_ok());
        l.record_operating("k", "m", 0.7).await;
        assert!(l.check_operating("k", "m").await.is_ok());
        let op = l.record_operating("k", "m", 0.7).await;
        assert!((op.seconds - 1.4).abs() < 1e-9);
        let blocked = l.check_operating("k", "m").await.unwrap_err();
        assert!(blocked.reset_at > clock.unix());
        assert!(l.check_operating("k", "other").await.is_ok(), "only that method is blocked");
        clock.advance(Duration::from_secs(11 * 60));
        assert!(l.check_operating("k", "m").await.is_ok());
    }
}
