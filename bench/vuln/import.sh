#!/usr/bin/env bash
# Advisory-import benchmark (issue 10): `kojo vuln import` of every CISA ICS advisory in the
# shared corpus and the KEV catalogue into a fresh SQLite database — read, hash-file check,
# parse, store every revision with its CVEs and products — against only reading and parsing the
# same JSON files with serde_json (crates/formats/examples/json_parse_tree.rs), in the same run.
# Best of three wall-clock times (whole processes), peak memory, and the ratio. Target ≤ 1.5×.
#
#   bench/vuln/import.sh [CSAF_DIR] [KEV_FILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
csaf=${1:-../shared/data/cisagov-csaf}
kev=${2:-../shared/data/cisagov-kev-data/known_exploited_vulnerabilities.json}
out=bench/out/vuln
mkdir -p "$out"

cargo build --release -q -p kojo --bin kojo
cargo build --release -q -p kojo-formats --example json_parse_tree
kojo=$PWD/target/release/kojo
peer=$PWD/target/release/examples/json_parse_tree
export KOJO_LOG=warn

# Best of three: prints "seconds peak_kb" of the fastest run of the command.
best_of_three() {
  local best=999999 mem=0
  for _ in 1 2 3; do
    if [ -n "${PREPARE:-}" ]; then eval "$PREPARE"; fi
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" > "$out/last.txt" 2>/dev/null
    read -r t m < "$out/time.txt"
    if awk -v a="$t" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$t; mem=$m; fi
  done
  echo "$best $mem"
}

db=$(mktemp -d)
# Warm the page cache once, so that neither side pays for the first read of the files.
"$peer" "$csaf" "$kev" > /dev/null
read -r peer_t peer_m < <(best_of_three "$peer" "$csaf" "$kev")
cat "$out/last.txt"
read -r kojo_t kojo_m < <(PREPARE="rm -f $db/kojo.db*; $kojo --database-url $db/kojo.db migrate > /dev/null" \
  best_of_three "$kojo" --database-url "$db/kojo.db" vuln import "$csaf" "$kev")
grep -v '^read [0-9]*/' "$out/last.txt" || true
# Importing the same files again: everything unchanged.
/usr/bin/time -f "%e %M" -o "$out/time.txt" "$kojo" --database-url "$db/kojo.db" vuln import "$csaf" "$kev" > "$out/again.txt" 2>/dev/null
read -r again_t _ < "$out/time.txt"
rm -rf "$db"

awk -v pt="$peer_t" -v pm="$peer_m" -v kt="$kojo_t" -v km="$kojo_m" -v at="$again_t" 'BEGIN {
  printf "serde_json parse only (peer): %.2f s, peak %.0f MB\n", pt, pm / 1024
  printf "kojo vuln import:             %.2f s, peak %.0f MB\n", kt, km / 1024
  printf "kojo vuln import again:       %.2f s (nothing new)\n", at
  printf "ratio kojo / peer: %.2f (target <= 1.5)\n", kt / pt
}'
