//! Who is on the other end: the client's address, for the throttle of password guesses.
//!
//! The address is the peer of the TCP connection. Behind a reverse proxy every request comes
//! from the proxy, so `X-Forwarded-For` is read — but only when the peer is one of the proxies
//! configured as trusted (`--trusted-proxy`, `trusted_proxies` in kojo.toml; none by default),
//! and then from the right: each trusted proxy appended the address it saw, so the client is
//! the rightmost address that is not itself a trusted proxy. A header sent by anyone else is
//! ignored (a client could write anything there).

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::AppState;

/// An address or network (`10.0.0.1`, `10.0.0.0/8`, `fd00::/8`) whose requests may say whom
/// they forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrustedProxy {
    net: IpAddr,
    prefix: u8,
}

impl FromStr for TrustedProxy {
    type Err = String;

    fn from_str(s: &str) -> Result<TrustedProxy, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let net: IpAddr = addr
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or network (10.0.0.1, 10.0.0.0/8)"))?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length must be 0 to {max}"))?,
        };
        Ok(TrustedProxy { net, prefix })
    }
}

impl TrustedProxy {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        match (self.net.to_canonical(), ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => same_prefix(&n.octets(), &a.octets(), self.prefix),
            (IpAddr::V6(n), IpAddr::V6(a)) => same_prefix(&n.octets(), &a.octets(), self.prefix),
            _ => false,
        }
    }
}

fn same_prefix(a: &[u8], b: &[u8], bits: u8) -> bool {
    let bits = usize::from(bits);
    let whole = bits / 8;
    if a.get(..whole) != b.get(..whole) {
        return false;
    }
    let rest = bits % 8;
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    matches!((a.get(whole), b.get(whole)), (Some(x), Some(y)) if x & mask == y & mask)
}

/// The client's address: the peer, or what trusted proxies say they forwarded.
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[TrustedProxy],
) -> String {
    let Some(peer) = peer else {
        return "local".into();
    };
    let is_trusted = |ip: IpAddr| trusted.iter().any(|t| t.contains(ip));
    if !is_trusted(peer) {
        return peer.to_canonical().to_string();
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map_while(|a| a.trim().parse::<IpAddr>().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|ip| !is_trusted(**ip))
        .or(forwarded.first())
        .unwrap_or(&peer)
        .to_canonical()
        .to_string()
}

/// The client's address as an extractor.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<ClientAddr, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(client_address(
            peer,
            &parts.headers,
            &state.config.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", xff.parse().unwrap());
        h
    }

    fn ip(s: &str) -> Option<IpAddr> {
        s.parse().ok()
    }

    #[test]
    fn networks_contain_their_addresses() {
        let net: TrustedProxy = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()));
        let one: TrustedProxy = "fd00::1".parse().unwrap();
        assert!(one.contains("fd00::1".parse().unwrap()));
        assert!(!one.contains("fd00::2".parse().unwrap()));
        let odd: TrustedProxy = "192.168.4.0/22".parse().unwrap();
        assert!(odd.contains("192.168.7.255".parse().unwrap()));
        assert!(!odd.contains("192.168.8.0".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<TrustedProxy>().is_err());
        assert!("proxy.local".parse::<TrustedProxy>().is_err());
    }

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: Vec<TrustedProxy> = vec!["127.0.0.1".parse().unwrap()];
        let h = headers("203.0.113.7");
        // No trusted proxy: the header is the client's own words, ignored.
        assert_eq!(client_address(ip("127.0.0.1"), &h, &[]), "127.0.0.1");
        assert_eq!(
            client_address(ip("198.51.100.1"), &h, &proxy),
            "198.51.100.1"
        );
        assert_eq!(client_address(ip("127.0.0.1"), &h, &proxy), "203.0.113.7");
        // A client's own forged entry sits left of what the proxy appended.
        let h = headers("1.2.3.4, 203.0.113.7");
        assert_eq!(client_address(ip("127.0.0.1"), &h, &proxy), "203.0.113.7");
        // Two trusted proxies in a row.
        let two: Vec<TrustedProxy> =
            vec!["127.0.0.1".parse().unwrap(), "10.0.0.0/8".parse().unwrap()];
        let h = headers("203.0.113.7, 10.0.0.5");
        assert_eq!(client_address(ip("127.0.0.1"), &h, &two), "203.0.113.7");
        // Garbage from the proxy: the proxy itself.
        assert_eq!(
            client_address(ip("127.0.0.1"), &headers("nonsense"), &proxy),
            "127.0.0.1"
        );
        assert_eq!(client_address(None, &h, &proxy), "local");
    }
}
