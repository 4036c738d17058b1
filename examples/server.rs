//! The example server: `cargo run --example server`.
//!
//! Serves on 127.0.0.1:8080 with the settings embedded from `examples/settings.toml`.
//! Flags: `--settings FILE`, `--bind ADDR:PORT`, `--workers N`, `--ready-file FILE` (a readiness
//! check that fails while FILE is missing), `--drain-seconds N` (how long readiness fails before
//! the server stops, after SIGTERM or Ctrl-C). A bad settings file prints the error and exits
//! with status 2 before anything is bound.
//!
//! Routes: `GET /` answers `ok`; `GET /slow?ms=N` answers after N ms (at most 10 s), to watch a
//! request finish during a graceful shutdown; `/healthz`, `/livez`, `/readyz` are the health
//! endpoints.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use actix_allow_cidr::health::{Health, ShutdownHandle};
use actix_allow_cidr::{SecureHosts, Settings};
use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

const EMBEDDED_SETTINGS: &str = include_str!("settings.toml");

/// Command-line options.
struct Options {
    settings: Option<String>,
    bind: String,
    workers: usize,
    ready_file: Option<PathBuf>,
    drain: Duration,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        settings: None,
        bind: "127.0.0.1:8080".to_owned(),
        workers: 2,
        ready_file: None,
        drain: Duration::from_secs(5),
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
            "--ready-file" => options.ready_file = Some(value()?.into()),
            "--drain-seconds" => {
                let seconds: u64 = value()?
                    .parse()
                    .map_err(|_| "--drain-seconds needs a whole number")?;
                options.drain = Duration::from_secs(seconds);
            }
            "--help" | "-h" => {
                return Err(
                    "usage: server [--settings FILE] [--bind ADDR:PORT] [--workers N] \
                     [--ready-file FILE] [--drain-seconds N]"
                        .to_owned(),
                );
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    Ok(options)
}

/// Everything the app is built from.
struct Loaded {
    secure: SecureHosts,
    health: Health,
}

fn load_settings(options: &Options) -> Result<Loaded, String> {
    let settings = match &options.settings {
        Some(path) => Settings::from_path(path),
        None => Settings::from_toml_str(EMBEDDED_SETTINGS),
    };
    let settings = settings
        .and_then(|s| s.with_env(""))
        .map_err(|e| e.to_string())?;
    // AllowedHosts and HttpsRedirect in one wrap, in the right order.
    let secure = settings.secure_hosts().map_err(|e| e.to_string())?;
    let mut health = settings.health().map_err(|e| e.to_string())?;
    if let Some(path) = options.ready_file.clone() {
        // The sample readiness check: ready while the file exists.
        health = health.check("ready-file", move || {
            let path = path.clone();
            async move {
                std::fs::metadata(&path)
                    .map(|_| ())
                    .map_err(|e| format!("{}: {e}", path.display()))
            }
        });
    }
    let health = health.build().map_err(|e| e.to_string())?;
    Ok(Loaded { secure, health })
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
    let loaded = match load_settings(&options) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("error: invalid settings: {message}");
            return ExitCode::from(2);
        }
    };
    tracing::info!("allowed hosts: {}", loaded.secure.allowed_hosts().summary());

    match actix_web::rt::System::new().block_on(serve(&options, loaded)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: &Options, loaded: Loaded) -> std::io::Result<()> {
    let Loaded { secure, health } = loaded;
    let shutdown = health.shutdown_handle();
    let server = HttpServer::new(move || {
        App::new()
            .wrap(secure.clone())
            .configure(|cfg| health.mount(cfg))
            .route(
                "/",
                web::get().to(|| async { HttpResponse::Ok().body("ok") }),
            )
            .route("/slow", web::get().to(slow))
    })
    .workers(options.workers)
    // Signals are handled below: readiness must fail before the server stops.
    .disable_signals()
    .shutdown_timeout(30)
    .bind(&options.bind)?;
    for addr in server.addrs() {
        // Tests and scripts read this line to find the port.
        println!("listening on http://{addr}");
    }
    let server = server.run();
    actix_web::rt::spawn(drain_on_signal(server.handle(), shutdown, options.drain));
    server.await
}

/// `GET /slow?ms=N`: answers after N milliseconds (at most 10 s).
async fn slow(req: HttpRequest) -> HttpResponse {
    let ms = req
        .query_string()
        .strip_prefix("ms=")
        .and_then(|ms| ms.parse::<u64>().ok())
        .unwrap_or(1000)
        .min(10_000);
    actix_web::rt::time::sleep(Duration::from_millis(ms)).await;
    HttpResponse::Ok().body(format!("slept {ms} ms"))
}

/// On SIGTERM or Ctrl-C: fail readiness, keep serving for the drain period so the load balancer
/// takes the instance out, then stop gracefully (in-flight requests finish).
async fn drain_on_signal(server: ServerHandle, shutdown: ShutdownHandle, drain: Duration) {
    let signal = wait_for_stop_signal().await;
    shutdown.start_draining();
    tracing::info!(
        "{signal}: readiness now fails; stopping in {} s",
        drain.as_secs()
    );
    println!("draining");
    actix_web::rt::time::sleep(drain).await;
    server.stop(true).await;
}

#[cfg(unix)]
async fn wait_for_stop_signal() -> &'static str {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            let term = std::pin::pin!(term.recv());
            let ctrl_c = std::pin::pin!(actix_web::rt::signal::ctrl_c());
            match futures_util::future::select(term, ctrl_c).await {
                futures_util::future::Either::Left(_) => "SIGTERM",
                futures_util::future::Either::Right(_) => "Ctrl-C",
            }
        }
        Err(_) => {
            let _ = actix_web::rt::signal::ctrl_c().await;
            "Ctrl-C"
        }
    }
}

#[cfg(not(unix))]
async fn wait_for_stop_signal() -> &'static str {
    let _ = actix_web::rt::signal::ctrl_c().await;
    "Ctrl-C"
}
