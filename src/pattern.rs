//! Allowed-host patterns (SPEC section 3): what one `allowed_hosts` entry means, checked strictly
//! when the settings are built.

use std::net::{IpAddr, Ipv6Addr};

use crate::host::{HostKind, parse_host};

/// One compiled `allowed_hosts` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// `*`: every syntactically valid host.
    Any,
    /// `example.com`: exactly that name (lower-cased, trailing dot dropped).
    Exact(String),
    /// `.example.com`: the apex `example.com` and every subdomain (stored without the dot).
    Subtree(String),
    /// `127.0.0.1`, `[::1]`: that address, compared as an address.
    Address(IpAddr),
}

/// Why a pattern was refused, and the entry it probably meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternError {
    pub(crate) reason: String,
    pub(crate) suggestion: Option<String>,
}

fn refuse(reason: impl Into<String>, suggestion: Option<String>) -> PatternError {
    PatternError {
        reason: reason.into(),
        suggestion,
    }
}

/// Parse one allowed-host pattern.
pub(crate) fn parse_pattern(entry: &str) -> Result<Pattern, PatternError> {
    if entry.is_empty() {
        return Err(refuse("empty entry", None));
    }
    if entry.contains(char::is_whitespace) {
        let trimmed: String = entry.split_whitespace().collect();
        return Err(refuse("contains whitespace", Some(trimmed)));
    }
    if entry == "*" {
        return Ok(Pattern::Any);
    }
    if let Some((_, rest)) = entry.split_once("://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        return Err(refuse(
            "a pattern is a host, not a URL",
            Some(strip_port(host).to_owned()),
        ));
    }
    if entry.contains(['/', '?', '#']) {
        let host = entry.split(['/', '?', '#']).next().unwrap_or_default();
        return Err(refuse(
            "a pattern is a host, without a path",
            Some(host.to_owned()),
        ));
    }
    if let Some(rest) = entry.strip_prefix("*.") {
        return Err(refuse(
            "wildcards are written as a leading dot",
            Some(format!(".{rest}")),
        ));
    }
    if entry.contains('*') {
        return Err(refuse(
            "'*' is only allowed alone; use a leading dot for subdomains",
            None,
        ));
    }
    if entry.parse::<Ipv6Addr>().is_ok() {
        return Err(refuse(
            "IPv6 addresses are written in brackets",
            Some(format!("[{entry}]")),
        ));
    }

    let (subtree, host_part) = match entry.strip_prefix('.') {
        Some(rest) => (true, rest),
        None => (false, entry),
    };
    let host = parse_host(host_part.as_bytes()).map_err(|error| refuse(error.to_string(), None))?;
    if host.port.is_some() {
        let without = strip_port(entry);
        return Err(refuse(
            "patterns never carry a port (the port is not matched)",
            Some(without.to_owned()),
        ));
    }
    match (subtree, host.kind) {
        (false, HostKind::Name(name)) => Ok(Pattern::Exact(name.to_ascii_lowercase())),
        (true, HostKind::Name(name)) => Ok(Pattern::Subtree(name.to_ascii_lowercase())),
        (false, HostKind::Ipv4(ip)) => Ok(Pattern::Address(IpAddr::V4(ip))),
        (false, HostKind::Ipv6(ip)) => Ok(Pattern::Address(IpAddr::V6(ip))),
        (true, _) => Err(refuse(
            "a leading dot only applies to names, not addresses",
            Some(host_part.to_owned()),
        )),
    }
}

/// `example.com:8000` → `example.com`; `[::1]:80` → `[::1]`.
fn strip_port(host: &str) -> &str {
    match host.rfind(':') {
        Some(colon) if !host[colon..].contains(']') => &host[..colon],
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggestion(entry: &str) -> Option<String> {
        parse_pattern(entry).unwrap_err().suggestion
    }

    #[test]
    fn valid_patterns() {
        assert_eq!(parse_pattern("*"), Ok(Pattern::Any));
        assert_eq!(
            parse_pattern("INSENSITIVE.com"),
            Ok(Pattern::Exact("insensitive.com".into()))
        );
        assert_eq!(
            parse_pattern("example.com."),
            Ok(Pattern::Exact("example.com".into()))
        );
        assert_eq!(
            parse_pattern(".multitenant.com"),
            Ok(Pattern::Subtree("multitenant.com".into()))
        );
        assert_eq!(
            parse_pattern("[0:0::1]"),
            Ok(Pattern::Address("::1".parse().unwrap()))
        );
        assert_eq!(
            parse_pattern("12.34.56.78"),
            Ok(Pattern::Address("12.34.56.78".parse().unwrap()))
        );
        // All-digit names that are not IPv4 literals stay names.
        assert_eq!(parse_pattern("10.1"), Ok(Pattern::Exact("10.1".into())));
    }

    #[test]
    fn refused_with_suggestions() {
        assert_eq!(suggestion("*.example.com").as_deref(), Some(".example.com"));
        assert_eq!(suggestion("::1").as_deref(), Some("[::1]"));
        assert_eq!(
            suggestion("example.com:8000").as_deref(),
            Some("example.com")
        );
        assert_eq!(suggestion("[::1]:8000").as_deref(), Some("[::1]"));
        assert_eq!(
            suggestion("https://example.com/").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            suggestion("https://example.com:443/x").as_deref(),
            Some("example.com")
        );
        assert_eq!(suggestion("example.com/").as_deref(), Some("example.com"));
        assert_eq!(suggestion(" example.com").as_deref(), Some("example.com"));
        assert_eq!(suggestion(".10.0.0.1").as_deref(), Some("10.0.0.1"));
    }

    #[test]
    fn refused_outright() {
        for entry in [
            "",
            "..example.com",
            "a..example.com",
            "-.example.com",
            "example.com..",
            "exa*mple.com",
            "ex_ample.com",
            "[1:2]",
            ".",
            ".*",
        ] {
            assert!(parse_pattern(entry).is_err(), "{entry:?}");
        }
    }
}
