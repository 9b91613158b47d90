#!/usr/bin/env bash
# Batch scoring speed (issue 6, target: over 100,000 rows/s): `tend predict` of 1,000,000 spam rows (the 4,601 rows of
# samples/spam/spam.csv repeated, label dropped, 57 numeric columns) from CSV to CSV with the default LightGBM model,
# Release build. Prints tend's own figures (read, validate, score, write; process start excluded) and the wall time
# of the whole process; then the same file scored by the scikit-learn baseline's HistGradientBoosting for comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. bench/lib.sh
spam_workspace "$work/spam"
register_next "$work/spam"
/usr/bin/python3 - "$work/rows.csv" <<'PY'
import sys
lines = open("samples/spam/spam.csv").read().splitlines()
header, rows = lines[0].split(","), [l.split(",") for l in lines[1:]]
label = header.index("type")
keep = lambda r: ",".join(v for i, v in enumerate(r) if i != label)
body = [keep(r) for r in rows]
with open(sys.argv[1], "w") as f:
    f.write(keep(header) + "\n")
    for i in range(1_000_000):
        f.write(body[i % len(body)] + "\n")
PY
echo "input: $(wc -l < "$work/rows.csv") lines, $(du -h "$work/rows.csv" | cut -f1)"
for i in 1 2 3; do
  start=$(date +%s.%N)
  $tend predict "$work/rows.csv" -o "$work/scored.csv" --model spam@1 --workspace "$work/spam" --json
  echo "wall $(echo "$(date +%s.%N) - $start" | bc) s"
done
echo "output: $(wc -l < "$work/scored.csv") lines; first: $(sed -n 2p "$work/scored.csv" | rev | cut -d, -f1-2 | rev)"
/usr/bin/python3 - "$work/rows.csv" <<'PY'
import sys, time
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
train = pd.read_csv("samples/spam/spam.csv")
model = HistGradientBoostingClassifier(random_state=42).fit(train.drop(columns="type"), train["type"] == "spam")
t = time.perf_counter()
rows = pd.read_csv(sys.argv[1])
rows["probability"] = model.predict_proba(rows)[:, 1]
rows["prediction"] = rows["probability"] >= 0.5
rows.to_csv(sys.argv[1] + ".sk.csv", index=False)
s = time.perf_counter() - t
print(f"scikit-learn read + predict_proba + write: {s:.2f} s, {1_000_000 / s:,.0f} rows/s")
PY
