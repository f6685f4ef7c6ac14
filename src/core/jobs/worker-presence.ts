import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { RedisKeyspace } from '../redis/redis-keyspace';

/** Counts workers from the heartbeat keys they refresh every few seconds (see WorkerHeartbeat). */
@Injectable()
export class WorkerPresence {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  async count(): Promise<number> {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        this.keyspace.key('workers', 'heartbeat', '*'),
        'COUNT',
        100,
      );
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  }
}
