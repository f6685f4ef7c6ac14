"""Reference per-prediction contributions of linear models, from scikit-learn coefficients.

Run with Debian's python (scikit-learn 1.2): /usr/bin/python3 scripts/ml-fixtures/linear_contributions_fixtures.py
Writes test/fixtures/ml/automl/linear_contributions.json.

For a linear model f(x) = b + sum_j w_j z_j on design columns z (standardised or raw), the
contribution of column j is w_j (z_j - mean_j), with mean_j the training mean of z_j, and the
base value is b + sum_j w_j mean_j, so base + sum of contributions = f(x), the decision function
(the log-odds per class for logistic regression).
"""
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler

ROWS = 10
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "ml", "automl")


def contributions(coef, intercept, z_train, z):
    coef = np.atleast_2d(coef)
    intercept = np.atleast_1d(intercept)
    mean = z_train.mean(axis=0)
    contrib = coef[None, :, :] * (z[:, None, :] - mean[None, None, :])  # rows x outputs x features
    base = intercept + coef @ mean
    raw = z @ coef.T + intercept
    assert np.allclose(contrib.sum(axis=2) + base, raw, atol=1e-9)
    return {"contributions": contrib.tolist(), "base": base.tolist(), "raw": raw.tolist()}


def main():
    out = {}
    x, y = load_diabetes(return_X_y=True)
    ridge = Ridge(alpha=1.0).fit(x, y)
    out["ridge_diabetes"] = {"x_head": x[:ROWS].tolist(), **contributions(ridge.coef_, ridge.intercept_, x, x[:ROWS])}

    for name, loader in [("breast_cancer", load_breast_cancer), ("wine", load_wine)]:
        x, y = loader(return_X_y=True)
        z = StandardScaler().fit_transform(x)
        m = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8, max_iter=10000).fit(z, y)
        out[f"logistic_{name}"] = {"x_head": x[:ROWS].tolist(), **contributions(m.coef_, m.intercept_, z, z[:ROWS])}

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "linear_contributions.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
