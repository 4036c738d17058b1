//! `HttpsRedirect` (and `SecureHosts`) through `actix_web::test`: Django's vectors, methods,
//! exemptions, the proxy header, security headers, and open-redirect safety.

mod common;

use std::net::SocketAddr;

use actix_allow_cidr::{AllowedHosts, HttpsRedirect, HttpsRedirectBuilder, SecureHosts, Settings};
use actix_web::http::{Method, StatusCode, header};
use actix_web::{App, HttpResponse, test, web};

const PROXY: &str = "10.0.0.5:50000";
const CLIENT: &str = "198.51.100.7:50000";

fn peer(addr: &str) -> SocketAddr {
    addr.parse().unwrap()
}

fn allowed() -> AllowedHosts {
    AllowedHosts::builder()
        .hosts(["testserver", "example.com", ".example.com"])
        .net("10.0.0.0/8")
        .build()
        .unwrap()
}

fn proxied() -> HttpsRedirectBuilder {
    HttpsRedirect::builder()
        .proxy_ssl_header("X-Forwarded-Proto", "https")
        .trusted_proxy("10.0.0.0/8")
}

/// An app with `AllowedHosts` outside `HttpsRedirect`, answering `200 ok` everywhere; the
/// `/own-hsts` route sets its own HSTS header.
macro_rules! app {
    ($redirect:expr) => {
        test::init_service(
            App::new()
                .wrap($redirect)
                .wrap(allowed())
                .route(
                    "/own-hsts",
                    web::get().to(|| async {
                        HttpResponse::Ok()
                            .insert_header((header::STRICT_TRANSPORT_SECURITY, "max-age=1"))
                            .finish()
                    }),
                )
                .default_service(web::to(|| async { HttpResponse::Ok().body("ok") })),
        )
        .await
    };
}

fn get(uri: &str, host: &str) -> test::TestRequest {
    test::TestRequest::get()
        .uri(uri)
        .insert_header(("Host", host))
        .peer_addr(peer(CLIENT))
}

fn location(
    res: &actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
) -> Option<String> {
    res.headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned())
}

#[actix_web::test]
async fn django_redirect_keeps_path_and_query() {
    let app = app!(HttpsRedirect::builder().build().unwrap());
    let res = test::call_service(
        &app,
        get("/some/url?query=string", "testserver").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        location(&res).unwrap(),
        "https://testserver/some/url?query=string"
    );
    // Byte for byte, escapes included; the port the client used is kept, as Django does.
    let res = test::call_service(
        &app,
        get("/a%20b/%2F?x=%3D&y=1&y=2", "Example.com:8000").to_request(),
    )
    .await;
    assert_eq!(
        location(&res).unwrap(),
        "https://example.com:8000/a%20b/%2F?x=%3D&y=1&y=2"
    );
}

#[actix_web::test]
async fn django_exemption_is_served_over_http() {
    let app = app!(
        HttpsRedirect::builder()
            .exempt("^insecure/")
            .build()
            .unwrap()
    );
    let res = test::call_service(&app, get("/insecure/page", "testserver").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = test::call_service(
        &app,
        get("/secure/insecure/page", "testserver").to_request(),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::MOVED_PERMANENTLY,
        "^ anchors at the path start"
    );
    // The health paths are exempt by default.
    for path in ["/healthz", "/livez", "/readyz", "/readyz/db"] {
        let res = test::call_service(&app, get(path, "10.1.2.3:8000").to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    let res = test::call_service(&app, get("/healthz/extra", "10.1.2.3").to_request()).await;
    assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY);
}

#[actix_web::test]
async fn django_ssl_host_and_ssl_port() {
    let app = app!(
        HttpsRedirect::builder()
            .ssl_host("secure.example.com")
            .build()
            .unwrap()
    );
    let res = test::call_service(&app, get("/some/url", "testserver").to_request()).await;
    assert_eq!(
        location(&res).unwrap(),
        "https://secure.example.com/some/url"
    );

    let app = app!(HttpsRedirect::builder().ssl_port(8443).build().unwrap());
    let res = test::call_service(&app, get("/x", "example.com:8000").to_request()).await;
    assert_eq!(location(&res).unwrap(), "https://example.com:8443/x");
    let app = app!(HttpsRedirect::builder().ssl_port(443).build().unwrap());
    let res = test::call_service(&app, get("/x", "example.com:8000").to_request()).await;
    assert_eq!(location(&res).unwrap(), "https://example.com/x");
}

#[actix_web::test]
async fn django_proxy_header_values() {
    let app = app!(proxied().build().unwrap());
    for (value, secure) in [
        ("https", true),
        ("https, http", true),
        ("https  , http", true),
        ("http, https", false),
        ("http ,wrongvalue,http,http", false),
    ] {
        let req = get("/some/url", "testserver")
            .peer_addr(peer(PROXY))
            .insert_header(("X-Forwarded-Proto", value))
            .to_request();
        let status = test::call_service(&app, req).await.status();
        let expected = if secure {
            StatusCode::OK
        } else {
            StatusCode::MOVED_PERMANENTLY
        };
        assert_eq!(status, expected, "X-Forwarded-Proto: {value}");
    }
}

#[actix_web::test]
async fn proxy_header_from_untrusted_peer_still_redirects() {
    let app = app!(proxied().build().unwrap());
    let req = get("/x", "testserver")
        .insert_header(("X-Forwarded-Proto", "https"))
        .to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::MOVED_PERMANENTLY
    );
    // And with no trusted proxies at all, the header is ignored even from 10.0.0.5.
    let app = app!(
        HttpsRedirect::builder()
            .proxy_ssl_header("X-Forwarded-Proto", "https")
            .build()
            .unwrap()
    );
    let req = get("/x", "testserver")
        .peer_addr(peer(PROXY))
        .insert_header(("X-Forwarded-Proto", "https"))
        .to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::MOVED_PERMANENTLY
    );
}

#[actix_web::test]
async fn post_gets_308_and_keeps_its_path() {
    let app = app!(HttpsRedirect::builder().build().unwrap());
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
        let req = get("/api/items?id=7", "testserver")
            .method(method.clone())
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT, "{method}");
        assert_eq!(location(&res).unwrap(), "https://testserver/api/items?id=7");
    }
    let req = get("/x", "testserver").method(Method::HEAD).to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::MOVED_PERMANENTLY
    );
    let app = app!(
        HttpsRedirect::builder()
            .redirect_status(StatusCode::FOUND)
            .redirect_status_unsafe(StatusCode::TEMPORARY_REDIRECT)
            .build()
            .unwrap()
    );
    let res = test::call_service(&app, get("/x", "testserver").to_request()).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let req = get("/x", "testserver").method(Method::POST).to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::TEMPORARY_REDIRECT
    );
}

#[actix_web::test]
async fn hsts_only_on_secure_responses_and_never_twice() {
    let app = app!(
        proxied()
            .hsts_seconds(3600)
            .hsts_include_subdomains(true)
            .exempt("^plain$")
            .build()
            .unwrap()
    );
    let secure = |uri: &str| {
        get(uri, "testserver")
            .peer_addr(peer(PROXY))
            .insert_header(("X-Forwarded-Proto", "https"))
            .to_request()
    };
    let res = test::call_service(&app, secure("/page")).await;
    assert_eq!(
        res.headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .unwrap(),
        "max-age=3600; includeSubDomains"
    );
    let res = test::call_service(&app, get("/plain", "testserver").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none(),
        "plain HTTP"
    );
    let res = test::call_service(&app, get("/page", "testserver").to_request()).await;
    assert!(
        res.headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .is_none(),
        "the redirect itself"
    );
    let res = test::call_service(&app, secure("/own-hsts")).await;
    let values: Vec<_> = res
        .headers()
        .get_all(header::STRICT_TRANSPORT_SECURITY)
        .collect();
    assert_eq!(values, ["max-age=1"], "the app's own header wins, once");
}

#[actix_web::test]
async fn security_headers_default_and_switchable() {
    let app = app!(HttpsRedirect::builder().redirect(false).build().unwrap());
    let res = test::call_service(&app, get("/", "testserver").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers().get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert_eq!(
        res.headers().get(header::REFERRER_POLICY).unwrap(),
        "same-origin"
    );
    assert_eq!(
        res.headers().get("cross-origin-opener-policy").unwrap(),
        "same-origin"
    );
    let app = app!(
        HttpsRedirect::builder()
            .redirect(false)
            .content_type_nosniff(false)
            .referrer_policy(Some("no-referrer"))
            .cross_origin_opener_policy(None)
            .build()
            .unwrap()
    );
    let res = test::call_service(&app, get("/", "testserver").to_request()).await;
    assert!(res.headers().get(header::X_CONTENT_TYPE_OPTIONS).is_none());
    assert_eq!(
        res.headers().get(header::REFERRER_POLICY).unwrap(),
        "no-referrer"
    );
    assert!(res.headers().get("cross-origin-opener-policy").is_none());
}

#[actix_web::test]
async fn exemption_as_a_guard() {
    let redirect = HttpsRedirect::builder()
        .exempt("^insecure/")
        .build()
        .unwrap();
    let app = test::init_service(
        App::new()
            .route(
                "/{tail:.*}",
                web::get()
                    .guard(redirect.exemptions())
                    .to(|| async { "exempt" }),
            )
            .default_service(web::to(|| async {
                HttpResponse::NotFound().body("not exempt")
            })),
    )
    .await;
    let body = test::call_and_read_body(
        &app,
        test::TestRequest::get().uri("/insecure/a").to_request(),
    )
    .await;
    assert_eq!(body, "exempt");
    let body =
        test::call_and_read_body(&app, test::TestRequest::get().uri("/secure/a").to_request())
            .await;
    assert_eq!(body, "not exempt");
}

#[actix_web::test]
async fn bad_regex_names_pattern_and_index() {
    let err = Settings::from_toml_str(
        "development = true\n[secure]\nredirect_exempt = [\"^ok$\", \"^a/\", \"(unclosed\"]\n",
    )
    .unwrap_err();
    let at = err.location().unwrap();
    assert_eq!(at.key, "secure.redirect_exempt[2]");
    assert_eq!(at.line_col, Some((3, 35)));
    assert!(
        err.to_string().contains("invalid regex \"(unclosed\""),
        "{err}"
    );
}

/// Rails' never-pass hosts plus hosts outside the allowed list.
fn hostile_hosts() -> Vec<&'static str> {
    let mut hosts = common::RAILS_NEVER_PASS.to_vec();
    hosts.extend([
        "evil.com",
        "example.com.evil.com",
        "attacker.com#x.example.com",
    ]);
    hosts
}

/// Whatever the host, no response ever carries a `Location` naming it.
#[actix_web::test]
async fn no_open_redirect_through_host_or_forwarded_host() {
    let app = app!(proxied().build().unwrap());
    let forwarding = test::init_service(
        App::new()
            .wrap(proxied().build().unwrap())
            .wrap(
                AllowedHosts::builder()
                    .host("example.com")
                    .trusted_proxy("10.0.0.0/8")
                    .use_x_forwarded_host(true)
                    .build()
                    .unwrap(),
            )
            .default_service(web::to(HttpResponse::Ok)),
    )
    .await;
    for host in hostile_hosts() {
        for method in [Method::GET, Method::POST] {
            let res =
                test::call_service(&app, get("/x", host).method(method.clone()).to_request()).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{host:?}");
            assert!(location(&res).is_none(), "{host:?}");

            let req = get("/x", "example.com")
                .method(method.clone())
                .peer_addr(peer(PROXY))
                .insert_header(("X-Forwarded-Host", host))
                .to_request();
            let res = test::call_service(&forwarding, req).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "forwarded {host:?}");
            assert!(location(&res).is_none(), "forwarded {host:?}");
        }
    }
}

#[actix_web::test]
async fn wrong_order_answers_400_not_a_redirect() {
    let app = test::init_service(
        App::new()
            .wrap(allowed()) // inner: runs after the redirect
            .wrap(HttpsRedirect::builder().build().unwrap()) // outer: sees no validated host
            .default_service(web::to(HttpResponse::Ok)),
    )
    .await;
    for host in ["testserver", "evil.com"] {
        let res = test::call_service(&app, get("/x", host).to_request()).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{host}");
        assert!(location(&res).is_none());
    }
    // Without AllowedHosts at all: the same.
    let app = test::init_service(
        App::new()
            .wrap(HttpsRedirect::builder().build().unwrap())
            .default_service(web::to(HttpResponse::Ok)),
    )
    .await;
    let res = test::call_service(&app, get("/x", "evil.com").to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(location(&res).is_none());
}

#[actix_web::test]
async fn secure_hosts_gets_the_order_right() {
    let app = test::init_service(
        App::new()
            .wrap(SecureHosts::new(
                allowed(),
                HttpsRedirect::builder().build().unwrap(),
            ))
            .default_service(web::to(HttpResponse::Ok)),
    )
    .await;
    let res = test::call_service(&app, get("/x?y", "www.example.com").to_request()).await;
    assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(location(&res).unwrap(), "https://www.example.com/x?y");
    let res = test::call_service(&app, get("/healthz", "10.1.2.3:8000").to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = test::call_service(&app, get("/x", "evil.com").to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn secure_settings_round_trip() {
    let settings = Settings::from_toml_str(
        r#"
        allowed_hosts = ["testserver"]
        trusted_proxies = ["10.0.0.0/8"]
        [secure]
        ssl_redirect = true
        redirect_exempt = ["^insecure/"]
        exempt_health = false
        ssl_host = "secure.example.com"
        ssl_port = 8443
        redirect_status = 302
        redirect_status_unsafe = 307
        proxy_ssl_header = ["X-Forwarded-Proto", "https"]
        hsts_seconds = 60
        hsts_include_subdomains = true
        hsts_preload = true
        content_type_nosniff = false
        referrer_policy = ""
        cross_origin_opener_policy = "unsafe-none"
        "#,
    )
    .unwrap();
    let again = Settings::from_toml_str(&toml::to_string(&settings).unwrap()).unwrap();
    assert_eq!(again, settings);
    let redirect = settings.https_redirect().unwrap();
    assert!(!redirect.exemptions().is_exempt("/healthz"));
    let app = test::init_service(
        App::new()
            .wrap(settings.secure_hosts().unwrap())
            .default_service(web::to(HttpResponse::Ok)),
    )
    .await;
    let res = test::call_service(&app, get("/p?q", "testserver").to_request()).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        location(&res).unwrap(),
        "https://secure.example.com:8443/p?q"
    );
    let req = get("/p", "testserver")
        .peer_addr(peer(PROXY))
        .insert_header(("X-Forwarded-Proto", "https"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(
        res.headers()
            .get(header::STRICT_TRANSPORT_SECURITY)
            .unwrap(),
        "max-age=60; includeSubDomains; preload"
    );
    assert!(res.headers().get(header::REFERRER_POLICY).is_none());
    assert_eq!(
        res.headers().get("cross-origin-opener-policy").unwrap(),
        "unsafe-none"
    );
}
