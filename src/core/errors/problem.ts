import type { FieldError } from './app-error';

/** RFC 9457 problem details, as every error of the API is written. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://narrativeml.dev/problems/';

export function problemType(code: string): string {
  return `${PROBLEM_TYPE_BASE}${code}`;
}
