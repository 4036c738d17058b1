//! The per-worker service: wires the host policy into the request flow.

use std::sync::Arc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, forward_ready};
use actix_web::http::header::{self, ContentType, HeaderName};
use actix_web::{Error, HttpMessage, HttpResponse};
use futures_util::TryFutureExt;
use futures_util::future::{Either, MapOk, Ready, ready};

use super::HostConfig;
use super::shared::{Shared, WorkerCache};
use crate::log_limit::LogLimiter;
use crate::select::{
    HostInputs, RejectReason, forwarded_header_host, last_list_element, select_host,
};
use crate::validated::{HostRejected, LoggedHost, ValidatedHost};

/// The `tracing` target of rejection warnings.
pub(crate) const LOG_TARGET: &str = "actix_allow_cidr::disallowed_host";

/// The fixed body of every rejection; it never echoes the host.
pub(crate) const REJECTION_BODY: &str = "Invalid Host header\n";

const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");

type PassThrough<B> = fn(ServiceResponse<B>) -> ServiceResponse<EitherBody<B>>;

/// The service [`AllowedHosts`](crate::AllowedHosts) wraps around the app, one per worker.
#[doc(hidden)]
#[derive(Debug)]
pub struct AllowedHostsMiddleware<S> {
    service: S,
    config: WorkerCache,
    limiter: Arc<LogLimiter>,
}

impl<S> AllowedHostsMiddleware<S> {
    pub(super) fn new(service: S, shared: Arc<Shared>, limiter: Arc<LogLimiter>) -> Self {
        Self {
            service,
            config: WorkerCache::new(shared),
            limiter,
        }
    }
}

impl<S, B> Service<ServiceRequest> for AllowedHostsMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Either<MapOk<S::Future, PassThrough<B>>, Ready<Result<Self::Response, Error>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let config = self.config.get();
        match check_request(&config, &req) {
            Ok(validated) => {
                drop(config);
                req.extensions_mut().insert(validated);
                let pass: PassThrough<B> = ServiceResponse::map_into_left_body;
                Either::Left(self.service.call(req).map_ok(pass))
            }
            Err(reason) => {
                log_rejection(&self.limiter, &config, reason, &req);
                let mut response = HttpResponse::build(config.reject_status)
                    .insert_header(ContentType::plaintext())
                    .insert_header((header::CACHE_CONTROL, "no-store"))
                    .body(REJECTION_BODY);
                drop(config);
                response.extensions_mut().insert(HostRejected { reason });
                Either::Right(ready(Ok(req.into_response(response).map_into_right_body())))
            }
        }
    }
}

/// Gather the host inputs of a request (SPEC section 1) and decide.
fn check_request(config: &HostConfig, req: &ServiceRequest) -> Result<ValidatedHost, RejectReason> {
    let inputs = host_inputs(config, req);
    let selected = select_host(inputs)?;
    match config.policy.check(&selected.host) {
        Some(_) => Ok(ValidatedHost::new(&selected.host, selected.raw)),
        None => Err(RejectReason::NotAllowed),
    }
}

fn host_inputs<'a>(config: &HostConfig, req: &'a ServiceRequest) -> HostInputs<'a> {
    let headers = req.headers();
    let mut hosts = headers.get_all(header::HOST);
    let host_header = hosts.next().map(|v| v.as_bytes());
    let duplicate_host = hosts.next().is_some();
    let authority = req.uri().authority().map(|a| a.as_str().as_bytes());
    let forwarded = if config.use_x_forwarded_host
        && req
            .peer_addr()
            .is_some_and(|peer| config.trusted_proxies.contains(peer.ip()))
    {
        match headers.get_all(X_FORWARDED_HOST).last() {
            Some(value) => Some(last_list_element(value.as_bytes())),
            None => headers
                .get_all(header::FORWARDED)
                .last()
                .and_then(|value| forwarded_header_host(value.as_bytes())),
        }
    } else {
        None
    };
    HostInputs {
        host_header,
        duplicate_host,
        authority,
        forwarded,
    }
}

/// One warning per refusal, at most a few per second, then a count of what was dropped.
fn log_rejection(
    limiter: &LogLimiter,
    config: &HostConfig,
    reason: RejectReason,
    req: &ServiceRequest,
) {
    let permit = limiter.permit();
    if permit.suppressed_before > 0 {
        tracing::warn!(
            target: LOG_TARGET,
            suppressed = permit.suppressed_before,
            "suppressed {} disallowed-host warnings",
            permit.suppressed_before
        );
    }
    if !permit.log {
        return;
    }
    let inputs = host_inputs(config, req);
    let host = inputs
        .forwarded
        .or(inputs.authority)
        .or(inputs.host_header)
        .unwrap_or_default();
    let peer = req
        .peer_addr()
        .map(|addr| addr.to_string())
        .unwrap_or_default();
    tracing::warn!(
        target: LOG_TARGET,
        reason = reason.as_str(),
        host = %LoggedHost(host),
        peer = %peer,
        path = req.path(),
        "refused request: {reason}"
    );
}
