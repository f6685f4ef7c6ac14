import type { DataMatrix } from '../core/matrix';
import { Random } from '../core/random';
import { BinMapper, type BinnedData, type FeatureBins } from '../trees/binning';
import { growCartTree, type CartData, type CartOptions } from '../trees/cart-grower';
import {
  accumulateTrees,
  featureColumns,
  gainImportance,
  leafIndexBinned,
  type FlatTree,
} from '../trees/flat-tree';
import { argmaxRows } from '../trees/losses';
import {
  checkControl,
  classCount,
  InvalidTrainingInputError,
  type FittedModel,
  type Task,
  type TrainControl,
} from '../trees/types';
import { rowWeights, type ClassWeight } from '../trees/weights';

export interface RandomForestOptions extends TrainControl {
  readonly task: Task;
  /** Default 100. */
  readonly nEstimators?: number;
  /** Extremely randomised trees (Geurts et al. 2006). Default false. */
  readonly extraTrees?: boolean;
  /** Default: true for random forests, false for extra trees. */
  readonly bootstrap?: boolean;
  /** 'sqrt' (classification default), 'log2', a fraction in (0, 1] (regression default 1) or a count. */
  readonly maxFeatures?: 'sqrt' | 'log2' | number;
  /** 0 = unlimited. */
  readonly maxDepth?: number;
  readonly minSamplesSplit?: number;
  readonly minSamplesLeaf?: number;
  readonly minImpurityDecrease?: number;
  readonly maxBins?: number;
  /** Out-of-bag accuracy (classification) or R² (regression); needs bootstrap. */
  readonly oobScore?: boolean;
  readonly sampleWeight?: Float64Array;
  readonly classWeight?: ClassWeight;
  readonly seed?: number;
}

export interface RandomForestState {
  readonly kind: 'random-forest' | 'extra-trees';
  readonly task: Task;
  readonly nClasses: number;
  readonly featureNames: readonly string[];
  readonly trees: readonly FlatTree[];
  readonly oobScore?: number;
}

/** Bagged CART trees whose leaf class proportions (or means) are averaged. */
export class RandomForestModel implements FittedModel {
  readonly kind: 'random-forest' | 'extra-trees';
  readonly task: Task;
  readonly nClasses: number;
  readonly featureNames: readonly string[];
  readonly trees: readonly FlatTree[];
  readonly oobScore?: number;

  constructor(state: RandomForestState) {
    this.kind = state.kind;
    this.task = state.task;
    this.nClasses = state.nClasses;
    this.featureNames = state.featureNames;
    this.trees = state.trees;
    this.oobScore = state.oobScore;
  }

  get nOutputs(): number {
    return this.task === 'regression' ? 1 : this.nClasses;
  }

  /** Averaged tree outputs: the mean (regression) or class probabilities, nRows × nOutputs. */
  predictRaw(x: DataMatrix): Float64Array {
    if (x.nCols !== this.featureNames.length) {
      throw new InvalidTrainingInputError(
        `model expects ${this.featureNames.length} features, got ${x.nCols}`,
      );
    }
    const k = this.nOutputs;
    const out = new Float64Array(x.nRows * k);
    if (this.trees.length === 0) return out;
    accumulateTrees(this.trees, featureColumns(x), x.nRows, out, k, 0, 1 / this.trees.length);
    return out;
  }

  /** Class probabilities, nRows × nClasses; empty for regression. */
  predictProba(x: DataMatrix): Float64Array {
    if (this.task === 'regression') return new Float64Array(0);
    return this.predictRaw(x);
  }

  /** Mean decrease in impurity per input column, summing to 1. */
  featureImportances(): Float64Array {
    return gainImportance(this.trees, this.featureNames.length);
  }

  predict(x: DataMatrix): Float64Array {
    const raw = this.predictRaw(x);
    return this.task === 'regression' ? raw : argmaxRows(raw, this.nClasses);
  }
}

/** Everything a worker needs to build some of a forest's trees (structured-clone friendly). */
export interface ForestJob {
  readonly columns: Uint8Array[];
  readonly nRows: number;
  readonly features: readonly FeatureBins[];
  readonly target: Float64Array;
  readonly nClasses: number;
  readonly weights: Float64Array;
  readonly bootstrap: boolean;
  readonly oob: boolean;
  readonly cart: CartOptions;
  readonly seeds: Uint32Array;
}

export interface ForestPartResult {
  readonly trees: FlatTree[];
  /** Sum of out-of-bag predictions per row (nRows × nOutputs) and how many trees gave one. */
  readonly oobSum?: Float64Array;
  readonly oobCount?: Uint32Array;
}

/** Builds the trees with the given seed indices; the same function runs in workers. */
export function buildForestPart(
  job: ForestJob,
  treeIndices: ArrayLike<number>,
  control?: TrainControl,
  onTree?: () => void,
): ForestPartResult {
  const bins: BinnedData = { nRows: job.nRows, columns: job.columns };
  const data: CartData = {
    bins,
    mapper: new BinMapper(job.features),
    target: job.target,
    nClasses: job.nClasses,
  };
  const n = job.nRows;
  const K = job.nClasses > 0 ? job.nClasses : 1;
  const trees: FlatTree[] = [];
  const oobSum = job.oob ? new Float64Array(n * K) : undefined;
  const oobCount = job.oob ? new Uint32Array(n) : undefined;
  const w = new Float64Array(n);
  for (let t = 0; t < treeIndices.length; t++) {
    if (checkControl(control)) break;
    const rng = new Random(job.seeds[treeIndices[t]]);
    let rows: Int32Array;
    if (job.bootstrap) {
      const counts = new Uint32Array(n);
      for (let i = 0; i < n; i++) counts[rng.int(n)]++;
      let m = 0;
      for (let i = 0; i < n; i++) if (counts[i] > 0 && job.weights[i] > 0) m++;
      rows = new Int32Array(m);
      m = 0;
      for (let i = 0; i < n; i++) {
        w[i] = counts[i] * job.weights[i];
        if (w[i] > 0) rows[m++] = i;
      }
      const tree = growCartTree(data, w, rows, job.cart, rng);
      if (oobSum && oobCount) {
        for (let i = 0; i < n; i++) {
          if (counts[i] !== 0) continue;
          const leaf = leafIndexBinned(tree, bins, i);
          for (let k = 0; k < K; k++) oobSum[i * K + k] += tree.value[leaf * K + k];
          oobCount[i]++;
        }
      }
      trees.push(tree);
    } else {
      let m = 0;
      for (let i = 0; i < n; i++) if (job.weights[i] > 0) m++;
      rows = new Int32Array(m);
      m = 0;
      for (let i = 0; i < n; i++) if (job.weights[i] > 0) rows[m++] = i;
      trees.push(growCartTree(data, job.weights, rows, job.cart, rng));
    }
    onTree?.();
  }
  return { trees, oobSum, oobCount };
}

/** Resolves options, bins the data and draws the per-tree seeds. */
export function prepareForest(
  x: DataMatrix,
  y: Float64Array,
  options: RandomForestOptions,
  sharedMemory = false,
): { job: ForestJob; nClasses: number; nEstimators: number } {
  if (y.length !== x.nRows)
    throw new InvalidTrainingInputError(`y has ${y.length} rows, x has ${x.nRows}`);
  if (x.nRows === 0) throw new InvalidTrainingInputError('cannot fit on zero rows');
  const task = options.task;
  const nClasses = task === 'regression' ? 0 : Math.max(2, classCount(y));
  if (task === 'regression') {
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i]))
        throw new InvalidTrainingInputError(`target of row ${i} is ${y[i]}`);
    }
  }
  const nEstimators = options.nEstimators ?? 100;
  if (!(nEstimators >= 1)) throw new InvalidTrainingInputError('nEstimators must be >= 1');
  const extra = options.extraTrees ?? false;
  const bootstrap = options.bootstrap ?? !extra;
  if (options.oobScore && !bootstrap)
    throw new InvalidTrainingInputError('oobScore needs bootstrap');
  const p = x.nCols;
  const mf = options.maxFeatures ?? (task === 'regression' ? 1 : 'sqrt');
  let maxFeatures: number;
  if (mf === 'sqrt') maxFeatures = Math.floor(Math.sqrt(p));
  else if (mf === 'log2') maxFeatures = Math.floor(Math.log2(p));
  else if (mf > 0 && mf <= 1 && !Number.isInteger(mf)) maxFeatures = Math.floor(mf * p);
  else if (mf === 1) maxFeatures = p;
  else maxFeatures = Math.floor(mf);
  maxFeatures = Math.min(p, Math.max(1, maxFeatures));
  const weights =
    rowWeights(y, Math.max(nClasses, 1), options.sampleWeight, options.classWeight) ??
    new Float64Array(x.nRows).fill(1);
  const mapper = BinMapper.fit(x, { maxBins: options.maxBins ?? 255, seed: options.seed ?? 0 });
  const bins = mapper.transform(x, sharedMemory);
  const rng = new Random(options.seed ?? 0);
  const seeds = new Uint32Array(nEstimators);
  for (let t = 0; t < nEstimators; t++) seeds[t] = rng.nextUint32();
  const share = <T extends Float64Array>(a: T): Float64Array => {
    if (!sharedMemory) return a;
    const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  const job: ForestJob = {
    columns: bins.columns,
    nRows: x.nRows,
    features: mapper.features,
    target: share(y),
    nClasses,
    weights: share(weights),
    bootstrap,
    oob: options.oobScore ?? false,
    cart: {
      maxDepth: options.maxDepth ?? 0,
      minSamplesSplit: Math.max(2, options.minSamplesSplit ?? 2),
      minSamplesLeaf: Math.max(1, options.minSamplesLeaf ?? 1),
      maxFeatures,
      extraRandom: extra,
      minImpurityDecrease: options.minImpurityDecrease ?? 0,
    },
    seeds,
  };
  return { job, nClasses, nEstimators };
}

/** Puts the parts built in-thread or by workers together. */
export function assembleForest(
  x: DataMatrix,
  y: Float64Array,
  options: RandomForestOptions,
  nClasses: number,
  parts: readonly ForestPartResult[],
): RandomForestModel {
  const trees = parts.flatMap((part) => part.trees);
  let oobScore: number | undefined;
  if (options.oobScore) {
    const K = nClasses > 0 ? nClasses : 1;
    const n = x.nRows;
    const sum = new Float64Array(n * K);
    const count = new Uint32Array(n);
    for (const part of parts) {
      if (!part.oobSum || !part.oobCount) continue;
      for (let i = 0; i < sum.length; i++) sum[i] += part.oobSum[i];
      for (let i = 0; i < n; i++) count[i] += part.oobCount[i];
    }
    oobScore = oobScoreOf(y, sum, count, K, nClasses > 0);
  }
  return new RandomForestModel({
    kind: options.extraTrees ? 'extra-trees' : 'random-forest',
    task: options.task,
    nClasses: nClasses > 0 ? nClasses : 1,
    featureNames: x.names,
    trees,
    oobScore,
  });
}

function oobScoreOf(
  y: Float64Array,
  sum: Float64Array,
  count: Uint32Array,
  K: number,
  classification: boolean,
): number {
  let used = 0;
  if (classification) {
    let ok = 0;
    for (let i = 0; i < y.length; i++) {
      if (count[i] === 0) continue;
      used++;
      let best = 0;
      for (let k = 1; k < K; k++) if (sum[i * K + k] > sum[i * K + best]) best = k;
      if (best === y[i]) ok++;
    }
    return used > 0 ? ok / used : Number.NaN;
  }
  let mean = 0;
  for (let i = 0; i < y.length; i++)
    if (count[i] > 0) {
      mean += y[i];
      used++;
    }
  mean /= used;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    if (count[i] === 0) continue;
    ssRes += (y[i] - sum[i] / count[i]) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  return 1 - ssRes / ssTot;
}

/**
 * Random forest (Breiman 2001) or extra trees (Geurts, Ernst & Wehenkel 2006), in this thread.
 * See `fitRandomForestParallel` in `src/ml/parallel` to build trees on several cores.
 */
export function fitRandomForest(
  x: DataMatrix,
  y: Float64Array,
  options: RandomForestOptions,
): RandomForestModel {
  const { job, nClasses, nEstimators } = prepareForest(x, y, options);
  let built = 0;
  const part = buildForestPart(
    job,
    Int32Array.from({ length: nEstimators }, (_, t) => t),
    options,
    () => {
      built++;
      options.onProgress?.({ iteration: built, total: nEstimators });
    },
  );
  return assembleForest(x, y, options, nClasses, [part]);
}
