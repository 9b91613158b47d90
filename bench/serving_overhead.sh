#!/usr/bin/env bash
# The cost of predicting and logging inside Tend's own server (issue 6): `wrk -t2 -c32 -d15s --latency` POSTing one spam
# row to the native predict endpoint (prediction log on, SQLite) against a constant-JSON endpoint of the same server and
# middleware (/bench/constant, mapped only with TEND_BENCH=1), alternating, 3 runs each after a warm-up; then one predict
# run during which version 2 is promoted to champion (hot swap) and every non-2xx answer is counted; then predict with
# a shadow (version 1 scoring a copy of every request) on and off, alternating, with the shadow's drops. Release build.
# Then the prediction log's durabilities (tend.yaml serving.log_durability, read at start): batched and sync alternating,
# a server each, and each killed with SIGKILL under load (4 clients) to count the answered requests the log lost.
# Each run also gives the server process's CPU time per answered request (user + system, from /proc), which the load
# generator sharing the two cores moves less than the rate. At the end, the bytes a logged prediction takes in the store.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
. bench/lib.sh
ws="$work/spam"
spam_workspace "$ws"
for seed in 1 2; do
  sed -i "s/^\(\s*seed:\).*/\1 $seed/" "$ws/tend.yaml"
  register_next "$ws"
done
$tend evaluate spam@1 --workspace "$ws" >/dev/null
$tend models promote spam 1 --reason bench --workspace "$ws" >/dev/null
$tend evaluate spam@2 --workspace "$ws" >/dev/null || true
python3 - "$work/row.json" <<'PY'
import csv, json, sys
row = next(csv.DictReader(open("samples/spam/spam.csv")))
row.pop("type")
json.dump({k: float(v) for k, v in row.items()}, open(sys.argv[1], "w"))
PY
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TEND_ADMIN_TOKEN"
wrk.body = io.open("$work/row.json"):read("*a")
LUA
TEND_BENCH=1 $tend serve --workspace "$ws" --port 18301 >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18301/readyz && break; sleep 0.2; done
cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; } # the server's user + system CPU, in clock ticks
run_wrk() { # url; also the server's CPU per answered request, which the load generator sharing the cores moves less
  local out before after; before=$(cpu_ticks); out=$(wrk -t2 -c32 -d15s --latency -s "$work/post.lua" "$1"); after=$(cpu_ticks)
  local requests; requests=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') req/s, p50 $(echo "$out" | awk '$1=="50%" {print $2}'), p99 $(echo "$out" | awk '$1=="99%" {print $2}'), server CPU $(awk -v t=$((after - before)) -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}') us/request$(echo "$out" | awk '/Non-2xx/ {print ", non-2xx " $4}')$(echo "$out" | awk '/Socket errors/ {print ", " $0}')"
}
wrk -t2 -c32 -d3s -s "$work/post.lua" http://127.0.0.1:18301/v1/models/spam/predict >/dev/null
wrk -t2 -c32 -d3s -s "$work/post.lua" http://127.0.0.1:18301/bench/constant >/dev/null
for i in 1 2 3; do
  echo "constant $i: $(run_wrk http://127.0.0.1:18301/bench/constant)"
  echo "predict  $i: $(run_wrk http://127.0.0.1:18301/v1/models/spam/predict)"
done
(sleep 5; $tend models promote spam 2 --reason "hot swap under load" --force --workspace "$ws" >/dev/null; echo "promoted spam@2 at 5 s") &
echo "predict during hot swap: $(run_wrk http://127.0.0.1:18301/v1/models/spam/predict)"
wait %2 2>/dev/null || true
echo "served version now: $(curl -s -H "authorization: Bearer $TEND_ADMIN_TOKEN" -H 'content-type: application/json' -d @"$work/row.json" http://127.0.0.1:18301/v1/models/spam/predict | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')"
for i in 1 2; do
  $tend deploy spam --shadow 1 --reason bench --workspace "$ws" >/dev/null
  sleep 1.5 # the server reads the deployment at most once a second
  echo "predict, shadow on  $i: $(run_wrk http://127.0.0.1:18301/v1/models/spam/predict)"
  $tend deploy rollback spam --reason bench --workspace "$ws" >/dev/null
  sleep 1.5
  echo "predict, shadow off $i: $(run_wrk http://127.0.0.1:18301/v1/models/spam/predict)"
done
curl -s -H "authorization: Bearer $TEND_ADMIN_TOKEN" http://127.0.0.1:18301/metrics | grep -E '^tend_shadow_(dropped|failures)'
python3 - "$ws/.tend/tend.db" <<'PY' # what a logged prediction takes in the store
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n, body = c.execute("SELECT count(*), avg(length(body)) FROM predictions").fetchone()
disk = c.execute("SELECT sum(pgsize) FROM dbstat WHERE name IN ('predictions', 'sqlite_autoindex_predictions_1', 'predictions_by_model_time')").fetchone()[0]
print(f"prediction log: {n} records, {body:.0f} bytes of JSON and {disk / n:.0f} bytes on disk with the indexes per record")
PY
kill %1 2>/dev/null; wait %1 2>/dev/null || true
cat > "$work/killed.py" <<'PY' # answered requests until SIGKILL, then how many of them the log lacks
import json, os, signal, sqlite3, sys, threading, time, urllib.request
url, pid, db, row = sys.argv[1], int(sys.argv[2]), sys.argv[3], open(sys.argv[4], "rb").read()
answered, stop = [], threading.Event()
def client():
    while not stop.is_set():
        try:
            request = urllib.request.Request(url, row, {"Content-Type": "application/json"})
            answered.append((time.monotonic(), json.load(urllib.request.urlopen(request))["predictions"][0]["request_id"]))
        except Exception:
            return
threads = [threading.Thread(target=client) for _ in range(4)]
[t.start() for t in threads]
time.sleep(3)
os.kill(pid, signal.SIGKILL); killed = time.monotonic(); stop.set()
[t.join() for t in threads]
stored = {r[0] for r in sqlite3.connect(db).execute("SELECT request_id FROM predictions")}
lost = [killed - t for t, i in answered if i not in stored]
print(f"{len(answered)} answered in 3 s, {len(lost)} not in the log" + (f" (answered {min(lost) * 1000:.1f}-{max(lost) * 1000:.1f} ms before the kill)" if lost else ""))
PY
for i in 1 2; do
  for durability in batched sync; do
    sed -i '/^serving:/,$d' "$ws/tend.yaml"; printf 'serving:\n  log_durability: %s\n' "$durability" >> "$ws/tend.yaml"
    $tend serve --workspace "$ws" --port 18302 >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:18302/readyz && break; sleep 0.2; done
    wrk -t2 -c32 -d3s -s "$work/post.lua" http://127.0.0.1:18302/v1/models/spam/predict >/dev/null
    echo "log $durability $i: $(run_wrk http://127.0.0.1:18302/v1/models/spam/predict)"
    echo "log $durability $i, kill -9 under load: $(python3 "$work/killed.py" http://127.0.0.1:18302/v1/models/spam/predict "$server" "$ws/.tend/tend.db" "$work/row.json")"
    wait "$server" 2>/dev/null || true
  done
done
