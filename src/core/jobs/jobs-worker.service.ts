import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import type { AppConfig } from '../config';
import { APP_CONFIG } from '../config/app-config.service';
import { RedisKeyspace } from '../redis/redis-keyspace';
import { JOB_KINDS, JOB_QUEUES, type JobKind, QueueName } from './job-catalogue';
import { JOB_HANDLER_KIND, type JobHandler } from './job-handler';
import { runJob } from './job-runner';
import { JobsRepository } from './jobs.repository';
import { JobDurationStore } from '../metrics/job-duration-store';
import { queuePrefix, workerConnection } from './queue-connection';

/**
 * The consumer side, in the worker process: one BullMQ worker per queue, dispatching each job to
 * the handler of its kind. Stalled jobs (their worker died) are picked up again by BullMQ's
 * stalled-job check; cancellations arrive over Redis pub/sub.
 */
@Injectable()
export class JobsWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobsWorkerService.name);
  private readonly workers: Worker[] = [];
  private readonly running = new Map<string, AbortController>();
  private subscriber?: Redis;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly jobs: JobsRepository,
    private readonly keyspace: RedisKeyspace,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly durations: JobDurationStore,
  ) {}

  /** Every kind in the catalogue must have exactly one handler. */
  discoverHandlers(): Map<JobKind, JobHandler<JobKind>> {
    const handlers = new Map<JobKind, JobHandler<JobKind>>();
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const kind = this.reflector.get<JobKind | undefined>(JOB_HANDLER_KIND, wrapper.metatype);
      if (!kind) continue;
      if (handlers.has(kind)) throw new Error(`job kind ${kind} has more than one handler`);
      handlers.set(kind, wrapper.instance as JobHandler<JobKind>);
    }
    const missing = JOB_KINDS.filter((kind) => !handlers.has(kind));
    if (missing.length > 0) throw new Error(`job kinds without a handler: ${missing.join(', ')}`);
    return handlers;
  }

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.discoverHandlers();
    this.subscriber = new Redis(this.config.redis.url, { maxRetriesPerRequest: null });
    const channel = this.keyspace.key('jobs', 'cancel');
    await this.subscriber.subscribe(channel);
    this.subscriber.on('message', (_channel: string, id: string) => this.running.get(id)?.abort());

    const register = (id: string, controller: AbortController) => {
      this.running.set(id, controller);
      return () => this.running.delete(id);
    };
    for (const queue of Object.values(QueueName)) {
      const kinds = JOB_KINDS.filter((kind) => JOB_QUEUES[kind] === queue);
      if (kinds.length === 0) continue;
      const worker = new Worker(
        queue,
        async (job) => {
          const handler = handlers.get(job.name as JobKind);
          if (!handler) throw new Error(`no handler for ${job.name}`);
          await runJob(job, handler, this.jobs, register, (kind, outcome, seconds) =>
            this.durations.observe(kind, outcome, seconds),
          );
        },
        {
          connection: workerConnection(this.config),
          prefix: queuePrefix(this.config),
          concurrency: this.config.jobs.workerConcurrency,
          lockDuration: this.config.jobs.lockDurationMs,
          stalledInterval: this.config.jobs.stalledIntervalMs,
          maxStalledCount: 2,
        },
      );
      worker.on('failed', (job, error) => {
        // A job that stalled too often never reached runJob's catch: record why it failed.
        if (job && /stalled/i.test(error.message)) {
          void this.jobs.transition(job.id!, ['queued', 'active'], {
            $set: {
              state: 'failed',
              stage: 'failed',
              finishedAt: new Date(),
              error: { reason: error.message },
            },
          });
        }
      });
      worker.on('error', (error) => this.logger.warn({ err: error, queue }, 'worker error'));
      this.workers.push(worker);
    }
    this.logger.log(`processing ${JOB_KINDS.join(', ')}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.subscriber?.disconnect();
  }
}
