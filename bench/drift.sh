#!/usr/bin/env bash
# Drift of a 1,000,000-row window, 20 numeric + 5 categorical columns, against a stored reference (issue 7): Tend
# (bench/DriftBench: summarize the window, every applicable statistic of every column, the dataset's verdict) and a plain
# SciPy implementation on the same data (bench/drift_scipy.py, on the raw samples), 3 runs each, in one sitting.
# Then Tend again at 2,000,000 rows, to show its memory follows the columns, not the rows.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rows=${ROWS:-1000000}
dotnet build -c Release bench/DriftBench --nologo -v quiet >/dev/null
bench=bench/DriftBench/bin/Release/net10.0/DriftBench.dll
echo "== Tend, $rows rows"
/usr/bin/time -f "max RSS %M kB" dotnet $bench "$work" 3 "$rows"
echo "== SciPy, same data"
/usr/bin/time -f "max RSS %M kB" /usr/bin/python3 bench/drift_scipy.py "$work" "$rows" 3
echo "== Tend, $((2 * rows)) rows"
/usr/bin/time -f "max RSS %M kB" dotnet $bench "$work" 2 "$((2 * rows))"
