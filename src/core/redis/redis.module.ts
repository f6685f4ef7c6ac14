import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfigService } from '../config';
import { RedisKeyspace } from './redis-keyspace';

export const REDIS = Symbol('REDIS');

/**
 * One shared ioredis client for request-path work (rate limits, token revocation, health).
 * Producers fail fast: no offline queue, so a Redis outage surfaces as an error at once.
 */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) =>
        new Redis(config.get('redis').url, {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: 2000,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        }),
    },
    RedisKeyspace,
  ],
  exports: [REDIS, RedisKeyspace],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
