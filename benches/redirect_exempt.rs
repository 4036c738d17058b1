//! The `redirect_exempt` match that `HttpsRedirect` runs on every plain-HTTP request, with 1 and
//! with 100 patterns. `cargo bench --bench redirect_exempt`

use std::hint::black_box;

use actix_allow_cidr::RedirectExempt;
use criterion::{Criterion, criterion_group, criterion_main};

fn patterns(count: usize) -> Vec<String> {
    let mut patterns = vec!["^healthz$".to_owned()];
    patterns.extend((1..count).map(|i| format!("^api/v{i}/public/")));
    patterns
}

fn bench(c: &mut Criterion) {
    for count in [1, 100] {
        let exempt = RedirectExempt::new(patterns(count)).expect("valid patterns");
        let mut group = c.benchmark_group(format!("exempt/{count}"));
        group.bench_function("hit", |b| {
            b.iter(|| exempt.is_exempt(black_box("/healthz")))
        });
        group.bench_function("miss", |b| {
            b.iter(|| exempt.is_exempt(black_box("/accounts/login/next/page")))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
