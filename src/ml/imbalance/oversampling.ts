import type { FittedModel } from '../core/estimator';
import type { Column, DataMatrix } from '../core/matrix';
import { DataMatrix as Matrix } from '../core/matrix';
import { Random } from '../core/random';

/**
 * Synthetic minority over-sampling, following imbalanced-learn 0.10 defaults
 * (sampling_strategy='auto': every class except the majority is grown to the majority count;
 * Euclidean neighbours on the numeric columns). Synthetic rows are appended after the
 * original rows. A synthetic row is x_base + u·(x_nb − x_base), u ~ U[0, 1), where x_nb is one
 * of the k nearest same-class neighbours of x_base. Categorical columns copy the base row's
 * level. NaN values are rejected (impute first).
 */
export interface OversampleOptions {
  /** Same-class neighbours used for interpolation (default 5). */
  readonly k?: number;
  readonly seed?: number;
}

export interface BorderlineOptions extends OversampleOptions {
  /** Neighbours (all classes) used to find samples in danger (default 10). */
  readonly m?: number;
}

export interface ResampleResult {
  readonly x: DataMatrix;
  readonly y: Float64Array;
  /** For synthetic row r (r = 0.. appended order): base row, neighbour row (original indices) and u. */
  readonly synthetic: {
    readonly base: Int32Array;
    readonly neighbor: Int32Array;
    readonly step: Float64Array;
  };
}

export type Sampler = (x: DataMatrix, y: Float64Array) => ResampleResult;

interface Plan {
  cls: number;
  need: number;
  members: Int32Array;
}

function numericRows(x: DataMatrix): { data: Float64Array; p: number } {
  const cols = x.columns.filter((c) => c.kind === 'numeric');
  const p = cols.length;
  const data = new Float64Array(x.nRows * p);
  cols.forEach((c, j) => {
    if (c.kind !== 'numeric') return;
    for (let i = 0; i < x.nRows; i++) {
      const v = c.values[i];
      if (Number.isNaN(v))
        throw new RangeError(`column "${c.name}" has missing values; impute before resampling`);
      data[i * p + j] = v;
    }
  });
  return { data, p };
}

/** Indices (into `candidates`) of the k nearest candidates to row `row`, excluding `row` itself. */
function kNearest(
  data: Float64Array,
  p: number,
  row: number,
  candidates: Int32Array,
  k: number,
): Int32Array {
  const d: { i: number; d: number }[] = [];
  for (let c = 0; c < candidates.length; c++) {
    const t = candidates[c];
    if (t === row) continue;
    let s = 0;
    for (let j = 0; j < p; j++) {
      const diff = data[row * p + j] - data[t * p + j];
      s += diff * diff;
    }
    d.push({ i: c, d: s });
  }
  d.sort((a, b) => a.d - b.d || a.i - b.i);
  return Int32Array.from(d.slice(0, k), (e) => e.i);
}

function planAuto(y: Float64Array): Plan[] {
  const groups = new Map<number, number[]>();
  y.forEach((v, i) => {
    const g = groups.get(v);
    if (g) g.push(i);
    else groups.set(v, [i]);
  });
  const sizes = [...groups.entries()].sort((a, b) => a[0] - b[0]);
  const majority = Math.max(...sizes.map(([, g]) => g.length));
  const majorityClass = sizes.find(([, g]) => g.length === majority)?.[0];
  return sizes
    .filter(([c]) => c !== majorityClass)
    .map(([cls, g]) => ({ cls, need: majority - g.length, members: Int32Array.from(g) }));
}

/** Synthetic rows to make: each lies at `step` along the segment from `base` to `neighbor`. */
class SyntheticRows {
  readonly cls: number[] = [];
  readonly base: number[] = [];
  readonly neighbor: number[] = [];
  readonly step: number[] = [];

  add(cls: number, base: number, neighbor: number, step: number): void {
    this.cls.push(cls);
    this.base.push(base);
    this.neighbor.push(neighbor);
    this.step.push(step);
  }
}

/** How many of `row`'s `count` nearest neighbours (among `candidates`) are not of class `cls`. */
function otherClassNeighbours(
  data: Float64Array,
  p: number,
  y: Float64Array,
  candidates: Int32Array,
  row: number,
  cls: number,
  count: number,
): number {
  let other = 0;
  for (const i of kNearest(data, p, row, candidates, count)) if (y[candidates[i]] !== cls) other++;
  return other;
}

function assemble(
  x: DataMatrix,
  y: Float64Array,
  synthetic: SyntheticRows,
  data: Float64Array,
  p: number,
): ResampleResult {
  const { cls, base, neighbor, step } = synthetic;
  const n = x.nRows;
  const m = base.length;
  let numericIndex = 0;
  const columns = x.columns.map((c): Column => {
    if (c.kind === 'categorical') {
      const codes = new Int32Array(n + m);
      codes.set(c.codes);
      for (let r = 0; r < m; r++) codes[n + r] = c.codes[base[r]];
      return { kind: 'categorical', name: c.name, codes, levels: c.levels };
    }
    const j = numericIndex++;
    const values = new Float64Array(n + m);
    values.set(c.values);
    for (let r = 0; r < m; r++) {
      const a = data[base[r] * p + j];
      values[n + r] = a + step[r] * (data[neighbor[r] * p + j] - a);
    }
    return { kind: 'numeric', name: c.name, values };
  });
  const yOut = new Float64Array(n + m);
  yOut.set(y);
  for (let r = 0; r < m; r++) yOut[n + r] = cls[r];
  return {
    x: new Matrix(columns),
    y: yOut,
    synthetic: {
      base: Int32Array.from(base),
      neighbor: Int32Array.from(neighbor),
      step: Float64Array.from(step),
    },
  };
}

/**
 * SMOTE (Chawla et al. 2002, JAIR 16:321–357): seeds drawn uniformly among all minority
 * samples, neighbour uniformly among its k same-class neighbours; classes reach the majority
 * count exactly (imblearn `SMOTE`).
 */
export function smote(
  x: DataMatrix,
  y: Float64Array,
  options: OversampleOptions = {},
): ResampleResult {
  const k = options.k ?? 5;
  const rng = new Random(options.seed ?? 0);
  const { data, p } = numericRows(x);
  const out = new SyntheticRows();
  for (const plan of planAuto(y)) {
    if (plan.need === 0) continue;
    if (plan.members.length <= k)
      throw new RangeError(
        `class ${plan.cls} has ${plan.members.length} rows; SMOTE needs more than k=${k}`,
      );
    const nns = Array.from(plan.members, (row) => kNearest(data, p, row, plan.members, k));
    for (let s = 0; s < plan.need; s++) {
      const idx = rng.int(plan.members.length * k);
      const r = Math.floor(idx / k);
      out.add(plan.cls, plan.members[r], plan.members[nns[r][idx % k]], rng.next());
    }
  }
  return assemble(x, y, out, data, p);
}

/**
 * Borderline-SMOTE, variant 1 (Han, Wang & Mao 2005, ICIC LNCS 3644): only minority samples
 * "in danger" — at least half but not all of their m nearest neighbours (any class) belong to
 * other classes — are used as seeds; neighbours come from the same class. Classes with no
 * sample in danger are left unchanged (imblearn `BorderlineSMOTE(kind='borderline-1')`).
 */
export function borderlineSmote(
  x: DataMatrix,
  y: Float64Array,
  options: BorderlineOptions = {},
): ResampleResult {
  const k = options.k ?? 5;
  const m = options.m ?? 10;
  const rng = new Random(options.seed ?? 0);
  const { data, p } = numericRows(x);
  const all = Int32Array.from({ length: x.nRows }, (_, i) => i);
  const out = new SyntheticRows();
  for (const plan of planAuto(y)) {
    if (plan.need === 0) continue;
    const danger = plan.members.filter((row) => {
      const other = otherClassNeighbours(data, p, y, all, row, plan.cls, m);
      return other >= m / 2 && other < m;
    });
    if (danger.length === 0) continue;
    if (plan.members.length <= k)
      throw new RangeError(`class ${plan.cls} has too few rows for k=${k}`);
    const nns = Array.from(danger, (row) => kNearest(data, p, row, plan.members, k));
    for (let s = 0; s < plan.need; s++) {
      const idx = rng.int(danger.length * k);
      const r = Math.floor(idx / k);
      out.add(plan.cls, danger[r], plan.members[nns[r][idx % k]], rng.next());
    }
  }
  return assemble(x, y, out, data, p);
}

function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * ADASYN (He, Bai, Garcia & Li 2008, IJCNN): each minority sample gets a share of the
 * synthetic rows proportional to the fraction of other-class rows among its k nearest
 * neighbours (all classes), rounded half-to-even per sample — so classes are only
 * approximately balanced, exactly as in imblearn `ADASYN`.
 */
export function adasyn(
  x: DataMatrix,
  y: Float64Array,
  options: OversampleOptions = {},
): ResampleResult {
  const k = options.k ?? 5;
  const rng = new Random(options.seed ?? 0);
  const { data, p } = numericRows(x);
  const all = Int32Array.from({ length: x.nRows }, (_, i) => i);
  const out = new SyntheticRows();
  for (const plan of planAuto(y)) {
    if (plan.need === 0) continue;
    const ratio = Float64Array.from(
      plan.members,
      (row) => otherClassNeighbours(data, p, y, all, row, plan.cls, k) / k,
    );
    const total = ratio.reduce((s, v) => s + v, 0);
    if (total === 0)
      throw new RangeError(`no neighbours of class ${plan.cls} belong to other classes; use SMOTE`);
    const nns = Array.from(plan.members, (row) => kNearest(data, p, row, plan.members, k));
    plan.members.forEach((row, r) => {
      const count = roundHalfEven((ratio[r] / total) * plan.need);
      for (let s = 0; s < count; s++) {
        // Arguments evaluate left to right: the neighbour draw comes before the step draw.
        out.add(plan.cls, row, plan.members[nns[r][rng.int(k)]], rng.next());
      }
    });
  }
  return assemble(x, y, out, data, p);
}

/**
 * Wraps a fit function so the sampler runs on the training rows it receives — and only
 * there. Used with cross-validation, resampling happens inside each training fold and the
 * validation fold stays untouched (no synthetic leakage).
 */
export function withResampling<M extends FittedModel>(
  fit: (x: DataMatrix, y: Float64Array) => M,
  sampler: Sampler,
): (x: DataMatrix, y: Float64Array) => M {
  return (x, y) => {
    const r = sampler(x, y);
    return fit(r.x, r.y);
  };
}
