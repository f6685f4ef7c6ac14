import type { Candidate, CandidateParams, LearnerName } from './learners';

/** One evaluated candidate. */
export interface LeaderboardEntry {
  /** Evaluation order (0-based), stable across reproducible runs. */
  readonly id: number;
  readonly learner: LearnerName;
  readonly params: CandidateParams;
  readonly preprocessing: 'native' | 'design';
  /** Mean and population std of the per-fold scores (higher is better). */
  readonly meanScore: number;
  readonly stdScore: number;
  readonly foldScores: readonly number[];
  /** Wall-clock time of the k fits and fold predictions (not reproducible, informative). */
  readonly fitTimeMs: number;
  /** True when a deadline cut a tree learner short in some fold. */
  readonly truncated: boolean;
}

/** A leaderboard entry plus what ensembling needs. */
export interface EvaluatedCandidate extends LeaderboardEntry {
  readonly candidate: Candidate;
  /** Out-of-fold outputs, row-major n × width (probabilities or predictions). */
  readonly oof: Float64Array;
  /** Measured mean time of one fold's fit, for predicting the refit. */
  readonly foldFitMs: number;
}

/** Best first; ties keep evaluation order so the ranking is deterministic. */
export function rankEntries<T extends LeaderboardEntry>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => b.meanScore - a.meanScore || a.id - b.id);
}

/** Public view of an entry (drops the out-of-fold arrays). */
export function publicEntry(e: EvaluatedCandidate): LeaderboardEntry {
  return {
    id: e.id,
    learner: e.learner,
    params: e.params,
    preprocessing: e.preprocessing,
    meanScore: e.meanScore,
    stdScore: e.stdScore,
    foldScores: e.foldScores,
    fitTimeMs: e.fitTimeMs,
    truncated: e.truncated,
  };
}
