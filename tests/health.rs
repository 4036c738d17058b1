//! The health endpoints through `actix_web::test`.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use actix_allow_cidr::health::{CheckOutcome, Health};
use actix_web::http::{Method, StatusCode, header};
use actix_web::{App, test, web};

async fn call(
    health: &Health,
    method: Method,
    uri: &str,
    accept: Option<&str>,
) -> (StatusCode, String, String) {
    let app = test::init_service(App::new().configure(|cfg| health.mount(cfg))).await;
    call_app(&app, method, uri, accept).await
}

async fn call_app<S, B>(
    app: &S,
    method: Method,
    uri: &str,
    accept: Option<&str>,
) -> (StatusCode, String, String)
where
    S: actix_web::dev::Service<
            actix_http::Request,
            Response = actix_web::dev::ServiceResponse<B>,
            Error = actix_web::Error,
        >,
    B: actix_web::body::MessageBody,
{
    let mut req = test::TestRequest::default().method(method).uri(uri);
    if let Some(accept) = accept {
        req = req.insert_header((header::ACCEPT, accept));
    }
    let res = test::call_service(app, req.to_request()).await;
    let status = res.status();
    assert_eq!(
        res.headers().get(header::CACHE_CONTROL).unwrap(),
        "no-store",
        "{uri}"
    );
    assert_eq!(
        res.headers().get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff",
        "{uri}"
    );
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let body = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
    (status, content_type, body)
}

fn passing() -> Health {
    Health::builder()
        .check("db", || async { Ok::<(), String>(()) })
        .build()
        .unwrap()
}

fn mixed() -> Health {
    Health::builder()
        .cache_for(Duration::ZERO)
        .check("db", || async { Ok::<(), String>(()) })
        .check("cache", || async { Err::<(), _>("connection refused") })
        .check_with_timeout("slow", Duration::from_millis(50), || async {
            actix_web::rt::time::sleep(Duration::from_secs(5)).await;
            Ok::<(), String>(())
        })
        .build()
        .unwrap()
}

#[actix_web::test]
async fn every_endpoint_answers_get_and_head() {
    let health = passing();
    for path in ["/healthz", "/livez", "/readyz", "/readyz/db"] {
        let (status, content_type, body) = call(&health, Method::GET, path, None).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"), "{path}");
        assert_eq!(content_type, "text/plain; charset=utf-8");
        let (status, _, body) = call(&health, Method::HEAD, path, None).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, ""), "HEAD {path}");
    }
    let app = test::init_service(App::new().configure(|cfg| health.mount(cfg))).await;
    let req = test::TestRequest::post().uri("/healthz").to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[actix_web::test]
async fn failing_and_timed_out_checks_fail_readiness_not_liveness() {
    let health = mixed();
    let (status, _, body) = call(&health, Method::GET, "/readyz", None).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "failed\n")
    );
    let (status, _, _) = call(&health, Method::GET, "/healthz", None).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "healthz follows readiness"
    );
    let (status, _, body) = call(&health, Method::GET, "/livez", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
}

#[actix_web::test]
async fn verbose_exclude_and_single_check() {
    let health = mixed();
    let (status, _, body) = call(&health, Method::GET, "/readyz?verbose", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "[+]db ok\n[-]cache failed\n[-]slow failed\nfailed\n");
    assert!(!body.contains("refused"), "reasons stay in the log");

    let (status, _, body) = call(
        &health,
        Method::GET,
        "/readyz?verbose&exclude=cache&exclude=slow",
        None,
    )
    .await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "[+]db ok\nok\n"));

    let (status, _, _) = call(&health, Method::GET, "/readyz/db", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = call(&health, Method::GET, "/readyz/cache?verbose", None).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "[-]cache failed\nfailed\n")
    );
    let (status, _, _) = call(&health, Method::GET, "/readyz/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn health_json_format() {
    let health = mixed();
    let (status, content_type, body) = call(
        &health,
        Method::GET,
        "/readyz",
        Some("application/health+json"),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(content_type, "application/health+json");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "fail");
    assert_eq!(json["checks"]["db"][0]["status"], "pass");
    assert_eq!(json["checks"]["cache"][0]["status"], "fail");
    assert_eq!(json["checks"]["slow"][0]["status"], "fail");
    assert!(json["checks"]["slow"][0]["observedValue"].as_f64().unwrap() >= 0.0);
    assert!(
        json["checks"]["db"][0]["time"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );

    let warn = Health::builder()
        .check("replica", || async { CheckOutcome::Warn("lagging".into()) })
        .build()
        .unwrap();
    let (status, _, body) = call(
        &warn,
        Method::GET,
        "/healthz",
        Some("text/html, application/health+json;q=0.9"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "warn still serves");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "warn");
    let (status, _, body) = call(
        &warn,
        Method::GET,
        "/livez",
        Some("application/health+json"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["status"],
        "pass"
    );
}

fn counting(cache_for: Duration, delay: Duration) -> (Health, Arc<AtomicUsize>) {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&runs);
    let health = Health::builder()
        .cache_for(cache_for)
        .check("counted", move || {
            let counter = Arc::clone(&counter);
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                actix_web::rt::time::sleep(delay).await;
                Ok::<(), String>(())
            }
        })
        .build()
        .unwrap();
    (health, runs)
}

#[actix_web::test]
async fn results_are_cached() {
    let (health, runs) = counting(Duration::from_secs(60), Duration::ZERO);
    let app = test::init_service(App::new().configure(|cfg| health.mount(cfg))).await;
    for path in ["/readyz", "/healthz", "/readyz?verbose"] {
        assert_eq!(
            call_app(&app, Method::GET, path, None).await.0,
            StatusCode::OK
        );
    }
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "three probes within the cache time, one run"
    );

    let (uncached, runs) = counting(Duration::ZERO, Duration::ZERO);
    let app = test::init_service(App::new().configure(|cfg| uncached.mount(cfg))).await;
    for _ in 0..3 {
        call_app(&app, Method::GET, "/readyz", None).await;
    }
    assert_eq!(runs.load(Ordering::SeqCst), 3, "no cache: a run per probe");
}

#[actix_web::test]
async fn concurrent_probes_share_one_run() {
    let (health, runs) = counting(Duration::ZERO, Duration::from_millis(200));
    let app = test::init_service(App::new().configure(|cfg| health.mount(cfg))).await;
    let probes = (0..8).map(|_| call_app(&app, Method::GET, "/readyz", None));
    let results = futures_util::future::join_all(probes).await;
    assert!(
        results
            .iter()
            .all(|(status, _, _)| *status == StatusCode::OK)
    );
    assert_eq!(
        runs.load(Ordering::SeqCst),
        1,
        "eight concurrent probes, one run"
    );
}

#[actix_web::test]
async fn a_panicking_check_is_a_failure() {
    let health = Health::builder()
        .check("boom", || async {
            if true {
                panic!("check exploded");
            }
            Ok::<(), String>(())
        })
        .build()
        .unwrap();
    let (status, _, body) = call(&health, Method::GET, "/readyz?verbose", None).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, "[-]boom failed\nfailed\n")
    );
}

#[actix_web::test]
async fn shutdown_flips_readiness_but_not_liveness() {
    let health = passing();
    let shutdown = health.shutdown_handle();
    let app = test::init_service(App::new().configure(|cfg| health.mount(cfg))).await;
    assert_eq!(
        call_app(&app, Method::GET, "/readyz", None).await.0,
        StatusCode::OK
    );
    shutdown.start_draining();
    let (status, _, body) = call_app(&app, Method::GET, "/readyz?verbose", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, "[+]db ok\n[-]shutdown failed\nfailed\n");
    assert_eq!(
        call_app(&app, Method::GET, "/healthz", None).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        call_app(&app, Method::GET, "/livez", None).await.0,
        StatusCode::OK
    );
    // Without any checks too.
    let bare = Health::builder().build().unwrap();
    bare.shutdown_handle().start_draining();
    assert_eq!(
        call(&bare, Method::GET, "/readyz", None).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[actix_web::test]
async fn configurable_paths_and_scopes() {
    let health = Health::builder()
        .healthz_path("/health")
        .livez_path("/alive")
        .readyz_path("/ready")
        .build()
        .unwrap();
    let app = test::init_service(
        App::new().service(web::scope("/ops").configure(|cfg| health.mount(cfg))),
    )
    .await;
    for path in ["/ops/health", "/ops/alive", "/ops/ready"] {
        assert_eq!(
            call_app(&app, Method::GET, path, None).await.0,
            StatusCode::OK,
            "{path}"
        );
    }
    let req = test::TestRequest::get().uri("/healthz").to_request();
    assert_eq!(
        test::call_service(&app, req).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn bad_health_settings_are_config_errors() {
    let err = actix_allow_cidr::Settings::from_toml_str(
        "development = true\n[health]\nreadyz_path = \"ready\"\ncheck_timeout_ms = 0\n",
    )
    .unwrap_err();
    assert_eq!(
        common::problem_keys(&err),
        [
            "health.readyz_path@Some((3, 15))",
            "health.check_timeout_ms@Some((4, 20))"
        ]
    );
}
