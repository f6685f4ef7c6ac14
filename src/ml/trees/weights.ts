import { InvalidTrainingInputError } from './types';

/** 'balanced' = n / (k · count_c) as in scikit-learn, or explicit weights per class index. */
export type ClassWeight = 'balanced' | readonly number[];

/**
 * Combines sample weights and class weights into one weight per row (undefined when all 1).
 */
export function rowWeights(
  y: Float64Array,
  nClasses: number,
  sampleWeight?: Float64Array,
  classWeight?: ClassWeight,
): Float64Array | undefined {
  if (!sampleWeight && !classWeight) return undefined;
  const n = y.length;
  if (sampleWeight && sampleWeight.length !== n) {
    throw new InvalidTrainingInputError(
      `sampleWeight has ${sampleWeight.length} rows, expected ${n}`,
    );
  }
  const w = sampleWeight ? Float64Array.from(sampleWeight) : new Float64Array(n).fill(1);
  if (classWeight) {
    let perClass: number[];
    if (classWeight === 'balanced') {
      const counts = new Float64Array(nClasses);
      for (let i = 0; i < n; i++) counts[y[i]]++;
      perClass = Array.from(counts, (c) => (c > 0 ? n / (nClasses * c) : 0));
    } else {
      perClass = [...classWeight];
    }
    for (let i = 0; i < n; i++) w[i] *= perClass[y[i]] ?? 1;
  }
  for (let i = 0; i < n; i++) {
    if (!(w[i] >= 0) || !Number.isFinite(w[i])) {
      throw new InvalidTrainingInputError(
        `weight of row ${i} is ${w[i]}; weights must be finite and >= 0`,
      );
    }
  }
  return w;
}
