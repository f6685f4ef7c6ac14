import { type Column, DataMatrix } from '../core/matrix';
import { LogisticRegressionModel } from '../linear/logistic';
import type { RidgeModel } from '../linear/ridge';
import type { ShapValues } from './tree-shap';

/**
 * Exact per-prediction contributions of a linear model (ridge, binary or multinomial logistic).
 * On design column f (standardised numeric or one-hot level) the contribution is
 * w_kf · (z_f − z̄_f), where z̄ is the design row of the reference point; the contributions of
 * a column's one-hot levels are summed back onto that input column. The bias (last column) is
 * b_k + Σ_f w_kf · z̄_f, so bias + contributions = the raw score exactly: the prediction for
 * ridge, the decision function (log-odds of the second class for binary, the per-class
 * softmax logit for multinomial) for logistic regression. For a linear model with independent
 * features these are its SHAP values (Lundberg & Lee 2017, "linear SHAP").
 *
 * Reference point: by default the training means — each numeric column at its training mean
 * (imputed missing values sit there too) and categoricals at no level (one-hot all zero, so a
 * level's contribution is its coefficient). Pass `background` (e.g. the training rows) to use
 * the mean design row of those rows instead, which centres one-hot columns on level frequencies.
 *
 * Layout as {@link ShapValues}: nRows × nOutputs × (nColumns + 1), outputs = 1 for ridge and
 * binary logistic, nClasses for multinomial.
 */
export function linearContributions(
  model: RidgeModel | LogisticRegressionModel,
  x: DataMatrix,
  options: { readonly background?: DataMatrix } = {},
): ShapValues {
  const design = model.design;
  const p = design.nFeatures;
  const nCols = design.nSourceColumns;
  const coef = model.coef;
  const intercept =
    model instanceof LogisticRegressionModel ? model.intercept : Float64Array.of(model.intercept);
  const nOutputs = intercept.length;
  const reference = referenceRow(model, x, options.background);
  const z = design.transform(x);
  const base = new Float64Array(nOutputs);
  for (let k = 0; k < nOutputs; k++) {
    let s = intercept[k];
    for (let f = 0; f < p; f++) s += coef[k * p + f] * reference[f];
    base[k] = s;
  }
  const stride = nCols + 1;
  const values = new Float64Array(x.nRows * nOutputs * stride);
  for (let i = 0; i < x.nRows; i++) {
    for (let k = 0; k < nOutputs; k++) {
      const o = (i * nOutputs + k) * stride;
      for (let f = 0; f < p; f++) {
        values[o + design.source[f]] += coef[k * p + f] * (z[i * p + f] - reference[f]);
      }
      values[o + nCols] = base[k];
    }
  }
  return { nRows: x.nRows, nOutputs, nFeatures: nCols, values };
}

/** Raw scores the contributions add up to: ridge predictions or logistic decision function. */
export function linearRawScore(
  model: RidgeModel | LogisticRegressionModel,
  x: DataMatrix,
): Float64Array {
  return model instanceof LogisticRegressionModel ? model.decisionFunction(x) : model.predict(x);
}

/** Design row of the reference point (see {@link linearContributions}). */
function referenceRow(
  model: RidgeModel | LogisticRegressionModel,
  x: DataMatrix,
  background: DataMatrix | undefined,
): Float64Array {
  const design = model.design;
  const p = design.nFeatures;
  if (background) {
    const z = design.transform(background);
    const mean = new Float64Array(p);
    for (let i = 0; i < background.nRows; i++) for (let f = 0; f < p; f++) mean[f] += z[i * p + f];
    for (let f = 0; f < p; f++) mean[f] /= Math.max(1, background.nRows);
    return mean;
  }
  // one row with every numeric column at its training mean and every categorical missing,
  // pushed through the design so standardised and raw columns are handled alike
  const firstDesignColumn = new Int32Array(design.nSourceColumns).fill(-1);
  for (let f = p - 1; f >= 0; f--) firstDesignColumn[design.source[f]] = f;
  const columns = x.columns.map((col, j): Column => {
    if (col.kind === 'numeric') {
      const f = firstDesignColumn[j];
      return { kind: 'numeric', name: col.name, values: Float64Array.of(design.mean[f]) };
    }
    return { kind: 'categorical', name: col.name, codes: Int32Array.of(-1), levels: col.levels };
  });
  return design.transform(new DataMatrix(columns));
}
