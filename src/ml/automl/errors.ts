/** What AutoML predicted a run would cost before starting it. */
export interface AutoMlEstimate {
  /** Predicted wall-clock time of the smallest useful run (see estimateRun in cost-model.ts). */
  readonly minimumMs: number;
  /** Predicted peak memory of the run in bytes (data, fold copies, learners, kept predictions). */
  readonly memoryBytes: number;
  /** Predicted time of one cross-validation pass of each learner's default candidate. */
  readonly perLearnerMs: Readonly<Record<string, number>>;
}

export enum AutoMlRefusalReason {
  BudgetTooSmall = 'budget-too-small',
  MemoryLimit = 'memory-limit',
}

/**
 * Thrown before any training when the request cannot be honoured: the minimum useful search
 * does not fit in the time budget, or the predicted memory exceeds `maxMemoryBytes`.
 */
export class AutoMlRefusedError extends Error {
  constructor(
    readonly reason: AutoMlRefusalReason,
    readonly estimate: AutoMlEstimate,
    message: string,
  ) {
    super(message);
    this.name = 'AutoMlRefusedError';
  }
}
