import { loadStatsFixture } from '../../../test/fixtures/ml/stats/load';
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  brierScore,
  calibrationCurve,
  confusionMatrix,
  f1Score,
  logLoss,
  mae,
  mape,
  maxF1Threshold,
  minCostThreshold,
  precision,
  precisionRecallF1,
  r2,
  recall,
  rmse,
  rocAuc,
  rocAucOvr,
  youdenThreshold,
  type CostMatrix,
} from './index';

interface MetricsFixture {
  binary: {
    y: number[];
    score: number[];
    pred: number[];
    accuracy: number;
    balanced_accuracy: number;
    precision: number;
    recall: number;
    f1: number;
    f1_macro: number;
    roc_auc: number;
    average_precision: number;
    log_loss: number;
    brier: number;
    confusion: number[][];
    calibration_uniform: { prob_true: number[]; prob_pred: number[] };
    calibration_quantile: { prob_true: number[]; prob_pred: number[] };
  };
  multiclass: {
    y: number[];
    proba: number[][];
    pred: number[];
    accuracy: number;
    balanced_accuracy: number;
    precision_macro: number;
    recall_macro: number;
    f1_macro: number;
    precision_weighted: number;
    recall_weighted: number;
    f1_weighted: number;
    roc_auc_ovr_macro: number;
    log_loss: number;
    confusion: number[][];
  };
  regression: { y: number[]; pred: number[]; rmse: number; mae: number; r2: number; mape: number };
  thresholds: {
    cost: number[][];
    max_f1: { threshold: number; value: number };
    youden: { threshold: number; value: number };
    min_cost: { threshold: number; value: number };
  };
}

const fx = loadStatsFixture<MetricsFixture>('metrics');
const TOL = 1e-9;

function expectClose(actual: number, expected: number, tol = TOL): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

function expectCloseArray(actual: ArrayLike<number>, expected: readonly number[], tol = TOL): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expectClose(actual[i], expected[i], tol);
}

describe('classification metrics vs scikit-learn', () => {
  const b = fx.binary;
  const m = fx.multiclass;

  it('should match binary accuracy, balanced accuracy, precision, recall and F1', () => {
    expectClose(accuracy(b.y, b.pred), b.accuracy);
    expectClose(balancedAccuracy(b.y, b.pred), b.balanced_accuracy);
    expectClose(precision(b.y, b.pred), b.precision);
    expectClose(recall(b.y, b.pred), b.recall);
    expectClose(f1Score(b.y, b.pred), b.f1);
    expectClose(f1Score(b.y, b.pred, { average: 'macro' }), b.f1_macro);
    expect(confusionMatrix(b.y, b.pred).counts).toEqual(b.confusion);
  });

  it('should match multiclass macro and weighted averages', () => {
    expectClose(accuracy(m.y, m.pred), m.accuracy);
    expectClose(balancedAccuracy(m.y, m.pred), m.balanced_accuracy);
    const macro = precisionRecallF1(m.y, m.pred, { average: 'macro' });
    expectClose(macro.precision, m.precision_macro);
    expectClose(macro.recall, m.recall_macro);
    expectClose(macro.f1, m.f1_macro);
    const weighted = precisionRecallF1(m.y, m.pred, { average: 'weighted' });
    expectClose(weighted.precision, m.precision_weighted);
    expectClose(weighted.recall, m.recall_weighted);
    expectClose(weighted.f1, m.f1_weighted);
    expect(confusionMatrix(m.y, m.pred).counts).toEqual(m.confusion);
  });

  it('should return zero precision when a class is never predicted', () => {
    expect(precision([0, 1, 1], [0, 0, 0])).toBe(0);
    expect(f1Score([0, 1, 1], [0, 0, 0])).toBe(0);
  });
});

describe('ranking and probabilistic metrics vs scikit-learn', () => {
  const b = fx.binary;
  const m = fx.multiclass;

  it('should match ROC AUC with tied scores', () => {
    expectClose(rocAuc(b.y, b.score), b.roc_auc);
  });

  it('should match one-vs-rest macro ROC AUC', () => {
    expectClose(rocAucOvr(m.y, m.proba.flat(), 3), m.roc_auc_ovr_macro);
  });

  it('should match average precision', () => {
    expectClose(averagePrecision(b.y, b.score), b.average_precision);
  });

  it('should match log loss (binary vector, multiclass matrix with clipping)', () => {
    expectClose(logLoss(b.y, b.score), b.log_loss);
    expectClose(logLoss(m.y, m.proba.flat(), 3), m.log_loss);
  });

  it('should match the Brier score', () => {
    expectClose(brierScore(b.y, b.score), b.brier);
  });

  it('should match calibration curves with uniform and quantile bins', () => {
    const u = calibrationCurve(b.y, b.score, 10, 'uniform');
    expectCloseArray(u.probTrue, b.calibration_uniform.prob_true);
    expectCloseArray(u.probPred, b.calibration_uniform.prob_pred);
    const q = calibrationCurve(b.y, b.score, 5, 'quantile');
    expectCloseArray(q.probTrue, b.calibration_quantile.prob_true);
    expectCloseArray(q.probPred, b.calibration_quantile.prob_pred);
  });

  it('should give AUC 1 for a perfect ranking and 0.5 for constant scores', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])).toBe(1);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });
});

describe('regression metrics vs scikit-learn', () => {
  const r = fx.regression;
  it('should match RMSE, MAE, R² and MAPE', () => {
    expectClose(rmse(r.y, r.pred), r.rmse);
    expectClose(mae(r.y, r.pred), r.mae);
    expectClose(r2(r.y, r.pred), r.r2);
    expectClose(mape(r.y, r.pred), r.mape);
  });
});

describe('threshold tuning vs brute force over sklearn metrics', () => {
  const b = fx.binary;
  const t = fx.thresholds;
  it('should find the max-F1 threshold', () => {
    const c = maxF1Threshold(b.y, b.score);
    expectClose(c.threshold, t.max_f1.threshold);
    expectClose(c.value, t.max_f1.value);
  });
  it("should find the Youden's J threshold", () => {
    const c = youdenThreshold(b.y, b.score);
    expectClose(c.threshold, t.youden.threshold);
    expectClose(c.value, t.youden.value);
  });
  it('should find the minimum expected cost threshold', () => {
    const cost: CostMatrix = [
      [t.cost[0][0], t.cost[0][1]],
      [t.cost[1][0], t.cost[1][1]],
    ];
    const c = minCostThreshold(b.y, b.score, cost);
    expectClose(c.threshold, t.min_cost.threshold);
    expectClose(c.value, t.min_cost.value);
  });
});
