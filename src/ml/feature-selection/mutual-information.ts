import type { Column, DataMatrix } from '../core/matrix';
import { MISSING_CODE } from '../core/matrix';
import { Random } from '../core/random';

/**
 * Mutual information between each column and the target, in nats, with the estimators used by
 * sklearn `mutual_info_classif` / `mutual_info_regression` (n_neighbors = 3):
 * - continuous feature, discrete target: Ross (2014), PLoS ONE 9(2):e87357 — k-th neighbour
 *   radius within the same class, count of all points inside it;
 * - continuous feature, continuous target: Kraskov, Stögbauer & Grassberger (2004), Phys. Rev.
 *   E 69:066138, algorithm 1 with the Chebyshev norm on (x, y) after scaling both to unit
 *   standard deviation;
 * - categorical feature: plug-in estimate Σ p(a,b) log(p(a,b)/(p(a)p(b))) against the
 *   discrete target (for a continuous target the Ross estimator with roles swapped).
 * Unlike sklearn no 1e-10 jitter is added, so ties are kept (sklearn's jitter only breaks
 * exact ties); negative estimates are clipped to 0. Rows with a missing feature value are
 * dropped for that feature. The estimators are O(n²) per feature, so beyond `maxRows`
 * (default 10000) a seeded random subset of rows is used.
 */
export interface MutualInfoOptions {
  readonly nNeighbors?: number;
  /** Target is a class code (true) or continuous (false). */
  readonly discreteTarget: boolean;
  /** Rows used at most (default 10000); a random subset above that. */
  readonly maxRows?: number;
  readonly seed?: number;
}

function digammaInt(n: number): number {
  // ψ(n) = −γ + Σ_{j<n} 1/j for integer n ≥ 1
  let s = -0.5772156649015329;
  for (let j = 1; j < n; j++) s += 1 / j;
  return s;
}

/** Memoised ψ(1..n). */
function digammaTable(n: number): Float64Array {
  const t = new Float64Array(n + 2);
  t[1] = -0.5772156649015329;
  for (let j = 2; j <= n + 1; j++) t[j] = t[j - 1] + 1 / (j - 1);
  return t;
}

function nextDown(r: number): number {
  if (r <= 0) return 0;
  const buf = new Float64Array([r]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] -= 1n;
  return buf[0];
}

function std(x: Float64Array): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) ** 2;
  return Math.sqrt(s / x.length);
}

/** Ross estimator, continuous c vs discrete d. */
export function miContinuousDiscrete(
  c: Float64Array,
  d: ArrayLike<number>,
  nNeighbors = 3,
): number {
  const n = c.length;
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = byLabel.get(d[i]);
    if (g) g.push(i);
    else byLabel.set(d[i], [i]);
  }
  const radius = new Float64Array(n);
  const kAll = new Float64Array(n);
  const labelCount = new Float64Array(n);
  for (const rows of byLabel.values()) {
    const count = rows.length;
    for (const i of rows) labelCount[i] = count;
    if (count <= 1) continue;
    const k = Math.min(nNeighbors, count - 1);
    for (const i of rows) {
      const dist = rows.filter((j) => j !== i).map((j) => Math.abs(c[i] - c[j]));
      dist.sort((a, b) => a - b);
      radius[i] = nextDown(dist[k - 1]);
      kAll[i] = k;
    }
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (labelCount[i] > 1) keep.push(i);
  const m = keep.length;
  const psi = digammaTable(m + 1);
  let sumK = 0;
  let sumLabel = 0;
  let sumM = 0;
  for (const i of keep) {
    let count = 0;
    for (const j of keep) if (Math.abs(c[i] - c[j]) <= radius[i]) count++;
    sumK += digammaInt(kAll[i]);
    sumLabel += psi[labelCount[i]];
    sumM += psi[count];
  }
  const mi = psi[m] + sumK / m - sumLabel / m - sumM / m;
  return Math.max(0, mi);
}

/** KSG estimator (algorithm 1), continuous x vs continuous y, both pre-scaled. */
export function miContinuousContinuous(x: Float64Array, y: Float64Array, nNeighbors = 3): number {
  const n = x.length;
  const psi = digammaTable(n + 1);
  let sumX = 0;
  let sumY = 0;
  const dist = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      dist[t++] = Math.max(Math.abs(x[i] - x[j]), Math.abs(y[i] - y[j]));
    }
    dist.sort();
    const r = nextDown(dist[nNeighbors - 1]);
    let nx = 0;
    let ny = 0;
    for (let j = 0; j < n; j++) {
      if (Math.abs(x[i] - x[j]) <= r) nx++;
      if (Math.abs(y[i] - y[j]) <= r) ny++;
    }
    // counts include the point itself: nx − 1 neighbours, ψ(nx − 1 + 1)
    sumX += psi[nx];
    sumY += psi[ny];
  }
  return Math.max(0, psi[n] + psi[nNeighbors] - sumX / n - sumY / n);
}

/** Plug-in MI between two discrete variables. */
export function miDiscreteDiscrete(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const joint = new Map<string, number>();
  const pa = new Map<number, number>();
  const pb = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]}|${b[i]}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
    pa.set(a[i], (pa.get(a[i]) ?? 0) + 1);
    pb.set(b[i], (pb.get(b[i]) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, c] of joint) {
    const [sa, sb] = key.split('|').map(Number);
    mi += (c / n) * Math.log((c * n) / ((pa.get(sa) ?? 1) * (pb.get(sb) ?? 1)));
  }
  return Math.max(0, mi);
}

function columnValues(col: Column): { values: Float64Array; discrete: boolean } {
  if (col.kind === 'numeric') return { values: col.values, discrete: false };
  return {
    values: Float64Array.from(col.codes, (c) => (c === MISSING_CODE ? Number.NaN : c)),
    discrete: true,
  };
}

/** Mutual information of every column of `x` with `y` (one value per column). */
export function mutualInformation(
  x: DataMatrix,
  y: Float64Array,
  options: MutualInfoOptions,
): Float64Array {
  const k = options.nNeighbors ?? 3;
  const maxRows = options.maxRows ?? 10000;
  let candidates = Int32Array.from({ length: x.nRows }, (_, i) => i);
  if (x.nRows > maxRows) {
    new Random(options.seed ?? 0).shuffle(candidates);
    candidates = candidates.slice(0, maxRows).sort();
  }
  return Float64Array.from(x.columns, (col) => {
    const { values, discrete } = columnValues(col);
    const rows: number[] = [];
    for (const i of candidates) if (!Number.isNaN(values[i]) && !Number.isNaN(y[i])) rows.push(i);
    const v = Float64Array.from(rows, (i) => values[i]);
    const t = Float64Array.from(rows, (i) => y[i]);
    if (discrete && options.discreteTarget) return miDiscreteDiscrete(v, t);
    if (discrete) {
      const s = std(t) || 1;
      return miContinuousDiscrete(
        t.map((e) => e / s),
        v,
        k,
      );
    }
    const sv = std(v) || 1;
    const scaled = v.map((e) => e / sv);
    if (options.discreteTarget) return miContinuousDiscrete(scaled, t, k);
    const st = std(t) || 1;
    return miContinuousContinuous(
      scaled,
      t.map((e) => e / st),
      k,
    );
  });
}
