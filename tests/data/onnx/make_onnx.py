"""Makes the ONNX models the import and serving tests load, and what scikit-learn predicts for their rows.

Run with Debian's Python (python3-sklearn, python3-onnx, python3-pandas):  /usr/bin/python3 make_onnx.py
The graphs are written by hand with onnx.helper (skl2onnx is not packaged in Debian 12): a fitted
LogisticRegression is exactly MatMul + Add + Sigmoid (binary) or Softmax (multinomial).
"""
import json

import numpy as np
import onnx
import pandas as pd
import sklearn
from onnx import TensorProto, helper
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROWS = 40  # rows whose sklearn probabilities the tests pin


def linear(scaler, model):
    """Standardisation folded into the weights: (x - mean) / scale @ W + b = x @ (W / scale) + (b - mean / scale @ W)."""
    w = model.coef_.T / scaler.scale_[:, None]
    b = model.intercept_ - (scaler.mean_ / scaler.scale_) @ model.coef_.T
    return w.astype(np.float32), b.astype(np.float32)


def save(graph, path):
    model = helper.make_model(graph, producer_name="tend tests/data/onnx/make_onnx.py", opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def spam():
    """Binary, one [N, 57] FP32 input 'X'; outputs label (INT64 [N]) and probabilities (FP32 [N, 2], classes nonspam, spam)."""
    data = pd.read_csv("../../../samples/spam/spam.csv")
    x, y = data.drop(columns="type").to_numpy(np.float64), data["type"].to_numpy()
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(x, y)
    w, b = linear(pipe[0], pipe[1])
    nodes = [
        helper.make_node("MatMul", ["X", "W"], ["xw"]),
        helper.make_node("Add", ["xw", "B"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["p1"]),
        helper.make_node("Sub", ["one", "p1"], ["p0"]),
        helper.make_node("Concat", ["p0", "p1"], ["probabilities"], axis=1),
        helper.make_node("ArgMax", ["probabilities"], ["label"], axis=1, keepdims=0),
    ]
    graph = helper.make_graph(
        nodes, "spam_logreg",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", x.shape[1]])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])],
        [helper.make_tensor("W", TensorProto.FLOAT, w.shape, w.ravel()), helper.make_tensor("B", TensorProto.FLOAT, [1], b),
         helper.make_tensor("one", TensorProto.FLOAT, [1], [1.0])])
    save(graph, "spam_logreg.onnx")
    return {"classes": list(pipe.classes_), "features": list(data.columns[:-1]),
            "probabilities": pipe.predict_proba(x[:ROWS]).tolist(), "predictions": list(pipe.predict(x[:ROWS]))}


def penguins():
    """Multiclass, one [N, 1] input per feature (FP32, and body_mass_g as FP64); output probabilities FP32 [N, 3]."""
    features = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    data = pd.read_csv("../penguins.csv").dropna(subset=features)
    x, y = data[features].to_numpy(np.float64), data["species"].to_numpy()
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(x, y)
    w, b = linear(pipe[0], pipe[1])
    nodes = [helper.make_node("Cast", ["body_mass_g"], ["body_mass_f"], to=TensorProto.FLOAT),
             helper.make_node("Concat", features[:3] + ["body_mass_f"], ["X"], axis=1),
             helper.make_node("MatMul", ["X", "W"], ["xw"]),
             helper.make_node("Add", ["xw", "B"], ["logits"]),
             helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)]
    inputs = [helper.make_tensor_value_info(f, TensorProto.DOUBLE if f == "body_mass_g" else TensorProto.FLOAT, ["N", 1]) for f in features]
    graph = helper.make_graph(nodes, "penguins_logreg", inputs,
                              [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 3])],
                              [helper.make_tensor("W", TensorProto.FLOAT, w.shape, w.ravel()), helper.make_tensor("B", TensorProto.FLOAT, b.shape, b)])
    save(graph, "penguins_logreg.onnx")
    return {"classes": list(pipe.classes_), "features": features, "rows": data.index[:ROWS].tolist(),
            "probabilities": pipe.predict_proba(x[:ROWS]).tolist(), "predictions": list(pipe.predict(x[:ROWS]))}


expected = {"source": f"scikit-learn {sklearn.__version__} predict_proba, onnx {onnx.__version__}", "spam": spam(), "penguins": penguins()}
with open("expected.json", "w") as out:
    json.dump(expected, out, indent=1)
