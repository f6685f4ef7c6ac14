import type { FittedModel, Task } from '../core/estimator';
import type { DataMatrix } from '../core/matrix';
import { type Design, fitDesign } from '../linear/design';
import { argmaxRows } from '../linear/logistic';

export type NeighborWeights = 'uniform' | 'distance';

export interface KnnOptions {
  /** Number of neighbours (default 5, like sklearn). */
  readonly k?: number;
  /** 'uniform' (default) or 'distance' (weight 1/d; exact matches take all the weight). */
  readonly weights?: NeighborWeights;
  /** Standardise numeric columns on the training data first (default true). */
  readonly standardize?: boolean;
  /** Number of classes for the probability layout (classifier; default max label + 1). */
  readonly nClasses?: number;
}

/**
 * Brute-force k nearest neighbours under Euclidean distance (sklearn `KNeighborsClassifier`
 * / `KNeighborsRegressor` with algorithm='brute'). Ties in distance are broken by training
 * row order. Cover & Hart (1967), IEEE Trans. Inf. Theory 13:21–27.
 */
abstract class KnnBase {
  protected constructor(
    readonly design: Design,
    protected readonly train: Float64Array,
    protected readonly targets: Float64Array,
    readonly k: number,
    readonly weights: NeighborWeights,
  ) {}

  /** For each query row: neighbour indices and weights (weights sum to 1). */
  protected neighbours(
    x: DataMatrix,
    visit: (row: number, idx: Int32Array, w: Float64Array) => void,
  ): void {
    const q = this.design.transform(x);
    const p = this.design.nFeatures;
    const nTrain = this.targets.length;
    const k = Math.min(this.k, nTrain);
    const bestD = new Float64Array(k);
    const bestI = new Int32Array(k);
    const w = new Float64Array(k);
    for (let r = 0; r < x.nRows; r++) {
      let filled = 0;
      for (let t = 0; t < nTrain; t++) {
        let d = 0;
        for (let j = 0; j < p; j++) {
          const diff = q[r * p + j] - this.train[t * p + j];
          d += diff * diff;
        }
        if (filled < k || d < bestD[filled - 1]) {
          // insertion into the sorted list (strict < keeps earlier rows first on ties)
          let pos = filled < k ? filled : k - 1;
          while (pos > 0 && bestD[pos - 1] > d) {
            bestD[pos] = bestD[pos - 1];
            bestI[pos] = bestI[pos - 1];
            pos--;
          }
          bestD[pos] = d;
          bestI[pos] = t;
          if (filled < k) filled++;
        }
      }
      if (this.weights === 'uniform') {
        w.fill(1 / k);
      } else {
        let zeros = 0;
        for (let j = 0; j < k; j++) if (bestD[j] === 0) zeros++;
        let sum = 0;
        for (let j = 0; j < k; j++) {
          w[j] = zeros > 0 ? (bestD[j] === 0 ? 1 : 0) : 1 / Math.sqrt(bestD[j]);
          sum += w[j];
        }
        for (let j = 0; j < k; j++) w[j] /= sum;
      }
      visit(r, bestI, w);
    }
  }
}

export class KnnClassifierModel extends KnnBase implements FittedModel {
  readonly task: Task;

  constructor(
    design: Design,
    train: Float64Array,
    targets: Float64Array,
    k: number,
    weights: NeighborWeights,
    readonly nClasses: number,
  ) {
    super(design, train, targets, k, weights);
    this.task = nClasses <= 2 ? 'binary' : 'multiclass';
  }

  predictProba(x: DataMatrix): Float64Array {
    const K = this.nClasses;
    const out = new Float64Array(x.nRows * K);
    this.neighbours(x, (r, idx, w) => {
      for (let j = 0; j < idx.length; j++) out[r * K + this.targets[idx[j]]] += w[j];
    });
    return out;
  }

  predict(x: DataMatrix): Float64Array {
    return argmaxRows(this.predictProba(x), this.nClasses);
  }
}

export class KnnRegressorModel extends KnnBase implements FittedModel {
  readonly task = 'regression' as const;
  readonly nClasses = 1;

  constructor(
    design: Design,
    train: Float64Array,
    targets: Float64Array,
    k: number,
    weights: NeighborWeights,
  ) {
    super(design, train, targets, k, weights);
  }

  predict(x: DataMatrix): Float64Array {
    const out = new Float64Array(x.nRows);
    this.neighbours(x, (r, idx, w) => {
      let s = 0;
      for (let j = 0; j < idx.length; j++) s += w[j] * this.targets[idx[j]];
      out[r] = s;
    });
    return out;
  }

  predictProba(): Float64Array {
    return new Float64Array(0);
  }
}

export function fitKnnClassifier(
  x: DataMatrix,
  y: Float64Array,
  options: KnnOptions = {},
): KnnClassifierModel {
  const design = fitDesign(x, { standardize: options.standardize ?? true });
  let max = 0;
  for (const v of y) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`class labels must be integer codes, got ${v}`);
    max = Math.max(max, v);
  }
  const nClasses = Math.max(options.nClasses ?? max + 1, 2);
  return new KnnClassifierModel(
    design,
    design.transform(x),
    Float64Array.from(y),
    options.k ?? 5,
    options.weights ?? 'uniform',
    nClasses,
  );
}

export function fitKnnRegressor(
  x: DataMatrix,
  y: Float64Array,
  options: KnnOptions = {},
): KnnRegressorModel {
  const design = fitDesign(x, { standardize: options.standardize ?? true });
  return new KnnRegressorModel(
    design,
    design.transform(x),
    Float64Array.from(y),
    options.k ?? 5,
    options.weights ?? 'uniform',
  );
}
