import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  BrokenCircuitError,
  circuitBreaker,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  type IPolicy,
  retry,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import type { AppConfig, DependencyPolicyConfig } from '../config';
import { APP_CONFIG } from '../config/app-config.service';
import { AppError } from '../errors/app-error';

export const DEPENDENCIES = ['s3', 'openai'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];
export type BreakerState = 'closed' | 'half-open' | 'open';

export class DependencyUnavailableError extends AppError {
  constructor(dependency: Dependency, retryAfterSeconds: number, cause?: unknown) {
    super(
      'unavailable',
      'dependency-unavailable',
      'A service this request needs is unavailable',
      `${dependency === 's3' ? 'Object storage' : 'The language model service'} is not answering; requests are failing fast until it recovers. Retry in ${retryAfterSeconds} s.`,
      { cause, headers: { 'Retry-After': String(retryAfterSeconds) }, extensions: { dependency } },
    );
  }
}

interface DependencyGuard {
  breaker: CircuitBreakerPolicy;
  /** timeout → retry (not when the breaker is open) → breaker. */
  full: IPolicy;
  /** The same without retry, for calls whose input cannot be replayed (streams). */
  once: IPolicy;
  config: DependencyPolicyConfig;
}

/**
 * cockatiel policies per remote dependency: each call has a timeout, failed calls are retried
 * with exponential backoff and jitter, and consecutive failures open a circuit breaker so calls
 * fail fast (no retry storm) until a trial call after `halfOpenAfterMs` succeeds.
 */
@Injectable()
export class DependencyPolicies {
  private readonly logger = new Logger(DependencyPolicies.name);
  private readonly guards = new Map<Dependency, DependencyGuard>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    for (const dependency of DEPENDENCIES) {
      const settings = config.resilience[dependency];
      const breaker = circuitBreaker(handleWhen(isDependencyFailure), {
        halfOpenAfter: settings.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(settings.breakerFailures),
      });
      breaker.onStateChange((state) =>
        this.logger.warn(`${dependency} circuit breaker ${describe(state)}`),
      );
      const retryPolicy = retry(
        handleWhen((error) => !(error instanceof BrokenCircuitError) && isDependencyFailure(error)),
        {
          maxAttempts: settings.retries,
          backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2000 }),
        },
      );
      const timeoutPolicy = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);
      this.guards.set(dependency, {
        breaker,
        full: wrap(retryPolicy, breaker, timeoutPolicy),
        once: wrap(breaker, timeoutPolicy),
        config: settings,
      });
    }
  }

  /** Runs a call to a dependency under its policies; an open breaker becomes a 503 problem. */
  async execute<T>(
    dependency: Dependency,
    call: (signal: AbortSignal) => Promise<T>,
    options: { replayable?: boolean } = {},
  ): Promise<T> {
    const guard = this.guard(dependency);
    const policy = options.replayable === false ? guard.once : guard.full;
    try {
      return await policy.execute(({ signal }) => call(signal));
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new DependencyUnavailableError(
          dependency,
          Math.ceil(guard.config.halfOpenAfterMs / 1000),
          error,
        );
      }
      throw error;
    }
  }

  state(dependency: Dependency): BreakerState {
    return describe(this.guard(dependency).breaker.state);
  }

  private guard(dependency: Dependency): DependencyGuard {
    const guard = this.guards.get(dependency);
    if (!guard) throw new Error(`unknown dependency ${dependency}`);
    return guard;
  }
}

/**
 * Whether an error says the dependency is unwell (network error, timeout, 5xx, throttling), as
 * opposed to an answer about the request itself (404 NoSuchKey, 403…), which must neither be
 * retried nor count towards opening the breaker.
 */
export function isDependencyFailure(error: Error): boolean {
  if (error instanceof AppError) return error.kind === 'unavailable';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === undefined) return true;
  return status >= 500 || status === 429;
}

function describe(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Closed:
      return 'closed';
    case CircuitState.HalfOpen:
      return 'half-open';
    case CircuitState.Open:
    case CircuitState.Isolated:
      return 'open';
  }
}
