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
import { type ComponentStatus, probe } from './indicators/probe';

/** Per-dependency timeouts; the whole answer therefore comes within 5 s. */
export const PROBE_TIMEOUTS_MS = { mongodb: 2000, redis: 2000, s3: 2000, openai: 3000 } as const;

export interface ComponentReport {
  status: ComponentStatus;
  critical: boolean;
  latency_ms?: number;
  error?: string;
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
            const response = await fetch(
              new URL('models', `${openai.baseUrl!.replace(/\/$/, '')}/`),
              {
                headers: openai.apiKey ? { Authorization: `Bearer ${openai.apiKey}` } : {},
                signal,
              },
            );
            if (!response.ok) throw new Error(`GET /models answered ${response.status}`);
          },
        ),
      );
    }
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
    if (!openai.baseUrl)
      components.openai = { status: 'not_configured', critical: critical.has('openai') };
    const failed = Object.values(components).some((c) => c.critical && c.status !== 'up');
    return { status: failed ? 'error' : 'ok', components };
  }
}
