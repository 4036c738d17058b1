#!/usr/bin/env bash
# Load test of the example server on loopback: builds in release mode, starts the server with
# 1 worker, runs examples/load.rs for each kind of host, and stops the server.
# Usage: scripts/load.sh [seconds-per-host]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-5}
cargo build --release --example server --example load
target/release/examples/server --bind 127.0.0.1:18080 --workers 1 >/tmp/actix-allow-cidr-load.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  grep -q listening /tmp/actix-allow-cidr-load.log 2>/dev/null && break
  sleep 0.1
done
for host in localhost:8080 www.example.com 10.1.2.3:8000 '[fd00::1]:8000' evil.com; do
  target/release/examples/load --addr 127.0.0.1:18080 --host "$host" \
    --connections 16 --requests 400000 --seconds "$seconds"
done
