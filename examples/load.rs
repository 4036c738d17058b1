//! A small HTTP/1.1 load generator for the example server, loopback only, bounded in requests
//! and time: `cargo run --release --example load -- --addr 127.0.0.1:8080 --host 10.1.2.3:8000`.
//!
//! Each connection is kept alive and sends one request at a time; the report gives requests per
//! second and latency percentiles. `scripts/load.sh` runs it against the example server for the
//! hosts that the README's figures list.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

struct Options {
    addr: SocketAddr,
    host: String,
    path: String,
    connections: usize,
    requests: usize,
    seconds: u64,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        addr: "127.0.0.1:8080".parse().map_err(|_| "default address")?,
        host: "10.1.2.3:8000".into(),
        path: "/".into(),
        connections: 32,
        requests: 200_000,
        seconds: 10,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag}: not a number"))
        };
        match flag.as_str() {
            "--addr" => options.addr = value.parse().map_err(|_| "--addr: not ADDR:PORT")?,
            "--host" => options.host = value,
            "--path" => options.path = value,
            "--connections" => options.connections = number()?.max(1),
            "--requests" => options.requests = number()?,
            "--seconds" => options.seconds = number()? as u64,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if !options.addr.ip().is_loopback() {
        return Err("the load generator only targets loopback addresses".into());
    }
    Ok(options)
}

/// Read one response on a keep-alive connection; returns its status.
fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> std::io::Result<u16> {
    buffer.clear();
    let mut chunk = [0u8; 4096];
    loop {
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
        let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < end + 4 + length {
            let read = stream.read(&mut chunk)?;
            if read == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            buffer.extend_from_slice(&chunk[..read]);
        }
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        return Ok(status);
    }
}

fn main() {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\n\r\n",
        options.path, options.host
    );
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let per_connection = options.requests.div_ceil(options.connections);
    let started = Instant::now();
    let workers: Vec<_> = (0..options.connections)
        .map(|_| {
            let request = request.clone();
            let addr = options.addr;
            std::thread::spawn(move || -> (Vec<Duration>, Vec<u16>) {
                let mut latencies = Vec::with_capacity(per_connection);
                let mut statuses = Vec::new();
                let Ok(mut stream) = TcpStream::connect(addr) else {
                    return (latencies, statuses);
                };
                let _ = stream.set_nodelay(true);
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut buffer = Vec::with_capacity(8192);
                for _ in 0..per_connection {
                    if Instant::now() >= deadline {
                        break;
                    }
                    let sent = Instant::now();
                    if stream.write_all(request.as_bytes()).is_err() {
                        break;
                    }
                    match read_response(&mut stream, &mut buffer) {
                        Ok(status) => {
                            latencies.push(sent.elapsed());
                            statuses.push(status);
                        }
                        Err(_) => break,
                    }
                }
                (latencies, statuses)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for worker in workers {
        if let Ok((l, s)) = worker.join() {
            latencies.extend(l);
            for status in s {
                *statuses.entry(status).or_default() += 1;
            }
        }
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1e6)
    };
    println!(
        "host={} requests={} seconds={:.2} rps={:.0} p50={:.0}us p99={:.0}us statuses={:?}",
        options.host,
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(0.50),
        percentile(0.99),
        statuses
    );
}
