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
//! State is in memory, per process (the scale-out work moves it to the shared store and documents the
//! precision). Time comes from the injectable clock. Memory is bounded by the number of credentials × methods
//! used; empty baskets are pruned as they age.

use crate::config::RateLimit;
use crate::domain::Clock;
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
        }
    }

    /// Count one request against `key`'s bucket. `Err(retry_after_seconds)` when over the limit.
    pub fn admit(&self, key: &str) -> Result<(), u64> {
        let RateLimit::Bucket { drain_per_second, burst } = self.rate else {
            return Ok(());
        };
        let now = now_f64(&self.clock);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let b = buckets.entry(key.to_owned()).or_insert(Bucket { level: 0.0, at: now });
        b.level = (b.level - (now - b.at).max(0.0) * drain_per_second).max(0.0);
        b.at = now;
        if b.level + 1.0 > f64::from(burst) {
            let wait = (b.level + 1.0 - f64::from(burst)) / drain_per_second;
            return Err(wait.ceil().max(1.0) as u64);
        }
        b.level += 1.0;
        Ok(())
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
    pub fn check_operating(&self, key: &str, method: &str) -> Result<Operating, Operating> {
        let now = self.clock.unix();
        let mut map = self.operating.lock().unwrap_or_else(|e| e.into_inner());
        let op = match map.get_mut(&(key.to_owned(), method.to_owned())) {
            Some(q) => self.current(q, now),
            None => Operating { seconds: 0.0, reset_at: (now.div_euclid(BASKET_SECONDS) + BASKETS) * BASKET_SECONDS },
        };
        if self.operating_limit > 0.0 && op.seconds > self.operating_limit {
            Err(op)
        } else {
            Ok(op)
        }
    }

    /// Add `seconds` of handler time for `method` of `key`; returns the updated figures.
    pub fn record_operating(&self, key: &str, method: &str, seconds: f64) -> Operating {
        let now = self.clock.unix();
        let minute = now.div_euclid(BASKET_SECONDS);
        let mut map = self.operating.lock().unwrap_or_else(|e| e.into_inner());
        let q = map.entry((key.to_owned(), method.to_owned())).or_default();
        match q.back_mut() {
            Some((m, s)) if *m == minute => *s += seconds,
            _ => q.push_back((minute, seconds)),
        }
        self.current(q, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn bucket_admits_burst_then_drains() {
        let clock = Clock::system();
        let l = Limits::new(RateLimit::Bucket { drain_per_second: 2.0, burst: 5 }, 0.0, clock.clone());
        for _ in 0..5 {
            assert!(l.admit("a").is_ok());
        }
        let retry = l.admit("a").unwrap_err();
        assert!(retry >= 1);
        assert!(l.admit("b").is_ok(), "buckets are per key");
        clock.advance(Duration::from_millis(1100));
        assert!(l.admit("a").is_ok());
        assert!(l.admit("a").is_ok());
        assert!(l.admit("a").is_err());
    }

    #[test]
    fn off_admits_everything() {
        let l = Limits::new(RateLimit::Off, 0.0, Clock::system());
        for _ in 0..10_000 {
            assert!(l.admit("a").is_ok());
        }
    }

    #[test]
    fn operating_window_blocks_then_resets() {
        let clock = Clock::system();
        let l = Limits::new(RateLimit::Off, 1.0, clock.clone());
        assert!(l.check_operating("k", "m").is_ok());
        l.record_operating("k", "m", 0.7);
        assert!(l.check_operating("k", "m").is_ok());
        let op = l.record_operating("k", "m", 0.7);
        assert!((op.seconds - 1.4).abs() < 1e-9);
        let blocked = l.check_operating("k", "m").unwrap_err();
        assert!(blocked.reset_at > clock.unix());
        assert!(l.check_operating("k", "other").is_ok(), "only that method is blocked");
        clock.advance(Duration::from_secs(11 * 60));
        assert!(l.check_operating("k", "m").is_ok());
    }
}
