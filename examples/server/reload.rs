//! Live reload of the host policy: on SIGHUP, and when the settings file changes (a ConfigMap
//! update). A bad file keeps the current policy and logs why.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use actix_allow_cidr::{ConfigError, ReloadHandle, Settings};

const EMBEDDED_SETTINGS: &str = include_str!("../settings.toml");

/// Read and validate the settings: the file if one was given, else the embedded ones; then the
/// environment overrides (`ALLOWED_HOSTS`, `ALLOWED_CIDR_NETS`).
pub fn read_settings(path: Option<&Path>) -> Result<Settings, ConfigError> {
    let settings = match path {
        Some(path) => Settings::from_path(path)?,
        None => Settings::from_toml_str(EMBEDDED_SETTINGS)?,
    };
    settings.with_env("")
}

/// Reloads the host policy and remembers what is in force, to log what changed.
pub struct Reloader {
    path: Option<PathBuf>,
    handle: ReloadHandle,
    current: Mutex<Settings>,
}

impl Reloader {
    pub fn new(path: Option<PathBuf>, handle: ReloadHandle, current: Settings) -> Self {
        Self {
            path,
            handle,
            current: Mutex::new(current),
        }
    }

    /// Read the settings again and swap the policy; on any error keep the current one.
    pub fn reload(&self, why: &str) {
        let outcome = read_settings(self.path.as_deref()).and_then(|new| {
            self.handle.reload_settings(&new)?;
            Ok(new)
        });
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        match outcome {
            Ok(new) => {
                let changes = new.changes_since(&current);
                if changes.is_empty() {
                    tracing::info!("{why}: settings reloaded, nothing changed");
                }
                for change in &changes {
                    tracing::info!("{why}: {change}");
                }
                *current = new;
                // Tests and scripts read these lines.
                println!("reloaded");
            }
            Err(error) => {
                tracing::error!("{why}: reload refused, the current policy stays: {error}");
                println!("reload failed");
            }
        }
    }
}

/// Reload on every SIGHUP.
#[cfg(unix)]
pub async fn reload_on_sighup(reloader: Arc<Reloader>) {
    use actix_web::rt::signal::unix::{SignalKind, signal};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        tracing::warn!("cannot listen for SIGHUP; reload by signal is off");
        return;
    };
    while hangups.recv().await.is_some() {
        reloader.reload("SIGHUP");
    }
}

#[cfg(not(unix))]
pub async fn reload_on_sighup(_reloader: Arc<Reloader>) {}

/// Reload when the file's modification time changes, checked every `interval`.
pub async fn reload_on_change(reloader: Arc<Reloader>, path: PathBuf, interval: Duration) {
    let modified =
        |path: &Path| -> Option<SystemTime> { std::fs::metadata(path).ok()?.modified().ok() };
    let mut last = modified(&path);
    loop {
        actix_web::rt::time::sleep(interval).await;
        let now = modified(&path);
        if now != last {
            last = now;
            reloader.reload("settings file changed");
        }
    }
}
