#!/usr/bin/env bash
# Results-page benchmark (issue 3): 1,000 companies × 3 sites × 2 assessments, the results page
# under 64 concurrent connections (wrk, a second process), on SQLite and on PostgreSQL, with a
# static asset of the same server as the reference ceiling. Prints requests/s, p50, p99 and the
# ratio to the static asset. Needs: wrk, pg_virtualenv (postgresql). Not part of the test suite.
#
#   bench/assess/run.sh [COMPANIES] [DURATION]
set -euo pipefail
cd "$(dirname "$0")/../.."
companies=${1:-1000}
duration=${2:-20s}
out=bench/out/assess
mkdir -p "$out"
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }

cargo build --release -q -p kojo --bin kojo --example bench_seed
kojo=target/release/kojo
seed=target/release/examples/bench_seed

measure() { # name url [lua]
  local name=$1 url=$2 lua=${3:-}
  local args=(-t2 -c64 -d"$duration" --latency)
  [ -n "$lua" ] && args+=(-s "$lua")
  wrk "${args[@]}" "$url" > "$out/$name.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/$name.txt")
  p50=$(awk '$1=="50%" {print $2}' "$out/$name.txt")
  p99=$(awk '$1=="99%" {print $2}' "$out/$name.txt")
  echo "$name: ${rps} req/s, p50 ${p50}, p99 ${p99}" | tee -a "$out/summary.txt"
  echo "$rps"
}

run_backend() { # backend database-url
  local backend=$1 url=$2 port=18181
  echo "== $backend: seeding $companies companies"
  "$seed" "$url" "$companies" "$out/targets-$backend.txt"
  KOJO_LOG=warn "$kojo" serve --database-url "$url" --listen 127.0.0.1:$port > "$out/serve-$backend.log" 2>&1 &
  local pid=$!
  trap 'kill $pid 2>/dev/null || true' RETURN
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
  # Warm up, then measure.
  KOJO_TARGETS="$out/targets-$backend.txt" wrk -t2 -c16 -d3s -s bench/assess/targets.lua http://127.0.0.1:$port/ >/dev/null
  local page static
  page=$(KOJO_TARGETS="$out/targets-$backend.txt" measure "results-$backend" http://127.0.0.1:$port/ bench/assess/targets.lua | tail -1)
  static=$(measure "static-$backend" http://127.0.0.1:$port/assets/kojo.css | tail -1)
  echo "$backend: results page / static asset throughput = $(awk -v a="$page" -v b="$static" 'BEGIN {printf "%.2f", a/b}')" | tee -a "$out/summary.txt"
  kill $pid
}

: > "$out/summary.txt"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; kojo and wrk share the machine" | tee -a "$out/summary.txt"
tmp=$(mktemp -d)
run_backend sqlite "$tmp/kojo.db"
export -f run_backend measure
export companies duration out kojo seed
pg_virtualenv -t bash -c 'run_backend postgres "postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE"'
rm -rf "$tmp"
echo; cat "$out/summary.txt"
