//! The success envelope and the `time` object.
//!
//! Bitrix24 answers `{"result": …, "next": …, "total": …, "time": {…}}` in exactly that key order, `next` only
//! when another page exists, `total` only for list methods that counted (SPEC-NOTES §1.2, COMPAT R9). The `time`
//! object carries float epoch seconds, ISO-8601 dates with an offset (PHP `date('c')`), and the operating-limit
//! accounting. Callers measure and pass the instants; this module only shapes them.

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Map, Number, Value};

/// The `time` object of a response.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeInfo {
    pub start: DateTime<Utc>,
    pub finish: DateTime<Utc>,
    /// Seconds spent in the method handler itself.
    pub processing: f64,
    /// Unix seconds when the oldest operating-limit basket of this method drops.
    pub operating_reset_at: i64,
    /// Seconds of method time accumulated in the current 10-minute window.
    pub operating: f64,
    /// The portal's UTC offset used in `date_start` / `date_finish`.
    pub offset: FixedOffset,
}

/// PHP `date('c')`: `2024-07-23T08:11:02+00:00`.
pub fn php_date_c(t: DateTime<Utc>, offset: FixedOffset) -> String {
    date_c(&t.with_timezone(&offset))
}

/// chrono's pattern for PHP `date('c')`.
const DATE_C_PATTERN: &str = "%Y-%m-%dT%H:%M:%S%:z";

/// PHP `date('c')` of a time in its own offset: `2024-07-23T08:11:02+02:00`, what chrono writes for
/// `%Y-%m-%dT%H:%M:%S%:z`. Written out by hand for years 0–9999 (a history page formats a date per message, and
/// chrono's `format` parses its pattern again on every call); other years (chrono adds a sign) go to chrono.
pub fn date_c(t: &DateTime<FixedOffset>) -> String {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return t.format(DATE_C_PATTERN).to_string();
    }
    let off = t.offset().local_minus_utc();
    let (sign, off) = if off < 0 { ('-', -off) } else { ('+', off) };
    let mut s = String::with_capacity(25);
    let _ = write!(
        s,
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        off / 3600,
        off / 60 % 60
    );
    s
}

fn epoch_f64(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 + f64::from(t.timestamp_subsec_micros()) / 1e6
}

fn num(f: f64) -> Value {
    Number::from_f64(f).map(Value::Number).unwrap_or(Value::from(0))
}

impl TimeInfo {
    pub fn to_value(&self) -> Value {
        let start = epoch_f64(self.start);
        let finish = epoch_f64(self.finish);
        let mut m = Map::new();
        m.insert("start".into(), num(start));
        m.insert("finish".into(), num(finish));
        m.insert("duration".into(), num((finish - start).max(0.0)));
        m.insert("processing".into(), num(self.processing.max(0.0)));
        m.insert("date_start".into(), Value::String(php_date_c(self.start, self.offset)));
        m.insert("date_finish".into(), Value::String(php_date_c(self.finish, self.offset)));
        m.insert("operating_reset_at".into(), Value::from(self.operating_reset_at));
        m.insert("operating".into(), num(self.operating));
        Value::Object(m)
    }
}

/// A successful answer: `result` plus optional paging.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub result: Value,
    pub next: Option<u64>,
    pub total: Option<u64>,
}

impl Envelope {
    pub fn new(result: Value) -> Self {
        Envelope { result, next: None, total: None }
    }

    /// The envelope in Bitrix's key order: `result`, `next`, `total`, `time`.
    pub fn to_value(&self, time: &TimeInfo) -> Value {
        let mut m = Map::new();
        m.insert("result".into(), self.result.clone());
        if let Some(n) = self.next {
            m.insert("next".into(), Value::from(n));
        }
        if let Some(t) = self.total {
            m.insert("total".into(), Value::from(t));
        }
        m.insert("time".into(), time.to_value());
        Value::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn date_c_is_chrono_s_pattern() {
        // Offsets with and without minutes, either side of UTC; times across the supported years and past them.
        let offsets = [0, 3600, -3600, 5 * 3600 + 30 * 60, -(9 * 3600 + 30 * 60), 14 * 3600, -12 * 3600, 45 * 60];
        let mut ts: i64 = -62_167_219_200 - 86_400; // the day before 0000-01-01T00:00:00Z
        while ts < 253_402_300_800 + 86_400 * 800 {
            for off in offsets {
                let tz = FixedOffset::east_opt(off).unwrap();
                let t = tz.timestamp_opt(ts, 0).unwrap();
                assert_eq!(date_c(&t), t.format(DATE_C_PATTERN).to_string(), "{ts} at {off}");
            }
            ts += 23_456_789; // about 271 days and 11.8 hours: the times of day, months and days all vary
        }
    }

    fn time() -> TimeInfo {
        TimeInfo {
            start: Utc.timestamp_opt(1721722262, 960_948_000).unwrap(),
            finish: Utc.timestamp_opt(1721722262, 985_244_000).unwrap(),
            processing: 0.0013,
            operating_reset_at: 1721722862,
            operating: 0.0,
            offset: FixedOffset::east_opt(0).unwrap(),
        }
    }

    #[test]
    fn key_order_is_result_next_total_time() {
        let e = Envelope { result: Value::from(1), next: Some(50), total: Some(120) };
        let v = e.to_value(&time());
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["result", "next", "total", "time"]);
    }

    #[test]
    fn next_and_total_are_omitted_when_absent() {
        let v = Envelope::new(Value::Bool(true)).to_value(&time());
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["result", "time"]);
    }

    #[test]
    fn time_object_matches_bitrix_shape() {
        let v = time().to_value();
        let o = v.as_object().unwrap();
        let keys: Vec<_> = o.keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "start",
                "finish",
                "duration",
                "processing",
                "date_start",
                "date_finish",
                "operating_reset_at",
                "operating"
            ]
        );
        assert_eq!(o["date_start"], "2024-07-23T08:11:02+00:00");
        assert!(o["start"].is_f64());
        assert!((o["duration"].as_f64().unwrap() - 0.024296).abs() < 1e-5);
        assert!(o["operating_reset_at"].is_i64());
    }

    #[test]
    fn dates_carry_the_portal_offset() {
        let mut t = time();
        t.offset = FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(t.to_value()["date_start"], "2024-07-23T10:11:02+02:00");
    }
}
