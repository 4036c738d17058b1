//! The `[secure]` section of the settings.

use serde::{Deserialize, Serialize};

use super::{
    DEFAULT_POLICY_HEADER, DEFAULT_REDIRECT_STATUS, DEFAULT_REDIRECT_STATUS_UNSAFE,
    HttpsRedirectBuilder,
};
use crate::error::Source;
use crate::health::HealthPaths;

/// The `[secure]` section of [`Settings`](crate::Settings): Django's `SECURE_*` settings.
///
/// | key | default | Django |
/// | --- | --- | --- |
/// | `ssl_redirect` | `false` | `SECURE_SSL_REDIRECT` |
/// | `redirect_exempt` | `[]` | `SECURE_REDIRECT_EXEMPT` |
/// | `exempt_health` | `true` | (the `[health]` paths are exempt) |
/// | `ssl_host` | none | `SECURE_SSL_HOST` |
/// | `ssl_port` | none | |
/// | `redirect_status` | `301` | (GET and HEAD) |
/// | `redirect_status_unsafe` | `308` | (other methods; Django uses 301) |
/// | `proxy_ssl_header` | none | `SECURE_PROXY_SSL_HEADER`, believed only from `trusted_proxies` |
/// | `hsts_seconds` | `0` | `SECURE_HSTS_SECONDS` |
/// | `hsts_include_subdomains` | `false` | `SECURE_HSTS_INCLUDE_SUBDOMAINS` |
/// | `hsts_preload` | `false` | `SECURE_HSTS_PRELOAD` |
/// | `content_type_nosniff` | `true` | `SECURE_CONTENT_TYPE_NOSNIFF` |
/// | `referrer_policy` | `"same-origin"` | `SECURE_REFERRER_POLICY` (`""` sends none) |
/// | `cross_origin_opener_policy` | `"same-origin"` | `SECURE_CROSS_ORIGIN_OPENER_POLICY` (`""` sends none) |
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::Settings;
///
/// let settings = Settings::from_toml_str(r#"
///     allowed_hosts = ["www.example.com"]
///     trusted_proxies = ["10.0.0.0/8"]
///     [secure]
///     ssl_redirect = true
///     redirect_exempt = ["^insecure/"]
///     proxy_ssl_header = ["X-Forwarded-Proto", "https"]
///     hsts_seconds = 31536000
/// "#).unwrap();
/// assert!(settings.secure.ssl_redirect);
/// assert!(settings.https_redirect().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SecureSettings {
    /// Redirect plain HTTP to HTTPS.
    pub ssl_redirect: bool,
    /// Regexes of paths served over plain HTTP (searched in the path without its leading `/`).
    pub redirect_exempt: Vec<String>,
    /// Exempt the `[health]` paths too.
    pub exempt_health: bool,
    /// Redirect to this host instead of the request's.
    pub ssl_host: Option<String>,
    /// Redirect to this port instead of the request's.
    pub ssl_port: Option<u16>,
    /// Status for GET and HEAD.
    pub redirect_status: u16,
    /// Status for other methods.
    pub redirect_status_unsafe: u16,
    /// `[name, value]` of the header by which a trusted proxy says the request was HTTPS.
    pub proxy_ssl_header: Option<(String, String)>,
    /// HSTS `max-age`; 0 sends no HSTS.
    pub hsts_seconds: u64,
    /// HSTS `includeSubDomains`.
    pub hsts_include_subdomains: bool,
    /// HSTS `preload`.
    pub hsts_preload: bool,
    /// Send `X-Content-Type-Options: nosniff`.
    pub content_type_nosniff: bool,
    /// `Referrer-Policy` value; empty sends none.
    pub referrer_policy: String,
    /// `Cross-Origin-Opener-Policy` value; empty sends none.
    pub cross_origin_opener_policy: String,
}

impl Default for SecureSettings {
    fn default() -> Self {
        Self {
            ssl_redirect: false,
            redirect_exempt: Vec::new(),
            exempt_health: true,
            ssl_host: None,
            ssl_port: None,
            redirect_status: DEFAULT_REDIRECT_STATUS,
            redirect_status_unsafe: DEFAULT_REDIRECT_STATUS_UNSAFE,
            proxy_ssl_header: None,
            hsts_seconds: 0,
            hsts_include_subdomains: false,
            hsts_preload: false,
            content_type_nosniff: true,
            referrer_policy: DEFAULT_POLICY_HEADER.into(),
            cross_origin_opener_policy: DEFAULT_POLICY_HEADER.into(),
        }
    }
}

impl SecureSettings {
    pub(crate) fn builder(
        &self,
        source: Source,
        health_paths: HealthPaths,
        trusted_proxies: &[String],
    ) -> HttpsRedirectBuilder {
        let mut builder = HttpsRedirectBuilder::default()
            .source(source)
            .redirect(self.ssl_redirect)
            .exempts(self.redirect_exempt.iter().cloned())
            .health_paths(health_paths)
            .exempt_health(self.exempt_health)
            .trusted_proxies(trusted_proxies.iter().cloned())
            .hsts_seconds(self.hsts_seconds)
            .hsts_include_subdomains(self.hsts_include_subdomains)
            .hsts_preload(self.hsts_preload)
            .content_type_nosniff(self.content_type_nosniff)
            .referrer_policy(Some(self.referrer_policy.as_str()))
            .cross_origin_opener_policy(Some(self.cross_origin_opener_policy.as_str()));
        builder.redirect_status = self.redirect_status;
        builder.redirect_status_unsafe = self.redirect_status_unsafe;
        if let Some(host) = &self.ssl_host {
            builder = builder.ssl_host(host.clone());
        }
        if let Some(port) = self.ssl_port {
            builder = builder.ssl_port(port);
        }
        if let Some((name, value)) = &self.proxy_ssl_header {
            builder = builder.proxy_ssl_header(name.clone(), value.clone());
        }
        builder
    }
}
