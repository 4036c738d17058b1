//! Loading settings: every field, file errors with line and column, several errors at once.

mod common;

use std::path::PathBuf;

use actix_allow_cidr::{ConfigError, Settings};

/// A settings file in a fresh temporary directory, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "actix-allow-cidr-test-{}-{}",
            std::process::id(),
            name.replace('.', "-")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

const FULL_TOML: &str = r#"
allowed_hosts = ["www.example.com", ".example.org"]
allowed_cidr_nets = ["10.0.0.0/8", "fd00::/8"]
development = true
trusted_proxies = ["10.0.0.0/8"]
use_x_forwarded_host = true
reject_status = 421

[secure]
ssl_redirect = true
redirect_exempt = ["^insecure/", "^metrics$"]
exempt_health = false
ssl_host = "secure.example.com"
ssl_port = 8443
redirect_status = 302
redirect_status_unsafe = 307
proxy_ssl_header = ["X-Forwarded-Proto", "https"]
hsts_seconds = 31536000
hsts_include_subdomains = true
hsts_preload = true
content_type_nosniff = false
referrer_policy = "no-referrer"
cross_origin_opener_policy = "same-origin-allow-popups"

[health]
healthz_path = "/health"
livez_path = "/alive"
readyz_path = "/ready"
check_timeout_ms = 250
cache_ms = 0
"#;

#[test]
fn every_field_from_toml() {
    let s = Settings::from_toml_str(FULL_TOML).unwrap();
    assert_eq!(s.allowed_hosts, ["www.example.com", ".example.org"]);
    assert_eq!(s.allowed_cidr_nets, ["10.0.0.0/8", "fd00::/8"]);
    assert!(s.development);
    assert_eq!(s.trusted_proxies, ["10.0.0.0/8"]);
    assert!(s.use_x_forwarded_host);
    assert_eq!(s.reject_status, 421);
    let secure = &s.secure;
    assert!(secure.ssl_redirect && !secure.exempt_health);
    assert_eq!(secure.redirect_exempt, ["^insecure/", "^metrics$"]);
    assert_eq!(secure.ssl_host.as_deref(), Some("secure.example.com"));
    assert_eq!(secure.ssl_port, Some(8443));
    assert_eq!(
        (secure.redirect_status, secure.redirect_status_unsafe),
        (302, 307)
    );
    assert_eq!(
        secure.proxy_ssl_header,
        Some(("X-Forwarded-Proto".to_owned(), "https".to_owned()))
    );
    assert_eq!(secure.hsts_seconds, 31_536_000);
    assert!(secure.hsts_include_subdomains && secure.hsts_preload && !secure.content_type_nosniff);
    assert_eq!(secure.referrer_policy, "no-referrer");
    assert_eq!(
        secure.cross_origin_opener_policy,
        "same-origin-allow-popups"
    );
    let health = &s.health;
    assert_eq!(
        (
            health.healthz_path.as_str(),
            health.livez_path.as_str(),
            health.readyz_path.as_str()
        ),
        ("/health", "/alive", "/ready")
    );
    assert_eq!((health.check_timeout_ms, health.cache_ms), (250, 0));
    // And it round-trips through serde.
    let again = Settings::from_toml_str(&toml::to_string(&s).unwrap()).unwrap();
    assert_eq!(again, s);
}

#[cfg(feature = "json")]
#[test]
fn every_field_from_json_round_trips() {
    let s = Settings::from_toml_str(FULL_TOML).unwrap();
    let json = serde_json::to_string_pretty(&s).unwrap();
    let file = TempFile::new("settings.json", &json);
    assert_eq!(Settings::from_path(&file.0).unwrap(), s);
}

#[cfg(feature = "json")]
#[test]
fn json_errors_name_file_line_and_key() {
    let file = TempFile::new("bad.json", "{\n  \"allowed_host\": [\"a.com\"]\n}");
    let err = Settings::from_path(&file.0).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}:2:", file.0.display())),
        "{text}"
    );
    assert!(text.contains("did you mean \"allowed_hosts\""), "{text}");
    let file = TempFile::new("bad2.json", "{\"allowed_cidr_nets\": [\"10.0.0.1/8\"]}");
    let err = Settings::from_path(&file.0).unwrap_err();
    assert_eq!(err.location().unwrap().key, "allowed_cidr_nets[0]");
    assert_eq!(
        err.location().unwrap().source,
        actix_allow_cidr::Source::File(file.0.clone())
    );
}

#[test]
fn bad_net_names_file_line_column_key_value_and_fix() {
    let file = TempFile::new(
        "nets.toml",
        "allowed_hosts = [\"a.com\"]\nallowed_cidr_nets = [\n  \"10.0.0.0/8\",\n  \"10.0.0.1/8\",\n]\n",
    );
    let err = Settings::from_path(&file.0).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:4:3: allowed_cidr_nets[1]: invalid net \"10.0.0.1/8\": host bits are set (did you mean \"10.0.0.0/8\"?)",
            file.0.display()
        )
    );
}

#[test]
fn each_class_of_bad_entry() {
    let cases = [
        (
            "allowed_hosts = [\"example.com:8000\"]",
            "allowed_hosts[0]",
            "example.com",
        ),
        (
            "allowed_hosts = [\"*.example.com\"]",
            "allowed_hosts[0]",
            ".example.com",
        ),
        ("allowed_hosts = [\"::1\"]", "allowed_hosts[0]", "[::1]"),
        (
            "allowed_hosts = [\"https://a.com/\"]",
            "allowed_hosts[0]",
            "a.com",
        ),
        (
            "allowed_cidr_nets = [\"10.0.0.0/33\"]",
            "allowed_cidr_nets[0]",
            "",
        ),
        (
            "allowed_hosts = [\"a.com\"]\ntrusted_proxies = [\"junk\"]",
            "trusted_proxies[0]",
            "",
        ),
        (
            "allowed_hosts = [\"a.com\"]\nreject_status = 200",
            "reject_status",
            "400",
        ),
    ];
    for (text, key, suggestion) in cases {
        let err = Settings::from_toml_str(text).unwrap_err();
        let at = err.location().unwrap_or_else(|| panic!("{err}"));
        assert_eq!(at.key, key, "{text}");
        assert!(at.line_col.is_some(), "{text}: {err}");
        if !suggestion.is_empty() {
            assert!(
                err.to_string()
                    .contains(&format!("did you mean \"{suggestion}\"")),
                "{err}"
            );
        }
    }
}

#[test]
fn unknown_keys_are_all_reported_with_suggestions() {
    let err = Settings::from_toml_str("allowed_host = [\"a\"]\nallowed_cidr_net = []\nzzz = 1\n")
        .unwrap_err();
    let problems: Vec<&ConfigError> = err.problems().collect();
    assert_eq!(problems.len(), 3, "{err}");
    let text = err.to_string();
    assert!(text.contains("settings:1:1: allowed_host: unknown key \"allowed_host\" (did you mean \"allowed_hosts\"?)"), "{text}");
    assert!(text.contains("settings:2:1: allowed_cidr_net: unknown key \"allowed_cidr_net\" (did you mean \"allowed_cidr_nets\"?)"), "{text}");
    assert!(
        text.contains("settings:3:1: zzz: unknown key \"zzz\"\n")
            || text.ends_with("unknown key \"zzz\""),
        "{text}"
    );
}

#[test]
fn unknown_keys_and_bad_entries_are_reported_together() {
    let err = Settings::from_toml_str(
        "allowed_hosts = [\"*.a.com\"]\nallowed_cidr_net = []\n[secure]\nssl_redirekt = true\n",
    )
    .unwrap_err();
    let keys: Vec<String> = err
        .problems()
        .map(|p| p.location().unwrap().key.clone())
        .collect();
    assert_eq!(
        keys,
        [
            "allowed_cidr_net",
            "secure.ssl_redirekt",
            "allowed_hosts[0]"
        ]
    );
    assert!(
        err.to_string()
            .contains("did you mean \"secure.ssl_redirect\""),
        "{err}"
    );
    assert!(
        err.to_string().contains("settings:1:18: allowed_hosts[0]"),
        "{err}"
    );
}

#[test]
fn wrong_type_names_the_key_and_position() {
    let err = Settings::from_toml_str("allowed_hosts = \"a.com\"").unwrap_err();
    let at = err.location().unwrap();
    assert_eq!(at.key, "allowed_hosts");
    assert_eq!(at.line_col, Some((1, 17)));
    assert!(matches!(err, ConfigError::Parse { .. }));
    let err = Settings::from_toml_str("allowed_hosts = [\"a\"]\nuse_x_forwarded_host = \"yes\"")
        .unwrap_err();
    assert_eq!(err.location().unwrap().key, "use_x_forwarded_host");
    assert_eq!(err.location().unwrap().line_col.unwrap().0, 2);
}

#[test]
fn syntax_error_has_line_and_column() {
    let err = Settings::from_toml_str("allowed_hosts = [\"a.com\"\n").unwrap_err();
    assert!(matches!(err, ConfigError::Parse { .. }), "{err}");
    assert!(err.location().unwrap().line_col.is_some());
}

#[test]
fn several_bad_entries_reported_together() {
    let err = Settings::from_toml_str(
        "allowed_hosts = [\"ok.com\", \"*.a.com\", \"b.com:80\"]\nallowed_cidr_nets = [\"10.0.0.1/8\"]",
    )
    .unwrap_err();
    assert_eq!(
        common::problem_keys(&err),
        [
            "allowed_hosts[1]@Some((1, 28))",
            "allowed_hosts[2]@Some((1, 39))",
            "allowed_cidr_nets[0]@Some((2, 22))"
        ]
    );
}

#[test]
fn unreadable_file_and_unknown_extension() {
    let err = Settings::from_path("/definitely/not/here.toml").unwrap_err();
    assert!(matches!(err, ConfigError::Read { .. }));
    let file = TempFile::new("settings.ini", "x");
    let err = Settings::from_path(&file.0).unwrap_err();
    assert!(
        err.to_string().contains("unknown settings file extension"),
        "{err}"
    );
}

#[test]
fn embedded_example_settings_are_valid() {
    let settings = Settings::from_toml_str(include_str!("../examples/settings.toml")).unwrap();
    let allowed = settings.allowed_hosts().unwrap();
    for host in [
        "localhost:8080",
        "10.1.2.3:8000",
        "[fd00::1]",
        "www.example.com",
    ] {
        assert!(allowed.explain(host).is_ok(), "{host}");
    }
}

#[test]
fn every_settings_example_in_the_readme_is_valid() {
    let readme = include_str!("../README.md");
    let blocks: Vec<&str> = readme
        .split("```toml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(blocks.len() >= 2, "the README shows settings files");
    for block in blocks {
        if let Err(err) = Settings::from_toml_str(block) {
            panic!("README settings example is invalid: {err}\n{block}");
        }
    }
}
