//! Start the example server on a free loopback port and talk raw HTTP/1.1 to it.

#![allow(dead_code)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, mpsc};
use std::time::Duration;

/// The examples built by this test binary so far.
static BUILT: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// Path of the example binary that `cargo test` builds next to the test binaries.
pub fn example_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let path = profile_dir.join("examples").join(name);
    // `cargo test` builds the examples before any test runs, but `cargo test --test <one>` does
    // not: build it here so that a stale binary is never tested. Up to date, this is a no-op.
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if built
        .get_or_insert_with(HashSet::new)
        .insert(name.to_owned())
    {
        let mut cargo = Command::new(env!("CARGO"));
        cargo.args(["build", "--quiet", "--example", name]);
        // The same profile and features as this test run, so nothing is rebuilt needlessly.
        if profile_dir.file_name().is_some_and(|p| p == "release") {
            cargo.arg("--release");
        }
        if cfg!(feature = "json") {
            cargo.args(["--features", "json"]);
        }
        let status = cargo.status().expect("run cargo build");
        assert!(status.success(), "cargo build --example {name} failed");
    }
    path
}

/// A running example server, killed on drop.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
    /// The lines the server prints on stdout after the address line.
    pub stdout: mpsc::Receiver<String>,
}

impl Server {
    /// Start the example server with extra arguments; waits (at most 60 s) for its address.
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(example_binary("server"))
            .args(["--bind", "127.0.0.1:0", "--workers", "1"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the example server");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines
            .recv_timeout(Duration::from_secs(60))
            .expect("the server prints its address");
        let addr = first
            .strip_prefix("listening on http://")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
        Server {
            child,
            addr,
            stdout: lines,
        }
    }

    /// Send raw request bytes on a new connection; answers (status, headers, body).
    pub fn raw(&self, request: &str) -> Response {
        raw_request(self.addr, request)
    }

    /// A plain-HTTP GET with this Host header.
    pub fn get(&self, path: &str, host: &str) -> Response {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    }

    /// A GET as the TLS-terminating load balancer forwards it (the example trusts loopback).
    pub fn get_https(&self, path: &str, host: &str) -> Response {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
        ))
    }

    /// Send a signal to the server process.
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A parsed HTTP/1.1 response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    /// A header's value, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

pub fn raw_request(addr: SocketAddr, request: &str) -> Response {
    let mut stream =
        TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect to server");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(request.as_bytes()).expect("send request");
    let mut bytes = Vec::new();
    // The server closes after `Connection: close` or an error; the timeout bounds the wait.
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    Response {
        status,
        head: head.to_owned(),
        body: decode_chunked_if_needed(head, body),
    }
}

fn decode_chunked_if_needed(head: &str, body: &str) -> String {
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return body.to_owned();
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// Run the example server to completion with these arguments (for start-up failures).
pub fn run_to_exit(args: &[&str]) -> Output {
    Command::new(example_binary("server"))
        .args(["--bind", "127.0.0.1:0"])
        .args(args)
        .output()
        .expect("run the example server")
}
