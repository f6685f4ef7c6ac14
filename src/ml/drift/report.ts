import type { Column, DataMatrix } from '../core/matrix';
import { MISSING_CODE } from '../core/matrix';
import { type ChiSquareResult, chiSquareFromCounts } from './categorical';
import { type HistogramScores, histogramScores } from './distances';
import {
  type AndersonDarlingResult,
  andersonFromSketch,
  ks2SampFromSketch,
  normalisedWasserstein,
  wasserstein1FromSketch,
} from './numeric';
import {
  binCountsFor,
  type CategoricalSketch,
  type NumericSketch,
  type ReferenceSketch,
} from './sketch';

/** Histogram-based scores shared by numeric (quantile bins) and categorical (levels) columns. */
export interface HistogramDrift extends HistogramScores {
  /** Share of missing values in reference and current data. */
  readonly missingRate: { readonly reference: number; readonly current: number };
}

export interface NumericDrift extends HistogramDrift {
  readonly kind: 'numeric';
  readonly name: string;
  readonly ks: { statistic: number; pValue: number; errorBound: number };
  readonly wasserstein: { value: number; errorBound: number; normalised: number };
  readonly andersonDarling: AndersonDarlingResult;
}

export interface CategoricalDrift extends HistogramDrift {
  readonly kind: 'categorical';
  readonly name: string;
  readonly chiSquare: ChiSquareResult;
  /** Current levels never seen in training, with their counts. */
  readonly unseenLevels: Record<string, number>;
}

export type ColumnDrift = NumericDrift | CategoricalDrift;

export interface DriftOptions {
  /** Pseudo-count for PSI and KL (default 0.5). */
  readonly alpha?: number;
  /** Yates' correction for 2 × 2 chi-square tables (default true, like scipy). */
  readonly yates?: boolean;
}

/**
 * Drift of a numeric column against its training sketch. PSI, KL, JS, Hellinger and TV are
 * exact (the sketch stores the reference bin counts); KS and Wasserstein come with the error
 * bounds documented on {@link ks2SampFromSketch} and {@link wasserstein1FromSketch}. Scores are
 * NaN when either side has no finite value; Anderson–Darling is NaN when both samples hold a
 * single distinct value.
 */
export function numericDrift(
  sketch: NumericSketch,
  current: ArrayLike<number>,
  options: DriftOptions = {},
): NumericDrift {
  const curCounts = binCountsFor(sketch.interiorEdges, current);
  let finite = 0;
  for (const c of curCounts) finite += c;
  const missingRate = {
    reference: sketch.missing / (sketch.count + sketch.missing),
    current: current.length === 0 ? Number.NaN : (current.length - finite) / current.length,
  };
  if (sketch.count === 0 || finite === 0) {
    // one side has no values: no distribution to compare
    const nan = Number.NaN;
    return {
      kind: 'numeric',
      name: sketch.name,
      psi: nan,
      kl: nan,
      jensenShannon: nan,
      hellinger: nan,
      totalVariation: nan,
      missingRate,
      ks: { statistic: nan, pValue: nan, errorBound: nan },
      wasserstein: { value: nan, errorBound: nan, normalised: nan },
      andersonDarling: { statistic: nan, criticalValues: new Float64Array(0), pValue: nan },
    };
  }
  const w = wasserstein1FromSketch(sketch, current);
  let andersonDarling: AndersonDarlingResult;
  try {
    andersonDarling = andersonFromSketch(sketch, current);
  } catch (error) {
    // a single distinct value across both samples: the statistic is undefined
    if (!(error instanceof RangeError)) throw error;
    andersonDarling = {
      statistic: Number.NaN,
      criticalValues: new Float64Array(0),
      pValue: Number.NaN,
    };
  }
  return {
    kind: 'numeric',
    name: sketch.name,
    ...histogramScores(sketch.binCounts, curCounts, options.alpha ?? 0.5),
    missingRate,
    ks: ks2SampFromSketch(sketch, current),
    wasserstein: { ...w, normalised: normalisedWasserstein(w.value, sketch.std) },
    andersonDarling,
  };
}

/** Drift of a categorical column (levels matched by name), all scores exact. */
export function categoricalDrift(
  sketch: CategoricalSketch,
  codes: ArrayLike<number>,
  levels: readonly string[],
  options: DriftOptions = {},
): CategoricalDrift {
  const index = new Map(sketch.levels.map((l, i) => [l, i]));
  const unseen: Record<string, number> = {};
  const extra: string[] = [];
  const cur = new Float64Array(sketch.levels.length);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === MISSING_CODE) {
      missing++;
      continue;
    }
    const name = levels[c];
    const j = index.get(name);
    if (j !== undefined) cur[j]++;
    else {
      if (!(name in unseen)) extra.push(name);
      unseen[name] = (unseen[name] ?? 0) + 1;
    }
  }
  const ref = Float64Array.from([...sketch.counts, ...extra.map(() => 0)]);
  const curAll = Float64Array.from([...cur, ...extra.map((l) => unseen[l])]);
  const missingRate = {
    reference: sketch.missing / (sketch.count + sketch.missing),
    current: codes.length === 0 ? Number.NaN : missing / codes.length,
  };
  if (sketch.count === 0 || missing === codes.length) {
    const nan = Number.NaN;
    return {
      kind: 'categorical',
      name: sketch.name,
      psi: nan,
      kl: nan,
      jensenShannon: nan,
      hellinger: nan,
      totalVariation: nan,
      missingRate,
      chiSquare: { statistic: nan, pValue: nan, dof: 0, expected: [] },
      unseenLevels: unseen,
    };
  }
  return {
    kind: 'categorical',
    name: sketch.name,
    ...histogramScores(ref, curAll, options.alpha ?? 0.5),
    missingRate,
    chiSquare: chiSquareFromCounts(ref, curAll, options.yates ?? true),
    unseenLevels: unseen,
  };
}

/** Drift of one column against its sketch. */
export function columnDrift(
  sketch: ReferenceSketch,
  column: Column,
  options: DriftOptions = {},
): ColumnDrift {
  if (sketch.kind === 'numeric') {
    if (column.kind !== 'numeric') throw new TypeError(`column "${column.name}" should be numeric`);
    return numericDrift(sketch, column.values, options);
  }
  if (column.kind !== 'categorical')
    throw new TypeError(`column "${column.name}" should be categorical`);
  return categoricalDrift(sketch, column.codes, column.levels, options);
}

/** Drift of every column of `current` against the training sketches, matched by name. */
export function driftReport(
  sketches: readonly ReferenceSketch[],
  current: DataMatrix,
  options: DriftOptions = {},
): ColumnDrift[] {
  return sketches.map((s) => {
    const column = current.columns.find((c) => c.name === s.name);
    if (!column) throw new RangeError(`current data has no column "${s.name}"`);
    return columnDrift(s, column, options);
  });
}
