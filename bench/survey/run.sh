#!/usr/bin/env bash
# Survey analysis benchmark (issue 4): `kojo survey analyze` on N simulated company responses
# (all 71 items) — every question's table, every figure and ten cross-tabs, from the CSV on disk
# to the JSON result — beside polars and DuckDB doing the same computations (read from
# `kojo survey plan`, written as each tool's experts would: peers.py) on the same file in the
# same run, and beside bare parses of the file (every field read, nothing counted: the csv
# crate on one thread, polars and DuckDB reading it into a table). Prints wall time and peak
# memory of each, kojo's ratio to the faster peer and to the bare parse, and checks that the
# three agree on every figure and table cell.
#
#   bench/survey/run.sh [N]        (default 1,000,000; needs python3 with venv, /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-1000000}
out=bench/out/survey
mkdir -p "$out"

cargo build --release -q -p kojo --bin kojo
cargo build --release -q -p kojo-formats --example bare_parse
kojo=target/release/kojo
bare=target/release/examples/bare_parse
file=$out/company-$n.csv
if [ ! -f "$file" ]; then
  echo "== simulating $n responses"
  /usr/bin/time -f "simulate: %e s, %M KB peak" "$kojo" survey simulate --instrument company-2022 --n "$n" --seed 1 --out "$file"
fi
ls -la "$file" | awk '{printf "file: %.0f MB\n", $5/1048576}'

if [ ! -x "$out/venv/bin/python" ]; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install -q polars duckdb
fi
py=$out/venv/bin/python

cross=(A1:G1 A4:E2 A11:J1 A4:F1 A1:E1 A4:H1.OPS-8 A1:J3 A3:D1 A14:I5 A13:K1)
args=()
for c in "${cross[@]}"; do args+=(--crosstab "$c"); done
"$kojo" survey plan --instrument company-2022 "${args[@]}" > "$out/plan.json"

best() { # name command... : best wall time of 3 runs and its peak RSS
  local name=$1; shift
  local best_t=999999 best_m=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$out/$name.time" "$@" > /dev/null 2>>"$out/$name.err"
    read -r t m < "$out/$name.time"
    if awk -v a="$t" -v b="$best_t" 'BEGIN {exit !(a < b)}'; then best_t=$t; best_m=$m; fi
  done
  echo "$name $best_t $best_m"
}

: > "$out/summary.txt"
{
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; N=$n"
  best kojo sh -c "\"$kojo\" survey analyze --instrument company-2022 \"$file\" --json ${args[*]} > \"$out/kojo.json\""
  best polars "$py" bench/survey/peers.py polars "$out/plan.json" "$file" "$out/polars.json"
  best duckdb "$py" bench/survey/peers.py duckdb "$out/plan.json" "$file" "$out/duckdb.json"
  best bare-csv "$bare" "$file"
  best polars-parse "$py" bench/survey/peers.py polars-parse "$out/plan.json" "$file" "$out/polars-parse.json"
  best duckdb-parse "$py" bench/survey/peers.py duckdb-parse "$out/plan.json" "$file" "$out/duckdb-parse.json"
} | tee "$out/raw.txt"
awk 'NR > 1 {printf "%-13s %8.2f s %8.0f MB\n", $1, $2, $3 / 1024; t[$1] = $2; m[$1] = $3} END {
  peer = (t["polars"] < t["duckdb"]) ? t["polars"] : t["duckdb"];
  printf "kojo / faster peer = %.2f (target <= 0.5)\n", t["kojo"] / peer;
  printf "kojo / bare parse (csv crate, 1 thread) = %.2f\n", t["kojo"] / t["bare-csv"];
  printf "kojo peak memory = %.0f MB (target < 500 MB)\n", m["kojo"] / 1024 }' "$out/raw.txt" | tee -a "$out/summary.txt"

# The three must agree.
"$py" - "$out" <<'PY'
import json, sys
out = sys.argv[1]
k = json.load(open(f"{out}/kojo.json"))
for peer in ("polars", "duckdb"):
    p = json.load(open(f"{out}/{peer}.json"))
    assert p["respondents"] == k["respondents"], (peer, p["respondents"], k["respondents"])
    bad = []
    for fid, elems in p["figures"].items():
        kf = k["figures"][fid]
        ke = kf.get("elements") or [kf]
        for a, b in zip(elems, ke):
            if (a["count"], a["n"]) != (b["count"], b["n"]):
                bad.append((fid, a, b))
    for q in k["questions"]:
        for row in q["rows"]:
            counts = p["columns"][row["column"]].get("counts")
            if counts is None:
                continue
            for o in row["options"]:
                if counts.get(o["code"], 0) != o["count"]:
                    bad.append((row["column"], o["code"], counts.get(o["code"], 0), o["count"]))
    print(f"{peer}: {'agrees with kojo on every figure and table' if not bad else bad[:5]}")
PY
