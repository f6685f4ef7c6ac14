/**
 * The typed catalogue of background work: every job kind, the queue it runs on and its payload.
 * `JobsService.enqueue('system.probe', ownerId, { steps: 3, stepMs: 100 })` is type-checked
 * against this map, and the worker asserts at boot that each kind has exactly one handler. Later
 * domains (training, scoring, drift, schedules) add their kinds here with their handlers.
 */
export enum QueueName {
  Datasets = 'datasets',
  Training = 'training',
  Scoring = 'scoring',
  Monitoring = 'monitoring',
  System = 'system',
}

export interface JobPayloads {
  /** Typing, columnar copy, content hash and profile of an uploaded dataset version. */
  'dataset.process': { datasetId: string; versionId: string };
  /** Runs a validated pipeline over a whole version and stores the result as a new version. */
  'transformation.apply': { runId: string };
  /** Rebuilds a version from its root and the recorded pipelines; compares content hashes. */
  'lineage.reproduce': { reproductionId: string };
  /**
   * A diagnostic job for operators and tests: works for `steps` × `stepMs` (optionally burning
   * CPU in a worker thread) and records its effect once, keyed by the job id.
   */
  'system.probe': {
    steps: number;
    stepMs: number;
    cpu?: boolean;
    failWith?: string;
    effectKey?: string;
  };
}

export type JobKind = keyof JobPayloads;

export const JOB_QUEUES: Record<JobKind, QueueName> = {
  'dataset.process': QueueName.Datasets,
  'transformation.apply': QueueName.Datasets,
  'lineage.reproduce': QueueName.Datasets,
  'system.probe': QueueName.System,
};

export const JOB_KINDS = Object.keys(JOB_QUEUES) as JobKind[];

export const JOB_STATES = ['queued', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_STATES: readonly JobState[] = ['completed', 'failed', 'cancelled'];

export function isTerminal(state: JobState): boolean {
  return TERMINAL_STATES.includes(state);
}
