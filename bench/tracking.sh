#!/usr/bin/env bash
# Run-tracking benchmarks (issue 4), on the embedded default (SQLite), Release build, one sitting:
#  1. logging: POINTS metric values through the .NET SDK (bench/TrackBench) to a local `tend serve`, end to end
#     (from the first LogMetric to EndAsync returning: every value stored); the bar is 200,000 points/s;
#  2. charting a 1,000,000-value history: the run page (server-rendered, history downsampled on the server) and the
#     metric endpoint, timed with curl; the bar is 1 s;
#  3. listing with RUNS runs in the store: `tend runs list`, the /runs page and GET /api/v1/runs (filtered and
#     ordered by a metric); the bar is 200 ms.
# Usage: bench/tracking.sh [POINTS=1000000] [RUNS=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
points=${1:-1000000}
runs=${2:-100000}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
# The command as installed: published, ReadyToRun (Tend.Cli.csproj).
dotnet publish -c Release src/Tend.Cli -o "$work/bin" -v q -nologo >/dev/null
dotnet build -c Release bench/TrackBench -v q -nologo >/dev/null
tend=$work/bin/tend
bench=bench/TrackBench/bin/Release/net10.0/TrackBench
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"

export TEND_ADMIN_TOKEN=tend_pat_BenchOnlyAdminTokenNotASecret0000L5b59 TEND_TOKEN=tend_pat_BenchOnlyAdminTokenNotASecret0000L5b59 # bench only (docs/security.md)
$tend init "$work/p" --task binary --label type --data samples/spam/spam.csv --name bench >/dev/null
$tend serve --port 0 --workspace "$work/p" --json > "$work/serve.json" &
server=$!
until [ -s "$work/serve.json" ]; do sleep 0.2; done
url=$(python3 -c "import json,sys; print(json.load(open('$work/serve.json'))['url'])")

echo "== 1. logging $points points through the SDK"
for i in 1 2 3; do $bench log "$url" "$points"; done | tee "$work/log.json"
run=$(tail -n 1 "$work/log.json" | python3 -c "import json,sys; print(json.load(sys.stdin)['run'])")

echo "== 2. charting a $points-value history (curl, 5 requests each, seconds)"
for path in "runs/$run" "api/v1/runs/$run/metrics/loss?max_points=500"; do
  times=$(for i in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total} ' -H "authorization: Bearer $TEND_TOKEN" "$url/$path"; done)
  echo "GET /$path: $times"
done

echo "== 3. listing with $runs more runs in the store"
$bench seed "sqlite://$work/p/.tend/tend.db" "$runs"
for path in "runs" "runs?where=metrics.auc%20%3E%200.9%20and%20params.trainer%20%3D%20'lightgbm'&order_by=metrics.auc%20desc&page=3" \
            "api/v1/runs?limit=50" "api/v1/runs?where=tags.team%20%3D%20'blue'&order_by=metrics.log_loss&offset=5000"; do
  times=$(for i in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total} ' -H "authorization: Bearer $TEND_TOKEN" "$url/$path"; done)
  echo "GET /$path: $times"
done
hyperfine -N --warmup 1 --runs 5 "$tend --help" "$tend runs list --workspace $work/p --json" \
  "$tend runs list --workspace $work/p --json --where \"metrics.auc > 0.9 and params.trainer = 'lightgbm'\" --order-by 'metrics.auc desc'" 2>&1 | grep -E "Benchmark|Time"
