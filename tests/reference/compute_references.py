#!/usr/bin/python3
"""Reference values pinned by Tend's tests, computed independently with scikit-learn and SciPy.

Run with Debian 12's packages (python3-sklearn 1.2.1, python3-scipy 1.10.1, python3-numpy 1.24.2):
    /usr/bin/python3 tests/reference/compute_references.py
The data below is written out literally, or as the same integer formulas the C# tests use.
"""
import numpy as np
from scipy import stats
from sklearn import metrics

np.set_printoptions(precision=17)

# --- binary classification (ties in the scores on purpose) ---
y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0]
p = [0.9, 0.1, 0.8, 0.35, 0.4, 0.2, 0.7, 0.6, 0.55, 0.05, 0.9, 0.45, 0.3, 0.35, 0.1, 0.65, 0.5, 0.99, 0.01, 0.6]
pred = [int(v >= 0.5) for v in p]
print("binary auc", repr(metrics.roc_auc_score(y, p)))
print("binary accuracy", repr(metrics.accuracy_score(y, pred)))
print("binary precision", repr(metrics.precision_score(y, pred)))
print("binary recall", repr(metrics.recall_score(y, pred)))
print("binary f1", repr(metrics.f1_score(y, pred)))
print("binary log_loss", repr(metrics.log_loss(y, p)))

# --- multiclass ---
ym = [0, 1, 2, 2, 1, 0, 2, 1, 0, 2]
pm = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.5, 0.1, 0.4], [0.3, 0.4, 0.3],
      [0.4, 0.5, 0.1], [0.1, 0.1, 0.8], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.3, 0.3, 0.4]]
am = np.argmax(pm, axis=1)
print("multiclass micro_accuracy", repr(metrics.accuracy_score(ym, am)))
print("multiclass macro_accuracy", repr(metrics.balanced_accuracy_score(ym, am)))
print("multiclass log_loss", repr(metrics.log_loss(ym, pm)))

# --- regression ---
yr = [3.0, -0.5, 2.0, 7.0, 4.2, 1.1, 0.0, 5.5]
pr = [2.5, 0.0, 2.1, 7.8, 3.9, 1.0, -0.3, 6.1]
print("regression rmse", repr(float(np.sqrt(metrics.mean_squared_error(yr, pr)))))
print("regression mae", repr(metrics.mean_absolute_error(yr, pr)))
print("regression r2", repr(metrics.r2_score(yr, pr)))

# --- drift: the same integer formulas as MonitoringReferenceData in the C# tests ---
ref = np.array([(i * 37 % 101) / 10.0 for i in range(200)])
cur = np.array([(i * 53 % 97) / 9.0 + 0.5 for i in range(150)])

def psi(r, c, bins=10):  # verbatim from shared/baseline/drift_scipy.py
    edges = np.unique(np.quantile(r, np.linspace(0, 1, bins + 1)[1:-1]))
    pp = np.bincount(np.searchsorted(edges, r, side="left"), minlength=len(edges) + 1) / len(r)
    q = np.bincount(np.searchsorted(edges, c, side="left"), minlength=len(edges) + 1) / len(c)
    pp = np.maximum(pp, 1e-4)
    q = np.maximum(q, 1e-4)
    return float(np.sum((q - pp) * np.log(q / pp)))

print("psi", repr(psi(ref, cur)))
ks = stats.ks_2samp(ref, cur)
en = len(ref) * len(cur) / (len(ref) + len(cur))
print("ks statistic", repr(float(ks.statistic)))
print("ks pvalue kstwobign", repr(float(stats.kstwobign.sf(np.sqrt(en) * ks.statistic))))
print("ks pvalue ks_2samp (for comparison)", repr(float(ks.pvalue)))
for y_ in [0.3, 0.5, 0.8, 1.0, 1.36, 2.0]:
    print("kolmogorov sf", y_, repr(float(stats.kstwobign.sf(y_))))

ref_c = ["a"] * 50 + ["b"] * 30 + ["c"] * 20
cur_c = ["a"] * 30 + ["b"] * 30 + ["c"] * 25 + ["d"] * 5
cats = sorted(set(ref_c) | set(cur_c))
table = np.array([[ref_c.count(k) for k in cats], [cur_c.count(k) for k in cats]])
chi2, pval, dof, _ = stats.chi2_contingency(table, correction=False)
print("chi2 statistic", repr(float(chi2)), "pvalue", repr(float(pval)), "dof", dof)
for x, k in [(0.5, 1), (3.84, 1), (10.0, 3), (30.0, 10), (200.0, 150)]:
    print("chi2 sf", x, k, repr(float(stats.chi2.sf(x, k))))

# --- profile: numpy quantiles (linear) and the sample standard deviation (pandas' default ddof=1) ---
v = np.array([4.0, 1.5, 9.25, 3.0, 7.5, 2.0, 6.0, 10.0, 0.5, 5.0, 8.0])
print("quantiles p05 p25 p50 p75 p95", [repr(float(np.quantile(v, q))) for q in [0.05, 0.25, 0.5, 0.75, 0.95]])
print("mean", repr(float(v.mean())), "std", repr(float(v.std(ddof=1))))

# --- two-sample KS p-values, ks_2samp's default (exact up to 10000 values per sample) ---
def ks_cases():
    a = np.array([(i * 37 % 101) / 10.0 for i in range(200)])
    yield "unequal 200 vs 150", a, np.array([(i * 53 % 97) / 9.0 + 0.5 for i in range(150)])
    yield "equal 50 vs 50", np.array([(i * 7 % 50) / 5.0 for i in range(50)]), np.array([(i * 11 % 50) / 5.0 + 0.9 for i in range(50)])
    yield "shifted 300 vs 120", np.array([(i * 37 % 101) / 10.0 for i in range(300)]), np.array([(i * 13 % 89) / 8.0 + 3.0 for i in range(120)])
    yield "ties 40 vs 60", np.array([float(i % 5) for i in range(40)]), np.array([float(i % 6) for i in range(60)])
for name, x, z in ks_cases():
    r = stats.ks_2samp(x, z)
    print("ks_2samp", name, repr(float(r.statistic)), repr(float(r.pvalue)))

# --- drift statistics of issue 7 (also needs Debian's python3-statsmodels 0.13.5 for the z-test and BH) ---
from scipy.spatial import distance
from statsmodels.stats.proportion import proportions_ztest
from statsmodels.stats.multitest import multipletests

print("wasserstein", repr(float(stats.wasserstein_distance(ref, cur))), "normed", repr(float(stats.wasserstein_distance(ref, cur) / np.std(ref))))
edges = np.unique(np.quantile(ref, np.linspace(0, 1, 11)[1:-1]))
p_bins = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1) / len(ref)
q_bins = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1) / len(cur)
print("jensenshannon base 2 (decile bins)", repr(float(distance.jensenshannon(p_bins, q_bins, base=2))))
print("hellinger (decile bins, numpy)", repr(float(np.sqrt(1 - np.sum(np.sqrt(p_bins * q_bins))))))
p_cat = np.array([ref_c.count(k) for k in cats]) / len(ref_c)
q_cat = np.array([cur_c.count(k) for k in cats]) / len(cur_c)
print("jensenshannon base 2 (categories)", repr(float(distance.jensenshannon(p_cat, q_cat, base=2))))
print("hellinger (categories, numpy)", repr(float(np.sqrt(1 - np.sum(np.sqrt(p_cat * q_cat))))))
expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
print("chisquare of the 2 x K table (ddof = K)", stats.chisquare(table.ravel(), expected.ravel(), ddof=table.size - 1 - (len(cats) - 1)))
z, pz = proportions_ztest([45, 30], [200, 150])  # current-minus-reference order below: (30/150 - 45/200)
print("proportions_ztest ref 45/200 cur 30/150: z", repr(float(-z)), "p", repr(float(pz)), "norm 2*sf", repr(float(2 * stats.norm.sf(abs(z)))))
for zz in [0.1, 1.0, 1.959963984540054, 3.0, 6.0]:
    print("two-sided normal", zz, repr(float(2 * stats.norm.sf(zz))))
bh_p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216]
print("fdr_bh", [repr(float(v)) for v in multipletests(bh_p, alpha=0.05, method="fdr_bh")[1]])
