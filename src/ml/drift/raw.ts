import { type HistogramScores, histogramScores } from './distances';
import { binCountsFor, sketchNumeric } from './sketch';

export interface RawHistogramOptions {
  /** Reference-quantile bins (default 10). */
  readonly nBins?: number;
  /** Pseudo-count for PSI and KL (default 0.5). */
  readonly alpha?: number;
}

/**
 * PSI, KL, Jensen–Shannon, Hellinger and total variation between two raw numeric samples on
 * the reference-quantile bins described in {@link sketchNumeric}. Identical to the values a
 * sketch of `ref` gives (the sketch keeps the reference bin counts).
 */
export function histogramDrift(
  ref: ArrayLike<number>,
  cur: ArrayLike<number>,
  options: RawHistogramOptions = {},
): HistogramScores {
  const sketch = sketchNumeric('ref', ref, { nBins: options.nBins, nQuantiles: 2 });
  const curCounts = binCountsFor(sketch.interiorEdges, cur);
  return histogramScores(sketch.binCounts, curCounts, options.alpha ?? 0.5);
}
