//! Outbound safety: which addresses a handler URL may point at.
//!
//! Checked when a handler URL is registered (`imbot.register`, `imbot.update`, `imbot.command.register` …)
//! and again when the worker connects (every address the name resolves to at that moment, so a name that
//! later resolves somewhere forbidden is still refused — DNS rebinding). Redirects are never followed.
//!
//! * `default`: refuse link-local (169.254.0.0/16, fe80::/10, which includes the cloud metadata address
//!   169.254.169.254), the IPv6 metadata address fd00:ec2::254, multicast, broadcast and unspecified
//!   addresses; allow loopback and private ranges — self-hosting means bots on the same machine or network.
//! * `strict`: also refuse loopback, private (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) and
//!   documentation ranges, except hosts and networks listed in `allow`.
//!
//! IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are judged as the IPv4 address they carry. A refusal names the
//! setting to change (`[delivery] outbound`, `allow`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Default,
    Strict,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub mode: Mode,
    /// Host names (exact, case-insensitive) and networks (`10.1.0.0/16`, `fd00::/8`, single addresses) that
    /// are always allowed.
    pub allow: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { mode: Mode::Default, allow: Vec::new() }
    }
}

/// `a.b.c.d/len` or `x::y/len` or a bare address.
fn in_network(ip: IpAddr, net: &str) -> bool {
    let (addr, len) = match net.split_once('/') {
        Some((a, l)) => (a, l.parse::<u32>().ok()),
        None => (net, None),
    };
    let Ok(base) = addr.trim().parse::<IpAddr>() else { return false };
    match (canonical(ip), canonical(base)) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let len = len.unwrap_or(32).min(32);
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let len = len.unwrap_or(128).min(128);
            let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it carries.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

fn always_forbidden(ip: IpAddr) -> Option<&'static str> {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            if v4.is_unspecified() {
                Some("an unspecified address")
            } else if v4.is_link_local() {
                Some("a link-local or cloud-metadata address")
            } else if v4.is_multicast() || v4.is_broadcast() {
                Some("a multicast or broadcast address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            let seg = v6.segments();
            if v6.is_unspecified() {
                Some("an unspecified address")
            } else if (seg[0] & 0xffc0) == 0xfe80 {
                Some("a link-local address")
            } else if v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
                Some("a cloud-metadata address")
            } else if v6.is_multicast() {
                Some("a multicast address")
            } else {
                None
            }
        }
    }
}

fn private_or_local(ip: IpAddr) -> Option<&'static str> {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            if v4.is_loopback() {
                Some("a loopback address")
            } else if v4.is_private() || in_network(IpAddr::V4(v4), "100.64.0.0/10") {
                Some("a private address")
            } else if v4.is_documentation() || v4 == Ipv4Addr::new(0, 0, 0, 0) {
                Some("a reserved address")
            } else {
                None
            }
        }
        IpAddr::V6(v6) => {
            if v6.is_loopback() {
                Some("a loopback address")
            } else if (v6.segments()[0] & 0xfe00) == 0xfc00 {
                Some("a private (unique local) address")
            } else {
                None
            }
        }
    }
}

impl Policy {
    /// Whether `host` (the URL's host name, for the allow-list) at `ip` may be contacted.
    pub fn check(&self, host: &str, ip: IpAddr) -> Result<(), String> {
        let allowed = self.allow.iter().any(|a| a.eq_ignore_ascii_case(host) || in_network(ip, a));
        if let Some(why) = always_forbidden(ip) {
            if !allowed {
                return Err(format!(
                    "{host} resolves to {ip}, {why}; handler URLs may not point there (list it under [delivery] allow to permit it)"
                ));
            }
        }
        if self.mode == Mode::Strict && !allowed {
            if let Some(why) = private_or_local(ip) {
                return Err(format!(
                    "{host} resolves to {ip}, {why}, refused by [delivery] outbound = \"strict\" (add it to [delivery] allow, or use outbound = \"default\")"
                ));
            }
        }
        Ok(())
    }

    /// Check a URL: a literal IP directly, a name through DNS (every address it resolves to). A name that
    /// does not resolve now is accepted; the worker checks again when it connects.
    pub async fn check_url(&self, url: &url::Url) -> Result<(), String> {
        let Some(host) = url.host_str() else { return Err("the URL has no host".into()) };
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return self.check(host, ip);
        }
        let port = url.port_or_known_default().unwrap_or(80);
        if let Ok(addrs) = tokio::net::lookup_host((bare, port)).await {
            for a in addrs {
                self.check(host, a.ip())?;
            }
        }
        Ok(())
    }
}

/// A reqwest DNS resolver that drops addresses the policy refuses, so the worker never connects to them
/// even when a name changes between registration and delivery.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    pub policy: Policy,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.policy.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<std::net::SocketAddr> =
                addrs.iter().copied().filter(|a| policy.check(&host, a.ip()).is_ok()).collect();
            if allowed.is_empty() {
                let reason = addrs
                    .first()
                    .and_then(|a| policy.check(&host, a.ip()).err())
                    .unwrap_or_else(|| format!("{host} does not resolve"));
                return Err(reason.into());
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn default_policy_table() {
        let p = Policy::default();
        for ok in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.1.10",
            "172.16.0.1",
            "93.184.216.34",
            "::1",
            "fd12::1",
            "2001:4860::8888",
        ] {
            assert!(p.check("h", ip(ok)).is_ok(), "{ok} should be allowed");
        }
        for bad in [
            "169.254.169.254",
            "169.254.1.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "ff02::1",
            "::ffff:169.254.169.254",
        ] {
            let err = p.check("h", ip(bad)).unwrap_err();
            assert!(err.contains("[delivery] allow"), "{bad}: {err}");
        }
    }

    #[test]
    fn strict_policy_and_allow_list() {
        let p = Policy { mode: Mode::Strict, allow: vec!["10.9.0.0/16".into(), "hooks.local".into(), "::1".into()] };
        for bad in
            ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.31.255.255", "100.64.0.1", "fc00::1", "::ffff:127.0.0.1"]
        {
            let err = p.check("h", ip(bad)).unwrap_err();
            assert!(err.contains("strict"), "{bad}: {err}");
        }
        assert!(p.check("h", ip("10.9.3.4")).is_ok());
        assert!(p.check("hooks.local", ip("192.168.5.5")).is_ok());
        assert!(p.check("HOOKS.local", ip("127.0.0.1")).is_ok());
        assert!(p.check("h", ip("::1")).is_ok());
        assert!(p.check("h", ip("93.184.216.34")).is_ok());
        // The allow-list also opens the always-forbidden ranges, on purpose.
        let meta = Policy { mode: Mode::Default, allow: vec!["169.254.0.0/16".into()] };
        assert!(meta.check("h", ip("169.254.10.10")).is_ok());
    }

    #[test]
    fn networks() {
        assert!(in_network(ip("10.1.2.3"), "10.0.0.0/8"));
        assert!(!in_network(ip("11.1.2.3"), "10.0.0.0/8"));
        assert!(in_network(ip("fd00::5"), "fd00::/8"));
        assert!(in_network(ip("1.2.3.4"), "0.0.0.0/0"));
        assert!(in_network(ip("::ffff:10.0.0.1"), "10.0.0.0/8"));
        assert!(!in_network(ip("10.0.0.1"), "not an address"));
    }

    #[tokio::test]
    async fn names_are_judged_by_what_they_resolve_to() {
        let strict = Policy { mode: Mode::Strict, allow: vec![] };
        let url = url::Url::parse("http://localhost:8080/hook").unwrap();
        assert!(strict.check_url(&url).await.unwrap_err().contains("loopback"));
        assert!(Policy::default().check_url(&url).await.is_ok());
        let literal = url::Url::parse("http://[::ffff:169.254.169.254]/").unwrap();
        assert!(Policy::default().check_url(&literal).await.is_err());
    }
}
