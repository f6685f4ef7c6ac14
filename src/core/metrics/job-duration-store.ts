import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { RedisKeyspace } from '../redis/redis-keyspace';

/** Upper bounds (seconds) of the job duration histogram buckets. */
export const JOB_DURATION_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600];

export type JobOutcome = 'completed' | 'failed' | 'cancelled';

/**
 * Job durations are observed in the worker but exposed by the API's /metrics, so the histogram
 * lives in Redis: one hash per kind and outcome with a counter per bucket, the sum and the count.
 */
@Injectable()
export class JobDurationStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  private key(kind: string, outcome: string): string {
    return this.keyspace.key('metrics', 'job-duration', kind, outcome);
  }

  async observe(kind: string, outcome: JobOutcome, seconds: number): Promise<void> {
    const bucket = JOB_DURATION_BUCKETS.find((bound) => seconds <= bound);
    const key = this.key(kind, outcome);
    await this.redis
      .multi()
      .hincrby(key, bucket === undefined ? '+Inf' : String(bucket), 1)
      .hincrbyfloat(key, 'sum', seconds)
      .hincrby(key, 'count', 1)
      .exec();
  }

  /** Prometheus text for `narrativeml_job_duration_seconds`. */
  async render(): Promise<string> {
    const name = 'narrativeml_job_duration_seconds';
    const lines = [
      `# HELP ${name} Run time of finished background jobs.`,
      `# TYPE ${name} histogram`,
    ];
    const prefix = this.keyspace.key('metrics', 'job-duration', '');
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    for (const key of keys.sort()) {
      const [kind, outcome] = key.slice(prefix.length).split(':');
      const values = await this.redis.hgetall(key);
      const labels = `kind="${kind}",outcome="${outcome}"`;
      let cumulative = 0;
      for (const bound of JOB_DURATION_BUCKETS) {
        cumulative += Number(values[String(bound)] ?? 0);
        lines.push(`${name}_bucket{${labels},le="${bound}"} ${cumulative}`);
      }
      cumulative += Number(values['+Inf'] ?? 0);
      lines.push(`${name}_bucket{${labels},le="+Inf"} ${cumulative}`);
      lines.push(`${name}_sum{${labels}} ${Number(values.sum ?? 0)}`);
      lines.push(`${name}_count{${labels}} ${Number(values.count ?? 0)}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
