import { SetMetadata } from '@nestjs/common';

export type RateLimitGroupName = 'default' | 'auth' | 'prediction' | 'execution';
export const RATE_LIMIT_GROUP = 'rate-limit:group';

/** Puts a controller or route in a rate-limit budget of its own (default: `default`). */
export const RateLimitGroup = (group: RateLimitGroupName): MethodDecorator & ClassDecorator =>
  SetMetadata(RATE_LIMIT_GROUP, group);
