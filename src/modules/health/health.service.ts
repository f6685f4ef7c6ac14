import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type Redis from 'ioredis';
import { type Connection, ConnectionStates } from 'mongoose';
import { AppConfigService } from 'src/core/config';
import { REDIS } from 'src/core/redis/redis.module';
import { WorkerPresence } from 'src/core/jobs/worker-presence';
import { type BreakerState, DependencyPolicies } from 'src/core/resilience/dependency-policies';
import { type ComponentStatus, probe } from './indicators/probe';

/** Per-dependency timeouts; the whole answer therefore comes within 5 s. */
export const PROBE_TIMEOUTS_MS = {
  mongodb: 2000,
  redis: 2000,
  s3: 2000,
  openai: 3000,
  worker: 2000,
} as const;

export interface ComponentReport {
  status: ComponentStatus;
  critical: boolean;
  latency_ms?: number;
  error?: string;
  /** Circuit-breaker state, for dependencies called through one. */
  breaker?: BreakerState;
  /** Live workers, for the worker component. */
  count?: number;
}

export interface ReadinessReport {
  status: 'ok' | 'error';
  components: Record<string, ComponentReport>;
}

@Injectable()
export class HealthService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly config: AppConfigService,
    @InjectConnection() private readonly mongo: Connection,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly s3: S3Client,
    private readonly policies: DependencyPolicies,
    private readonly workers: WorkerPresence,
  ) {}

  /** Checks every dependency in parallel; `ok` only when every critical one answers. */
  async readiness(): Promise<ReadinessReport> {
    const critical = new Set(this.config.get('health').critical);
    const openai = this.config.get('openai');
    const bucket = this.config.get('s3').bucket;
    const checks = [
      () =>
        probe(
          this.indicators,
          'mongodb',
          { timeoutMs: PROBE_TIMEOUTS_MS.mongodb, critical: critical.has('mongodb') },
          async () => {
            const db = this.mongo.db;
            if (!db || this.mongo.readyState !== ConnectionStates.connected)
              throw new Error('not connected');
            await db.command({ ping: 1 });
          },
        ),
      () =>
        probe(
          this.indicators,
          'redis',
          { timeoutMs: PROBE_TIMEOUTS_MS.redis, critical: critical.has('redis') },
          () => this.redis.ping(),
        ),
      () =>
        probe(
          this.indicators,
          's3',
          { timeoutMs: PROBE_TIMEOUTS_MS.s3, critical: critical.has('s3') },
          (signal) =>
            this.s3.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: signal }),
        ),
    ];
    if (openai.baseUrl) {
      checks.push(() =>
        probe(
          this.indicators,
          'openai',
          { timeoutMs: PROBE_TIMEOUTS_MS.openai, critical: critical.has('openai') },
          async (signal) => {
            const url = new URL('models', `${openai.baseUrl!.replace(/\/$/, '')}/`);
            const headers: Record<string, string> = openai.apiKey
              ? { Authorization: `Bearer ${openai.apiKey}` }
              : {};
            const response = await this.policies.execute('openai', () =>
              fetch(url, { headers, signal }),
            );
            if (!response.ok) throw new Error(`GET /models answered ${response.status}`);
          },
        ),
      );
    }
    let liveWorkers = 0;
    checks.push(() =>
      probe(
        this.indicators,
        'worker',
        { timeoutMs: PROBE_TIMEOUTS_MS.worker, critical: critical.has('worker') },
        async () => {
          liveWorkers = await this.workers.count();
          if (liveWorkers === 0) throw new Error('no worker has sent a heartbeat in the last 15 s');
        },
      ),
    );
    let result: HealthCheckResult;
    try {
      result = await this.health.check(checks);
    } catch (error) {
      result = (error as { getResponse?: () => HealthCheckResult }).getResponse?.() ?? {
        status: 'error',
        details: {},
      };
    }
    const components: Record<string, ComponentReport> = {};
    for (const [key, detail] of Object.entries(result.details)) {
      const {
        componentStatus,
        critical: isCritical,
        latency_ms,
        error,
      } = detail as Record<string, unknown>;
      components[key] = {
        status:
          (componentStatus as ComponentStatus | undefined) ??
          (String(detail.status) === 'up' ? 'up' : 'down'),
        critical: Boolean(isCritical),
        latency_ms: latency_ms as number | undefined,
        ...(typeof error === 'string' ? { error } : {}),
      };
    }
    if (!openai.baseUrl) {
      components.openai = { status: 'not_configured', critical: critical.has('openai') };
    }
    components.s3.breaker = this.policies.state('s3');
    components.openai.breaker = this.policies.state('openai');
    components.worker.count = liveWorkers;
    const failed = Object.values(components).some((c) => c.critical && c.status !== 'up');
    return { status: failed ? 'error' : 'ok', components };
  }
}
