import { AppError } from '../errors/app-error';

export class TooManyJobsError extends AppError {
  constructor(limit: number) {
    super(
      'rate-limited',
      'too-many-jobs',
      'Too many unfinished jobs',
      `You already have ${limit} queued or running jobs; wait for some to finish or cancel them.`,
      { headers: { 'Retry-After': '10' }, extensions: { limit } },
    );
  }
}

export class JobFinishedError extends AppError {
  constructor(id: string, state: string) {
    super(
      'conflict',
      'job-finished',
      'Job already finished',
      `Job ${id} is ${state} and cannot be cancelled.`,
    );
  }
}

export class QueueUnavailableError extends AppError {
  constructor(cause: unknown) {
    super(
      'unavailable',
      'queue-unavailable',
      'Job queue unavailable',
      'The job could not be queued because Redis is not reachable; retry shortly.',
      {
        cause,
        headers: { 'Retry-After': '5' },
      },
    );
  }
}
