//! What `AllowedHosts` adds to a request through actix's service stack: the same app with and
//! without the middleware, driven by `actix_web::test`. The difference between the two is the
//! middleware's cost per request (the request construction is the same on both sides).
//!
//! `cargo bench --bench middleware`

use actix_allow_cidr::AllowedHosts;
use actix_web::{App, HttpResponse, test, web};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let runtime = actix_web::rt::System::new();
    let allowed = AllowedHosts::builder()
        .hosts(["localhost", ".example.com"])
        .nets(["10.0.0.0/8", "fd00::/8"])
        .build()
        .expect("valid settings");
    let bare = runtime.block_on(test::init_service(
        App::new().default_service(web::to(HttpResponse::Ok)),
    ));
    let wrapped = runtime.block_on(test::init_service(
        App::new()
            .wrap(allowed)
            .default_service(web::to(HttpResponse::Ok)),
    ));
    let noop = runtime.block_on(test::init_service(
        App::new()
            .wrap(actix_web::middleware::DefaultHeaders::new())
            .default_service(web::to(HttpResponse::Ok)),
    ));
    let request = |host: &str| {
        test::TestRequest::get()
            .insert_header(("Host", host))
            .to_request()
    };

    let mut group = c.benchmark_group("request");
    group.bench_function("without middleware", |b| {
        b.iter(|| runtime.block_on(test::call_service(&bare, request("www.example.com"))))
    });
    group.bench_function("with a no-op middleware", |b| {
        b.iter(|| runtime.block_on(test::call_service(&noop, request("www.example.com"))))
    });
    for (case, host) in [
        ("allowed name", "www.example.com"),
        ("allowed net", "10.1.2.3:8000"),
        ("rejected", "evil.com"),
    ] {
        group.bench_function(format!("with AllowedHosts, {case}"), |b| {
            b.iter(|| runtime.block_on(test::call_service(&wrapped, request(host))))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
