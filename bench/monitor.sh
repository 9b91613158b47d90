#!/usr/bin/env bash
# Monitoring from files (issue 20, item 6): two generated ROWS x 25 CSVs (bench/gen_ingest.py; the current one with
# x0-x3 shifted by 0.1 sd) judged by `tend monitor run --reference A --current B`, with a champion that scores them
# (trained on 10,000 rows of A), beside `tend data add` of one of them. Prints seconds and peak memory (max RSS).
# Usage: bench/monitor.sh [ROWS]   (default 1000000)
set -euo pipefail
rows=${1:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
reference=/tmp/tend-ingest-$rows.csv current=/tmp/tend-ingest-$rows-shifted.csv
[ -f "$reference" ] || python3 "$here/bench/gen_ingest.py" "$rows" "$reference"
[ -f "$current" ] || python3 "$here/bench/gen_ingest.py" "$rows" "$current" 0.1
dotnet build -c Release "$here/src/Tend.Cli" >/dev/null
tend="$here/src/Tend.Cli/bin/Release/net10.0/linux-x64/tend"
ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT
head -10001 "$reference" > "$ws/sample.csv"
"$tend" init "$ws" --name bench --task regression --label x11 >/dev/null
"$tend" data add "$ws/sample.csv" --workspace "$ws" >/dev/null
run=$("$tend" train --workspace "$ws" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')
"$tend" models register "$run" --workspace "$ws" >/dev/null
"$tend" models promote bench 1 --force --reason "bench: a champion to score the files" --workspace "$ws" >/dev/null
echo "files: $(du -h "$reference" | cut -f1) and $(du -h "$current" | cut -f1)"
for _ in 1 2 3; do
  /usr/bin/time -f "tend monitor run (both files): %e s, max RSS %M KiB" \
    "$tend" monitor run --reference "$reference" --current "$current" --workspace "$ws" --json >/dev/null
done
/usr/bin/time -f "tend data add (one file): %e s, max RSS %M KiB" "$tend" data add "$reference" --name big --workspace "$ws" >/dev/null
