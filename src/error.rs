//! Configuration errors that name where the bad entry came from, what it is, why it is refused,
//! and what was probably meant.

use std::fmt;
use std::path::PathBuf;

/// Where a setting came from.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::Source;
///
/// assert_eq!(Source::Env("ALLOWED_HOSTS".into()).to_string(), "environment variable ALLOWED_HOSTS");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Source {
    /// Given in code, through a builder.
    Code,
    /// A settings file.
    File(PathBuf),
    /// Settings text without a file name (`Settings::from_toml_str`).
    Text,
    /// An environment variable.
    Env(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Code => f.write_str("builder"),
            Source::File(path) => write!(f, "{}", path.display()),
            Source::Text => f.write_str("settings"),
            Source::Env(name) => write!(f, "environment variable {name}"),
        }
    }
}

/// Where an offending value is: its source, the line and column where the format gives them,
/// and the key path (`secure.redirect_exempt[2]`).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::{Location, Source};
///
/// let at = Location::new(Source::File("app.toml".into()), "allowed_cidr_nets[1]").with_line_col(3, 5);
/// assert_eq!(at.to_string(), "app.toml:3:5: allowed_cidr_nets[1]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, environment variable, or builder.
    pub source: Source,
    /// The key path, with list indexes.
    pub key: String,
    /// 1-based line and column, where known.
    pub line_col: Option<(usize, usize)>,
}

impl Location {
    /// A location without line and column.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::{Location, Source};
    ///
    /// assert_eq!(Location::new(Source::Code, "allowed_hosts[0]").to_string(), "builder: allowed_hosts[0]");
    /// ```
    #[must_use]
    pub fn new(source: Source, key: impl Into<String>) -> Self {
        Self {
            source,
            key: key.into(),
            line_col: None,
        }
    }

    /// The same location with a 1-based line and column.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::{Location, Source};
    ///
    /// let at = Location::new(Source::Text, "allowed_hosts").with_line_col(1, 1);
    /// assert_eq!(at.line_col, Some((1, 1)));
    /// ```
    #[must_use]
    pub fn with_line_col(mut self, line: usize, column: usize) -> Self {
        self.line_col = Some((line, column));
        self
    }

    pub(crate) fn entry(source: &Source, list: &str, index: usize) -> Self {
        Self::new(source.clone(), format!("{list}[{index}]"))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some((line, column)) = self.line_col {
            write!(f, ":{line}:{column}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        Ok(())
    }
}

/// A configuration that cannot be used, found when it is built (never per request).
///
/// Every variant says where the value came from ([`Location`]), the value, why it is refused
/// and, where there is one, the value that was probably meant. [`ConfigError::Multiple`]
/// reports every problem of one file at once.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::{AllowedHosts, ConfigError};
///
/// let err = AllowedHosts::builder().net("10.0.0.1/8").build().unwrap_err();
/// assert!(matches!(err, ConfigError::InvalidNet { .. }));
/// assert_eq!(
///     err.to_string(),
///     "builder: allowed_cidr_nets[0]: invalid net \"10.0.0.1/8\": host bits are set (did you mean \"10.0.0.0/8\"?)"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// An `allowed_hosts` entry breaks the pattern rules.
    #[error("{at}: invalid host pattern {value:?}: {reason}{}", hint(suggestion))]
    InvalidHostPattern {
        /// Where it is.
        at: Box<Location>,
        /// The entry as given.
        value: String,
        /// Why it is refused.
        reason: String,
        /// The entry that was probably meant.
        suggestion: Option<String>,
    },
    /// A CIDR entry (`allowed_cidr_nets`, `trusted_proxies`) is not a valid net.
    #[error("{at}: invalid net {value:?}: {reason}{}", hint(suggestion))]
    InvalidNet {
        /// Where it is.
        at: Box<Location>,
        /// The entry as given.
        value: String,
        /// Why it is refused.
        reason: String,
        /// The net that was probably meant.
        suggestion: Option<String>,
    },
    /// A regular expression does not compile.
    #[error("{at}: invalid regex {value:?}: {reason}")]
    InvalidRegex {
        /// Where it is.
        at: Box<Location>,
        /// The pattern as given.
        value: String,
        /// The regex compiler's message.
        reason: String,
    },
    /// Any other value out of its allowed range (a status code, a header name, a duration).
    #[error("{at}: invalid value {value:?}: {reason}{}", hint(suggestion))]
    InvalidValue {
        /// Where it is.
        at: Box<Location>,
        /// The value as given.
        value: String,
        /// Why it is refused.
        reason: String,
        /// A value that would be accepted.
        suggestion: Option<String>,
    },
    /// A key the settings do not know.
    #[error("{at}: unknown key {key:?}{}", hint(suggestion))]
    UnknownKey {
        /// Where it is.
        at: Box<Location>,
        /// The unknown key.
        key: String,
        /// The nearest known key.
        suggestion: Option<String>,
    },
    /// The settings text is not valid in its format, or a value has the wrong type.
    #[error("{at}: {message}")]
    Parse {
        /// Where it is, as precisely as the format tells.
        at: Box<Location>,
        /// The parser's message.
        message: String,
    },
    /// Neither a host pattern nor a net is allowed, so every request would be refused.
    #[error(
        "{origin}: nothing is allowed: give allowed_hosts or allowed_cidr_nets (or use the development preset)"
    )]
    NothingAllowed {
        /// The settings that allow nothing.
        origin: Source,
    },
    /// A settings file cannot be read.
    #[error("{}: cannot read settings: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        error: std::io::Error,
    },
    /// Several problems, all reported together.
    #[error("{} problems in the settings:\n{}", .0.len(), list(.0))]
    Multiple(Vec<ConfigError>),
}

impl ConfigError {
    /// Each single problem, with [`ConfigError::Multiple`] flattened.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let err = AllowedHosts::builder().host("*.a.com").net("10.0.0.1/8").build().unwrap_err();
    /// assert_eq!(err.problems().count(), 2);
    /// ```
    pub fn problems(&self) -> Box<dyn Iterator<Item = &ConfigError> + '_> {
        match self {
            ConfigError::Multiple(all) => Box::new(all.iter().flat_map(ConfigError::problems)),
            single => Box::new(std::iter::once(single)),
        }
    }

    /// Where the problem is, for the variants that point at one value.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let err = AllowedHosts::builder().host("ok.com").host("::1").build().unwrap_err();
    /// assert_eq!(err.location().unwrap().key, "allowed_hosts[1]");
    /// ```
    #[must_use]
    pub fn location(&self) -> Option<&Location> {
        match self {
            ConfigError::InvalidHostPattern { at, .. }
            | ConfigError::InvalidNet { at, .. }
            | ConfigError::InvalidRegex { at, .. }
            | ConfigError::InvalidValue { at, .. }
            | ConfigError::UnknownKey { at, .. }
            | ConfigError::Parse { at, .. } => Some(at),
            _ => None,
        }
    }

    pub(crate) fn location_mut(&mut self) -> Option<&mut Location> {
        match self {
            ConfigError::InvalidHostPattern { at, .. }
            | ConfigError::InvalidNet { at, .. }
            | ConfigError::InvalidRegex { at, .. }
            | ConfigError::InvalidValue { at, .. }
            | ConfigError::UnknownKey { at, .. }
            | ConfigError::Parse { at, .. } => Some(at),
            _ => None,
        }
    }

    /// Each single problem, owned, with [`ConfigError::Multiple`] flattened.
    pub(crate) fn into_problems(self) -> Vec<ConfigError> {
        match self {
            ConfigError::Multiple(all) => all.into_iter().flat_map(Self::into_problems).collect(),
            single => vec![single],
        }
    }

    /// One error from a list of them: the single one, or `Multiple`.
    pub(crate) fn from_list(mut errors: Vec<ConfigError>) -> Option<ConfigError> {
        match errors.len() {
            0 => None,
            1 => errors.pop(),
            _ => Some(ConfigError::Multiple(errors)),
        }
    }
}

fn hint(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean {s:?}?)"))
        .unwrap_or_default()
}

fn list(errors: &[ConfigError]) -> String {
    errors
        .iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiple_lists_every_problem() {
        let one = ConfigError::UnknownKey {
            at: Location::new(Source::Text, "allowed_host")
                .with_line_col(1, 1)
                .into(),
            key: "allowed_host".into(),
            suggestion: Some("allowed_hosts".into()),
        };
        let two = ConfigError::NothingAllowed {
            origin: Source::Text,
        };
        let all = ConfigError::Multiple(vec![one, two]);
        let text = all.to_string();
        assert!(text.starts_with("2 problems in the settings:\n"), "{text}");
        assert!(
            text.contains(
                "settings:1:1: allowed_host: unknown key \"allowed_host\" (did you mean \"allowed_hosts\"?)"
            ),
            "{text}"
        );
        assert_eq!(all.problems().count(), 2);
    }
}
