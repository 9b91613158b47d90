#!/usr/bin/env bash
# Ingest benchmark (issue 3): a generated ROWS x 25 CSV (numbers, integers, categories, text, dates, ~2 % missing)
# into a dataset version with schema, validation and profile, against the floor of reading the file (cat).
# Usage: bench/ingest.sh [ROWS]   (default 1000000). Prints seconds and peak memory (max RSS).
set -euo pipefail
rows=${1:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
data=/tmp/tend-ingest-$rows.csv
[ -f "$data" ] || python3 "$here/bench/gen_ingest.py" "$rows" "$data"
dotnet build -c Release "$here/src/Tend.Cli" >/dev/null
tend="$here/src/Tend.Cli/bin/Release/net10.0/linux-x64/tend"
ws=$(mktemp -d)
"$tend" init "$ws" --name bench --task regression --label x0 >/dev/null
echo "file: $data ($(du -h "$data" | cut -f1))"
/usr/bin/time -f "floor (cat): %e s" cat "$data" >/dev/null
/usr/bin/time -f "tend data add: %e s, max RSS %M KiB" "$tend" data add "$data" --name big --workspace "$ws" >/dev/null
rm -rf "$ws"
