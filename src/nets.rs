//! CIDR networks (SPEC section 4): parse entries strictly and look addresses up in sorted,
//! merged ranges with a binary search, so a lookup costs `O(log n)` and allocates nothing.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use cidr::errors::NetworkParseError;
use cidr::{IpCidr, IpInet};

/// Why a net entry was refused, with the entry it probably meant where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NetError {
    pub(crate) reason: String,
    pub(crate) suggestion: Option<String>,
}

/// Parse one net entry: `10.0.0.0/8`, `2001:db8::/32`, or a bare address (a single-host net).
///
/// Host bits set, brackets, lengths over the family's maximum and anything else are refused.
pub(crate) fn parse_net(entry: &str) -> Result<IpCidr, NetError> {
    let refuse = |reason: &str, suggestion: Option<String>| NetError {
        reason: reason.to_owned(),
        suggestion,
    };
    if entry.is_empty() {
        return Err(refuse("empty entry", None));
    }
    if entry.trim() != entry || entry.contains(char::is_whitespace) {
        return Err(refuse(
            "contains whitespace",
            Some(entry.split_whitespace().collect()),
        ));
    }
    if entry.contains(['[', ']']) {
        let bare: String = entry.chars().filter(|c| !matches!(c, '[' | ']')).collect();
        return Err(refuse("nets are written without brackets", Some(bare)));
    }
    IpCidr::from_str(entry).map_err(|error| match error {
        NetworkParseError::InvalidHostPart => {
            let meant = IpInet::from_str(entry)
                .ok()
                .map(|inet| inet.network().to_string());
            refuse("host bits are set", meant)
        }
        NetworkParseError::NetworkLengthTooLongError(_) => {
            refuse("prefix length is too long for the address family", None)
        }
        NetworkParseError::NetworkLengthParseError(_) => refuse("invalid prefix length", None),
        NetworkParseError::AddrParseError(_) => refuse("not an IP address or network", None),
    })
}

/// Sorted, non-overlapping, non-adjacent inclusive ranges of one address width.
#[derive(Debug, Clone, Default)]
struct Ranges<T> {
    ranges: Vec<(T, T)>,
}

impl<T: Ord + Copy + num::Succ> Ranges<T> {
    fn from_unsorted(mut ranges: Vec<(T, T)>) -> Self {
        ranges.sort_unstable();
        let mut merged: Vec<(T, T)> = Vec::with_capacity(ranges.len());
        for (start, end) in ranges {
            match merged.last_mut() {
                // Overlapping or directly adjacent: extend the previous range.
                Some(last) if last.1 >= start || last.1.succ() == Some(start) => {
                    last.1 = last.1.max(end);
                }
                _ => merged.push((start, end)),
            }
        }
        merged.shrink_to_fit();
        Self { ranges: merged }
    }

    fn contains(&self, value: T) -> bool {
        let after = self.ranges.partition_point(|&(start, _)| start <= value);
        after > 0 && self.ranges[after - 1].1 >= value
    }
}

mod num {
    /// The next value, if there is one (for merging adjacent ranges).
    pub(super) trait Succ: Sized {
        fn succ(self) -> Option<Self>;
    }
    impl Succ for u32 {
        fn succ(self) -> Option<Self> {
            self.checked_add(1)
        }
    }
    impl Succ for u128 {
        fn succ(self) -> Option<Self> {
            self.checked_add(1)
        }
    }
}

/// A set of IPv4 and IPv6 networks, compiled for lookup.
///
/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are looked up in the IPv6 ranges and then as
/// their IPv4 address, so `[::ffff:10.0.0.1]` is inside `10.0.0.0/8` (a deliberate difference
/// from django-allow-cidr, where Python's `ipaddress` says no).
#[derive(Debug, Clone, Default)]
pub(crate) struct NetSet {
    v4: Ranges<u32>,
    v6: Ranges<u128>,
}

impl NetSet {
    pub(crate) fn new(nets: &[IpCidr]) -> Self {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        for net in nets {
            match net {
                IpCidr::V4(net) => v4.push((
                    u32::from(net.first_address()),
                    u32::from(net.last_address()),
                )),
                IpCidr::V6(net) => v6.push((
                    u128::from(net.first_address()),
                    u128::from(net.last_address()),
                )),
            }
        }
        Self {
            v4: Ranges::from_unsorted(v4),
            v6: Ranges::from_unsorted(v6),
        }
    }

    pub(crate) fn contains_v4(&self, ip: Ipv4Addr) -> bool {
        self.v4.contains(u32::from(ip))
    }

    pub(crate) fn contains_v6(&self, ip: Ipv6Addr) -> bool {
        self.v6.contains(u128::from(ip))
            || ip.to_ipv4_mapped().is_some_and(|v4| self.contains_v4(v4))
    }

    pub(crate) fn contains(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(ip) => self.contains_v4(ip),
            IpAddr::V6(ip) => self.contains_v6(ip),
        }
    }

    /// Number of merged ranges (for the policy summary).
    pub(crate) fn range_count(&self) -> usize {
        self.v4.ranges.len() + self.v6.ranges.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(entries: &[&str]) -> NetSet {
        let nets: Vec<IpCidr> = entries.iter().map(|e| parse_net(e).unwrap()).collect();
        NetSet::new(&nets)
    }

    #[test]
    fn parses_strictly_with_suggestions() {
        assert!(parse_net("10.0.0.0/8").is_ok());
        assert!(parse_net("2001:db8::/32").is_ok());
        assert_eq!(
            parse_net("192.168.1.1").unwrap().network_length(),
            32,
            "bare address is a host net"
        );
        assert_eq!(parse_net("::1").unwrap().network_length(), 128);
        let err = parse_net("10.0.0.1/8").unwrap_err();
        assert_eq!(err.reason, "host bits are set");
        assert_eq!(err.suggestion.as_deref(), Some("10.0.0.0/8"));
        let err = parse_net("2001:db8::1/32").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("2001:db8::/32"));
        assert!(parse_net("10.0.0.0/33").is_err());
        assert!(parse_net("::/129").is_err());
        assert!(parse_net("10.0.0.0/x").is_err());
        assert!(parse_net("junk").is_err());
        assert!(parse_net("").is_err());
        assert!(parse_net("10.1/16").is_err());
        let err = parse_net("[::1]").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("::1"));
        let err = parse_net(" 10.0.0.0/8").unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("10.0.0.0/8"));
    }

    #[test]
    fn lookup_django_allow_cidr_nets() {
        let nets = set(&[
            "192.168.1.0/24",
            "192.168.2.0/24",
            "2001:db8:0:1::/64",
            "2001:db8:0:2::/64",
        ]);
        assert!(nets.contains("192.168.1.11".parse().unwrap()));
        assert!(nets.contains("192.168.2.200".parse().unwrap()));
        assert!(!nets.contains("192.168.3.200".parse().unwrap()));
        assert!(nets.contains("2001:db8:0:1::11".parse().unwrap()));
        assert!(!nets.contains("2001:db8:0:3::200".parse().unwrap()));
    }

    #[test]
    fn ipv4_mapped_ipv6_is_looked_up_as_ipv4() {
        let nets = set(&["10.0.0.0/8"]);
        assert!(nets.contains("::ffff:10.0.0.1".parse().unwrap()));
        assert!(!nets.contains("::ffff:11.0.0.1".parse().unwrap()));
        assert!(
            !nets.contains("::10.0.0.1".parse().unwrap()),
            "IPv4-compatible is not mapped"
        );
    }

    #[test]
    fn merges_overlapping_and_adjacent_ranges() {
        let nets = set(&["10.0.0.0/9", "10.128.0.0/9", "10.0.0.0/16", "0.0.0.0/0"]);
        assert_eq!(nets.v4.ranges, vec![(0, u32::MAX)]);
        let nets = set(&["10.0.0.0/9", "10.128.0.0/9", "12.0.0.0/8"]);
        assert_eq!(nets.range_count(), 2);
        let nets = set(&["::/0", "::1"]);
        assert_eq!(nets.v6.ranges, vec![(0, u128::MAX)]);
    }

    proptest! {
        /// The binary search agrees with a linear scan of the original nets.
        #[test]
        fn lookup_agrees_with_scan(
            nets in proptest::collection::vec((any::<u32>(), 0u8..=32), 0..40),
            probes in proptest::collection::vec(any::<u32>(), 1..40),
        ) {
            let cidrs: Vec<IpCidr> = nets
                .iter()
                .map(|&(addr, len)| {
                    let inet = IpInet::new(IpAddr::V4(Ipv4Addr::from(addr)), len).unwrap();
                    inet.network()
                })
                .collect();
            let set = NetSet::new(&cidrs);
            for probe in probes {
                let ip = IpAddr::V4(Ipv4Addr::from(probe));
                let scanned = cidrs.iter().any(|c| c.contains(&ip));
                prop_assert_eq!(set.contains(ip), scanned);
            }
        }
    }
}
