#!/usr/bin/env bash
# Attack-route benchmark (issue 9): every route of at most MAX_HOPS conduits from every entry
# point to every zone holding an importance-3 asset, on a simulated plant of 10,000 assets,
# 200 zones and 1,000 conduits — kojo beside networkx's all_simple_paths walking the very same
# graph (written by `kojo plant graph`) in the same run. Prints both times, the ratio and checks
# that both found the same routes (count and total length).
#
#   bench/plant/run.sh [ASSETS] [ZONES] [CONDUITS] [MAX_HOPS]   (needs python3 with venv)
set -euo pipefail
cd "$(dirname "$0")/../.."
assets=${1:-10000}
zones=${2:-200}
conduits=${3:-1000}
hops=${4:-6}
out=bench/out/plant
mkdir -p "$out"

cargo build --release -q -p kojo --bin kojo
kojo=target/release/kojo
"$kojo" plant simulate --assets "$assets" --zones "$zones" --conduits "$conduits" --seed 2026 --out "$out/plant.json"
"$kojo" plant graph --plant "$out/plant.json" --max-hops "$hops" --out "$out/graph.json"

if [ ! -x "$out/venv/bin/python" ]; then
  python3 -m venv "$out/venv"
  "$out/venv/bin/pip" install -q networkx
fi
py=$out/venv/bin/python

best_kojo=999999
for _ in 1 2 3; do
  start=$(date +%s.%N)
  "$kojo" plant routes --plant "$out/plant.json" --max-hops "$hops" > "$out/kojo.json"
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
  if awk -v a="$t" -v b="$best_kojo" 'BEGIN {exit !(a < b)}'; then best_kojo=$t; fi
done
"$py" bench/plant/peers.py "$out/graph.json" > "$out/networkx.json"

"$py" - "$out" "$best_kojo" <<'PY'
import json, sys
out, kojo_wall = sys.argv[1], float(sys.argv[2])
k = json.load(open(f"{out}/kojo.json"))
n = json.load(open(f"{out}/networkx.json"))
print(f"plant: {k['zones']} zones, {k['conduits']} conduits, {k['assets']} assets; "
      f"{k['footholds']} footholds, {k['target_zones']} target zones, max {k['max_hops']} hops")
print(f"kojo:     {k['routes']:>9} routes, {k['steps']:>10} steps, search {k['elapsed_ms'] / 1000:.3f} s, "
      f"whole command {kojo_wall:.3f} s")
print(f"networkx: {n['routes']:>9} routes, {n['steps']:>10} steps, search {n['seconds']:.3f} s")
same = (k["routes"], k["steps"]) == (n["routes"], n["steps"])
print("same routes:", "yes" if same else "NO")
print(f"networkx / kojo (search) = {n['seconds'] / (k['elapsed_ms'] / 1000):.0f}x (target >= 20x); "
      f"kojo search <= 1 s: {'yes' if k['elapsed_ms'] <= 1000 else 'NO'}")
sys.exit(0 if same else 1)
PY
