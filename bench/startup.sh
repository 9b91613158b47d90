#!/usr/bin/env bash
# How fast the installed `tend` starts (issue 20: a read-only command under 150 ms): installs it with
# scripts/install.sh into a temporary tool path (Release, ReadyToRun), makes a project with an empty store, then times
# `tend --version` (the runtime's floor) and `tend runs list` with and without --json, 25 runs each after a warm-up,
# and prints the median, the fastest and the slowest in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scripts/install.sh --tool-path "$work/tool" >/dev/null
tend="$work/tool/tend"
"$tend" init "$work/project" --task binary --label type --data samples/spam/spam.csv --name spam >/dev/null
cd "$work/project"
python3 - "$tend" <<'PY'
import statistics, subprocess, sys, time
tend = sys.argv[1]
for args in (["--version"], ["runs", "list"], ["runs", "list", "--json"]):
    subprocess.run([tend, *args], stdout=subprocess.DEVNULL, check=True)  # warm the file cache
    times = []
    for _ in range(25):
        start = time.perf_counter()
        subprocess.run([tend, *args], stdout=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - start) * 1000)
    print(f"tend {' '.join(args):<16} median {statistics.median(times):5.0f} ms, fastest {min(times):4.0f}, slowest {max(times):4.0f}")
PY
