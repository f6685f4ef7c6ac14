import type { ErrorKind } from './error-kind';

export interface FieldError {
  /** Dotted path of the offending field, e.g. `steps.2.column`. */
  field: string;
  message: string;
}

export interface AppErrorOptions {
  /** Extra members for the problem body (e.g. `dependents`, `retryAfterSeconds`). */
  extensions?: Record<string, unknown>;
  errors?: FieldError[];
  /** Extra response headers (WWW-Authenticate, Retry-After). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * Base of every domain error: a stable machine-readable code (the problem `type` slug), a kind
 * that decides the status, and a human title and detail. Knows nothing of HTTP.
 */
export class AppError extends Error {
  readonly extensions: Record<string, unknown>;
  readonly errors?: FieldError[];
  readonly headers: Record<string, string>;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly title: string,
    detail: string,
    options: AppErrorOptions = {},
  ) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.extensions = options.extensions ?? {};
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  get detail(): string {
    return this.message;
  }
}

export class ValidationFailedError extends AppError {
  constructor(errors: FieldError[], detail?: string) {
    super(
      'invalid',
      'validation-error',
      'Your request is not valid',
      detail ?? errors.map((error) => `${error.field}: ${error.message}`).join('; '),
      { errors },
    );
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string, id: string) {
    super('not-found', 'not-found', 'Resource not found', `${resource} ${id} was not found`);
  }
}
