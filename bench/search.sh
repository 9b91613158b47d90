#!/usr/bin/env bash
# Does the search beat the default? (issue 4) For each shared dataset, one workspace as `tend init` writes it, with
# three trainers of its task in train.trainers; then `tend train` (the first trainer at its tend.yaml settings, the
# default) and `tend train --search TRIALS`, for two split seeds. Both are scored on the same holdout, which the search
# never sees (it cross-validates on the training rows). Release build, one sitting.
# Usage: bench/search.sh [TRIALS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build -c Release src/Tend.Cli -v q -nologo >/dev/null
tend=$PWD/src/Tend.Cli/bin/Release/net10.0/linux-x64/tend
data=../shared/datasets
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $trials trials"
printf '%-12s %-5s %-22s %-10s %-10s %-10s %-8s %s\n' dataset seed metric default search gain seconds best
for spec in "spam.csv binary type lightgbm,fasttree,lbfgs" "credit_data.csv binary Status lightgbm,fasttree,lbfgs" \
            "penguins.csv multiclass species lightgbm,lbfgs,sdca" "ames.csv regression Sale_Price lightgbm,fasttree,sdca"; do
  read -r file task label trainers <<<"$spec"
  for seed in 42 7; do
    dir="$work/${file%.csv}-$seed"
    $tend init "$dir" --task "$task" --label "$label" --data "$data/$file" --name "${file%.csv}" >/dev/null
    sed -i "s/trainers: \[lightgbm\]/trainers: [${trainers//,/, }]/; s/seed: 42/seed: $seed/" "$dir/tend.yaml"
    $tend data add "$data/$file" --workspace "$dir" >/dev/null
    $tend train --workspace "$dir" --json > "$dir/default.json"
    start=$(date +%s.%N)
    $tend train --search "$trials" --workspace "$dir" --json > "$dir/search.json"
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    python3 - "$dir" "$file" "$seed" "$seconds" <<'PY'
import json, sys
d, file, seed, seconds = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
default, search = json.load(open(f"{d}/default.json")), json.load(open(f"{d}/search.json"))
spec = open(f"{d}/tend.yaml").read()
metric = spec.split("metric:\n  name: ")[1].split()[0]
a, b = default["metrics"][metric], search["metrics"][metric]
better = b > a if metric not in ("log_loss", "rmse", "mae") else b < a
best = search["leaderboard"][0]
print(f"{file[:-4]:12} {seed:5} {metric:22} {a:<10.4f} {b:<10.4f} {'+' if better else '-'}{abs(b - a):<9.4f} {seconds:<8.1f} trial {best['trial']} {best['trainer']} {json.dumps(best['params'])}")
PY
  done
done
