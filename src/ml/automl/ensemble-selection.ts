import type { Task } from '../core/estimator';
import type { Fold } from '../model-selection/folds';
import { averageOutputs, stackingOutOfFold } from './ensembles';
import type { EvaluatedCandidate } from './leaderboard';
import { rankEntries } from './leaderboard';
import { type AutoMlMetric, meanAndStd, outputWidth, scoreOutput, takeOutputRows } from './scoring';

export type EnsembleKind = 'soft-voting' | 'stacking' | 'blending';

/**
 * An ensemble scored on the same folds as the single candidates (soft voting, stacking), or,
 * for blending, on folds of its hold-out rows (`holdout`).
 */
export interface EnsembleEntry {
  readonly kind: EnsembleKind;
  /** Leaderboard ids of the members, best first. */
  readonly memberIds: readonly number[];
  readonly meanScore: number;
  readonly stdScore: number;
  readonly foldScores: readonly number[];
  /** Blending only: the hold-out it was scored on and the best member's score on it. */
  readonly holdout?: {
    readonly rows: number;
    readonly folds: number;
    /** The best member (fit on the same rows as the blend's members) on the same folds. */
    readonly bestSingleMeanScore: number;
    readonly bestSingleFoldScores: readonly number[];
  };
}

export interface EnsembleContext {
  readonly task: Task;
  readonly nClasses: number;
  readonly metric: AutoMlMetric;
  readonly y: Float64Array;
  readonly folds: readonly Fold[];
}

/** Scores out-of-fold outputs fold by fold, like a candidate's CV. */
export function foldScoresOf(ctx: EnsembleContext, oof: Float64Array): number[] {
  const width = outputWidth(ctx.task, ctx.nClasses);
  return ctx.folds.map((fold) =>
    scoreOutput(
      ctx.metric,
      Float64Array.from(fold.test, (i) => ctx.y[i]),
      takeOutputRows(oof, width, fold.test),
      ctx.nClasses,
    ),
  );
}

/**
 * Members: the best candidate of each learner family (diversity matters more than a second
 * draw of the same learner), best first, at most `size`.
 */
export function ensembleMembers(
  entries: readonly EvaluatedCandidate[],
  size: number,
): EvaluatedCandidate[] {
  const seen = new Set<string>();
  const members: EvaluatedCandidate[] = [];
  for (const e of rankEntries(entries)) {
    if (seen.has(e.learner) || !Number.isFinite(e.meanScore)) continue;
    seen.add(e.learner);
    members.push(e);
    if (members.length === size) break;
  }
  return members;
}

/**
 * Soft voting over the best prefix (top-2, top-3, … of the members) and stacking over all
 * members, each scored on the out-of-fold outputs (those of `kinds`; blending is scored
 * separately, see blending.ts). Returns nothing when there are fewer than two families on the
 * board.
 */
export function scoreEnsembles(
  ctx: EnsembleContext,
  members: readonly EvaluatedCandidate[],
  kinds: readonly EnsembleKind[] = ['soft-voting', 'stacking'],
): EnsembleEntry[] {
  if (members.length < 2) return [];
  let bestVoting: EnsembleEntry | undefined;
  for (let m = 2; kinds.includes('soft-voting') && m <= members.length; m++) {
    const prefix = members.slice(0, m);
    const scores = foldScoresOf(ctx, averageOutputs(prefix.map((e) => e.oof)));
    const { mean, std } = meanAndStd(scores);
    if (bestVoting === undefined || mean > bestVoting.meanScore) {
      bestVoting = {
        kind: 'soft-voting',
        memberIds: prefix.map((e) => e.id),
        meanScore: mean,
        stdScore: std,
        foldScores: scores,
      };
    }
  }
  if (!kinds.includes('stacking')) return bestVoting ? [bestVoting] : [];
  const stackOof = stackingOutOfFold(
    ctx.task,
    ctx.nClasses,
    members.map((e) => e.oof),
    ctx.y,
    ctx.folds,
  );
  const stackScores = foldScoresOf(ctx, stackOof);
  const stack = meanAndStd(stackScores);
  const stacking: EnsembleEntry = {
    kind: 'stacking',
    memberIds: members.map((e) => e.id),
    meanScore: stack.mean,
    stdScore: stack.std,
    foldScores: stackScores,
  };
  return bestVoting ? [bestVoting, stacking] : [stacking];
}
