#!/usr/bin/env bash
# Training quality and speed against scikit-learn on the SAME rows (issue 4): scikit-learn's seeded 80/20 stratified
# split of spam.csv is written out; HistGradientBoostingClassifier is fitted on it, then Tend's default LightGBM
# (bench/TrainBench, through Tend.Training as `tend train` runs it) on the same train rows, both scored on the same
# test rows. Fit times exclude process start and data loading; 3 fits each (first one included: no warm-up).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work" <<'PY'
import json, sys, time
import pandas as pd, sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
work = sys.argv[1]
d = pd.read_csv("samples/spam/spam.csv")
train, test = train_test_split(d, test_size=0.2, stratify=d["type"], random_state=42)
train.to_csv(f"{work}/train.csv", index=False)
test.to_csv(f"{work}/test.csv", index=False)
X, y = train.drop(columns="type"), (train["type"] == "spam")
seconds = []
for _ in range(3):
    t = time.perf_counter()
    model = HistGradientBoostingClassifier(random_state=42).fit(X, y)
    seconds.append(round(time.perf_counter() - t, 3))
auc = roc_auc_score(test["type"] == "spam", model.predict_proba(test.drop(columns="type"))[:, 1])
print(json.dumps({"sklearn": sklearn.__version__, "model": "HistGradientBoostingClassifier", "fit_seconds": seconds, "auc": round(auc, 4)}))
PY
dotnet run -c Release --project bench/TrainBench -- "$work/train.csv" "$work/test.csv" type spam
