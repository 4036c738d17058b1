//! Health endpoints for load balancers and Kubernetes: `/healthz`, `/livez` and `/readyz`,
//! mounted in one call.
//!
//! # Examples
//!
//! ```
//! use actix_allow_cidr::health::Health;
//! use actix_web::App;
//!
//! let health = Health::builder()
//!     .check("db", || async { Ok::<(), String>(()) })
//!     .build()
//!     .unwrap();
//! let app = App::new().configure(|cfg| health.mount(cfg));
//! # drop(app);
//! ```
//!
//! - **Liveness** (`/livez`) answers `200 ok` while the process serves.
//! - **Readiness** (`/readyz`) runs the registered checks concurrently, each under its own
//!   timeout (default 1 s); a timed-out or panicking check is a failure. It fails with 503 once
//!   a graceful shutdown has begun ([`ShutdownHandle`]), so the balancer drains the instance.
//! - **`/healthz`** follows readiness, as a load balancer's health check needs.
//!
//! `?verbose` lists `[+]name ok` / `[-]name failed`; reasons go to the log, never to the body.
//! `?exclude=<name>` (repeatable) skips a check, `/readyz/<name>` answers for one check (404 for
//! an unknown name), and `Accept: application/health+json` returns the IETF draft format.
//! Every response carries `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`.
//!
//! Results are cached for `cache_for` (default 1 s), and probes that arrive while a run is in
//! flight share it, so many probers do not multiply the load on the checked dependencies.

mod handlers;
mod report;
mod runner;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actix_web::web::ServiceConfig;
use futures_util::FutureExt;
use serde::{Deserialize, Serialize};

pub use self::report::CheckOutcome;
use self::runner::{Check, Runner};
use crate::error::{ConfigError, Location, Source};

/// The paths the health endpoints are mounted on.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::health::HealthPaths;
///
/// assert_eq!(HealthPaths::default().readyz, "/readyz");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct HealthPaths {
    /// Follows readiness (for load balancers). Default `/healthz`.
    pub healthz: String,
    /// Liveness. Default `/livez`.
    pub livez: String,
    /// Readiness; `{readyz}/<check>` answers for one check. Default `/readyz`.
    pub readyz: String,
}

impl Default for HealthPaths {
    fn default() -> Self {
        Self {
            healthz: "/healthz".into(),
            livez: "/livez".into(),
            readyz: "/readyz".into(),
        }
    }
}

impl HealthPaths {
    pub(crate) fn all(&self) -> [(&'static str, &str); 3] {
        [
            ("healthz", &self.healthz),
            ("livez", &self.livez),
            ("readyz", &self.readyz),
        ]
    }
}

/// The health endpoints, ready to mount with [`Health::mount`].
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::health::Health;
/// use actix_web::{App, test};
///
/// # actix_web::rt::System::new().block_on(async {
/// let health = Health::builder()
///     .check("db", || async { Ok::<(), String>(()) })
///     .build()
///     .unwrap();
/// let app = test::init_service(App::new().configure(|cfg| health.mount(cfg))).await;
/// let res = test::call_service(&app, test::TestRequest::get().uri("/readyz").to_request()).await;
/// assert_eq!(res.status(), 200);
/// assert_eq!(test::read_body(res).await, "ok\n");
/// # });
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Health {
    inner: Arc<HealthInner>,
}

#[derive(Debug)]
struct HealthInner {
    paths: HealthPaths,
    runner: Arc<Runner>,
    draining: Arc<AtomicBool>,
}

/// Builds [`Health`]; checked in [`build`](Self::build).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::health::{CheckOutcome, Health};
/// use std::time::Duration;
///
/// let health = Health::builder()
///     .timeout(Duration::from_millis(500))
///     .cache_for(Duration::from_secs(2))
///     .check("db", || async { Ok::<(), std::io::Error>(()) })
///     .check_with_timeout("cache", Duration::from_millis(100), || async { CheckOutcome::Warn("cold".into()) })
///     .readyz_path("/ready")
///     .build();
/// assert!(health.is_ok());
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct HealthBuilder {
    source: Source,
    paths: HealthPaths,
    checks: Vec<Check>,
    timeout: Duration,
    cache_for: Duration,
}

impl Default for HealthBuilder {
    fn default() -> Self {
        Self {
            source: Source::Code,
            paths: HealthPaths::default(),
            checks: Vec::new(),
            timeout: Duration::from_secs(1),
            cache_for: Duration::from_secs(1),
        }
    }
}

impl HealthBuilder {
    /// Register a readiness check: `run` returns a future whose output converts into a
    /// [`CheckOutcome`] (`Result<(), E: Display>` does). It runs under the default timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// let health = Health::builder()
    ///     .check("config-file", || async {
    ///         std::fs::metadata("/etc/hostname").map(|_| ())
    ///     })
    ///     .build()
    ///     .unwrap();
    /// # drop(health);
    /// ```
    pub fn check<F, Fut, O>(self, name: impl Into<String>, run: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = O> + Send + 'static,
        O: Into<CheckOutcome> + 'static,
    {
        self.add_check(name.into(), None, run)
    }

    /// Register a readiness check with its own timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    /// use std::time::Duration;
    ///
    /// let health = Health::builder()
    ///     .check_with_timeout("slow", Duration::from_secs(3), || async { Ok::<(), String>(()) })
    ///     .build();
    /// assert!(health.is_ok());
    /// ```
    pub fn check_with_timeout<F, Fut, O>(
        self,
        name: impl Into<String>,
        timeout: Duration,
        run: F,
    ) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = O> + Send + 'static,
        O: Into<CheckOutcome> + 'static,
    {
        self.add_check(name.into(), Some(timeout), run)
    }

    fn add_check<F, Fut, O>(mut self, name: String, timeout: Option<Duration>, run: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = O> + Send + 'static,
        O: Into<CheckOutcome> + 'static,
    {
        self.checks.push(Check {
            name,
            timeout,
            run: Arc::new(move || run().map(Into::into).boxed()),
        });
        self
    }

    /// The timeout of checks registered without their own. Default 1 s.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    /// use std::time::Duration;
    ///
    /// assert!(Health::builder().timeout(Duration::ZERO).build().is_err());
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long a readiness result is reused. Default 1 s; `Duration::ZERO` runs the checks for
    /// every probe (probes that arrive during a run still share it).
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    /// use std::time::Duration;
    ///
    /// assert!(Health::builder().cache_for(Duration::ZERO).build().is_ok());
    /// ```
    pub fn cache_for(mut self, cache_for: Duration) -> Self {
        self.cache_for = cache_for;
        self
    }

    /// Mount `/healthz` elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// let health = Health::builder().healthz_path("/health").build().unwrap();
    /// assert_eq!(health.paths().healthz, "/health");
    /// ```
    pub fn healthz_path(mut self, path: impl Into<String>) -> Self {
        self.paths.healthz = path.into();
        self
    }

    /// Mount `/livez` elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// assert!(Health::builder().livez_path("live").build().is_err(), "paths start with /");
    /// ```
    pub fn livez_path(mut self, path: impl Into<String>) -> Self {
        self.paths.livez = path.into();
        self
    }

    /// Mount `/readyz` elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// assert!(Health::builder().readyz_path("/ready").build().is_ok());
    /// ```
    pub fn readyz_path(mut self, path: impl Into<String>) -> Self {
        self.paths.readyz = path.into();
        self
    }

    /// Set all three paths.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::{Health, HealthPaths};
    ///
    /// assert!(Health::builder().paths(HealthPaths::default()).build().is_ok());
    /// ```
    pub fn paths(mut self, paths: HealthPaths) -> Self {
        self.paths = paths;
        self
    }

    pub(crate) fn source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// Check the paths, names and durations.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] for a path that does not start with `/` or is used twice, a check name
    /// that is empty, repeated, or not made of `A-Z a-z 0-9 - _ .`, or a zero timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// let twice = Health::builder()
    ///     .check("db", || async { Ok::<(), String>(()) })
    ///     .check("db", || async { Ok::<(), String>(()) })
    ///     .build();
    /// assert!(twice.unwrap_err().to_string().contains("health.checks[1]"));
    /// ```
    pub fn build(self) -> Result<Health, ConfigError> {
        ConfigError::from_list(self.problems()).map_or(Ok(()), Err)?;
        let timeout = self.timeout;
        let checks = self
            .checks
            .into_iter()
            .map(|check| Check {
                timeout: Some(check.timeout.unwrap_or(timeout)),
                ..check
            })
            .collect();
        Ok(Health {
            inner: Arc::new(HealthInner {
                paths: self.paths,
                runner: Arc::new(Runner::new(checks, self.cache_for)),
                draining: Arc::new(AtomicBool::new(false)),
            }),
        })
    }

    pub(crate) fn problems(&self) -> Vec<ConfigError> {
        let invalid = |key: String, value: String, reason: &str| ConfigError::InvalidValue {
            at: Location::new(self.source.clone(), key).into(),
            value,
            reason: reason.to_owned(),
            suggestion: None,
        };
        let mut problems = Vec::new();
        let paths = self.paths.all();
        for (index, (key, path)) in paths.iter().enumerate() {
            let key = format!("health.{key}_path");
            if !path.starts_with('/') || path.len() < 2 || path.ends_with('/') {
                problems.push(invalid(
                    key,
                    (*path).to_owned(),
                    "a path starts with '/', and is not '/' or ending in '/'",
                ));
            } else if paths[..index].iter().any(|(_, other)| other == path) {
                problems.push(invalid(
                    key,
                    (*path).to_owned(),
                    "this path is already used",
                ));
            }
        }
        for (index, check) in self.checks.iter().enumerate() {
            let key = format!("health.checks[{index}]");
            let valid_name = !check.name.is_empty()
                && check
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
            if !valid_name {
                problems.push(invalid(
                    key,
                    check.name.clone(),
                    "a check name is made of A-Z a-z 0-9 - _ .",
                ));
            } else if self.checks[..index].iter().any(|c| c.name == check.name) {
                problems.push(invalid(
                    key,
                    check.name.clone(),
                    "this check name is already used",
                ));
            } else if check.timeout == Some(Duration::ZERO) {
                problems.push(invalid(
                    key,
                    check.name.clone(),
                    "a check timeout must be above zero",
                ));
            }
        }
        if self.timeout.is_zero() {
            problems.push(invalid(
                "health.check_timeout_ms".into(),
                "0".into(),
                "the timeout must be above zero",
            ));
        }
        problems
    }
}

impl Health {
    /// Start building the health endpoints.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// let health = Health::builder().build().unwrap();
    /// # drop(health);
    /// ```
    pub fn builder() -> HealthBuilder {
        HealthBuilder::default()
    }

    /// Mount `GET` and `HEAD` for the three endpoints (and `{readyz}/<check>`), on an `App`
    /// (`App::new().configure(|cfg| health.mount(cfg))`) or a `web::scope`.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    /// use actix_web::{App, web};
    ///
    /// let health = Health::builder().build().unwrap();
    /// let app = App::new().service(web::scope("/ops").configure(|cfg| health.mount(cfg)));
    /// # drop(app);
    /// ```
    pub fn mount(&self, config: &mut ServiceConfig) {
        handlers::mount(self, config);
    }

    /// The mounted paths.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// assert_eq!(Health::builder().build().unwrap().paths().livez, "/livez");
    /// ```
    #[must_use]
    pub fn paths(&self) -> &HealthPaths {
        &self.inner.paths
    }

    /// `redirect_exempt` regexes (Django's syntax: matched against the path without its leading
    /// `/`) that cover these endpoints, so [`HttpsRedirect`](crate::HttpsRedirect) keeps them
    /// answering over plain HTTP.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// let patterns = Health::builder().build().unwrap().exempt_patterns();
    /// assert_eq!(patterns, ["^healthz$", "^livez$", "^readyz(/[^/]*)?$"]);
    /// ```
    #[must_use]
    pub fn exempt_patterns(&self) -> Vec<String> {
        exempt_patterns(&self.inner.paths)
    }

    /// A handle that turns readiness to failing when a graceful shutdown begins.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// let health = Health::builder().build().unwrap();
    /// let shutdown = health.shutdown_handle();
    /// shutdown.start_draining();
    /// assert!(shutdown.is_draining());
    /// ```
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            draining: Arc::clone(&self.inner.draining),
        }
    }

    fn runner(&self) -> &Arc<Runner> {
        &self.inner.runner
    }

    fn is_draining(&self) -> bool {
        self.inner.draining.load(Ordering::Acquire)
    }
}

/// The exemption regexes for a set of health paths.
pub(crate) fn exempt_patterns(paths: &HealthPaths) -> Vec<String> {
    let bare = |path: &str| regex::escape(path.trim_start_matches('/'));
    vec![
        format!("^{}$", bare(&paths.healthz)),
        format!("^{}$", bare(&paths.livez)),
        format!("^{}(/[^/]*)?$", bare(&paths.readyz)),
    ]
}

/// Flips readiness to failing (503) for a graceful shutdown, so the load balancer drains the
/// instance while in-flight requests finish. Liveness is not affected.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::health::Health;
///
/// let health = Health::builder().build().unwrap();
/// let shutdown = health.shutdown_handle();
/// // in a signal handler:
/// shutdown.start_draining();
/// ```
#[derive(Debug, Clone)]
pub struct ShutdownHandle {
    draining: Arc<AtomicBool>,
}

impl ShutdownHandle {
    /// From now on readiness (and `/healthz`) answer 503.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// Health::builder().build().unwrap().shutdown_handle().start_draining();
    /// ```
    pub fn start_draining(&self) {
        self.draining.store(true, Ordering::Release);
    }

    /// Whether draining has begun.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::Health;
    ///
    /// assert!(!Health::builder().build().unwrap().shutdown_handle().is_draining());
    /// ```
    #[must_use]
    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }
}

/// The `[health]` section of [`Settings`](crate::Settings).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::Settings;
///
/// let settings = Settings::from_toml_str(r#"
///     development = true
///     [health]
///     readyz_path = "/ready"
///     check_timeout_ms = 500
///     cache_ms = 0
/// "#).unwrap();
/// assert_eq!(settings.health.readyz_path, "/ready");
/// assert!(settings.health().unwrap().build().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct HealthSettings {
    /// Default `/healthz`.
    pub healthz_path: String,
    /// Default `/livez`.
    pub livez_path: String,
    /// Default `/readyz`.
    pub readyz_path: String,
    /// Timeout of each readiness check, in milliseconds. Default 1000.
    pub check_timeout_ms: u64,
    /// How long a readiness result is reused, in milliseconds. Default 1000.
    pub cache_ms: u64,
}

impl Default for HealthSettings {
    fn default() -> Self {
        let paths = HealthPaths::default();
        Self {
            healthz_path: paths.healthz,
            livez_path: paths.livez,
            readyz_path: paths.readyz,
            check_timeout_ms: 1000,
            cache_ms: 1000,
        }
    }
}

impl HealthSettings {
    /// The paths of this section.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::HealthSettings;
    ///
    /// assert_eq!(HealthSettings::default().paths().healthz, "/healthz");
    /// ```
    #[must_use]
    pub fn paths(&self) -> HealthPaths {
        HealthPaths {
            healthz: self.healthz_path.clone(),
            livez: self.livez_path.clone(),
            readyz: self.readyz_path.clone(),
        }
    }

    pub(crate) fn builder(&self, source: Source) -> HealthBuilder {
        Health::builder()
            .source(source)
            .paths(self.paths())
            .timeout(Duration::from_millis(self.check_timeout_ms))
            .cache_for(Duration::from_millis(self.cache_ms))
    }
}
