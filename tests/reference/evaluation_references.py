#!/usr/bin/python3
"""The evaluation fixtures (tests/data/eval_*.csv) and the values Tend's evaluation tests pin, computed independently.

Run with Debian 12's packages (python3-sklearn 1.2.1, python3-scipy 1.10.1, python3-numpy 1.24.2, python3-pandas 1.5.3):
    /usr/bin/python3 tests/reference/evaluation_references.py
It rewrites the fixtures from a seeded generator, so running it again gives the same files and the same numbers.
Fairness figures follow fairlearn's definitions (fairlearn is not packaged in Debian 12, so they are computed here with pandas).
"""
import os
import numpy as np
import pandas as pd
from scipy import stats
from sklearn import metrics
from sklearn.calibration import calibration_curve

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, "..", "data")
rng = np.random.default_rng(20261122)

# --- binary: 300 rows, scores rounded to 2 decimals so there are ties, a group and an age per row ---
n = 300
group = rng.choice(["north", "south", "east"], size=n, p=[0.5, 0.3, 0.2])
age = rng.integers(18, 80, size=n)
y = (rng.random(n) < np.where(group == "south", 0.45, 0.3)).astype(int)
logit = 1.4 * (2 * y - 1) + rng.normal(0, 1.3, n) + np.where(group == "east", 0.6, 0.0)
score = np.round(1 / (1 + np.exp(-logit)), 2)
pd.DataFrame({"label": y, "score": score, "group": group, "age": age}).to_csv(os.path.join(data, "eval_binary.csv"), index=False)

pred = (score >= 0.5).astype(int)
print("binary auc", repr(metrics.roc_auc_score(y, score)))
print("binary pr_auc (average_precision_score)", repr(metrics.average_precision_score(y, score)))
print("binary accuracy", repr(metrics.accuracy_score(y, pred)))
print("binary precision", repr(metrics.precision_score(y, pred)))
print("binary recall", repr(metrics.recall_score(y, pred)))
print("binary f1", repr(metrics.f1_score(y, pred)))
print("binary log_loss", repr(metrics.log_loss(y, score)))
print("binary brier", repr(metrics.brier_score_loss(y, score)))

fpr, tpr, thr = metrics.roc_curve(y, score, drop_intermediate=False)
print("roc points", len(fpr), "fpr[10]", repr(fpr[10]), "tpr[10]", repr(tpr[10]), "threshold[10]", repr(thr[10]))
prec, rec, pthr = metrics.precision_recall_curve(y, score)
print("pr thresholds", len(pthr), "precision[5]", repr(prec[5]), "recall[5]", repr(rec[5]), "threshold[5]", repr(pthr[5]))
f1 = np.where(prec[:-1] + rec[:-1] > 0, 2 * prec[:-1] * rec[:-1] / np.maximum(prec[:-1] + rec[:-1], 1e-300), 0)
best = len(f1) - 1 - int(np.argmax(f1[::-1]))  # the highest threshold among the ties
t = pthr[best]
print("max f1 threshold", repr(t), "f1", repr(f1[best]))
print("confusion at max f1 [[tn fp] [fn tp]]", metrics.confusion_matrix(y, (score >= t).astype(int)).tolist())
ok = np.where(prec[:-1] >= 0.8)[0]
print("target precision 0.8: threshold", repr(pthr[ok[0]]), "precision", repr(prec[ok[0]]), "recall", repr(rec[ok[0]]))
ok = np.where(rec[:-1] >= 0.9)[0]
print("target recall 0.9: threshold", repr(pthr[ok[-1]]), "precision", repr(prec[ok[-1]]), "recall", repr(rec[ok[-1]]))
frac_pos, mean_pred = calibration_curve(y, score, n_bins=10, strategy="uniform")
print("calibration fraction_of_positives", [repr(v) for v in frac_pos])
print("calibration mean_predicted", [repr(v) for v in mean_pred])

# McNemar's exact test: a second classifier at threshold 0.4, compared on the same rows.
other = (score >= 0.4).astype(int)
b = int(((pred == y) & (other != y)).sum())
c = int(((pred != y) & (other == y)).sum())
print("mcnemar b c", b, c, "p", repr(stats.binomtest(b, b + c, 0.5).pvalue))
print("binomtest 3 of 20", repr(stats.binomtest(3, 20, 0.5).pvalue), "40 of 100", repr(stats.binomtest(40, 100, 0.5).pvalue))

# Slices and fairness at threshold 0.5; age in quartile bins (pandas qcut, the bins Tend draws from the reference quantiles).
df = pd.DataFrame({"y": y, "p": score, "pred": pred, "group": group, "age": age})
for g, part in df.groupby("group"):
    tp = ((part.pred == 1) & (part.y == 1)).sum(); fp = ((part.pred == 1) & (part.y == 0)).sum()
    fn = ((part.pred == 0) & (part.y == 1)).sum(); tn = ((part.pred == 0) & (part.y == 0)).sum()
    print("group", g, "n", len(part), "auc", repr(metrics.roc_auc_score(part.y, part.p)),
          "selection_rate", repr(part.pred.mean()), "tpr", repr(tp / (tp + fn)), "fpr", repr(fp / (fp + tn)), "precision", repr(tp / (tp + fp)))
rates = df.groupby("group").pred.mean()
tprs = df[df.y == 1].groupby("group").pred.mean()
fprs = df[df.y == 0].groupby("group").pred.mean()
print("demographic_parity_difference", repr(rates.max() - rates.min()), "ratio", repr(rates.min() / rates.max()))
print("equal_opportunity_difference", repr(tprs.max() - tprs.min()))
print("equalized_odds_difference", repr(max(tprs.max() - tprs.min(), fprs.max() - fprs.min())))
edges = np.quantile(age, [0.25, 0.5, 0.75])
print("age quartile edges", [repr(e) for e in edges])
bins = np.searchsorted(edges, age, side="right")  # bin k holds edges[k-1] <= age < edges[k]
for k in range(4):
    part = df[bins == k]
    print("age bin", k, "n", len(part), "auc", repr(metrics.roc_auc_score(part.y, part.p)))

# --- multiclass: 150 rows, 3 classes ---
m = 150
ym = rng.integers(0, 3, size=m)
raw = rng.normal(0, 1, (m, 3)) + 1.5 * np.eye(3)[ym]
pm = np.round(np.exp(raw) / np.exp(raw).sum(axis=1, keepdims=True), 3)
pm = pm / pm.sum(axis=1, keepdims=True)
pd.DataFrame({"label": ym, "p0": pm[:, 0], "p1": pm[:, 1], "p2": pm[:, 2]}).to_csv(os.path.join(data, "eval_multiclass.csv"), index=False, float_format="%.17g")
am = np.argmax(pm, axis=1)
print("multiclass micro_accuracy", repr(metrics.accuracy_score(ym, am)))
print("multiclass macro_accuracy", repr(metrics.balanced_accuracy_score(ym, am)))
print("multiclass macro_f1", repr(metrics.f1_score(ym, am, average="macro")))
print("multiclass log_loss", repr(metrics.log_loss(ym, pm)))
p, r, f, s = metrics.precision_recall_fscore_support(ym, am)
print("multiclass per class precision", [repr(v) for v in p], "recall", [repr(v) for v in r], "f1", [repr(v) for v in f], "support", s.tolist())
print("multiclass confusion", metrics.confusion_matrix(ym, am).tolist())

# --- regression: 200 rows, six labels exactly 0 (MAPE skips them) ---
k = 200
yr = np.round(rng.gamma(2.0, 50.0, k), 1)
yr[::37] = 0.0
pr = np.round(yr + rng.normal(0, 15, k), 1)
pd.DataFrame({"label": yr, "prediction": pr}).to_csv(os.path.join(data, "eval_regression.csv"), index=False)
nz = yr != 0
print("regression rmse", repr(float(np.sqrt(metrics.mean_squared_error(yr, pr)))))
print("regression mae", repr(metrics.mean_absolute_error(yr, pr)))
print("regression r2", repr(metrics.r2_score(yr, pr)))
print("regression mape on", int(nz.sum()), "non-zero labels", repr(metrics.mean_absolute_percentage_error(yr[nz], pr[nz])), "skipped", int((~nz).sum()))
