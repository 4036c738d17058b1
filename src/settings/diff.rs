//! What changed between two `Settings`, for reload logs.

use std::fmt::Debug;

use super::Settings;

impl Settings {
    /// One line per change from `old` to these settings: list entries added (`+`) and removed
    /// (`-`), scalar values changed, and sections that changed but are not reloaded.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::Settings;
    ///
    /// let old = Settings::from_toml_str("allowed_hosts = [\"a.com\", \"b.com\"]").unwrap();
    /// let new = Settings::from_toml_str("allowed_hosts = [\"b.com\", \"c.com\"]\nreject_status = 421").unwrap();
    /// assert_eq!(
    ///     new.changes_since(&old),
    ///     ["allowed_hosts: + c.com", "allowed_hosts: - a.com", "reject_status: 400 -> 421"]
    /// );
    /// ```
    #[must_use]
    pub fn changes_since(&self, old: &Settings) -> Vec<String> {
        let mut changes = Vec::new();
        list(
            &mut changes,
            "allowed_hosts",
            &old.allowed_hosts,
            &self.allowed_hosts,
        );
        list(
            &mut changes,
            "allowed_cidr_nets",
            &old.allowed_cidr_nets,
            &self.allowed_cidr_nets,
        );
        list(
            &mut changes,
            "trusted_proxies",
            &old.trusted_proxies,
            &self.trusted_proxies,
        );
        scalar(
            &mut changes,
            "development",
            &old.development,
            &self.development,
        );
        scalar(
            &mut changes,
            "use_x_forwarded_host",
            &old.use_x_forwarded_host,
            &self.use_x_forwarded_host,
        );
        scalar(
            &mut changes,
            "reject_status",
            &old.reject_status,
            &self.reject_status,
        );
        if old.secure != self.secure {
            changes.push("[secure] changed: not reloaded, restart to apply".to_owned());
        }
        if old.health != self.health {
            changes.push("[health] changed: not reloaded, restart to apply".to_owned());
        }
        changes
    }
}

fn list(changes: &mut Vec<String>, key: &str, old: &[String], new: &[String]) {
    changes.extend(
        new.iter()
            .filter(|entry| !old.contains(entry))
            .map(|entry| format!("{key}: + {entry}")),
    );
    changes.extend(
        old.iter()
            .filter(|entry| !new.contains(entry))
            .map(|entry| format!("{key}: - {entry}")),
    );
}

fn scalar<T: PartialEq + Debug>(changes: &mut Vec<String>, key: &str, old: &T, new: &T) {
    if old != new {
        changes.push(format!("{key}: {old:?} -> {new:?}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_flagged_not_reloaded() {
        let old = Settings::from_toml_str("development = true").unwrap();
        let new = Settings::from_toml_str(
            "development = true\nallowed_cidr_nets = [\"10.0.0.0/8\"]\n[secure]\nssl_redirect = true\n[health]\ncache_ms = 5",
        )
        .unwrap();
        assert_eq!(
            new.changes_since(&old),
            [
                "allowed_cidr_nets: + 10.0.0.0/8",
                "[secure] changed: not reloaded, restart to apply",
                "[health] changed: not reloaded, restart to apply"
            ]
        );
        assert!(new.changes_since(&new).is_empty());
    }
}
