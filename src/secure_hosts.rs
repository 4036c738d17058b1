//! `SecureHosts`: `AllowedHosts` and `HttpsRedirect` as one middleware, in the only safe order.

use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform};
use futures_util::future::{Ready, ready};

use crate::allowed_hosts::{AllowedHosts, AllowedHostsMiddleware};
use crate::redirect::{HttpsRedirect, HttpsRedirectMiddleware};

/// [`AllowedHosts`] then [`HttpsRedirect`] in one `.wrap()`, so the order cannot be wrong: the
/// host is validated first, and the redirect is built from the validated host.
///
/// # Examples
///
/// ```
/// use actix_allow_cidr::{AllowedHosts, HttpsRedirect, SecureHosts};
/// use actix_web::{App, HttpResponse, test, web};
///
/// # actix_web::rt::System::new().block_on(async {
/// let secure = SecureHosts::new(
///     AllowedHosts::builder().host("www.example.com").net("10.0.0.0/8").build().unwrap(),
///     HttpsRedirect::builder().build().unwrap(),
/// );
/// let app = test::init_service(
///     App::new().wrap(secure).default_service(web::to(HttpResponse::Ok)),
/// )
/// .await;
/// let req = test::TestRequest::get().uri("/a?b").insert_header(("Host", "www.example.com")).to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.headers().get("location").unwrap(), "https://www.example.com/a?b");
/// // The health check by IP is exempt and allowed:
/// let req = test::TestRequest::get().uri("/healthz").insert_header(("Host", "10.1.2.3")).to_request();
/// assert_eq!(test::call_service(&app, req).await.status(), 200);
/// let req = test::TestRequest::get().insert_header(("Host", "evil.com")).to_request();
/// assert_eq!(test::call_service(&app, req).await.status(), 400);
/// # });
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SecureHosts {
    allowed: AllowedHosts,
    redirect: HttpsRedirect,
}

impl SecureHosts {
    /// Combine the two middlewares.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::{AllowedHosts, HttpsRedirect, SecureHosts};
    ///
    /// let secure = SecureHosts::new(
    ///     AllowedHosts::builder().development().build().unwrap(),
    ///     HttpsRedirect::builder().build().unwrap(),
    /// );
    /// # drop(secure);
    /// ```
    pub fn new(allowed: AllowedHosts, redirect: HttpsRedirect) -> Self {
        Self { allowed, redirect }
    }

    /// The host check, for reloading or explaining.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_allow_cidr::{AllowedHosts, HttpsRedirect, SecureHosts};
    ///
    /// let secure = SecureHosts::new(
    ///     AllowedHosts::builder().host("a.example").build().unwrap(),
    ///     HttpsRedirect::builder().build().unwrap(),
    /// );
    /// assert!(secure.allowed_hosts().check("a.example").is_ok());
    /// ```
    pub fn allowed_hosts(&self) -> &AllowedHosts {
        &self.allowed
    }
}

impl<S, B> Transform<S, ServiceRequest> for SecureHosts
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error>,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<EitherBody<B>>>;
    type Error = Error;
    type Transform = AllowedHostsMiddleware<HttpsRedirectMiddleware<S>>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        let redirect = HttpsRedirectMiddleware::new(service, self.redirect.shared_config());
        ready(Ok(self.allowed.middleware(redirect)))
    }
}
