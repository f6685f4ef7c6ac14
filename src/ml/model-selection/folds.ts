import { Random } from '../core/random';

/**
 * Cross-validation splitters over row indices. All are seeded through core/random so that a
 * split is reproducible from one integer. Index arrays are ascending within each fold, like
 * scikit-learn's splitters. JavaScript cannot reproduce numpy's shuffles: to compare with a
 * Python run use {@link foldsFromIndices} with folds exported from scikit-learn.
 */
export interface Fold {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export interface KFoldOptions {
  /** Number of folds (default 5). */
  readonly k?: number;
  /** Shuffle before splitting (default false: contiguous folds in row order, like sklearn). */
  readonly shuffle?: boolean;
  readonly seed?: number;
}

function foldsFromTestAssignment(assignment: Int32Array, k: number): Fold[] {
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < assignment.length; i++) (assignment[i] === f ? test : train).push(i);
    folds.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return folds;
}

function checkK(k: number, n: number): void {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer >= 2, got ${k}`);
  if (k > n) throw new RangeError(`cannot split ${n} rows into ${k} folds`);
}

/**
 * K-fold: the first n mod k folds get ⌊n/k⌋ + 1 rows, the rest ⌊n/k⌋ (sklearn `KFold`).
 * Without shuffling the folds are exactly sklearn's.
 */
export function kFold(n: number, options: KFoldOptions = {}): Fold[] {
  const k = options.k ?? 5;
  checkK(k, n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (options.shuffle) new Random(options.seed ?? 0).shuffle(order);
  const assignment = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let i = start; i < start + size; i++) assignment[order[i]] = f;
    start += size;
  }
  return foldsFromTestAssignment(assignment, k);
}

/**
 * Stratified k-fold with scikit-learn 1.2's allocation: classes are numbered by first
 * appearance, the sorted class sequence is dealt round-robin to folds to decide how many
 * rows of each class each fold receives, and each class's rows are given fold numbers in
 * row order (shuffled per class when `shuffle`). Without shuffling this equals sklearn's
 * `StratifiedKFold` exactly.
 */
export function stratifiedKFold(y: ArrayLike<number>, options: KFoldOptions = {}): Fold[] {
  const k = options.k ?? 5;
  const n = y.length;
  checkK(k, n);
  const classOf = new Map<number, number>();
  const encoded = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let c = classOf.get(y[i]);
    if (c === undefined) {
      c = classOf.size;
      classOf.set(y[i], c);
    }
    encoded[i] = c;
  }
  const nClasses = classOf.size;
  const counts = new Int32Array(nClasses);
  for (let i = 0; i < n; i++) counts[encoded[i]]++;
  if (Math.max(...counts) < k) throw new RangeError(`every class has fewer than ${k} members`);
  // sorted class sequence y_order; allocation[f][c] = count of class c among y_order[f::k]
  const yOrder = new Int32Array(n);
  let pos = 0;
  for (let c = 0; c < nClasses; c++) for (let j = 0; j < counts[c]; j++) yOrder[pos++] = c;
  const allocation = Array.from({ length: k }, () => new Int32Array(nClasses));
  for (let i = 0; i < n; i++) allocation[i % k][yOrder[i]]++;
  const rng = new Random(options.seed ?? 0);
  const assignment = new Int32Array(n);
  for (let c = 0; c < nClasses; c++) {
    const foldsForClass = new Int32Array(counts[c]);
    let p = 0;
    for (let f = 0; f < k; f++) for (let j = 0; j < allocation[f][c]; j++) foldsForClass[p++] = f;
    if (options.shuffle) rng.shuffle(foldsForClass);
    p = 0;
    for (let i = 0; i < n; i++) if (encoded[i] === c) assignment[i] = foldsForClass[p++];
  }
  return foldsFromTestAssignment(assignment, k);
}

export interface RepeatedKFoldOptions {
  readonly k?: number;
  readonly repeats?: number;
  readonly seed?: number;
  /** Stratify on these labels (then `n` must equal y.length). */
  readonly stratify?: ArrayLike<number>;
}

/** `repeats` shuffled (stratified) k-fold splits with independent seeds; k × repeats folds. */
export function repeatedKFold(n: number, options: RepeatedKFoldOptions = {}): Fold[] {
  const repeats = options.repeats ?? 3;
  const rng = new Random(options.seed ?? 0);
  const out: Fold[] = [];
  for (let r = 0; r < repeats; r++) {
    const seed = rng.nextUint32();
    const opts = { k: options.k, shuffle: true, seed };
    if (options.stratify !== undefined) {
      if (options.stratify.length !== n) throw new RangeError('stratify length must equal n');
      out.push(...stratifiedKFold(options.stratify, opts));
    } else {
      out.push(...kFold(n, opts));
    }
  }
  return out;
}

export interface HoldOutOptions {
  /** Fraction of rows in the test part (default 0.25); test size is ⌈testSize · n⌉ like sklearn. */
  readonly testSize?: number;
  readonly seed?: number;
  /** Keep class proportions (labels per row). */
  readonly stratify?: ArrayLike<number>;
}

/**
 * Shuffled hold-out split. With `stratify`, each class contributes round(testSize share)
 * rows to the test part by largest remainder, so the total is still ⌈testSize · n⌉ and
 * every class with at least two rows keeps one in each part where possible.
 */
export function trainTestSplit(n: number, options: HoldOutOptions = {}): Fold {
  const testSize = options.testSize ?? 0.25;
  if (!(testSize > 0 && testSize < 1)) throw new RangeError('testSize must be in (0, 1)');
  const nTest = Math.ceil(testSize * n);
  if (nTest >= n) throw new RangeError('test part would leave no training rows');
  const rng = new Random(options.seed ?? 0);
  const inTest = new Uint8Array(n);
  if (options.stratify === undefined) {
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    rng.shuffle(order);
    for (let i = 0; i < nTest; i++) inTest[order[i]] = 1;
  } else {
    const y = options.stratify;
    if (y.length !== n) throw new RangeError('stratify length must equal n');
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const g = groups.get(y[i]);
      if (g) g.push(i);
      else groups.set(y[i], [i]);
    }
    const classes = [...groups.keys()].sort((a, b) => a - b);
    const quotas = classes.map((c) => {
      const exact = ((groups.get(c) ?? []).length * nTest) / n;
      return { c, take: Math.floor(exact), rem: exact - Math.floor(exact) };
    });
    let left = nTest - quotas.reduce((s, q) => s + q.take, 0);
    for (const q of [...quotas].sort((a, b) => b.rem - a.rem)) {
      if (left <= 0) break;
      q.take++;
      left--;
    }
    for (const q of quotas) {
      const rows = Int32Array.from(groups.get(q.c) ?? []);
      rng.shuffle(rows);
      for (let i = 0; i < Math.min(q.take, rows.length); i++) inTest[rows[i]] = 1;
    }
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (inTest[i] ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/**
 * Validates externally supplied folds (for example exported from scikit-learn) and converts
 * them to typed arrays: every index in [0, n), train and test disjoint, no duplicates.
 */
export function foldsFromIndices(
  folds: readonly { readonly train: ArrayLike<number>; readonly test: ArrayLike<number> }[],
  n: number,
): Fold[] {
  return folds.map((f, fi) => {
    const seen = new Uint8Array(n);
    const check = (arr: ArrayLike<number>, mark: number): Int32Array => {
      const out = new Int32Array(arr.length);
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i];
        if (!Number.isInteger(v) || v < 0 || v >= n)
          throw new RangeError(`fold ${fi}: bad index ${v}`);
        if (seen[v]) throw new RangeError(`fold ${fi}: index ${v} used twice`);
        seen[v] = mark;
        out[i] = v;
      }
      return out;
    };
    return { train: check(f.train, 1), test: check(f.test, 2) };
  });
}

/** Folds from a per-row test-fold number (sklearn `PredefinedSplit`; −1 = always train). */
export function foldsFromAssignment(testFold: ArrayLike<number>): Fold[] {
  const ids = [...new Set(Array.from(testFold).filter((v) => v >= 0))].sort((a, b) => a - b);
  return ids.map((id) => {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < testFold.length; i++) (testFold[i] === id ? test : train).push(i);
    return { train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}
