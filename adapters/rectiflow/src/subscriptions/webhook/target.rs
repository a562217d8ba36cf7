//! Where webhook deliveries may go: the allow-list of hosts, and never this machine (loopback)
//! unless loopback is allowed, nor a link-local address or a cloud metadata service at all.
//!
//! A URL is checked when its subscription is made and before each batch of deliveries
//! ([`Targets::check`]); the addresses a name resolves to are checked on every connection
//! ([`Resolver`]), so a name that is allowed but resolves inward is refused too; redirects are
//! not followed and no proxy is used.

use std::net::{IpAddr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

use crate::config::WebhookSettings;

/// The longest URL a subscription may name.
const MAX_URL: usize = 2_048;

/// A URL a subscription may not name, and why (in Chinese, for the problem's detail).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// The allow-list, from the settings.
#[derive(Debug, Clone)]
pub struct Targets {
    allowed: Vec<String>,
    allow_loopback: bool,
}

impl Targets {
    pub fn new(settings: &WebhookSettings) -> Self {
        Self {
            allowed: settings
                .allowed_hosts
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            allow_loopback: settings.allow_loopback,
        }
    }

    /// The URL, if a subscription may name it: `http` or `https`, no credentials in it, its
    /// host on the allow-list, and not this machine unless loopback is allowed.
    pub fn check(&self, url: &str) -> Result<Url, Refused> {
        if url.len() > MAX_URL {
            return Err(Refused(format!("地址超过 {MAX_URL} 个字符")));
        }
        let parsed = Url::parse(url).map_err(|e| Refused(format!("地址无法解析：{e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Refused("地址须以 http:// 或 https:// 开头".into()));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(Refused("地址中不得含用户名或密码".into()));
        }
        let host = parsed
            .host_str()
            .ok_or_else(|| Refused("地址中没有主机".into()))?
            .to_ascii_lowercase();
        if !self.allowed.iter().any(|allowed| allows(allowed, &host)) {
            return Err(Refused(format!(
                "主机 {host} 不在允许推送的主机名单（webhooks.allowed_hosts）中"
            )));
        }
        let literal = host.trim_start_matches('[').trim_end_matches(']');
        let inward = host == "localhost"
            || host.ends_with(".localhost")
            || literal
                .parse::<IpAddr>()
                .is_ok_and(|ip| !reachable(ip, self.allow_loopback));
        if inward {
            return Err(Refused(format!(
                "主机 {host} 指向本机或链路本地地址，未获允许（webhooks.allow_loopback）"
            )));
        }
        Ok(parsed)
    }

    /// The resolver deliveries connect through.
    pub fn resolver(&self) -> Resolver {
        Resolver {
            allow_loopback: self.allow_loopback,
        }
    }
}

/// Whether the allow-list entry `allowed` admits `host`: the same host, or for `*.domain` a
/// host under the domain (not the domain itself).
fn allows(allowed: &str, host: &str) -> bool {
    match allowed.strip_prefix("*.") {
        Some(domain) => host
            .strip_suffix(domain)
            .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
        None => allowed == host,
    }
}

/// Cloud metadata services outside the link-local range (Alibaba Cloud's, AWS's over IPv6):
/// never reached, allow-listed or not — a county's servers often run in a government cloud.
const METADATA: [IpAddr; 2] = [
    IpAddr::V4(std::net::Ipv4Addr::new(100, 100, 100, 200)),
    IpAddr::V6(std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)),
];

/// Whether a delivery may connect to `ip`: never an unspecified or link-local address or a
/// cloud metadata service, and a loopback address only when allowed.
fn reachable(ip: IpAddr, allow_loopback: bool) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    let link_local = match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => (v6.segments()[0] & 0xffc0) == 0xfe80,
    };
    !ip.is_unspecified()
        && !link_local
        && !METADATA.contains(&ip)
        && (allow_loopback || !ip.is_loopback())
}

/// Resolves names with the system's resolver and keeps only the addresses a delivery may
/// connect to.
#[derive(Debug, Clone)]
pub struct Resolver {
    allow_loopback: bool,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_loopback = self.allow_loopback;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|address| reachable(address.ip(), allow_loopback))
                .collect();
            if found.is_empty() {
                return Err(format!("{host} resolves to no address a delivery may reach").into());
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(hosts: &[&str], allow_loopback: bool) -> Targets {
        Targets::new(&WebhookSettings {
            allowed_hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
            allow_loopback,
            ..WebhookSettings::default()
        })
    }

    #[test]
    fn only_allow_listed_hosts_and_never_inward_unless_allowed() {
        let county = targets(
            &["*.county.gov.cn", "10.1.2.3", "localhost", "127.0.0.1"],
            false,
        );
        for fine in [
            "https://notify.county.gov.cn/hook",
            "http://a.b.county.gov.cn:8443/x?y=1",
            "http://10.1.2.3/hook",
        ] {
            assert!(county.check(fine).is_ok(), "{fine}");
        }
        for refused in [
            "https://county.gov.cn/hook",
            "https://evilcounty.gov.cn/hook",
            "https://example.com/hook",
            "ftp://notify.county.gov.cn/",
            "https://user:pw@notify.county.gov.cn/",
            "http://localhost:9000/",
            "http://127.0.0.1:9000/",
            "not a url",
        ] {
            assert!(county.check(refused).is_err(), "{refused}");
        }
        let local = targets(
            &[
                "127.0.0.1",
                "[::1]",
                "169.254.169.254",
                "100.100.100.200",
                "[::ffff:127.0.0.1]",
            ],
            true,
        );
        assert!(local.check("http://127.0.0.1:9000/").is_ok());
        assert!(local.check("http://[::1]:9000/").is_ok());
        for never in [
            "http://169.254.169.254/latest",
            "http://100.100.100.200/latest",
        ] {
            assert!(
                local.check(never).is_err(),
                "{never}: metadata is never reached"
            );
        }
        let remote = targets(&["[::ffff:127.0.0.1]"], false);
        assert!(
            remote.check("http://[::ffff:127.0.0.1]/").is_err(),
            "an IPv4-mapped loopback address is loopback"
        );
    }
}
