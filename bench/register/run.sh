#!/usr/bin/env bash
# Asset-register import benchmark (issue 9): a register of ASSETS rows (kojo's own export of a
# simulated plant: every column filled where the plant has it, dates as Excel dates) imported
# into a site that has the zones and processes but no assets — `kojo plant import` as a whole
# command: read, check every cell, match, insert in one transaction (SQLite). Peers in the same
# run: openpyxl (read-only, every cell) and pandas.read_excel reading the same file, which only
# read it. Prints the best of three for each and the ratios. Target: kojo ≤ 3 s for 10,000 rows.
#
#   bench/register/run.sh [ASSETS]   (needs python3 with venv; pip installs openpyxl, pandas)
set -euo pipefail
cd "$(dirname "$0")/../.."
assets=${1:-10000}
out=bench/out/register
mkdir -p "$out"

cargo build --release -q -p kojo --bin kojo
kojo=$PWD/target/release/kojo
if [ ! -x "$out/venv/bin/python" ]; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install -q openpyxl pandas
fi
py=$out/venv/bin/python

db=$(mktemp -d)
export KOJO_DATABASE_URL="$db/kojo.db" KOJO_LOG=warn
"$kojo" migrate > /dev/null
"$kojo" org add --kind company ベンチ製作所 > /dev/null
"$kojo" site add --org ベンチ製作所 本社工場 > /dev/null   # site 1: the source
"$kojo" site add --org ベンチ製作所 第二工場 > /dev/null   # site 2: imports the register
"$kojo" plant simulate --assets "$assets" --zones 200 --conduits 1000 --seed 2026 --site 1 > /dev/null
"$kojo" plant export --site 1 --xlsx "$out/register.xlsx" > /dev/null
"$kojo" plant export --site 1 --json --out "$out/model.json"
"$py" - "$out" <<'PY'
import json, sys
out = sys.argv[1]
m = json.load(open(f"{out}/model.json"))
m["assets"] = []
m["flows"] = []
json.dump(m, open(f"{out}/skeleton.json", "w"), ensure_ascii=False)
PY
size=$(stat -c %s "$out/register.xlsx")

best=999999
for _ in 1 2 3; do
  "$kojo" plant import --site 2 "$out/skeleton.json" > /dev/null   # no assets again
  start=$(date +%s.%N)
  "$kojo" plant import --site 2 "$out/register.xlsx" > "$out/kojo.txt"
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  if awk -v a="$t" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$t; fi
done
cat "$out/kojo.txt"
"$py" bench/register/peers.py "$out/register.xlsx" > "$out/peers.json"
rm -rf "$db"

"$py" - "$out" "$best" "$assets" "$size" <<'PY'
import json, sys
out, kojo, assets, size = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
p = json.load(open(f"{out}/peers.json"))
print(f"register: {assets} assets, {size / 1e6:.2f} MB xlsx")
print(f"kojo plant import (read, check, insert): {kojo:.3f} s   (target <= 3 s: {'yes' if kojo <= 3 else 'NO'})")
for name in ("openpyxl", "pandas"):
    q = p[name]
    print(f"{name:>8} read only: {q['seconds']:.3f} s ({q['rows']} non-empty rows, {q['cells']} cells); "
          f"{name} / kojo = {q['seconds'] / kojo:.2f}")
PY
