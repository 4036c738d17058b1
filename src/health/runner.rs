//! Running readiness checks: all at once, each under its own timeout, a panic counted as a
//! failure; results cached briefly, and probes that arrive during a run share that run.

use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use futures_util::FutureExt;
use futures_util::future::{BoxFuture, Shared, join_all};

use super::report::{CheckOutcome, CheckResult, Report};

/// The `tracing` target of failed-check warnings.
pub(crate) const LOG_TARGET: &str = "actix_allow_cidr::health";

type CheckFn = Arc<dyn Fn() -> BoxFuture<'static, CheckOutcome> + Send + Sync>;

/// One registered readiness check.
#[derive(Clone)]
pub(crate) struct Check {
    pub(crate) name: String,
    pub(crate) timeout: Option<Duration>,
    pub(crate) run: CheckFn,
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check")
            .field("name", &self.name)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

type Run = Shared<BoxFuture<'static, Arc<Report>>>;

#[derive(Default)]
struct State {
    last: Option<(Instant, Arc<Report>)>,
    running: Option<Run>,
}

/// The checks plus the cache and the in-flight run.
pub(crate) struct Runner {
    checks: Vec<Check>,
    cache_for: Duration,
    state: Mutex<State>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("checks", &self.checks)
            .field("cache_for", &self.cache_for)
            .finish_non_exhaustive()
    }
}

impl Runner {
    /// `checks` must already carry their timeouts.
    pub(crate) fn new(checks: Vec<Check>, cache_for: Duration) -> Self {
        Self {
            checks,
            cache_for,
            state: Mutex::new(State::default()),
        }
    }

    pub(crate) fn has_check(&self, name: &str) -> bool {
        self.checks.iter().any(|c| c.name == name)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }

    /// The latest report: cached if fresh, else the run in flight, else a new run.
    pub(crate) async fn report(self: &Arc<Self>) -> Arc<Report> {
        let run = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((at, report)) = &state.last
                && at.elapsed() < self.cache_for
            {
                return Arc::clone(report);
            }
            match &state.running {
                Some(run) => run.clone(),
                None => {
                    let run = Arc::clone(self).run_all().boxed().shared();
                    state.running = Some(run.clone());
                    run
                }
            }
        };
        let report = run.clone().await;
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.running.as_ref().is_some_and(|r| r.ptr_eq(&run)) {
            state.running = None;
            state.last = Some((Instant::now(), Arc::clone(&report)));
        }
        report
    }

    async fn run_all(self: Arc<Self>) -> Arc<Report> {
        let runs = self.checks.iter().map(|check| async move {
            let started = Instant::now();
            let future = AssertUnwindSafe((check.run)()).catch_unwind();
            let timeout = check.timeout.unwrap_or(Duration::from_secs(1));
            let outcome = match actix_web::rt::time::timeout(timeout, future).await {
                Ok(Ok(outcome)) => outcome,
                Ok(Err(_panic)) => CheckOutcome::Fail("the check panicked".into()),
                Err(_elapsed) => {
                    CheckOutcome::Fail(format!("timed out after {} ms", timeout.as_millis()))
                }
            };
            if let CheckOutcome::Fail(reason) | CheckOutcome::Warn(reason) = &outcome {
                tracing::warn!(
                    target: LOG_TARGET,
                    check = %check.name,
                    failed = outcome.is_failure(),
                    reason = %reason,
                    "readiness check {}: {reason}",
                    if outcome.is_failure() { "failed" } else { "warned" }
                );
            }
            CheckResult {
                name: check.name.clone(),
                outcome,
                took: started.elapsed(),
            }
        });
        Arc::new(Report {
            results: join_all(runs).await,
            finished: SystemTime::now(),
        })
    }
}
