//! The example server: `cargo run --example server`.
//!
//! Serves on 127.0.0.1:8080 with the settings embedded from `examples/settings.toml`.
//! Flags (see `options.rs`): `--settings FILE`, `--bind ADDR:PORT`, `--workers N`,
//! `--ready-file FILE`, `--drain-seconds N`, `--watch-seconds N`. A bad settings file prints the
//! error and exits with status 2 before anything is bound.
//!
//! Routes: `GET /` answers `ok`; `GET /slow?ms=N` answers after N ms (at most 10 s), to watch a
//! request finish during a graceful shutdown; `/healthz`, `/livez`, `/readyz` are the health
//! endpoints.
//!
//! Signals: SIGTERM or Ctrl-C drain and stop (`shutdown.rs`); SIGHUP reloads the host policy
//! from the settings file (`reload.rs`).

mod options;
mod reload;
mod shutdown;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use actix_allow_cidr::health::Health;
use actix_allow_cidr::{SecureHosts, Settings};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

use self::options::Options;
use self::reload::Reloader;

/// Everything the app is built from.
struct Loaded {
    settings: Settings,
    secure: SecureHosts,
    health: Health,
}

fn load_settings(options: &Options) -> Result<Loaded, String> {
    let settings = reload::read_settings(options.settings.as_deref()).map_err(|e| e.to_string())?;
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
    Ok(Loaded {
        settings,
        secure,
        health,
    })
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    let options = match options::parse_args() {
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
    let Loaded {
        settings,
        secure,
        health,
    } = loaded;
    let shutdown = health.shutdown_handle();
    let reloader = Arc::new(Reloader::new(
        options.settings.clone(),
        secure.allowed_hosts().reload_handle(),
        settings,
    ));
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
    // Signals are handled in shutdown.rs: readiness must fail before the server stops.
    .disable_signals()
    .shutdown_timeout(30)
    .bind(&options.bind)?;
    for addr in server.addrs() {
        // Tests and scripts read this line to find the port.
        println!("listening on http://{addr}");
    }
    let server = server.run();
    actix_web::rt::spawn(shutdown::drain_on_signal(
        server.handle(),
        shutdown,
        options.drain,
    ));
    actix_web::rt::spawn(reload::reload_on_sighup(Arc::clone(&reloader)));
    if let (Some(interval), Some(path)) = (options.watch, options.settings.clone()) {
        actix_web::rt::spawn(reload::reload_on_change(reloader, path, interval));
    }
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
