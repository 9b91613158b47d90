#!/usr/bin/env bash
# The test command. It checks the code's format, and on a fresh Debian machine it installs what the tests need (PostgreSQL for the second
# metadata dialect, Chromium for the web UI test, git for run tracking, Prometheus's promtool and Alertmanager, Node.js with an OpenID Connect issuer and an S3-compatible server, awscli, HAProxy and wrk), starts a throwaway PostgreSQL on 127.0.0.1, runs every test
# of the solution against it, and stops it again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v git >/dev/null 2>&1 || missing+=(git)   # run tracking records the commit and dirty flag
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)   # promtool checks the /metrics exposition
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)   # the local OpenID Connect issuer of the identity tests
command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)   # fires a real alert at a pipeline's webhook
command -v aws >/dev/null 2>&1 || missing+=(awscli)   # an independent client reads what the S3 artifact store wrote
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)   # the load balancer in front of two serving replicas
command -v wrk >/dev/null 2>&1 || missing+=(wrk)   # the load through it while the champion moves
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  as_root=(); [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The local OpenID Connect issuer (tests/oidc: oauth2-mock-server, from the npm registry, at its locked version).
[ -d tests/oidc/node_modules/oauth2-mock-server ] || npm ci --prefix tests/oidc --no-audit --no-fund --silent
# The S3-compatible server of the artifact store's tests (tests/s3: s3rver, likewise).
[ -d tests/s3/node_modules/s3rver ] || npm ci --prefix tests/s3 --no-audit --no-fund --silent

# A throwaway PostgreSQL: its own data folder and port, trust auth on loopback only, gone when this script ends.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_data=$(mktemp -d /tmp/tend-pg.XXXXXX)
pg_port=$((20000 + RANDOM % 20000))
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_data"; as_pg=(runuser -u postgres --); fi
stop_pg() { "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_data"; }
trap stop_pg EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_data" -U tend -A trust >/dev/null
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -w -l "$pg_data/server.log" \
  -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
export TEND_TEST_POSTGRES="postgres://tend@127.0.0.1:$pg_port/postgres"

log=$(mktemp)
status=0
# One style (.editorconfig): a change the formatter would make fails the run, and says where.
dotnet format Tend.slnx --verify-no-changes || { status=$?; echo "dotnet format found code to reformat: run 'dotnet format Tend.slnx'"; }
dotnet test Tend.slnx --nologo 2>&1 | tee "$log" || status=$?
# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { gsub(",", "", p); printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
