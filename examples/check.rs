//! The operator's check tool: which rule allows a host, or why it is rejected.
//!
//! ```text
//! cargo run --example check -- --settings FILE [--env-prefix P] [HOST...]
//! ```
//!
//! For each HOST it prints `allowed` with the rule that decided, or `rejected` with the reason,
//! and exits with status 1 if any host is rejected. With no HOST it validates the file and prints
//! a summary of the compiled policy. Without `--settings` it reads the example server's embedded
//! settings. Invalid settings print every problem and exit with status 2.

use std::path::PathBuf;
use std::process::ExitCode;

use actix_allow_cidr::{ConfigError, Settings};

const EMBEDDED_SETTINGS: &str = include_str!("settings.toml");
const USAGE: &str = "usage: check [--settings FILE] [--env-prefix PREFIX] [HOST...]";

struct Options {
    settings: Option<PathBuf>,
    env_prefix: Option<String>,
    hosts: Vec<String>,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        settings: None,
        env_prefix: None,
        hosts: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--settings" => options.settings = Some(args.next().ok_or(USAGE)?.into()),
            "--env-prefix" => options.env_prefix = Some(args.next().ok_or(USAGE)?),
            "--help" | "-h" => return Err(USAGE.to_owned()),
            "--" => options.hosts.extend(args.by_ref()),
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}\n{USAGE}")),
            host => options.hosts.push(host.to_owned()),
        }
    }
    Ok(options)
}

fn load(options: &Options) -> Result<Settings, ConfigError> {
    let settings = match &options.settings {
        Some(path) => Settings::from_path(path)?,
        None => Settings::from_toml_str(EMBEDDED_SETTINGS)?,
    };
    match &options.env_prefix {
        Some(prefix) => settings.with_env(prefix),
        None => Ok(settings),
    }
}

fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let source = options.settings.as_ref().map_or_else(
        || "embedded example settings".to_owned(),
        |p| p.display().to_string(),
    );
    let checked = load(&options).and_then(|settings| {
        let allowed = settings.allowed_hosts()?;
        let redirect = settings.https_redirect()?;
        // The [health] section is checked too; the tool does not serve it.
        let _health = settings.health()?.build()?;
        Ok((settings, allowed, redirect))
    });
    let (settings, allowed, redirect) = match checked {
        Ok(checked) => checked,
        Err(error) => {
            eprintln!("invalid settings: {error}");
            return ExitCode::from(2);
        }
    };

    if options.hosts.is_empty() {
        println!("settings OK: {source}");
        println!("  hosts: {}", allowed.summary());
        println!(
            "  https redirect: {}",
            if settings.secure.ssl_redirect {
                "on"
            } else {
                "off"
            }
        );
        for (name, path) in [
            ("healthz", &settings.health.healthz_path),
            ("livez", &settings.health.livez_path),
            ("readyz", &settings.health.readyz_path),
        ] {
            let exempt = redirect.exemptions().is_exempt(path);
            println!(
                "  {name}: {path}{}",
                if exempt {
                    " (exempt from the redirect)"
                } else {
                    ""
                }
            );
        }
        return ExitCode::SUCCESS;
    }

    let mut all_allowed = true;
    for host in &options.hosts {
        match allowed.explain(host) {
            Ok(rule) => println!("allowed   {host}  ({rule})"),
            Err(reason) => {
                all_allowed = false;
                println!("rejected  {host}  ({reason})");
            }
        }
    }
    if all_allowed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
