//! Every deliberate difference from Django and django-allow-cidr, one test per row of the
//! README's table ("Where this crate differs from Django").

mod common;

use actix_allow_cidr::{AllowedHosts, ConfigError, HttpsRedirect, Settings};
use actix_web::http::{Method, StatusCode};
use actix_web::{App, HttpResponse, test, web};
use common::{allowed, app, status_for};

#[actix_web::test]
async fn invalid_dns_names_are_syntax_errors() {
    let app = app(allowed(&[".example.com"], &[])).await;
    for host in ["..example.com", "-.example.com", ".example.com"] {
        assert_eq!(
            status_for(&app, host).await,
            StatusCode::BAD_REQUEST,
            "{host}"
        );
    }
}

#[actix_web::test]
async fn invalid_ports_are_syntax_errors() {
    let app = app(allowed(&["example.com"], &[])).await;
    let long_port = format!("example.com:{}", "1".repeat(38));
    for host in ["example.com:0", "example.com:65536", long_port.as_str()] {
        assert_eq!(
            status_for(&app, host).await,
            StatusCode::BAD_REQUEST,
            "{host}"
        );
    }
}

#[actix_web::test]
async fn invalid_addresses_and_oversized_names_fail_even_under_star() {
    let app = app(allowed(&["*"], &[])).await;
    let long_label = format!("{}.com", "a".repeat(64));
    let long_name = vec!["a".repeat(63); 4].join(".");
    for host in [
        "[1:2]",
        "[::ffff:10.0.0.256]",
        long_label.as_str(),
        long_name.as_str(),
    ] {
        assert_eq!(
            status_for(&app, host).await,
            StatusCode::BAD_REQUEST,
            "{host}"
        );
    }
    assert_eq!(status_for(&app, "anything.example").await, StatusCode::OK);
}

#[actix_web::test]
async fn no_host_is_refused_without_fallback() {
    let app = app(allowed(&["*"], &[])).await;
    let res = test::call_service(&app, test::TestRequest::get().to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn absolute_form_with_a_different_host_is_refused() {
    let app = app(allowed(&["a.example", "b.example"], &[])).await;
    let req = test::TestRequest::get()
        .uri("http://a.example/")
        .insert_header(("Host", "b.example"))
        .to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::BAD_REQUEST
    );
}

#[actix_web::test]
async fn ipv4_mapped_ipv6_matches_ipv4_nets() {
    let app = app(allowed(&[], &["10.0.0.0/8"])).await;
    assert_eq!(status_for(&app, "[::ffff:10.0.0.1]").await, StatusCode::OK);
}

#[actix_web::test]
async fn ipv6_patterns_compare_as_addresses() {
    let app = app(allowed(&["[0::1]"], &[])).await;
    assert_eq!(status_for(&app, "[::1]").await, StatusCode::OK);
    assert_eq!(
        status_for(&app, "[0:0:0:0:0:0:0:1]:8080").await,
        StatusCode::OK
    );
}

#[::core::prelude::v1::test]
fn pattern_with_port_fails_loudly_and_trailing_dot_is_dropped() {
    let err = AllowedHosts::builder()
        .host("example.com:8000")
        .build()
        .unwrap_err();
    assert!(matches!(err, ConfigError::InvalidHostPattern { .. }));
    let allowed = AllowedHosts::builder()
        .host("example.com.")
        .build()
        .unwrap();
    assert!(allowed.check("example.com").is_ok());
}

#[actix_web::test]
async fn forwarded_host_only_from_trusted_proxies() {
    let allowed = AllowedHosts::builder()
        .host("good.example")
        .trusted_proxy("10.0.0.0/8")
        .use_x_forwarded_host(true)
        .build()
        .unwrap();
    let app = app(allowed).await;
    let request = |peer: &str| {
        test::TestRequest::get()
            .peer_addr(peer.parse().unwrap())
            .insert_header(("Host", "internal.lb"))
            .insert_header(("X-Forwarded-Host", "good.example"))
            .to_request()
    };
    assert_eq!(
        test::call_service(&app, request("10.1.1.1:1"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        test::call_service(&app, request("203.0.113.9:1"))
            .await
            .status(),
        StatusCode::BAD_REQUEST,
        "untrusted: Host (internal.lb) is checked and refused"
    );
}

#[actix_web::test]
async fn nothing_global_is_mutated() {
    let permissive = app(allowed(&["*"], &[])).await;
    let strict = app(allowed(&["a.example"], &[])).await;
    assert_eq!(status_for(&permissive, "b.example").await, StatusCode::OK);
    assert_eq!(
        status_for(&strict, "b.example").await,
        StatusCode::BAD_REQUEST
    );
}

#[actix_web::test]
async fn post_is_redirected_with_308() {
    let app = test::init_service(
        App::new()
            .wrap(HttpsRedirect::builder().build().unwrap())
            .wrap(allowed(&["a.example"], &[]))
            .default_service(web::to(HttpResponse::Ok)),
    )
    .await;
    let req = test::TestRequest::default()
        .method(Method::POST)
        .insert_header(("Host", "a.example"))
        .to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::PERMANENT_REDIRECT
    );
}

#[::core::prelude::v1::test]
fn allowing_nothing_is_a_config_error() {
    assert!(matches!(
        AllowedHosts::builder().build().unwrap_err(),
        ConfigError::NothingAllowed { .. }
    ));
    assert!(matches!(
        Settings::from_toml_str("allowed_hosts = []").unwrap_err(),
        ConfigError::NothingAllowed { .. }
    ));
}
