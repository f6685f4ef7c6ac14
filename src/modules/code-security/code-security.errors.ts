import { AppError } from 'src/core/errors';
import type { Outcome } from './sandbox/sandbox.types';

type FailedOutcome = Exclude<Outcome, 'success'>;

const TITLES: Record<FailedOutcome, string> = {
  'syntax-error': 'The code has a syntax error',
  'runtime-error': 'The code raised an error',
  timeout: 'The code ran out of time',
  'memory-limit': 'The code ran out of memory',
  'output-limit': 'The code produced too much output',
};

/**
 * The user's program ended badly: 422 with a problem type per outcome and whatever the run
 * produced (stdout, stderr, timings, the error's line and traceback) as extensions.
 */
export class ExecutionFailedError extends AppError {
  constructor(outcome: FailedOutcome, detail: string, extensions: Record<string, unknown>) {
    super('unprocessable', outcome, TITLES[outcome], detail, { extensions });
  }
}

export class ConcurrencyLimitError extends AppError {
  constructor(scope: 'user' | 'global', limit: number) {
    const retryAfterSeconds = 1;
    super(
      'rate-limited',
      'concurrency-limit',
      'Too many concurrent executions',
      scope === 'user'
        ? `You already have ${limit} executions running; wait for one to finish.`
        : `The server is running its maximum of ${limit} executions; retry shortly.`,
      {
        headers: { 'Retry-After': String(retryAfterSeconds) },
        extensions: { scope, limit, retryAfterSeconds },
      },
    );
  }
}

export class SandboxUnavailableError extends AppError {
  constructor(language: string, cause: unknown) {
    super(
      'unavailable',
      'sandbox-unavailable',
      'Sandbox unavailable',
      `The ${language} sandbox could not start; see GET /api/v1/security/health.`,
      { cause },
    );
  }
}
