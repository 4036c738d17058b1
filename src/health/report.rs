//! Health results and how they are shown (SPEC section 7): plain `ok`, Kubernetes-style verbose
//! lines, and the IETF `application/health+json` draft. No actix types here.

use std::fmt::{self, Write as _};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What one readiness check found.
///
/// A check closure returns anything that converts into this: `Result<(), E: Display>` (an
/// error is a failure, with the error as its reason), or a `CheckOutcome` itself when a check
/// wants to warn without failing.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::health::CheckOutcome;
///
/// let failed: CheckOutcome = Err::<(), _>("connection refused").into();
/// assert!(failed.is_failure());
/// assert!(!CheckOutcome::Warn("replica lag 3 s".into()).is_failure());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckOutcome {
    /// Healthy.
    Pass,
    /// Serving, but degraded: readiness still passes; JSON reports `warn`.
    Warn(String),
    /// Not healthy, with the reason (logged, never put in a response body).
    Fail(String),
}

impl CheckOutcome {
    /// Whether this outcome makes readiness fail.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::health::CheckOutcome;
    ///
    /// assert!(CheckOutcome::Fail("down".into()).is_failure());
    /// ```
    #[must_use]
    pub fn is_failure(&self) -> bool {
        matches!(self, CheckOutcome::Fail(_))
    }

    fn json_status(&self) -> &'static str {
        match self {
            CheckOutcome::Pass => "pass",
            CheckOutcome::Warn(_) => "warn",
            CheckOutcome::Fail(_) => "fail",
        }
    }
}

impl<E: fmt::Display> From<Result<(), E>> for CheckOutcome {
    fn from(result: Result<(), E>) -> Self {
        match result {
            Ok(()) => CheckOutcome::Pass,
            Err(error) => CheckOutcome::Fail(error.to_string()),
        }
    }
}

/// One check's result in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckResult {
    pub(crate) name: String,
    pub(crate) outcome: CheckOutcome,
    pub(crate) took: Duration,
}

/// The results of one run of every readiness check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Report {
    pub(crate) results: Vec<CheckResult>,
    pub(crate) finished: SystemTime,
}

/// Which probe is answered, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pub(crate) verbose: bool,
    pub(crate) exclude: Vec<String>,
}

impl Query {
    /// Parse `verbose` and repeatable `exclude=<name>` from a query string.
    pub(crate) fn parse(query: &str) -> Self {
        let mut parsed = Query::default();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            match key {
                "verbose" => parsed.verbose = !matches!(value, "0" | "false"),
                "exclude" => parsed.exclude.push(percent_decode(value)),
                _ => {}
            }
        }
        parsed
    }
}

/// Decode `%XX` escapes and `+` (check names are plain, but clients may escape them).
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The verdict for one probe, after exclusions and shutdown are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Verdict<'a> {
    /// The checks that count, in registration order.
    pub(crate) results: Vec<&'a CheckResult>,
    /// Readiness forced to fail by a graceful shutdown.
    pub(crate) draining: bool,
    pub(crate) finished: SystemTime,
}

impl<'a> Verdict<'a> {
    pub(crate) fn new(
        report: &'a Report,
        only: Option<&str>,
        query: &Query,
        draining: bool,
    ) -> Self {
        let results = report
            .results
            .iter()
            .filter(|r| only.is_none_or(|name| r.name == name))
            .filter(|r| !query.exclude.contains(&r.name))
            .collect();
        Verdict {
            results,
            draining,
            finished: report.finished,
        }
    }

    /// A verdict with no checks (liveness).
    pub(crate) fn alive() -> Self {
        Verdict {
            results: Vec::new(),
            draining: false,
            finished: SystemTime::now(),
        }
    }

    pub(crate) fn passed(&self) -> bool {
        !self.draining && !self.results.iter().any(|r| r.outcome.is_failure())
    }

    fn json_status(&self) -> &'static str {
        if !self.passed() {
            "fail"
        } else if self
            .results
            .iter()
            .any(|r| matches!(r.outcome, CheckOutcome::Warn(_)))
        {
            "warn"
        } else {
            "pass"
        }
    }

    /// `ok`, or the Kubernetes-style list of checks. Reasons never appear here.
    pub(crate) fn text(&self, verbose: bool) -> String {
        let summary = if self.passed() { "ok" } else { "failed" };
        if !verbose {
            return format!("{summary}\n");
        }
        let mut body = String::new();
        for result in &self.results {
            let (mark, word) = if result.outcome.is_failure() {
                ('-', "failed")
            } else {
                ('+', "ok")
            };
            let _ = writeln!(body, "[{mark}]{} {word}", result.name);
        }
        if self.draining {
            body.push_str("[-]shutdown failed\n");
        }
        let _ = writeln!(body, "{summary}");
        body
    }

    /// The `application/health+json` body (draft-inadarei-api-health-check).
    pub(crate) fn json(&self) -> String {
        let time = rfc3339(self.finished);
        let mut checks = serde_json::Map::new();
        for result in &self.results {
            let entry = serde_json::json!([{
                "componentType": "component",
                "status": result.outcome.json_status(),
                "observedValue": result.took.as_secs_f64() * 1000.0,
                "observedUnit": "ms",
                "time": time,
            }]);
            checks.insert(result.name.clone(), entry);
        }
        if self.draining {
            checks.insert(
                "shutdown".into(),
                serde_json::json!([{ "status": "fail", "time": time }]),
            );
        }
        let mut body = serde_json::json!({ "status": self.json_status() });
        if !checks.is_empty() {
            body["checks"] = serde_json::Value::Object(checks);
        }
        body.to_string()
    }
}

/// `2026-12-04T20:09:26Z` from a system time (UTC, whole seconds).
fn rfc3339(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let result = |name: &str, outcome| CheckResult {
            name: name.into(),
            outcome,
            took: Duration::from_millis(3),
        };
        Report {
            results: vec![
                result("db", CheckOutcome::Pass),
                result("cache", CheckOutcome::Fail("refused".into())),
                result("queue", CheckOutcome::Warn("slow".into())),
            ],
            finished: UNIX_EPOCH + Duration::from_secs(1_733_342_966),
        }
    }

    #[test]
    fn queries() {
        let q = Query::parse("verbose&exclude=db&exclude=cache%2Dx&other=1");
        assert!(q.verbose);
        assert_eq!(q.exclude, ["db", "cache-x"]);
        assert_eq!(Query::parse(""), Query::default());
        assert!(!Query::parse("verbose=false").verbose);
        assert_eq!(Query::parse("exclude=%zz%").exclude, ["%zz%"]);
    }

    #[test]
    fn verbose_lists_without_reasons() {
        let report = report();
        let verdict = Verdict::new(&report, None, &Query::default(), false);
        assert!(!verdict.passed());
        let text = verdict.text(true);
        assert_eq!(text, "[+]db ok\n[-]cache failed\n[+]queue ok\nfailed\n");
        assert!(!text.contains("refused"));
        assert_eq!(verdict.text(false), "failed\n");
    }

    #[test]
    fn exclude_and_single_check() {
        let report = report();
        let query = Query::parse("exclude=cache");
        let verdict = Verdict::new(&report, None, &query, false);
        assert!(verdict.passed());
        assert_eq!(verdict.json_status(), "warn");
        let only_db = Verdict::new(&report, Some("db"), &Query::default(), false);
        assert_eq!(only_db.text(true), "[+]db ok\nok\n");
        let draining = Verdict::new(&report, Some("db"), &Query::default(), true);
        assert!(!draining.passed());
        assert_eq!(
            draining.text(true),
            "[+]db ok\n[-]shutdown failed\nfailed\n"
        );
    }

    #[test]
    fn json_format() {
        let report = report();
        let verdict = Verdict::new(&report, None, &Query::default(), false);
        let json: serde_json::Value = serde_json::from_str(&verdict.json()).unwrap();
        assert_eq!(json["status"], "fail");
        assert_eq!(json["checks"]["db"][0]["status"], "pass");
        assert_eq!(json["checks"]["cache"][0]["status"], "fail");
        assert_eq!(json["checks"]["queue"][0]["status"], "warn");
        assert_eq!(json["checks"]["db"][0]["observedUnit"], "ms");
        assert_eq!(json["checks"]["db"][0]["time"], "2024-12-04T20:09:26Z");
        assert!(!verdict.json().contains("refused"));
        let alive: serde_json::Value = serde_json::from_str(&Verdict::alive().json()).unwrap();
        assert_eq!(alive, serde_json::json!({"status": "pass"}));
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00Z"
        );
    }
}
