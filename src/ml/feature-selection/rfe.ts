import type { FittedModel, HasCoefficients } from '../core/estimator';
import { DataMatrix } from '../core/matrix';

export interface RfeOptions<M extends FittedModel = FittedModel> {
  /**
   * Importance of each column of `x` for a model fitted on it. Defaults to the model's
   * `featureImportances()` (see `HasCoefficients`); pass e.g. split-gain or permutation
   * importance for learners without it.
   */
  readonly importance?: (model: M, x: DataMatrix) => Float64Array;
  /** Number of columns to keep (default half, rounded down, like sklearn). */
  readonly nFeaturesToSelect?: number;
  /** Columns removed per round (default 1). */
  readonly step?: number;
}

export interface RfeResult {
  /** Indices of the selected columns, ascending. */
  readonly selected: number[];
  /** sklearn-style ranking: 1 = selected, larger = eliminated earlier. */
  readonly ranking: Int32Array;
}

/**
 * Recursive feature elimination (Guyon, Weston, Barnhill & Vapnik 2002, Machine Learning
 * 46:389–422), as sklearn `RFE`: refit on the surviving columns, drop the `step` columns with
 * the smallest importance (`featureImportances()`: |coef| for linear models, split gain or
 * permutation importance for others), repeat until `nFeaturesToSelect` remain.
 */
export function recursiveFeatureElimination<M extends FittedModel>(
  fit: (x: DataMatrix, y: Float64Array) => M,
  x: DataMatrix,
  y: Float64Array,
  options: RfeOptions<M> = {},
): RfeResult {
  const importanceOf =
    options.importance ??
    ((model: M): Float64Array => {
      if (!hasImportances(model)) {
        throw new TypeError('the model has no featureImportances(); pass options.importance');
      }
      return model.featureImportances();
    });
  const p = x.nCols;
  const target = options.nFeaturesToSelect ?? Math.floor(p / 2);
  const step = options.step ?? 1;
  if (target < 1 || target > p) throw new RangeError(`nFeaturesToSelect must be in [1, ${p}]`);
  if (step < 1) throw new RangeError('step must be >= 1');
  const support = new Array<boolean>(p).fill(true);
  const ranking = new Int32Array(p).fill(1);
  let remaining = p;
  while (remaining > target) {
    const features = support.flatMap((s, j) => (s ? [j] : []));
    const xSub = new DataMatrix(features.map((j) => x.columns[j]));
    const importance = importanceOf(fit(xSub, y), xSub);
    if (importance.length !== features.length)
      throw new RangeError('importances must have one value per column');
    const order = features.map((_, i) => i).sort((a, b) => importance[a] - importance[b] || a - b);
    const drop = Math.min(step, remaining - target);
    for (let i = 0; i < drop; i++) support[features[order[i]]] = false;
    remaining -= drop;
    for (let j = 0; j < p; j++) if (!support[j]) ranking[j]++;
  }
  return { selected: support.flatMap((s, j) => (s ? [j] : [])), ranking };
}

function hasImportances(model: FittedModel): model is FittedModel & HasCoefficients {
  return typeof (model as Partial<HasCoefficients>).featureImportances === 'function';
}
