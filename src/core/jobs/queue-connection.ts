import type { ConnectionOptions } from 'bullmq';
import type { AppConfig } from '../config';

/**
 * BullMQ connection settings. Producers (the API) fail fast when Redis is down; workers retry
 * the connection forever (BullMQ's production guide). Redis must run with
 * maxmemory-policy noeviction or queued jobs can silently disappear.
 */
export function producerConnection(config: AppConfig): ConnectionOptions {
  return {
    url: config.redis.url,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  };
}

export function workerConnection(config: AppConfig): ConnectionOptions {
  return {
    url: config.redis.url,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(1000 * 2 ** Math.min(attempt, 5), 20_000),
  };
}

export function queuePrefix(config: AppConfig): string {
  return `${config.redis.keyPrefix}:bull`;
}
