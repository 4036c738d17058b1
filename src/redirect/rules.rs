//! The decisions of the HTTPS redirect (SPEC section 6), without actix types: exemptions,
//! the proxy's TLS header, the `Location`, the HSTS value.

use regex::RegexSet;

use crate::error::{ConfigError, Location, Source};

/// `redirect_exempt` compiled into one `RegexSet`, matched like Django's
/// `SECURE_REDIRECT_EXEMPT`: search semantics on the path without its leading `/`, query
/// excluded. Also an actix [`Guard`](actix_web::guard::Guard).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::RedirectExempt;
///
/// let exempt = RedirectExempt::new(["^insecure/", "healthz$"]).unwrap();
/// assert!(exempt.is_exempt("/insecure/page"));
/// assert!(exempt.is_exempt("/api/healthz"), "search, not full match");
/// assert!(!exempt.is_exempt("/secure/insecure/"));
/// ```
#[derive(Debug, Clone)]
pub struct RedirectExempt {
    set: RegexSet,
}

impl RedirectExempt {
    /// Compile the patterns.
    ///
    /// # Errors
    ///
    /// A [`ConfigError::InvalidRegex`] naming each pattern that does not compile and its index.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::RedirectExempt;
    ///
    /// let err = RedirectExempt::new(["^ok$", "(unclosed"]).unwrap_err();
    /// assert!(err.to_string().contains("redirect_exempt[1]"));
    /// ```
    pub fn new<I, T>(patterns: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let patterns: Vec<String> = patterns
            .into_iter()
            .map(|p| p.as_ref().to_owned())
            .collect();
        Self::compile(&patterns, &Source::Code, "redirect_exempt")
    }

    pub(crate) fn compile(
        patterns: &[String],
        source: &Source,
        key: &str,
    ) -> Result<Self, ConfigError> {
        let errors: Vec<ConfigError> = patterns
            .iter()
            .enumerate()
            .filter_map(|(index, pattern)| {
                regex::Regex::new(pattern)
                    .err()
                    .map(|error| ConfigError::InvalidRegex {
                        at: Location::entry(source, key, index).into(),
                        value: pattern.clone(),
                        reason: error.to_string(),
                    })
            })
            .collect();
        if let Some(error) = ConfigError::from_list(errors) {
            return Err(error);
        }
        RegexSet::new(patterns)
            .map(|set| Self { set })
            .map_err(|error| ConfigError::InvalidRegex {
                at: Location::new(source.clone(), key).into(),
                value: patterns.join(", "),
                reason: error.to_string(),
            })
    }

    pub(crate) fn empty() -> Self {
        Self {
            set: RegexSet::empty(),
        }
    }

    /// Whether a request path (with its leading `/`, without the query) is exempt.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::RedirectExempt;
    ///
    /// let exempt = RedirectExempt::new(["^healthz$"]).unwrap();
    /// assert!(exempt.is_exempt("/healthz"));
    /// assert!(!exempt.is_exempt("/healthz/more"));
    /// ```
    #[must_use]
    pub fn is_exempt(&self, path: &str) -> bool {
        let path = path.strip_prefix('/').unwrap_or(path);
        self.set.is_match(path)
    }

    /// How many patterns there are.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::RedirectExempt;
    ///
    /// assert_eq!(RedirectExempt::new(["^a/", "^b/"]).unwrap().len(), 2);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Whether there are no patterns.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::RedirectExempt;
    ///
    /// assert!(RedirectExempt::new(Vec::<String>::new()).unwrap().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

/// Django (since 4.1): the proxy header says "secure" when its leftmost comma-separated element,
/// trimmed, equals the configured value exactly.
pub(crate) fn proxy_header_is_secure(value: &[u8], expected: &str) -> bool {
    let leftmost = value.split(|&b| b == b',').next().unwrap_or(value);
    leftmost.trim_ascii() == expected.as_bytes()
}

/// `https://` + host + path-and-query, with the path and query kept byte for byte.
pub(crate) fn https_location(host: &str, port: Option<u16>, path_and_query: &str) -> String {
    let mut location = String::with_capacity(8 + host.len() + 6 + path_and_query.len());
    location.push_str("https://");
    location.push_str(host);
    if let Some(port) = port.filter(|&p| p != 443) {
        location.push(':');
        location.push_str(&port.to_string());
    }
    location.push_str(path_and_query);
    location
}

/// The `Strict-Transport-Security` value, or `None` when `hsts_seconds` is 0.
pub(crate) fn hsts_value(seconds: u64, include_subdomains: bool, preload: bool) -> Option<String> {
    (seconds > 0).then(|| {
        let mut value = format!("max-age={seconds}");
        if include_subdomains {
            value.push_str("; includeSubDomains");
        }
        if preload {
            value.push_str("; preload");
        }
        value
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_proxy_header_vectors() {
        assert!(proxy_header_is_secure(b"https", "https"));
        assert!(proxy_header_is_secure(b"https, http", "https"));
        assert!(proxy_header_is_secure(b"https  , http", "https"));
        assert!(!proxy_header_is_secure(b"http, https", "https"));
        assert!(!proxy_header_is_secure(
            b"http ,wrongvalue,http,http",
            "https"
        ));
        assert!(
            !proxy_header_is_secure(b"HTTPS", "https"),
            "compared exactly, as Django does"
        );
        assert!(!proxy_header_is_secure(b"", "https"));
    }

    #[test]
    fn exemption_is_search_on_the_path_without_slash() {
        let exempt = RedirectExempt::new(["^insecure/", "^healthz$"]).unwrap();
        assert!(exempt.is_exempt("/insecure/page"));
        assert!(exempt.is_exempt("/healthz"));
        assert!(!exempt.is_exempt("/healthz/x"));
        assert!(!exempt.is_exempt("/some/url"));
        let empty = RedirectExempt::new(Vec::<String>::new()).unwrap();
        assert!(!empty.is_exempt("/anything"));
        assert!(empty.is_empty());
    }

    #[test]
    fn bad_regex_names_pattern_and_index() {
        let err = RedirectExempt::new(["^a$", "[", "("]).unwrap_err();
        let keys: Vec<String> = err
            .problems()
            .map(|p| p.location().unwrap().key.clone())
            .collect();
        assert_eq!(keys, ["redirect_exempt[1]", "redirect_exempt[2]"]);
        assert!(err.to_string().contains("\"[\""), "{err}");
    }

    #[test]
    fn locations() {
        assert_eq!(
            https_location("testserver", None, "/some/url?query=string"),
            "https://testserver/some/url?query=string"
        );
        assert_eq!(https_location("a.com", Some(443), "/"), "https://a.com/");
        assert_eq!(
            https_location("a.com", Some(8443), "/x"),
            "https://a.com:8443/x"
        );
        assert_eq!(
            https_location("a.com:8000", None, "/p%20q?x=%2F&y"),
            "https://a.com:8000/p%20q?x=%2F&y"
        );
    }

    #[test]
    fn hsts() {
        assert_eq!(hsts_value(0, true, true), None);
        assert_eq!(hsts_value(60, false, false).unwrap(), "max-age=60");
        assert_eq!(
            hsts_value(31_536_000, true, true).unwrap(),
            "max-age=31536000; includeSubDomains; preload"
        );
    }
}
