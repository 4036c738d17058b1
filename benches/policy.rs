//! The per-request host check: exact hit, wildcard hit, CIDR hit, miss and syntax error, for
//! the example's small settings and for 10,000 names plus 10,000 nets.
//!
//! `cargo bench --bench policy`

use std::hint::black_box;

use actix_allow_cidr::{AllowedHosts, Settings};
use criterion::{Criterion, criterion_group, criterion_main};

/// The inputs: one host per case.
const CASES: [(&str, &str); 6] = [
    ("exact hit", "localhost:8080"),
    ("wildcard hit", "api.eu.example.com:8443"),
    ("cidr v4 hit", "10.1.2.3:8000"),
    ("cidr v6 hit", "[fd00::1234]:8000"),
    ("miss", "www.evil-example.net"),
    ("syntax error", "www.example..com"),
];

fn small() -> AllowedHosts {
    Settings::from_toml_str(include_str!("../examples/settings.toml"))
        .and_then(|s| s.allowed_hosts())
        .expect("example settings")
}

/// 10,000 names (half exact, half wildcard) and 10,000 nets (IPv4 /24s and IPv6 /48s), plus the
/// entries the cases hit.
fn large() -> AllowedHosts {
    let mut hosts: Vec<String> = (0..5_000)
        .map(|i| format!("host{i}.tenant{}.example.net", i % 97))
        .collect();
    hosts.extend((0..5_000).map(|i| format!(".customer{i}.example.org")));
    hosts.extend(["localhost".to_owned(), ".example.com".to_owned()]);
    let mut nets: Vec<String> = (0..5_000u32)
        .map(|i| {
            format!(
                "{}.{}.{}.0/24",
                11 + (i >> 16) % 100,
                (i >> 8) & 0xff,
                i & 0xff
            )
        })
        .collect();
    nets.extend((0..5_000u32).map(|i| format!("2001:db8:{:x}::/48", i)));
    nets.extend(["10.0.0.0/8".to_owned(), "fd00::/8".to_owned()]);
    AllowedHosts::builder()
        .hosts(hosts)
        .nets(nets)
        .build()
        .expect("large settings")
}

fn bench(c: &mut Criterion) {
    for (label, allowed) in [("small", small()), ("10k", large())] {
        let mut group = c.benchmark_group(format!("check/{label}"));
        for (case, host) in CASES {
            // The snapshot's check is the middleware's per-request decision.
            let policy = allowed.snapshot();
            group.bench_function(case, |b| b.iter(|| policy.check(black_box(host))));
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
