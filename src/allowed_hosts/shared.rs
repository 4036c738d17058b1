//! The compiled configuration shared by every worker, swappable at run time, and a snapshot of
//! it for checks outside a request.

use std::cell::{Cell, Ref, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use super::HostConfig;
use crate::host::parse_host;
use crate::policy::Rule;
use crate::select::RejectReason;

/// The current configuration plus a generation counter, so that a worker notices a reload with
/// one atomic load per request and takes the lock only after one.
#[derive(Debug)]
pub(crate) struct Shared {
    current: RwLock<Arc<HostConfig>>,
    generation: AtomicU64,
}

impl Shared {
    pub(crate) fn new(config: HostConfig) -> Self {
        Self {
            current: RwLock::new(Arc::new(config)),
            generation: AtomicU64::new(0),
        }
    }

    pub(crate) fn load(&self) -> Arc<HostConfig> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    pub(crate) fn store(&self, config: HostConfig) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(config);
        // Published after the swap: a worker that sees the new number finds the new policy.
        self.generation.fetch_add(1, Ordering::Release);
    }
}

/// A worker's copy of the current configuration, refreshed when the generation moves.
#[derive(Debug)]
pub(crate) struct WorkerCache {
    shared: Arc<Shared>,
    seen: Cell<u64>,
    config: RefCell<Arc<HostConfig>>,
}

impl WorkerCache {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        let seen = shared.generation.load(Ordering::Acquire);
        let config = shared.load();
        Self {
            shared,
            seen: Cell::new(seen),
            config: RefCell::new(config),
        }
    }

    /// The configuration for this request.
    #[inline]
    pub(crate) fn get(&self) -> Ref<'_, Arc<HostConfig>> {
        let generation = self.shared.generation.load(Ordering::Acquire);
        if generation != self.seen.get()
            && let Ok(mut config) = self.config.try_borrow_mut()
        {
            *config = self.shared.load();
            self.seen.set(generation);
        }
        self.config.borrow()
    }
}

/// The compiled host policy at one moment: checks hosts outside a request exactly as the
/// middleware does (the same parser, the same lookup, no allocation in [`check`](Self::check)).
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::{AllowedHosts, RejectReason};
///
/// let allowed = AllowedHosts::builder().host(".example.com").net("10.0.0.0/8").build().unwrap();
/// let policy = allowed.snapshot();
/// assert_eq!(policy.check("api.example.com"), Ok(()));
/// assert_eq!(policy.check("10.9.8.7:8000"), Ok(()));
/// assert_eq!(policy.check("evil.com"), Err(RejectReason::NotAllowed));
/// ```
#[derive(Debug, Clone)]
pub struct PolicySnapshot {
    pub(crate) config: Arc<HostConfig>,
}

impl PolicySnapshot {
    /// Decide a host value as the middleware decides a request's host: `Ok` if allowed.
    ///
    /// # Errors
    ///
    /// The [`RejectReason`]: a syntax error, or not allowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let policy = AllowedHosts::builder().net("fd00::/8").build().unwrap().snapshot();
    /// assert!(policy.check("[fd00::1]:443").is_ok());
    /// assert!(policy.check("fd00::1").is_err(), "IPv6 needs brackets");
    /// ```
    #[inline]
    pub fn check(&self, host: &str) -> Result<(), RejectReason> {
        let host = parse_host(host.as_bytes()).map_err(RejectReason::Syntax)?;
        match self.config.policy.check(&host) {
            Some(_) => Ok(()),
            None => Err(RejectReason::NotAllowed),
        }
    }

    /// Decide a host value and say which rule allowed it.
    ///
    /// # Errors
    ///
    /// The [`RejectReason`] when the host is refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let policy = AllowedHosts::builder().host("www.example.com").build().unwrap().snapshot();
    /// assert_eq!(policy.explain("WWW.example.com:443").unwrap().to_string(), "exact name www.example.com");
    /// ```
    pub fn explain(&self, host: &str) -> Result<Rule, RejectReason> {
        let host = parse_host(host.as_bytes()).map_err(RejectReason::Syntax)?;
        self.config
            .policy
            .explain(&host)
            .ok_or(RejectReason::NotAllowed)
    }

    /// A one-line description of the policy.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::AllowedHosts;
    ///
    /// let policy = AllowedHosts::builder().host(".a.com").build().unwrap().snapshot();
    /// assert!(policy.summary().contains("1 subdomain patterns"));
    /// ```
    #[must_use]
    pub fn summary(&self) -> String {
        self.config.policy.summary()
    }
}
