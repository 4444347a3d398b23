#!/usr/bin/env bash
# Plant model page benchmark (issue 9): a site with a simulated plant of ASSETS assets
# (`kojo plant simulate`), its model page (/sites/1/plant: diagram, every table, the data-flow
# matrices) under 64 connections (wrk, 2 threads, a second process on the same cores), signed in
# as the company's administrator, on SQLite, and again with one connection (one user's latency);
# with a static asset of the same server as the reference ceiling in the same run. Prints
# requests/s, p50, p99 and the page's size.
# Target: p99 < 100 ms with 1,000 assets. Needs wrk (apt-get install wrk).
#
#   bench/plant/page.sh [ASSETS] [ZONES] [DURATION]
set -euo pipefail
cd "$(dirname "$0")/../.."
assets=${1:-1000}
zones=${2:-20}
duration=${3:-20s}
out=bench/out/plant-page
mkdir -p "$out"
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)" >&2; exit 1; }

cargo build --release -q -p kojo --bin kojo
kojo=$PWD/target/release/kojo
db=$(mktemp -d)
export KOJO_DATABASE_URL="$db/kojo.db" KOJO_LOG=warn
"$kojo" migrate > /dev/null
"$kojo" org add --kind company ベンチ製作所 > /dev/null
"$kojo" site add --org ベンチ製作所 本社工場 > /dev/null
echo "bench-password-2026" | "$kojo" user add bench --role company-admin --org ベンチ製作所 --password-stdin > /dev/null
"$kojo" plant simulate --assets "$assets" --zones "$zones" --seed 2026 --site 1

port=18283
"$kojo" serve --listen 127.0.0.1:$port > "$out/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$db"' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.1; done
curl -sf -o /dev/null -c "$out/cookies" -d "login=bench&password=bench-password-2026" http://127.0.0.1:$port/login || true
cookie=$(awk '$6=="kojo_session" {print "kojo_session=" $7}' "$out/cookies")
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
page=http://127.0.0.1:$port/sites/1/plant
bytes=$(curl -sf -H "Cookie: $cookie" -o "$out/page.html" -w '%{size_download}' "$page")
grep -q 'id="assets"' "$out/page.html" || { echo "not the model page" >&2; exit 1; }

measure() { # name url [connections]
  local c=${3:-64} t=2
  [ "$c" -ge 2 ] || t=1
  wrk -t$t -c"$c" -d"$duration" --latency -H "Cookie: $cookie" "$2" > "$out/$1.txt"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$out/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$out/$1.txt")
  echo "$1: ${rps} req/s, p50 ${p50}, p99 ${p99}" | tee -a "$out/summary.txt"
}

: > "$out/summary.txt"
echo "machine: $(nproc) cores, load $(uptime | sed 's/.*load average: //'); kojo and wrk share it" | tee -a "$out/summary.txt"
echo "model page: $assets assets, $zones zones, $bytes bytes of HTML" | tee -a "$out/summary.txt"
wrk -t2 -c16 -d3s -H "Cookie: $cookie" "$page" > /dev/null   # warm up
measure plant-page "$page"
measure plant-page-one-user "$page" 1
measure static http://127.0.0.1:$port/assets/kojo.css
grep -q ' 200 \|Non-2xx' "$out/plant-page.txt" && grep 'Non-2xx' "$out/plant-page.txt" || true
