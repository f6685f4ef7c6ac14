#!/usr/bin/python3
"""Reference results for the transformations engine, computed with scikit-learn / pandas / numpy.

Run with Debian's Python (scikit-learn 1.2):  /usr/bin/python3 scripts/transformations-fixtures/make_fixtures.py
Writes test/fixtures/transformations/mixed.csv (the dataset) and reference.json (expected outputs),
which src/modules/transformations/engine/sklearn-reference.spec.ts checks both engine paths against.
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import (
    KBinsDiscretizer,
    MinMaxScaler,
    OneHotEncoder,
    RobustScaler,
    StandardScaler,
)

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'transformations')
ROWS = 300
rng = np.random.default_rng(20240611)


def with_missing(values, share):
    values = values.astype(object)
    values[rng.random(len(values)) < share] = None
    return values


def make_dataset():
    cities = np.array(['Paris', 'Lyon', 'Nice', 'Lille', 'Brest', 'Arles', 'Caen', 'Dijon'])
    weights = np.array([30, 20, 15, 10, 10, 5, 5, 5], dtype=float)
    days = rng.integers(0, 3 * 365, ROWS)
    frame = pd.DataFrame(
        {
            'age': with_missing(rng.integers(18, 80, ROWS), 0.1),
            'income': with_missing(np.round(rng.lognormal(10, 0.6, ROWS), 2), 0.12),
            'score': np.round(rng.normal(50, 15, ROWS), 3),
            'visits': rng.poisson(1.2, ROWS),
            'city': rng.choice(cities, ROWS, p=weights / weights.sum()),
            'grade': with_missing(rng.choice(np.array(['A', 'B', 'C', 'D']), ROWS, p=[0.2, 0.35, 0.35, 0.1]), 0.1),
            'signup': (pd.Timestamp('2021-01-01') + pd.to_timedelta(days, unit='D')).strftime('%Y-%m-%d'),
        }
    )
    return frame


def column(values):
    """JSON list with NaN → null."""
    return [None if (isinstance(v, float) and np.isnan(v)) else float(v) for v in values]


def numeric(frame, name):
    return frame[[name]].astype(float).to_numpy()


def main():
    frame = make_dataset()
    frame.to_csv(os.path.join(OUT, 'mixed.csv'), index=False)
    ref = {'sklearn': sklearn.__version__, 'numpy': np.__version__, 'rows': ROWS, 'cases': []}

    def add(name, step, outputs):
        ref['cases'].append({'name': name, 'step': step, 'outputs': outputs})

    for method, scaler in [('standard', StandardScaler), ('minmax', MinMaxScaler), ('robust', RobustScaler)]:
        outputs = {}
        for name in ['age', 'income', 'score', 'visits']:
            # sklearn scalers ignore NaN when fitting and keep NaN in the output.
            outputs[name] = column(scaler().fit_transform(numeric(frame, name))[:, 0])
        add(f'scale {method}', {'op': 'scale', 'params': {'columns': ['age', 'income', 'score', 'visits'], 'method': method}}, outputs)

    for strategy in ['mean', 'median', 'most_frequent']:
        outputs = {}
        for name in ['age', 'income']:
            outputs[name] = column(SimpleImputer(strategy=strategy).fit_transform(numeric(frame, name))[:, 0])
        add(f'impute {strategy}', {'op': 'impute', 'params': {'columns': ['age', 'income'], 'strategy': strategy}}, outputs)
    grades = frame[['grade']].astype(object).where(frame[['grade']].notna(), np.nan)
    imputed = SimpleImputer(strategy='most_frequent', missing_values=np.nan).fit_transform(grades)[:, 0]
    add('impute most_frequent text', {'op': 'impute', 'params': {'columns': ['grade'], 'strategy': 'most_frequent'}}, {'grade': [str(v) for v in imputed]})
    constant = SimpleImputer(strategy='constant', fill_value=-1.5).fit_transform(numeric(frame, 'income'))[:, 0]
    add('impute constant', {'op': 'impute', 'params': {'columns': ['income'], 'strategy': 'constant', 'value': -1.5}}, {'income': column(constant)})

    for strategy, ours in [('uniform', 'equal_width'), ('quantile', 'equal_frequency')]:
        for n_bins in [4, 7]:
            outputs = {}
            for name in ['score', 'visits']:
                binner = KBinsDiscretizer(n_bins=n_bins, encode='ordinal', strategy=strategy, subsample=None)
                outputs[name] = column(binner.fit_transform(numeric(frame, name))[:, 0])
            add(f'bin {ours} {n_bins}', {'op': 'bin', 'params': {'columns': ['score', 'visits'], 'strategy': ours, 'nBins': n_bins}}, outputs)

    for max_categories in [None, 4]:
        encoder = OneHotEncoder(
            sparse_output=False,
            max_categories=max_categories,
            handle_unknown='infrequent_if_exist' if max_categories else 'ignore',
        )
        matrix = encoder.fit_transform(frame[['city']])
        names = [n.replace('city_infrequent_sklearn', 'city_other') for n in encoder.get_feature_names_out(['city'])]
        params = {'columns': ['city'], 'method': 'onehot'}
        if max_categories:
            params['maxCategories'] = max_categories
        add(f'onehot max {max_categories}', {'op': 'encode', 'params': params}, {n: column(matrix[:, i]) for i, n in enumerate(names)})

    with open(os.path.join(OUT, 'reference.json'), 'w') as out:
        json.dump(ref, out, indent=1)
        out.write('\n')


if __name__ == '__main__':
    main()
