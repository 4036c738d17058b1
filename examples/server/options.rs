//! The example server's command line.

use std::path::PathBuf;
use std::time::Duration;

/// Command-line options.
pub struct Options {
    /// `--settings FILE`: a settings file instead of the embedded one.
    pub settings: Option<PathBuf>,
    /// `--bind ADDR:PORT`, default `127.0.0.1:8080`.
    pub bind: String,
    /// `--workers N`, default 2.
    pub workers: usize,
    /// `--ready-file FILE`: a readiness check that fails while FILE is missing.
    pub ready_file: Option<PathBuf>,
    /// `--drain-seconds N`: how long readiness fails before the server stops. Default 5.
    pub drain: Duration,
    /// `--watch-seconds N`: reload when the settings file's modification time changes.
    pub watch: Option<Duration>,
}

const USAGE: &str = "usage: server [--settings FILE] [--bind ADDR:PORT] [--workers N] \
                     [--ready-file FILE] [--drain-seconds N] [--watch-seconds N]";

pub fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        settings: None,
        bind: "127.0.0.1:8080".to_owned(),
        workers: 2,
        ready_file: None,
        drain: Duration::from_secs(5),
        watch: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let seconds = |text: String| {
            text.parse::<u64>()
                .map(Duration::from_secs)
                .map_err(|_| format!("{flag} needs a whole number of seconds"))
        };
        match flag.as_str() {
            "--settings" => options.settings = Some(value()?.into()),
            "--bind" => options.bind = value()?,
            "--workers" => {
                options.workers = value()?
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or("--workers needs a positive number")?;
            }
            "--ready-file" => options.ready_file = Some(value()?.into()),
            "--drain-seconds" => options.drain = seconds(value()?)?,
            "--watch-seconds" => {
                options.watch = Some(seconds(value()?)?).filter(|d| !d.is_zero());
            }
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(options)
}
