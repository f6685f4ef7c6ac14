import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { RedisKeyspace } from '../redis/redis-keyspace';

export const WORKER_HEARTBEAT_INTERVAL_MS = 5000;
/** A worker that has not beaten for this long is considered gone. */
export const WORKER_HEARTBEAT_TTL_SECONDS = 15;

/** Announces this worker in Redis so readiness can report whether any worker is alive. */
@Injectable()
export class WorkerHeartbeat implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerHeartbeat.name);
  private readonly id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  private get key(): string {
    return this.keyspace.key('workers', 'heartbeat', this.id);
  }

  onApplicationBootstrap(): void {
    const beat = (): void => {
      this.redis
        .set(this.key, new Date().toISOString(), 'EX', WORKER_HEARTBEAT_TTL_SECONDS)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'heartbeat failed'));
    };
    beat();
    this.timer = setInterval(beat, WORKER_HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
    this.logger.log(`worker ${this.id} started`);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.redis.del(this.key).catch(() => undefined);
  }
}
