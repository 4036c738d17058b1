//! Host validation for actix-web 4: Django's `ALLOWED_HOSTS` plus django-allow-cidr's
//! `ALLOWED_CIDR_NETS`, done strictly.
//!
//! A web app must refuse requests whose `Host` it does not serve, or anyone can poison the links
//! and redirects it builds from `Host`. Behind a cloud load balancer and Kubernetes that breaks
//! health checks: the balancer probes each node by IP, and with NodePort routing the pod that
//! answers cannot know that IP in advance. [`AllowedHosts`] therefore accepts a host that is an
//! allowed name **or** an IP literal inside an allowed CIDR net, and answers anything else with a
//! short, fixed 400 before the app sees it.
//!
//! # Examples
//!
//! ```
//! use actix_allow_cidr::AllowedHosts;
//! use actix_web::{App, HttpResponse, test, web};
//!
//! # actix_web::rt::System::new().block_on(async {
//! let allowed = AllowedHosts::builder()
//!     .hosts(["www.example.com", ".example.org"])
//!     .nets(["10.0.0.0/8", "fd00::/8"])
//!     .build()
//!     .expect("valid settings");
//! let app = test::init_service(
//!     App::new()
//!         .wrap(allowed) // outermost: runs first
//!         .route("/", web::get().to(HttpResponse::Ok)),
//! )
//! .await;
//!
//! for (host, status) in [("10.1.2.3:8000", 200), ("a.b.example.org", 200), ("evil.com", 400)] {
//!     let req = test::TestRequest::get().insert_header(("Host", host)).to_request();
//!     assert_eq!(test::call_service(&app, req).await.status(), status, "{host}");
//! }
//! # });
//! ```
//!
//! Settings come from a file as well ([`Settings::from_path`]), with errors that name the file,
//! line, column, key and entry.
//!
//! # Security
//!
//! - Wrap [`AllowedHosts`] **last**, so that it is the outermost middleware and runs before any
//!   other code sees the request.
//! - Read the host from [`ValidatedHost`] in the request extensions. Never feed
//!   `HttpRequest::connection_info().host()` or `.scheme()` into a security decision: actix
//!   believes `Forwarded` and `X-Forwarded-*` from any client.
//! - Forwarded hosts are ignored unless `use_x_forwarded_host` is on **and** the TCP peer is in
//!   `trusted_proxies`.
//! - The host grammar is stricter than Django's; every deliberate difference is listed in the
//!   README ("Where this crate differs from Django").
//!
//! # Crate Features
//!
//! - `json`: read `.json` settings files in [`Settings::from_path`]. TOML is always available.
//!
//! The crate has no `unsafe` code.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod allowed_hosts;
mod error;
pub mod health;
pub mod host;
mod log_limit;
mod names;
mod nets;
mod pattern;
mod policy;
mod redirect;
mod secure_hosts;
mod select;
mod settings;
mod validated;

pub use crate::allowed_hosts::{
    AllowedHosts, AllowedHostsBuilder, AllowedHostsMiddleware, DEVELOPMENT_HOSTS, PolicySnapshot,
    ReloadHandle,
};
pub use crate::error::{ConfigError, Location, Source};
pub use crate::policy::Rule;
pub use crate::redirect::{
    HttpsRedirect, HttpsRedirectBuilder, HttpsRedirectMiddleware, RedirectExempt,
    SecureHeadersFuture, SecureSettings,
};
pub use crate::secure_hosts::SecureHosts;
pub use crate::select::RejectReason;
pub use crate::settings::Settings;
pub use crate::validated::{HostRejected, ValidatedHost};

/// The README's code blocks are compiled as doctests, so the README cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
