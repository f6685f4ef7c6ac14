import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { JobKind, JobPayloads } from './job-catalogue';
import { JobCancelledError, type JobContext, type JobHandler } from './job-handler';
import type { JobsRepository } from './jobs.repository';
import type { JobOutcome } from '../metrics/job-duration-store';

const PROGRESS_WRITE_INTERVAL_MS = 200;
const CANCEL_POLL_INTERVAL_MS = 1000;

/**
 * Runs one BullMQ job through its handler and keeps the job record true: active, progress and
 * ETA, then completed, cancelled, retrying or failed with its reason. Idempotent: a job whose
 * record is already finished is not run again.
 */
export async function runJob(
  job: Job,
  handler: JobHandler<JobKind>,
  jobs: JobsRepository,
  registerAbort: (id: string, controller: AbortController) => () => void,
  onFinished: (kind: JobKind, outcome: JobOutcome, seconds: number) => Promise<void> = async () =>
    undefined,
): Promise<void> {
  const id = job.id!;
  const record = await jobs.find(id);
  if (!record) throw new UnrecoverableError(`job ${id} has no record`);
  if (record.state === 'completed' || record.state === 'failed' || record.state === 'cancelled')
    return;
  if (record.cancelRequested) {
    await jobs.transition(id, ['queued', 'active'], {
      $set: { state: 'cancelled', stage: 'cancelled', finishedAt: new Date() },
    });
    return;
  }
  const startedAt = record.startedAt ?? new Date();
  const attempt = job.attemptsMade + 1;
  await jobs.transition(id, ['queued', 'active'], {
    $set: { state: 'active', startedAt, stage: attempt > 1 ? `retry ${attempt - 1}` : 'started' },
    $inc: { attempts: 1 },
  });

  const finished = (outcome: JobOutcome) =>
    onFinished(record.kind, outcome, (Date.now() - startedAt.getTime()) / 1000).catch(
      () => undefined,
    );
  const controller = new AbortController();
  const unregister = registerAbort(id, controller);
  let lastWrite = 0;
  let lastCancelPoll = Date.now();
  const context: JobContext<JobKind> = {
    id,
    kind: record.kind,
    ownerId: record.ownerId,
    payload: record.payload as JobPayloads[JobKind],
    attempt,
    signal: controller.signal,
    progress: async (fraction, stage) => {
      const now = Date.now();
      const bounded = Math.min(1, Math.max(0, fraction));
      if (stage === undefined && now - lastWrite < PROGRESS_WRITE_INTERVAL_MS && bounded < 1)
        return;
      lastWrite = now;
      const elapsed = now - startedAt.getTime();
      const eta = bounded > 0.01 ? new Date(startedAt.getTime() + elapsed / bounded) : undefined;
      await jobs.transition(id, ['active'], {
        $set: { progress: bounded, ...(stage ? { stage } : {}), ...(eta ? { eta } : {}) },
      });
    },
    log: (message, level = 'info') => jobs.log(id, level, message),
    checkpoint: async () => {
      if (!controller.signal.aborted && Date.now() - lastCancelPoll > CANCEL_POLL_INTERVAL_MS) {
        // The Redis notice may have been missed (a restarted worker): the record is the truth.
        lastCancelPoll = Date.now();
        if ((await jobs.find(id))?.cancelRequested) controller.abort();
      }
      if (controller.signal.aborted) throw new JobCancelledError();
    },
  };

  try {
    const result = await handler.handle(context);
    if (controller.signal.aborted) throw new JobCancelledError();
    await jobs.transition(id, ['active'], {
      $set: {
        state: 'completed',
        stage: 'completed',
        progress: 1,
        finishedAt: new Date(),
        ...(result ? { result } : {}),
      },
      $unset: { eta: 1 },
    });
    await finished('completed');
  } catch (error) {
    if (error instanceof JobCancelledError || controller.signal.aborted) {
      await jobs.log(id, 'info', 'cancelled at a checkpoint');
      await jobs.transition(id, ['active'], {
        $set: { state: 'cancelled', stage: 'cancelled', finishedAt: new Date() },
      });
      await finished('cancelled');
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    const final = error instanceof UnrecoverableError || attempt >= (job.opts.attempts ?? 1);
    await jobs.log(id, 'error', `attempt ${attempt} failed: ${reason}`);
    if (final) {
      await jobs.transition(id, ['active'], {
        $set: { state: 'failed', stage: 'failed', finishedAt: new Date(), error: { reason } },
        $unset: { eta: 1 },
      });
      await finished('failed');
    } else {
      await jobs.transition(id, ['active'], {
        $set: { state: 'queued', stage: `waiting to retry after: ${reason}` },
      });
    }
    throw error;
  } finally {
    unregister();
  }
}
