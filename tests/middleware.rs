//! `AllowedHosts` in the request flow: which host is checked, the rejection response, what is
//! left in the extensions, and the log line.

mod common;

use std::sync::{Arc, Mutex};

use actix_allow_cidr::host::HostError;
use actix_allow_cidr::{AllowedHosts, HostRejected, RejectReason, ValidatedHost};
use actix_web::http::{StatusCode, Version, header};
use actix_web::{App, HttpMessage, HttpRequest, HttpResponse, test, web};
use common::{allowed, app, status_for};

/// The reason `AllowedHosts` put in the response extensions, if it refused the request.
fn rejection<B>(res: &actix_web::dev::ServiceResponse<B>) -> Option<RejectReason> {
    res.response()
        .extensions()
        .get::<HostRejected>()
        .map(|r| r.reason)
}

fn example() -> AllowedHosts {
    allowed(&["a.example", ".example.com"], &["10.0.0.0/8"])
}

#[actix_web::test]
async fn http2_style_authority_without_host() {
    let app = app(example()).await;
    let req = test::TestRequest::get()
        .uri("https://a.example/x")
        .version(Version::HTTP_2)
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status(), 200);
    let req = test::TestRequest::get()
        .uri("https://evil.com/x")
        .version(Version::HTTP_2)
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status(), 400);
    let req = test::TestRequest::get()
        .uri("https://10.1.2.3:8443/x")
        .version(Version::HTTP_2)
        .to_request();
    assert_eq!(test::call_service(&app, req).await.status(), 200);
}

#[actix_web::test]
async fn absolute_form_with_mismatching_host_is_rejected() {
    let app = app(example()).await;
    let call = |host: &'static str| {
        test::TestRequest::get()
            .uri("http://a.example/x")
            .insert_header(("Host", host))
            .to_request()
    };
    assert_eq!(
        test::call_service(&app, call("A.Example.")).await.status(),
        200
    );
    assert_eq!(
        test::call_service(&app, call("a.example:80"))
            .await
            .status(),
        200
    );
    let res = test::call_service(&app, call("www.example.com")).await;
    assert_eq!(res.status(), 400, "both allowed, but they disagree");
    assert_eq!(rejection(&res), Some(RejectReason::Mismatch));
}

#[actix_web::test]
async fn missing_and_duplicate_host() {
    let app = app(example()).await;
    let res = test::call_service(&app, test::TestRequest::get().to_request()).await;
    assert_eq!(res.status(), 400);
    assert_eq!(rejection(&res), Some(RejectReason::Missing));
    let req = test::TestRequest::get()
        .append_header(("Host", "a.example"))
        .append_header(("Host", "a.example"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 400);
    assert_eq!(rejection(&res), Some(RejectReason::Duplicate));
}

#[actix_web::test]
async fn ipv4_mapped_ipv6_is_looked_up_in_ipv4_nets() {
    let app = app(example()).await;
    assert_eq!(status_for(&app, "[::ffff:10.0.0.1]").await, 200);
    assert_eq!(status_for(&app, "[::ffff:10.0.0.1]:8000").await, 200);
    assert_eq!(status_for(&app, "[::ffff:11.0.0.1]").await, 400);
    // IP-shaped names are names: never looked up in nets.
    for host in ["10.1", "167772161", "0x0a.0.0.1", "010.0.0.1"] {
        assert_eq!(status_for(&app, host).await, 400, "{host}");
    }
}

#[actix_web::test]
async fn rejection_response_is_fixed_and_never_echoes_the_host() {
    let app = app(example()).await;
    let req = test::TestRequest::get()
        .insert_header(("Host", "evil-attacker.com"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        res.headers().get(header::CONTENT_TYPE).unwrap(),
        "text/plain; charset=utf-8"
    );
    assert_eq!(rejection(&res), Some(RejectReason::NotAllowed));
    let body = test::read_body(res).await;
    assert_eq!(body, "Invalid Host header\n");

    let req = test::TestRequest::get()
        .insert_header(("Host", "a..example.com"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(
        rejection(&res),
        Some(RejectReason::Syntax(HostError::EmptyLabel))
    );
}

#[actix_web::test]
async fn reject_status_is_configurable() {
    for status in [StatusCode::FORBIDDEN, StatusCode::MISDIRECTED_REQUEST] {
        let allowed = AllowedHosts::builder()
            .host("a.example")
            .reject_status(status)
            .build()
            .unwrap();
        let app = app(allowed).await;
        assert_eq!(status_for(&app, "b.example").await, status);
    }
}

#[actix_web::test]
async fn validated_host_reaches_the_handler() {
    let app = test::init_service(App::new().wrap(example()).default_service(web::to(
        |req: HttpRequest| async move {
            let host = req.extensions().get::<ValidatedHost>().cloned();
            match host {
                Some(host) => HttpResponse::Ok().body(format!(
                    "{}|{}|{:?}|{:?}",
                    host.host(),
                    host.authority(),
                    host.port(),
                    host.ip()
                )),
                None => HttpResponse::InternalServerError().finish(),
            }
        },
    )))
    .await;
    let req = test::TestRequest::get()
        .insert_header(("Host", "WWW.Example.COM.:8443"))
        .to_request();
    assert_eq!(
        test::call_and_read_body(&app, req).await,
        "www.example.com|www.example.com:8443|Some(8443)|None"
    );
    let req = test::TestRequest::get()
        .insert_header(("Host", "10.1.2.3:8000"))
        .to_request();
    assert_eq!(
        test::call_and_read_body(&app, req).await,
        "10.1.2.3|10.1.2.3:8000|Some(8000)|Some(10.1.2.3)"
    );
}

#[actix_web::test]
async fn forwarded_headers_from_untrusted_peers_are_ignored() {
    let allowed = AllowedHosts::builder()
        .host("a.example")
        .trusted_proxy("10.0.0.0/8")
        .use_x_forwarded_host(true)
        .build()
        .unwrap();
    let app = app(allowed).await;
    let cases = [
        // Untrusted peer: X-Forwarded-Host (disallowed) is ignored and Host is checked.
        (
            "192.0.2.1:1000",
            "a.example",
            ("X-Forwarded-Host", "evil.com"),
            200,
        ),
        // Trusted peer: the last element of the list is the one checked.
        (
            "10.0.0.1:1000",
            "internal",
            ("X-Forwarded-Host", "evil.com, a.example"),
            200,
        ),
        (
            "10.0.0.1:1000",
            "a.example",
            ("X-Forwarded-Host", "a.example, evil.com"),
            400,
        ),
        // RFC 7239 Forwarded: host= is used when X-Forwarded-Host is absent.
        (
            "10.0.0.1:1000",
            "internal",
            ("Forwarded", "for=192.0.2.1;host=a.example;proto=https"),
            200,
        ),
        (
            "10.0.0.1:1000",
            "a.example",
            ("Forwarded", "for=192.0.2.1;host=evil.com"),
            400,
        ),
    ];
    for (peer, host, forwarded, status) in cases {
        let req = test::TestRequest::get()
            .peer_addr(peer.parse().unwrap())
            .insert_header(("Host", host))
            .insert_header(forwarded)
            .to_request();
        assert_eq!(
            test::call_service(&app, req).await.status(),
            status,
            "{peer} {forwarded:?}"
        );
    }
}

#[actix_web::test]
async fn rejection_runs_before_the_app_and_outer_middleware_sees_it() {
    let reached = Arc::new(Mutex::new(0));
    let counter = Arc::clone(&reached);
    let app = test::init_service(
        App::new()
            .wrap(example())
            // Wrapped after AllowedHosts, so outside it (like a Logger would be).
            .wrap_fn(|req, srv| {
                use actix_web::dev::Service;
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    let rejected = res.response().extensions().get::<HostRejected>().is_some();
                    res.headers_mut().insert(
                        header::HeaderName::from_static("x-outer-saw-rejection"),
                        header::HeaderValue::from_static(if rejected { "yes" } else { "no" }),
                    );
                    Ok(res)
                }
            })
            .default_service(web::to(move || {
                *counter.lock().unwrap() += 1;
                async { HttpResponse::Ok().finish() }
            })),
    )
    .await;
    let req = test::TestRequest::get()
        .insert_header(("Host", "evil.com"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.headers().get("x-outer-saw-rejection").unwrap(), "yes");
    assert_eq!(*reached.lock().unwrap(), 0, "the handler never ran");
}
