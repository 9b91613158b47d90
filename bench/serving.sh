#!/usr/bin/env bash
# Serving throughput of Tend against the Python baseline (shared/baseline), in one sitting, same wrk load:
# one spam row POSTed by `wrk -t2 -c32 -d15s` after a 3 s warm-up, 3 runs per server, the median reported.
# Both models are trained on the same 80 % of the spam data. Every Tend prediction is logged (SQLite, written
# off the request path within milliseconds); the baseline logs nothing.
# Needs: wrk, and the baseline's Debian packages (see shared/baseline/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
baseline=$(cd ../shared/baseline && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

. bench/lib.sh
spam_champion "$work/spam"
/usr/bin/python3 "$baseline/train_sklearn.py" samples/spam/spam.csv type --out-dir "$work/sk" --repeats 1 --no-xgboost >/dev/null 2>&1

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TEND_ADMIN_TOKEN"
local f = io.open("$work/sk/sample_row.json", "r")
wrk.body = f:read("*a")
f:close()
LUA

measure() { # name url
  local rates=()
  wrk -t2 -c32 -d3s -s "$work/post.lua" "$2" >/dev/null
  for _ in 1 2 3; do
    out=$(wrk -t2 -c32 -d15s --latency -s "$work/post.lua" "$2")
    rates+=("$(echo "$out" | awk '/Requests\/sec/ {print $2}') p50 $(echo "$out" | awk '$1=="50%" {print $2}') p99 $(echo "$out" | awk '$1=="99%" {print $2}')$(echo "$out" | awk '/Non-2xx/ {print " non-2xx " $4}')")
  done
  printf '%s\n' "${rates[@]}" | sort -n | sed -n 2p | sed "s/^/$1: /"
  printf '  all runs: %s\n' "$(printf '%s; ' "${rates[@]}")"
}

wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return; sleep 0.2; done; echo "server at $1 did not start"; exit 1; }

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

$tend serve --workspace "$work/spam" --port 18201 >/dev/null 2>&1 &
server=$!
wait_up http://127.0.0.1:18201/healthz
measure "tend (1 process)" http://127.0.0.1:18201/v1/models/spam/predict
stop $server

/usr/bin/python3 "$baseline/serve_fastapi.py" "$work/sk/hgb.joblib" 18202 --workers 2 --omp-threads 1 >/dev/null 2>&1 &
server=$!
wait_up http://127.0.0.1:18202/health
measure "fastapi tuned (2 workers, OMP 1)" http://127.0.0.1:18202/predict
stop $server

/usr/bin/python3 "$baseline/serve_fastapi.py" "$work/sk/hgb.joblib" 18203 >/dev/null 2>&1 &
server=$!
wait_up http://127.0.0.1:18203/health
measure "fastapi as usually set up (1 worker)" http://127.0.0.1:18203/predict
stop $server
