#!/usr/bin/env bash
# The prediction log's sustained write rate (issue 25: at least 20,000 records/s into a local PostgreSQL), Release
# build: RECORDS records with the credit model's 13 features queued on the log as fast as requests could, until the
# last is committed; into a throwaway local PostgreSQL (binary COPY, one per batch of up to 5,000) and into SQLite.
# Usage: bench/prediction_log.sh [RECORDS=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
work=$(mktemp -d /tmp/tend-bench-log.XXXXXX)
source bench/postgres.sh
dotnet build -c Release bench/LogBench -v q -nologo >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
bench/LogBench/bin/Release/net10.0/LogBench "$postgres" "$records"
bench/LogBench/bin/Release/net10.0/LogBench "sqlite://$work/tend.db" "$records"
