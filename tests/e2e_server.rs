//! End to end: the example server over real loopback sockets, raw HTTP/1.1.

#[path = "support/server.rs"]
mod server;

use server::{Server, run_to_exit};

#[test]
fn cidr_host_name_host_and_bad_hosts_over_tcp() {
    let server = Server::start(&[]);
    let ok = server.get("/", "10.1.2.3:8000");
    assert_eq!((ok.status, ok.body.as_str()), (200, "ok"));
    assert_eq!(server.get("/", "www.example.com").status, 200);
    assert_eq!(server.get("/", "[fd00::1]:8080").status, 200);

    let evil = server.get("/", "evil.com");
    assert_eq!(evil.status, 400);
    assert!(
        !evil.body.contains("evil"),
        "the body never echoes the host"
    );

    let no_host = server.raw("GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
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
