//! The per-worker service of `HttpsRedirect`: decide secure or not, redirect, or pass through and
//! add the security headers to the response.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, forward_ready};
use actix_web::http::Method;
use actix_web::http::header::{self, ContentType, HeaderMap, HeaderValue};
use actix_web::{Error, HttpMessage, HttpResponse};
use futures_util::future::{Either, Ready, ready};

use super::RedirectConfig;
use super::rules::{https_location, proxy_header_is_secure};
use crate::validated::ValidatedHost;

const NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
const CROSS_ORIGIN_OPENER_POLICY: header::HeaderName =
    header::HeaderName::from_static("cross-origin-opener-policy");

/// The `tracing` target of this middleware's errors.
pub(crate) const LOG_TARGET: &str = "actix_allow_cidr::https_redirect";

/// The service [`HttpsRedirect`](crate::HttpsRedirect) wraps around the app, one per worker.
#[doc(hidden)]
#[derive(Debug)]
pub struct HttpsRedirectMiddleware<S> {
    service: S,
    config: Arc<RedirectConfig>,
}

impl<S> HttpsRedirectMiddleware<S> {
    pub(crate) fn new(service: S, config: Arc<RedirectConfig>) -> Self {
        Self { service, config }
    }
}

impl<S, B> Service<ServiceRequest> for HttpsRedirectMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = Either<SecureHeadersFuture<S::Future>, Ready<Result<Self::Response, Error>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let config = &self.config;
        let secure = is_secure(config, &req);
        if config.enabled && !secure && !config.exempt.is_exempt(req.path()) {
            let mut response = redirect(config, &req);
            add_security_headers(config, false, response.headers_mut());
            return Either::Right(ready(Ok(req.into_response(response).map_into_right_body())));
        }
        Either::Left(SecureHeadersFuture {
            future: self.service.call(req),
            config: Arc::clone(config),
            secure,
        })
    }
}

/// TLS on the connection, or the proxy's TLS header from a trusted proxy.
fn is_secure(config: &RedirectConfig, req: &ServiceRequest) -> bool {
    if req.request().app_config().secure() {
        return true;
    }
    let Some((name, expected)) = &config.proxy_ssl_header else {
        return false;
    };
    let trusted = req
        .peer_addr()
        .is_some_and(|peer| config.trusted_proxies.contains(peer.ip()));
    trusted
        && req
            .headers()
            .get(name)
            .is_some_and(|value| proxy_header_is_secure(value.as_bytes(), expected))
}

/// The redirect, built only from `ssl_host` or the host `AllowedHosts` validated.
fn redirect(config: &RedirectConfig, req: &ServiceRequest) -> HttpResponse {
    let extensions = req.extensions();
    let Some(validated) = extensions.get::<ValidatedHost>() else {
        if config.limiter.permit().log {
            tracing::error!(
                target: LOG_TARGET,
                path = req.path(),
                "HttpsRedirect found no validated host, so it refuses to redirect: AllowedHosts is \
                 missing or wrapped in the wrong order. Call .wrap(HttpsRedirect) before \
                 .wrap(AllowedHosts) so that AllowedHosts is outside and runs first, or wrap both \
                 with SecureHosts"
            );
        }
        return HttpResponse::BadRequest()
            .insert_header(ContentType::plaintext())
            .body("Bad Request\n");
    };
    let (host, port) = match (&config.ssl_host, config.ssl_port) {
        (Some(host), port) => (host.as_str(), port),
        (None, Some(port)) => (validated.host(), Some(port)),
        (None, None) => (validated.authority(), None),
    };
    let path_and_query = req.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let location = https_location(host, port, path_and_query);
    let status = if matches!(*req.method(), Method::GET | Method::HEAD) {
        config.redirect_status
    } else {
        config.redirect_status_unsafe
    };
    match HeaderValue::try_from(location) {
        Ok(location) => HttpResponse::build(status)
            .insert_header((header::LOCATION, location))
            .finish(),
        // A path actix accepted is always a valid header value; refuse rather than panic.
        Err(_) => HttpResponse::BadRequest().finish(),
    }
}

/// Django's `SecurityMiddleware.process_response`: each header only if the app did not set it;
/// HSTS only on secure responses.
fn add_security_headers(config: &RedirectConfig, secure: bool, headers: &mut HeaderMap) {
    let mut set_default = |name: header::HeaderName, value: &HeaderValue| {
        if !headers.contains_key(&name) {
            headers.insert(name, value.clone());
        }
    };
    if secure && let Some(hsts) = &config.hsts {
        set_default(header::STRICT_TRANSPORT_SECURITY, hsts);
    }
    if config.content_type_nosniff {
        set_default(header::X_CONTENT_TYPE_OPTIONS, &NOSNIFF);
    }
    if let Some(policy) = &config.referrer_policy {
        set_default(header::REFERRER_POLICY, policy);
    }
    if let Some(policy) = &config.cross_origin_opener_policy {
        set_default(CROSS_ORIGIN_OPENER_POLICY, policy);
    }
}

pin_project_lite::pin_project! {
    /// The inner service's response, with the security headers added.
    #[doc(hidden)]
    pub struct SecureHeadersFuture<F> {
        #[pin]
        future: F,
        config: Arc<RedirectConfig>,
        secure: bool,
    }
}

impl<F, B> Future for SecureHeadersFuture<F>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Result<ServiceResponse<EitherBody<B>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = std::task::ready!(this.future.poll(cx))?;
        add_security_headers(this.config, *this.secure, response.headers_mut());
        Poll::Ready(Ok(response.map_into_left_body()))
    }
}
