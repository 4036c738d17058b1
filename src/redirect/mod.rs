//! `HttpsRedirect`: Django's `SecurityMiddleware` for actix: redirect plain HTTP to HTTPS with
//! path exemptions, believe a proxy's TLS header only from trusted proxies, add HSTS and the
//! other security headers.

mod rules;
mod service;
mod settings;

use std::sync::Arc;

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::guard::{Guard, GuardContext};
use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use futures_util::future::{Ready, ready};

pub use self::rules::RedirectExempt;
pub use self::service::{HttpsRedirectMiddleware, SecureHeadersFuture};
pub use self::settings::SecureSettings;
use crate::error::{ConfigError, Location, Source};
use crate::health::{HealthPaths, exempt_patterns};
use crate::host::parse_host;
use crate::log_limit::LogLimiter;
use crate::nets::NetSet;
use crate::policy::parse_nets;

/// Default status for GET and HEAD, as Django.
pub(crate) const DEFAULT_REDIRECT_STATUS: u16 = 301;
/// Default status for other methods: keeps the method and body.
pub(crate) const DEFAULT_REDIRECT_STATUS_UNSAFE: u16 = 308;
/// Django's default `Referrer-Policy` and `Cross-Origin-Opener-Policy`.
pub(crate) const DEFAULT_POLICY_HEADER: &str = "same-origin";

/// Statuses a redirect may use.
const REDIRECT_STATUSES: [u16; 5] = [301, 302, 303, 307, 308];

/// Middleware that redirects plain-HTTP requests to HTTPS, as Django's `SECURE_SSL_REDIRECT`
/// does, and adds HSTS and the other security headers of Django's `SecurityMiddleware`.
///
/// It builds `Location` only from the host that [`AllowedHosts`](crate::AllowedHosts) validated
/// (or from `ssl_host`): wrap it **before** `AllowedHosts` so that `AllowedHosts` is outside it
/// and runs first, or use [`SecureHosts`](crate::SecureHosts), which gets the order right. If it
/// finds no validated host it answers 400 and logs an error about the order, never a redirect to
/// an unchecked host.
///
/// - Exempt paths ([`RedirectExempt`]) and the health endpoints (by default) are served over
///   plain HTTP, so a load balancer's health check keeps working.
/// - A request is secure if the connection is TLS, or if the configured proxy header (say
///   `X-Forwarded-Proto: https`) comes from a peer in `trusted_proxies`.
/// - GET and HEAD get 301, other methods 308 (so a POST body is not turned into a GET).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::{AllowedHosts, HttpsRedirect};
/// use actix_web::{App, HttpResponse, test, web};
///
/// # actix_web::rt::System::new().block_on(async {
/// let redirect = HttpsRedirect::builder().exempt("^insecure/").build().unwrap();
/// let allowed = AllowedHosts::builder().host("testserver").build().unwrap();
/// let app = test::init_service(
///     App::new()
///         .wrap(redirect) // inner
///         .wrap(allowed)  // outer: runs first
///         .default_service(web::to(HttpResponse::Ok)),
/// )
/// .await;
/// let req = test::TestRequest::get()
///     .uri("/some/url?query=string")
///     .insert_header(("Host", "testserver"))
///     .to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.status(), 301);
/// assert_eq!(res.headers().get("location").unwrap(), "https://testserver/some/url?query=string");
/// # });
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct HttpsRedirect {
    config: Arc<RedirectConfig>,
}

/// Everything compiled once.
#[derive(Debug)]
pub(crate) struct RedirectConfig {
    pub(crate) enabled: bool,
    pub(crate) exempt: RedirectExempt,
    pub(crate) ssl_host: Option<String>,
    pub(crate) ssl_port: Option<u16>,
    pub(crate) redirect_status: StatusCode,
    pub(crate) redirect_status_unsafe: StatusCode,
    pub(crate) proxy_ssl_header: Option<(HeaderName, String)>,
    pub(crate) trusted_proxies: NetSet,
    pub(crate) hsts: Option<HeaderValue>,
    pub(crate) content_type_nosniff: bool,
    pub(crate) referrer_policy: Option<HeaderValue>,
    pub(crate) cross_origin_opener_policy: Option<HeaderValue>,
    pub(crate) limiter: LogLimiter,
}

/// Builds [`HttpsRedirect`]; every value is checked in [`build`](Self::build).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::HttpsRedirect;
///
/// let redirect = HttpsRedirect::builder()
///     .exempts(["^insecure/", "^metrics$"])
///     .proxy_ssl_header("X-Forwarded-Proto", "https")
///     .trusted_proxy("10.0.0.0/8")
///     .hsts_seconds(31_536_000)
///     .hsts_include_subdomains(true)
///     .build();
/// assert!(redirect.is_ok());
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct HttpsRedirectBuilder {
    source: Source,
    enabled: bool,
    exempt: Vec<String>,
    health_paths: HealthPaths,
    exempt_health: bool,
    ssl_host: Option<String>,
    ssl_port: Option<u16>,
    redirect_status: u16,
    redirect_status_unsafe: u16,
    proxy_ssl_header: Option<(String, String)>,
    trusted_proxies: Vec<String>,
    hsts_seconds: u64,
    hsts_include_subdomains: bool,
    hsts_preload: bool,
    content_type_nosniff: bool,
    referrer_policy: Option<String>,
    cross_origin_opener_policy: Option<String>,
}

impl Default for HttpsRedirectBuilder {
    fn default() -> Self {
        Self {
            source: Source::Code,
            enabled: true,
            exempt: Vec::new(),
            health_paths: HealthPaths::default(),
            exempt_health: true,
            ssl_host: None,
            ssl_port: None,
            redirect_status: DEFAULT_REDIRECT_STATUS,
            redirect_status_unsafe: DEFAULT_REDIRECT_STATUS_UNSAFE,
            proxy_ssl_header: None,
            trusted_proxies: Vec::new(),
            hsts_seconds: 0,
            hsts_include_subdomains: false,
            hsts_preload: false,
            content_type_nosniff: true,
            referrer_policy: Some(DEFAULT_POLICY_HEADER.into()),
            cross_origin_opener_policy: Some(DEFAULT_POLICY_HEADER.into()),
        }
    }
}

/// Generates the builder's one-line setters, each with a doc comment and example.
macro_rules! setter {
    ($(#[$doc:meta])* $name:ident: $ty:ty => $field:ident $(= $wrap:expr)?) => {
        $(#[$doc])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$field = setter!(@wrap value $(, $wrap)?);
            self
        }
    };
    (@wrap $value:ident) => { $value };
    (@wrap $value:ident, $wrap:expr) => { $wrap($value) };
}

impl HttpsRedirectBuilder {
    setter! {
        /// Turn the redirect on or off (the headers are added either way). On by default for a
        /// builder; `ssl_redirect` in [`SecureSettings`] is off by default, as in Django.
        ///
        /// # Examples
        ///
        /// ```
        /// use actix_allow_cidr::HttpsRedirect;
        ///
        /// assert!(HttpsRedirect::builder().redirect(false).build().is_ok());
        /// ```
        redirect: bool => enabled
    }

    /// Exempt paths matching this regex (searched in the path without its leading `/`, as
    /// Django's `SECURE_REDIRECT_EXEMPT`).
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// let redirect = HttpsRedirect::builder().exempt("^insecure/").build().unwrap();
    /// assert!(redirect.exemptions().is_exempt("/insecure/x"));
    /// ```
    pub fn exempt(mut self, pattern: impl Into<String>) -> Self {
        self.exempt.push(pattern.into());
        self
    }

    /// Exempt paths matching any of these regexes.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// assert!(HttpsRedirect::builder().exempts(["^a/", "^b/"]).build().is_ok());
    /// ```
    pub fn exempts<I, T>(mut self, patterns: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        self.exempt.extend(patterns.into_iter().map(Into::into));
        self
    }

    setter! {
        /// The health paths that are exempt by default (the defaults are `/healthz`, `/livez`,
        /// `/readyz`); pass [`Health::paths`](crate::health::Health::paths) when they moved.
        ///
        /// # Examples
        ///
        /// ```
        /// use actix_allow_cidr::HttpsRedirect;
        /// use actix_allow_cidr::health::Health;
        ///
        /// let health = Health::builder().healthz_path("/health").build().unwrap();
        /// let redirect = HttpsRedirect::builder().health_paths(health.paths().clone()).build().unwrap();
        /// assert!(redirect.exemptions().is_exempt("/health"));
        /// ```
        health_paths: HealthPaths => health_paths
    }

    setter! {
        /// Whether the health paths are exempt. Default true; turning it off logs a warning at
        /// start-up unless `redirect_exempt` still covers them.
        ///
        /// # Examples
        ///
        /// ```
        /// use actix_allow_cidr::HttpsRedirect;
        ///
        /// let redirect = HttpsRedirect::builder().exempt_health(false).build().unwrap();
        /// assert!(!redirect.exemptions().is_exempt("/healthz"));
        /// ```
        exempt_health: bool => exempt_health
    }

    /// Redirect to this host (Django's `SECURE_SSL_HOST`) instead of the validated request host.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// assert!(HttpsRedirect::builder().ssl_host("secure.example.com").build().is_ok());
    /// assert!(HttpsRedirect::builder().ssl_host("https://secure.example.com").build().is_err());
    /// ```
    pub fn ssl_host(mut self, host: impl Into<String>) -> Self {
        self.ssl_host = Some(host.into());
        self
    }

    setter! {
        /// Redirect to this port instead of the request's (443 is left out of `Location`).
        ///
        /// # Examples
        ///
        /// ```
        /// use actix_allow_cidr::HttpsRedirect;
        ///
        /// assert!(HttpsRedirect::builder().ssl_port(8443).build().is_ok());
        /// ```
        ssl_port: u16 => ssl_port = Some
    }

    /// The status for GET and HEAD. Default 301.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    /// use actix_web::http::StatusCode;
    ///
    /// assert!(HttpsRedirect::builder().redirect_status(StatusCode::FOUND).build().is_ok());
    /// assert!(HttpsRedirect::builder().redirect_status(StatusCode::OK).build().is_err());
    /// ```
    pub fn redirect_status(mut self, status: StatusCode) -> Self {
        self.redirect_status = status.as_u16();
        self
    }

    /// The status for every other method. Default 308, which keeps the method and body.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    /// use actix_web::http::StatusCode;
    ///
    /// let b = HttpsRedirect::builder().redirect_status_unsafe(StatusCode::TEMPORARY_REDIRECT);
    /// assert!(b.build().is_ok());
    /// ```
    pub fn redirect_status_unsafe(mut self, status: StatusCode) -> Self {
        self.redirect_status_unsafe = status.as_u16();
        self
    }

    /// Believe that a request is secure when this header's leftmost element equals `value`
    /// (Django's `SECURE_PROXY_SSL_HEADER`), for peers in `trusted_proxies` only.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// let b = HttpsRedirect::builder().proxy_ssl_header("X-Forwarded-Proto", "https").trusted_proxy("10.0.0.0/8");
    /// assert!(b.build().is_ok());
    /// ```
    pub fn proxy_ssl_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.proxy_ssl_header = Some((name.into(), value.into()));
        self
    }

    /// A proxy whose `proxy_ssl_header` is believed.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// assert!(HttpsRedirect::builder().trusted_proxy("127.0.0.1").build().is_ok());
    /// ```
    pub fn trusted_proxy(mut self, net: impl Into<String>) -> Self {
        self.trusted_proxies.push(net.into());
        self
    }

    /// Proxies whose `proxy_ssl_header` is believed.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// assert!(HttpsRedirect::builder().trusted_proxies(["10.0.0.0/8", "::1"]).build().is_ok());
    /// ```
    pub fn trusted_proxies<I, T>(mut self, nets: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        self.trusted_proxies
            .extend(nets.into_iter().map(Into::into));
        self
    }

    setter! {
        /// `Strict-Transport-Security: max-age=<seconds>` on secure responses; 0 (default) sends none.
        ///
        /// # Examples
        ///
        /// ```
        /// use actix_allow_cidr::HttpsRedirect;
        ///
        /// assert!(HttpsRedirect::builder().hsts_seconds(3600).build().is_ok());
        /// ```
        hsts_seconds: u64 => hsts_seconds
    }

    setter! {
        /// Add `includeSubDomains` to HSTS.
        ///
        /// # Examples
        ///
        /// ```
        /// use actix_allow_cidr::HttpsRedirect;
        ///
        /// assert!(HttpsRedirect::builder().hsts_seconds(60).hsts_include_subdomains(true).build().is_ok());
        /// ```
        hsts_include_subdomains: bool => hsts_include_subdomains
    }

    setter! {
        /// Add `preload` to HSTS.
        ///
        /// # Examples
        ///
        /// ```
        /// use actix_allow_cidr::HttpsRedirect;
        ///
        /// assert!(HttpsRedirect::builder().hsts_seconds(60).hsts_preload(true).build().is_ok());
        /// ```
        hsts_preload: bool => hsts_preload
    }

    setter! {
        /// `X-Content-Type-Options: nosniff` on every response. Default on.
        ///
        /// # Examples
        ///
        /// ```
        /// use actix_allow_cidr::HttpsRedirect;
        ///
        /// assert!(HttpsRedirect::builder().content_type_nosniff(false).build().is_ok());
        /// ```
        content_type_nosniff: bool => content_type_nosniff
    }

    /// `Referrer-Policy` on every response; `None` sends none. Default `same-origin`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// assert!(HttpsRedirect::builder().referrer_policy(Some("no-referrer")).build().is_ok());
    /// ```
    pub fn referrer_policy(mut self, policy: Option<&str>) -> Self {
        self.referrer_policy = policy.map(str::to_owned);
        self
    }

    /// `Cross-Origin-Opener-Policy` on every response; `None` sends none. Default `same-origin`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// assert!(HttpsRedirect::builder().cross_origin_opener_policy(None).build().is_ok());
    /// ```
    pub fn cross_origin_opener_policy(mut self, policy: Option<&str>) -> Self {
        self.cross_origin_opener_policy = policy.map(str::to_owned);
        self
    }

    pub(crate) fn source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// Check every value and compile the exemptions.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] for each bad value: a regex that does not compile, an `ssl_host` that
    /// is not a host, a status that is not a redirect, a bad header name or value, a bad net.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// let err = HttpsRedirect::builder().exempt("(").build().unwrap_err();
    /// assert!(err.to_string().contains("redirect_exempt[0]: invalid regex \"(\""));
    /// ```
    pub fn build(self) -> Result<HttpsRedirect, ConfigError> {
        let health_paths = self.health_paths.clone();
        let config = self.compile()?;
        if config.enabled {
            for (_, path) in health_paths.all() {
                if !config.exempt.is_exempt(path) {
                    tracing::warn!(
                        target: service::LOG_TARGET,
                        "ssl_redirect is on but the health path {path} is not exempt: a load \
                         balancer's plain-HTTP health check will get a redirect, not 200"
                    );
                }
            }
        }
        Ok(HttpsRedirect {
            config: Arc::new(config),
        })
    }

    pub(crate) fn compile(self) -> Result<RedirectConfig, ConfigError> {
        let mut errors = Vec::new();
        let at = |key: &str| -> Box<Location> { Location::new(self.source.clone(), key).into() };
        let invalid = |key: &str, value: String, reason: &str, suggestion: Option<String>| {
            ConfigError::InvalidValue {
                at: at(key),
                value,
                reason: reason.to_owned(),
                suggestion,
            }
        };

        let mut patterns = self.exempt.clone();
        if self.exempt_health {
            // Escaped paths: these always compile, so an error index is always a user's entry.
            patterns.extend(exempt_patterns(&self.health_paths));
        }
        let exempt = RedirectExempt::compile(&patterns, &self.source, "secure.redirect_exempt")
            .unwrap_or_else(|error| {
                errors.push(error);
                RedirectExempt::empty()
            });

        if let Some(host) = &self.ssl_host
            && parse_host(host.as_bytes()).is_err()
        {
            let suggestion = host
                .split_once("://")
                .map(|(_, rest)| rest.trim_end_matches('/').to_owned());
            errors.push(invalid(
                "secure.ssl_host",
                host.clone(),
                "not a host name",
                suggestion,
            ));
        }
        if self.ssl_port == Some(0) {
            errors.push(invalid(
                "secure.ssl_port",
                "0".into(),
                "ports are 1-65535",
                None,
            ));
        }
        let mut status = |key: &str, code: u16| match StatusCode::from_u16(code) {
            Ok(status) if REDIRECT_STATUSES.contains(&code) => status,
            _ => {
                errors.push(invalid(
                    key,
                    code.to_string(),
                    "a redirect status is 301, 302, 303, 307 or 308",
                    None,
                ));
                StatusCode::MOVED_PERMANENTLY
            }
        };
        let redirect_status = status("secure.redirect_status", self.redirect_status);
        let redirect_status_unsafe =
            status("secure.redirect_status_unsafe", self.redirect_status_unsafe);

        let proxy_ssl_header = match &self.proxy_ssl_header {
            None => None,
            Some((name, value)) => match HeaderName::try_from(name.as_str()) {
                Ok(header) if !value.is_empty() => Some((header, value.clone())),
                Ok(_) => {
                    errors.push(invalid(
                        "secure.proxy_ssl_header[1]",
                        value.clone(),
                        "the expected value is empty",
                        Some("https".into()),
                    ));
                    None
                }
                Err(_) => {
                    errors.push(invalid(
                        "secure.proxy_ssl_header[0]",
                        name.clone(),
                        "not a header name",
                        Some("X-Forwarded-Proto".into()),
                    ));
                    None
                }
            },
        };
        let proxies = parse_nets(
            &self.source,
            "trusted_proxies",
            &self.trusted_proxies,
            &mut errors,
        );

        let mut header_value = |key: &str, value: Option<String>| {
            value
                .filter(|v| !v.is_empty())
                .and_then(|v| match HeaderValue::try_from(v.as_str()) {
                    Ok(header) => Some(header),
                    Err(_) => {
                        errors.push(invalid(key, v, "not a valid header value", None));
                        None
                    }
                })
        };
        let hsts = header_value(
            "secure.hsts_seconds",
            rules::hsts_value(
                self.hsts_seconds,
                self.hsts_include_subdomains,
                self.hsts_preload,
            ),
        );
        let referrer_policy = header_value("secure.referrer_policy", self.referrer_policy.clone());
        let cross_origin_opener_policy = header_value(
            "secure.cross_origin_opener_policy",
            self.cross_origin_opener_policy.clone(),
        );

        if let Some(error) = ConfigError::from_list(errors) {
            return Err(error);
        }
        Ok(RedirectConfig {
            enabled: self.enabled,
            exempt,
            ssl_host: self.ssl_host,
            ssl_port: self.ssl_port,
            redirect_status,
            redirect_status_unsafe,
            proxy_ssl_header,
            trusted_proxies: NetSet::new(&proxies),
            hsts,
            content_type_nosniff: self.content_type_nosniff,
            referrer_policy,
            cross_origin_opener_policy,
            limiter: LogLimiter::default(),
        })
    }
}

impl HttpsRedirect {
    /// Start building an `HttpsRedirect`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    ///
    /// let redirect = HttpsRedirect::builder().build().unwrap();
    /// # drop(redirect);
    /// ```
    pub fn builder() -> HttpsRedirectBuilder {
        HttpsRedirectBuilder::default()
    }

    /// The compiled exemptions (health paths included), usable as an actix guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::HttpsRedirect;
    /// use actix_web::{App, HttpResponse, web};
    ///
    /// let redirect = HttpsRedirect::builder().exempt("^insecure/").build().unwrap();
    /// let app = App::new().route(
    ///     "/insecure/{tail:.*}",
    ///     web::get().guard(redirect.exemptions()).to(HttpResponse::Ok),
    /// );
    /// # drop(app);
    /// ```
    #[must_use]
    pub fn exemptions(&self) -> RedirectExempt {
        self.config.exempt.clone()
    }

    pub(crate) fn shared_config(&self) -> Arc<RedirectConfig> {
        Arc::clone(&self.config)
    }
}

/// A route guard that passes only requests to exempt paths.
impl Guard for RedirectExempt {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        self.is_exempt(ctx.head().uri.path())
    }
}

impl<S, B> Transform<S, ServiceRequest> for HttpsRedirect
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = HttpsRedirectMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(HttpsRedirectMiddleware::new(
            service,
            Arc::clone(&self.config),
        )))
    }
}
