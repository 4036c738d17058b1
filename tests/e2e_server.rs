//! End to end: the example server over real loopback sockets, raw HTTP/1.1.

#[path = "support/server.rs"]
mod server;

use server::{Server, run_to_exit};

#[test]
fn cidr_host_name_host_and_bad_hosts_over_tcp() {
    let server = Server::start(&[]);
    // As forwarded by the TLS-terminating balancer, so the example's HTTPS redirect stays out.
    let ok = server.get_https("/", "10.1.2.3:8000");
    assert_eq!((ok.status, ok.body.as_str()), (200, "ok"));
    assert_eq!(server.get_https("/", "www.example.com").status, 200);
    assert_eq!(server.get_https("/", "[fd00::1]:8080").status, 200);

    let evil = server.get_https("/", "evil.com");
    assert_eq!(evil.status, 400);
    assert!(
        !evil.body.contains("evil"),
        "the body never echoes the host"
    );

    let no_host = server.raw("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(no_host.status, 400);

    let two_hosts = server
        .raw("GET / HTTP/1.1\r\nHost: 10.1.2.3\r\nHost: 10.1.2.3\r\nConnection: close\r\n\r\n");
    assert_eq!(two_hosts.status, 400);

    let absolute_mismatch = server
        .raw("GET http://www.example.com/ HTTP/1.1\r\nHost: 10.1.2.3\r\nConnection: close\r\n\r\n");
    assert_eq!(absolute_mismatch.status, 400);
}

#[test]
fn bad_settings_file_exits_2_naming_the_entry() {
    let dir = std::env::temp_dir().join(format!("actix-allow-cidr-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(
        &path,
        "allowed_hosts = [\"a.example\"]\nallowed_cidr_nets = [\"10.0.0.1/8\"]\n",
    )
    .unwrap();
    let output = run_to_exit(&["--settings", path.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bad.toml:2:22"), "{stderr}");
    assert!(stderr.contains("allowed_cidr_nets[0]"), "{stderr}");
    assert!(stderr.contains("\"10.0.0.1/8\""), "{stderr}");
    assert!(stderr.contains("did you mean \"10.0.0.0/8\""), "{stderr}");
    assert!(output.stdout.is_empty(), "nothing was bound");
}

#[test]
fn health_check_by_node_ip_passes_and_bad_host_does_not() {
    let server = Server::start(&[]);
    let ok = server.get("/healthz", "10.1.2.3:8000");
    assert_eq!((ok.status, ok.body.as_str()), (200, "ok\n"));
    assert_eq!(ok.header("cache-control"), Some("no-store"));
    assert_eq!(server.get("/readyz", "[fd00::7]:8000").status, 200);
    assert_eq!(server.get("/livez", "192.168.49.2").status, 200);
    assert_eq!(server.get("/healthz", "evil.com").status, 400);
}

#[test]
fn ready_file_check_fails_while_the_file_is_missing() {
    let dir = std::env::temp_dir().join(format!("actix-allow-cidr-ready-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ready");
    let server = Server::start(&["--ready-file", file.to_str().unwrap()]);
    let missing = server.get("/readyz/ready-file?verbose", "10.0.0.1");
    assert_eq!(missing.status, 503);
    assert_eq!(missing.body, "[-]ready-file failed\nfailed\n");
    std::fs::write(&file, "").unwrap();
    // Readiness results are reused for 1 s (the default `cache_ms`).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let present = server.get("/readyz?verbose", "10.0.0.1");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(present.status, 200);
    assert_eq!(present.body, "[+]ready-file ok\nok\n");
}

#[test]
fn sigterm_fails_readiness_while_in_flight_requests_finish() {
    use std::time::{Duration, Instant};
    let server = Server::start(&["--drain-seconds", "3"]);
    let addr = server.addr;
    // A request that outlives the 3 s drain period: the graceful stop must wait for it. The
    // drain is long enough for the probes below to land inside it even on a loaded machine.
    let slow = std::thread::spawn(move || {
        server::raw_request(
            addr,
            "GET /slow?ms=4500 HTTP/1.1\r\nHost: 10.1.2.3:8000\r\nX-Forwarded-Proto: https\r\n\
             Connection: close\r\n\r\n",
        )
    });
    std::thread::sleep(Duration::from_millis(300));
    server.signal("TERM");
    let line = server
        .stdout
        .recv_timeout(Duration::from_secs(10))
        .expect("the server reports that it drains");
    assert_eq!(line, "draining");

    let ready = server.get("/readyz", "10.1.2.3:8000");
    assert_eq!(ready.status, 503, "readiness fails once draining");
    let live = server.get("/livez", "10.1.2.3:8000");
    assert_eq!(live.status, 200, "liveness does not");

    let slow = slow.join().unwrap();
    assert_eq!((slow.status, slow.body.as_str()), (200, "slept 4500 ms"));

    let mut server = server;
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn plain_http_redirects_and_the_health_check_does_not() {
    let server = Server::start(&[]);
    let plain = server.get("/some/url?query=string&x=%2F", "www.example.com");
    assert_eq!(plain.status, 301);
    assert_eq!(
        plain.header("location"),
        Some("https://www.example.com/some/url?query=string&x=%2F")
    );
    let post = server.raw(
        "POST /form?a=1 HTTP/1.1\r\nHost: www.example.com\r\nContent-Length: 3\r\n\
         Connection: close\r\n\r\nabc",
    );
    assert_eq!(post.status, 308);
    assert_eq!(
        post.header("location"),
        Some("https://www.example.com/form?a=1")
    );

    let health = server.get("/healthz", "10.1.2.3:8000");
    assert_eq!((health.status, health.body.as_str()), (200, "ok\n"));
    assert_eq!(health.header("location"), None);

    let secure = server.get_https("/", "www.example.com");
    assert_eq!(secure.status, 200);
    assert_eq!(
        secure.header("strict-transport-security"),
        Some("max-age=3600")
    );

    let evil = server.get("/x", "evil.com");
    assert_eq!(evil.status, 400);
    assert_eq!(evil.header("location"), None);
}
