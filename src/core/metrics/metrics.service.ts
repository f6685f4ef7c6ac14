import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { JobsService } from '../jobs/jobs.service';
import { WorkerPresence } from '../jobs/worker-presence';
import { DEPENDENCIES, DependencyPolicies } from '../resilience/dependency-policies';
import { JobDurationStore } from './job-duration-store';

const BREAKER_STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * The Prometheus registry of the API process. Labels are bounded (method, route template,
 * status, kind, state, queue, dependency): never a user or resource id.
 */
@Injectable()
export class MetricsService {
  private readonly logger = new Logger(MetricsService.name);
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly inFlight: Gauge;

  constructor(
    private readonly policies: DependencyPolicies,
    private readonly jobs: JobsService,
    private readonly durations: JobDurationStore,
    private readonly workers: WorkerPresence,
    @InjectConnection() private readonly mongo: Connection,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.inFlight = new Gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests being served now.',
      registers: [this.registry],
    });
    const policiesRef = this.policies;
    new Gauge({
      name: 'narrativeml_circuit_breaker_state',
      help: 'Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open.',
      labelNames: ['dependency'],
      registers: [this.registry],
      collect() {
        for (const dependency of DEPENDENCIES)
          this.set({ dependency }, BREAKER_STATE_VALUE[policiesRef.state(dependency)]);
      },
    });
    const jobCounts = () => this.jobCounts();
    const queueDepths = () => this.jobs.queueDepths();
    const liveWorkers = () => this.workers.count();
    new Gauge({
      name: 'narrativeml_jobs',
      help: 'Background jobs by kind and state.',
      labelNames: ['kind', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await jobCounts())
          this.set({ kind: row.kind, state: row.state }, row.count);
      },
    });
    new Gauge({
      name: 'narrativeml_queue_jobs',
      help: 'Jobs in each BullMQ queue by state.',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const depths: Record<string, Record<string, number>> = await queueDepths().catch(
          () => ({}),
        );
        for (const [queue, counts] of Object.entries(depths)) {
          for (const [state, count] of Object.entries(counts)) this.set({ queue, state }, count);
        }
      },
    });
    new Gauge({
      name: 'narrativeml_worker_up',
      help: 'Workers that sent a heartbeat recently.',
      registers: [this.registry],
      async collect() {
        this.set(await liveWorkers());
      },
    });
  }

  async render(): Promise<string> {
    const [own, durations] = await Promise.all([
      this.registry.metrics(),
      this.durations.render().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'job durations unavailable');
        return '';
      }),
    ]);
    return `${own}\n${durations}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async jobCounts(): Promise<{ kind: string; state: string; count: number }[]> {
    const db = this.mongo.db;
    if (!db) return [];
    // $group with $sum is within the FerretDB-portable subset (FERRETDB.md).
    const rows = await db
      .collection('jobs')
      .aggregate<{ _id: { kind: string; state: string }; count: number }>([
        { $group: { _id: { kind: '$kind', state: '$state' }, count: { $sum: 1 } } },
      ])
      .toArray();
    return rows.map((row) => ({ kind: row._id.kind, state: row._id.state, count: row.count }));
  }
}
