#!/usr/bin/env bash
# Default model quality against scikit-learn (issue 20, item 7): Tend's default trainer, fitted exactly as `tend train`
# fits it (bench/QualityBench), and HistGradientBoosting with its defaults (bench/quality_sklearn.py) on the same 5
# stratified folds of every dataset, scored by the task's default metric. Prints the table of bench/README.md.
# Usage: bench/quality.sh [NAME ...]   (default: all 18 datasets; needs Debian's python3-sklearn, python3-pandas,
# r-cran-mlbench and r-cran-modeldata, which it installs when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
missing=$(for p in python3-sklearn python3-pandas r-cran-mlbench r-cran-modeldata; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
[ -z "$missing" ] || apt-get install -y --no-install-recommends $missing >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/quality_sklearn.py ../shared/datasets "$work" "$@" > "$work/sklearn.jsonl"
dotnet run -c Release --project bench/QualityBench -- "$work" "$@" > "$work/tend.jsonl"
/usr/bin/python3 - "$work" <<'PY'
import json, statistics as st, sys
work = sys.argv[1]
sk = {d["name"]: d for d in map(json.loads, open(f"{work}/sklearn.jsonl"))}
tend = [json.loads(line) for line in open(f"{work}/tend.jsonl")]
held_out = {"pima", "sonar", "attrition", "churn", "wine", "glass", "vehicle", "boston", "concrete", "sacramento"}
print(f"scikit-learn {next(iter(sk.values()))['version']}, HistGradientBoosting defaults; folds: StratifiedKFold(5, shuffle, seed 0)\n")
print("| dataset | metric | scikit-learn | Tend | Tend − sklearn | folds Tend ahead | bar (≥ sklearn − 0.005) |")
print("|---|---|---|---|---|---|---|")
diffs = {True: [], False: []}
for d in tend:
    s = sk[d["name"]]["scores"]
    t = d["scores"]
    diff = st.mean(t) - st.mean(s)
    diffs[d["name"] in held_out].append(diff)
    name = d["name"] + (" (held out)" if d["name"] in held_out else "")
    ahead = sum(a > b for a, b in zip(t, s))
    print(f"| {name} | {d['metric']} | {st.mean(s):.4f} ± {st.stdev(s):.4f} | {st.mean(t):.4f} ± {st.stdev(t):.4f} "
          f"| {diff:+.4f} | {ahead} of 5 | {'met' if diff >= -0.005 else '**not met**'} |")
print()
for label, values in [("tuned on", diffs[False]), ("held out", diffs[True]), ("all", diffs[False] + diffs[True])]:
    if values:
        print(f"mean difference over the {len(values)} datasets {label}: {st.mean(values):+.4f}")
PY
