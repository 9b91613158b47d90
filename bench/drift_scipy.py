#!/usr/bin/python3
"""The same statistics as bench/DriftBench, in plain SciPy/NumPy on the raw samples (Debian 12's python3-scipy 1.10.1).

Usage: /usr/bin/python3 bench/drift_scipy.py DIR ROWS [RUNS]
Reads DIR/{reference,current}.{f64,i32} as DriftBench wrote them (20 float64 columns, then 5 int32 category columns,
each ROWS long). Per numeric column: ks_2samp, PSI on the reference's deciles (the baseline's drift_scipy.py),
wasserstein_distance / np.std(reference), jensenshannon(base=2) and Hellinger on the same deciles; per category column:
chi2_contingency(correction=False), jensenshannon(base=2) and Hellinger on the counts. Prints one JSON line per run with
the seconds of the statistics (the data is in memory, as DriftBench's is).
"""
import json, sys, time
import numpy as np, scipy
from scipy import stats
from scipy.spatial import distance

directory, rows = sys.argv[1], int(sys.argv[2])
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3


def load(prefix):
    return np.fromfile(prefix + ".f64", dtype="<f8").reshape(20, rows), np.fromfile(prefix + ".i32", dtype="<i4").reshape(5, rows)


def decile_shares(ref, cur):
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, 11)[1:-1]))
    p = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1) / len(ref)
    q = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1) / len(cur)
    return p, q


def hellinger(p, q):
    return float(np.sqrt(max(0.0, 1 - np.sum(np.sqrt(p * q)))))


(ref_x, ref_c), (cur_x, cur_c) = load(f"{directory}/reference"), load(f"{directory}/current")
for run in range(1, runs + 1):
    start = time.perf_counter()
    out = {}
    for c in range(20):
        r, k = ref_x[c], cur_x[c]
        p, q = decile_shares(r, k)
        pf, qf = np.maximum(p, 1e-4), np.maximum(q, 1e-4)
        out[f"x{c}"] = dict(ks=stats.ks_2samp(r, k).statistic, psi=float(np.sum((qf - pf) * np.log(qf / pf))),
                            wasserstein=stats.wasserstein_distance(r, k) / np.std(r),
                            jensen_shannon=float(distance.jensenshannon(p, q, base=2)), hellinger=hellinger(p, q))
    for c in range(5):
        size = int(max(ref_c[c].max(), cur_c[c].max())) + 1
        a, b = np.bincount(ref_c[c], minlength=size), np.bincount(cur_c[c], minlength=size)
        keep = (a + b) > 0
        table = np.array([a[keep], b[keep]])
        p, q = table[0] / table[0].sum(), table[1] / table[1].sum()
        out[f"c{c}"] = dict(chi_square=stats.chi2_contingency(table, correction=False)[0],
                            jensen_shannon=float(distance.jensenshannon(p, q, base=2)), hellinger=hellinger(p, q))
    seconds = time.perf_counter() - start
    print(json.dumps({"run": run, "scipy": scipy.__version__, "rows": rows, "seconds": round(seconds, 3),
                      "x0": {k: round(float(v), 6) for k, v in out["x0"].items()}, "x1_wasserstein": round(float(out["x1"]["wasserstein"]), 6),
                      "c1": {k: round(float(v), 6) for k, v in out["c1"].items()}}))
