//! Live reload under load: the policy is swapped many times from another thread while requests
//! are served, and a bad reload leaves the old policy working.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use actix_allow_cidr::{AllowedHosts, Settings};
use actix_web::http::StatusCode;
use common::{app, status_for};

fn policy(extra: &str) -> actix_allow_cidr::AllowedHostsBuilder {
    AllowedHosts::builder()
        .hosts(["always.example", extra])
        .net("10.0.0.0/8")
}

#[actix_web::test]
async fn requests_are_served_while_the_policy_is_swapped() {
    let allowed = policy("a.example").build().unwrap();
    let handle = allowed.reload_handle();
    let app = app(allowed).await;
    let done = Arc::new(AtomicBool::new(false));
    let serving = Arc::new(AtomicBool::new(false));
    let swapper = {
        let done = Arc::clone(&done);
        let serving = Arc::clone(&serving);
        std::thread::spawn(move || {
            // Start swapping once requests are being served, so the two overlap.
            let started = Instant::now();
            while !serving.load(Ordering::Acquire) && started.elapsed() < Duration::from_secs(10) {
                std::thread::yield_now();
            }
            for round in 0..2_000 {
                let extra = if round % 2 == 0 {
                    "b.example"
                } else {
                    "a.example"
                };
                handle.reload(policy(extra)).unwrap();
            }
            // End on a known policy.
            handle.reload(policy("final.example")).unwrap();
            done.store(true, Ordering::Release);
        })
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut requests = 0;
    loop {
        let finished = done.load(Ordering::Acquire);
        // Allowed by every policy: never refused mid-swap.
        assert_eq!(status_for(&app, "always.example").await, StatusCode::OK);
        assert_eq!(status_for(&app, "10.1.2.3:8000").await, StatusCode::OK);
        assert_eq!(
            status_for(&app, "evil.example").await,
            StatusCode::BAD_REQUEST
        );
        // Allowed by one policy or the other: a whole policy each time, never an error.
        for host in ["a.example", "b.example"] {
            let status = status_for(&app, host).await;
            assert!(
                status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
                "{host}: {status}"
            );
        }
        requests += 5;
        serving.store(true, Ordering::Release);
        if finished || Instant::now() > deadline || requests > 200_000 {
            break;
        }
        actix_web::rt::task::yield_now().await;
    }
    swapper.join().unwrap();
    assert!(
        done.load(Ordering::Acquire),
        "the swapper finished within the time bound"
    );
    assert!(requests > 0);
    // After the last swap, requests see the final policy.
    assert_eq!(status_for(&app, "final.example").await, StatusCode::OK);
    assert_eq!(status_for(&app, "a.example").await, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn a_bad_reload_keeps_the_old_policy() {
    let allowed = policy("a.example").build().unwrap();
    let handle = allowed.reload_handle();
    let app = app(allowed).await;
    let bad = Settings::default();
    assert!(
        handle.reload_settings(&bad).is_err(),
        "nothing allowed is refused"
    );
    let err = handle
        .reload(AllowedHosts::builder().net("10.0.0.1/8"))
        .unwrap_err();
    assert!(err.to_string().contains("did you mean \"10.0.0.0/8\""));
    assert_eq!(status_for(&app, "a.example").await, StatusCode::OK);
    assert_eq!(status_for(&app, "always.example").await, StatusCode::OK);

    let good = Settings::from_toml_str("allowed_hosts = [\"new.example\"]").unwrap();
    handle.reload_settings(&good).unwrap();
    assert_eq!(status_for(&app, "new.example").await, StatusCode::OK);
    assert_eq!(status_for(&app, "a.example").await, StatusCode::BAD_REQUEST);
}
