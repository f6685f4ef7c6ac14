#!/usr/bin/python3
"""Reference side of bench/ml-trees.ts. Run with Debian's python (sklearn 1.2.1, xgboost 1.7.4):

    /usr/bin/python3 bench/ml_trees_reference.py [--skip-forest-cv] [--timing-only]

--timing-only re-times fit and predict and keeps the CV scores of an earlier run (CV of the
forest alone takes minutes), so timings can be taken right beside the TypeScript side.

Writes into .data/bench/:
  trees_classification.csv  make_classification(n_samples=100000, n_features=20, n_informative=10, random_state=0)
  trees_regression.csv      make_regression(n_samples=100000, n_features=20, noise=10, random_state=0)
  trees_*_folds.csv         fold id per row of (Stratified)KFold(5, shuffle=True, random_state=0)
  ml_trees_reference.json   fit seconds (median), predict rows/s, 5-fold scores of
                            (a) HistGradientBoosting lr 0.1, 100 iter, 31 leaves, 255 bins, no early stopping
                            (b) XGBoost hist defaults (max_depth 6, eta 0.3, lambda 1), 100 trees, 2 threads
                            (c) RandomForest(100, n_jobs=2)
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import KFold, StratifiedKFold
import xgboost as xgb

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '.data', 'bench')
os.makedirs(OUT, exist_ok=True)
SKIP_FOREST_CV = '--skip-forest-cv' in sys.argv
TIMING_ONLY = '--timing-only' in sys.argv


def timed(fn, repeats):
    times = []
    result = None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), result


def learners(task):
    if task == 'classification':
        return {
            'hgb': lambda: HistGradientBoostingClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=31,
                                                          max_bins=255, early_stopping=False, random_state=0),
            'xgb': lambda: xgb.XGBClassifier(tree_method='hist', n_estimators=100, max_depth=6, learning_rate=0.3,
                                             reg_lambda=1, n_jobs=2, random_state=0),
            'forest': lambda: RandomForestClassifier(100, n_jobs=2, random_state=0),
        }
    return {
        'hgb': lambda: HistGradientBoostingRegressor(max_iter=100, learning_rate=0.1, max_leaf_nodes=31,
                                                     max_bins=255, early_stopping=False, random_state=0),
        'xgb': lambda: xgb.XGBRegressor(tree_method='hist', n_estimators=100, max_depth=6, learning_rate=0.3,
                                        reg_lambda=1, n_jobs=2, random_state=0),
        'forest': lambda: RandomForestRegressor(100, n_jobs=2, random_state=0),
    }


def main():
    results = {}
    previous = {}
    path = os.path.join(OUT, 'ml_trees_reference.json')
    if TIMING_ONLY and os.path.exists(path):
        with open(path) as f:
            previous = json.load(f)
    for task in ['classification', 'regression']:
        if task == 'classification':
            X, y = make_classification(n_samples=100000, n_features=20, n_informative=10, random_state=0)
            folds = StratifiedKFold(5, shuffle=True, random_state=0).split(X, y)
            score = accuracy_score
        else:
            X, y = make_regression(n_samples=100000, n_features=20, noise=10, random_state=0)
            folds = KFold(5, shuffle=True, random_state=0).split(X, y)
            score = r2_score
        folds = list(folds)
        fold_id = np.zeros(len(y), dtype=int)
        for k, (_, test) in enumerate(folds):
            fold_id[test] = k
        if not TIMING_ONLY:
            np.savetxt(os.path.join(OUT, 'trees_%s.csv' % task), np.column_stack([X, y]), delimiter=',',
                       fmt='%.17g', header=','.join(['x%d' % j for j in range(20)] + ['y']), comments='')
            np.savetxt(os.path.join(OUT, 'trees_%s_folds.csv' % task), fold_id, fmt='%d')
        results[task] = {}
        for name, make in learners(task).items():
            repeats = 1 if name == 'forest' else 3
            fit_s, model = timed(lambda: make().fit(X, y), repeats)
            pred_s, _ = timed(lambda: model.predict(X), 3)
            entry = {'fitSeconds': fit_s, 'predictRowsPerSecond': len(y) / pred_s}
            if TIMING_ONLY:
                if 'cvScore' in previous.get(task, {}).get(name, {}):
                    entry['cvScore'] = previous[task][name]['cvScore']
            elif not (name == 'forest' and SKIP_FOREST_CV):
                scores = []
                for train, test in folds:
                    scores.append(score(y[test], make().fit(X[train], y[train]).predict(X[test])))
                entry['cvScore'] = float(np.mean(scores))
            results[task][name] = entry
            print(task, name, entry, file=sys.stderr, flush=True)
    with open(path, 'w') as f:
        json.dump(results, f, indent=1)


if __name__ == '__main__':
    main()
