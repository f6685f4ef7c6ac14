import type { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

export type ComponentStatus = 'up' | 'down' | 'not_configured';

export class ProbeTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/** Resolves with the work's result, or rejects once `ms` have passed (the work is abandoned). */
export async function withTimeout<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new ProbeTimeoutError(ms));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs one dependency check with its own timeout and reports status and latency. A non-critical
 * component that is down is reported as such without failing readiness (`componentStatus`).
 */
export async function probe(
  indicators: HealthIndicatorService,
  key: string,
  options: { timeoutMs: number; critical: boolean },
  check: (signal: AbortSignal) => Promise<unknown>,
): Promise<HealthIndicatorResult> {
  const session = indicators.check(key);
  const started = performance.now();
  try {
    await withTimeout(options.timeoutMs, check);
    return session.up({
      componentStatus: 'up',
      latency_ms: elapsed(started),
      critical: options.critical,
    });
  } catch (error) {
    const details = {
      componentStatus: 'down' as ComponentStatus,
      latency_ms: elapsed(started),
      critical: options.critical,
      error: error instanceof Error ? error.message : String(error),
    };
    return options.critical ? session.down(details) : session.up(details);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
