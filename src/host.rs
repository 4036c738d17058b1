//! Host syntax: parse a `Host` value into its kind and port, without allocating.
//!
//! This module knows nothing about actix; it works on bytes so that a header value that is not
//! even UTF-8 gets a precise answer instead of a panic. The middleware uses it for every request;
//! it is public for apps that check hosts from elsewhere (a WebSocket `Origin`, say).
//!
//! # Examples
//!
//! ```
//! use actix_allow_cidr::host::{parse_host, HostKind};
//!
//! let host = parse_host(b"[::1]:8080").unwrap();
//! assert!(matches!(host.kind, HostKind::Ipv6(_)));
//! assert_eq!(host.port, Some(8080));
//! ```

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Longest host value (name, brackets and port) that is looked at at all; longer ones are
/// rejected before any other work.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::host::{parse_host, HostError, MAX_HOST_LEN};
///
/// let long = "a".repeat(MAX_HOST_LEN + 1);
/// assert_eq!(parse_host(long.as_bytes()), Err(HostError::TooLong));
/// ```
pub const MAX_HOST_LEN: usize = 260;

/// Longest DNS name, without the trailing dot (RFC 1035 §2.3.4).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::host::{parse_host, HostError, MAX_NAME_LEN};
///
/// let name = vec!["a".repeat(63); 4].join(".");
/// assert!(name.len() > MAX_NAME_LEN);
/// assert_eq!(parse_host(name.as_bytes()), Err(HostError::NameTooLong));
/// ```
pub const MAX_NAME_LEN: usize = 253;

/// Longest DNS label (RFC 1035 §2.3.4).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::host::{parse_host, HostError, MAX_LABEL_LEN};
///
/// let label = "a".repeat(MAX_LABEL_LEN + 1);
/// assert_eq!(parse_host(format!("{label}.com").as_bytes()), Err(HostError::LabelTooLong));
/// ```
pub const MAX_LABEL_LEN: usize = 63;

/// A syntactically valid host, borrowed from the value it was parsed from.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::host::{parse_host, HostKind};
///
/// let host = parse_host(b"Example.COM.:8080").unwrap();
/// assert_eq!(host.kind, HostKind::Name("Example.COM"));
/// assert_eq!(host.port, Some(8080));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Host<'a> {
    /// What the host part is.
    pub kind: HostKind<'a>,
    /// The port, if one was given. It never takes part in matching.
    pub port: Option<u16>,
}

/// The host part of a [`Host`].
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::host::{parse_host, HostKind};
/// use std::net::Ipv6Addr;
///
/// assert_eq!(parse_host(b"[::1]").unwrap().kind, HostKind::Ipv6(Ipv6Addr::LOCALHOST));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind<'a> {
    /// A DNS name as sent (letters keep their case), without its trailing dot.
    /// All-digit names such as `10.1` or `167772161` are names, not addresses.
    Name(&'a str),
    /// An IPv4 literal in the exact form `Ipv4Addr::from_str` accepts.
    Ipv4(Ipv4Addr),
    /// A bracketed IPv6 literal.
    Ipv6(Ipv6Addr),
}

impl HostKind<'_> {
    /// The IPv4 address this host stands for: an IPv4 literal, or an IPv4-mapped IPv6 literal
    /// (`[::ffff:10.0.0.1]`).
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::host::parse_host;
    /// use std::net::Ipv4Addr;
    ///
    /// let mapped = parse_host(b"[::ffff:10.0.0.1]").unwrap();
    /// assert_eq!(mapped.kind.ipv4(), Some(Ipv4Addr::new(10, 0, 0, 1)));
    /// ```
    #[must_use]
    pub fn ipv4(&self) -> Option<Ipv4Addr> {
        match self {
            HostKind::Ipv4(ip) => Some(*ip),
            HostKind::Ipv6(ip) => ip.to_ipv4_mapped(),
            HostKind::Name(_) => None,
        }
    }
}

/// Why a host value is not a valid host.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::host::{parse_host, HostError};
///
/// assert_eq!(parse_host(b"a..example.com"), Err(HostError::EmptyLabel));
/// assert_eq!(parse_host(b"example.com:0"), Err(HostError::InvalidPort));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HostError {
    /// Nothing at all, or nothing before the port.
    Empty,
    /// Longer than [`MAX_HOST_LEN`] bytes.
    TooLong,
    /// A byte that can never appear in a host (control, space, non-ASCII, `@ / \ % _ # ?`, ...).
    InvalidByte(u8),
    /// Two dots in a row, or a leading dot.
    EmptyLabel,
    /// A label longer than 63 bytes.
    LabelTooLong,
    /// A label that starts or ends with `-`.
    LabelHyphen,
    /// A name longer than 253 bytes.
    NameTooLong,
    /// Brackets that do not hold exactly one IPv6 address (zone ids are refused too).
    InvalidIpv6,
    /// An IPv6 address without brackets.
    UnbracketedIpv6,
    /// A port that is not 1–5 digits with a value of 1–65535.
    InvalidPort,
}

impl HostError {
    /// A short, stable description, used in logs and in the check tool's output.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::host::HostError;
    ///
    /// assert_eq!(HostError::EmptyLabel.describe(), "empty label");
    /// ```
    #[must_use]
    pub fn describe(&self) -> &'static str {
        match self {
            HostError::Empty => "empty host",
            HostError::TooLong => "host longer than 260 bytes",
            HostError::InvalidByte(_) => "character not allowed in a host",
            HostError::EmptyLabel => "empty label",
            HostError::LabelTooLong => "label longer than 63 bytes",
            HostError::LabelHyphen => "label starts or ends with '-'",
            HostError::NameTooLong => "name longer than 253 bytes",
            HostError::InvalidIpv6 => "invalid IPv6 literal",
            HostError::UnbracketedIpv6 => "IPv6 address without brackets",
            HostError::InvalidPort => "invalid port",
        }
    }
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::InvalidByte(b) => write!(f, "{} ({:?})", self.describe(), b.escape_ascii()),
            _ => f.write_str(self.describe()),
        }
    }
}

impl std::error::Error for HostError {}

/// Parse a host value (`name`, `a.b.c.d` or `[v6]`, each with an optional `:port`).
///
/// Allocates nothing; the returned [`Host`] borrows from `input`.
///
/// # Errors
///
/// Any value that breaks the host grammar gives the [`HostError`] that says why.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::host::{parse_host, HostError, HostKind};
/// use std::net::Ipv4Addr;
///
/// let host = parse_host(b"10.1.2.3:8000").unwrap();
/// assert_eq!(host.kind, HostKind::Ipv4(Ipv4Addr::new(10, 1, 2, 3)));
/// // Not an IPv4 literal: a legal all-digit name, so it can never match a net.
/// assert_eq!(parse_host(b"10.1").unwrap().kind, HostKind::Name("10.1"));
/// assert_eq!(parse_host(b"evil.com@example.com"), Err(HostError::InvalidByte(b'@')));
/// ```
pub fn parse_host(input: &[u8]) -> Result<Host<'_>, HostError> {
    let fast = match input.first() {
        Some(b'[') => parse_ipv6_fast(input),
        _ => parse_name_or_ipv4_fast(input),
    };
    match fast {
        Some(host) => Ok(host),
        None => parse_host_precisely(input),
    }
}

/// A bracketed IPv6 host, the common case; gives up (for the precise parser) on anything odd.
#[inline]
fn parse_ipv6_fast(input: &[u8]) -> Option<Host<'_>> {
    if input.len() > MAX_HOST_LEN {
        return None;
    }
    let close = input.iter().position(|&b| b == b']')?;
    // `Ipv6Addr`'s parser accepts only hex digits, ':' and '.', so nothing else can slip through.
    let inside = std::str::from_utf8(&input[1..close]).ok()?;
    let ip: Ipv6Addr = inside.parse().ok()?;
    let port = match &input[close + 1..] {
        [] => None,
        [b':', digits @ ..] => Some(parse_port_bytes(digits)?),
        _ => return None,
    };
    Some(Host {
        kind: HostKind::Ipv6(ip),
        port,
    })
}

/// One pass over a name or IPv4 host, the common case. Accepts exactly what
/// [`parse_host_precisely`] accepts for unbracketed hosts (a property test holds them to it);
/// on anything else it gives up, and the precise parser says why.
#[inline]
fn parse_name_or_ipv4_fast(input: &[u8]) -> Option<Host<'_>> {
    if input.is_empty() || input.len() > MAX_HOST_LEN {
        return None;
    }
    let mut label_len = 0usize;
    let mut last = b'.';
    let mut digits_and_dots = true;
    let mut host_end = input.len();
    let mut port = None;
    for (index, &byte) in input.iter().enumerate() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' => digits_and_dots = false,
            b'0'..=b'9' => {}
            b'-' if label_len > 0 => digits_and_dots = false,
            b'.' if label_len > 0 && last != b'-' && label_len <= MAX_LABEL_LEN => {
                label_len = 0;
                last = byte;
                continue;
            }
            b':' => {
                host_end = index;
                port = Some(parse_port_bytes(&input[index + 1..])?);
                break;
            }
            _ => return None,
        }
        label_len += 1;
        last = byte;
    }
    if host_end == 0 || last == b'-' || label_len > MAX_LABEL_LEN {
        return None;
    }
    // One trailing dot is dropped: `label_len == 0` here means the host part ended with it.
    let name_end = if label_len == 0 {
        host_end - 1
    } else {
        host_end
    };
    if name_end == 0 || name_end > MAX_NAME_LEN {
        return None;
    }
    let name = std::str::from_utf8(&input[..name_end]).ok()?;
    if digits_and_dots && let Ok(ip) = name.parse::<Ipv4Addr>() {
        return Some(Host {
            kind: HostKind::Ipv4(ip),
            port,
        });
    }
    Some(Host {
        kind: HostKind::Name(name),
        port,
    })
}

fn parse_port_bytes(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 {
        return None;
    }
    let mut value = 0u32;
    for &digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u32::from(digit - b'0');
    }
    u16::try_from(value).ok().filter(|&port| port != 0)
}

/// The precise parser: slower, and says exactly what is wrong.
fn parse_host_precisely(input: &[u8]) -> Result<Host<'_>, HostError> {
    if input.len() > MAX_HOST_LEN {
        return Err(HostError::TooLong);
    }
    if input.is_empty() {
        return Err(HostError::Empty);
    }
    if let Some(&bad) = input.iter().find(|&&b| !is_host_byte(b)) {
        return Err(HostError::InvalidByte(bad));
    }
    // Every byte is printable ASCII now, so this cannot fail; no unwrap all the same.
    let text = std::str::from_utf8(input).map_err(|_| HostError::InvalidByte(0x80))?;

    if let Some(rest) = text.strip_prefix('[') {
        let (inside, after) = rest.split_once(']').ok_or(HostError::InvalidIpv6)?;
        let ip: Ipv6Addr = inside.parse().map_err(|_| HostError::InvalidIpv6)?;
        let port = match after {
            "" => None,
            _ => Some(parse_port(
                after.strip_prefix(':').ok_or(HostError::InvalidIpv6)?,
            )?),
        };
        return Ok(Host {
            kind: HostKind::Ipv6(ip),
            port,
        });
    }

    let (host, port) = match text.find(':') {
        None => (text, None),
        Some(colon) => {
            let (host, port) = (&text[..colon], &text[colon + 1..]);
            if port.contains(':') {
                return Err(HostError::UnbracketedIpv6);
            }
            (host, Some(parse_port(port)?))
        }
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() {
        return Err(HostError::Empty);
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return Ok(Host {
            kind: HostKind::Ipv4(ip),
            port,
        });
    }
    validate_name(host)?;
    Ok(Host {
        kind: HostKind::Name(host),
        port,
    })
}

/// Printable ASCII, minus the characters that SPEC section 2 bans outright.
fn is_host_byte(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b'@' | b'/' | b'\\' | b'%' | b'_' | b'#' | b'?')
}

fn parse_port(digits: &str) -> Result<u16, HostError> {
    parse_port_bytes(digits.as_bytes()).ok_or(HostError::InvalidPort)
}

/// Check the DNS name rules: labels of `a-z 0-9 -`, 1–63 bytes, no edge hyphens, 253 in all.
fn validate_name(name: &str) -> Result<(), HostError> {
    if name.len() > MAX_NAME_LEN {
        return Err(HostError::NameTooLong);
    }
    for label in name.split('.') {
        let bytes = label.as_bytes();
        match bytes {
            [] => return Err(HostError::EmptyLabel),
            [b'-', ..] | [.., b'-'] => return Err(HostError::LabelHyphen),
            _ if bytes.len() > MAX_LABEL_LEN => return Err(HostError::LabelTooLong),
            _ => {}
        }
        if let Some(&bad) = bytes
            .iter()
            .find(|b| !(b.is_ascii_alphanumeric() || **b == b'-'))
        {
            return Err(HostError::InvalidByte(bad));
        }
    }
    Ok(())
}

/// Whether two hosts name the same thing: names compared case-insensitively, addresses as
/// addresses. A port is compared only when both sides give one, so `a.example` and
/// `a.example:80` agree.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::host::{parse_host, same_host};
///
/// let a = parse_host(b"A.Example.").unwrap();
/// let b = parse_host(b"a.example:80").unwrap();
/// assert!(same_host(&a, &b));
/// ```
#[must_use]
pub fn same_host(a: &Host<'_>, b: &Host<'_>) -> bool {
    let kinds_match = match (a.kind, b.kind) {
        (HostKind::Name(x), HostKind::Name(y)) => x.eq_ignore_ascii_case(y),
        (HostKind::Ipv4(x), HostKind::Ipv4(y)) => x == y,
        (HostKind::Ipv6(x), HostKind::Ipv6(y)) => x == y,
        _ => false,
    };
    let ports_match = match (a.port, b.port) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    kinds_match && ports_match
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> HostKind<'_> {
        HostKind::Name(s)
    }

    #[test]
    fn django_parsing_table() {
        let v6 = |s: &str| HostKind::Ipv6(s.parse().unwrap());
        let cases: &[(&str, HostKind<'_>, Option<u16>)] = &[
            ("[::1]", v6("::1"), None),
            ("[::1]:8080", v6("::1"), Some(8080)),
            (
                "[::ffff:127.0.0.1]:8080",
                v6("::ffff:127.0.0.1"),
                Some(8080),
            ),
            (
                "[1851:0000:3238:DEF1:0177:0000:0000:0125]",
                v6("1851:0:3238:def1:177::125"),
                None,
            ),
            (
                "127.0.0.1:8080",
                HostKind::Ipv4(Ipv4Addr::new(127, 0, 0, 1)),
                Some(8080),
            ),
            ("example.com.", name("example.com"), None),
            ("example.com.:8080", name("example.com"), Some(8080)),
            ("xn--n28h.test:8080", name("xn--n28h.test"), Some(8080)),
        ];
        for (input, kind, port) in cases {
            let host = parse_host(input.as_bytes()).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!((host.kind, host.port), (*kind, *port), "{input}");
        }
    }

    #[test]
    fn django_invalid_table() {
        for input in [
            "<invalid>",
            "<invalid>:8080",
            "example.com 8080",
            "example.com:invalid",
        ] {
            assert!(parse_host(input.as_bytes()).is_err(), "{input}");
        }
    }

    #[test]
    fn banned_characters() {
        for (input, byte) in [
            ("a@b", b'@'),
            ("a/b", b'/'),
            ("a\\b", b'\\'),
            ("a%b", b'%'),
            ("invalid_hostname.com", b'_'),
            ("a#b", b'#'),
            ("a?b", b'?'),
            ("a b", b' '),
            ("a\tb", b'\t'),
            ("a\x7fb", 0x7f),
        ] {
            assert_eq!(
                parse_host(input.as_bytes()),
                Err(HostError::InvalidByte(byte)),
                "{input:?}"
            );
        }
        assert_eq!(
            parse_host("h\u{e9}.com".as_bytes()),
            Err(HostError::InvalidByte(0xc3))
        );
        assert_eq!(parse_host(b"a<b"), Err(HostError::InvalidByte(b'<')));
    }

    #[test]
    fn name_rules() {
        assert_eq!(parse_host(b"..example.com"), Err(HostError::EmptyLabel));
        assert_eq!(parse_host(b".example.com"), Err(HostError::EmptyLabel));
        assert_eq!(parse_host(b"a..example.com"), Err(HostError::EmptyLabel));
        assert_eq!(parse_host(b"example.com.."), Err(HostError::EmptyLabel));
        assert_eq!(parse_host(b"-.example.com"), Err(HostError::LabelHyphen));
        assert_eq!(parse_host(b"a-.example.com"), Err(HostError::LabelHyphen));
        assert!(parse_host(b"a-b.example.com").is_ok());
        let label63 = "a".repeat(63);
        assert!(parse_host(format!("{label63}.com").as_bytes()).is_ok());
        let label64 = "a".repeat(64);
        assert_eq!(
            parse_host(format!("{label64}.com").as_bytes()),
            Err(HostError::LabelTooLong)
        );
        // 4 × 63 + 3 dots = 255 > 253
        let long = [label63.as_str(); 4].join(".");
        assert_eq!(parse_host(long.as_bytes()), Err(HostError::NameTooLong));
        let ok = format!("{}.{}.{}.{}", label63, label63, label63, "a".repeat(61));
        assert_eq!(ok.len(), 253);
        assert!(parse_host(ok.as_bytes()).is_ok());
        assert!(parse_host(format!("{ok}.").as_bytes()).is_ok());
    }

    #[test]
    fn ipv4_literals_only_in_std_form() {
        fn ip(s: &str) -> HostKind<'_> {
            parse_host(s.as_bytes()).unwrap().kind
        }
        assert_eq!(ip("10.0.0.1"), HostKind::Ipv4(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(ip("10.0.0.1."), HostKind::Ipv4(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(ip("10.1"), name("10.1"));
        assert_eq!(ip("167772161"), name("167772161"));
        assert_eq!(ip("0x0a.0.0.1"), name("0x0a.0.0.1"));
        assert_eq!(ip("010.0.0.1"), name("010.0.0.1"));
        assert_eq!(ip("10.0.0.256"), name("10.0.0.256"));
    }

    #[test]
    fn ipv6_literals() {
        assert_eq!(parse_host(b"::1"), Err(HostError::UnbracketedIpv6));
        assert_eq!(parse_host(b"[1:2]"), Err(HostError::InvalidIpv6));
        assert_eq!(
            parse_host(b"[::ffff:10.0.0.256]"),
            Err(HostError::InvalidIpv6)
        );
        assert_eq!(
            parse_host(b"[fe80::1%eth0]"),
            Err(HostError::InvalidByte(b'%'))
        );
        assert_eq!(parse_host(b"[::1"), Err(HostError::InvalidIpv6));
        assert_eq!(parse_host(b"[::1]x"), Err(HostError::InvalidIpv6));
        assert_eq!(parse_host(b"[::1]:0"), Err(HostError::InvalidPort));
        let mapped = parse_host(b"[::FFFF:10.0.0.1]").unwrap();
        assert_eq!(mapped.kind.ipv4(), Some(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(parse_host(b"[::1]").unwrap().kind.ipv4(), None);
    }

    #[test]
    fn ports() {
        assert_eq!(parse_host(b"a:1").unwrap().port, Some(1));
        assert_eq!(parse_host(b"a:65535").unwrap().port, Some(65535));
        assert_eq!(parse_host(b"a:08000").unwrap().port, Some(8000));
        for bad in [
            "a:", "a:0", "a:65536", "a:99999", "a:123456", "a:abc", "a:-1",
        ] {
            assert_eq!(
                parse_host(bad.as_bytes()),
                Err(HostError::InvalidPort),
                "{bad}"
            );
        }
        let ports38 = format!("a:{}", "9".repeat(38));
        assert_eq!(parse_host(ports38.as_bytes()), Err(HostError::InvalidPort));
        assert_eq!(parse_host(b":80"), Err(HostError::Empty));
        assert_eq!(parse_host(b".:80"), Err(HostError::Empty));
    }

    #[test]
    fn length_cap_comes_first() {
        let long = vec![b'@'; MAX_HOST_LEN + 1];
        assert_eq!(parse_host(&long), Err(HostError::TooLong));
        assert_eq!(parse_host(b""), Err(HostError::Empty));
    }

    proptest::proptest! {
        /// The IPv6 fast path agrees with the precise parser.
        #[test]
        fn ipv6_fast_path_agrees(input in "\\[[0-9a-fA-F:.%]{0,30}\\](:[0-9]{0,6})?|\\[::ffff:[0-9.]{0,16}\\]") {
            let input = input.as_bytes();
            let precise = parse_host_precisely(input);
            match parse_ipv6_fast(input) {
                Some(fast) => proptest::prop_assert_eq!(Ok(fast), precise),
                None => proptest::prop_assert!(precise.is_err()),
            }
        }

        /// The fast path agrees with the precise parser on every unbracketed input.
        #[test]
        fn fast_path_agrees_with_precise_parser(input in "[a-zA-Z0-9.:-]{0,20}|[0-9.:]{0,20}|[a-z.]{60,70}") {
            let input = input.as_bytes();
            let precise = parse_host_precisely(input);
            match parse_name_or_ipv4_fast(input) {
                Some(fast) => proptest::prop_assert_eq!(Ok(fast), precise),
                None => proptest::prop_assert!(precise.is_err() || input.first() == Some(&b'['),
                    "fast path refused a valid host: {:?}", precise),
            }
        }
    }

    #[test]
    fn same_host_rules() {
        fn p(s: &str) -> Host<'_> {
            parse_host(s.as_bytes()).unwrap()
        }
        assert!(same_host(&p("[0:0::1]"), &p("[::1]:80")));
        assert!(!same_host(&p("a.example:81"), &p("a.example:80")));
        assert!(!same_host(&p("a.example"), &p("b.example")));
        assert!(!same_host(&p("10.0.0.1"), &p("[::ffff:10.0.0.1]")));
    }
}
