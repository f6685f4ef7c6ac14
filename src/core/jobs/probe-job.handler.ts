import { Worker as Thread } from 'node:worker_threads';
import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { UnrecoverableError } from 'bullmq';
import type { Connection } from 'mongoose';
import { isDuplicateKeyError } from '../database/migration-runner';
import { HandlesJob, type JobContext, type JobHandler } from './job-handler';

/** Burns CPU for `ms` in a worker thread, so the worker's event loop keeps renewing job locks. */
function burnCpuInThread(ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const thread = new Thread(
      'const end = Date.now() + require("node:worker_threads").workerData; let x = 0; while (Date.now() < end) { x += Math.sqrt(x + 1); }',
      { eval: true, workerData: ms },
    );
    thread.once('exit', () => resolve());
    thread.once('error', reject);
  });
}

/**
 * The `system.probe` job: a diagnostic that works in steps with checkpoints and applies one
 * effect, keyed by the job id, exactly once however often it is retried.
 */
@Injectable()
@HandlesJob('system.probe')
export class ProbeJobHandler implements JobHandler<'system.probe'> {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async handle(context: JobContext<'system.probe'>): Promise<{ effect: string }> {
    const { steps, stepMs, cpu, failWith, effectKey } = context.payload;
    if (failWith === 'bad-input')
      throw new UnrecoverableError('the probe was asked to fail permanently');
    for (let step = 0; step < steps; step++) {
      await context.checkpoint();
      if (cpu) await burnCpuInThread(stepMs);
      else await new Promise((resolve) => setTimeout(resolve, stepMs));
      await context.progress((step + 1) / steps, `step ${step + 1} of ${steps}`);
    }
    if (failWith) throw new Error(failWith);
    const key = effectKey ?? context.id;
    try {
      await this.connection.collection('probe_effects').insertOne({
        _id: key as never,
        jobId: context.id,
        attempt: context.attempt,
        at: new Date(),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await context.log('effect already applied by an earlier attempt');
    }
    return { effect: key };
  }
}
