//! The example server: `cargo run --example server`.
//!
//! Serves on 127.0.0.1:8080 with the settings embedded from `examples/settings.toml`.
//! Flags: `--settings FILE`, `--bind ADDR:PORT`, `--workers N`. A bad settings file prints the
//! error and exits with status 2 before anything is bound.

use std::process::ExitCode;

use actix_allow_cidr::{AllowedHosts, Settings};
use actix_web::{App, HttpResponse, HttpServer, web};

const EMBEDDED_SETTINGS: &str = include_str!("settings.toml");

/// Command-line options.
struct Options {
    settings: Option<String>,
    bind: String,
    workers: usize,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        settings: None,
        bind: "127.0.0.1:8080".to_owned(),
        workers: 2,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--settings" => options.settings = Some(value()?),
            "--bind" => options.bind = value()?,
            "--workers" => {
                options.workers = value()?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("--workers needs a positive number")?;
            }
            "--help" | "-h" => {
                return Err(
                    "usage: server [--settings FILE] [--bind ADDR:PORT] [--workers N]".to_owned(),
                );
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    Ok(options)
}

fn load_settings(options: &Options) -> Result<(Settings, AllowedHosts), String> {
    let settings = match &options.settings {
        Some(path) => Settings::from_path(path),
        None => Settings::from_toml_str(EMBEDDED_SETTINGS),
    };
    let settings = settings
        .and_then(|s| s.with_env(""))
        .map_err(|e| e.to_string())?;
    let allowed = settings.allowed_hosts().map_err(|e| e.to_string())?;
    Ok((settings, allowed))
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let (_settings, allowed) = match load_settings(&options) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("error: invalid settings: {message}");
            return ExitCode::from(2);
        }
    };
    tracing::info!("allowed hosts: {}", allowed.summary());

    match actix_web::rt::System::new().block_on(serve(&options, allowed)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: &Options, allowed: AllowedHosts) -> std::io::Result<()> {
    let server = HttpServer::new(move || {
        App::new().wrap(allowed.clone()).route(
            "/",
            web::get().to(|| async { HttpResponse::Ok().body("ok") }),
        )
    })
    .workers(options.workers)
    .bind(&options.bind)?;
    for addr in server.addrs() {
        // Tests and scripts read this line to find the port.
        println!("listening on http://{addr}");
    }
    server.run().await
}
