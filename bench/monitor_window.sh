#!/usr/bin/env bash
# A monitor window of the prediction log read as a stream (issue 25: 1,000,000 logged predictions in under 10 s, in
# bounded memory), Release build: a credit project on a throwaway local PostgreSQL with a champion, RECORDS predictions
# of its 13 features written by bench/LogBench, then `tend monitor run --current last:N` for N = RECORDS/10 and RECORDS,
# each timed with its peak resident memory (/usr/bin/time). The whole command: the reference (the champion's training
# data), the window's drift, predictions, latency and refusals, the served metrics, the report stored.
# Usage: bench/monitor_window.sh [RECORDS=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
records=${1:-1000000}
work=$(mktemp -d /tmp/tend-bench-window.XXXXXX)
source bench/postgres.sh
export TEND_STORE="$postgres"
dotnet build -c Release bench/LogBench -v q -nologo >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

$tend init "$work/credit" --task binary --label Status --data samples/credit/credit.csv --name credit >/dev/null
$tend data add samples/credit/credit.csv --workspace "$work/credit" >/dev/null
register_next "$work/credit"
$tend evaluate credit@1 --workspace "$work/credit" >/dev/null
$tend models promote credit 1 --reason bench --workspace "$work/credit" >/dev/null
bench/LogBench/bin/Release/net10.0/LogBench "$TEND_STORE" "$records"
# What autovacuum does within a minute of a load this size; before it, the planner takes the table for empty and sorts
# the whole window on disk (17 s where 10 s are measured below).
"${as_pg[@]}" "$pg_bin/psql" -h "$work/pg" -p "$port" -U tend -d postgres -qc "ANALYZE predictions; ANALYZE feedback"
for n in $((records / 10)) "$records"; do
  /usr/bin/time -o "$work/time" -f "%e %M" $tend monitor run --current "last:$n" --workspace "$work/credit" --json >/dev/null
  read -r seconds kb < "$work/time"
  echo "{\"window\": $n, \"seconds\": $seconds, \"max_rss_mb\": $((kb / 1024))}"
done
