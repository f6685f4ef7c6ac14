"""Reference fixtures for the statistics/linear/neighbours/calibration/imbalance parts of src/ml.

Run with Debian's python (scikit-learn 1.2.1, scipy 1.10, imbalanced-learn 0.10):

    /usr/bin/python3 scripts/ml-fixtures/stats_make_fixtures.py

Writes small JSON files to test/fixtures/ml/stats/. Every number in them comes from
scikit-learn / scipy / imbalanced-learn (or, where no library defines the quantity, from a
plain numpy transcription of the definition documented in the TypeScript JSDoc).
"""
import gzip
import json
import math
import os
import warnings

import numpy as np
from scipy import stats
from scipy.optimize import minimize
from scipy.spatial.distance import jensenshannon
from sklearn import metrics as skm
from sklearn.calibration import _sigmoid_calibration, calibration_curve
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine, make_classification
from sklearn.feature_selection import RFE, mutual_info_classif, mutual_info_regression
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")
ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
OUT = os.path.join(ROOT, "test", "fixtures", "ml", "stats")
os.makedirs(OUT, exist_ok=True)


def tolist(a):
    if isinstance(a, np.ndarray):
        return a.tolist()
    return a


def dump(name, obj):
    path = os.path.join(OUT, name + ".json")
    with open(path, "w") as f:
        json.dump(obj, f, default=lambda o: o.tolist() if isinstance(o, np.ndarray) else float(o))
    print(name, os.path.getsize(path))


# ----------------------------------------------------------------------------- datasets
def datasets():
    out = {}
    bc = load_breast_cancer()
    out["breast_cancer"] = {"x": bc.data, "y": bc.target.astype(float)}
    ir = load_iris()
    out["iris"] = {"x": ir.data, "y": ir.target.astype(float)}
    wi = load_wine()
    out["wine"] = {"x": wi.data, "y": wi.target.astype(float)}
    di = load_diabetes()
    out["diabetes"] = {"x": di.data, "y": di.target.astype(float)}
    return out


DATA = datasets()
# Folds exported from numpy so the TypeScript side can reproduce sklearn's CV like for like.
bc_x, bc_y = DATA["breast_cancer"]["x"], DATA["breast_cancer"]["y"]
bc_folds = [
    {"train": tr.tolist(), "test": te.tolist()}
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(bc_x, bc_y)
]
dump("datasets", {k: {"x": v["x"], "y": v["y"]} for k, v in DATA.items()} | {"breast_cancer_folds": bc_folds})


# ----------------------------------------------------------------------------- metrics
def metrics_fixture():
    rng = np.random.default_rng(0)
    n = 200
    yb = (rng.random(n) < 0.4).astype(float)
    # scores rounded to 2 decimals so there are many ties
    sb = np.round(np.clip(0.3 * yb + rng.random(n) * 0.7, 0, 1), 2)
    predb = (sb >= 0.5).astype(float)
    K = 3
    nm = 150
    ym = rng.integers(0, K, nm).astype(float)
    logits = rng.normal(size=(nm, K)) + 1.5 * np.eye(K)[ym.astype(int)]
    pm = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    pm[0] = [1.0, 0.0, 0.0]  # exercise clipping in log loss
    predm = pm.argmax(1).astype(float)
    yr = rng.normal(10, 3, 100)
    pr = yr + rng.normal(0, 1.5, 100)

    res = {
        "binary": {
            "y": yb, "score": sb, "pred": predb,
            "accuracy": skm.accuracy_score(yb, predb),
            "balanced_accuracy": skm.balanced_accuracy_score(yb, predb),
            "precision": skm.precision_score(yb, predb),
            "recall": skm.recall_score(yb, predb),
            "f1": skm.f1_score(yb, predb),
            "f1_macro": skm.f1_score(yb, predb, average="macro"),
            "roc_auc": skm.roc_auc_score(yb, sb),
            "average_precision": skm.average_precision_score(yb, sb),
            "log_loss": skm.log_loss(yb, sb),
            "brier": skm.brier_score_loss(yb, sb),
            "confusion": skm.confusion_matrix(yb, predb),
        },
        "multiclass": {
            "y": ym, "proba": pm, "pred": predm,
            "accuracy": skm.accuracy_score(ym, predm),
            "balanced_accuracy": skm.balanced_accuracy_score(ym, predm),
            "precision_macro": skm.precision_score(ym, predm, average="macro"),
            "recall_macro": skm.recall_score(ym, predm, average="macro"),
            "f1_macro": skm.f1_score(ym, predm, average="macro"),
            "precision_weighted": skm.precision_score(ym, predm, average="weighted"),
            "recall_weighted": skm.recall_score(ym, predm, average="weighted"),
            "f1_weighted": skm.f1_score(ym, predm, average="weighted"),
            "roc_auc_ovr_macro": skm.roc_auc_score(ym, pm, multi_class="ovr", average="macro"),
            "log_loss": skm.log_loss(ym, pm),
            "confusion": skm.confusion_matrix(ym, predm),
        },
        "regression": {
            "y": yr, "pred": pr,
            "rmse": math.sqrt(skm.mean_squared_error(yr, pr)),
            "mae": skm.mean_absolute_error(yr, pr),
            "r2": skm.r2_score(yr, pr),
            "mape": skm.mean_absolute_percentage_error(yr, pr),
        },
    }
    # calibration curves (uniform and quantile bins)
    pt, pp = calibration_curve(yb, sb, n_bins=10, strategy="uniform")
    res["binary"]["calibration_uniform"] = {"prob_true": pt, "prob_pred": pp}
    pt, pp = calibration_curve(yb, sb, n_bins=5, strategy="quantile")
    res["binary"]["calibration_quantile"] = {"prob_true": pt, "prob_pred": pp}

    # Threshold tuning, brute force over every distinct score (predict positive iff score >= t);
    # ties between thresholds resolved towards the largest threshold.
    cands = np.unique(sb)
    cost = [[0.0, 1.0], [5.0, 0.0]]  # rows true (neg, pos), cols predicted (neg, pos)

    def best(fun, maximise):
        best_t, best_v = None, None
        for t in cands[::-1]:
            p = (sb >= t).astype(float)
            v = fun(p)
            if best_v is None or (v > best_v if maximise else v < best_v):
                best_t, best_v = t, v
        return {"threshold": best_t, "value": best_v}

    def youden(p):
        cm = skm.confusion_matrix(yb, p, labels=[0, 1])
        tn, fp, fn, tp = cm.ravel()
        return tp / (tp + fn) - fp / (fp + tn)

    def exp_cost(p):
        cm = skm.confusion_matrix(yb, p, labels=[0, 1])
        return float((cm * np.array(cost)).sum() / n)

    res["thresholds"] = {
        "cost": cost,
        "max_f1": best(lambda p: skm.f1_score(yb, p), True),
        "youden": best(youden, True),
        "min_cost": best(exp_cost, False),
    }
    dump("metrics", res)


# ----------------------------------------------------------------------------- model selection
def model_selection_fixture():
    rng = np.random.default_rng(1)
    y = np.array([0] * 20 + [1] * 11 + [2] * 6, dtype=float)
    rng.shuffle(y)
    skf = [{"train": tr, "test": te} for tr, te in StratifiedKFold(5).split(np.zeros(len(y)), y)]
    kf = [{"train": tr, "test": te} for tr, te in KFold(4).split(np.zeros(23))]
    dump("model_selection", {"y": y, "stratified_5": skf, "kfold_23_4": kf})


# ----------------------------------------------------------------------------- drift
def psi_bins(ref, n_bins):
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, n_bins + 1)))
    return edges[1:-1]


def hist(x, interior):
    return np.bincount(np.searchsorted(interior, x, side="right"), minlength=len(interior) + 1).astype(float)


def smooth(c, alpha):
    return (c + alpha) / (c.sum() + alpha * len(c))


def drift_case(ref, cur, n_bins=10, alpha=0.5):
    interior = psi_bins(ref, n_bins)
    r, c = hist(ref, interior), hist(cur, interior)
    rs, cs = smooth(r, alpha), smooth(c, alpha)
    rp, cp = r / r.sum(), c / c.sum()
    ks = stats.ks_2samp(ref, cur)
    ad = stats.anderson_ksamp([ref, cur])
    w = stats.wasserstein_distance(ref, cur)
    return {
        "ref": ref, "cur": cur, "n_bins": n_bins, "alpha": alpha,
        "interior_edges": interior, "ref_counts": r, "cur_counts": c,
        "psi": float(np.sum((cs - rs) * np.log(cs / rs))),
        "kl": float(stats.entropy(cs, rs)),
        "js": float(jensenshannon(rp, cp, base=2)),
        "hellinger": float(np.sqrt(max(0.0, 1 - np.sum(np.sqrt(rp * cp))))),
        "tv": float(0.5 * np.abs(rp - cp).sum()),
        "ks_statistic": float(ks.statistic), "ks_pvalue": float(ks.pvalue),
        "ad_statistic": float(ad.statistic), "ad_pvalue": float(ad.pvalue),
        "ad_critical": ad.critical_values,
        "wasserstein": float(w),
        "ref_std": float(np.std(ref)),
    }


def drift_fixture():
    rng = np.random.default_rng(2)
    cases = {
        "normal_shift": drift_case(rng.normal(0, 1, 600), rng.normal(0.3, 1.2, 450)),
        "small_exact": drift_case(rng.normal(0, 1, 30), rng.normal(0.8, 1, 25)),
        "equal_n": drift_case(rng.normal(0, 1, 40), rng.normal(0.5, 1, 40)),
        "ties": drift_case(rng.integers(0, 8, 300).astype(float), rng.integers(1, 9, 250).astype(float), n_bins=5),
        "no_shift": drift_case(rng.exponential(1, 800), rng.exponential(1, 700)),
        "same_dist_small": drift_case(rng.normal(0, 1, 60), rng.normal(0, 1, 45)),
    }
    # asymptotic KS (max n > 10000): several regimes of scipy's kstwo
    asym = []
    for n1, n2, shift in [(12000, 11000, 0.0), (12000, 11000, 0.02), (12000, 11000, 0.1), (20000, 300, 0.1), (15000, 150, 0.0)]:
        a = rng.normal(0, 1, n1)
        b = rng.normal(shift, 1, n2)
        ks = stats.ks_2samp(a, b)
        asym.append({"n1": n1, "n2": n2, "a": np.round(a, 4), "b": np.round(b, 4)})
        ks = stats.ks_2samp(asym[-1]["a"], asym[-1]["b"])
        asym[-1]["statistic"] = float(ks.statistic)
        asym[-1]["pvalue"] = float(ks.pvalue)
    # kstwo.sf reference values for the p-value function alone
    kstwo = [{"d": d, "n": n, "sf": float(stats.kstwo.sf(d, n))}
             for n in [5, 20, 60, 140, 150, 300, 1000, 5000, 20000, 100000, 200000]
             for d in [0.002, 0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.6]]
    # categoricals
    ref_counts = np.array([120, 80, 40, 10, 0, 5], dtype=float)
    cur_counts = np.array([100, 95, 30, 20, 3, 0], dtype=float)
    table = np.vstack([ref_counts, cur_counts])
    keep = table.sum(0) > 0
    chi = stats.chi2_contingency(table[:, keep])
    chi_nc = stats.chi2_contingency(table[:, keep], correction=False)
    t22 = np.array([[30.0, 12.0], [18.0, 25.0]])
    c22 = stats.chi2_contingency(t22)
    c22n = stats.chi2_contingency(t22, correction=False)
    rp, cp = ref_counts / ref_counts.sum(), cur_counts / cur_counts.sum()
    cat = {
        "ref_counts": ref_counts, "cur_counts": cur_counts,
        "chi2": chi[0], "chi2_p": chi[1], "chi2_dof": chi[2],
        "chi2_nc": chi_nc[0], "chi2_nc_p": chi_nc[1],
        "table22": t22, "chi2_22_yates": c22[0], "chi2_22_yates_p": c22[1],
        "chi2_22": c22n[0], "chi2_22_p": c22n[1],
        "tv": 0.5 * np.abs(rp - cp).sum(),
        "js": float(jensenshannon(rp, cp, base=2)),
        "hellinger": float(np.sqrt(max(0.0, 1 - np.sum(np.sqrt(rp * cp))))),
        "psi": float(np.sum((smooth(cur_counts, 0.5) - smooth(ref_counts, 0.5)) * np.log(smooth(cur_counts, 0.5) / smooth(ref_counts, 0.5)))),
        "kl": float(stats.entropy(smooth(cur_counts, 0.5), smooth(ref_counts, 0.5))),
    }
    # chi2 survival function values
    chi2_sf = [{"x": x, "dof": d, "sf": float(stats.chi2.sf(x, d))}
               for d in [1, 2, 3, 5, 10, 30] for x in [0.01, 0.5, 1.0, 3.84, 10.0, 25.0, 60.0]]
    dump("drift", {"cases": cases, "ks_asymptotic": asym, "kstwo_sf": kstwo,
                   "categorical": cat, "chi2_sf": chi2_sf})


# ----------------------------------------------------------------------------- linear models
def linear_fixture():
    out = {}
    sc = StandardScaler().fit(bc_x)
    out["scaler_breast_cancer"] = {"mean": sc.mean_, "scale": sc.scale_}
    xs = sc.transform(bc_x)
    for C in [1.0, 0.1]:
        m = LogisticRegression(C=C, solver="newton-cg", tol=1e-8, max_iter=1000).fit(xs, bc_y)
        out[f"logreg_bc_C{C}"] = {"C": C, "coef": m.coef_, "intercept": m.intercept_,
                                 "proba_head": m.predict_proba(xs[:20])}
    for name in ["iris", "wine"]:
        x, y = DATA[name]["x"], DATA[name]["y"]
        xs2 = StandardScaler().fit_transform(x)
        m = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8, max_iter=1000).fit(xs2, y)
        out[f"logreg_{name}"] = {"C": 1.0, "coef": m.coef_, "intercept": m.intercept_,
                                 "proba_head": m.predict_proba(xs2[:20])}
    dx, dy = DATA["diabetes"]["x"], DATA["diabetes"]["y"]
    for alpha in [1.0, 0.01, 10.0]:
        r = Ridge(alpha=alpha).fit(dx, dy)
        out[f"ridge_diabetes_{alpha}"] = {"alpha": alpha, "coef": r.coef_, "intercept": r.intercept_}
    # CV accuracy of scaled logistic regression on the exported breast-cancer folds
    accs = []
    for f in bc_folds:
        tr, te = np.array(f["train"]), np.array(f["test"])
        s = StandardScaler().fit(bc_x[tr])
        m = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8, max_iter=1000).fit(s.transform(bc_x[tr]), bc_y[tr])
        accs.append(skm.accuracy_score(bc_y[te], m.predict(s.transform(bc_x[te]))))
    out["logreg_bc_cv_accuracy"] = accs
    dump("linear", out)


# ----------------------------------------------------------------------------- kNN, naive Bayes
def neighbors_fixture():
    out = {}
    x, y = DATA["wine"]["x"], DATA["wine"]["y"]
    xs = StandardScaler().fit_transform(x)
    tr = np.arange(len(y)) % 3 != 0
    te = ~tr
    for w in ["uniform", "distance"]:
        m = KNeighborsClassifier(5, weights=w, algorithm="brute").fit(xs[tr], y[tr])
        out[f"knn_wine_{w}"] = {"proba": m.predict_proba(xs[te]), "pred": m.predict(xs[te])}
    dx, dy = DATA["diabetes"]["x"], DATA["diabetes"]["y"]
    trd = np.arange(len(dy)) % 4 != 0
    for w in ["uniform", "distance"]:
        m = KNeighborsRegressor(7, weights=w, algorithm="brute").fit(dx[trd], dy[trd])
        out[f"knn_diabetes_{w}"] = {"pred": m.predict(dx[~trd])}
    for name in ["iris", "wine"]:
        x, y = DATA[name]["x"], DATA[name]["y"]
        m = GaussianNB().fit(x, y)
        out[f"gnb_{name}"] = {"theta": m.theta_, "var": m.var_, "prior": m.class_prior_,
                              "epsilon": m.epsilon_, "proba": m.predict_proba(x), "pred": m.predict(x)}
    dump("neighbors", out)


# ----------------------------------------------------------------------------- calibration
def calibration_fixture():
    rng = np.random.default_rng(3)
    n = 300
    y = (rng.random(n) < 0.35).astype(float)
    f = 1.3 * y - 0.4 + rng.normal(0, 1, n)
    a, b = _sigmoid_calibration(f, y)
    prior1 = y.sum()
    prior0 = n - prior1
    T = np.where(y > 0, (prior1 + 1) / (prior1 + 2), 1 / (prior0 + 2))

    def obj(ab):
        z = ab[0] * f + ab[1]
        # -(T log P + (1-T) log(1-P)) with P = 1/(1+exp(z))
        return float(np.sum(T * np.logaddexp(0, z) + (1 - T) * np.logaddexp(0, -z)))

    tight = minimize(obj, [a, b], method="BFGS", options={"gtol": 1e-12}).x
    xs = np.round(rng.random(120), 2)  # ties in x
    ys = (rng.random(120) < xs).astype(float)
    iso = IsotonicRegression(out_of_bounds="clip").fit(xs, ys)
    grid = np.linspace(-0.1, 1.1, 61)
    wts = rng.uniform(0.5, 2.0, 120)
    isow = IsotonicRegression(out_of_bounds="clip").fit(xs, ys, sample_weight=wts)
    dump("calibration", {
        "platt": {"f": f, "y": y, "a_sklearn": a, "b_sklearn": b, "a": tight[0], "b": tight[1]},
        "isotonic": {"x": xs, "y": ys, "w": wts, "grid": grid, "pred": iso.predict(grid),
                     "fitted": iso.predict(xs), "pred_weighted": isow.predict(grid)},
    })


# ----------------------------------------------------------------------------- imbalance + feature selection
def imbalance_fixture():
    from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE
    x, y = make_classification(n_samples=300, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=3, weights=[0.7, 0.2, 0.1], class_sep=0.8, random_state=4)
    y = y.astype(float)
    out = {"x": x, "y": y, "counts": {}}
    for name, s in [("smote", SMOTE(random_state=0)), ("borderline", BorderlineSMOTE(random_state=0)),
                    ("adasyn", ADASYN(random_state=0))]:
        _, yr = s.fit_resample(x, y)
        out["counts"][name] = np.bincount(yr.astype(int))
    dump("imbalance", out)


def feature_selection_fixture():
    x, y = make_classification(n_samples=250, n_features=6, n_informative=3, n_redundant=1,
                               random_state=5)
    y = y.astype(float)
    xr = x.copy()
    yreg = x[:, 0] * 2 + np.sin(3 * x[:, 1]) + 0.1 * np.random.default_rng(6).normal(size=250)
    mi_c = mutual_info_classif(x, y, n_neighbors=3, random_state=0)
    mi_r = mutual_info_regression(xr, yreg, n_neighbors=3, random_state=0)
    xs = StandardScaler().fit_transform(bc_x)
    rfe = RFE(LogisticRegression(C=1.0, solver="newton-cg", tol=1e-8, max_iter=1000), n_features_to_select=5, step=1).fit(xs, bc_y)
    # correlation filter reference: greedy in column order, drop if |r| > 0.9 with any kept column
    corr = np.corrcoef(bc_x, rowvar=False)
    kept = []
    for j in range(bc_x.shape[1]):
        if all(abs(corr[j, k]) <= 0.9 for k in kept):
            kept.append(j)
    dump("feature_selection", {"x": x, "y": y, "y_reg": yreg, "mi_classif": mi_c, "mi_regression": mi_r,
                               "rfe_ranking": rfe.ranking_, "rfe_support": rfe.support_.astype(int),
                               "corr_kept_0_9": kept})


metrics_fixture()
model_selection_fixture()
drift_fixture()
linear_fixture()
neighbors_fixture()
calibration_fixture()
imbalance_fixture()
feature_selection_fixture()
