//! Standard Webhooks signatures (<https://www.standardwebhooks.com/>) on outgoing events.
//!
//! Headers `webhook-id` (stable per event: the same on every retry), `webhook-timestamp` (unix seconds of the
//! attempt) and `webhook-signature`: space-separated `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`,
//! one per live key (several during a key rotation). Secrets are written `whsec_<base64 key>`. Existing
//! Bitrix24 handlers ignore these headers; new ones verify them with [`verify`].

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const B64: base64::engine::general_purpose::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The key bytes of a `whsec_…` secret (the prefix is optional).
pub fn decode_secret(secret: &str) -> Option<Vec<u8>> {
    B64.decode(secret.trim().strip_prefix("whsec_").unwrap_or(secret.trim())).ok()
}

/// HMAC-SHA256 of `"{id}.{timestamp}.{body}"` under `key`.
fn mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// One `v1,<signature>` for `key`.
pub fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    format!("v1,{}", B64.encode(mac(key, id, timestamp, body)))
}

/// The `webhook-signature` header value for all `keys`.
pub fn header(keys: &[Vec<u8>], id: &str, timestamp: i64, body: &[u8]) -> String {
    keys.iter().map(|k| sign(k, id, timestamp, body)).collect::<Vec<_>>().join(" ")
}

/// Does any signature in `header_value` match `key`, with the timestamp within `tolerance` seconds of `now`?
pub fn verify(key: &[u8], id: &str, timestamp: i64, body: &[u8], header_value: &str, now: i64, tolerance: i64) -> bool {
    if (now - timestamp).abs() > tolerance {
        return false;
    }
    let expected = mac(key, id, timestamp, body);
    header_value.split_whitespace().filter_map(|s| s.strip_prefix("v1,")).filter_map(|s| B64.decode(s).ok()).any(
        |sig| {
            // Constant-time comparison through the MAC type.
            sig.len() == expected.len() && sig.iter().zip(expected.iter()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the Standard Webhooks specification.
    #[test]
    fn matches_the_specification_example() {
        let key = decode_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let sig = sign(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assert!(verify(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, &sig, 1614265330, 300));
    }

    #[test]
    fn rejects_tampering_old_timestamps_and_other_keys() {
        let key = b"key one".to_vec();
        let other = b"key two".to_vec();
        let h = header(&[other.clone(), key.clone()], "e1", 1000, b"body");
        assert_eq!(h.split(' ').count(), 2);
        assert!(verify(&key, "e1", 1000, b"body", &h, 1000, 300));
        assert!(verify(&other, "e1", 1000, b"body", &h, 1000, 300));
        assert!(!verify(&key, "e1", 1000, b"bodY", &h, 1000, 300));
        assert!(!verify(&key, "e2", 1000, b"body", &h, 1000, 300));
        assert!(!verify(&key, "e1", 1000, b"body", &h, 2000, 300));
        assert!(!verify(b"key three", "e1", 1000, b"body", &h, 1000, 300));
    }
}
