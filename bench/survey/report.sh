#!/usr/bin/env bash
# Survey report-page benchmark (issue 4): a round with N stored responses (default 100,000
# simulated company responses), its report page under 64 concurrent connections (wrk), on SQLite
# and PostgreSQL: p50/p99 and requests/s. The first request computes the results; later ones are
# served from the results cache until a response changes (the time of that first computation is
# printed too).
#
#   bench/survey/report.sh [N] [DURATION]
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-100000}
duration=${2:-15s}
out=bench/out/survey-report
mkdir -p "$out"
command -v wrk >/dev/null || { echo "install wrk" >&2; exit 1; }
cargo build --release -q -p kojo --bin kojo
kojo=target/release/kojo
file=$out/company-$n.csv
[ -f "$file" ] || "$kojo" survey simulate --instrument company-2022 --n "$n" --seed 3 --out "$file"

run_backend() { # backend url
  local backend=$1 url=$2 port=18282
  export KOJO_DATABASE_URL=$url
  "$kojo" org add --kind ministry "経済産業省" >/dev/null
  echo 'benchmark-password-2026' | "$kojo" user add meti --role ministry-analyst --org "経済産業省" --password-stdin >/dev/null
  "$kojo" survey open --org "経済産業省" --instrument company-2022 "ベンチマーク" >/dev/null
  local started=$(date +%s.%N)
  "$kojo" survey import --round 1 "$file"
  echo "$backend: import of $n responses took $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s" | tee -a "$out/summary.txt"
  KOJO_LOG=warn "$kojo" serve --listen 127.0.0.1:$port > "$out/serve-$backend.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
  local cookie
  cookie=$(curl -s -o /dev/null -D - -X POST -H 'sec-fetch-site: same-origin' \
    --data 'login=meti&password=benchmark-password-2026&next=/' http://127.0.0.1:$port/login \
    | awk -F'[=;]' '/set-cookie: kojo_session/ {print $2}')
  local page="http://127.0.0.1:$port/rounds/1/report?section=H"
  local first
  first=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: kojo_session=$cookie" "$page")
  echo "$backend: first report request (computes the results) $first s" | tee -a "$out/summary.txt"
  wrk -t2 -c64 -d"$duration" --latency -H "Cookie: kojo_session=$cookie" "$page" > "$out/wrk-$backend.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk-$backend.txt")
  p50=$(awk '$1=="50%" {print $2}' "$out/wrk-$backend.txt")
  p99=$(awk '$1=="99%" {print $2}' "$out/wrk-$backend.txt")
  echo "$backend: report page ${rps} req/s, p50 ${p50}, p99 ${p99}" | tee -a "$out/summary.txt"
  kill $pid
  wait $pid 2>/dev/null || true
}

: > "$out/summary.txt"
echo "machine: $(nproc) cores; N=$n; kojo and wrk share the machine" | tee -a "$out/summary.txt"
tmp=$(mktemp -d)
run_backend sqlite "$tmp/kojo.db"
export -f run_backend
export n duration out kojo file
pg_virtualenv -t bash -c 'run_backend postgres "postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/$PGDATABASE"'
rm -rf "$tmp"
echo; cat "$out/summary.txt"
