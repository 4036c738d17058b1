//! The compiled host policy (SPEC sections 3 and 4): names first, then nets.
//!
//! Built once from the configured lists; checking a host allocates nothing and costs a few hash
//! probes plus two binary searches, whatever the size of the lists.

use std::fmt;
use std::net::IpAddr;

use cidr::IpCidr;

use crate::error::{ConfigError, Location, Source};
use crate::host::{Host, HostKind};
use crate::names::{NameMatch, NameSet};
use crate::nets::{NetSet, parse_net};
use crate::pattern::{Pattern, parse_pattern};

/// The rule that allowed a host, as the check tool and logs report it.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::{AllowedHosts, Rule};
///
/// let allowed = AllowedHosts::builder().host(".example.com").net("10.0.0.0/8").build().unwrap();
/// assert_eq!(allowed.explain("a.example.com").unwrap(), Rule::Subtree("example.com".into()));
/// assert_eq!(allowed.explain("10.1.2.3:8000").unwrap().to_string(), "net 10.0.0.0/8");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// The `*` pattern.
    Any,
    /// An exact name pattern.
    ExactName(String),
    /// A `.example.com` pattern (stored without its dot).
    Subtree(String),
    /// An IP literal pattern.
    Address(IpAddr),
    /// A CIDR net.
    Net(IpCidr),
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Any => f.write_str("any host (*)"),
            Rule::ExactName(name) => write!(f, "exact name {name}"),
            Rule::Subtree(name) => write!(f, "subdomain of .{name}"),
            Rule::Address(IpAddr::V6(ip)) => write!(f, "address [{ip}]"),
            Rule::Address(ip) => write!(f, "address {ip}"),
            Rule::Net(net) => write!(f, "net {net}"),
        }
    }
}

/// How a host matched, cheaply (the hot path does not need the exact entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MatchKind {
    Any,
    Name,
    Address,
    Net,
}

/// Allowed names, addresses and nets, compiled.
#[derive(Clone, Default)]
pub(crate) struct HostPolicy {
    any: bool,
    names: NameSet,
    addresses: NetSet,
    nets: NetSet,
    /// The parsed entries, kept for `explain` and the summary (never read per request).
    patterns: Vec<Pattern>,
    net_list: Vec<IpCidr>,
}

/// A one-line summary, not thousands of entries.
impl fmt::Debug for HostPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("HostPolicy").field(&self.summary()).finish()
    }
}

/// The named lists a policy is compiled from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PolicyLists<'a> {
    pub(crate) source: &'a Source,
    pub(crate) hosts: &'a [String],
    pub(crate) hosts_key: &'a str,
    pub(crate) nets: &'a [String],
    pub(crate) nets_key: &'a str,
}

impl HostPolicy {
    /// Compile the lists, collecting every bad entry rather than stopping at the first.
    pub(crate) fn compile(lists: PolicyLists<'_>) -> Result<Self, Vec<ConfigError>> {
        let mut errors = Vec::new();
        let mut policy = HostPolicy::default();
        let mut addresses = Vec::new();
        for (index, entry) in lists.hosts.iter().enumerate() {
            match parse_pattern(entry) {
                Ok(pattern) => {
                    match &pattern {
                        Pattern::Any => policy.any = true,
                        Pattern::Exact(name) => policy.names.insert_exact(name),
                        Pattern::Subtree(name) => policy.names.insert_subtree(name),
                        Pattern::Address(ip) => addresses.push(IpCidr::new_host(*ip)),
                    }
                    policy.patterns.push(pattern);
                }
                Err(error) => errors.push(ConfigError::InvalidHostPattern {
                    at: Location::entry(lists.source, lists.hosts_key, index).into(),
                    value: entry.clone(),
                    reason: error.reason,
                    suggestion: error.suggestion,
                }),
            }
        }
        policy.net_list = parse_nets(lists.source, lists.nets_key, lists.nets, &mut errors);
        policy.addresses = NetSet::new(&addresses);
        policy.nets = NetSet::new(&policy.net_list);

        if errors.is_empty() && lists.hosts.is_empty() && lists.nets.is_empty() {
            errors.push(ConfigError::NothingAllowed {
                origin: lists.source.clone(),
            });
        }
        if errors.is_empty() {
            Ok(policy)
        } else {
            Err(errors)
        }
    }

    /// The hot path: is this (already parsed) host allowed, and by what kind of rule?
    #[inline]
    pub(crate) fn check(&self, host: &Host<'_>) -> Option<MatchKind> {
        if self.any {
            return Some(MatchKind::Any);
        }
        match host.kind {
            HostKind::Name(name) => self.names.lookup(name).map(|_| MatchKind::Name),
            HostKind::Ipv4(ip) => {
                if self.addresses.contains_v4(ip) {
                    Some(MatchKind::Address)
                } else if self.nets.contains_v4(ip) {
                    Some(MatchKind::Net)
                } else {
                    None
                }
            }
            HostKind::Ipv6(ip) => {
                if self.addresses.contains_v6(ip) {
                    Some(MatchKind::Address)
                } else if self.nets.contains_v6(ip) {
                    Some(MatchKind::Net)
                } else {
                    None
                }
            }
        }
    }

    /// The slow path for people: which entry allowed the host.
    pub(crate) fn explain(&self, host: &Host<'_>) -> Option<Rule> {
        let kind = self.check(host)?;
        let ip = match host.kind {
            HostKind::Name(name) => {
                return match self.names.lookup(name)? {
                    NameMatch::Exact => Some(Rule::ExactName(name.to_ascii_lowercase())),
                    NameMatch::Subtree(offset) => {
                        Some(Rule::Subtree(name[offset..].to_ascii_lowercase()))
                    }
                };
            }
            HostKind::Ipv4(ip) => IpAddr::V4(ip),
            HostKind::Ipv6(ip) => IpAddr::V6(ip),
        };
        let mapped = host.kind.ipv4().map(IpAddr::V4);
        let covers = |net: &IpCidr| net.contains(&ip) || mapped.is_some_and(|v4| net.contains(&v4));
        match kind {
            MatchKind::Any => Some(Rule::Any),
            MatchKind::Name => None,
            MatchKind::Address => self.patterns.iter().find_map(|pattern| match pattern {
                Pattern::Address(listed) if covers(&IpCidr::new_host(*listed)) => {
                    Some(Rule::Address(*listed))
                }
                _ => None,
            }),
            MatchKind::Net => self
                .net_list
                .iter()
                .find(|net| covers(net))
                .map(|net| Rule::Net(*net)),
        }
    }

    /// A one-paragraph description of what is allowed, for the check tool and start-up logs.
    pub(crate) fn summary(&self) -> String {
        let count =
            |wanted: fn(&Pattern) -> bool| self.patterns.iter().filter(|p| wanted(p)).count();
        format!(
            "{} exact names, {} subdomain patterns, {} addresses, {} nets ({} merged ranges){}",
            count(|p| matches!(p, Pattern::Exact(_))),
            count(|p| matches!(p, Pattern::Subtree(_))),
            count(|p| matches!(p, Pattern::Address(_))),
            self.net_list.len(),
            self.nets.range_count(),
            if self.any {
                "; '*' allows every valid host"
            } else {
                ""
            },
        )
    }
}

/// Parse a list of CIDR entries, pushing one error per bad entry.
pub(crate) fn parse_nets(
    source: &Source,
    key: &str,
    entries: &[String],
    errors: &mut Vec<ConfigError>,
) -> Vec<IpCidr> {
    entries
        .iter()
        .enumerate()
        .filter_map(|(index, entry)| match parse_net(entry) {
            Ok(net) => Some(net),
            Err(error) => {
                errors.push(ConfigError::InvalidNet {
                    at: Location::entry(source, key, index).into(),
                    value: entry.clone(),
                    reason: error.reason,
                    suggestion: error.suggestion,
                });
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::parse_host;

    fn policy(hosts: &[&str], nets: &[&str]) -> HostPolicy {
        let hosts: Vec<String> = hosts.iter().map(|s| s.to_string()).collect();
        let nets: Vec<String> = nets.iter().map(|s| s.to_string()).collect();
        HostPolicy::compile(PolicyLists {
            source: &Source::Code,
            hosts: &hosts,
            hosts_key: "allowed_hosts",
            nets: &nets,
            nets_key: "allowed_cidr_nets",
        })
        .unwrap()
    }

    fn allows(policy: &HostPolicy, host: &str) -> bool {
        parse_host(host.as_bytes())
            .ok()
            .and_then(|h| policy.check(&h))
            .is_some()
    }

    #[test]
    fn names_before_nets_and_kinds() {
        let p = policy(&["10.0.0.1", ".example.com"], &["10.0.0.0/8"]);
        let check = |s: &str| p.check(&parse_host(s.as_bytes()).unwrap());
        assert_eq!(check("10.0.0.1"), Some(MatchKind::Address));
        assert_eq!(check("10.0.0.2"), Some(MatchKind::Net));
        assert_eq!(check("a.example.com"), Some(MatchKind::Name));
        assert_eq!(check("11.0.0.1"), None);
    }

    #[test]
    fn ip_patterns_compare_as_addresses() {
        let p = policy(&["[::1]", "[::ffff:169.254.169.254]"], &[]);
        assert!(allows(&p, "[0:0::1]"));
        assert!(allows(&p, "[0000::0001]:8080"));
        assert!(allows(&p, "[::ffff:169.254.169.254]"));
        assert!(!allows(&p, "[::2]"));
    }

    #[test]
    fn ip_shaped_names_never_match_nets() {
        let p = policy(&[], &["10.0.0.0/8"]);
        for host in ["10.1", "167772161", "010.0.0.1", "0x0a.0.0.1"] {
            assert!(!allows(&p, host), "{host}");
        }
        assert!(allows(&p, "10.0.0.1."));
        assert!(allows(&p, "[::ffff:10.0.0.1]"));
    }

    #[test]
    fn star_allows_every_valid_host_only() {
        let p = policy(&["*"], &[]);
        assert!(allows(&p, "anything.example"));
        assert!(allows(&p, "[::1]:1"));
        assert!(!allows(&p, "a..b"));
        assert!(!allows(&p, "[1:2]"));
    }

    #[test]
    fn explain_names_the_entry() {
        let p = policy(
            &["www.example.com", ".example.org", "127.0.0.1"],
            &["10.0.0.0/8", "fd00::/8"],
        );
        let explain = |s: &str| p.explain(&parse_host(s.as_bytes()).unwrap());
        assert_eq!(
            explain("WWW.example.com"),
            Some(Rule::ExactName("www.example.com".into()))
        );
        assert_eq!(
            explain("a.b.example.org"),
            Some(Rule::Subtree("example.org".into()))
        );
        assert_eq!(
            explain("127.0.0.1:80"),
            Some(Rule::Address("127.0.0.1".parse().unwrap()))
        );
        assert_eq!(
            explain("[fd00::1]").map(|r| r.to_string()),
            Some("net fd00::/8".into())
        );
        assert_eq!(
            explain("[::ffff:10.9.9.9]").map(|r| r.to_string()),
            Some("net 10.0.0.0/8".into())
        );
        assert_eq!(explain("other.com"), None);
    }

    #[test]
    fn collects_every_bad_entry() {
        let hosts = vec!["*.a.com".to_string(), "ok.com".into(), "::1".into()];
        let nets = vec!["10.0.0.1/8".to_string()];
        let errors = HostPolicy::compile(PolicyLists {
            source: &Source::Code,
            hosts: &hosts,
            hosts_key: "allowed_hosts",
            nets: &nets,
            nets_key: "allowed_cidr_nets",
        })
        .unwrap_err();
        let keys: Vec<String> = errors
            .iter()
            .map(|e| e.location().unwrap().key.clone())
            .collect();
        assert_eq!(
            keys,
            [
                "allowed_hosts[0]",
                "allowed_hosts[2]",
                "allowed_cidr_nets[0]"
            ]
        );
    }

    #[test]
    fn nothing_allowed_is_an_error() {
        let errors = HostPolicy::compile(PolicyLists {
            source: &Source::Code,
            hosts: &[],
            hosts_key: "allowed_hosts",
            nets: &[],
            nets_key: "allowed_cidr_nets",
        })
        .unwrap_err();
        assert!(matches!(errors[..], [ConfigError::NothingAllowed { .. }]));
    }
}
