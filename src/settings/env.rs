//! Environment overrides: `ALLOWED_HOSTS` and `ALLOWED_CIDR_NETS` (optionally prefixed) replace
//! the lists from the file. Precedence: defaults < file < environment.

use super::Settings;
use crate::error::{ConfigError, Location, Source};

/// The lists that the environment can replace, by variable suffix.
const LISTS: [&str; 2] = ["ALLOWED_HOSTS", "ALLOWED_CIDR_NETS"];

impl Settings {
    /// Replace `allowed_hosts` and `allowed_cidr_nets` with the comma-separated values of the
    /// environment variables `{prefix}ALLOWED_HOSTS` and `{prefix}ALLOWED_CIDR_NETS`, when they
    /// are set, and validate again. Spaces around entries are trimmed; empty entries are refused.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the variable and the entry's index when a value is not valid.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// // With no such variables set, the file's lists stay.
    /// let settings = Settings::from_toml_str("allowed_hosts = [\"a.com\"]").unwrap();
    /// let settings = settings.with_env("EXAMPLE_NOT_SET_").unwrap();
    /// assert_eq!(settings.allowed_hosts, ["a.com"]);
    /// ```
    pub fn with_env(self, prefix: &str) -> Result<Self, ConfigError> {
        self.with_env_from(prefix, |name| match std::env::var(name) {
            Ok(value) => Some(Ok(value)),
            Err(std::env::VarError::NotPresent) => None,
            Err(std::env::VarError::NotUnicode(_)) => Some(Err("not valid UTF-8")),
        })
    }

    /// [`with_env`](Self::with_env) with the variables read through `lookup` (for tests, or for
    /// another source of variables). `lookup` answers `None` for an unset variable.
    ///
    /// # Errors
    ///
    /// As for [`with_env`](Self::with_env).
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// let settings = Settings::from_toml_str("allowed_hosts = [\"a.com\"]").unwrap();
    /// let settings = settings
    ///     .with_env_from("APP_", |name| (name == "APP_ALLOWED_HOSTS").then(|| Ok("b.com, .c.com".to_owned())))
    ///     .unwrap();
    /// assert_eq!(settings.allowed_hosts, ["b.com", ".c.com"]);
    /// ```
    pub fn with_env_from(
        mut self,
        prefix: &str,
        lookup: impl Fn(&str) -> Option<Result<String, &'static str>>,
    ) -> Result<Self, ConfigError> {
        let mut errors = Vec::new();
        for suffix in LISTS {
            let name = format!("{prefix}{suffix}");
            let Some(value) = lookup(&name) else {
                continue;
            };
            let source = Source::Env(name.clone());
            let value = match value {
                Ok(value) => value,
                Err(reason) => {
                    errors.push(ConfigError::InvalidValue {
                        at: Location::new(source, "").into(),
                        value: String::new(),
                        reason: reason.to_owned(),
                        suggestion: None,
                    });
                    continue;
                }
            };
            let key = suffix.to_ascii_lowercase();
            let entries: Vec<String> = value.split(',').map(|e| e.trim().to_owned()).collect();
            for (index, entry) in entries.iter().enumerate() {
                if entry.is_empty() {
                    errors.push(ConfigError::InvalidValue {
                        at: Location::entry(&source, &key, index).into(),
                        value: value.clone(),
                        reason: "empty entry in a comma-separated list".into(),
                        suggestion: None,
                    });
                }
            }
            match suffix {
                "ALLOWED_HOSTS" => self.allowed_hosts = entries,
                _ => self.allowed_cidr_nets = entries,
            }
            self.origin.set_override(&key, source);
        }
        if let Some(error) = ConfigError::from_list(errors) {
            return Err(error);
        }
        self.validate()?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(
        vars: &'a [(&'a str, &'a str)],
    ) -> impl Fn(&str) -> Option<Result<String, &'static str>> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| Ok(v.to_string()))
        }
    }

    fn file() -> Settings {
        Settings::from_toml_str(
            "allowed_hosts = [\"file.example\"]\nallowed_cidr_nets = [\"10.0.0.0/8\"]",
        )
        .unwrap()
    }

    #[test]
    fn precedence_defaults_file_env() {
        assert_eq!(Settings::default().allowed_hosts, Vec::<String>::new());
        let from_file = file();
        assert_eq!(from_file.allowed_hosts, ["file.example"]);
        let from_env = file()
            .with_env_from("", env(&[("ALLOWED_HOSTS", " env.example , .env.org ")]))
            .unwrap();
        assert_eq!(from_env.allowed_hosts, ["env.example", ".env.org"]);
        assert_eq!(
            from_env.allowed_cidr_nets,
            ["10.0.0.0/8"],
            "unset variable keeps the file's list"
        );
    }

    #[test]
    fn prefix_is_required_when_given() {
        let vars = [
            ("ALLOWED_HOSTS", "plain.example"),
            ("APP_ALLOWED_CIDR_NETS", "192.168.0.0/16"),
        ];
        let settings = file().with_env_from("APP_", env(&vars)).unwrap();
        assert_eq!(settings.allowed_hosts, ["file.example"]);
        assert_eq!(settings.allowed_cidr_nets, ["192.168.0.0/16"]);
    }

    #[test]
    fn errors_name_the_variable_and_entry() {
        let err = file()
            .with_env_from("", env(&[("ALLOWED_CIDR_NETS", "10.0.0.0/8, 10.0.0.1/8")]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable ALLOWED_CIDR_NETS: allowed_cidr_nets[1]: invalid net \"10.0.0.1/8\": host bits are set (did you mean \"10.0.0.0/8\"?)"
        );
        let err = file()
            .with_env_from("", env(&[("ALLOWED_HOSTS", "a.com,,b.com")]))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("environment variable ALLOWED_HOSTS: allowed_hosts[1]: invalid value"),
            "{err}"
        );
    }
}
