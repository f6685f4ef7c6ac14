/**
 * Divergences between two discrete distributions given as counts over the same bins
 * (reference-quantile bins for numeric columns, levels for categoricals). Counts are turned
 * into proportions p (reference) and q (current). Where a logarithm of a ratio is taken
 * (PSI, KL) both sides are smoothed additively: p_i = (c_i + α)/(N + αK), default α = 0.5
 * (Jeffreys / Krichevsky–Trofimov), so empty bins stay finite. JS, Hellinger and TV are
 * bounded and use raw proportions.
 */

export interface SmoothingOptions {
  /** Additive pseudo-count per bin for PSI and KL (default 0.5). */
  readonly alpha?: number;
}

function proportions(counts: ArrayLike<number>, alpha: number): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const k = counts.length;
  const out = new Float64Array(k);
  const denom = total + alpha * k;
  if (denom <= 0) throw new RangeError('empty distribution');
  for (let i = 0; i < k; i++) out[i] = (counts[i] + alpha) / denom;
  return out;
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError('distributions must have the same bins');
}

/**
 * Population Stability Index Σ (q_i − p_i) ln(q_i / p_i) (symmetrised KL; Yurdakul 2018,
 * "Statistical properties of population stability index"). Rule of thumb: < 0.1 stable,
 * 0.1–0.25 moderate shift, > 0.25 major shift.
 */
export function psiFromCounts(
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
  options: SmoothingOptions = {},
): number {
  same(ref, cur);
  const alpha = options.alpha ?? 0.5;
  const p = proportions(ref, alpha);
  const q = proportions(cur, alpha);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (q[i] - p[i]) * Math.log(q[i] / p[i]);
  return s;
}

/** Kullback–Leibler divergence KL(current ‖ reference) = Σ q_i ln(q_i/p_i), in nats (scipy `entropy(q, p)`). */
export function klFromCounts(
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
  options: SmoothingOptions = {},
): number {
  same(ref, cur);
  const alpha = options.alpha ?? 0.5;
  const p = proportions(ref, alpha);
  const q = proportions(cur, alpha);
  let s = 0;
  for (let i = 0; i < p.length; i++) if (q[i] > 0) s += q[i] * Math.log(q[i] / p[i]);
  return s;
}

/**
 * Jensen–Shannon distance √JS(p, q) with base-2 logarithms, so it lies in [0, 1]
 * (scipy `spatial.distance.jensenshannon(p, q, base=2)`; Lin 1991).
 */
export function jensenShannonFromCounts(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  same(ref, cur);
  const p = proportions(ref, 0);
  const q = proportions(cur, 0);
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) s += p[i] * Math.log(p[i] / m);
    if (q[i] > 0) s += q[i] * Math.log(q[i] / m);
  }
  return Math.sqrt(Math.max(0, s / 2 / Math.LN2));
}

/** Hellinger distance √(1 − Σ √(p_i q_i)) ∈ [0, 1]. */
export function hellingerFromCounts(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  same(ref, cur);
  const p = proportions(ref, 0);
  const q = proportions(cur, 0);
  let bc = 0;
  for (let i = 0; i < p.length; i++) bc += Math.sqrt(p[i] * q[i]);
  return Math.sqrt(Math.max(0, 1 - bc));
}

/** Total variation distance ½ Σ |p_i − q_i| ∈ [0, 1]. */
export function totalVariationFromCounts(ref: ArrayLike<number>, cur: ArrayLike<number>): number {
  same(ref, cur);
  const p = proportions(ref, 0);
  const q = proportions(cur, 0);
  let s = 0;
  for (let i = 0; i < p.length; i++) s += Math.abs(p[i] - q[i]);
  return s / 2;
}

export interface HistogramScores {
  readonly psi: number;
  readonly kl: number;
  readonly jensenShannon: number;
  readonly hellinger: number;
  readonly totalVariation: number;
}

/** All five histogram scores for aligned reference / current counts. */
export function histogramScores(
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
  alpha = 0.5,
): HistogramScores {
  return {
    psi: psiFromCounts(ref, cur, { alpha }),
    kl: klFromCounts(ref, cur, { alpha }),
    jensenShannon: jensenShannonFromCounts(ref, cur),
    hellinger: hellingerFromCounts(ref, cur),
    totalVariation: totalVariationFromCounts(ref, cur),
  };
}
