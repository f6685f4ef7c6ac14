import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { Observable } from 'rxjs';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../config/app-config.service';
import { NotFoundError } from '../errors/app-error';
import { REDIS } from '../redis/redis.module';
import { RedisKeyspace } from '../redis/redis-keyspace';
import {
  isTerminal,
  JOB_QUEUES,
  type JobKind,
  type JobPayloads,
  type JobState,
  QueueName,
} from './job-catalogue';
import type { JobLog } from './job.schema';
import { JobFinishedError, QueueUnavailableError, TooManyJobsError } from './jobs.errors';
import { type JobView, JobsRepository } from './jobs.repository';
import { producerConnection, queuePrefix } from './queue-connection';

export interface JobOwnerScope {
  /** The caller's id; undefined for admins, who see every job. */
  ownerId?: string;
}

const EVENT_POLL_MS = 250;

/** The producer side of the job system: enqueue, read, cancel, follow. Used by the API and domains. */
@Injectable()
export class JobsService implements OnApplicationShutdown {
  private readonly logger = new Logger(JobsService.name);
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly jobs: JobsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  /**
   * Records and queues a job. With `jobId`, enqueueing is idempotent: the existing job is
   * returned. Refuses with 429 when the owner already has too many unfinished jobs.
   */
  async enqueue<K extends JobKind>(
    kind: K,
    ownerId: string,
    payload: JobPayloads[K],
    options: { jobId?: string } = {},
  ): Promise<JobView> {
    if (options.jobId) {
      const existing = await this.jobs.find(options.jobId);
      if (existing) return existing;
    }
    const limit = this.config.jobs.maxUnfinishedPerUser;
    if ((await this.jobs.countUnfinished(ownerId)) >= limit) throw new TooManyJobsError(limit);
    const id = options.jobId ?? randomUUID();
    const now = new Date();
    await this.jobs.insert({
      _id: id,
      ownerId,
      kind,
      state: 'queued',
      stage: 'queued',
      progress: 0,
      payload,
      attempts: 0,
      cancelRequested: false,
      createdAt: now,
      updatedAt: now,
    });
    try {
      await this.queue(JOB_QUEUES[kind]).add(kind, payload, {
        jobId: id,
        attempts: this.config.jobs.attempts,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    } catch (error) {
      // Never leave a queued record that no worker will ever see.
      await this.jobs.transition(id, ['queued'], {
        $set: {
          state: 'failed',
          finishedAt: new Date(),
          error: { reason: 'the job could not be queued', code: 'queue-unavailable' },
        },
      });
      throw new QueueUnavailableError(error);
    }
    return (await this.jobs.find(id))!;
  }

  async get(scope: JobOwnerScope, id: string): Promise<JobView> {
    const job = await this.jobs.find(id, scope.ownerId);
    if (!job) throw new NotFoundError('job', id);
    return job;
  }

  list(
    scope: JobOwnerScope,
    filter: { kind?: JobKind; state?: JobState },
    offset: number,
    limit: number,
  ) {
    return this.jobs.list({ ...filter, ownerId: scope.ownerId }, offset, limit);
  }

  async logs(
    scope: JobOwnerScope,
    id: string,
    offset: number,
    limit: number,
  ): Promise<{ items: JobLog[]; total: number }> {
    await this.get(scope, id);
    return this.jobs.listLogs(id, offset, limit);
  }

  /**
   * Cancels a job: a queued one is removed from its queue at once; a running one is told through
   * Redis and stops at its next checkpoint, ending as `cancelled`.
   */
  async cancel(scope: JobOwnerScope, id: string): Promise<JobView> {
    const job = await this.get(scope, id);
    if (isTerminal(job.state)) throw new JobFinishedError(id, job.state);
    await this.jobs.transition(id, ['queued', 'active'], {
      $set: { cancelRequested: true, stage: 'cancelling' },
    });
    const queued = await this.queue(JOB_QUEUES[job.kind]).getJob(id);
    if (queued && ((await queued.isWaiting()) || (await queued.isDelayed()))) {
      try {
        await queued.remove();
        await this.jobs.transition(id, ['queued'], {
          $set: { state: 'cancelled', stage: 'cancelled', finishedAt: new Date() },
        });
      } catch {
        // A worker took it meanwhile: it sees cancelRequested when it starts.
      }
    }
    await this.redis.publish(this.keyspace.key('jobs', 'cancel'), id);
    return this.get(scope, id);
  }

  /** Server-sent events of a job's progress and state, ending when the job ends. */
  events(scope: JobOwnerScope, id: string): Observable<{ type: string; data: JobView }> {
    return new Observable((subscriber) => {
      let last = '';
      let stopped = false;
      const tick = async (): Promise<void> => {
        if (stopped) return;
        try {
          const job = await this.get(scope, id);
          const fingerprint = `${job.state}|${job.progress}|${job.stage}`;
          if (fingerprint !== last) {
            last = fingerprint;
            subscriber.next({ type: isTerminal(job.state) ? 'end' : 'progress', data: job });
          }
          if (isTerminal(job.state)) {
            subscriber.complete();
            return;
          }
          setTimeout(() => void tick(), EVENT_POLL_MS);
        } catch (error) {
          subscriber.error(error);
        }
      };
      void tick();
      return () => {
        stopped = true;
      };
    });
  }

  private queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: producerConnection(this.config),
        prefix: queuePrefix(this.config),
      });
      queue.on('error', (error) => this.logger.warn({ err: error, queue: name }, 'queue error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Waiting, active and delayed counts per queue (for metrics). */
  async queueDepths(): Promise<Record<string, Record<string, number>>> {
    const result: Record<string, Record<string, number>> = {};
    for (const name of Object.values(QueueName)) {
      result[name] = await this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed');
    }
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}
