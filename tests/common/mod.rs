//! Helpers shared by the integration tests.

#![allow(dead_code)]

use actix_allow_cidr::AllowedHosts;
use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::{App, Error, HttpResponse, test, web};

/// An app with `allowed` wrapped around a route that answers `200 ok` on every path.
pub async fn app(
    allowed: AllowedHosts,
) -> impl Service<actix_http::Request, Response = ServiceResponse<impl MessageBody>, Error = Error>
{
    test::init_service(
        App::new()
            .wrap(allowed)
            .default_service(web::to(|| async { HttpResponse::Ok().body("ok") })),
    )
    .await
}

/// The status of a GET with this `Host` header.
pub async fn status_for<S, B>(app: &S, host: &str) -> StatusCode
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = Error>,
{
    let req = test::TestRequest::get()
        .insert_header(("Host", host))
        .to_request();
    test::call_service(app, req).await.status()
}

/// Build `AllowedHosts` from lists.
pub fn allowed(hosts: &[&str], nets: &[&str]) -> AllowedHosts {
    AllowedHosts::builder()
        .hosts(hosts.iter().copied())
        .nets(nets.iter().copied())
        .build()
        .expect("valid test settings")
}

/// Rails' host authorization suite: hosts that must never pass under `example.com`.
pub const RAILS_NEVER_PASS: &[&str] = &[
    "hacker%E3%80%82com",
    "hacker%00.com",
    "www.theirsite.com@yoursite.com",
    "hacker.com/test/",
    "hacker%252ecom",
    ".hacker.com",
    "/\\/\\/hacker.com/",
    "/hacker.com",
    "../hacker.com",
    "@hacker.com",
    "hacker.com",
    "hacker.com%23@example.com",
    "hacker.com/.jpg",
    "hacker.com\texample.com/",
    "hacker.com/example.com",
    "hacker.com\\@example.com",
    "hacker.com/",
];

/// Each problem of a settings error as `key@line_col`.
pub fn problem_keys(err: &actix_allow_cidr::ConfigError) -> Vec<String> {
    err.problems()
        .map(|p| {
            let at = p.location().expect("a located problem");
            format!("{}@{:?}", at.key, at.line_col)
        })
        .collect()
}
