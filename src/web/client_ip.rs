//! Which address a request comes from, for rate limiting. Forwarding headers
//! are trusted only from configured proxies, so a client can never choose its
//! own key by sending `X-Forwarded-For` itself.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr};

/// The client address: the peer, unless the peer is a trusted proxy, in which
/// case `X-Forwarded-For` is read from the right, skipping trusted hops, and
/// the first untrusted address is the client.
pub fn client_ip(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let Some(header) = forwarded_for else {
        return Some(peer);
    };
    let mut client = peer;
    for hop in header.rsplit(',') {
        let Some(ip) = parse_hop(hop) else {
            // A garbled hop ends the chain: what lies left of it cannot be
            // trusted, and the last good address stands.
            break;
        };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    Some(client)
}

fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
}

/// The key a rate limit counts against: the address itself for IPv4, the
/// /64 prefix for IPv6, since one subscriber usually holds a whole /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IpKey {
    V4(u32),
    V6Prefix(u64),
}

impl From<IpAddr> for IpKey {
    fn from(ip: IpAddr) -> IpKey {
        match ip {
            IpAddr::V4(v4) => IpKey::V4(u32::from(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpKey::V4(u32::from(v4)),
                None => IpKey::V6Prefix((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

impl IpKey {
    pub fn unknown() -> IpKey {
        IpKey::from(IpAddr::V6(Ipv6Addr::UNSPECIFIED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        assert_eq!(
            client_ip(Some(ip("203.0.113.7")), Some("1.2.3.4"), &[]),
            Some(ip("203.0.113.7"))
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_first_untrusted_hop_from_the_right_wins() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        // The client forged the leftmost entry; the proxy appended the real one.
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), Some("6.6.6.6, 198.51.100.9"), &trusted),
            Some(ip("198.51.100.9"))
        );
        // Two trusted hops are skipped.
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), Some("198.51.100.9, 10.1.1.1"), &trusted),
            Some(ip("198.51.100.9"))
        );
        // An untrusted peer's header is ignored.
        assert_eq!(
            client_ip(Some(ip("198.51.100.1")), Some("6.6.6.6"), &trusted),
            Some(ip("198.51.100.1"))
        );
        // A trusted peer with no header is the client.
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), None, &trusted),
            Some(ip("10.0.0.2"))
        );
        // Garbage stops the walk at the last good hop.
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), Some("6.6.6.6, garbage, 10.0.0.3"), &trusted),
            Some(ip("10.0.0.3"))
        );
        assert_eq!(
            client_ip(Some(ip("10.0.0.2")), Some("[2001:db8::1]:443"), &trusted),
            Some(ip("2001:db8::1"))
        );
    }

    #[test]
    fn ipv6_is_keyed_by_its_64_prefix() {
        assert_eq!(
            IpKey::from(ip("2001:db8:1:2::1")),
            IpKey::from(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(
            IpKey::from(ip("2001:db8:1:2::1")),
            IpKey::from(ip("2001:db8:1:3::1"))
        );
        assert_eq!(IpKey::from(ip("::ffff:192.0.2.1")), IpKey::from(ip("192.0.2.1")));
    }
}
