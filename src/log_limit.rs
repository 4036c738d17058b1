//! A log-flood guard: at most a few events per second, then one summary of how many were
//! dropped. Lock-free, shared by every worker.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Instant;

/// How many events may be logged in one second.
pub(crate) const EVENTS_PER_SECOND: u32 = 5;

/// What the caller should do with one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Permit {
    /// Log this event.
    pub(crate) log: bool,
    /// Before it, log that this many earlier events were suppressed.
    pub(crate) suppressed_before: u64,
}

/// Counts events per one-second window.
#[derive(Debug)]
pub(crate) struct LogLimiter {
    epoch: Instant,
    window: AtomicU64,
    in_window: AtomicU32,
    suppressed: AtomicU64,
}

impl Default for LogLimiter {
    fn default() -> Self {
        Self {
            epoch: Instant::now(),
            window: AtomicU64::new(0),
            in_window: AtomicU32::new(0),
            suppressed: AtomicU64::new(0),
        }
    }
}

impl LogLimiter {
    /// Record one event now.
    pub(crate) fn permit(&self) -> Permit {
        self.permit_at(self.epoch.elapsed().as_secs())
    }

    /// Record one event in the given second since the epoch (separate for tests).
    pub(crate) fn permit_at(&self, second: u64) -> Permit {
        let mut suppressed_before = 0;
        let current = self.window.load(Ordering::Relaxed);
        if second > current
            && self
                .window
                .compare_exchange(current, second, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            // This caller opened the new window: reset it and report what the last one dropped.
            self.in_window.store(0, Ordering::Relaxed);
            suppressed_before = self.suppressed.swap(0, Ordering::Relaxed);
        }
        let log = self.in_window.fetch_add(1, Ordering::Relaxed) < EVENTS_PER_SECOND;
        if !log {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
        }
        Permit {
            log,
            suppressed_before,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_second_and_reports_the_rest() {
        let limiter = LogLimiter::default();
        let logged = (0..20).filter(|_| limiter.permit_at(0).log).count();
        assert_eq!(logged, EVENTS_PER_SECOND as usize);
        let next = limiter.permit_at(1);
        assert!(next.log);
        assert_eq!(next.suppressed_before, 20 - u64::from(EVENTS_PER_SECOND));
        assert_eq!(limiter.permit_at(1).suppressed_before, 0);
    }
}
