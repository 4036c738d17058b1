//! The operator's tools: the check tool's output, live reload of the example server (SIGHUP and
//! file watch), and the Kubernetes examples staying in sync.

#[path = "support/server.rs"]
mod server;

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use server::{Server, example_binary};

const SAMPLE: &str = "examples/k8s/settings.toml";

fn check(args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(example_binary("check"))
        .args(args)
        .output()
        .expect("run the check tool");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn check_tool_explains_each_host() {
    let (code, stdout, _) = check(&[
        "--settings",
        SAMPLE,
        "www.example.com",
        "v2.api.example.com:443",
        "10.0.3.4:30080",
        "[::ffff:192.168.1.1]",
        "evil.com",
        "www.example..com",
        "10.1",
    ]);
    assert_eq!(
        stdout,
        "allowed   www.example.com  (exact name www.example.com)\n\
         allowed   v2.api.example.com:443  (subdomain of .api.example.com)\n\
         allowed   10.0.3.4:30080  (net 10.0.0.0/16)\n\
         allowed   [::ffff:192.168.1.1]  (net 192.168.0.0/16)\n\
         rejected  evil.com  (not allowed)\n\
         rejected  www.example..com  (syntax: empty label)\n\
         rejected  10.1  (not allowed)\n"
    );
    assert_eq!(code, Some(1), "a rejected host makes the exit status 1");

    let (code, _, _) = check(&["--settings", SAMPLE, "www.example.com", "10.0.0.1"]);
    assert_eq!(code, Some(0));
}

#[test]
fn check_tool_summarises_a_valid_file() {
    let (code, stdout, _) = check(&["--settings", SAMPLE]);
    assert_eq!(code, Some(0));
    assert_eq!(
        stdout,
        format!(
            "settings OK: {SAMPLE}\n  \
             hosts: 1 exact names, 1 subdomain patterns, 0 addresses, 2 nets (2 merged ranges)\n  \
             https redirect: on\n  \
             healthz: /healthz (exempt from the redirect)\n  \
             livez: /livez (exempt from the redirect)\n  \
             readyz: /readyz (exempt from the redirect)\n"
        )
    );
}

#[test]
fn check_tool_reports_every_problem_of_a_bad_file() {
    let dir = TempDir::new("check");
    let bad = dir.write(
        "bad.toml",
        "allowed_hosts = [\"*.example.com\", \"::1\"]\nallowed_cidr_nets = [\"10.0.0.1/8\"]\n",
    );
    let (code, stdout, stderr) = check(&["--settings", bad.to_str().unwrap(), "a.example.com"]);
    assert_eq!(code, Some(2));
    assert!(stdout.is_empty());
    assert!(stderr.contains("3 problems in the settings"), "{stderr}");
    assert!(
        stderr.contains("bad.toml:1:18: allowed_hosts[0]"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean \".example.com\""), "{stderr}");
    assert!(
        stderr.contains("bad.toml:1:35: allowed_hosts[1]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bad.toml:2:22: allowed_cidr_nets[0]"),
        "{stderr}"
    );
}

#[test]
fn configmap_holds_the_sample_settings() {
    let settings = std::fs::read_to_string(SAMPLE).unwrap();
    let configmap = std::fs::read_to_string("examples/k8s/configmap.yaml").unwrap();
    for line in settings.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            configmap.contains(&format!("    {line}\n")),
            "configmap lacks {line:?}"
        );
    }
    let deployment = std::fs::read_to_string("examples/k8s/deployment.yaml").unwrap();
    assert!(deployment.contains("path: /livez") && deployment.contains("path: /readyz"));
    let service = std::fs::read_to_string("examples/k8s/service.yaml").unwrap();
    assert!(service.contains("type: NodePort"));
}

#[test]
fn sighup_reloads_and_a_bad_file_keeps_the_old_policy() {
    let dir = TempDir::new("sighup");
    let file = dir.write("settings.toml", "allowed_hosts = [\"a.example\"]\n");
    // Two workers: each keeps its own reference to the policy and must notice the reload.
    let server = Server::start(&["--settings", file.to_str().unwrap(), "--workers", "2"]);
    assert_eq!(server.get("/livez", "a.example").status, 200);
    assert_eq!(server.get("/livez", "b.example").status, 400);

    dir.write("settings.toml", "allowed_hosts = [\"b.example\"]\n");
    server.signal("HUP");
    assert_eq!(next_line(&server), "reloaded");
    // New connections are spread over the workers.
    for _ in 0..10 {
        assert_eq!(server.get("/livez", "b.example").status, 200);
        assert_eq!(server.get("/livez", "a.example").status, 400);
    }

    dir.write("settings.toml", "allowed_hosts = [\"*.broken\"]\n");
    server.signal("HUP");
    assert_eq!(next_line(&server), "reload failed");
    assert_eq!(
        server.get("/livez", "b.example").status,
        200,
        "the old policy stays"
    );
}

#[test]
fn a_changed_file_is_reloaded_when_watched() {
    let dir = TempDir::new("watch");
    let file = dir.write("settings.toml", "allowed_hosts = [\"a.example\"]\n");
    let server = Server::start(&["--settings", file.to_str().unwrap(), "--watch-seconds", "1"]);
    assert_eq!(server.get("/livez", "c.example").status, 400);
    // Some file systems keep modification times in whole seconds: make the change visible.
    std::thread::sleep(Duration::from_millis(1100));
    dir.write("settings.toml", "allowed_hosts = [\"c.example\"]\n");
    assert_eq!(next_line(&server), "reloaded");
    assert_eq!(server.get("/livez", "c.example").status, 200);
}

fn next_line(server: &Server) -> String {
    server
        .stdout
        .recv_timeout(Duration::from_secs(15))
        .expect("the server reports the reload")
}

/// A temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("actix-allow-cidr-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        // Write and rename, as a ConfigMap update does, so a reader never sees half a file.
        let partial = self.0.join(format!(".{name}.partial"));
        std::fs::write(&partial, text).unwrap();
        std::fs::rename(&partial, &path).unwrap();
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
