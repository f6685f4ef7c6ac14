import { DataMatrix, type Column } from '../core/matrix';
import { Random } from '../core/random';
import { gainImportance, type FlatTree } from '../trees/flat-tree';
import { accuracyOf, r2Of } from '../trees/synthetic';
import type { FittedModel } from '../trees/types';

/**
 * Split-gain importance ("gain" in XGBoost/LightGBM, mean decrease in impurity in sklearn when
 * the trees are CART): the total loss reduction of the splits on each feature, normalised to sum
 * to 1.
 */
export function splitGainImportance(model: {
  trees: readonly FlatTree[];
  featureNames: readonly string[];
}): Float64Array {
  return gainImportance(model.trees, model.featureNames.length);
}

/** Higher is better; defaults to accuracy (classification) or R² (regression). */
export type Scorer = (y: Float64Array, model: FittedModel, x: DataMatrix) => number;

export function defaultScorer(model: FittedModel): Scorer {
  return model.task === 'regression'
    ? (y, m, x) => r2Of(y, m.predict(x))
    : (y, m, x) => accuracyOf(y, m.predict(x));
}

export interface PermutationImportance {
  readonly baseline: number;
  /** Mean drop in score when the feature is shuffled, per feature. */
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

/**
 * Permutation importance (Breiman 2001; sklearn `inspection.permutation_importance`): the drop
 * in score when one column is shuffled, averaged over `nRepeats` shuffles.
 */
export function permutationImportance(
  model: FittedModel,
  x: DataMatrix,
  y: Float64Array,
  options: { nRepeats?: number; seed?: number; scorer?: Scorer } = {},
): PermutationImportance {
  const scorer = options.scorer ?? defaultScorer(model);
  const nRepeats = options.nRepeats ?? 5;
  const rng = new Random(options.seed ?? 0);
  const baseline = scorer(y, model, x);
  const p = x.nCols;
  const mean = new Float64Array(p);
  const std = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const drops: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      const perm = rng.shuffle(Int32Array.from({ length: x.nRows }, (_, i) => i));
      const columns = x.columns.map((c, jj) => (jj === j ? permuteColumn(c, perm) : c));
      drops.push(baseline - scorer(y, model, new DataMatrix(columns)));
    }
    const m = drops.reduce((a, b) => a + b, 0) / nRepeats;
    mean[j] = m;
    std[j] = Math.sqrt(drops.reduce((a, b) => a + (b - m) ** 2, 0) / nRepeats);
  }
  return { baseline, mean, std };
}

function permuteColumn(column: Column, perm: Int32Array): Column {
  if (column.kind === 'numeric') {
    return { ...column, values: Float64Array.from(perm, (i) => column.values[i]) };
  }
  return { ...column, codes: Int32Array.from(perm, (i) => column.codes[i]) };
}

export interface PartialDependence {
  readonly grid: Float64Array;
  /** Average prediction per grid point: grid × nOutputs (probabilities for classifiers). */
  readonly average: Float64Array;
  readonly nOutputs: number;
}

/**
 * Partial dependence (Friedman 2001, §8.2), brute force as sklearn's `method="brute"`: for each
 * grid value, set the feature to it on every row (a sample of at most `maxRows`) and average the
 * predictions. The grid spans the 5th–95th percentiles (or every category).
 */
export function partialDependence(
  model: FittedModel,
  x: DataMatrix,
  feature: number,
  options: { gridResolution?: number; grid?: Float64Array; maxRows?: number; seed?: number } = {},
): PartialDependence {
  let data = x;
  const maxRows = options.maxRows ?? 1000;
  if (x.nRows > maxRows) {
    const rows = new Random(options.seed ?? 0).shuffle(
      Int32Array.from({ length: x.nRows }, (_, i) => i),
    );
    data = x.takeRows(rows.subarray(0, maxRows).sort());
  }
  const column = x.columns[feature];
  const grid = options.grid ?? defaultGrid(column, options.gridResolution ?? 20);
  const classification = model.task !== 'regression';
  const K = classification ? model.nClasses : 1;
  const average = new Float64Array(grid.length * K);
  const n = data.nRows;
  for (let g = 0; g < grid.length; g++) {
    const fixed: Column =
      column.kind === 'numeric'
        ? { ...column, values: new Float64Array(n).fill(grid[g]) }
        : { ...column, codes: new Int32Array(n).fill(grid[g]) };
    const columns = data.columns.map((c, j) => (j === feature ? fixed : c));
    const pred = classification
      ? model.predictProba(new DataMatrix(columns))
      : model.predict(new DataMatrix(columns));
    for (let i = 0; i < n; i++)
      for (let k = 0; k < K; k++) average[g * K + k] += pred[i * K + k] / n;
  }
  return { grid, average, nOutputs: K };
}

function defaultGrid(column: Column, resolution: number): Float64Array {
  if (column.kind === 'categorical') return Float64Array.from(column.levels, (_, i) => i);
  const v = column.values.filter((a) => a === a).sort();
  if (v.length === 0) return new Float64Array(0);
  const distinct = [...new Set(v)];
  if (distinct.length <= resolution) return Float64Array.from(distinct);
  const out: number[] = [];
  for (let g = 0; g < resolution; g++) {
    const q = 0.05 + (0.9 * g) / (resolution - 1);
    const pos = q * (v.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const value = v[lo] + (v[hi] - v[lo]) * (pos - lo);
    if (out.length === 0 || value > out[out.length - 1]) out.push(value);
  }
  return Float64Array.from(out);
}
