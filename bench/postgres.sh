# Sourced by the benchmarks that need PostgreSQL: a throwaway local server in $work/pg, durable as a server runs it
# (fsync on, the default), stopped and removed with $work when the script exits. Sets $postgres, its tend URI.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg=(); if [ "$(id -u)" -eq 0 ]; then chown postgres "$work"; as_pg=(runuser -u postgres --); fi
"${as_pg[@]}" mkdir "$work/pg"
trap '"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -U tend -A trust >/dev/null
port=$((20000 + RANDOM % 20000))
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -w -l "$work/pg/server.log" -o "-p $port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
postgres="postgres://tend@127.0.0.1:$port/postgres"
