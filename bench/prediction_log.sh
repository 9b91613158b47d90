#!/usr/bin/env bash
# The prediction log's sustained write rate (issue 25: at least 20,000 records/s into a local PostgreSQL), Release
# build: RECORDS records with the credit model's 13 features queued on the log as fast as requests could, until the
# last is committed; into a throwaway local PostgreSQL (binary COPY, one per batch of up to 5,000) and into SQLite.
# Usage: bench/prediction_log.sh [RECORDS=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
work=$(mktemp -d /tmp/tend-bench-log.XXXXXX)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg=(); if [ "$(id -u)" -eq 0 ]; then chown postgres "$work"; as_pg=(runuser -u postgres --); fi
"${as_pg[@]}" mkdir "$work/pg"
trap '"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U tend -A trust >/dev/null
port=$((20000 + RANDOM % 20000))
# Durable as a server runs it (fsync on, the default): the rate is what a committed record costs.
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -w -l "$work/pg/server.log" -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
dotnet build -c Release bench/LogBench -v q -nologo >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
bench/LogBench/bin/Release/net10.0/LogBench "postgres://tend@127.0.0.1:$port/postgres" "$records"
bench/LogBench/bin/Release/net10.0/LogBench "sqlite://$work/tend.db" "$records"
