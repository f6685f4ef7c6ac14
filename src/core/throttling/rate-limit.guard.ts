import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { AppError } from '../errors/app-error';

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, limit: number, ttlSeconds: number) {
    super(
      'rate-limited',
      'rate-limited',
      'Too many requests',
      `This budget allows ${limit} requests per ${ttlSeconds} s; retry in ${retryAfterSeconds} s.`,
      { headers: { 'Retry-After': String(retryAfterSeconds) }, extensions: { retryAfterSeconds } },
    );
  }
}

/**
 * Each route counts against exactly one named budget, shared by every route of that group and
 * every API instance (the counters live in Redis). Signed-in callers are counted per user,
 * anonymous ones per client address.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitedError(
      Math.max(1, detail.timeToBlockExpire),
      detail.limit,
      Math.round(detail.ttl / 1000),
    );
  }
}
