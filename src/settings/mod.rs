//! `Settings`: one serde struct for every option, loaded from a file and the environment and
//! validated once at start-up.

mod diff;
mod env;
mod locate;
mod toml_load;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub(crate) use self::locate::Origin;
use crate::allowed_hosts::{AllowedHosts, AllowedHostsBuilder};
use crate::error::{ConfigError, Source};
use crate::health::{HealthBuilder, HealthSettings};
use crate::redirect::{HttpsRedirect, HttpsRedirectBuilder, SecureSettings};
use crate::secure_hosts::SecureHosts;

/// Every option of the crate, as an operator writes it in a settings file.
///
/// Works with any serde format (`deny_unknown_fields` everywhere, every field defaulted);
/// [`Settings::from_path`] reads TOML, and JSON with the `json` feature, and gives errors with
/// the file, line, column, key and entry.
///
/// | key | default | meaning |
/// | --- | --- | --- |
/// | `allowed_hosts` | `[]` | host patterns: `example.com`, `.example.com`, `*`, `127.0.0.1`, `[::1]` |
/// | `allowed_cidr_nets` | `[]` | CIDR nets whose IP-literal hosts are allowed |
/// | `development` | `false` | also allow `.localhost`, `127.0.0.1`, `[::1]` |
/// | `trusted_proxies` | `[]` | CIDR nets of proxies whose forwarded headers are believed |
/// | `use_x_forwarded_host` | `false` | check `X-Forwarded-Host` from trusted proxies instead of `Host` |
/// | `reject_status` | `400` | status of a rejection: 400, 403 or 421 |
/// | `[secure]` | | [`SecureSettings`]: the HTTPS redirect and security headers |
/// | `[health]` | | [`HealthSettings`]: paths, `check_timeout_ms` (1000), `cache_ms` (1000) |
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::Settings;
///
/// let settings = Settings::from_toml_str(r#"
///     allowed_hosts = ["www.example.com", ".example.org"]
///     allowed_cidr_nets = ["10.0.0.0/8", "fd00::/8"]
/// "#).unwrap();
/// let allowed = settings.allowed_hosts().unwrap();
/// assert!(allowed.explain("10.1.2.3:8000").is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Settings {
    /// Host patterns (Django's `ALLOWED_HOSTS`).
    pub allowed_hosts: Vec<String>,
    /// CIDR nets whose IP-literal hosts are allowed (django-allow-cidr's `ALLOWED_CIDR_NETS`).
    pub allowed_cidr_nets: Vec<String>,
    /// Also allow the development preset: `.localhost`, `127.0.0.1`, `[::1]`.
    pub development: bool,
    /// CIDR nets of the proxies whose forwarded headers are believed.
    pub trusted_proxies: Vec<String>,
    /// Check `X-Forwarded-Host` instead of `Host`, for requests from `trusted_proxies` only.
    pub use_x_forwarded_host: bool,
    /// Status of a rejection: 400, 403 or 421.
    pub reject_status: u16,
    /// The HTTPS redirect and security headers.
    pub secure: SecureSettings,
    /// The health endpoints.
    pub health: HealthSettings,
    /// Where these settings came from, for error messages (not a setting).
    #[serde(skip)]
    pub(crate) origin: Origin,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            allowed_hosts: Vec::new(),
            allowed_cidr_nets: Vec::new(),
            development: false,
            trusted_proxies: Vec::new(),
            use_x_forwarded_host: false,
            reject_status: 400,
            secure: SecureSettings::default(),
            health: HealthSettings::default(),
            origin: Origin::default(),
        }
    }
}

/// Every key a settings file may hold, for the unknown-key check and its suggestions.
pub(crate) const KNOWN_KEYS: &[&str] = &[
    "allowed_hosts",
    "allowed_cidr_nets",
    "development",
    "trusted_proxies",
    "use_x_forwarded_host",
    "reject_status",
    "secure",
    "secure.ssl_redirect",
    "secure.redirect_exempt",
    "secure.exempt_health",
    "secure.ssl_host",
    "secure.ssl_port",
    "secure.redirect_status",
    "secure.redirect_status_unsafe",
    "secure.proxy_ssl_header",
    "secure.hsts_seconds",
    "secure.hsts_include_subdomains",
    "secure.hsts_preload",
    "secure.content_type_nosniff",
    "secure.referrer_policy",
    "secure.cross_origin_opener_policy",
    "health",
    "health.healthz_path",
    "health.livez_path",
    "health.readyz_path",
    "health.check_timeout_ms",
    "health.cache_ms",
];

impl Settings {
    /// Parse TOML settings text and validate it.
    ///
    /// # Errors
    ///
    /// Every problem in the text, with line, column, key and entry (see [`ConfigError`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// let err = Settings::from_toml_str("allowed_cidr_nets = [\"10.0.0.1/8\"]").unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "settings:1:22: allowed_cidr_nets[0]: invalid net \"10.0.0.1/8\": host bits are set (did you mean \"10.0.0.0/8\"?)"
    /// );
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        Self::from_toml_source(text, Source::Text)
    }

    /// Read a settings file: TOML for `.toml`, JSON for `.json` (feature `json`). The settings
    /// are validated; every problem is reported at once with the file, line, column, key and
    /// entry.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`]: the file cannot be read, its extension is unknown, or its content is
    /// not valid.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// let err = Settings::from_path("/no/such/settings.toml").unwrap_err();
    /// assert!(err.to_string().starts_with("/no/such/settings.toml: cannot read settings"));
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.to_owned(),
            error,
        })?;
        let source = Source::File(path.to_owned());
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => Self::from_toml_source(&text, source),
            #[cfg(feature = "json")]
            Some("json") => Self::from_json_source(&text, source),
            other => Err(ConfigError::InvalidValue {
                at: crate::error::Location::new(source, "").into(),
                value: other.unwrap_or_default().to_owned(),
                reason: format!(
                    "unknown settings file extension; use {}",
                    if cfg!(feature = "json") {
                        ".toml or .json"
                    } else {
                        ".toml (or enable the json feature)"
                    }
                ),
                suggestion: None,
            }),
        }
    }

    fn from_toml_source(text: &str, source: Source) -> Result<Self, ConfigError> {
        let settings = toml_load::parse(text, &source)?;
        settings.validate()?;
        Ok(settings)
    }

    #[cfg(feature = "json")]
    fn from_json_source(text: &str, source: Source) -> Result<Self, ConfigError> {
        let mut settings: Settings = serde_json::from_str(text).map_err(|error| {
            let message = error.to_string();
            let at = crate::error::Location::new(source.clone(), "")
                .with_line_col(error.line(), error.column());
            locate::unknown_key_error(&message, at.clone()).unwrap_or(ConfigError::Parse {
                at: at.into(),
                message,
            })
        })?;
        settings.origin = Origin::new(source);
        settings.validate()?;
        Ok(settings)
    }

    /// Check every section, reporting every problem together.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] (a [`ConfigError::Multiple`] when there are several problems).
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// let mut settings = Settings::default();
    /// settings.allowed_hosts = vec!["*.example.com".into(), "::1".into()];
    /// assert_eq!(settings.validate().unwrap_err().problems().count(), 2);
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut errors: Vec<ConfigError> =
            self.host_builder().compile().err().into_iter().collect();
        errors.extend(self.health_builder().problems());
        errors.extend(self.redirect_builder().compile().err());
        // `trusted_proxies` serves both middlewares: report each bad entry once.
        let mut seen = std::collections::HashSet::new();
        let unique = errors
            .into_iter()
            .flat_map(ConfigError::into_problems)
            .filter(|problem| seen.insert(problem.to_string()))
            .collect();
        self.origin.result(unique)
    }

    /// Compile the host check: the [`AllowedHosts`] middleware.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming each bad entry, with its line and column when the settings
    /// came from a TOML file.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// let settings = Settings::from_toml_str("development = true").unwrap();
    /// assert!(settings.allowed_hosts().unwrap().explain("[::1]:8080").is_ok());
    /// ```
    pub fn allowed_hosts(&self) -> Result<AllowedHosts, ConfigError> {
        self.host_builder()
            .build()
            .map_err(|e| self.origin.locate(e))
    }

    /// The health endpoints of the `[health]` section, as a builder to which the app adds its
    /// readiness checks.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] for a bad path or a zero timeout, with its line and column.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// let settings = Settings::from_toml_str("development = true").unwrap();
    /// let health = settings
    ///     .health()
    ///     .unwrap()
    ///     .check("db", || async { Ok::<(), String>(()) })
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(health.paths().healthz, "/healthz");
    /// ```
    pub fn health(&self) -> Result<HealthBuilder, ConfigError> {
        self.origin.result(self.health_builder().problems())?;
        Ok(self.health_builder())
    }

    /// The HTTPS redirect of the `[secure]` section (with `trusted_proxies`, and the `[health]`
    /// paths exempt unless `exempt_health = false`).
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming each bad value of the section.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// let settings = Settings::from_toml_str("development = true\n[secure]\nssl_redirect = true").unwrap();
    /// let redirect = settings.https_redirect().unwrap();
    /// assert!(redirect.exemptions().is_exempt("/healthz"));
    /// ```
    pub fn https_redirect(&self) -> Result<HttpsRedirect, ConfigError> {
        self.redirect_builder()
            .build()
            .map_err(|e| self.origin.locate(e))
    }

    /// [`AllowedHosts`] and [`HttpsRedirect`] together, in the right order, for one `.wrap()`.
    ///
    /// # Errors
    ///
    /// Every [`ConfigError`] of both.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// let settings = Settings::from_toml_str("development = true").unwrap();
    /// let secure = settings.secure_hosts().unwrap();
    /// # drop(secure);
    /// ```
    pub fn secure_hosts(&self) -> Result<SecureHosts, ConfigError> {
        Ok(SecureHosts::new(
            self.allowed_hosts()?,
            self.https_redirect()?,
        ))
    }

    fn redirect_builder(&self) -> HttpsRedirectBuilder {
        self.secure.builder(
            self.origin.source.clone(),
            self.health.paths(),
            &self.trusted_proxies,
        )
    }

    fn health_builder(&self) -> HealthBuilder {
        self.health.builder(self.origin.source.clone())
    }

    /// The builder these settings describe (used for reloads too).
    pub(crate) fn host_builder(&self) -> AllowedHostsBuilder {
        let mut hosts = self.allowed_hosts.clone();
        if self.development {
            hosts.extend(crate::DEVELOPMENT_HOSTS.map(String::from));
        }
        AllowedHosts::builder()
            .source(self.origin.source.clone())
            .hosts(hosts)
            .nets(self.allowed_cidr_nets.iter().cloned())
            .trusted_proxies(self.trusted_proxies.iter().cloned())
            .use_x_forwarded_host(self.use_x_forwarded_host)
            .reject_status_code(self.reject_status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_match_the_struct() {
        // Every optional field set, so that serialization shows every key.
        let mut full = Settings::default();
        full.secure.ssl_host = Some("a.com".into());
        full.secure.ssl_port = Some(8443);
        full.secure.proxy_ssl_header = Some(("X-Forwarded-Proto".into(), "https".into()));
        let value = toml::Value::try_from(full).unwrap();
        let mut from_struct: Vec<String> = Vec::new();
        if let toml::Value::Table(table) = value {
            for (key, value) in table {
                if let toml::Value::Table(inner) = value {
                    from_struct.extend(inner.keys().map(|k| format!("{key}.{k}")));
                }
                from_struct.push(key);
            }
        }
        from_struct.sort();
        let mut known: Vec<String> = KNOWN_KEYS.iter().map(|k| k.to_string()).collect();
        known.sort();
        assert_eq!(from_struct, known);
    }

    #[test]
    fn defaults() {
        let settings = Settings::from_toml_str("allowed_hosts = [\"a.com\"]").unwrap();
        assert_eq!(settings.reject_status, 400);
        assert!(!settings.use_x_forwarded_host);
        assert!(!settings.development);
        assert!(settings.allowed_cidr_nets.is_empty());
    }

    #[test]
    fn development_alone_is_enough() {
        let allowed = Settings::from_toml_str("development = true")
            .unwrap()
            .allowed_hosts()
            .unwrap();
        for host in ["localhost", "subdomain.localhost", "127.0.0.1", "[::1]"] {
            assert!(allowed.explain(host).is_ok(), "{host}");
        }
        assert!(allowed.explain("example.com").is_err());
    }

    #[test]
    fn nothing_allowed_fails_at_load() {
        let err = Settings::from_toml_str("").unwrap_err();
        assert!(matches!(err, ConfigError::NothingAllowed { .. }), "{err}");
    }
}
