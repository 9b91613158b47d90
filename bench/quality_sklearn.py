"""The scikit-learn side of bench/quality.sh (issue 20, item 7).

Writes every dataset, with the 5 folds both sides use, to WORK, then fits HistGradientBoosting with its defaults on
each fold and prints one JSON line per dataset with the five test scores. Categorical columns are ordinal-encoded
and declared categorical, as scikit-learn >= 1.4 does by default for a pandas categorical dtype.

Folds: StratifiedKFold(5, shuffle=True, random_state=0) on the label for classification; for regression,
the same on the label's quintile, so every fold sees the whole range. Metrics are the task's default in Tend:
ROC AUC (binary), balanced accuracy (multiclass, Tend's macro_accuracy), R² (regression).
"""
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn import datasets
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import balanced_accuracy_score, r2_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import OrdinalEncoder

shared, work = sys.argv[1], sys.argv[2]


def from_r(package, name):
    """A dataset of a Debian R package (r-cran-mlbench, r-cran-modeldata), written to CSV by R itself."""
    path = f"{work}/{name}.r.csv"
    subprocess.run(["Rscript", "-e", f'library({package}); data({name}); write.csv({name}, "{path}", row.names = FALSE, na = "")'],
                   check=True, capture_output=True)
    return pd.read_csv(path)


def bundled(loader, label, names=None):
    d = loader(as_frame=True).frame.rename(columns={"target": label})
    if names is not None:
        d[label] = d[label].map(dict(enumerate(names)))
    return d


# name -> (frame, label, task, positive class). The first eight are the ones the issue names (tuned on); the rest
# are held out: the default trainer's settings were chosen before they were first run.
cases = {
    "spam": (pd.read_csv(f"{shared}/spam.csv"), "type", "binary", "spam"),
    "credit": (pd.read_csv(f"{shared}/credit_data.csv"), "Status", "binary", "bad"),
    "breast_cancer": (bundled(datasets.load_breast_cancer, "diagnosis", ["malignant", "benign"]), "diagnosis", "binary", "malignant"),
    "iris": (pd.read_csv(f"{shared}/iris.csv"), "target", "multiclass", None),
    "penguins": (pd.read_csv(f"{shared}/penguins.csv"), "species", "multiclass", None),
    "digits": (bundled(datasets.load_digits, "digit", [f"d{i}" for i in range(10)]), "digit", "multiclass", None),
    "ames": (pd.read_csv(f"{shared}/ames.csv"), "Sale_Price", "regression", None),
    "diabetes": (bundled(datasets.load_diabetes, "progression"), "progression", "regression", None),
    # held out
    "pima": (from_r("mlbench", "PimaIndiansDiabetes"), "diabetes", "binary", "pos"),
    "sonar": (from_r("mlbench", "Sonar"), "Class", "binary", "M"),
    "attrition": (from_r("modeldata", "attrition"), "Attrition", "binary", "Yes"),
    "churn": (from_r("modeldata", "mlc_churn"), "churn", "binary", "yes"),
    "wine": (bundled(datasets.load_wine, "cultivar", ["c0", "c1", "c2"]), "cultivar", "multiclass", None),
    "glass": (from_r("mlbench", "Glass").astype({"Type": str}), "Type", "multiclass", None),
    "vehicle": (from_r("mlbench", "Vehicle"), "Class", "multiclass", None),
    "boston": (from_r("mlbench", "BostonHousing"), "medv", "regression", None),
    "concrete": (from_r("modeldata", "concrete"), "compressive_strength", "regression", None),
    "sacramento": (from_r("modeldata", "Sacramento"), "price", "regression", None),
}
only = set(sys.argv[3:])
manifest = []
for name, (frame, label, task, positive) in cases.items():
    if only and name not in only:
        continue
    frame = frame[frame[label].notna()].reset_index(drop=True)
    y = frame[label]
    strata = pd.qcut(y, 5, labels=False) if task == "regression" else y
    folds = np.zeros(len(frame), dtype=int)
    for k, (_, test) in enumerate(StratifiedKFold(5, shuffle=True, random_state=0).split(frame, strata)):
        folds[test] = k
    frame.to_csv(f"{work}/{name}.csv", index=False)
    np.savetxt(f"{work}/{name}.folds", folds, fmt="%d")
    manifest.append({"name": name, "label": label, "task": task, "positive": positive})

    X = frame.drop(columns=label)
    categorical = [c for c in X.columns if X[c].dtype == object]
    if categorical:
        X[categorical] = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan,
                                        encoded_missing_value=np.nan).fit_transform(X[categorical])
    mask = [c in categorical for c in X.columns] if categorical else None
    scores = []
    for k in range(5):
        train, test = folds != k, folds == k
        if task == "regression":
            model = HistGradientBoostingRegressor(categorical_features=mask, random_state=0).fit(X[train], y[train])
            scores.append(r2_score(y[test], model.predict(X[test])))
        else:
            model = HistGradientBoostingClassifier(categorical_features=mask, random_state=0).fit(X[train], y[train])
            if task == "binary":
                column = list(model.classes_).index(positive)
                scores.append(roc_auc_score(y[test] == positive, model.predict_proba(X[test])[:, column]))
            else:
                scores.append(balanced_accuracy_score(y[test], model.predict(X[test])))
    print(json.dumps({"side": "sklearn", "version": sklearn.__version__, "name": name, "scores": scores}), flush=True)

with open(f"{work}/manifest.json", "w") as f:
    json.dump(manifest, f)
