//! TLS material for the HTTPS listener.
//!
//! With `tls_cert`/`tls_key` configured, those PEM files are used. Otherwise, on first start, imbotd makes a
//! local CA and a server certificate signed by it (SAN `IP:127.0.0.1`, `DNS:localhost`) in `DATA_DIR/tls/`:
//! `cert.pem` (server certificate followed by the CA: the chain, and a valid CA bundle), `key.pem` (server key,
//! mode 0600) and `ca.pem` (the CA alone: what clients trust via `REQUESTS_CA_BUNDLE` / `NODE_EXTRA_CA_CERTS`).
//! The CA's private key is never written, so nothing else can be signed with it. Later starts reuse the files.

use rcgen::{BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// The file clients should trust (the generated CA, or the configured certificate).
    pub trust: PathBuf,
    pub generated: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot write TLS files in {dir}: {source}")]
    Io { dir: String, source: std::io::Error },
    #[error("cannot generate a certificate: {0}")]
    Generate(#[from] rcgen::Error),
}

/// Use the configured pair, or make sure the generated one exists in `data_dir/tls`.
pub fn ensure(data_dir: &Path, cert: Option<&Path>, key: Option<&Path>) -> Result<TlsFiles, TlsError> {
    if let (Some(c), Some(k)) = (cert, key) {
        return Ok(TlsFiles { cert: c.into(), key: k.into(), trust: c.into(), generated: false });
    }
    let dir = data_dir.join("tls");
    let files =
        TlsFiles { cert: dir.join("cert.pem"), key: dir.join("key.pem"), trust: dir.join("ca.pem"), generated: true };
    if files.cert.exists() && files.key.exists() && files.trust.exists() {
        return Ok(files);
    }
    let io = |source| TlsError::Io { dir: dir.display().to_string(), source };
    std::fs::create_dir_all(&dir).map_err(io)?;

    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.distinguished_name.push(DnType::CommonName, "imbotd local CA");
    ca.distinguished_name.push(DnType::OrganizationName, "imbotd");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca_key = KeyPair::generate()?;
    let ca_cert = ca.self_signed(&ca_key)?;

    let mut leaf = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])?;
    leaf.distinguished_name.push(DnType::CommonName, "localhost");
    leaf.use_authority_key_identifier_extension = true;
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate()?;
    let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key)?;

    write_private(&files.key, leaf_key.serialize_pem().as_bytes()).map_err(io)?;
    std::fs::write(&files.trust, ca_cert.pem()).map_err(io)?;
    std::fs::write(&files.cert, format!("{}{}", leaf_cert.pem(), ca_cert.pem())).map_err(io)?;
    Ok(files)
}

fn write_private(path: &Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)?.write_all(data)
}
