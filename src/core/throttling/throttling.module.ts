import { type ExecutionContext, Module } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule, seconds } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type Redis from 'ioredis';
import { AppConfigService } from '../config';
import { REDIS } from '../redis/redis.module';
import { RedisKeyspace } from '../redis/redis-keyspace';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { RATE_LIMIT_GROUP, type RateLimitGroupName } from './rate-limit-group.decorator';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfigService, REDIS, RedisKeyspace, Reflector],
      useFactory: (
        config: AppConfigService,
        redis: Redis,
        keyspace: RedisKeyspace,
        reflector: Reflector,
      ) => {
        const limits = config.get('rateLimit');
        const ttl = seconds(limits.ttlSeconds);
        const groupOf = (context: ExecutionContext): RateLimitGroupName =>
          reflector.getAllAndOverride<RateLimitGroupName | undefined>(RATE_LIMIT_GROUP, [
            context.getHandler(),
            context.getClass(),
          ]) ?? 'default';
        const budget = (name: RateLimitGroupName, limit: number) => ({
          name,
          limit,
          ttl,
          // A route counts only against the budget of its own group.
          skipIf: (context: ExecutionContext) => groupOf(context) !== name,
          // One counter per budget and caller, shared by every route of the group and every instance.
          generateKey: (_context: ExecutionContext, tracker: string) =>
            keyspace.key('rate', name, tracker),
          // Signed-in callers are counted per user, anonymous ones per client address.
          getTracker: (req: Record<string, unknown>) => {
            const user = req.user as AuthenticatedUser | undefined;
            return user ? `user:${user.id}` : `ip:${String(req.ip)}`;
          },
        });
        return {
          throttlers: [
            budget('default', limits.default),
            budget('auth', limits.auth),
            budget('prediction', limits.prediction),
            budget('execution', limits.execution),
          ],
          storage: new ThrottlerStorageRedisService(redis),
        };
      },
    }),
  ],
})
export class ThrottlingModule {}
