//! `AllowedHosts`: the public configuration type, its builder and its `Transform`.

mod service;
mod shared;

use std::sync::Arc;

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode;
use futures_util::future::{Ready, ready};

pub use self::service::AllowedHostsMiddleware;
pub use self::shared::PolicySnapshot;
use self::shared::Shared;
use crate::error::{ConfigError, Location, Source};
use crate::log_limit::LogLimiter;
use crate::nets::NetSet;
use crate::policy::{HostPolicy, PolicyLists, Rule, parse_nets};
use crate::select::RejectReason;

/// The development preset: Django's default `ALLOWED_HOSTS` when `DEBUG` is on.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::{AllowedHosts, DEVELOPMENT_HOSTS};
///
/// let allowed = AllowedHosts::builder().hosts(DEVELOPMENT_HOSTS).build().unwrap();
/// assert!(allowed.check("app.localhost:3000").is_ok());
/// ```
pub const DEVELOPMENT_HOSTS: [&str; 3] = [".localhost", "127.0.0.1", "[::1]"];

/// Statuses a rejection may use.
const REJECT_STATUSES: [u16; 3] = [400, 403, 421];

/// Middleware that accepts a request only if its host is an allowed name or an IP literal inside
/// an allowed CIDR net, and answers every other request with a short, fixed 400.
///
/// Wrap it last (outermost) so it runs before anything else sees the request. On success the
/// normalised host is left in the request extensions as [`ValidatedHost`](crate::ValidatedHost);
/// on refusal the response carries [`HostRejected`](crate::HostRejected) in its extensions.
///
/// The compiled policy is behind an [`Arc`], so cloning this value (actix does, once per worker)
/// is cheap, and [`AllowedHosts::reload`] can swap it while the server runs. Each worker keeps
/// its own reference and notices a reload with one atomic load per request.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::AllowedHosts;
/// use actix_web::{App, HttpResponse, web};
///
/// let allowed = AllowedHosts::builder()
///     .hosts(["www.example.com", ".example.org"])
///     .nets(["10.0.0.0/8", "fd00::/8"])
///     .build()
///     .expect("valid settings");
/// let app = App::new()
///     .wrap(allowed)
///     .route("/", web::get().to(HttpResponse::Ok));
/// # drop(app);
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct AllowedHosts {
    shared: Arc<Shared>,
    limiter: Arc<LogLimiter>,
}

/// Everything a request is checked against; swapped as a whole on reload.
#[derive(Debug)]
pub(crate) struct HostConfig {
    pub(crate) policy: HostPolicy,
    pub(crate) trusted_proxies: NetSet,
    pub(crate) use_x_forwarded_host: bool,
    pub(crate) reject_status: StatusCode,
}

/// Builds an [`AllowedHosts`]; every entry is checked in [`build`](Self::build).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::AllowedHosts;
/// use actix_web::http::StatusCode;
///
/// let allowed = AllowedHosts::builder()
///     .development()
///     .host("www.example.com")
///     .net("10.0.0.0/8")
///     .trusted_proxy("10.0.0.0/8")
///     .use_x_forwarded_host(true)
///     .reject_status(StatusCode::MISDIRECTED_REQUEST)
///     .build();
/// assert!(allowed.is_ok());
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct AllowedHostsBuilder {
    source: Source,
    hosts: Vec<String>,
    nets: Vec<String>,
    trusted_proxies: Vec<String>,
    use_x_forwarded_host: bool,
    reject_status: u16,
}

impl Default for AllowedHostsBuilder {
    fn default() -> Self {
        Self {
            source: Source::Code,
            hosts: Vec::new(),
            nets: Vec::new(),
            trusted_proxies: Vec::new(),
            use_x_forwarded_host: false,
            reject_status: 400,
        }
    }
}

impl AllowedHostsBuilder {
    /// Allow one host pattern: `example.com`, `.example.com` (apex and all subdomains), `*`,
    /// `127.0.0.1` or `[::1]`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// assert!(AllowedHosts::builder().host(".example.com").build().is_ok());
    /// assert!(AllowedHosts::builder().host("*.example.com").build().is_err());
    /// ```
    pub fn host(mut self, pattern: impl Into<String>) -> Self {
        self.hosts.push(pattern.into());
        self
    }

    /// Allow several host patterns.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// assert!(AllowedHosts::builder().hosts(["a.com", "[::1]"]).build().is_ok());
    /// ```
    pub fn hosts<I, T>(mut self, patterns: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        self.hosts.extend(patterns.into_iter().map(Into::into));
        self
    }

    /// Allow every IP-literal host inside one CIDR net (`10.0.0.0/8`, `fd00::/8`, or a bare
    /// address).
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// assert!(AllowedHosts::builder().net("192.168.0.0/16").build().is_ok());
    /// assert!(AllowedHosts::builder().net("192.168.0.1/16").build().is_err());
    /// ```
    pub fn net(mut self, net: impl Into<String>) -> Self {
        self.nets.push(net.into());
        self
    }

    /// Allow several CIDR nets.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// assert!(AllowedHosts::builder().nets(["10.0.0.0/8", "fd00::/8"]).build().is_ok());
    /// ```
    pub fn nets<I, T>(mut self, nets: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<String>,
    {
        self.nets.extend(nets.into_iter().map(Into::into));
        self
    }

    /// Trust forwarded headers from peers inside this net (see
    /// [`use_x_forwarded_host`](Self::use_x_forwarded_host)).
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// assert!(AllowedHosts::builder().host("a.com").trusted_proxy("10.0.0.0/8").build().is_ok());
    /// ```
    pub fn trusted_proxy(mut self, net: impl Into<String>) -> Self {
        self.trusted_proxies.push(net.into());
        self
    }

    /// Trust forwarded headers from peers inside these nets.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let b = AllowedHosts::builder().host("a.com").trusted_proxies(["127.0.0.1", "::1"]);
    /// assert!(b.build().is_ok());
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

    /// Check `X-Forwarded-Host` (or `Forwarded: host=`) instead of `Host`, but only for requests
    /// whose TCP peer is a trusted proxy. Off by default; from any other peer the header is
    /// ignored.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let b = AllowedHosts::builder().host("a.com").trusted_proxy("10.0.0.0/8").use_x_forwarded_host(true);
    /// assert!(b.build().is_ok());
    /// ```
    pub fn use_x_forwarded_host(mut self, enabled: bool) -> Self {
        self.use_x_forwarded_host = enabled;
        self
    }

    /// The status of a rejection: 400 (default), 403 or 421.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    /// use actix_web::http::StatusCode;
    ///
    /// assert!(AllowedHosts::builder().host("a.com").reject_status(StatusCode::FORBIDDEN).build().is_ok());
    /// assert!(AllowedHosts::builder().host("a.com").reject_status(StatusCode::OK).build().is_err());
    /// ```
    pub fn reject_status(mut self, status: StatusCode) -> Self {
        self.reject_status = status.as_u16();
        self
    }

    /// Add the development preset: `.localhost`, `127.0.0.1` and `[::1]`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let allowed = AllowedHosts::builder().development().build().unwrap();
    /// assert!(allowed.explain("api.localhost:8080").is_ok());
    /// assert!(allowed.explain("example.com").is_err());
    /// ```
    pub fn development(self) -> Self {
        self.hosts(DEVELOPMENT_HOSTS)
    }

    /// Name the source of the entries in errors (a settings file, say).
    pub(crate) fn source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    pub(crate) fn reject_status_code(mut self, status: u16) -> Self {
        self.reject_status = status;
        self
    }

    /// Check every entry and compile the policy.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming each bad entry (all of them, in a
    /// [`ConfigError::Multiple`] when there are several), or
    /// [`ConfigError::NothingAllowed`] when no pattern and no net is given.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let err = AllowedHosts::builder().host("example.com:8000").build().unwrap_err();
    /// assert!(err.to_string().contains("did you mean \"example.com\""));
    /// ```
    pub fn build(self) -> Result<AllowedHosts, ConfigError> {
        let config = self.compile()?;
        Ok(AllowedHosts {
            shared: Arc::new(Shared::new(config)),
            limiter: Arc::new(LogLimiter::default()),
        })
    }

    pub(crate) fn compile(&self) -> Result<HostConfig, ConfigError> {
        let mut errors = Vec::new();
        let policy = HostPolicy::compile(PolicyLists {
            source: &self.source,
            hosts: &self.hosts,
            hosts_key: "allowed_hosts",
            nets: &self.nets,
            nets_key: "allowed_cidr_nets",
        })
        .unwrap_or_else(|mut bad| {
            errors.append(&mut bad);
            HostPolicy::default()
        });
        let proxies = parse_nets(
            &self.source,
            "trusted_proxies",
            &self.trusted_proxies,
            &mut errors,
        );
        let reject_status = match StatusCode::from_u16(self.reject_status) {
            Ok(status) if REJECT_STATUSES.contains(&self.reject_status) => status,
            _ => {
                errors.push(ConfigError::InvalidValue {
                    at: Location::new(self.source.clone(), "reject_status").into(),
                    value: self.reject_status.to_string(),
                    reason: "a rejection answers 400, 403 or 421".into(),
                    suggestion: Some("400".into()),
                });
                StatusCode::BAD_REQUEST
            }
        };
        match ConfigError::from_list(errors) {
            Some(error) => Err(error),
            None => Ok(HostConfig {
                policy,
                trusted_proxies: NetSet::new(&proxies),
                use_x_forwarded_host: self.use_x_forwarded_host,
                reject_status,
            }),
        }
    }
}

impl AllowedHosts {
    /// Start building an `AllowedHosts`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let allowed = AllowedHosts::builder().host("example.com").build().unwrap();
    /// # drop(allowed);
    /// ```
    pub fn builder() -> AllowedHostsBuilder {
        AllowedHostsBuilder::default()
    }

    /// Decide a host value the way a request's host is decided, and say which rule allowed it
    /// (for tools and tests; the request path uses a faster route to the same decision).
    ///
    /// # Errors
    ///
    /// The [`RejectReason`] when the host is refused: a syntax error, or not allowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::{AllowedHosts, RejectReason};
    ///
    /// let allowed = AllowedHosts::builder().host("www.example.com").build().unwrap();
    /// assert_eq!(allowed.explain("WWW.example.com:443").unwrap().to_string(), "exact name www.example.com");
    /// assert_eq!(allowed.explain("other.com"), Err(RejectReason::NotAllowed));
    /// ```
    pub fn explain(&self, host: &str) -> Result<Rule, RejectReason> {
        self.snapshot().explain(host)
    }

    /// Decide a host value exactly as the middleware decides a request's host, without
    /// allocating: `Ok` if it is allowed.
    ///
    /// # Errors
    ///
    /// The [`RejectReason`]: a syntax error, or not allowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::{AllowedHosts, RejectReason};
    ///
    /// let allowed = AllowedHosts::builder().net("10.0.0.0/8").build().unwrap();
    /// assert_eq!(allowed.check("10.1.2.3:8000"), Ok(()));
    /// assert_eq!(allowed.check("11.1.2.3"), Err(RejectReason::NotAllowed));
    /// ```
    pub fn check(&self, host: &str) -> Result<(), RejectReason> {
        self.snapshot().check(host)
    }

    /// The policy in force now, for checks outside a request (see [`PolicySnapshot`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let allowed = AllowedHosts::builder().host("a.com").build().unwrap();
    /// assert!(allowed.snapshot().check("a.com").is_ok());
    /// ```
    pub fn snapshot(&self) -> PolicySnapshot {
        PolicySnapshot {
            config: self.shared.load(),
        }
    }

    /// A one-line description of the compiled policy.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let allowed = AllowedHosts::builder().host("a.com").net("10.0.0.0/8").build().unwrap();
    /// assert!(allowed.summary().starts_with("1 exact names, 0 subdomain patterns, 0 addresses, 1 nets"));
    /// ```
    #[must_use]
    pub fn summary(&self) -> String {
        self.snapshot().summary()
    }

    /// Swap in a new configuration while the server runs. Every worker sees the new policy from
    /// its next request; a request in flight finishes with the one it started with; no request
    /// ever sees a half-built policy, because the new one is compiled before the swap.
    ///
    /// A clone of this value (the one passed to `.wrap()`) shares the policy, so keep one clone,
    /// or a [`ReloadHandle`], for reloading.
    ///
    /// # Errors
    ///
    /// The [`ConfigError`] of the new configuration; the old policy then stays in force.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let allowed = AllowedHosts::builder().host("old.example").build().unwrap();
    /// let for_the_app = allowed.clone();
    /// allowed.reload(AllowedHosts::builder().host("new.example")).unwrap();
    /// assert!(for_the_app.explain("new.example").is_ok());
    /// assert!(for_the_app.explain("old.example").is_err());
    /// // A bad configuration is refused and the current one stays.
    /// assert!(allowed.reload(AllowedHosts::builder().host("*.bad")).is_err());
    /// assert!(for_the_app.explain("new.example").is_ok());
    /// ```
    pub fn reload(&self, builder: AllowedHostsBuilder) -> Result<(), ConfigError> {
        self.reload_handle().reload(builder)
    }

    /// A handle that swaps this middleware's policy while the server runs.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::{AllowedHosts, Settings};
    ///
    /// let allowed = AllowedHosts::builder().host("a.example").build().unwrap();
    /// let handle = allowed.reload_handle();
    /// let newer = Settings::from_toml_str("allowed_hosts = [\"b.example\"]").unwrap();
    /// handle.reload_settings(&newer).unwrap();
    /// assert!(allowed.check("b.example").is_ok());
    /// ```
    pub fn reload_handle(&self) -> ReloadHandle {
        ReloadHandle {
            shared: Arc::clone(&self.shared),
        }
    }
}

/// Swaps the policy of an [`AllowedHosts`] (and of every worker's copy) atomically.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::AllowedHosts;
///
/// let allowed = AllowedHosts::builder().host("a.example").build().unwrap();
/// let handle = allowed.reload_handle();
/// std::thread::spawn(move || {
///     handle.reload(AllowedHosts::builder().host("b.example")).unwrap();
/// })
/// .join()
/// .unwrap();
/// assert!(allowed.check("b.example").is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct ReloadHandle {
    shared: Arc<Shared>,
}

impl ReloadHandle {
    /// Compile `builder` and swap it in.
    ///
    /// # Errors
    ///
    /// The [`ConfigError`] of the new configuration; the old policy then stays in force.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let allowed = AllowedHosts::builder().host("a.example").build().unwrap();
    /// assert!(allowed.reload_handle().reload(AllowedHosts::builder()).is_err(), "nothing allowed");
    /// assert!(allowed.check("a.example").is_ok());
    /// ```
    pub fn reload(&self, builder: AllowedHostsBuilder) -> Result<(), ConfigError> {
        let config = builder.compile()?;
        self.shared.store(config);
        Ok(())
    }

    /// Compile the host settings of `settings` (hosts, nets, proxies, forwarding, status) and swap
    /// them in. The `[secure]` and `[health]` sections are not reloaded: they need a restart.
    ///
    /// # Errors
    ///
    /// The [`ConfigError`] of the new settings, located in their file; the old policy stays.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::{AllowedHosts, Settings};
    ///
    /// let allowed = AllowedHosts::builder().host("a.example").build().unwrap();
    /// let settings = Settings::from_toml_str("allowed_cidr_nets = [\"10.0.0.0/8\"]").unwrap();
    /// allowed.reload_handle().reload_settings(&settings).unwrap();
    /// assert!(allowed.check("10.1.2.3").is_ok());
    /// assert!(allowed.check("a.example").is_err());
    /// ```
    pub fn reload_settings(&self, settings: &crate::Settings) -> Result<(), ConfigError> {
        self.reload(settings.host_builder())
            .map_err(|error| settings.origin.locate(error))
    }

    /// The policy in force now.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let allowed = AllowedHosts::builder().host("a.example").build().unwrap();
    /// assert!(allowed.reload_handle().snapshot().check("a.example").is_ok());
    /// ```
    pub fn snapshot(&self) -> PolicySnapshot {
        PolicySnapshot {
            config: self.shared.load(),
        }
    }
}

impl AllowedHosts {
    /// The per-worker service around `service`.
    pub(crate) fn middleware<S>(&self, service: S) -> AllowedHostsMiddleware<S> {
        AllowedHostsMiddleware::new(service, Arc::clone(&self.shared), Arc::clone(&self.limiter))
    }
}

impl<S, B> Transform<S, ServiceRequest> for AllowedHosts
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = AllowedHostsMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(self.middleware(service)))
    }
}
