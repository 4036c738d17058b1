//! What `AllowedHosts` leaves behind: the validated host in the request extensions, and the
//! reason for a refusal in the response extensions.

use std::fmt;
use std::net::IpAddr;

use crate::host::{Host, HostKind, MAX_HOST_LEN};
use crate::select::RejectReason;

/// The host of a request that passed [`AllowedHosts`](crate::AllowedHosts), normalised
/// (lower-cased, trailing dot dropped), in the request extensions.
///
/// Handlers and other middleware read it instead of parsing `Host` again, and instead of
/// `connection_info().host()`, which trusts forwarded headers from anyone.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::{AllowedHosts, ValidatedHost};
/// use actix_web::{App, HttpResponse, test, web};
///
/// # actix_web::rt::System::new().block_on(async {
/// let allowed = AllowedHosts::builder().host(".example.com").build().unwrap();
/// let app = test::init_service(App::new().wrap(allowed).route(
///     "/",
///     web::get().to(|host: web::ReqData<ValidatedHost>| async move {
///         HttpResponse::Ok().body(host.authority().to_owned())
///     }),
/// ))
/// .await;
/// let req = test::TestRequest::get().insert_header(("Host", "WWW.Example.com.:8443")).to_request();
/// let body = test::call_and_read_body(&app, req).await;
/// assert_eq!(body, "www.example.com:8443");
/// # });
/// ```
#[derive(Clone)]
pub struct ValidatedHost {
    buffer: [u8; MAX_HOST_LEN],
    len: u16,
    host_len: u16,
    port: Option<u16>,
    ip: Option<IpAddr>,
}

impl ValidatedHost {
    /// Copy a parsed host into its normalised form (no heap allocation).
    pub(crate) fn new(host: &Host<'_>, raw: &[u8]) -> Self {
        let mut validated = ValidatedHost {
            buffer: [0; MAX_HOST_LEN],
            len: 0,
            host_len: 0,
            port: host.port,
            ip: None,
        };
        let host_part: &[u8] = match host.kind {
            HostKind::Name(name) => name.as_bytes(),
            HostKind::Ipv4(ip) => {
                validated.ip = Some(IpAddr::V4(ip));
                raw.split(|&b| b == b':').next().unwrap_or(raw)
            }
            HostKind::Ipv6(ip) => {
                validated.ip = Some(IpAddr::V6(ip));
                let close = raw.iter().position(|&b| b == b']').unwrap_or(raw.len() - 1);
                &raw[..=close]
            }
        };
        let host_part = host_part.strip_suffix(b".").unwrap_or(host_part);
        validated.push(host_part);
        validated.host_len = validated.len;
        if let Some(port) = host.port {
            validated.push(b":");
            let mut digits = [0u8; 5];
            let mut at = digits.len();
            let mut rest = port;
            loop {
                at -= 1;
                // `rest % 10` is below 10, so the cast cannot truncate.
                digits[at] = b'0' + (rest % 10) as u8;
                rest /= 10;
                if rest == 0 {
                    break;
                }
            }
            validated.push(&digits[at..]);
        }
        validated.buffer[..usize::from(validated.len)].make_ascii_lowercase();
        validated
    }

    fn push(&mut self, bytes: &[u8]) {
        let start = usize::from(self.len);
        let end = (start + bytes.len()).min(MAX_HOST_LEN);
        self.buffer[start..end].copy_from_slice(&bytes[..end - start]);
        self.len = u16::try_from(end).unwrap_or(u16::MAX);
    }

    fn text(&self, len: u16) -> &str {
        // Only bytes of a parsed host are ever copied in, so this is always ASCII.
        std::str::from_utf8(&self.buffer[..usize::from(len)]).unwrap_or_default()
    }

    /// The host without its port: `www.example.com`, `10.1.2.3`, `[::1]`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::ValidatedHost;
    ///
    /// // In a handler: `host: web::ReqData<ValidatedHost>`; see the type's example.
    /// fn show(host: &ValidatedHost) -> String {
    ///     format!("{} {} {:?} {:?}", host.host(), host.authority(), host.port(), host.ip())
    /// }
    /// # drop(show);
    /// ```
    #[must_use]
    pub fn host(&self) -> &str {
        self.text(self.host_len)
    }

    /// The host with its port when one was given: `www.example.com:8443`.
    /// This is what the HTTPS redirect puts in `Location`, as Django's `get_host()` does.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::ValidatedHost;
    ///
    /// fn location(host: &ValidatedHost, path: &str) -> String {
    ///     format!("https://{}{path}", host.authority())
    /// }
    /// # drop(location);
    /// ```
    #[must_use]
    pub fn authority(&self) -> &str {
        self.text(self.len)
    }

    /// The port, if the request gave one.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::ValidatedHost;
    ///
    /// fn explicit_port(host: &ValidatedHost) -> bool {
    ///     host.port().is_some()
    /// }
    /// # drop(explicit_port);
    /// ```
    #[must_use]
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The address, when the host is an IP literal.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::ValidatedHost;
    ///
    /// // A probe by IP (a load balancer's health check) rather than by name.
    /// fn probed_by_ip(host: &ValidatedHost) -> bool {
    ///     host.ip().is_some()
    /// }
    /// # drop(probed_by_ip);
    /// ```
    #[must_use]
    pub fn ip(&self) -> Option<IpAddr> {
        self.ip
    }
}

impl fmt::Debug for ValidatedHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidatedHost")
            .field("host", &self.host())
            .field("port", &self.port)
            .field("ip", &self.ip)
            .finish()
    }
}

impl PartialEq for ValidatedHost {
    fn eq(&self, other: &Self) -> bool {
        self.authority() == other.authority()
    }
}

impl Eq for ValidatedHost {}

/// Put in the response extensions of every request that [`AllowedHosts`](crate::AllowedHosts)
/// refused, so outer middleware (metrics, access logs) can tell why.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::{AllowedHosts, HostRejected, RejectReason};
/// use actix_web::{App, HttpResponse, test, web};
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(
///     App::new()
///         .wrap(AllowedHosts::builder().host("example.com").build().unwrap())
///         .default_service(web::to(HttpResponse::Ok)),
/// )
/// .await;
/// let req = test::TestRequest::get().insert_header(("Host", "evil.com")).to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.status(), 400);
/// let rejected = res.response().extensions().get::<HostRejected>().copied().unwrap();
/// assert_eq!(rejected.reason, RejectReason::NotAllowed);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct HostRejected {
    /// Why the host was refused.
    pub reason: RejectReason,
}

/// A host value for the log: escaped, and cut to 100 characters.
pub(crate) struct LoggedHost<'a>(pub(crate) &'a [u8]);

impl fmt::Display for LoggedHost<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const LIMIT: usize = 100;
        for (written, c) in self.0.escape_ascii().enumerate() {
            if written == LIMIT {
                return f.write_str("...");
            }
            fmt::Write::write_char(f, char::from(c))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::parse_host;

    fn validated(raw: &str) -> ValidatedHost {
        ValidatedHost::new(&parse_host(raw.as_bytes()).unwrap(), raw.as_bytes())
    }

    #[test]
    fn normalises_case_dot_and_port() {
        let v = validated("Example.COM.:8080");
        assert_eq!(v.host(), "example.com");
        assert_eq!(v.authority(), "example.com:8080");
        assert_eq!(v.port(), Some(8080));
        assert_eq!(v.ip(), None);
        let v = validated("[::FFFF:10.0.0.1]:1");
        assert_eq!(v.host(), "[::ffff:10.0.0.1]");
        assert_eq!(v.authority(), "[::ffff:10.0.0.1]:1");
        assert!(v.ip().is_some());
        let v = validated("10.1.2.3.");
        assert_eq!(v.authority(), "10.1.2.3");
        assert_eq!(validated("a:08000").authority(), "a:8000");
        assert_eq!(validated("a:65535").authority(), "a:65535");
    }

    #[test]
    fn logged_host_escapes_and_cuts() {
        assert_eq!(LoggedHost(b"a\tb\xff").to_string(), "a\\tb\\xff");
        let long = LoggedHost(&[b'a'; 150]).to_string();
        assert_eq!(long.len(), 103);
        assert!(long.ends_with("..."));
    }
}
