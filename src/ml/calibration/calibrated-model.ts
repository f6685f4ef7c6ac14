import type { FittedModel } from '../core/estimator';
import type { DataMatrix } from '../core/matrix';
import { argmaxRows } from '../linear/logistic';
import { fitIsotonic } from './isotonic';
import { fitPlatt } from './platt';

export type CalibrationMethod = 'sigmoid' | 'isotonic';

/**
 * Wraps a fitted classifier with probability calibration learned on held-out rows (never the
 * rows the model was trained on). Binary: the calibrator maps P(class 1). Multiclass: one
 * calibrator per class on its one-vs-rest probability, then rows are renormalised to sum to 1
 * (sklearn `CalibratedClassifierCV` with cv='prefit').
 */
export function calibrateModel(
  model: FittedModel,
  xHoldout: DataMatrix,
  yHoldout: Float64Array,
  method: CalibrationMethod = 'sigmoid',
): FittedModel {
  if (model.task === 'regression') throw new TypeError('only classifiers can be calibrated');
  const K = model.nClasses;
  const proba = model.predictProba(xHoldout);
  const n = xHoldout.nRows;
  const columns = K === 2 ? [1] : Array.from({ length: K }, (_, k) => k);
  const calibrators = columns.map((k) => {
    const s = Float64Array.from({ length: n }, (_, i) => proba[i * K + k]);
    const yk = Float64Array.from(yHoldout, (v) => (v === k ? 1 : 0));
    if (method === 'sigmoid') {
      const p = fitPlatt(s, yk);
      return (v: Float64Array): Float64Array => p.transform(v);
    }
    const iso = fitIsotonic(s, yk);
    return (v: Float64Array): Float64Array => iso.transform(v);
  });
  const predictProba = (x: DataMatrix): Float64Array => {
    const raw = model.predictProba(x);
    const m = x.nRows;
    const out = new Float64Array(m * K);
    columns.forEach((k, c) => {
      const cal = calibrators[c](Float64Array.from({ length: m }, (_, i) => raw[i * K + k]));
      for (let i = 0; i < m; i++) out[i * K + k] = cal[i];
    });
    for (let i = 0; i < m; i++) {
      if (K === 2) {
        out[i * 2] = 1 - out[i * 2 + 1];
        continue;
      }
      let s = 0;
      for (let k = 0; k < K; k++) s += out[i * K + k];
      for (let k = 0; k < K; k++) out[i * K + k] = s > 0 ? out[i * K + k] / s : 1 / K;
    }
    return out;
  };
  return {
    task: model.task,
    nClasses: K,
    predictProba,
    predict: (x: DataMatrix) => argmaxRows(predictProba(x), K),
  };
}
