import { DataMatrix, type Column } from '../core/matrix';
import { Random } from '../core/random';

/**
 * Small synthetic data sets for tests and benchmarks (factories, not fixtures): a nonlinear
 * signal on the first `nInformative` features.
 */
export function syntheticData(
  task: 'regression' | 'binary' | 'multiclass',
  nRows: number,
  nFeatures: number,
  seed = 0,
  options: { nClasses?: number; noise?: number; missingRate?: number } = {},
): { x: DataMatrix; y: Float64Array } {
  const rng = new Random(seed);
  const columns: Column[] = [];
  for (let j = 0; j < nFeatures; j++) {
    const values = new Float64Array(nRows);
    for (let i = 0; i < nRows; i++) values[i] = rng.normal();
    columns.push({ kind: 'numeric', name: `x${j}`, values });
  }
  const nInf = Math.min(5, nFeatures);
  const score = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) {
    let s = 0;
    for (let j = 0; j < nInf; j++) {
      const v = (columns[j] as { values: Float64Array }).values[i];
      s += (j % 2 === 0 ? 1 : -1) * v + 0.5 * Math.sin(2 * v);
    }
    if (nInf >= 2) {
      const a = (columns[0] as { values: Float64Array }).values[i];
      const b = (columns[1] as { values: Float64Array }).values[i];
      s += a * b;
    }
    score[i] = s + (options.noise ?? 0.3) * rng.normal();
  }
  if (options.missingRate) {
    for (const column of columns) {
      const values = (column as { values: Float64Array }).values;
      for (let i = 0; i < nRows; i++) if (rng.next() < options.missingRate) values[i] = Number.NaN;
    }
  }
  const y = new Float64Array(nRows);
  if (task === 'regression') y.set(score);
  else if (task === 'binary') for (let i = 0; i < nRows; i++) y[i] = score[i] > 0 ? 1 : 0;
  else {
    const k = options.nClasses ?? 3;
    const sorted = Float64Array.from(score).sort();
    const cuts = Array.from({ length: k - 1 }, (_, c) => sorted[Math.floor(((c + 1) * nRows) / k)]);
    for (let i = 0; i < nRows; i++) {
      let c = 0;
      while (c < cuts.length && score[i] >= cuts[c]) c++;
      y[i] = c;
    }
  }
  return { x: new DataMatrix(columns), y };
}

/** Accuracy of class predictions. */
export function accuracyOf(y: Float64Array, pred: Float64Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === pred[i]) ok++;
  return ok / y.length;
}

/** Coefficient of determination. */
export function r2Of(y: Float64Array, pred: Float64Array): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += (y[i] - pred[i]) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  return 1 - ssRes / ssTot;
}
