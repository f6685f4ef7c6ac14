import { SetMetadata } from '@nestjs/common';
import type { JobKind, JobPayloads } from './job-catalogue';
import type { JobResultLinks } from './job.schema';

export const JOB_HANDLER_KIND = 'jobs:handler-kind';

/** What a handler gets: its payload, a cancellation signal, and ways to report and check in. */
export interface JobContext<K extends JobKind> {
  readonly id: string;
  readonly kind: K;
  readonly ownerId: string;
  readonly payload: JobPayloads[K];
  /** 1 on the first run, 2 on the first retry… */
  readonly attempt: number;
  /** Aborted when a user cancels the job; pass it to long operations. */
  readonly signal: AbortSignal;
  /** Reports progress in [0, 1] and optionally the stage in words. */
  progress(fraction: number, stage?: string): Promise<void>;
  log(message: string, level?: 'info' | 'warn' | 'error'): Promise<void>;
  /** Throws JobCancelledError when the job has been cancelled: call it between units of work. */
  checkpoint(): Promise<void>;
}

/**
 * A processor of one job kind. Handlers must be idempotent: a retried job (after a crash or an
 * error) runs again from the start and must not duplicate its effects.
 */
export interface JobHandler<K extends JobKind> {
  handle(context: JobContext<K>): Promise<JobResultLinks | void>;
}

/** Marks a provider as the handler of a job kind; the worker discovers it at boot. */
export const HandlesJob = (kind: JobKind): ClassDecorator => SetMetadata(JOB_HANDLER_KIND, kind);

export class JobCancelledError extends Error {
  constructor() {
    super('the job was cancelled');
    this.name = 'JobCancelledError';
  }
}
