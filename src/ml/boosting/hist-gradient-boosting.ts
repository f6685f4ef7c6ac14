import type { DataMatrix } from '../core/matrix';
import { Random } from '../core/random';
import { BinMapper, MISSING_BIN, type BinnedData } from '../trees/binning';
import {
  accumulateTrees,
  featureColumns,
  gainImportance,
  leafIndexBinned,
  scaleTree,
  type FlatTree,
} from '../trees/flat-tree';
import { HistGrower } from '../trees/hist-grower';
import { ThreadHistogramHelper } from '../parallel/hist-helper';
import { argmaxRows, meanLoss, rawToProba, sigmoid } from '../trees/losses';
import {
  checkControl,
  classCount,
  InvalidTrainingInputError,
  type FittedModel,
  type Task,
  type TrainControl,
} from '../trees/types';
import { rowWeights, type ClassWeight } from '../trees/weights';

export interface HistGradientBoostingOptions extends TrainControl {
  readonly task: Task;
  /** Boosting iterations (trees per class). Default 100. */
  readonly maxIterations?: number;
  /** Shrinkage. Default 0.1. */
  readonly learningRate?: number;
  /** Leaves per tree, leaf-wise growth; 0 = unlimited (depth-wise to maxDepth). Default 31. */
  readonly maxLeaves?: number;
  /** 0 = unlimited. Default 0. */
  readonly maxDepth?: number;
  /** Default 20. */
  readonly minSamplesLeaf?: number;
  /** Minimum hessian sum per leaf (XGBoost min_child_weight). Default 1e-3. */
  readonly minHessianLeaf?: number;
  /** L2 regularisation λ. Default 0 (XGBoost uses 1). */
  readonly l2?: number;
  readonly minGainToSplit?: number;
  /** Bins per feature, at most 255 (+1 missing bin). Default 255. */
  readonly maxBins?: number;
  /** Rows to compute bin edges from. Default 200,000. */
  readonly binSampleSize?: number;
  /** Fraction of rows per iteration (without replacement). Default 1. */
  readonly subsample?: number;
  /** Fraction of features per tree. Default 1. */
  readonly colsampleByTree?: number;
  /** 'auto' turns it on above 10,000 rows (as sklearn). Default 'auto'. */
  readonly earlyStopping?: boolean | 'auto';
  readonly validationFraction?: number;
  readonly nIterNoChange?: number;
  readonly tol?: number;
  readonly sampleWeight?: Float64Array;
  readonly classWeight?: ClassWeight;
  /**
   * Starting prediction in the target's space (XGBoost `base_score`: a probability for binary,
   * a value for regression, a raw margin for every class for multiclass). Default: the best
   * constant (mean, log-odds, log priors), as sklearn and LightGBM.
   */
  readonly baseScore?: number;
  /** LightGBM cat_smooth. Default 10. */
  readonly catSmooth?: number;
  readonly seed?: number;
  /**
   * Threads for histogram building: 2 builds large histograms half in a worker thread (needs the
   * compiled `hist-worker.js`, i.e. running from dist/; otherwise single-threaded). Default 1.
   */
  readonly nThreads?: number;
  /** Path of the compiled histogram worker (tests); default: beside src/ml/parallel. */
  readonly histWorkerScript?: string;
  /** Explicit validation set instead of a split of the training data. */
  readonly validation?: { readonly x: DataMatrix; readonly y: Float64Array };
}

/** Options that reproduce XGBoost 1.7 `tree_method="hist"` defaults (for comparisons). */
export function xgboostHistDefaults(): Omit<HistGradientBoostingOptions, 'task'> {
  return {
    maxIterations: 100,
    learningRate: 0.3,
    maxLeaves: 0,
    maxDepth: 6,
    minSamplesLeaf: 1,
    minHessianLeaf: 1,
    l2: 1,
    maxBins: 255,
    baseScore: 0.5,
    earlyStopping: false,
  };
}

interface ResolvedOptions {
  maxIterations: number;
  learningRate: number;
  maxLeaves: number;
  maxDepth: number;
  minSamplesLeaf: number;
  minHessianLeaf: number;
  l2: number;
  minGainToSplit: number;
  maxBins: number;
  subsample: number;
  colsampleByTree: number;
  nIterNoChange: number;
  tol: number;
  validationFraction: number;
  catSmooth: number;
  seed: number;
}

export interface HistGradientBoostingState {
  readonly task: Task;
  readonly nClasses: number;
  readonly featureNames: readonly string[];
  /** Raw starting score per output (1 for regression / binary, nClasses for multiclass). */
  readonly initScore: Float64Array;
  /** Trees in order; tree t adds to output t % nOutputs. Leaf values include the shrinkage. */
  readonly trees: readonly FlatTree[];
  readonly nIterations: number;
  readonly validationLoss: readonly number[];
}

/** A fitted gradient-boosted tree ensemble. */
export class HistGradientBoostingModel implements FittedModel {
  readonly kind = 'hist-gradient-boosting';
  readonly task: Task;
  readonly nClasses: number;
  readonly featureNames: readonly string[];
  readonly initScore: Float64Array;
  readonly trees: readonly FlatTree[];
  readonly nIterations: number;
  readonly validationLoss: readonly number[];

  constructor(state: HistGradientBoostingState) {
    this.task = state.task;
    this.nClasses = state.nClasses;
    this.featureNames = state.featureNames;
    this.initScore = state.initScore;
    this.trees = state.trees;
    this.nIterations = state.nIterations;
    this.validationLoss = state.validationLoss;
  }

  /** Outputs per row of predictRaw: nClasses for multiclass, else 1. */
  get nOutputs(): number {
    return this.initScore.length;
  }

  /** Raw scores (margins), row-major nRows × nOutputs. */
  predictRaw(x: DataMatrix, nIterations = this.nIterations): Float64Array {
    checkFeatures(x, this.featureNames);
    const k = this.nOutputs;
    const out = new Float64Array(x.nRows * k);
    for (let i = 0; i < x.nRows; i++)
      for (let j = 0; j < k; j++) out[i * k + j] = this.initScore[j];
    const trees = this.trees.slice(0, nIterations * k);
    const offsets = new Int32Array(trees.length);
    for (let t = 0; t < trees.length; t++) offsets[t] = t % k;
    accumulateTrees(trees, featureColumns(x), x.nRows, out, k, offsets);
    return out;
  }

  /** Class probabilities, nRows × nClasses; empty for regression. */
  predictProba(x: DataMatrix): Float64Array {
    if (this.task === 'regression') return new Float64Array(0);
    return rawToProba(this.task, this.predictRaw(x), this.nClasses);
  }

  /** Split-gain importance per input column, summing to 1. */
  featureImportances(): Float64Array {
    return gainImportance(this.trees, this.featureNames.length);
  }

  predict(x: DataMatrix): Float64Array {
    const raw = this.predictRaw(x);
    if (this.task === 'regression') return raw;
    if (this.task === 'binary') return raw.map((z) => (z > 0 ? 1 : 0));
    return argmaxRows(raw, this.nClasses);
  }
}

export function checkFeatures(x: DataMatrix, names: readonly string[]): void {
  if (x.nCols !== names.length) {
    throw new InvalidTrainingInputError(`model expects ${names.length} features, got ${x.nCols}`);
  }
}

/**
 * Histogram gradient boosting (Friedman 2001, "Greedy function approximation"; Chen & Guestrin
 * 2016, "XGBoost"; Ke et al. 2017, "LightGBM"): binning once, second-order leaf values,
 * leaf-wise trees from {@link HistGrower}, shrinkage, row / column subsampling, early stopping on
 * a validation split with rollback to the best iteration. Multiclass grows one tree per class per
 * iteration on the softmax gradients.
 */
export function fitHistGradientBoosting(
  x: DataMatrix,
  y: Float64Array,
  options: HistGradientBoostingOptions,
): HistGradientBoostingModel {
  if (y.length !== x.nRows) {
    throw new InvalidTrainingInputError(`y has ${y.length} rows, x has ${x.nRows}`);
  }
  if (x.nRows === 0) throw new InvalidTrainingInputError('cannot fit on zero rows');
  const task = options.task;
  const o = resolve(options);
  let nClasses = 1;
  if (task !== 'regression') {
    nClasses = Math.max(2, classCount(y));
    if (task === 'binary' && nClasses > 2) {
      throw new InvalidTrainingInputError(`binary task but labels go up to ${nClasses - 1}`);
    }
  } else {
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i]))
        throw new InvalidTrainingInputError(`target of row ${i} is ${y[i]}`);
    }
  }
  const K = task === 'multiclass' ? nClasses : 1;
  const rng = new Random(o.seed);
  const weightsAll = rowWeights(y, nClasses, options.sampleWeight, options.classWeight);

  // validation split
  const useEarly =
    options.earlyStopping === true ||
    ((options.earlyStopping ?? 'auto') === 'auto' && x.nRows > 10_000) ||
    options.validation !== undefined;
  let xTrain = x;
  let yTrain = y;
  let wTrain = weightsAll;
  let xVal: DataMatrix | undefined;
  let yVal: Float64Array | undefined;
  let wVal: Float64Array | undefined;
  if (useEarly && options.validation) {
    xVal = options.validation.x;
    yVal = options.validation.y;
  } else if (useEarly) {
    const { train, val } = validationSplit(y, task, o.validationFraction, rng.fork());
    xTrain = x.takeRows(train);
    yTrain = take(y, train);
    wTrain = weightsAll && take(weightsAll, train);
    xVal = x.takeRows(val);
    yVal = take(y, val);
    wVal = weightsAll && take(weightsAll, val);
  }
  const n = xTrain.nRows;

  const mapper = BinMapper.fit(xTrain, {
    maxBins: o.maxBins,
    sampleSize: options.binSampleSize ?? 200_000,
    seed: o.seed,
  });
  const threaded = (options.nThreads ?? 1) > 1 && n * x.nCols >= 200_000;
  // bins straight into SharedArrayBuffers when a histogram thread will read them
  const bins = mapper.transform(xTrain, threaded);
  const valBins = xVal ? mapper.transform(xVal) : undefined;
  const usedSpan = Int32Array.from(
    mapper.features,
    (spec) => Math.min(spec.nBins, MISSING_BIN) * 3,
  );
  const helper = threaded
    ? ThreadHistogramHelper.create(bins.columns, n, usedSpan, {
        workerScript: options.histWorkerScript,
      })
    : undefined;
  try {
    return boost();
  } finally {
    helper?.close();
  }

  function boost(): HistGradientBoostingModel {
    const grower = new HistGrower(
      bins,
      mapper,
      {
        maxLeaves: o.maxLeaves,
        maxDepth: o.maxDepth,
        minSamplesLeaf: o.minSamplesLeaf,
        minHessianLeaf: o.minHessianLeaf,
        l2: o.l2,
        minGainToSplit: o.minGainToSplit,
        catSmooth: o.catSmooth,
      },
      helper,
    );

    const initScore = startingScore(task, yTrain, wTrain, K, options.baseScore);
    const raw = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) raw[i * K + k] = initScore[k];
    const nVal = valBins ? valBins.nRows : 0;
    const rawVal = new Float64Array(nVal * K);
    for (let i = 0; i < nVal; i++) for (let k = 0; k < K; k++) rawVal[i * K + k] = initScore[k];

    const g = Array.from({ length: K }, () => new Float64Array(n));
    const h = Array.from({ length: K }, () => new Float64Array(n));
    const trees: FlatTree[] = [];
    const validationLoss: number[] = [];
    let bestLoss = Number.POSITIVE_INFINITY;
    let bestIteration = 0;
    let sinceBest = 0;
    const rows = helper ? helper.rows.subarray(0, n) : new Int32Array(n);
    const nFeatures = x.nCols;
    // features with a single value and no missing values can never split: leave them out
    const allFeatures = Int32Array.from(
      Array.from({ length: nFeatures }, (_, j) => j).filter(
        (j) => mapper.features[j].nBins > 1 || bins.columns[j].includes(MISSING_BIN),
      ),
    );
    const nSample = Math.max(1, Math.round(o.subsample * n));
    // squared error without weights has hessian 1 for every row: the grower then skips hessian
    // gathering and accumulation (hessian sums are counts), as LightGBM and sklearn do
    const constHessian = task === 'regression' && !wTrain ? 1 : 0;
    const sampleBuf = o.subsample < 1 ? Int32Array.from({ length: n }, (_, i) => i) : undefined;
    let iterations = 0;

    for (let it = 0; it < o.maxIterations; it++) {
      if (checkControl(options)) break;
      computeGradients(task, raw, yTrain, wTrain, K, g, h);
      let sampleRows: Int32Array;
      if (sampleBuf) {
        for (let i = 0; i < nSample; i++) {
          const j = i + rng.int(n - i);
          const t = sampleBuf[i];
          sampleBuf[i] = sampleBuf[j];
          sampleBuf[j] = t;
        }
        sampleRows = rows.subarray(0, nSample);
        sampleRows.set(sampleBuf.subarray(0, nSample));
        sampleRows.sort();
      } else {
        sampleRows = rows;
      }
      let stopped = false;
      for (let k = 0; k < K; k++) {
        // once per tree; a multiclass iteration cut short is dropped whole
        if (k > 0 && checkControl(options)) {
          stopped = true;
          break;
        }
        const features =
          o.colsampleByTree < 1 ? sampleFeatures(allFeatures, o.colsampleByTree, rng) : allFeatures;
        if (!sampleBuf) for (let i = 0; i < n; i++) rows[i] = i;
        else if (k > 0) sampleRows.sort();
        const grown = grower.grow(sampleRows, g[k], h[k], features, constHessian);
        const tree = grown.tree;
        scaleTree(tree, o.learningRate);
        if (sampleBuf) {
          addTreeBinned(tree, bins, raw, K, k);
        } else {
          const v = tree.value;
          for (let l = 0; l < grown.leafNodes.length; l++) {
            const value = v[grown.leafNodes[l]];
            for (let p = grown.leafStarts[l]; p < grown.leafEnds[l]; p++)
              raw[grown.rows[p] * K + k] += value;
          }
        }
        if (valBins) addTreeBinned(tree, valBins, rawVal, K, k);
        trees.push(tree);
      }
      if (stopped) {
        trees.length = it * K;
        break;
      }
      iterations = it + 1;
      let vLoss: number | undefined;
      if (valBins && yVal) {
        vLoss = meanLoss(task, rawVal, yVal, nClasses, wVal);
        validationLoss.push(vLoss);
      }
      options.onProgress?.({
        iteration: iterations,
        total: o.maxIterations,
        validationLoss: vLoss,
      });
      if (vLoss !== undefined) {
        if (vLoss < bestLoss - o.tol) {
          bestLoss = vLoss;
          bestIteration = iterations;
          sinceBest = 0;
        } else if (++sinceBest >= o.nIterNoChange) {
          break;
        }
      }
    }
    if (valBins && bestIteration > 0 && bestIteration < iterations) {
      trees.length = bestIteration * K;
      iterations = bestIteration;
    }
    return new HistGradientBoostingModel({
      task,
      nClasses: task === 'regression' ? 1 : nClasses,
      featureNames: x.names,
      initScore,
      trees,
      nIterations: iterations,
      validationLoss,
    });
  }
}

function resolve(options: HistGradientBoostingOptions): ResolvedOptions {
  const o: ResolvedOptions = {
    maxIterations: options.maxIterations ?? 100,
    learningRate: options.learningRate ?? 0.1,
    maxLeaves: options.maxLeaves ?? 31,
    maxDepth: options.maxDepth ?? 0,
    minSamplesLeaf: options.minSamplesLeaf ?? 20,
    minHessianLeaf: options.minHessianLeaf ?? 1e-3,
    l2: options.l2 ?? 0,
    minGainToSplit: options.minGainToSplit ?? 1e-12,
    maxBins: options.maxBins ?? 255,
    subsample: options.subsample ?? 1,
    colsampleByTree: options.colsampleByTree ?? 1,
    nIterNoChange: options.nIterNoChange ?? 10,
    tol: options.tol ?? 1e-7,
    validationFraction: options.validationFraction ?? 0.1,
    catSmooth: options.catSmooth ?? 10,
    seed: options.seed ?? 0,
  };
  const positive: (keyof ResolvedOptions)[] = ['maxIterations', 'learningRate', 'maxBins'];
  for (const key of positive) {
    if (!(o[key] > 0)) throw new InvalidTrainingInputError(`${key} must be > 0, got ${o[key]}`);
  }
  if (!(o.subsample > 0 && o.subsample <= 1)) {
    throw new InvalidTrainingInputError(`subsample must be in (0, 1], got ${o.subsample}`);
  }
  if (!(o.colsampleByTree > 0 && o.colsampleByTree <= 1)) {
    throw new InvalidTrainingInputError(
      `colsampleByTree must be in (0, 1], got ${o.colsampleByTree}`,
    );
  }
  if (!(o.validationFraction > 0 && o.validationFraction < 1)) {
    throw new InvalidTrainingInputError(`validationFraction must be in (0, 1)`);
  }
  if (o.maxLeaves === 1 || o.maxLeaves < 0)
    throw new InvalidTrainingInputError('maxLeaves must be 0 or >= 2');
  return o;
}

function take(a: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}

/** Stratified (classification) or plain random validation split, both sorted. */
export function validationSplit(
  y: Float64Array,
  task: Task,
  fraction: number,
  rng: Random,
): { train: Int32Array; val: Int32Array } {
  const n = y.length;
  const isVal = new Uint8Array(n);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = task === 'regression' ? 0 : y[i];
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(i);
  }
  for (const list of groups.values()) {
    const arr = Int32Array.from(list);
    rng.shuffle(arr);
    const m = Math.min(arr.length - 1, Math.round(fraction * arr.length));
    for (let i = 0; i < m; i++) isVal[arr[i]] = 1;
  }
  const train: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) (isVal[i] ? val : train).push(i);
  return { train: Int32Array.from(train), val: Int32Array.from(val) };
}

function startingScore(
  task: Task,
  y: Float64Array,
  w: Float64Array | undefined,
  K: number,
  baseScore: number | undefined,
): Float64Array {
  const out = new Float64Array(K);
  if (baseScore !== undefined) {
    if (task === 'binary') {
      if (!(baseScore > 0 && baseScore < 1))
        throw new InvalidTrainingInputError('baseScore must be in (0,1)');
      out[0] = Math.log(baseScore / (1 - baseScore));
    } else out.fill(baseScore);
    return out;
  }
  let total = 0;
  const sums = new Float64Array(Math.max(K, 2));
  for (let i = 0; i < y.length; i++) {
    const wi = w ? w[i] : 1;
    total += wi;
    if (task === 'regression') sums[0] += wi * y[i];
    else sums[y[i]] += wi;
  }
  if (task === 'regression') out[0] = sums[0] / total;
  else if (task === 'binary') {
    const p = Math.min(Math.max(sums[1] / total, 1e-12), 1 - 1e-12);
    out[0] = Math.log(p / (1 - p));
  } else {
    for (let k = 0; k < K; k++) out[k] = Math.log(Math.max(sums[k] / total, 1e-12));
  }
  return out;
}

function computeGradients(
  task: Task,
  raw: Float64Array,
  y: Float64Array,
  w: Float64Array | undefined,
  K: number,
  g: Float64Array[],
  h: Float64Array[],
): void {
  const n = y.length;
  if (task === 'regression') {
    const g0 = g[0];
    const h0 = h[0];
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      g0[i] = wi * (raw[i] - y[i]);
      h0[i] = wi;
    }
  } else if (task === 'binary') {
    const g0 = g[0];
    const h0 = h[0];
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      const p = sigmoid(raw[i]);
      g0[i] = wi * (p - y[i]);
      h0[i] = wi * Math.max(p * (1 - p), 1e-16);
    }
  } else {
    const p = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      const o = i * K;
      let max = -Infinity;
      for (let k = 0; k < K; k++) if (raw[o + k] > max) max = raw[o + k];
      let s = 0;
      for (let k = 0; k < K; k++) s += p[k] = Math.exp(raw[o + k] - max);
      const wi = w ? w[i] : 1;
      const yi = y[i];
      for (let k = 0; k < K; k++) {
        const pk = p[k] / s;
        g[k][i] = wi * (pk - (yi === k ? 1 : 0));
        h[k][i] = wi * Math.max(pk * (1 - pk), 1e-16);
      }
    }
  }
}

function addTreeBinned(
  tree: FlatTree,
  bins: BinnedData,
  raw: Float64Array,
  K: number,
  k: number,
): void {
  const v = tree.value;
  for (let i = 0; i < bins.nRows; i++) raw[i * K + k] += v[leafIndexBinned(tree, bins, i)];
}

function sampleFeatures(features: Int32Array, fraction: number, rng: Random): Int32Array {
  const m = Math.max(1, Math.round(fraction * features.length));
  const all = Int32Array.from(features);
  rng.shuffle(all);
  return all.subarray(0, m).sort();
}
