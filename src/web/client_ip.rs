//! Which address a request comes from, for rate limiting. Forwarding headers
//! are trusted only from configured proxies, so a client can never choose its
//! own key by sending `X-Forwarded-For` itself.

use ipnet::IpNet;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// The client address: the peer, unless the peer is a trusted proxy, in which
/// case `X-Forwarded-For` is read from the right, skipping trusted hops, and
/// the first untrusted address is the client.
///
/// `forwarded_for` holds every line of the header in the order received: a
/// proxy may add a line of its own instead of appending to the client's, and
/// reading only the first line would then read the client's. The lines form
/// one list, as HTTP says repeated list headers do.
///
/// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`, how a dual-stack socket
/// sees an IPv4 peer) are taken as the IPv4 address, for the peer and every
/// entry alike, before the trust check.
///
/// Empty entries are skipped, as HTTP lists require. An entry that is not an
/// address (`unknown`, a zone index, bytes that are not text) ends the walk,
/// and the trusted hop that wrote it is the key: what lies left of it was
/// written by no one we trust, so reading on would let the client choose.
pub fn client_ip<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl IntoIterator<Item = &'a [u8]>,
    trusted: &[IpNet],
) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    if !is_trusted(trusted, peer) {
        return Some(peer);
    }
    let lines: Vec<&[u8]> = forwarded_for.into_iter().collect();
    let entries = lines
        .iter()
        .rev()
        .flat_map(|line| line.rsplit(|b| *b == b','))
        .map(<[u8]>::trim_ascii)
        .filter(|entry| !entry.is_empty());
    let mut client = peer;
    for entry in entries {
        let Some(ip) = parse_hop(entry) else {
            break;
        };
        client = ip;
        if !is_trusted(trusted, ip) {
            break;
        }
    }
    Some(client)
}

/// Whether `ip`, already canonical, is a trusted proxy. A network written in
/// mapped form (`::ffff:10.0.0.0/104`) still covers the IPv4 addresses it
/// names.
fn is_trusted(trusted: &[IpNet], ip: IpAddr) -> bool {
    let mapped = match ip {
        IpAddr::V4(v4) => Some(IpAddr::V6(v4.to_ipv6_mapped())),
        IpAddr::V6(_) => None,
    };
    trusted
        .iter()
        .any(|net| net.contains(&ip) || mapped.is_some_and(|m| net.contains(&m)))
}

/// An entry as an address: bare, with a port, or an IPv6 one in brackets.
fn parse_hop(entry: &[u8]) -> Option<IpAddr> {
    let entry = std::str::from_utf8(entry).ok()?;
    let bare = entry
        .strip_prefix('[')
        .and_then(|e| e.strip_suffix(']'))
        .unwrap_or(entry);
    let ip = bare
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))?;
    Some(ip.to_canonical())
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
    use proptest::prelude::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    const PROXIES: &[&str] = &["10.0.0.0/8", "2001:db8:ffff::/48"];

    /// One row: the trusted networks, the peer, the `X-Forwarded-For` header
    /// lines in the order they arrived, and the client expected.
    struct Case {
        what: &'static str,
        trusted: &'static [&'static str],
        peer: &'static str,
        lines: &'static [&'static [u8]],
        client: &'static str,
    }

    const CASES: &[Case] = &[
        Case {
            what: "without trusted proxies the header is ignored",
            trusted: &[],
            peer: "203.0.113.7",
            lines: &[b"1.2.3.4"],
            client: "203.0.113.7",
        },
        Case {
            what: "an untrusted peer's header is ignored",
            trusted: PROXIES,
            peer: "198.51.100.1",
            lines: &[b"6.6.6.6"],
            client: "198.51.100.1",
        },
        Case {
            what: "a trusted peer with no header is the client",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[],
            client: "10.0.0.2",
        },
        Case {
            what: "a forged leftmost entry is passed over",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"6.6.6.6, 198.51.100.9"],
            client: "198.51.100.9",
        },
        Case {
            what: "a proxy appending a second line: that line is read",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"203.0.113.2", b"198.51.100.9"],
            client: "198.51.100.9",
        },
        Case {
            what: "lines are read in order, trusted hops skipped across them",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"6.6.6.6", b"198.51.100.9, 10.1.1.1", b"10.2.2.2"],
            client: "198.51.100.9",
        },
        Case {
            what: "spaces around entries",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"  6.6.6.6 ,198.51.100.9 ,\t10.0.0.3  "],
            client: "198.51.100.9",
        },
        Case {
            what: "empty list elements are ignored, as HTTP lists require",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"6.6.6.6, 198.51.100.9,, ", b""],
            client: "198.51.100.9",
        },
        Case {
            what: "a trusted IPv4 proxy seen as a mapped address on a dual-stack bind",
            trusted: PROXIES,
            peer: "::ffff:10.0.0.1",
            lines: &[b"198.51.100.9"],
            client: "198.51.100.9",
        },
        Case {
            what: "a mapped peer without a header is keyed as IPv4",
            trusted: PROXIES,
            peer: "::ffff:10.0.0.1",
            lines: &[],
            client: "10.0.0.1",
        },
        Case {
            what: "an untrusted mapped peer is keyed as IPv4",
            trusted: PROXIES,
            peer: "::ffff:198.51.100.1",
            lines: &[b"6.6.6.6"],
            client: "198.51.100.1",
        },
        Case {
            what: "a mapped trusted hop in the header is skipped",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"198.51.100.9, ::ffff:10.0.0.3"],
            client: "198.51.100.9",
        },
        Case {
            what: "a mapped client entry is keyed as IPv4",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"::ffff:198.51.100.9"],
            client: "198.51.100.9",
        },
        Case {
            what: "a trusted network written as mapped IPv6 covers IPv4 peers",
            trusted: &["::ffff:10.0.0.0/104"],
            peer: "10.0.0.2",
            lines: &[b"198.51.100.9"],
            client: "198.51.100.9",
        },
        Case {
            what: "a trusted network written as mapped IPv6 covers mapped peers",
            trusted: &["::ffff:10.0.0.0/104"],
            peer: "::ffff:10.0.0.2",
            lines: &[b"198.51.100.9"],
            client: "198.51.100.9",
        },
        Case {
            what: "an IPv6 client",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"2001:db8:1::5"],
            client: "2001:db8:1::5",
        },
        Case {
            what: "an IPv6 client with a port",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"[2001:db8::1]:443"],
            client: "2001:db8::1",
        },
        Case {
            what: "an IPv6 client in brackets",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"[2001:db8::1]"],
            client: "2001:db8::1",
        },
        Case {
            what: "an IPv4 client with a port",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"198.51.100.9:5555"],
            client: "198.51.100.9",
        },
        Case {
            what: "an IPv6 trusted proxy",
            trusted: PROXIES,
            peer: "2001:db8:ffff::1",
            lines: &[b"198.51.100.9, 2001:db8:ffff::2"],
            client: "198.51.100.9",
        },
        Case {
            what: "every hop trusted: the leftmost one",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"10.0.0.5, 10.0.0.6"],
            client: "10.0.0.5",
        },
        Case {
            what: "garbage written by a trusted hop: keyed on that hop, never further left",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"6.6.6.6, garbage, 10.0.0.3"],
            client: "10.0.0.3",
        },
        Case {
            what: "garbage on the last line: keyed on the peer",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"6.6.6.6", b"unknown"],
            client: "10.0.0.2",
        },
        Case {
            what: "a zone index is not an address",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"6.6.6.6, fe80::1%eth0"],
            client: "10.0.0.2",
        },
        Case {
            what: "garbage left of the client changes nothing",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"garbage, [::1", b"198.51.100.9"],
            client: "198.51.100.9",
        },
        Case {
            what: "bytes that are not text left of the client change nothing",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"\xff\xfe, 198.51.100.9"],
            client: "198.51.100.9",
        },
        Case {
            what: "bytes that are not text where the client should be",
            trusted: PROXIES,
            peer: "10.0.0.2",
            lines: &[b"6.6.6.6, \xff"],
            client: "10.0.0.2",
        },
    ];

    #[test]
    fn the_client_address_by_case() {
        for case in CASES {
            let got = client_ip(
                Some(ip(case.peer)),
                case.lines.iter().copied(),
                &nets(case.trusted),
            );
            assert_eq!(got, Some(ip(case.client)), "{}", case.what);
        }
    }

    #[test]
    fn no_peer_no_address() {
        assert_eq!(client_ip(None, [&b"198.51.100.9"[..]], &nets(PROXIES)), None);
    }

    proptest! {
        /// Whatever the client sends in its own header lines, a trusted
        /// proxy that appends the address it saw, on the last line or on a
        /// line of its own, decides the key.
        #[test]
        fn the_client_cannot_choose_its_key(
            sent in proptest::collection::vec(any::<Vec<u8>>(), 0..4),
            own_line in any::<bool>(),
        ) {
            let mut lines = sent.clone();
            match lines.last_mut() {
                Some(last) if !own_line => last.extend_from_slice(b", 198.51.100.9"),
                _ => lines.push(b"198.51.100.9".to_vec()),
            }
            let got = client_ip(
                Some(ip("::ffff:10.0.0.2")),
                lines.iter().map(Vec::as_slice),
                &nets(PROXIES),
            );
            prop_assert_eq!(got, Some(ip("198.51.100.9")));
        }
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
