//! Which host a request is checked by (SPEC section 1), decided from plain bytes so it can be
//! tested without a server.

use std::fmt;

use crate::host::{Host, HostError, parse_host, same_host};

/// Why a request's host was refused.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::RejectReason;
///
/// assert_eq!(RejectReason::NotAllowed.as_str(), "not_allowed");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RejectReason {
    /// The host is not a valid host (see [`crate::host`]).
    Syntax(HostError),
    /// The host is valid but no pattern or net allows it.
    NotAllowed,
    /// The `Host` header disagrees with the request target's authority.
    Mismatch,
    /// There is no host at all (no `Host` header and no authority).
    Missing,
    /// More than one `Host` header.
    Duplicate,
}

impl RejectReason {
    /// The stable name used in the log's `reason` field.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::RejectReason;
    /// use actix_allow_cidr::host::HostError;
    ///
    /// assert_eq!(RejectReason::Syntax(HostError::EmptyLabel).as_str(), "syntax");
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &'static str {
        match self {
            RejectReason::Syntax(_) => "syntax",
            RejectReason::NotAllowed => "not_allowed",
            RejectReason::Mismatch => "mismatch",
            RejectReason::Missing => "missing",
            RejectReason::Duplicate => "duplicate",
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::Syntax(error) => write!(f, "syntax: {error}"),
            RejectReason::NotAllowed => f.write_str("not allowed"),
            RejectReason::Mismatch => f.write_str("Host header differs from the request target"),
            RejectReason::Missing => f.write_str("no Host header"),
            RejectReason::Duplicate => f.write_str("more than one Host header"),
        }
    }
}

/// The host a request names, and the raw bytes it was read from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SelectedHost<'a> {
    pub(crate) host: Host<'a>,
    pub(crate) raw: &'a [u8],
}

/// Where a request's host can come from.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HostInputs<'a> {
    /// The first `Host` header.
    pub(crate) host_header: Option<&'a [u8]>,
    /// Whether a second `Host` header was present.
    pub(crate) duplicate_host: bool,
    /// The request target's authority (absolute-form, or HTTP/2 `:authority`).
    pub(crate) authority: Option<&'a [u8]>,
    /// A forwarded host, present only when forwarding is configured and the peer is trusted.
    pub(crate) forwarded: Option<&'a [u8]>,
}

/// Pick and parse the host to check.
pub(crate) fn select_host(inputs: HostInputs<'_>) -> Result<SelectedHost<'_>, RejectReason> {
    if inputs.duplicate_host {
        return Err(RejectReason::Duplicate);
    }
    let parse = |raw| {
        parse_host(raw)
            .map(|host| SelectedHost { host, raw })
            .map_err(RejectReason::Syntax)
    };
    // A trusted proxy's forwarded host replaces the Host it had to set itself.
    if let Some(forwarded) = inputs.forwarded {
        return parse(forwarded);
    }
    match (inputs.authority, inputs.host_header) {
        (Some(authority), host_header) => {
            let target = parse(authority)?;
            if let Some(header) = host_header {
                let header = parse(header)?;
                if !same_host(&target.host, &header.host) {
                    return Err(RejectReason::Mismatch);
                }
            }
            Ok(target)
        }
        (None, Some(header)) => parse(header),
        (None, None) => Err(RejectReason::Missing),
    }
}

/// The last element of a comma-separated header value, trimmed: the one the nearest proxy wrote.
pub(crate) fn last_list_element(value: &[u8]) -> &[u8] {
    let last = value.rsplit(|&b| b == b',').next().unwrap_or(value);
    last.trim_ascii()
}

/// The `host=` parameter of the last element of an RFC 7239 `Forwarded` value, unquoted.
pub(crate) fn forwarded_header_host(value: &[u8]) -> Option<&[u8]> {
    last_list_element(value)
        .split(|&b| b == b';')
        .map(<[u8]>::trim_ascii)
        .find_map(|pair| {
            let (name, value) = pair.split_at(pair.iter().position(|&b| b == b'=')?);
            name.eq_ignore_ascii_case(b"host").then(|| {
                let value = &value[1..];
                value
                    .strip_prefix(b"\"")
                    .and_then(|v| v.strip_suffix(b"\""))
                    .unwrap_or(value)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::HostKind;

    fn inputs<'a>(host: Option<&'a str>, authority: Option<&'a str>) -> HostInputs<'a> {
        HostInputs {
            host_header: host.map(str::as_bytes),
            authority: authority.map(str::as_bytes),
            ..HostInputs::default()
        }
    }

    #[test]
    fn origin_form_uses_host() {
        let selected = select_host(inputs(Some("example.com"), None)).unwrap();
        assert_eq!(selected.host.kind, HostKind::Name("example.com"));
    }

    #[test]
    fn authority_wins_and_must_agree() {
        let selected = select_host(inputs(None, Some("a.example"))).unwrap();
        assert_eq!(selected.host.kind, HostKind::Name("a.example"));
        assert!(select_host(inputs(Some("A.EXAMPLE."), Some("a.example"))).is_ok());
        assert_eq!(
            select_host(inputs(Some("evil.com"), Some("a.example"))).unwrap_err(),
            RejectReason::Mismatch
        );
        assert!(matches!(
            select_host(inputs(Some("evil.com"), Some("a..example"))).unwrap_err(),
            RejectReason::Syntax(_)
        ));
    }

    #[test]
    fn missing_and_duplicate() {
        assert_eq!(
            select_host(inputs(None, None)).unwrap_err(),
            RejectReason::Missing
        );
        let dup = HostInputs {
            duplicate_host: true,
            ..inputs(Some("a.com"), None)
        };
        assert_eq!(select_host(dup).unwrap_err(), RejectReason::Duplicate);
    }

    #[test]
    fn forwarded_replaces_host() {
        let fwd = HostInputs {
            forwarded: Some(b"forward.com"),
            ..inputs(Some("example.com"), None)
        };
        assert_eq!(
            select_host(fwd).unwrap().host.kind,
            HostKind::Name("forward.com")
        );
    }

    #[test]
    fn list_elements() {
        assert_eq!(last_list_element(b"a.com, b.com ,  c.com "), b"c.com");
        assert_eq!(last_list_element(b"a.com"), b"a.com");
        assert_eq!(last_list_element(b""), b"");
        assert_eq!(
            forwarded_header_host(
                b"for=1.2.3.4;host=evil.com, for=10.0.0.1;Host=\"good.com\";proto=https"
            ),
            Some(&b"good.com"[..])
        );
        assert_eq!(forwarded_header_host(b"for=1.2.3.4"), None);
    }
}
