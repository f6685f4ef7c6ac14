#!/usr/bin/python3
"""Reference fixtures for src/ml/trees, src/ml/boosting, src/ml/forest, src/ml/explain.

Run once with Debian's python (scikit-learn 1.2.1, xgboost 1.7.4):
    /usr/bin/python3 scripts/ml-fixtures/trees_make_fixtures.py
Writes small CSV/JSON files into test/fixtures/ml/trees/.

For every dataset (breast_cancer, wine, digits, diabetes from sklearn/datasets/data) it
exports X, y, the fold indices of (Stratified)KFold(5, shuffle=True, random_state=s) for
s in 0..4 (JavaScript cannot reproduce numpy's shuffles), and the reference 5-fold CV
score of sklearn HistGradientBoosting and RandomForest(100) for each fold seed. It also
exports an XGBoost model dump plus its pred_contribs (TreeSHAP) for an exact SHAP check.
"""
import json
import os
import sys

import numpy as np
from sklearn import datasets
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import KFold, StratifiedKFold

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'ml', 'trees')
SEEDS = [0, 1, 2, 3, 4]
os.makedirs(OUT, exist_ok=True)


def write_csv(name, X, y, integer=False):
    path = os.path.join(OUT, name + '.csv')
    fmt = '%d' if integer else '%.10g'
    with open(path, 'w') as f:
        f.write(','.join(['x%d' % j for j in range(X.shape[1])] + ['y']) + '\n')
        for row, target in zip(X, y):
            f.write(','.join(fmt % v for v in row) + ',' + ('%.10g' % target) + '\n')


def cv(X, y, folds, make, score):
    out = []
    for train, test in folds:
        model = make().fit(X[train], y[train])
        out.append(score(y[test], model.predict(X[test])))
    return float(np.mean(out))


def main():
    sets = {
        'breast_cancer': (datasets.load_breast_cancer(return_X_y=True), 'binary'),
        'wine': (datasets.load_wine(return_X_y=True), 'multiclass'),
        'digits': (datasets.load_digits(return_X_y=True), 'multiclass'),
        'diabetes': (datasets.load_diabetes(return_X_y=True, scaled=False), 'regression'),
    }
    summary = {}
    for name, ((X, y), task) in sets.items():
        write_csv(name, X, y, integer=(name == 'digits'))
        fold_sets = []
        hgb_scores, rf_scores = [], []
        for s in SEEDS:
            splitter = (KFold(5, shuffle=True, random_state=s) if task == 'regression'
                        else StratifiedKFold(5, shuffle=True, random_state=s))
            folds = list(splitter.split(X, y))
            fold_sets.append([f[1].tolist() for f in folds])
            if task == 'regression':
                hgb = cv(X, y, folds, lambda: HistGradientBoostingRegressor(random_state=s), r2_score)
                rf = cv(X, y, folds, lambda: RandomForestRegressor(100, random_state=s, n_jobs=2), r2_score)
            else:
                hgb = cv(X, y, folds, lambda: HistGradientBoostingClassifier(random_state=s), accuracy_score)
                rf = cv(X, y, folds, lambda: RandomForestClassifier(100, random_state=s, n_jobs=2), accuracy_score)
            hgb_scores.append(hgb)
            rf_scores.append(rf)
            print(name, s, 'hgb', round(hgb, 4), 'rf', round(rf, 4), file=sys.stderr)
        with open(os.path.join(OUT, name + '.folds.json'), 'w') as f:
            json.dump({'seeds': SEEDS, 'testFolds': fold_sets}, f, separators=(',', ':'))
        summary[name] = {
            'task': task,
            'metric': 'r2' if task == 'regression' else 'accuracy',
            'hgb': {'perSeed': hgb_scores, 'mean': float(np.mean(hgb_scores)), 'std': float(np.std(hgb_scores))},
            'forest': {'perSeed': rf_scores, 'mean': float(np.mean(rf_scores)), 'std': float(np.std(rf_scores))},
        }
    with open(os.path.join(OUT, 'reference_scores.json'), 'w') as f:
        json.dump(summary, f, indent=1)

    # XGBoost TreeSHAP reference: small model on diabetes (regression) and breast_cancer (binary).
    import xgboost as xgb
    shap = {}
    for name, objective in [('diabetes', 'reg:squarederror'), ('breast_cancer', 'binary:logistic')]:
        (X, y), _ = sets[name]
        X = X.astype(np.float32).astype(np.float64)
        X = X.copy()
        rng = np.random.RandomState(0)
        X[rng.rand(*X.shape) < 0.05] = np.nan  # exercise the default (missing) direction
        dtrain = xgb.DMatrix(X, label=y, missing=np.nan)
        booster = xgb.train({'objective': objective, 'max_depth': 4, 'eta': 0.3, 'tree_method': 'hist',
                             'base_score': 0.5, 'seed': 0}, dtrain, num_boost_round=10)
        rows = np.arange(0, X.shape[0], 10)[:40]
        dtest = xgb.DMatrix(X[rows], missing=np.nan)
        contribs = booster.predict(dtest, pred_contribs=True)
        margin = booster.predict(dtest, output_margin=True)
        trees = [json.loads(t) for t in booster.get_dump(dump_format='json', with_stats=True)]
        shap[name] = {
            'baseScore': 0.5, 'objective': objective, 'nFeatures': int(X.shape[1]),
            'trees': trees,
            'rows': [[None if np.isnan(v) else float(v) for v in X[r]] for r in rows],
            'contribs': contribs.astype(float).tolist(),
            'margin': margin.astype(float).tolist(),
        }
    with open(os.path.join(OUT, 'xgb_shap.json'), 'w') as f:
        json.dump(shap, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
