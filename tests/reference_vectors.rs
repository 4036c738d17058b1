//! Every vector of `reference-vectors.md` (django-allow-cidr, Django, Rails), through a real
//! actix app built with `actix_web::test`.

mod common;

use std::net::SocketAddr;

use actix_allow_cidr::AllowedHosts;
use actix_web::test;
use common::{RAILS_NEVER_PASS, allowed, app, status_for};

const LEBOWSKI_HOSTS: &[&str] = &["thedude.abides.com", ".lebowski.biz"];
const LEBOWSKI_NETS: &[&str] = &[
    "192.168.1.0/24",
    "192.168.2.0/24",
    "2001:db8:0:1::/64",
    "2001:db8:0:2::/64",
];

#[actix_web::test]
async fn django_allow_cidr_suite() {
    let app = app(allowed(LEBOWSKI_HOSTS, LEBOWSKI_NETS)).await;
    for host in [
        "192.168.1.11",
        "192.168.2.200",
        "192.168.2.200:8000",
        "[2001:db8:0:1::11]",
        "[2001:db8:0:2::200]",
        "[2001:db8:0:2::200]:8000",
        "thedude.abides.com",
        "thebig.lebowski.biz",
        "thebig.lebowski.biz:8000",
    ] {
        assert_eq!(status_for(&app, host).await, 200, "{host} must pass");
    }
    for host in ["192.168.3.200", "[2001:db8:0:3::200]", "donnie.net"] {
        assert_eq!(status_for(&app, host).await, 400, "{host} must be rejected");
    }
}

#[actix_web::test]
async fn django_allow_cidr_bare_address_with_star() {
    let app = app(allowed(&["*"], &["192.168.1.1"])).await;
    for host in ["192.168.1.1", "10.0.0.1", "anything.example", "[::1]:8080"] {
        assert_eq!(status_for(&app, host).await, 200, "{host}");
    }
    // `*` allows every *valid* host, not every string.
    assert_eq!(status_for(&app, "a..b").await, 400);
}

const DJANGO_HOSTS: &[&str] = &[
    "forward.com",
    "example.com",
    "internal.com",
    "12.34.56.78",
    "[2001:19f0:feee::dead:beef:cafe]",
    "xn--4ca9at.com",
    ".multitenant.com",
    "INSENSITIVE.com",
    "[::ffff:169.254.169.254]",
];

#[actix_web::test]
async fn django_host_validation_suite() {
    let app = app(allowed(DJANGO_HOSTS, &[])).await;
    for host in [
        "example.com",
        "example.com:80",
        "12.34.56.78",
        "12.34.56.78:443",
        "[2001:19f0:feee::dead:beef:cafe]",
        "[2001:19f0:feee::dead:beef:cafe]:8080",
        "xn--4ca9at.com",
        "anything.multitenant.com",
        "multitenant.com",
        "insensitive.com",
        "example.com.",
        "example.com.:80",
        "[::ffff:169.254.169.254]",
    ] {
        assert_eq!(status_for(&app, host).await, 200, "{host} must pass");
    }
    for host in [
        "example.com@evil.tld",
        "example.com:dr.frankenstein@evil.tld",
        "example.com:dr.frankenstein@evil.tld:80",
        "example.com:80/badpath",
        "example.com: recovermypassword.com",
        "other.com",
        "example.com..",
        "invalid_hostname.com",
    ] {
        assert_eq!(status_for(&app, host).await, 400, "{host} must be rejected");
    }
}

/// Django accepts these; this crate deliberately does not (SPEC section 9).
#[actix_web::test]
async fn django_accepts_but_we_reject() {
    let app = app(allowed(&[".example.com"], &[])).await;
    for host in [
        "..example.com",
        "-.example.com",
        ".example.com",
        "a..example.com",
        "example.com:99999",
        "example.com:0",
    ] {
        assert_eq!(status_for(&app, host).await, 400, "{host} must be rejected");
    }
}

#[actix_web::test]
async fn django_forwarded_host() {
    let proxy: SocketAddr = "10.0.0.5:40000".parse().unwrap();
    let request = || {
        test::TestRequest::get()
            .peer_addr(proxy)
            .insert_header(("Host", "example.com"))
            .insert_header(("X-Forwarded-Host", "forward.com"))
    };
    // Off: `Host` is checked, the forwarded value is ignored.
    let off = AllowedHosts::builder()
        .hosts(["example.com"])
        .trusted_proxy("10.0.0.0/8")
        .build()
        .unwrap();
    let off = app(off).await;
    assert_eq!(
        test::call_service(&off, request().to_request())
            .await
            .status(),
        200
    );

    // On, peer trusted: the forwarded value is checked instead.
    let on = |hosts: &[&str]| {
        AllowedHosts::builder()
            .hosts(hosts.iter().copied())
            .trusted_proxy("10.0.0.0/8")
            .use_x_forwarded_host(true)
            .build()
            .unwrap()
    };
    let only_forward = app(on(&["forward.com"])).await;
    assert_eq!(
        test::call_service(&only_forward, request().to_request())
            .await
            .status(),
        200
    );
    let only_example = app(on(&["example.com"])).await;
    assert_eq!(
        test::call_service(&only_example, request().to_request())
            .await
            .status(),
        400,
        "with forwarding on, Host is no longer what is checked"
    );
}

#[actix_web::test]
async fn django_development_preset() {
    let app = app(AllowedHosts::builder().development().build().unwrap()).await;
    for host in ["localhost", "subdomain.localhost", "127.0.0.1", "[::1]"] {
        assert_eq!(status_for(&app, host).await, 200, "{host}");
    }
    assert_eq!(status_for(&app, "example.com").await, 400);
}

#[actix_web::test]
async fn rails_never_pass_as_host() {
    let app = app(allowed(&["example.com"], &[])).await;
    for host in RAILS_NEVER_PASS {
        assert_eq!(
            status_for(&app, host).await,
            400,
            "{host:?} must be rejected"
        );
    }
}

#[actix_web::test]
async fn rails_never_pass_as_forwarded_host() {
    let allowed = AllowedHosts::builder()
        .host("example.com")
        .trusted_proxy("127.0.0.1")
        .use_x_forwarded_host(true)
        .build()
        .unwrap();
    let app = app(allowed).await;
    for host in RAILS_NEVER_PASS {
        let req = test::TestRequest::get()
            .peer_addr("127.0.0.1:5000".parse().unwrap())
            .insert_header(("Host", "example.com"))
            .insert_header(("X-Forwarded-Host", *host))
            .to_request();
        // `hacker.com/example.com` etc. contain no comma, so the whole value is checked.
        assert_eq!(
            test::call_service(&app, req).await.status(),
            400,
            "{host:?}"
        );
    }
}

#[actix_web::test]
async fn rails_suffix_confusions() {
    let app = app(allowed(&[".example.com"], &[])).await;
    assert_eq!(status_for(&app, "attacker.com#x.example.com").await, 400);
    let app = common::app(allowed(&["sub.example.com"], &[])).await;
    assert_eq!(status_for(&app, "sub-example.com").await, 400);
    let app = common::app(allowed(&[".sub.example.com"], &[])).await;
    assert_eq!(status_for(&app, "sub-example.com").await, 400);
}
