//! What the middlewares log. One global subscriber for this test binary (a thread-local one races
//! with tracing's per-callsite interest cache when other tests log on other threads), and the
//! tests take turns so that each reads only its own lines.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use actix_allow_cidr::HttpsRedirect;
use actix_web::test as actix_test;
use common::{allowed, app, status_for};

/// Everything logged in this test binary.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Install the subscriber once, take this test's turn, and start from an empty log.
fn logs() -> (Captured, MutexGuard<'static, ()>) {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    static TURN: Mutex<()> = Mutex::new(());
    let captured = CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            tracing_subscriber::fmt()
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .with_max_level(tracing::Level::WARN)
                .init();
            captured
        })
        .clone();
    let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    captured.0.lock().unwrap_or_else(|e| e.into_inner()).clear();
    (captured, turn)
}

fn text(captured: &Captured) -> String {
    String::from_utf8_lossy(&captured.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
}

/// Run an async test body on its own actix system, holding this test's turn outside of it.
fn run(body: impl std::future::Future<Output = ()>) {
    actix_web::rt::System::new().block_on(body);
}

#[test]
fn rejections_are_logged_escaped_and_rate_limited() {
    let (captured, _turn) = logs();
    run(async move {
        let app = app(allowed(&["a.example"], &["10.0.0.0/8"])).await;
        let req = actix_test::TestRequest::get()
            .insert_header(("Host", "evil\tcom"))
            .peer_addr("192.0.2.7:4444".parse().unwrap())
            .uri("/login?next=x")
            .to_request();
        assert_eq!(actix_test::call_service(&app, req).await.status(), 400);
        let log = text(&captured);
        assert!(log.contains("actix_allow_cidr::disallowed_host"), "{log}");
        assert!(log.contains("reason=\"syntax\""), "{log}");
        assert!(log.contains("host=evil\\tcom"), "{log}");
        assert!(log.contains("peer=192.0.2.7:4444"), "{log}");
        assert!(log.contains("path=\"/login\""), "{log}");

        // A flood: 200 refusals within one second log at most a handful of lines.
        for _ in 0..200 {
            assert_eq!(status_for(&app, "flood.example").await, 400);
        }
        let lines = text(&captured).lines().count();
        assert!(lines <= 12, "{lines} log lines for 201 refusals");
    });
}

#[test]
fn startup_warning_when_health_paths_are_not_exempt() {
    let (captured, _turn) = logs();
    let _quiet = HttpsRedirect::builder().build().unwrap();
    assert_eq!(
        text(&captured),
        "",
        "health paths exempt by default: no warning"
    );
    let _loud = HttpsRedirect::builder()
        .exempt_health(false)
        .build()
        .unwrap();
    let log = text(&captured);
    for path in ["/healthz", "/livez", "/readyz"] {
        assert!(
            log.contains(&format!("the health path {path} is not exempt")),
            "{log}"
        );
    }
    let before = text(&captured).len();
    let _covered = HttpsRedirect::builder()
        .exempt_health(false)
        .exempts(["^healthz$", "^livez$", "^readyz"])
        .build()
        .unwrap();
    let _off = HttpsRedirect::builder()
        .redirect(false)
        .exempt_health(false)
        .build()
        .unwrap();
    assert_eq!(
        text(&captured).len(),
        before,
        "no warning when covered or when off"
    );
}

#[test]
fn wrong_order_is_logged_as_an_error() {
    let (captured, _turn) = logs();
    run(async move {
        let app = actix_test::init_service(
            actix_web::App::new()
                .wrap(allowed(&["a.example"], &[]))
                .wrap(HttpsRedirect::builder().build().unwrap())
                .default_service(actix_web::web::to(actix_web::HttpResponse::Ok)),
        )
        .await;
        assert_eq!(status_for(&app, "a.example").await, 400);
        let log = text(&captured);
        assert!(log.contains("ERROR"), "{log}");
        assert!(log.contains("wrapped in the wrong order"), "{log}");
    });
}
