//! Graceful shutdown: fail readiness first, drain, then stop.

use std::time::Duration;

use actix_allow_cidr::health::ShutdownHandle;
use actix_web::dev::ServerHandle;

/// On SIGTERM or Ctrl-C: fail readiness, keep serving for the drain period so the load balancer
/// takes the instance out, then stop gracefully (in-flight requests finish).
pub async fn drain_on_signal(server: ServerHandle, shutdown: ShutdownHandle, drain: Duration) {
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
