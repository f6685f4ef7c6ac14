import type { Fold } from '../model-selection/folds';
import { Random } from '../core/random';
import type { Candidate } from './learners';

/**
 * Successive halving (Jamieson & Talwalkar 2016, "Non-stochastic best arm identification and
 * hyperparameter optimization"; the rung layout of Hyperband, Li et al. 2018, JMLR 18(185)):
 * evaluate many configurations on a small resource, keep the best 1/η, multiply the resource by
 * η, repeat until the survivors get the full resource. Here the resource is the number of
 * training rows (it applies to every learner; boosting iterations would only help trees).
 */

/** Default reduction factor. */
export const HALVING_ETA = 3;
/** At most this many rungs (so the first rung sees ≥ 1/η² of the rows). */
export const HALVING_MAX_RUNGS = 3;
/** Fewest rows per fold a rung evaluates on (a smaller rung is dropped). */
export const HALVING_MIN_ROWS_PER_FOLD = 20;

/** One rung of a bracket: how many rows its evaluations used and what they scored. */
export interface HalvingRung {
  /** Rows of the table the rung cross-validated on (the last rung: all of them). */
  readonly rows: number;
  /** Indices into `configurations` evaluated at this rung. */
  readonly evaluated: readonly number[];
  /** Mean CV score of each evaluated configuration (same order; −∞ when not evaluated). */
  readonly scores: readonly number[];
  /** Indices promoted to the next rung (best first); empty on the last rung. */
  readonly promoted: readonly number[];
}

export interface HalvingBracket {
  readonly eta: number;
  /** Every configuration drawn for the bracket. */
  readonly configurations: readonly Candidate[];
  readonly rungs: readonly HalvingRung[];
  /** Leaderboard ids of the survivors evaluated on all rows. */
  readonly leaderboardIds: readonly number[];
}

/**
 * Rows per rung, smallest first, ending at nRows: nRows / η^(R−1), …, nRows / η, nRows, with
 * as many rungs (≤ maxRungs) as keep ≥ minRowsPerFold rows in every test fold.
 */
export function rungSizes(
  nRows: number,
  folds: number,
  eta: number,
  maxRungs = HALVING_MAX_RUNGS,
): number[] {
  const sizes = [nRows];
  while (sizes.length < maxRungs) {
    const next = Math.floor(sizes[0] / eta);
    if (next < HALVING_MIN_ROWS_PER_FOLD * folds) break;
    sizes.unshift(next);
  }
  return sizes;
}

/**
 * The rows of each rung: nested prefixes of one seeded permutation (a larger rung sees every
 * row of the smaller ones), returned as a membership mask per rung.
 */
export function rungMasks(nRows: number, sizes: readonly number[], seed: number): Uint8Array[] {
  const order = new Random(seed ^ 0x5eed).shuffle(Int32Array.from({ length: nRows }, (_, i) => i));
  return sizes.map((size) => {
    const mask = new Uint8Array(nRows);
    for (let i = 0; i < size; i++) mask[order[i]] = 1;
    return mask;
  });
}

/** The folds restricted to the rows in `mask` (so every rung uses the same split). */
export function foldsWithin(folds: readonly Fold[], mask: Uint8Array): Fold[] {
  return folds.map((f) => ({
    train: f.train.filter((i) => mask[i] === 1),
    test: f.test.filter((i) => mask[i] === 1),
  }));
}

/** Indices of the `count` best scores, best first (ties: lower index first). */
export function topIndices(
  indices: readonly number[],
  scores: readonly number[],
  count: number,
): number[] {
  return indices
    .map((index, i) => ({ index, score: scores[i] }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, count)
    .map((e) => e.index);
}

/** Configurations per rung for `survivors` on the last rung: survivors · η^(R−1−r). */
export function rungCounts(survivors: number, rungs: number, eta: number): number[] {
  return Array.from({ length: rungs }, (_, r) => survivors * eta ** (rungs - 1 - r));
}
