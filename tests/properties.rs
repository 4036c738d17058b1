//! Property tests of the public parser and policy.

use actix_allow_cidr::host::{HostKind, parse_host};
use actix_allow_cidr::{AllowedHosts, RejectReason};
use proptest::prelude::*;

fn policy() -> AllowedHosts {
    AllowedHosts::builder()
        .hosts([
            "www.example.com",
            ".example.org",
            "10.1",
            "[::1]",
            "192.0.2.1",
        ])
        .nets(["10.0.0.0/8", "fd00::/8", "172.16.0.0/12"])
        .build()
        .unwrap()
}

fn decision(allowed: &AllowedHosts, host: &str) -> Result<String, RejectReason> {
    allowed.explain(host).map(|rule| rule.to_string())
}

/// Hosts that look plausible: names from a small alphabet (so they sometimes hit the lists),
/// IPv4 and IPv6 literals.
fn host_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(
            prop_oneof![
                Just("www".to_owned()),
                Just("example".to_owned()),
                Just("org".to_owned()),
                Just("com".to_owned()),
                "[a-z0-9][a-z0-9-]{0,8}[a-z0-9]",
                "[0-9]{1,3}",
            ],
            1..5
        )
        .prop_map(|labels| labels.join(".")),
        any::<[u8; 4]>().prop_map(|o| format!("{}.{}.{}.{}", o[0], o[1], o[2], o[3])),
        prop_oneof![Just(10u8), Just(172), Just(192), any::<u8>()]
            .prop_flat_map(|first| (Just(first), any::<[u8; 3]>()))
            .prop_map(|(a, o)| format!("{a}.{}.{}.{}", o[0], o[1], o[2])),
        any::<u128>().prop_map(|bits| format!("[{}]", std::net::Ipv6Addr::from(bits))),
        any::<u64>().prop_map(|bits| format!("[fd00::{:x}]", bits & 0xffff)),
        any::<u32>().prop_map(|bits| format!("[::ffff:{}]", std::net::Ipv4Addr::from(bits))),
        "[a-zA-Z0-9.:\\[\\]-]{1,24}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsing_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_host(&bytes);
    }

    #[test]
    fn deciding_never_panics_on_arbitrary_text(text in "\\PC{0,280}") {
        let _ = policy().explain(&text);
    }

    /// A host that passes the parser gets the same decision upper-cased and with a port.
    #[test]
    fn decision_ignores_case_and_port(host in host_strategy(), port in 1u16..=65535) {
        let parsed = parse_host(host.as_bytes());
        prop_assume!(parsed.is_ok_and(|h| h.port.is_none()));
        let allowed = policy();
        let plain = decision(&allowed, &host);
        prop_assert_eq!(&decision(&allowed, &host.to_ascii_uppercase()), &plain);
        prop_assert_eq!(&decision(&allowed, &format!("{host}:{port}")), &plain);
        prop_assert_eq!(&decision(&allowed, &format!("{}:{port}", host.to_ascii_uppercase())), &plain);
    }

    /// Names made only of digits and dots that `Ipv4Addr` refuses never reach the nets.
    #[test]
    fn ip_shaped_names_are_names(parts in proptest::collection::vec(0u32..999, 1..6)) {
        let host = parts.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
        if let Ok(parsed) = parse_host(host.as_bytes()) {
            let is_v4 = host.parse::<std::net::Ipv4Addr>().is_ok();
            prop_assert_eq!(matches!(parsed.kind, HostKind::Ipv4(_)), is_v4);
            if !is_v4 && host != "10.1" {
                prop_assert!(policy().explain(&host).is_err());
            }
        }
    }

    /// A parsed host's text never contains a banned byte.
    #[test]
    fn accepted_hosts_are_clean(bytes in proptest::collection::vec(any::<u8>(), 1..64)) {
        if parse_host(&bytes).is_ok() {
            prop_assert!(bytes.iter().all(|b| b.is_ascii_graphic()
                && !b"@/\\%_#?".contains(b)));
        }
    }
}
