#!/usr/bin/env bash
# What proving the caller costs a prediction (issue 22): `wrk -t2 -c32 -d15s --latency` POSTing one spam row to the
# native predict endpoint of two servers over the same store, one sending the admin token (every request proven: the
# token's checksum, its SHA-256, the 5-second cache of proven tokens, the role check) and one with --no-auth,
# alternating, 3 runs each after a warm-up. Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
. bench/lib.sh
spam_champion "$work/spam"
python3 - "$work/row.json" <<'PY'
import csv, json, sys
row = next(csv.DictReader(open("samples/spam/spam.csv")))
row.pop("type")
json.dump({k: float(v) for k, v in row.items()}, open(sys.argv[1], "w"))
PY
for auth in token none; do
  cat > "$work/$auth.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
$([ "$auth" = token ] && echo "wrk.headers[\"Authorization\"] = \"Bearer $TEND_ADMIN_TOKEN\"")
wrk.body = io.open("$work/row.json"):read("*a")
LUA
done
$tend serve --workspace "$work/spam" --port 18401 >/dev/null 2>&1 &
$tend serve --workspace "$work/spam" --port 18402 --no-auth >/dev/null 2>&1 &
for port in 18401 18402; do for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.2; done; done
run() { wrk -t2 -c32 -d15s --latency -s "$work/$1.lua" "http://127.0.0.1:$2/v1/models/spam/predict" | awk -v who="$1" '
  /Requests\/sec/ { rate = $2 } / 50%/ { p50 = $2 } / 99%/ { p99 = $2 } /Non-2xx/ { bad = $NF }
  END { printf "%-6s %8.0f req/s  p50 %s  p99 %s  non-2xx %d\n", who, rate, p50, p99, bad }'; }
wrk -t2 -c32 -d3s -s "$work/token.lua" http://127.0.0.1:18401/v1/models/spam/predict >/dev/null
wrk -t2 -c32 -d3s -s "$work/none.lua" http://127.0.0.1:18402/v1/models/spam/predict >/dev/null
for i in 1 2 3; do run token 18401; run none 18402; done
