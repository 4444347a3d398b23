#!/usr/bin/env bash
# Uploaded-file limits (issue 8): time and peak memory of reading malicious workbooks and the
# largest legitimate uploads, as an import reads them (a table) and as the assessment upload
# reads them. The files are written by crates/formats/examples/xlsx_bombs.rs (bombs) and by
# `kojo survey simulate` (a 20 MB response CSV, the web upload limit, and the same table as
# xlsx). Not part of the test suite; numbers go to docs/security.md.
#
#   bench/xlsx/run.sh            (needs /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/out/xlsx
mkdir -p "$out"
cargo build --release -q -p kojo-formats --example xlsx_bombs
cargo build --release -q -p kojo --bin kojo
bin=target/release/examples/xlsx_bombs
"$bin" write "$out" > /dev/null

# Legitimate: 64,000 simulated respondents (about 20 MB of CSV, the web upload limit); the
# worst CSV a 20 MB upload can be for memory (all separators: 20 million empty cells); and the
# largest response workbook under the xlsx limits (40,000 respondents, 125 MB uncompressed).
if [ ! -f "$out/legit-64k.csv" ]; then
  target/release/kojo survey simulate --instrument company-2022 --n 64000 --seed 1 --out "$out/legit-64k.csv" 2> /dev/null
  python3 - "$out" <<'PY'
import sys
out = sys.argv[1]
with open(f"{out}/commas-20M-cells.csv", "w") as f:
    f.write(",".join(f"c{i}" for i in range(2000)) + "\n")
    row = "," * 1999 + "x\n"
    for _ in range(9_999):
        f.write(row)
PY
fi
if [ ! -f "$out/legit-40k.xlsx" ]; then
  target/release/kojo survey simulate --instrument company-2022 --n 40000 --seed 1 --out "$out/legit-40k.csv" 2> /dev/null
  cargo run --release -q -p kojo-formats --example csv_to_xlsx -- "$out/legit-40k.csv" "$out/legit-40k.xlsx"
  rm "$out/legit-40k.csv"
fi

printf '%-32s %10s %9s %10s  %s\n' file size seconds "peak MB" outcome | tee "$out/summary.txt"
for f in "$out"/*.xlsx "$out"/*.csv; do
  for mode in read assessment; do
    case "$f" in *.csv) [ "$mode" = read ] || continue ;; esac
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$bin" "$mode" "$f" > "$out/result.txt" 2>&1 || true
    read -r secs kb < "$out/time.txt"
    printf '%-32s %10s %9s %10.0f  %s\n' "$(basename "$f") ($mode)" "$(stat -c %s "$f")" "$secs" \
      "$(echo "$kb / 1024" | bc -l)" "$(cut -c1-110 "$out/result.txt" | sed 's/^[^:]*: [0-9.]* s: //')" | tee -a "$out/summary.txt"
  done
done
