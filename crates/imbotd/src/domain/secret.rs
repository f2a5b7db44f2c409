//! Secrets: generation and hashing. Webhook codes, OAuth tokens and client secrets are stored only as
//! SHA-256 digests. They are random with ≥ 80 bits of entropy, so a fast hash is the right tool (a slow
//! password hash protects low-entropy human passwords, which these are not).

use rand::distributions::Alphanumeric;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// Hex SHA-256 of a secret, as stored.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// `n` random lowercase letters and digits (webhook codes look like this on Bitrix24).
pub fn lower_alnum(n: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(n).map(|b| (b as char).to_ascii_lowercase()).collect()
}

/// `n` random alphanumerics (client secrets).
pub fn alnum(n: usize) -> String {
    rand::thread_rng().sample_iter(&Alphanumeric).take(n).map(char::from).collect()
}

/// `bytes` random bytes as lowercase hex (tokens, member_id).
pub fn hex_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// A Bitrix-style local app client id: `local.<14 hex>.<8 digits>`.
pub fn client_id() -> String {
    let mut rng = rand::thread_rng();
    format!("local.{}.{:08}", &hex_token(7), rng.gen_range(0..100_000_000u32))
}

/// An Argon2id PHC string of a human password (the web chat's sign-in), with a random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| e.to_string())?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches a stored [`hash_password`] string (constant time; a malformed hash never matches).
pub fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(phc).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(lower_alnum(16).len(), 16);
        assert!(lower_alnum(40).chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()));
        assert_eq!(hex_token(16).len(), 32);
        assert_ne!(hex_token(16), hex_token(16));
        assert_eq!(hash("x").len(), 64);
        let id = client_id();
        assert!(id.starts_with("local.") && id.len() == "local.".len() + 14 + 1 + 8, "{id}");
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horsf", &h));
        assert!(!verify_password("correct horse", "not a hash"));
        assert_ne!(h, hash_password("correct horse").unwrap(), "salted");
    }
}
