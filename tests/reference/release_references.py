#!/usr/bin/python3
"""The values Tend's release judge tests pin (tests/Tend.EndToEnd.Tests/Releases/ReleaseJudgeTests.cs), computed independently.

Run with Debian 12's packages (python3-statsmodels 0.13.5, python3-scipy 1.10.1, python3-numpy 1.24.2):
    /usr/bin/python3 tests/reference/release_references.py
"""
import numpy as np
from statsmodels.stats.proportion import proportion_confint, proportions_ztest
from statsmodels.stats.weightstats import ztest
from statsmodels.stats.multitest import multipletests

# Wilson score interval of an agreement share.
print("wilson 83/97", repr(proportion_confint(83, 97, alpha=0.05, method="wilson")))
print("wilson 0/20", repr(proportion_confint(0, 20, alpha=0.05, method="wilson")))

# Paired differences of expected correctness (CBPE): the z-test of their mean against 0, and its normal interval.
d = np.array([0.12, -0.05, 0.3, 0.07, -0.2, 0.15, 0.01, 0.22, -0.02, 0.09])
z, p = ztest(d, value=0)
se = d.std(ddof=1) / np.sqrt(len(d))
print("paired mean", repr(d.mean()), "se", repr(se), "p", repr(p))

# Error rates: 7 of 200 canary requests failed against 2 of 3800 of the champion's.
print("errors z", repr(proportions_ztest([7, 2], [200, 3800])))

# Benjamini-Hochberg across a step's checks.
print("bh", repr(multipletests([0.01, 0.04, 0.03, 0.5], method="fdr_bh")[1]))
